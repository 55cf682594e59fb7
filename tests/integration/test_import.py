"""`djtv-server import DIR`: a folder of manifests with media made here by the ffmpeg CLI
(an H.264/AAC MP4, an MPEG-4 Part 2/MP3 AVI, a JPEG poster, a PNG photo) into a fresh demo
database. The HLS renditions are checked with ffprobe (H.264/AAC, VOD playlist, segments of
about 4 s; the H.264 input copied, the other transcoded), the rows through the box API; a
re-import updates instead of duplicating; bad manifests are reported with their file name and
field and leave nothing half-written."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import harness
from harness import Server, ffmpeg

server = None
work = None
media = None
src = None
first = None  # the first import's CompletedProcess


def ffprobe(path, entries):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", entries, "-of", "json",
                          path], check=True, capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout)


def make_media(d):
    harness.make_lesson(os.path.join(d, "lesson.mp4"), 10)
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
           "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "6",
           "-c:v", "mpeg4", "-q:v", "5", "-c:a", "libmp3lame", os.path.join(d, "news.avi"))
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1",
           os.path.join(d, "poster.jpg"))
    ffmpeg("-f", "lavfi", "-i", "color=c=red:size=120x160", "-frames:v", "1",
           os.path.join(d, "photo.png"))


MANIFEST = {"items": [
    {"key": "imp-lesson", "kind": "课程", "title": "导入测试课程", "body": "课程正文",
     "category": "党课学习", "poster": "poster.jpg", "video": "lesson.mp4"},
    {"key": "imp-news", "kind": "视频", "title": "导入测试视频", "category": "今日南湖",
     "village": "东村", "video": "news.avi"},
    {"key": "imp-ledger", "kind": "财务公示", "title": "导入测试财务", "ledger": [
        {"date": "2026-10-01", "item": "补助", "income_fen": 100000},
        {"date": "2026-10-05", "item": "修渠", "expense_fen": 25000}]},
]}
PIONEER = {"key": "imp-pioneer", "kind": "优秀党员", "title": "导入测试先锋",
           "citation": "带头修路", "photo": "people/photo.png"}


def run_import(directory):
    return harness.run_import(server.db, directory, media)


def setup_module():
    global server, work, media, src, first
    server = Server("import")
    work = tempfile.mkdtemp(prefix="djtv-import-")
    media = os.path.join(work, "media")
    src = os.path.join(work, "content")
    os.makedirs(os.path.join(src, "pioneers", "people"))
    make_media(src)
    shutil.move(os.path.join(src, "photo.png"),
                os.path.join(src, "pioneers", "people", "photo.png"))
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump(MANIFEST, f, ensure_ascii=False)
    # One item per file works too, also in a sub-folder (paths relative to that folder).
    with open(os.path.join(src, "pioneers", "zhang.json"), "w", encoding="utf-8") as f:
        json.dump(PIONEER, f, ensure_ascii=False)
    first = run_import(src)
    server.start(["--media", media])


def teardown_module():
    server.finish(work)


def rows(key):
    return server.sql("SELECT id, title FROM content WHERE source_key = ?", (key,))


def box():
    return server.box_of("东村")


def test_first_import_adds_every_item():
    assert first.returncode == 0, first.stderr[-3000:]
    assert "4 item(s) added" in first.stderr, first.stderr[-2000:]
    for key in ("imp-lesson", "imp-news", "imp-ledger", "imp-pioneer"):
        assert len(rows(key)) == 1, key


def playlist(key):
    path = os.path.join(media, "items", key, "hls", "index.m3u8")
    with open(path, encoding="utf-8") as f:
        return path, f.read()


def test_h264_input_is_remuxed_into_vod_hls():
    path, text = playlist("imp-lesson")
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in text and text.rstrip().endswith("#EXT-X-ENDLIST"), text
    durations = [float(x) for x in re.findall(r"#EXTINF:([0-9.]+),", text)]
    assert len(durations) >= 2 and all(d <= 6.1 for d in durations), durations
    assert abs(sum(durations) - 10) < 0.5, durations
    info = ffprobe(path, "stream=codec_name,profile,sample_rate,channels:format=duration")
    codecs = {s["codec_name"]: s for s in info["streams"]}
    assert set(codecs) == {"h264", "aac"}, info
    # Copied, not encoded again: the source's libx264 ultrafast profile and its stereo AAC.
    assert codecs["h264"]["profile"] == "Constrained Baseline", codecs
    assert codecs["aac"]["channels"] == 2 and codecs["aac"]["sample_rate"] == "48000", codecs
    assert abs(float(info["format"]["duration"]) - 10) < 0.5, info
    assert "imp-lesson: video h264/aac" in first.stderr and "remuxed (copied)" in first.stderr
    for seg in sorted(os.listdir(os.path.dirname(path))):
        if seg.endswith(".ts"):
            s = ffprobe(os.path.join(os.path.dirname(path), seg), "stream=codec_name")
            assert {x["codec_name"] for x in s["streams"]} == {"h264", "aac"}, (seg, s)


def test_mpeg4_mp3_input_is_transcoded():
    path, text = playlist("imp-news")
    assert text.rstrip().endswith("#EXT-X-ENDLIST"), text
    info = ffprobe(path, "stream=codec_name,profile,width,height:format=duration")
    codecs = {s["codec_name"]: s for s in info["streams"]}
    assert set(codecs) == {"h264", "aac"}, info
    assert codecs["h264"]["width"] == 320 and codecs["h264"]["height"] == 240, codecs
    assert codecs["h264"]["profile"] != "Constrained Baseline", codecs  # our encoder's
    assert abs(float(info["format"]["duration"]) - 6) < 0.7, info
    assert re.search(r"imp-news: video mpeg4/mp3 .*transcoded", first.stderr), first.stderr


def test_items_through_the_box_api():
    token = box()
    (lesson, _), = rows("imp-lesson")
    status, item = server.get(f"/api/v1/items/{lesson}", token)
    assert status == 200 and item["title"] == "导入测试课程", item
    text = json.dumps(item, ensure_ascii=False)
    assert "/media/items/imp-lesson/hls/index.m3u8" in text, item
    assert "/media/items/imp-lesson/poster.jpg" in text, item
    assert server.sql("SELECT duration_s FROM courses WHERE content_id = ?", (lesson,)) == [(10,)]
    (news, _), = rows("imp-news")
    assert server.sql("SELECT org_id FROM content WHERE id = ?", (news,)) == \
        server.sql("SELECT id FROM orgs WHERE name = '东村'")
    (ledger, _), = rows("imp-ledger")
    status, item = server.get(f"/api/v1/items/{ledger}", token)
    assert status == 200 and "修渠" in json.dumps(item, ensure_ascii=False), item
    (pioneer, _), = rows("imp-pioneer")
    status, item = server.get(f"/api/v1/items/{pioneer}", token)
    assert status == 200 and "/media/items/imp-pioneer/photo.png" in \
        json.dumps(item, ensure_ascii=False), item
    assert os.path.isfile(os.path.join(media, "items", "imp-pioneer", "photo.png"))


def test_reimport_updates_instead_of_duplicating():
    before = server.sql("SELECT count(*) FROM content")
    ids = {k: rows(k)[0][0] for k in ("imp-lesson", "imp-news", "imp-ledger", "imp-pioneer")}
    published = server.sql("SELECT id, published_at FROM content WHERE source_key IS NOT NULL")
    changed = json.loads(json.dumps(MANIFEST))
    changed["items"][0]["title"] = "导入测试课程（修订）"
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump(changed, f, ensure_ascii=False)
    again = run_import(src)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "0 item(s) added, 4 updated (3 with unchanged media)" in again.stderr, again.stderr
    assert server.sql("SELECT count(*) FROM content") == before
    assert {k: rows(k)[0][0] for k in ids} == ids
    assert rows("imp-lesson")[0][1] == "导入测试课程（修订）"
    assert server.sql("SELECT id, published_at FROM content WHERE source_key IS NOT NULL") \
        == published  # a re-import keeps the first publication time
    assert server.sql("SELECT count(*) FROM ledger_lines WHERE content_id = ?",
                      (ids["imp-ledger"],)) == [(2,)]
    assert server.sql("SELECT count(*) FROM courses WHERE content_id = ?",
                      (ids["imp-lesson"],)) == [(1,)]
    # A changed video is converted again; the playlist is still whole.
    os.utime(os.path.join(src, "news.avi"))
    third = run_import(src)
    assert third.returncode == 0 and "2 with unchanged media" in third.stderr, third.stderr
    _, text = playlist("imp-news")
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    assert os.listdir(os.path.join(media, ".staging")) == []


def write(d, name, text):
    with open(os.path.join(d, name), "w", encoding="utf-8") as f:
        f.write(text)


def test_bad_manifests_reported_with_file_and_field_nothing_half_written():
    bad = os.path.join(work, "bad")
    os.makedirs(bad)
    shutil.copy(os.path.join(src, "poster.jpg"), bad)
    write(bad, "fake.mp4", "this is not a video\n")
    write(bad, "fake.jpg", "not an image either\n")
    write(bad, "a-broken.json", '{"items": [ {"key": "x", ')
    write(bad, "b-mixed.json", json.dumps({"items": [
        {"key": "bad-video", "kind": "课程", "title": "坏视频", "category": "党课学习",
         "poster": "poster.jpg", "video": "fake.mp4"},
        {"key": "good-one", "kind": "通知公告", "title": "好的一条"},
        {"key": "bad-poster", "kind": "课程", "title": "坏海报", "category": "党课学习",
         "poster": "fake.jpg"},
        {"key": "bad-missing", "kind": "视频", "title": "缺文件", "category": "今日南湖",
         "video": "nowhere.mp4"},
        {"key": "bad-field", "kind": "通知公告", "title": "多字段", "colour": "red"},
        {"key": "bad-kind", "kind": "杂项", "title": "未知类型"},
        {"key": "bad/../key", "kind": "通知公告", "title": "坏键"},
        {"key": "bad-escape", "kind": "课程", "title": "逃逸", "category": "党课学习",
         "video": "../content/lesson.mp4"},
        {"key": "bad-village", "kind": "通知公告", "title": "无此村", "village": "火星村"},
    ]}, ensure_ascii=False))
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100", "-t", "1",
           "-c:a", "libmp3lame", os.path.join(bad, "song.mp3"))
    write(bad, "d-notarray.json", json.dumps({"items": {"key": "obj-item", "kind": "通知公告",
                                                        "title": "不是数组"}}))
    write(bad, "e-audio.json", json.dumps({"key": "bad-audio", "kind": "视频", "title": "只有声音",
                                           "category": "今日南湖", "video": "song.mp3"}))
    write(bad, "c-dup.json", json.dumps({"key": "good-one", "kind": "通知公告", "title": "重复"},
                                        ensure_ascii=False))
    before = server.sql("SELECT count(*) FROM content")[0][0]
    run = run_import(bad)
    err = run.stderr
    assert run.returncode == 1, err
    assert re.search(r"a-broken\.json: not valid JSON", err), err
    expect = {"bad-video": "video:", "bad-poster": "poster:", "bad-missing": "video:",
              "bad-field": "colour", "bad-kind": "kind:", "bad/../key": "key:",
              "bad-escape": "video:", "bad-village": "village:"}
    for key, field in expect.items():
        line = next((l for l in err.splitlines() if f"(key {key})" in l), None)
        assert line and "b-mixed.json" in line and field in line, (key, field, err[-3000:])
    assert re.search(r"c-dup\.json: .*key: used by another item", err), err
    assert re.search(r"d-notarray\.json: items: must be a non-empty array", err), err
    assert re.search(r"e-audio\.json: .*\(key bad-audio\): video: the file has no video", err), err
    assert rows("obj-item") == [] and rows("bad-audio") == []
    # The good item went in; nothing of the bad ones, no media folder, no staging left over.
    assert len(rows("good-one")) == 1
    assert server.sql("SELECT count(*) FROM content")[0][0] == before + 1
    for key in ("bad-video", "bad-poster", "bad-missing", "bad-field", "bad-escape"):
        assert rows(key) == [], key
        assert not os.path.exists(os.path.join(media, "items", key)), key
    assert os.listdir(os.path.join(media, ".staging")) == []
    # A failed re-import of an item keeps its last good version.
    broken = json.loads(json.dumps(MANIFEST["items"][0]))
    broken["video"] = "fake.mp4"
    shutil.copy(os.path.join(src, "poster.jpg"), os.path.join(bad, "poster.jpg"))
    again = os.path.join(work, "again")
    os.makedirs(again)
    shutil.copy(os.path.join(bad, "fake.mp4"), again)
    shutil.copy(os.path.join(src, "poster.jpg"), again)
    write(again, "lesson.json", json.dumps(broken, ensure_ascii=False))
    run = run_import(again)
    assert run.returncode == 1 and "(key imp-lesson)" in run.stderr, run.stderr
    assert rows("imp-lesson")[0][1] == "导入测试课程（修订）"
    _, text = playlist("imp-lesson")
    assert text.rstrip().endswith("#EXT-X-ENDLIST")


def test_command_line_refusals():
    exe = os.path.join(harness.BUILD, "djtv-server")
    r = subprocess.run([exe, "import", "--db", server.db], capture_output=True, text=True)
    assert r.returncode == 2 and "import DIR" in r.stderr, r.stderr
    r = subprocess.run([exe, "import", os.path.join(work, "nothing-here"), "--db", server.db,
                        "--media", media], capture_output=True, text=True)
    assert r.returncode == 1 and "nothing-here" in r.stderr, r.stderr
    r = subprocess.run([exe, "import", src, "--db", os.path.join(work, "missing.db"),
                        "--media", media], capture_output=True, text=True)
    assert r.returncode == 1 and "missing.db" in r.stderr, r.stderr
