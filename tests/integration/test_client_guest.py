"""我是外出党员 on the TV, end to end: a 东村 member away from home uses a 西村 box. Township
staff set the member's PIN through the API; on the box the member presses 0 on home, types the
phone and (first wrongly) the PIN on the keypad — the PIN shows as dots and is never in the UI
dump or the log — joins 东村's live meeting, which plays, and when 东村's cadre calls the roll,
"点名签到" comes up over the video for them; OK signs them in, and the database has the row from
the 西村 box. When the cadre ends the meeting the guest is gone; a guest who leaves the picture
first is gone too, and the box's guest heartbeats stop with it. The meeting's picture is an HLS
stream made by the ffmpeg CLI (live_meeting.py); its playback URL is written into the database
(test-only), as in test_client_rollcall.py."""
import os
import time

import boxflow
from harness import contrast, find_text, texts
from live_meeting import LiveMeeting

PIN = "583104"
PHONE = "13612345678"
live = None
server = None


def setup_module():
    global live, server
    live = LiveMeeting("client-guest")
    server = live.server


def teardown_module():
    if live:
        live.stop()


def readable(step):
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"


def test_a_member_away_from_home_joins_and_signs_in_from_another_village():
    staff = server.token_of("staff1")
    member = server.members(server.box_of("东村"))[0]
    status, body = server.request("PUT", f"/api/v1/staff/members/{member}/guest-pin", staff,
                                  body={"phone": PHONE, "pin": PIN})
    assert status == 200, body
    guest_box = next(b for b in server.boxes if b["village_name"] == "西村")
    cadre = server.token_of(server.cadre_of("东村"))
    bid = boxflow.start_broadcast(server, cadre, "东村支部外出党员会")
    live.picture(bid)
    wrong = "111111"
    keys = ["wait-screen home 20000",                      # 1
            "0",                                           # 2 我是外出党员
            "wait-text 请输入手机号 5000",                  # 3
            *list(PHONE), "OK",                            # 4-15
            "wait-text 6 位密码 5000",                      # 16
            *list(wrong), "OK",                            # 17-23
            "wait-text 手机号或密码不对 20000",              # 24
            "OK",                                          # 25
            "0",                                           # 26 again: the phone is kept
            "wait-text 请输入手机号 5000",                  # 27
            "OK",                                          # 28
            "wait-text 6 位密码 5000",                      # 29
            *list(PIN[:3]),                                # 30-32
            "shot",                                        # 33 the dots
            *list(PIN[3:]), "OK",                          # 34-37
            "wait-screen player 20000",                    # 38
            "wait-text 点名签到 30000",                     # 39
            "OK",                                          # 40
            "wait-text 签到成功 30000",                     # 41
            "OK",                                          # 42
            "wait-text 会议已经结束 40000"]                 # 43
    c = boxflow.LiveClient("client_guest", server, guest_box["token"], keys)
    try:
        c.wait_step(38, timeout=90)
        status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
        assert status == 200, rc
        c.wait_step(42, timeout=90)
        boxflow.stop_broadcast(server, cadre, bid)
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    refused = run.step(23)
    assert not refused.get("timeout"), texts(refused)
    dots = run.step(32)
    assert find_text(dots, "●●●"), texts(dots)
    assert dots["state"]["overlays"]["keypad"]["digits"] == "●●●", dots["state"]
    player = run.step(37)
    assert not player.get("timeout") and player["screen"] == "player", texts(player)
    prompt = run.step(38)
    assert not prompt.get("timeout") and prompt["screen"] == "player", texts(prompt)
    assert find_text(prompt, "东村支部外出党员会") and find_text(prompt, "外出党员"), texts(prompt)
    done = run.step(40)
    assert not done.get("timeout"), texts(done)
    name = server.sql("SELECT name FROM members WHERE id = ?", (member,))[0][0]
    assert find_text(done, f"{name} 签到成功"), texts(done)
    rows = server.sql("SELECT c.member_id, c.box_id FROM checkins c WHERE c.rollcall_id = ?",
                      (rc["id"],))
    assert rows == [(member, int(guest_box["box_id"]))], rows
    gone = run.step(42)
    assert not gone.get("timeout"), texts(gone)
    assert gone["state"]["overlays"]["guest"]["session"] is False, gone["state"]
    for s in (refused, dots, prompt, done, gone):
        readable(s)
    with open(os.path.join(c.dir, "ui.jsonl"), encoding="utf-8") as f:
        dump = f.read()
    assert PIN not in dump and wrong not in dump, "the PIN is in the UI dump"
    assert PIN not in run.log and wrong not in run.log, "the PIN is in the log"


