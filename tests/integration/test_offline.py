"""Offline, end to end: the real server (stopped and started again on the same port and
database), the real client headless with a data directory (--data-dir), key scripts, the UI
dump and the database.

- The home screen read once is shown again when the server is down, marked 离线 with the time
  of the copy, and works like the real thing.
- A service request made with the red key while the server is down is kept on the box; the
  client is then killed with SIGKILL (as a power cut would); after the server and the box are
  back it arrives exactly once, and the box says so.
- A check-in made while the server is down is kept too; the roll call closes meanwhile, and
  after the restart the box shows the server's refusal and no check-in row appears.
- An exam answered while the server is down: the answers are kept on the box (the screen says
  so), the power is cut, and after the restart the attempt arrives and is scored and credited
  once; the box's outbox sending it again (a reply lost with the power) adds nothing.
- The server takes a box's idempotency key once per box and household (requests, quiz attempts,
  questionnaire answers); malformed keys get a clear 400, a key used for something else 409."""
import os
import shutil
import sqlite3
import tempfile

import boxflow
import harness
from harness import Server, contrast, find_text, run_client, texts


def readable(step):
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"


def household_of(server, token):
    for b in server.boxes:
        if b["token"] == token:
            return int(b["household_id"])
    raise KeyError(token)


def power_cut(client, step):
    """Wait for dump STEP, then SIGKILL the client: no chance to tidy up. Returns the step."""
    try:
        shown = client.wait_step(step, timeout=60)
    finally:
        client.proc.kill()
        client.proc.wait()
        client.log_file.close()
    return shown


def test_home_from_the_last_copy_when_the_server_is_down():
    server = Server("offline-home").start()
    data = tempfile.mkdtemp(prefix="djtv-box-data-")
    try:
        token = server.boxes[0]["token"]
        run = run_client("offline_home_online", server.url, server.ca, token,
                         ["wait-screen home 20000"], extra=["--data-dir", data])
        assert run.code == 0, run.log[-3000:]
        assert not find_text(run.last(), "离线"), texts(run.last())
        assert find_text(run.last(), "正在直播"), texts(run.last())
        assert server.stop() == 0
        run = run_client("offline_home_down", server.url, server.ca, token,
                         ["wait-screen home 20000", "RIGHT"], extra=["--data-dir", data])
        assert run.code == 0, run.log[-3000:]
        home = run.step(0)
        assert home["screen"] == "home" and not home["loading"], home
        mark = find_text(home, "离线")
        assert mark and "的内容" in mark["text"], texts(home)
        for title in ("党务公开", "党群直播", "党风评议"):
            assert find_text(home, title), texts(home)
        readable(home)
        assert not find_text(home, "正在直播"), "what is live cannot be known offline"
        assert run.step(1)["focus"] == "section.live", "the copy works like the real thing"
        # Without a data directory there is no copy: the plain error, as before.
        run = run_client("offline_home_nocopy", server.url, server.ca, token, ["wait 3000"])
        assert not find_text(run.last(), "离线"), texts(run.last())
        assert not find_text(run.last(), "党务公开"), texts(run.last())
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


