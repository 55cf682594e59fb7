"""One router for every request (server/http/routes.c + the API tables): over HTTPS against the
real server, the same 404 for an unknown path whatever its prefix, a wrong method on any path
answered 405 with the Allow of that path, the access level of each media and live path (no
token, a junk token, the publishing key, a box, a cadre, staff), players never held back by the
per-token rate limit that the API keeps, and the dashboard's CSP on its errors too."""
import http.client
import json
import os
import secrets
import tempfile

import harness
import livecast

server = None
work = None
media = None
bid = None
key = None
NOT_FOUND = {"code": "not_found", "message": "no such resource"}


def setup_module():
    global server, work, media, bid, key
    work = tempfile.mkdtemp(prefix="djtv-routes-")
    media = os.path.join(work, "media")
    os.makedirs(os.path.join(media, "items", "r"))
    harness.ffmpeg("-f", "lavfi", "-i", "color=c=red:size=64x64", "-frames:v", "1",
                   os.path.join(media, "items", "r", "poster.png"))
    server = harness.Server("routes")
    server.start(["--media", media, "--rate-limit", "1000"])
    b, key = livecast.start_broadcast(server, cadre(), "路由测试直播")
    bid = b["id"]
    seg = os.path.join(work, "seg.ts")
    harness.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-t", "1",
                   "-c:v", "libx264", "-g", "10", "-f", "mpegts", seg)
    with open(seg, "rb") as f:
        status, body = server.request("PUT", f"/live/{bid}/seg0.ts", key, f.read(),
                                      {"Content-Type": "video/mp2t"})
    assert status == 201, body


def teardown_module():
    server.finish(work)


def cadre():
    return server.token_of(server.cadre_of("东村"))


def call(method, path, token=None, headers=None, srv=None):
    """(status, [(header, value)], body bytes), PATH sent exactly as given."""
    srv = srv or server
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, context=srv.ssl_context(),
                                       timeout=10)
    try:
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        conn.request(method, path, headers=h)
        r = conn.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        conn.close()


def header(headers, name):
    values = [v for k, v in headers if k.lower() == name.lower()]
    assert len(values) <= 1, (name, headers)  # every header once, never twice
    return values[0] if values else None


def test_an_unknown_path_is_the_same_404_everywhere():
    box = server.box_of("东村")
    for path in ("/nope", "/api/v1/nope", "/api/v1/events/x", "/media", "/live",
                 f"/live/{bid}", "/live/abc/index.m3u8", "/live/0/index.m3u8", "/dashboardx",
                 "/healthz", "/health/"):
        for token in (None, box):
            status, h, body = call("GET", path, token)
            assert status == 404, (path, status, body)
            assert json.loads(body) == NOT_FOUND, (path, body)
            assert header(h, "Content-Type") == "application/json; charset=utf-8", (path, h)
            assert header(h, "X-Content-Type-Options") == "nosniff", (path, h)
            assert header(h, "Cache-Control") == "no-store", (path, h)


def test_a_wrong_method_is_405_with_the_allow_of_that_path():
    box = server.box_of("东村")
    cases = [
        ("DELETE", "/media/items/r/poster.png", "GET, HEAD"),
        ("PUT", "/media/items/r/poster.png", "GET, HEAD"),
        ("DELETE", f"/live/{bid}/index.m3u8", "GET, HEAD, PUT, POST"),
        ("PATCH", f"/live/{bid}/seg0.ts", "GET, HEAD, PUT, POST"),
        ("PUT", "/dashboard/app.js", "GET, HEAD"),
        ("DELETE", "/dashboard", "GET, HEAD"),
        ("HEAD", "/api/v1/events", "GET"),
        ("POST", "/api/v1/events", "GET"),
        ("PATCH", "/health", "GET, HEAD"),
        ("DELETE", "/api/v1/home", "GET, HEAD"),
    ]
    for method, path, allow in cases:
        for token in (None, box):
            status, h, body = call(method, path, token)
            assert status == 405, (method, path, status, body)
            assert header(h, "Allow") == allow, (method, path, h)
            if method != "HEAD":
                assert json.loads(body)["code"] == "method_not_allowed", (method, path, body)


