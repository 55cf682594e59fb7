// The controller: who is logged in, which view shows, and the wiring of the event stream.
// Views render into #view from data they fetch through api.js; events.js hands them events.
import * as api from './api.js';
import { EventFeed } from './events.js';
import { clear } from './dom.js';

const VIEWS = {
  rollcall: () => import('./views/rollcall.js'),
  desk: () => import('./views/desk.js'),
  duty: () => import('./views/duty.js'),
  history: () => import('./views/history.js'),
  evaluation: () => import('./views/evaluation.js'),
  publish: () => import('./views/publish.js'),
  boxes: () => import('./views/boxes.js'),
  branch: () => import('./views/branch.js'),
};

// A village cadre sees their own branch only (the staff views' routes refuse them anyway).
function viewFor(me, name) {
  if (me.role === 'cadre') return 'branch';
  return VIEWS[name] && name !== 'branch' ? name : 'rollcall';
}

const state = { me: null, feed: null, view: null, viewName: '' };
const $ = (id) => document.getElementById(id);

function showLogin(message) {
  if (state.view && state.view.unmount) state.view.unmount();
  state.view = null;
  if (state.feed) state.feed.close();
  state.feed = null;
  state.me = null;
  clear($('view'));
  $('top').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('login-user').focus();
  warmUp();
}

// While staff type their password (and the server checks it, which takes a while by design),
// load and run the first view's modules — ECharts is the largest part — so that after the
// login only the data is left to fetch and draw. After the form's first frame, not before it.
function warmUp() {
  requestAnimationFrame(() => setTimeout(() => { VIEWS.rollcall().catch(() => {}); }, 0));
}

async function showView(wanted) {
  if (!state.me) return;
  const name = viewFor(state.me, wanted);
  if (state.view && state.view.unmount) state.view.unmount();
  state.viewName = name;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const root = $('view');
  clear(root);
  const mod = await VIEWS[name]();
  if (state.viewName !== name || !state.me) return;
  state.view = mod.mount(root, { me: state.me, feed: state.feed, status });
}

function status(text) {
  $('status').textContent = text || '';
}

async function enter(me) {
  state.me = me;
  $('login').hidden = true;
  $('top').hidden = false;
  $('who-name').textContent = `${me.account.display_name}（${me.org.name}）`;
  for (const a of document.querySelectorAll('#nav a')) {
    a.hidden = (me.role === 'cadre') !== (a.dataset.view === 'branch');
  }
  state.feed = new EventFeed('/api/v1/events');
  await showView(location.hash.slice(1));
}

function wire() {
  api.setLoggedOutHandler((code) => {
    if (state.me) showLogin(code === 'session_expired' ? '登录已过期，请重新登录' : '请重新登录');
  });
  $('login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('login-error').textContent = '';
    try {
      const me = await api.login($('login-user').value.trim(), $('login-pass').value);
      $('login-pass').value = '';
      await enter(me);
    } catch (err) {
      $('login-error').textContent = api.messageOf(err);
    }
  });
  $('logout').addEventListener('click', async () => {
    try { await api.logout(); } catch (err) { /* the session is gone either way */ }
    showLogin('已退出登录');
  });
  window.addEventListener('hashchange', () => { if (state.me) showView(location.hash.slice(1)); });
}

async function start() {
  wire();
  try {
    await enter(await api.current());
  } catch (err) {
    showLogin('');
  }
}

start();
