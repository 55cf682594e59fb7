"""Uploads by township staff over HTTPS (POST /api/v1/staff/uploads, PUT …/{id}/file, GET
…/{id}): a real video made by the ffmpeg CLI becomes a video item that a box of the village
lists and plays (its playlist fetched as the box, a segment read by ffprobe), its stages seen on
the way; a poster goes onto a course; a file that is no video ends failed with a plain reason.
Refused: a box token, a cadre, another township's staff, no CSRF token; a file over the server's
limit (announced, by Content-Length, and sent chunked past its announced size), without the
disk filling up; a sender gone mid-file fails its job and leaves no file behind."""
import http.client
import json
import os
import subprocess
import time

from harness import Server, ffmpeg, staff_session
from webclient import call, own_origin, web_login

server = None
media = None
staff = cadre = box = box_xi = north_staff = None
dong_id = None
LIMIT_MB = 2


def setup_module():
    global server, media, staff, cadre, box, box_xi, north_staff, dong_id
    server = Server("api_uploads")
    media = os.path.join(server.dir, "media")
    server.start(["--media", media, "--upload-max-mb", str(LIMIT_MB), "--rate-limit", "1000"])
    s = staff_session(server)
    staff, cadre, box, box_xi, north_staff, dong_id = (s.staff, s.cadre, s.box, s.box_xi,
                                                        s.north_staff, s.dong_id)


def teardown_module():
    server.finish()


def announce(body, token=None):
    return server.request("POST", "/api/v1/staff/uploads", token or staff, body=body)


def put_file(job_id, data, token=None, headers=None):
    return server.request("PUT", f"/api/v1/staff/uploads/{job_id}/file", token or staff,
                          body=data, headers=dict({"Content-Type": "application/octet-stream"},
                                                  **(headers or {})))


def wait_job(job_id, token=None, timeout=120):
    seen = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        status, job = server.get(f"/api/v1/staff/uploads/{job_id}", token or staff)
        assert status == 200, job
        seen.append((job["state"], job["percent"]))
        if job["state"] in ("done", "failed"):
            return job, seen
        time.sleep(0.05)
    raise AssertionError(f"upload {job_id} did not finish: {seen[-5:]}")


def make_video(path, seconds=4):
    """An MPEG-4 Part 2 / MP3 file: boxes play H.264/AAC, so the server must transcode it."""
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=480x270:rate=25", "-f", "lavfi",
           "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds), "-c:v", "mpeg4",
           "-q:v", "5", "-c:a", "libmp3lame", path)


def test_a_video_becomes_an_item_the_box_plays():
    path = os.path.join(server.dir, "lesson.mp4")
    make_video(path)
    data = open(path, "rb").read()
    status, job = announce({"file": "video", "name": "lesson.mp4", "size": len(data), "item": {
        "kind": "视频", "title": "东村新修的文化广场", "category": "南湖播报", "village_id": dong_id}})
    assert status == 200 and job["state"] == "waiting", job
    status, reply = put_file(job["id"], data)
    assert status == 200 and reply["state"] == "queued", reply
    done, seen = wait_job(job["id"])
    assert done["state"] == "done", done
    assert done["received"] == len(data) and done["item_id"], done
    # The box of the village lists it, with its length and poster; 西村 does not.
    status, items = server.get("/api/v1/sections/video/items?per_page=50", box)
    mine = [i for i in items["items"] if i["id"] == done["item_id"]]
    assert mine and mine[0]["title"] == "东村新修的文化广场" and mine[0]["duration_s"] == 4, items
    assert mine[0]["picture"] == done["poster"] and done["poster"].endswith("poster.jpg"), mine
    status, items = server.get("/api/v1/sections/video/items?per_page=50", box_xi)
    assert done["item_id"] not in [i["id"] for i in items["items"]]
    # It plays: the playlist as the box reads it, and a segment that ffprobe reads as H.264.
    status, item = server.get(f"/api/v1/items/{done['item_id']}", box)
    url = item["course"]["media_url"]
    assert url == done["media_url"] and url.endswith("/hls/index.m3u8"), item
    status, playlist = server.get(url, box)
    assert status == 200 and playlist.startswith("#EXTM3U") and "#EXT-X-ENDLIST" in playlist
    segment = [l for l in playlist.splitlines() if l.endswith(".ts")][0]
    seg_path = os.path.join(server.dir, "seg.ts")
    with open(seg_path, "wb") as f:
        f.write(raw_get(url.rsplit("/", 1)[0] + "/" + segment, box))
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name",
                            "-of", "json", seg_path], capture_output=True, text=True, timeout=30)
    codecs = {s["codec_name"] for s in json.loads(probe.stdout)["streams"]}
    assert codecs == {"h264", "aac"}, codecs
    assert server.get(f"/api/v1/items/{done['item_id']}", box_xi)[0] == 404
    # On the way, the job said where it was (a transcode takes its time).
    states = [s for s, _ in seen]
    assert "converting" in states or "queued" in states or "checking" in states, seen
    # Nothing is left of the received file.
    assert not os.path.exists(os.path.join(media, ".uploads", f"{job['id']}.part"))


