"""Over HTTPS: section paging, query refusals, a percent-encoded query, failed-login limits and
the per-token limit (429 with Retry-After)."""
import http.client
import json
import ssl
import urllib.parse

from harness import Server

server = None
box = None


def setup_module():
    global server, box
    server = Server("api_wiring").start()
    box = next(b for b in server.boxes if b["village_name"] == "东村")["token"]


def teardown_module():
    server.finish()


def test_section_paging():
    status, all_items = server.get("/api/v1/sections/affairs/items?per_page=50", box)
    assert status == 200 and all_items["per_page"] == 50, all_items
    status, page2 = server.get("/api/v1/sections/affairs/items?page=2&per_page=5", box)
    assert status == 200, page2
    assert page2["page"] == 2 and page2["per_page"] == 5 and page2["total"] == all_items["total"]
    assert [i["id"] for i in page2["items"]] == [i["id"] for i in all_items["items"][5:10]]


def test_query_refusals():
    for path in ("/api/v1/sections/affairs/items?per_page=999",
                 "/api/v1/sections/affairs/items?page=0",
                 "/api/v1/sections/affairs/items?page=1&page=2",
                 "/api/v1/sections/affairs/items?order=title",
                 "/api/v1/items/1?x=1"):
        status, body = server.get(path, box)
        assert status == 400 and body["code"] == "bad_request", (path, status, body)


def test_percent_encoded_category():
    status, cat = server.get("/api/v1/courses?category=" + urllib.parse.quote("党课学习"), box)
    assert status == 200 and [c["name"] for c in cat["categories"]] == ["党课学习"], cat


def raw(conn, method, path, token=None, body=None):
    """(status, headers, JSON) on a keep-alive connection."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = json.dumps(body).encode() if body is not None else None
    conn.request(method, path, body=data, headers=headers)
    r = conn.getresponse()
    return r.status, dict(r.getheaders()), json.loads(r.read() or b"null")


def connection():
    ctx = ssl.create_default_context(cafile=server.ca)
    return http.client.HTTPSConnection("127.0.0.1", server.port, context=ctx, timeout=10)


def test_failed_logins_limited():
    name = "staff2"
    conn = connection()
    try:
        for _ in range(5):
            status, _, body = raw(conn, "POST", "/api/v1/sessions",
                                  body={"username": name, "password": "guess"})
            assert status == 401, body
        status, headers, body = raw(conn, "POST", "/api/v1/sessions",
                                    body={"username": name,
                                          "password": server.accounts[name]["password"]})
        assert status == 429 and body["code"] == "rate_limited", body
        assert int(headers.get("Retry-After", "0")) >= 1, headers
    finally:
        conn.close()
    status, body = server.login("staff1")  # another username is not affected
    assert status == 200, body


def test_per_token_rate_limit():
    token = next(b for b in server.boxes if b["village_name"] == "河山村")["token"]
    conn = connection()
    statuses, retry = [], None
    try:
        for _ in range(100):  # well over 40 (the burst) + 20/s in the time this takes
            status, headers, _ = raw(conn, "GET", "/api/v1/rollcalls/current", token)
            statuses.append(status)
            if status == 429:
                retry = headers.get("Retry-After")
    finally:
        conn.close()
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[:40] == [200] * 40, statuses[:40]
    assert 429 in statuses and retry and int(retry) >= 1, (statuses, retry)
    status, body = server.get("/api/v1/rollcalls/current", box)  # another token: unaffected
    assert status == 200, body
