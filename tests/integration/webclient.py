"""A browser's side of the dashboard's HTTP, without a browser: raw HTTPS requests with the
headers a browser sends (Cookie, Origin, Sec-Fetch-Site, X-CSRF-Token), keeping the reply's
headers. Used by the dashboard's security tests; the page itself is tested in Chromium."""
import http.client
import json
import os

from harness import TOP


def web_args():
    """The server options that serve the dashboard from this repository."""
    return ("--web", os.path.join(TOP, "server", "web"),
            "--node-modules", os.path.join(TOP, "node_modules"))


class Reply:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers  # {lower-case name: value}; Set-Cookie lines joined by "\n"
        self.raw = raw
        try:
            self.json = json.loads(raw)
        except ValueError:
            self.json = None

    @property
    def code(self):
        return (self.json or {}).get("code")


def call(server, method, path, body=None, cookie=None, csrf=None, origin=None, site=None,
         headers=None):
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    try:
        h = dict(headers or {})
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        if cookie:
            h["Cookie"] = cookie
        if csrf:
            h["X-CSRF-Token"] = csrf
        if origin:
            h["Origin"] = origin
        if site:
            h["Sec-Fetch-Site"] = site
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        hdrs = {}
        for k, v in r.getheaders():
            k = k.lower()
            hdrs[k] = hdrs[k] + "\n" + v if k in hdrs else v
        return Reply(r.status, hdrs, r.read())
    finally:
        conn.close()


def own_origin(server):
    return f"https://127.0.0.1:{server.port}"


def web_login(server, username, password=None):
    """Log in as the dashboard does; (reply, cookie header value, csrf)."""
    if password is None:
        password = server.accounts[username]["password"]
    r = call(server, "POST", "/api/v1/sessions",
             {"username": username, "password": password, "web": True},
             origin=own_origin(server), site="same-origin")
    cookie = None
    if r.status == 200:
        first = r.headers["set-cookie"].split("\n")[0]
        cookie = first.split(";")[0]
    return r, cookie, (r.json or {}).get("csrf")
