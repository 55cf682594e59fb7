"""A course with its quiz published by township staff (POST /api/v1/staff/courses, the
dashboard's 课程与测验 tab) over HTTPS: a box of the village sees the course in 党教园地 and in its
course catalogue, opens the quiz's form (without the answers), and a member's attempt is scored
against the answers staff ticked; an exam keeps its time limit. Refused: a cadre, a box, no
session, another township's staff naming our village; malformed quizzes with the field named;
nothing half-written after a refusal. Study courses name one of the fixed categories (an unknown
one is 400); a box lists 党教园地 by category and the categories with their counts, only of its
own township."""
import hashlib
import secrets
from urllib.parse import quote

from harness import Server, staff_session
from webclient import call, own_origin, web_login

server = None
staff = cadre = box = box_xi = north_staff = None
dong_id = None

QUIZ = {"type": "quiz", "pass_mark": 50, "questions": [
    {"prompt": "党的根本宗旨是什么", "options": [
        {"label": "全心全意为人民服务", "correct": True}, {"label": "发展经济"},
        {"label": "依法治国"}]},
    {"prompt": "下面哪些是党员的义务（多选）", "multiple": True, "options": [
        {"label": "认真学习", "correct": True}, {"label": "按期交纳党费", "correct": True},
        {"label": "只管自己"}]},
]}


def setup_module():
    global server, staff, cadre, box, box_xi, north_staff, dong_id
    server = Server("api_courses").start()
    s = staff_session(server)
    staff, cadre, box, box_xi, north_staff, dong_id = (s.staff, s.cadre, s.box, s.box_xi,
                                                        s.north_staff, s.dong_id)


def teardown_module():
    server.finish()


def publish(body, token=None):
    return server.request("POST", "/api/v1/staff/courses", token or staff, body=body)


def study_titles(token):
    status, items = server.get("/api/v1/sections/study/items?per_page=50", token)
    assert status == 200, items
    return {i["title"]: i for i in items["items"]}


def test_course_and_quiz_reach_the_box_and_the_quiz_is_scored():
    status, made = publish({"title": "学党章 守初心", "category": "党课学习", "duration_s": 600,
                            "body": "第一讲", "village_id": dong_id, "quiz": QUIZ})
    assert status == 200, made
    course, quiz = made["course"], made["quiz"]
    assert course["kind"] == "课程" and course["section"] == "study" and course["org_id"] == dong_id
    assert quiz["title"] == "课后测验：学党章 守初心" and quiz["kind"] == "测验", quiz
    assert quiz["questions"] == 2 and quiz["pass_mark"] == 50 and quiz["time_limit_s"] is None
    # The box of the village sees both in 党教园地, the course in its catalogue; 西村 sees neither.
    seen = study_titles(box)
    assert seen["学党章 守初心"]["kind"] == "课程" and seen["课后测验：学党章 守初心"]["kind"] == "测验"
    assert "学党章 守初心" not in study_titles(box_xi)
    status, cat = server.get("/api/v1/courses?category=%E5%85%9A%E8%AF%BE%E5%AD%A6%E4%B9%A0", box)
    assert status == 200 and course["id"] in [c["id"] for g in cat["categories"] for c in g["courses"]]
    # The form the box reads: the questions in order, never which option is right.
    status, item = server.get(f"/api/v1/items/{quiz['id']}", box)
    assert status == 200, item
    form = item["form"]
    assert form["type"] == "quiz" and form["pass_mark"] == 50
    assert [q["prompt"] for q in form["questions"]] == ["党的根本宗旨是什么", "下面哪些是党员的义务（多选）"]
    assert [o["label"] for o in form["questions"][1]["options"]] == ["认真学习", "按期交纳党费", "只管自己"]
    assert form["questions"][1]["multiple"] is True and "correct" not in str(form)
    # A member answers: the first right, the second half right (wrong) -> 50, passed.
    q1, q2 = form["questions"]
    member = server.members(box)[0]
    answers = [{"question_id": q1["id"], "option_ids": [q1["options"][0]["id"]]},
               {"question_id": q2["id"], "option_ids": [q2["options"][0]["id"]]}]
    status, score = server.request("POST", f"/api/v1/quizzes/{quiz['id']}/attempts", box,
                                   body={"member_id": member, "answers": answers})
    assert status == 200, score
    assert (score["correct"], score["score"], score["passed"]) == (1, 50, True), score
    assert score["results"][1]["answer_option_ids"] == [q2["options"][0]["id"], q2["options"][1]["id"]]


