// A village cadre's page: their own branch only. The branch's open roll call with who has
// signed in and who not yet (live on rollcall.checkin), and the duty checks waiting for the
// cadre's answer. Nothing of other villages or of the township's staff views is reachable.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';

export function mount(root, { me, feed, status }) {
  const s = { list: [], id: 0, off: [], timer: 0 };
  const rcBox = el('div', { id: 'br-rollcall' });
  const dutyBox = el('div', { id: 'br-duty' });
  root.append(el('h2', { text: `${me.org.name}党支部` }),
    el('h3', { text: '本支部点名' }), rcBox, el('h3', { text: '值班抽查应答' }), dutyBox);

  async function loadRollcall() {
    try {
      const { rollcalls } = await api.get('/api/v1/cadre/rollcalls');
      s.list = rollcalls;
      clear(rcBox);
      if (!rollcalls.length) {
        rcBox.append(el('p', { class: 'muted', id: 'br-none', text: '现在没有进行中的点名。在直播中发起点名后，这里实时显示本支部的签到情况。' }));
        return;
      }
      if (!rollcalls.some((r) => r.id === s.id)) s.id = rollcalls[0].id;
      const r = await api.get(`/api/v1/rollcalls/${s.id}/signins`);
      const rc = r.rollcall;
      rcBox.append(el('p', { class: 'lead' }, `${rc.title} · 开始于 ${bjTime(rc.opened_at)} · 已签到 `,
        el('strong', { id: 'br-present', text: `${r.checked_in.length}/${rc.expected}` })),
      el('div', { class: 'grid2' },
        withCsv(table(`未签到（${r.absent.length} 人）`, ['户', '姓名'], r.absent.map((m) => [m.household, m.name]), { id: 'br-absent' }), `rollcall-${rc.id}-absent`),
        withCsv(table(`已签到（${r.checked_in.length} 人）`, ['户', '姓名', '签到时间'],
          r.checked_in.map((m) => [m.household, m.name, bjTime(m.checked_in_at)]), { id: 'br-present-list' }), `rollcall-${rc.id}-present`)));
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function answer(id) {
    try {
      await api.post(`/api/v1/cadre/duty-checks/${id}/answer`);
      status('已应答：在岗');
      await loadDuty();
    } catch (err) {
      status(err instanceof api.ApiError && err.code === 'duty_check_expired' ? '已超过 10 分钟，记为缺岗' : api.messageOf(err));
      await loadDuty();
    }
  }

  async function loadDuty() {
    try {
      const { checks } = await api.get('/api/v1/cadre/duty-checks');
      clear(dutyBox);
      if (!checks.length) {
        dutyBox.append(el('p', { class: 'muted', id: 'br-duty-none', text: '没有等待应答的抽查。镇里抽查时，请在 10 分钟内点“我在岗”。' }));
        return;
      }
      dutyBox.append(table('等待应答的抽查', ['发起人', '发出时间', '应答期限', ''],
        checks.map((c) => el('tr', { dataset: { check: c.id } },
          el('td', { text: c.checked_by.name }), el('td', { text: bjTime(c.requested_at) }),
          el('td', { text: bjTime(c.answer_by) }),
          el('td', {}, el('button', { type: 'button', class: 'primary answer', text: '我在岗', onclick: () => answer(c.id) })))),
      { id: 'br-duty-table' }));
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  const soon = () => { clearTimeout(s.timer); s.timer = setTimeout(loadRollcall, 200); };
  for (const t of ['rollcall.opened', 'rollcall.closed', 'rollcall.checkin', 'open']) s.off.push(feed.on(t, soon));
  s.off.push(feed.on('duty.check', loadDuty));
  loadRollcall();
  loadDuty();
  return { unmount() { clearTimeout(s.timer); s.off.forEach((f) => f()); } };
}
