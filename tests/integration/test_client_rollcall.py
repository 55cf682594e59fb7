"""Joining the live meeting and signing in at the roll call from the remote, end to end: the real
server, the real client headless with key scripts, checked through the UI dump, the screenshots
and the database. A cadre acts through the API while the client runs; the meeting's picture is
an HLS stream made by the ffmpeg CLI and served over HTTPS (live_meeting.py). The demo has no
route to set a broadcast's playback URL, so that one is written into the database (test-only).

Key counts from the home screen: joining the meeting is 1 key (OK on the banner), signing in is
1 key (OK on the prompt) — watching or not."""
import re

import boxflow
import harness
from harness import contrast, find_text, texts
from live_meeting import LiveMeeting

live = None
server = None


def setup_module():
    global live, server
    live = LiveMeeting("client-rollcall")
    server = live.server


def teardown_module():
    if live:
        live.stop()


def live_with_picture(cadre, title):
    """A broadcast of the cadre's village, started, playing the test stream."""
    bid = boxflow.start_broadcast(server, cadre, title)
    live.picture(bid)
    return bid


def open_rollcall(cadre, bid):
    status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
    assert status == 200, (status, rc)
    return rc["id"]


def box_id(token):
    for b in server.boxes:
        if b["token"] == token:
            return int(b["box_id"])
    raise KeyError(token)


def checkins(rollcall_id):
    return server.sql("SELECT member_id, box_id FROM checkins WHERE rollcall_id = ?"
                      " ORDER BY member_id", (rollcall_id,))


def readable(step):
    """Every text at least 40 px and 7:1 against what it is drawn on."""
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"


def presses(keys):
    """The keys a member presses in a script (waits are not keys)."""
    n = 0
    for k in keys:
        word, _, count = k.partition(" ")
        if not word.startswith("wait") and word not in ("shot", "quit"):
            n += int(count) if count.isdigit() else 1
    return n


def test_banner_ok_joins_and_prompt_over_video_signs_in():
    boxflow.end_all_live(server)
    token = server.box_of("东村", 2)
    cadre = server.token_of(server.cadre_of("东村"))
    members = server.members(token)
    keys_join = ["OK"]
    keys_sign = ["OK"]
    c = boxflow.LiveClient("client_rollcall_watching", server, token, [
        "wait-screen home 20000",            # 1
        "wait-text 东村党员大会 20000",       # 2 the banner, after broadcast.started
        *keys_join,                          # 3 OK on the banner
        "wait-screen player 20000",          # 4
        "wait-text 点名签到 30000",           # 5 the prompt over the video
        *keys_sign,                          # 6 OK on the prompt
        "wait-text 签到成功 20000",           # 7
    ])
    try:
        c.wait_log("event stream open")
        c.wait_step(1)
        bid = live_with_picture(cadre, "东村党员大会")
        step = c.wait_step(2)
        assert not step.get("timeout"), texts(step)
        assert step["focus"] == "live.join", step["focus"]
        c.wait_step(4)
        # The box is watching once its first heartbeat is in; then the cadre calls the roll.
        boxflow.wait_for(lambda: server.sql(
            "SELECT 1 FROM heartbeats WHERE box_id = ? AND broadcast_id = ?",
            (box_id(token), bid)), 30, "no heartbeat from the box that joined")
        rc = open_rollcall(cadre, bid)
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    assert run.step(3 - 1)["screen"] in ("home", "player"), run.step(3 - 1)["screen"]
    assert not run.step(4 - 1).get("timeout") and run.step(4 - 1)["screen"] == "player"
    prompt = run.step(5 - 1)
    assert not prompt.get("timeout"), texts(prompt)
    assert "rollcall" in prompt["overlays"] and prompt["screen"] == "player"
    assert find_text(prompt, "东村党员大会")
    done = run.step(7 - 1)
    assert not done.get("timeout"), texts(done)
    assert [m for m, _ in checkins(rc)] == sorted(members)
    assert all(b == box_id(token) for _, b in checkins(rc))
    names = [m["name"] for m in server.get("/api/v1/home", token)[1]["household"]["members"]]
    for name in names:
        line = find_text(done, f"{name} 签到成功")
        assert line, (name, texts(done))
        assert line["px"] >= 40
    assert presses(keys_join) == 1 and presses(keys_sign) == 1
    for s in (run.step(2 - 1), prompt, done):
        readable(s)
    boxflow.stop_broadcast(server, cadre, bid)


