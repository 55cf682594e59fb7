"""Upload jobs survive a restart (issue 11: anything acknowledged to a user is durable): a job
whose file was received is finished by the next run of the server on the same database and
media folder, after a SIGTERM and after a SIGKILL in the middle of its conversion; the job
route then says done and the village's box lists the item, once. A file that was half sent
when the server died, or whose kept copy is gone, ends failed with a plain reason and no item.
After the restart another township's staff, a cadre and a box are still refused the job."""
import http.client
import os
import time

from harness import Server, ffmpeg, staff_session

server = None
media = None
staff = cadre = box = north_staff = None
dong_id = None
ARGS = None


def setup_module():
    global server, media, staff, cadre, box, north_staff, dong_id, ARGS
    server = Server("upload_restart")
    media = os.path.join(server.dir, "media")
    ARGS = ["--media", media, "--rate-limit", "1000"]
    server.start(ARGS)
    s = staff_session(server)
    staff, cadre, box, north_staff, dong_id = s.staff, s.cadre, s.box, s.north_staff, s.dong_id


def teardown_module():
    server.finish()


def kill_server():
    """SIGKILL: no shutdown path runs, as when the power goes."""
    server.proc.kill()
    server.proc.wait()
    server.log.close()
    server.proc = None


def make_video(name, seconds):
    """MPEG-4 Part 2 / MP3: boxes play H.264/AAC, so the server transcodes it (takes a while)."""
    path = os.path.join(server.dir, name)
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
           "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds), "-c:v", "mpeg4",
           "-q:v", "5", "-c:a", "libmp3lame", path)
    with open(path, "rb") as f:
        return f.read()


def announce_video(title, size):
    status, job = server.request("POST", "/api/v1/staff/uploads", staff, body={
        "file": "video", "name": "lesson.mp4", "size": size,
        "item": {"kind": "视频", "title": title, "category": "南湖播报", "village_id": dong_id}})
    assert status == 200 and job["state"] == "waiting", job
    return job["id"]


def send(job_id, data):
    status, reply = server.request("PUT", f"/api/v1/staff/uploads/{job_id}/file", staff,
                                   body=data,
                                   headers={"Content-Type": "application/octet-stream"})
    assert status == 200 and reply["state"] == "queued", reply


def job_state(job_id, token=None):
    status, job = server.get(f"/api/v1/staff/uploads/{job_id}", token or staff)
    assert status == 200, job
    return job


def wait_job(job_id, timeout=180):
    end = time.monotonic() + timeout
    job = None
    while time.monotonic() < end:
        job = job_state(job_id)
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"upload {job_id} did not finish: {job}")


def listed_for_box(item_id):
    status, items = server.get("/api/v1/sections/video/items?per_page=50", box)
    assert status == 200, items
    return [i for i in items["items"] if i["id"] == item_id]


def items_titled(title):
    return server.sql("SELECT count(*) FROM content WHERE title = ?", (title,))[0][0]


def test_a_queued_job_is_finished_after_sigterm():
    data = make_video("term.mp4", 4)
    job_id = announce_video("关机前传好的视频", len(data))
    send(job_id, data)
    assert server.stop() == 0
    server.start(ARGS)
    done = wait_job(job_id)
    assert done["state"] == "done" and done["item_id"], done
    assert done["received"] == len(data) and done["media_url"].endswith("/hls/index.m3u8"), done
    assert listed_for_box(done["item_id"]), "the box does not list the uploaded video"
    assert items_titled("关机前传好的视频") == 1
    assert not os.path.exists(os.path.join(media, ".uploads", f"{job_id}.part"))


def test_a_job_killed_mid_conversion_is_converted_again():
    data = make_video("kill.mp4", 30)
    job_id = announce_video("转码时断电的视频", len(data))
    send(job_id, data)
    # Kill the server while the worker is converting (a 30 s transcode takes seconds).
    end = time.monotonic() + 60
    state = job_state(job_id)
    while state["state"] not in ("converting", "done", "failed") and time.monotonic() < end:
        time.sleep(0.02)
        state = job_state(job_id)
    assert state["state"] == "converting", state
    kill_server()
    assert items_titled("转码时断电的视频") == 0
    # As if the run had died after putting the media in place but before writing the item:
    # a folder of this job that no item points to, removed at the restart.
    orphan = os.path.join(media, "items", f"upload-1796000000-{job_id}")
    os.makedirs(os.path.join(orphan, "hls"))
    server.start(ARGS)
    assert "1 resumed" in server.log_text(), "the restart did not resume the job"
    done = wait_job(job_id)
    assert done["state"] == "done" and done["item_id"], done
    assert listed_for_box(done["item_id"])
    assert items_titled("转码时断电的视频") == 1  # made once, not once per try
    # Nothing of the killed try is left beside it.
    assert not os.path.exists(orphan)
    staging = os.path.join(media, ".staging")
    assert not [d for d in (os.listdir(staging) if os.path.isdir(staging) else [])
                if d.startswith("upload-")]
    # Still only staff of this township see the job.
    assert server.get(f"/api/v1/staff/uploads/{job_id}", north_staff)[0] == 404
    assert server.get(f"/api/v1/staff/uploads/{job_id}", cadre)[0] == 403
    assert server.get(f"/api/v1/staff/uploads/{job_id}", box)[0] == 403
    assert server.get(f"/api/v1/staff/uploads/{job_id}")[0] == 401


def test_a_kept_file_that_is_gone_fails_the_job_with_a_reason():
    data = make_video("gone.mp4", 30)
    job_id = announce_video("文件丢了的视频", len(data))
    send(job_id, data)
    kill_server()  # the transcode of 30 s cannot be done yet
    part = os.path.join(media, ".uploads", f"{job_id}.part")
    assert os.path.exists(part)
    os.unlink(part)
    server.start(ARGS)
    failed = job_state(job_id)
    assert failed["state"] == "failed" and "找不到上传的文件" in failed["reason"], failed
    assert failed["item_id"] is None, failed
    assert items_titled("文件丢了的视频") == 0


def test_a_file_half_sent_when_the_server_died_fails_the_job():
    job_id = announce_video("传了一半断电", 200000)
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    conn.putrequest("PUT", f"/api/v1/staff/uploads/{job_id}/file")
    conn.putheader("Authorization", f"Bearer {staff}")
    conn.putheader("Content-Length", "200000")
    conn.endheaders()
    conn.send(b"\0" * 50000)
    end = time.monotonic() + 20
    while job_state(job_id)["state"] != "receiving" and time.monotonic() < end:
        time.sleep(0.02)
    assert job_state(job_id)["state"] == "receiving"
    kill_server()
    conn.close()
    server.start(ARGS)
    failed = job_state(job_id)
    assert failed["state"] == "failed" and "没有传完" in failed["reason"], failed
    assert not os.path.exists(os.path.join(media, ".uploads", f"{job_id}.part"))
    assert items_titled("传了一半断电") == 0
    # A job still waiting for its file when the server restarted can still be sent.
    waiting = announce_video("重启后再传", 1000)
    assert server.stop() == 0
    server.start(ARGS)
    assert job_state(waiting)["state"] == "waiting"
    status, reply = server.request("PUT", f"/api/v1/staff/uploads/{waiting}/file", north_staff,
                                   body=b"\0" * 1000)
    assert status == 404, reply
