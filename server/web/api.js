// Every request of the dashboard goes through here: JSON in and out, the CSRF token on every
// change, errors as ApiError with the server's code and a Chinese message, and an ended
// session (401) sends the page back to the login form.
let csrf = '';
let onLoggedOut = () => {};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const MESSAGES = {
  bad_credentials: '用户名或密码不对',
  rate_limited: '尝试次数太多，请稍后再试',
  session_expired: '登录已过期，请重新登录',
  unauthorized: '请先登录',
  forbidden: '没有权限',
  not_found: '找不到，或不属于本镇',
  bad_request: '填写的内容不对',
  request_closed: '该诉求已办结',
  duty_check_open: '该村已有一次抽查在等待应答',
  rollcall_open: '该村点名已在进行中',
  rollcall_closed: '点名已结束',
  broadcast_not_live: '该直播没有在播',
  unavailable: '服务器忙，请稍后再试',
};

export function setCsrf(token) { csrf = token || ''; }
export function setLoggedOutHandler(fn) { onLoggedOut = fn; }
export function messageOf(err) {
  if (err instanceof ApiError) return MESSAGES[err.code] || `出错了（${err.status}）`;
  return '网络连接失败，请检查后重试';
}

export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let data = null;
  if (text && (res.headers.get('Content-Type') || '').startsWith('application/json')) {
    data = JSON.parse(text);
  }
  if (!res.ok) {
    const code = (data && data.code) || 'internal';
    if (res.status === 401 && path !== '/api/v1/sessions') onLoggedOut(code);
    throw new ApiError(res.status, code, (data && data.message) || res.statusText);
  }
  return data === null ? text : data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);
export const del = (path) => request('DELETE', path);

export async function login(username, password) {
  const me = await post('/api/v1/sessions', { username, password, web: true });
  setCsrf(me.csrf);
  return me;
}

export async function current() {
  const me = await get('/api/v1/sessions/current');
  setCsrf(me.csrf);
  return me;
}

export async function logout() {
  try { await del('/api/v1/sessions/current'); } finally { setCsrf(''); }
}