def test_the_guest_leaving_the_video_stops_its_heartbeats():
    """A guest who leaves the meeting's picture has left: the box sends no more heartbeats for
    it (the township would count them as watching, and a roll call would take them), and 0 on
    home starts again with the phone kept."""
    staff = server.token_of("staff1")
    member = server.members(server.box_of("东村"))[0]
    status, body = server.request("PUT", f"/api/v1/staff/members/{member}/guest-pin", staff,
                                  body={"phone": PHONE, "pin": PIN})
    assert status == 200, body
    guest_box = next(b for b in server.boxes if b["village_name"] == "西村")
    box_id = int(guest_box["box_id"])
    cadre = server.token_of(server.cadre_of("东村"))
    bid = boxflow.start_broadcast(server, cadre, "东村支部外出党员第二次会")
    live.picture(bid)
    keys = ["wait-screen home 20000",                      # 1
            "0",                                           # 2 我是外出党员
            "wait-text 请输入手机号 5000",                  # 3
            *list(PHONE), "OK",                            # 4-15
            "wait-text 6 位密码 5000",                      # 16
            *list(PIN), "OK",                              # 17-23
            "wait-screen player 20000",                    # 24
            "wait 3000",                                   # 25 it plays: heartbeats go
            "BACK",                                        # 26 the guest leaves the video
            "wait-screen home 10000",                      # 27
            "wait 25000",                                  # 28 longer than a heartbeat's 20 s
            "0",                                           # 29 again: the phone is kept
            "wait-text 请输入手机号 5000",                  # 30
            "BACK"]                                        # 31
    old = "2000-01-01T00:00:00Z"
    c = boxflow.LiveClient("client_guest_leaves", server, guest_box["token"], keys)
    try:
        c.wait_step(25, timeout=90)
        rows = server.sql("SELECT last_at FROM heartbeats WHERE box_id = ? AND broadcast_id = ?",
                          (box_id, bid))
        assert rows and rows[0][0] > old, rows  # the guest's heartbeat while it played
        c.wait_step(27, timeout=30)
        time.sleep(1)  # a heartbeat already on its way lands
        server.sql("UPDATE heartbeats SET last_at = ? WHERE box_id = ? AND broadcast_id = ?",
                   (old, box_id, bid))
        c.wait_step(28, timeout=60)
        rows = server.sql("SELECT last_at FROM heartbeats WHERE box_id = ? AND broadcast_id = ?",
                          (box_id, bid))
        assert rows == [(old,)], f"heartbeats after the guest left: {rows}"
    finally:
        run = c.finish()
        boxflow.stop_broadcast(server, cadre, bid)
    assert run.code == 0, run.log[-3000:]
    playing = run.step(23)
    assert not playing.get("timeout") and playing["screen"] == "player", texts(playing)
    home = run.step(26)
    assert not home.get("timeout") and home["screen"] == "home", texts(home)
    assert "guest" not in home["state"].get("overlays", {}), home["state"]  # nothing left
    assert "guest left the meeting" in run.log
    again = run.step(29)
    assert not again.get("timeout"), texts(again)
    assert again["state"]["overlays"]["keypad"]["digits"] == PHONE, again["state"]
    readable(again)


