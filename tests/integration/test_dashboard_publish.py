"""The dashboard's publishing in a real browser (Debian's chromium through playwright-core)
against the real server: township staff write a course with a two-question quiz on the 课程与测验
tab; a box of the village then finds the course and the quiz in 党教园地, reads the quiz's form
and a member's answers are scored by what staff ticked. A quiz the page cannot send (no right
answer ticked) is refused in plain words before anything is stored. On the 视频与海报 tab a
video made by the ffmpeg CLI is uploaded: the page shows its stages (upload, transcode) before
done, and the box lists the item and reads its playlist; a broken file ends in a plain Chinese
reason. Screenshots go to tests/out/dashboard/."""
import os

from browser import Browser
from dashboard_fixture import add_village
from harness import Server, ffmpeg, out_dir
from webclient import web_args

server = browser = village = shots = None


def setup_module():
    global server, browser, village, shots
    shots = out_dir("dashboard")
    server = Server("dashboard_publish")
    server.start(extra=(*web_args(), "--rate-limit", "1000",
                        "--media", os.path.join(server.dir, "media")))
    village = add_village(server, "课程村", ["周桂兰", "吴长海"])
    browser = Browser()


def teardown_module():
    if browser:
        browser.close()
    server.finish()


def shot(name):
    browser.shot(path=os.path.join(shots, f"{name}.png"), full=True)


def login_and_open_tab(tab):
    browser.open(url=server.url + "/dashboard/")
    browser.wait(sel="#login-form")
    browser.fill(sel="#login-user", value="staff1")
    browser.fill(sel="#login-pass", value=server.accounts["staff1"]["password"])
    browser.click(sel="#login-form button[type=submit]")
    browser.wait_text(sel="#view h2", text="实时点名")
    browser.click(sel='#nav a[data-view="publish"]')
    browser.wait_text(sel="#view h2", text="发布内容")
    browser.click(sel=f"#pub-tab-{tab}")


def fill_question(n, prompt, options, right, multiple=False):
    q = f'#quiz-questions fieldset[data-n="{n}"]'
    browser.fill(sel=f"{q} .q-prompt", value=prompt)
    if multiple:
        browser.click(sel=f"{q} .q-multiple")
    for k, label in enumerate(options):
        browser.fill(sel=f"{q} li:nth-child({k + 1}) .o-label", value=label)
        if k in right:
            browser.click(sel=f"{q} li:nth-child({k + 1}) .o-correct")


def test_a_course_with_its_quiz_reaches_the_box():
    login_and_open_tab("course")
    browser.wait(sel=f'#course-scope option[value="{village["id"]}"]', state="attached")
    browser.fill(sel="#course-title", value="村级议事规则十讲（一）")
    browser.select(sel="#course-category", value="党课学习")
    browser.select(sel="#course-scope", value=village["id"])
    browser.fill(sel="#course-minutes", value="20")
    browser.fill(sel="#course-body", value="讲四议两公开的做法。")
    browser.select(sel="#quiz-type", value="exam")
    browser.fill(sel="#quiz-limit", value="10")
    # A question without its right answer ticked: the page says so and sends nothing.
    fill_question(1, "“四议两公开”中的“两公开”指什么", ["决议公开和实施结果公开", "工资公开"], [])
    browser.click(sel="#course-submit")
    browser.wait_text(sel="#status", text="第1题请勾选正确答案")
    shot("09-course-refused")
    assert server.sql("SELECT count(*) FROM content WHERE title LIKE '%村级议事规则%'") == [(0,)]
    browser.click(sel='#quiz-questions fieldset[data-n="1"] li:nth-child(1) .o-correct')
    browser.click(sel="#quiz-add")
    fill_question(2, "村里重大事项由谁决议（多选）", ["村民会议", "村民代表会议", "个人"], [0, 1],
                  multiple=True)
    browser.click(sel="#course-submit")
    browser.wait_text(sel="#course-saved", text="课后考试：村级议事规则十讲（一）（2题）")
    shot("10-course-published")
    course_id = int(browser.eval(js="document.querySelector('#course-saved tr[data-item]').dataset.item"))
    quiz_id = int(browser.eval(js="document.querySelector('#course-saved tr[data-quiz]').dataset.quiz"))

    token, member = village["boxes"][0]
    status, items = server.get("/api/v1/sections/study/items?per_page=50", token)
    assert status == 200, items
    kinds = {i["id"]: (i["kind"], i["title"], i["duration_s"]) for i in items["items"]}
    assert kinds[course_id] == ("课程", "村级议事规则十讲（一）", 1200), kinds
    assert kinds[quiz_id] == ("考试", "课后考试：村级议事规则十讲（一）", None), kinds
    far = server.box_of("西村")
    status, items = server.get("/api/v1/sections/study/items?per_page=50", far)
    assert course_id not in [i["id"] for i in items["items"]]
    status, item = server.get(f"/api/v1/items/{quiz_id}", token)
    assert status == 200, item
    form = item["form"]
    assert form["type"] == "exam" and form["time_limit_s"] == 600, form
    assert [(q["prompt"], q["multiple"], [o["label"] for o in q["options"]])
            for q in form["questions"]] == [
        ("“四议两公开”中的“两公开”指什么", False, ["决议公开和实施结果公开", "工资公开"]),
        ("村里重大事项由谁决议（多选）", True, ["村民会议", "村民代表会议", "个人"])]
    q1, q2 = form["questions"]
    status, score = server.request("POST", f"/api/v1/quizzes/{quiz_id}/attempts", token, body={
        "member_id": member, "answers": [
            {"question_id": q1["id"], "option_ids": [q1["options"][0]["id"]]},
            {"question_id": q2["id"], "option_ids": [q2["options"][0]["id"], q2["options"][1]["id"]]}]})
    assert status == 200 and score["score"] == 100 and score["passed"] is True, score
    assert score["credited"] is True, score  # an exam passed earns its credits
    errors = browser.errors()
    assert not [e for e in errors if "Content Security Policy" in e or "TypeError" in e], errors


