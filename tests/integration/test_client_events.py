"""The box's event stream, end to end: the real server, the real client headless. A cadre
starts a broadcast through the API and the live banner appears on the TV; it goes when the
broadcast stops; the stream is cut from outside (two more streams with the box's token end the
client's) and what happened while it was down still reaches the screen."""
import boxflow
import harness
from harness import Server, find_text

server = None


def setup_module():
    global server
    server = Server("client-events").start()
    boxflow.end_all_live(server)


def teardown_module():
    server.finish()


def test_banner_follows_broadcasts_and_survives_a_cut_stream():
    token = server.box_of("东村")
    cadre = server.token_of(server.cadre_of("东村"))
    c = boxflow.LiveClient("client_events_banner", server, token, [
        "wait-screen home 20000",        # 1
        "wait-text 东村冬训直播 20000",   # 2 banner after broadcast.started
        "wait-gone 东村冬训直播 20000",   # 3 gone after broadcast.ended
        "wait-text 东村夜校直播 30000",   # 4 started while the stream was cut
    ])
    try:
        c.wait_log("event stream open")
        step = c.wait_step(1)
        assert "live_banner" not in step["overlays"], step["overlays"]
        first = boxflow.start_broadcast(server, cadre, "东村冬训直播")
        step = c.wait_step(2)
        assert not step.get("timeout"), harness.texts(step)
        assert "live_banner" in step["overlays"]
        assert find_text(step, "正在直播")
        boxflow.stop_broadcast(server, cadre, first)
        step = c.wait_step(3)
        assert not step.get("timeout"), harness.texts(step)
        assert "live_banner" not in step["overlays"]

        # Two more streams with the box's token: the server ends the oldest, the client's.
        streams = boxflow.open_raw_streams(server, token, 2)
        try:
            c.wait_log("event stream dropped")
            second = boxflow.start_broadcast(server, cadre, "东村夜校直播")
        finally:
            boxflow.close_streams(streams)
        c.wait_log("event stream back after")
        step = c.wait_step(4)
        assert not step.get("timeout"), harness.texts(step)
        assert "live_banner" in step["overlays"]
        boxflow.stop_broadcast(server, cadre, second)
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    # The reconnect named the last event it had seen (Last-Event-ID), so the server replayed the
    # start it missed, right after the stream came back and without a re-read.
    lines = run.log.splitlines()
    back = next(i for i, line in enumerate(lines) if "event stream back after" in line)
    assert "re-reading" not in lines[back], lines[back]
    replayed = [line for line in lines[back:back + 4]
                if "[events] event broadcast.started" in line]
    assert replayed, lines[back:back + 6]
