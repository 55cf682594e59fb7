"""Random duty checks planned ahead (/api/v1/staff/duty-plans) against the real server: staff
plan two checks among three villages in a window a few seconds ahead; the server draws two
different villages and a moment each; nobody hears of them until they are due; then each
village's cadre gets its check on the event stream and in its list, the staff too, and it is
answered like any check. A village with a check already waiting is skipped. Cancel before the
time. Refusals: a cadre or a box (403), another township (404, nothing listed), malformed
windows, counts and village lists (400)."""
import asyncio
import datetime
import json
import time

from harness import Server

server = None
staff = north_staff = box = None
cadres = {}
village = {}


def setup_module():
    global server, staff, north_staff, box
    server = Server("api_duty_plans").start()
    staff = server.token_of("staff1")
    box = server.box_of("东村")
    for name in ("东村", "西村", "河山村"):
        village[name] = server.sql("SELECT id FROM orgs WHERE name = ?", (name,))[0][0]
        cadres[name] = server.token_of(server.cadre_of(name))
    north_staff = server.add_township("北山镇", ["北山村"],
                                      [("bs-staff", "北山镇党建办", "staff", "北山镇")])["bs-staff"]


def teardown_module():
    server.finish()


def iso(t):
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def plan(frm, to, count, names, token=None):
    return server.request("POST", "/api/v1/staff/duty-plans", token or staff,
                          {"from": iso(frm), "to": iso(to), "count": count,
                           "village_ids": [village[n] for n in names]})


def waiting(name):
    status, body = server.get("/api/v1/cadre/duty-checks", cadres[name])
    assert status == 200, body
    return body["checks"]


