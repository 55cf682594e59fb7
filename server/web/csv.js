// CSV export of a table as the page shows it: the header and every row, taken as text
// (textContent, never HTML), written as RFC 4180 (CRLF lines; a cell with a comma, quote, CR or
// LF in double quotes, quotes doubled) with a UTF-8 BOM so that spreadsheet programs open the
// Chinese right. Like the server's attendance CSV, a cell starting with = + - @ tab or CR gets a
// leading ' (and quotes) so that a spreadsheet shows it as text instead of running a formula.
// Columns whose header is empty (the action buttons) or marked data-csv="skip" are left out.
import { el } from './dom.js';

const BOM = '\ufeff';

export function csvCell(text) {
  let t = String(text ?? '');
  const formula = /^[=+\-@\t\r]/.test(t);
  if (formula) t = `'${t}`;
  return formula || /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

// Rows of cells (strings) as CSV text, BOM first, every line ending in CRLF.
export function toCsv(rows) {
  return BOM + rows.map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}

// The header and body rows of a rendered <table> as text, without the skipped columns.
export function tableRows(tableNode) {
  const heads = [...tableNode.querySelectorAll('thead th')];
  const keep = heads.map((h) => h.textContent.trim() !== '' && h.dataset.csv !== 'skip');
  const pick = (cells) => cells.filter((_, i) => keep[i] ?? true).map((c) => c.textContent);
  return [pick(heads), ...[...tableNode.querySelectorAll('tbody tr')].map((tr) => pick([...tr.cells]))];
}

// "desk-20261207-1530.csv": NAME and the Beijing time of the export.
export function csvFileName(name, now = new Date()) {
  const bj = new Date(now.getTime() + 8 * 3600 * 1000).toISOString();
  return `${name}-${bj.slice(0, 10).replace(/-/g, '')}-${bj.slice(11, 16).replace(':', '')}.csv`;
}

// Hands TEXT to the browser as a download called FILENAME (a Blob URL; the CSP does not
// restrict downloads, and the URL is revoked once the click has been handled).
export function download(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// An "导出 CSV" button for TABLENODE, whose file is called NAME-<date>-<time>.csv.
export function csvButton(tableNode, name) {
  return el('button', { type: 'button', class: 'csv-export', 'data-csv-for': tableNode.id || undefined,
    title: '下载这张表（可用 Excel、WPS 打开）', text: '导出 CSV',
    onclick: () => download(toCsv(tableRows(tableNode)), csvFileName(name)) });
}

// An export button for data the page shows in pieces but a spreadsheet wants whole (one table
// per question, each row naming its question): the file holds ROWSFN() (header row first).
// FORID names what it exports (data-csv-for), for tests and assistive tools.
export function rowsButton(forId, rowsFn, name, text = '导出 CSV') {
  return el('button', { type: 'button', class: 'csv-export', 'data-csv-for': forId,
    title: '下载这张表（可用 Excel、WPS 打开）', text,
    onclick: () => download(toCsv(rowsFn()), csvFileName(name)) });
}

// TABLENODE with its export button above it, in one block a view appends where the table went.
export function withCsv(tableNode, name) {
  return el('div', { class: 'table-block' }, el('div', { class: 'table-tools' }, csvButton(tableNode, name)), tableNode);
}
