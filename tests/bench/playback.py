#!/usr/bin/env python3
"""Playback benchmark (issue 5): djtv's player against ffplay, mpv and the ffmpeg decode-only
floor, in one run on this machine, tools interleaved. Prints `BENCH <figure> <value> <unit>`.

Method (tests/bench/METHOD.md; the figures in tests/bench/README.md):
- TTFF: t0 = CLOCK_MONOTONIC just before fork+exec of the tool; the clock stops at the first
  time >= 10 % of a 64x36 grid of sample points of our Xvfb's framebuffer (Xvfb -fbdir, polled
  every 1 ms) is non-black. All three players run windowed (1280x720) under the same Xvfb,
  same SDL_RENDER_DRIVER, SDL_AUDIODRIVER=dummy. djtv's own log marker ("first frame presented",
  logged right after SDL_RenderPresent) is recorded too (ttff.*.djtv_log), mpv --vo=null's
  "first video frame after restart shown" line as ttff.*.mpv_null.
- CPU: CPU_SECS of real-time playback of the local MP4; (utime+stime) from os.wait4 of the
  player divided by the media seconds; peak RSS = ru_maxrss; drops from djtv's final stats line
  and ffplay's last `fd=`.

Knobs (env): REPS (5), UDP_REPS (15), CPU_SECS (30), RENDER (SDL_RENDER_DRIVER, opengl),
SKIP_TTFF, SKIP_CPU, SKIP_INAPP, INAPP_ONLY, DJTV (build/djtv), DJTV_SERVER (build/djtv-server),
DISPLAY_NUM (auto).
Every process started here is stopped by pid, also on error; all traffic is on 127.0.0.1.
"""
import mmap
import os
import re
import select
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(TOP, "build")
MEDIA = os.path.join(BUILD, "bench-media")
CERTS = os.path.join(BUILD, "bench-certs")
LOGS = os.environ.get("BENCH_LOGS", os.path.join(BUILD, "bench-playback"))  # last run's logs

REPS = int(os.environ.get("REPS", "5"))
UDP_REPS = int(os.environ.get("UDP_REPS", "15"))
CPU_SECS = int(os.environ.get("CPU_SECS", "30"))
RENDER = os.environ.get("RENDER", "opengl")
DJTV = os.environ.get("DJTV", os.path.join(BUILD, "djtv"))
DJTV_SERVER = os.environ.get("DJTV_SERVER", os.path.join(BUILD, "djtv-server"))
FONT = os.path.join(TOP, "fonts", "NotoSansSC-DJTV.otf")
TTFF_TIMEOUT = 20.0
WIN_W, WIN_H = 1280, 720
# mpv's vo_sdl ignores SDL_RENDER_DRIVER: it takes the first renderer (opengl here) unless
# --sdl-sw asks for SDL's software one.
MPV_SDL = ["--sdl-sw"] if RENDER == "software" else []

