// Duty checks: ask a village office now (or a random village during working hours); the list
// shows which were answered (and in how long) and which were missed.
import * as api from '../api.js';
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
  root.append(el('h2', { text: '值班坐班抽查' }), bar, note, list);

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
  }

  async function load() {
    try {
      const page = await api.get('/api/v1/staff/duty-checks?per_page=50');
      clear(list);
      list.append(table(`抽查记录（共 ${page.total} 次）`, ['村', '发起人', '发出时间', '应答期限', '结果', '应答用时'],
        page.items.map((c) => el('tr', { class: c.state === 'absent' ? 'overdue' : '', dataset: { check: c.id } },
          el('td', { text: c.village.name }), el('td', { text: c.checked_by.name }),
          el('td', { text: bjTime(c.requested_at) }), el('td', { text: bjTime(c.answer_by) }),
          el('td', { class: c.state === 'on_duty' ? 'ok' : '', text: STATES[c.state] || c.state }),
          el('td', { text: took(c) }))), { id: 'duty-table' }));
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  s.off.push(feed.on('duty.check', load));
  renderBar();
  load();
  const tick = setInterval(load, 30000); // a waiting check turns absent after 10 minutes
  return { unmount() { clearInterval(tick); s.off.forEach((f) => f()); } };
}
