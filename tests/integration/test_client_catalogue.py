"""The catalogue end to end: the real djtv-server (fresh demo DB, test CA), the real djtv client
headless with a key script, checked through its UI dump as a member sees it: a section as a
paged list of the server's items, an item's text and a village's accounts as a table, and OK
on a course or a live broadcast opening the player, with media made by the ffmpeg CLI at test
time and served over HTTPS (media_https.py, the server's certificate: one --ca pins both).

The demo content has no media, so the test adds a course that plays from the test media server
through the admin route (POST /api/v1/admin/content), as a township admin would; the live
broadcast's playback URL has no route to set it, so that one is written straight into the
database (test-only)."""
import os
import shutil
import tempfile

import harness
from harness import Server, contrast, find_text, run_client, texts
from media_https import MediaServer

server = None
media = None
work = None
token = None
PER_PAGE = None  # rows per page of the list screen, read from its dump
PER_PAGE_GUESS = 3  # at least this many rows fit a page (the list test checks it)


def setup_module():
    global server, media, work, token
    work = tempfile.mkdtemp(prefix="djtv-catalogue-")
    harness.make_hls(os.path.join(work, "media", "hls"), 12)
    server = Server("catalogue").start()
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


def yuan(fen):
    return f"{fen // 100:,}.{fen % 100:02d}"


def check_readable(run):
    """Every text at least 40 px and at 7:1 on what it sits on; a key-hint bar on every
    catalogue screen."""
    for step in run.steps:
        for t in step["texts"]:
            assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
            c = contrast(t["fg"], t["bg"])
            assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f} < 7"
            where = f"step {step['step']} ({step['screen']}): '{t['text']}'"
            assert t["x"] >= 96 and t["x"] + t["w"] <= 1824, f"{where} outside the safe area"
            assert t["y"] >= 54 and t["y"] + t["h"] <= 1026, f"{where} outside the safe area"
        if step["screen"] != "player":
            hints = [t for t in step["texts"]
                     if t["y"] >= 952 and ("返回" in t["text"] or "OK" in t["text"])]
            assert hints, f"step {step['step']} ({step['screen']}): no key-hint bar"


def ok_run(run):
    assert run.code == 0, f"client exit {run.code}; log tail:\n{run.log[-3000:]}"
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out: {texts(s)}"


