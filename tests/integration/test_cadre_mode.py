"""Cadre mode on the TV, end to end against the real server: the cadre's PIN (set by staff,
refused with the server's reason, rate limited per account and per box, good only on a box of
the cadre's own village), then the real headless client on the activity-room box signing the
cadre in with the keypad and running the roll call while boxes sign in: the cadre's screen
counts 2 of 3 and names the member still missing. Every text of the new screens is checked for
size and contrast; screenshots stay in tests/out/cadre_*/shots."""
import os
import shutil
import tempfile

import boxflow
import harness
import livecast
from harness import Server, contrast, texts

server = None
work = None
VILLAGE = "试点村"
PEOPLE = ["张一山", "李二水", "王三田"]
village = {}


def make_small_village():
    """A village of three households of one member each, a box each, and its cadre."""
    village.update(boxflow.small_village(server, VILLAGE, PEOPLE, "cadre_sd", "13912345678",
                                         "246802"))


def setup_module():
    global server, work
    work = tempfile.mkdtemp(prefix="djtv-cadre-")
    server = Server("cadre-mode").start(["--media", os.path.join(work, "media")])
    make_small_village()


def teardown_module():
    server.finish(work)


def pin_login(box, phone, pin):
    return server.request("POST", "/api/v1/sessions/pin", box, {"phone": phone, "pin": pin})


def demo_cadre(village_name):
    row = server.accounts[server.cadre_of(village_name)]
    return row["phone"], row["pin"]


def test_pin_login_only_on_the_villages_boxes():
    phone, pin = demo_cadre("东村")
    assert len(phone) == 11 and len(pin) == 6 and pin.isdigit()
    status, body = pin_login(server.box_of("东村", 3), phone, pin)
    assert status == 200 and body["role"] == "cadre" and body["org"]["name"] == "东村", body
    status, me = server.get("/api/v1/sessions/current", body["token"])
    assert status == 200 and me["account"]["display_name"] == "东村党支部书记", me
    # The session logs out like any other.
    status, _ = server.request("DELETE", "/api/v1/sessions/current", body["token"])
    assert status == 200
    status, _ = server.get("/api/v1/sessions/current", body["token"])
    assert status == 401
    # Another village's box: the same right PIN is refused, as a wrong one would be.
    status, body = pin_login(server.box_of("西村", 3), phone, pin)
    assert status == 401 and body["code"] == "bad_credentials", body
    # Not a box: no token, a person's session, the password route with a PIN.
    status, body = server.request("POST", "/api/v1/sessions/pin", None,
                                  {"phone": phone, "pin": pin})
    assert status == 401, body
    staff = server.token_of("staff1")
    status, body = pin_login(staff, phone, pin)
    assert status == 403, body
    status, body = server.request("POST", "/api/v1/sessions",
                                  body={"username": server.cadre_of("东村"), "password": pin})
    assert status == 401, body


def test_malformed_pin_requests_are_refused_plainly():
    box = server.box_of("东村", 4)
    phone, _ = demo_cadre("东村")
    for body in ({"phone": phone}, {"phone": phone, "pin": "12345"},
                 {"phone": phone, "pin": "12a456"}, {"phone": "1391234567x", "pin": "123456"},
                 {"phone": phone, "pin": 123456}, {"phone": phone, "pin": "123456", "x": 1}):
        status, reply = server.request("POST", "/api/v1/sessions/pin", box, body)
        assert status == 400 and reply["code"] == "bad_request", (body, status, reply)


def test_wrong_pins_are_rate_limited_per_account_and_per_box():
    phone, pin = demo_cadre("河山村")
    boxes = [server.box_of("河山村", i) for i in range(3)]
    wrong = "000000" if pin != "000000" else "111111"
    # Per account: five wrong PINs from different boxes, then even the right one waits.
    for i in range(5):
        status, body = pin_login(boxes[i % 2], phone, wrong)
        assert status == 401 and body["code"] == "bad_credentials", body
    status, body = pin_login(boxes[2], phone, pin)
    assert status == 429 and body["code"] == "rate_limited", body
    # Per box: five failures on one box (unknown phones), then it must wait whatever it tries.
    box = server.box_of("前岭村", 0)
    for i in range(5):
        status, body = pin_login(box, f"1380000{i:04d}", "123456")
        assert status == 401, body
    other_phone, other_pin = demo_cadre("前岭村")
    status, body = pin_login(box, other_phone, other_pin)
    assert status == 429 and body["code"] == "rate_limited", body
    status, body = pin_login(server.box_of("前岭村", 1), other_phone, other_pin)
    assert status == 200, body


