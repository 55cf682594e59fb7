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
  too_large: '文件太大，服务器不收',
  insufficient_storage: '服务器的磁盘空间不够了，请联系管理员',
  already_sent: '这个文件已经传过了',
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

// Send FILE as the body of PUT PATH (the CSRF token with it), reporting the bytes sent through
// ONPROGRESS(sent, total). XMLHttpRequest, because fetch cannot tell how much it has sent.
export function sendFile(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) onProgress(ev.loaded, ev.total); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) { resolve(data); return; }
      if (xhr.status === 401) onLoggedOut((data && data.code) || 'unauthorized');
      reject(new ApiError(xhr.status, (data && data.code) || 'internal', (data && data.message) || xhr.statusText));
    };
    xhr.onerror = () => reject(new TypeError('network'));
    xhr.send(file);
  });
}

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
