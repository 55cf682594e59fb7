/* The form screen's logic: loading, the member, answering, sending, the exam's clock and the
 * draft on disk (see form.h). Drawing is in form_view.c. */
#define LOG_TAG "form"
#include "screens/form.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/household.h"
#include "log.h"
#include "screens/form_internal.h"
#include "ui/layout.h"
#include "ui/notice.h"
#include "ui/theme.h"

enum { BUTTONS_DY = 370 }; /* the summary's and the result's buttons, above any notice */

int form_item_has_form(const char *json)
{
    cJSON *root = cJSON_Parse(json ? json : "");
    int has = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "form"));
    cJSON_Delete(root);
    return has;
}

static const char *data_dir(const struct form_screen *fs)
{
    const char *d = fs->base.own.svc->data_dir;
    return d ? d : "";
}

static void save_draft(struct form_screen *fs)
{
    int rc = form_draft_save(data_dir(fs), &fs->d);
    if (rc == -EINVAL)
        return; /* no data directory: nothing is kept (logged once at start) */
    if (rc < 0)
        log_error("cannot keep the answers of form %" PRId64 ": %s", fs->item_id,
                  strerror(-rc));
}

static void request(struct form_screen *fs)
{
    struct net *net = fs->base.own.svc->net;
    fs->phase = FP_LOADING;
    fs->base.loading = 1;
    fs->base.own.dirty = 1;
    if (!fs->have_form)
        fs->item_serial = net ? screen_track(&fs->base, api_item_get(net, fs->item_id))
                              : -ENOTCONN;
    if (!fs->have_members)
        fs->home_serial = net ? screen_track(&fs->base, api_fetch_home(net)) : -ENOTCONN;
    if (fs->item_serial < 0 || fs->home_serial < 0) {
        fs->phase = FP_ERROR;
        fs->base.loading = 0;
        fs->error.what = "网络出了问题，没能打开";
        fs->error.help = "请稍后再试";
        fs->item_serial = fs->home_serial = 0;
    }
}

/* The question on screen gets its option list (its choice shown as chosen). */
static void show_question(struct form_screen *fs)
{
    const struct form_question *q = &fs->f.questions[fs->d.page];
    SDL_Rect area = form_view_options_area(fs->base.own.svc->ui, fs);
    const char *labels[UI_OPTIONS_MAX];
    for (int i = 0; i < q->n_options && i < UI_OPTIONS_MAX; i++)
        labels[i] = q->options[i].label;
    if (q->stars)
        ui_stars_init(&fs->opts, 5, area);
    else
        ui_option_list_init(&fs->opts, labels, q->n_options, area);
    form_choice c = fs->d.choices[fs->d.page];
    for (int i = 0; i < q->n_options; i++)
        if (c & (1u << i)) {
            fs->opts.chosen = fs->opts.focus = i;
            break;
        }
    fs->multi_focus = 0;
    fs->phase = FP_QUESTION;
    fs->base.own.dirty = 1;
}

static void show_summary(struct form_screen *fs)
{
    static const char *const labels[] = { "提交", "从头检查" };
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect row = { safe.x, THEME_CONTENT_Y + BUTTONS_DY, 2 * 480,
                     LAYOUT_BUTTON_H };
    ui_button_row_init(&fs->buttons, labels, 2, row, 1);
    fs->d.page = fs->f.n_questions;
    fs->phase = FP_SUMMARY;
    fs->base.own.dirty = 1;
}

static void go_to_page(struct form_screen *fs, int page)
{
    if (page < 0)
        page = 0;
    fs->d.page = page;
    save_draft(fs);
    if (page >= fs->f.n_questions)
        show_summary(fs);
    else
        show_question(fs);
}

static void start_clock(struct form_screen *fs)
{
    fs->deadline = fs->f.type == FORM_EXAM && fs->f.time_limit_s > 0
                       ? fs->d.started_at + fs->f.time_limit_s : 0;
    int64_t left = fs->deadline - (int64_t)time(NULL);
    fs->remaining_s = !fs->deadline ? -1 : left > 0 ? (int)left : 0;
}

