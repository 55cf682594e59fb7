"""The TV client's UI as a person meets it, against the real server: digit shortcuts, Back and
Home, the safe area on every step, and a picture that does not depend on the window size."""
import os
import subprocess

import harness
from harness import BUILD, FONT, Server, contrast, find_text, run_client

server = None
token = None


def setup_module():
    global server, token
    server = Server("client-ui").start()
    token = server.boxes[0]["token"]


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code} on SIGTERM"


def check_readable(run):
    """Every text on every step: at least 40 px, 7:1 contrast, inside the 5 % safe area."""
    for step in run.steps:
        for t in step["texts"]:
            where = f"step {step['step']} ({step['screen']}): '{t['text']}'"
            assert t["px"] >= 40, f"{where} is {t['px']} px"
            c = contrast(t["fg"], t["bg"])
            assert c >= 7.0, f"{where} contrast {c:.2f}"
            assert t["x"] >= 96 and t["x"] + t["w"] <= 1824, f"{where} outside the safe area (x)"
            assert t["y"] >= 54 and t["y"] + t["h"] <= 1026, f"{where} outside the safe area (y)"


def test_digits_back_and_home():
    run = run_client("client_ui_keys", server.url, server.ca, token, [
        "wait-screen home 20000",  # 0
        "3",                       # 1 digit 3 opens the third section
        "BACK",                    # 2 back home, focus on what was opened
        "6",                       # 3
        "HOME",                    # 4 home from anywhere
        "BACK",                    # 5 back on home stays home
        "RIGHT 5",                 # 6 the right edge stops the focus
        "DOWN 3",                  # 7 and so does the bottom
        "9",                       # 8 no ninth section: nothing happens
    ])
    assert run.code == 0, run.log[-3000:]
    assert not run.step(0).get("timeout"), harness.texts(run.step(0))
    assert run.step(1)["screen"] == "section.study"
    assert find_text(run.step(1), "党教园地"), "the opened section names itself"
    assert run.step(2)["screen"] == "home" and run.step(2)["focus"] == "section.study"
    assert run.step(3)["screen"] == "section.evaluation"
    assert run.step(4)["screen"] == "home" and run.step(4)["focus"] == "section.evaluation"
    assert run.step(5)["screen"] == "home"
    assert run.step(6)["focus"] == "section.evaluation"
    assert run.step(7)["focus"] == "section.evaluation"
    assert run.step(8)["screen"] == "home" and run.step(8)["focus"] == "section.evaluation"
    # Home shows a number on each tile for its digit key.
    for digit in "123456":
        assert any(t["text"] == digit for t in run.step(0)["texts"]), f"no badge {digit}"
    check_readable(run)


def test_live_banner_and_sections_are_readable():
    run = run_client("client_ui_live", server.url, server.ca, token,
                     ["wait-screen home 20000", "OK", "wait-screen section.affairs"])
    assert run.code == 0, run.log[-3000:]
    status, home = server.get("/api/v1/home", token)
    assert status == 200
    for step in run.steps:
        shown = "live_banner" in step["overlays"]
        assert shown == bool(home["live_now"]), (step["overlays"], home["live_now"])
        if home["live_now"]:
            assert find_text(step, home["live_now"][0]["title"][:6]), harness.texts(step)
    check_readable(run)


def run_window(name, env_extra, headless):
    """The client with its real window code path; returns the screenshot folder."""
    d = harness.out_dir(name)
    keys = os.path.join(d, "script.keys")
    with open(keys, "w", encoding="utf-8") as f:
        f.write("wait-screen home 20000\nRIGHT\nDOWN\nOK\nwait-screen section.pioneers\n")
    tok = os.path.join(d, "token")
    with open(tok, "w", encoding="utf-8") as f:
        f.write(token)
    shots = os.path.join(d, "shots")
    cmd = [os.path.join(BUILD, "djtv"), "--server", server.url, "--ca", server.ca,
           "--token-file", tok, "--font", FONT, "--keys", keys, "--screenshot-dir", shots,
           "--ask-viewers=no"]
    if headless:
        cmd.append("--headless")
    env = dict(os.environ, SDL_RENDER_DRIVER="software", **env_extra)
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return shots


def test_picture_does_not_depend_on_the_window_size():
    # A 1280x720 desktop window (offscreen driver, so no display is needed) must produce
    # the same 1920x1080 screenshots as the 1920x1080 headless window.
    windowed = run_window("client_ui_windowed", {"SDL_VIDEODRIVER": "offscreen"}, False)
    headless = run_window("client_ui_headless", {}, True)
    names = sorted(os.listdir(headless))
    assert names and names == sorted(os.listdir(windowed)), (names, os.listdir(windowed))
    for n in names:
        with open(os.path.join(windowed, n), "rb") as a, open(os.path.join(headless, n), "rb") as b:
            assert a.read() == b.read(), f"{n} differs between a 1280x720 window and headless"
