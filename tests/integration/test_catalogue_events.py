"""catalogue.changed on the event stream (issue 11): when staff publish a notice, add a course,
or an upload job finishes, the boxes of that village (and the township's staff) hear it at once,
another village's boxes do not hear a village's item; a change and a removal are told too.
And on the TV: an open list of the section shows the new item without a reload."""
import asyncio
import json
import os

import boxflow
import harness
from harness import Server, ffmpeg, find_text

server = None
staff = box = box_xi = None
dong_id = None


def setup_module():
    global server, staff, box, box_xi, dong_id
    server = Server("catalogue_events")
    server.start(["--media", os.path.join(server.dir, "media"), "--rate-limit", "1000"])
    staff = server.token_of("staff1")
    box = server.box_of("东村")
    box_xi = server.box_of("西村")
    dong_id = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]


def teardown_module():
    server.finish()


def catalogue(item_id, change=None, section=None):
    """An event about ITEM_ID (ids of deleted items come back: SECTION tells them apart)."""
    def match(e):
        if e.type != "catalogue.changed":
            return False
        d = json.loads(e.data)
        return (d["item_id"] == item_id and (change is None or d["change"] == change)
                and (section is None or d["section"] == section))
    return match


def test_publishing_is_heard_by_the_village_and_staff_only():
    async def run():
        dong_s, xi_s, staff_s = [await server.open_stream(t) for t in (box, box_xi, staff)]
        status, made = server.request("POST", "/api/v1/staff/content", staff, body={
            "kind": "通知公告", "title": "东村修路通知", "body": "下周一开始修路。",
            "village_id": dong_id})
        assert status == 200, made
        for s in (dong_s, staff_s):
            ev = await s.wait_for(catalogue(made["id"], "added"), 10)
            assert ev, "catalogue.changed did not come"
            data = json.loads(ev.data)
            assert data == {"section": "affairs", "item_id": made["id"], "org_id": dong_id,
                            "change": "added"}, data
        assert not await xi_s.wait_for(catalogue(made["id"]), 1), "another village heard it"
        status, _ = server.request("PUT", f"/api/v1/staff/content/{made['id']}", staff, body={
            "kind": "通知公告", "title": "东村修路通知（改期）", "village_id": dong_id})
        assert status == 200
        assert await dong_s.wait_for(catalogue(made["id"], "updated"), 10)
        assert server.request("DELETE", f"/api/v1/staff/content/{made['id']}", staff)[0] == 200
        assert await dong_s.wait_for(catalogue(made["id"], "removed"), 10)
        # A course for the whole township reaches both villages.
        status, course = server.request("POST", "/api/v1/staff/courses", staff, body={
            "title": "冬季大棚管理", "category": "致富技术"})
        assert status == 200, course
        cid = course["course"]["id"]
        for s in (dong_s, xi_s):
            assert await s.wait_for(catalogue(cid, "added", "study"), 10)
        for s in (dong_s, xi_s, staff_s):
            s.close()
    asyncio.run(run())


def test_a_finished_upload_is_heard_with_its_item():
    path = os.path.join(server.dir, "clip.mp4")
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25", "-t", "2", "-c:v", "libx264",
           "-pix_fmt", "yuv420p", path)
    data = open(path, "rb").read()

    async def run():
        dong_s = await server.open_stream(box)
        status, job = server.request("POST", "/api/v1/staff/uploads", staff, body={
            "file": "video", "name": "clip.mp4", "size": len(data),
            "item": {"title": "东村晚会", "category": "南湖播报", "village_id": dong_id}})
        assert status == 200, job
        status, _ = server.request("PUT", f"/api/v1/staff/uploads/{job['id']}/file", staff,
                                   body=data, headers={"Content-Type": "application/octet-stream"})
        assert status == 200
        ev = await dong_s.wait_for(lambda e: e.type == "catalogue.changed", 60)
        assert ev and json.loads(ev.data)["section"] == "video", ev
        # When the event comes the job is done and the box lists the item.
        status, state = server.get(f"/api/v1/staff/uploads/{job['id']}", staff)
        assert state["state"] == "done", state
        assert state["item_id"] == json.loads(ev.data)["item_id"], (state, ev.data)
        status, items = server.get("/api/v1/sections/video/items?per_page=50", box)
        assert state["item_id"] in [i["id"] for i in items["items"]]
        dong_s.close()
    asyncio.run(run())


def test_an_open_list_on_the_tv_shows_a_new_item():
    c = boxflow.LiveClient("catalogue_events_list", server, box, [
        "wait-screen home 20000",                  # 1
        "OK", "wait-screen section.affairs",       # 2, 3: the list, before
        "wait-text 东村今晚放电影 30000",           # 4: the new notice on the open list
    ])
    try:
        c.wait_log("event stream open")
        before = c.wait_step(3)
        assert before["screen"] == "section.affairs" and not find_text(before, "东村今晚放电影")
        status, made = server.request("POST", "/api/v1/staff/content", staff, body={
            "kind": "通知公告", "title": "东村今晚放电影", "village_id": dong_id})
        assert status == 200, made
        after = c.wait_step(4)
        assert not after.get("timeout"), harness.texts(after)
        assert after["screen"] == "section.affairs", after["screen"]
        assert after["state"]["ids"][0] == made["id"], after["state"]  # newest first
        assert after["state"]["total"] == before["state"]["total"] + 1
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    assert "catalogue.changed" in run.log
