"""Course credits against the real server: a member of the box's household earns a course's
credit once, and only after the household has watched it to the end (the resume position the
player saves); the credit shows in the member's record. Refusals: a member of another
household, a course not yet watched, an item that is not a course, bad bodies."""
from harness import Server

server = None
box = None
other_box = None


def setup_module():
    global server, box, other_box
    server = Server("study").start(extra=("--rate-limit", "1000"))
    box = server.boxes[0]["token"]
    other_box = server.boxes[1]["token"]


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code}"


def first_course(token):
    status, cat = server.get("/api/v1/courses", token)
    assert status == 200, cat
    return next(c for g in cat["categories"] for c in g["courses"] if c["duration_s"] > 60)


def members(token):
    status, home = server.get("/api/v1/home", token)
    assert status == 200, home
    return [m["id"] for m in home["household"]["members"]]


def completed(token, item_id, member_id):
    return server.request("POST", f"/api/v1/courses/{item_id}/completed", token,
                          body={"member_id": member_id})


def test_credit_needs_the_course_watched_to_the_end():
    course = first_course(box)
    member = members(box)[0]
    status, body = completed(box, course["id"], member)
    assert status == 409 and body["code"] == "not_finished", body
    halfway = course["duration_s"] * 1000 // 2
    status, body = server.request("PUT", f"/api/v1/resume/{course['id']}", box,
                                  body={"position_ms": halfway})
    assert status == 200, body
    status, body = completed(box, course["id"], member)
    assert status == 409 and body["code"] == "not_finished", body
    near_end = course["duration_s"] * 1000 - 5000
    status, body = server.request("PUT", f"/api/v1/resume/{course['id']}", box,
                                  body={"position_ms": near_end})
    assert status == 200, body
    status, body = completed(box, course["id"], member)
    assert status == 200 and body["first"] is True and body["points"] == 1, body
    # Once only.
    status, again = completed(box, course["id"], member)
    assert status == 200 and again["first"] is False and again["points"] == 0, again
    status, rec = server.get(f"/api/v1/members/{member}/record", box)
    assert status == 200, rec
    mine = [c for c in rec["credits"]["items"]
            if c["reason"] == "course_completed" and c["ref_id"] == course["id"]]
    assert len(mine) == 1 and mine[0]["title"] == course["title"], rec["credits"]


def test_another_household_cannot_claim_it():
    course = first_course(box)
    stranger = members(other_box)[0]
    status, body = completed(box, course["id"], stranger)
    assert status == 403 and body["code"] == "not_household_member", body
    # The other household has not watched it: its own member is refused too.
    status, body = completed(other_box, course["id"], stranger)
    assert status == 409 and body["code"] == "not_finished", body


def test_refusals():
    course = first_course(box)
    member = members(box)[0]
    status, items = server.get("/api/v1/sections/affairs/items", box)
    notice = items["items"][0]["id"]
    status, body = completed(box, notice, member)
    assert status == 404 and body["code"] == "not_found", body
    status, body = completed(box, 999999, member)
    assert status == 404, body
    for bad in ({}, {"member_id": "1"}, {"member_id": 0}, {"member_id": member, "x": 1}):
        status, body = server.request("POST", f"/api/v1/courses/{course['id']}/completed", box,
                                      body=bad)
        assert status == 400 and body["code"] == "bad_request", (bad, body)
    status, body = server.request("POST", f"/api/v1/courses/{course['id']}/completed", box,
                                  body=b"{not json")
    assert status == 400, body
    status, body = completed(None, course["id"], member)
    assert status == 401, body
    staff = server.token_of("staff1")
    status, body = completed(staff, course["id"], member)
    assert status == 403, body
