"""党费公示 and 发展党员公示 as tables on the TV (issue 13): a village's dues disclosure (long
enough to page) and its new-member disclosure, imported into the real server as a township
would, opened on the headless client from the 党务公开 list. Page by page, the table rows in
the UI dump equal the rows of GET /api/v1/items/{id} as a member reads them (2026年10月, yuan),
the dues end with a totals row of the server's total, the header row repeats on each page,
and every step passes the readability checks of test_client_readable."""
import tempfile
import time

import harness
from harness import Server, run_client, texts
from test_client_readable import check_step

server = None
work = None
token = None

NAMES = ["王建国", "陈秀英", "林玉山", "刘淑芬", "张德胜", "李桂兰", "赵永福", "孙丽华",
         "周树林", "吴玉珍", "郑长海", "王海涛", "欧阳春华", "马秀兰"]
DUES = [{"name": n, "month": "2026-10" if i < 7 else "2026-11", "amount_fen": 200 + 150 * i}
        for i, n in enumerate(NAMES)]
CANDIDATES = [{"name": "王海涛", "stage": "预备党员", "date": "2026-11-05"},
              {"name": "李春梅", "stage": "发展对象", "date": "2026-11-06"},
              {"name": "孙振宇", "stage": "入党积极分子", "date": "2026-10-28"}]


def setup_module():
    global server, work, token
    server = Server("disclosures")
    work = tempfile.mkdtemp(prefix="djtv-disclosures-")
    # Newer than every demo item, the dues first in the list, then the new members.
    def ago(s):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - s))
    items = [{"key": "dues-test", "kind": "党费公示", "title": "东村10至11月党费缴纳明细",
              "village": "东村", "body": "支部党员两个月的党费如下。", "dues": DUES,
              "published_at": ago(60)},
             {"key": "new-test", "kind": "发展党员公示", "title": "东村发展党员公示",
              "village": "东村", "body": "公示期7天。", "candidates": CANDIDATES,
              "published_at": ago(120)}]
    media = harness.import_content(server, work, items)
    server.start(["--media", media])
    token = server.box_of("东村")


def teardown_module():
    if server:
        server.finish(work)


def yuan(fen):
    return f"{fen // 100:,}.{fen % 100:02d}"


def day(s):
    parts = [int(p) for p in s.split("-")]
    return f"{parts[0]}年{parts[1]}月" + (f"{parts[2]}日" if len(parts) == 3 else "")


def item_of(title):
    status, listing = server.get("/api/v1/sections/affairs/items?page=1&per_page=20", token)
    assert status == 200, listing
    found = [i for i in listing["items"] if i["title"] == title]
    assert found, [i["title"] for i in listing["items"]]
    status, item = server.get(f"/api/v1/items/{found[0]['id']}", token)
    assert status == 200, item
    return item


def table_rows_by_page(steps, item_id):
    """The table rows each page of the item showed, pages in order (each page once)."""
    pages = {}
    for s in steps:
        st = s["state"]
        if s["screen"] == "detail" and st.get("item_id") == item_id and "table" in st:
            pages[st["page"]] = (st["pages"], st["table"], s)
    return pages


def test_dues_and_new_members_are_tables_equal_to_the_server():
    dues = item_of("东村10至11月党费缴纳明细")
    new = item_of("东村发展党员公示")
    want_dues = [[r["name"], day(r["month"]), yuan(r["amount_fen"])] for r in dues["dues"]["rows"]]
    want_dues.append(["合计", f"{len(DUES)} 笔", yuan(dues["dues"]["amount_fen"])])
    assert dues["dues"]["amount_fen"] == sum(d["amount_fen"] for d in DUES)
    want_new = [[r["name"], r["stage"], day(r["date"])] for r in new["candidates"]["rows"]]

    keys = ["wait-screen home 20000", "1", "wait-screen section.affairs 20000",
            "OK", "wait-screen detail 20000"]            # 1..5: the dues, page 1
    keys += ["DOWN", "wait 300"] * 4                      # its further pages
    keys += ["BACK", "wait-screen section.affairs 20000", "DOWN", "OK",
             "wait-screen detail 20000", "DOWN", "wait 300"]
    run = run_client("disclosures", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out"
        check_step(s)

    pages = table_rows_by_page(run.steps, dues["id"])
    assert pages, [s["state"] for s in run.steps if s["screen"] == "detail"]
    n_pages = next(iter(pages.values()))[0]
    assert n_pages >= 2, "14 dues rows should need more than one page"
    assert sorted(pages) == [p for p in range(1, n_pages + 1) if p in pages]
    shown = [row for p in sorted(pages) for row in pages[p][1]["rows"]]
    assert shown == want_dues, (shown, want_dues)
    for p, (_, table, step) in pages.items():
        assert table["kind"] == "dues" and table["columns"] == ["姓名", "月份", "金额（元）"]
        if table["rows"]:  # the header row repeats on each page with rows
            for col in table["columns"]:
                assert any(t["text"] == col for t in step["texts"]), (p, col, texts(step))
        for row in table["rows"]:
            for cell in row:
                assert any(t["text"] == cell and t["px"] >= 40 for t in step["texts"]), \
                    (p, cell, texts(step))

    pages = table_rows_by_page(run.steps, new["id"])
    shown = [row for p in sorted(pages) for row in pages[p][1]["rows"]]
    assert shown == want_new, (shown, want_new)
    table = next(iter(pages.values()))[1]
    assert table["kind"] == "candidates" and table["columns"] == ["姓名", "阶段", "日期"]
