"""The server routes the dashboard added, against the real server: the boxes of the township
(with the software version each reports in its User-Agent; unpairing one stops its token at
once and ends its event stream), questionnaire results
(counts per option equal to what was stored, withheld under 5 answers, never who), and the live
events the dashboard listens to (a check-in, a new service request) reaching staff only. Each
with the wrong person, another township and malformed input."""
import asyncio

import sseclient
from harness import Server

server = None
staff = None


def setup_module():
    global server, staff
    server = Server("dashboard-routes").start(extra=("--rate-limit", "1000"))
    staff = server.token_of("staff1")


def teardown_module():
    server.finish()


def test_boxes_of_the_township():
    status, body = server.get("/api/v1/staff/boxes", staff)
    assert status == 200, body
    assert body["total"] == len(server.boxes) == len(body["boxes"]), body["total"]
    b = body["boxes"][0]
    assert set(b) == {"id", "household", "village", "label", "paired", "last_seen", "version"}, b
    assert b["paired"] is True and b["last_seen"] is None, b
    village = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    status, east = server.get(f"/api/v1/staff/boxes?village={village}", staff)
    assert status == 200 and east["total"] == len([x for x in server.boxes
                                                   if x["village_name"] == "东村"]), east
    assert {x["village"]["name"] for x in east["boxes"]} == {"东村"}
    for bad in ("?village=abc", "?village=0", "?x=1", "?village=1&village=2"):
        status, err = server.get("/api/v1/staff/boxes" + bad, staff)
        assert status == 400, (bad, err)
    for who in (server.boxes[0]["token"], server.token_of(server.cadre_of("东村"))):
        status, err = server.get("/api/v1/staff/boxes", who)
        assert status == 403, err
    assert server.get("/api/v1/staff/boxes")[0] == 401


def listed_box(box_id, token=None):
    status, body = server.get("/api/v1/staff/boxes", token or staff)
    assert status == 200, body
    return next((b for b in body["boxes"] if b["id"] == box_id), None)


def test_box_reports_its_version_in_its_user_agent():
    row = next(b for b in server.boxes if b["village_name"] == "东村")
    box_id, token = int(row["box_id"]), row["token"]

    def home(agent, who=token):
        return server.request("GET", "/api/v1/home", who, headers={"User-Agent": agent})[0]

    # Malformed or foreign agents record nothing.
    for agent in ("curl/7.88", "djtv-client", "djtv-client/", "djtv-client/<b>1</b>",
                  "djtv-client/" + "9" * 40, "djtv-client/1.0;rm"):
        assert home(agent) == 200, agent
    b = listed_box(box_id)
    assert b["version"] is None and b["last_seen"] is None, b
    # A cadre's session saying it is a box: refused, nothing recorded.
    assert home("djtv-client/6.6.6", server.token_of(server.cadre_of("东村"))) == 403
    assert home("djtv-client/0.9.1 (linux)") == 200
    b = listed_box(box_id)
    assert b["version"] == "0.9.1" and b["last_seen"] is not None, b
    at = server.sql("SELECT reported_at FROM boxes WHERE id = ?", (box_id,))[0][0]
    # The same again within the hour: no write; a new version: recorded at once.
    server.sql("UPDATE boxes SET reported_at = '2000-01-01T00:00:00Z' WHERE id = ?", (box_id,))
    assert home("djtv-client/0.9.1") == 200
    assert server.sql("SELECT reported_at FROM boxes WHERE id = ?", (box_id,))[0][0] >= at
    server.sql("UPDATE boxes SET reported_at = ? WHERE id = ?", (at, box_id))
    assert home("djtv-client/0.9.1") == 200
    assert server.sql("SELECT reported_at FROM boxes WHERE id = ?", (box_id,))[0][0] == at
    assert home("djtv-client/0.10.0") == 200
    assert listed_box(box_id)["version"] == "0.10.0"
    # Another township's staff do not see the box at all.
    north = server.add_township("版本镇", ["版本村"], [("ver-staff", "版本镇", "staff", "版本镇")])
    assert listed_box(box_id, north["ver-staff"]) is None


