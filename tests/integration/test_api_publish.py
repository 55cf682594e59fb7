"""Publishing by township staff over HTTPS (/api/v1/staff/content, the dashboard's publishing
view): a staff member writes a notice for one village and its boxes see it, another staff member
of the township edits and deletes it; the refusals: a cadre and a box (403), no session (401),
another township's staff (404 on the item, 403 for a village of ours), malformed bodies and ids
(400), a browser session's POST from another site or without its CSRF token (403)."""
from harness import Server, staff_session
from webclient import call, own_origin, web_login

server = None
staff1 = staff2 = cadre = box = box_xi = north_staff = None
dong_id = None


def setup_module():
    global server, staff1, staff2, cadre, box, box_xi, north_staff, dong_id
    server = Server("api_publish").start()
    s = staff_session(server)
    staff1, staff2, cadre, box, box_xi, north_staff, dong_id = (
        s.staff, s.staff2, s.cadre, s.box, s.box_xi, s.north_staff, s.dong_id)


def teardown_module():
    server.finish()


def publish(body, token=None):
    return server.request("POST", "/api/v1/staff/content", token or staff1, body=body)


def titles(token):
    status, items = server.get("/api/v1/sections/affairs/items?per_page=50", token)
    assert status == 200, items
    return [i["title"] for i in items["items"]]


def test_staff_publish_edit_and_delete_in_their_township():
    status, made = publish({"kind": "通知公告", "title": "东村停水通知", "body": "周三上午停水。",
                            "village_id": dong_id})
    assert status == 200 and made["org_id"] == dong_id and made["section"] == "affairs", made
    assert "东村停水通知" in titles(box)
    assert "东村停水通知" not in titles(box_xi), "a village's notice reached another village"
    # Another staff member of the same township corrects it, then takes it down.
    status, edited = server.request("PUT", f"/api/v1/staff/content/{made['id']}", staff2,
                                    body={"kind": "通知公告", "title": "东村停水通知（改期）",
                                          "village_id": dong_id})
    assert status == 200 and edited["title"] == "东村停水通知（改期）", edited
    assert "东村停水通知（改期）" in titles(box)
    status, gone = server.request("DELETE", f"/api/v1/staff/content/{made['id']}", staff2)
    assert status == 200 and gone["deleted"] is True, gone
    assert server.get(f"/api/v1/items/{made['id']}", box)[0] == 404


def test_cadre_box_and_no_session_refused():
    body = {"kind": "通知公告", "title": "不该发出去"}
    for token in (cadre, box):
        status, reply = publish(body, token)
        assert status == 403 and reply["code"] == "forbidden", (status, reply)
    status, reply = server.request("POST", "/api/v1/staff/content", None, body=body)
    assert status == 401, reply
    status, made = publish({"kind": "通知公告", "title": "留着的通知"})
    assert status == 200, made
    for token in (cadre, box):
        status, reply = server.request("DELETE", f"/api/v1/staff/content/{made['id']}", token)
        assert status == 403, reply
        status, reply = server.request("PUT", f"/api/v1/staff/content/{made['id']}", token,
                                       body={"kind": "通知公告", "title": "改掉"})
        assert status == 403, reply
    assert server.sql("SELECT count(*) FROM content WHERE title = '不该发出去'") == [(0,)]
    assert server.sql("SELECT title FROM content WHERE id = ?", (made["id"],)) == [("留着的通知",)]


def test_another_townships_staff_cannot_touch_ours():
    status, made = publish({"kind": "督查通报", "title": "南湖镇督查通报"})
    assert status == 200, made
    status, reply = server.request("PUT", f"/api/v1/staff/content/{made['id']}", north_staff,
                                   body={"kind": "督查通报", "title": "北山镇改的"})
    assert status == 404, reply
    status, reply = server.request("DELETE", f"/api/v1/staff/content/{made['id']}", north_staff)
    assert status == 404, reply
    status, reply = publish({"kind": "通知公告", "title": "发到别镇的村", "village_id": dong_id},
                            north_staff)
    assert status == 403, reply
    assert server.sql("SELECT title FROM content WHERE id = ?", (made["id"],)) == [("南湖镇督查通报",)]
    assert server.sql("SELECT count(*) FROM content WHERE title = '发到别镇的村'") == [(0,)]
    # What north's staff publish stays in north: no box of ours sees it.
    status, theirs = publish({"kind": "通知公告", "title": "北山镇的通知"}, north_staff)
    assert status == 200, theirs
    assert "北山镇的通知" not in titles(box)


def test_malformed_refused():
    for body, field in (({"title": "无类型"}, "kind"),
                        ({"kind": "通知公告", "title": ""}, "title"),
                        ({"kind": "通知公告", "title": "x", "village_id": "东村"}, "village_id"),
                        ({"kind": "财务公示", "title": "x", "ledger": []}, "ledger"),
                        ({"kind": "通知公告", "title": "x", "owner": 1}, "owner")):
        status, reply = publish(body)
        assert status == 400 and field in reply["message"], (body, status, reply)
    status, reply = publish(b"{not json")
    assert status == 400, reply
    for path in ("/api/v1/staff/content/abc", "/api/v1/staff/content/0",
                 "/api/v1/staff/content/-1"):
        status, reply = server.request("PUT", path, staff1, body={"kind": "通知公告", "title": "x"})
        assert status in (400, 404), (path, status, reply)
    for (status, reply) in server.oversize("POST", "/api/v1/staff/content", staff1):
        assert status == 413, reply
    assert server.sql("SELECT count(*) FROM content WHERE title = 'x'") == [(0,)]


def test_browser_session_needs_its_site_and_csrf_token():
    r, cookie, csrf = web_login(server, "staff1")
    assert r.status == 200, r.raw
    body = {"kind": "通知公告", "title": "跨站发的通知"}
    r = call(server, "POST", "/api/v1/staff/content", body, cookie=cookie, csrf=csrf,
             origin="https://evil.example", site="cross-site")
    assert r.status == 403 and r.code == "cross_site", r.raw
    r = call(server, "POST", "/api/v1/staff/content", body, cookie=cookie,
             origin=own_origin(server), site="same-origin")
    assert r.status == 403, r.raw
    assert server.sql("SELECT count(*) FROM content WHERE title = '跨站发的通知'") == [(0,)]
    r = call(server, "POST", "/api/v1/staff/content", {"kind": "通知公告", "title": "本站发的通知"},
             cookie=cookie, csrf=csrf, origin=own_origin(server), site="same-origin")
    assert r.status == 200 and r.json["title"] == "本站发的通知", r.raw
