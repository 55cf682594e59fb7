// The one EventSource of the page: the browser sends the session cookie with it, reconnects by
// itself with Last-Event-ID, and every event is handed to the views that listen for its type.
const TYPES = ['broadcast.started', 'broadcast.ended', 'rollcall.opened', 'rollcall.closed',
  'rollcall.checkin', 'request.created', 'request.reply', 'duty.check', 'box.unpaired',
  'catalogue.changed'];

export class EventFeed {
  constructor(url) {
    this.listeners = new Map();
    this.source = new EventSource(url);
    for (const t of TYPES) {
      this.source.addEventListener(t, (ev) => this.emit(t, ev.data));
    }
    // "open" says whether the stream opened before: after a reconnect, views read anew what
    // they may have missed; the first opening comes with their own first read.
    this.opens = 0;
    this.source.addEventListener('open', () => this.emit('open', JSON.stringify({ again: this.opens++ > 0 })));
  }

  emit(type, raw) {
    let data = null;
    try { data = JSON.parse(raw); } catch (err) { return; }
    for (const fn of this.listeners.get(type) || []) fn(data);
  }

  // Listen for TYPE; returns the function that stops listening.
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => { const set = this.listeners.get(type); if (set) set.delete(fn); };
  }

  close() {
    this.source.close();
    this.listeners.clear();
  }
}
