"""党费公示 (dues) and 发展党员公示 (new members) as rows (issue 13): township staff publish them
through /api/v1/staff/content with structured rows, a box of the village reads them back from
GET /api/v1/items/{id} in order (dues with their total), a re-publication replaces the rows,
and the demo's 东村 disclosures carry rows. The refusals: each malformed row is a 400 naming
the row and field (bad month, a day that does not exist, an unknown stage, a zero amount, an
unknown field, rows of the other kind, rows on a notice), a cadre or a box may not publish
(403), another village's box does not see them (404)."""
from harness import Server

server = None
staff = cadre = box = box_xi = None
dong_id = None

DUES = [{"name": "王建国", "month": "2026-10", "amount_fen": 200},
        {"name": "陈秀英", "month": "2026-10", "amount_fen": 1250},
        {"name": "林玉山", "month": "2026-11", "amount_fen": 300}]
CANDIDATES = [{"name": "王海涛", "stage": "预备党员", "date": "2026-11-05"},
              {"name": "李春梅", "stage": "发展对象", "date": "2026-11-06"}]


def setup_module():
    global server, staff, cadre, box, box_xi, dong_id
    server = Server("api_disclosures").start()
    staff = server.token_of("staff1")
    cadre = server.token_of(server.cadre_of("东村"))
    box = server.box_of("东村")
    box_xi = server.box_of("西村")
    dong_id = server.sql("SELECT id FROM orgs WHERE name = '东村'")[0][0]


def teardown_module():
    server.finish()


def publish(body, token=None, method="POST", path="/api/v1/staff/content"):
    return server.request(method, path, token or staff, body=body)


def test_dues_rows_round_trip_with_their_total():
    status, made = publish({"kind": "党费公示", "title": "东村10至11月党费明细",
                            "village_id": dong_id, "dues": DUES})
    assert status == 200 and made["rows"] == 3, made
    status, item = server.get(f"/api/v1/items/{made['id']}", box)
    assert status == 200, item
    rows = item["dues"]["rows"]
    assert [(r["row_no"], r["name"], r["month"], r["amount_fen"]) for r in rows] == \
        [(i + 1, d["name"], d["month"], d["amount_fen"]) for i, d in enumerate(DUES)], rows
    assert item["dues"]["amount_fen"] == sum(d["amount_fen"] for d in DUES)
    assert "candidates" not in item and "ledger" not in item
    # Another village's box does not see the item at all.
    assert server.get(f"/api/v1/items/{made['id']}", box_xi)[0] == 404
    # A re-publication replaces the rows, it does not add to them.
    status, again = publish({"kind": "党费公示", "title": "东村10至11月党费明细（更正）",
                             "village_id": dong_id, "dues": DUES[:1]}, method="PUT",
                            path=f"/api/v1/staff/content/{made['id']}")
    assert status == 200 and again["rows"] == 1, again
    status, item = server.get(f"/api/v1/items/{made['id']}", box)
    assert [r["name"] for r in item["dues"]["rows"]] == ["王建国"], item["dues"]
    assert item["dues"]["amount_fen"] == 200


def test_candidate_rows_round_trip():
    status, made = publish({"kind": "发展党员公示", "title": "东村发展党员公示",
                            "village_id": dong_id, "body": "公示期7天。",
                            "candidates": CANDIDATES})
    assert status == 200 and made["rows"] == 2, made
    status, item = server.get(f"/api/v1/items/{made['id']}", box)
    assert status == 200, item
    got = [(r["name"], r["stage"], r["date"]) for r in item["candidates"]["rows"]]
    assert got == [(c["name"], c["stage"], c["date"]) for c in CANDIDATES], got
    assert "dues" not in item


def test_a_text_only_disclosure_still_publishes():
    status, made = publish({"kind": "党费公示", "title": "党费收缴情况说明", "body": "均已缴纳。"})
    assert status == 200 and made["rows"] == 0, made
    status, item = server.get(f"/api/v1/items/{made['id']}", box)
    assert status == 200 and "dues" not in item, item


def test_malformed_rows_are_refused_by_name():
    def refused(body, field):
        status, reply = publish(body)
        assert status == 400, (body, status, reply)
        assert reply["message"].startswith(field), (field, reply)
    dues = {"kind": "党费公示", "title": "党费明细"}
    refused({**dues, "dues": [DUES[0], {"name": "甲", "month": "2026-13", "amount_fen": 100}]},
            "dues[2].month")
    refused({**dues, "dues": [{"name": "甲", "month": "2026-1", "amount_fen": 100}]},
            "dues[1].month")
    refused({**dues, "dues": [{"name": "甲", "month": "2026-10", "amount_fen": 0}]},
            "dues[1].amount_fen")
    refused({**dues, "dues": [{"name": "甲", "month": "2026-10", "amount_fen": -5}]},
            "dues[1].amount_fen")
    refused({**dues, "dues": [{"name": "", "month": "2026-10", "amount_fen": 100}]},
            "dues[1].name")
    refused({**dues, "dues": [{"name": "甲", "month": "2026-10", "amount_fen": 100,
                               "note": "x"}]}, "dues[1].note")
    refused({**dues, "dues": []}, "dues")
    refused({**dues, "dues": "王建国 2元"}, "dues")
    refused({**dues, "candidates": CANDIDATES}, "candidates")
    new = {"kind": "发展党员公示", "title": "发展党员公示"}
    refused({**new, "candidates": [{"name": "乙", "stage": "候选人", "date": "2026-11-05"}]},
            "candidates[1].stage")
    refused({**new, "candidates": [CANDIDATES[0], {"name": "乙", "stage": "发展对象",
                                                   "date": "2026-02-30"}]},
            "candidates[2].date")
    refused({**new, "dues": DUES}, "dues")
    refused({"kind": "通知公告", "title": "通知", "dues": DUES}, "dues")
    # Nothing of the refused bodies was written.
    assert server.sql("SELECT count(*) FROM content WHERE title IN ('党费明细', '发展党员公示')") \
        == [(0,)]


def test_cadre_and_box_may_not_publish_rows():
    for token in (cadre, box):
        status, reply = publish({"kind": "党费公示", "title": "不该发出去", "dues": DUES}, token)
        assert status == 403, (status, reply)
    assert server.sql("SELECT count(*) FROM content WHERE title = '不该发出去'") == [(0,)]


def test_demo_disclosures_have_rows():
    status, listing = server.get("/api/v1/sections/affairs/items?per_page=50", box)
    assert status == 200, listing
    by_title = {i["title"]: i for i in listing["items"]}
    dues = by_title["东村党支部上月党费收缴明细"]
    status, item = server.get(f"/api/v1/items/{dues['id']}", box)
    assert status == 200 and len(item["dues"]["rows"]) == 12, item
    assert item["dues"]["amount_fen"] == sum(r["amount_fen"] for r in item["dues"]["rows"])
    new = by_title["东村党支部关于接收预备党员的公示"]
    status, item = server.get(f"/api/v1/items/{new['id']}", box)
    assert [r["stage"] for r in item["candidates"]["rows"]] == ["预备党员", "发展对象"], item
