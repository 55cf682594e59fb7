"""Event streams (GET /api/v1/events, Server-Sent Events) against the real server: 1,000
concurrent streams from one asyncio process, a roll call opened and closed through the API
reaches every one of them, the server keeps a handful of threads (no thread per stream) and
still answers; staff and cadre sessions get events too; a village's event stays in the village;
Last-Event-ID replays what a reconnecting box missed."""
import asyncio
import json
import os
import time

import djtvflow
import sseclient
from harness import Server

STREAMS = 1000
server = None
tokens = []


def setup_module():
    global server, tokens
    sseclient.raise_nofile(STREAMS * 2 + 256)
    server = Server("events")
    # 1,000 streams from the demo's 85 boxes: lift the per-token stream cap (tested in
    # test_sessions.py) for this capacity test.
    server.start(extra=("--log-level", "info", "--streams-per-token", "0"))
    tokens = [b["token"] for b in server.boxes]


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code} on SIGTERM"


def server_threads():
    return len(os.listdir(f"/proc/{server.proc.pid}/task"))


def server_fds():
    return len(os.listdir(f"/proc/{server.proc.pid}/fd"))


def test_refusals():
    status, body = server.get("/api/v1/events")
    assert status == 401 and body["code"] == "unauthorized", body
    status, body = server.request("POST", "/api/v1/events", tokens[0], body={})
    assert status == 405 and body["code"] == "method_not_allowed", body


def test_thousand_streams_get_the_roll_call():
    async def run():
        c = djtvflow.Client(server.port, server.ca)
        staff = djtvflow.login(c, server.dir, "staff1")
        cadre = djtvflow.login(c, server.dir, "cadre01")
        broadcast = djtvflow.live_broadcasts(c, staff, 1, "全镇党员大会")[0]
        threads_before = server_threads()
        t0 = time.monotonic()
        streams = await sseclient.open_many("127.0.0.1", server.port, server.ca, tokens, STREAMS)
        people = await sseclient.open_many("127.0.0.1", server.port, server.ca, [staff, cadre], 2)
        opened_in = time.monotonic() - t0
        assert server_threads() <= threads_before + 1, (threads_before, server_threads())
        assert server_fds() >= STREAMS, "the streams are open on the server"

        sent = time.monotonic()
        rid = await asyncio.get_running_loop().run_in_executor(
            None, djtvflow.open_rollcall, c, staff, broadcast)
        got = await sseclient.await_event(
            streams + people, lambda e: e.type == "rollcall.opened"
            and json.loads(e.data)["rollcall_id"] == rid, 30)
        missing = sum(1 for g in got if g is None)
        assert missing == 0, f"{missing} of {len(got)} streams did not get rollcall.opened"
        data = json.loads(got[0].data)
        assert data["broadcast_id"] == broadcast and "title" in data, data
        assert all(g.id and int(g.id) > 0 for g in got)
        lat = sorted((g.t - sent) * 1000 for g in got)

        await asyncio.get_running_loop().run_in_executor(
            None, djtvflow.close_rollcall, c, staff, rid)
        closed = await sseclient.await_event(
            streams, lambda e: e.type == "rollcall.closed"
            and json.loads(e.data)["rollcall_id"] == rid, 30)
        assert all(closed), "every stream gets rollcall.closed too"
        # The server still answers ordinary requests with 1,000 streams open.
        status, _ = c.call("GET", "/health")
        assert status == 200
        assert server_threads() <= threads_before + 1
        c.close()
        for s in streams + people:
            s.close()
        print(f"    {STREAMS} streams open in {opened_in:.1f}s, {server_threads()} server "
              f"threads; delivery p50 {sseclient.percentile(lat, 50):.0f} ms, "
              f"p99 {sseclient.percentile(lat, 99):.0f} ms")

    asyncio.run(run())


def test_village_event_stays_in_the_village_and_replays():
    async def run():
        c = djtvflow.Client(server.port, server.ca)
        cadre = djtvflow.login(c, server.dir, "cadre01")
        village = djtvflow.accounts(server.dir)["cadre01"][1]
        mine = [b["token"] for b in server.boxes if b["village_name"] == village]
        other = [b["token"] for b in server.boxes if b["village_name"] != village]
        streams = await sseclient.open_many("127.0.0.1", server.port, server.ca,
                                            [mine[0], other[0]], 2)
        bid = djtvflow.live_broadcasts(c, cadre, 1, "支部主题党日")[0]
        started = await streams[0].wait_for(lambda e: e.type == "broadcast.started"
                                            and json.loads(e.data)["broadcast_id"] == bid, 10)
        assert started is not None, "the village's box hears its broadcast start"
        rid = djtvflow.open_rollcall(c, cadre, bid)
        ev = await streams[0].wait_for(lambda e: e.type == "rollcall.opened", 10)
        assert ev and json.loads(ev.data)["rollcall_id"] == rid
        heard = await streams[1].wait_for(lambda e: e.type in ("rollcall.opened",
                                                               "broadcast.started")
                                          and json.loads(e.data).get("broadcast_id") == bid, 1)
        assert heard is None, f"a box of another village got {heard}"
        # A box that reconnects after the broadcast started gets the roll call it missed.
        status, again = await sseclient.Stream.open(
            "127.0.0.1", server.port, sseclient.client_context(server.ca), mine[0],
            last_event_id=started.id)
        assert status == 200, again
        replay = await again.wait_for(lambda e: e.type == "rollcall.opened", 10)
        assert replay and replay.id == ev.id, replay
        djtvflow.close_rollcall(c, cadre, rid)
        c.close()
        for s in streams + [again]:
            s.close()

    asyncio.run(run())
