#define LOG_TAG "service"
#include "screens/service_overlay.h"

#include <SDL.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/service.h"
#include "screens/keypad_overlay.h"
#include "screens/my_requests.h"
#include "ui/dialog.h"

enum sv_phase {
    SV_IDLE,
    SV_LOADING,    /* the categories are on their way */
    SV_CATEGORY,   /* pick a need */
    SV_PHONE,      /* the phone number, on the kit's modal keypad (keypad_overlay) */
    SV_CONFIRM,    /* 发送 */
    SV_SENDING,
    SV_FAILED,     /* not sent: the form stays, OK sends again */
    SV_DONE,       /* ticket number */
    SV_REPLY,      /* 您的请求有回复了 */
};

enum { PHONE_DIGITS_MAX = 12 };

struct sv_overlay {
    struct overlay base;
    enum sv_phase phase;
    struct svc_category cats[SVC_CATEGORIES_MAX];
    int n_cats;
    int focus;                        /* category focused */
    int chosen;                       /* category chosen */
    char remembered[SVC_PHONE_MAX + 1]; /* the household's last phone, "" = none */
    char phone[PHONE_DIGITS_MAX + 1]; /* what was typed ("" = keep the remembered one) */
    int64_t keypad_ticket;            /* the keypad's answer comes back with it */
    char fail_text[96];
    int64_t ticket;
    int64_t reply_request;            /* SV_REPLY: which request was answered */
    char reply_body[SVC_REPLY_MAX];
    int64_t cat_serial, phone_serial, send_serial;
    char buttons[SVC_CATEGORIES_MAX][API_NAME_MAX + 8];
    char lines[DIALOG_LINES_MAX][SVC_REPLY_MAX + 64];
};

static struct sv_overlay *self(struct overlay *o)
{
    return (struct sv_overlay *)o;
}

static void set_phase(struct sv_overlay *s, enum sv_phase p)
{
    s->phase = p;
    s->base.own.dirty = 1;
}

static const char *phone_in_use(const struct sv_overlay *s)
{
    return s->phone[0] ? s->phone : s->remembered;
}

static void fetch(struct sv_overlay *s)
{
    struct net *net = s->base.own.svc->net;
    if (!net)
        return;
    if (!s->n_cats && !s->cat_serial) {
        int64_t id = owner_track(&s->base.own, api_request_categories(net));
        s->cat_serial = id > 0 ? id : 0;
    }
    if (!s->phone_serial) {
        int64_t id = owner_track(&s->base.own, api_requests_list(net, 1, 1));
        s->phone_serial = id > 0 ? id : 0;
    }
}

static void open_form(struct sv_overlay *s)
{
    s->phone[0] = '\0';
    s->focus = 0;
    s->chosen = -1;
    fetch(s);
    set_phase(s, s->n_cats ? SV_CATEGORY : SV_LOADING);
    log_info("one-key service opened");
}

static void send(struct sv_overlay *s)
{
    struct net *net = s->base.own.svc->net;
    int64_t id = net ? owner_track(&s->base.own,
                                   api_request_create(net, s->cats[s->chosen].key, phone_in_use(s)))
                     : -1;
    if (id <= 0) {
        snprintf(s->fail_text, sizeof(s->fail_text), "现在发不出去，请稍后再试");
        set_phase(s, SV_FAILED);
        return;
    }
    s->send_serial = id;
    set_phase(s, SV_SENDING);
}

static const char *phone_check(const char *digits, char *buf, size_t size)
{
    return svc_phone_problem(digits, buf, size);
}

/* The phone step: the keypad over everything, with the number known so far (typed before,
 * or the household's remembered one: OK keeps it). message: why it is asked again. */
