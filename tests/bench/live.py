#!/usr/bin/env python3
"""Live broadcasting benchmark (issue 12). Prints `BENCH <figure> <value> <unit>` lines:

  latency.glass_to_glass_s            djtv-cast's test pattern (720p30) over HTTPS HLS to the
                                      real djtv client on Xvfb: the clock that djtv-cast drew
                                      into the frame as black/white blocks, read back from the
                                      X framebuffer the moment the frame shows, subtracted from
                                      the wall clock then; median over >= 30 s (goal <= 2.0 s)
  latency.glass_to_glass_multicast_s  the same over a multicast group in a network namespace
                                      of our own (goal <= 0.5 s)
  cast.cpu_pct                        djtv-cast at 1280x720, 30 fps, 1.5 Mbit/s, preset
                                      veryfast, publishing: its CPU time / wall time, one core
                                      = 100 % (goal <= 60 %); the ffmpeg CLI doing the same
                                      encode is printed beside it as a reference
  ingest.boxes                        boxes (wrk connections, each: the live playlist, then
                                      the newest segment, once a segment, as the player polls)
                                      that one server serves a live meeting of 1.5 Mbit/s to:
                                      the largest step of BOX_STEPS at which every request
                                      (playlist and segment) was answered 2xx, no connection
                                      failed or timed out, and the p99 latency stayed under 1 s
                                      (the issue's rule; goal 2,000), and the boxes got at
                                      least 95 % of the stream's segments per second. Each
                                      box asks for the playlist and the newest segment
                                      together, as often as it takes to keep up with the
                                      stream (tests/bench/live_boxes.lua); a server too
                                      slow to answer shows as fewer segments per box.
  ingest.boxes_per_server_core        at the largest passing step: boxes times the share of
                                      the stream they got, per core of server CPU (the
                                      load generator shares this machine's two cores)

Knobs: LATENCY_SECS (40: 10 s of warm-up, then >= 30 s measured), SEGMENT_MS (djtv-cast's
--segment-ms for the HTTPS latency run; default its own, 500), BOX_STEPS ("500,1000,1500,
2000,2500"), BOX_SECS (15), ONLY (comma-separated parts to run: latency, multicast, boxes). Everything runs on 127.0.0.1 and is stopped by pid."""
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))
os.environ.setdefault("DJTV_BUILD", os.path.join(TOP, "build"))

import harness  # noqa: E402
import livecast  # noqa: E402
import playback  # noqa: E402  (Xvfb and its framebuffer)
import tools  # noqa: E402

LATENCY_SECS = int(os.environ.get("LATENCY_SECS", "40"))
WARMUP_S = 10
BOX_STEPS = [int(x) for x in os.environ.get("BOX_STEPS", "500,1000,1500,2000,2500").split(",")]
BOX_SECS = int(os.environ.get("BOX_SECS", "15"))
RENDER = os.environ.get("RENDER", "opengl")
ONLY = set(os.environ.get("ONLY", "latency,multicast,boxes").split(","))
SEGMENT_MS = os.environ.get("SEGMENT_MS")
CLOCK_BITS = 48


def log(msg):
    print(f"live: {msg}", file=sys.stderr, flush=True)


# Printing figures and starting and stopping processes (every one by pid) as playback.py does.
bench = playback.bench
start = playback.start
FEEDERS = []  # segment feeders running (threads): stopped with the processes


def stop_all():
    for f in list(FEEDERS):
        f.stop_now.set()
    playback.stop_all()
PROCS = playback.PROCS


