"""Duty checks (值班坐班) over HTTPS against the real server: staff ask a village whether its
cadre is on duty; the village's cadre (their tool's stream) and boxes hear it, another
village's do not; the cadre answers in time and the staff's stream hears "on_duty"; a check
left unanswered for 10 minutes (moved back in the database: the server's clock is the real
one) reads "absent" and a late answer is 409; who may do what (a box, a cadre on staff routes,
staff on the cadre routes, the cadre of another village or township); malformed and oversize
bodies."""
import asyncio
import json

from harness import Server

server = None
staff = None       # staff1
cadre = None       # 东村's cadre
other_cadre = None  # 西村's cadre
box = None         # a box of 东村
far_box = None     # a box of 西村
far_staff = None   # staff of another township (added in the database)
far_cadre = None   # a cadre of that township's village
village = {}       # org ids by name


def setup_module():
    global server, staff, cadre, other_cadre, box, far_box, far_staff, far_cadre
    server = Server("api_duty").start(extra=("--rate-limit", "1000"))
    staff = server.token_of("staff1")
    cadre = server.token_of(server.cadre_of("东村"))
    other_cadre = server.token_of(server.cadre_of("西村"))
    box = server.box_of("东村")
    far_box = server.box_of("西村")
    # Another township, its village, a staff account and a cadre.
    far = server.add_township("北湖镇", villages=["北湖村"],
                              accounts=[("beihu", "北湖镇值班", "staff", "北湖镇"),
                                        ("beihucun", "北湖村值班", "cadre", "北湖村")])
    far_staff, far_cadre = far["beihu"], far["beihucun"]
    village.update(server.sql("SELECT name, id FROM orgs"))


def teardown_module():
    server.finish()


def ask(name, token=None):
    return server.request("POST", "/api/v1/staff/duty-checks", token or staff,
                          body={"village_id": village[name]})


def answer(check_id, token=None, body=None):
    return server.request("POST", f"/api/v1/cadre/duty-checks/{check_id}/answer",
                          token or cadre, body=body)


def checks(token=None, **query):
    q = "&".join(f"{k}={v}" for k, v in query.items())
    status, body = server.get(f"/api/v1/staff/duty-checks{'?' + q if q else ''}",
                              token or staff)
    assert status == 200, body
    return body


def open_checks(token=None):
    status, body = server.get("/api/v1/cadre/duty-checks", token or cadre)
    assert status == 200, body
    return body["checks"]


def duty_event(check_id, state):
    return lambda e: (e.type == "duty.check" and json.loads(e.data)["check_id"] == check_id
                      and json.loads(e.data)["state"] == state)


def test_refusals():
    status, check = ask("河山村")
    assert status == 200, check
    cid = check["id"]
    staff_routes = [("POST", "/api/v1/staff/duty-checks", {"village_id": village["河山村"]}),
                    ("GET", "/api/v1/staff/duty-checks", None)]
    cadre_routes = [("GET", "/api/v1/cadre/duty-checks", None),
                    ("POST", f"/api/v1/cadre/duty-checks/{cid}/answer", None)]
    for method, path, body in staff_routes + cadre_routes:
        status, err = server.request(method, path, None, body=body)
        assert status == 401 and err["code"] == "unauthorized", (path, status, err)
        status, err = server.request(method, path, box, body=body)
        assert status == 403 and err["code"] == "forbidden", (path, status, err)
    for method, path, body in staff_routes:
        status, err = server.request(method, path, cadre, body=body)
        assert status == 403 and err["code"] == "forbidden", (path, status, err)
    for method, path, body in cadre_routes:  # staff have no village to answer for
        for token in (staff, server.token_of("admin")):
            status, err = server.request(method, path, token, body=body)
            assert status == 403 and err["code"] == "forbidden", (path, status, err)
    # Villages that are not this township's, and bodies that are not right.
    for bad in (village["北湖村"], village["南湖镇"], 999999):
        status, err = server.request("POST", "/api/v1/staff/duty-checks", staff,
                                     body={"village_id": bad})
        assert status == 404 and err["code"] == "not_found", (bad, status, err)
    for bad in ({}, {"village_id": "3"}, {"village_id": 0}, {"village_id": 3, "note": "x"},
                [3], b'{"village_id": 3', b""):
        status, err = server.request("POST", "/api/v1/staff/duty-checks", staff, body=bad)
        assert status == 400 and err["code"] == "bad_request", (bad, status, err)
    for status, err in server.oversize("POST", "/api/v1/staff/duty-checks", staff):
        assert status == 413 and err["code"] == "too_large", err
    for status, err in server.oversize("POST", f"/api/v1/cadre/duty-checks/{cid}/answer",
                                       server.token_of(server.cadre_of("河山村"))):
        assert status == 413 and err["code"] == "too_large", err
    status, err = answer(cid, server.token_of(server.cadre_of("河山村")), b"{oops")
    assert status == 400 and err["code"] == "bad_request", err
    status, err = answer(cid, server.token_of(server.cadre_of("河山村")), {"late": True})
    assert status == 400 and err["code"] == "bad_request", err
    status, err = answer(999999)
    assert status == 404 and err["code"] == "not_found", err
    for query, want in (("village=abc", 400), ("village=999999", 404), ("sort=id", 400),
                        ("per_page=0", 400), (f"village={village['北湖村']}", 404)):
        status, err = server.get(f"/api/v1/staff/duty-checks?{query}", staff)
        assert status == want, (query, status, err)
    status, err = server.get("/api/v1/cadre/duty-checks?x=1", cadre)
    assert status == 400, err
    # Nothing of it changed the check.
    assert checks(village=village["河山村"])["items"][0]["state"] == "requested"