def test_an_uploaded_video_shows_its_progress_and_reaches_the_box():
    path = os.path.join(server.dir, "村晚.mp4")
    # MPEG-4 Part 2: the server transcodes it to H.264, which takes long enough to be seen.
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi",
           "-i", "sine=frequency=330:sample_rate=44100", "-t", "8", "-c:v", "mpeg4", "-q:v", "4",
           "-c:a", "libmp3lame", path)
    if browser.eval(js="!!document.getElementById('pub-tab-upload')"):
        browser.click(sel="#pub-tab-upload")  # after the course test, still logged in
    else:
        login_and_open_tab("upload")  # run alone (-k upload)
    browser.wait(sel=f'#up-scope option[value="{village["id"]}"]', state="attached")
    browser.select(sel="#up-kind", value="视频")
    browser.fill(sel="#up-title", value="课程村春节联欢晚会")
    browser.fill(sel="#up-category", value="南湖播报")
    browser.select(sel="#up-scope", value=village["id"])
    browser.upload(sel="#up-file", path=path)
    browser.click(sel="#up-submit")
    browser.wait_text(sel="#up-state", text="正在", timeout=30000)
    shot("11-upload-progress")
    browser.wait_text(sel="#up-state", text="完成", timeout=120000)
    shot("12-upload-done")
    stages = browser.eval(js="[...document.querySelectorAll('#up-stages li')].map((n) => n.textContent)")
    assert stages[-1].startswith("完成"), stages
    assert any(s.startswith(("正在上传", "排队", "正在检查", "正在转码")) for s in stages[:-1]), stages
    item_id = int(browser.eval(js="document.getElementById('up-state').dataset.item"))
    token, _ = village["boxes"][0]
    status, items = server.get("/api/v1/sections/video/items?per_page=50", token)
    mine = [i for i in items["items"] if i["id"] == item_id]
    assert mine and mine[0]["title"] == "课程村春节联欢晚会" and mine[0]["picture"], items
    status, item = server.get(f"/api/v1/items/{item_id}", token)
    status, playlist = server.get(item["course"]["media_url"], token)
    assert status == 200 and playlist.startswith("#EXTM3U") and "#EXT-X-ENDLIST" in playlist


def test_a_broken_file_ends_in_a_readable_error():
    path = os.path.join(server.dir, "坏了.mp4")
    with open(path, "wb") as f:
        f.write(b"not a video at all " * 5000)
    browser.fill(sel="#up-title", value="打不开的视频")
    browser.upload(sel="#up-file", path=path)
    browser.click(sel="#up-submit")
    browser.wait_text(sel="#up-state", text="失败：这个文件不是能播放的视频", timeout=60000)
    shot("13-upload-failed")
    assert server.sql("SELECT count(*) FROM content WHERE title = '打不开的视频'") == [(0,)]
    errors = browser.errors()
    assert not [e for e in errors if "Content Security Policy" in e or "TypeError" in e], errors
