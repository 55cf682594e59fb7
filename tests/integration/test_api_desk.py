"""The township's service desk over HTTPS against the real server: requests made from boxes
reach the desk with their village, household and member; staff give one to a colleague, reply
(the household's box sees the reply, and its event stream hears it at once, a neighbour's does
not) and close it; what a closed request refuses (409); overdue requests (the deadline moved
back in the database: the server's clock is the real one) first, with their count; filters and
paging; staff of another township see nothing of it (404); and the refusals (no token, a box,
a cadre, malformed and oversize bodies, bad fields and query arguments)."""
import asyncio
import json

from harness import Server

server = None
staff = None      # staff1's session (南湖镇党建办)
staff2 = None     # staff2's session
cadre = None      # 东村's cadre
box = None        # a box of 东村
neighbour = None  # another household's box in 东村
far_box = None    # a box of 西村
far_staff = None  # staff of another township (added in the database)
ids = {}          # account ids by username


def setup_module():
    global server, staff, staff2, cadre, box, neighbour, far_box, far_staff
    server = Server("api_desk").start(extra=("--rate-limit", "1000"))
    staff, staff2 = server.token_of("staff1"), server.token_of("staff2")
    cadre = server.token_of(server.cadre_of("东村"))
    box, neighbour = server.box_of("东村"), server.box_of("东村", 1)
    far_box = server.box_of("西村")
    far_staff = server.add_township(
        "北湖镇", accounts=[("beihu", "北湖镇便民服务中心", "staff", "北湖镇")])["beihu"]
    ids.update(server.sql("SELECT username, id FROM accounts"))


def teardown_module():
    server.finish()


def ask(token, category="agri_tech", note="大棚蔬菜叶子发黄", member=True):
    """A request from a box, as the member makes it on the TV."""
    body = {"category": category, "phone": "13800138000", "note": note}
    if member:
        status, home = server.get("/api/v1/home", token)
        body["member_id"] = home["household"]["members"][0]["id"]
    status, req = server.request("POST", "/api/v1/requests", token, body=body)
    assert status == 200, req
    return req