def test_list_pages_detail_and_ledger():
    global PER_PAGE
    # First look: how many rows a page holds, then the server's pages with that size.
    probe = run_client("catalogue_probe", server.url, server.ca, token,
                       ["wait-screen home 20000", "OK", "wait-screen section.affairs"])
    ok_run(probe)
    PER_PAGE = probe.step(2)["state"]["per_page"]
    assert PER_PAGE >= 3, probe.step(2)["state"]
    p1 = api(f"/api/v1/sections/affairs/items?page=1&per_page={PER_PAGE}")
    p2 = api(f"/api/v1/sections/affairs/items?page=2&per_page={PER_PAGE}")
    pages = -(-p1["total"] // PER_PAGE)
    assert pages >= 3, "the demo has several pages of disclosures"
    # The first finance disclosure after page 1 (page 2 or a later one: newer disclosures of
    # other kinds push it on), reached page by page with the remote.
    fpage, fin = next((pg, i) for pg in range(2, pages + 1) for i, it in enumerate(
        api(f"/api/v1/sections/affairs/items?page={pg}&per_page={PER_PAGE}")["items"])
        if it["kind"] == "财务公示")
    pf = api(f"/api/v1/sections/affairs/items?page={fpage}&per_page={PER_PAGE}")
    item = api(f"/api/v1/items/{pf['items'][fin]['id']}")
    lines = item["ledger"]["lines"]
    assert lines, item

    keys = [
        "wait-screen home 20000",             # 0
        "OK",                                 # 1: 党务公开
        "wait-screen section.affairs",        # 2: page 1
        f"DOWN {PER_PAGE - 1}",               # 3: the last row of page 1
        "DOWN",                               # 4: past it: page 2 comes
        "wait-screen section.affairs",        # 5: page 2, first row
    ]
    for _ in range(3, fpage + 1):             # 3 more steps per page after page 2
        keys += [f"DOWN {PER_PAGE - 1}", "DOWN", "wait-screen section.affairs"]
    e = 3 * (fpage - 2)                       # the steps below move by that much
    if fin:
        keys.append(f"DOWN {fin}")            # 6+e: the finance item
    else:
        keys.append("wait 10")
    keys += ["OK",                            # 7+e
             "wait-screen detail"]            # 8+e: the item, page 1
    keys += ["DOWN"] * 3                      # 9+e..11+e: its other pages (if any)
    keys += ["BACK",                          # 12+e: the list, focus where it was
             "UP",                            # 13+e
             "HOME"]                          # 14+e
    run = run_client("catalogue_list", server.url, server.ca, token, keys)
    ok_run(run)

    first = run.step(2)
    assert first["screen"] == "section.affairs" and not first["loading"]
    st = first["state"]
    assert st["page"] == 1 and st["pages"] == pages and st["total"] == p1["total"], st
    assert st["ids"] == [it["id"] for it in p1["items"]], st
    for it in p1["items"]:
        assert find_text(first, it["title"][:8]), f"{it['title']} not listed: {texts(first)}"
    assert find_text(first, f"第 1/{pages} 页"), texts(first)
    assert find_text(first, "党务公开"), "the list names its section"
    assert first["focus"] == f"item.{p1['items'][0]['id']}"
    assert run.step(3)["focus"] == f"item.{p1['items'][-1]['id']}"

    second = run.step(5)
    assert second["state"]["page"] == 2, second["state"]
    assert second["state"]["ids"] == [it["id"] for it in p2["items"]], second["state"]
    assert find_text(second, f"第 2/{pages} 页"), texts(second)
    for it in p2["items"]:
        assert find_text(second, it["title"][:8]), f"{it['title']} not on page 2"
    assert second["focus"] == f"item.{p2['items'][0]['id']}"
    assert run.step(6 + e)["focus"] == f"item.{item['id']}"

    detail = run.step(8 + e)
    assert detail["screen"] == "detail" and detail["state"]["item_id"] == item["id"]
    assert detail["state"]["ledger_lines"] == len(lines)
    assert find_text(detail, item["title"]), texts(detail)
    assert find_text(detail, "财务公示"), "kind shown"
    assert find_text(detail, item["body"][:12]), f"body not shown: {texts(detail)}"
    # Every line of the accounts, in yuan, over the detail's pages, and the totals.
    seen = [t["text"] for s in run.steps[8 + e:12 + e] for t in s["texts"]]
    for line in lines:
        assert line["item"] in seen, f"ledger line {line['item']} missing"
        assert yuan(line["balance_fen"]) in seen, f"balance {yuan(line['balance_fen'])}"
        for k in ("income_fen", "expense_fen"):
            if line[k]:
                assert yuan(line[k]) in seen, f"{k} {yuan(line[k])} of {line['item']}"
    for k in ("income_fen", "expense_fen", "balance_fen"):
        assert yuan(item["ledger"][k]) in seen, f"total {k} {yuan(item['ledger'][k])}"
    assert "合计" in seen and "收入" in seen and "支出" in seen and "余额" in seen
    if detail["state"]["pages"] > 1:
        assert run.step(9 + e)["state"]["page"] == 2
        assert find_text(detail, f"第 1/{detail['state']['pages']} 页")

    back = run.step(12 + e)
    assert back["screen"] == "section.affairs" and back["state"]["page"] == fpage
    assert back["focus"] == f"item.{item['id']}", "Back keeps the focus where it was"
    assert run.step(14 + e)["screen"] == "home"
    check_readable(run)


def test_course_plays_from_the_list_and_back_keeps_focus():
    # A township admin publishes a lesson whose video is on the media server.
    status, made = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "课程", "title": "冬季安全用电常识", "body": "讲解冬季取暖用电的注意事项。",
        "category": "党课学习", "duration_s": 12, "media_url": media.url("hls/index.m3u8")})
    assert status == 200, (status, made)
    listing = api("/api/v1/sections/study/items?page=1&per_page=50")
    row = next(i for i, it in enumerate(listing["items"]) if it["id"] == made["id"])
    course = listing["items"][row]
    assert row < PER_PAGE_GUESS, "a new lesson is listed first (newest first)"
    keys = ["wait-screen home 20000",          # 0
            "RIGHT 2",                         # 1: 党教园地
            "OK",                              # 2
            "wait-screen section.study"]       # 3
    keys.append(harness.study_poster_key(row))  # 4
    keys += ["OK",                             # 5: play
             "wait-screen player 20000",       # 6: first frame on screen
             "wait 1500",                      # 7
             "BACK",                           # 8
             "wait-screen section.study",      # 9
             "HOME"]                           # 10
    run = run_client("catalogue_play", server.url, server.ca, token, keys)
    ok_run(run)
    assert run.step(4)["focus"] == f"item.{course['id']}"
    assert find_text(run.step(4), "播放"), "the hint says OK plays"
    assert find_text(run.step(4), "冬季安全用电常识"), texts(run.step(4))
    st = run.step(7)["state"]
    assert run.step(7)["screen"] == "player", run.step(7)
    assert st["frames_presented"] > 0 and st["player_state"] == "playing", st
    assert st["ok_to_first_frame_ms"] > 0, st
    assert "ok-to-first-frame" in run.log
    assert any(h.startswith("/hls/") for h in media.hits()), "media came from the HTTPS server"
    back = run.step(9)
    assert back["screen"] == "section.study"
    assert back["focus"] == f"item.{course['id']}", "Back returns to the same row"
    assert run.step(10)["screen"] == "home"
    check_readable(run)


