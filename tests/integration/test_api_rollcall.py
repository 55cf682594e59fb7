"""The roll-call rules over HTTPS, one by one: a check-in only from a box of the member's own
household, only while the roll call is open, only if that box sent a playback heartbeat for the
broadcast in the last 60 s; a repeat is idempotent; each check-in lands in the member's record
and credits. 东村's cadre runs 东村's roll call on the township's live meeting."""
import time

from harness import Server

server = None
cadre = None
box = None        # 东村, household 1
neighbour = None  # 东村, household 2
far = None        # 西村
broadcast = None  # the township's live meeting
rollcall = None


def setup_module():
    global server, cadre, box, neighbour, far, broadcast, rollcall
    # Many quick calls with one box token: lift the per-token limit (test_api_cadre tests it).
    server = Server("api_rollcall").start(extra=("--rate-limit", "1000"))
    box, neighbour = server.box_of("东村"), server.box_of("东村", 1)
    far = server.box_of("西村")
    cadre = server.token_of(server.cadre_of("东村"))
    status, body = server.get("/api/v1/broadcasts", box)
    broadcast = next(b for b in body["broadcasts"] if b["state"] == "live")["id"]
    status, r = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", cadre)
    assert status == 200, r
    dongcun_members = server.sql(
        "SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id"
        " JOIN orgs v ON v.id = h.village_id WHERE v.name = '东村'")[0][0]
    assert r["expected"] == dongcun_members and r["state"] == "open", r
    rollcall = r["id"]


def teardown_module():
    server.finish()


def heartbeat(token):
    status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", token)
    assert status == 200, body


def checkin(token, member, rc=None):
    return server.request("POST", f"/api/v1/rollcalls/{rc or rollcall}/checkins", token,
                          body={"member_id": member})


def first_member_checked_in():
    """The box's first member, signed in (a repeat is idempotent): for the tests that read the
    check-in, also when one of them is run alone."""
    heartbeat(box)
    member = server.members(box)[0]
    status, body = checkin(box, member)
    assert status == 200, body
    return member


def test_status_lists_the_open_rollcall():
    status, cur = server.get("/api/v1/rollcalls/current", box)
    assert status == 200, cur
    assert [r["id"] for r in cur["rollcalls"]] == [rollcall]
    r = cur["rollcalls"][0]
    assert r["broadcast_id"] == broadcast and r["watching"] is False
    assert [m["id"] for m in r["members"]] == server.members(box)
    assert all(m["checked_in_at"] is None for m in r["members"])
    status, cur = server.get("/api/v1/rollcalls/current", far)
    assert cur["rollcalls"] == [], cur  # 西村 is not called


def test_rule_heartbeat_required():
    status, body = checkin(box, server.members(box)[0])
    assert status == 403 and body["code"] == "not_watching", body


def test_rule_own_household_only():
    heartbeat(neighbour)
    status, body = checkin(neighbour, server.members(box)[0])
    assert status == 403 and body["code"] == "not_household_member", body
    heartbeat(far)  # 西村's box does not even see 东村's roll call
    status, body = checkin(far, server.members(box)[0])
    assert status == 404, body
    assert server.sql("SELECT count(*) FROM checkins") == [(0,)]


def test_rule_heartbeat_older_than_60s_refused():
    heartbeat(box)
    # The same heartbeat 61 s ago (the database is the only clock we can move from here).
    server.sql("UPDATE heartbeats SET last_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-61 seconds')")
    status, body = checkin(box, server.members(box)[0])
    assert status == 403 and body["code"] == "not_watching", body


def test_checkin_accepted_then_idempotent():
    heartbeat(box)
    member = server.members(box)[0]
    status, first = checkin(box, member)
    assert status == 200 and first["first"] is True, first
    time.sleep(1.1)
    status, again = checkin(box, member)
    assert status == 200 and again["first"] is False, again
    assert again["checked_in_at"] == first["checked_in_at"]
    assert server.sql("SELECT count(*) FROM checkins WHERE member_id = ?", (member,)) == [(1,)]
    status, cur = server.get("/api/v1/rollcalls/current", box)
    row = next(m for m in cur["rollcalls"][0]["members"] if m["id"] == member)
    assert row["checked_in_at"] == first["checked_in_at"] and cur["rollcalls"][0]["watching"]


def test_checkin_lands_in_record_and_credits():
    member = first_member_checked_in()
    status, record = server.get(f"/api/v1/members/{member}/record", box)
    assert status == 200, record
    att = [a for a in record["attendance"] if a["rollcall_id"] == rollcall]
    assert len(att) == 1 and att[0]["attended"] and att[0]["checked_in_at"], record
    meetings = [c for c in record["credits"]["items"] if c["reason"] == "meeting_attended"]
    assert len(meetings) == 1 and meetings[0]["ref_id"] == rollcall, record
    assert record["credits"]["total"] == 1
    assert server.sql("SELECT count(*) FROM credits WHERE member_id = ?", (member,)) == [(1,)]


def test_cadre_sees_the_signin_list():
    first_member_checked_in()
    status, body = server.get(f"/api/v1/rollcalls/{rollcall}/signins", cadre)
    assert status == 200, body
    assert [m["member_id"] for m in body["checked_in"]] == [server.members(box)[0]]
    assert body["rollcall"]["checked_in"] == 1
    assert len(body["absent"]) == body["rollcall"]["expected"] - 1


def test_rule_only_while_open():
    status, body = server.request("POST", f"/api/v1/rollcalls/{rollcall}/close", cadre)
    assert status == 200 and body["state"] == "closed", body
    heartbeat(box)
    status, body = checkin(box, server.members(box)[-1])
    assert status == 409 and body["code"] == "rollcall_closed", body
    # A retry of an earlier check-in still gets its first answer.
    status, body = checkin(box, server.members(box)[0])
    assert status == 200 and body["first"] is False, body
    status, body = checkin(box, server.members(box)[0], rc=999999)
    assert status == 404, body


def test_checkin_input_refusals():
    for body in ({}, {"member_id": "1"}, {"member_id": 1, "box_id": 2}, {"member_id": -3}):
        status, err = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", box,
                                     body=body)
        assert status == 400 and err["code"] == "bad_request", (body, status, err)
    status, err = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", box,
                                 body=b'{"member_id":')
    assert status == 400, err
    status, err = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", cadre,
                                 body={"member_id": 1})
    assert status == 403, err
