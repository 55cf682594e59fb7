"""Members' names beyond GB2312, end to end. The demo has a 东村 household of 王喆 and 李堃 and a
西村 household of 𠮷祥云 (𠮷: CJK Extension B, four bytes in UTF-8), 朱镕芳 and 𠮷珺. Their names
come back byte for byte from every API answer that carries names and from the CSV export; any
valid UTF-8 is kept unchanged and broken UTF-8 is refused. On the TV the home screen, "谁在看？",
the roll call's prompt and result ("王喆 签到成功") and "我的记录" show them with real glyphs (𠮷
from the fallback face: the UI dump reports no missing glyph; the screenshots in tests/out/names_*
show them), and a name of a character no installed face has shows a placeholder on each of those
screens that the dump flags and the log names once."""
import csv
import io
import json
import os
import urllib.error
import urllib.request

import boxflow
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


def looks_like_a_name(step, name):
    """The visible texts holding NAME; each drawn with real glyphs (no box in the dump)."""
    found = [t for t in step["texts"] if name in t["text"]]
    assert found, (step["step"], name, harness.texts(step))
    assert not [t for t in found if t.get("missing_glyphs")], found
    return found


def open_new_rollcall():
    """Another roll call on the meeting (staff, township-wide), the last one closed."""
    global rollcall
    status, r = server.request("POST", f"/api/v1/broadcasts/{broadcast}/rollcalls", staff)
    assert status == 200, r
    rollcall = r["id"]


def household_walk(tag, box):
    """谁在看？ (everyone), home, the roll call's prompt, OK, its result, then 我的记录 for each
    member: the screens a household's names are on. The roll call opens once home is shown
    (else its prompt would come up over "谁在看？"); the box's heartbeat is sent through the
    API first, so the check-in needs no meeting picture."""
    status, body = server.request("POST", f"/api/v1/rollcalls/{rollcall}/close", staff)
    assert status in (200, 409), body  # none open while the household is chosen
    n = len(members_of(box)["members"])
    keys = ["wait-screen viewers 20000",      # 1 谁在看？
            "DOWN", "RIGHT", "OK",            # 2-4 全家都在看
            "wait-screen home 10000",         # 5
            "wait-text 点名签到 30000",        # 6 the roll call opens and asks
            "OK",                             # 7
            "wait-gone 正在签到 20000",         # 8 the result
            "OK",                             # 9
            "BLUE",                           # 10 我的记录
            "wait-screen record 15000"]       # 11 the first member
    for _ in range(n - 1):
        keys += ["RIGHT", "wait-screen record 15000"]  # the next member's
    c = boxflow.LiveClient(tag, server, box["token"], keys, extra=("--ask-viewers",))
    try:
        c.wait_step(5)
        status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat",
                                      box["token"])
        assert status == 200, body
        open_new_rollcall()
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), (s["step"], harness.texts(s), run.log[-3000:])
    return run


def test_picker_rollcall_result_and_record_show_the_names_with_real_glyphs():
    for box, tag, names in ((wang, "names_walk_wang", ["王喆", "李堃"]),
                            (ji, "names_walk_ji", [JI + "祥云", "朱镕芳", JI + "珺"])):
        run = household_walk(tag, box)
        picker = run.step(0)
        assert picker["screen"] == "viewers", harness.texts(picker)
        for name in names:
            looks_like_a_name(picker, name)
        assert find_text(run.step(4), "在看：" + "、".join(names)), harness.texts(run.step(4))
        prompt = run.step(5)
        for name in names:
            looks_like_a_name(prompt, name)
        result = run.step(7)
        assert result["state"]["overlays"]["rollcall"]["phase"] == "result", result["state"]
        for name in names:
            assert [t for t in looks_like_a_name(result, name) if "签到成功" in t["text"]], \
                harness.texts(result)
        ids = [m["id"] for m in members_of(box)["members"]]
        signed = server.sql("SELECT member_id FROM checkins WHERE rollcall_id = ?"
                            " ORDER BY member_id", (rollcall,))
        assert set(ids) <= {r[0] for r in signed}, signed
        records = [run.step(10 + 2 * i) for i in range(len(names))]
        shown = []
        for rec in records:
            assert rec["screen"] == "record", harness.texts(rec)
            title = next(t for t in rec["texts"] if t["text"].startswith("我的记录 · "))
            assert title["px"] >= 56 and not title.get("missing_glyphs"), title
            shown.append(title["text"][len("我的记录 · "):])
            assert find_text(rec, "开会："), harness.texts(rec)
        assert sorted(shown) == sorted(names), shown
        for s in run.steps:
            assert no_missing(s) == [], (s["step"], no_missing(s))
        assert "no installed font has" not in run.log
        shots = sorted(os.listdir(run.shots))
        assert len(shots) >= len(run.steps), shots


def test_no_face_name_is_flagged_on_the_picker_result_and_record():
    # 李堃 renamed to a name with a character no installed face has; a new roll call.
    odd = "张" + NO_FACE + "明"
    ids = [m["id"] for m in members_of(wang)["members"]]
    server.sql("UPDATE members SET name = ? WHERE id = ?", (odd, ids[1]))
    try:
        run = household_walk("names_walk_no_face", wang)
    finally:
        server.sql("UPDATE members SET name = ? WHERE id = ?", ("李堃", ids[1]))
    picker, result = run.step(0), run.step(7)
    records = [run.step(10), run.step(12)]
    for s in (picker, result, *records):
        flagged = no_missing(s)
        assert all(odd in f["text"] and f["missing_glyphs"] == 1 for f in flagged), flagged
    # The placeholder on each screen the name is on; 王喆 beside it is drawn for real.
    assert no_missing(picker) and no_missing(result), (no_missing(picker), no_missing(result))
    assert any(no_missing(rec) for rec in records), [harness.texts(r) for r in records]
    for s in (picker, result):
        wang_only = [t for t in s["texts"] if "王喆" in t["text"] and odd not in t["text"]]
        assert wang_only and not [t for t in wang_only if t.get("missing_glyphs")], wang_only
    assert [t for t in result["texts"] if odd + " 签到成功" in t["text"]], harness.texts(result)
    assert run.log.count("U+31350") == 1, [l for l in run.log.splitlines() if "U+31350" in l]