def test_service_request_made_offline_arrives_once_after_a_power_cut():
    server = Server("offline-service").start()
    data = tempfile.mkdtemp(prefix="djtv-box-data-")
    try:
        token = server.box_of("西村", 2)
        household = household_of(server, token)

        def rows():
            return server.sql("SELECT id, category, phone FROM service_requests"
                              " WHERE household_id = ? ORDER BY id", (household,))

        before = rows()
        extra = ["--data-dir", data]
        # Online once: the box keeps its copies (home, the needs, the household's requests).
        run = run_client("offline_service_online", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait-text 一键服务 10000"], extra=extra)
        assert run.code == 0, run.log[-3000:]
        assert server.stop() == 0
        c = boxflow.LiveClient("offline_service_down", server, token, [
            "wait-screen home 20000",            # 1 from the copy
            "wait-text 一键服务 10000",           # 2
            "RED",                               # 3
            "wait-text 1 农业技术服务 10000",      # 4 the needs from the copy
            "1",                                 # 5
            *"13800138000",                      # 6-16
            "OK",                                # 17 the number
            "OK",                                # 18 发送
            "wait-text 网络恢复后自动发出 20000",   # 19
            "wait 60000",                        # 20 (the power is cut before)
        ], extra=extra)
        kept = power_cut(c, 19)
        assert not kept.get("timeout"), texts(kept)
        assert find_text(kept, "已经保存"), texts(kept)
        readable(kept)
        assert rows() == before
        server.start()
        run = run_client("offline_service_back", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait-text 离线时提交的内容已经送到 30000"],
                         extra=extra)
        assert run.code == 0, run.log[-3000:]
        told = run.step(1)
        assert not told.get("timeout"), texts(told)
        readable(told)
        after = rows()
        assert len(after) == len(before) + 1, after
        assert after[-1][1] == "agri_tech" and after[-1][2] == "13800138000", after
        # Nothing is left to send: another start sends nothing, still one request.
        run = run_client("offline_service_again", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait 3000"], extra=extra)
        assert run.code == 0, run.log[-3000:]
        assert not find_text(run.last(), "离线时提交"), texts(run.last())
        assert rows() == after
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


def test_checkin_made_offline_after_the_rollcall_closed_shows_the_refusal():
    server = Server("offline-checkin").start()
    data = tempfile.mkdtemp(prefix="djtv-box-data-")
    try:
        boxflow.end_all_live(server)
        token = server.box_of("东村", 1)
        cadre = server.token_of(server.cadre_of("东村"))
        bid = boxflow.start_broadcast(server, cadre, "东村离线会议")
        c = boxflow.LiveClient("offline_checkin_down", server, token, [
            "wait-screen home 20000",            # 1
            "wait-text 点名签到 20000",           # 2 the prompt over home
            "wait 1500",                         # 3 (the server goes away here)
            "OK",                                # 4 sign in, no server
            "wait-text 签到已保存 20000",          # 5
            "wait 60000",                        # 6 (the power is cut before)
        ], extra=["--data-dir", data])
        c.wait_log("event stream open")
        c.wait_step(1)
        status, rc = server.request("POST", f"/api/v1/broadcasts/{bid}/rollcalls", cadre)
        assert status == 200, rc
        c.wait_step(2)
        assert server.stop() == 0
        kept = power_cut(c, 5)
        assert not kept.get("timeout"), texts(kept)
        readable(kept)
        server.start()
        # The roll call ends while the box is off.
        server.sql("UPDATE rollcalls SET closed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
                   " WHERE id = ?", (rc["id"],))
        run = run_client("offline_checkin_back", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait-text 签到已经结束 30000"],
                         extra=["--data-dir", data])
        assert run.code == 0, run.log[-3000:]
        told = run.step(1)
        assert not told.get("timeout"), texts(told)
        assert find_text(told, "离线时的签到没有记上"), texts(told)
        readable(told)
        assert server.sql("SELECT count(*) FROM checkins WHERE rollcall_id = ?",
                          (rc["id"],))[0][0] == 0
        boxflow.stop_broadcast(server, cadre, bid)
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


def test_server_takes_the_idempotency_key_once_per_box():
    server = Server("offline-idem").start()
    try:
        token = server.boxes[0]["token"]
        body = {"category": "consult", "phone": "13800138000", "note": "重发的请求",
                "idempotency_key": "box-key-0001"}
        s1, r1 = server.request("POST", "/api/v1/requests", token, body)
        s2, r2 = server.request("POST", "/api/v1/requests", token, body)
        assert s1 == 200 and s2 == 200, (s1, r1, s2, r2)
        assert r1["id"] == r2["id"], (r1, r2)
        assert server.sql("SELECT count(*) FROM service_requests WHERE note = ?",
                          ("重发的请求",))[0][0] == 1
        # Another box (another household) with the same key makes its own request and never
        # sees the first one.
        other = next(b["token"] for b in server.boxes
                     if b["household_id"] != server.boxes[0]["household_id"])
        s3, r3 = server.request("POST", "/api/v1/requests", other, body)
        assert s3 == 200 and r3["id"] != r1["id"], r3
        assert server.sql("SELECT household_id FROM service_requests WHERE id = ?",
                          (r3["id"],))[0][0] != server.sql(
            "SELECT household_id FROM service_requests WHERE id = ?", (r1["id"],))[0][0]
        # Without a token, nothing.
        s, _ = server.request("POST", "/api/v1/requests", None, body)
        assert s == 401, s
        # Malformed keys: a clear 400, nothing stored.
        n = server.sql("SELECT count(*) FROM service_requests")[0][0]
        for bad in ("short", 12345678, "x" * 65, "has space 0001", "key\n00001", "键键键键键键键键",
                    "../../etc/x", None, ["box-key-0002"]):
            s, r = server.request("POST", "/api/v1/requests", token,
                                  dict(body, idempotency_key=bad))
            assert s == 400 and r.get("message"), (bad, s, r)
        assert server.sql("SELECT count(*) FROM service_requests")[0][0] == n
    finally:
        assert server.stop() == 0
        server.cleanup()


def test_quiz_attempt_sent_twice_with_its_key_is_scored_once():
    """What the box's outbox relies on for a quiz answered offline: the same attempt sent again
    (a lost reply, a restart) with its idempotency key is scored and credited once."""
    server = Server("offline-quiz").start()
    try:
        token = server.boxes[0]["token"]
        status, body = server.get("/api/v1/sections/study/items", token)
        assert status == 200, body
        exam = next(i for i in body["items"] if i["kind"] == "考试")
        status, item = server.get(f"/api/v1/items/{exam['id']}", token)
        assert status == 200, item
        member = server.members(token)[0]
        answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]}
                   for q in item["form"]["questions"]]
        path = f"/api/v1/quizzes/{exam['id']}/attempts"
        attempt = {"member_id": member, "answers": answers, "idempotency_key": "quiz-key-0001"}
        s1, r1 = server.request("POST", path, token, attempt)
        s2, r2 = server.request("POST", path, token, attempt)
        assert s1 == 200 and s2 == 200, (r1, r2)
        assert r1["score"] == r2["score"] and r1["passed"], (r1, r2)
        assert r1["credited"] and not r2["credited"], (r1, r2)

        def attempts():
            return server.sql("SELECT count(*) FROM quiz_attempts WHERE content_id = ?"
                              " AND member_id = ?", (exam["id"], member))[0][0]

        def credits():
            return server.sql("SELECT count(*) FROM credits WHERE member_id = ?", (member,))[0][0]

        assert attempts() == 1 and credits() == 1
        # Without a key, a second attempt is a new attempt (a member may try again).
        s3, _ = server.request("POST", path, token, dict(attempt, idempotency_key="quiz-key-0002"))
        assert s3 == 200 and attempts() == 2
        # A key the box used for a service request is not an attempt's: refused, nothing added.
        s, r = server.request("POST", "/api/v1/requests", token,
                              {"category": "consult", "phone": "13800138000",
                               "idempotency_key": "shared-key-01"})
        assert s == 200, r
        s, r = server.request("POST", path, token, dict(attempt, idempotency_key="shared-key-01"))
        assert s == 409 and r.get("message"), (s, r)
        assert attempts() == 2
        # Malformed keys: 400; another household's member: refused as before.
        for bad in ("short", "has space 0001", 12345678):
            s, r = server.request("POST", path, token, dict(attempt, idempotency_key=bad))
            assert s == 400 and r.get("message"), (bad, s, r)
        other = next(b["token"] for b in server.boxes
                     if b["household_id"] != server.boxes[0]["household_id"])
        s, r = server.request("POST", path, other, attempt)
        assert s in (403, 404), (s, r)
        assert attempts() == 2
    finally:
        assert server.stop() == 0
        server.cleanup()


