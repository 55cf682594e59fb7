"""Live broadcasting end to end against the real server: djtv-cast (the real publisher)
sends its test pattern over HTTPS with the publishing key, boxes watch (the real headless
client with heartbeats, and API-level boxes), the cadre runs the roll call, stops, and the
recording becomes a replay that is listed (a poster card in 党群直播) and plays. Then what must be refused, an uplink cut
for 20 s, and a server killed mid-broadcast."""
import os
import secrets
import shutil
import tempfile
import time

import harness
import livecast

server = None
work = None
VILLAGE = "东村"


def setup_module():
    global server, work
    work = tempfile.mkdtemp(prefix="djtv-live-")
    server = harness.Server("live")
    server.start(["--media", os.path.join(server.dir, "media"), "--live-idle", "60"])


def teardown_module():
    server.finish(work)


def cadre():
    return server.token_of(server.cadre_of(VILLAGE))


def wait_for(fn, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = fn()
        if v:
            return v
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def ts_segment(n_packets=100):
    return b"".join(b"\x47" + bytes(187) for _ in range(n_packets))


def put_segment(bid, seq, key, body=None, headers=None):
    h = {"Content-Type": "video/mp2t", "X-Segment-Duration": "1.000"}
    h.update(headers or {})
    return server.request("PUT", f"/live/{bid}/seg{seq}.ts", key,
                          ts_segment() if body is None else body, h)


def listed(box, bid):
    status, page = server.get("/api/v1/sections/live/items?per_page=50", box)
    assert status == 200, page
    return next((b for b in page["items"] if b["id"] == bid), None)


def test_meeting_is_published_watched_rolled_called_and_replayed():
    token = cadre()
    b, key = livecast.start_broadcast(server, token, "东村十二月主题党日直播")
    bid = b["id"]
    cast = livecast.Cast(work, server.url, server.ca, bid, key).start()
    boxes = [server.box_of(VILLAGE, i) for i in range(3)]
    player = None
    try:
        cast.wait_sent(3)
        # An API-level box reads the live window and a segment, as a player does.
        status, playlist = server.get(f"/live/{bid}/index.m3u8", boxes[1])
        assert status == 200 and playlist.startswith("#EXTM3U"), playlist
        assert "#EXT-X-ENDLIST" not in playlist
        seg = [ln for ln in playlist.splitlines() if ln.endswith(".ts")][-1]
        status, _ = server.request("HEAD", f"/live/{bid}/{seg}", boxes[1])
        assert status == 200
        status, _ = server.get(f"/live/{bid}/index.m3u8")
        assert status == 401, "no token, no stream"
        # Box 0 is the real client: it plays the broadcast and sends heartbeats itself.
        player = livecast.Player("live_box0", server, boxes[0], server.url + b["playback_url"],
                                 extra=["--play-broadcast", str(bid), "--play-seconds", "90"]).start()
        for box in boxes[1:]:
            status, hb = server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", box)
            assert status == 200, hb
        wait_for(lambda: server.sql("SELECT 1 FROM heartbeats h JOIN boxes x ON x.id = h.box_id"
                                    " WHERE h.broadcast_id = ? AND x.token_hash IS NOT NULL"
                                    " GROUP BY h.broadcast_id HAVING count(*) >= 3", (bid,)),
                 30, "the real client's heartbeat")
        # Roll call: boxes 0 and 1 sign a member in, box 2 does not.
        status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", token)
        assert status == 200, rc
        signed = []
        for box in boxes[:2]:
            member = server.members(box)[0]
            status, ck = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/checkins", box,
                                        {"member_id": member})
            assert status == 200 and ck["first"], ck
            signed.append(member)
        missing = server.members(boxes[2])
        status, s = server.get(f"/api/v1/rollcalls/{rc['id']}/signins", token)
        assert status == 200, s
        assert sorted(m["member_id"] for m in s["checked_in"]) == sorted(signed), s
        absent = {m["member_id"] for m in s["absent"]}
        assert set(missing) <= absent and not set(signed) & absent, s
        assert s["rollcall"]["checked_in"] == 2
        # Some more of the meeting (a replay long enough to be worth resuming).
        cast.wait_sent(round(24 / cast.segment_s), timeout=60)
        # The cadre stops: the publisher is refused from then on and stops by itself.
        status, stopped = server.request("POST", f"/api/v1/broadcasts/{bid}/stop", token)
        assert status == 200 and stopped["state"] == "ended", stopped
        assert cast.wait(30) == 3, cast.log_text()[-2000:]
        code = player.wait(40)
        stats = player.stats()
        assert stats and stats["is_live"] and stats["frames_presented"] > 50, (code, stats)
    finally:
        cast.stop()
        if player:
            player.stop()
    sent = cast.status()["sent"]
    # The recording becomes a replay by itself: listed among past meetings, and it plays.
    past = wait_for(lambda: (lambda x: x if x and x["recording_state"] == "ready" else None)(
        listed(boxes[2], bid)), 90, "the replay")
    assert past["state"] == "ended" and past["recording_url"].startswith("/media/replays/"), past
    status, replay = server.get(past["recording_url"], boxes[2])
    assert status == 200 and "#EXT-X-ENDLIST" in replay, replay
    total = sum(float(ln[8:].rstrip(",")) for ln in replay.splitlines() if ln.startswith("#EXTINF:"))
    assert abs(total - sent * cast.segment_s) <= 2, (total, sent, cast.segment_s)
    status, _ = server.request("HEAD", f"/media/replays/{bid}/poster.jpg", boxes[2])
    assert status == 200, "the replay has a poster frame"
    # The replay is also a video (会议回放) of the village, resumed where a box stopped.
    item = past["replay_item_id"]
    status, it = server.get(f"/api/v1/items/{item}", boxes[2])
    assert status == 200 and it["title"] == "会议回放：东村十二月主题党日直播", it
    assert it["course"]["category"] == "会议回放" and it["course"]["media_url"] == past["recording_url"], it
    watch = livecast.Player("live_replay", server, boxes[2], server.url + past["recording_url"],
                            extra=["--play-seconds", "12", "--play-item", str(item)]).start()
    code = watch.wait(60)
    stats = watch.stats()
    assert code == 0 and stats and not stats["is_live"] and stats["frames_presented"] > 100, (code, stats)
    assert abs(stats["duration_s"] - total) < 1.5, stats
    status, pos = server.get(f"/api/v1/resume/{item}", boxes[2])
    assert status == 200 and pos["position_ms"] >= 10000, pos
    # On the TV: the past meeting is a card of 党群直播's poster grid with the replay's poster
    # frame, begun ("继续观看" and its watched bar); the meeting on air (the demo's township
    # meeting) is marked 正在直播; OK on the replay offers to go on from there.
    status, page = server.get("/api/v1/sections/live/items?per_page=8", boxes[2])
    assert status == 200, page
    ids = [x["id"] for x in page["items"]]
    row = ids.index(bid)  # on the first page: the grid's 4x2 cards
    card = page["items"][row]
    assert card["picture"] == f"/media/replays/{bid}/poster.jpg", card
    assert card["duration_s"] == it["duration_s"], (card, it)
    live_rows = [i for i, x in enumerate(page["items"]) if x["state"] == "live"]
    assert live_rows, page["items"]
    keys = ["wait-screen home 20000", "RIGHT", "OK", "wait-screen section.live",
            'wait-gone "图片加载中" 15000']                          # steps 0..4
    keys += [f"DOWN {row // 4}" if row // 4 else "wait 10",           # 5
             f"RIGHT {row % 4}" if row % 4 else "wait 10",            # 6: on the replay
             "OK", "wait 3000"]
    run = harness.run_client("live_replay_from_list", server.url, server.ca, boxes[2], keys)
    assert run.code == 0, run.log[-3000:]
    grid = run.step(6)
    st = grid["state"]
    assert st["ids"] == ids and grid["focus"] == f"broadcast.{bid}", (st, grid["focus"])
    assert st["pictures"] >= 1 and st["pictures"] == st["pictures_ready"], st
    poster = [w for w in grid["widgets"] if w["name"] == f"poster.{bid}"]
    assert poster and poster[0]["state"].startswith("ready"), grid["widgets"]
    assert 0 < st["watched"][row] < 1000, st["watched"]
    assert st["marks"][row] is None and harness.find_text(grid, "继续观看"), st["marks"]
    for i in live_rows:
        assert st["marks"][i] == "正在直播", st["marks"]
    assert harness.find_text(grid, "正在直播"), harness.texts(grid)
    last = run.last()
    assert last["screen"] == "player" and last["state"]["phase"] == "prompt", last["state"]
    assert any("继续" in t for t in harness.texts(last)), harness.texts(last)
    # And a segment for the ended broadcast is refused, with the right key too.
    status, err = put_segment(bid, 10_000, key)
    assert status == 409 and err["code"] == "broadcast_not_live", err