/* Someone is chosen (or the draft of an earlier start was found): begin or go on. */
static void begin(struct form_screen *fs, int64_t member_id, int resumed)
{
    fs->d.member_id = member_id;
    for (int i = 0; i < fs->n_members; i++)
        if (fs->members[i].id == member_id)
            snprintf(fs->member_name, sizeof(fs->member_name), "%s", fs->members[i].name);
    if (form_answered_by(&fs->f, member_id)) {
        /* Once per member: say so before they start. */
        form_draft_remove(data_dir(fs), fs->item_id);
        fs->phase = FP_ANSWERED;
        fs->base.own.dirty = 1;
        return;
    }
    if (!resumed) {
        fs->d.item_id = fs->item_id;
        fs->d.started_at = (int64_t)time(NULL);
        fs->d.page = 0;
        fs->d.n = fs->f.n_questions;
        for (int i = 0; i < fs->d.n; i++) {
            fs->d.question_ids[i] = fs->f.questions[i].id;
            fs->d.choices[i] = 0;
        }
    }
    start_clock(fs);
    go_to_page(fs, fs->d.page);
    if (resumed && fs->d.page < fs->f.n_questions) {
        char text[128];
        snprintf(text, sizeof(text), "上次的答案已保存，接着答第 %d 题", fs->d.page + 1);
        notices_post(fs->base.own.svc->notices, text, 0);
    }
}

static void show_who(struct form_screen *fs)
{
    int n = fs->n_members < UI_OPTIONS_MAX ? fs->n_members : UI_OPTIONS_MAX;
    for (int i = 0; i < n; i++) {
        /* Through a local copy: GCC's -Wrestrict (at -O1 with the sanitizers) cannot tell the
         * label from the name, both inside *fs. */
        char label[sizeof(fs->who_labels[i])];
        snprintf(label, sizeof(label), "%s%s", fs->members[i].name,
                 form_answered_by(&fs->f, fs->members[i].id) ? "（已答过）" : "");
        memcpy(fs->who_labels[i], label, sizeof(label));
        fs->who_names[i] = fs->who_labels[i];
    }
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect area = { safe.x, THEME_CONTENT_Y + 90, 900, THEME_CONTENT_H - 90 };
    ui_option_list_init(&fs->who, fs->who_names, n, area);
    fs->phase = FP_WHO;
    fs->base.own.dirty = 1;
}

/* The member chosen on "谁在看？" who has not answered yet, or 0 (then we ask). */
static int64_t watching_member(const struct form_screen *fs)
{
    const struct household *hh = fs->base.own.svc->household;
    if (!hh || !hh->chosen)
        return 0;
    for (int i = 0; i < fs->n_members; i++) {
        int64_t id = fs->members[i].id;
        if (household_is_viewer(hh, id) && !form_answered_by(&fs->f, id))
            return id;
    }
    return 0;
}

/* Both answers are in: resume a draft, ask who answers, or begin. */
static void loaded(struct form_screen *fs)
{
    fs->base.loading = 0;
    if (fs->f.n_questions == 0) {
        fs->phase = FP_ERROR;
        fs->error.what = "这份题目还没有内容";
        fs->error.help = "请以后再来看看";
        return;
    }
    if (form_draft_load(data_dir(fs), &fs->f, &fs->d) == 0) {
        for (int i = 0; i < fs->n_members; i++)
            if (fs->members[i].id == fs->d.member_id) {
                begin(fs, fs->d.member_id, 1);
                return;
            }
        form_draft_remove(data_dir(fs), fs->item_id); /* not of this household any more */
    }
    memset(&fs->d, 0, sizeof(fs->d));
    int64_t watching = fs->n_members > 1 ? watching_member(fs) : 0;
    if (fs->n_members == 1) {
        begin(fs, fs->members[0].id, 0);
    } else if (watching) {
        /* Chosen already: no second question; Back on the first page still lets them change. */
        fs->who_skipped = 1;
        begin(fs, watching, 0);
        char text[API_NAME_MAX + 64];
        snprintf(text, sizeof(text), "由 %s 答题，要换人请按 返回", fs->member_name);
        if (fs->phase == FP_QUESTION)
            notices_post(fs->base.own.svc->notices, text, 0);
    } else if (fs->n_members > 1) {
        show_who(fs);
    }
    else {
        fs->phase = FP_ERROR;
        fs->error.what = "这台电视还没有登记党员";
        fs->error.help = "请联系村干部";
    }
}

static void send(struct form_screen *fs)
{
    struct net *net = fs->base.own.svc->net;
    int64_t serial = net ? screen_track(&fs->base, api_form_submit(net, &fs->f,
                                                                   fs->d.member_id,
                                                                   fs->d.choices))
                         : -ENOTCONN;
    fs->base.own.dirty = 1;
    if (serial < 0) {
        log_error("cannot send form %" PRId64 ": %s", fs->item_id, strerror((int)-serial));
        fs->phase = FP_SEND_FAILED;
        fs->error.what = "没能提交";
        fs->error.help = "答案已保存，请稍后按 OK 键再试";
        return;
    }
    fs->send_serial = serial;
    fs->phase = FP_SENDING;
}

