// Duty checks: ask a village office now (or a random village during working hours), or plan
// random checks ahead (the server draws the villages and the moments within the hours given,
// and sends each when due); the list shows which were answered (and in how long) and which were
// missed.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages, villageSelect } from '../villages.js';

const STATES = { requested: '等待应答', on_duty: '在岗', absent: '未应答（缺岗）' };

// Working hours in Beijing time: 8:00-12:00 and 14:00-17:30 on weekdays.
export function inWorkingHours(date = new Date()) {
  const bj = new Date(date.getTime() + 8 * 3600 * 1000);
  const day = bj.getUTCDay();
  const m = bj.getUTCHours() * 60 + bj.getUTCMinutes();
  return day >= 1 && day <= 5 && ((m >= 480 && m < 720) || (m >= 840 && m < 1050));
}

// "2026-12-08" and "08:30" in Beijing time as an ISO UTC time (China keeps UTC+8 all year).
export function bjToIso(day, hhmm) {
  const [y, mo, d] = day.split('-').map(Number);
  const [h, mi] = hhmm.split(':').map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 8, mi)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Today in Beijing, "2026-12-07".
function bjToday() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

function took(c) {
  if (!c.answered_at) return '—';
  const s = Math.round((Date.parse(c.answered_at) - Date.parse(c.requested_at)) / 1000);
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}

export function mount(root, { feed, status }) {
  const s = { off: [], villages: [] };
  const bar = el('div', { class: 'toolbar' });
  const note = el('p', { class: 'muted', id: 'duty-note' });
  const list = el('div', { id: 'duty-list' });
  const planForm = el('form', { class: 'toolbar', id: 'plan-form' });
  const plans = el('div', { id: 'duty-plans' });
  root.append(el('h2', { text: '值班坐班抽查' }), bar, note,
    el('h3', { text: '安排随机抽查' }), planForm, plans, list);

  async function loadPlans() {
    try {
      const p = await api.get('/api/v1/staff/duty-plans');
      clear(plans);
      plans.append(withCsv(table(`待发出的随机抽查（${p.plans.length} 次，村干部事先看不到）`, ['村', '发出时间', '安排人', ''],
        p.plans.map((x) => el('tr', { dataset: { plan: x.id } },
          el('td', { text: x.village.name }), el('td', { class: 'due', text: bjTime(x.due_at) }),
          el('td', { text: x.planned_by.name }),
          el('td', {}, el('button', { type: 'button', class: 'cancel-plan', text: '取消',
            onclick: async () => {
              try { await api.del(`/api/v1/staff/duty-plans/${x.id}`); await loadPlans(); } catch (err) { status(api.messageOf(err)); }
            } })))), { id: 'plans-table' }), 'duty-plans'));
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  function renderPlanForm() {
    const day = el('input', { type: 'date', id: 'plan-day', value: bjToday(), required: true });
    const from = el('input', { type: 'time', id: 'plan-from', value: '08:30', required: true });
    const to = el('input', { type: 'time', id: 'plan-to', value: '17:30', required: true });
    const count = el('input', { type: 'number', id: 'plan-count', value: 1, min: 1, max: Math.max(1, s.villages.length), required: true });
    clear(planForm);
    planForm.append(el('label', { for: 'plan-day', text: '日期' }), day,
      el('label', { for: 'plan-from', text: '从' }), from, el('label', { for: 'plan-to', text: '到' }), to,
      el('label', { for: 'plan-count', text: '抽查几个村' }), count,
      el('button', { type: 'submit', class: 'primary', id: 'plan-submit', text: '安排' }));
    planForm.onsubmit = async (ev) => {
      ev.preventDefault();
      // A window that has begun starts now: the server draws only moments still ahead.
      const start = Math.max(Date.parse(bjToIso(day.value, from.value)), Date.now() + 5000);
      const body = { from: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        to: bjToIso(day.value, to.value), count: Number(count.value), village_ids: s.villages.map((v) => v.id) };
      try {
        const r = await api.post('/api/v1/staff/duty-plans', body);
        status(`已安排 ${r.plans.length} 次随机抽查，到时自动发出`);
        await loadPlans();
      } catch (err) {
        status(err instanceof api.ApiError && err.status === 400 ? '时间或数量不对：请选今天之后、结束晚于开始的时间段，数量不超过村数' : api.messageOf(err));
      }
    };
  }

  async function send(villageId) {
    try {
      const c = await api.post('/api/v1/staff/duty-checks', { village_id: villageId });
      status(`已向${c.village.name}发出抽查，请在 10 分钟内应答`);
      await load();
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function renderBar() {
    s.villages = await villages().catch(() => []);
    const sel = villageSelect(s.villages, 'duty-village', '选择村');
    clear(bar);
    bar.append(el('label', { for: 'duty-village', text: '村：' }), sel,
      el('button', { type: 'button', class: 'primary', id: 'duty-send', text: '立即抽查', onclick: () => send(Number(sel.value)) }),
      el('button', { type: 'button', id: 'duty-random', text: '随机抽查一个村', onclick: () => {
        if (!inWorkingHours()) { status('现在不是工作时间（工作日 8:00–12:00、14:00–17:30）'); return; }
        const v = s.villages[Math.floor(Math.random() * s.villages.length)];
        if (v) send(v.id);
      } }));
    note.textContent = '村干部须在 10 分钟内在工作台上应答，否则记为缺岗。随机抽查只在工作时间发出。';
    renderPlanForm();
  }

  async function load() {
    try {
      const page = await api.get('/api/v1/staff/duty-checks?per_page=50');
      clear(list);
      list.append(withCsv(table(`抽查记录（共 ${page.total} 次）`, ['村', '发起人', '发出时间', '应答期限', '结果', '应答用时'],
        page.items.map((c) => el('tr', { class: c.state === 'absent' ? 'overdue' : '', dataset: { check: c.id } },
          el('td', { text: c.village.name }), el('td', { text: c.checked_by.name }),
          el('td', { text: bjTime(c.requested_at) }), el('td', { text: bjTime(c.answer_by) }),
          el('td', { class: c.state === 'on_duty' ? 'ok' : '', text: STATES[c.state] || c.state }),
          el('td', { text: took(c) }))), { id: 'duty-table' }), 'duty-checks'));
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  s.off.push(feed.on('duty.check', () => { load(); loadPlans(); }));
  renderBar();
  load();
  loadPlans();
  const tick = setInterval(load, 30000); // a waiting check turns absent after 10 minutes
  return { unmount() { clearInterval(tick); s.off.forEach((f) => f()); } };
}
