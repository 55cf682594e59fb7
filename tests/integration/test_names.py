"""Members' names beyond GB2312, end to end. The demo has a 东村 household of 王喆 and 李堃 and a
西村 household of 𠮷祥云 (𠮷: CJK Extension B, four bytes in UTF-8), 朱镕芳 and 𠮷珺. Their names
come back byte for byte from every API answer that carries names and from the CSV export; any
valid UTF-8 is kept unchanged and broken UTF-8 is refused. On the TV the home screen shows them
with real glyphs (𠮷 from the fallback face: the UI dump reports no missing glyph), and a name
of a character no installed face has shows a placeholder that the dump flags and the log names
once."""
import csv
import io
import json
import urllib.error
import urllib.request

import harness
from harness import Server, find_text, run_client

JI = "\U00020bb7"          # 𠮷, Extension B: not in the shipped font, in Noto Sans CJK
NO_FACE = "\U00031350"     # Extension H (Unicode 15): no font Debian 12 ships has it
server = None
staff = None
wang = ji = None           # box rows of the two named households
broadcast = rollcall = None


def setup_module():
    global server, staff, wang, ji, broadcast, rollcall
    server = Server("names").start(extra=("--rate-limit", "1000"))
    staff = server.token_of("staff1")
    by_household = {str(hid): name for hid, name in server.sql("SELECT id, name FROM households")}
    wang = next(b for b in server.boxes if by_household[b["household_id"]] == "王喆家")
    ji = next(b for b in server.boxes if by_household[b["household_id"]] == JI + "祥云家")
    status, body = server.get("/api/v1/broadcasts", ji["token"])
    broadcast = next(b for b in body["broadcasts"] if b["state"] == "live")["id"]
    status, r = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", staff)
    assert status == 200, r
    rollcall = r["id"]


def teardown_module():
    server.finish()


