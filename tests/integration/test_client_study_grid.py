"""党教园地 as a member sees it: the real djtv-server (fresh demo DB) and the real headless client.
The study section is a row of category buttons (全部 and the categories the server counts for the
box) over a poster grid of four; LEFT/RIGHT at the row's end turn the page, UP goes to the
buttons, LEFT/RIGHT there choose a category at once, DOWN goes back to its posters. Each poster
shows how far the household watched (the server's resume positions): a bar, "继续观看" when
begun, "已学完" past 90 %. OK on a course begun offers to go on from where it stopped, and does;
back from the player its bar shows the new position.
Every text of the walk is checked for size and contrast; screenshots in tests/out/study_grid."""
import os
import shutil
import tempfile

import harness
from harness import Server, find_text, run_client, texts
from media_https import MediaServer
from test_client_readable import check_step

server = None
media = None
work = None
token = None
PER_PAGE = 4  # one row of four posters


def setup_module():
    global server, media, work, token
    work = tempfile.mkdtemp(prefix="djtv-study-grid-")
    harness.make_hls(os.path.join(work, "media", "hls"), 30)
    server = Server("study-grid").start()
    media = MediaServer(os.path.join(work, "media"), server.dir).start()
    token = server.boxes[0]["token"]


def teardown_module():
    try:
        if media:
            media.stop()
        code = server.stop() if server else 0
        if server:
            server.cleanup()
        assert code == 0, f"djtv-server exit code {code}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def api(path):
    status, body = server.get(path, token)
    assert status == 200, (path, status, body)
    return body


def page_ids(category=None, page=1):
    q = f"/api/v1/sections/study/items?page={page}&per_page={PER_PAGE}"
    if category:
        from urllib.parse import quote
        q += "&category=" + quote(category)
    return [i["id"] for i in api(q)["items"]]


def count_text(step, word):
    return sum(1 for t in step["texts"] if t["text"] == word)


