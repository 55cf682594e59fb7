#!/usr/bin/env python3
"""Poster grid paint times (issue 13), against the real server on 127.0.0.1 with the client
headless (SDL offscreen, 1920x1080 canvas, software renderer):

  tests/bench/posters.py --build build [--reps 5]

The server holds 40 videos in 今日南湖, each with its own 640x360 JPEG poster (ffmpeg
testsrc2 frames, imported with `djtv-server import`). A key script opens the section from the
home screen (digit 4), waits until no card says "图片加载中", goes back, and opens it again
WARM times.

- poster_grid.first_ms: the list screen is created (the key that opens it) -> the first frame
  in which every visible poster (one page of the grid) is painted, in a fresh client process:
  the image cache is cold, so the page, then each poster is fetched over HTTPS and decoded off
  the UI thread. The client logs "painted: posters section.video, N pictures in X ms (process
  cpu Y ms)" (client/screens/list_posters.c); the figure is the median of --reps processes.
- poster_grid.warm_ms: the same section opened again in the same process: the posters are in
  the texture cache (not fetched or decoded again); the page itself still comes from the server.
  Median over every warm open of every process.
- poster_grid.first_cpu_ms / warm_cpu_ms: the client's CPU time (all its threads) over the same
  interval: on a shared machine the wall times are mostly waits for a core.
Goals: first <= 300 ms, warm <= 50 ms. The load average is printed beside the figures."""
import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
sys.path.insert(0, HERE)

from tvflows import Client, figure, log  # noqa: E402

POSTERS = 40
PAINT_RE = r"painted: posters section\.video, (\d+) pictures in ([0-9.]+) ms " \
           r"\(process cpu ([0-9.]+) ms\)"


def make_content(harness, src):
    os.makedirs(os.path.join(src, "posters"))
    items = []
    for i in range(POSTERS):
        path = os.path.join(src, "posters", f"{i}.jpg")
        # A different frame of the test pattern each: no two posters are the same bytes.
        harness.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-vf",
                       f"trim=start_frame={i}:end_frame={i + 1}", "-frames:v", "1",
                       "-q:v", "3", path)
        items.append({"key": f"bench-poster-{i}", "kind": "视频", "title": f"南湖新闻第{i + 1}期",
                      "category": "今日南湖", "poster": f"posters/{i}.jpg", "duration_s": 300})
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump({"items": items}, f, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warm", type=int, default=3)
    args = ap.parse_args()
    os.environ["DJTV_BUILD"] = os.path.abspath(args.build)
    import harness
    tmp = tempfile.mkdtemp(prefix="djtv-bench-posters-")
    server = harness.Server("bench-posters")
    try:
        src = os.path.join(tmp, "content")
        make_content(harness, src)
        media = os.path.join(tmp, "media")
        done = harness.run_import(server.db, src, media)
        if done.returncode != 0:
            raise RuntimeError("import failed: " + done.stderr)
        # The warm opens follow each other within a second; each asks for the page and its
        # items, which the box's per-token limit (20/s) would answer 429 in a bench.
        server.start(["--media", media, "--rate-limit", "0"])
        token = server.boxes[0]["token"]
        keys = ["wait-screen home 20000"]
        for _ in range(1 + args.warm):
            keys += ["4", "wait-screen section.video 20000", 'wait-gone "图片加载中" 20000',
                     "BACK", "wait-screen home 20000"]
        first, first_cpu, warm, warm_cpu = [], [], [], []
        for _ in range(args.reps):
            text = Client(tmp, server, token, keys).start().finish()
            found = re.findall(PAINT_RE, text)
            if len(found) < 1 + args.warm:
                raise RuntimeError("missing paint lines:\n" + text[-3000:])
            shown = {int(n) for n, _, _ in found}
            if len(shown) != 1 or shown == {0}:
                raise RuntimeError(f"pictures per page changed: {found}")
            first.append(float(found[0][1]))
            first_cpu.append(float(found[0][2]))
            warm += [float(ms) for _, ms, _ in found[1:1 + args.warm]]
            warm_cpu += [float(cpu) for _, _, cpu in found[1:1 + args.warm]]
        log(f"{found[0][0]} posters visible of {POSTERS}; {args.reps} processes, "
            f"{args.warm} warm opens each; load average {os.getloadavg()[0]:.2f} on "
            f"{os.cpu_count()} cores")
        figure("poster_grid.first_ms", statistics.median(first), "ms")
        figure("poster_grid.first_cpu_ms", statistics.median(first_cpu), "ms")
        figure("poster_grid.warm_ms", statistics.median(warm), "ms")
        figure("poster_grid.warm_cpu_ms", statistics.median(warm_cpu), "ms")
        log(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        if server.proc:
            server.stop()
        server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
