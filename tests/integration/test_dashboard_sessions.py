"""The dashboard's browser sessions and files, against the real server, as a browser would
send them: login sets an HttpOnly, Secure, SameSite=Strict cookie and never shows the token;
the cookie opens routes and the event stream; every change needs the CSRF token and our own
origin; a box token never rides in a cookie; idle sessions end; logout ends the cookie; staff of
another township see nothing of ours; the dashboard's files come with the right types, a CSP
without inline script, and no way out of their folder."""
import asyncio
import time

import sseclient
from harness import Server
from webclient import call, own_origin, web_args, web_login

server = None
IDLE = 3  # seconds a dashboard session may sit idle in this test


def setup_module():
    global server
    server = Server("dashboard-sessions").start(extra=(*web_args(), "--web-idle", str(IDLE)))


def teardown_module():
    server.finish()


def test_login_sets_a_strict_cookie_and_hides_the_token():
    r, cookie, csrf = web_login(server, "staff1")
    assert r.status == 200, r.raw
    assert "token" not in r.json and len(csrf) == 64, r.json
    assert r.json["role"] == "staff" and r.json["org"]["name"] == "南湖镇", r.json
    sc = r.headers["set-cookie"]
    for attr in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/"):
        assert attr in sc, sc
    assert sc.startswith("__Host-djtv_session=") and len(cookie.split("=")[1]) == 64, sc
    me = call(server, "GET", "/api/v1/sessions/current", cookie=cookie)
    assert me.status == 200 and me.json["csrf"] == csrf, me.raw
    assert me.json["account"]["username"] == "staff1", me.json
    # The bearer API is unchanged: no cookie, the token in the body.
    status, body = server.login("staff2")
    assert status == 200 and "token" in body and "csrf" not in body, body


def test_wrong_password_and_malformed_logins_are_refused():
    r, cookie, _ = web_login(server, "staff2", "not-the-password")
    assert r.status == 401 and r.code == "bad_credentials" and cookie is None, r.raw
    assert "set-cookie" not in r.headers
    for bad in ({"username": "staff2", "password": "x", "web": "yes"},
                {"username": "staff2", "password": "x", "web": True, "extra": 1}, b"{not json"):
        r = call(server, "POST", "/api/v1/sessions", bad, origin=own_origin(server))
        assert r.status == 400 and "set-cookie" not in r.headers, (bad, r.raw)


def test_changes_need_the_csrf_token():
    _, cookie, csrf = web_login(server, "staff1")
    village = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": village}, cookie=cookie)
    assert r.status == 403 and r.code == "csrf_failed", r.raw
    r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": village}, cookie=cookie,
             csrf="0" * 64)
    assert r.status == 403 and r.code == "csrf_failed", r.raw
    _, _, other_csrf = web_login(server, "staff2")
    r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": village}, cookie=cookie,
             csrf=other_csrf)
    assert r.status == 403 and r.code == "csrf_failed", "another session's token " + str(r.raw)
    assert server.sql("SELECT count(*) FROM duty_checks")[0][0] == 0
    r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": village}, cookie=cookie,
             csrf=csrf, origin=own_origin(server), site="same-origin")
    assert r.status == 200 and r.json["state"] == "requested", r.raw
    # Reading needs no token.
    r = call(server, "GET", "/api/v1/staff/duty-checks", cookie=cookie)
    assert r.status == 200 and r.json["total"] == 1, r.raw


def test_cross_site_posts_are_refused():
    _, cookie, csrf = web_login(server, "staff1")
    village = server.sql("SELECT id FROM orgs WHERE name = '西村'")[0][0]
    for origin, site in (("https://evil.example", "cross-site"), ("https://evil.example", None),
                         (None, "cross-site"), ("http://127.0.0.1:%d" % server.port, None),
                         ("null", None)):
        r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": village},
                 cookie=cookie, csrf=csrf, origin=origin, site=site)
        assert r.status == 403 and r.code == "cross_site", (origin, site, r.raw)
    # Also a login from another site's page (login CSRF), even with the right password.
    r = call(server, "POST", "/api/v1/sessions",
             {"username": "staff1", "password": server.accounts["staff1"]["password"],
              "web": True}, origin="https://evil.example", site="cross-site")
    assert r.status == 403 and r.code == "cross_site" and "set-cookie" not in r.headers, r.raw
    assert server.sql("SELECT count(*) FROM duty_checks WHERE village_id = ?",
                      (village,))[0][0] == 0


def test_cookie_refusals():
    box = server.boxes[0]["token"]
    for cookie in (f"__Host-djtv_session={box}", "__Host-djtv_session=" + "ab" * 32,
                   "__Host-djtv_session=<script>", "__Host-djtv_session="):
        r = call(server, "GET", "/api/v1/sessions/current", cookie=cookie)
        assert r.status == 401, (cookie, r.raw)
        r = call(server, "GET", "/api/v1/home", cookie=cookie)
        assert r.status == 401, (cookie, r.raw)
    # A cadre's cookie opens no staff route.
    _, cookie, _ = web_login(server, "cadre01")
    r = call(server, "GET", "/api/v1/staff/rollcalls", cookie=cookie)
    assert r.status == 403, r.raw


def test_another_townships_staff_see_nothing_of_ours():
    server.add_township("北山镇", ["北山村"], [("bstaff", "北山镇党建办", "staff", "北山镇")])
    _, cookie, csrf = web_login(server, "bstaff", server.accounts["staff1"]["password"])
    ours = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]
    r = call(server, "POST", "/api/v1/staff/duty-checks", {"village_id": ours}, cookie=cookie,
             csrf=csrf, origin=own_origin(server))
    assert r.status == 404, r.raw
    r = call(server, "GET", "/api/v1/staff/rollcalls", cookie=cookie)
    assert r.status == 200 and r.json["total"] == 0, r.raw
    r = call(server, "GET", f"/api/v1/desk/requests?village={ours}", cookie=cookie)
    assert r.status == 404, r.raw


