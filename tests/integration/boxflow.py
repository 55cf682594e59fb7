"""The TV client running headless in the background while a test acts on the server through the
API (a cadre starts a broadcast, opens a roll call, staff reply), and ways to cut the box's event
stream from outside. Shared by the flow tests and the benchmark."""
import hashlib
import os
import secrets
import socket
import ssl
import subprocess
import time

import harness
import livecast
from harness import ClientRun


class LiveClient:
    """build/djtv --headless with a key script, started now; the test reads its log and dump
    while it runs, then finish() waits for the script to end."""

    def __init__(self, name, server, token, keys, extra=(), env_extra=None):
        self.dir, cmd, self.dump, self.shots = harness.prepare_client(
            name, server.url, server.ca, token, keys, extra)
        self.log_path = os.path.join(self.dir, "client.log")
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(harness.under_valgrind(cmd), stdout=self.log_file,
                                     stderr=subprocess.STDOUT, env=harness.client_env(env_extra))
        self.slow = harness.SLOWDOWN

    def log(self):
        return harness.read_log(self.log_path)

    def wait_log(self, needle, timeout=20, count=1):
        """Until the log holds NEEDLE COUNT times; asserts it does in time."""
        deadline = time.monotonic() + timeout * self.slow
        while time.monotonic() < deadline:
            if self.log().count(needle) >= count:
                return
            assert self.proc.poll() is None, "the client exited early:\n" + self.log()[-3000:]
            time.sleep(0.05)
        raise AssertionError(f"no '{needle}' x{count} in the client log:\n" + self.log()[-3000:])

    def steps(self):
        return harness.read_dump(self.dump)

    def wait_step(self, n, timeout=30):
        """Until the dump has N steps; returns the N-th (1-based)."""
        deadline = time.monotonic() + timeout * self.slow
        while time.monotonic() < deadline:
            steps = self.steps()
            if len(steps) >= n:
                return steps[n - 1]
            assert self.proc.poll() is None, "the client exited early:\n" + self.log()[-3000:]
            time.sleep(0.05)
        raise AssertionError(f"no dump step {n}:\n" + self.log()[-3000:])

    def finish(self, timeout=90):
        try:
            code = self.proc.wait(timeout=timeout * self.slow)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = "timeout"
        self.log_file.close()
        return ClientRun(code, self.log(), self.steps(), self.shots)


def open_raw_streams(server, token, n):
    """N event streams as TOKEN on plain blocking sockets, each past its headers. A box keeps at
    most 2 streams: opening 2 ends the client's. Close them with close_streams()."""
    ctx = ssl.create_default_context(cafile=server.ca)
    out = []
    for _ in range(n):
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s = ctx.wrap_socket(raw, server_hostname="localhost")
        s.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Accept: text/event-stream\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(4096)
            assert chunk, "the server closed the stream at once"
            head += chunk
        assert head.startswith(b"HTTP/1.1 200"), head[:200]
        out.append(s)
    return out


def close_streams(streams):
    for s in streams:
        try:
            s.close()
        except OSError:
            pass


def small_village(server, name, people, cadre_user, phone, pin, room=False,
                  township="南湖镇"):
    """A village NAME of one household per person in PEOPLE (one member each, a box each) and
    its cadre CADRE_USER (staff1's password), reaching past the API: no route makes villages.
    With ROOM, one more box: the activity room's, in a household of no member (it counts for
    no roll call). Township staff set the cadre's PHONE and PIN through the API.
    {id, boxes, room, cadre, phone, pin, password}."""
    server.sql("INSERT INTO orgs (parent_id, kind, name) SELECT id, 'village', ? FROM orgs"
               " WHERE kind = 'township' AND name = ?", (name, township))
    (vid,), = server.sql("SELECT id FROM orgs WHERE name = ?", (name,))

    def household_box(household, member, label):
        server.sql("INSERT INTO households (village_id, name) VALUES (?, ?)", (vid, household))
        (hid,), = server.sql("SELECT max(id) FROM households")
        if member:
            server.sql("INSERT INTO members (household_id, name, birth_year)"
                       " VALUES (?, ?, 1950)", (hid, member))
        tok = secrets.token_hex(32)
        server.sql("INSERT INTO boxes (household_id, token_hash, label) VALUES (?, ?, ?)",
                   (hid, hashlib.sha256(bytes.fromhex(tok)).hexdigest(), label))
        return tok
    boxes = [household_box(p[0] + "家", p, f"box {i}") for i, p in enumerate(people)]
    room_box = household_box("村活动室", None, "activity room") if room else None
    server.sql("INSERT INTO accounts (username, display_name, role, org_id, password_hash,"
               " created_at) SELECT ?, ?, 'cadre', ?, password_hash, created_at FROM accounts"
               " WHERE username = 'staff1'", (cadre_user, name + "党支部书记", vid))
    (cid,), = server.sql("SELECT id FROM accounts WHERE username = ?", (cadre_user,))
    staff = server.token_of("staff1")
    status, body = server.request("PUT", f"/api/v1/staff/cadres/{cid}/pin", staff,
                                  {"phone": phone, "pin": pin})
    assert status == 200 and body == {"id": cid, "phone": phone, "pin_set": True}, body
    return dict(id=vid, boxes=boxes, room=room_box, cadre=cid, phone=phone, pin=pin,
                password=server.accounts["staff1"]["password"])


def start_broadcast(server, token, title):
    """POST /broadcasts then /start as TOKEN; the broadcast's id."""
    return livecast.start_broadcast(server, token, title)[0]["id"]


def stop_broadcast(server, token, broadcast_id):
    status, body = server.request("POST", f"/api/v1/broadcasts/{broadcast_id}/stop", token)
    assert status == 200, (status, body)


def end_all_live(server):
    """Stop every live broadcast of the demo (as staff), so a test starts with none."""
    staff = server.token_of("staff1")
    for (bid,) in server.sql("SELECT id FROM broadcasts WHERE state = 'live'"):
        stop_broadcast(server, staff, bid)


def wait_for(check, timeout, what):
    """Until check() is truthy; asserts it becomes so within TIMEOUT seconds."""
    deadline = time.monotonic() + timeout * harness.SLOWDOWN
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.1)
    raise AssertionError(what)
