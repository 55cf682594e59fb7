"""A course played to 90 % earns its credit, end to end: the real server, real HLS media made
by ffmpeg, the real client headless opening the course from 党教园地 and playing it to the end.
The box saves the position, checks each member's record, reports the course completed for
those without the credit, says "学完了，获得 1 学分", and once the reports are in sets the resume
position back to the start. Played again, nothing is reported twice."""
import os
import shutil
import tempfile

import harness
from harness import Server, find_text, make_hls, run_client, texts
from media_https import MediaServer

server = None
media = None
work = None


def setup_module():
    global server, media, work
    work = tempfile.mkdtemp(prefix="djtv-study-")
    make_hls(os.path.join(work, "media", "hls"), 12)
    server = Server("client-study").start()
    media = MediaServer(os.path.join(work, "media"), server.dir).start()


def teardown_module():
    try:
        if media:
            media.stop()
    finally:
        if server:
            server.finish(work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def course_keys(token, item_id):
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    assert status == 200, listing
    row = next(i for i, it in enumerate(listing["items"]) if it["id"] == item_id)
    return ["wait-screen home 20000", "3", "wait-screen section.study 15000",
            harness.study_poster_key(row), "OK", "wait-screen player 20000"]


def credits_of(members, item_id):
    rows = server.sql("SELECT member_id FROM credits WHERE reason = 'course_completed'"
                      " AND ref_id = ? ORDER BY member_id", (item_id,))
    return [r[0] for r in rows if r[0] in members]


def test_a_course_played_to_the_end_earns_its_credit_once():
    token = server.box_of("东村", 0)
    members = server.members(token)
    status, made = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "课程", "title": "学分测试课", "body": "看完得学分。", "category": "党课学习",
        "duration_s": 12, "media_url": media.url("hls/index.m3u8")})
    assert status == 200, (status, made)
    item = made["id"]
    keys = course_keys(token, item) + ["wait-text 获得 1 学分 40000",     # 6: at 90 %
                                       "wait-screen section.study 30000",  # 7: the end
                                       "wait 1500"]                        # 8
    run = run_client("client_study_credit", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    said = run.step(6)
    assert find_text(said, "这门课学完了") and "notice" in said["overlays"], texts(said)
    assert "watched to 90 %" in run.log and "earned its credit" in run.log, run.log[-3000:]
    assert credits_of(members, item) == sorted(members), credits_of(members, item)
    household = next(int(b["household_id"]) for b in server.boxes if b["token"] == token)
    pos = server.sql("SELECT position_ms FROM resume_positions WHERE household_id = ?"
                     " AND content_id = ?", (household, item))
    assert pos == [(0,)], f"the end sets the course back to its start: {pos}"
    status, rec = server.get(f"/api/v1/members/{members[0]}/record", token)
    mine = [c for c in rec["credits"]["items"]
            if c["reason"] == "course_completed" and c["ref_id"] == item]
    assert len(mine) == 1 and mine[0]["points"] == 1, rec["credits"]

    # Watched again: the records already hold the credit, so nothing is reported or said.
    again = run_client("client_study_again", server.url, server.ca, token,
                       course_keys(token, item) + ["wait-screen section.study 40000",
                                                   "wait 1500"])
    assert again.code == 0, again.log[-3000:]
    assert "every member has its credit already" in again.log, again.log[-3000:]
    assert not any(find_text(s, "获得 1 学分") for s in again.steps)
    assert credits_of(members, item) == sorted(members)
    assert server.sql("SELECT count(*) FROM credits WHERE reason = 'course_completed'"
                      " AND ref_id = ?", (item,)) == [(len(members),)]