def test_the_event_stream_takes_the_cookie():
    _, cookie, _ = web_login(server, "staff1")
    r = call(server, "POST", "/api/v1/sessions", {"username": "staff1"})  # noise: a 400
    assert r.status == 400

    async def run():
        ctx = sseclient.client_context(server.ca)
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port, ssl=ctx)
        writer.write((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                      f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n").encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
        body = await asyncio.wait_for(reader.read(200), 10)
        writer.close()
        return head.decode(), body.decode()
    head, body = asyncio.run(run())
    assert head.startswith("HTTP/1.1 200") and "text/event-stream" in head, head
    assert "retry:" in body, body


def test_idle_sessions_end_and_logout_ends_the_cookie():
    _, cookie, csrf = web_login(server, "staff2")
    time.sleep(1)
    assert call(server, "GET", "/api/v1/sessions/current", cookie=cookie).status == 200
    time.sleep(IDLE + 1.5)
    r = call(server, "GET", "/api/v1/sessions/current", cookie=cookie)
    assert r.status == 401 and r.code == "session_expired", r.raw
    r = call(server, "GET", "/api/v1/staff/rollcalls", cookie=cookie)
    assert r.status == 401 and r.code == "session_expired", "it stays expired " + str(r.raw)
    # Logout: the cookie is deleted and stops working at once.
    _, cookie, csrf = web_login(server, "staff2")
    r = call(server, "DELETE", "/api/v1/sessions/current", cookie=cookie)
    assert r.status == 403 and r.code == "csrf_failed", r.raw
    r = call(server, "DELETE", "/api/v1/sessions/current", cookie=cookie, csrf=csrf,
             origin=own_origin(server))
    assert r.status == 200, r.raw
    assert "Max-Age=0" in r.headers["set-cookie"], r.headers
    r = call(server, "GET", "/api/v1/sessions/current", cookie=cookie)
    assert r.status == 401, r.raw


def test_failed_logins_are_rate_limited():
    statuses = [web_login(server, "staff1", f"wrong{i}")[0].status for i in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429, statuses
    r, cookie, _ = web_login(server, "staff1")
    assert r.status == 429 and cookie is None, "even the right password waits " + str(r.raw)
    assert int(r.headers["retry-after"]) >= 1


def test_dashboard_files_types_and_policy():
    r = call(server, "GET", "/dashboard")
    assert r.status == 301 and r.headers["location"] == "/dashboard/", r.headers
    r = call(server, "GET", "/dashboard/")
    assert r.status == 200 and r.headers["content-type"] == "text/html; charset=utf-8", r.headers
    assert b"<script" in r.raw and b'type="module"' in r.raw, r.raw[:400]
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1] \
        .split(";")[0], csp
    assert "frame-ancestors 'none'" in csp, csp
    assert r.headers["x-content-type-options"] == "nosniff"
    # No inline script in any page we serve: every <script> has a src.
    import re
    for tag in re.findall(rb"<script[^>]*>", r.raw):
        assert b"src=" in tag, tag
    for path, ctype in (("/dashboard/app.js", "text/javascript; charset=utf-8"),
                        ("/dashboard/style.css", "text/css; charset=utf-8"),
                        ("/dashboard/vendor/echarts.js", "text/javascript; charset=utf-8")):
        r = call(server, "GET", path)
        assert r.status == 200 and r.headers["content-type"] == ctype, (path, r.status, r.headers)
        assert "content-security-policy" in r.headers
    r = call(server, "GET", "/dashboard/vendor/echarts.js")
    assert b"echarts" in r.raw[:5000] or len(r.raw) > 500000, r.raw[:200]


def test_dashboard_paths_cannot_leave_their_folder():
    for path, want in (("/dashboard/../server.key", (400, 404)),
                       ("/dashboard/%2e%2e/%2e%2e/README.md", (400, 404)),
                       ("/dashboard/.hidden.js", (400,)), ("/dashboard//app.js", (400,)),
                       ("/dashboard/vendor/../../package.json", (400, 404)),
                       ("/dashboard/vendor/echarts/dist/echarts.js", (404,)),
                       ("/dashboard/nothing.js", (404,)), ("/dashboard/index.html.bak", (404,)),
                       ("/dashboard/app.js/", (400,)), ("/dashboardx", (404,))):
        r = call(server, "GET", path)
        assert r.status in want, (path, r.status, r.raw[:200])
        assert r.json and "code" in r.json, (path, r.raw[:200])
    r = call(server, "POST", "/dashboard/index.html", b"x", origin=own_origin(server))
    assert r.status == 405 and "GET" in r.headers.get("allow", ""), r.raw
    r = call(server, "HEAD", "/dashboard/app.js")
    assert r.status == 200 and r.raw == b"", r.raw


def test_unchanged_files_are_not_sent_again():
    r = call(server, "GET", "/dashboard/vendor/echarts.js")
    assert r.status == 200 and r.headers.get("last-modified"), r.headers
    again = call(server, "GET", "/dashboard/vendor/echarts.js",
                 headers={"If-Modified-Since": r.headers["last-modified"]})
    assert again.status == 304 and again.raw == b"", again.status
    other = call(server, "GET", "/dashboard/vendor/echarts.js",
                 headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert other.status == 200 and len(other.raw) == len(r.raw)
