"""The township dashboard in a real browser (Debian's chromium through playwright-core) against
the real server, as staff use it: log in (a wrong password refused), open a roll call on a
village's behalf on its live broadcast, watch a roll call of a
three-member village climb to 2/3 and name the absentee without a reload (its CSV agrees with
the database), answer a box's service request (the reply reaches the box's event stream),
duty checks answered and missed, random checks planned for tomorrow (one cancelled, one sent
when due), questionnaire counts equal to the stored votes, a notice
published by township staff appears in the box's list, the version a real client reports,
boxes unpaired, a member named like HTML shown
as text, a cross-site form POST refused, another township's data refused. Screenshots of every
view go to tests/out/dashboard/."""
import base64
import csv
import datetime
import hashlib
import io
import os
import re

import livecast
from browser import Browser
from dashboard_fixture import StreamThread, add_village, live_rollcall
from harness import TOP, Server, out_dir, run_client
from webclient import web_args

XSS = "<img src=x onerror=alert(1)>"
server = browser = village = shots = None
behalf = None  # a village whose cadre starts a broadcast but does not call the roll
rollcall = None


def setup_module():
    global server, browser, village, shots
    shots = out_dir("dashboard")
    server = Server("dashboard").start(extra=(*web_args(), "--rate-limit", "1000"))
    global behalf
    village = add_village(server, "试点村", ["王秀英", "李德福", XSS])
    behalf = add_village(server, "代点村", ["赵春兰", "孙守田"])
    browser = Browser()


def teardown_module():
    if browser:
        browser.close()
    server.finish()


def cadre_token():
    status, body = server.login(village["cadre"], server.accounts["staff1"]["password"])
    assert status == 200, body
    return body["token"]


def url(path="/dashboard/"):
    return server.url + path


def shot(name):
    browser.shot(path=os.path.join(shots, f"{name}.png"))


def login(username, password=None):
    browser.open(url=url())
    browser.wait(sel="#login-form")
    browser.fill(sel="#login-user", value=username)
    browser.fill(sel="#login-pass", value=password or server.accounts[username]["password"])
    browser.click(sel="#login-form button[type=submit]")


def view(name, heading):
    browser.click(sel=f'#nav a[data-view="{name}"]')
    browser.wait_text(sel="#view h2", text=heading)


def test_wrong_password_is_refused():
    login("staff1", "not-the-password")
    browser.wait_text(sel="#login-error", text="用户名或密码不对")
    assert browser.eval(js="document.getElementById('top').hidden") is True
    shot("01-login-refused")


def test_live_rollcall_shows_two_of_three_and_the_absentee():
    global rollcall
    login("staff1")
    browser.wait_text(sel="#view h2", text="实时点名")
    cadre = cadre_token()
    broadcast, rc = live_rollcall(server, cadre, "试点村党员大会")
    rollcall = rc["id"]
    assert rc["expected"] == 3, rc
    # The page learns of the new roll call from the event stream and shows it: 0/3.
    browser.wait_text(sel="#rc-present", text="0/3")
    (t1, m1), (t2, m2), (t3, m3) = village["boxes"]
    for token, member in ((t1, m1), (t2, m2)):
        assert server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", token)[0] == 200
        status, r = server.request("POST", f"/api/v1/rollcalls/{rollcall}/checkins", token,
                                   body={"member_id": member})
        assert status == 200 and r["first"], r
    # Without a reload: the number moves and the absentee is named — as text.
    browser.wait_text(sel="#rc-present", text="2/3")
    browser.wait_text(sel="#rc-absentees caption", text="未签到人员（1 人）")
    browser.wait_text(sel="#rc-absentees", text=XSS)
    assert browser.count(sel="#rc-absentees tbody tr") == 1
    assert browser.count(sel="#view img") == 0, "a member's name became HTML"
    assert "王秀英" not in browser.text(sel="#rc-absentees")
    assert browser.text(sel='#rc-table tr[data-village="%d"] .signed' % village["id"]) == "2/3"
    # Who is watching: the two households whose boxes sent a heartbeat.
    browser.wait_text(sel="#rc-watching", text="2 户")
    shot("02-rollcall")
    # The absentee's record, from the staff route: called once, not there.
    browser.click(sel="#rc-absentees button.record")
    browser.wait_text(sel="#rc-record h3", text="应到会 1 次，到会 0 次")
    shot("02b-member-record")
    # Its CSV (downloaded by the page) agrees with the database.
    raw = base64.b64decode(browser.download(sel="#rc-csv"))
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:10]
    rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))[1:]
    signed = {name for (name,) in server.sql(
        "SELECT m.name FROM checkins c JOIN members m ON m.id = c.member_id"
        " WHERE c.rollcall_id = ?", (rollcall,))}
    assert len(rows) == 3, rows
    for row in rows:
        name = row[2].lstrip("'")
        assert (row[4] == "是") == (name in signed), (row, signed)
        assert (row[3] != "") == (name in signed), row