def desk(path="", token=None, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    status, body = server.get(f"/api/v1/desk/requests{path}{'?' + q if q else ''}",
                              token or staff)
    return status, body


def act(rid, what, body=None, token=None):
    return server.request("POST", f"/api/v1/desk/requests/{rid}/{what}", token or staff,
                          body=body)


def test_refusals():
    req = ask(box)
    routes = [("GET", "/api/v1/desk/requests", None),
              ("GET", f"/api/v1/desk/requests/{req['id']}", None),
              ("POST", f"/api/v1/desk/requests/{req['id']}/assign", {"assignee_id": 1}),
              ("POST", f"/api/v1/desk/requests/{req['id']}/reply", {"body": "好的"}),
              ("POST", f"/api/v1/desk/requests/{req['id']}/close", {}),
              ("GET", "/api/v1/desk/staff", None)]
    for method, path, body in routes:
        status, err = server.request(method, path, None, body=body)
        assert status == 401 and err["code"] == "unauthorized", (path, status, err)
        for token in (box, cadre):
            status, err = server.request(method, path, token, body=body)
            assert status == 403 and err["code"] == "forbidden", (path, status, err)
    valid = {"assign": {"assignee_id": ids["staff2"]}, "reply": {"body": "好的"}, "close": {}}
    for what in ("assign", "reply", "close"):
        status, err = act(999999, what, valid[what])
        assert status == 404 and err["code"] == "not_found", (what, status, err)
        status, err = act(req["id"], what, b'{"body": ')
        assert status == 400 and err["code"] == "bad_request", (what, status, err)
        for status, err in server.oversize("POST", f"/api/v1/desk/requests/{req['id']}/{what}",
                                           staff):
            assert status == 413 and err["code"] == "too_large", (what, err)
    status, err = desk("/999999")
    assert status == 404 and err["code"] == "not_found", err
    status, err = desk("/abc")  # not an id: no such route
    assert status == 404 and err["code"] == "not_found", err
    for query in ({"state": "lost"}, {"overdue": "2"}, {"village": "abc"}, {"sort": "id"},
                  {"page": "0"}, {"per_page": "51"}):
        status, err = desk(**query)
        assert status == 400 and err["code"] == "bad_request", (query, status, err)
    status, err = desk(village=999999)
    assert status == 404, err
    status, err = server.get(f"/api/v1/desk/requests/{req['id']}?x=1", staff)
    assert status == 400, err


def test_bad_bodies():
    rid = ask(box)["id"]
    for bad in ({}, {"body": ""}, {"body": "   \n"}, {"body": "x" * 1001}, {"body": 5},
                {"body": "好的\u0007"}, {"body": "好的", "urgent": True}, ["好的"]):
        status, err = act(rid, "reply", bad)
        assert status == 400 and err["code"] == "bad_request", (bad, status, err)
    for bad in ({}, {"assignee_id": "2"}, {"assignee_id": 0}, {"assignee_id": -3},
                {"assignee_id": 1.5}, {"assignee_id": ids["staff2"], "note": "x"}):
        status, err = act(rid, "assign", bad)
        assert status == 400 and err["code"] == "bad_request", (bad, status, err)
    for bad in ({"note": 5}, {"note": ""}, {"note": "x" * 1001}, {"reason": "done"}):
        status, err = act(rid, "close", bad)
        assert status == 400 and err["code"] == "bad_request", (bad, status, err)
    status, body = server.get(f"/api/v1/desk/requests/{rid}", staff)
    assert status == 200 and body["state"] == "open" and body["replies"] == [], body


def test_staff_list():
    status, body = server.get("/api/v1/desk/staff", staff)
    assert status == 200, body
    assert body["staff"] == [{"id": ids["staff1"], "name": "南湖镇党建办"},
                             {"id": ids["staff2"], "name": "南湖镇便民服务中心"}], body
    status, body = server.get("/api/v1/desk/staff", far_staff)
    assert status == 200 and [s["id"] for s in body["staff"]] == [ids["beihu"]], body


def test_assign_reply_close():
    req = ask(box, "farm_policy", "想问问今年的种粮补贴")
    rid = req["id"]
    status, d = desk(f"/{rid}")
    assert status == 200, d
    assert d["village"]["name"] == "东村" and d["household"]["name"] and d["member"]["name"]
    assert d["phone"] == "13800138000" and d["category"] == "farm_policy"
    assert d["category_title"] == "惠农政策" and d["note"] == "想问问今年的种粮补贴"
    assert d["state"] == "open" and d["assignee"] is None and d["overdue"] is False
    assert d["reply_count"] == 0 and d["replies"] == [] and d["closed_at"] is None
    # Only a staff account of this township can take it.
    for wrong in (ids["admin"], ids[server.cadre_of("东村")], ids["beihu"], 999999):
        status, err = act(rid, "assign", {"assignee_id": wrong})
        assert status == 400 and err["code"] == "not_township_staff", (wrong, status, err)
    status, d = act(rid, "assign", {"assignee_id": ids["staff2"]})
    assert status == 200 and d["state"] == "assigned", d
    assert d["assignee"] == {"id": ids["staff2"], "name": "南湖镇便民服务中心"}, d
    status, d = act(rid, "reply", {"body": "明天上午技术员上门\n请保持电话畅通"}, staff2)
    assert status == 200 and d["state"] == "replied" and d["reply_count"] == 1, d
    assert d["replies"][0]["author"] == "南湖镇便民服务中心"
    assert d["replies"][0]["account_id"] == ids["staff2"]
    # The box sees the reply on its side.
    status, mine = server.get(f"/api/v1/requests/{rid}", box)
    assert status == 200 and mine["state"] == "replied", mine
    assert [r["body"] for r in mine["replies"]] == ["明天上午技术员上门\n请保持电话畅通"]
    # Giving it to someone else after the reply keeps "replied".
    status, d = act(rid, "assign", {"assignee_id": ids["staff1"]})
    assert status == 200 and d["state"] == "replied" and d["assignee"]["id"] == ids["staff1"]
    status, d = act(rid, "close", {"note": "已电话回访，问题解决"})
    assert status == 200 and d["state"] == "closed" and d["closed_at"], d
    assert [r["body"] for r in d["replies"]][-1] == "已电话回访，问题解决"
    status, mine = server.get(f"/api/v1/requests/{rid}", box)
    assert mine["state"] == "closed" and mine["reply_count"] == 2, mine
    # A closed request takes nothing more.
    for what, body in (("close", {}), ("close", None), ("reply", {"body": "再补充一句"}),
                       ("assign", {"assignee_id": ids["staff2"]})):
        status, err = act(rid, what, body)
        assert status == 409 and err["code"] == "request_closed", (what, status, err)
    status, d = desk(f"/{rid}")
    assert d["reply_count"] == 2 and d["state"] == "closed", d
    # Closing without a note, and without a body at all.
    rid2 = ask(box, member=False)["id"]
    status, d = act(rid2, "close")
    assert status == 200 and d["state"] == "closed" and d["member"] is None, d
    assert d["replies"] == [] and d["assignee"] is None


def test_reply_reaches_the_household_box():
    rid = ask(box, "consult")["id"]

    async def run():
        mine, other = await server.open_stream(box), await server.open_stream(neighbour)
        status, d = act(rid, "reply", {"body": "您好，政策材料已送到村委会"})
        assert status == 200, d
        ev = await mine.wait_for(lambda e: e.type == "request.reply", 10)
        assert ev is not None, "the household's box hears the reply"
        data = json.loads(ev.data)
        assert data["request_id"] == rid and data["state"] == "replied", data
        assert data["reply"]["body"] == "您好，政策材料已送到村委会", data
        assert data["reply"]["author"] == "南湖镇党建办", data
        status, d = act(rid, "close")
        assert status == 200, d
        ev = await mine.wait_for(lambda e: e.type == "request.reply"
                                 and json.loads(e.data)["state"] == "closed", 10)
        assert ev is not None and json.loads(ev.data)["reply"] is None, ev
        heard = await other.wait_for(lambda e: e.type == "request.reply", 1)
        assert heard is None, f"another household's box got {heard}"
        mine.close()
        other.close()

    asyncio.run(run())


def test_overdue_first_and_counted():
    late = ask(far_box, "dispute", "邻居占了我家的宅基地")["id"]
    later = ask(far_box, "income")["id"]
    # A day and a half ago (the database is the only clock we can move from here).
    server.sql("UPDATE service_requests SET created_at = '2026-01-01T00:00:00Z',"
               " deadline_at = '2026-01-02T00:00:00Z' WHERE id = ?", (late,))
    server.sql("UPDATE service_requests SET created_at = '2026-01-01T01:00:00Z',"
               " deadline_at = '2026-01-02T01:00:00Z' WHERE id = ?", (later,))
    xicun = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    status, body = desk(overdue=1)
    assert status == 200 and body["overdue"] == 2 and body["total"] == 2, body
    assert [r["id"] for r in body["items"]] == [late, later], body  # oldest deadline first
    assert all(r["overdue"] for r in body["items"])
    status, body = desk()
    assert body["items"][0]["id"] == late and body["overdue"] == 2, body
    status, body = desk(village=xicun)
    assert body["total"] == 2 and body["overdue"] == 2, body
    assert {r["village"]["name"] for r in body["items"]} == {"西村"}
    status, d = act(later, "reply", {"body": "已安排"})
    assert status == 200 and d["overdue"] is False, d  # answered: no longer waiting
    status, body = desk(overdue=1)
    assert body["overdue"] == 1 and [r["id"] for r in body["items"]] == [late], body
    status, d = act(late, "close", {"note": "已调解"})
    assert status == 200 and d["overdue"] is False, d
    status, body = desk(overdue=1)
    assert body["overdue"] == 0 and body["items"] == [], body
    # Closed ones come after the rest.
    status, body = desk(per_page=50)
    states = [r["state"] for r in body["items"]]
    assert "closed" in states and states.index("closed") == len(states) - states.count("closed")


def test_filters_and_paging():
    status, all_ = desk(per_page=50)
    assert status == 200 and all_["total"] == len(all_["items"]) > 3, all_
    for state in ("open", "assigned", "replied", "closed"):
        status, body = desk(state=state, per_page=50)
        assert status == 200, body
        assert body["total"] == sum(r["state"] == state for r in all_["items"]), (state, body)
        assert all(r["state"] == state for r in body["items"])
    status, one = desk(per_page=1, page=2)
    assert status == 200 and one["total"] == all_["total"] and one["per_page"] == 1
    assert [r["id"] for r in one["items"]] == [all_["items"][1]["id"]]
    status, none = desk(page=1000)
    assert status == 200 and none["items"] == [] and none["total"] == all_["total"]


def test_other_township_sees_nothing():
    rid = ask(box)["id"]
    status, body = desk(token=far_staff)
    assert status == 200 and body["total"] == 0 and body["items"] == [], body
    status, err = desk(f"/{rid}", far_staff)
    assert status == 404 and err["code"] == "not_found", err
    for what, body in (("assign", {"assignee_id": ids["beihu"]}), ("reply", {"body": "你好"}),
                       ("close", {})):
        status, err = act(rid, what, body, far_staff)
        assert status == 404, (what, status, err)
    dongcun = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    status, err = desk(token=far_staff, village=dongcun)
    assert status == 404, err
    status, d = desk(f"/{rid}")
    assert d["state"] == "open" and d["replies"] == [], d


def test_admin_works_the_desk():
    admin = server.token_of("admin")
    rid = ask(box)["id"]
    status, d = act(rid, "reply", {"body": "管理员已处理"}, admin)
    assert status == 200 and d["replies"][0]["author"] == "系统管理员", d