def test_from_home_ok_joins_and_signs_in_then_a_closed_rollcall_is_refused():
    boxflow.end_all_live(server)
    token = server.box_of("东村", 3)
    cadre = server.token_of(server.cadre_of("东村"))
    members = server.members(token)
    bid = live_with_picture(cadre, "东村冬季会议")
    c = boxflow.LiveClient("client_rollcall_home", server, token, [
        "wait-screen home 20000",            # 1
        "wait-text 点名签到 20000",           # 2 the prompt over home
        "OK",                                # 3 one key: join, then sign in
        "wait-text 签到成功 40000",           # 4
        "BACK",                              # 5 close the result
        "BACK",                              # 6 leave the meeting
        "wait-screen home 10000",            # 7
        "wait-text 点名签到 20000",           # 8 a second roll call …
        "wait 3000",                         # 9 … closed behind the box's back
        "OK",                                # 10
        "wait-text 点名已结束 20000",         # 11 the server's reason
    ])
    try:
        c.wait_log("event stream open")
        c.wait_step(1)
        rc = open_rollcall(cadre, bid)
        c.wait_step(7)
        # A second broadcast and roll call; then the roll call is closed in the database, where
        # no event tells the box: only the server's refusal can.
        bid2 = live_with_picture(cadre, "东村补开会议")
        rc2 = open_rollcall(cadre, bid2)
        c.wait_step(8)
        server.sql("UPDATE rollcalls SET closed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                   " WHERE id = ?", (rc2,))
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    prompt = run.step(2 - 1)
    assert not prompt.get("timeout") and prompt["screen"] == "home", texts(prompt)
    assert prompt["focus"] == "rollcall.sign"
    done = run.step(4 - 1)
    assert not done.get("timeout"), texts(done)
    assert done["screen"] == "player", "OK from home opened the meeting"
    assert [m for m, _ in checkins(rc)] == sorted(members)
    refused = run.step(11 - 1)
    assert not refused.get("timeout"), texts(refused)
    assert checkins(rc2) == []
    for s in (prompt, done, refused):
        readable(s)
    boxflow.stop_broadcast(server, cadre, bid)
    boxflow.stop_broadcast(server, cadre, bid2)


def test_rollcall_opened_while_the_stream_is_cut_still_prompts():
    boxflow.end_all_live(server)
    token = server.box_of("东村", 4)
    cadre = server.token_of(server.cadre_of("东村"))
    bid = live_with_picture(cadre, "东村断线会议")
    c = boxflow.LiveClient("client_rollcall_cut", server, token, [
        "wait-screen home 20000",            # 1
        "wait-text 点名签到 30000",           # 2
    ])
    try:
        c.wait_log("event stream open")
        c.wait_step(1)
        streams = boxflow.open_raw_streams(server, token, 2)
        try:
            c.wait_log("event stream dropped")
            rc = open_rollcall(cadre, bid)
        finally:
            boxflow.close_streams(streams)
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    step = run.step(2 - 1)
    assert not step.get("timeout"), texts(step)
    assert step["state"]["overlays"]["rollcall"]["rollcall_id"] == rc, step["state"]
    boxflow.stop_broadcast(server, cadre, bid)


def test_a_course_waits_paused_under_the_meeting_the_roll_call_opened():
    """A member is watching a course when the cadre calls the roll: OK on the prompt opens the
    meeting over the course. Out of sight, the course waits paused where it was, its sound off
    (never two sounds at once); BACK from the meeting and it plays on from there."""
    boxflow.end_all_live(server)
    token = server.box_of("东村", 1)
    cadre = server.token_of(server.cadre_of("东村"))
    status, made = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "课程", "title": "暂停测试课", "body": "开会时停下。", "category": "党课学习",
        "duration_s": 120, "media_url": live.media.url("hls/index.m3u8")})
    assert status == 200, (status, made)
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    assert status == 200, listing
    row = next(i for i, it in enumerate(listing["items"]) if it["id"] == made["id"])
    c = boxflow.LiveClient("client_rollcall_over_course", server, token, [
        "wait-screen home 20000",            # 1
        "3",                                 # 2 党教园地
        "wait-screen section.study 15000",   # 3
        harness.study_poster_key(row),       # 4
        "OK",                                # 5 the course plays
        "wait-screen player 20000",          # 6
        "wait 3000",                         # 7
        "wait-text 点名签到 60000",           # 8 the prompt over the course
        "OK",                                # 9 the meeting opens over it
        "wait-text 签到成功 40000",           # 10
        "BACK",                              # 11 close the result
        "wait 4000",                         # 12 the meeting plays; the course waits
        "BACK",                              # 13 leave the meeting: the course again
        "wait 3000",                         # 14 it plays on
    ])
    bid = None
    try:
        c.wait_step(7, timeout=60)
        bid = live_with_picture(cadre, "东村冬训会")
        open_rollcall(cadre, bid)
    finally:
        run = c.finish(timeout=150)
        if bid:
            boxflow.stop_broadcast(server, cadre, bid)
    assert run.code == 0, run.log[-3000:]
    course = run.step(6 - 1)
    assert course["screen"] == "player" and not course["state"]["is_live"], course["state"]
    assert not run.step(10 - 1).get("timeout"), texts(run.step(10 - 1))
    paused = re.findall(r"out of sight: paused at ([0-9.]+) s", run.log)
    resumed = re.findall(r"in sight again: playing on from ([0-9.]+) s", run.log)
    assert len(paused) == 1 and len(resumed) == 1, run.log[-3000:]
    # Covered for the sign-in and 4 s of the meeting, the course did not move on.
    assert abs(float(resumed[0]) - float(paused[0])) < 1.0, (paused, resumed)
    back = run.step(14 - 1)
    assert back["screen"] == "player" and back["state"]["player_state"] == "playing", back["state"]
    assert not back["state"]["is_live"], "BACK from the meeting shows the course again"
    assert float(paused[0]) <= back["state"]["position_s"] < float(paused[0]) + 8, back["state"]
