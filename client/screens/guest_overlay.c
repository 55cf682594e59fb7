#define LOG_TAG "guest"
#include "screens/guest_overlay.h"

#include <SDL.h>
#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/jcheck.h"
#include "net/rollcall.h"
#include "screens/keypad_overlay.h"
#include "screens/player.h"
#include "ui/dialog.h"

enum {
    HEARTBEAT_MS = 20000, /* the server wants one at least every 60 s */
    POLL_MS = 4000,       /* open roll calls: the guest's branch sends no events to this box */
    RETRY_MS = 1500,
    RESULT_MS = 12000,
    TOKEN_HEX = 64,
    PIN_DIGITS = 6,
    PHONE_DIGITS = 11,
    URL_MAX = 512,
};

enum g_phase {
    G_IDLE,
    G_PHONE,    /* the keypad asks for the phone */
    G_PIN,      /* the keypad asks for the PIN */
    G_OPENING,  /* POST /guest/sessions */
    G_NOTE,     /* a sentence and OK: refused, no meeting, the meeting ended */
    G_WATCHING, /* the meeting plays; nothing shown */
    G_PROMPT,   /* 点名签到 for the guest */
    G_SIGNING,
    G_RESULT,
};

struct guest {
    struct overlay base;
    enum g_phase phase;
    char phone[PHONE_DIGITS + 1];
    char token[TOKEN_HEX + 1];    /* the guest session; "" = none (secret: never logged) */
    char name[API_NAME_MAX];
    char title[API_TITLE_MAX];
    int64_t broadcast_id;
    int64_t rollcall_id;          /* the open roll call shown */
    int64_t signed_rollcall;      /* signed in at this one */
    int64_t dismissed;            /* BACK on its prompt */
    int64_t keypad_ticket;
    int64_t open_serial, hb_serial, poll_serial, checkin_serial;
    uint32_t hb_at, poll_at, checkin_at, result_until;
    int not_watching;             /* check-in tries refused for want of a heartbeat */
    int watching;                 /* the meeting plays in sight (guest_overlay_watching) */
    char note[128];
    char result[160];
    char lines[DIALOG_LINES_MAX][224];
};

static struct guest *self(struct overlay *o)
{
    return (struct guest *)o;
}

static void set_phase(struct guest *g, enum g_phase p)
{
    g->phase = p;
    g->base.own.dirty = 1;
}

static void note(struct guest *g, const char *text)
{
    snprintf(g->note, sizeof(g->note), "%s", text);
    set_phase(g, G_NOTE);
}

static void forget_session(struct guest *g)
{
    memset(g->token, 0, sizeof(g->token));
    g->hb_serial = g->poll_serial = g->checkin_serial = 0;
    g->rollcall_id = g->signed_rollcall = g->dismissed = 0;
    g->watching = 0;
}

static const char *check_phone(const char *digits, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    size_t n = strlen(digits);
    if (n != PHONE_DIGITS || digits[0] != '1')
        return "请输入 11 位手机号";
    return NULL;
}

static const char *check_pin(const char *digits, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    return strlen(digits) == PIN_DIGITS ? NULL : "密码是 6 位数字";
}

static void ask(struct guest *g, enum g_phase phase, const char *message)
{
    struct keypad_request req = {
        .title = phase == G_PHONE ? "我是外出党员：请输入手机号" : "请输入镇上给您的 6 位密码",
        .initial = phase == G_PHONE ? g->phone : NULL,
        .placeholder = phase == G_PHONE ? "手机号" : "密码",
        .max_len = phase == G_PHONE ? PHONE_DIGITS : PIN_DIGITS,
        .message = message,
        .check = phase == G_PHONE ? check_phone : check_pin,
        .secret = phase == G_PIN,
    };
    int64_t t = keypad_ask(&g->base.own, &req);
    if (t > -OWNER_TICKET_FIRST) { /* an error, not a ticket */
        log_warn("keypad not opened: %s", strerror((int)-t));
        set_phase(g, G_IDLE);
        return;
    }
    g->keypad_ticket = t;
    set_phase(g, phase);
}