def test_staff_set_pins_of_their_townships_cadres_only():
    cid = village["cadre"]
    cadre_tok = server.token_of(server.cadre_of("东村"))
    status, body = server.request("PUT", f"/api/v1/staff/cadres/{cid}/pin", cadre_tok,
                                  {"phone": "13912345679", "pin": "111111"})
    assert status == 403, body
    staff = server.token_of("staff1")
    (staff_id,), = server.sql("SELECT id FROM accounts WHERE username = 'staff2'")
    status, body = server.request("PUT", f"/api/v1/staff/cadres/{staff_id}/pin", staff,
                                  {"phone": "13912345679", "pin": "111111"})
    assert status == 404, body
    taken = demo_cadre("东村")[0]
    status, body = server.request("PUT", f"/api/v1/staff/cadres/{cid}/pin", staff,
                                  {"phone": taken, "pin": "111111"})
    assert status == 409, body
    other = server.add_township("北湖镇", ["湖村"],
                                [("staff_bh", "北湖镇党建办", "staff", "北湖镇")])
    status, body = server.request("PUT", f"/api/v1/staff/cadres/{cid}/pin", other["staff_bh"],
                                  {"phone": "13912345679", "pin": "111111"})
    assert status == 404, body
    # The PIN is kept only as an argon2id hash, never as itself.
    (h,), = server.sql("SELECT pin_hash FROM accounts WHERE id = ?", (cid,))
    assert h.startswith("$argon2id$") and village["pin"] not in h


def readable(step):
    """Every text at least 40 px, 7:1 against what is under it, inside the safe area, and a
    key-hint bar with a key in it."""
    where = f"step {step['step']} ({step['screen']}, {step['cmd']})"
    for t in step["texts"]:
        what = f"{where}: '{t['text']}'"
        assert t["px"] >= 40, f"{what} is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"{what}: contrast {c:.2f}"
        assert 96 <= t["x"] and t["x"] + t["w"] <= 1824, f"{what} outside the safe area"
        assert 54 <= t["y"] and t["y"] + t["h"] <= 1026, f"{what} outside the safe area"
        if t["y"] < 154 and t["x"] <= 110:
            assert t["px"] >= 56, f"{what}: a title at {t['px']} px"
    hints = [t["text"] for t in step["texts"] if t["y"] >= 952]
    assert any(h in ("OK", "返回") for h in hints), f"{where}: no key hints: {hints}"


def digits(s):
    return list(s)


def guest_signs_in(home_box, rollcall_id):
    """The member of HOME_BOX, away from home, signs in at ROLLCALL_ID from a 西村 box: a PIN
    from staff, a guest session, its heartbeat, the check-in (through the API)."""
    member = server.members(home_box)[0]
    staff = server.token_of("staff1")
    status, body = server.request("PUT", f"/api/v1/staff/members/{member}/guest-pin", staff,
                                  {"phone": "13612340000", "pin": "480213"})
    assert status == 200, body
    away = next(b for b in server.boxes if b["village_name"] == "西村")["token"]
    status, s = server.request("POST", "/api/v1/guest/sessions", away,
                               {"phone": "13612340000", "pin": "480213"})
    assert status == 200, s
    token = s["guest_token"]
    status, hb = server.request("POST", "/api/v1/guest/heartbeat", away, {"guest_token": token})
    assert status == 200, hb
    status, ck = server.request("POST", "/api/v1/guest/checkins", away,
                                {"guest_token": token, "rollcall_id": rollcall_id})
    assert status == 200 and ck["first"] and ck["member_id"] == member, ck