def test_planned_checks_arrive_when_due_and_not_before():
    async def run():
        streams = {n: await server.open_stream(cadres[n]) for n in village}
        staff_s = await server.open_stream(staff)
        start = time.time()
        status, body = plan(start + 3, start + 5, 2, list(village))
        assert status == 200 and len(body["plans"]) == 2, body
        plans = body["plans"]
        assert len({p["village"]["id"] for p in plans}) == 2, plans
        for p in plans:
            due = datetime.datetime.strptime(p["due_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.timezone.utc).timestamp()
            assert int(start + 3) <= due <= int(start + 5), (p, start)
            assert p["state"] == "planned" and p["check_id"] is None
            assert p["planned_by"]["name"] == "南湖镇党建办", p
        status, listed = server.get("/api/v1/staff/duty-plans", staff)
        assert status == 200 and {p["id"] for p in listed["plans"]} >= {p["id"] for p in plans}
        # Before the time: no cadre knows of it.
        assert all(waiting(n) == [] for n in village)
        drawn = {p["village"]["name"]: p for p in plans}
        for name, p in drawn.items():
            ev = await streams[name].wait_for(lambda e: e.type == "duty.check", 15)
            assert ev is not None, f"{name} got no duty.check"
            data = json.loads(ev.data)
            assert data["planned"] is True and data["state"] == "requested", data
            assert time.time() >= start + 2.5, "a planned check came before its time"
            [check] = waiting(name)
            assert check["id"] == data["check_id"] and check["checked_by"]["name"] == "南湖镇党建办"
            got = await staff_s.wait_for(lambda e, c=check["id"]: e.type == "duty.check" and
                                         json.loads(e.data)["check_id"] == c, 10)
            assert got is not None, "staff did not hear the planned check go out"
        [left] = [n for n in village if n not in drawn]
        assert waiting(left) == [], "a village not drawn got a check"
        # Answered like any check.
        name = next(iter(drawn))
        cid = waiting(name)[0]["id"]
        status, done = server.request("POST", f"/api/v1/cadre/duty-checks/{cid}/answer",
                                      cadres[name])
        assert status == 200 and done["state"] == "on_duty", done
        states = dict(server.sql("SELECT id, state FROM duty_plans"))
        assert all(states[p["id"]] == "sent" for p in plans), states
        status, listed = server.get("/api/v1/staff/duty-plans", staff)
        assert not {p["id"] for p in listed["plans"]} & {p["id"] for p in plans}
        for s in (*streams.values(), staff_s):
            s.close()
    asyncio.run(run())


def test_a_village_with_a_check_waiting_is_skipped():
    status, check = server.request("POST", "/api/v1/staff/duty-checks", staff,
                                   {"village_id": village["河山村"]})
    assert status == 200 or check.get("code") == "duty_check_open", check
    now = time.time()
    status, body = plan(now, now + 1, 1, ["河山村"])
    assert status == 200, body
    pid = body["plans"][0]["id"]
    deadline = time.time() + 10
    while time.time() < deadline:
        state = server.sql("SELECT state FROM duty_plans WHERE id = ?", (pid,))[0][0]
        if state != "planned":
            break
        time.sleep(0.2)
    assert state == "skipped", state
    assert len(waiting("河山村")) == 1


def test_cancel_before_the_time():
    now = time.time()
    status, body = plan(now + 3600, now + 7200, 1, ["西村"])
    assert status == 200, body
    pid = body["plans"][0]["id"]
    for token in (cadres["西村"], box):
        status, err = server.request("DELETE", f"/api/v1/staff/duty-plans/{pid}", token)
        assert status == 403, err
    status, err = server.request("DELETE", f"/api/v1/staff/duty-plans/{pid}", north_staff)
    assert status == 404, err
    status, done = server.request("DELETE", f"/api/v1/staff/duty-plans/{pid}", staff)
    assert status == 200 and done["state"] == "cancelled", done
    status, err = server.request("DELETE", f"/api/v1/staff/duty-plans/{pid}", staff)
    assert status == 409 and err["code"] == "duty_plan_done", err
    for path in ("/api/v1/staff/duty-plans/abc", "/api/v1/staff/duty-plans/0",
                 "/api/v1/staff/duty-plans/999999"):
        status, err = server.request("DELETE", path, staff)
        assert status in (400, 404), (path, status, err)


def test_refusals():
    now = time.time()
    for token in (cadres["东村"], box):
        status, err = plan(now + 60, now + 120, 1, ["东村"], token)
        assert status == 403, err
        status, err = server.get("/api/v1/staff/duty-plans", token)
        assert status == 403, err
    assert server.request("POST", "/api/v1/staff/duty-plans", None, {})[0] == 401
    # Another township: our villages are not theirs, our plans not listed.
    status, err = plan(now + 60, now + 120, 1, ["东村"], north_staff)
    assert status == 404, err
    status, listed = server.get("/api/v1/staff/duty-plans", north_staff)
    assert status == 200 and listed["plans"] == [], listed
    before = server.sql("SELECT count(*) FROM duty_plans")[0][0]
    ids = [village["东村"], village["西村"]]
    good = {"from": iso(now + 60), "to": iso(now + 120), "count": 1, "village_ids": ids}
    bad = [
        dict(good, **{"from": iso(now - 3600)}),           # begun already
        dict(good, to=good["from"]),                         # empty window
        dict(good, to=iso(now + 8 * 86400)),                 # over a week
        dict(good, **{"from": iso(now + 40 * 86400), "to": iso(now + 40 * 86400 + 60)}),
        dict(good, **{"from": "明天上午"}),
        dict(good, count=3),                                 # more than villages
        dict(good, count=0),
        dict(good, count="2"),
        dict(good, village_ids=[]),
        dict(good, village_ids=[village["东村"], village["东村"]]),
        dict(good, village_ids=["东村"]),
        dict(good, village_ids=[1.5]),
        dict(good, village_ids=village["东村"]),
        dict(good, extra=True),
        {k: v for k, v in good.items() if k != "count"},
    ]
    for body in bad:
        status, err = server.request("POST", "/api/v1/staff/duty-plans", staff, body)
        assert status == 400, (body, status, err)
    status, err = server.request("POST", "/api/v1/staff/duty-plans", staff, b"{oops")
    assert status == 400, err
    status, err = server.request("POST", "/api/v1/staff/duty-plans", staff,
                                 dict(good, village_ids=[999999]))
    assert status == 404, err
    assert server.sql("SELECT count(*) FROM duty_plans")[0][0] == before
    status, err = server.get("/api/v1/staff/duty-plans?all=1", staff)
    assert status == 400, err
