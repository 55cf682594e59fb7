"""The roll-call flow through the real API, shared by test_durability.py, test_events.py and the
benchmark: log in as township staff, create and start broadcasts, open roll calls, send the
boxes' playback heartbeats, and list what each box may check in (its household's members).

Keep-alive HTTPS (http.client) pinned to the test CA; nothing here touches the database."""
import http.client
import json
import os
import ssl


class Client:
    """One keep-alive HTTPS connection to the server."""

    def __init__(self, port, ca, timeout=15):
        ctx = ssl.create_default_context(cafile=ca)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        self.conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=timeout)

    def call(self, method, path, token=None, body=None):
        """(status, parsed JSON or None)."""
        headers = {}
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.conn.request(method, path, body=data, headers=headers)
        r = self.conn.getresponse()
        raw = r.read()
        try:
            return r.status, json.loads(raw) if raw else None
        except ValueError:
            return r.status, None

    def close(self):
        self.conn.close()


def accounts(server_dir):
    """username -> (role, org_name, password), from the demo's accounts.tsv."""
    out = {}
    with open(os.path.join(server_dir, "accounts.tsv"), encoding="utf-8") as f:
        f.readline()
        for line in f:
            user, role, org, password = line.rstrip("\n").split("\t")[:4]
            out[user] = (role, org, password)
    return out


def login(client, server_dir, username):
    password = accounts(server_dir)[username][2]
    status, body = client.call("POST", "/api/v1/sessions",
                               body={"username": username, "password": password})
    assert status == 200, (status, body)
    return body["token"]


def live_broadcasts(client, staff_token, n, title="压力测试会议"):
    """Create and start N township-wide broadcasts; their ids."""
    ids = []
    for i in range(n):
        status, b = client.call("POST", "/api/v1/broadcasts", staff_token,
                                {"title": f"{title}{i + 1}"})
        assert status == 200, (status, b)
        status, started = client.call("POST", f"/api/v1/broadcasts/{b['id']}/start", staff_token)
        assert status == 200, (status, started)
        ids.append(b["id"])
    return ids


def open_rollcall(client, token, broadcast_id):
    status, r = client.call("POST", f"/api/v1/broadcasts/{broadcast_id}/rollcalls", token)
    assert status == 200, (status, r)
    return r["id"]


def close_rollcall(client, token, rollcall_id):
    status, r = client.call("POST", f"/api/v1/rollcalls/{rollcall_id}/close", token)
    assert status == 200, (status, r)
    return r


def household_members(client, box_token):
    status, home = client.call("GET", "/api/v1/home", box_token)
    assert status == 200, (status, home)
    return [m["id"] for m in home["household"]["members"]]


def heartbeat(client, box_token, broadcast_id):
    status, body = client.call("POST", f"/api/v1/broadcasts/{broadcast_id}/heartbeat", box_token)
    assert status == 200, (status, body)