class Clock:
    """Reads djtv-cast's block-coded clock off the framebuffer. Video of width W at (X, Y):
    B = W / 64; row 0 at Y + H - 5B holds 48 bits from X + 2B, row 1 the same inverted."""

    def __init__(self, screen):
        self.s = screen
        self.geom = None

    def _px(self, x, y):
        off = y * self.s.bpl + x * 4
        return self.s.mv[off + 1]  # green of BGRX: light or dark

    def _read(self, x0, y0, w, h):
        b = w / 64.0
        ya, yb = int(y0 + h - 5 * b + b / 2), int(y0 + h - 4 * b + b / 2)
        if yb >= self.s.h or x0 + w > self.s.w:
            return None
        v = 0
        for i in range(CLOCK_BITS):
            x = int(x0 + 2 * b + i * b + b / 2)
            a, c = self._px(x, ya), self._px(x, yb)
            if abs(a - c) < 100:
                return None
            v = (v << 1) | (1 if a > c else 0)
        return v

    def read(self):
        if self.geom:
            return self._read(*self.geom)
        sw, sh = self.s.w, self.s.h
        for g in ((0, 0, 1280, 720), ((sw - 1280) // 2, (sh - 720) // 2, 1280, 720),
                  (0, 0, sw, sh)):
            v = self._read(*g)
            if v is not None and abs(v - time.time() * 1000) < 60000:
                self.geom = g
                log(f"clock blocks found with the video at {g}")
                return v
        return None


def measure_latency(screen, seconds):
    """Wall clock minus the displayed clock, each time the displayed clock changes."""
    clock = Clock(screen)
    last, samples = None, []
    t_end = time.monotonic() + seconds
    t_measure = time.monotonic() + WARMUP_S
    while time.monotonic() < t_end:
        v = clock.read()
        now = time.time() * 1000
        if v is not None and v != last:
            last = v
            if time.monotonic() >= t_measure and abs(now - v) < 60000:
                samples.append((now - v) / 1000.0)
        time.sleep(0.002)
    return samples


def proc_cpu_s(pid):
    return playback.proc_jiffies(pid) / os.sysconf("SC_CLK_TCK")


def djtv_env(display):
    return dict(os.environ, DISPLAY=display, SDL_RENDER_DRIVER=RENDER, SDL_AUDIODRIVER="dummy")


def https_latency(server, display, screen, tmp):
    token = server.token_of(server.cadre_of("东村"))
    b, key = livecast.start_broadcast(server, token, "延迟测试")
    extra = ["--segment-ms", SEGMENT_MS] if SEGMENT_MS else []
    cast = livecast.Cast(tmp, server.url, server.ca, b["id"], key, size="1280x720", fps=30,
                         bitrate=1500, preset="veryfast", extra=extra).start()
    PROCS.append(cast.proc)
    cast.wait_sent(2)
    box = server.box_of("东村")
    tf = os.path.join(tmp, "box-token")
    with open(tf, "w") as f:
        f.write(box)
    cmd = livecast.player_cmd(server, tf, server.url + b["playback_url"],
                              ["--play-broadcast", str(b["id"])])
    cmd.remove("--headless")
    with open(os.path.join(tmp, "djtv-https.log"), "wb") as out:
        player = start(cmd, env=djtv_env(display), stdout=out, stderr=subprocess.STDOUT)
    c0, t0 = proc_cpu_s(cast.proc.pid), time.monotonic()
    samples = measure_latency(screen, LATENCY_SECS)
    cast_pct = 100 * (proc_cpu_s(cast.proc.pid) - c0) / (time.monotonic() - t0)
    player.send_signal(signal.SIGTERM)
    player.wait(timeout=15)
    cast.stop()
    server.request("POST", f"/api/v1/broadcasts/{b['id']}/stop", token)
    return samples, cast_pct


def multicast_latency(display, screen, tmp, ca):
    """djtv-cast and djtv in a network namespace of their own, over a multicast group. The
    X server is reached through its socket file, which namespaces share."""
    key = os.path.join(tmp, "mkey")
    with open(key, "w") as f:
        f.write("00" * 32)
    group = "udp://239.255.42.11:5004"
    script = (
        "set -e; ip link set lo up; ip route add 224.0.0.0/4 dev lo; "
        f"{livecast.CAST} --server https://127.0.0.1:9 --ca {ca} --broadcast 1 "
        f"--key-file {key} --size 1280x720 --fps 30 --bitrate 1500 --preset veryfast "
        f"--buffer-seconds 1 --multicast {group} --log-level error & C=$!; "
        f"{harness.BUILD}/djtv --play {group} --font {harness.FONT} & P=$!; "
        "trap 'kill $P $C; wait' TERM; wait")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        log(f"no network namespace here ({probe.stderr!r}): multicast skipped")
        return None
    with open(os.path.join(tmp, "multicast.log"), "wb") as out:
        p = start(["unshare", "-n", "sh", "-c", script], env=djtv_env(display), stdout=out,
                  stderr=subprocess.STDOUT)
    time.sleep(2)
    samples = measure_latency(screen, LATENCY_SECS)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=20)
    return samples