def test_live_broadcast_plays_and_sends_heartbeats():
    live = api("/api/v1/sections/live/items?page=1&per_page=50")["items"]
    row, b = next((i, x) for i, x in enumerate(live) if x["state"] == "live")
    server.sql("UPDATE broadcasts SET playback_url = ? WHERE id = ?",
               (media.url("hls/index.m3u8"), b["id"]))
    # 党群直播 is a 4x2 poster grid: down a row of cards, then right along it (one step).
    assert row < 8, "the live meeting is on the first page"
    move = ([f"DOWN {row // 4}"] if row // 4 else []) + ([f"RIGHT {row % 4}"] if row % 4 else [])
    keys = ["wait-screen home 20000", "RIGHT", "OK", "wait-screen section.live"]
    assert len(move) <= 1, "keep the script's step numbers: the live meeting is one move away"
    keys.append(move[0] if move else "wait 10")
    keys += ["OK", "wait-screen player 20000", "wait 1000", "BACK",
             "wait-screen section.live"]
    run = run_client("catalogue_live", server.url, server.ca, token, keys)
    ok_run(run)
    listed = run.step(3)
    assert listed["state"]["ids"][:len(live)] == [x["id"] for x in live][:listed["state"]["per_page"]]
    assert find_text(listed, "正在直播"), texts(listed)
    assert listed["state"]["marks"][row] == "正在直播", listed["state"]
    assert run.step(6)["state"]["frames_presented"] > 0, run.step(6)["state"]
    rows = server.sql("SELECT box_id FROM heartbeats WHERE broadcast_id = ?", (b["id"],))
    assert rows, "no heartbeat from the box that watched"
    assert run.step(9)["focus"] == f"broadcast.{b['id']}"
    check_readable(run)


def test_empty_section_says_so():
    # A section with nothing in it: every evaluation item unpublished for this test.
    saved = server.sql("SELECT id, published_at FROM content WHERE section = 'evaluation'")
    server.sql("UPDATE content SET published_at = '2099-01-01T00:00:00Z' "
               "WHERE section = 'evaluation'")
    try:
        run = run_client("catalogue_empty", server.url, server.ca, token, [
            "wait-screen home 20000", "DOWN", "RIGHT 2", "OK",
            "wait-screen section.evaluation"])
    finally:
        for cid, at in saved:
            server.sql("UPDATE content SET published_at = ? WHERE id = ?", (at, cid))
    ok_run(run)
    assert find_text(run.step(4), "这里还没有内容"), texts(run.step(4))
    check_readable(run)


def test_server_gone_says_so_and_retry_brings_the_list():
    import json
    import threading
    import time
    s = Server("catalogue-down").start()
    name = "catalogue_down"
    dump = os.path.join(harness.OUT, name, "ui.jsonl")
    stop_now = threading.Event()

    def steps_written():
        try:
            with open(dump, encoding="utf-8") as f:
                return [json.loads(x) for x in f if x.strip()]
        except (OSError, ValueError):
            return []

    def server_goes_and_comes_back():
        # Down once home is on screen; back once the list has said it cannot connect.
        while not stop_now.is_set() and not steps_written():
            time.sleep(0.05)
        s.stop()
        while not stop_now.is_set() and len(steps_written()) < 3:
            time.sleep(0.05)
        if not stop_now.is_set():
            s.start()

    try:
        harness.out_dir(name)
        status, first = s.get("/api/v1/sections/affairs/items?page=1&per_page=1",
                              s.boxes[0]["token"])
        assert status == 200 and first["items"], first
        t = threading.Thread(target=server_goes_and_comes_back)
        t.start()
        try:
            # The list comes back without a key: by its retry countdown, or at once when the
            # event stream is back after the gap (it re-reads what is on screen). OK retrying
            # at once is tested with the fetch helper (tests/unit/client/test_fetch.c): here it
            # would race the list that came back by itself and open its first item.
            run = run_client(name, s.url, s.ca, s.boxes[0]["token"], [
                "wait-screen home 20000",         # 0: then the server stops
                "wait 1500",                      # 1
                "OK",                             # 2: 党务公开: cannot connect
                "wait-text 连不上服务器 10000",    # 3: said plainly; the server comes back
                f"wait-text {first['items'][0]['title'][:12]} 30000",  # 4: the list is back
            ])
        finally:
            stop_now.set()
            t.join()
        ok_run(run)
        err = run.step(3)
        assert err["screen"] == "section.affairs" and err["state"]["list"] == "error", err["state"]
        assert find_text(err, "重试"), "it says it will try again"
        back = run.step(4)
        assert back["screen"] == "section.affairs", back["screen"]
        assert back["state"]["list"] == "ready" and back["state"]["ids"], back["state"]
        check_readable(run)
    finally:
        s.cleanup()
