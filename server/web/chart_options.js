// ECharts options as pure functions of the data, so a test can check them without a browser
// (tests/integration/test_dashboard_charts.py runs them in node). Colours keep 7:1 contrast
// for labels on the white card.
const INK = '#1a1a1a';
const RED = '#b0141c';
const FONT = { fontSize: 16, color: INK };

// One bar per village: the share of expected members signed in, labelled "signed/expected".
export function rollcallBarOption(villages) {
  const rows = [...villages].reverse(); // first village on top
  return {
    animation: false,
    grid: { left: 110, right: 110, top: 10, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...FONT, formatter: '{value}%' } },
    yAxis: { type: 'category', data: rows.map((v) => v.village), axisLabel: FONT },
    series: [{
      type: 'bar',
      data: rows.map((v) => (v.expected ? Math.round((1000 * v.present) / v.expected) / 10 : 0)),
      barMaxWidth: 40,
      itemStyle: { color: RED },
      label: {
        show: true, position: 'right', ...FONT,
        formatter: (p) => `${rows[p.dataIndex].present}/${rows[p.dataIndex].expected}`,
      },
    }],
  };
}

// Attendance per village over the closed roll calls (GET /api/v1/staff/trends): a line each.
export function trendOption(trends) {
  const x = trends.rollcalls.map((r) => `${r.title.slice(0, 10)}\n${r.opened_at.slice(0, 10)}`);
  return {
    animation: false,
    legend: { type: 'scroll', top: 0, textStyle: FONT },
    grid: { left: 60, right: 30, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: x, axisLabel: { ...FONT, fontSize: 14 } },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...FONT, formatter: '{value}%' } },
    series: trends.villages.map((v) => ({
      type: 'line',
      name: v.village,
      connectNulls: false,
      data: v.points.map((p) => (p && p.rate_permille !== null ? p.rate_permille / 10 : null)),
    })),
  };
}

// A question's answers: one bar per option with its count.
export function questionOption(question) {
  return {
    animation: false,
    grid: { left: 120, right: 60, top: 10, bottom: 30 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: FONT },
    yAxis: { type: 'category', data: question.options.map((o) => o.label).reverse(), axisLabel: FONT },
    series: [{
      type: 'bar',
      data: question.options.map((o) => o.count).reverse(),
      barMaxWidth: 32,
      itemStyle: { color: RED },
      label: { show: true, position: 'right', ...FONT },
    }],
  };
}