static int64_t post(struct guest *g, const char *path, cJSON *body)
{
    struct net *net = g->base.own.svc->net;
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    int64_t s = net && text ? owner_track(&g->base.own, net_request(net, "POST", path, text, 0))
                            : -ENOMEM;
    if (text) {
        memset(text, 0, strlen(text)); /* it may hold the PIN or the token */
        free(text);
    }
    cJSON_Delete(body);
    return s > 0 ? s : 0;
}

static cJSON *token_body(const struct guest *g)
{
    cJSON *b = cJSON_CreateObject();
    if (b && !cJSON_AddStringToObject(b, "guest_token", g->token)) {
        cJSON_Delete(b);
        return NULL;
    }
    return b;
}

static void open_session(struct guest *g, const char *pin)
{
    cJSON *b = cJSON_CreateObject();
    if (b && (!cJSON_AddStringToObject(b, "phone", g->phone) ||
              !cJSON_AddStringToObject(b, "pin", pin))) {
        cJSON_Delete(b);
        b = NULL;
    }
    g->open_serial = post(g, "/api/v1/guest/sessions", b);
    if (!g->open_serial)
        note(g, "网络出了问题，请稍后再试");
    else
        set_phase(g, G_OPENING);
}

static void send_heartbeat(struct guest *g)
{
    if (!g->watching) {
        g->hb_at = 0; /* the next goes when the meeting is watched again */
        return;
    }
    if (!g->hb_serial && g->token[0])
        g->hb_serial = post(g, "/api/v1/guest/heartbeat", token_body(g));
    g->hb_at = SDL_GetTicks() + HEARTBEAT_MS;
}

static void poll_rollcalls(struct guest *g)
{
    if (!g->poll_serial && g->token[0])
        g->poll_serial = post(g, "/api/v1/guest/rollcalls", token_body(g));
    g->poll_at = SDL_GetTicks() + POLL_MS;
}

static void send_checkin(struct guest *g)
{
    cJSON *b = token_body(g);
    if (b && !cJSON_AddNumberToObject(b, "rollcall_id", (double)g->rollcall_id)) {
        cJSON_Delete(b);
        b = NULL;
    }
    g->checkin_at = 0;
    g->checkin_serial = post(g, "/api/v1/guest/checkins", b);
    if (!g->checkin_serial)
        g->checkin_at = SDL_GetTicks() + RETRY_MS;
    set_phase(g, G_SIGNING);
}

/* The meeting is over (or the session unknown): the guest is gone. */
static void ended(struct guest *g)
{
    log_info("guest session over: the meeting has ended");
    forget_session(g);
    note(g, "会议已经结束，外出党员签到到此为止");
    owner_navigate(&g->base.own, NAV_HOME, NULL);
}

/* ---- results ---- */

static int parse_session(struct guest *g, const char *json, char *url, size_t url_size)
{
    struct jcheck c;
    char why[160];
    jcheck_init(&c, JCHECK_PRINTABLE, why, sizeof(why));
    cJSON *root = jcheck_parse_object(&c, json);
    const cJSON *m, *b;
    int rc = root ? 0 : -EINVAL;
    if (rc == 0)
        rc = jcheck_string(&c, root, "guest_token", "", g->token, sizeof(g->token));
    if (rc == 0 && strlen(g->token) != TOKEN_HEX)
        rc = jcheck_fail(&c, "guest_token: expected 64 characters");
    if (rc == 0)
        rc = jcheck_object(&c, root, "member", "", &m);
    if (rc == 0)
        rc = jcheck_string(&c, m, "name", "member", g->name, sizeof(g->name));
    if (rc == 0)
        rc = jcheck_object(&c, root, "broadcast", "", &b);
    if (rc == 0)
        rc = jcheck_int(&c, b, "id", "broadcast", 1, JCHECK_INT_LIMIT, &g->broadcast_id);
    if (rc == 0)
        rc = jcheck_string(&c, b, "title", "broadcast", g->title, sizeof(g->title));
    if (rc == 0)
        rc = jcheck_string_opt(&c, b, "playback_url", "broadcast", url, url_size);
    cJSON_Delete(root);
    if (rc < 0) {
        log_warn("guest session reply not understood: %s", why);
        forget_session(g);
    }
    return rc;
}

