"""The dashboard's chart options are pure functions of the data (server/web/chart_options.js):
run them in node, without a browser, on the shapes the API answers, and check what a person
would read off the chart: a bar per village at its share with "signed/expected" on it, a line
per village with gaps where a roll call did not call it, a bar per option with its count."""
import atexit
import json
import os
import shutil
import subprocess
import tempfile

from harness import TOP

SOURCE = os.path.join(TOP, "server", "web", "chart_options.js")
_copy = []


def module_path():
    """The module as a .mjs copy: Debian 12's node 18 treats a .js file outside a
    "type": "module" package as CommonJS (no syntax detection before node 20.19)."""
    if not _copy:
        d = tempfile.mkdtemp(prefix="djtv-charts-")
        atexit.register(shutil.rmtree, d, True)
        _copy.append(shutil.copy(SOURCE, os.path.join(d, "chart_options.mjs")))
    return _copy[0]


def options(fn, data):
    js = (f"import('{module_path()}').then((m) => {{ const o = m.{fn}({json.dumps(data)});"
          " const s = o.series[0]; if (s && s.label && typeof s.label.formatter === 'function')"
          " s.labels = s.data.map((_, i) => s.label.formatter({ dataIndex: i }));"
          " process.stdout.write(JSON.stringify(o)); })")
    out = subprocess.run(["node", "--input-type=module", "-e", js], capture_output=True,
                         text=True, timeout=30, check=True)
    return json.loads(out.stdout)


def test_rollcall_bars():
    villages = [{"village_id": 2, "village": "东村", "expected": 3, "present": 2},
                {"village_id": 3, "village": "西村", "expected": 0, "present": 0},
                {"village_id": 4, "village": "<b>河山村</b>", "expected": 8, "present": 8}]
    o = options("rollcallBarOption", villages)
    assert o["yAxis"]["data"] == ["<b>河山村</b>", "西村", "东村"], o["yAxis"]  # first on top
    assert o["series"][0]["data"] == [100, 0, 66.7], o["series"][0]["data"]
    assert o["series"][0]["labels"] == ["8/8", "0/0", "2/3"]
    assert o["xAxis"]["max"] == 100 and o["animation"] is False


def test_trend_lines_leave_gaps():
    trends = {"rollcalls": [{"title": "10月党员大会", "opened_at": "2026-10-05T01:00:00Z"},
                            {"title": "11月党员大会", "opened_at": "2026-11-05T01:00:00Z"}],
              "villages": [{"village": "东村", "points": [{"rate_permille": 963}, None]},
                           {"village": "西村", "points": [{"rate_permille": None},
                                                          {"rate_permille": 500}]}]}
    o = options("trendOption", trends)
    assert [s["name"] for s in o["series"]] == ["东村", "西村"]
    assert o["series"][0]["data"] == [96.3, None] and o["series"][1]["data"] == [None, 50]
    assert o["xAxis"]["data"][1].endswith("2026-11-05"), o["xAxis"]


def test_question_bars():
    q = {"prompt": "工作作风", "options": [{"label": "满意", "count": 30},
                                          {"label": "基本满意", "count": 10},
                                          {"label": "不满意", "count": 2}]}
    o = options("questionOption", q)
    assert o["yAxis"]["data"] == ["不满意", "基本满意", "满意"]
    assert o["series"][0]["data"] == [2, 10, 30]
    assert o["xAxis"]["minInterval"] == 1
