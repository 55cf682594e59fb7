"""The idle dimmer end to end: the real server and client headless, with --idle-seconds 2 so
the test does not wait ten minutes. The screen dims when no key comes, the next key only wakes
it, and a video keeps it awake."""
from harness import Server, find_text, run_client, texts

server = None


def setup_module():
    global server
    server = Server("idle").start()


def teardown_module():
    server.finish()


def test_dims_when_idle_and_the_waking_key_does_nothing_else():
    run = run_client("idle_dim", server.url, server.ca, server.boxes[0]["token"], [
        "wait-screen home 20000",   # 0
        "wait 2600",                # 1: no key for longer than 2 s
        "OK",                       # 2: wakes only
        "wait 300",                 # 3
        "OK",                       # 4: now opens 党务公开
        "wait-screen section.affairs",  # 5
    ], extra=["--idle-seconds", "2"])
    assert run.code == 0, run.log[-3000:]
    assert run.step(0)["state"]["dimmed"] is False
    dim = run.step(1)
    assert dim["state"]["dimmed"] is True, dim["state"]
    # The home screen is still there under the shade (nothing was lost), just darker.
    assert find_text(dim, "党务公开"), texts(dim)
    woke = run.step(2)
    assert woke["state"]["dimmed"] is False and woke["screen"] == "home", woke
    assert run.step(3)["screen"] == "home", "the waking OK opened nothing"
    assert run.step(5)["screen"] == "section.affairs"


def test_default_is_ten_minutes():
    run = run_client("idle_default", server.url, server.ca, server.boxes[0]["token"], [
        "wait-screen home 20000", "wait 2600"])
    assert run.code == 0, run.log[-3000:]
    assert run.step(1)["state"]["dimmed"] is False
