"""The household at the TV, end to end against the real server: "谁在看？" after home loads
(the demo's 𠮷祥云家 of three, names beyond GB2312), the choice made with the remote reaching
the check-in rows in the database at the roll call, and "我的记录" agreeing with the database.
The client runs headless with --ask-viewers (the harness switches it off for other tests);
checked through the UI dump, the screenshots and the database. The meeting's picture is an HLS
stream made by the ffmpeg CLI and served over HTTPS (live_meeting.py); the demo has no route to
set a broadcast's playback URL, so that one is written into the database (test-only)."""
import json
import os
import re

import boxflow
import harness
from harness import contrast, find_text, texts
from live_meeting import LiveMeeting

JI = "\U00020bb7"  # 𠮷, CJK Extension B
live = None
server = None


PHOTO_ITEM = {"key": "hh-photo", "kind": "优秀党员", "title": "照片测试", "citation": "照片",
              "photo": "people/face.png"}


def import_photo(srv, work):
    """A member's photo as the township imports pictures: into the server's media root."""
    src = os.path.join(work, "content")
    os.makedirs(os.path.join(src, "people"))
    harness.ffmpeg("-f", "lavfi", "-i", "color=c=green:size=300x400", "-frames:v", "1",
                   os.path.join(src, "people", "face.png"))
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump({"items": [PHOTO_ITEM]}, f, ensure_ascii=False)
    root = os.path.join(work, "root")
    done = harness.run_import(srv.db, src, root)
    assert done.returncode == 0, done.stderr
    return ["--media", root]


def setup_module():
    global live, server
    live = LiveMeeting("client-household", before_start=import_photo)
    server = live.server


def teardown_module():
    if live:
        live.stop()


def box_named(household):
    names = {str(hid): name for hid, name in server.sql("SELECT id, name FROM households")}
    box = next(b for b in server.boxes if names[b["household_id"]] == household)
    return box["token"], int(box["box_id"])


def home_members(token):
    status, home = server.get("/api/v1/home", token)
    assert status == 200, home
    return home["household"]["members"]


def readable(step):
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"
        assert not t.get("missing_glyphs"), f"step {step['step']}: '{t['text']}' has boxes"


def test_the_members_chosen_are_the_ones_signed_in():
    token, box_id = box_named(JI + "祥云家")
    members = home_members(token)
    assert len(members) == 3, members
    # The first member has a photo (the imported one); the others are shown by name.
    status, page = server.get("/api/v1/sections/pioneers/items?page=1&per_page=50", token)
    photo = next(it["picture"] for it in page["items"] if it["title"] == PHOTO_ITEM["title"])
    server.sql("UPDATE members SET photo = ? WHERE id = ?", (photo, members[0]["id"]))
    members = home_members(token)
    assert members[0]["photo"] == photo and members[1]["photo"] is None, members
    first, second, third = members
    cadre = server.token_of(server.cadre_of("西村"))
    c = boxflow.LiveClient("client_household_picker", server, token, [
        "wait-screen viewers 20000",     # 1 "谁在看？" after home loaded
        "wait 1500",                     # 2 the photo comes
        "2",                             # 3 the second member watches
        "3",                             # 4 and the third
        "DOWN",                          # 5 to the buttons
        "OK",                            # 6 好了
        "wait-screen home 10000",        # 7
        "wait-text 这次不签 30000",       # 8 the cadre calls the roll: who signs in
        "OK",                            # 9 join and sign in
        "wait-text 签到成功 40000",       # 10
    ], extra=("--ask-viewers",))
    try:
        c.wait_log("event stream open")
        c.wait_step(7)
        bid = boxflow.start_broadcast(server, cadre, "西村党员大会")
        live.picture(bid)
        status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
        assert status == 200, rc
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    picker = run.step(0)
    assert not picker.get("timeout") and picker["screen"] == "viewers", texts(picker)
    for m in members:
        assert find_text(picker, m["name"]), (m["name"], texts(picker))
    assert find_text(picker, "谁在看")["px"] >= 56
    assert picker["state"]["marked"] == [] and picker["state"]["viewers"] == []
    # The photo is fetched and decoded (it may still be on its way at the first step).
    photos = [run.step(i)["state"]["photos"] for i in range(5)]
    assert ["ready", "none", "none"] in photos, photos
    marked = run.step(3)
    assert marked["state"]["marked"] == [second["id"], third["id"]], marked["state"]
    assert find_text(marked, "√ " + second["name"]) and find_text(marked, "√ " + third["name"])
    home = run.step(6)
    assert home["screen"] == "home" and home["state"]["viewers"] == [second["id"], third["id"]]
    assert find_text(home, f"在看：{second['name']}、{third['name']}"), texts(home)
    prompt = run.step(7)
    assert not prompt.get("timeout"), texts(prompt)
    assert find_text(prompt, f"{first['name']}：这次不签"), texts(prompt)
    assert find_text(prompt, f"{second['name']}：签到"), texts(prompt)
    assert prompt["state"]["overlays"]["rollcall"]["left_out"] == [first["id"]]
    done = run.step(9)
    assert not done.get("timeout"), texts(done)
    rows = server.sql("SELECT member_id, box_id FROM checkins WHERE rollcall_id = ?"
                      " ORDER BY member_id", (rc["id"],))
    assert rows == sorted([(second["id"], box_id), (third["id"], box_id)]), rows
    assert find_text(done, f"{second['name']} 签到成功")
    assert not find_text(done, f"{first['name']} 签到成功")
    for s in (picker, marked, home, prompt, done):
        readable(s)
    boxflow.stop_broadcast(server, cadre, bid)