static void ask_phone(struct sv_overlay *s, const char *message)
{
    struct keypad_request req = {
        .title = "留个电话，工作人员给您打过来",
        .initial = phone_in_use(s),
        .placeholder = "请按数字键输入",
        .max_len = PHONE_DIGITS_MAX,
        .message = message,
        .check = phone_check,
    };
    int64_t ticket = keypad_ask(&s->base.own, &req);
    if (ticket <= -OWNER_TICKET_FIRST) { /* else -ENODEV or -EBUSY */
        s->keypad_ticket = ticket;
        set_phase(s, SV_PHONE);
        return;
    }
    log_error("no keypad for the phone: %s", strerror((int)-ticket));
    snprintf(s->fail_text, sizeof(s->fail_text), "现在不能输入号码，请稍后再按红键");
    s->chosen = -1;
    set_phase(s, SV_FAILED);
}

static int category_action(struct sv_overlay *s, enum action a)
{
    int d = action_digit(a);
    int cols = 2;
    if (d >= 1 && d <= s->n_cats) {
        s->chosen = d - 1;
        ask_phone(s, NULL);
    } else if (a == ACTION_OK && s->n_cats) {
        s->chosen = s->focus;
        ask_phone(s, NULL);
    } else if (a == ACTION_LEFT && s->focus % cols > 0) {
        s->focus--;
    } else if (a == ACTION_RIGHT && s->focus % cols < cols - 1 && s->focus + 1 < s->n_cats) {
        s->focus++;
    } else if (a == ACTION_UP && s->focus >= cols) {
        s->focus -= cols;
    } else if (a == ACTION_DOWN && s->focus + cols < s->n_cats) {
        s->focus += cols;
    } else if (a == ACTION_BACK) {
        set_phase(s, SV_IDLE);
    }
    return 1;
}

static int sv_on_action(struct overlay *o, enum action a, struct nav *nav)
{
    struct sv_overlay *s = self(o);
    switch (s->phase) {
    case SV_IDLE:
        return 0;
    case SV_LOADING:
        if (a == ACTION_BACK)
            set_phase(s, SV_IDLE);
        return 1;
    case SV_CATEGORY:
        return category_action(s, a);
    case SV_PHONE:
        /* The keypad above takes every key while it is up; this is only reached if it
         * went away without an answer. */
        if (a == ACTION_BACK)
            set_phase(s, SV_CATEGORY);
        return 1;
    case SV_CONFIRM:
        if (a == ACTION_OK)
            send(s);
        else if (a == ACTION_BACK)
            ask_phone(s, NULL);
        return 1;
    case SV_SENDING:
        return 1;
    case SV_FAILED:
        if (a == ACTION_OK && s->chosen >= 0)
            send(s); /* the same form again: nothing typed is lost */
        else if (a == ACTION_BACK && s->chosen >= 0)
            ask_phone(s, NULL);
        else if (a == ACTION_BACK)
            set_phase(s, SV_IDLE);
        return 1;
    case SV_DONE:
        if (a == ACTION_OK || a == ACTION_BACK)
            set_phase(s, SV_IDLE);
        return 1;
    case SV_REPLY:
        if (a == ACTION_OK) {
            nav->kind = NAV_PUSH;
            nav->next = my_requests_screen_create(o->own.svc, s->reply_request);
        }
        if (a == ACTION_OK || a == ACTION_BACK)
            set_phase(s, SV_IDLE);
        return 1;
    }
    return 0;
}

static int sv_on_wake(struct overlay *o, enum action a, struct nav *nav)
{
    struct sv_overlay *s = self(o);
    if (a == ACTION_RED) {
        open_form(s);
        return 1;
    }
    if (a == ACTION_GREEN) {
        nav->kind = NAV_PUSH;
        nav->next = my_requests_screen_create(o->own.svc, 0);
        return 1;
    }
    return 0;
}