METHOD = f"""\
# How each figure is measured (playback.py; details in tests/bench/README.md)
# ttff.<in>.<tool>: median seconds from fork+exec of the tool (CLOCK_MONOTONIC) to the first
#   time >= 10% of a 64x36 grid over our Xvfb's 1920x1080 framebuffer (-fbdir, polled 1 ms) is
#   non-black. djtv, ffplay and mpv (--vo=sdl) all windowed {WIN_W}x{WIN_H} on that Xvfb,
#   SDL_RENDER_DRIVER={RENDER} (mpv: {' '.join(MPV_SDL) or "its default = opengl"}),
#   SDL_AUDIODRIVER=dummy / mpv --ao=null.
#   ttff.<in>.djtv_log: djtv's "first frame presented" log line (after SDL_RenderPresent), same
#   run. ttff.<in>.mpv_null: mpv --vo=null --ao=null, its "first video frame after restart
#   shown" line. Inputs: hls = HLS VOD 720p over HTTPS (nginx, 127.0.0.1, CA pinned: djtv --ca,
#   ffplay -ca_file -tls_verify 1, mpv --tls-ca-file --tls-verify), mp4 = progressive MP4 1080p
#   over HTTPS, udp = live MPEG-TS 720p from `ffmpeg -re -stream_loop -1 ... udp://127.0.0.1`.
#   Medians of {REPS} (HTTPS) / {UDP_REPS} (UDP) runs, tools interleaved; _min printed too.
#   ratio_ffplay / ratio_mpv = djtv / peer (pixel figures).
# ttff_inapp.<in>.djtv: the app already running: the N of djtv's "first frame presented after
#   N ms" line, measured in-process from the player screen's start_playback() (what OK on a
#   catalogue item / "retry" calls) to the first SDL_RenderPresent with video; same runs.
#   The key-press -> screen-push step (one UI frame) is not in it.
# ttff.inapp.djtv: what a member feels, the app already running on the home screen: djtv
#   (windowed, same Xvfb/renderer) with djtv-server (demo DB plus a 党教园地 course whose media_url
#   is the hls input above, published through POST /api/v1/admin/content) and a key script: wait-screen home, RIGHT 2, OK,
#   wait-screen section.study, RIGHT to the course, OK. The N of the app's "ok-to-first-frame N
#   ms" line: from the scripted OK on the row (the list fetches the item for its media URL, the
#   player asks the server for the resume position, opens, decodes) to the first
#   SDL_RenderPresent with video. No screenshots (--dump-ui only). Median of {REPS} runs.
# cpu.<res>.<tool>: (utime+stime) from os.wait4 of the player / {CPU_SECS} media s, real-time
#   playback of the local MP4. Windowed (frames presented, same Xvfb, {WIN_W}x{WIN_H}):
#   djtv --play F --play-seconds N; ffplay -autoexit -t N; mpv --vo=sdl --end=N. Presentation
#   off: djtv_novo = djtv --headless --play-no-present; mpv_null = mpv --vo=null --ao=null;
#   floor = ffmpeg -threads 1 -i F -t N -f null - (as fast as it goes, audio decoded too).
#   Xvfb's own CPU is not included. drops: djtv final stats frames_dropped, ffplay last fd=.
# rss.<res>.<tool>: peak RSS (ru_maxrss) of that windowed run, MiB.
"""


def log(msg):
    print(f"playback: {msg}", file=sys.stderr, flush=True)


def bench(fig, value, unit):
    if value is None:
        print(f"# {fig}: no value", flush=True)
    else:
        print(f"BENCH {fig} {value:.4g} {unit}", flush=True)


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def median(xs):
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return a / b if a is not None and b else None


# ---- processes: every one stopped by pid ----

PROCS = []


def start(cmd, **kw):
    p = subprocess.Popen(cmd, **kw)
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, grace=3.0):
    if p.returncode is None:
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
    if p in PROCS:
        PROCS.remove(p)


def stop_all():
    for p in list(reversed(PROCS)):
        try:
            stop(p)
        except Exception as e:  # keep stopping the others
            log(f"stopping pid {p.pid}: {e}")


# ---- media, certificates, servers ----

def ffmpeg(args):
    subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"] + args,
                   check=True)


