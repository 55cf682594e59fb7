"""Data for the dashboard's browser tests, made beside the demo township (reaching past the API
where no route makes it: villages, households, boxes): a small village whose members can be
counted by eye, with its boxes and its cadre."""
import hashlib
import json
import os
import secrets
import threading
import asyncio

import livecast
import sseclient


def add_village(server, name, members, township="南湖镇"):
    """Village NAME in TOWNSHIP with one household per member (household i named after member
    i), a box each and a cadre `<name>-cadre` with staff1's password. Returns
    {"id", "boxes": [(token, member_id)], "cadre": username}."""
    server.sql("INSERT INTO orgs (parent_id, kind, name) SELECT id, 'village', ? FROM orgs"
               " WHERE name = ? AND kind = 'township'", (name, township))
    vid = server.sql("SELECT id FROM orgs WHERE name = ? AND kind = 'village'", (name,))[0][0]
    boxes = []
    for i, member in enumerate(members):
        server.sql("INSERT INTO households (village_id, name) VALUES (?, ?)", (vid, f"{name}{i + 1}户"))
        hid = server.sql("SELECT max(id) FROM households")[0][0]
        server.sql("INSERT INTO members (household_id, name, phone) VALUES (?, ?, ?)",
                   (hid, member, f"1380013{i:04d}"))
        mid = server.sql("SELECT max(id) FROM members")[0][0]
        token = secrets.token_hex(32)
        server.sql("INSERT INTO boxes (household_id, token_hash, label) VALUES (?, ?, ?)",
                   (hid, hashlib.sha256(bytes.fromhex(token)).hexdigest(), f"{name}-{i + 1}"))
        boxes.append((token, mid))
    cadre = f"cadre-{vid}"
    server.sql("INSERT INTO accounts (username, display_name, role, org_id, password_hash,"
               " created_at) SELECT ?, ?, 'cadre', ?, password_hash, created_at FROM accounts"
               " WHERE username = 'staff1'", (cadre, f"{name}党支部书记", vid))
    return {"id": vid, "boxes": boxes, "cadre": cadre}


def live_rollcall(server, cadre_token, title):
    """A broadcast of the cadre's village, started, with its roll call open: (broadcast, rc)."""
    bid = livecast.start_broadcast(server, cadre_token, title)[0]["id"]
    status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre_token)
    assert status == 200, rc
    return bid, rc


class StreamThread:
    """An event stream of TOKEN read on a thread of its own, so a test can drive the browser
    meanwhile. .events is the list of (type, data) seen so far."""

    def __init__(self, server, token):
        self.events = []
        self.ready = threading.Event()
        self.stop = False
        self.thread = threading.Thread(target=self._run, args=(server, token), daemon=True)
        self.thread.start()
        assert self.ready.wait(15), "the event stream did not open"

    def _run(self, server, token):
        async def go():
            s = await server.open_stream(token)
            self.ready.set()
            while not self.stop and not s.ended:
                try:
                    evs = await asyncio.wait_for(s.next_events(), 0.5)
                except asyncio.TimeoutError:
                    continue
                for e in evs or []:
                    if e.data:
                        self.events.append((e.type, json.loads(e.data)))
            s.close()
        asyncio.run(go())

    def wait(self, pred, timeout=10):
        import time
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for t, d in self.events:
                if pred(t, d):
                    return d
            time.sleep(0.05)
        return None

    def close(self):
        self.stop = True
        self.thread.join(5)
