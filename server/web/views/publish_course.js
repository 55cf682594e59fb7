// Publishing a course with its quiz: the course (title, category, scope, introduction) and its
// questions, each with its options and the right answer ticked. The page checks what it can in
// plain words before sending; the server checks everything again (POST /api/v1/staff/courses).
import * as api from '../api.js';
import { el, clear, table, bjTime } from '../dom.js';
import { villages } from '../villages.js';

// The study section's fixed categories, in the TV's order (server/api/course_category.c; the
// server refuses any other).
const CATEGORIES = ['党课学习', '党章党规', '政策解读', '致富技术', '法律常识', '健康生活'];

// The request body from what the form holds, or { error } in words for staff.
// form: { title, category, villageId, body, minutes, quizType, passMark, limitMinutes,
//         questions: [{ prompt, multiple, options: [{ label, correct }] }] }
export function courseRequest(form) {
  const title = form.title.trim();
  const category = form.category.trim();
  if (!title) return { error: '请填写课程标题' };
  if (!category) return { error: '请选择课程分类' };
  const body = { kind: '课程', title, category, body: form.body || '' };
  if (form.villageId) body.village_id = Number(form.villageId);
  if (form.minutes) {
    const m = Number(form.minutes);
    if (!Number.isInteger(m) || m < 1 || m > 1440) return { error: '时长请填 1 到 1440 之间的整分钟数' };
    body.duration_s = m * 60;
  }
  const questions = [];
  for (const [i, q] of form.questions.entries()) {
    const prompt = q.prompt.trim();
    const options = q.options.filter((o) => o.label.trim() !== '')
      .map((o) => ({ label: o.label.trim(), correct: !!o.correct }));
    if (!prompt && options.length === 0) continue; // an empty question block: left out
    const n = i + 1;
    if (!prompt) return { error: `第${n}题还没有写题目` };
    if (options.length < 2) return { error: `第${n}题至少要有两个选项` };
    const right = options.filter((o) => o.correct).length;
    if (right === 0) return { error: `第${n}题请勾选正确答案` };
    if (right > 1 && !q.multiple) return { error: `第${n}题只能有一个正确答案（多选题请勾选“多选”）` };
    if (new Set(options.map((o) => o.label)).size !== options.length) return { error: `第${n}题有两个选项写得一样` };
    questions.push({ prompt, multiple: !!q.multiple, options });
  }
  if (questions.length > 0) {
    const passMark = Number(form.passMark);
    if (!Number.isInteger(passMark) || passMark < 0 || passMark > 100) return { error: '及格分请填 0 到 100' };
    const quiz = { type: form.quizType === 'exam' ? 'exam' : 'quiz', pass_mark: passMark, questions };
    if (quiz.type === 'exam' && form.limitMinutes) {
      const m = Number(form.limitMinutes);
      if (!Number.isInteger(m) || m < 1 || m > 180) return { error: '考试时间请填 1 到 180 分钟' };
      quiz.time_limit_s = m * 60;
    }
    body.quiz = quiz;
  }
  return { body };
}

// What a refusal says on the page: the plain words, with the server's reason for a bad field.
function refusal(err) {
  const words = api.messageOf(err);
  return err instanceof api.ApiError && err.code === 'bad_request' ? `${words}：${err.message}` : words;
}

function questionBlock(n) {
  const prompt = el('input', { class: 'q-prompt', 'aria-label': `第${n}题题目`, maxlength: 200 });
  const multiple = el('input', { type: 'checkbox', class: 'q-multiple', id: `q${n}-multiple` });
  const options = [];
  const list = el('ol', { class: 'q-options' });
  function addOption() {
    const k = options.length + 1;
    const o = {
      label: el('input', { class: 'o-label', 'aria-label': `第${n}题选项${k}`, maxlength: 200 }),
      correct: el('input', { type: 'checkbox', class: 'o-correct', id: `q${n}-o${k}-correct` }),
    };
    options.push(o);
    list.append(el('li', {}, o.label, ' ', o.correct, el('label', { for: `q${n}-o${k}-correct`, text: '正确答案' })));
  }
  for (let k = 0; k < 4; k++) addOption();
  const node = el('fieldset', { class: 'question', dataset: { n } },
    el('legend', { text: `第${n}题` }), prompt, ' ', multiple, el('label', { for: `q${n}-multiple`, text: '多选' }),
    list, el('button', { type: 'button', class: 'q-add-option', text: '再加一个选项', onclick: () => { if (options.length < 10) addOption(); } }));
  return {
    node,
    value: () => ({ prompt: prompt.value, multiple: multiple.checked,
      options: options.map((o) => ({ label: o.label.value, correct: o.correct.checked })) }),
  };
}

