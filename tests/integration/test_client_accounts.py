"""党务公开 accounts on the TV (issue 13): a village's finance disclosure, imported into the
real server as a township would, opened on the headless client from the 党务公开 list. The
ledger table's totals row shows the server's totals (which equal the sum of its lines), and
the page after the table charts each month's income and spending (ui/bar_chart): the months
and sums in the UI dump equal those computed from GET /api/v1/items/{id}, the bars' labels
and figures are on screen at sofa size, the tallest bar is the largest monthly sum, and income and spending are two series in
two colours with a legend. Every
step passes the readability checks of test_client_readable."""
import tempfile

import harness
from harness import Server, find_text, run_client, texts
from test_client_readable import check_step

server = None
work = None
token = None

LEDGER = [
    {"date": "2026-10-16", "item": "上月结余", "income_fen": 1523000},
    {"date": "2026-10-19", "item": "土地承包费", "income_fen": 3600000},
    {"date": "2026-10-29", "item": "村内道路维修", "expense_fen": 1880000},
    {"date": "2026-11-03", "item": "上级补助", "income_fen": 500000},
    {"date": "2026-11-09", "item": "慰问老党员", "expense_fen": 120050},
    {"date": "2026-11-12", "item": "路灯电费", "expense_fen": 75500},
]


def setup_module():
    global server, work, token
    server = Server("accounts")
    work = tempfile.mkdtemp(prefix="djtv-accounts-")
    item = {"key": "accounts-test", "kind": "财务公示", "title": "东村10至11月财务收支公示",
            "village": "东村", "body": "村集体两个月的收入和支出如下。", "ledger": LEDGER}
    media = harness.import_content(server, work, [item])
    server.start(["--media", media])
    token = server.box_of("东村")


def teardown_module():
    if server:
        server.finish(work)


def yuan(fen):
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def test_ledger_totals_and_monthly_chart_match_the_server():
    status, listing = server.get("/api/v1/sections/affairs/items?page=1&per_page=5", token)
    assert status == 200, listing
    assert listing["items"][0]["title"] == "东村10至11月财务收支公示", listing["items"][0]
    status, item = server.get(f"/api/v1/items/{listing['items'][0]['id']}", token)
    assert status == 200, item
    ledger = item["ledger"]
    lines = ledger["lines"]
    assert len(lines) == len(LEDGER)
    # The server's totals are the sum of its lines.
    assert ledger["income_fen"] == sum(ln["income_fen"] for ln in lines)
    assert ledger["expense_fen"] == sum(ln["expense_fen"] for ln in lines)
    months = {}
    for ln in lines:
        m = months.setdefault(ln["date"][:7], [0, 0])
        m[0] += ln["income_fen"]
        m[1] += ln["expense_fen"]
    want = [{"month": k, "income_fen": v[0], "expense_fen": v[1]} for k, v in sorted(months.items())]

    keys = ["wait-screen home 20000", "1", "wait-screen section.affairs 20000",
            "OK", "wait-screen detail 20000"]   # 4
    keys += ["DOWN"] * 4                        # 5..8
    run = run_client("accounts_chart", server.url, server.ca, token, keys)
    assert run.code == 0, run.log[-3000:]
    for s in run.steps:
        assert not s.get("timeout"), f"step {s['step']} ({s['cmd']}) timed out"
        check_step(s)
    details = [s for s in run.steps[4:] if s["screen"] == "detail"]
    assert details and details[0]["state"]["item_id"] == item["id"], details[:1]
    assert details[0]["state"]["chart"] == want, (details[0]["state"].get("chart"), want)

    # The totals row: 合计 with the server's totals.
    seen = [t["text"] for s in details for t in s["texts"]]
    assert "合计" in seen
    for k in ("income_fen", "expense_fen", "balance_fen"):
        assert yuan(ledger[k]) in seen, f"total {k} {yuan(ledger[k])} not on screen"

    # The chart's page: a bar per month and direction, its labels and figures readable.
    charted = [s for s in details if s["state"].get("chart_on_page")]
    assert charted, [s["state"] for s in details]
    page = charted[0]
    chart = [w for w in page["widgets"] if w["role"] == "bar_chart"]
    assert len(chart) == 1, page["widgets"]
    biggest = max(max(m["income_fen"], m["expense_fen"]) for m in want) // 100
    # Income and spending in two colours, a legend naming them, each bar's series in turn.
    state = chart[0]["state"]
    assert state.startswith(f"n={2 * len(want)} max={biggest} "), chart[0]
    legend = dict(kv.split(":") for kv in state.split(" legend=")[1].split(" ")[0].split(","))
    assert set(legend) == {"收入", "支出"} and legend["收入"] != legend["支出"], state
    assert state.endswith(" series=" + "01" * len(want)), state
    for word in ("收入", "支出"):
        shown = [t for t in page["texts"] if t["text"] == word]
        assert shown and shown[0]["px"] >= 40, (word, texts(page))
    for m in want:
        month = int(m["month"][5:])
        for label, fen in ((f"{month}月收入", m["income_fen"]), (f"{month}月支出", m["expense_fen"])):
            label_t = [t for t in page["texts"] if t["text"] == label]
            assert label_t and label_t[0]["px"] >= 40, (label, texts(page))
            assert find_text(page, yuan(fen)), (yuan(fen), texts(page))
    assert find_text(page, "每月收入和支出"), texts(page)
