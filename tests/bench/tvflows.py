#!/usr/bin/env python3
"""The TV client's own figures (issue 10), against the real server on 127.0.0.1, the client
headless (SDL offscreen, 1920x1080 canvas, software renderer):

  tests/bench/tvflows.py --build build [--reps 5]

- start.warm_ms: fork+exec of djtv to the first home frame with its data on screen (the client
  logs "painted: home" with its CLOCK_MONOTONIC time, which this script compares with its own
  clock taken just before starting it). One unmeasured run first, so the OS cache is warm.
- start.cold_ms: the same, each run after evicting the client's own files from the page cache
  (posix_fadvise DONTNEED on the djtv binary, its font and every shared library ldd lists;
  pages other processes map stay, and there is no root to drop the whole cache).
- frame.p50_ms / frame.p99_ms: draw + present of each frame (DJTV_FRAME_TIMES) during a scripted
  walk: home, a section's list, an item, the service form, 我的服务; p50 and p99 per run.
  A frame held back while the text worker renders its new strings (not presented) counts as a
  frame of its own: it is the UI thread's time all the same.
- start.warm_cpu_ms, frame.p50_cpu_ms, frame.p99_cpu_ms: the same, in CPU time (the process's
  up to the first home frame; the main thread's per frame). On a shared machine the wall times
  are mostly waits for a core: these say what the client itself spends. The load average is
  printed with the figures.
- frame.shown_p50_ms / frame.shown_p99_ms: per presented frame, from the first draw after the
  previous present (held draws and the wait for the text worker included) to the present: how
  long a change takes to reach the screen, which holding frames must not make longer.
- frame.p99_faults: the main thread's minor page faults in a walk's worst frame (first touches
  of fresh memory; they do not depend on the load, and cost a first paint more than its
  copying).
- event.banner_ms: a cadre's POST /broadcasts/{id}/start sent -> the live banner painted.
- event.rollcall_ms: a cadre's POST /broadcasts/{id}/rollcalls sent -> 点名签到 painted.
Each figure is the median over --reps runs (events: --reps events in one client run).
Goals: warm start <= 250 ms, frame p99 <= 8 ms, banner and prompt <= 1000 ms."""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))


def log(msg):
    print(f"# {msg}", flush=True)


def figure(name, value, unit):
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


class Client:
    """djtv --headless with a key script, info logging, no screenshots or dump."""

    def __init__(self, tmp, server, token, keys, env_extra=None):
        import harness
        self.keys = os.path.join(tmp, "bench.keys")
        with open(self.keys, "w", encoding="utf-8") as f:
            f.write("\n".join(keys) + "\n")
        tok = os.path.join(tmp, "token")
        with open(tok, "w", encoding="utf-8") as f:
            f.write(token)
        os.chmod(tok, 0o600)
        self.log_path = os.path.join(tmp, "client.log")
        self.cmd = [os.path.join(harness.BUILD, "djtv"), "--headless", "--server", server.url,
                    "--ca", server.ca, "--token-file", tok, "--font", harness.FONT,
                    "--keys", self.keys, "--log-level", "info", "--ask-viewers=no"]
        self.env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy",
                        **(env_extra or {}))
        self.proc = None

    def start(self):
        self.logf = open(self.log_path, "wb")
        self.t0 = time.monotonic() * 1000.0
        self.proc = subprocess.Popen(self.cmd, stdout=self.logf, stderr=subprocess.STDOUT,
                                     env=self.env)
        return self

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_count(self, pattern, n, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.findall(pattern, self.text())
            if len(found) >= n:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.005)
        raise RuntimeError(f"no {pattern!r} x{n} in the client log:\n" + self.text()[-2000:])

    def finish(self, timeout=120):
        if self.proc.poll() is None:
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGTERM)
                self.proc.wait(timeout=10)
        self.logf.close()
        return self.text()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.logf.close()


HOME_RE = r"painted: home \(monotonic ([0-9.]+) ms, process cpu ([0-9.]+) ms\)"


def evict(paths):
    for p in paths:
        try:
            fd = os.open(p, os.O_RDONLY)
        except OSError:
            continue
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def client_files():
    import harness
    djtv = os.path.join(harness.BUILD, "djtv")
    out = subprocess.run(["ldd", djtv], capture_output=True, text=True).stdout
    libs = re.findall(r"=> (/\S+)", out)
    return [djtv, harness.FONT] + libs


def start_times(tmp, server, token, reps, cold):
    files = client_files()
    times, cpus = [], []
    for i in range(reps + (0 if cold else 1)):
        if cold:
            evict(files)
        c = Client(tmp, server, token, ["wait-screen home 20000"]).start()
        text = c.finish()
        m = re.search(HOME_RE, text)
        if not m:
            raise RuntimeError("no home frame:\n" + text[-2000:])
        ms = float(m.group(1)) - c.t0
        if cold or i > 0:
            times.append(ms)
            cpus.append(float(m.group(2)))
    return times, cpus


WALK = [
    "wait-screen home 20000",
    "RIGHT", "DOWN", "LEFT", "UP",
    "1", "wait-screen section.affairs 10000", "DOWN", "DOWN", "DOWN", "UP",
    "OK", "wait-screen detail 10000", "DOWN", "UP", "BACK",
    "wait-screen section.affairs 10000", "BACK",
    "RED", "wait-text 农业技术服务 10000", "RIGHT", "DOWN", "2", "1", "3", "8", "LEFT", "LEFT",
    "LEFT", "BACK", "BACK",
    "GREEN", "wait-screen my_requests 10000", "BACK",
    "3", "wait-screen section.study 10000", "RIGHT", "RIGHT", "BACK", "HOME",
]


