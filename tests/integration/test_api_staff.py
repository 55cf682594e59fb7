"""Township staff over HTTPS: roll-call attendance village by village, absentees, the trend
across meetings and the CSV export. The roll calls are made through the real routes: staff
open two township-wide roll calls on the live meeting (check-ins from a 东村 household and one
西村 member, then fewer), 东村's cadre one for 东村 only, and a fourth stays open. Refusals:
box and cadre tokens 403, no token 401, another township's staff 404, bad queries 400."""
import csv
import io
import re
import urllib.error
import urllib.request

from harness import Server

server = None
staff = admin = cadre = None
dong = xi = None      # box tokens: a 东村 household, a 西村 household
broadcast = None      # the township's live meeting
rc1 = rc2 = rc3 = rc4 = None
present1 = set()      # member ids checked in at rc1
FORMULA = '=HYPERLINK("http://evil.example","点我")'
HOUSEHOLD = '王家,"东头"'


def setup_module():
    global server, staff, admin, cadre, dong, xi, broadcast, rc1, rc2, rc3, rc4
    server = Server("api_staff").start(extra=("--rate-limit", "1000"))
    staff = server.token_of("staff1")
    admin = server.token_of("admin")
    cadre = server.token_of(server.cadre_of("东村"))
    dong = next(b for b in server.boxes if b["village_name"] == "东村")
    xi = next(b for b in server.boxes if b["village_name"] == "西村")
    # What a spreadsheet must not run, and a household name that needs quoting; a phone to call.
    first = server.members(dong["token"])[0]
    server.sql("UPDATE members SET name = ?, phone = '13800138000' WHERE id = ?", (FORMULA, first))
    server.sql("UPDATE households SET name = ? WHERE id = ?",
               (HOUSEHOLD, int(dong["household_id"])))
    status, body = server.get("/api/v1/broadcasts", dong["token"])
    broadcast = next(b for b in body["broadcasts"] if b["state"] == "live")["id"]

    rc1 = open_rollcall(staff)
    for m in server.members(dong["token"]):
        checkin(dong["token"], rc1, m)
        present1.add(m)
    checkin(xi["token"], rc1, server.members(xi["token"])[0])
    present1.add(server.members(xi["token"])[0])
    close(rc1)
    rc2 = open_rollcall(staff)
    checkin(dong["token"], rc2, server.members(dong["token"])[0])
    close(rc2)
    rc3 = open_rollcall(cadre)  # 东村 only
    checkin(dong["token"], rc3, server.members(dong["token"])[0])
    close(rc3)
    rc4 = open_rollcall(staff)  # stays open


def teardown_module():
    server.finish()


def open_rollcall(token):
    status, r = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", token)
    assert status == 200, r
    return r["id"]


def close(rollcall):
    status, r = server.request("POST", f"/api/v1/rollcalls/{rollcall}/close", staff)
    assert status == 200, r


def checkin(token, rollcall, member):
    status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", token)
    assert status == 200, body
    status, body = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", token,
                                  body={"member_id": member})
    assert status == 200, body


def village_members():
    """{village name: [member ids]} of the whole township, from the database."""
    out = {}
    for name, mid in server.sql(
            "SELECT v.name, m.id FROM members m JOIN households h ON h.id = m.household_id"
            " JOIN orgs v ON v.id = h.village_id ORDER BY v.id, h.id, m.id"):
        out.setdefault(name, []).append(mid)
    return out


