"""Who a session is and how its event streams end, against the real server: GET
/api/v1/sessions/current for each role and the refusals; logout ends that session's event
stream and only that one; a box that opens one stream too many loses its oldest, not its
newest; the event route counts against the per-token rate limit."""
import asyncio

import sseclient
from harness import Server

server = None
RATE = 5  # requests per second per token, burst 10: small enough to reach in a test


def setup_module():
    global server
    server = Server("sessions").start(extra=("--rate-limit", str(RATE)))


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code}"


def test_current_session_says_who_and_where():
    for username, role, kind in (("staff1", "staff", "township"), ("admin", "admin", "township"),
                                 ("cadre01", "cadre", "village")):
        status, login = server.login(username)
        assert status == 200, login
        status, me = server.get("/api/v1/sessions/current", login["token"])
        assert status == 200, me
        assert "token" not in me, "the token is never sent back"
        assert me["role"] == role and me["account"]["username"] == username, me
        assert me["org"]["kind"] == kind and me["org"]["name"] == \
            server.accounts[username]["org_name"], me
        assert me["expires_at"] == login["expires_at"], (me, login)


def test_current_session_refusals():
    status, body = server.get("/api/v1/sessions/current")
    assert status == 401 and body["code"] == "unauthorized", body
    status, body = server.get("/api/v1/sessions/current", server.boxes[0]["token"])
    assert status == 403 and body["code"] == "forbidden", body
    status, body = server.get("/api/v1/sessions/current", "ab" * 32)
    assert status == 401, body
    token = server.token_of("staff2")
    status, body = server.get("/api/v1/sessions/current?x=1", token)
    assert status == 400 and body["code"] == "bad_request", body
    status, body = server.request("PUT", "/api/v1/sessions/current", token, body={})
    assert status == 405, body


def test_logout_ends_that_sessions_stream_only():
    async def run():
        mine, other = server.token_of("staff1"), server.token_of("staff1")
        ctx = sseclient.client_context(server.ca)
        status, s_mine = await sseclient.Stream.open("127.0.0.1", server.port, ctx, mine)
        assert status == 200, s_mine
        status, s_other = await sseclient.Stream.open("127.0.0.1", server.port, ctx, other)
        assert status == 200, s_other
        await s_mine.wait_for(lambda e: e.retry is not None, 10)
        await s_other.wait_for(lambda e: e.retry is not None, 10)
        status, body = server.request("DELETE", "/api/v1/sessions/current", mine)
        assert status == 200, body
        await s_mine.wait_for(lambda e: False, 10)
        assert s_mine.ended, "the logged-out session's stream goes on"
        await s_other.wait_for(lambda e: False, 1)
        assert not s_other.ended, "another session's stream was ended too"
        status, body = server.get("/api/v1/sessions/current", mine)
        assert status == 401, body
        status, body = await sseclient.Stream.open("127.0.0.1", server.port, ctx, mine)
        assert status == 401, body
        s_other.close()

    asyncio.run(run())


def test_one_stream_too_many_ends_the_oldest():
    async def run():
        token = server.boxes[1]["token"]
        ctx = sseclient.client_context(server.ca)
        streams = []
        for _ in range(3):  # the default cap is 2 per box
            status, s = await sseclient.Stream.open("127.0.0.1", server.port, ctx, token)
            assert status == 200, s
            await s.wait_for(lambda e: e.retry is not None, 10)
            streams.append(s)
        await streams[0].wait_for(lambda e: False, 10)
        assert streams[0].ended, "the oldest stream should have ended"
        await streams[2].wait_for(lambda e: False, 1)
        assert not streams[1].ended and not streams[2].ended, "a newer stream was ended"
        for s in streams:
            s.close()

    asyncio.run(run())


def test_event_streams_count_against_the_rate_limit():
    async def run():
        token = server.boxes[2]["token"]
        ctx = sseclient.client_context(server.ca)
        # 4x the rate at once: the burst (2x) and what refills while they connect cannot
        # cover them all, however slow the machine is.
        results = await asyncio.gather(*(
            sseclient.Stream.open("127.0.0.1", server.port, ctx, token)
            for _ in range(4 * RATE)))
        statuses = [status for status, _ in results]
        assert 429 in statuses and 200 in statuses, statuses
        for status, s in results:
            if status == 200:
                s.close()
            else:
                assert status == 429 and '"rate_limited"' in s, (status, s)

    asyncio.run(run())
