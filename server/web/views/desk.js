// The service desk: open requests with their age against the 24 h deadline (overdue in red),
// filters by village and category, and for one request its history, assign, reply and close.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages, villageSelect } from '../villages.js';

const CATEGORIES = [
  ['agri_tech', '农业技术服务'], ['farm_policy', '惠农政策'], ['consult', '咨询'],
  ['culture', '文化休闲需求'], ['dispute', '邻里纠纷'], ['complaint', '问题举报投诉'],
  ['income', '致富误工指导']];
const STATES = { open: '待处理', assigned: '已分派', replied: '已答复', closed: '已办结' };

// "5 小时 20 分" since ISO, and whether past the deadline.
export function age(createdIso, now = Date.now()) {
  const mins = Math.max(0, Math.floor((now - Date.parse(createdIso)) / 60000));
  const h = Math.floor(mins / 60);
  return h ? `${h} 小时 ${mins % 60} 分` : `${mins} 分钟`;
}

export function mount(root, { feed, status }) {
  const s = { items: [], village: '', category: '', state: '', selected: 0, off: [], staff: [] };
  const filters = el('div', { class: 'toolbar' });
  const summary = el('p', { id: 'desk-summary' });
  const list = el('div', { id: 'desk-list' });
  const detail = el('div', { id: 'desk-detail' });
  root.append(el('h2', { text: '便民服务诉求' }), filters, summary, list, detail);

  async function renderFilters() {
    const vs = await villages().catch(() => []);
    const vsel = villageSelect(vs, 'desk-village', '按村筛选', '全部村');
    const csel = el('select', { id: 'desk-category', 'aria-label': '按类别筛选' },
      el('option', { value: '', text: '全部类别' }), CATEGORIES.map(([k, t]) => el('option', { value: k, text: t })));
    const ssel = el('select', { id: 'desk-state', 'aria-label': '按状态筛选' },
      el('option', { value: '', text: '全部状态' }), Object.entries(STATES).map(([k, t]) => el('option', { value: k, text: t })));
    vsel.addEventListener('change', () => { s.village = vsel.value; load(); });
    csel.addEventListener('change', () => { s.category = csel.value; render(); });
    ssel.addEventListener('change', () => { s.state = ssel.value; load(); });
    clear(filters);
    filters.append(el('label', { for: 'desk-village', text: '村：' }), vsel,
      el('label', { for: 'desk-category', text: '类别：' }), csel,
      el('label', { for: 'desk-state', text: '状态：' }), ssel);
  }

  function render() {
    clear(list);
    const rows = s.items.filter((r) => !s.category || r.category === s.category);
    if (!rows.length) {
      list.append(el('p', { class: 'muted', text: '没有符合条件的诉求。' }));
      return;
    }
    list.append(withCsv(table('', ['编号', '村', '户 / 成员', '电话', '类别', '内容', '状态', '已过时间', '办理期限', ''],
      rows.map((r) => el('tr', { class: r.overdue ? 'overdue' : '', dataset: { request: r.id } },
        el('td', { class: 'num', text: r.id }),
        el('td', { text: r.village.name }),
        el('td', { text: `${r.household.name}${r.member ? ' / ' + r.member.name : ''}` }),
        el('td', { text: r.phone }),
        el('td', { text: r.category_title }),
        el('td', { class: 'note', text: r.note || '—' }),
        el('td', { text: (r.overdue ? '已超时 · ' : '') + (STATES[r.state] || r.state) }),
        el('td', { text: age(r.created_at, r.closed_at ? Date.parse(r.closed_at) : Date.now()) }),
        el('td', { text: bjTime(r.deadline_at) }),
        el('td', {}, el('button', { type: 'button', class: 'open-request', onclick: () => select(r.id), text: '办理' })))),
    { id: 'desk-table' }), 'desk-requests'));
  }

  async function load() {
    const q = new URLSearchParams({ per_page: '50' });
    if (s.village) q.set('village', s.village);
    if (s.state) q.set('state', s.state);
    try {
      const page = await api.get(`/api/v1/desk/requests?${q}`);
      s.items = page.items;
      summary.textContent = `共 ${page.total} 件，其中超时 ${page.overdue} 件`;
      render();
      if (s.selected) await select(s.selected, true);
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function select(id, quiet) {
    s.selected = id;
    try {
      if (!s.staff.length) s.staff = (await api.get('/api/v1/desk/staff')).staff;
      showDetail(await api.get(`/api/v1/desk/requests/${id}`), quiet);
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  function showDetail(r, quiet) {
    clear(detail);
    const closed = r.state === 'closed';
    const reply = el('textarea', { id: 'desk-reply', maxlength: 1000, 'aria-label': '答复内容', disabled: closed });
    const who = el('select', { id: 'desk-assignee', 'aria-label': '分派给', disabled: closed },
      s.staff.map((p) => el('option', { value: p.id, selected: r.assignee && r.assignee.id === p.id, text: p.name })));
    const act = (fn) => async () => {
      try { showDetail(await fn()); await load(); } catch (err) { status(api.messageOf(err)); }
    };
    detail.append(el('h3', { text: `诉求 ${r.id}：${r.category_title} · ${r.village.name} ${r.household.name}` }),
      el('p', { text: `电话 ${r.phone} · 提出于 ${bjTime(r.created_at)} · 期限 ${bjTime(r.deadline_at)} · ${STATES[r.state]}${r.overdue ? ' · 已超时' : ''}` }),
      el('p', { class: 'note', text: r.note ? `内容：${r.note}` : '（没有留言）' }),
      withCsv(table('办理记录', ['时间', '办理人', '答复'], r.replies.map((p) => [bjTime(p.created_at), p.author, p.body]), { id: 'desk-history' }), `desk-request-${r.id}`),
      el('div', { class: 'toolbar' }, el('label', { for: 'desk-assignee', text: '分派给：' }), who,
        el('button', { type: 'button', id: 'desk-assign', disabled: closed, text: '分派',
          onclick: act(() => api.post(`/api/v1/desk/requests/${r.id}/assign`, { assignee_id: Number(who.value) })) })),
      el('label', { for: 'desk-reply', text: '答复（会立即显示在群众的电视上）：' }), reply,
      el('div', { class: 'toolbar' },
        el('button', { type: 'button', class: 'primary', id: 'desk-send', disabled: closed, text: '发送答复',
          onclick: act(() => api.post(`/api/v1/desk/requests/${r.id}/reply`, { body: reply.value })) }),
        el('button', { type: 'button', id: 'desk-close', disabled: closed, text: '办结',
          onclick: act(() => api.post(`/api/v1/desk/requests/${r.id}/close`, reply.value.trim() ? { note: reply.value } : undefined)) })));
    if (!quiet) reply.focus();
  }

  s.off.push(feed.on('request.created', load));
  s.off.push(feed.on('request.reply', load));
  renderFilters();
  load();
  const tick = setInterval(render, 60000); // ages move on
  return { unmount() { clearInterval(tick); s.off.forEach((f) => f()); } };
}
