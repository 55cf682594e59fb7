"""A village cadre on the dashboard, in a real browser against the real server: the page shows
their own branch only — the branch's open roll call climbing live as its boxes sign in (who is
there, who not yet), and the duty check the township sends, answered with one button. The staff
views are not offered, and the routes behind them, another branch's roll call and staff-only
data answer 403 to the cadre's session. Screenshot in tests/out/dashboard/."""
import os

from browser import Browser
from dashboard_fixture import add_village, live_rollcall
from harness import Server, out_dir
from webclient import web_args

server = browser = mine = other = shots = None


def setup_module():
    global server, browser, mine, other, shots
    shots = out_dir("dashboard")
    server = Server("dashboard-cadre").start(extra=(*web_args(), "--rate-limit", "1000"))
    mine = add_village(server, "支部村", ["周桂兰", "吴长顺", "郑<b>三</b>"])
    other = add_village(server, "隔壁村", ["钱大海"])
    browser = Browser()


def teardown_module():
    if browser:
        browser.close()
    server.finish()


def token_of(username):
    status, body = server.login(username, server.accounts["staff1"]["password"])
    assert status == 200, body
    return body["token"]


def test_cadre_sees_their_branch_only():
    cadre = token_of(mine["cadre"])
    broadcast, rc = live_rollcall(server, cadre, "支部村党员大会")
    _, theirs = live_rollcall(server, token_of(other["cadre"]), "隔壁村党员大会")
    browser.open(url=server.url + "/dashboard/")
    browser.wait(sel="#login-form")
    browser.fill(sel="#login-user", value=mine["cadre"])
    browser.fill(sel="#login-pass", value=server.accounts["staff1"]["password"])
    browser.click(sel="#login-form button[type=submit]")
    browser.wait_text(sel="#view h2", text="支部村党支部")
    # Only the branch's page is offered.
    shown = browser.eval(js="[...document.querySelectorAll('#nav a')].filter((a) => !a.hidden)"
                            ".map((a) => a.dataset.view)")
    assert shown == ["branch"], shown
    browser.wait_text(sel="#br-present", text="0/3")
    # Two boxes sign in: the page follows without a reload; the names are text.
    for token, member in mine["boxes"][:2]:
        assert server.request("POST", f"/api/v1/broadcasts/{broadcast}/heartbeat", token)[0] == 200
        status, r = server.request("POST", f"/api/v1/rollcalls/{rc['id']}/checkins", token,
                                   body={"member_id": member})
        assert status == 200, r
    browser.wait_text(sel="#br-present", text="2/3")
    browser.wait_text(sel="#br-absent", text="郑<b>三</b>")
    assert browser.count(sel="#br-absent b") == 0, "a member's name became HTML"
    assert "周桂兰" in browser.text(sel="#br-present-list")
    assert "钱大海" not in browser.text(sel="#view")
    # The township sends a duty check: it appears and is answered with one button.
    staff = server.token_of("staff1")
    status, check = server.request("POST", "/api/v1/staff/duty-checks", staff,
                                   body={"village_id": mine["id"]})
    assert status == 200, check
    row = f'#br-duty-table tr[data-check="{check["id"]}"]'
    browser.wait_text(sel=row, text="南湖镇党建办")
    os.makedirs(shots, exist_ok=True)
    browser.shot(path=os.path.join(shots, "10-cadre-branch.png"))
    browser.click(sel=f"{row} button.answer")
    browser.wait(sel="#br-duty-none")
    assert server.sql("SELECT state FROM duty_checks WHERE id = ?", (check["id"],)) == [("on_duty",)]
    # The staff routes and another branch's roll call refuse the cadre's session.
    for path in ("/api/v1/staff/rollcalls", f"/api/v1/staff/rollcalls/{rc['id']}/attendance",
                 "/api/v1/staff/boxes", "/api/v1/desk/requests", "/api/v1/staff/duty-checks",
                 f"/api/v1/rollcalls/{theirs['id']}/signins"):
        status = browser.eval(js=f"fetch('{path}').then((r) => r.status)")
        assert status == 403, (path, status)
    # Typing a staff view's address still shows the branch.
    browser.open(url=server.url + "/dashboard/#desk")
    browser.wait_text(sel="#view h2", text="支部村党支部")
    errors = browser.errors()
    assert not [e for e in errors if "Content Security Policy" in e or "TypeError" in e], errors


def test_staff_have_no_branch():
    status, err = server.get("/api/v1/cadre/rollcalls", server.token_of("staff1"))
    assert status == 403, err
    status, err = server.get("/api/v1/cadre/rollcalls", server.box_of("东村"))
    assert status == 403, err
    status, err = server.get("/api/v1/cadre/rollcalls?all=1", token_of(mine["cadre"]))
    assert status == 400, err
    status, body = server.get("/api/v1/cadre/rollcalls", token_of(other["cadre"]))
    assert status == 200 and [r["org_id"] for r in body["rollcalls"]] == [other["id"]], body