def test_staff_open_a_roll_call_on_a_villages_behalf():
    status, cadre = server.login(behalf["cadre"], server.accounts["staff1"]["password"])
    assert status == 200, cadre
    bid = livecast.start_broadcast(server, cadre["token"], "代点村支部会")[0]["id"]
    # The live broadcast appears on the page (event stream), with no roll call yet.
    row = f'#live-table tr[data-broadcast="{bid}"]'
    browser.wait_text(sel=row, text="代点村支部会")
    assert browser.text(sel=f"{row} .calling") == "—"
    assert browser.eval(js=f"[...document.querySelectorAll('{row} .live-village option')]"
                           ".map((o) => o.textContent)") == ["代点村"]
    browser.click(sel=f"{row} button.live-open")
    browser.wait_text(sel=f"{row} .calling", text="代点村")
    browser.wait_text(sel="#rc-present", text="0/2")
    shot("02c-rollcall-on-behalf")
    [(rc_id, org, account)] = server.sql("SELECT id, org_id, opened_by FROM rollcalls"
                                         " WHERE broadcast_id = ?", (bid,))
    assert org == behalf["id"], org
    staff_id = server.sql("SELECT id FROM accounts WHERE username = 'staff1'")[0][0]
    assert account == staff_id, account
    token, member = behalf["boxes"][0]
    assert server.request("POST", f"/api/v1/broadcasts/{bid}/heartbeat", token)[0] == 200
    status, r = server.request("POST", f"/api/v1/rollcalls/{rc_id}/checkins", token,
                               body={"member_id": member})
    assert status == 200, r
    browser.wait_text(sel="#rc-present", text="1/2")
    browser.wait_text(sel="#rc-absentees", text="孙守田")
    status, ended = server.request("POST", f"/api/v1/broadcasts/{bid}/stop", cadre["token"])
    assert status == 200, ended
    browser.wait(sel=row, state="detached")


def test_service_request_reply_reaches_the_box():
    token, member = village["boxes"][0]
    status, req = server.request("POST", "/api/v1/requests", token,
                                 body={"category": "agri_tech", "phone": "13800138000",
                                       "member_id": member, "note": "大棚蔬菜叶子发黄<b>急</b>"})
    assert status == 200, req
    stream = StreamThread(server, token)
    try:
        view("desk", "便民服务诉求")
        row = f'#desk-table tr[data-request="{req["id"]}"]'
        browser.wait_text(sel=row, text="大棚蔬菜叶子发黄<b>急</b>")
        browser.click(sel=f"{row} button.open-request")
        browser.wait_text(sel="#view h3", text=f"诉求 {req['id']}")
        browser.fill(sel="#desk-reply", value="明天上午技术员上门")
        browser.click(sel="#desk-send")
        got = stream.wait(lambda t, d: t == "request.reply" and d["request_id"] == req["id"])
        assert got and got["reply"]["body"] == "明天上午技术员上门", stream.events
        browser.wait_text(sel="#desk-history", text="明天上午技术员上门")
        shot("03-desk")
    finally:
        stream.close()
    status, mine = server.get(f"/api/v1/requests/{req['id']}", token)
    assert mine["state"] == "replied" and mine["replies"][0]["body"] == "明天上午技术员上门"