def test_the_guest_covered_by_the_households_meeting_sends_no_heartbeats():
    """A guest watches their branch's meeting on a 西村 box when 西村's own cadre calls the roll:
    the household signs in with OK, which opens 西村's meeting over the guest's. While the
    household's meeting covers it, nobody watches the guest's, so the box sends no guest
    heartbeats (the township would count the guest as watching, and their roll call would take
    them); BACK to the guest's meeting and they go again at once."""
    staff = server.token_of("staff1")
    member = server.members(server.box_of("东村"))[0]
    status, body = server.request("PUT", f"/api/v1/staff/members/{member}/guest-pin", staff,
                                  body={"phone": PHONE, "pin": PIN})
    assert status == 200, body
    guest_box = next(b for b in server.boxes if b["village_name"] == "西村")
    box_id = int(guest_box["box_id"])
    cadre = server.token_of(server.cadre_of("东村"))
    home_cadre = server.token_of(server.cadre_of("西村"))
    bid = boxflow.start_broadcast(server, cadre, "东村支部外出党员第三次会")
    live.picture(bid)
    keys = ["wait-screen home 20000",                      # 1
            "0",                                           # 2 我是外出党员
            "wait-text 请输入手机号 5000",                  # 3
            *list(PHONE), "OK",                            # 4-15
            "wait-text 6 位密码 5000",                      # 16
            *list(PIN), "OK",                              # 17-23
            "wait-screen player 20000",                    # 24 the guest's meeting
            "wait 3000",                                   # 25 it plays: guest heartbeats go
            "wait-text 点名签到 60000",                     # 26 西村's roll call, for the household
            "OK",                                          # 27 西村's meeting opens on top
            "wait-text 签到成功 60000",                     # 28
            "OK",                                          # 29
            "wait 25000",                                  # 30 longer than a heartbeat's 20 s
            "BACK",                                        # 31 back to the guest's meeting
            "wait 5000",                                   # 32
            "BACK",                                        # 33 the guest leaves
            "wait-screen home 10000"]                      # 34
    old = "2000-01-01T00:00:00Z"
    home_bid = None
    c = boxflow.LiveClient("client_guest_covered", server, guest_box["token"], keys)

    def guest_heartbeat():
        return server.sql("SELECT last_at FROM heartbeats WHERE box_id = ? AND broadcast_id = ?",
                          (box_id, bid))

    try:
        c.wait_step(25, timeout=90)
        assert guest_heartbeat() and guest_heartbeat()[0][0] > old, guest_heartbeat()
        home_bid = boxflow.start_broadcast(server, home_cadre, "西村支部主题党日")
        live.picture(home_bid)
        status, rc = server.request("POST", f"/api/v1/broadcasts/{home_bid}/rollcalls",
                                    home_cadre)
        assert status == 200, rc
        c.wait_step(29, timeout=120)
        time.sleep(1)  # a guest heartbeat already on its way lands
        server.sql("UPDATE heartbeats SET last_at = ? WHERE box_id = ? AND broadcast_id = ?",
                   (old, box_id, bid))
        c.wait_step(30, timeout=60)
        assert guest_heartbeat() == [(old,)], f"guest heartbeats while covered: {guest_heartbeat()}"
        household = server.sql(
            "SELECT last_at FROM heartbeats WHERE box_id = ? AND broadcast_id = ?",
            (box_id, home_bid))
        assert household and household[0][0] > old, household  # the meeting on top is watched
        c.wait_step(32, timeout=30)
        assert guest_heartbeat()[0][0] > old, "no guest heartbeat once the guest's meeting is back"
    finally:
        run = c.finish()
        boxflow.stop_broadcast(server, cadre, bid)
        if home_bid:
            boxflow.stop_broadcast(server, home_cadre, home_bid)
    assert run.code == 0, run.log[-3000:]
    covered = run.step(29)
    assert not covered.get("timeout") and covered["screen"] == "player", texts(covered)
    # In sight when it first played, out of sight under 西村's meeting, in sight again after
    # BACK, and gone when the guest left.
    assert run.log.count("guest's meeting in sight") == 2, run.log[-3000:]
    assert run.log.count("guest's meeting out of sight") == 1, run.log[-3000:]
    # The covered player went quiet (the test's stream is a finished recording, so it waited
    # paused; a live one plays on without sound) and came back after BACK.
    assert run.log.count("[playscreen] out of sight: ") == 1, run.log[-3000:]
    assert run.log.count("[playscreen] in sight again: ") == 1, run.log[-3000:]
    assert "guest left the meeting" in run.log
    home = run.step(33)
    assert not home.get("timeout") and home["screen"] == "home", texts(home)
