// Uploading a video (a new 视频, 课程 or 致富信息 item once it is converted) or a poster for a
// course or video already published. The file goes up in one PUT; then the page polls the
// job's state (GET /api/v1/staff/uploads/{id}) and shows each stage until done or failed; an
// item published in the township (catalogue.changed) asks at once, as it may be this job's.
import * as api from '../api.js';
import { el, clear } from '../dom.js';
import { villages } from '../villages.js';

const POLL_MS = 300;

// The words for a job's state; PERCENT where the stage has one.
export function stageText(state, percent) {
  switch (state) {
    case 'waiting': return '等待上传';
    case 'receiving': return `正在上传 ${percent}%`;
    case 'queued': return '已收到，排队等待转码';
    case 'checking': return '正在检查文件';
    case 'converting': return `正在转码 ${percent}%`;
    case 'saving': return '正在保存';
    case 'done': return '完成，机顶盒上已经能看到';
    case 'failed': return '失败';
    default: return state;
  }
}

export function mount(root, { status, feed }) {
  const fileKind = el('select', { id: 'up-file-kind' },
    el('option', { value: 'video', text: '视频（发布成新的一条）' }), el('option', { value: 'poster', text: '海报（给已发布的课程或视频）' }));
  const itemKind = el('select', { id: 'up-kind' }, ['视频', '课程', '致富信息'].map((k) => el('option', { value: k, text: k })));
  const title = el('input', { id: 'up-title', maxlength: 120 });
  const category = el('input', { id: 'up-category', maxlength: 40, value: '南湖播报' });
  const scope = el('select', { id: 'up-scope' }, el('option', { value: '', text: '全镇' }));
  const body = el('textarea', { id: 'up-body', maxlength: 16000 });
  const target = el('input', { id: 'up-item', type: 'number', min: 1 });
  const file = el('input', { id: 'up-file', type: 'file', accept: 'video/*,image/jpeg,image/png' });
  const videoFields = el('div', { class: 'stack', id: 'up-video-fields' },
    el('label', { for: 'up-kind', text: '类型' }), itemKind,
    el('label', { for: 'up-title', text: '标题' }), title,
    el('label', { for: 'up-category', text: '分类' }), category,
    el('label', { for: 'up-scope', text: '范围' }), scope,
    el('label', { for: 'up-body', text: '简介' }), body);
  const posterFields = el('div', { class: 'stack', id: 'up-poster-fields', hidden: true },
    el('label', { for: 'up-item', text: '给哪条内容（发布后表格里的编号）' }), target);
  fileKind.addEventListener('change', () => {
    videoFields.hidden = fileKind.value !== 'video';
    posterFields.hidden = fileKind.value !== 'poster';
  });
  const bar = el('progress', { id: 'up-progress', max: 100, value: 0 });
  const state = el('p', { id: 'up-state', class: 'big-state', 'aria-live': 'polite' });
  const stages = el('ol', { id: 'up-stages', class: 'stages' });
  const submit = el('button', { type: 'submit', class: 'primary', id: 'up-submit', text: '上传' });
  villages().then((vs) => scope.append(...vs.map((v) => el('option', { value: v.id, text: v.name })))).catch(() => {});

  let timer = 0;
  let jobId = 0; // the job being followed, 0 = none
  let lastStage = '';
  // The state in words, and the list of stages passed (one line per stage, its percent updated).
  function show(text, percent, cls) {
    state.textContent = text;
    state.className = `big-state ${cls || ''}`;
    bar.value = percent;
    const stage = text.replace(/\s*\d+%$/, '');
    if (stage !== lastStage) {
      lastStage = stage;
      stages.append(el('li', { text }));
    } else if (stages.lastChild) {
      stages.lastChild.textContent = text;
    }
  }
  function finish(job) {
    clearTimeout(timer);
    timer = 0;
    jobId = 0;
    submit.disabled = false;
    if (job.state === 'done') {
      show(stageText('done', 100), 100, 'ok');
      state.dataset.item = job.item_id;
      status(`上传完成：内容编号 ${job.item_id}`);
    } else {
      show(`失败：${job.reason || '原因不明'}`, 0, 'bad');
      status('上传失败');
    }
  }
  async function poll(id) {
    timer = 0; // in flight: an event does not start a second poll meanwhile
    try {
      const job = await api.get(`/api/v1/staff/uploads/${id}`);
      if (job.state === 'done' || job.state === 'failed') { finish(job); return; }
      if (job.state !== 'waiting' && job.state !== 'receiving') show(stageText(job.state, job.percent), job.percent);
    } catch (err) {
      status(api.messageOf(err));
    }
    timer = setTimeout(() => poll(id), POLL_MS);
  }

  async function start(ev) {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) { status('请先选择文件'); return; }
    const req = { file: fileKind.value, name: f.name.slice(0, 120) || '文件', size: f.size };
    if (fileKind.value === 'video') {
      if (!title.value.trim()) { status('请填写标题'); return; }
      if (!category.value.trim()) { status('请填写分类'); return; }
      req.item = { kind: itemKind.value, title: title.value.trim(), category: category.value.trim(), body: body.value };
      if (scope.value) req.item.village_id = Number(scope.value);
    } else {
      const id = Number(target.value);
      if (!Number.isInteger(id) || id < 1) { status('请填写内容编号'); return; }
      req.item_id = id;
    }
    clear(stages);
    lastStage = '';
    delete state.dataset.item;
    submit.disabled = true;
    try {
      const job = await api.post('/api/v1/staff/uploads', req);
      jobId = job.id;
      show(stageText('receiving', 0), 0);
      timer = setTimeout(() => poll(job.id), POLL_MS);
      await api.sendFile(job.file_url, f, (sent, total) => {
        const p = Math.floor((sent * 100) / total);
        if (!timer || state.textContent.startsWith('正在上传')) show(stageText('receiving', p), p);
      });
    } catch (err) {
      clearTimeout(timer);
      timer = 0;
      jobId = 0;
      submit.disabled = false;
      const why = err instanceof api.ApiError && err.code === 'bad_request' ? `${api.messageOf(err)}：${err.message}` : api.messageOf(err);
      show(`失败：${why}`, 0, 'bad');
      status(why);
    }
  }

  root.append(el('form', { class: 'stack', id: 'up-form', onsubmit: start },
    el('label', { for: 'up-file-kind', text: '上传什么' }), fileKind,
    videoFields, posterFields,
    el('label', { for: 'up-file', text: '文件（视频：MP4 等常见格式；海报：JPEG 或 PNG 图片）' }), file,
    el('div', {}, submit)),
  el('div', { class: 'card', id: 'up-job' }, el('h3', { text: '上传进度' }), bar, state, stages));
  const off = feed ? feed.on('catalogue.changed', () => {
    if (!jobId || !timer) return; // not following a job, or a poll is on its way
    clearTimeout(timer);
    poll(jobId);
  }) : () => {};
  return { unmount: () => { clearTimeout(timer); off(); } };
}