static void on_sent(struct form_screen *fs, const struct net_result *r)
{
    char why[256] = "";
    if (r->queued) {
        /* The outbox holds them now (on disk, sent once when the server is back): the draft
         * goes, so the same answers are not given twice. */
        form_draft_remove(data_dir(fs), fs->item_id);
        log_info("form %" PRId64 ": answers kept in the outbox (%s)", fs->item_id, r->message);
        fs->phase = FP_KEPT;
        return;
    }
    if (r->error == NET_OK && r->http_status == 409 && r->body &&
        strstr(r->body, "\"already_answered\"")) {
        form_draft_remove(data_dir(fs), fs->item_id);
        fs->phase = FP_ANSWERED;
        return;
    }
    if (r->error != NET_OK || r->http_status != 200 ||
        (fs->f.type != FORM_QUESTIONNAIRE &&
         form_parse_score(r->body, &fs->score, why, sizeof(why)) < 0)) {
        log_warn("form %" PRId64 " not sent: %s, HTTP %ld %s", fs->item_id,
                 net_error_str(r->error), r->http_status, why);
        fs->phase = FP_SEND_FAILED;
        fs->error = net_msg_for(r, NET_MSG_GAVE_UP);
        return;
    }
    form_draft_remove(data_dir(fs), fs->item_id);
    log_info("form %" PRId64 " sent for member %" PRId64 "%s", fs->item_id, fs->d.member_id,
             fs->timed_out ? " (time ran out)" : "");
    static const char *const done[] = { "完成" };
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect row = { safe.x, THEME_CONTENT_Y + BUTTONS_DY, 480,
                     LAYOUT_BUTTON_H };
    ui_button_row_init(&fs->buttons, done, 1, row, 0);
    fs->phase = FP_RESULT;
}

static void form_on_net(struct screen *s, const struct net_result *r)
{
    struct form_screen *fs = (struct form_screen *)s;
    char why[256] = "";
    s->own.dirty = 1;
    if (r->serial == fs->send_serial) {
        fs->send_serial = 0;
        on_sent(fs, r);
        return;
    }
    if (r->serial == fs->item_serial) {
        fs->item_serial = 0;
        int rc = r->error == NET_OK && r->http_status == 200
                     ? form_parse_item(r->body, &fs->f, why, sizeof(why)) : -EIO;
        if (rc == 0) {
            fs->have_form = 1;
            snprintf(fs->title, sizeof(fs->title), "%s", fs->f.title);
        } else {
            log_warn("form %" PRId64 ": %s, HTTP %ld %s", fs->item_id, net_error_str(r->error),
                     r->http_status, why);
            fs->error = net_msg_for(r, NET_MSG_GAVE_UP);
            if (rc == -ENOENT) {
                fs->error.what = "这一项没有题目";
                fs->error.help = "请按返回键";
            }
        }
    } else if (r->serial == fs->home_serial) {
        fs->home_serial = 0;
        struct home_model m;
        if (r->error == NET_OK && r->http_status == 200 &&
            api_parse_home(r->body ? r->body : "", &m, why, sizeof(why)) == 0) {
            fs->n_members = m.n_members < API_MEMBERS_MAX ? m.n_members : API_MEMBERS_MAX;
            memcpy(fs->members, m.members, (size_t)fs->n_members * sizeof(fs->members[0]));
            fs->have_members = 1;
            home_model_free(&m);
        } else {
            log_warn("home for form %" PRId64 ": %s, HTTP %ld %s", fs->item_id,
                     net_error_str(r->error), r->http_status, why);
            fs->error = net_msg_for(r, NET_MSG_GAVE_UP);
        }
    } else {
        return;
    }
    if (fs->item_serial || fs->home_serial)
        return; /* the other one is still on its way */
    if (fs->have_form && fs->have_members) {
        loaded(fs);
    } else {
        fs->phase = FP_ERROR;
        s->loading = 0;
    }
}

/* A single choice or a star: kept, then the next page. */
static void chosen(struct form_screen *fs, int i)
{
    fs->d.choices[fs->d.page] = 1u << i;
    go_to_page(fs, fs->d.page + 1);
}

