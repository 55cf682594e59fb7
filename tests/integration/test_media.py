"""Imported media served by djtv-server under GET /media/ over its HTTPS listener: the right
content types, a box token or a person's session required (401 without), byte ranges (206,
416), HEAD, no way out of the media root (.., %2e%2e, absolute paths, hidden folders, symbolic
links), and the real TV client playing an imported course over the server with its token."""
import http.client
import json
import os
import re
import tempfile

import harness
from harness import Server, ffmpeg

server = None
work = None
media = None
token = None  # a box of 东村
lesson = "/media/items/med-lesson"


def setup_module():
    global server, work, media, token
    server = Server("media")
    work = tempfile.mkdtemp(prefix="djtv-media-")
    media = os.path.join(work, "media")
    src = os.path.join(work, "content")
    os.makedirs(src)
    harness.make_lesson(os.path.join(src, "lesson.mp4"), 12)
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180", "-frames:v", "1",
           os.path.join(src, "poster.jpg"))
    ffmpeg("-f", "lavfi", "-i", "color=c=blue:size=64x64", "-frames:v", "1",
           os.path.join(src, "photo.png"))
    with open(os.path.join(src, "items.json"), "w", encoding="utf-8") as f:
        json.dump({"items": [
            {"key": "med-lesson", "kind": "课程", "title": "媒体测试课程", "category": "党课学习",
             "poster": "poster.jpg", "video": "lesson.mp4"},
            {"key": "med-pioneer", "kind": "优秀党员", "title": "媒体测试先锋",
             "citation": "好", "photo": "photo.png"}]}, f, ensure_ascii=False)
    r = harness.run_import(server.db, src, media)
    assert r.returncode == 0, r.stderr
    # Things that must never be served: a secret beside the root, links pointing at it.
    with open(os.path.join(work, "secret.ts"), "w") as f:
        f.write("SECRET")
    os.symlink(os.path.join(work, "secret.ts"), os.path.join(media, "items", "link.ts"))
    os.symlink(work, os.path.join(media, "items", "linkdir"))
    server.start(["--media", media])
    token = server.box_of("东村")


def teardown_module():
    server.finish(work)


def raw(method, path, tok=None, headers=None):
    """One request with PATH sent exactly as given (no client-side normalisation)."""
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=server.ssl_context(),
                                       timeout=10)
    try:
        h = dict(headers or {})
        if tok:
            h["Authorization"] = f"Bearer {tok}"
        conn.request(method, path, headers=h)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def local(path):
    with open(os.path.join(media, path[len("/media/"):]), "rb") as f:
        return f.read()


def test_types_and_bodies_with_a_box_token():
    cases = [(f"{lesson}/hls/index.m3u8", "application/vnd.apple.mpegurl"),
             (f"{lesson}/hls/seg000.ts", "video/mp2t"),
             (f"{lesson}/poster.jpg", "image/jpeg"),
             ("/media/items/med-pioneer/photo.png", "image/png")]
    for path, ctype in cases:
        status, h, body = raw("GET", path, token)
        assert status == 200 and h["content-type"] == ctype, (path, status, h)
        assert body == local(path), path
        assert h["accept-ranges"] == "bytes" and int(h["content-length"]) == len(body)


def test_a_person_session_may_fetch_too():
    staff = server.token_of("staff1")
    status, _, body = raw("GET", f"{lesson}/hls/index.m3u8", staff)
    assert status == 200 and b"#EXT-X-ENDLIST" in body


def test_no_or_bad_token_is_401():
    for tok in (None, "0" * 64, "nonsense"):
        status, h, body = raw("GET", f"{lesson}/hls/index.m3u8", tok)
        assert status == 401 and json.loads(body)["code"] == "unauthorized", (tok, status, body)
    # Revoked box: 401 as well.
    box = server.boxes[-1]
    server.sql("UPDATE boxes SET revoked = 1 WHERE id = ?", (int(box["box_id"]),))
    status, _, _ = raw("GET", f"{lesson}/poster.jpg", box["token"])
    assert status == 401


def test_ranges():
    seg = f"{lesson}/hls/seg000.ts"
    whole = local(seg)
    status, h, body = raw("GET", seg, token, {"Range": "bytes=0-99"})
    assert status == 206 and body == whole[:100], (status, h)
    assert h["content-range"] == f"bytes 0-99/{len(whole)}", h
    status, h, body = raw("GET", seg, token, {"Range": "bytes=1000-"})
    assert status == 206 and body == whole[1000:], h
    status, h, body = raw("GET", seg, token, {"Range": "bytes=-188"})
    assert status == 206 and body == whole[-188:], h
    status, h, body = raw("GET", seg, token, {"Range": f"bytes={len(whole)}-"})
    assert status == 416 and h["content-range"] == f"bytes */{len(whole)}", (status, h)
    status, h, body = raw("GET", seg, token, {"Range": "bytes=0-1,5-6"})  # not served ranged
    assert status == 200 and body == whole


def test_head():
    status, h, body = raw("HEAD", f"{lesson}/hls/seg000.ts", token)
    assert status == 200 and body == b"" and h["content-type"] == "video/mp2t", (status, h)
    assert int(h["content-length"]) == len(local(f"{lesson}/hls/seg000.ts"))