def test_duty_checks_answered_and_missed():
    view("duty", "值班坐班抽查")
    browser.wait(sel="#duty-village")
    browser.select(sel="#duty-village", value=village["id"])
    browser.click(sel="#duty-send")
    browser.wait_text(sel="#duty-table", text="试点村")
    cadre = cadre_token()
    status, waiting = server.get("/api/v1/cadre/duty-checks", cadre)
    assert status == 200 and len(waiting["checks"]) == 1, waiting
    status, ans = server.request("POST", f"/api/v1/cadre/duty-checks/{waiting['checks'][0]['id']}"
                                 "/answer", cadre)
    assert status == 200 and ans["state"] == "on_duty", ans
    browser.wait_text(sel=f'#duty-table tr[data-check="{ans["id"]}"]', text="在岗")
    # Another village does not answer within 10 minutes (its clock moved back in the database).
    other = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    browser.select(sel="#duty-village", value=other)
    browser.click(sel="#duty-send")
    browser.wait_text(sel="#duty-table", text="西村")
    server.sql("UPDATE duty_checks SET requested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
               " '-11 minutes') WHERE village_id = ?", (other,))
    view("rollcall", "实时点名")
    view("duty", "值班坐班抽查")
    missed = server.sql("SELECT id FROM duty_checks WHERE village_id = ?", (other,))[0][0]
    browser.wait_text(sel=f'#duty-table tr[data-check="{missed}"]', text="未应答")
    shot("04-duty")


def test_random_checks_planned_ahead():
    # Tomorrow's working hours, Beijing time: two villages drawn at random moments.
    bj = datetime.timezone(datetime.timedelta(hours=8))
    tomorrow = (datetime.datetime.now(bj) + datetime.timedelta(days=1)).date()
    browser.fill(sel="#plan-day", value=tomorrow.isoformat())
    browser.fill(sel="#plan-count", value="2")
    browser.click(sel="#plan-submit")
    browser.wait(sel="#plans-table tbody tr:nth-child(2)")
    shot("04b-duty-plans")
    rows = server.sql("SELECT id, village_id, due_at FROM duty_plans WHERE state = 'planned'")
    assert len(rows) == 2 and rows[0][1] != rows[1][1], rows
    start = datetime.datetime.combine(tomorrow, datetime.time(8, 30), bj)
    end = datetime.datetime.combine(tomorrow, datetime.time(17, 30), bj)
    for _, _, due in rows:
        when = datetime.datetime.strptime(due, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        assert start <= when <= end, (due, start, end)
    # Cancel one on the page; the other comes due (its clock moved in the database) and goes out.
    first = browser.eval(js="Number(document.querySelector('#plans-table tr[data-plan]').dataset.plan)")
    browser.click(sel=f'#plans-table tr[data-plan="{first}"] button.cancel-plan')
    browser.wait(sel=f'#plans-table tr[data-plan="{first}"]', state="detached")
    [(other, vid)] = [(pid, v) for pid, v, _ in rows if pid != first]
    server.sql("UPDATE duty_plans SET due_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
               (other,))
    browser.wait(sel=f'#plans-table tr[data-plan="{other}"]', state="detached")
    check = server.sql("SELECT check_id FROM duty_plans WHERE id = ?", (other,))[0][0]
    assert check, "the due plan was not sent"
    browser.wait_text(sel=f'#duty-table tr[data-check="{check}"]', text="等待应答")
    assert server.sql("SELECT village_id, state FROM duty_checks WHERE id = ?", (check,)) == \
        [(vid, "requested")]
    assert server.sql("SELECT state FROM duty_plans WHERE id = ?", (first,)) == [("cancelled",)]


def test_questionnaire_counts_equal_the_stored_answers():
    status, forms = server.get("/api/v1/staff/questionnaires", server.token_of("staff2"))
    form = next(f for f in forms["questionnaires"] if f["anonymous"])
    for token, member in village["boxes"]:
        status, item = server.get(f"/api/v1/items/{form['id']}", token)
        answers = [{"question_id": q["id"], "option_ids": [q["options"][member % len(q["options"])]["id"]]}
                   for q in item["form"]["questions"]]
        assert server.request("POST", f"/api/v1/questionnaires/{form['id']}/responses", token,
                              body={"member_id": member, "answers": answers})[0] == 200
    for b in [b for b in server.boxes if b["village_name"] == "东村"][:2]:
        for member in server.members(b["token"])[:1]:
            status, item = server.get(f"/api/v1/items/{form['id']}", b["token"])
            answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]}
                       for q in item["form"]["questions"]]
            server.request("POST", f"/api/v1/questionnaires/{form['id']}/responses", b["token"],
                           body={"member_id": member, "answers": answers})
    view("evaluation", "党风评议结果")
    browser.wait(sel="#eval-select")
    browser.select(sel="#eval-select", value=form["id"])
    browser.wait(sel="#view tr[data-option] .count")
    stored = dict(server.sql(
        "SELECT o.id, o.votes FROM question_options o JOIN questions q ON q.id = o.question_id"
        " WHERE q.content_id = ?", (form["id"],)))
    shown = browser.eval(js="Object.fromEntries([...document.querySelectorAll('#view tr[data-option]')]"
                            ".map((r) => [r.dataset.option, r.querySelector('.count').textContent]))")
    assert {int(k): int(v) for k, v in shown.items()} == stored, (shown, stored)
    shot("05-evaluation")