def permille(present, expected):
    return (present * 1000 + expected // 2) // expected


def fetch(path, token=None):
    """GET PATH; (status, headers, raw bytes)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    req = urllib.request.Request(server.url + path, headers=headers)
    try:
        with urllib.request.urlopen(req, context=server.ssl_context(), timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_rollcall_list_newest_first_with_totals():
    status, body = server.get("/api/v1/staff/rollcalls", staff)
    assert status == 200, body
    assert [r["id"] for r in body["items"]] == [rc4, rc3, rc2, rc1], body
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 20
    everyone = sum(len(v) for v in village_members().values())
    by_id = {r["id"]: r for r in body["items"]}
    r1 = by_id[rc1]
    assert r1["state"] == "closed" and r1["closed_at"] and r1["opened_at"] <= r1["closed_at"]
    assert r1["title"].endswith("党群直通日视频会议") and r1["broadcast_id"] == broadcast
    assert r1["scope"]["name"] == "南湖镇"
    assert (r1["expected"], r1["present"], r1["absent"]) == (
        everyone, len(present1), everyone - len(present1))
    assert r1["rate_permille"] == permille(len(present1), everyone)
    assert by_id[rc3]["scope"]["name"] == "东村"
    assert by_id[rc3]["expected"] == len(village_members()["东村"])
    assert by_id[rc4]["state"] == "open" and by_id[rc4]["closed_at"] is None
    assert by_id[rc4]["present"] == 0 and by_id[rc4]["rate_permille"] == 0
    # Paging and dates; admins see the same.
    status, page = server.get("/api/v1/staff/rollcalls?per_page=3&page=2", admin)
    assert status == 200 and [r["id"] for r in page["items"]] == [rc1] and page["total"] == 4
    day = r1["opened_at"][:10]
    status, same = server.get(f"/api/v1/staff/rollcalls?from={day}&to={day}", staff)
    assert [r["id"] for r in same["items"]] == [rc4, rc3, rc2, rc1], same
    status, later = server.get(f"/api/v1/staff/rollcalls?from={r1['opened_at'][:4]}-12-31"
                               "T23:59:59Z", staff)
    assert status == 200 and later["items"] == [] and later["total"] == 0, later
    status, before = server.get("/api/v1/staff/rollcalls?to=2000-01-01", staff)
    assert status == 200 and before["total"] == 0, before


def test_attendance_per_village():
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc1}/attendance", staff)
    assert status == 200, body
    vm = village_members()
    assert [v["village"] for v in body["villages"]] == list(vm), body["villages"]
    rows = {v["village"]: v for v in body["villages"]}
    dong_present = len(server.members(dong["token"]))
    assert (rows["东村"]["expected"], rows["东村"]["present"]) == (len(vm["东村"]), dong_present)
    assert rows["东村"]["absent"] == len(vm["东村"]) - dong_present
    assert rows["东村"]["rate_permille"] == permille(dong_present, len(vm["东村"]))
    assert (rows["西村"]["present"], rows["西村"]["expected"]) == (1, len(vm["西村"]))
    assert all(v["present"] == 0 and v["rate_permille"] == 0
               for name, v in rows.items() if name not in ("东村", "西村"))
    everyone = sum(len(v) for v in vm.values())
    assert body["totals"] == {"expected": everyone, "present": len(present1),
                              "absent": everyone - len(present1),
                              "rate_permille": permille(len(present1), everyone)}
    assert body["rollcall"]["id"] == rc1 and body["rollcall"]["present"] == len(present1)
    # A village's own roll call has one row.
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc3}/attendance", admin)
    assert status == 200 and [v["village"] for v in body["villages"]] == ["东村"], body
    assert body["totals"]["present"] == 1


def test_absentees_are_expected_minus_checked_in():
    vm = village_members()
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc1}/absentees", staff)
    assert status == 200, body
    everyone = {m for ids in vm.values() for m in ids}
    got = [a["member_id"] for a in body["absentees"]]
    assert len(got) == len(set(got)) == body["count"]
    assert set(got) == everyone - present1
    a = body["absentees"][0]
    assert set(a) == {"member_id", "name", "household_id", "household", "village_id", "village",
                      "phone"}, a
    # One village only; the member with a phone is listed with it when absent.
    xi_village = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    status, body = server.get(
        f"/api/v1/staff/rollcalls/{rc1}/absentees?village={xi_village}", staff)
    assert status == 200 and body["village_id"] == xi_village, body
    assert {a["member_id"] for a in body["absentees"]} == set(vm["西村"]) - present1
    assert all(a["village"] == "西村" for a in body["absentees"])
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc2}/absentees", staff)
    with_phone = [a for a in body["absentees"] if a["name"] == FORMULA]
    assert with_phone == [] and len(body["absentees"]) == len(everyone) - 1  # they came to rc2
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc4}/absentees", staff)
    called = [a for a in body["absentees"] if a["name"] == FORMULA]
    assert len(called) == 1 and called[0]["phone"] == "13800138000", called
    assert called[0]["household"] == HOUSEHOLD


def test_trends_oldest_first_closed_only():
    status, body = server.get("/api/v1/staff/trends", staff)
    assert status == 200, body
    assert body["last"] == 6 and body["village_id"] is None
    assert [r["id"] for r in body["rollcalls"]] == [rc1, rc2, rc3], body["rollcalls"]
    opened = [r["opened_at"] for r in body["rollcalls"]]
    assert opened == sorted(opened)
    vm = village_members()
    assert [v["village"] for v in body["villages"]] == list(vm)
    series = {v["village"]: v["points"] for v in body["villages"]}
    assert all(len(p) == 3 for p in series.values())
    dong_n = len(vm["东村"])
    dong_present = len(server.members(dong["token"]))
    assert [p["present"] for p in series["东村"]] == [dong_present, 1, 1]
    assert series["东村"][0]["rate_permille"] == permille(dong_present, dong_n)
    assert series["西村"][0]["present"] == 1 and series["西村"][1]["present"] == 0
    assert series["西村"][2] is None  # rc3 called 东村 only
    assert body["rollcalls"][2]["expected"] == dong_n and body["rollcalls"][2]["present"] == 1
    # The last two; one village (only the roll calls that called it).
    status, body = server.get("/api/v1/staff/trends?last=2", staff)
    assert [r["id"] for r in body["rollcalls"]] == [rc2, rc3], body
    xi_village = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    status, body = server.get(f"/api/v1/staff/trends?village={xi_village}&last=24", admin)
    assert status == 200, body
    assert [r["id"] for r in body["rollcalls"]] == [rc1, rc2], body
    assert [v["village"] for v in body["villages"]] == ["西村"]
    assert [p["present"] for p in body["villages"][0]["points"]] == [1, 0]


def test_csv_export():
    status, headers, raw = fetch(f"/api/v1/staff/rollcalls/{rc1}/attendance.csv", staff)
    assert status == 200, raw[:300]
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == f'attachment; filename="rollcall-{rc1}.csv"'
    assert raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["村", "户", "姓名", "签到时间(UTC)", "是否到会"], rows[0]
    want = server.sql(
        "SELECT v.name, h.name, m.name, m.id FROM rollcall_members e"
        " JOIN members m ON m.id = e.member_id JOIN households h ON h.id = m.household_id"
        " JOIN orgs v ON v.id = h.village_id WHERE e.rollcall_id = ? ORDER BY v.id, h.id, m.id",
        (rc1,))
    assert len(rows) == 1 + len(want)
    for row, (village, household, name, mid) in zip(rows[1:], want):
        shown = "'" + name if name[:1] in "=+-@" else name
        assert row[:3] == [village, household, shown], (row, name)
        if mid in present1:
            assert row[4] == "是" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row[3]), row
        else:
            assert row[3:] == ["", "否"], row
    formula = [r for r in rows if FORMULA in r[2]]
    assert len(formula) == 1 and formula[0][2] == "'" + FORMULA and formula[0][1] == HOUSEHOLD
    # Errors stay JSON.
    status, headers, raw = fetch("/api/v1/staff/rollcalls/999999/attendance.csv", staff)
    assert status == 404 and headers["Content-Type"].startswith("application/json"), raw


def test_refusals_by_role():
    paths = ["/api/v1/staff/rollcalls", f"/api/v1/staff/rollcalls/{rc1}/attendance",
             f"/api/v1/staff/rollcalls/{rc1}/absentees", "/api/v1/staff/trends",
             f"/api/v1/staff/rollcalls/{rc1}/attendance.csv"]
    for path in paths:
        status, body = server.get(path, dong["token"])
        assert status == 403 and body["code"] == "forbidden", (path, body)
        status, body = server.get(path, cadre)
        assert status == 403 and body["code"] == "forbidden", (path, body)
        status, body = server.get(path)
        assert status == 401 and body["code"] == "unauthorized", (path, body)
        status, body = server.request("POST", path, staff)
        assert status == 405, (path, body)
    for path in ("/api/v1/staff/rollcalls/999999/attendance",
                 "/api/v1/staff/rollcalls/999999/absentees"):
        status, body = server.get(path, staff)
        assert status == 404 and body["code"] == "not_found", (path, body)


def test_another_township_sees_nothing_of_ours():
    # A second township with staff2 moved to it (reaching past the API: no route makes orgs).
    server.sql("INSERT INTO orgs (parent_id, kind, name) VALUES (NULL, 'township', '北湖镇')")
    other = server.sql("SELECT id FROM orgs WHERE name = '北湖镇'")[0][0]
    server.sql("UPDATE accounts SET org_id = ? WHERE username = 'staff2'", (other,))
    far = server.token_of("staff2")
    for path in (f"/api/v1/staff/rollcalls/{rc1}/attendance",
                 f"/api/v1/staff/rollcalls/{rc1}/absentees",
                 f"/api/v1/staff/rollcalls/{rc3}/attendance.csv"):
        status, body = server.get(path, far)
        assert status == 404 and body["code"] == "not_found", (path, body)
    status, body = server.get("/api/v1/staff/rollcalls", far)
    assert status == 200 and body["items"] == [] and body["total"] == 0, body
    status, body = server.get("/api/v1/staff/trends", far)
    assert status == 200 and body["rollcalls"] == [] and body["villages"] == [], body
    dong_village = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    status, body = server.get(f"/api/v1/staff/trends?village={dong_village}", far)
    assert status == 404, body
    # ... and our staff do not see a village of theirs.
    status, body = server.get(f"/api/v1/staff/trends?village={other}", staff)
    assert status == 404, body


def test_bad_queries():
    bad = ["/api/v1/staff/rollcalls?per_page=0", "/api/v1/staff/rollcalls?per_page=51",
           "/api/v1/staff/rollcalls?page=x", "/api/v1/staff/rollcalls?from=2026-13-01",
           "/api/v1/staff/rollcalls?from=2026-02-30", "/api/v1/staff/rollcalls?to=yesterday",
           "/api/v1/staff/rollcalls?from=2026-11-23T25:00:00Z",
           "/api/v1/staff/rollcalls?from=2026-12-02&to=2026-12-01",
           "/api/v1/staff/rollcalls?village=1", "/api/v1/staff/rollcalls?page=1&page=2",
           f"/api/v1/staff/rollcalls/{rc1}/attendance?page=1",
           f"/api/v1/staff/rollcalls/{rc1}/absentees?village=abc",
           f"/api/v1/staff/rollcalls/{rc1}/absentees?village=0",
           f"/api/v1/staff/rollcalls/{rc1}/absentees?village=-3",
           f"/api/v1/staff/rollcalls/{rc1}/attendance.csv?x=1",
           "/api/v1/staff/trends?last=0", "/api/v1/staff/trends?last=25",
           "/api/v1/staff/trends?last=six", "/api/v1/staff/trends?village=",
           "/api/v1/staff/trends?since=2026-01-01"]
    for path in bad:
        status, body = server.get(path, staff)
        assert status == 400 and body["code"] == "bad_request" and body["message"], (path, body)
    status, body = server.get(f"/api/v1/staff/rollcalls/{rc1}/absentees?village=999999", staff)
    assert status == 404, body
