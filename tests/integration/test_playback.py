"""Playback end to end: the real djtv in player mode (`--play URL`, headless), media made at
test time by the ffmpeg CLI (testsrc2 + sine, H.264/AAC, 2 s GOP, 320x240) and served over
HTTPS on 127.0.0.1 (media_https.py, the test CA) or sent as MPEG-TS over UDP. Everything is
checked through the UI dump (texts, and the player screen's "state") and the final stats
line, as a person and a tester would see it. No timing thresholds beyond sanity bounds."""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import harness
from harness import contrast, find_text, texts
from media_https import MediaServer

FPS = 25
SLACK_S = 8 if harness.VALGRIND else 0  # under valgrind a "wait" lets more media play
DURATION = 30
work = None     # temp dir: certificates and media
media = None    # the folder the HTTPS server serves
ca = None
srv = None


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, timeout=120)


def setup_module():
    global work, media, ca, srv
    work = tempfile.mkdtemp(prefix="djtv-playback-")
    ca = harness.make_certs(work)
    media = os.path.join(work, "media")
    os.makedirs(os.path.join(media, "hls"))
    mp4 = os.path.join(media, "a.mp4")
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", str(DURATION),
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-g", str(2 * FPS), "-keyint_min", str(2 * FPS), "-sc_threshold", "0",
           "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-movflags", "+faststart", mp4)
    ffmpeg("-i", mp4, "-c", "copy", "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
           "-hls_segment_type", "mpegts",
           "-hls_segment_filename", os.path.join(media, "hls", "seg%03d.ts"),
           os.path.join(media, "hls", "index.m3u8"))
    ffmpeg("-i", mp4, "-c", "copy", "-f", "mpegts", os.path.join(work, "a.ts"))
    # The same HLS with its third segment (4-6 s) half overwritten with noise.
    shutil.copytree(os.path.join(media, "hls"), os.path.join(media, "hls_bad"))
    bad = os.path.join(media, "hls_bad", "seg002.ts")
    size = os.path.getsize(bad)
    with open(bad, "r+b") as f:
        f.seek(size // 4)
        f.write(os.urandom(size // 2))
    srv = MediaServer(media, work).start()


def teardown_module():
    try:
        teardown_server()
    finally:
        if srv:
            srv.stop()
    shutil.rmtree(work, ignore_errors=True)


class Play:
    def __init__(self, code, log, steps, shots):
        self.code, self.log, self.steps, self.shots = code, log, steps, shots
        m = re.findall(r"final stats (\{.*\})", log)
        self.stats = json.loads(m[-1]) if m else None

    def step(self, i):
        assert len(self.steps) > i, f"only {len(self.steps)} steps; log:\n{self.log[-3000:]}"
        return self.steps[i]

    def state(self, i):
        return self.step(i)["state"]


def play(name, url, keys=None, extra=(), ca_file=None, timeout=60, wrap=()):
    """build/djtv --headless --play URL [--keys ...]; dump and shots in tests/out/NAME."""
    d = harness.out_dir(name)
    cmd = [os.path.join(harness.BUILD, "djtv"), "--headless", "--play", url,
           "--font", harness.FONT, "--log-level", "debug", *extra]
    if ca_file:
        cmd += ["--ca", ca_file]
    dump = os.path.join(d, "ui.jsonl")
    shots = os.path.join(d, "shots")
    if keys is not None:
        keys_path = os.path.join(d, "script.keys")
        with open(keys_path, "w", encoding="utf-8") as f:
            f.write("\n".join(keys) + "\n")
        cmd += ["--keys", keys_path, "--dump-ui", dump, "--screenshot-dir", shots]
    env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy")
    run = harness.run_djtv(cmd, d, dump, shots, env, timeout, wrap)
    return Play(run.code, run.log, run.steps, run.shots)


def check_readable(run):
    """Every text large and at 7:1 on what it sits on; the key hints whenever the OSD or a
    message is up."""
    for step in run.steps:
        for t in step["texts"]:
            assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
            c = contrast(t["fg"], t["bg"])
            assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f} < 7"
        st = step.get("state") or {}
        if st.get("osd") or st.get("phase") in ("error", "prompt", "live_ended"):
            hints = [t for t in step["texts"] if t["y"] >= 952 and "返回" in t["text"]]
            assert hints, f"step {step['step']}: no key-hint bar: {texts(step)}"


def av_ok(st):
    """The A/V difference bound at a sampled step (not checked under valgrind: too slow)."""
    return harness.VALGRIND or st["av_diff_ms"] is None or abs(st["av_diff_ms"]) < 100


def frames_bound(seconds):
    """Frames a real-time player shows in `seconds` of media: generous both ways."""
    return 0.7 * FPS * seconds, 1.15 * FPS * seconds + 5


def test_hls_over_https_plays_in_sync():
    run = play("play_hls", srv.url("hls/index.m3u8"),
               ["wait-screen player 15000"] + ["wait 700"] * 8,
               extra=["--play-seconds", "4", "--play-title", "测试节目"], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert "first frame presented after" in run.log and "since process start" in run.log
    assert run.stats, "no final stats line"
    lo, hi = frames_bound(4)
    if not harness.VALGRIND:
        assert lo <= run.stats["frames_presented"] <= hi, run.stats
    assert run.stats["played_s"] >= 4 and not run.stats["is_live"], run.stats
    assert abs(run.stats["duration_s"] - DURATION) < 1, run.stats
    first = run.step(0)
    assert not first["timeout"] and first["screen"] == "player", first
    assert first["state"]["ttff_ms"] > 0
    sampled = [s["state"] for s in run.steps if s["state"]["player_state"] == "playing"
               and s["state"]["av_diff_ms"] is not None]
    assert sampled, [s["state"] for s in run.steps]
    for st in sampled:
        assert av_ok(st), st
    # The OSD appears after the first frame: title, times and the hint bar.
    osd = [s for s in run.steps if s["state"]["osd"]]
    assert osd and find_text(osd[0], "测试节目") and find_text(osd[0], "/ 00:30"), \
        texts(osd[0]) if osd else "no OSD step"
    check_readable(run)


def test_mp4_over_https_pause_seek_jump_stats():
    run = play("play_mp4", srv.url("a.mp4"), [
        "wait-screen player 15000",  # 0
        "wait 1500",                 # 1
        "OK",                        # 2 pause
        "wait 1500",                 # 3 the position holds
        "RIGHT",                     # 4 +10 s (while paused)
        "wait 2000",                 # 5 landed
        "OK",                        # 6 play again
        "wait 1500",                 # 7
        "5",                         # 8 jump to 50 %
        "wait 2000",                 # 9
        "BLUE",                      # 10 stats overlay
        "wait 300",                  # 11
        "BACK",                      # 12 stop: player mode exits
    ], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    s = [run.state(i) for i in range(13)]
    assert not run.step(0)["timeout"], run.log[-3000:]
    assert s[3]["player_state"] == "paused", s[3]
    assert abs(s[3]["position_s"] - s[2]["position_s"]) < 0.3, (s[2], s[3])
    assert find_text(run.step(3), "已暂停"), texts(run.step(3))
    target = s[3]["position_s"] + 10
    assert abs(s[5]["position_s"] - target) < 1.0, (target, s[5])
    assert s[7]["player_state"] == "playing" and s[7]["position_s"] > s[5]["position_s"] + 0.5
    # Played since the jump: as long as the client's own clock says step 9 came after step 8 (a
    # loaded machine stretches a "wait 2000" and the dump that follows it).
    since_jump = (run.step(9)["t_ms"] - run.step(8)["t_ms"]) / 1000.0
    assert DURATION * 0.5 - 1 <= s[9]["position_s"] <= DURATION * 0.5 + since_jump + 1 + SLACK_S, \
        (since_jump, s[9])
    assert s[11]["stats"] and find_text(run.step(11), "播放信息"), texts(run.step(11))
    assert find_text(run.step(11), "320×240"), texts(run.step(11))
    for st in s[1:12]:
        if st["player_state"] == "playing":
            assert av_ok(st), st
    assert run.stats and run.stats["frames_presented"] > 0, run.stats
    check_readable(run)


def test_corrupt_segment_is_played_through():
    run = play("play_corrupt", srv.url("hls_bad/index.m3u8"), None,
               extra=["--play-seconds", "8"], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert run.stats and run.stats["error"] == "none", run.stats
    assert run.stats["played_s"] >= 8 and run.stats["position_s"] > 7, run.stats


def test_missing_media_says_not_found_and_back_exits():
    run = play("play_404", srv.url("nothing/here.m3u8"),
               ["wait-text 找不到这个节目 15000", "BACK"], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    step = run.step(0)
    assert not step["timeout"], texts(step)
    assert step["state"]["phase"] == "error" and step["state"]["error"] == "not_found"
    check_readable(run)


def test_wrong_ca_says_it_cannot_trust_the_server():
    d = harness.out_dir("play_wrong_ca_certs")
    wrong = harness.make_certs(d, "wrong")
    run = play("play_wrong_ca", srv.url("a.mp4"), ["wait-text 无法确认服务器身份 15000", "BACK"],
               ca_file=wrong)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert not run.step(0)["timeout"], texts(run.step(0))
    assert run.state(0)["error"] == "tls", run.state(0)
    check_readable(run)


def test_headless_without_a_script_just_plays_and_stops():
    run = play("play_plain", srv.url("a.mp4"), None, extra=["--play-seconds", "2"], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert run.stats and run.stats["played_s"] >= 2 and run.stats["frames_presented"] > 0


def test_no_present_decodes_and_times_without_showing():
    run = play("play_no_present", srv.url("a.mp4"), None,
               extra=["--play-seconds", "2", "--play-no-present"], ca_file=ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert "first frame presented after" in run.log
    lo, hi = frames_bound(2)
    assert run.stats and run.stats["played_s"] >= 2, run.stats
    if not harness.VALGRIND:
        assert lo <= run.stats["frames_presented"] <= hi, run.stats


def test_sigterm_stops_cleanly_with_final_stats():
    d = harness.out_dir("play_sigterm")
    cmd = [os.path.join(harness.BUILD, "djtv"), "--headless", "--play", srv.url("a.mp4"),
           "--ca", ca, "--font", harness.FONT]
    env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy")
    log_path = os.path.join(d, "client.log")
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and proc.poll() is None:
                with open(log_path, encoding="utf-8", errors="replace") as f:
                    if "first frame presented" in f.read():
                        break
                time.sleep(0.05)
            time.sleep(0.5)
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    with open(log_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    assert code == 0, f"exit {code}; log:\n{text[-3000:]}"
    m = re.findall(r"final stats (\{.*\})", text)
    assert m and json.loads(m[-1])["frames_presented"] > 0, text[-2000:]


class Sender:
    """ffmpeg sending the test TS in real time (looped) to a UDP address, stopped by pid."""

    def __init__(self, url, wrap=()):
        self.cmd = [*wrap, "ffmpeg", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1",
                    "-i", os.path.join(work, "a.ts"), "-c", "copy", "-f", "mpegts", url]
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def test_udp_unicast_live_plays():
    port = harness.free_port()
    sender = Sender(f"udp://127.0.0.1:{port}?pkt_size=1316").start()
    try:
        run = play("play_udp", f"udp://127.0.0.1:{port}",
                   ["wait-screen player 15000", "wait 1000", "wait 1000"],
                   extra=["--play-seconds", "3", "--play-title", "村里直播"])
    finally:
        sender.stop()
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert run.stats and run.stats["is_live"] and run.stats["frames_presented"] > 0, run.stats
    live = [s for s in run.steps if s["state"]["osd"]]
    assert live and find_text(live[0], "直播"), [texts(s) for s in run.steps]
    for s in run.steps:
        st = s["state"]
        if st["player_state"] == "playing":
            assert av_ok(st), st
    check_readable(run)


def test_udp_multicast_plays_in_a_network_namespace():
    """Multicast on loopback needs a route for 224.0.0.0/4; a private network namespace gets
    one without touching the host. Sender and player both run inside it."""
    port = harness.free_port()
    group = f"udp://239.255.42.1:{port}"
    d = harness.out_dir("play_multicast_ns")
    script = os.path.join(d, "ns.sh")
    with open(script, "w") as f:
        f.write("set -e\nip link set lo up\nip route add 224.0.0.0/4 dev lo\n"
                "ffmpeg -nostdin -v error -re -stream_loop -1 -i \"$1\" -c copy -f mpegts "
                "\"$2?pkt_size=1316&ttl=1\" &\nS=$!\nshift 2\nset +e\n\"$@\"\nrc=$?\n"
                "kill $S\nwait $S\nexit $rc\n")
    # The same namespace set-up once on its own: where it cannot be made (no root, no ip), the
    # test is skipped with the reason rather than failing on the host's network.
    probe = subprocess.run(["unshare", "-n", "sh", "-c", "set -e\nip link set lo up\n"
                            "ip route add 224.0.0.0/4 dev lo\n"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise harness.Skip("cannot set up a network namespace with a multicast route here: "
                           + (probe.stderr.strip() or f"exit {probe.returncode}"))
    run = play("play_multicast", group, ["wait-screen player 15000", "wait 1000"],
               extra=["--play-seconds", "2"],
               wrap=["unshare", "-n", "sh", script, os.path.join(work, "a.ts"), group])
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert run.stats and run.stats["is_live"] and run.stats["frames_presented"] > 0, run.stats


def test_udp_live_reconnects_after_the_sender_stops():
    port = harness.free_port()
    url = f"udp://127.0.0.1:{port}?pkt_size=1316"
    sender = Sender(url).start()
    stop = threading.Event()

    def outage():
        # Playing for a while, silent for longer than the player's stall limit, then back.
        if stop.wait(4):
            return
        sender.stop()
        if stop.wait(4.5):
            return
        sender.start()

    t = threading.Thread(target=outage)
    t.start()
    try:
        run = play("play_reconnect", f"udp://127.0.0.1:{port}", [
            "wait-screen player 15000",          # 0
            "wait-text 正在重新连接 15000",        # 1
            "wait 7000",                         # 2: back by itself
            "wait 1000",                         # 3
        ])
    finally:
        stop.set()
        t.join()
        sender.stop()
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    assert not run.step(1)["timeout"], [texts(s) for s in run.steps]
    assert run.state(1)["player_state"] == "reconnecting", run.state(1)
    back = run.state(3)
    assert back["player_state"] == "playing", back
    assert back["frames_presented"] > run.state(1)["frames_presented"] + FPS // 2, \
        (run.state(1), back)
    check_readable(run)


# ---- with the real djtv-server: resume positions and live heartbeats ----

_server = None   # (harness.Server, MediaServer with the server's certificate), made on first use


def server_and_media():
    """The real djtv-server (demo data) and a media server with the same CA, so one --ca
    pins both, as on a box."""
    global _server
    if _server is None:
        s = harness.Server("playback").start()
        _server = (s, MediaServer(media, s.dir).start())
    return _server


def teardown_server():
    global _server
    if _server:
        s, m = _server
        m.stop()
        code = s.stop()
        s.cleanup()
        _server = None
        assert code == 0, f"djtv-server exit code {code}"


def box_args(s, name):
    d = harness.out_dir(name + "_token")
    path = os.path.join(d, "token")
    with open(path, "w") as f:
        f.write(s.boxes[0]["token"])
    os.chmod(path, 0o600)
    return ["--server", s.url, "--token-file", path]


def test_resume_is_offered_honoured_and_saved_on_exit():
    s, m = server_and_media()
    tok = s.boxes[0]["token"]
    status, listing = s.get("/api/v1/sections/study/items", tok)
    assert status == 200 and listing["items"], listing
    item = listing["items"][0]["id"]
    status, body = s.request("PUT", f"/api/v1/resume/{item}", tok, {"position_ms": 12000})
    assert status == 200, (status, body)
    run = play("play_resume", m.url("a.mp4"), [
        "wait-text 继续播放 10000",   # 0: the question
        "OK",                          # 1: yes, go on
        "wait-screen player 10000",    # 2
        "wait 1500",                   # 3
        "BACK",                        # 4: leave: the position is saved
    ], extra=[*box_args(s, "play_resume"), "--play-item", str(item), "--play-title", "党课"],
        ca_file=s.ca)
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    q = run.step(0)
    assert not q["timeout"] and q["state"]["phase"] == "prompt", texts(q)
    assert find_text(q, "从上次看到的 00:12 继续播放？"), texts(q)
    assert q["state"]["resume_offer_s"] == 12
    at = run.state(3)["position_s"]
    assert 11.5 <= at <= 16 + SLACK_S, run.state(3)
    status, saved = s.get(f"/api/v1/resume/{item}", tok)
    assert status == 200, saved
    assert at * 1000 - 1000 <= saved["position_ms"] <= at * 1000 + 3000, (at, saved)
    check_readable(run)


def test_live_heartbeat_reaches_the_server():
    s, m = server_and_media()
    tok = s.boxes[0]["token"]
    status, home = s.get("/api/v1/home", tok)
    assert status == 200 and home["live_now"], home
    bid = home["live_now"][0]["id"]
    port = harness.free_port()
    sender = Sender(f"udp://127.0.0.1:{port}?pkt_size=1316").start()
    try:
        run = play("play_heartbeat", f"udp://127.0.0.1:{port}", None,
                   extra=[*box_args(s, "play_heartbeat"), "--play-broadcast", str(bid),
                          "--play-seconds", "2"], ca_file=s.ca)
    finally:
        sender.stop()
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    rows = s.sql("SELECT box_id FROM heartbeats WHERE broadcast_id = ?", (bid,))
    assert rows, "no heartbeat recorded; client log:\n" + run.log[-2000:]


def test_ended_broadcast_says_so_and_offers_the_replay():
    s, m = server_and_media()
    tok = s.boxes[0]["token"]
    status, home = s.get("/api/v1/home", tok)
    bid = home["live_now"][0]["id"]
    staff = next(n for n, r in s.accounts.items() if r["role"] == "staff")
    status, body = s.request("POST", f"/api/v1/broadcasts/{bid}/stop", s.token_of(staff))
    assert status == 200, (status, body)
    port = harness.free_port()
    sender = Sender(f"udp://127.0.0.1:{port}?pkt_size=1316").start()
    stop = threading.Event()

    def broadcast_stops():  # the studio goes off the air a little after the box joined
        if not stop.wait(3):
            sender.stop()

    t = threading.Thread(target=broadcast_stops)
    t.start()
    try:
        run = play("play_live_ended", f"udp://127.0.0.1:{port}", [
            "wait-screen player 15000",     # 0
            "wait-text 直播已结束 15000",     # 1
            "OK",                           # 2: the replay
            "wait-screen player 15000",     # 3
            "wait 1000",                    # 4
            "BACK",                         # 5
        ], extra=[*box_args(s, "play_live_ended"), "--play-broadcast", str(bid),
                  "--play-replay", m.url("a.mp4"), "--play-title", "党群直通日"], ca_file=s.ca)
    finally:
        stop.set()
        t.join()
        sender.stop()
    assert run.code == 0, f"exit {run.code}; log:\n{run.log[-3000:]}"
    ended = run.step(1)
    assert not ended["timeout"] and ended["state"]["phase"] == "live_ended", texts(ended)
    assert find_text(ended, "看回放"), texts(ended)
    replay = run.state(4)
    assert replay["replay"] and replay["player_state"] == "playing", replay
    assert not replay["is_live"] and replay["frames_presented"] > 0, replay
    check_readable(run)