def test_history_and_boxes_views():
    status, closed = server.request("POST", f"/api/v1/rollcalls/{rollcall}/close", cadre_token())
    assert status == 200 and closed["state"] == "closed", closed
    view("history", "历史统计")
    browser.wait(sel="#hist-table")
    browser.wait(sel="#hist-chart canvas")
    assert browser.text(sel="#hist-table").count("试点村党员大会") == 1
    shot("06-history")
    # The real client starts on one box: it reports its software version as it fetches home.
    reporter, _ = village["boxes"][1]
    run = run_client("dashboard_box_version", server.url, server.ca, reporter,
                     ["wait-screen home 20000"])
    assert run.code == 0, run.log[-3000:]
    view("boxes", "机顶盒")
    token, _ = village["boxes"][2]
    browser.select(sel="#boxes-village", value=village["id"])
    browser.wait_text(sel="#boxes-table caption", text="共 3 台")
    box_id = server.sql("SELECT b.id FROM boxes b JOIN households h ON h.id = b.household_id"
                        " WHERE h.village_id = ? ORDER BY b.id DESC LIMIT 1", (village["id"],))[0][0]
    reporter_id = server.sql("SELECT id FROM boxes WHERE token_hash = ?",
                             (hashlib.sha256(bytes.fromhex(reporter)).hexdigest(),))[0][0]
    assert browser.text(sel=f'#boxes-table tr[data-box="{reporter_id}"] .version') == client_version()
    assert browser.text(sel=f'#boxes-table tr[data-box="{box_id}"] .version') == "未上报"
    shot("07-boxes")
    browser.click(sel=f'#boxes-table tr[data-box="{box_id}"] button.unpair')
    browser.wait_text(sel=f'#boxes-table tr[data-box="{box_id}"]', text="已解除")
    assert server.get("/api/v1/home", token)[0] == 401, "the unpaired box still works"


def client_version():
    """DJTV_VERSION as client/version.h defines it."""
    with open(os.path.join(TOP, "client", "version.h"), encoding="utf-8") as f:
        return re.search(r'#define DJTV_VERSION "([^"]+)"', f.read()).group(1)


def test_keyboard_reaches_the_views_with_a_visible_focus():
    browser.open(url=url("/dashboard/#rollcall"))
    browser.wait_text(sel="#view h2", text="实时点名")
    # Tab from wherever the focus starts (past the view's buttons, CSV ones too) to the first
    # view's link.
    for _ in range(40):
        browser.press(key="Tab")
        focus = browser.focus_outline()
        if focus and focus["text"] == "实时点名":
            break
    assert focus and focus["tag"] == "A" and focus["text"] == "实时点名", focus
    assert focus["outline"] != "none" or focus["shadow"] != "none", focus
    browser.press(key="Tab")
    browser.press(key="Enter")
    browser.wait_text(sel="#view h2", text="便民服务诉求")
    browser.wait(sel="#desk-table td")
    size = browser.eval(js="parseFloat(getComputedStyle(document.querySelector('#desk-table td')).fontSize)")
    assert size >= 16, size


