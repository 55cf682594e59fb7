// History: attendance per village over the last closed roll calls (about 12 months of monthly
// meetings) as a chart, and every roll call of the last 12 months with its CSV.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime, percent } from '../dom.js';
import { trendOption, draw, dispose } from '../charts.js';

export function mount(root, { status }) {
  const chart = el('div', { class: 'chart', id: 'hist-chart', role: 'img', 'aria-label': '各村到会率走势' });
  const list = el('div', { id: 'hist-list' });
  root.append(el('h2', { text: '历史统计（近 12 个月）' }), chart, list);

  async function load() {
    try {
      const from = new Date(Date.now() - 365 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      const [trends, page] = await Promise.all([
        api.get('/api/v1/staff/trends?last=24'),
        api.get(`/api/v1/staff/rollcalls?per_page=50&from=${from}`)]);
      if (trends.rollcalls.length) draw(chart, trendOption(trends));
      else chart.append(el('p', { class: 'muted empty', text: '还没有结束的点名：点名结束后，这里显示各村到会率的走势。' }));
      clear(list);
      list.append(withCsv(table('历次点名', ['点名', '范围', '时间', '应到', '实到', '到会率', '签到表'],
        page.items.map((r) => [r.title, r.scope.name, bjTime(r.opened_at), r.expected, r.present,
          percent(r.rate_permille),
          el('a', { href: `/api/v1/staff/rollcalls/${r.id}/attendance.csv`, download: `rollcall-${r.id}.csv`, text: '下载 CSV' })]),
        { id: 'hist-table', skipCsv: [6] }), 'rollcalls'));
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }
  load();
  return { unmount() { dispose(chart); } };
}
