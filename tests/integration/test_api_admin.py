"""Admin content routes over HTTPS: create an item of each kind with its extras (finance ledger
lines, course fields, pioneer fields), update it, delete it, and what a box then sees; the
refusals: staff, cadres and boxes (403), no or a bad token (401), an item or a village of
another township, unknown fields and kinds, fields of another kind, bad values, malformed JSON,
an oversize body."""
from harness import Server

server = None
admin = None   # the admin's session
staff = None
cadre = None
box = None     # a box of 东村
box_xi = None  # a box of 西村
dong_id = None  # 东村's org id
other_village = None  # a village of a second township (made with SQL)


def setup_module():
    global server, admin, staff, cadre, box, box_xi, dong_id, other_village
    server = Server("api_admin").start()
    admin = server.token_of("admin")
    staff = server.token_of("staff1")
    cadre = server.token_of(server.cadre_of("东村"))
    box = next(b for b in server.boxes if b["village_name"] == "东村")["token"]
    box_xi = next(b for b in server.boxes if b["village_name"] == "西村")["token"]
    dong_id = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    server.sql("INSERT INTO orgs (parent_id, kind, name) VALUES (NULL, 'township', '北山镇')")
    north = server.sql("SELECT id FROM orgs WHERE name = '北山镇'")[0][0]
    server.sql("INSERT INTO orgs (parent_id, kind, name) VALUES (?, 'village', '北村')", (north,))
    other_village = server.sql("SELECT id FROM orgs WHERE name = '北村'")[0][0]


def teardown_module():
    server.finish()


def post(body, token=None):
    return server.request("POST", "/api/v1/admin/content", token or admin, body=body)


def test_create_notice_township_wide_every_box_sees_it():
    status, body = post({"kind": "通知公告", "title": "管理员测试通知", "body": "第一行\n第二行",
                         "published_at": "2026-01-02T03:04:05Z"})
    assert status == 200, body
    assert body["section"] == "affairs" and body["kind"] == "通知公告" and body["id"] > 0, body
    for token in (box, box_xi):
        status, item = server.get(f"/api/v1/items/{body['id']}", token)
        assert status == 200 and item["title"] == "管理员测试通知", item
        assert item["body"] == "第一行\n第二行", item


def test_create_finance_with_ledger_in_one_village():
    status, body = post({"kind": "财务公示", "title": "东村10月财务公示", "village_id": dong_id,
                         "ledger": [{"date": "2026-10-01", "item": "上级补助", "income_fen": 500000},
                                    {"date": "2026-10-09", "item": "修路", "expense_fen": 120050}]})
    assert status == 200 and body["ledger_lines"] == 2, body
    status, item = server.get(f"/api/v1/items/{body['id']}", box)
    assert status == 200, item
    text = str(item)
    assert "上级补助" in text and "修路" in text, item
    # 西村's box does not see 东村's disclosure.
    status, _ = server.get(f"/api/v1/items/{body['id']}", box_xi)
    assert status == 404


def test_create_course_and_pioneer_with_their_fields():
    status, c = post({"kind": "课程", "title": "管理员课程", "category": "党课学习",
                      "duration_s": 600, "poster": "/media/items/x/poster.jpg",
                      "media_url": "/media/items/x/hls/index.m3u8"})
    assert status == 200 and c["section"] == "study" and c["category"] == "党课学习", c
    assert c["media_url"] == "/media/items/x/hls/index.m3u8" and c["duration_s"] == 600, c
    status, item = server.get(f"/api/v1/items/{c['id']}", box)
    assert status == 200 and "/media/items/x/hls/index.m3u8" in str(item), item
    status, p = post({"kind": "优秀党员", "title": "张大爷", "citation": "三十年义务护林",
                      "photo": "/media/items/y/photo.png"})
    assert status == 200 and p["section"] == "pioneers" and p["citation"] == "三十年义务护林", p
    status, item = server.get(f"/api/v1/items/{p['id']}", box)
    assert status == 200 and "三十年义务护林" in str(item), item


def test_update_replaces_item_and_extras():
    status, c = post({"kind": "财务公示", "title": "旧标题", "ledger": [
        {"date": "2026-10-01", "item": "甲", "income_fen": 100},
        {"date": "2026-10-02", "item": "乙", "income_fen": 200}]})
    assert status == 200, c
    status, u = server.request("PUT", f"/api/v1/admin/content/{c['id']}", admin, body={
        "kind": "财务公示", "title": "新标题", "ledger": [
            {"date": "2026-11-01", "item": "丙", "expense_fen": 50}]})
    assert status == 200 and u["id"] == c["id"] and u["title"] == "新标题", u
    status, item = server.get(f"/api/v1/items/{c['id']}", box)
    assert status == 200 and item["title"] == "新标题", item
    text = str(item)
    assert "丙" in text and "甲" not in text and "乙" not in text, item
    assert server.sql("SELECT count(*) FROM ledger_lines WHERE content_id = ?", (c["id"],)) \
        == [(1,)]


