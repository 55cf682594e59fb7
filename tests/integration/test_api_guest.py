"""A member away from home (流动党员) over HTTPS: township staff give a 东村 member a PIN for
their phone; on a 西村 box the member opens a guest session with phone and PIN, joins their own
branch's live meeting (the township's, where 东村's cadre runs 东村's roll call) and signs in at
it; the check-in row keeps the 西村 box it came from. Refused: the wrong person setting a PIN, a
wrong PIN (then the limit per phone and per box, even with the right PIN), a session used from
another box, a guest at another branch's roll call, a check-in without watching, and everything
once the meeting has ended. The PIN is never stored, logged or sent back."""
import asyncio
import json
import urllib.error
import urllib.request

from harness import Server

PIN = "402719"
PHONE = "13912345678"
server = None
staff = None
member = None      # a 东村 member, away from home
guest_box = None   # the 西村 box the member uses
broadcast = None   # the township's live meeting
dongcun_rc = xicun_rc = None


def setup_module():
    global server, staff, member, guest_box, broadcast, dongcun_rc, xicun_rc
    server = Server("api_guest").start(extra=("--rate-limit", "1000"))
    staff = server.token_of("staff1")
    member = server.members(server.box_of("东村"))[0]
    guest_box = next(b for b in server.boxes if b["village_name"] == "西村")
    status, body = server.get("/api/v1/broadcasts", guest_box["token"])
    broadcast = next(b for b in body["broadcasts"]
                     if b["state"] == "live" and b["scope"] == "南湖镇")["id"]
    for village in ("东村", "西村"):
        cadre = server.token_of(server.cadre_of(village))
        status, r = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", cadre)
        assert status == 200, r
        if village == "东村":
            dongcun_rc = r["id"]
        else:
            xicun_rc = r["id"]


def teardown_module():
    server.finish()


def set_pin(token, member_id, phone=PHONE, pin=PIN):
    return server.request("PUT", f"/api/v1/staff/members/{member_id}/guest-pin", token,
                          body={"phone": phone, "pin": pin})


def open_session(box_token, phone=PHONE, pin=PIN):
    return server.request("POST", "/api/v1/guest/sessions", box_token,
                          body={"phone": phone, "pin": pin})


def test_only_the_township_sets_a_pin_and_it_is_never_kept_in_clear():
    box = guest_box["token"]
    cadre = server.token_of(server.cadre_of("东村"))
    status, body = set_pin(box, member)
    assert status == 403, body
    status, body = set_pin(cadre, member)
    assert status == 403, body
    for phone, pin in (("1391234567", PIN), ("23912345678", PIN), (PHONE, "12345"),
                       (PHONE, "12a456")):
        status, body = set_pin(staff, member, phone, pin)
        assert status == 400 and body["code"] == "bad_request", (phone, pin, body)
    status, body = set_pin(staff, 999999)
    assert status == 404, body
    status, body = set_pin(staff, member)
    assert status == 200 and body == {"member_id": member, "guest_pin": True}, body
    stored = server.sql("SELECT guest_pin_hash FROM members WHERE id = ?", (member,))[0][0]
    assert stored.startswith("$argon2id$") and PIN not in stored, stored
    # One phone opens one member: another member cannot take it.
    other = server.members(server.box_of("东村", 1))[0]
    status, body = set_pin(staff, other)
    assert status == 409, body


def test_a_wrong_pin_is_refused_then_limited_per_phone():
    status, body = set_pin(staff, server.members(server.box_of("东村", 2))[0], "13700000001",
                           "111111")
    assert status == 200, body
    box = server.box_of("河山村")
    for _ in range(5):
        status, body = open_session(box, "13700000001", "222222")
        assert status == 401 and body["code"] == "bad_credentials", body
    # The sixth try within the minute is refused before the PIN is looked at: even the right one.
    req = urllib.request.Request(server.url + "/api/v1/guest/sessions", method="POST",
                                 data=json.dumps({"phone": "13700000001", "pin": "111111"}).encode(),
                                 headers={"Authorization": f"Bearer {box}",
                                          "Content-Type": "application/json"})
    try:
        urllib.request.urlopen(req, context=server.ssl_context(), timeout=10)
        raise AssertionError("the sixth try was let through")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        assert e.code == 429 and body["code"] == "rate_limited", body
        assert int(e.headers["Retry-After"]) >= 1, dict(e.headers)


def test_wrong_tries_are_limited_per_box_too():
    box = server.box_of("前岭村")
    for i in range(10):  # an unknown phone answers as a wrong PIN does
        status, body = open_session(box, f"1380000{i:04d}", "123456")
        assert status == 401 and body["code"] == "bad_credentials", body
    status, body = open_session(box, PHONE, PIN)
    assert status == 429 and body["code"] == "rate_limited", body


def village_id(name):
    return server.sql("SELECT id FROM orgs WHERE name = ?", (name,))[0][0]


