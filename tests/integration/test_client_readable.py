"""Elderly eyes, through the UI dump: walk every screen the TV has — home, each section's
list, an item opened from each (detail, player), the live banner and notices over them, the
error panel, and the overlays over any screen (the roll-call prompt, the one-key service form,
its keypad with a refusal, the reply pop-up) — and check every visible text: at least 40 px, screen titles at least 56 px,
at least 7:1 against what is drawn under it (the recorder reports the worst colour under each
text), inside the safe area, and a key-hint bar on every screen but full-screen video.
Screenshots of each step stay in tests/out/readable_*/shots."""
import boxflow
import harness
from harness import Server, contrast, find_text, run_client

SECTIONS = ["affairs", "live", "study", "video", "pioneers", "evaluation"]
server = None


def setup_module():
    global server
    server = Server("readable").start()


def teardown_module():
    code = server.stop()
    server.cleanup()
    assert code == 0, f"djtv-server exit code {code} on SIGTERM"


def check_step(step):
    where = f"step {step['step']} ({step['screen']}, {step['cmd']})"
    for t in step["texts"]:
        what = f"{where}: '{t['text']}'"
        assert t["px"] >= 40, f"{what} is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"{what}: contrast {c:.2f} ({t['fg']} on {t['bg']}) < 7"
        assert 96 <= t["x"] and t["x"] + t["w"] <= 1824, f"{what} outside the safe area"
        assert 54 <= t["y"] and t["y"] + t["h"] <= 1026, f"{what} outside the safe area"
        # The screen's title: the text at the left of the header band.
        if t["y"] < 154 and t["x"] <= 110:
            assert t["px"] >= 56, f"{what}: a title at {t['px']} px"
    if step["screen"] != "player":
        hints = [t for t in step["texts"] if t["y"] >= 952]
        assert hints, f"{where}: no key-hint bar"
        assert any(t["text"] in ("OK", "返回", "主页", "0-9") for t in hints), \
            f"{where}: the hint bar shows no key: {[t['text'] for t in hints]}"
    focusable = step["screen"] == "home" or step["screen"].startswith("section.")
    if focusable and not step["loading"] and step.get("state", {}).get("list") != "error":
        assert step["focus"], f"{where}: nothing has the focus"


def test_every_screen_is_readable_from_the_sofa():
    token = server.boxes[0]["token"]
    keys = ["wait-screen home 20000"]
    for i, key in enumerate(SECTIONS, start=1):
        keys += [str(i), f"wait-screen section.{key} 15000"]
        if key == "study":  # its category buttons: up to them, the next category, back down
            keys += ["UP", "RIGHT", "wait-screen section.study 15000", "DOWN"]
        # DOWN may turn a page (a grid of one row): wait for it before OK.
        keys += ["DOWN",
                 f"wait-screen section.{key} 15000", "OK", "wait 2500", "BACK",
                 f"wait-screen section.{key} 15000", "BACK", "wait-screen home 15000"]
    run = run_client("readable_walk", server.url, server.ca, token, keys, timeout=240)
    assert run.code == 0, f"client exit {run.code}; log tail:\n{run.log[-3000:]}"
    screens = {s["screen"] for s in run.steps}
    for key in SECTIONS:
        assert f"section.{key}" in screens, f"never reached section.{key}: {sorted(screens)}"
    assert "detail" in screens, sorted(screens)
    assert any(s["focus"] and s["focus"].startswith("category.") for s in run.steps), \
        "the walk never had 党教园地's category buttons focused"
    assert any(s["overlays"] for s in run.steps), "the live banner was never over a screen"
    for step in run.steps:
        check_step(step)