export function mount(root, { status }) {
  const title = el('input', { id: 'course-title', maxlength: 120 });
  const category = el('select', { id: 'course-category' }, el('option', { value: '', text: '请选择' }),
    ...CATEGORIES.map((c) => el('option', { value: c, text: c })));
  const scope = el('select', { id: 'course-scope' }, el('option', { value: '', text: '全镇' }));
  const minutes = el('input', { id: 'course-minutes', type: 'number', min: 1, max: 1440, inputmode: 'numeric' });
  const body = el('textarea', { id: 'course-body', maxlength: 16000 });
  const quizType = el('select', { id: 'quiz-type' },
    el('option', { value: 'quiz', text: '练习测验（不计学分）' }), el('option', { value: 'exam', text: '考试（及格得学分）' }));
  const passMark = el('input', { id: 'quiz-pass', type: 'number', min: 0, max: 100, value: 60 });
  const limit = el('input', { id: 'quiz-limit', type: 'number', min: 1, max: 180, disabled: true });
  quizType.addEventListener('change', () => { limit.disabled = quizType.value !== 'exam'; });
  const blocks = [];
  const questions = el('div', { id: 'quiz-questions' });
  function addQuestion() {
    const b = questionBlock(blocks.length + 1);
    blocks.push(b);
    questions.append(b.node);
  }
  addQuestion();
  const done = el('div', { id: 'course-done' });
  villages().then((vs) => scope.append(...vs.map((v) => el('option', { value: v.id, text: v.name })))).catch(() => {});

  async function submit(ev) {
    ev.preventDefault();
    const made = courseRequest({
      title: title.value, category: category.value, villageId: scope.value, body: body.value,
      minutes: minutes.value, quizType: quizType.value, passMark: passMark.value,
      limitMinutes: limit.disabled ? '' : limit.value, questions: blocks.map((b) => b.value()),
    });
    if (made.error) { status(made.error); return; }
    try {
      const saved = await api.post('/api/v1/staff/courses', made.body);
      clear(done);
      const rows = [el('tr', { dataset: { item: saved.course.id } }, el('td', { text: saved.course.id }),
        el('td', { text: saved.course.kind }), el('td', { text: saved.course.title }), el('td', { text: bjTime(saved.course.published_at) }))];
      if (saved.quiz) {
        rows.push(el('tr', { dataset: { quiz: saved.quiz.id } }, el('td', { text: saved.quiz.id }),
          el('td', { text: saved.quiz.kind }), el('td', { text: `${saved.quiz.title}（${saved.quiz.questions}题）` }),
          el('td', { text: bjTime(saved.course.published_at) })));
      }
      done.append(table('已发布', ['编号', '类型', '标题', '发布时间'], rows, { id: 'course-saved' }));
      status(saved.quiz ? '课程和测验已发布，机顶盒的党教园地里马上能看到' : '课程已发布，机顶盒的党教园地里马上能看到');
    } catch (err) {
      status(refusal(err));
    }
  }

  root.append(el('form', { class: 'stack', id: 'course-form', onsubmit: submit },
    el('label', { for: 'course-title', text: '课程标题' }), title,
    el('label', { for: 'course-category', text: '分类' }), category,
    el('label', { for: 'course-scope', text: '范围' }), scope,
    el('label', { for: 'course-minutes', text: '时长（分钟，可不填）' }), minutes,
    el('label', { for: 'course-body', text: '课程简介' }), body,
    el('h3', { text: '课后测验（不出题就只发课程）' }),
    el('div', { class: 'toolbar' },
      el('label', { for: 'quiz-type', text: '类型' }), quizType,
      el('label', { for: 'quiz-pass', text: '及格分' }), passMark,
      el('label', { for: 'quiz-limit', text: '考试时间（分钟）' }), limit),
    questions,
    el('div', { class: 'toolbar' },
      el('button', { type: 'button', id: 'quiz-add', text: '再加一题', onclick: () => { if (blocks.length < 50) addQuestion(); } }),
      el('button', { type: 'submit', class: 'primary', id: 'course-submit', text: '发布课程' }))),
  done);
  return {};
}
