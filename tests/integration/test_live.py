"""Live broadcasting end to end against the real server: djtv-cast (the real publisher)
sends its test pattern over HTTPS with the publishing key, three real headless boxes watch
(heartbeats) and sign in at the roll call with the remote, the cadre runs the roll call and
stops the meeting from cadre mode on a fourth box, and the recording becomes a replay that is
listed (a poster card in 党群直播) and plays. Then what must be refused, an uplink cut for 20 s, and a server killed
mid-broadcast. Screenshots stay in tests/out/live_*/shots."""
import os
import secrets
import subprocess
import tempfile
import time

import boxflow
import harness
import livecast
from harness import texts

server = None
work = None
VILLAGE = "东村"
# The meeting's own small village: three households of one member each, and the activity room.
MEETING_VILLAGE = "会场村"
PEOPLE = ["赵大明", "钱二妹", "孙三根"]
CADRE = "cadre_hc"
TITLE = "会场村十二月主题党日直播"
room = {}


def setup_module():
    global server, work
    work = tempfile.mkdtemp(prefix="djtv-live-")
    server = harness.Server("live")
    server.start(["--media", os.path.join(server.dir, "media"), "--live-idle", "60"])
    room.update(boxflow.small_village(server, MEETING_VILLAGE, PEOPLE, CADRE, "13912340001",
                                      "135702", room=True))


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


def member_box_keys(row, sign_in):
    """A member's box: 党群直播, the live meeting on ROW, watch; when the roll call's prompt
    comes, OK signs the household in (SIGN_IN) or the member lets it be."""
    keys = ["wait-screen home 30000",            # 1
            "RIGHT", "OK",                        # 2, 3 党群直播
            "wait-screen section.live 30000",    # 4
            f"DOWN {row}" if row else "wait 10",  # 5
            "OK",                                 # 6 the live meeting
            "wait-screen player 30000",          # 7
            "wait-text 点名签到 240000",           # 8 the cadre opened the roll call
            "shot"]                               # 9
    if sign_in:
        keys += ["OK",                            # 10
                 "wait-text 签到成功 30000",        # 11
                 "shot"]                          # 12
    return keys


def cadre_tv_keys():
    """The activity room's box: cadre mode with the keypad, the roll call opened from the TV;
    once two of three are in and the township's duty check has come, it is answered with OK
    and the meeting stopped."""
    return [
        "wait-screen home 30000",                 # 1
        "MENU",                                   # 2 cadre mode's door
        "wait-text 请输入手机号 20000",             # 3
        *room["phone"], "OK",                     # 4..15
        "wait-text 登录密码 20000",                 # 16
        *room["pin"], "OK",                       # 17..23
        "wait-screen cadre 30000",                # 24
        "wait-text 正在直播 30000",                 # 25
        "wait-text 开始点名 30000",                 # 26
        "LEFT 3",                                 # 27
        "OK",                                     # 28 开始点名
        "wait-text 点名中 30000",                   # 29
        "wait-text 已签到 2 / 3 人 240000",          # 30
        "shot",                                   # 31
        "wait-text 值班应答 240000",                # 32 the township's duty check
        "LEFT 3",                                 # 33
        "OK",                                     # 34 值班应答
        "wait-text 已经应答 30000",                 # 35
        "LEFT 3", "RIGHT",                        # 36, 37
        "OK",                                     # 38 结束会议
        "wait-text 录像会自动变成回放 60000",        # 39
        "shot",                                   # 40
        "BACK",                                   # 41 leave cadre mode
        "wait-screen home 30000",                 # 42
    ]


