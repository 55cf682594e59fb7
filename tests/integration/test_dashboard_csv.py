"""CSV export of the dashboard's tables, in a real browser against the real server: the
"导出 CSV" button of the service desk's and the boxes' tables downloads a UTF-8 file with a BOM,
RFC 4180 (CRLF lines, quotes doubled), whose rows equal what the page shows and what the API
answers. Names beyond GB2312 (𠮷, 王喆), a comma or quote in a name, a name like HTML come
back byte for byte; a cell that starts like a formula gets a leading '. Screenshots in
tests/out/dashboard/."""
import base64
import csv
import io
import os
import re

from browser import Browser
from dashboard_fixture import add_village
from harness import Server, out_dir
from webclient import web_args

XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","y")'
MEMBERS = ["王喆", '𠮷田,"老"三', XSS, FORMULA]
HOUSEHOLDS = ['王家,"东头"', "𠮷家", "<b>李</b>家", "-1+1户"]
NOTES = ["大棚蔬菜叶子发黄，\n急", 'say "hi", ok', "@SUM(A1)", "普通留言"]
server = browser = village = shots = None


def setup_module():
    global server, browser, village, shots
    shots = out_dir("dashboard")
    server = Server("dashboard-csv").start(extra=(*web_args(), "--rate-limit", "1000"))
    village = add_village(server, "导出村", MEMBERS)
    for i, name in enumerate(HOUSEHOLDS):
        server.sql("UPDATE households SET name = ? WHERE village_id = ? AND name = ?",
                   (name, village["id"], f"导出村{i + 1}户"))
    browser = Browser()
    browser.open(url=server.url + "/dashboard/")
    browser.wait(sel="#login-form")
    browser.fill(sel="#login-user", value="staff1")
    browser.fill(sel="#login-pass", value=server.accounts["staff1"]["password"])
    browser.click(sel="#login-form button[type=submit]")
    browser.wait(sel="#nav")


def teardown_module():
    if browser:
        browser.close()
    server.finish()


def view(name, heading):
    browser.click(sel=f'#nav a[data-view="{name}"]')
    browser.wait_text(sel="#view h2", text=heading)


