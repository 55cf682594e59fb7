"""Quizzes and exams on the TV, end to end: the real server, the real client headless with key
scripts, checked through the UI dump, the screenshots and the database.

- The exam is answered with the digit keys, one question per page; the box loses power (the
  client is killed) mid-exam; started again, it goes on at the next question with the earlier
  answers kept; the summary, 提交, the score and "获得 2 学分" on screen; the attempt and the
  credit row in the database agree with the answers given before and after the power cut.
- An exam whose time runs out is sent by itself: what was answered counts, the rest is wrong.
"""
import json
import os
import shutil
import signal

import boxflow
import harness
from harness import Server, contrast, find_text, run_client, texts

server = None
DATA = None
# The demo exam's right options (assets/demo/content.json), 0-based.
RIGHT = [0, 1, 1, 0, 1, 0, 0, 0, 0, 0]


def setup_module():
    global server, DATA
    server = Server("client-forms").start()
    DATA = harness.out_dir("client_forms_data")


def teardown_module():
    server.finish()


def readable(step):
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"


def exam_row(token):
    """(row in the study list, item id) of the demo exam."""
    status, listing = server.get("/api/v1/sections/study/items?page=1&per_page=50", token)
    assert status == 200, listing
    for i, it in enumerate(listing["items"]):
        if it["kind"] == "考试":
            return i, it["id"]
    raise AssertionError(listing)


def open_exam_keys(row):
    return ["wait-screen home 20000", "RIGHT 2", "OK", "wait-screen section.study 20000",
            harness.study_poster_key(row), "OK", "wait-screen form 20000"]


def state(step):
    return step["state"]


def test_exam_survives_a_power_cut_and_earns_its_credits():
    token = server.box_of("东村", 0)
    member = server.members(token)[0]
    row, exam = exam_row(token)
    data = os.path.join(DATA, "box1")
    shutil.rmtree(data, ignore_errors=True)
    # Before the power cut: the member, then questions 1-4 (1 and 2 right, 3 and 4 wrong).
    first = [RIGHT[0], RIGHT[1], (RIGHT[2] + 1) % 4, (RIGHT[3] + 1) % 4]
    keys = open_exam_keys(row) + ["1"]                              # who: the first member
    keys += [str(a + 1) for a in first]
    keys += ["wait-text 第 5/10 题 5000", "wait 60000"]
    c = boxflow.LiveClient("client_forms_before_cut", server, token, keys,
                           extra=["--data-dir", data])
    try:
        on5 = c.wait_step(len(keys) - 1, timeout=60)
        assert state(on5)["form_phase"] == "question" and state(on5)["question"] == 5, on5
        c.proc.send_signal(signal.SIGKILL)                          # the power cut
    finally:
        c.finish()
    saved = json.load(open(os.path.join(data, f"form-{exam}.json")))
    assert saved["member_id"] == member and saved["page"] == 4, saved
    assert [q["chosen"] for q in saved["questions"][:4]] == [1 << a for a in first], saved
    assert not server.sql("SELECT id FROM quiz_attempts WHERE content_id = ?", (exam,))

    # Power back: the same exam opens at question 5 with the answers kept.
    rest = RIGHT[4:]
    keys = open_exam_keys(row) + ["wait-text 接着答第 5 题 5000"]      # 7
    keys += [str(a + 1) for a in rest]                              # 8-13
    keys += ["wait-text 答完了 5000",                                # 14: the summary
             "LEFT", "shot",                                        # 15-16: back to question 10
             "RIGHT", "wait-text 答完了 5000",                        # 17-18: and on again
             "OK",                                                  # 19: 提交
             "wait-text 得分 20000",                                  # 20
             "OK", "wait-screen section.study 10000"]               # 21-22
    run = run_client("client_forms_after_cut", server.url, server.ca, token, keys,
                     extra=["--data-dir", data])
    assert run.code == 0, run.log[-3000:]
    resumed = run.step(7)
    assert state(resumed)["question"] == 5 and state(resumed)["member_id"] == member, resumed
    assert state(resumed)["choices"][:4] == [1 << a for a in first], resumed
    assert find_text(resumed, "第 5/10 题") and find_text(resumed, "剩余"), texts(resumed)
    assert find_text(resumed, harness_prompt(exam, 4)), texts(resumed)
    summary = run.step(14)
    assert state(summary)["form_phase"] == "summary" and find_text(summary, "已答 10 题")
    assert find_text(run.step(15), "第 10/10 题"), texts(run.step(15))
    result = run.step(20)
    assert state(result)["form_phase"] == "result", result
    assert state(result)["score"] == 80 and state(result)["credited"] is True, state(result)
    assert find_text(result, "得分 80 分") and find_text(result, "获得 2 学分"), texts(result)
    for s in (resumed, summary, result):
        readable(s)
    assert run.step(22)["screen"] == "section.study"
    rows = server.sql("SELECT member_id, score, correct, questions, passed FROM quiz_attempts"
                      " WHERE content_id = ?", (exam,))
    assert rows == [(member, 80, 8, 10, 1)], rows
    credits = server.sql("SELECT points FROM credits WHERE member_id = ? AND reason ="
                         " 'exam_passed' AND ref_id = ?", (member, exam))
    assert credits == [(2,)], credits
    assert not os.path.exists(os.path.join(data, f"form-{exam}.json")), "the draft is gone"