def raw_get(path, token):
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        assert r.status == 200, (path, r.status)
        return r.read()
    finally:
        conn.close()


def test_a_poster_goes_onto_a_course():
    status, course = server.request("POST", "/api/v1/staff/courses", staff, body={
        "title": "养鸡技术", "category": "致富技术"})
    assert status == 200, course
    png = os.path.join(server.dir, "poster.png")
    ffmpeg("-f", "lavfi", "-i", "color=c=red:size=320x180", "-frames:v", "1", png)
    data = open(png, "rb").read()
    status, job = announce({"file": "poster", "name": "poster.png", "size": len(data),
                            "item_id": course["course"]["id"]})
    assert status == 200, job
    assert put_file(job["id"], data)[0] == 200
    done, _ = wait_job(job["id"])
    assert done["state"] == "done" and done["poster"].endswith("poster.png"), done
    status, item = server.get(f"/api/v1/items/{course['course']['id']}", box)
    assert item["course"]["poster"] == done["poster"], item
    assert raw_get(done["poster"], box) == data


def test_garbage_ends_failed_with_a_plain_reason():
    data = os.urandom(300 * 1024)
    status, job = announce({"file": "video", "name": "broken.mp4", "size": len(data),
                            "item": {"title": "坏文件", "category": "南湖播报"}})
    assert status == 200, job
    assert put_file(job["id"], data)[0] == 200
    done, _ = wait_job(job["id"])
    assert done["state"] == "failed" and "不是能播放的视频" in done["reason"], done
    assert server.sql("SELECT count(*) FROM content WHERE title = '坏文件'") == [(0,)]
    # The same job cannot be sent again.
    assert put_file(job["id"], data)[0] == 409


def test_who_may_upload():
    body = {"file": "video", "name": "a.mp4", "size": 1000,
            "item": {"title": "不该传的", "category": "南湖播报"}}
    for token in (cadre, box):
        status, reply = announce(body, token)
        assert status == 403, (status, reply)
    assert server.request("POST", "/api/v1/staff/uploads", None, body=body)[0] == 401
    status, job = announce(body)
    assert status == 200, job
    for token in (cadre, box):
        assert put_file(job["id"], b"x" * 1000, token)[0] == 403
        assert server.get(f"/api/v1/staff/uploads/{job['id']}", token)[0] == 403
    # Another township's staff: our job is not theirs to see or fill, our village not theirs.
    assert server.get(f"/api/v1/staff/uploads/{job['id']}", north_staff)[0] == 404
    assert put_file(job["id"], b"x" * 1000, north_staff)[0] == 404
    status, reply = announce(dict(body, item=dict(body["item"], village_id=dong_id)), north_staff)
    assert status == 403, reply
    status, reply = announce({"file": "poster", "name": "p.png", "size": 100, "item_id": 1},
                             north_staff)
    assert status == 404, reply
    status, job_state = server.get(f"/api/v1/staff/uploads/{job['id']}", staff)
    assert job_state["state"] == "waiting", job_state
    # A browser session without its CSRF token cannot send the file.
    r, cookie, csrf = web_login(server, "staff2")
    r = call(server, "PUT", f"/api/v1/staff/uploads/{job['id']}/file", None, cookie=cookie,
             origin=own_origin(server), site="same-origin")
    assert r.status == 403, r.raw