def test_wrong_old_or_missing_key_and_bad_uploads_are_refused():
    token = cadre()
    b, key = livecast.start_broadcast(server, token, "钥匙测试")
    bid = b["id"]
    status, err = put_segment(bid, 0, None)
    assert status == 401, err
    status, err = put_segment(bid, 0, secrets.token_hex(32))
    assert status == 403 and err["code"] == "bad_publish_key", err
    # An old key: the one of another broadcast that was started before.
    other, old_key = livecast.start_broadcast(server, token, "旧的直播")
    server.request("POST", f"/api/v1/broadcasts/{other['id']}/stop", token)
    status, err = put_segment(bid, 0, old_key)
    assert status == 403 and err["code"] == "bad_publish_key", err
    status, err = put_segment(999999, 0, key)
    assert status == 404, err
    # Malformed uploads, with the right key.
    assert put_segment(bid, 0, key, body=b"not a transport stream")[0] == 400
    assert put_segment(bid, 0, key, headers={"X-Segment-Duration": "60"})[0] == 400
    assert put_segment(bid, 0, key, headers={"X-Segment-Duration": "abc"})[0] == 400
    assert put_segment(bid, 0, key, headers={"X-Multicast": "udp://10.0.0.1:5000"})[0] == 400
    assert server.request("PUT", f"/live/{bid}/index.m3u8", key, b"#EXTM3U\n")[0] == 400
    assert server.request("PUT", f"/live/{bid}/../seg1.ts", key, ts_segment())[0] in (400, 404)
    # A good one, then the same number again (a retry) and an older one.
    status, ok = put_segment(bid, 5, key)
    assert status == 201 and ok["seq"] == 5, ok
    status, again = put_segment(bid, 5, key)
    assert status == 200 and again["duplicate"], again
    status, err = put_segment(bid, 4, key)
    assert status == 409, err
    # A jump in numbers marks a gap in the live playlist.
    assert put_segment(bid, 9, key)[0] == 201
    box = server.box_of(VILLAGE)
    status, playlist = server.get(f"/live/{bid}/index.m3u8", box)
    assert playlist.count("#EXT-X-DISCONTINUITY\n") == 1, playlist
    # Over 8 MiB, announced: refused before the body is read.
    status, err = server.oversize("PUT", f"/live/{bid}/seg10.ts", key, size=9 * 1024 * 1024)[0]
    assert status == 413, err
    # A box or a cadre cannot publish with their own credentials.
    assert put_segment(bid, 11, box)[0] == 403
    assert put_segment(bid, 11, token)[0] == 403
    server.request("POST", f"/api/v1/broadcasts/{bid}/stop", token)