# The demo exam's right options (assets/demo/content.json), 0-based.
EXAM_RIGHT = [0, 1, 1, 0, 1, 0, 0, 0, 0, 0]


def exam_row(server, token):
    """(row in the study list, item id) of the demo exam."""
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    assert status == 200, listing
    for i, it in enumerate(listing["items"]):
        if it["kind"] == "考试":
            return i, it["id"]
    raise AssertionError(listing)


def snapshot_outbox(data, into):
    """A clean copy of the box's offline.db (the client is dead: nothing else has it open)."""
    src = sqlite3.connect(os.path.join(data, "offline.db"))
    dst = sqlite3.connect(into)
    src.backup(dst)
    dst.close()
    src.close()


def restore_outbox(data, copy):
    for name in os.listdir(data):
        if name.startswith("offline.db"):
            os.remove(os.path.join(data, name))
    shutil.copy(copy, os.path.join(data, "offline.db"))


def test_exam_answered_offline_is_scored_once():
    server = Server("offline-exam").start()
    data = tempfile.mkdtemp(prefix="djtv-box-data-")
    try:
        token = server.box_of("东村", 0)
        member = server.members(token)[0]
        row, exam = exam_row(server, token)

        def attempts():
            return server.sql("SELECT member_id, score, passed FROM quiz_attempts"
                              " WHERE content_id = ?", (exam,))

        def credits():
            return server.sql("SELECT points FROM credits WHERE member_id = ? AND"
                              " reason = 'exam_passed' AND ref_id = ?", (member, exam))

        keys = ["wait-screen home 20000", "RIGHT 2", "OK", "wait-screen section.study 20000",
                harness.study_poster_key(row), "OK", "wait-screen form 20000",   # 1-7
                "1"]                                                                   # 8 who
        keys += [str(a + 1) for a in EXAM_RIGHT[:4]]                                   # 9-12
        keys += ["wait-text 第 5/10 题 10000",                                          # 13
                 "wait 4000"]                                      # 14 the server goes away
        keys += [str(a + 1) for a in EXAM_RIGHT[4:]]                                   # 15-20
        keys += ["wait-text 答完了 5000",                                               # 21
                 "OK",                                                                 # 22 提交
                 "wait-text 答案已经保存 20000",                                         # 23
                 "shot",                                                               # 24
                 "wait 60000"]                                # 25 (the power is cut before)
        c = boxflow.LiveClient("offline_exam_down", server, token, keys,
                               extra=["--data-dir", data])
        try:
            on5 = c.wait_step(13, timeout=60)
            assert not on5.get("timeout"), texts(on5)
            assert server.stop() == 0
        except BaseException:
            c.proc.kill()
            c.proc.wait()
            c.log_file.close()
            raise
        kept = power_cut(c, 24)
        assert not kept.get("timeout"), texts(kept)
        assert kept["state"]["form_phase"] == "kept", kept["state"]
        assert find_text(kept, "网络恢复后会自动提交"), texts(kept)
        readable(kept)
        assert not os.path.exists(os.path.join(data, f"form-{exam}.json")), \
            "the outbox holds the answers now, not the draft"
        copy = os.path.join(tempfile.mkdtemp(prefix="djtv-outbox-"), "offline.db")
        snapshot_outbox(data, copy)

        server.start()
        assert attempts() == []
        run = run_client("offline_exam_back", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait-text 离线时的答卷已经送到 30000"],
                         extra=["--data-dir", data])
        assert run.code == 0, run.log[-3000:]
        told = run.step(1)
        assert not told.get("timeout"), texts(told)
        assert find_text(told, "得分 100 分，获得 2 学分"), texts(told)
        readable(told)
        assert attempts() == [(member, 100, 1)], attempts()
        assert credits() == [(2,)], credits()

        # The reply was lost with the power (the box's outbox still holds the attempt): sent
        # again with its key, it is the same attempt, scored once and credited once.
        restore_outbox(data, copy)
        run = run_client("offline_exam_again", server.url, server.ca, token,
                         ["wait-screen home 20000", "wait-text 离线时的答卷已经送到 30000"],
                         extra=["--data-dir", data])
        assert run.code == 0, run.log[-3000:]
        again = run.step(1)
        assert not again.get("timeout"), texts(again)
        assert find_text(again, "得分 100 分"), texts(again)
        assert not find_text(again, "获得 2 学分"), texts(again)
        assert attempts() == [(member, 100, 1)], attempts()
        assert credits() == [(2,)], credits()
        shutil.rmtree(os.path.dirname(copy), ignore_errors=True)
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)