def test_cross_site_post_is_refused():
    before = server.sql("SELECT count(*) FROM duty_checks")[0][0]
    r = browser.cross_site(url="https://evil.example/page.html",
                           target=url("/api/v1/staff/duty-checks"),
                           body='{"village_id":%d}' % village["id"])
    assert r["status"] == 403 and "cross_site" in r["body"], r
    assert server.sql("SELECT count(*) FROM duty_checks")[0][0] == before


def test_publishing_a_notice_reaches_the_box():
    browser.click(sel="#logout")
    browser.wait(sel="#login-form")
    login("staff2")  # township staff publish; no admin account needed
    browser.wait_text(sel="#view h2", text="实时点名")
    view("publish", "发布内容")
    browser.select(sel="#pub-kind", value="通知公告")
    browser.wait(sel=f'#pub-scope option[value="{village["id"]}"]', state="attached")
    browser.select(sel="#pub-scope", value=village["id"])
    browser.fill(sel="#pub-title", value="关于试点村冬季安全用电的通知")
    browser.fill(sel="#pub-body", value="请各户检查电线。")
    browser.click(sel="#pub-submit")
    browser.wait_text(sel="#pub-saved", text="关于试点村冬季安全用电的通知")
    shot("08-publish")
    token, _ = village["boxes"][0]
    status, items = server.get("/api/v1/sections/affairs/items?per_page=50", token)
    assert status == 200 and items["items"][0]["title"] == "关于试点村冬季安全用电的通知", items
    far = server.box_of("西村")
    status, items = server.get("/api/v1/sections/affairs/items?per_page=50", far)
    assert all(i["title"] != "关于试点村冬季安全用电的通知" for i in items["items"])
    # A finance disclosure with its ledger rows, amounts typed in yuan.
    browser.select(sel="#pub-kind", value="财务公示")
    browser.fill(sel="#pub-title", value="试点村11月财务收支公示")
    for i, (day, what, income, expense) in enumerate((("2026-11-02", "上级补助", "5,000", ""),
                                                      ("2026-11-09", "修路", "", "1200.5"))):
        row = f"#pub-ledger tbody tr:nth-child({i + 1})"
        browser.fill(sel=f"{row} .l-date", value=day)
        browser.fill(sel=f"{row} .l-item", value=what)
        browser.fill(sel=f"{row} .l-income", value=income)
        browser.fill(sel=f"{row} .l-expense", value=expense)
    browser.click(sel="#pub-submit")
    browser.wait_text(sel="#pub-saved", text="试点村11月财务收支公示")
    item_id = int(browser.eval(js="document.querySelector('#pub-saved tr[data-item]').dataset.item"))
    status, item = server.get(f"/api/v1/items/{item_id}", token)
    assert status == 200, item
    lines = [(l["item"], l["income_fen"], l["expense_fen"]) for l in item["ledger"]["lines"]]
    assert lines == [("上级补助", 500000, 0), ("修路", 0, 120050)], lines
    assert item["ledger"]["balance_fen"] == 379950, item["ledger"]


def test_another_townships_staff_see_nothing():
    server.add_township("北山镇", ["北山村"], [("bs-staff", "北山镇党建办", "staff", "北山镇")])
    browser.click(sel="#logout")
    browser.wait(sel="#login-form")
    login("bs-staff", server.accounts["staff1"]["password"])
    browser.wait_text(sel="#view", text="还没有点名")
    status = browser.eval(js=f"fetch('/api/v1/staff/rollcalls/{rollcall}/attendance').then((r) => r.status)")
    assert status == 404, status
    view("boxes", "机顶盒")
    browser.wait_text(sel="#boxes-table caption", text="共 0 台")
    errors = browser.errors()
    assert not [e for e in errors if "Content Security Policy" in e or "TypeError" in e], errors