def test_uplink_cut_for_20_s_then_restored_boxes_continue():
    token = cadre()
    b, key = livecast.start_broadcast(server, token, "断网测试")
    bid = b["id"]
    proxy = livecast.CutProxy(server.port)
    cast = livecast.Cast(work, f"https://127.0.0.1:{proxy.port}", server.ca, bid, key).start()
    box = server.box_of(VILLAGE, 1)
    player = livecast.Player("live_uplink_cut", server, box, server.url + b["playback_url"],
                             extra=["--play-broadcast", str(bid)],
                             keys=["wait-screen player 20000", "wait 3000", "shot",
                                   "wait 21000", "shot", "wait 8000", "shot"])
    try:
        cast.wait_sent(3)
        player.start()
        time.sleep(4)
        before = cast.status()["sent"]
        proxy.cut()
        time.sleep(20)
        during = cast.status()
        assert not during["up"] and during["queued"] >= 15, during
        proxy.restore()
        after = wait_for(lambda: (lambda s: s if s.get("queued", 99) <= 2 and s["sent"] > before + 20 else None)(
            cast.status()), 30, "the backlog to go up")
        assert after["reconnects"] >= 1 and after["dropped"] == 0, after
        code = player.wait(60)
    finally:
        cast.stop()
        player.stop()
        proxy.close()
        server.request("POST", f"/api/v1/broadcasts/{bid}/stop", token)
    steps = [s for s in player.steps() if s.get("cmd") == "shot"]
    assert len(steps) == 3, (code, player.log_text()[-3000:])
    frames = [s["state"]["frames_presented"] for s in steps]
    pos = [s["state"]["position_s"] for s in steps]
    assert steps[-1]["screen"] == "player" and steps[-1]["state"]["player_state"] == "playing", steps[-1]["state"]
    assert steps[-1]["state"]["error"] == "none", steps[-1]["state"]
    # The box plays on after the uplink is back: the programme moves on, picture and sound.
    assert pos[2] > pos[1] + 5, f"the box plays on after the uplink is back: {pos}, frames {frames}"
    assert frames[2] > frames[1] + 60, f"the picture moves on after the uplink is back: {frames}, {pos}"
    # Nothing was lost: the recording has every segment, numbers without a hole.
    rec = open(os.path.join(server.dir, "media", "live", str(bid), "recording.m3u8")).read()
    seqs = [int(ln[3:-3]) for ln in rec.splitlines() if ln.startswith("seg")]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), seqs


