"""Posters on the lists (issue 13): 今日南湖 videos and 时代先锋 pioneers as poster grids on
the headless client against the real server. Videos with posters and pioneers with photos
are imported as a township would (`djtv-server import`, pictures made by the ffmpeg CLI, each
a plain colour); the box's household has watched half of one video (PUT /api/v1/resume).
Through the UI dump: every card's picture reaches the state "ready" (fetched over HTTPS with
the box's token, decoded off the UI thread), the screenshot shows each poster's colour where
the dump says it is, the video begun says "继续观看" with its bar at half, arrows move by
the grid and page on; OK on a pioneer opens the citation with the large photo."""
import os
import subprocess
import tempfile

import harness
from harness import Server, contrast, ffmpeg, find_text, run_client, texts

server = None
work = None
token = None

# Plain colours, far apart, so a pixel says which poster it is.
COLOURS = ["red", "blue", "green", "yellow", "magenta", "cyan", "white", "orange", "purple",
           "gray"]
RGB = {"red": (255, 0, 0), "blue": (0, 0, 255), "green": (0, 128, 0), "yellow": (255, 255, 0),
       "magenta": (255, 0, 255), "cyan": (0, 255, 255), "white": (255, 255, 255),
       "orange": (255, 165, 0), "purple": (128, 0, 128), "gray": (128, 128, 128)}
VIDEOS = [{"key": f"poster-{c}", "kind": "视频", "title": f"海报测试视频{i + 1}",
           "category": "今日南湖", "poster": f"posters/{c}.png", "duration_s": 600}
          for i, c in enumerate(COLOURS)]
PIONEERS = [{"key": f"photo-{i}", "kind": "优秀党员", "title": name, "citation": citation,
             "photo": f"people/{i}.png"}
            for i, (name, citation) in enumerate([
                ("照片先锋甲", "带头修路，照顾孤寡老人"),
                ("照片先锋乙", "义务巡山三十年"),
                ("照片先锋丙", "帮助乡亲种大棚蔬菜")])]


def setup_module():
    global server, work, token
    server = Server("posters")
    work = tempfile.mkdtemp(prefix="djtv-posters-")
    src = os.path.join(work, "content")
    os.makedirs(os.path.join(src, "posters"))
    os.makedirs(os.path.join(src, "people"))
    for c in COLOURS:
        ffmpeg("-f", "lavfi", "-i", f"color=c={c}:size=320x180", "-frames:v", "1",
               os.path.join(src, "posters", f"{c}.png"))
    for i, c in enumerate(["red", "blue", "green"]):
        ffmpeg("-f", "lavfi", "-i", f"color=c={c}:size=600x800", "-frames:v", "1",
               os.path.join(src, "people", f"{i}.png"))
    media = harness.import_content(server, work, VIDEOS + PIONEERS)
    server.start(["--media", media])
    token = server.boxes[0]["token"]


def teardown_module():
    if server:
        server.finish(work)


def api(path):
    status, body = server.get(path, token)
    assert status == 200, (path, status, body)
    return body


