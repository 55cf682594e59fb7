"""One-key service from the remote, end to end: the real server, the real client headless with
key scripts, checked through the UI dump, the screenshots and the database. Red key → a need
(digit) → the phone on the keypad (the household's remembered number kept with OK) → 发送: a
ticket number on screen and the request row with that phone — four keys. A staff reply through
the API pops up on the box and 我的服务 shows it. A wrong phone is refused on screen, and a
request that cannot be sent keeps the form and goes out on a retry."""
import boxflow
import harness
from harness import Server, contrast, find_text, texts

server = None


def setup_module():
    global server
    server = Server("client-service").start()


def teardown_module():
    server.finish()


def readable(step):
    for t in step["texts"]:
        assert t["px"] >= 40, f"step {step['step']}: '{t['text']}' is {t['px']} px"
        c = contrast(t["fg"], t["bg"])
        assert c >= 7.0, f"step {step['step']}: '{t['text']}' contrast {c:.2f}"


def household_of(token):
    for b in server.boxes:
        if b["token"] == token:
            return int(b["household_id"])
    raise KeyError(token)


def requests_of(household):
    return server.sql("SELECT id, category, phone, state FROM service_requests"
                      " WHERE household_id = ? ORDER BY id", (household,))


def test_red_key_category_phone_send_then_reply_pops_up():
    token = server.box_of("西村", 0)
    household = household_of(token)
    staff = server.token_of("staff1")
    # The household asked once before (from another box, say): the number is remembered.
    status, first = server.request("POST", "/api/v1/requests", token,
                                   {"category": "consult", "phone": "13912345678"})
    assert status == 200, first
    service_keys = ["RED", "1", "OK", "OK"]
    c = boxflow.LiveClient("client_service_send", server, token, [
        "wait-screen home 20000",          # 1
        "wait-text 一键服务 10000",          # 2 (the needs are read by now)
        *service_keys,                     # 3-6 red, need 1, keep the number, 发送
        "wait-text 24小时内会有人联系您 20000",  # 7
        "OK",                              # 8 close
        "wait-text 您的请求有回复了 20000",   # 9 staff answered
        "OK",                              # 10 read it
        "wait-text 技术员明天上午到 20000",   # 11 我的服务 at that request
        "BACK",                            # 12 the list
        "wait-screen my_requests 10000",   # 13
    ])
    try:
        c.wait_log("event stream open")
        c.wait_step(8)
        rows = requests_of(household)
        assert len(rows) == 2, rows
        rid = rows[-1][0]
        status, body = server.request("POST", f"/api/v1/desk/requests/{rid}/reply", staff,
                                      {"body": "技术员明天上午到"})
        assert status == 200, body
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    categories = server.get("/api/v1/requests/categories", token)[1]["categories"]
    cats = run.step(3 - 1)
    assert cats["focus"] == "service.category" and "service" in cats["overlays"]
    for i, cat in enumerate(categories):
        assert find_text(cats, f"{i + 1} {cat['title']}"), texts(cats)
    phone = run.step(4 - 1)
    assert find_text(phone, "13912345678"), "the remembered number is shown"
    done = run.step(7 - 1)
    assert not done.get("timeout"), texts(done)
    rows = requests_of(household)
    rid, category, phone_no, _ = rows[-1]
    assert category == categories[0]["key"] and phone_no == "13912345678", rows
    assert find_text(done, f"编号 {rid}"), texts(done)
    assert len(service_keys) <= 4
    popup = run.step(9 - 1)
    assert not popup.get("timeout"), texts(popup)
    assert find_text(popup, "技术员明天上午到")
    shown = run.step(11 - 1)
    assert shown["screen"] == "my_requests" and not shown.get("timeout"), texts(shown)
    assert shown["state"]["detail_id"] == rid and shown["state"]["replies"] == 1
    listed = run.step(13 - 1)
    assert listed["state"]["ids"][0] == rid
    assert find_text(listed, "已回复"), texts(listed)
    for s in (cats, phone, done, popup, shown, listed):
        readable(s)


def test_wrong_phone_is_refused_on_screen_and_nothing_is_sent():
    token = server.box_of("西村", 1)
    household = household_of(token)
    before = requests_of(household)
    c = boxflow.LiveClient("client_service_badphone", server, token, [
        "wait-screen home 20000",          # 1
        "RED",                             # 2
        "wait-text 1 农业技术服务 10000",    # 3
        "2",                               # 4 a need
        "1", "3", "8",                     # 5-7 three digits
        "OK",                              # 8 too short
        "LEFT 2",                          # 9 from 确定 to ◀ on the keypad
        "OK 3",                            # 10 ◀ deletes them
        "2", "3", "4", "5", "6", "7", "8", "9", "0", "1",   # 11-20 not a mobile (starts 2)
        "OK",                              # 21
        "BACK", "BACK", "BACK",            # 22-24 out again
    ])
    run = c.finish()
    assert run.code == 0, run.log[-3000:]
    short = run.step(8 - 1)
    assert find_text(short, "手机号是11位，还少8位"), texts(short)
    assert find_text(short, "138"), "what was typed stays on the display"
    assert short["focus"] == "keypad.done" and "keypad" in short["overlays"], short["focus"]
    assert run.step(9 - 1)["focus"] == "keypad.delete"
    assert run.step(10 - 1)["state"]["overlays"]["keypad"]["digits"] == ""
    wrong = run.step(21 - 1)
    assert find_text(wrong, "电话号码要以1或0开头"), texts(wrong)
    assert wrong["state"]["overlays"]["service"]["phase"] == "phone"
    assert wrong["state"]["overlays"]["keypad"]["digits"] == "2345678901"
    assert "service" not in run.last()["overlays"], run.last()["overlays"]  # BACK leaves
    assert "keypad" not in run.last()["overlays"], run.last()["overlays"]
    assert requests_of(household) == before
    readable(short)
    readable(wrong)


def test_a_failed_send_keeps_the_form_and_a_retry_sends_it():
    token = server.box_of("西村", 2)
    household = household_of(token)
    c = boxflow.LiveClient("client_service_retry", server, token, [
        "wait-screen home 20000",          # 1
        "RED",                             # 2
        "wait-text 1 农业技术服务 10000",    # 3
        "3",                               # 4
        "1", "3", "5", "0", "0", "0", "0", "1", "1", "1", "1",   # 5-15
        "OK",                              # 16 the number is good
        "wait 3000",                       # 17 the test stops the server here
        "OK",                              # 18 发送: fails
        "wait-text 没有发出去 20000",        # 19 the form stays
        "wait 4000",                       # 20 the server is back
        "OK",                              # 21 retry
        "wait-text 24小时内会有人联系您 20000",  # 22
    ])
    try:
        c.wait_step(17 - 1)
        server.stop()
        c.wait_step(19)
        server.start()
    finally:
        run = c.finish()
    assert run.code == 0, run.log[-3000:]
    failed = run.step(19 - 1)
    assert not failed.get("timeout"), texts(failed)
    assert find_text(failed, "13500001111"), "what was typed is still there"
    done = run.step(22 - 1)
    assert not done.get("timeout"), texts(done)
    rows = requests_of(household)
    assert rows and rows[-1][2] == "13500001111", rows
    readable(failed)