def guarded(text):
    """A cell as the CSV holds it: a leading ' before what a spreadsheet would run."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def page_rows(table_id):
    """The table's header and rows as the page shows them (text), without the empty-headed
    action column."""
    return browser.eval(js=f"""(() => {{
      const t = document.getElementById('{table_id}');
      const heads = [...t.querySelectorAll('thead th')];
      const keep = heads.map((h) => h.textContent.trim() !== '');
      const pick = (cells) => cells.filter((_, i) => keep[i]).map((c) => c.textContent);
      return [pick(heads), ...[...t.querySelectorAll('tbody tr')].map((tr) => pick([...tr.cells]))];
    }})()""")


def export(table_id, stem):
    """Click the table's export button: the CSV's rows (parsed), after checking the file's
    name, BOM and line ends."""
    got = browser.download(sel=f'button.csv-export[data-csv-for="{table_id}"]', named=True)
    assert re.fullmatch(rf"{stem}-\d{{8}}-\d{{4}}\.csv", got["name"]), got["name"]
    raw = base64.b64decode(got["data"])
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:16]
    text = raw[3:].decode("utf-8")
    # Outside quoted cells every line ends in CRLF, and no quote is left unpaired.
    bare = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert text.endswith("\r\n") and '"' not in bare, text
    assert bare.count("\n") == bare.count("\r\n") == bare.count("\r"), text
    return raw, list(csv.reader(io.StringIO(text, newline="")))


def test_desk_table_exports_what_the_page_shows():
    made = []
    for (token, member), note in zip(village["boxes"], NOTES):
        status, req = server.request("POST", "/api/v1/requests", token,
                                     body={"category": "consult", "phone": "13800138000",
                                           "member_id": member, "note": note})
        assert status == 200, req
        made.append(req["id"])
    view("desk", "便民服务诉求")
    browser.select(sel="#desk-village", value=village["id"])
    for rid in made:
        browser.wait(sel=f'#desk-table tr[data-request="{rid}"]')
    browser.wait_text(sel="#desk-summary", text=f"共 {len(made)} 件")
    raw, rows = export("desk-table", "desk-requests")
    shown = page_rows("desk-table")
    expect = [[guarded(c) for c in r] for r in shown]
    assert rows == expect, (rows, expect)
    assert rows[0] == ["编号", "村", "户 / 成员", "电话", "类别", "内容", "状态", "已过时间", "办理期限"]
    # The rows agree with the API, names and texts byte for byte.
    status, page = server.get(f"/api/v1/desk/requests?village={village['id']}&per_page=50",
                              server.token_of("staff1"))
    assert status == 200, page
    by_id = {r[0]: r for r in rows[1:]}
    assert sorted(by_id) == sorted(str(i) for i in made)
    for item in page["items"]:
        r = by_id[str(item["id"])]
        assert r[1] == item["village"]["name"]
        assert r[2] == guarded(f"{item['household']['name']} / {item['member']['name']}")
        assert r[3] == item["phone"] and r[4] == item["category_title"]
        assert r[5] == guarded(item["note"])
    for name in ("王喆", '𠮷田,"老"三', XSS, "大棚蔬菜叶子发黄，\n急", 'say "hi", ok'):
        assert any(name in c for r in rows for c in r), name
    assert '"王家,""东头"" / 王喆"'.encode() in raw
    assert "'@SUM(A1)" in by_id[str(made[2])][5]
    browser.shot(path=os.path.join(shots, "20-desk-csv.png"))
    # The request's history has its own button.
    browser.click(sel=f'#desk-table tr[data-request="{made[0]}"] button.open-request')
    browser.wait(sel="#desk-history")
    _, hist = export("desk-history", f"desk-request-{made[0]}")
    assert hist == [["时间", "办理人", "答复"]]


def test_boxes_table_exports_what_the_page_shows():
    view("boxes", "机顶盒")
    browser.wait(sel="#boxes-village")
    browser.select(sel="#boxes-village", value=village["id"])
    browser.wait_text(sel="#boxes-table caption", text=f"共 {len(MEMBERS)} 台")
    _, rows = export("boxes-table", "boxes")
    shown = page_rows("boxes-table")
    assert rows == [[guarded(c) for c in r] for r in shown], (rows, shown)
    assert rows[0] == ["编号", "村", "户", "最近在线", "软件版本", "状态"]
    status, page = server.get(f"/api/v1/staff/boxes?village={village['id']}",
                              server.token_of("staff1"))
    assert status == 200, page
    api_rows = [[str(b["id"]), b["village"]["name"], guarded(b["household"]["name"]),
                 b["version"] or "未上报", "已配对" if b["paired"] else "已解除"]
                for b in page["boxes"]]
    assert [[r[0], r[1], r[2], r[4], r[5]] for r in rows[1:]] == api_rows
    assert sorted(r[2] for r in rows[1:]) == sorted(guarded(h) for h in HOUSEHOLDS)
    assert browser.count(sel="#boxes-table b") == 0, "a household's name became HTML"
    browser.shot(path=os.path.join(shots, "21-boxes-csv.png"))


def test_history_leaves_the_link_column_out():
    view("history", "历史统计")
    browser.wait(sel="#hist-table")
    _, rows = export("hist-table", "rollcalls")
    assert rows[0] == ["点名", "范围", "时间", "应到", "实到", "到会率"], rows[0]


def answer(form_id, token, member, pick):
    status, item = server.get(f"/api/v1/items/{form_id}", token)
    assert status == 200, item
    answers = [{"question_id": q["id"], "option_ids": [q["options"][pick % len(q["options"])]["id"]]}
               for q in item["form"]["questions"]]
    status, reply = server.request("POST", f"/api/v1/questionnaires/{form_id}/responses", token,
                                   body={"member_id": member, "answers": answers})
    assert status == 200, reply


def test_evaluation_rows_name_their_question_and_option():
    staff = server.token_of("staff1")
    status, forms = server.get("/api/v1/staff/questionnaires", staff)
    assert status == 200, forms
    form = next(f for f in forms["questionnaires"] if f["anonymous"] and f["respondents"] == 0)
    quiet = next(f for f in forms["questionnaires"] if f["id"] != form["id"] and f["respondents"] < 4)
    # Six answers: the four members of 导出村 and two of 东村 (the result is shown from five).
    for i, (token, member) in enumerate(village["boxes"]):
        answer(form["id"], token, member, i)
    dong = [b for b in server.boxes if b["village_name"] == "东村"][:2]
    for b in dong:
        answer(form["id"], b["token"], server.members(b["token"])[0], 0)
    status, res = server.get(f"/api/v1/staff/questionnaires/{form['id']}/results", staff)
    assert status == 200 and not res["withheld"] and res["respondents"] == 6, res
    view("evaluation", "党风评议结果")
    browser.wait(sel="#eval-select")
    browser.select(sel="#eval-select", value=form["id"])
    browser.wait(sel='button.csv-export[data-csv-for="eval-all"]')
    raw, rows = export("eval-all", f"evaluation-{form['id']}")
    head = ["问题", "选项", "人数"]
    expect = [head]
    for q in res["questions"]:
        prompt = q["prompt"] + ("（多选）" if q["multiple"] else "")
        expect += [[guarded(prompt), guarded(o["label"]), str(o["count"])] for o in q["options"]]
    assert rows == expect, (rows, expect)
    assert sum(int(r[2]) for r in rows[1:]) >= 6
    # Anonymous: nothing in the file says who answered.
    text = raw.decode("utf-8")
    for name in MEMBERS + HOUSEHOLDS + ["导出村"]:
        assert name not in text, name
    # One question's own export names it on every row too.
    q = res["questions"][0]
    _, one = export(f"eval-q{q['id']}", f"evaluation-{form['id']}-q{q['id']}")
    assert one == [head] + [r for r in expect[1:] if r[0] == guarded(
        q["prompt"] + ("（多选）" if q["multiple"] else ""))], one
    browser.shot(path=os.path.join(shots, "22-evaluation-csv.png"))
    # Fewer than five answers: withheld, and nothing to export.
    browser.select(sel="#eval-select", value=quiet["id"])
    browser.wait(sel="#eval-withheld")
    assert browser.eval(js="document.querySelectorAll('#eval-body button.csv-export').length") == 0


def test_every_table_view_offers_the_button():
    for name, heading, table_id in (("duty", "值班坐班抽查", "duty-table"),
                                    ("duty", "值班坐班抽查", "plans-table"),
                                    ("rollcall", "实时点名", None)):
        view(name, heading)
        if table_id:
            browser.wait(sel=f'button.csv-export[data-csv-for="{table_id}"]')
    errors = browser.errors()
    assert not [e for e in errors if "Content Security Policy" in e or "TypeError" in e], errors


def test_cell_rules():
    """The encoder itself, in the page (the module the views use)."""
    got = browser.eval(js="""import('/dashboard/csv.js').then((m) => m.toCsv([
      ['a', 'b,c', 'say "hi"', 'two\\nlines', '=1+2', '+86', '-3', '@x', '\\tx', ' =ok', '王喆𠮷'],
      [1, null, '']]))""")
    assert got == ('\ufeffa,"b,c","say ""hi""","two\nlines","\'=1+2","\'+86","\'-3","\'@x",'
                   '"\'\tx", =ok,王喆𠮷\r\n1,,\r\n'), repr(got)
