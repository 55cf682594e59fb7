// Evaluation results: per questionnaire, how many chose each option, as bars. The server never
// says who answered, and withholds a result with fewer than 5 answers. The CSV of a question,
// and of the whole questionnaire, names the question and the option on every row (counts only:
// there is nothing about who answered to export).
import * as api from '../api.js';
import { rowsButton } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';
import { questionOption, draw, dispose } from '../charts.js';

export function mount(root, { status }) {
  const s = { charts: [] };
  const bar = el('div', { class: 'toolbar' });
  const body = el('div', { id: 'eval-body' });
  root.append(el('h2', { text: '党风评议结果' }), bar, body);

  function clearCharts() {
    s.charts.forEach(dispose);
    s.charts = [];
  }

  async function show(id) {
    clearCharts();
    clear(body);
    try {
      const r = await api.get(`/api/v1/staff/questionnaires/${id}/results`);
      body.append(el('p', { id: 'eval-summary', text: `${r.title} · ${r.scope.name} · ${r.anonymous ? '匿名' : '记名'} · 已有 ${r.respondents} 人作答` }));
      if (r.withheld) {
        body.append(el('p', { class: 'bad', id: 'eval-withheld', text: '作答不足 5 人，为保护作答人，暂不显示结果。' }));
        return;
      }
      const head = ['问题', '选项', '人数'];
      const rowsOf = (q) => q.options.map((o) => [q.prompt + (q.multiple ? '（多选）' : ''), o.label, o.count]);
      body.append(el('div', { class: 'table-tools' }, rowsButton('eval-all',
        () => [head, ...r.questions.flatMap(rowsOf)], `evaluation-${id}`, '导出整份问卷 CSV')));
      for (const q of r.questions) {
        const c = el('div', { class: 'chart small', role: 'img', 'aria-label': q.prompt });
        c.style.height = `${Math.max(160, 48 * q.options.length + 40)}px`;
        const t = table('', ['选项', '人数'], q.options.map((o) => el('tr', { dataset: { option: o.id } },
          el('td', { text: o.label }), el('td', { class: 'num count', text: o.count }))), { class: 'data compact', id: `eval-q${q.id}` });
        body.append(el('h3', { text: q.prompt + (q.multiple ? '（多选）' : '') }), c,
          el('div', { class: 'table-block' }, el('div', { class: 'table-tools' },
            rowsButton(`eval-q${q.id}`, () => [head, ...rowsOf(q)], `evaluation-${id}-q${q.id}`)), t));
        draw(c, questionOption(q));
        s.charts.push(c);
      }
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function load() {
    try {
      const list = await api.get('/api/v1/staff/questionnaires');
      clear(bar);
      if (!list.questionnaires.length) {
        bar.append(el('p', { class: 'muted', text: '还没有评议问卷。' }));
        return;
      }
      const sel = el('select', { id: 'eval-select', 'aria-label': '选择问卷' },
        list.questionnaires.map((f) => el('option', { value: f.id,
          text: `${f.title}（${f.scope.name}，${f.respondents} 人作答，${bjTime(f.published_at)}）` })));
      sel.addEventListener('change', () => show(sel.value));
      bar.append(el('label', { for: 'eval-select', text: '问卷：' }), sel);
      await show(sel.value);
    } catch (err) {
      status(api.messageOf(err));
    }
  }
  load();
  return { unmount: clearCharts };
}