def test_questionnaire_answer_sent_twice_with_its_key_is_taken_once():
    """What the outbox relies on for a questionnaire answered offline: the same answer sent again
    with its key is accepted again and counted once; a key used for another questionnaire, or
    another member's answer without the key, gets the clear refusals."""
    server = Server("offline-questionnaire").start()
    try:
        token = server.box_of("东村", 0)
        status, listing = server.get("/api/v1/sections/evaluation/items?page=1&per_page=50",
                                     token)
        assert status == 200, listing
        forms = []
        for it in listing["items"]:
            status, item = server.get(f"/api/v1/items/{it['id']}", token)
            if status == 200 and item.get("form") and not item["form"].get("anonymous"):
                forms.append(item)
        assert len(forms) >= 1, listing
        item = forms[0]
        members = server.members(token)
        answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]}
                   for q in item["form"]["questions"]]
        path = f"/api/v1/questionnaires/{item['id']}/responses"
        body = {"member_id": members[0], "answers": answers, "idempotency_key": "answer-key-01"}

        def responses():
            return server.sql("SELECT member_id FROM responses WHERE content_id = ?",
                              (item["id"],))

        s1, r1 = server.request("POST", path, token, body)
        s2, r2 = server.request("POST", path, token, body)
        assert s1 == 200 and s2 == 200 and r1 == r2 and r1["accepted"], (r1, r2)
        assert responses() == [(members[0],)]
        # A new key for the same member: answered once per member, as before.
        s, r = server.request("POST", path, token, dict(body, idempotency_key="answer-key-02"))
        assert s == 409 and r.get("code") == "already_answered", (s, r)
        # A key the box used for a service request: 409, nothing added.
        s, r = server.request("POST", "/api/v1/requests", token,
                              {"category": "consult", "phone": "13800138000",
                               "idempotency_key": "shared-key-02"})
        assert s == 200, r
        if len(members) > 1:
            s, r = server.request("POST", path, token,
                                  dict(body, member_id=members[1], idempotency_key="shared-key-02"))
            assert s == 409 and r.get("code") != "already_answered", (s, r)
        for bad in ("short", "has space 0001", 12345678, "x" * 65):
            s, r = server.request("POST", path, token, dict(body, idempotency_key=bad))
            assert s == 400 and r.get("message"), (bad, s, r)
        assert responses() == [(members[0],)]
    finally:
        assert server.stop() == 0
        server.cleanup()
