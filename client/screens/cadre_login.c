#define LOG_TAG "cadre"
#include "screens/cadre_login.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/cadre.h"
#include "screens/cadre_home.h"
#include "screens/keypad_overlay.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum phase { ASK_PHONE, ASK_PIN, SENDING, REFUSED };

struct cadre_login {
    struct screen base;
    enum phase phase;
    int64_t ticket;        /* the keypad's answer */
    int64_t serial;        /* the login request */
    char phone[12];
    char reason[128];      /* REFUSED: what the server said, in plain words */
};

static const char *check_phone(const char *digits, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return strlen(digits) == 11 && digits[0] == '1' ? NULL : "手机号是 11 位数字，请再看一下";
}

static const char *check_pin(const char *digits, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return strlen(digits) == 6 ? NULL : "密码是 6 位数字";
}

static void ask(struct cadre_login *l, enum phase p)
{
    struct keypad_request req = { .max_len = 11 };
    if (p == ASK_PHONE) {
        req.title = "村干部登录：请输入手机号";
        req.initial = l->phone;
        req.placeholder = "11 位手机号";
        req.check = check_phone;
    } else {
        req.title = "请输入 6 位登录密码";
        req.placeholder = "6 位数字";
        req.max_len = 6;
        req.secret = 1;
        req.check = check_pin;
    }
    l->ticket = keypad_ask(&l->base.own, &req);
    if (l->ticket > -OWNER_TICKET_FIRST) { /* -ENODEV, -EBUSY: not a ticket */
        log_warn("no keypad for the cadre login (%lld)", (long long)l->ticket);
        snprintf(l->reason, sizeof(l->reason), "现在不能输入，请按 返回");
        l->phase = REFUSED;
    } else {
        l->phase = p;
    }
    l->base.own.dirty = 1;
}

static void cl_on_answer(struct screen *s, const struct answer *a)
{
    struct cadre_login *l = (struct cadre_login *)s;
    if (a->ticket != l->ticket)
        return;
    l->ticket = 0;
    if (!a->ok) { /* 返回 on the keypad: leave cadre mode's door */
        owner_navigate(&s->own, NAV_POP, NULL);
        return;
    }
    if (l->phase == ASK_PHONE) {
        snprintf(l->phone, sizeof(l->phone), "%s", a->text);
        ask(l, ASK_PIN);
        return;
    }
    int64_t serial = screen_track(s, api_cadre_login(s->own.svc->net, l->phone, a->text));
    if (serial <= 0) {
        snprintf(l->reason, sizeof(l->reason), "没有发出去，请再试一次");
        l->phase = REFUSED;
    } else {
        l->serial = serial;
        l->phase = SENDING;
    }
    s->own.dirty = 1;
}

static void cl_on_net(struct screen *s, const struct net_result *r)
{
    struct cadre_login *l = (struct cadre_login *)s;
    if (r->serial != l->serial)
        return;
    l->serial = 0;
    s->own.dirty = 1;
    char why[160];
    if (r->error == NET_OK && r->http_status == 200) {
        struct cadre_session session;
        if (cadre_parse_login(r->body, &session, why, sizeof(why)) == 0) {
            struct screen *home = cadre_home_create(s->own.svc, &session);
            cadre_session_wipe(&session);
            if (home) {
                owner_navigate(&s->own, NAV_REPLACE, home);
                return;
            }
            snprintf(l->reason, sizeof(l->reason), "打不开村干部页面，请再试一次");
        } else {
            log_warn("login reply not understood: %s", why);
            snprintf(l->reason, sizeof(l->reason), "服务器的回答看不懂，请再试一次");
        }
    } else {
        char buf[128];
        snprintf(l->reason, sizeof(l->reason), "%s", cadre_refusal_text(r, buf, sizeof(buf)));
        log_info("cadre login refused: HTTP %ld", r->http_status);
    }
    l->phase = REFUSED;
}

static int cl_action(struct screen *s, enum action a, struct nav *nav)
{
    (void)nav;
    struct cadre_login *l = (struct cadre_login *)s;
    if (l->phase == REFUSED && a == ACTION_OK) {
        ask(l, ASK_PHONE);
        return 1;
    }
    return 0; /* BACK leaves */
}

static void cl_draw(struct screen *s, struct ui *ui)
{
    struct cadre_login *l = (struct cadre_login *)s;
    ui_draw_header_title(ui, "村干部登录");
    SDL_Rect p = layout_message_panel();
    if (l->phase == REFUSED) {
        ui_draw_panel(ui, &p, l->reason, "按 OK 重新输入", "按 返回 回到首页");
        static const struct ui_hint h[] = { { "OK", "重新输入" }, { "返回", "回到首页" } };
        ui_draw_hint_bar(ui, h, 2);
        return;
    }
    ui_draw_panel(ui, &p, l->phase == SENDING ? "正在登录…" : "请用遥控器输入", "请稍等", NULL);
    static const struct ui_hint h[] = { { "返回", "回到首页" } };
    ui_draw_hint_bar(ui, h, 1);
}

static void cl_dump(const struct screen *s, cJSON *state)
{
    const struct cadre_login *l = (const struct cadre_login *)s;
    static const char *const names[] = { "phone", "pin", "sending", "refused" };
    cJSON_AddStringToObject(state, "phase", names[l->phase]);
    cJSON_AddStringToObject(state, "reason", l->phase == REFUSED ? l->reason : "");
}

static void cl_destroy(struct screen *s)
{
    free(s);
}

static const struct screen_ops cadre_login_ops = {
    .destroy = cl_destroy,
    .on_action = cl_action,
    .on_net = cl_on_net,
    .on_answer = cl_on_answer,
    .draw = cl_draw,
    .dump_state = cl_dump,
};

struct screen *cadre_login_create(struct app_services *svc)
{
    struct cadre_login *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    screen_init(&l->base, &cadre_login_ops, svc, "cadre.login");
    l->base.loading = 0;
    ask(l, ASK_PHONE);
    return &l->base;
}