static void on_open(struct guest *g, const struct net_result *r)
{
    g->open_serial = 0;
    char code[48] = "";
    if (r->error == NET_OK && r->http_status == 200) {
        char url[URL_MAX], full[URL_MAX + 256];
        if (parse_session(g, r->body, url, sizeof(url)) < 0) {
            note(g, "服务器的回答看不懂，请稍后再试");
            return;
        }
        struct app_services *svc = g->base.own.svc;
        struct player_request req = { .url = full, .title = g->title, .guest = 1 };
        struct screen *p = url[0] && player_resolve_url(svc, url, full, sizeof(full)) == 0
                               ? player_screen_create(svc, &req)
                               : NULL;
        if (!p) {
            forget_session(g);
            note(g, "会议暂时看不了，请稍后再试");
            return;
        }
        log_info("guest joined broadcast %lld", (long long)g->broadcast_id);
        owner_navigate(&g->base.own, NAV_PUSH, p);
        set_phase(g, G_WATCHING);
        g->watching = 0; /* heartbeats and polls start when the player says it plays */
        return;
    }
    api_error_code(r->body, code, sizeof(code));
    if (r->http_status == 401)
        note(g, "手机号或密码不对，请再试一次");
    else if (r->http_status == 429)
        note(g, "密码错的次数太多了，请过几分钟再试");
    else if (strcmp(code, "broadcast_not_live") == 0)
        note(g, "您的支部现在没有在开会");
    else
        note(g, "网络出了问题，请稍后再试");
}

static int session_over(const struct net_result *r)
{
    char code[48] = "";
    if (r->error != NET_OK)
        return 0;
    api_error_code(r->body, code, sizeof(code));
    return r->http_status == 404 || strcmp(code, "guest_session_ended") == 0;
}

/* The first open roll call of the guest's branch they have not signed in at. */
static void on_poll(struct guest *g, const struct net_result *r)
{
    g->poll_serial = 0;
    if (session_over(r)) {
        ended(g);
        return;
    }
    if (r->error != NET_OK || r->http_status != 200 || g->phase != G_WATCHING)
        return;
    cJSON *root = cJSON_Parse(r->body ? r->body : "");
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "rollcalls"), *it;
    cJSON_ArrayForEach(it, arr)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(it, "id");
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(it, "checked_in_at");
        if (!cJSON_IsNumber(id) || id->valuedouble < 1 || !cJSON_IsNull(at))
            continue;
        int64_t rid = (int64_t)id->valuedouble;
        if (rid == g->dismissed || rid == g->signed_rollcall)
            continue;
        g->rollcall_id = rid;
        g->not_watching = 0;
        set_phase(g, G_PROMPT);
        log_info("guest prompt for roll call %lld", (long long)rid);
        break;
    }
    cJSON_Delete(root);
}

static void on_checkin(struct guest *g, const struct net_result *r)
{
    g->checkin_serial = 0;
    char code[48] = "";
    if (r->error == NET_OK && r->http_status == 200) {
        char at[32] = "", hhmm[8] = "";
        api_parse_checkin(r->body, at, sizeof(at), NULL, 0);
        api_beijing_hhmm(at, hhmm, sizeof(hhmm));
        snprintf(g->result, sizeof(g->result), "%s 签到成功 %s", g->name, hhmm);
        g->signed_rollcall = g->rollcall_id;
        g->result_until = SDL_GetTicks() + RESULT_MS;
        set_phase(g, G_RESULT);
        return;
    }
    if (session_over(r)) {
        ended(g);
        return;
    }
    api_error_code(r->body, code, sizeof(code));
    if (strcmp(code, "not_watching") == 0 && g->not_watching++ < 20) {
        send_heartbeat(g); /* the picture is starting: try again once the server sees it */
        g->checkin_at = SDL_GetTicks() + RETRY_MS;
        return;
    }
    if (r->error != NET_OK || r->http_status >= 500 || r->http_status == 429) {
        g->checkin_at = SDL_GetTicks() + RETRY_MS;
        return;
    }
    snprintf(g->result, sizeof(g->result), "%s",
             strcmp(code, "rollcall_closed") == 0   ? "点名已结束"
             : strcmp(code, "not_your_branch") == 0 ? "这不是您支部的点名"
             : strcmp(code, "not_watching") == 0    ? "请先观看会议"
                                                    : "签到没有成功，请稍后再试");
    g->signed_rollcall = g->rollcall_id; /* not asked again for this one */
    g->result_until = SDL_GetTicks() + RESULT_MS;
    set_phase(g, G_RESULT);
}