def make_media():
    os.makedirs(MEDIA, exist_ok=True)
    specs = {"720p": ("1280x720", "3M", "3500k", "6M", "4.0"),
             "1080p": ("1920x1080", "6M", "7M", "12M", "4.1")}
    for name, (size, b, mx, buf, lvl) in specs.items():
        out = os.path.join(MEDIA, f"{name}.mp4")
        if os.path.exists(out):
            continue
        log(f"encoding {name}.mp4 (once; cached in build/bench-media)")
        tmp = os.path.join(MEDIA, f"{name}.tmp.mp4")
        ffmpeg(["-f", "lavfi", "-i", f"testsrc2=size={size}:rate=25", "-f", "lavfi", "-i",
                "sine=frequency=1000:sample_rate=48000", "-t", "60", "-map", "0:v", "-map",
                "1:a", "-c:v", "libx264", "-preset", "medium", "-profile:v", "high", "-level:v",
                lvl, "-pix_fmt", "yuv420p", "-b:v", b, "-maxrate", mx, "-bufsize", buf, "-g",
                "50", "-keyint_min", "50", "-sc_threshold", "0", "-flags", "+cgop",
                "-x264-params", "open-gop=0", "-c:a", "aac", "-b:a", "128k", "-ac", "2",
                "-movflags", "+faststart", tmp])
        os.rename(tmp, out)
    ts = os.path.join(MEDIA, "720p.ts")
    if not os.path.exists(ts):
        ffmpeg(["-i", os.path.join(MEDIA, "720p.mp4"), "-c", "copy", "-f", "mpegts",
                ts + ".tmp"])
        os.rename(ts + ".tmp", ts)
    hls = os.path.join(MEDIA, "hls720")
    if not os.path.exists(os.path.join(hls, "index.m3u8")):
        shutil.rmtree(hls, ignore_errors=True)
        os.makedirs(hls)
        ffmpeg(["-i", os.path.join(MEDIA, "720p.mp4"), "-c", "copy", "-f", "hls", "-hls_time",
                "2", "-hls_playlist_type", "vod", "-hls_segment_type", "mpegts",
                "-hls_segment_filename", os.path.join(hls, "seg_%03d.ts"),
                os.path.join(hls, "index.m3u8.tmp")])
        os.rename(os.path.join(hls, "index.m3u8.tmp"), os.path.join(hls, "index.m3u8"))


NGINX_CONF = """\
user root;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{ application/vnd.apple.mpegurl m3u8; video/mp2t ts; video/mp4 mp4; }}
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    keepalive_requests 10000;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate     {certs}/server.crt;
        ssl_certificate_key {certs}/server.key;
        root {media};
    }}
}}
"""