def ffmpeg_cpu_pct(tmp, seconds=20):
    """The ffmpeg CLI encoding the same kind of picture the same way, for comparison."""
    cmd = ["ffmpeg", "-nostdin", "-y", "-v", "error", "-re", "-f", "lavfi", "-i",
           "smptebars=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
           "-g", "30", "-b:v", "1500k", "-maxrate", "1500k", "-bufsize", "1500k", "-c:a", "aac",
           "-b:a", "96k", "-f", "mpegts", os.devnull]
    t0 = time.monotonic()
    p = start(cmd)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:  # a peer that did not run gives no figure, not a wrong one
        raise RuntimeError(f"ffmpeg CLI exited {p.returncode}")
    return 100 * (ru.ru_utime + ru.ru_stime) / (time.monotonic() - t0)


class SegmentFeeder:
    """The boxes' meeting with no encoder on this machine: 0.5 s segments of 1.5 Mbit/s that
    the ffmpeg CLI made beforehand, PUT in real time the way djtv-cast sends them (its route,
    key and headers), looping with a discontinuity. The encoder's CPU (a third of a core for
    720p30) would otherwise be taken from the server and wrk on these two cores."""

    def __init__(self, server, bid, key, files, seg_s):
        self.server, self.bid, self.key, self.files, self.seg_s = server, bid, key, files, seg_s
        self.stop_now = threading.Event()
        self.sent = 0
        self.error = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def run(self):
        u = urllib.parse.urlsplit(self.server.url)
        conn = http.client.HTTPSConnection(u.hostname, u.port,
                                           context=self.server.ssl_context(), timeout=10)
        due = time.monotonic()
        try:
            while not self.stop_now.is_set():
                for i, data in enumerate(self.files):
                    conn.request("PUT", f"/live/{self.bid}/seg{self.sent}.ts", body=data,
                                 headers={"Authorization": f"Bearer {self.key}",
                                          "Content-Type": "video/mp2t",
                                          "X-Segment-Duration": f"{self.seg_s:.3f}",
                                          "X-Discontinuity": "1" if i == 0 and self.sent else "0"})
                    reply = conn.getresponse()
                    body = reply.read()
                    if reply.status not in (200, 201):
                        raise RuntimeError(f"segment {self.sent}: {reply.status} {body[:200]!r}")
                    self.sent += 1
                    due += self.seg_s
                    if self.stop_now.wait(max(0.0, due - time.monotonic())):
                        return
        except Exception as e:  # noqa: BLE001 - reported by stop()
            self.error = e
        finally:
            conn.close()

    def stop(self):
        self.stop_now.set()
        self.thread.join(timeout=15)
        if self.error:
            raise RuntimeError(f"segment feeder: {self.error!r}")