def close_open_rollcalls(token, cadre):
    """Close every roll call this box is called to (left open by an earlier test)."""
    status, cur = server.get("/api/v1/rollcalls/current", token)
    assert status == 200, cur
    for rc in cur["rollcalls"]:
        status, body = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/close", cadre)
        assert status == 200, body


def test_a_rollcall_open_at_start_waits_for_the_picker():
    # The roll call is open before the box starts: "谁在看？" comes first, with no prompt over
    # it, and OK there answers the picker; the prompt then comes by itself and signs in only
    # the member chosen.
    token, box_id = box_named(JI + "祥云家")
    members = home_members(token)
    assert len(members) == 3, members
    first, second, third = members
    cadre = server.token_of(server.cadre_of("西村"))
    close_open_rollcalls(token, cadre)
    bid = boxflow.start_broadcast(server, cadre, "西村党员大会（开机前点名）")
    live.picture(bid)
    status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
    assert status == 200, rc
    try:
        run = harness.run_client("client_household_rollcall_first", server.url, server.ca, token, [
            "wait-screen viewers 20000",  # 0 the picker, though the roll call is open
            "wait 2000",                  # 1 still the picker alone: the prompt waits
            "3",                          # 2 the third member watches
            "DOWN",                       # 3 to the buttons
            "OK",                         # 4 好了: answers the picker, not the prompt
            "wait-text 这次不签 20000",    # 5 now the prompt, with the choice
            "OK",                         # 6 join and sign in
            "wait-text 签到成功 40000",    # 7
        ], extra=("--ask-viewers",))
        assert run.code == 0, run.log[-3000:]
        for i in (0, 1, 2, 3):
            step = run.step(i)
            assert not step.get("timeout") and step["screen"] == "viewers", texts(step)
            assert "rollcall" not in step["overlays"], (i, step["overlays"])
            assert not find_text(step, "点名签到"), (i, texts(step))
        assert run.step(2)["state"]["marked"] == [third["id"]]
        chose = run.step(4)
        assert chose["screen"] == "home" and chose["state"]["viewers"] == [third["id"]], \
            chose["state"]
        assert server.sql("SELECT COUNT(*) FROM checkins WHERE rollcall_id = ? AND member_id"
                          " IN (?, ?)", (rc["id"], first["id"], second["id"]))[0][0] == 0
        prompt = run.step(5)
        assert not prompt.get("timeout") and "rollcall" in prompt["overlays"], texts(prompt)
        assert prompt["state"]["overlays"]["rollcall"]["rollcall_id"] == rc["id"]
        assert prompt["state"]["overlays"]["rollcall"]["left_out"] == [first["id"], second["id"]]
        assert find_text(prompt, f"{third['name']}：签到"), texts(prompt)
        done = run.step(7)
        assert not done.get("timeout"), texts(done)
        rows = server.sql("SELECT member_id, box_id FROM checkins WHERE rollcall_id = ?",
                          (rc["id"],))
        assert rows == [(third["id"], box_id)], rows
        assert find_text(done, f"{third['name']} 签到成功")
        for st in (run.step(0), prompt, done):
            readable(st)
    finally:
        boxflow.stop_broadcast(server, cadre, bid)


def record_from_db(member_id):
    called = server.sql("SELECT COUNT(*) FROM rollcall_members WHERE member_id = ?",
                        (member_id,))[0][0]
    attended = server.sql("SELECT COUNT(*) FROM checkins WHERE member_id = ?", (member_id,))[0][0]
    total = server.sql("SELECT COALESCE(SUM(points), 0) FROM credits WHERE member_id = ?",
                       (member_id,))[0][0]
    credits = server.sql("SELECT points FROM credits WHERE member_id = ?", (member_id,))
    return called, attended, total, len(credits)