def test_an_exam_keeps_its_time_limit_and_a_course_may_come_alone():
    status, made = publish({"title": "防诈骗课", "category": "法律常识", "quiz": {
        "type": "exam", "title": "防诈骗考试", "pass_mark": 60, "time_limit_s": 600,
        "questions": [{"prompt": "陌生人要验证码，给不给", "options": [
            {"label": "不给", "correct": True}, {"label": "给"}]}]}})
    assert status == 200, made
    assert made["quiz"]["kind"] == "考试" and made["quiz"]["time_limit_s"] == 600, made
    status, item = server.get(f"/api/v1/items/{made['quiz']['id']}", box_xi)  # township-wide
    assert status == 200 and item["form"]["type"] == "exam" and item["form"]["time_limit_s"] == 600
    status, alone = publish({"title": "只有课程", "category": "致富技术"})
    assert status == 200 and alone["quiz"] is None and alone["course"]["kind"] == "课程", alone


def test_who_may_publish():
    body = {"title": "不该发的课", "category": "党课学习", "quiz": QUIZ}
    for token in (cadre, box):
        status, reply = publish(body, token)
        assert status == 403 and reply["code"] == "forbidden", (status, reply)
    status, reply = server.request("POST", "/api/v1/staff/courses", None, body=body)
    assert status == 401, reply
    status, reply = publish(dict(body, village_id=dong_id), north_staff)
    assert status == 403, reply
    assert server.sql("SELECT count(*) FROM content WHERE title LIKE '%不该发的课%'") == [(0,)]
    # Another township's staff publish in their own township: our boxes never see it.
    status, theirs = publish({"title": "北山镇的课", "category": "党课学习", "quiz": QUIZ}, north_staff)
    assert status == 200, theirs
    assert "北山镇的课" not in study_titles(box)
    assert server.get(f"/api/v1/items/{theirs['quiz']['id']}", box)[0] == 404


def test_malformed_quizzes_are_refused_with_the_field_named():
    one = {"prompt": "题", "options": [{"label": "甲", "correct": True}, {"label": "乙"}]}
    cases = (
        ({"title": "x"}, "category"),
        ({"title": "x", "category": "党课学习", "kind": "通知公告"}, "kind"),
        ({"title": "x", "category": "党课学习", "quiz": []}, "quiz"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "test", "questions": [one]}}, "quiz.type"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": []}}, "quiz.questions"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "pass_mark": 101,
                                                  "questions": [one]}}, "quiz.pass_mark"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "time_limit_s": 600,
                                                  "questions": [one]}}, "quiz.time_limit_s"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "exam", "time_limit_s": 5,
                                                  "questions": [one]}}, "quiz.time_limit_s"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲"}, {"label": "乙"}]}]}},
         "quiz.questions[1].options: mark the right option"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [one, {
            "prompt": "题", "options": [{"label": "甲", "correct": True},
                                       {"label": "乙", "correct": True}]}]}},
         "quiz.questions[2].options: one right option"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": True}]}]}},
         "quiz.questions[1].options"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": True}, {"label": "甲"}]}]}},
         "quiz.questions[1].options[2].label"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [
            {"prompt": "", "options": one["options"]}]}}, "quiz.questions[1].prompt"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": "yes"}, {"label": "乙"}]}]}},
         "quiz.questions[1].options[1].correct"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "questions": ["题"]}},
         "quiz.questions"),
        ({"title": "x", "category": "党课学习", "quiz": {"type": "quiz", "answers": [],
                                                  "questions": [one]}}, "quiz.answers"),
    )
    for body, field in cases:
        status, reply = publish(body)
        assert status == 400 and field in reply["message"], (body, status, reply)
    status, reply = publish(b"{not json")
    assert status == 400, reply
    for (status, reply) in server.oversize("POST", "/api/v1/staff/courses", staff):
        assert status == 413, reply
    assert server.sql("SELECT count(*) FROM content WHERE title IN ('x', '课后测验：x')") == [(0,)]


def test_browser_session_needs_its_csrf_token():
    r, cookie, csrf = web_login(server, "staff2")
    assert r.status == 200, r.raw
    body = {"title": "跨站发的课", "category": "党课学习", "quiz": QUIZ}
    r = call(server, "POST", "/api/v1/staff/courses", body, cookie=cookie,
             origin=own_origin(server), site="same-origin")
    assert r.status == 403, r.raw
    r = call(server, "POST", "/api/v1/staff/courses", body, cookie=cookie, csrf=csrf,
             origin="https://evil.example", site="cross-site")
    assert r.status == 403, r.raw
    assert server.sql("SELECT count(*) FROM content WHERE title LIKE '%跨站发的课%'") == [(0,)]


FIXED = ["党课学习", "党章党规", "政策解读", "致富技术", "法律常识", "健康生活"]


def study_items(token, category=None):
    path = "/api/v1/sections/study/items?per_page=50"
    if category is not None:
        path += "&category=" + quote(category)
    status, body = server.get(path, token)
    assert status == 200, (status, body)
    return body


def categories_of(token):
    status, body = server.get("/api/v1/sections/study/categories", token)
    assert status == 200, (status, body)
    assert body["section"] == "study"
    return [(c["name"], c["count"]) for c in body["categories"]]


