"""Township staff and what is live (GET /api/v1/staff/broadcasts) over HTTPS, and a roll call
opened on a village's behalf (POST /api/v1/broadcasts/{id}/rollcalls with {"village_id"}): on
the village's own broadcast and on the township's; it calls that village's members only. The
refusals: a cadre or a box listing (403), a cadre calling another branch, staff calling a
village on another village's broadcast (403), another township's staff (nothing listed, 403 on
our broadcast, 404 for our village), malformed bodies (400), a second open one (409)."""
from livecast import start_broadcast
from harness import Server

server = None
staff = cadre_dong = cadre_xi = box = north_staff = None
dong = xi = None


def setup_module():
    global server, staff, cadre_dong, cadre_xi, box, north_staff, dong, xi
    server = Server("api_staff_live").start()
    staff = server.token_of("staff1")
    cadre_dong = server.token_of(server.cadre_of("东村"))
    cadre_xi = server.token_of(server.cadre_of("西村"))
    box = server.box_of("东村")
    dong = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    xi = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    north_staff = server.add_township("北山镇", ["北山村"],
                                      [("bs-staff", "北山镇党建办", "staff", "北山镇")])["bs-staff"]


def teardown_module():
    server.finish()


def members_of(village):
    return server.sql("SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id"
                      " WHERE h.village_id = ?", (village,))[0][0]


def live_list(token=None):
    status, body = server.get("/api/v1/staff/broadcasts", token or staff)
    assert status == 200, body
    return {b["id"]: b for b in body["broadcasts"]}


def open_for(bid, village, token=None):
    body = {"village_id": village} if village else None
    return server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", token or staff, body)


def test_staff_open_a_roll_call_for_a_village_on_its_broadcast():
    b, _ = start_broadcast(server, cadre_dong, "东村党员大会")
    listed = live_list()
    assert b["id"] in listed and listed[b["id"]]["rollcalls"] == [], listed
    assert listed[b["id"]]["scope"] == "东村" and listed[b["id"]]["state"] == "live"
    status, rc = open_for(b["id"], dong)
    assert status == 200 and rc["org_id"] == dong and rc["state"] == "open", rc
    assert rc["expected"] == members_of(dong), rc
    [shown] = live_list()[b["id"]]["rollcalls"]
    assert shown["id"] == rc["id"] and shown["scope"] == {"id": dong, "name": "东村"}, shown
    # The village's cadre sees it as their own: they may close it.
    status, closed = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/close", cadre_dong)
    assert status == 200 and closed["state"] == "closed", closed
    assert live_list()[b["id"]]["rollcalls"] == []
    # Another village on 东村's broadcast: no.
    status, reply = open_for(b["id"], xi)
    assert status == 403, reply
    server.request("POST", f"/api/v1/broadcasts/{b['id']}/stop", cadre_dong)
    assert b["id"] not in live_list(), "an ended broadcast is still listed"


def test_staff_call_one_village_to_the_township_meeting():
    b, _ = start_broadcast(server, staff, "南湖镇党群直通日")
    assert live_list()[b["id"]]["scope"] == "南湖镇"
    status, rc = open_for(b["id"], xi)
    assert status == 200 and rc["org_id"] == xi and rc["expected"] == members_of(xi), rc
    status, again = open_for(b["id"], xi)
    assert status == 409 and again["code"] == "rollcall_open", again
    # 东村's own cadre runs 东村's roll call of the same meeting beside it.
    status, own = open_for(b["id"], None, cadre_dong)
    assert status == 200 and own["org_id"] == dong, own
    scopes = sorted(r["scope"]["name"] for r in live_list()[b["id"]]["rollcalls"])
    assert scopes == ["东村", "西村"], scopes
    # A box of 东村 is not called by 西村's roll call.
    status, current = server.get("/api/v1/rollcalls/current", box)
    assert status == 200 and [r["id"] for r in current["rollcalls"]] == [own["id"]], current


def test_wrong_people_refused():
    for token in (cadre_dong, box):
        status, reply = server.get("/api/v1/staff/broadcasts", token)
        assert status == 403, reply
    assert server.get("/api/v1/staff/broadcasts", None)[0] == 401
    b, _ = start_broadcast(server, cadre_xi, "西村支部会")
    status, reply = open_for(b["id"], dong, cadre_dong)  # a cadre for another branch
    assert status == 403, reply
    status, reply = open_for(b["id"], xi, cadre_dong)
    assert status == 403, reply
    # Another township: sees none of ours, may not call on our broadcasts or our villages.
    assert live_list(north_staff) == {}
    status, reply = open_for(b["id"], xi, north_staff)
    assert status == 403, reply
    theirs, _ = start_broadcast(server, north_staff, "北山镇会议")
    assert list(live_list(north_staff)) == [theirs["id"]]
    assert theirs["id"] not in live_list()
    status, reply = open_for(theirs["id"], xi, north_staff)
    assert status == 404, reply
    status, reply = open_for(theirs["id"], xi)
    assert status == 403, reply
    assert server.sql("SELECT count(*) FROM rollcalls WHERE broadcast_id IN (?, ?)",
                      (b["id"], theirs["id"])) == [(0,)]


def test_malformed_refused():
    b, _ = start_broadcast(server, cadre_dong, "东村夜校")
    for body in ({"village_id": "东村"}, {"village_id": 0}, {"village_id": -3},
                 {"village_id": dong, "extra": 1}, [dong], b"{nope"):
        status, reply = server.request("POST", f"/api/v1/broadcasts/{b['id']}/rollcalls", staff,
                                       body)
        assert status == 400, (body, status, reply)
    status, reply = open_for(b["id"], 999999)
    assert status == 404, reply
    for path in ("/api/v1/broadcasts/abc/rollcalls", "/api/v1/broadcasts/0/rollcalls",
                 f"/api/v1/broadcasts/{b['id']}/rollcalls?village_id={dong}"):
        status, reply = server.request("POST", path, staff, {"village_id": dong})
        assert status in (400, 404), (path, status, reply)
    status, reply = server.get("/api/v1/staff/broadcasts?state=live", staff)
    assert status == 400, reply
    assert server.sql("SELECT count(*) FROM rollcalls WHERE broadcast_id = ?", (b["id"],)) == [(0,)]