def pixel(png, x, y):
    """(r, g, b) of one pixel of a screenshot, read through the ffmpeg CLI."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", png, "-vf", f"crop=1:1:{x}:{y}",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True, timeout=60).stdout
    return tuple(out[:3])


def shot_of(run, index):
    """The screenshot of dump step INDEX (the client names them NNN-<command>.png)."""
    prefix = f"{run.step(index)['step']:03d}-"
    mine = sorted(n for n in os.listdir(run.shots) if n.startswith(prefix))
    assert mine, (prefix, sorted(os.listdir(run.shots)))
    return os.path.join(run.shots, mine[0])


def check_readable(run):
    for step in run.steps:
        where = f"step {step['step']} ({step['screen']}, {step['cmd']})"
        for t in step["texts"]:
            assert t["px"] >= 40, f"{where}: '{t['text']}' is {t['px']} px"
            c = contrast(t["fg"], t["bg"])
            assert c >= 7.0, f"{where}: '{t['text']}' contrast {c:.2f}"
        assert any(t["y"] >= 952 for t in step["texts"]), f"{where}: no key-hint bar"


def ok_run(run):
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out"


def images(step):
    return {w["name"]: w for w in step.get("widgets", []) if w["role"] == "image"}


def test_videos_are_a_grid_of_posters_with_progress():
    listing = api("/api/v1/sections/video/items?page=1&per_page=50")
    ours = [it for it in listing["items"] if it["title"].startswith("海报测试视频")]
    assert len(ours) == len(VIDEOS) and all(it["picture"] for it in ours), ours
    begun = listing["items"][1]  # the second card: half watched
    status, _ = server.request("PUT", f"/api/v1/resume/{begun['id']}", token,
                               {"position_ms": begun["duration_s"] * 500})
    assert status == 200
    keys = ["wait-screen home 20000", "4", "wait-screen section.video 20000",
            'wait-gone "图片加载中" 15000',     # 3: every poster on screen
            "RIGHT",                             # 4
            "DOWN",                              # 5: the second row
            "DOWN",                              # 6: the next page
            "wait-screen section.video 20000",   # 7
            "UP",                                # 8: back to page 1, bottom row
            "wait-screen section.video 20000"]   # 9
    run = run_client("posters_video", server.url, server.ca, token, keys)
    ok_run(run)
    shown = run.step(3)
    st = shown["state"]
    per_page = st["per_page"]
    assert per_page >= 6 and st["pictures"] == per_page == st["pictures_ready"], st
    page1 = listing["items"][:per_page]
    assert st["ids"] == [it["id"] for it in page1]
    grid = [w for w in shown["widgets"] if w["role"] == "poster_grid"]
    assert grid and grid[0]["name"] == "section.video", shown["widgets"]
    pics = images(shown)
    for it in page1:
        w = pics[f"poster.{it['id']}"]
        assert w["state"].startswith("ready "), w
        pw, ph = (int(v) for v in w["state"].split()[1].split("x"))
        assert pw * 9 == ph * 16 or abs(pw * 9 - ph * 16) <= 16, w  # kept whole: 16:9
    # Each poster's colour is in the screenshot where the dump puts its widget.
    png = shot_of(run, 3)
    for it in page1:
        w = pics[f"poster.{it['id']}"]
        colour = it["title"].removeprefix("海报测试视频")
        want = RGB[COLOURS[int(colour) - 1]]
        got = pixel(png, w["x"] + w["w"] // 2, w["y"] + w["h"] // 2)
        assert all(abs(a - b) < 40 for a, b in zip(got, want)), (it["title"], got, want)
    # The video begun: "继续观看" and a bar at half; the others nothing.
    watched = st["watched"]
    assert watched[1] == 500 and all(v in (0, -1) for i, v in enumerate(watched) if i != 1), st
    assert len([t for t in shown["texts"] if t["text"] == "继续观看"]) == 1, texts(shown)
    assert find_text(shown, "海报测试视频"), texts(shown)
    # Arrows: RIGHT to the second card, DOWN to the row under it, DOWN again to page 2.
    assert run.step(4)["focus"] == f"item.{page1[1]['id']}"
    cols = per_page // 2  # two rows
    assert run.step(5)["focus"] == f"item.{page1[1 + cols]['id']}"
    assert run.step(7)["state"]["page"] == 2, run.step(7)["state"]
    assert run.step(7)["focus"] == f"item.{listing['items'][per_page + 1]['id']}"
    assert run.step(9)["state"]["page"] == 1
    assert run.step(9)["focus"] == f"item.{page1[1 + cols]['id']}"
    check_readable(run)


def test_pioneers_photo_grid_opens_the_citation_with_the_large_photo():
    listing = api("/api/v1/sections/pioneers/items?page=1&per_page=50")
    second = listing["items"][1]
    assert second["title"] == "照片先锋乙", [it["title"] for it in listing["items"]]
    keys = ["wait-screen home 20000", "5", "wait-screen section.pioneers 20000",
            'wait-gone "图片加载中" 15000',   # 3
            "RIGHT",                           # 4
            "OK",                              # 5
            "wait-screen detail 20000",        # 6
            'wait-gone "图片加载中" 15000']    # 7
    run = run_client("posters_pioneers", server.url, server.ca, token, keys)
    ok_run(run)
    grid = run.step(3)
    st = grid["state"]
    assert st["pictures"] >= 3 and st["pictures"] == st["pictures_ready"], st
    for name in ("照片先锋甲", "照片先锋乙", "照片先锋丙"):
        assert find_text(grid, name), texts(grid)
    small = images(grid)[f"poster.{second['id']}"]
    assert small["state"].startswith("ready "), small
    assert run.step(4)["focus"] == f"item.{second['id']}"
    detail = run.step(7)
    assert detail["screen"] == "detail" and detail["state"]["picture"] == "ready", detail["state"]
    assert find_text(detail, "义务巡山三十年"), texts(detail)
    large = images(detail)["detail.picture"]
    lw = int(large["state"].split()[1].split("x")[0])
    sw = int(small["state"].split()[1].split("x")[0])
    assert lw > sw, (large, small)  # the citation's photo is the large one, not the card's
    r, g, b = pixel(shot_of(run, 7), large["x"] + large["w"] // 2, large["y"] + large["h"] // 2)
    assert b > 200 and r < 60, (r, g, b)  # 照片先锋乙's photo is blue
    check_readable(run)