def test_meeting_is_published_watched_rolled_called_and_replayed():
    """As the issue writes it: djtv-cast publishes its test pattern; three real headless boxes
    join the meeting from 党群直播 and send heartbeats; the cadre, on a fourth box in cadre
    mode, opens the roll call from the TV; two boxes sign in with OK on the prompt; the
    cadre's screen shows 2 of 3 and names the one missing; a duty check from the township is
    answered with OK there; the cadre stops the meeting from the TV; the replay is listed and
    plays."""
    boxflow.end_all_live(server)  # the demo's township meeting: this one is the village's own
    status, login = server.login(CADRE, room["password"])
    assert status == 200, login
    token = login["token"]
    b, key = livecast.start_broadcast(server, token, TITLE)
    bid = b["id"]
    cast = livecast.Cast(work, server.url, server.ca, bid, key).start()
    homes = room["boxes"]
    members = [server.members(box)[0] for box in homes]
    clients, tv = [], None
    try:
        cast.wait_sent(3)
        # The live window as a player reads it, and only with a token.
        status, playlist = server.get(f"/live/{bid}/index.m3u8", homes[0])
        assert status == 200 and playlist.startswith("#EXTM3U"), playlist
        assert "#EXT-X-ENDLIST" not in playlist
        seg = [ln for ln in playlist.splitlines() if ln.endswith(".ts")][-1]
        status, _ = server.request("HEAD", f"/live/{bid}/{seg}", homes[0])
        assert status == 200
        status, _ = server.get(f"/live/{bid}/index.m3u8")
        assert status == 401, "no token, no stream"
        # Three members' boxes join from 党群直播 and watch (the real client: heartbeats).
        status, page = server.get("/api/v1/sections/live/items?per_page=50", homes[0])
        assert status == 200, page
        row = [x["id"] for x in page["items"]].index(bid)
        clients = [boxflow.LiveClient(f"live_box{i}", server, box, member_box_keys(row, i < 2))
                   for i, box in enumerate(homes)]
        boxflow.wait_for(lambda: server.sql(
            "SELECT count(DISTINCT h.box_id) FROM heartbeats h JOIN boxes x ON x.id = h.box_id"
            " JOIN households hh ON hh.id = x.household_id"
            " WHERE h.broadcast_id = ? AND hh.village_id = ?", (bid, room["id"]))[0][0] == 3,
            90, "three boxes watching, each with a heartbeat")
        # The cadre on the activity room's box opens the roll call; two boxes sign in.
        tv = boxflow.LiveClient("live_cadre_tv", server, room["room"], cadre_tv_keys())
        tv.wait_step(31, timeout=240)
        # Some more of the meeting (a replay long enough to be worth resuming), then the
        # township checks that the cadre is on duty.
        cast.wait_sent(round(24 / cast.segment_s), timeout=60 * harness.SLOWDOWN)
        staff = server.token_of("staff1")
        status, check = server.request("POST", "/api/v1/staff/duty-checks", staff,
                                       {"village_id": room["id"]})
        assert status == 200, check
        # The TV stops the meeting: the publisher is refused from then on and stops by itself.
        assert cast.wait(120 * harness.SLOWDOWN) == 3, cast.log_text()[-2000:]
    finally:
        cast.stop()
        runs = [c.finish(timeout=60) for c in clients]
        tv_run = tv.finish(timeout=120) if tv else None
    for i, run in enumerate(runs):
        assert run.code == 0, (i, run.log[-3000:])
        watching = run.step(8)
        assert not watching.get("timeout") and watching["screen"] == "player", texts(watching)
        assert "rollcall" in watching["overlays"], watching["overlays"]
        assert watching["state"]["frames_presented"] > 0, watching["state"]
    for run in runs[:2]:
        signed = run.step(10)
        assert not signed.get("timeout"), texts(signed)
    assert len(runs[2].steps) == 9, "the third box never pressed OK"
    ins = server.sql("SELECT c.member_id, c.box_id FROM checkins c JOIN rollcalls r"
                     " ON r.id = c.rollcall_id WHERE r.broadcast_id = ? ORDER BY c.member_id",
                     (bid,))
    assert sorted(m for m, _ in ins) == sorted(members[:2]), ins
    # The cadre's screen: 2 of 3, by name, and the one missing.
    steps = tv_run.steps
    assert tv_run.code == 0, tv_run.log[-3000:]
    assert steps[26]["focus"] == "cadre.开始点名", steps[26]["focus"]
    counted = steps[30]
    assert not counted.get("timeout"), texts(counted)
    st = counted["state"]
    assert st["expected"] == 3 and st["checked_in"] == 2, st
    assert st["missing"] == [PEOPLE[2]] and sorted(st["signed"]) == sorted(PEOPLE[:2]), st
    assert any(PEOPLE[2] in t for t in texts(counted)), texts(counted)
    # The duty check reached the TV and OK answered it.
    assert not steps[31].get("timeout") and steps[31]["state"]["duty_id"] == check["id"]
    assert steps[32]["focus"] == "cadre.值班应答", steps[32]["focus"]
    assert not steps[34].get("timeout"), texts(steps[34])
    assert server.sql("SELECT state FROM duty_checks WHERE id = ?",
                      (check["id"],)) == [("on_duty",)]
    # 结束会议 on the TV ended the broadcast.
    assert steps[36]["focus"] == "cadre.结束会议", steps[36]["focus"]
    assert not steps[38].get("timeout"), texts(steps[38])
    assert server.sql("SELECT state FROM broadcasts WHERE id = ?", (bid,)) == [("ended",)]
    assert steps[41]["screen"] == "home" and not steps[41].get("timeout")
    sent = cast.status()["sent"]
    # The recording becomes a replay by itself: listed among past meetings, and it plays.
    viewer = homes[2]
    past = boxflow.wait_for(lambda: (lambda x: x if x and x["recording_state"] == "ready" else None)(
        listed(viewer, bid)), 90, "the replay")
    assert past["state"] == "ended" and past["recording_url"].startswith("/media/replays/"), past
    status, replay = server.get(past["recording_url"], viewer)
    assert status == 200 and "#EXT-X-ENDLIST" in replay, replay
    total = sum(float(ln[8:].rstrip(",")) for ln in replay.splitlines() if ln.startswith("#EXTINF:"))
    assert abs(total - sent * cast.segment_s) <= 2, (total, sent, cast.segment_s)
    status, _ = server.request("HEAD", f"/media/replays/{bid}/poster.jpg", viewer)
    assert status == 200, "the replay has a poster frame"
    # The replay is also a video (会议回放) of the village, resumed where a box stopped.
    item = past["replay_item_id"]
    status, it = server.get(f"/api/v1/items/{item}", viewer)
    assert status == 200 and it["title"] == "会议回放：" + TITLE, it
    assert it["course"]["category"] == "会议回放" and it["course"]["media_url"] == past["recording_url"], it
    watch = livecast.Player("live_replay", server, viewer, server.url + past["recording_url"],
                            extra=["--play-seconds", "12", "--play-item", str(item)]).start()
    code = watch.wait(60)
    stats = watch.stats()
    assert code == 0 and stats and not stats["is_live"] and stats["frames_presented"] > 100, (code, stats)
    assert abs(stats["duration_s"] - total) < 1.5, stats
    status, pos = server.get(f"/api/v1/resume/{item}", viewer)
    assert status == 200 and pos["position_ms"] >= 10000, pos
    # On the TV: the past meeting is a card of 党群直播's poster grid with the replay's poster
    # frame, begun ("继续观看" and its watched bar); OK on the replay offers to go on from there.
    status, page = server.get("/api/v1/sections/live/items?per_page=8", viewer)
    assert status == 200, page
    ids = [x["id"] for x in page["items"]]
    row = ids.index(bid)  # on the first page: the grid's 4x2 cards
    card = page["items"][row]
    assert card["picture"] == f"/media/replays/{bid}/poster.jpg", card
    assert card["duration_s"] == it["duration_s"], (card, it)
    # A meeting on air would be marked 正在直播 (test_client_catalogue sees one); this test
    # ended the demo's township meeting (end_all_live), so here there may be none.
    live_rows = [i for i, x in enumerate(page["items"]) if x["state"] == "live"]
    keys = ["wait-screen home 20000", "RIGHT", "OK", "wait-screen section.live",
            'wait-gone "图片加载中" 15000']                          # steps 0..4
    keys += [f"DOWN {row // 4}" if row // 4 else "wait 10",           # 5
             f"RIGHT {row % 4}" if row % 4 else "wait 10",            # 6: on the replay
             "OK", "wait 3000"]
    run = harness.run_client("live_replay_from_list", server.url, server.ca, viewer, keys)
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
    assert bool(live_rows) == bool(harness.find_text(grid, "正在直播")), harness.texts(grid)
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


