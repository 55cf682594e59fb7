// The township's set-top boxes: household, village, last seen, version; unpair one (its token
// stops working at once). Pairing a new box by its code comes with the box's own issue.
import * as api from '../api.js';
import { withCsv } from '../csv.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages, villageSelect } from '../villages.js';

export function mount(root, { status }) {
  const s = { village: '' };
  const bar = el('div', { class: 'toolbar' });
  const list = el('div', { id: 'boxes-list' });
  root.append(el('h2', { text: '机顶盒' }), bar, list);

  async function unpair(b) {
    if (!window.confirm(`确定解除 ${b.village.name} ${b.household.name} 的机顶盒（编号 ${b.id}）吗？解除后它立即无法使用。`)) return;
    try {
      await api.del(`/api/v1/staff/boxes/${b.id}`);
      status(`已解除机顶盒 ${b.id}`);
      await load();
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  async function load() {
    try {
      const q = s.village ? `?village=${s.village}` : '';
      const page = await api.get(`/api/v1/staff/boxes${q}`);
      clear(list);
      list.append(withCsv(table(`共 ${page.total} 台`, ['编号', '村', '户', '最近在线', '软件版本', '状态', ''],
        page.boxes.map((b) => el('tr', { dataset: { box: b.id } },
          el('td', { class: 'num', text: b.id }), el('td', { text: b.village.name }),
          el('td', { text: b.household.name }), el('td', { text: b.last_seen ? bjTime(b.last_seen) : '从未' }),
          el('td', { class: 'version', text: b.version || '未上报' }),
          el('td', { class: b.paired ? 'ok' : 'bad', text: b.paired ? '已配对' : '已解除' }),
          el('td', {}, b.paired ? el('button', { type: 'button', class: 'unpair', onclick: () => unpair(b), text: '解除配对' }) : ''))),
      { id: 'boxes-table' }), 'boxes'));
      status('');
    } catch (err) {
      status(api.messageOf(err));
    }
  }

  villages().then((vs) => {
    const sel = villageSelect(vs, 'boxes-village', '按村筛选', '全部村');
    sel.addEventListener('change', () => { s.village = sel.value; load(); });
    bar.append(el('label', { for: 'boxes-village', text: '村：' }), sel,
      el('span', { class: 'muted', text: '用电视上显示的配对码添加新机顶盒：即将开放' }));
  }).catch(() => {});
  load();
  return {};
}