def test_a_segment_kept_in_memory_follows_its_file():
    """Whole segments are answered from memory after the first read (server/media/segcache.h);
    a segment put in place again under the same name (a new file renamed over it, as live/
    and the importer do) is read anew, and a range still comes from the file."""
    d = os.path.join(media, "items", "cache-test")
    os.makedirs(d, exist_ok=True)
    path, seg = os.path.join(d, "seg1.ts"), "/media/items/cache-test/seg1.ts"

    def put(body):
        with open(path + ".tmp", "wb") as f:
            f.write(body)
        os.rename(path + ".tmp", path)
    first = b"\x47" + b"A" * 187
    put(first * 500)
    for _ in range(3):  # a read from the file, then from memory
        status, h, body = raw("GET", seg, token)
        assert status == 200 and body == first * 500, (status, h, len(body))
        assert h["content-type"] == "video/mp2t" and h["x-content-type-options"] == "nosniff", h
        assert int(h["content-length"]) == len(body)
    status, h, body = raw("HEAD", seg, token)
    assert status == 200 and body == b"" and int(h["content-length"]) == 500 * 188, h
    second = b"\x47" + b"B" * 187
    put(second * 500)  # the same size: only the file's identity tells them apart
    status, _, body = raw("GET", seg, token)
    assert status == 200 and body == second * 500, body[:8]
    status, h, body = raw("GET", seg, token, {"Range": "bytes=188-375"})
    assert status == 206 and body == second, (status, h)
    os.remove(path)
    status, _, _ = raw("GET", seg, token)
    assert status == 404, "a removed segment is not served from memory"


def test_no_way_out_of_the_media_root():
    bad = ["/media/../djtv.db", "/media/%2e%2e/djtv.db", "/media/items/%2E%2E/%2e%2e/secret.ts",
           "/media/items/..%2f..%2fsecret.ts", "/media//etc/passwd", "/media/%2fetc%2fpasswd",
           "/media/.staging/x.ts", "/media/items/med-lesson/source.txt", "/media/items/",
           "/media/items/link.ts", "/media/items/linkdir/secret.ts",
           "/media/items/nothing.ts"]
    for path in bad:
        status, _, body = raw("GET", path, token)
        assert status in (400, 404), (path, status)
        assert b"SECRET" not in body and b"SQLite" not in body, path
        assert json.loads(body)["code"] in ("bad_request", "not_found"), (path, body)
    status, _, _ = raw("POST", f"{lesson}/poster.jpg", token)
    assert status == 405
    # A NUL decoded from %00 ends the name where libmicrohttpd ends it: the file before it, as
    # what it is (no type confusion), never something else.
    status, h, _ = raw("GET", f"{lesson}/hls/seg000.ts%00.jpg", token)
    assert status in (200, 400, 404) and h.get("content-type") != "image/jpeg", (status, h)


def test_the_tv_client_plays_an_imported_course_over_the_server():
    d = harness.out_dir("media_play")
    token_path = os.path.join(d, "token")
    with open(token_path, "w") as f:
        f.write(token + "\n")
    url = f"{server.url}{lesson}/hls/index.m3u8"
    base = [os.path.join(harness.BUILD, "djtv"), "--headless", "--font", harness.FONT,
            "--ca", server.ca, "--server", server.url, "--log-level", "debug"]
    env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy")
    run = harness.run_djtv(base + ["--token-file", token_path, "--play", url,
                                   "--play-seconds", "3"], d, os.path.join(d, "none"),
                           None, env, 60)
    assert run.code == 0, run.log[-3000:]
    stats = json.loads(re.findall(r"final stats (\{.*\})", run.log)[-1])
    assert stats["error"] == "none" and stats["played_s"] >= 3, stats
    assert stats["video_codec"] == "h264" and abs(stats["duration_s"] - 12) < 1, stats
    assert token not in run.log  # never logged
    # Without the token the same URL is refused by the server: the player says so.
    d2 = harness.out_dir("media_play_noauth")
    run = harness.run_djtv(base + ["--play", url, "--play-seconds", "3"], d2,
                           os.path.join(d2, "none"), None, env, 60)
    stats = json.loads(re.findall(r"final stats (\{.*\})", run.log)[-1])
    assert stats["error"] != "none" and stats["played_s"] == 0, stats
    # A symbolic link out of the root is caught by its real path (asked here, so that the
    # test stands alone too), and the server says so in its log.
    status, _, _ = raw("GET", "/media/items/link.ts", token)
    assert status == 404, status
    assert "refused a path" in server.log_text()


def test_the_token_goes_to_the_server_origin_only():
    """Two playlists on the server whose segments are absolute URLs: on the server's own origin
    (https://127.0.0.1:PORT) they play; on another origin (https://localhost:PORT, the same
    server under another name) the client sends no token, so the server refuses them."""
    with open(os.path.join(media, "items", "med-lesson", "hls", "index.m3u8")) as f:
        text = f.read()
    for name, origin in (("same", server.url), ("other", f"https://localhost:{server.port}")):
        d = os.path.join(media, "items", f"xo-{name}")
        os.makedirs(d)
        body = re.sub(r"^(seg\d+\.ts)$", rf"{origin}{lesson}/hls/\1", text, flags=re.M)
        with open(os.path.join(d, "index.m3u8"), "w") as f:
            f.write(body)
    d = harness.out_dir("media_origin")
    token_path = os.path.join(d, "token")
    with open(token_path, "w") as f:
        f.write(token + "\n")
    env = dict(os.environ, SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy")
    results = {}
    for name in ("same", "other"):
        cmd = [os.path.join(harness.BUILD, "djtv"), "--headless", "--font", harness.FONT,
               "--ca", server.ca, "--server", server.url, "--token-file", token_path,
               "--play", f"{server.url}/media/items/xo-{name}/index.m3u8",
               "--play-seconds", "2", "--log-level", "debug"]
        run = harness.run_djtv(cmd, d, os.path.join(d, "none"), None, env, 60)
        results[name] = json.loads(re.findall(r"final stats (\{.*\})", run.log)[-1])
    assert results["same"]["error"] == "none" and results["same"]["played_s"] >= 2, results
    assert results["other"]["played_s"] == 0 and results["other"]["error"] != "none", results