def test_a_server_killed_mid_broadcast_leaves_a_playable_recording():
    token = cadre()
    b, key = livecast.start_broadcast(server, token, "断电测试")
    bid = b["id"]
    cast = livecast.Cast(work, server.url, server.ca, bid, key).start()
    try:
        cast.wait_sent(round(4 / cast.segment_s))
        server.proc.kill()  # no clean shutdown
        server.proc.wait()
        server.log.close()
        server.proc = None
    finally:
        cast.stop()
    server.start(["--media", os.path.join(server.dir, "media"), "--live-idle", "3"])
    box = server.box_of(VILLAGE)
    status, rec = server.get(f"/live/{bid}/recording.m3u8", box)
    assert status == 200 and rec.count(".ts") >= 4, rec
    # The silent publisher's broadcast ends by itself, and what arrived becomes the replay.
    past = wait_for(lambda: (lambda x: x if x and x["recording_state"] == "ready" else None)(
        listed(box, bid)), 60, "the replay after the crash")
    assert past["state"] == "ended", past
    p = livecast.Player("live_after_crash", server, box, server.url + past["recording_url"],
                        extra=["--play-seconds", "2"]).start()
    code = p.wait(60)
    assert code == 0 and p.stats()["frames_presented"] > 20, p.stats()


def test_quota_refuses_more_than_the_broadcast_may_store():
    q = harness.Server("live-quota")
    try:
        q.start(["--media", os.path.join(q.dir, "media"), "--live-quota-mb", "1"])
        t = q.token_of(q.cadre_of(VILLAGE))
        b, key = livecast.start_broadcast(q, t, "配额测试")
        body = ts_segment(2000)  # 376 000 bytes
        codes = [q.request("PUT", f"/live/{b['id']}/seg{i}.ts", key, body,
                           {"X-Segment-Duration": "1"})[0] for i in range(4)]
        assert codes == [201, 201, 507, 507], codes
    finally:
        q.finish()


def test_multicast_plays_and_falls_back_to_https_in_a_network_namespace():
    """Only inside a network namespace the test makes (lo up, a route for 224.0.0.0/4): the
    server, djtv-cast with --multicast and the real client all run in it."""
    import subprocess
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    assert probe.returncode == 0, f"cannot make a network namespace here: {probe.stderr!r}"
    here = os.path.dirname(os.path.abspath(__file__))
    p = subprocess.run(["unshare", "-n", "python3", os.path.join(here, "live_netns.py")],
                       capture_output=True, text=True, timeout=180,
                       env=dict(os.environ, DJTV_BUILD=harness.BUILD))
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-4000:]
