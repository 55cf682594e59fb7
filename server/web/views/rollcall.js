// Live roll call: per village signed/expected, %, a bar each, the absentees by name, the CSV;
// numbers move on rollcall.checkin events without a reload; open one on a village's behalf (in
// the live broadcasts above), close one.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime, percent } from '../dom.js';
import { rollcallBarOption, draw, dispose } from '../charts.js';
import { mountLive } from './live_open.js';

// Up to this many absentees are listed at once; beyond, staff pick a village (a township-wide
// roll call of 5,000 members would otherwise list thousands of names nobody reads at once).
const ABSENT_ALL_MAX = 300;

export function mount(root, { feed, status }) {
  const s = { list: [], id: 0, att: null, absent: null, village: 0, timer: 0, off: [],
    watching: null };
  const head = el('div', { class: 'toolbar' });
  const cards = el('div', { class: 'cards', id: 'rc-cards' });
  const chart = el('div', { class: 'chart', id: 'rc-chart', role: 'img', 'aria-label': '各村签到比例' });
  const villages = el('div', { id: 'rc-villages' });
  const absent = el('div', { id: 'rc-absent' });
  const record = el('div', { id: 'rc-record' });
  const liveBox = el('div', { id: 'rc-live' });
  root.append(el('h2', { text: '实时点名' }), liveBox, head, cards,
    el('div', { class: 'grid2' }, chart, villages), absent, record);

  // A member's record: meetings called and attended, credits.
  async function showRecord(memberId) {
    try {
      const r = await api.get(`/api/v1/staff/members/${memberId}/record`);
      clear(record);
      record.append(el('h3', { text: `${r.member.name} 的记录：应到会 ${r.meetings_called} 次，到会 ${r.meetings_attended} 次，积分 ${r.credits.total} 分` }),
        withCsv(table('参会记录', ['会议', '时间', '签到时间', '是否到会'],
          r.attendance.map((x) => [x.title, bjTime(x.opened_at), x.checked_in_at ? bjTime(x.checked_in_at) : '—', x.attended ? '是' : '否']),
          { id: 'rc-record-table' }), `member-${memberId}-meetings`),
        withCsv(table('积分明细', ['事项', '分值', '时间'],
          r.credits.items.map((c) => [c.title, c.points, bjTime(c.earned_at)]), { id: 'rc-credits-table' }), `member-${memberId}-credits`));
      record.scrollIntoView({ block: 'start' });
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  function renderHead() {
    clear(head);
    if (!s.list.length) {
      head.append(el('p', { class: 'muted', text: '还没有点名。村干部在直播中发起点名（或上方代村发起）后，这里实时显示签到情况。' }));
      return;
    }
    const sel = el('select', { id: 'rc-select', 'aria-label': '选择点名' },
      s.list.map((r) => el('option', { value: r.id, selected: r.id === s.id },
        `${r.state === 'open' ? '【进行中】' : ''}${r.title} · ${r.scope.name} · ${bjTime(r.opened_at)}`)));
    sel.addEventListener('change', () => { s.id = Number(sel.value); s.village = 0; s.absent = null; load(); });
    const r = s.list.find((x) => x.id === s.id);
    head.append(el('label', { for: 'rc-select', text: '点名：' }), sel,
      el('a', { class: 'button', id: 'rc-csv', href: `/api/v1/staff/rollcalls/${s.id}/attendance.csv`,
        download: `rollcall-${s.id}.csv`, text: '导出签到表（CSV）' }));
    if (r && r.state === 'open') {
      head.append(el('button', { type: 'button', id: 'rc-close', onclick: closeRollcall, text: '结束点名' }));
    }
  }

  function renderNumbers() {
    const a = s.att;
    if (!a) return;
    clear(cards);
    const t = a.totals;
    cards.append(
      el('div', { class: 'card' }, el('div', { text: '应到' }), el('div', { class: 'big', id: 'rc-expected', text: t.expected })),
      el('div', { class: 'card' }, el('div', { text: '已签到' }), el('div', { class: 'big ok', id: 'rc-present', text: `${t.present}/${t.expected}` })),
      el('div', { class: 'card' }, el('div', { text: '未签到' }), el('div', { class: 'big bad', id: 'rc-absent-count', text: t.absent })),
      el('div', { class: 'card' }, el('div', { text: '到会率' }), el('div', { class: 'big', id: 'rc-rate', text: percent(t.rate_permille) })),
      el('div', { class: 'card' }, el('div', { text: '正在收看' }), el('div', { class: 'big', id: 'rc-watching', text: s.watching ? `${s.watching.households} 户` : '—' })),
      el('div', { class: 'card' }, el('div', { text: '状态' }), el('div', { class: 'big', text: a.rollcall.state === 'open' ? '进行中' : '已结束' })));
    const watchingIn = (id) => {
      const w = s.watching && s.watching.villages.find((x) => x.village_id === id);
      return w ? w.households : 0;
    };
    clear(villages);
    villages.append(withCsv(table('各村签到（点村名看未签到人员）', ['村', '已签到/应到', '到会率', '正在收看（户）'],
      a.villages.map((v) => el('tr', { dataset: { village: v.village_id }, class: v.village_id === s.village ? 'chosen' : '' },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', text: v.village,
          onclick: () => { s.village = v.village_id; load(); } })),
        el('td', { class: 'num signed', text: `${v.present}/${v.expected}` }),
        el('td', { class: 'num', text: percent(v.rate_permille) }),
        el('td', { class: 'num watching', text: watchingIn(v.village_id) }))), { id: 'rc-table' }), `rollcall-${s.id}-villages`));
    draw(chart, rollcallBarOption(a.villages));
  }

  function renderAbsent() {
    clear(absent);
    if (!s.absent) {
      if (s.att) absent.append(el('p', { class: 'muted', id: 'rc-absent-hint', text: `共 ${s.att.totals.absent} 人未签到：点左侧表中的村名，查看该村未签到人员。` }));
      return;
    }
    const where = s.village ? (s.att.villages.find((v) => v.village_id === s.village) || {}).village : '';
    absent.append(withCsv(table(`${where || ''}未签到人员（${s.absent.count} 人）`, ['村', '户', '姓名', '电话', ''],
      s.absent.absentees.map((m) => [m.village, m.household, m.name, m.phone || '—',
        el('button', { type: 'button', class: 'record', onclick: () => showRecord(m.member_id), text: '查看记录' })]),
      { id: 'rc-absentees' }), `rollcall-${s.id}-absent`));
  }

  async function load() {
    if (!s.id) return;
    try {
      const [att, watching] = await Promise.all([
        api.get(`/api/v1/staff/rollcalls/${s.id}/attendance`),
        api.get(`/api/v1/staff/rollcalls/${s.id}/watching`)]);
      s.att = att;
      s.watching = watching;
      if (att.villages.length === 1) s.village = att.villages[0].village_id;
      renderHead();
      renderNumbers(); // drawn once: the absentees below change neither the figures nor the chart
      const q = s.village ? `?village=${s.village}` : '';
      s.absent = s.village || att.totals.absent <= ABSENT_ALL_MAX
        ? await api.get(`/api/v1/staff/rollcalls/${s.id}/absentees${q}`) : null;
      renderAbsent();
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function loadList() {
    try {
      const page = await api.get('/api/v1/staff/rollcalls?per_page=50');
      s.list = page.items;
      if (!s.list.some((r) => r.id === s.id)) {
        const open = s.list.find((r) => r.state === 'open');
        s.id = (open || s.list[0] || { id: 0 }).id;
      }
      renderHead();
      await load();
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function closeRollcall() {
    if (!window.confirm('确定结束这次点名吗？结束后不能再签到。')) return;
    try {
      await api.post(`/api/v1/rollcalls/${s.id}/close`);
      await loadList();
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  // A check-in: count it at once, then re-read the absentees (and the exact figures) shortly.
  function onCheckin(d) {
    if (!s.att || d.rollcall_id !== s.id) return;
    const v = s.att.villages.find((x) => x.village_id === d.village_id);
    if (v) {
      v.present += 1;
      v.absent -= 1;
      v.rate_permille = v.expected ? Math.round((1000 * v.present) / v.expected) : null;
      const t = s.att.totals;
      t.present += 1;
      t.absent -= 1;
      t.rate_permille = t.expected ? Math.round((1000 * t.present) / t.expected) : null;
      renderNumbers();
    }
    clearTimeout(s.timer);
    s.timer = setTimeout(load, 400);
  }

  s.off.push(feed.on('rollcall.checkin', onCheckin));
  s.off.push(feed.on('rollcall.opened', loadList));
  s.off.push(feed.on('rollcall.closed', loadList));
  // A stream that opened again may have missed check-ins meanwhile: read the figures anew.
  s.off.push(feed.on('open', (d) => { if (d.again && s.id) load(); }));
  loadList();
  const live = mountLive(liveBox, { feed, status, onOpened: (rc) => { s.id = rc.id; s.village = 0; loadList(); } });
  const tick = setInterval(() => { if (s.id) load(); }, 20000); // who is watching moves on
  return {
    unmount() {
      clearInterval(tick);
      live.unmount();
      clearTimeout(s.timer);
      s.off.forEach((f) => f());
      dispose(chart);
    },
  };
}
