"""A course with its quiz published by township staff (POST /api/v1/staff/courses, the
dashboard's 课程与测验 tab) over HTTPS: a box of the village sees the course in 党教园地 and in its
course catalogue, opens the quiz's form (without the answers), and a member's attempt is scored
against the answers staff ticked; an exam keeps its time limit. Refused: a cadre, a box, no
session, another township's staff naming our village; malformed quizzes with the field named;
nothing half-written after a refusal."""
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
        ({"title": "x", "category": "c", "kind": "通知公告"}, "kind"),
        ({"title": "x", "category": "c", "quiz": []}, "quiz"),
        ({"title": "x", "category": "c", "quiz": {"type": "test", "questions": [one]}}, "quiz.type"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": []}}, "quiz.questions"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "pass_mark": 101,
                                                  "questions": [one]}}, "quiz.pass_mark"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "time_limit_s": 600,
                                                  "questions": [one]}}, "quiz.time_limit_s"),
        ({"title": "x", "category": "c", "quiz": {"type": "exam", "time_limit_s": 5,
                                                  "questions": [one]}}, "quiz.time_limit_s"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲"}, {"label": "乙"}]}]}},
         "quiz.questions[1].options: mark the right option"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [one, {
            "prompt": "题", "options": [{"label": "甲", "correct": True},
                                       {"label": "乙", "correct": True}]}]}},
         "quiz.questions[2].options: one right option"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": True}]}]}},
         "quiz.questions[1].options"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": True}, {"label": "甲"}]}]}},
         "quiz.questions[1].options[2].label"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [
            {"prompt": "", "options": one["options"]}]}}, "quiz.questions[1].prompt"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": [
            {"prompt": "题", "options": [{"label": "甲", "correct": "yes"}, {"label": "乙"}]}]}},
         "quiz.questions[1].options[1].correct"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "questions": ["题"]}},
         "quiz.questions"),
        ({"title": "x", "category": "c", "quiz": {"type": "quiz", "answers": [],
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