static int question_action(struct form_screen *fs, enum action a, struct nav *nav)
{
    const struct form_question *q = &fs->f.questions[fs->d.page];
    if (a == ACTION_BACK || (a == ACTION_LEFT && !q->stars)) {
        if (fs->d.page == 0) {
            if (a == ACTION_LEFT)
                return 1;
            if (fs->who_skipped && fs->d.choices[0] == 0) {
                fs->who_skipped = 0; /* the member was given, not asked: let them change */
                form_draft_remove(data_dir(fs), fs->item_id);
                show_who(fs);
                return 1;
            }
            /* Leaving: the answers so far stay on disk for next time. */
            if (fs->d.member_id && fs->f.type != FORM_QUESTIONNAIRE && fs->deadline == 0)
                notices_post(fs->base.own.svc->notices, "答案已保存，下次接着答", 0);
            nav->kind = NAV_POP;
            return 1;
        }
        go_to_page(fs, fs->d.page - 1);
        return 1;
    }
    if (q->multiple) {
        int d = action_digit(a);
        form_choice *c = &fs->d.choices[fs->d.page];
        if (a == ACTION_UP || a == ACTION_DOWN) {
            int next = fs->multi_focus + (a == ACTION_UP ? -1 : 1);
            if (next >= 0 && next < q->n_options)
                fs->multi_focus = next;
        } else if (a == ACTION_OK || (d >= 1 && d <= q->n_options)) {
            int i = a == ACTION_OK ? fs->multi_focus : d - 1;
            fs->multi_focus = i;
            *c ^= 1u << i;
            save_draft(fs);
        } else if (a == ACTION_RIGHT) {
            if (*c)
                go_to_page(fs, fs->d.page + 1);
            else
                notices_post(fs->base.own.svc->notices, "请至少选一项，再按 ▶ 键", 0);
        } else {
            return 0;
        }
        fs->base.own.dirty = 1;
        return 1;
    }
    if (a == ACTION_RIGHT && !q->stars) {
        if (fs->d.choices[fs->d.page])
            go_to_page(fs, fs->d.page + 1);
        return 1;
    }
    int handled = 0;
    int i = ui_option_list_action(&fs->opts, a, &handled);
    if (i >= 0)
        chosen(fs, i);
    fs->base.own.dirty |= handled;
    return handled || action_is_direction(a);
}

static int summary_action(struct form_screen *fs, enum action a)
{
    if (a == ACTION_BACK || (a == ACTION_LEFT && fs->buttons.focus == 0)) {
        go_to_page(fs, fs->f.n_questions - 1);
        return 1;
    }
    int handled = 0;
    int b = ui_button_row_action(&fs->buttons, a, &handled);
    fs->base.own.dirty |= handled;
    if (b == 1) {
        go_to_page(fs, 0);
    } else if (b == 0) {
        for (int q = 0; q < fs->f.n_questions; q++)
            if (!form_choice_complete(&fs->f.questions[q], fs->d.choices[q])) {
                char text[96];
                snprintf(text, sizeof(text), "第 %d 题还没有答", q + 1);
                notices_post(fs->base.own.svc->notices, text, 0);
                go_to_page(fs, q);
                return 1;
            }
        send(fs);
    }
    return 1;
}

static int form_action(struct screen *s, enum action a, struct nav *nav)
{
    struct form_screen *fs = (struct form_screen *)s;
    switch (fs->phase) {
    case FP_ERROR:
        if (a == ACTION_OK) {
            request(fs);
            return 1;
        }
        return 0;
    case FP_WHO: {
        int handled = 0;
        int i = ui_option_list_action(&fs->who, a, &handled);
        s->own.dirty |= handled;
        if (i >= 0)
            begin(fs, fs->members[i].id, 0);
        return handled || action_is_direction(a) || action_digit(a) >= 0;
    }
    case FP_QUESTION:
        return question_action(fs, a, nav);
    case FP_SUMMARY:
        return summary_action(fs, a);
    case FP_SENDING:
        return a != ACTION_HOME; /* wait for the answer */
    case FP_SEND_FAILED:
        if (a == ACTION_OK) {
            send(fs);
            return 1;
        }
        return 0; /* Back leaves; the answers stay on disk */
    case FP_RESULT:
    case FP_ANSWERED:
    case FP_KEPT:
        if (a == ACTION_OK || a == ACTION_BACK) {
            nav->kind = NAV_POP;
            return 1;
        }
        return action_is_direction(a);
    case FP_LOADING:
        break;
    }
    return 0;
}