def frame_times(tmp, server, token, reps):
    p50s, p99s, counts, cpu50s, cpu99s, fault99s, shown50s, shown99s = ([], [], [], [], [], [],
                                                                        [], [])
    for _ in range(reps):
        c = Client(tmp, server, token, WALK, {"DJTV_FRAME_TIMES": "1"}).start()
        text = c.finish()
        frames = re.findall(r"frame-time ([0-9.]+) ms, cpu ([0-9.]+) ms, (\d+) page faults", text)
        if len(frames) < 20:
            raise RuntimeError(f"only {len(frames)} frames:\n" + text[-2000:])
        shown = re.findall(r"frame-time ([0-9.]+) ms, cpu [0-9.]+ ms, \d+ page faults \([^)]*\), "
                           r"asked ([0-9.]+) ms", text)
        for values, p50, p99 in ((sorted(float(f[0]) for f in frames), p50s, p99s),
                                 (sorted(float(f[1]) for f in frames), cpu50s, cpu99s),
                                 (sorted(int(f[2]) for f in frames), [], fault99s),
                                 (sorted(float(f[1]) for f in shown), shown50s, shown99s)):
            p50.append(values[len(values) // 2])
            p99.append(values[min(len(values) - 1, int(len(values) * 0.99))])
        counts.append(len(frames))
    return p50s, p99s, counts, cpu50s, cpu99s, fault99s, shown50s, shown99s


def painted_times(c, name):
    return [float(x) for x in re.findall(rf"painted: overlay {name} \(monotonic ([0-9.]+) ms\)",
                                         c.text())]


def event_latencies(tmp, server, token, cadre, reps):
    import boxflow
    boxflow.end_all_live(server)
    c = Client(tmp, server, token, ["wait-screen home 20000", "wait 600000"]).start()
    try:
        c.wait_count(r"event stream open", 1)
        c.wait_count(HOME_RE, 1)
        banner = []
        for i in range(reps):
            status, b = server.request("POST", "/api/v1/broadcasts", cadre, {"title": f"测速会议{i}"})
            assert status == 200, b
            t0 = time.monotonic() * 1000.0
            status, _ = server.request("POST", f"/api/v1/broadcasts/{b['id']}/start", cadre)
            assert status == 200
            c.wait_count(r"painted: overlay live_banner", i + 1)
            banner.append(painted_times(c, "live_banner")[i] - t0)
            if i + 1 < reps:
                boxflow.stop_broadcast(server, cadre, b["id"])
                c.wait_count(r"gone: overlay live_banner", i + 1)
        bid = b["id"]
        prompt = []
        for i in range(reps):
            t0 = time.monotonic() * 1000.0
            status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
            assert status == 200, rc
            c.wait_count(r"painted: overlay rollcall", i + 1)
            prompt.append(painted_times(c, "rollcall")[i] - t0)
            server.request("POST", f"/api/v1/rollcalls/{rc['id']}/close", cadre)
            c.wait_count(r"gone: overlay rollcall", i + 1, timeout=30)
        boxflow.stop_broadcast(server, cadre, bid)
        return banner, prompt
    finally:
        c.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--reps", type=int, default=int(os.environ.get("REPS", 5)))
    args = ap.parse_args()
    os.environ["DJTV_BUILD"] = os.path.abspath(args.build)
    import harness
    server = harness.Server("bench-tv").start()
    try:
        with tempfile.TemporaryDirectory(prefix="djtv-bench-tv-") as tmp:
            token = server.box_of("东村", 0)
            cadre = server.token_of(server.cadre_of("东村"))
            log(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            warm, warm_cpu = start_times(tmp, server, token, args.reps, cold=False)
            log(f"warm start runs (ms): {', '.join(f'{x:.0f}' for x in warm)}; cpu "
                f"{', '.join(f'{x:.0f}' for x in warm_cpu)}")
            figure("start.warm_ms", statistics.median(warm), "ms")
            figure("start.warm_cpu_ms", statistics.median(warm_cpu), "ms")
            cold, _ = start_times(tmp, server, token, args.reps, cold=True)
            log(f"cold start runs (ms): {', '.join(f'{x:.0f}' for x in cold)}")
            figure("start.cold_ms", statistics.median(cold), "ms")
            p50s, p99s, counts, cpu50s, cpu99s, fault99s, shown50s, shown99s = frame_times(
                tmp, server, token, args.reps)
            log(f"frames per walk: {counts}; p50 per run {[round(x, 2) for x in p50s]}, "
                f"p99 per run {[round(x, 2) for x in p99s]}; cpu p99 per run "
                f"{[round(x, 2) for x in cpu99s]}")
            figure("frame.p50_ms", statistics.median(p50s), "ms")
            figure("frame.p99_ms", statistics.median(p99s), "ms")
            figure("frame.p50_cpu_ms", statistics.median(cpu50s), "ms")
            figure("frame.p99_cpu_ms", statistics.median(cpu99s), "ms")
            figure("frame.p99_faults", statistics.median(fault99s), "faults")
            figure("frame.shown_p50_ms", statistics.median(shown50s), "ms")
            figure("frame.shown_p99_ms", statistics.median(shown99s), "ms")
            log(f"load average {os.getloadavg()[0]:.2f}")
            banner, prompt = event_latencies(tmp, server, token, cadre, args.reps)
            log(f"banner (ms): {[round(x) for x in banner]}; prompt (ms): "
                f"{[round(x) for x in prompt]}")
            figure("event.banner_ms", statistics.median(banner), "ms")
            figure("event.rollcall_ms", statistics.median(prompt), "ms")
            log("goals: warm start <= 250 ms, frame p99 <= 8 ms, banner and prompt <= 1000 ms")
    finally:
        server.stop()
        server.cleanup()


if __name__ == "__main__":
    main()