static void g_on_net(struct overlay *o, const struct net_result *r)
{
    struct guest *g = self(o);
    if (r->serial == g->open_serial) {
        on_open(g, r);
    } else if (r->serial == g->hb_serial) {
        g->hb_serial = 0;
        if (session_over(r))
            ended(g);
    } else if (r->serial == g->poll_serial) {
        on_poll(g, r);
    } else if (r->serial == g->checkin_serial) {
        on_checkin(g, r);
    }
}

static void g_on_answer(struct overlay *o, const struct answer *a)
{
    struct guest *g = self(o);
    if (a->ticket != g->keypad_ticket)
        return;
    g->keypad_ticket = 0;
    if (!a->ok) {
        set_phase(g, G_IDLE);
        return;
    }
    if (g->phase == G_PHONE) {
        snprintf(g->phone, sizeof(g->phone), "%s", a->text);
        ask(g, G_PIN, NULL);
    } else if (g->phase == G_PIN) {
        open_session(g, a->text);
    }
}

static int g_on_action(struct overlay *o, enum action a, struct nav *nav)
{
    (void)nav;
    struct guest *g = self(o);
    switch (g->phase) {
    case G_OPENING:
    case G_SIGNING:
        return 1;
    case G_NOTE:
        if (a == ACTION_OK || a == ACTION_BACK)
            set_phase(g, g->token[0] ? G_WATCHING : G_IDLE);
        return 1;
    case G_PROMPT:
        if (a == ACTION_OK) {
            send_checkin(g);
        } else if (a == ACTION_BACK) {
            g->dismissed = g->rollcall_id;
            set_phase(g, G_WATCHING);
        }
        return 1;
    case G_RESULT:
        if (a == ACTION_OK || a == ACTION_BACK) {
            set_phase(g, G_WATCHING);
            return 1;
        }
        return 0;
    default:
        return 0;
    }
}

static int due(uint32_t at, uint32_t now, int *wake)
{
    if (!at)
        return 0;
    if ((int32_t)(now - at) >= 0)
        return 1;
    int w = (int)(at - now);
    *wake = *wake < 0 || w < *wake ? w : *wake;
    return 0;
}

static int g_tick(struct overlay *o, uint32_t now)
{
    struct guest *g = self(o);
    int wake = -1;
    if (!g->token[0])
        return -1;
    if (g->watching && due(g->hb_at, now, &wake))
        send_heartbeat(g);
    if (g->watching && g->phase == G_WATCHING && due(g->poll_at, now, &wake))
        poll_rollcalls(g);
    if (g->phase == G_SIGNING && !g->checkin_serial && due(g->checkin_at, now, &wake))
        send_checkin(g);
    if (g->phase == G_RESULT && due(g->result_until, now, &wake))
        set_phase(g, G_WATCHING);
    return wake;
}

static int g_visible(const struct overlay *o)
{
    enum g_phase p = ((const struct guest *)o)->phase;
    return p == G_OPENING || p == G_NOTE || p == G_PROMPT || p == G_SIGNING || p == G_RESULT;
}