static void sv_on_net(struct overlay *o, const struct net_result *r)
{
    struct sv_overlay *s = self(o);
    char why[160];
    int ok = r->error == NET_OK && r->http_status == 200;
    if (r->serial == s->cat_serial) {
        s->cat_serial = 0;
        if (!ok || api_parse_categories(r->body, s->cats, SVC_CATEGORIES_MAX, &s->n_cats, why,
                                        sizeof(why)) < 0) {
            log_warn("categories not read (%s, HTTP %ld)", net_error_str(r->error),
                     r->http_status);
            if (s->phase == SV_LOADING) {
                snprintf(s->fail_text, sizeof(s->fail_text), "网络出了问题，请稍后再按红键");
                set_phase(s, SV_FAILED);
                s->chosen = -1;
            }
            return;
        }
        if (s->phase == SV_LOADING)
            set_phase(s, SV_CATEGORY);
    } else if (r->serial == s->phone_serial) {
        s->phone_serial = 0;
        struct svc_list list;
        if (ok && api_parse_requests(r->body, &list, why, sizeof(why)) == 0 && list.n > 0)
            snprintf(s->remembered, sizeof(s->remembered), "%s", list.items[0].phone);
        s->base.own.dirty = 1;
    } else if (r->serial == s->send_serial) {
        s->send_serial = 0;
        struct svc_request req;
        if (r->queued) {
            /* No server now: the box keeps it and sends it when the server is back. */
            s->ticket = 0;
            snprintf(s->remembered, sizeof(s->remembered), "%s", phone_in_use(s));
            log_info("request kept in the outbox");
            set_phase(s, SV_DONE);
        } else if (ok && api_parse_request(r->body, &req, why, sizeof(why)) == 0) {
            s->ticket = req.id;
            snprintf(s->remembered, sizeof(s->remembered), "%s", phone_in_use(s));
            log_info("request %" PRId64 " sent", req.id);
            set_phase(s, SV_DONE);
        } else if (r->error == NET_OK && r->http_status == 400) {
            ask_phone(s, "号码不对，请重新输入");
        } else {
            log_warn("request not sent (%s, HTTP %ld)", net_error_str(r->error), r->http_status);
            snprintf(s->fail_text, sizeof(s->fail_text), "网络出了问题，没有发出去");
            set_phase(s, SV_FAILED);
        }
    }
}

/* The keypad's answer: the number (checked there) or BACK to the needs. */
static void sv_on_answer(struct overlay *o, const struct answer *a)
{
    struct sv_overlay *s = self(o);
    if (a->ticket != s->keypad_ticket || s->phase != SV_PHONE)
        return;
    s->keypad_ticket = 0;
    if (!a->ok) {
        set_phase(s, SV_CATEGORY);
        return;
    }
    snprintf(s->phone, sizeof(s->phone), "%s", a->text);
    set_phase(s, SV_CONFIRM);
}

static void sv_on_event(struct overlay *o, const struct box_event *ev)
{
    struct sv_overlay *s = self(o);
    if (ev->type != BOX_EVENT_REQUEST_REPLY)
        return;
    if (s->phase != SV_IDLE && s->phase != SV_DONE && s->phase != SV_REPLY)
        return; /* never in the middle of a form: 我的服务 shows the reply anyway */
    s->reply_request = ev->request_id;
    snprintf(s->reply_body, sizeof(s->reply_body), "%s", ev->reply_body);
    set_phase(s, SV_REPLY);
}

static int sv_visible(const struct overlay *o)
{
    return ((const struct sv_overlay *)o)->phase != SV_IDLE;
}

static const char *line(struct sv_overlay *s, int i, const char *fmt, const char *a)
{
    snprintf(s->lines[i], sizeof(s->lines[i]), fmt, a);
    return s->lines[i];
}