def test_answered_in_time():
    async def run():
        cadre_s, box_s, far_s, staff_s = [await server.open_stream(t)
                                          for t in (cadre, box, far_box, staff)]
        status, check = ask("东村")
        assert status == 200 and check["state"] == "requested", check
        assert check["village"] == {"id": village["东村"], "name": "东村"}, check
        assert check["checked_by"]["name"] == "南湖镇党建办" and check["answered_at"] is None
        assert check["answer_by"] > check["requested_at"]
        cid = check["id"]
        for s in (cadre_s, box_s):
            ev = await s.wait_for(duty_event(cid, "requested"), 10)
            assert ev is not None and json.loads(ev.data)["village_id"] == village["东村"]
        # One check at a time per village.
        status, err = ask("东村")
        assert status == 409 and err["code"] == "duty_check_open", err
        # The cadre's tool lists it; 西村's does not and may not answer it.
        assert [c["id"] for c in open_checks()] == [cid]
        assert cid not in [c["id"] for c in open_checks(other_cadre)]
        status, err = answer(cid, other_cadre)
        assert status == 403 and err["code"] == "forbidden", err
        status, err = answer(cid, far_cadre)
        assert status == 404, err
        status, done = answer(cid)
        assert status == 200 and done["state"] == "on_duty" and done["answered_at"], done
        ev = await staff_s.wait_for(duty_event(cid, "on_duty"), 10)
        assert ev is not None, "the township's staff hear the answer"
        # A repeat (a lost reply retried) is the same answer.
        status, again = answer(cid, body={})
        assert status == 200 and again["answered_at"] == done["answered_at"], again
        assert open_checks() == []
        listed = checks(village=village["东村"])
        assert listed["items"][0]["id"] == cid and listed["items"][0]["state"] == "on_duty"
        heard = await far_s.wait_for(lambda e: e.type == "duty.check", 1)
        assert heard is None, f"a box of another village got {heard}"
        for s in (cadre_s, box_s, far_s, staff_s):
            s.close()

    asyncio.run(run())


def test_unanswered_is_absent():
    async def run():
        staff_s = await server.open_stream(staff)
        status, check = ask("西村")
        assert status == 200, check
        cid = check["id"]
        # Eleven minutes later: nobody answered.
        server.sql("UPDATE duty_checks SET requested_at = '2026-01-01T00:00:00Z' WHERE id = ?",
                   (cid,))
        item = next(c for c in checks()["items"] if c["id"] == cid)
        assert item["state"] == "absent" and item["answered_at"] is None, item
        assert open_checks(other_cadre) == []
        status, err = answer(cid, other_cadre)
        assert status == 409 and err["code"] == "duty_check_expired", err
        ev = await staff_s.wait_for(duty_event(cid, "absent"), 10)
        assert ev is not None, "the staff hear the check went absent"
        assert server.sql("SELECT state, answered_at FROM duty_checks WHERE id = ?",
                          (cid,)) == [("absent", None)]
        status, err = answer(cid, other_cadre)
        assert status == 409 and err["code"] == "duty_check_expired", err
        # The village can be asked again.
        status, again = ask("西村")
        assert status == 200 and again["id"] != cid, again
        staff_s.close()

    asyncio.run(run())


def test_list_paging_and_townships():
    everything = checks(per_page=50)
    assert everything["total"] == len(everything["items"]) >= 3, everything
    stamps = [c["requested_at"] for c in everything["items"]]
    assert stamps == sorted(stamps, reverse=True), stamps  # newest first
    page2 = checks(per_page=1, page=2)
    assert [c["id"] for c in page2["items"]] == [everything["items"][1]["id"]], page2
    assert checks(far_staff)["total"] == 0
    status, err = server.get(f"/api/v1/staff/duty-checks?village={village['东村']}", far_staff)
    assert status == 404, err
    status, err = ask("东村", far_staff)
    assert status == 404, err
    status, own = ask("北湖村", far_staff)
    assert status == 200 and own["village"]["name"] == "北湖村", own
    assert [c["id"] for c in open_checks(far_cadre)] == [own["id"]]
    status, err = answer(own["id"])  # 东村's cadre, another township's check
    assert status == 404, err
    status, done = answer(own["id"], far_cadre)
    assert status == 200 and done["state"] == "on_duty", done
    assert own["id"] not in [c["id"] for c in checks(per_page=50)["items"]]