def harness_prompt(exam, i):
    status, item = server.get(f"/api/v1/items/{exam}", server.box_of("东村", 0))
    assert status == 200, item
    return item["form"]["questions"][i]["prompt"][:8]


def test_exam_that_times_out_is_sent_by_itself():
    token = server.box_of("西村", 0)
    member = server.members(token)[0]
    row, exam = exam_row(token)
    server.sql("UPDATE quizzes SET time_limit_s = 12 WHERE content_id = ?", (exam,))
    data = os.path.join(DATA, "box2")
    shutil.rmtree(data, ignore_errors=True)
    keys = open_exam_keys(row) + ["1",                   # 7: who
                                  str(RIGHT[0] + 1),     # 8: question 1 right
                                  str(RIGHT[1] + 1),     # 9: question 2 right
                                  "wait-text 得分 30000",  # 10: the time runs out
                                  "shot"]                # 11
    try:
        run = run_client("client_forms_timeout", server.url, server.ca, token, keys,
                         extra=["--data-dir", data])
    finally:
        server.sql("UPDATE quizzes SET time_limit_s = 900 WHERE content_id = ?", (exam,))
    assert run.code == 0, run.log[-3000:]
    q3 = run.step(9)
    clock = [t for t in texts(q3) if "剩余" in t]
    assert clock and state(q3)["remaining_s"] <= 12, (clock, state(q3))
    result = run.step(10)
    assert state(result)["form_phase"] == "result" and state(result)["score"] == 20, result
    assert find_text(result, "考试时间到"), texts(result)
    assert find_text(result, "没有得到学分"), texts(result)
    readable(result)
    assert "the time ran out" in run.log
    rows = server.sql("SELECT member_id, score, correct, passed FROM quiz_attempts"
                      " WHERE content_id = ? AND member_id = ?", (exam, member))
    assert rows == [(member, 20, 2, 0)], rows


def evaluation_row(token, title):
    status, listing = server.get("/api/v1/sections/evaluation/items?page=1&per_page=50", token)
    assert status == 200, listing
    for i, it in enumerate(listing["items"]):
        if it["title"] == title:
            return i, it["id"]
    raise AssertionError(listing)


def open_evaluation_keys(row):
    return ["wait-screen home 20000", "6", "wait-screen section.evaluation 20000",
            f"DOWN {row}" if row else "wait 10", "OK", "wait-screen form 20000"]