def test_cadre_runs_the_roll_call_from_the_tv():
    boxflow.end_all_live(server)  # the demo's township meeting: this one is the village's own
    cadre_box = village["boxes"][0]
    status, b = server.request("POST", "/api/v1/sessions",
                               body={"username": "cadre_sd", "password": village["password"]})
    assert status == 200, b
    api_cadre = b["token"]
    keys = [
        "wait-screen home 20000",           # 1
        "MENU",                             # 2 cadre mode's door
        "wait-text 请输入手机号 10000",       # 3
        *digits(village["phone"]), "OK",    # 4..15
        "wait-text 登录密码 10000",           # 16
        *digits("135791"), "OK",            # 17..23 a wrong PIN
        "wait-text 手机号或密码不对 15000",    # 24
        "OK",                               # 25 type again: the phone is remembered
        "OK",                               # 26
        "wait-text 登录密码 10000",           # 27
        *digits(village["pin"][:3]),        # 28..30 (shown as ●)
        "shot",                             # 31
        *digits(village["pin"][3:]), "OK",  # 32..35
        "wait-screen cadre 20000",          # 36
        "wait-text 正在直播 20000",           # 37 the meeting the test starts below
        "wait-text 开始点名 10000",           # 38
        "OK",                               # 39 开始点名
        "wait-text 点名中 15000",             # 40
        "wait-text 已签到 2 / 3 人 30000",     # 41 a box and a guest sign in meanwhile
        "shot",                             # 42
        "BACK",                             # 43 leave: logged out
        "wait-screen home 15000",           # 44
    ]
    c = boxflow.LiveClient("cadre_tv", server, cadre_box, keys)
    try:
        step = c.wait_step(36, timeout=60)
        assert step["screen"] == "cadre" and not step.get("timeout"), texts(step)
        bid = boxflow.start_broadcast(server, api_cadre, "试点村十二月党员大会")
        c.wait_step(40, timeout=60)
        (rid,), = server.sql("SELECT id FROM rollcalls WHERE broadcast_id = ?", (bid,))
        for box in village["boxes"][1:]:
            status, hb = server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", box)
            assert status == 200, hb
        box = village["boxes"][0]
        status, ck = server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", box)
        assert status == 200, ck
        status, ck = server.request("POST", f"/api/v1/rollcalls/{rid}/checkins", box,
                                    {"member_id": server.members(box)[0]})
        assert status == 200, ck
        guest_signs_in(village["boxes"][1], rid)  # 李二水, away from home in 西村
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    steps = run.steps
    refused = steps[23]
    assert not refused.get("timeout"), texts(refused)
    pin_step = steps[30]
    assert pin_step["state"]["overlays"]["keypad"]["digits"] == "●●●", pin_step["state"]
    assert any(t.startswith("●●●") for t in texts(pin_step)), texts(pin_step)
    assert village["pin"] not in run.log and "135791" not in run.log
    assert all(village["pin"] not in str(s) for s in steps)
    counted = steps[40]
    assert not counted.get("timeout"), texts(counted)
    st = counted["state"]
    assert st["expected"] == 3 and st["checked_in"] == 2, st
    assert st["missing"] == ["王三田"] and sorted(st["signed"]) == ["张一山", "李二水"], st
    # Both moved the count at once: the guest's check-in came as the member's did.
    assert run.log.count("event rollcall.checkin") >= 2, run.log[-3000:]
    assert any("王三田" in t for t in texts(counted)), texts(counted)
    # The household prompt stays off the cadre's screen.
    assert "点名签到" not in texts(counted), texts(counted)
    for s in steps:
        if s["screen"].startswith("cadre") and not s.get("timeout"):
            readable(s)
    assert steps[43]["screen"] == "home"
    # Leaving cadre mode ended the session the box held.
    assert "cadre mode ended: logging out" in run.log
    boxflow.wait_for(lambda: server.sql(
        "SELECT count(*) FROM sessions s JOIN accounts a ON a.id = s.account_id"
        " WHERE a.username = 'cadre_sd'")[0][0] == 1, 10,
        "the TV's cadre session was not logged out")
    boxflow.stop_broadcast(server, api_cadre, bid)


