// Building the page's elements. Text always goes in as textContent (never innerHTML), so a
// member's name such as <img src=x onerror=…> shows as the characters it is.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// A table with a caption, header cells and rows of cells (strings, numbers or nodes).
// opts.skipCsv: indexes of columns the CSV export leaves out (links, buttons).
export function table(caption, headers, rows, opts = {}) {
  const skip = opts.skipCsv || [];
  return el('table', { class: opts.class || 'data', id: opts.id },
    caption ? el('caption', { text: caption }) : null,
    el('thead', {}, el('tr', {}, headers.map((h, i) =>
      el('th', { scope: 'col', text: h, dataset: skip.includes(i) ? { csv: 'skip' } : undefined })))),
    el('tbody', {}, rows.map((r) => (r instanceof Node ? r : el('tr', {}, r.map((c) =>
      (c instanceof Node ? el('td', {}, c) : el('td', { text: c ?? '' }))))))));
}

const BJ = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', hour12: false,
});
// An ISO time in Beijing time, "2026/11/23 13:40".
export function bjTime(iso) {
  return iso ? BJ.format(new Date(iso)) : '';
}

export function percent(permille) {
  return permille === null || permille === undefined ? '—' : `${(permille / 10).toFixed(1)}%`;
}
