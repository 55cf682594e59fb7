#!/usr/bin/env python3
"""check-demo.py UI_DUMP: did the headless `make run` reach the home screen and play a course?
Reads the UI dump (one JSON line per key-script step) that toolchain/run-demo.sh writes, prints
what it found, exits 1 when either is missing. Used by `make fresh-test` and .ci/run."""
import json
import sys


def main(path):
    home = played = 0
    timeouts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            step = json.loads(line)
            if step.get("timeout"):
                timeouts.append(f"step {step.get('step')} ({step.get('cmd')}) on {step.get('screen')}")
            if step.get("screen") == "home" and not step.get("loading"):
                home += 1
            state = step.get("state") or {}
            if step.get("screen") == "player" and state.get("frames_presented", 0) > 0:
                played = max(played, state["frames_presented"])
    ok = home and played and not timeouts
    print(f"demo: home screen {'reached' if home else 'NOT reached'}, course "
          f"{'played (%d frames presented)' % played if played else 'NOT played'}"
          + (f", timed out: {'; '.join(timeouts)}" if timeouts else ""))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "run/ui-dump.jsonl"))