static void g_draw(struct overlay *o, struct ui *ui)
{
    struct guest *g = self(o);
    struct dialog d = { .title = "我是外出党员", .focus = -1, .name = "guest.buttons" };
    int n = 0;
    switch (g->phase) {
    case G_OPENING:
        d.lines[n++] = "正在核对手机号和密码…";
        break;
    case G_NOTE:
        d.lines[n] = g->note;
        d.strong[n++] = 1;
        d.buttons[0] = "知道了";
        d.focus = 0;
        d.hint = "按 确认 关闭";
        break;
    case G_PROMPT:
    case G_SIGNING:
        d.title = "点名签到";
        snprintf(g->lines[0], sizeof(g->lines[0]), "%s", g->title);
        d.lines[n] = g->lines[0];
        d.strong[n++] = 1;
        snprintf(g->lines[1], sizeof(g->lines[1]), "外出党员 %s", g->name);
        d.lines[n++] = g->lines[1];
        if (g->phase == G_SIGNING) {
            d.lines[n++] = "正在签到，请稍等…";
        } else {
            d.buttons[0] = "签到";
            d.focus = 0;
            d.hint = "按 确认 签到，按 返回 先不签";
        }
        break;
    case G_RESULT:
        d.title = "点名签到";
        d.lines[n] = g->result;
        d.strong[n++] = 1;
        d.hint = "按 确认 关闭";
        break;
    default:
        return;
    }
    dialog_draw(ui, &d);
}

static const char *g_focus(const struct overlay *o)
{
    enum g_phase p = ((const struct guest *)o)->phase;
    return p == G_PROMPT ? "guest.sign" : p == G_NOTE ? "guest.note" : NULL;
}

static void g_dump(const struct overlay *o, cJSON *state)
{
    static const char *const names[] = { "idle",     "phone",  "pin",     "opening", "note",
                                         "watching", "prompt", "signing", "result" };
    const struct guest *g = (const struct guest *)o;
    cJSON_AddStringToObject(state, "phase", names[g->phase]);
    cJSON_AddBoolToObject(state, "session", g->token[0] != '\0');
    cJSON_AddBoolToObject(state, "watching", g->watching);
    cJSON_AddNumberToObject(state, "rollcall_id", (double)g->rollcall_id);
    cJSON_AddNumberToObject(state, "signed_rollcall", (double)g->signed_rollcall);
}

static void g_destroy(struct overlay *o)
{
    struct guest *g = self(o);
    forget_session(g);
    free(g);
}

static const struct overlay_ops guest_ops = {
    .name = "guest",
    .visible = g_visible,
    .draw = g_draw,
    .on_action = g_on_action,
    .on_net = g_on_net,
    .on_answer = g_on_answer,
    .tick = g_tick,
    .focus_name = g_focus,
    .dump_state = g_dump,
    .destroy = g_destroy,
};

struct overlay *guest_overlay_create(struct app_services *svc)
{
    struct guest *g = calloc(1, sizeof(*g));
    if (!g)
        return NULL;
    overlay_init(&g->base, &guest_ops, svc);
    return &g->base;
}

static struct guest *from(struct overlays *ov)
{
    struct overlay *o = ov ? overlays_get(ov, OVERLAY_GUEST) : NULL;
    return o && o->ops == &guest_ops ? self(o) : NULL;
}

int guest_overlay_start(struct app_services *svc)
{
    struct guest *g = from(svc->overlays);
    if (!g)
        return -ENODEV;
    if (g->phase != G_IDLE || g->token[0])
        return -EBUSY;
    ask(g, G_PHONE, NULL);
    return 0;
}

void guest_overlay_watching(struct overlays *ov, int watching)
{
    struct guest *g = from(ov);
    if (!g || !g->token[0] || !watching == !g->watching)
        return;
    g->watching = !!watching;
    log_info("guest's meeting %s", watching ? "in sight: heartbeats go" : "out of sight: no heartbeats");
    if (watching) {
        send_heartbeat(g);
        poll_rollcalls(g);
    } else {
        g->hb_at = g->poll_at = 0;
    }
}

void guest_overlay_left(struct overlays *ov)
{
    struct guest *g = from(ov);
    if (!g || !g->token[0])
        return; /* over already: ended() keeps its note up */
    log_info("guest left the meeting: no more heartbeats");
    forget_session(g);
    g->hb_at = g->poll_at = g->checkin_at = g->result_until = 0;
    set_phase(g, G_IDLE);
}