def test_who_may_read_media_and_live_files():
    cadre_token = cadre()
    staff = server.token_of("staff1")
    box = server.box_of("东村")
    other_village_box = server.box_of("西村")
    paths = ["/media/items/r/poster.png", f"/live/{bid}/index.m3u8", f"/live/{bid}/seg0.ts",
             f"/live/{bid}/recording.m3u8"]
    for path in paths:
        for method in ("GET", "HEAD"):
            for token in (box, other_village_box, cadre_token, staff):
                status, h, body = call(method, path, token)
                assert status == 200, (method, path, status, body[:200])
                assert header(h, "X-Content-Type-Options") == "nosniff", h
                assert header(h, "Cache-Control").startswith("private"), h
            # No token, a junk one, or the publishing key (a key, not a caller): 401.
            for token in (None, secrets.token_hex(32), key):
                status, h, body = call(method, path, token)
                assert status == 401, (method, path, token, status)
                assert header(h, "WWW-Authenticate") == 'Bearer realm="djtv"', h
                if method == "GET":
                    assert json.loads(body)["code"] == "unauthorized", body
    # An expired session is told so, on media as on the API (twelve hours later, moved in the
    # database: the server's clock is the real one).
    expiring = server.token_of("staff2")
    server.sql("UPDATE sessions SET created_at = '2020-01-01T00:00:00Z',"
               " expires_at = '2020-01-01T12:00:00Z' WHERE id = (SELECT max(id) FROM sessions)")
    status, _, body = call("GET", paths[1], expiring)
    assert status == 401 and json.loads(body)["code"] == "session_expired", body


def test_players_are_not_rate_limited_but_the_api_is():
    tight = harness.Server("routes-limit")
    try:
        tight.start(["--media", media, "--rate-limit", "1"])  # 1/s, bursts of 2
        box = tight.box_of("东村")
        conn = http.client.HTTPSConnection("127.0.0.1", tight.port,
                                           context=tight.ssl_context(), timeout=10)
        auth = {"Authorization": f"Bearer {box}"}
        media_codes, api_codes = [], []
        for _ in range(20):
            conn.request("GET", "/media/items/r/poster.png", headers=auth)
            r = conn.getresponse()
            r.read()
            media_codes.append(r.status)
            conn.request("GET", "/api/v1/home", headers=auth)
            r = conn.getresponse()
            body = r.read()
            api_codes.append(r.status)
            if r.status == 429:
                assert json.loads(body)["code"] == "rate_limited", body
                assert int(r.getheader("Retry-After")) >= 1
        conn.close()
        assert media_codes == [200] * 20, media_codes
        # However slowly this runs (valgrind), 20 API requests at 1/s from a burst of 2 hit it.
        assert api_codes.count(429) >= 5 and api_codes[0] == 200, api_codes
    finally:
        tight.finish()


def test_the_dashboards_csp_is_on_its_errors_too():
    for path, want in (("/dashboard/", 200), ("/dashboard", 301), ("/dashboard/nothing.js", 404),
                       ("/dashboard/.hidden.js", 400)):
        status, h, _ = call("GET", path)
        assert status == want, (path, status)
        csp = header(h, "Content-Security-Policy")
        assert csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, (path, h)
        assert header(h, "X-Frame-Options") == "DENY", (path, h)
        assert header(h, "X-Content-Type-Options") == "nosniff", (path, h)
    status, h, _ = call("DELETE", "/dashboard/index.html")
    assert status == 405 and header(h, "Content-Security-Policy"), h
    # The API and media are not pages: no CSP there, and no CORS anywhere.
    for path in ("/health", "/nope"):
        status, h, _ = call("GET", path, headers={"Origin": "https://evil.example"})
        assert header(h, "Content-Security-Policy") is None, h
        assert header(h, "Access-Control-Allow-Origin") is None, h