def test_categories_posters_progress_and_resume():
    # A lesson with a video, in a category of its own; the household stopped half-way.
    status, made = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "课程", "title": "冬季养生操", "body": "跟着做，身体好。", "category": "健康生活",
        "duration_s": 30, "media_url": media.url("hls/index.m3u8")})
    assert status == 200, (status, made)
    health = made["id"]
    # Two know-how lessons: one begun, one watched to the end (the server's positions).
    know_how = api("/api/v1/sections/study/items?per_page=50&category=%E8%87%B4%E5%AF%8C%E6%8A%80%E6%9C%AF")
    assert len(know_how["items"]) >= 2, know_how
    begun, done = know_how["items"][0], know_how["items"][1]
    positions = {begun["id"]: begun["duration_s"] * 1000 * 4 // 10,
                 done["id"]: done["duration_s"] * 1000 * 95 // 100,
                 health: 12000}  # the player asks about positions past 10 s
    for item, ms in positions.items():
        status, body = server.request("PUT", f"/api/v1/resume/{item}", token, {"position_ms": ms})
        assert status == 200, (status, body)
    cats = api("/api/v1/sections/study/categories")["categories"]
    names = [c["name"] for c in cats]
    k_know = names.index("致富技术") + 1   # buttons: 全部 first
    k_health = names.index("健康生活") + 1
    all_pages = -(-api(f"/api/v1/sections/study/items?per_page={PER_PAGE}")["total"] // PER_PAGE)
    assert all_pages >= 2, "the demo's study section has more than one page of four"

    keys = ["wait-screen home 20000",                 # 0
            "3",                                      # 1: 党教园地
            "wait-screen section.study 15000",        # 2: 全部, page 1, first poster
            f"RIGHT {PER_PAGE - 1}",                  # 3: the row's last poster
            "RIGHT",                                  # 4: past it: page 2
            "wait-screen section.study 15000",        # 5
            "UP",                                     # 6: to the buttons (全部)
            f"RIGHT {k_know}",                        # 7: 致富技术
            "wait-screen section.study 15000",        # 8
            "wait-text 已学完 10000",                  # 9: the positions are in
            "wait-text 继续观看 10000",                 # 10
            "DOWN",                                   # 11: its first poster
            "UP",                                     # 12: back to 致富技术's button
            f"RIGHT {k_health - k_know}",             # 13: 健康生活
            "wait-screen section.study 15000",        # 14
            "wait-text 继续观看 10000",                 # 15
            "DOWN",                                   # 16
            "OK",                                     # 17: play
            "wait-text 继续播放 20000",                 # 18: go on from 00:12?
            "OK",                                     # 19: yes
            "wait-screen player 20000",               # 20
            "wait 1500",                              # 21
            "BACK",                                   # 22
            "wait-screen section.study 15000",        # 23
            "wait 3000"]                              # 24: the positions asked again
    run = run_client("study_grid", server.url, server.ca, token, keys, timeout=150)
    assert run.code == 0, f"client exit {run.code}; log tail:\n{run.log[-3000:]}"
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out: {texts(s)}"

    first = run.step(2)
    st = first["state"]
    assert st["category"] == "全部" and st["on_categories"] is False, st
    assert [(c["name"], c["count"]) for c in st["categories"]] == \
        [(c["name"], c["count"]) for c in cats], (st["categories"], cats)
    for name in ["全部"] + names:
        assert find_text(first, name), f"no button {name}: {texts(first)}"
    assert st["ids"] == page_ids() and st["per_page"] == PER_PAGE, st
    assert first["focus"] == f"item.{st['ids'][0]}"
    assert st["pages"] == all_pages, st
    # Paging: RIGHT past the row's end brings page 2, its first poster focused.
    p2 = run.step(5)["state"]
    assert p2["page"] == 2 and p2["ids"] == page_ids(page=2), p2
    assert run.step(5)["focus"] == f"item.{p2['ids'][0]}"
    # UP: the buttons, on the chosen one.
    assert run.step(6)["focus"] == "category.全部" and run.step(6)["state"]["on_categories"]
    # 致富技术: its courses only, as the server lists them, with its watched bars and pills.
    kh = run.step(10)
    st = kh["state"]
    assert st["category"] == "致富技术" and run.step(8)["focus"] == "category.致富技术", st
    assert st["ids"] == page_ids("致富技术"), st
    by_id = dict(zip(st["ids"], st["watched"]))
    for item, ms in positions.items():
        if item in by_id:
            dur = next(i["duration_s"] for i in know_how["items"] if i["id"] == item)
            assert abs(by_id[item] - ms / dur) <= 1, (item, by_id, ms, dur)
    assert by_id[begun["id"]] == 400 and by_id[done["id"]] == 950, by_id
    unwatched = [w for i, w in by_id.items() if i not in positions]
    assert all(w <= 0 for w in unwatched), by_id
    assert count_text(kh, "继续观看") == 1 and count_text(kh, "已学完") == 1, texts(kh)
    assert run.step(11)["focus"] == f"item.{st['ids'][0]}"
    assert not run.step(11)["state"]["on_categories"]
    assert run.step(12)["focus"] == "category.致富技术"
    # 健康生活: the lesson with a video, begun half-way; OK offers to go on, and goes on.
    hs = run.step(15)["state"]
    assert hs["category"] == "健康生活" and hs["ids"] == [health], hs
    assert hs["watched"] == [400], hs
    prompt = run.step(18)
    assert prompt["screen"] == "player" and prompt["state"]["resume_offer_s"] == 12, prompt["state"]
    at = run.step(21)["state"]["position_s"]
    assert at >= 12, run.step(21)["state"]
    back = run.step(23)
    assert back["state"]["category"] == "健康生活" and back["focus"] == f"item.{health}", back
    # Back from the player the bar shows where it stopped now (saved by the player on exit).
    status, saved = server.get(f"/api/v1/resume/{health}", token)
    assert status == 200 and saved["position_ms"] > 12000, saved
    now = run.step(24)["state"]["watched"]
    assert len(now) == 1 and abs(now[0] - saved["position_ms"] / 30) <= 1, (now, saved)
    for step in run.steps:
        check_step(step)


def test_a_township_without_courses_says_so_under_its_buttons():
    import hashlib
    import secrets
    server.add_township("空山镇", ["空山村"])
    (vid,), = server.sql("SELECT id FROM orgs WHERE name = '空山村'")
    server.sql("INSERT INTO households (village_id, name) VALUES (?, '空山一户')", (vid,))
    (hid,), = server.sql("SELECT max(id) FROM households")
    box = secrets.token_hex(32)
    server.sql("INSERT INTO boxes (household_id, token_hash, label) VALUES (?, ?, 'empty')",
               (hid, hashlib.sha256(bytes.fromhex(box)).hexdigest()))
    run = run_client("study_grid_empty", server.url, server.ca, box,
                     ["wait-screen home 20000", "3", "wait-screen section.study 15000",
                      "RIGHT", "DOWN", "wait 300"])
    assert run.code == 0, f"client exit {run.code}; log tail:\n{run.log[-3000:]}"
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out: {texts(s)}"
    shown = run.step(2)
    assert shown["state"]["list"] == "ready" and shown["state"]["total"] == 0, shown["state"]
    assert shown["state"]["categories"] == [] and shown["focus"] == "category.全部", shown
    assert find_text(shown, "全部") and find_text(shown, "这里还没有内容"), texts(shown)
    # Nothing to go to: the keys leave it as it is.
    assert run.step(5)["focus"] == "category.全部" and find_text(run.step(5), "这里还没有内容")
    for step in run.steps:
        check_step(step)