/* The exam's clock: the header's countdown, and sending when it runs out. */
static int form_tick(struct screen *s, uint32_t now)
{
    struct form_screen *fs = (struct form_screen *)s;
    (void)now;
    if (!fs->deadline || (fs->phase != FP_QUESTION && fs->phase != FP_SUMMARY))
        return -1;
    int64_t left = fs->deadline - (int64_t)time(NULL);
    if (left <= 0) {
        log_info("form %" PRId64 ": the time ran out", fs->item_id);
        fs->timed_out = 1;
        fs->remaining_s = 0;
        notices_post(s->own.svc->notices, "考试时间到，答卷已自动提交", 0);
        send(fs);
        return -1;
    }
    if (left != fs->remaining_s) {
        fs->remaining_s = (int)left;
        s->own.dirty = 1;
    }
    return 250;
}

static const char *form_focus_name(const struct screen *s)
{
    const struct form_screen *fs = (const struct form_screen *)s;
    static char name[48];
    switch (fs->phase) {
    case FP_WHO:
        snprintf(name, sizeof(name), "form.who.%d", fs->who.focus + 1);
        return name;
    case FP_QUESTION:
        snprintf(name, sizeof(name), "form.option.%d",
                 (fs->f.questions[fs->d.page].multiple ? fs->multi_focus : fs->opts.focus) + 1);
        return name;
    case FP_SUMMARY:
        return fs->buttons.focus == 0 ? "form.submit" : "form.review";
    case FP_RESULT:
        return "form.done";
    default:
        return NULL;
    }
}

static void form_dump_state(const struct screen *s, cJSON *state)
{
    const struct form_screen *fs = (const struct form_screen *)s;
    static const char *const phases[] = { "loading", "error",  "who",    "question", "summary",
                                          "sending", "failed", "result", "answered",
                                          "kept" };
    cJSON_AddNumberToObject(state, "item_id", (double)fs->item_id);
    cJSON_AddStringToObject(state, "form_phase", phases[fs->phase]);
    if (!fs->have_form)
        return;
    static const char *const types[] = { "questionnaire", "quiz", "exam" };
    cJSON_AddStringToObject(state, "form_type", types[fs->f.type]);
    cJSON_AddNumberToObject(state, "question", fs->d.page + 1);
    cJSON_AddNumberToObject(state, "questions", fs->f.n_questions);
    cJSON_AddNumberToObject(state, "member_id", (double)fs->d.member_id);
    cJSON_AddNumberToObject(state, "remaining_s", fs->deadline ? fs->remaining_s : -1);
    cJSON *c = cJSON_AddArrayToObject(state, "choices");
    for (int i = 0; c && i < fs->d.n; i++)
        cJSON_AddItemToArray(c, cJSON_CreateNumber(fs->d.choices[i]));
    if (fs->phase == FP_RESULT && fs->f.type != FORM_QUESTIONNAIRE) {
        cJSON_AddNumberToObject(state, "score", fs->score.score);
        cJSON_AddBoolToObject(state, "credited", fs->score.credited);
    }
}

/* The yellow key: the question and its options. */
static size_t form_read_text(const struct screen *s, char *out, size_t size)
{
    const struct form_screen *fs = (const struct form_screen *)s;
    if (fs->phase != FP_QUESTION || size == 0)
        return 0;
    const struct form_question *q = &fs->f.questions[fs->d.page];
    size_t n = (size_t)snprintf(out, size, "第%d题。%s。", fs->d.page + 1, q->prompt);
    for (int i = 0; i < q->n_options && n < size; i++)
        n += (size_t)snprintf(out + n, size - n, "%d，%s。", i + 1, q->options[i].label);
    return n < size ? n : size - 1;
}

static void form_draw(struct screen *s, struct ui *ui)
{
    form_view_draw((struct form_screen *)s, ui);
}

static void form_destroy(struct screen *s)
{
    struct form_screen *fs = (struct form_screen *)s;
    form_model_free(&fs->f);
    free(fs);
}

static const struct screen_ops form_ops = {
    .destroy = form_destroy,
    .on_action = form_action,
    .on_net = form_on_net,
    .tick = form_tick,
    .draw = form_draw,
    .focus_name = form_focus_name,
    .dump_state = form_dump_state,
    .read_text = form_read_text,
};

struct screen *form_screen_create(struct app_services *svc, int64_t item_id, const char *title)
{
    struct form_screen *fs = calloc(1, sizeof(*fs));
    if (!fs)
        return NULL;
    screen_init(&fs->base, &form_ops, svc, "form");
    fs->item_id = item_id;
    fs->remaining_s = -1;
    snprintf(fs->title, sizeof(fs->title), "%s", title ? title : "");
    if (!svc->data_dir || !svc->data_dir[0])
        log_warn("no --data-dir: answers in progress are not kept across a power cut");
    request(fs);
    return &fs->base;
}