def wait_port(p, port, what):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if p.poll() is not None:
            raise RuntimeError(f"{what} exited with {p.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def start_nginx(tmp):
    d = os.path.join(tmp, "nginx")
    os.makedirs(d)
    port = free_port()
    conf = os.path.join(d, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(dir=d, port=port, certs=CERTS, media=MEDIA))
    p = start(["nginx", "-p", d, "-e", os.path.join(d, "error.log"), "-c", conf, "-g",
               "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(p, port, "nginx")
    return p, port


def start_xvfb(tmp):
    fbdir = os.path.join("/dev/shm", f"djtv-bench-fb-{os.getpid()}")
    os.makedirs(fbdir, exist_ok=True)
    num = int(os.environ.get("DISPLAY_NUM", "0")) or next(
        n for n in range(77, 200) if not os.path.exists(f"/tmp/.X11-unix/X{n}")
        and not os.path.exists(f"/tmp/.X{n}-lock"))
    p = start(["Xvfb", f":{num}", "-screen", "0", "1920x1080x24", "-fbdir", fbdir, "-br",
               "-nolisten", "tcp", "-noreset"], stdout=subprocess.DEVNULL,
              stderr=open(os.path.join(tmp, "xvfb.log"), "w"))
    fb = os.path.join(fbdir, "Xvfb_screen0")
    deadline = time.monotonic() + 10
    while not (os.path.exists(fb) and os.path.exists(f"/tmp/.X11-unix/X{num}")):
        if p.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("Xvfb did not start")
        time.sleep(0.05)
    time.sleep(0.3)
    return p, f":{num}", fb, fbdir


class Screen:
    """Our Xvfb's framebuffer (an XWD file): is >= 10 % of a 64x36 grid non-black?"""

    def __init__(self, path):
        self.f = open(path, "rb")
        self.m = mmap.mmap(self.f.fileno(), 0, access=mmap.ACCESS_READ)
        h = struct.unpack(">25I", self.m[:100])
        hsize, w, hgt, byte_order, bpp, bpl, ncolors = h[0], h[4], h[5], h[7], h[11], h[12], h[19]
        if bpp != 32:
            raise RuntimeError(f"framebuffer has {bpp} bits per pixel")
        off = hsize + ncolors * 12
        self.mv = memoryview(self.m)[off:off + bpl * hgt]
        self.bpl, self.w, self.h = bpl, w, hgt
        self.mask = 0xE0E0E0 if byte_order == 0 else 0xE0E0E000  # any channel >= 32
        self.rows = [int((j + 0.5) * hgt / 36) for j in range(36)]
        self.step = w // 64
        self.need = int(0.10 * 64 * 36)

    def lit(self):
        n = 0
        for y in self.rows:
            row = self.mv[y * self.bpl:y * self.bpl + self.w * 4].cast("I")
            n += sum(1 for px in row[self.step // 2::self.step] if px & self.mask)
        return n >= self.need

    def wait_black(self, limit=5.0):
        deadline = time.monotonic() + limit
        while self.lit():
            if time.monotonic() > deadline:
                raise RuntimeError("the screen does not go black")
            time.sleep(0.02)


# ---- time to first frame ----

def ttff(screen, cmd, env, marker=None, use_pixels=True):
    """(pixel_s, marker_s, output tail) from fork+exec; the tool is stopped by pid after."""
    if use_pixels:
        screen.wait_black()
    t0 = time.monotonic()
    p = start(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
              stderr=subprocess.STDOUT)
    fd = p.stdout.fileno()
    os.set_blocking(fd, False)
    pix = mark = None
    buf = b""
    try:
        while time.monotonic() - t0 < TTFF_TIMEOUT:
            if use_pixels and pix is None and screen.lit():
                pix = time.monotonic() - t0
            if marker is not None and mark is None:
                r, _, _ = select.select([fd], [], [], 0.001)
                if r:
                    chunk = os.read(fd, 65536)
                    if chunk:
                        buf = (buf + chunk)[-65536:]
                        if marker.encode() in buf:
                            mark = time.monotonic() - t0
            elif not use_pixels:
                time.sleep(0.001)
            else:
                # drain the pipe so the tool never blocks on it
                r, _, _ = select.select([fd], [], [], 0.001)
                if r:
                    os.read(fd, 65536)
            done_pix = pix is not None or not use_pixels
            done_mark = mark is not None or marker is None
            if done_pix and done_mark:
                break
            if p.poll() is not None:
                break
    finally:
        stop(p)
        try:
            buf += p.stdout.read() or b""
        except OSError:
            pass
        p.stdout.close()
    return pix, mark, buf.decode(errors="replace")


def ttff_suite(screen, env_x, ca, https_port, udp_port):
    base = f"https://127.0.0.1:{https_port}"
    inputs = [("hls", f"{base}/hls720/index.m3u8", REPS),
              ("mp4", f"{base}/1080p.mp4", REPS),
              ("udp", f"udp://127.0.0.1:{udp_port}", UDP_REPS)]
    tls_ff = ["-ca_file", ca, "-tls_verify", "1"]
    tls_mpv = [f"--tls-ca-file={ca}", "--tls-verify"]
    env_sdl = dict(env_x, SDL_RENDER_DRIVER=RENDER, SDL_AUDIODRIVER="dummy")
    results = {}
    for name, url, reps in inputs:
        https = url.startswith("https")
        tools = {
            "djtv": (lambda u: [DJTV, "--play", u] + (["--ca", ca] if https else []),
                     env_sdl, "first frame presented", True),
            "ffplay": (lambda u: ["ffplay", "-hide_banner", "-nostats", "-loglevel", "error",
                                  "-x", str(WIN_W), "-y", str(WIN_H)]
                       + (tls_ff if https else []) + [u], env_sdl, None, True),
            "mpv": (lambda u: ["mpv", "--no-config", "--no-terminal", "--msg-level=all=error",
                               "--vo=sdl"] + MPV_SDL + ["--ao=null",
                               f"--geometry={WIN_W}x{WIN_H}"]
                    + (tls_mpv if https else []) + [u], env_sdl, None, True),
            "mpv_null": (lambda u: ["mpv", "--no-config", "--msg-level=all=error,cplayer=v",
                                    "--vo=null", "--ao=null", "--frames=1"]
                         + (tls_mpv if https else []) + [u], env_x,
                         "first video frame after restart shown", False),
        }
        for rep in range(reps):
            for tool, (mk, env, marker, pixels) in tools.items():
                pix, mark, out = ttff(screen, mk(url), env, marker, pixels)
                val = pix if pixels else mark
                if val is None:
                    log(f"ttff {name} {tool} rep {rep}: no first frame (exited, or "
                        f"{TTFF_TIMEOUT:.0f} s): {' '.join(mk(url))}")
                results.setdefault((name, tool), []).append(val)
                if tool == "djtv":
                    results.setdefault((name, "djtv_log"), []).append(mark)
                    m = re.search(r"first frame presented after (\d+) ms", out)
                    results.setdefault((name, "inapp"), []).append(
                        int(m.group(1)) / 1000.0 if m else None)
                time.sleep(0.2)
        log(f"ttff {name} done")
    for name, _, _ in inputs:
        for tool in ("djtv", "djtv_log", "ffplay", "mpv", "mpv_null"):
            xs = [x for x in results.get((name, tool), []) if x is not None]
            bench(f"ttff.{name}.{tool}", median(xs), "s")
            bench(f"ttff.{name}.{tool}_min", min(xs) if xs else None, "s")
            missing = len(results.get((name, tool), [])) - len(xs)
            if missing:
                print(f"# ttff.{name}.{tool}: {missing} run(s) without a first frame")
        xs = [x for x in results.get((name, "inapp"), []) if x is not None]
        bench(f"ttff_inapp.{name}.djtv", median(xs), "s")
        d = median([x for x in results[(name, "djtv")] if x is not None])
        bench(f"ttff.{name}.ratio_ffplay",
              ratio(d, median([x for x in results[(name, "ffplay")] if x is not None])), "x")
        bench(f"ttff.{name}.ratio_mpv",
              ratio(d, median([x for x in results[(name, "mpv")] if x is not None])), "x")


# ---- in-app: OK on a catalogue row to the first frame ----

def https_json(ctx, url, method="GET", token=None, body=None):
    import json
    import urllib.request
    hdrs = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        hdrs["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
        return json.loads(r.read())


def start_djtv_server(tmp, media_url):
    """djtv-server on a free port with a fresh demo DB and a 党教园地 course that plays
    media_url, published through the admin route as a township admin would;
    (process, base URL, TLS context, box token, course row, course id)."""
    import ssl
    d = os.path.join(tmp, "djtv-server")
    os.makedirs(d)
    db = os.path.join(d, "djtv.db")
    subprocess.run([DJTV_SERVER, "demo", "--db", db, "--assets", os.path.join(TOP, "assets"),
                    "--boxes-out", os.path.join(d, "boxes.tsv")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(d, "boxes.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        box = dict(zip(header, f.readline().rstrip("\n").split("\t")))
    with open(os.path.join(d, "accounts.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        admin = next(r for r in (dict(zip(header, x.rstrip("\n").split("\t"))) for x in f)
                     if r["role"] == "admin")
    port = free_port()
    log_f = open(os.path.join(LOGS, "inapp-server.log"), "wb")
    p = start([DJTV_SERVER, "--listen", "127.0.0.1", "--port", str(port), "--cert",
               os.path.join(CERTS, "server.crt"), "--key", os.path.join(CERTS, "server.key"),
               "--db", db, "--assets", os.path.join(TOP, "assets"), "--rate-limit", "0"],
              stdout=log_f, stderr=subprocess.STDOUT)
    base = f"https://127.0.0.1:{port}"
    ctx = ssl.create_default_context(cafile=os.path.join(CERTS, "ca.pem"))
    deadline = time.monotonic() + 20
    while True:
        try:
            https_json(ctx, base + "/health")
            break
        except OSError:
            if p.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("djtv-server did not start; see build/bench-playback/")
            time.sleep(0.05)
    session = https_json(ctx, base + "/api/v1/sessions", "POST",
                         body={"username": admin["username"], "password": admin["password"]})
    course = https_json(ctx, base + "/api/v1/admin/content", "POST", session["token"],
                        {"kind": "课程", "title": "基准测试课程", "category": "党课学习",
                         "duration_s": 60, "media_url": media_url})
    items = https_json(ctx, base + "/api/v1/sections/study/items?page=1&per_page=50",
                       token=box["token"])["items"]
    row = next(i for i, it in enumerate(items) if it["id"] == course["id"])
    return p, base, ctx, box["token"], row, course["id"]


def inapp_suite(env_x, ca, https_port, tmp):
    media_url = f"https://127.0.0.1:{https_port}/hls720/index.m3u8"
    server, base, ctx, token, row, cid = start_djtv_server(tmp, media_url)
    per_page = 4  # 党教园地's posters per page: one row of four
    # RIGHT along the row; the fourth RIGHT turns the page (its first poster focused).
    page_downs = [k for _ in range(row // per_page)
                  for k in (f"RIGHT {per_page}", "wait-screen section.study 20000")]
    page_downs += [f"RIGHT {row % per_page}"] if row % per_page else []
    keys = os.path.join(tmp, "inapp.keys")
    with open(keys, "w") as f:
        f.write("\n".join(["wait-screen home 20000", "RIGHT 2", "OK",
                           "wait-screen section.study 20000", *page_downs,
                           "wait-screen section.study 20000", "wait 500", "OK",
                           "wait-screen player 20000", "wait 300"]) + "\n")
    token_path = os.path.join(tmp, "box.token")
    with open(token_path, "w") as f:
        f.write(token)
    os.chmod(token_path, 0o600)
    env_sdl = dict(env_x, SDL_RENDER_DRIVER=RENDER, SDL_AUDIODRIVER="dummy")
    got = []
    try:
        for rep in range(REPS):
            # No resume question: the position of the last run is cleared first.
            https_json(ctx, f"{base}/api/v1/resume/{cid}", "PUT", token, {"position_ms": 0})
            out = os.path.join(LOGS, f"inapp-{rep}.log")
            with open(out, "wb") as o:
                p = start([DJTV, "--server", base, "--ca", ca, "--token-file", token_path,
                           "--font", FONT, "--keys", keys, "--dump-ui",
                           os.path.join(tmp, f"inapp-{rep}.jsonl")], env=env_sdl,
                          stdin=subprocess.DEVNULL, stdout=o, stderr=subprocess.STDOUT)
                try:
                    p.wait(timeout=90)
                except subprocess.TimeoutExpired:
                    log(f"in-app run {rep} still going after 90 s; stopping it")
                finally:
                    stop(p)
            with open(out, errors="replace") as f:
                m = re.search(r"ok-to-first-frame (\d+) ms", f.read())
            if not m:
                log(f"in-app run {rep}: no ok-to-first-frame line; see {out}")
            got.append(int(m.group(1)) / 1000.0 if m else None)
            time.sleep(0.2)
    finally:
        stop(server)
    xs = [x for x in got if x is not None]
    bench("ttff.inapp.djtv", median(xs), "s")
    bench("ttff.inapp.djtv_min", min(xs) if xs else None, "s")
    if len(xs) < len(got):
        print(f"# ttff.inapp.djtv: {len(got) - len(xs)} run(s) without a first frame")


# ---- CPU, RSS, drops ----

def busy_jiffies():
    """Busy jiffies of the whole machine (idle, iowait and steal left out)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[0] + v[1] + v[2] + v[5] + v[6]


def proc_jiffies(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            v = f.read().rsplit(")", 1)[1].split()
        return int(v[11]) + int(v[12])
    except (OSError, IndexError, ValueError):
        return 0


def run_cpu(cmd, env, tmp, tag, xvfb_pid):
    """(cpu_s, maxrss_MiB, wall_s, output text, other_load cores, xvfb cores) of one run."""
    out_path = os.path.join(LOGS, f"cpu-{tag}.log")
    hz = os.sysconf("SC_CLK_TCK")
    b0, x0, me0 = busy_jiffies(), proc_jiffies(xvfb_pid), os.times()
    with open(out_path, "wb") as out:
        t0 = time.monotonic()
        p = start(cmd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        deadline = t0 + CPU_SECS * 3 + 30
        ru = None
        while ru is None:
            pid, status, r = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                ru = r
                p.returncode = os.waitstatus_to_exitcode(status)
            elif time.monotonic() > deadline:
                log(f"{tag}: still running after {deadline - t0:.0f} s; stopping it")
                os.kill(p.pid, signal.SIGTERM)
                deadline += 5
            else:
                time.sleep(0.05)
        wall = time.monotonic() - t0
    PROCS.remove(p)
    me1 = os.times()
    player = ru.ru_utime + ru.ru_stime
    xv = (proc_jiffies(xvfb_pid) - x0) / hz
    mine = (me1.user - me0.user) + (me1.system - me0.system)
    other = ((busy_jiffies() - b0) / hz - player - xv - mine) / max(wall, 1e-3)
    with open(out_path, "rb") as f:
        text = f.read().decode(errors="replace")
    if p.returncode not in (0, 123):
        log(f"{tag}: exit status {p.returncode}; see {out_path}")
    return player, ru.ru_maxrss / 1024.0, wall, text, max(other, 0.0), xv / max(wall, 1e-3)


def djtv_drops(text):
    m = re.findall(r"final stats (\{.*\})", text)
    if not m:
        return None
    d = re.search(r'"frames_dropped":\s*([0-9.]+)', m[-1])
    return float(d.group(1)) if d else None


def ffplay_drops(text):
    m = re.findall(r"fd=\s*(\d+)", text)
    return float(m[-1]) if m else None


def cpu_suite(env_x, tmp, xvfb_pid):
    n = str(CPU_SECS)
    env_sdl = dict(env_x, SDL_RENDER_DRIVER=RENDER, SDL_AUDIODRIVER="dummy")
    for res in ("720p", "1080p"):
        f = os.path.join(MEDIA, f"{res}.mp4")
        runs = [
            ("djtv", [DJTV, "--play", f, "--play-seconds", n], env_sdl),
            ("ffplay", ["ffplay", "-hide_banner", "-loglevel", "error", "-stats", "-autoexit",
                        "-t", n, "-x", str(WIN_W), "-y", str(WIN_H), f], env_sdl),
            ("mpv", ["mpv", "--no-config", "--no-terminal", "--vo=sdl"] + MPV_SDL
                    + ["--ao=null", f"--end={n}", f"--geometry={WIN_W}x{WIN_H}", f], env_sdl),
            ("djtv_novo", [DJTV, "--headless", "--play", f, "--play-seconds", n,
                           "--play-no-present"], dict(env_x, SDL_AUDIODRIVER="dummy")),
            ("mpv_null", ["mpv", "--no-config", "--no-terminal", "--vo=null", "--ao=null",
                          f"--end={n}", f], env_x),
            ("floor", ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-threads",
                       "1", "-i", f, "-t", n, "-f", "null", "-"], env_x),
        ]
        got = {}
        for tool, cmd, env in runs:
            cpu, rss, wall, text, other, xv = run_cpu(cmd, env, tmp, f"{res}-{tool}",
                                                      xvfb_pid)
            got[tool] = cpu / CPU_SECS
            bench(f"cpu.{res}.{tool}", cpu / CPU_SECS, "s/s")
            if tool in ("djtv", "ffplay", "mpv"):
                got["rss_" + tool] = rss
                bench(f"rss.{res}.{tool}", rss, "MB")
            if tool in ("djtv", "djtv_novo"):
                dr = djtv_drops(text)
                bench(f"drops.{res}.{tool}", dr, "frames")
            if tool == "ffplay":
                bench(f"drops.{res}.ffplay", ffplay_drops(text), "frames")
            print(f"# {res} {tool}: wall {wall:.1f} s, peak RSS {rss:.0f} MiB, Xvfb {xv:.3f} "
                  f"cores, other load {other:.2f} cores", flush=True)
            time.sleep(0.5)
        bench(f"cpu.{res}.ratio_ffplay", ratio(got["djtv"], got["ffplay"]), "x")
        bench(f"cpu.{res}.ratio_floor", ratio(got["djtv_novo"], got["floor"]), "x")
        bench(f"rss.{res}.ratio_ffplay", ratio(got["rss_djtv"], got["rss_ffplay"]), "x")


def main():
    t_start = time.monotonic()
    subprocess.run([os.path.join(TOP, "toolchain", "install-deps.sh"),
                    os.path.join(TOP, "toolchain", "bench-packages.txt")], check=True)
    if not os.access(DJTV, os.X_OK):
        raise RuntimeError(f"{DJTV} is missing: run `make -j2 build/djtv` first")
    if not os.access(DJTV_SERVER, os.X_OK) and not os.environ.get("SKIP_INAPP"):
        raise RuntimeError(f"{DJTV_SERVER} is missing: run `make -j2` first (or SKIP_INAPP=1)")
    subprocess.run([os.path.join(TOP, "toolchain", "make-certs.sh"), CERTS], check=True)
    ca = os.path.join(CERTS, "ca.pem")
    make_media()
    print(METHOD, end="", flush=True)
    os.makedirs(LOGS, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="djtv-playback-")
    fbdir = None
    try:
        xvfb, display, fb, fbdir = start_xvfb(tmp)
        env_x = {k: v for k, v in os.environ.items() if not k.startswith("SDL_")}
        env_x["DISPLAY"] = display
        env_x.pop("WAYLAND_DISPLAY", None)
        screen = Screen(fb)
        inapp_only = bool(os.environ.get("INAPP_ONLY"))
        if inapp_only:
            nginx, https_port = start_nginx(tmp)
            inapp_suite(env_x, ca, https_port, tmp)
            stop(nginx, signal.SIGQUIT, grace=10)
        if not os.environ.get("SKIP_TTFF") and not inapp_only:
            nginx, https_port = start_nginx(tmp)
            udp_port = free_port(socket.SOCK_DGRAM)
            sender = start(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
                   "-stream_loop", "-1", "-i", os.path.join(MEDIA, "720p.ts"), "-c", "copy",
                   "-f", "mpegts", f"udp://127.0.0.1:{udp_port}?pkt_size=1316"],
                  stdout=subprocess.DEVNULL)
            time.sleep(0.5)
            ttff_suite(screen, env_x, ca, https_port, udp_port)
            stop(sender)
            if not os.environ.get("SKIP_INAPP"):
                inapp_suite(env_x, ca, https_port, tmp)
            stop(nginx, signal.SIGQUIT, grace=10)
        if not os.environ.get("SKIP_CPU") and not inapp_only:
            cpu_suite(env_x, tmp, xvfb.pid)
    finally:
        stop_all()
        if fbdir:
            shutil.rmtree(fbdir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"# playback bench took {time.monotonic() - t_start:.0f} s", flush=True)


if __name__ == "__main__":
    def on_signal(sig, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        main()
    except (KeyboardInterrupt, RuntimeError, subprocess.CalledProcessError) as e:
        stop_all()
        log(f"failed: {e!r}")
        sys.exit(1)
