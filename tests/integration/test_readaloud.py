"""Read-aloud end to end: the real server and the real client headless, the yellow key read
through espeak-ng's Mandarin voice into SDL's dummy audio driver (which plays the queue out in
real time, like a sound card). The UI dump's state.speech counts the samples handed to SDL."""
import os
import shutil
import tempfile

import harness
from harness import Server, contrast, find_text, make_hls, run_client, texts
from media_https import MediaServer

server = None
media = None
work = None
token = None


def setup_module():
    global server, media, work, token
    work = tempfile.mkdtemp(prefix="djtv-readaloud-")
    make_hls(os.path.join(work, "media", "hls"), 12)
    server = Server("readaloud").start()
    media = MediaServer(os.path.join(work, "media"), server.dir).start()
    token = server.boxes[0]["token"]


def teardown_module():
    try:
        if media:
            media.stop()
    finally:
        if server:
            server.finish(work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def speech(step):
    assert "speech" in step.get("state", {}), step
    return step["state"]["speech"]


def ok_run(run):
    assert run.code == 0, f"client exit {run.code}; log:\n{run.log[-3000:]}"


def test_yellow_reads_the_focused_tile_and_again_stops():
    run = run_client("readaloud_home", server.url, server.ca, token, [
        "wait-screen home 20000",   # 0
        "wait 1500",                # 1: the voice loads meanwhile
        "YELLOW",                   # 2: read the focused tile
        "wait 1200",                # 3: still speaking
        "YELLOW",                   # 4: stop
        "wait 600",                 # 5
        "RIGHT",                    # 6
        "YELLOW",                   # 7: the next tile
        "wait 800",                 # 8
    ])
    ok_run(run)
    first = speech(run.step(3))
    assert first["engine"] == "ready", first
    # The focused tile's own title is what is read, not the whole screen.
    assert first["text"].startswith("党务公开"), first
    assert "党群直播" not in first["text"], first
    assert first["speaking"], first
    assert first["samples"] > first["sample_rate"] // 2, "half a second of speech queued"
    assert 0 <= first["first_audio_ms"] < 5000, first
    stopped = speech(run.step(4))
    assert not stopped["speaking"], stopped
    after = speech(run.step(5))
    assert not after["speaking"], after
    # Nothing more was synthesised after the stop (at most the chunk in hand then).
    assert after["samples"] - stopped["samples"] < after["sample_rate"] // 4, (stopped, after)
    second = speech(run.step(8))
    assert second["text"].startswith("党群直播"), second
    assert second["speaking"] and second["utterances"] == 2, second
    assert second["samples"] > after["samples"], second
    assert "speak: first audio after" in run.log


def test_yellow_reads_the_open_notice():
    run = run_client("readaloud_detail", server.url, server.ca, token, [
        "wait-screen home 20000",       # 0
        "OK",                           # 1: 党务公开
        "wait-screen section.affairs",  # 2
        "OK",                           # 3
        "wait-screen detail",           # 4
        "YELLOW",                       # 5
        "wait 800",                     # 6
    ])
    ok_run(run)
    detail = run.step(4)
    item_id = detail["state"]["item_id"]
    status, item = server.get(f"/api/v1/items/{item_id}", token)
    assert status == 200, (status, item)
    said = speech(run.step(6))
    assert said["text"].startswith(item["title"]), (said["text"][:80], item["title"])
    assert item["body"][:10] in said["text"], (said["text"][:120], item["body"][:40])
    assert said["speaking"] and said["samples"] > 0, said


def test_missing_voice_data_is_said_on_screen():
    empty = tempfile.mkdtemp(prefix="djtv-no-voice-")
    try:
        run = run_client("readaloud_novoice", server.url, server.ca, token, [
            "wait-screen home 20000",   # 0
            "wait 500",                 # 1
            "YELLOW",                   # 2
            "wait-text 不能朗读 3000",   # 3
        ], extra=["--speech-data", empty])
    finally:
        shutil.rmtree(empty, ignore_errors=True)
    ok_run(run)
    step = run.step(3)
    assert speech(step)["engine"] == "failed", speech(step)
    t = find_text(step, "不能朗读")
    assert t, texts(step)
    assert t["px"] >= 40 and contrast(t["fg"], t["bg"]) >= 7, t
    assert "espeak-ng data not found" in run.log


def test_video_sound_gives_way_while_reading():
    status, made = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "课程", "title": "朗读测试课", "body": "朗读时视频静音。",
        "category": "党课学习", "duration_s": 12, "media_url": media.url("hls/index.m3u8")})
    assert status == 200, (status, made)
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    row = next(i for i, it in enumerate(listing["items"]) if it["id"] == made["id"])
    keys = ["wait-screen home 20000", "RIGHT 2", "OK", "wait-screen section.study"]
    keys.append(harness.study_poster_key(row))
    keys += ["OK",                          # 5
             "wait-screen player 20000",    # 6
             "wait 500",                    # 7
             "YELLOW",                      # 8: reads the title over the video
             "wait 400",                    # 9
             "YELLOW",                      # 10: stop
             "wait 400"]                    # 11
    run = run_client("readaloud_video", server.url, server.ca, token, keys)
    ok_run(run)
    before, during, after = run.step(7), run.step(9), run.step(11)
    assert before["screen"] == during["screen"] == "player", during
    assert before["state"]["muted"] is False, before["state"]
    assert speech(during)["text"].startswith("朗读测试课"), speech(during)
    assert speech(during)["speaking"] and during["state"]["muted"] is True, during["state"]
    assert during["state"]["player_state"] == "playing", "the picture plays on"
    assert after["state"]["muted"] is False and not speech(after)["speaking"], after["state"]
