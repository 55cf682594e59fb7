#!/usr/bin/env python3
"""DJTV test runner: the unit test binaries, then the integration tests against the real
server and client. Prints one line per test and ends with `N passed, N failed`.

  tests/run.py --build build [--valgrind] [-k SUBSTRING]

Unit binaries (BUILD/tests/<part>/test_*) print `ok - NAME` / `not ok - NAME: why` per case
(`ok - NAME # SKIP why` when this machine cannot run it).
Integration modules (tests/integration/test_*.py) define test_* functions, run in file order,
with optional setup_module()/teardown_module(); the harness finds the build through DJTV_BUILD.
A test that cannot run here raises harness.Skip("why"); skips are counted and named, never
passed.
"""
import argparse
import importlib.util
import os
import subprocess
import sys
import time
import traceback

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.skipped = []

    def ok(self, name, secs=None):
        self.passed += 1
        extra = f" ({secs:.1f}s)" if secs is not None and secs >= 0.5 else ""
        print(f"PASS {name}{extra}", flush=True)

    def skip(self, name, why):
        self.skipped.append(f"{name}: {why}")
        print(f"SKIP {name}: {why}", flush=True)

    def fail(self, name, why):
        self.failed.append(name)
        print(f"FAIL {name}: {why}", flush=True)


def run_unit(build, tally, valgrind, pattern):
    root = os.path.join(build, "tests")
    bins = []
    for part in ("common", "server", "client"):
        d = os.path.join(root, part)
        if os.path.isdir(d):
            bins += sorted(os.path.join(d, f) for f in os.listdir(d)
                           if f.startswith("test_") and not f.endswith(".d")
                           and os.access(os.path.join(d, f), os.X_OK))
    for path in bins:
        part = os.path.basename(os.path.dirname(path))
        prefix = f"unit/{part}/{os.path.basename(path)}"
        if pattern and pattern not in prefix:
            continue
        cmd = [path]
        if valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=97", "--leak-check=full",
                   "--errors-for-leak-kinds=definite,indirect", "--track-fds=no"] + cmd
        start = time.monotonic()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                                  cwd=TOP, env=dict(os.environ, DJTV_TOP=TOP))
        except subprocess.TimeoutExpired:
            tally.fail(prefix, "timed out after 600 s")
            continue
        cases = 0
        for line in proc.stdout.splitlines():
            if line.startswith("ok - ") and " # SKIP" in line:
                cases += 1
                name, _, why = line[5:].partition(" # SKIP")
                tally.skip(f"{prefix}/{name.strip()}", why.strip())
            elif line.startswith("ok - "):
                cases += 1
                tally.ok(f"{prefix}/{line[5:].strip()}")
            elif line.startswith("not ok - "):
                cases += 1
                name, _, why = line[9:].partition(": ")
                tally.fail(f"{prefix}/{name.strip()}", why)
        if proc.returncode != 0 and (cases == 0 or proc.returncode != 1):
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
            tally.fail(prefix, f"exit code {proc.returncode} after {cases} case(s), "
                       f"{time.monotonic() - start:.1f}s\n    " + "\n    ".join(tail))


def load_module(path):
    name = "djtv_it_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def with_tails(text):
    return "\n" + text if text else ""


def run_integration(tally, pattern):
    idir = os.path.join(TOP, "tests", "integration")
    sys.path.insert(0, idir)
    from harness import Skip, server_log_tails
    for fname in sorted(os.listdir(idir)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        prefix = f"integration/{fname[:-3]}"
        try:
            mod = load_module(os.path.join(idir, fname))
        except Exception:
            tally.fail(prefix, "import failed\n" + traceback.format_exc())
            continue
        tests = [(n, f) for n, f in vars(mod).items() if n.startswith("test_") and callable(f)]
        tests.sort(key=lambda nf: nf[1].__code__.co_firstlineno)
        tests = [(n, f) for n, f in tests if not pattern or pattern in f"{prefix}/{n}"]
        if not tests:
            continue
        setup_ok = True
        if hasattr(mod, "setup_module"):
            try:
                mod.setup_module()
            except Exception:
                setup_ok = False
                tally.fail(f"{prefix}/setup_module", traceback.format_exc().strip())
        for name, fn in tests:
            full = f"{prefix}/{name}"
            if not setup_ok:
                tally.fail(full, "skipped: setup_module failed")
                continue
            start = time.monotonic()
            try:
                fn()
                tally.ok(full, time.monotonic() - start)
            except Skip as e:
                tally.skip(full, str(e))
            except AssertionError as e:
                tb = traceback.extract_tb(e.__traceback__)[-1]
                tally.fail(full, f"{e} ({os.path.basename(tb.filename)}:{tb.lineno})"
                           + with_tails(server_log_tails()))
            except Exception as e:
                # The failing test line first: CI shows only part of a long traceback.
                where = [f for f in traceback.extract_tb(e.__traceback__)
                         if os.path.basename(f.filename) == fname]
                at = f" ({fname}:{where[-1].lineno})" if where else ""
                tally.fail(full, f"{type(e).__name__}: {e}{at}\n" + traceback.format_exc().strip()
                           + with_tails(server_log_tails()))
        if hasattr(mod, "teardown_module"):
            try:
                mod.teardown_module()
            except Exception:
                tally.fail(f"{prefix}/teardown_module", traceback.format_exc().strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--valgrind", action="store_true", help="run the binaries under valgrind")
    ap.add_argument("-k", dest="pattern", default="", help="only tests whose name contains this")
    ap.add_argument("--unit-only", action="store_true")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    os.environ["DJTV_BUILD"] = build
    os.environ["DJTV_TOP"] = TOP
    if args.valgrind:
        os.environ["DJTV_VALGRIND"] = "1"
    if "asan" in os.path.basename(build):
        supp = os.path.join(TOP, "tests", "lsan.supp")
        os.environ.setdefault("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1:exitcode=86")
        os.environ.setdefault("LSAN_OPTIONS", f"suppressions={supp}:print_suppressions=0")
        os.environ.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=86")
    tally = Tally()
    start = time.monotonic()
    run_unit(build, tally, args.valgrind, args.pattern)
    if not args.unit_only:
        run_integration(tally, args.pattern)
    print(f"\ntook {time.monotonic() - start:.0f}s")
    if tally.skipped:
        print("skipped:\n  " + "\n  ".join(tally.skipped))
    if tally.failed:
        print("failed:\n  " + "\n  ".join(tally.failed))
    skipped = f", {len(tally.skipped)} skipped" if tally.skipped else ""
    print(f"{tally.passed} passed, {len(tally.failed)} failed{skipped}")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