def test_unpair_stops_the_token_at_once():
    row = next(b for b in server.boxes if b["village_name"] == "西村")
    token = row["token"]
    box_id = int(row["box_id"])
    status, boxes = server.get("/api/v1/staff/boxes", staff)
    listed = next(b for b in boxes["boxes"] if b["id"] == box_id)
    assert listed["household"]["id"] == int(row["household_id"]) and \
        listed["village"]["name"] == "西村", listed

    async def run():
        stream = await server.open_stream(token)
        status, body = server.request("DELETE", f"/api/v1/staff/boxes/{box_id}", staff)
        assert status == 200 and body == {"id": box_id, "paired": False}, body
        # The box's stream ends at once: the server closes it.
        await stream.wait_for(lambda e: False, 10)
        assert stream.ended, "the unpaired box's stream is still open"
    asyncio.run(run())
    assert server.get("/api/v1/home", token)[0] == 401
    status, err = server.request("DELETE", f"/api/v1/staff/boxes/{box_id}", staff)
    assert status == 409 and err["code"] == "box_unpaired", err
    status, boxes = server.get("/api/v1/staff/boxes", staff)
    assert next(b for b in boxes["boxes"] if b["id"] == box_id)["paired"] is False
    for path in ("/api/v1/staff/boxes/0", "/api/v1/staff/boxes/999999", "/api/v1/staff/boxes/x"):
        status, err = server.request("DELETE", path, staff)
        assert status == 404, (path, err)
    cadre = server.token_of(server.cadre_of("东村"))
    status, err = server.request("DELETE", f"/api/v1/staff/boxes/{box_id}", cadre)
    assert status == 403, err


def answer(box, form_id, pick):
    status, item = server.get(f"/api/v1/items/{form_id}", box)
    assert status == 200, item
    members = server.members(box)
    for m in members:
        answers = [{"question_id": q["id"], "option_ids": [q["options"][pick(q, m)]["id"]]}
                   for q in item["form"]["questions"]]
        status, r = server.request("POST", f"/api/v1/questionnaires/{form_id}/responses", box,
                                   body={"member_id": m, "answers": answers})
        assert status == 200, r
    return len(members)


def test_questionnaire_results_count_what_was_stored_and_withhold_few():
    status, body = server.get("/api/v1/staff/questionnaires", staff)
    assert status == 200 and body["min_answers"] == 5, body
    forms = {f["title"]: f for f in body["questionnaires"]}
    form = forms["镇领导班子民主评议"]
    assert form["anonymous"] is True and form["withheld"] is True, form
    status, res = server.get(f"/api/v1/staff/questionnaires/{form['id']}/results", staff)
    assert status == 200 and res["questions"] is None and res["withheld"], res
    box = server.box_of("东村")
    answered = answer(box, form["id"], lambda q, m: m % len(q["options"]))
    answered += answer(server.box_of("东村", 1), form["id"], lambda q, m: 0)
    assert answered >= 5, answered
    status, res = server.get(f"/api/v1/staff/questionnaires/{form['id']}/results", staff)
    assert status == 200 and res["withheld"] is False and res["respondents"] == \
        form["respondents"] + answered, res
    stored = dict(server.sql(
        "SELECT o.id, o.votes FROM question_options o JOIN questions q ON q.id = o.question_id"
        " WHERE q.content_id = ?", (form["id"],)))
    for q in res["questions"]:
        assert sum(o["count"] for o in q["options"]) == res["respondents"], q
        for o in q["options"]:
            assert o["count"] == stored[o["id"]], (o, stored)
    text = str(res)
    for name in server.sql("SELECT name FROM members"):
        assert name[0] not in text, "a result names a member"
    for path, want in (("/api/v1/staff/questionnaires/999999/results", 404),
                       ("/api/v1/staff/questionnaires/abc/results", 404),
                       (f"/api/v1/staff/questionnaires/{form['id']}/results?x=1", 400)):
        status, err = server.get(path, staff)
        assert status == want, (path, err)
    assert server.get(f"/api/v1/staff/questionnaires/{form['id']}/results",
                      server.token_of(server.cadre_of("东村")))[0] == 403


def other_township_staff():
    """A session of 北山镇's staff (the township made on first use), a township beside the
    demo's: each test that needs one gets it, also when run alone."""
    if not server.sql("SELECT 1 FROM accounts WHERE username = 'bs_staff'"):
        return server.add_township("北山镇", ["北山村"],
                                   [("bs_staff", "北山镇党建办", "staff", "北山镇")])["bs_staff"]
    return server.login("bs_staff", server.accounts["staff1"]["password"])[1]["token"]