def test_delete_then_boxes_no_longer_see_it():
    status, c = post({"kind": "督查通报", "title": "将被删除的通报"})
    assert status == 200
    status, _ = server.get(f"/api/v1/items/{c['id']}", box)
    assert status == 200
    status, d = server.request("DELETE", f"/api/v1/admin/content/{c['id']}", admin)
    assert status == 200 and d == {"id": c["id"], "deleted": True}, d
    status, body = server.get(f"/api/v1/items/{c['id']}", box)
    assert status == 404, body
    status, body = server.request("DELETE", f"/api/v1/admin/content/{c['id']}", admin)
    assert status == 404 and body["code"] == "not_found", body
    status, body = server.request("PUT", f"/api/v1/admin/content/{c['id']}", admin,
                                  body={"kind": "督查通报", "title": "x"})
    assert status == 404, body


def test_roles_refused():
    body = {"kind": "通知公告", "title": "不该写进去"}
    for token in (staff, cadre, box):
        status, reply = post(body, token)
        assert status == 403 and reply["code"] == "forbidden", (status, reply)
    status, reply = server.request("POST", "/api/v1/admin/content", None, body=body)
    assert status == 401, reply
    status, reply = post(body, "0" * 64)
    assert status == 401, reply
    status, c = post({"kind": "通知公告", "title": "删不掉"})
    for token in (staff, cadre, box):
        status, reply = server.request("DELETE", f"/api/v1/admin/content/{c['id']}", token)
        assert status == 403, reply
    assert server.sql("SELECT count(*) FROM content WHERE title = '不该写进去'") == [(0,)]


def test_other_township_refused():
    status, body = post({"kind": "通知公告", "title": "别的镇", "village_id": other_village})
    assert status == 403, body
    server.sql("INSERT INTO content (org_id, section, kind, title, body, published_at)"
               " VALUES (?, 'affairs', '通知公告', '北村的通知', '', '2026-01-01T00:00:00Z')",
               (other_village,))
    foreign = server.sql("SELECT id FROM content WHERE title = '北村的通知'")[0][0]
    status, body = server.request("PUT", f"/api/v1/admin/content/{foreign}", admin,
                                  body={"kind": "通知公告", "title": "改别人的"})
    assert status == 404, body
    status, body = server.request("DELETE", f"/api/v1/admin/content/{foreign}", admin)
    assert status == 404, body
    assert server.sql("SELECT title FROM content WHERE id = ?", (foreign,)) == [("北村的通知",)]


def test_bad_bodies_refused_with_the_field_named():
    cases = [
        ({"title": "无类型"}, "kind"),
        ({"kind": "不存在", "title": "x"}, "kind"),
        ({"kind": "通知公告"}, "title"),
        ({"kind": "通知公告", "title": ""}, "title"),
        ({"kind": "通知公告", "title": "x", "colour": "red"}, "colour"),
        ({"kind": "通知公告", "title": "x", "category": "党课学习"}, "category"),
        ({"kind": "通知公告", "title": "x", "section": "study"}, "section"),
        ({"kind": "课程", "title": "x"}, "category"),
        ({"kind": "课程", "title": "x", "category": "党课学习", "media_url": "file:///etc/passwd"},
         "media_url"),
        ({"kind": "课程", "title": "x", "category": "党课学习", "poster": "/media/../x.jpg"}, "poster"),
        ({"kind": "课程", "title": "x", "category": "党课学习", "duration_s": -1}, "duration_s"),
        ({"kind": "优秀党员", "title": "x"}, "citation"),
        ({"kind": "财务公示", "title": "x"}, "ledger"),
        ({"kind": "财务公示", "title": "x", "ledger": [{"date": "2026-13-01", "item": "a",
                                                        "income_fen": 1}]}, "date"),
        ({"kind": "财务公示", "title": "x", "ledger": [{"date": "2026-10-01", "item": "a",
                                                        "income_fen": -5}]}, "income_fen"),
        ({"kind": "通知公告", "title": "x", "published_at": "yesterday"}, "published_at"),
        ({"kind": "通知公告", "title": "x", "village_id": 999999}, "village_id"),
        ({"kind": "通知公告", "title": "x" * 600}, "title"),
        ({"kind": "通知公告", "title": "a\u0001b"}, "title"),
    ]
    for body, field in cases:
        status, reply = post(body)
        assert status == 400 and reply["code"] == "bad_request", (body, status, reply)
        assert field in reply["message"], (body, reply)
    status, reply = post(b"{not json")
    assert status == 400 and reply["code"] == "bad_request", reply
    status, reply = post([1, 2])
    assert status == 400, reply
    for (status, reply) in server.oversize("POST", "/api/v1/admin/content", admin):
        assert status == 413, reply
    status, reply = server.request("PUT", "/api/v1/admin/content/abc", admin,
                                   body={"kind": "通知公告", "title": "x"})
    assert status in (400, 404), reply
    assert server.sql("SELECT count(*) FROM content WHERE title = 'x'") == [(0,)]


def test_questionnaire_is_not_edited_here():
    qid = server.sql("SELECT content_id FROM questionnaires LIMIT 1")[0][0]
    status, reply = server.request("PUT", f"/api/v1/admin/content/{qid}", admin,
                                   body={"kind": "通知公告", "title": "改问卷"})
    assert status == 400 and reply["code"] == "not_editable", reply