def test_cadre_sends_the_meeting_from_the_tv_and_it_becomes_a_replay():
    """One action starts the meeting: the box runs djtv-cast (the test pattern stands in for
    the camera: this machine has none) with the broadcast's key, shows its uplink and a preview;
    the roll call runs on it; 结束会议 ends djtv-cast cleanly, the broadcast ends, and the
    recording becomes a replay by itself."""
    boxflow.end_all_live(server)
    cadre_box = village["boxes"][0]
    keys = [
        "wait-screen home 20000",           # 1
        "MENU",                             # 2
        "wait-text 请输入手机号 10000",       # 3
        *digits(village["phone"]), "OK",    # 4..15
        "wait-text 登录密码 10000",           # 16
        *digits(village["pin"]), "OK",      # 17..23
        "wait-screen cadre 20000",          # 24
        "wait-text 开始会议 15000",           # 25
        "OK",                               # 26 开始会议: one action
        "wait-text 上传正常 30000",           # 27 djtv-cast is sending
        "wait-text 开始点名 15000",           # 28
        "wait 1500",                        # 29 (a preview comes once a second)
        "shot",                             # 30
        "OK",                               # 31 开始点名
        "wait-text 已签到 2 / 3 人 40000",     # 32 two boxes sign in meanwhile
        "shot",                             # 33
        "RIGHT",                            # 34 结束点名 -> 结束会议
        "OK",                               # 35
        "wait-text 录像会自动变成回放 40000",   # 36
        "shot",                             # 37
        "BACK",                             # 38
        "wait-screen home 15000",           # 39
    ]
    extra = ["--cast-input", "pattern",
             "--cast-args", "--size 640x360 --fps 25 --bitrate 600 --preset ultrafast",
             "--data-dir", os.path.join(work, "cadre-box")]
    os.makedirs(os.path.join(work, "cadre-box"), exist_ok=True)
    c = boxflow.LiveClient("cadre_meeting", server, cadre_box, keys, extra=extra)
    bid = player = None
    try:
        c.wait_step(27, timeout=90)
        (bid,), = server.sql("SELECT b.id FROM broadcasts b JOIN orgs o ON o.id = b.org_id"
                             " WHERE o.name = ? AND b.state = 'live'", (VILLAGE,))
        # A member's box watches what the activity room sends (the real client, heartbeats).
        player = livecast.Player("cadre_watcher", server, village["boxes"][2],
                                 f"{server.url}/live/{bid}/index.m3u8",
                                 extra=["--play-broadcast", str(bid), "--play-seconds", "120"]
                                 ).start()
        c.wait_step(31, timeout=60)
        rid = boxflow.wait_for(lambda: server.sql(
            "SELECT id FROM rollcalls WHERE broadcast_id = ? AND closed_at IS NULL", (bid,)),
            30, "the TV did not open the roll call")[0][0]
        for box in village["boxes"][:2]:
            status, hb = server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", box)
            assert status == 200, hb
            status, ck = server.request("POST", f"/api/v1/rollcalls/{rid}/checkins", box,
                                        {"member_id": server.members(box)[0]})
            assert status == 200, ck
    finally:
        run = c.finish(timeout=180)
        code = player.wait(40) if player else None
    assert run.code == 0, run.log[-3000:]
    stats = player.stats()
    assert stats and stats["is_live"] and stats["frames_presented"] > 25, (code, stats)
    steps = run.steps
    sending = steps[29]
    assert not steps[26].get("timeout") and sending["state"]["meet"] == "sending", sending["state"]
    assert sending["state"]["cast_sent"] > 0 and sending["state"]["preview"], sending["state"]
    assert any(w.get("name") == "cadre.preview" for w in sending.get("widgets", [])), sending
    counted = steps[31]
    assert not counted.get("timeout"), texts(counted)
    assert counted["state"]["missing"] == ["王三田"], counted["state"]
    ended = steps[35]
    assert not ended.get("timeout"), texts(ended)
    assert ended["state"]["meet"] == "idle" and ended["state"]["meeting_id"] == 0, ended["state"]
    for s in steps:
        if s["screen"].startswith("cadre") and not s.get("timeout"):
            readable(s)
    # djtv-cast ended by itself (SIGTERM: its last segment sent), the key file went with it.
    assert "djtv-cast (pid" in run.log and "ended: 0" in run.log, run.log[-3000:]
    assert not [f for f in os.listdir(os.path.join(work, "cadre-box"))
                if f.startswith("djtv-cast-")], "djtv-cast's folder (with the key) stayed"
    (state,), = server.sql("SELECT state FROM broadcasts WHERE id = ?", (bid,))
    assert state == "ended", state
    # The replay follows by itself and is listed among the past meetings.
    box = village["boxes"][2]

    def replay():
        status, page = server.get("/api/v1/sections/live/items?per_page=50", box)
        assert status == 200, page
        b = next((x for x in page["items"] if x["id"] == bid), None)
        return b if b and b["recording_state"] == "ready" else None
    past = boxflow.wait_for(replay, 90, "the meeting did not become a replay")
    assert past["recording_url"].startswith("/media/replays/"), past
    status, m3u8 = server.get(past["recording_url"], box)
    assert status == 200 and "#EXT-X-ENDLIST" in m3u8, m3u8
