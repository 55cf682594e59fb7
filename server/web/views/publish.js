// Publishing, in tabs: a notice or a disclosure (a finance disclosure with its ledger rows) for
// the whole township or one village, a course with its quiz (publish_course.js), and an uploaded
// video or poster (publish_upload.js). An item is on the boxes' lists as soon as it is saved
// (an upload's once its conversion is done).
import * as api from '../api.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages } from '../villages.js';
import * as course from './publish_course.js';
import * as upload from './publish_upload.js';

const KINDS = ['通知公告', '党务公开', '村务公开', '财务公示', '党费公示', '发展党员公示', '督查通报'];

// Yuan as typed ("1,234.5") into whole fen, or NaN.
export function toFen(text) {
  const t = String(text || '').replace(/[,，\s]/g, '');
  if (t === '') return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return NaN;
  const [y, f = ''] = t.split('.');
  return Number(y) * 100 + Number((f + '00').slice(0, 2));
}

const TABS = [
  { key: 'notice', text: '通知与公开', mount: mountNotice },
  { key: 'course', text: '课程与测验', mount: course.mount },
  { key: 'upload', text: '视频与海报', mount: upload.mount },
];

export function mount(root, ctx) {
  root.append(el('h2', { text: '发布内容' }));
  if (ctx.me.role !== 'staff' && ctx.me.role !== 'admin') {
    root.append(el('p', { class: 'muted', id: 'pub-staff-only', text: '发布通知和公开内容由镇党建办工作人员负责。' }));
    return {};
  }
  const panes = TABS.map((t) => el('div', { id: `pub-pane-${t.key}`, role: 'tabpanel', hidden: true }));
  const buttons = TABS.map((t, i) => el('button', {
    type: 'button', role: 'tab', id: `pub-tab-${t.key}`, text: t.text,
    onclick: () => show(i),
  }));
  const mounted = new Map(); // tab index -> what its mount returned
  function show(i) {
    ctx.status(''); // another tab's message ("已发布") is not about this one
    panes.forEach((p, k) => { p.hidden = k !== i; });
    buttons.forEach((b, k) => b.setAttribute('aria-selected', String(k === i)));
    if (!mounted.has(i)) mounted.set(i, TABS[i].mount(panes[i], ctx) || {});
  }
  root.append(el('div', { class: 'tabs', role: 'tablist', 'aria-label': '发布什么' }, buttons), ...panes);
  show(0);
  return { unmount: () => { for (const v of mounted.values()) if (v.unmount) v.unmount(); } };
}

function mountNotice(root, { status }) {
  const kind = el('select', { id: 'pub-kind' }, KINDS.map((k) => el('option', { value: k, text: k })));
  const scope = el('select', { id: 'pub-scope' }, el('option', { value: '', text: '全镇' }));
  const title = el('input', { id: 'pub-title', maxlength: 120, required: true });
  const body = el('textarea', { id: 'pub-body', maxlength: 16000 });
  const ledger = el('div', { id: 'pub-ledger', hidden: true });
  const rows = [];
  const done = el('div', { id: 'pub-done' });

  function ledgerRow() {
    const n = rows.length + 1;
    const r = {
      date: el('input', { type: 'date', 'aria-label': `第${n}行日期`, class: 'l-date' }),
      item: el('input', { 'aria-label': `第${n}行摘要`, maxlength: 100, class: 'l-item' }),
      income: el('input', { 'aria-label': `第${n}行收入（元）`, inputmode: 'decimal', class: 'l-income' }),
      expense: el('input', { 'aria-label': `第${n}行支出（元）`, inputmode: 'decimal', class: 'l-expense' }),
    };
    rows.push(r);
    return el('tr', {}, el('td', {}, r.date), el('td', {}, r.item), el('td', {}, r.income), el('td', {}, r.expense));
  }
  const ledgerTable = table('收支明细（元）', ['日期', '摘要', '收入', '支出'], [ledgerRow(), ledgerRow()]);
  ledger.append(ledgerTable,
    el('button', { type: 'button', id: 'pub-add-row', text: '再加一行', onclick: () => ledgerTable.tBodies[0].append(ledgerRow()) }));
  kind.addEventListener('change', () => { ledger.hidden = kind.value !== '财务公示'; });

  villages().then((vs) => scope.append(...vs.map((v) => el('option', { value: v.id, text: v.name })))).catch(() => {});

  async function submit(ev) {
    ev.preventDefault();
    const item = { kind: kind.value, title: title.value.trim(), body: body.value };
    if (scope.value) item.village_id = Number(scope.value);
    if (kind.value === '财务公示') {
      item.ledger = [];
      for (const r of rows) {
        if (!r.date.value && !r.item.value.trim()) continue;
        const income = toFen(r.income.value), expense = toFen(r.expense.value);
        if (Number.isNaN(income) || Number.isNaN(expense)) { status('金额请填写数字，最多两位小数'); return; }
        item.ledger.push({ date: r.date.value, item: r.item.value.trim(), income_fen: income, expense_fen: expense });
      }
    }
    try {
      const saved = await api.post('/api/v1/staff/content', item);
      clear(done);
      done.append(table('已发布', ['编号', '类型', '标题', '发布时间'], [el('tr', { dataset: { item: saved.id } },
        el('td', { text: saved.id }), el('td', { text: saved.kind }), el('td', { text: saved.title }),
        el('td', { text: bjTime(saved.published_at) }))], { id: 'pub-saved' }));
      status('已发布，机顶盒上马上能看到');
      title.value = '';
      body.value = '';
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  root.append(el('form', { class: 'stack', id: 'pub-form', onsubmit: submit },
    el('label', { for: 'pub-kind', text: '类型' }), kind,
    el('label', { for: 'pub-scope', text: '范围' }), scope,
    el('label', { for: 'pub-title', text: '标题' }), title,
    el('label', { for: 'pub-body', text: '正文' }), body,
    ledger,
    el('div', {}, el('button', { type: 'submit', class: 'primary', id: 'pub-submit', text: '发布' }))),
  done);
}