def raw_get(path, token):
    req = urllib.request.Request(server.url + path, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, context=server.ssl_context(), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def raw_post(path, token, data):
    req = urllib.request.Request(server.url + path, data=data, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, context=server.ssl_context(), timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def members_of(box):
    status, home = server.get("/api/v1/home", box["token"])
    assert status == 200, home
    return home["household"]


def test_demo_households_have_names_beyond_gb2312():
    for box, household, names in ((wang, "王喆家", ["王喆", "李堃"]),
                                  (ji, JI + "祥云家", [JI + "祥云", "朱镕芳", JI + "珺"])):
        h = members_of(box)
        assert h["name"] == household and [m["name"] for m in h["members"]] == names, h
        for name in names:  # none of them is GB2312 text
            try:
                name.encode("gb2312")
                assert False, f"{name} is all GB2312"
            except UnicodeEncodeError:
                pass
        # The answer carries the names' own UTF-8 bytes, not escapes.
        status, raw = raw_get("/api/v1/home", box["token"])
        assert status == 200 and all(n.encode() in raw for n in names), raw[:400]


def test_names_round_trip_through_rollcall_record_and_csv():
    ji_id = members_of(ji)["members"][0]["id"]
    status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", ji["token"])
    assert status == 200, body
    status, body = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", ji["token"],
                                  body={"member_id": ji_id})
    assert status == 200, body
    want = {JI + "祥云", "朱镕芳", JI + "珺", "王喆", "李堃"}
    # The sign-in list and the absentees, raw bytes and parsed.
    status, raw = raw_get(f"/api/v1/rollcalls/{rollcall}/signins", staff)
    assert status == 200 and all(n.encode() in raw for n in want), raw[:300]
    signins = json.loads(raw)
    assert [m["name"] for m in signins["checked_in"]] == [JI + "祥云"]
    assert {JI + "祥云家", "王喆家"} <= {m["household"] for m in signins["absent"]}
    status, body = server.get(f"/api/v1/staff/rollcalls/{rollcall}/absentees", staff)
    assert status == 200 and want - {JI + "祥云"} <= {a["name"] for a in body["absentees"]}
    status, body = server.get("/api/v1/rollcalls/current", ji["token"])
    assert status == 200
    here = next(r for r in body["rollcalls"] if r["id"] == rollcall)
    assert [m["name"] for m in here["members"]] == [JI + "祥云", "朱镕芳", JI + "珺"]
    assert here["members"][0]["checked_in_at"]
    status, body = server.get(f"/api/v1/members/{ji_id}/record", ji["token"])
    assert status == 200 and body["member"]["name"] == JI + "祥云", body
    # The CSV: the same bytes in UTF-8 (after the BOM), one row per member.
    status, raw = raw_get(f"/api/v1/staff/rollcalls/{rollcall}/attendance.csv", staff)
    assert status == 200 and raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by_name = {r[2]: r for r in rows[1:]}
    assert want <= set(by_name), sorted(by_name)[:10]
    assert by_name[JI + "祥云"][:3] == ["西村", JI + "祥云家", JI + "祥云"]
    assert by_name[JI + "祥云"][4] == "是" and by_name["王喆"][4] == "否"
    assert (",".join(by_name[JI + "珺"][:3]) + ",").encode() in raw


def test_any_valid_utf8_name_is_kept_unchanged():
    # Names as an ID card may carry them: Extension B to H, a combining mark, a half-width
    # space; stored as they come (the database is the way names enter today).
    names = [JI + "\U0002a6a5" + "\U0002b740", "\U0002ceb0" + NO_FACE + "明", "e\u0301ric 王",
             "阿卜杜·热\u200d合曼"]
    ids = [m["id"] for m in members_of(wang)["members"]]
    server.sql("UPDATE members SET name = ? WHERE id = ?", (names[0], ids[0]))
    server.sql("UPDATE members SET name = ? WHERE id = ?", (names[1], ids[1]))
    try:
        status, raw = raw_get("/api/v1/home", wang["token"])
        assert status == 200 and names[0].encode() in raw and names[1].encode() in raw
        assert [m["name"] for m in json.loads(raw)["household"]["members"]] == names[:2]
        status, raw = raw_get(f"/api/v1/staff/rollcalls/{rollcall}/attendance.csv", staff)
        assert names[0].encode() in raw and names[1].encode() in raw
        status, raw = raw_get(f"/api/v1/rollcalls/{rollcall}/signins", staff)
        assert names[0].encode() in raw and names[1].encode() in raw
    finally:
        server.sql("UPDATE members SET name = ? WHERE id = ?", ("王喆", ids[0]))
        server.sql("UPDATE members SET name = ? WHERE id = ?", ("李堃", ids[1]))
    # Text a box sends: raw UTF-8 and \\u escapes (a surrogate pair) both stored as the same
    # four bytes and returned unchanged; broken UTF-8 refused with a clear 400.
    for note in names:
        for data in (json.dumps({"category": "agri_tech", "phone": "13800138000",
                                 "note": note}, ensure_ascii=False).encode(),
                     json.dumps({"category": "agri_tech", "phone": "13800138000",
                                 "note": note}).encode()):
            status, body = raw_post("/api/v1/requests", wang["token"], data)
            assert status == 200 and body["note"] == note, (status, body)
            status, raw = raw_get(f"/api/v1/requests/{body['id']}", wang["token"])
            assert status == 200 and note.encode() in raw
    for broken in (b"\xf0\xa0\xae", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf4\x90\x80\x80"):
        data = b'{"category":"agri_tech","phone":"13800138000","note":"' + broken + b'"}'
        status, body = raw_post("/api/v1/requests", wang["token"], data)
        assert status == 400 and body["message"], (broken, status, body)
    status, body = raw_post("/api/v1/requests", wang["token"],
                            b'{"category":"agri_tech","phone":"13800138000","note":"\\ud842"}')
    assert status == 400, body  # a lone surrogate is no character


def no_missing(step):
    return [t for t in step["texts"] if t.get("missing_glyphs")]


def test_home_screen_shows_the_names_with_real_glyphs():
    for box, tag, names in ((wang, "names_wang", ["王喆", "李堃"]),
                            (ji, "names_ji", [JI + "祥云", "朱镕芳", JI + "珺"])):
        run = run_client(tag, server.url, server.ca, box["token"], ["wait-screen home 20000"])
        assert run.code == 0, run.log[-3000:]
        step = run.step(0)
        assert not step.get("timeout"), run.log[-3000:]
        for name in names:
            assert find_text(step, name), (name, harness.texts(step))
        assert no_missing(step) == [], no_missing(step)
        assert "no installed font has" not in run.log


def test_a_character_no_face_has_is_a_flagged_placeholder():
    ids = [m["id"] for m in members_of(wang)["members"]]
    server.sql("UPDATE members SET name = ? WHERE id = ?", ("张" + NO_FACE + "明", ids[1]))
    try:
        run = run_client("names_no_face", server.url, server.ca, wang["token"],
                         ["wait-screen home 20000", "RIGHT", "LEFT"])
    finally:
        server.sql("UPDATE members SET name = ? WHERE id = ?", ("李堃", ids[1]))
    assert run.code == 0, run.log[-3000:]
    step = run.step(0)
    assert not step.get("timeout"), run.log[-3000:]
    flagged = no_missing(step)
    # The home header, and the roll-call prompt's line for that member (a roll call is open).
    assert flagged and all("张" + NO_FACE + "明" in f["text"] and f["missing_glyphs"] == 1
                           for f in flagged), flagged
    # The log names the code point, once however often it is drawn.
    assert run.log.count("U+31350") == 1, [l for l in run.log.splitlines() if "U+31350" in l]
