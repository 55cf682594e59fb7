"""End to end: the real djtv-server on 127.0.0.1 (fresh demo DB, test CA) and the real djtv
client headless, driven by a key script and checked through its UI dump as a person sees it."""
import os
import struct
import threading
import time

import harness
from harness import Server, contrast, find_text, run_client

SECTIONS = [("affairs", "党务公开"), ("live", "党群直播"), ("study", "党教园地"),
            ("video", "今日南湖"), ("pioneers", "时代先锋"), ("evaluation", "党风评议")]
server = None
home = None
token = None


def setup_module():
    global server, home, token
    server = Server("home").start()
    token = server.boxes[0]["token"]
    status, home = server.get("/api/v1/home", token)
    assert status == 200, (status, home)


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code} on SIGTERM"


def test_health_needs_no_token():
    status, body = server.get("/health")
    assert status == 200 and body["status"] == "ok", body


def test_home_api_has_six_sections_in_order():
    assert [s["key"] for s in home["sections"]] == [k for k, _ in SECTIONS]
    assert [s["title"] for s in home["sections"]] == [t for _, t in SECTIONS]
    for s in home["sections"]:
        assert isinstance(s["count"], int) and s["count"] > 0, s
    assert home["household"]["members"], "the demo household has members"
    assert home["village"]["name"] and home["township"]["name"]


def test_home_api_refuses_missing_and_wrong_token():
    for tok in (None, "0" * 64, token[:-1]):
        status, body = server.get("/api/v1/home", tok)
        assert status == 401, (tok and tok[:6], status, body)
        assert body["code"] == "unauthorized" and body["message"], body


def test_boxes_of_other_villages_see_their_own_village():
    others = [b for b in server.boxes if b["village_name"] != server.boxes[0]["village_name"]]
    assert others, "demo data has boxes in several villages"
    status, other = server.get("/api/v1/home", others[0]["token"])
    assert status == 200
    assert other["village"]["name"] == others[0]["village_name"]
    assert other["village"]["name"] != home["village"]["name"]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def within(t, box_text, dx=480, dy=420):
    return (box_text["x"] - dx <= t["x"] <= box_text["x"] + dx
            and box_text["y"] - 40 <= t["y"] <= box_text["y"] + dy)


def test_client_shows_home_then_moves_focus_and_opens_a_section():
    run = run_client("home_e2e", server.url, server.ca, token, [
        "wait-screen home 20000",   # 0
        "RIGHT",                    # 1
        "DOWN",                     # 2
        "OK",                       # 3
        "wait-screen section.pioneers",  # 4
        "BACK",                     # 5
        "wait-screen home",         # 6
        "LEFT",                     # 7
        "UP",                       # 8
        "HOME",                     # 9
    ])
    assert run.code == 0, f"client exit {run.code}; log tail:\n{run.log[-3000:]}"
    first = run.step(0)
    assert not first.get("timeout"), "home did not load; log:\n" + run.log[-3000:]
    assert first["screen"] == "home" and not first["loading"]
    # The six sections, each with the count the server gave, inside its own tile.
    for key, title in SECTIONS:
        t = find_text(first, title)
        assert t, f"{title} not on screen: {harness.texts(first)}"
        assert t["px"] >= 56, f"section title {title} is {t['px']} px"
        count = next(s["count"] for s in home["sections"] if s["key"] == key)
        near = [x for x in first["texts"] if str(count) in x["text"] and within(x, t)]
        assert near, f"count {count} for {title} not shown near it"
    # Who is watching: the village and a household member are on screen.
    assert find_text(first, home["village"]["name"]), "village name not shown"
    assert find_text(first, home["household"]["members"][0]["name"]), "member name not shown"
    # Focus starts top-left and moves the way a person expects.
    assert first["focus"] == "section.affairs"
    assert run.step(1)["focus"] == "section.live"
    assert run.step(2)["focus"] == "section.pioneers"
    assert run.step(4)["screen"] == "section.pioneers" and not run.step(4).get("timeout")
    assert find_text(run.step(4), "时代先锋"), "the opened section names itself"
    # Back returns home with the focus where it was.
    assert run.step(6)["screen"] == "home" and run.step(6)["focus"] == "section.pioneers"
    assert run.step(7)["focus"] == "section.video"
    assert run.step(8)["focus"] == "section.affairs"
    assert run.step(9)["screen"] == "home"
    # Readable for elderly eyes on every step: sizes, contrast, a key-hint bar at the bottom.
    for step in run.steps:
        for t in step["texts"]:
            assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
            c = contrast(t["fg"], t["bg"])
            assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f} < 7"
        hints = [t for t in step["texts"] if t["y"] >= 880 and ("返回" in t["text"] or "OK" in t["text"])]
        assert hints, f"step {step['step']} ({step['screen']}) has no key-hint bar"
    shots = sorted(os.listdir(run.shots))
    assert len(shots) == len(run.steps), (len(shots), len(run.steps))
    assert png_size(os.path.join(run.shots, shots[0])) == (1920, 1080)


def test_client_pinned_to_wrong_ca_shows_certificate_error():
    d = harness.out_dir("wrong_ca_certs")
    wrong_ca = harness.make_certs(d, "wrong")
    run = run_client("wrong_ca", server.url, wrong_ca, token,
                     ["wait-text 证书 15000", "wait 2500"])
    assert run.code == 0, run.log[-3000:]
    step = run.step(0)
    assert not step.get("timeout"), f"no certificate message: {harness.texts(step)}"
    assert step["screen"] == "home"
    # No data from the untrusted server may show.
    assert not find_text(step, home["household"]["members"][0]["name"]), \
        "data shown although the server was not trusted"
    assert find_text(run.step(1), "证书"), "the message stays while it retries"
    assert "retry" in run.log.lower() or "重试" in " ".join(harness.texts(run.step(1)))


def test_unknown_box_is_told_to_register():
    run = run_client("unknown_box", server.url, server.ca, "f" * 64, ["wait-text 登记 15000"])
    assert run.code == 0, run.log[-3000:]
    assert not run.step(0).get("timeout"), harness.texts(run.step(0))


def test_client_started_before_server_recovers_by_itself():
    late = Server("late")
    try:
        # Client first: it must say it cannot reach the server, then recover on its own.
        def start_later():
            time.sleep(4)
            late.start()
        t = threading.Thread(target=start_later)
        t.start()
        run = run_client("late_server", late.url, late.ca, late.boxes[0]["token"],
                         ["wait-text 连不上 10000", "wait-screen home 30000",
                          "wait-text 党务公开 5000"])
        t.join()
        assert run.code == 0, run.log[-3000:]
        assert not run.step(0).get("timeout"), harness.texts(run.step(0))
        last = run.step(2)
        assert not run.step(1).get("timeout") and not last.get("timeout"), harness.texts(last)
        assert find_text(last, late.boxes[0]["village_name"]), harness.texts(last)
    finally:
        late.cleanup()