def test_a_study_course_names_one_of_the_fixed_categories():
    status, reply = publish({"title": "养猪的经验", "category": "养猪经验"})
    assert status == 400 and "category" in reply["message"], reply
    assert "健康生活" in reply["message"], "the message lists the categories one may use"
    status, reply = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "致富信息", "title": "养猪的经验", "category": "养猪经验"})
    assert status == 400 and "category" in reply["message"], reply
    assert server.sql("SELECT count(*) FROM content WHERE title = '养猪的经验'") == [(0,)]
    # A video of 今日南湖 keeps a free category.
    status, reply = server.request("POST", "/api/v1/admin/content", server.token_of("admin"), {
        "kind": "视频", "title": "东村的秧歌队", "category": "文艺节目"})
    assert status == 200, reply


def test_the_box_lists_study_by_category_with_counts():
    status, made = publish({"title": "冬季养生小常识", "category": "健康生活", "duration_s": 300})
    assert status == 200, made
    course = made["course"]
    every = study_items(box)
    by_id = {i["id"]: i for i in every["items"]}
    assert by_id[course["id"]]["category"] == "健康生活"
    # Items that are not courses (quizzes, exams) say so with a null category.
    assert all(i["category"] is None for i in every["items"] if i["kind"] in ("测验", "考试"))
    assert any(i["kind"] == "考试" for i in every["items"]), "the demo exam is in the list"
    # The filter: only that category's courses, newest first, with the total of the filter.
    health = study_items(box, "健康生活")
    assert [i["id"] for i in health["items"]][0] == course["id"]
    assert {i["category"] for i in health["items"]} == {"健康生活"}
    assert health["total"] == len(health["items"])
    # The categories with counts agree with the unfiltered list, in the fixed order.
    counts = categories_of(box)
    names = [n for n, _ in counts]
    assert names == [c for c in FIXED if c in names], counts
    for name, count in counts:
        assert count == sum(1 for i in every["items"] if i["category"] == name), (name, counts)
        assert study_items(box, name)["total"] == count
    assert ("健康生活", health["total"]) in counts
    # A study course from before the fixed list (written past the API): under 全部 only.
    server.sql("UPDATE courses SET category = '旧分类' WHERE content_id = ?", (course["id"],))
    assert "旧分类" not in [n for n, _ in categories_of(box)]
    assert course["id"] in [i["id"] for i in study_items(box)["items"]]
    server.sql("UPDATE courses SET category = '健康生活' WHERE content_id = ?", (course["id"],))
    # A village's course is counted for that village's boxes only.
    status, dong_only = publish({"title": "东村的法律课", "category": "法律常识",
                                 "village_id": dong_id})
    assert status == 200, dong_only
    law_dong = dict(categories_of(box))["法律常识"]
    law_xi = dict(categories_of(box_xi)).get("法律常识", 0)
    assert law_dong == law_xi + 1, (law_dong, law_xi)


def test_category_filters_refuse_bad_input():
    for query, why in [("category=" + quote("不存在的分类"), "category"),
                       ("category=", "category"),
                       ("category=" + quote("党课学习") + "&category=" + quote("党章党规"), ""),
                       ("colour=red", "")]:
        status, reply = server.get(f"/api/v1/sections/study/items?{query}", box)
        assert status == 400 and why in reply.get("message", ""), (query, status, reply)
    status, reply = server.get("/api/v1/sections/live/items?category=" + quote("党课学习"), box)
    assert status == 400, reply
    status, reply = server.get("/api/v1/sections/study/categories?page=2", box)
    assert status == 400, reply
    status, reply = server.get("/api/v1/sections/nothing/categories", box)
    assert status == 404, reply
    for token in (None, staff):
        status, reply = server.get("/api/v1/sections/study/categories", token)
        assert status in (401, 403), (token, status, reply)


def test_a_box_of_another_township_sees_only_its_own_categories():
    status, theirs = publish({"title": "北山镇的健康课", "category": "健康生活"}, north_staff)
    assert status == 200, theirs
    (vid,), = server.sql("SELECT id FROM orgs WHERE name = '北山村'")[0:1]
    server.sql("INSERT INTO households (village_id, name) VALUES (?, '北山一户')", (vid,))
    (hid,), = server.sql("SELECT max(id) FROM households")
    north_box = secrets.token_hex(32)
    server.sql("INSERT INTO boxes (household_id, token_hash, label) VALUES (?, ?, 'north')",
               (hid, hashlib.sha256(bytes.fromhex(north_box)).hexdigest()))
    counts = dict(categories_of(north_box))
    assert counts["健康生活"] == 1, counts
    theirs_all = study_items(north_box)["items"]
    assert sum(counts.values()) == sum(1 for i in theirs_all if i["category"]), (counts, theirs_all)
    assert all("北山镇" in i["title"] for i in theirs_all if i["category"]), theirs_all
    assert [i["title"] for i in study_items(north_box, "健康生活")["items"]] == ["北山镇的健康课"]
    ours = study_items(box, "健康生活")["items"]
    assert "北山镇的健康课" not in [i["title"] for i in ours]