def ingest_boxes(server, tmp):
    token = server.token_of(server.cadre_of("东村"))
    b, key = livecast.start_broadcast(server, token, "千户同看")
    segdir = os.path.join(tmp, "feed")
    os.makedirs(segdir, exist_ok=True)
    seg_s = 0.5  # djtv-cast's default segment
    harness.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30,noise=alls=30:allf=t",
                   "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "10",
                   "-c:v", "libx264", "-preset", "veryfast", "-b:v", "1500k", "-maxrate", "1500k",
                   "-bufsize", "750k", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0",
                   "-c:a", "aac", "-b:a", "96k", "-f", "segment", "-segment_time", str(seg_s),
                   "-segment_format", "mpegts", os.path.join(segdir, "s%03d.ts"))
    files = []
    for name in sorted(os.listdir(segdir)):
        with open(os.path.join(segdir, name), "rb") as f:
            files.append(f.read())
    feeder = SegmentFeeder(server, b["id"], key, files, seg_s).start()
    FEEDERS.append(feeder)
    time.sleep(3)  # a live window of a few segments
    seg_kb = sum(len(x) for x in files) / len(files) / 1024
    print(f"# ingest: segments of {seg_kb:.0f} KiB and {seg_s:.2f} s (1.5 Mbit/s cap), "
          f"{feeder.sent} sent so far by the feeder")
    env = {"DJTV_TOKEN": server.box_of("东村"), "DJTV_BROADCAST": str(b["id"])}
    best, per_core = 0, None
    for n in BOX_STEPS:
        r = tools.run_wrk(server.url + b["playback_url"], BOX_SECS, n, [server.proc.pid],
                          script=os.path.join(HERE, "live_boxes.lua"),
                          env=dict(env, DJTV_BOXES=str(n)), quiet=False)
        m = re.search(r"DJTV_SEGMENTS_PER_BOX ([\d.]+)", r["raw"])
        got = float(m.group(1)) if m else 0.0  # after the warm-up (live_boxes.lua)
        ok = (r["p99"] < 1000 and not r["socket_errors"] and r["non2xx"] == 0
              and got >= 0.95 / seg_s)
        print(f"# ingest: {n} boxes: {'pass' if ok else 'FAIL'}: {r['rps']:.0f} req/s, "
              f"{got:.2f} segments/s per box after the warm-up (the stream makes "
              f"{1 / seg_s:.2f}), p50 "
              f"{r['p50']:.0f} ms, p99 {r['p99']:.0f} ms, non-2xx {r['non2xx']}, socket errors "
              f"'{r['socket_errors']}', server CPU {r['srv_cpu']:.0f}%, wrk CPU {r['wrk_cpu']:.0f}%, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        if not ok:
            break
        best = n
        # Boxes per server core at the stream's rate: the server's own CPU for this step. On
        # a 2-core machine wrk takes most of the other core, so this says what one server
        # core carries when the boxes are elsewhere, as they are in a township.
        per_core = n * got * seg_s / max(1e-6, r["srv_cpu"] / 100)
    feeder.stop()
    FEEDERS.remove(feeder)
    server.request("POST", f"/api/v1/broadcasts/{b['id']}/stop", token)
    return best, per_core


def main():
    subprocess.run([os.path.join(TOP, "toolchain", "install-deps.sh"),
                    os.path.join(TOP, "toolchain", "bench-packages.txt")], check=True)
    t_start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="djtv-bench-live-")
    server = harness.Server("bench-live")
    fbdir = None
    try:
        server.start(["--media", os.path.join(server.dir, "media"), "--log-level", "info"])
        xvfb, display, fb, fbdir = playback.start_xvfb(tmp)
        PROCS.append(xvfb)
        screen = playback.Screen(fb)
        print("# latency: djtv-cast 1280x720 30 fps 1.5 Mbit/s veryfast, segments of "
              f"{SEGMENT_MS or 500} ms -> djtv on Xvfb "
              f"(SDL_RENDER_DRIVER={RENDER}); {LATENCY_SECS - WARMUP_S} s measured after "
              f"{WARMUP_S} s; load {os.getloadavg()[0]:.1f}", flush=True)
        if "latency" in ONLY:
            samples, cast_pct = https_latency(server, display, screen, tmp)
            if samples:
                print(f"# latency HTTPS HLS: {len(samples)} frames, p10 "
                      f"{statistics.quantiles(samples, n=10)[0]:.2f} s, p90 "
                      f"{statistics.quantiles(samples, n=10)[-1]:.2f} s", flush=True)
            bench("latency.glass_to_glass_s", statistics.median(samples) if samples else None,
                  "s")
            bench("cast.cpu_pct", cast_pct, "%")
            bench("cast.cpu_pct.ffmpeg_cli_same_encode", ffmpeg_cpu_pct(tmp), "%")
        if "multicast" in ONLY:
            ms = multicast_latency(display, screen, tmp, server.ca)
            if ms:
                print(f"# latency multicast: {len(ms)} frames, p10 "
                      f"{statistics.quantiles(ms, n=10)[0]:.2f} s, p90 "
                      f"{statistics.quantiles(ms, n=10)[-1]:.2f} s", flush=True)
            bench("latency.glass_to_glass_multicast_s", statistics.median(ms) if ms else None,
                  "s")
        if "boxes" in ONLY:
            best, per_core = ingest_boxes(server, tmp)
            bench("ingest.boxes", best, "boxes")
            bench("ingest.boxes_per_server_core", per_core, "boxes")
    finally:
        stop_all()
        server.finish()
        if fbdir:
            import shutil
            shutil.rmtree(fbdir, ignore_errors=True)
    print(f"# live bench took {time.monotonic() - t_start:.0f} s (logs in {tmp})", flush=True)


if __name__ == "__main__":
    def on_signal(sig, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        main()
    except (KeyboardInterrupt, RuntimeError, subprocess.CalledProcessError, AssertionError) as e:
        stop_all()
        log(f"failed: {e!r}")
        sys.exit(1)