def test_malformed_announcements():
    for body, field in (({"file": "movie", "name": "a", "size": 1}, "file"),
                        ({"file": "video", "name": "a", "size": 0, "item": {}}, "size"),
                        ({"file": "video", "name": "a", "size": 10}, "item"),
                        ({"file": "video", "name": "a", "size": 10,
                          "item": {"kind": "通知公告", "title": "t"}}, "item.kind"),
                        ({"file": "video", "name": "a", "size": 10,
                          "item": {"title": "t"}}, "item.category"),
                        ({"file": "video", "name": "a", "size": 10,
                          "item": {"title": "t", "category": "c", "media_url": "/media/x"}},
                         "item.media_url"),
                        ({"file": "poster", "name": "a", "size": 10}, "item_id"),
                        ({"file": "poster", "name": "a", "size": 10, "item_id": 999999},
                         "item_id")):
        status, reply = announce(body)
        assert status in (400, 404) and field in reply["message"], (body, status, reply)
    assert server.get("/api/v1/staff/uploads/abc", staff)[0] in (400, 404)
    assert server.get("/api/v1/staff/uploads/999999", staff)[0] == 404


def test_oversize_is_refused_without_filling_the_disk():
    item = {"title": "太大的视频", "category": "南湖播报"}
    status, reply = announce({"file": "video", "name": "big.mp4",
                              "size": LIMIT_MB * 1024 * 1024 + 1, "item": item})
    assert status == 413 and reply["code"] == "too_large", reply
    # Announced small, then a Content-Length over it: refused before the body is read.
    status, job = announce({"file": "video", "name": "small.mp4", "size": 1000, "item": item})
    assert status == 200, job
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    conn.putrequest("PUT", f"/api/v1/staff/uploads/{job['id']}/file")
    conn.putheader("Authorization", f"Bearer {staff}")
    conn.putheader("Content-Length", str(50 * 1024 * 1024))
    conn.endheaders()
    r = conn.getresponse()
    assert r.status == 413, r.status
    conn.close()
    # Sent chunked, far past what was announced: cut off at the announced size, file removed.
    status, job = announce({"file": "video", "name": "small2.mp4", "size": 1000, "item": item})
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=20)
    status = None
    try:
        conn.request("PUT", f"/api/v1/staff/uploads/{job['id']}/file",
                     body=iter([b"\0" * 65536] * 160), encode_chunked=True,
                     headers={"Authorization": f"Bearer {staff}"})
        status = conn.getresponse().status
    except (ConnectionError, OSError):
        status = "closed"  # the server answered and closed while we were still sending
    finally:
        conn.close()
    assert status in (413, "closed"), status
    state = server.get(f"/api/v1/staff/uploads/{job['id']}", staff)[1]
    assert state["state"] == "failed" and state["received"] <= 1000 + 65536, state
    leftovers = os.listdir(os.path.join(media, ".uploads")) if os.path.isdir(
        os.path.join(media, ".uploads")) else []
    assert not leftovers, leftovers
    assert server.sql("SELECT count(*) FROM content WHERE title = '太大的视频'") == [(0,)]


def test_a_sender_gone_mid_file_fails_the_job_and_leaves_nothing():
    item = {"title": "传了一半", "category": "南湖播报"}
    status, job = announce({"file": "video", "name": "half.mp4", "size": 100000, "item": item})
    assert status == 200, job
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    conn.putrequest("PUT", f"/api/v1/staff/uploads/{job['id']}/file")
    conn.putheader("Authorization", f"Bearer {staff}")
    conn.putheader("Content-Length", "100000")
    conn.endheaders()
    conn.send(b"\0" * 40000)
    conn.close()  # the office PC's network went away
    state = None
    end = time.monotonic() + 20
    while time.monotonic() < end:
        state = server.get(f"/api/v1/staff/uploads/{job['id']}", staff)[1]
        if state["state"] == "failed":
            break
        time.sleep(0.05)
    assert state["state"] == "failed" and "没有传完整" in state["reason"], state
    leftovers = os.listdir(os.path.join(media, ".uploads"))
    assert not leftovers, leftovers
    # The server is fine: the next upload's announcement is answered.
    assert announce({"file": "video", "name": "again.mp4", "size": 1000, "item": item})[0] == 200