def recorded(bid):
    """The recording's playlist on disk: [(seq, seconds, follows a gap)]."""
    path = os.path.join(server.dir, "media", "live", str(bid), "recording.m3u8")
    out, dur, gap = [], 0.0, False
    for ln in open(path).read().splitlines():
        if ln == "#EXT-X-DISCONTINUITY":
            gap = True
        elif ln.startswith("#EXTINF:"):
            dur = float(ln[8:].rstrip(","))
        elif ln.startswith("seg"):
            out.append((int(ln[3:-3]), dur, gap))
            gap = False
    return out


def test_a_restarted_cast_continues_the_broadcast():
    """The activity room's box loses power mid-meeting (djtv-cast killed with SIGKILL) and
    djtv-cast is started again with the same key: it learns where the broadcast's recording
    ends, numbers on from there with a discontinuity, boxes go on reading the meeting, a
    publisher that still loses count is told the last number in the 409 and goes on after it,
    and the replay plays through the join."""
    token = cadre()
    b, key = livecast.start_broadcast(server, token, "重启测试")
    bid = b["id"]
    box = server.box_of(VILLAGE)
    other, other_key = livecast.start_broadcast(server, token, "另一场直播")
    where = f"/live/{bid}/publisher"
    # Only the publisher may ask: not a box, a cadre, no key, another broadcast's key.
    assert server.get(where, None)[0] == 401
    for wrong in (box, token, other_key, secrets.token_hex(32)):
        status, err = server.get(where, wrong)
        assert status == 403 and err["code"] == "bad_publish_key", err
    assert server.get("/live/999999/publisher", key)[0] == 404
    status, state = server.get(where, key)
    assert status == 200 and state == {"broadcast_id": bid, "last_seq": -1, "segments": 0}, state
    server.request("POST", f"/api/v1/broadcasts/{other['id']}/stop", token)
    status, err = server.get(f"/live/{other['id']}/publisher", other_key)
    assert status == 409 and err["code"] == "broadcast_not_live", err

    first = livecast.Cast(work, server.url, server.ca, bid, key).start()
    second = None
    # A box watches across the restart.
    player = livecast.Player("live_cast_restart", server, box, server.url + b["playback_url"],
                             extra=["--play-broadcast", str(bid)],
                             keys=["wait-screen player 20000", "wait 1000", "shot",
                                   "wait 11000", "shot", "wait 5000", "shot"])
    try:
        first.wait_sent(3)
        player.start()
        first.wait_sent(6)
        first.proc.kill()  # the power cut: nothing is flushed, nothing said goodbye
        first.proc.wait()
        first.log.close()
        status, state = server.get(where, key)
        assert status == 200 and state["last_seq"] >= 5, state
        part1 = state["last_seq"]
        os.unlink(first.status_file)
        second = livecast.Cast(work, server.url, server.ca, bid, key).start()
        second.wait_sent(3)
        # Numbering goes on, the live window marks the join, a box reads it all.
        status, playlist = server.get(f"/live/{bid}/index.m3u8", box)
        assert status == 200 and ("#EXT-X-DISCONTINUITY\n" in playlist
                                  or "#EXT-X-DISCONTINUITY-SEQUENCE:1" in playlist), playlist
        rec = recorded(bid)
        seqs = [r[0] for r in rec]
        assert seqs == list(range(len(seqs))) and len(seqs) > part1 + 3, seqs
        assert [r[0] for r in rec if r[2]] == [part1 + 1], rec
        newest = seqs[-1]
        status, seg = server.request("GET", f"/live/{bid}/seg{newest}.ts", box)
        assert status == 200 and len(seg) > 1000, (status, seg[:200])
        with open(os.path.join(server.dir, "media", "live", str(bid), f"seg{newest}.ts"),
                  "rb") as f:
            seg = f.read()
        # A stale number is refused and the reply says the last one...
        status, err = put_segment(bid, 0, key)
        assert status == 409 and err["code"] == "segment_out_of_order", err
        assert err["last_seq"] >= newest, err
        # ... which djtv-cast follows when something else got further (here: a copy of a
        # real segment sent well ahead of it, as an earlier run that did not die would).
        ahead = server.get(where, key)[1]["last_seq"] + 20
        status, stored = put_segment(bid, ahead, key, body=seg)
        assert status == 201, stored
        went_on = wait_for(lambda: (lambda s: s if s.get("last_seq", 0) > ahead + 2 else None)(
            second.status()), 30, "djtv-cast to go on after the number the 409 named")
        assert not went_on["refused"] and second.proc.poll() is None, went_on
        assert server.get(where, key)[1]["last_seq"] >= went_on["last_seq"]
        code = player.wait(60)
    finally:
        player.stop()
        if second:
            second.stop()
        if first.proc.poll() is None:
            first.stop()
        server.request("POST", f"/api/v1/broadcasts/{bid}/stop", token)
    # The box played on through the restart: picture moving, no error.
    steps = [st for st in player.steps() if st.get("cmd") == "shot"]
    assert len(steps) == 3, (code, player.log_text()[-3000:])
    frames = [st["state"]["frames_presented"] for st in steps]
    assert all(st["screen"] == "player" and st["state"]["error"] == "none" for st in steps), steps
    assert steps[-1]["state"]["player_state"] == "playing", steps[-1]["state"]
    assert frames[1] > frames[0] + 100 and frames[2] > frames[1] + 60, frames
    rec = recorded(bid)
    seconds = sum(r[1] for r in rec)
    part1_s = sum(r[1] for r in rec if r[0] <= part1)
    assert part1_s >= 2.5 and seconds - part1_s >= 4, rec
    # The replay plays through the join: one timeline as long as both parts.
    past = wait_for(lambda: (lambda x: x if x and x["recording_state"] == "ready" else None)(
        listed(box, bid)), 90, "the replay")
    assert past["recording_url"] == f"/media/replays/{bid}/hls/index.m3u8", past
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                            "-of", "csv=p=0", os.path.join(server.dir, "media", "replays",
                                                         str(bid), "hls", "index.m3u8")],
                           capture_output=True, text=True, timeout=60)
    duration = float(probe.stdout.strip())
    assert seconds - 1.5 <= duration <= seconds + 1.5, (duration, seconds, part1_s)
    assert abs(past["duration_s"] - duration) <= 1.5, (past["duration_s"], duration)


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