def test_another_township_sees_none_of_it():
    other = other_township_staff()
    status, body = server.get("/api/v1/staff/boxes", other)
    assert status == 200 and body["boxes"] == [], body
    status, body = server.get("/api/v1/staff/questionnaires", other)
    assert status == 200 and body["questionnaires"] == [], body
    status, forms = server.get("/api/v1/staff/questionnaires", staff)
    fid = forms["questionnaires"][0]["id"]
    assert server.get(f"/api/v1/staff/questionnaires/{fid}/results", other)[0] == 404
    status, rcs = server.get("/api/v1/staff/rollcalls", staff)
    if rcs["items"]:
        assert server.get(f"/api/v1/staff/rollcalls/{rcs['items'][0]['id']}/watching",
                          other)[0] == 404
    status, boxes = server.get("/api/v1/staff/boxes", staff)
    bid = next(b["id"] for b in boxes["boxes"] if b["paired"])
    status, err = server.request("DELETE", f"/api/v1/staff/boxes/{bid}", other)
    assert status == 404, err
    village = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    assert server.get(f"/api/v1/staff/boxes?village={village}", other)[0] == 404


def test_checkins_and_requests_reach_staff_live():
    box = server.box_of("东村", 2)
    cadre = server.token_of(server.cadre_of("东村"))
    status, body = server.get("/api/v1/broadcasts", box)
    broadcast = next(b for b in body["broadcasts"] if b["state"] == "live")["id"]
    status, rc = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", cadre)
    assert status == 200, rc
    member = server.members(box)[0]

    async def run():
        s_staff = await server.open_stream(staff)
        s_far = await server.open_stream(server.box_of("西村", 1))
        assert server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", box)[0] == 200
        status, r = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/checkins", box,
                                   body={"member_id": member})
        assert status == 200 and r["first"], r
        ev = await s_staff.wait_for(lambda e: e.type == "rollcall.checkin", 10)
        assert ev, s_staff.events
        import json
        data = json.loads(ev.data)
        assert data["rollcall_id"] == rc["id"] and data["member_id"] == member and \
            data["checked_in_at"] == r["checked_in_at"], data
        status, req = server.request("POST", "/api/v1/requests", box,
                                     body={"category": "consult", "phone": "13800138000"})
        assert status == 200, req
        ev = await s_staff.wait_for(lambda e: e.type == "request.created", 10)
        assert ev and json.loads(ev.data)["request_id"] == req["id"], s_staff.events
        status, w = server.get(f"/api/v1/staff/rollcalls/{rc['id']}/watching", staff)
        assert status == 200 and w["window_s"] == 60, w
        village = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
        assert w["villages"] == [{"village_id": village, "households": 1}], w
        assert w["households"] == 1
        server.sql("UPDATE heartbeats SET last_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
                   " '-61 seconds')")
        status, w = server.get(f"/api/v1/staff/rollcalls/{rc['id']}/watching", staff)
        assert status == 200 and w["villages"] == [] and w["households"] == 0, w
        for path, want in ((f"/api/v1/staff/rollcalls/{rc['id']}/watching?x=1", 400),
                           ("/api/v1/staff/rollcalls/999999/watching", 404)):
            assert server.get(path, staff)[0] == want, path
        assert server.get(f"/api/v1/staff/rollcalls/{rc['id']}/watching", cadre)[0] == 403
        await asyncio.sleep(0.3)
        assert not [e for e in s_far.events if e.type in ("rollcall.checkin",
                                                          "request.created")], s_far.events
    asyncio.run(run())


def test_a_members_record_for_staff_of_the_township_only():
    box = server.box_of("东村")
    member = server.members(box)[0]
    status, mine = server.get(f"/api/v1/members/{member}/record", box)
    assert status == 200, mine
    status, rec = server.get(f"/api/v1/staff/members/{member}/record", staff)
    assert status == 200 and rec == mine, (rec, mine)
    other = other_township_staff()
    assert server.get(f"/api/v1/staff/members/{member}/record", other)[0] == 404
    assert server.get("/api/v1/staff/members/999999/record", staff)[0] == 404
    assert server.get(f"/api/v1/staff/members/{member}/record?x=1", staff)[0] == 400
    assert server.get(f"/api/v1/staff/members/{member}/record", box)[0] == 403
    cadre = server.token_of(server.cadre_of("东村"))
    assert server.get(f"/api/v1/staff/members/{member}/record", cadre)[0] == 403
