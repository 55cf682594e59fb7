// The township's villages (id, name) for the filters, read once from the boxes list.
import * as api from './api.js';
import { el } from './dom.js';

let cached = null;
export async function villages() {
  if (!cached) {
    cached = api.get('/api/v1/staff/boxes').then((b) => {
      const seen = new Map();
      for (const box of b.boxes) seen.set(box.village.id, box.village.name);
      return [...seen].map(([id, name]) => ({ id, name })).sort((a, b2) => a.id - b2.id);
    }).catch((err) => { cached = null; throw err; });
  }
  return cached;
}

// A <select> of the villages VS (from villages()); ALL, when given, is the text of a first
// option with value "" (every village).
export function villageSelect(vs, id, label, all) {
  return el('select', { id, 'aria-label': label },
    all ? el('option', { value: '', text: all }) : null,
    vs.map((v) => el('option', { value: v.id, text: v.name })));
}