static void sv_draw(struct overlay *o, struct ui *ui)
{
    struct sv_overlay *s = self(o);
    struct dialog d = { .title = "一键服务", .focus = -1, .name = "service.buttons" };
    const char *cat = s->chosen >= 0 && s->chosen < s->n_cats ? s->cats[s->chosen].title : "";
    switch (s->phase) {
    case SV_IDLE:
        return;
    case SV_LOADING:
        d.lines[0] = "正在打开，请稍等…";
        d.hint = "按 返回 关闭";
        break;
    case SV_CATEGORY:
        d.lines[0] = "您需要什么帮助？";
        for (int i = 0; i < s->n_cats; i++) {
            /* Via a local buffer: GCC's -Wrestrict cannot tell two fields of s apart. */
            char label[sizeof(s->buttons[i])];
            snprintf(label, sizeof(label), "%d %s", i + 1, s->cats[i].title);
            memcpy(s->buttons[i], label, sizeof(label));
            d.buttons[i] = s->buttons[i];
        }
        d.focus = s->focus;
        d.columns = 2;
        d.hint = "按数字键或 确认 选择，按 返回 关闭";
        break;
    case SV_PHONE:
        return; /* the keypad covers the screen */
    case SV_CONFIRM:
        d.lines[0] = line(s, 0, "%s", cat);
        d.lines[1] = line(s, 1, "电话：%s", phone_in_use(s));
        d.strong[1] = 1;
        d.buttons[0] = "发送";
        d.focus = 0;
        d.hint = "按 确认 发送，按 返回 改号码";
        break;
    case SV_SENDING:
        d.lines[0] = line(s, 0, "%s", cat);
        d.lines[1] = "正在发送，请稍等…";
        break;
    case SV_FAILED:
        d.lines[0] = line(s, 0, "%s", s->fail_text);
        d.strong[0] = 1;
        if (s->chosen >= 0) {
            d.lines[1] = line(s, 1, "%s", cat);
            d.lines[2] = line(s, 2, "电话：%s", phone_in_use(s));
            d.buttons[0] = "重新发送";
            d.focus = 0;
            d.hint = "按 确认 再发一次，按 返回 改号码";
        } else {
            d.hint = "按 返回 关闭";
        }
        break;
    case SV_DONE: {
        if (!s->ticket) {
            d.lines[0] = "网络不通，已经保存在机顶盒里";
            d.strong[0] = 1;
            d.lines[1] = "网络恢复后自动发出";
            d.strong[1] = 1;
            d.lines[2] = line(s, 2, "%s", cat);
            d.hint = "按 确认 关闭";
            break;
        }
        char num[32];
        snprintf(num, sizeof(num), "%" PRId64, s->ticket);
        d.lines[0] = line(s, 0, "已经发出，编号 %s", num);
        d.strong[0] = 1;
        d.lines[1] = "24小时内会有人联系您";
        d.strong[1] = 1;
        d.lines[2] = line(s, 2, "%s", cat);
        d.hint = "按 确认 关闭";
        break;
    }
    case SV_REPLY:
        d.title = "您的请求有回复了";
        d.lines[0] = line(s, 0, "%s", s->reply_body);
        d.strong[0] = 1;
        d.buttons[0] = "查看";
        d.focus = 0;
        d.hint = "按 确认 查看，按 返回 关闭";
        break;
    }
    dialog_draw(ui, &d);
}

static const char *sv_focus(const struct overlay *o)
{
    static const char *const names[] = {
        NULL, NULL, "service.category", "service.phone", "service.send", NULL,
        "service.resend", "service.done", "service.reply",
    };
    const struct sv_overlay *s = (const struct sv_overlay *)o;
    return names[s->phase];
}

static void sv_dump(const struct overlay *o, cJSON *state)
{
    const struct sv_overlay *s = (const struct sv_overlay *)o;
    static const char *const phases[] = { "idle", "loading", "category", "phone", "confirm",
                                          "sending", "failed", "done", "reply" };
    cJSON_AddStringToObject(state, "phase", phases[s->phase]);
    cJSON_AddStringToObject(state, "phone", phone_in_use(s));
    cJSON_AddNumberToObject(state, "category_focus", s->focus);
    cJSON_AddNumberToObject(state, "ticket", (double)s->ticket);
}

static void sv_destroy(struct overlay *o)
{
    free(o);
}

static const struct overlay_ops sv_ops = {
    .name = "service",
    .visible = sv_visible,
    .draw = sv_draw,
    .on_action = sv_on_action,
    .on_net = sv_on_net,
    .on_answer = sv_on_answer,
    .focus_name = sv_focus,
    .dump_state = sv_dump,
    .on_event = sv_on_event,
    .on_wake = sv_on_wake,
    .destroy = sv_destroy,
};

struct overlay *service_overlay_create(struct app_services *svc)
{
    struct sv_overlay *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    overlay_init(&s->base, &sv_ops, svc);
    s->chosen = -1;
    fetch(s); /* so the red key shows the needs at once */
    return &s->base;
}
