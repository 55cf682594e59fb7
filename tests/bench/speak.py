#!/usr/bin/env python3
"""`make bench`: read-aloud latency, BENCH speak.first_audio_ms.

The real djtv-server (demo data) and the real client headless (SDL offscreen video, SDL's dummy
audio driver, which plays the queue out in real time): on the home screen a key script presses
the yellow key REPS times, each press followed by a pause and a second press that stops the
reading. The figure is, per press, the time from the yellow key's action reaching the app
(speech_speak, on the main thread) to the first samples of its speech handed to SDL
(SDL_QueueAudio, on the speech thread), as the client logs it ("speak: first audio after N ms");
the median and the worst are printed. Goal (issue 13): median <= 300 ms. No peer is named.

Knobs (environment): REPS (default 7), DJTV_BUILD (default build)."""
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
os.environ.setdefault("DJTV_TEST_OUT", os.path.join(TOP, "build", "bench-speak"))
from harness import Server, run_client  # noqa: E402


def main():
    reps = int(os.environ.get("REPS", "7"))
    server = Server("bench-speak").start()
    try:
        keys = ["wait-screen home 20000", "wait 2000"]
        for i in range(reps):
            # Alternate tiles so each press reads a different text.
            keys += ["RIGHT" if i % 2 == 0 else "LEFT", "YELLOW", "wait 700", "YELLOW", "wait 300"]
        run = run_client("speak", server.url, server.ca, server.boxes[0]["token"], keys,
                         timeout=120)
    finally:
        server.stop()
        server.cleanup()
    if run.code != 0:
        print(run.log[-3000:], file=sys.stderr)
        sys.exit(f"client exit {run.code}")
    ms = [int(m) for m in re.findall(r"speak: first audio after (\d+) ms", run.log)]
    if len(ms) < reps:
        sys.exit(f"only {len(ms)} of {reps} presses were heard; log in build/bench-speak/speak")
    print(f"# yellow key -> first audio sample queued, {len(ms)} presses: {ms}")
    print(f"BENCH speak.first_audio_ms {statistics.median(ms):g} ms", flush=True)
    print(f"BENCH speak.first_audio_ms_max {max(ms)} ms", flush=True)


if __name__ == "__main__":
    main()
