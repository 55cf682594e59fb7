// What is live in the township, for the roll-call view: each live broadcast with the roll calls
// open on it, and a way to open one for a village whose cadre cannot (on the village's own
// broadcast, or any village on the township's). Refreshed by the broadcast and roll-call events.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages } from '../villages.js';

export function mountLive(box, { feed, status, onOpened }) {
  let all = [];
  let seq = 0;

  function row(b) {
    const calling = new Set(b.rollcalls.map((r) => r.scope.id));
    // A village's broadcast calls that village; the township's any village not called yet.
    const choices = all.filter((v) => (b.org_id === v.id || !all.some((x) => x.id === b.org_id))
      && !calling.has(v.id));
    const sel = el('select', { class: 'live-village', 'aria-label': `为哪个村发起点名：${b.title}` },
      choices.map((v) => el('option', { value: v.id, text: v.name })));
    const open = el('button', { type: 'button', class: 'live-open', text: '代村发起点名',
      disabled: !choices.length,
      onclick: async () => {
        try {
          const rc = await api.post(`/api/v1/broadcasts/${b.id}/rollcalls`, { village_id: Number(sel.value) });
          status(`已为${sel.selectedOptions[0].textContent}发起点名，应到 ${rc.expected} 人`);
          await refresh();
          if (onOpened) onOpened(rc);
        } catch (err) {
          status(api.messageOf(err));
        }
      } });
    return el('tr', { dataset: { broadcast: b.id } },
      el('td', { text: b.title }), el('td', { text: b.scope }), el('td', { text: bjTime(b.started_at) }),
      el('td', { class: 'calling', text: b.rollcalls.map((r) => r.scope.name).join('、') || '—' }),
      el('td', {}, choices.length ? [sel, ' ', open] : el('span', { class: 'muted', text: all.some((x) => x.id === b.org_id) ? '该村已在点名' : '各村都已在点名' })));
  }

  async function refresh() {
    const mine = ++seq;
    try {
      const [live, vs] = await Promise.all([api.get('/api/v1/staff/broadcasts'), villages()]);
      if (mine !== seq) return;
      all = vs;
      clear(box);
      if (!live.broadcasts.length) {
        box.append(el('p', { class: 'muted', id: 'live-none', text: '现在没有正在进行的直播。' }));
        return;
      }
      box.append(withCsv(table('正在直播（村干部不在时，可代村发起点名）', ['直播', '范围', '开始时间', '正在点名的村', '代村发起点名'],
        live.broadcasts.map(row), { id: 'live-table', skipCsv: [4] }), 'broadcasts'));
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  const off = ['broadcast.started', 'broadcast.ended', 'rollcall.opened', 'rollcall.closed']
    .map((t) => feed.on(t, refresh));
  refresh();
  return { unmount() { off.forEach((f) => f()); } };
}