async def checkin_announced(box, checkin):
    """The guest's check-in moves the dashboard and the cadre's screen as a member's does: the
    township's staff and 东村's cadre get rollcall.checkin (东村's row, from 西村, a guest), once;
    西村's cadre, whose roll call it is not, gets nothing. Returns the two replies."""
    s_staff = await server.open_stream(staff)
    s_cadre = await server.open_stream(server.token_of(server.cadre_of("东村")))
    s_other = await server.open_stream(server.token_of(server.cadre_of("西村")))
    try:
        status, body = server.request("POST", "/api/v1/guest/checkins", box, body=checkin)
        assert status == 200 and body["first"] is True and body["member_id"] == member, body
        want = {"rollcall_id": dongcun_rc, "member_id": member, "village_id": village_id("东村"),
                "from_village_id": village_id("西村"), "guest": True,
                "checked_in_at": body["checked_in_at"]}
        first = []
        for s in (s_staff, s_cadre):
            ev = await s.wait_for(lambda e: e.type == "rollcall.checkin", 10)
            assert ev and json.loads(ev.data) == want, s.events
            first.append(ev)
        status, again = server.request("POST", "/api/v1/guest/checkins", box, body=checkin)
        assert status == 200 and again["first"] is False, again
        assert again["checked_in_at"] == body["checked_in_at"]
        for s, ev in zip((s_staff, s_cadre), first):  # the repeat is not announced again
            more = await s.wait_for(lambda e: e.type == "rollcall.checkin" and e is not ev, 1)
            assert more is None, s.events
        assert await s_other.wait_for(lambda e: e.type == "rollcall.checkin", 1) is None, \
            s_other.events
    finally:
        for s in (s_staff, s_cadre, s_other):
            s.close()
    return body, again


def test_a_guest_joins_their_branch_and_signs_in_from_another_village():
    box = guest_box["token"]
    status, s = open_session(box)
    assert status == 200, s
    token = s["guest_token"]
    assert len(token) == 64 and s["member"]["id"] == member, s
    assert s["broadcast"]["id"] == broadcast and s["broadcast"]["state"] == "live", s
    assert "pin" not in s and PIN not in str(s)
    # Only the token's SHA-256 is kept.
    assert server.sql("SELECT count(*) FROM guest_sessions WHERE token_hash = ?", (token,)) == [(0,)]
    status, rcs = server.request("POST", "/api/v1/guest/rollcalls", box, body={"guest_token": token})
    assert status == 200, rcs
    assert [r["id"] for r in rcs["rollcalls"]] == [dongcun_rc], rcs  # not 西村's
    assert rcs["rollcalls"][0]["checked_in_at"] is None
    checkin = {"guest_token": token, "rollcall_id": dongcun_rc}
    status, body = server.request("POST", "/api/v1/guest/checkins", box, body=checkin)
    assert status == 403 and body["code"] == "not_watching", body
    status, body = server.request("POST", "/api/v1/guest/heartbeat", box,
                                  body={"guest_token": token})
    assert status == 200 and body["broadcast_id"] == broadcast, body
    # Another branch's roll call of the same meeting: not theirs.
    status, body = server.request("POST", "/api/v1/guest/checkins", box,
                                  body={"guest_token": token, "rollcall_id": xicun_rc})
    assert status == 403 and body["code"] == "not_your_branch", body
    # The session belongs to the box that opened it.
    other_box = server.box_of("西村", 1)
    status, body = server.request("POST", "/api/v1/guest/checkins", other_box, body=checkin)
    assert status == 404, body
    status, body = server.request("POST", "/api/v1/guest/checkins", box,
                                  body={"guest_token": "0" * 64, "rollcall_id": dongcun_rc})
    assert status == 404, body
    status, body = server.request("POST", "/api/v1/guest/checkins", box,
                                  body={"guest_token": token})
    assert status == 400, body
    body, again = asyncio.run(checkin_announced(box, checkin))
    # Where from: the 西村 box, not one of the member's household.
    rows = server.sql("SELECT c.box_id, v.name FROM checkins c JOIN boxes b ON b.id = c.box_id"
                      " JOIN households h ON h.id = b.household_id JOIN orgs v ON v.id = h.village_id"
                      " WHERE c.rollcall_id = ? AND c.member_id = ?", (dongcun_rc, member))
    assert rows == [(int(guest_box["box_id"]), "西村")], rows
    assert server.sql("SELECT count(*) FROM credits WHERE member_id = ? AND reason ="
                      " 'meeting_attended' AND ref_id = ?", (member, dongcun_rc)) == [(1,)]
    # The member's own record shows it.
    status, rec = server.get(f"/api/v1/members/{member}/record", server.box_of("东村"))
    assert status == 200 and rec["meetings_attended"] >= 1, rec
    log = server.log_text()
    assert PIN not in log and token not in log and PHONE not in log


def test_the_guest_session_ends_with_the_meeting():
    box = guest_box["token"]
    status, s = open_session(box)
    assert status == 200, s
    token = s["guest_token"]
    status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast}/stop", staff)
    assert status == 200, body
    status, body = server.request("POST", "/api/v1/guest/heartbeat", box,
                                  body={"guest_token": token})
    assert status == 409 and body["code"] == "guest_session_ended", body
    status, body = server.request("POST", "/api/v1/guest/checkins", box,
                                  body={"guest_token": token, "rollcall_id": dongcun_rc})
    assert status == 409 and body["code"] == "guest_session_ended", body
    status, body = open_session(box)
    assert status == 409 and body["code"] == "broadcast_not_live", body