def test_anonymous_questionnaire_once_per_member():
    token = server.box_of("东村", 1)
    member, other = server.members(token)[:2]
    row, form = evaluation_row(token, "镇领导班子民主评议")
    keys = open_evaluation_keys(row) + ["wait-text 谁来答题 5000",     # 6
                                        "1", "1", "2", "1",           # 7-10: who, 3 answers
                                        "wait-text 答完了 5000",        # 11
                                        "OK",                         # 12: 提交
                                        "wait-text 提交成功 20000"]      # 13
    run = run_client("client_forms_anonymous", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    for i in range(6, 14):
        step = run.step(i)
        assert step["screen"] == "form" and find_text(step, "匿名"), (i, texts(step))
        readable(step)
    assert state(run.step(8))["form_phase"] == "question", run.step(8)
    assert state(run.step(13))["form_phase"] == "result", run.step(13)
    # An anonymous vote: a ballot, the counters, no row naming the member.
    assert server.sql("SELECT count(*) FROM ballots WHERE content_id = ?", (form,)) == [(1,)]
    assert not server.sql("SELECT id FROM responses WHERE content_id = ?", (form,))
    status, item = server.get(f"/api/v1/items/{form}", token)
    assert item["form"]["answered_by"] == [member], item["form"]
    q1 = item["form"]["questions"][0]
    votes = server.sql("SELECT votes FROM question_options WHERE id = ?", (q1["options"][0]["id"],))
    assert votes == [(1,)], votes

    # A second time: the screen says so before anything is answered, and the server refuses.
    run = run_client("client_forms_anonymous_again", server.url, server.ca, token,
                     open_evaluation_keys(row) + ["wait-text 谁来答题 5000",  # 6
                                                  "1",                      # 7
                                                  "wait-text 已经答过 5000"])  # 8
    assert run.code == 0, run.log[-3000:]
    who = run.step(6)
    assert find_text(who, "（已答过）") and find_text(who, "匿名"), texts(who)
    again = run.step(8)
    assert state(again)["form_phase"] == "answered", again
    assert find_text(again, "每人只能答一次") and find_text(again, "匿名"), texts(again)
    readable(again)
    answers = [{"question_id": q["id"], "option_ids": [q["options"][0]["id"]]}
               for q in item["form"]["questions"]]
    status, body = server.request("POST", f"/api/v1/questionnaires/{form}/responses", token,
                                  {"member_id": member, "answers": answers})
    assert status == 409 and body["code"] == "already_answered", body
    assert server.sql("SELECT count(*) FROM ballots WHERE content_id = ?", (form,)) == [(1,)]
    # The other member of the household may still answer.
    status, body = server.request("POST", f"/api/v1/questionnaires/{form}/responses", token,
                                  {"member_id": other, "answers": answers})
    assert status == 200, body


def test_star_ratings_and_a_single_choice():
    token = server.box_of("东村", 2)
    member = server.members(token)[0]
    row, form = evaluation_row(token, "镇直部门服务群众满意度测评")
    keys = open_evaluation_keys(row) + ["1",                     # 6: who
                                        "4",                     # 7: four stars
                                        "RIGHT", "RIGHT",        # 8-9: three stars by arrows
                                        "OK",                    # 10
                                        "1",                     # 11: 满意
                                        "wait-text 答完了 5000",   # 12
                                        "OK",                    # 13
                                        "wait-text 提交成功 20000"]  # 14
    run = run_client("client_forms_stars", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    first = run.step(6)
    assert any(w["role"] == "stars" for w in first.get("widgets", [])) or \
        find_text(first, "请打分"), texts(first)
    assert find_text(run.step(9), "3 星"), texts(run.step(9))
    assert not any(find_text(run.step(i), "匿名") for i in range(6, 15)), "a named questionnaire"
    for i in range(6, 15):
        readable(run.step(i))
    chosen = server.sql("SELECT o.label FROM responses r JOIN response_choices c"
                        " ON c.response_id = r.id JOIN question_options o ON o.id = c.option_id"
                        " WHERE r.content_id = ? AND r.member_id = ? ORDER BY o.question_id",
                        (form, member))
    assert chosen == [("4星",), ("3星",), ("满意",)], chosen