def test_my_record_agrees_with_the_database():
    token, box_id = box_named("王喆家")
    members = home_members(token)
    assert len(members) >= 2, members
    # Give the second member a record the first does not have: a township roll call he signs
    # in at through the API (as the box, watching), so both tables have a row.
    staff = server.token_of("staff1")
    bid = boxflow.start_broadcast(server, staff, "十二月党群直通日视频会议")
    status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", staff)
    assert status == 200, rc
    status, hb = server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", token)
    assert status == 200, hb
    status, ci = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/checkins", token,
                                {"member_id": members[1]["id"]})
    assert status == 200, ci
    boxflow.stop_broadcast(server, staff, bid)
    called = record_from_db(members[1]["id"])[0]
    meeting_pages = max(1, (called + 4) // 5)  # five rows a page, newest first
    keys = [
        "wait-screen viewers 20000",     # 1
        "2",                             # 2 the second member watches
        "DOWN", "OK",                    # 3, 4 好了
        "wait-screen home 10000",        # 5
        "BLUE",                          # 6 我的记录
        "wait-screen record 15000",      # 7 the one watching first
        f"DOWN {meeting_pages}",          # 8 the credits page
        "RIGHT",                         # 9 the next member
        "wait-screen record 15000",      # 10
        "BACK",                          # 11
        "wait-screen home 10000",        # 12
    ]
    run = harness.run_client("client_household_record", server.url, server.ca, token, keys,
                             extra=("--ask-viewers",))
    assert run.code == 0, run.log[-3000:]
    rec = run.step(6)
    assert not rec.get("timeout") and rec["screen"] == "record", texts(rec)
    second = members[1]
    assert rec["state"]["member_id"] == second["id"], rec["state"]
    assert find_text(rec, f"我的记录 · {second['name']}")["px"] >= 56
    called, attended, total, n_credits = record_from_db(second["id"])
    assert called >= 1 and attended >= 1 and total >= 1
    summary = find_text(rec, "开会：")
    assert summary, texts(rec)
    assert re.sub(r"\s+", " ", summary["text"]) == \
        f"开会：应到 {called} 次，到了 {attended} 次 学分：一共 {total} 分", summary["text"]
    assert find_text(rec, "十二月党群直通日视频会议"), texts(rec)
    hhmm = server.sql("SELECT checked_in_at FROM checkins WHERE rollcall_id = ? AND member_id = ?",
                      (rc["id"], second["id"]))[0][0][11:16]
    h, m = int(hhmm[:2]), int(hhmm[3:])
    beijing = f"{(h + 8) % 24:02d}:{m:02d}"
    assert find_text(rec, f"√ {beijing} 签到"), (beijing, texts(rec))
    credits_page = run.step(7)
    assert find_text(credits_page, "学分明细"), texts(credits_page)
    assert find_text(credits_page, "参加会议：十二月党群直通日视频会议"), texts(credits_page)
    assert find_text(credits_page, "+1"), texts(credits_page)
    other = run.step(9)
    first = members[2 % len(members)]
    assert other["state"]["member_id"] == first["id"], other["state"]
    o_called, o_attended, o_total, _ = record_from_db(first["id"])
    assert find_text(other, f"开会：应到 {o_called} 次，到了 {o_attended} 次"), texts(other)
    for s in (rec, credits_page, other):
        readable(s)


# The demo exam's right options (assets/demo/content.json), 0-based.
RIGHT = [0, 1, 1, 0, 1, 0, 0, 0, 0, 0]


def test_the_member_watching_takes_the_exam_without_being_asked_again():
    token = server.box_of("东村", 5)
    members = home_members(token)
    assert len(members) >= 2, members
    chosen = members[1]
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    row, exam = next((i, it["id"]) for i, it in enumerate(listing["items"])
                     if it["kind"] == "考试")
    keys = ["wait-screen viewers 20000", "2", "DOWN", "OK", "wait-screen home 10000",  # 1-5
            "RIGHT 2", "OK", "wait-screen section.study 20000",                       # 6-8
            harness.study_poster_key(row), "OK", "wait-screen form 20000",       # 9-11
            "BACK",                                                                   # 12
            "2"]                                                                      # 13
    keys += [str(a + 1) for a in RIGHT]                                               # 14-23
    keys += ["wait-text 答完了 5000", "OK", "wait-text 得分 20000"]                     # 24-26
    run = harness.run_client("client_household_exam", server.url, server.ca, token, keys,
                             extra=("--ask-viewers",))
    assert run.code == 0, run.log[-3000:]
    first = run.step(10)
    assert first["screen"] == "form", texts(first)
    assert first["state"]["form_phase"] == "question", first["state"]
    assert first["state"]["member_id"] == chosen["id"], first["state"]
    assert find_text(first, f"由 {chosen['name']} 答题"), texts(first)
    who = run.step(11)  # Back on the first page: someone else may answer
    assert who["state"]["form_phase"] == "who", who["state"]
    result = run.step(25)
    assert result["state"]["form_phase"] == "result", result["state"]
    rows = server.sql("SELECT member_id, score FROM quiz_attempts WHERE content_id = ?", (exam,))
    assert rows == [(chosen["id"], 100)], rows
    for s in (first, who, result):
        readable(s)