def test_a_quiz_is_readable_on_every_page():
    # The exam: who answers, a question, the summary, the score (tests/integration/
    # test_client_forms.py checks what they do).
    token = server.boxes[0]["token"]
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    row = next(i for i, it in enumerate(listing["items"]) if it["kind"] == "考试")
    keys = ["wait-screen home 20000", "3", "wait-screen section.study 15000",
            harness.study_poster_key(row), "OK", "wait-screen form 15000", "1"]
    keys += ["2"] * 10 + ["wait-text 答完了 5000", "OK", "wait-text 得分 15000"]
    run = run_client("readable_quiz", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    phases = {s["state"].get("form_phase") for s in run.steps if s["screen"] == "form"}
    assert {"who", "question", "summary", "result"} <= phases, phases
    for step in run.steps:
        check_step(step)
    # A questionnaire: star ratings, a single choice, the summary, 提交成功.
    status, listing = server.get("/api/v1/sections/evaluation/items?page=1&per_page=50", token)
    row = next(i for i, it in enumerate(listing["items"]) if it["title"] == "镇直部门服务群众满意度测评")
    keys = ["wait-screen home 20000", "6", "wait-screen section.evaluation 15000",
            f"DOWN {row}" if row else "wait 10", "OK", "wait-screen form 15000", "1",
            "RIGHT", "5", "2", "1", "wait-text 答完了 5000", "OK", "wait-text 提交成功 15000"]
    run = run_client("readable_questionnaire", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    phases = {s["state"].get("form_phase") for s in run.steps if s["screen"] == "form"}
    assert {"who", "question", "summary", "result"} <= phases, phases
    for step in run.steps:
        check_step(step)


def test_the_error_panel_is_readable():
    # A box the server does not know: home says so in words and keeps trying.
    run = run_client("readable_unknown", server.url, server.ca, "0" * 64,
                     ["wait-text 尚未登记 20000", "wait 1200"])
    assert run.code == 0, run.log[-3000:]
    assert not run.steps[0]["timeout"], harness.texts(run.steps[0])
    for step in run.steps:
        check_step(step)


def test_the_overlays_are_readable():
    """The roll-call prompt, the service form, the keypad (with what is wrong said above it)
    and the reply pop-up, each over the home screen, as a cadre and the township act."""
    token = server.box_of("西村", 0)
    cadre = server.token_of(server.cadre_of("西村"))
    staff = server.token_of("staff1")
    status, asked = server.request("POST", "/api/v1/requests", token,
                                   {"category": "consult", "phone": "13912345678"})
    assert status == 200, asked
    c = boxflow.LiveClient("readable_overlays", server, token, [
        "wait-screen home 20000",              # 1
        "wait-text 点名签到 20000",              # 2 the cadre opened the roll call
        "BACK",                                # 3 not now
        "RED",                                 # 4
        "wait-text 农业技术服务 10000",          # 5 the needs
        "1",                                   # 6 the keypad, the remembered number
        "5",                                   # 7 one digit too many
        "OK",                                  # 8 refused, said above the keys
        "BACK",                                # 9 the needs again
        "BACK",                                # 10 closed
        "wait-text 您的请求有回复了 20000",       # 11 the township answered
        "BACK",                                # 12
    ])
    try:
        c.wait_step(1)
        bid = boxflow.start_broadcast(server, cadre, "读字测试会议")
        status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
        assert status == 200, rc
        c.wait_step(10)
        status, body = server.request("POST", f"/api/v1/desk/requests/{asked['id']}/reply",
                                      staff, {"body": "明天上午有人来"})
        assert status == 200, body
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out"
    seen = {
        "rollcall": run.step(2 - 1),
        "service": run.step(5 - 1),
        "keypad": run.step(8 - 1),
        "service_reply": run.step(11 - 1),
    }
    for layer, step in seen.items():
        name = layer.split("_")[0]
        assert name in step["overlays"], (layer, step["overlays"])
        check_step(step)
    assert find_text(seen["keypad"], "多"), [t["text"] for t in seen["keypad"]["texts"]]
    assert find_text(seen["service_reply"], "明天上午有人来")
    for step in run.steps:
        check_step(step)


def test_the_household_screens_are_readable():
    # "谁在看？" (the 王喆家 household: names beyond GB2312), the home header that says who is
    # watching, and "我的记录" on both of its tables (test_client_household.py checks what they do).
    names = {str(hid): name for hid, name in server.sql("SELECT id, name FROM households")}
    token = next(b for b in server.boxes if names[b["household_id"]] == "王喆家")["token"]
    keys = ["wait-screen viewers 20000", "1", "DOWN", "OK", "wait-screen home 10000", "BLUE",
            "wait-screen record 15000", "DOWN", "RIGHT", "wait-screen record 15000", "BACK",
            "wait-screen home 10000", "MENU", "wait-screen viewers 10000", "BACK"]
    run = run_client("readable_household", server.url, server.ca, token, keys,
                     extra=("--ask-viewers",))
    assert run.code == 0, run.log[-3000:]
    screens = {s["screen"] for s in run.steps}
    assert {"viewers", "record", "home"} <= screens, screens
    for step in run.steps:
        check_step(step)
