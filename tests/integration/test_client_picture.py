"""Posters and photos on the TV: a pioneer with a photo, imported into the real server as a
township would (`djtv-server import`), opened on the headless client: the detail screen fetches
the photo over HTTPS with the box's token, the picture decoder turns it into a texture off the
UI thread, and the image widget shows it (the UI dump's widget "image", state "ready WxH")
beside the citation, in the screenshot where the widget says it is. A picture that cannot be
read shows a card that says so, never a crash."""
import os
import shutil
import subprocess
import tempfile

import harness
from harness import Server, contrast, ffmpeg, find_text, run_client

server = None
work = None
token = None

PIONEERS = [
    {"key": "pic-ok", "kind": "优秀党员", "title": "照片测试先锋",
     "citation": "带头修路，照顾孤寡老人", "photo": "people/ok.png"},
    {"key": "pic-bad", "kind": "优秀党员", "title": "坏照片先锋",
     "citation": "义务巡山三十年", "photo": "people/bad.png"},
]


def setup_module():
    global server, work, token
    server = Server("picture")
    work = tempfile.mkdtemp(prefix="djtv-picture-")
    src = os.path.join(work, "content")
    people = os.path.join(src, "people")
    os.makedirs(people)
    # A portrait photo in two plain halves: red on the left, blue on the right.
    ffmpeg("-f", "lavfi", "-i", "color=c=red:size=150x400", "-f", "lavfi",
           "-i", "color=c=blue:size=150x400", "-filter_complex", "hstack", "-frames:v", "1",
           os.path.join(people, "ok.png"))
    shutil.copy(os.path.join(people, "ok.png"), os.path.join(people, "bad.png"))
    media = harness.import_content(server, work, PIONEERS)
    # The server checked the file when importing; now it is damaged on disk (a bad sector):
    # the box gets bytes that are not a picture.
    bad = os.path.join(media, "items", "pic-bad", "photo.png")
    with open(bad, "r+b") as f:
        f.seek(100)
        f.write(b"\x00" * 400)
    server.start(["--media", media])
    token = server.boxes[0]["token"]


def teardown_module():
    if server:
        server.finish(work)


def row_of(title):
    """The position of the item titled TITLE in the pioneers list, and the page size."""
    status, page = server.get("/api/v1/sections/pioneers/items?page=1&per_page=4", token)
    assert status == 200, page
    titles = [it["title"] for it in page["items"]]
    assert title in titles, titles
    return titles.index(title)


def pixel(png, x, y):
    """(r, g, b) of one pixel of a screenshot, read through the ffmpeg CLI."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", png, "-vf", f"crop=1:1:{x}:{y}",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True, timeout=60).stdout
    return tuple(out[:3])


def open_pioneer(name, title):
    row = row_of(title)
    keys = ["wait-screen home 20000", "5", "wait-screen section.pioneers"]
    keys += [f"RIGHT {row}"] if row else ["wait 10"]  # a photo grid: one row of photos
    keys += ["OK", "wait-screen detail", 'wait-gone "图片加载中" 10000']
    run = run_client(name, server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out"
    return run


def image_widget(step):
    images = [w for w in step.get("widgets", []) if w["role"] == "image"]
    assert len(images) == 1, step.get("widgets")
    return images[0]


def test_photo_shows_beside_the_citation():
    run = open_pioneer("picture_ok", "照片测试先锋")
    last = run.last()
    assert last["screen"] == "detail" and last["state"]["picture"] == "ready", last["state"]
    w = image_widget(last)
    assert w["name"] == "detail.picture"
    assert w["state"].startswith("ready "), w
    pw, ph = (int(v) for v in w["state"].split()[1].split("x"))
    assert pw <= w["w"] and ph <= w["h"] and pw * 4 == ph * 3, w  # kept whole: 3:4
    assert find_text(last, "带头修路"), "the citation is the text of a pioneer without a body"
    # The picture is in the screenshot where the dump says: red left half, blue right half.
    shot = os.path.join(run.shots, sorted(os.listdir(run.shots))[-1])
    cx, cy = w["x"] + w["w"] // 2, w["y"] + w["h"] // 2
    r, g, b = pixel(shot, cx - ph // 8, cy)
    assert r > 200 and b < 60, (r, g, b)
    r, g, b = pixel(shot, cx + ph // 8, cy)
    assert b > 200 and r < 60, (r, g, b)
    # No text sits on the picture, and every text is readable.
    for t in last["texts"]:
        assert t["px"] >= 40 and contrast(t["fg"], t["bg"]) >= 7.0, t
        assert t["x"] + t["w"] <= w["x"] or t["x"] >= w["x"] + w["w"] or \
            t["y"] + t["h"] <= w["y"] or t["y"] >= w["y"] + w["h"], t


def test_unreadable_photo_is_said_in_plain_words():
    run = open_pioneer("picture_bad", "坏照片先锋")
    last = run.last()
    assert last["state"]["picture"] == "failed", last["state"]
    assert image_widget(last)["state"].startswith("failed"), last["widgets"]
    assert find_text(last, "图片打不开"), [t["text"] for t in last["texts"]]
    assert find_text(last, "义务巡山"), "the text is still there"
    # The placeholder said it was loading before (or the decode was quicker than a frame).
    loading = [s for s in run.steps if s["screen"] == "detail" and find_text(s, "图片加载中")]
    for s in loading:
        assert image_widget(s)["state"].startswith("decoding"), s["widgets"]
