#define LOG_TAG "cadre"
#include "screens/cadre_home.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/overlay.h"
#include "log.h"
#include "net/events.h"
#include "net/rollcall.h"
#include "screens/cadre_internal.h"
#include "ui/layout.h"
#include "ui/notice.h"
#include "ui/theme.h"

enum {
    REFRESH_MS = 15000,     /* a quiet re-read of everything, besides the events */
    NOTICE_MS = 5000,
};

static const char *const labels[CB_COUNT] = {
    [CB_DUTY_OK] = "值班应答",     [CB_START_MEETING] = "开始会议",
    [CB_OPEN_ROLLCALL] = "开始点名", [CB_CLOSE_ROLLCALL] = "结束点名",
    [CB_STOP_MEETING] = "结束会议", [CB_LOGOUT] = "退出",
    [CB_CAMERA] = "摄像头",         [CB_CANCEL] = "取消",
};

const char *cadre_button_label(enum cadre_button b)
{
    return b >= 0 && b < CB_COUNT ? labels[b] : "";
}

static struct net *net_of(struct cadre_home *h)
{
    return h->base.own.svc->net;
}

static int64_t track(struct cadre_home *h, int64_t serial)
{
    int64_t s = screen_track(&h->base, serial);
    return s > 0 ? s : 0;
}

/* ---- reading what the server knows ------------------------------------------------------ */

static void read_meeting(struct cadre_home *h)
{
    if (!h->s_meeting)
        h->s_meeting = track(h, api_broadcasts(net_of(h))); /* the box's own view */
}

static void read_rollcall(struct cadre_home *h)
{
    if (!h->s_rollcall)
        h->s_rollcall = track(h, api_cadre_rollcalls(net_of(h), h->ses.token));
}

static void read_signins(struct cadre_home *h, int64_t rollcall_id)
{
    if (h->s_signins) {
        h->signins_again = 1; /* one more read once this one is back */
        return;
    }
    h->s_signins = track(h, api_cadre_signins(net_of(h), h->ses.token, rollcall_id));
}

static void read_duty(struct cadre_home *h)
{
    if (!h->s_duty)
        h->s_duty = track(h, api_cadre_duty_checks(net_of(h), h->ses.token));
}

void cadre_read_all(struct cadre_home *h)
{
    read_meeting(h);
    read_rollcall(h);
    read_duty(h);
    h->next_refresh = SDL_GetTicks() + REFRESH_MS;
}

/* ---- the button row --------------------------------------------------------------------- */

/* The cameras to choose from, and 取消. */
static int camera_row(struct cadre_home *h, const char **names)
{
    int n = 0;
    for (int i = 0; i < h->n_cams && n < UI_BUTTONS_MAX - 1; i++, n++) {
        size_t len = strnlen(h->cams[i].name, sizeof(h->cam_labels[n]) - 1);
        memcpy(h->cam_labels[n], h->cams[i].name, len); /* both in *h: no snprintf */
        h->cam_labels[n][len] = '\0';
        h->ids[n] = CB_CAMERA;
        h->cam_of[n] = i;
        names[n] = h->cam_labels[n];
    }
    h->ids[n] = CB_CANCEL;
    names[n] = labels[CB_CANCEL];
    return n + 1;
}

/* The buttons that fit the moment. The focus stays where it was while the buttons stay the
 * same; when they change it stays on its button unless that was 退出 (it moves to the first,
 * the thing to do now). */
void cadre_rebuild_row(struct cadre_home *h)
{
    enum cadre_button keep = h->row.n > 0 ? h->ids[h->row.focus] : CB_COUNT;
    enum cadre_button before[UI_BUTTONS_MAX];
    int n_before = h->row.n, focus_before = h->row.focus;
    memcpy(before, h->ids, sizeof(before));
    const char *names[UI_BUTTONS_MAX];
    int n = 0;
    if (h->picking) {
        n = camera_row(h, names);
    } else {
        if (h->have_duty)
            h->ids[n++] = CB_DUTY_OK;
        if (!h->have_meeting && h->meet == MEET_IDLE)
            h->ids[n++] = CB_START_MEETING;
        if (h->have_rollcall)
            h->ids[n++] = CB_CLOSE_ROLLCALL;
        else if (h->have_meeting)
            h->ids[n++] = CB_OPEN_ROLLCALL;
        if (h->have_meeting && h->meeting_own && h->meet != MEET_ENDING)
            h->ids[n++] = CB_STOP_MEETING;
        h->ids[n++] = CB_LOGOUT;
        for (int i = 0; i < n; i++)
            names[i] = labels[h->ids[i]];
    }
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect area = { safe.x + THEME_FOCUS_RING, THEME_HINT_Y - LAYOUT_BUTTON_H - 40,
                      safe.w - 2 * THEME_FOCUS_RING, LAYOUT_BUTTON_H };
    ui_button_row_init(&h->row, names, n, area, 1);
    if (n == n_before && memcmp(before, h->ids, (size_t)n * sizeof(before[0])) == 0) {
        h->row.focus = focus_before;
    } else if (keep != CB_LOGOUT) {
        for (int i = 0; i < n; i++) {
            if (h->ids[i] == keep)
                h->row.focus = i;
        }
    }
    h->base.own.dirty = 1;
}

void cadre_say(struct cadre_home *h, const char *text)
{
    snprintf(h->message, sizeof(h->message), "%s", text);
    h->base.own.dirty = 1;
}

/* ---- actions ---------------------------------------------------------------------------- */

void cadre_send_action(struct cadre_home *h, enum cadre_button b, int64_t serial)
{
    h->s_act = track(h, serial);
    h->acting = b;
    if (!h->s_act)
        cadre_say(h, "没有发出去，请再试一次");
}

static void act(struct cadre_home *h, enum cadre_button b, int index)
{
    if (b == CB_LOGOUT) {
        if (h->cast) {
            cadre_say(h, "会议还在直播，请先选 结束会议");
            return;
        }
        owner_navigate(&h->base.own, NAV_POP, NULL); /* destroy logs out */
        return;
    }
    if (b == CB_START_MEETING || b == CB_CAMERA || b == CB_CANCEL) {
        if (b == CB_START_MEETING)
            cadre_meeting_start(h);
        else
            cadre_meeting_pick(h, b == CB_CAMERA ? h->cam_of[index] : -1);
        return;
    }
    if (b == CB_STOP_MEETING && cadre_meeting_stop(h)) {
        cadre_rebuild_row(h);
        return;
    }
    if (h->s_act) {
        cadre_say(h, "上一步还在办，请稍等");
        return;
    }
    int64_t s = 0;
    struct net *n = net_of(h);
    switch (b) {
    case CB_DUTY_OK:
        s = api_cadre_duty_answer(n, h->ses.token, h->duty.id);
        break;
    case CB_OPEN_ROLLCALL:
        s = api_cadre_rollcall_open(n, h->ses.token, h->meeting.id);
        break;
    case CB_CLOSE_ROLLCALL:
        s = api_cadre_rollcall_close(n, h->ses.token, h->rollcall.id);
        break;
    case CB_STOP_MEETING:
        s = api_cadre_broadcast_stop(n, h->ses.token, h->meeting.id);
        break;
    default:
        return;
    }
    cadre_send_action(h, b, s);
    if (h->s_act)
        cadre_say(h, "正在办理…");
}

/* The answer to an action: what changed, said in plain words. */
static void acted(struct cadre_home *h, const struct net_result *r)
{
    char why[160], buf[128];
    int ok = r->error == NET_OK && r->http_status == 200;
    enum cadre_button b = h->acting;
    if (!ok) {
        cadre_say(h, cadre_refusal_text(r, buf, sizeof(buf)));
        log_info("%s refused: HTTP %ld", labels[b], r->http_status);
        cadre_read_all(h); /* the refusal may mean the state moved on: show what it is */
        return;
    }
    switch (b) {
    case CB_DUTY_OK:
        h->have_duty = 0;
        cadre_say(h, "已经应答：镇里知道您在岗");
        break;
    case CB_OPEN_ROLLCALL:
        if (cadre_parse_rollcall(r->body, &h->rollcall, why, sizeof(why)) == 0) {
            h->have_rollcall = h->rollcall.open;
            read_signins(h, h->rollcall.id);
        }
        cadre_say(h, "点名开始了，各家电视上会出现签到");
        break;
    case CB_CLOSE_ROLLCALL:
        h->have_rollcall = 0;
        h->signins.rollcall.open = 0;
        cadre_say(h, "点名结束了");
        read_signins(h, h->rollcall.id);
        break;
    case CB_STOP_MEETING:
        h->have_meeting = 0;
        h->have_rollcall = 0;
        h->cast_bid = 0;
        cadre_say(h, "会议结束了，录像会自动变成回放");
        break;
    default:
        break;
    }
    cadre_rebuild_row(h);
}

/* ---- results ---------------------------------------------------------------------------- */

/* A person's call answered 401: the session is over (expired, logged out elsewhere). */
static int session_gone(struct cadre_home *h, const struct net_result *r)
{
    if (r->error != NET_OK || r->http_status != 401)
        return 0;
    notices_post(h->base.own.svc->notices, "村干部登录已过期，请重新登录", NOTICE_MS);
    cadre_session_wipe(&h->ses); /* nothing left to log out */
    owner_navigate(&h->base.own, NAV_POP, NULL);
    return 1;
}

static void got_meeting(struct cadre_home *h, const struct net_result *r)
{
    char why[160];
    if (r->error != NET_OK || r->http_status != 200)
        return; /* keep what is shown; the next refresh tries again */
    int rc = cadre_find_live(r->body, h->ses.village_id, &h->meeting, &h->meeting_own, why,
                             sizeof(why));
    if (rc == -EINVAL)
        log_warn("broadcasts not understood: %s", why);
    h->have_meeting = rc == 0;
}

static void got_rollcall(struct cadre_home *h, const struct net_result *r)
{
    char why[160];
    if (r->error != NET_OK || r->http_status != 200)
        return;
    struct cadre_rollcall rc;
    int err = cadre_parse_rollcalls(r->body, &rc, why, sizeof(why));
    if (err == -EINVAL) {
        log_warn("roll calls not understood: %s", why);
        return;
    }
    h->have_rollcall = err == 0;
    if (err == 0) {
        h->rollcall = rc;
        read_signins(h, rc.id);
    } else if (h->have_signins) {
        h->signins.rollcall.open = 0; /* closed (here or elsewhere): the last count stays */
    }
}

static void got_signins(struct cadre_home *h, const struct net_result *r)
{
    char why[160];
    if (r->error != NET_OK || r->http_status != 200)
        return;
    struct cadre_signins s;
    if (cadre_parse_signins(r->body, &s, why, sizeof(why)) < 0) {
        log_warn("sign-ins not understood: %s", why);
        return;
    }
    cadre_signins_free(&h->signins);
    h->signins = s;
    h->have_signins = 1;
}

static void got_duty(struct cadre_home *h, const struct net_result *r)
{
    char why[160];
    if (r->error != NET_OK || r->http_status != 200)
        return;
    int rc = cadre_parse_duty(r->body, &h->duty, why, sizeof(why));
    if (rc == -EINVAL)
        log_warn("duty checks not understood: %s", why);
    h->have_duty = rc == 0;
}

static void ch_on_net(struct screen *s, const struct net_result *r)
{
    struct cadre_home *h = (struct cadre_home *)s;
    int64_t id = r->serial;
    if (cadre_meeting_on_net(h, r))
        return;
    if (id != h->s_meeting && session_gone(h, r))
        return;
    if (id == h->s_meeting) {
        h->s_meeting = 0;
        got_meeting(h, r);
    } else if (id == h->s_rollcall) {
        h->s_rollcall = 0;
        got_rollcall(h, r);
    } else if (id == h->s_signins) {
        h->s_signins = 0;
        got_signins(h, r);
        if (h->signins_again && h->have_rollcall) {
            h->signins_again = 0;
            read_signins(h, h->rollcall.id);
        }
    } else if (id == h->s_duty) {
        h->s_duty = 0;
        got_duty(h, r);
    } else if (id == h->s_act) {
        h->s_act = 0;
        acted(h, r);
    } else {
        return;
    }
    if (!h->loaded) /* the first reads; later refreshes keep what is shown */
        h->loaded = !h->s_meeting && !h->s_rollcall && !h->s_duty;
    s->loading = !h->loaded;
    cadre_rebuild_row(h);
}

/* ---- events, keys, timers --------------------------------------------------------------- */

static void ch_on_event(struct screen *s, const struct box_event *ev)
{
    struct cadre_home *h = (struct cadre_home *)s;
    switch (ev->type) {
    case BOX_EVENT_ROLLCALL_CHECKIN:
        if (h->have_rollcall && ev->rollcall_id == h->rollcall.id)
            read_signins(h, h->rollcall.id);
        break;
    case BOX_EVENT_BROADCAST_STARTED:
    case BOX_EVENT_BROADCAST_ENDED:
        read_meeting(h);
        read_rollcall(h);
        break;
    case BOX_EVENT_ROLLCALL_OPENED:
    case BOX_EVENT_ROLLCALL_CLOSED:
        read_rollcall(h);
        break;
    case BOX_EVENT_DUTY_CHECK:
        read_duty(h);
        break;
    case BOX_EVENT_STREAM_OPEN:
        if (ev->resync)
            cadre_read_all(h);
        break;
    default:
        break;
    }
}

static int ch_action(struct screen *s, enum action a, struct nav *nav)
{
    (void)nav;
    struct cadre_home *h = (struct cadre_home *)s;
    h->last_key = SDL_GetTicks();
    if (a == ACTION_BACK || a == ACTION_HOME) {
        if (h->picking)
            cadre_meeting_pick(h, -1);
        else
            act(h, CB_LOGOUT, 0);
        return 1;
    }
    int handled = 0;
    int chosen = ui_button_row_action(&h->row, a, &handled);
    if (chosen >= 0)
        act(h, h->ids[chosen], chosen);
    if (chosen >= 0 || handled)
        s->own.dirty = 1;
    return 1; /* cadre mode keeps its keys: nothing falls through to the defaults */
}

static int ch_tick(struct screen *s, uint32_t now)
{
    struct cadre_home *h = (struct cadre_home *)s;
    const struct app_services *svc = s->own.svc;
    uint32_t idle_ms = svc->cadre_idle_s > 0 ? (uint32_t)svc->cadre_idle_s * 1000u : 0;
    int cast_wake = cadre_meeting_tick(h, now);
    if (h->cast)
        h->last_key = now; /* a meeting being sent keeps cadre mode (nobody touches the remote) */
    if (idle_ms && now - h->last_key >= idle_ms) {
        log_info("cadre mode idle for %d s: logging out", svc->cadre_idle_s);
        notices_post(svc->notices, "很久没有操作，村干部已经退出", NOTICE_MS);
        owner_navigate(&s->own, NAV_POP, NULL);
        return -1;
    }
    if ((int32_t)(now - h->next_refresh) >= 0)
        cadre_read_all(h);
    uint32_t next = h->next_refresh - now;
    if (cast_wake >= 0 && (uint32_t)cast_wake < next)
        next = (uint32_t)cast_wake;
    if (idle_ms) {
        uint32_t idle_left = idle_ms - (now - h->last_key);
        next = idle_left < next ? idle_left : next;
    }
    return (int)next;
}

static const char *ch_focus(const struct screen *s)
{
    struct cadre_home *h = (struct cadre_home *)s;
    if (h->row.n == 0)
        return NULL;
    snprintf(h->focus_name, sizeof(h->focus_name), "cadre.%s", labels[h->ids[h->row.focus]]);
    return h->focus_name;
}

static void ch_dump(const struct screen *s, cJSON *state)
{
    const struct cadre_home *h = (const struct cadre_home *)s;
    cJSON_AddStringToObject(state, "cadre", h->ses.name);
    cJSON_AddStringToObject(state, "village", h->ses.village);
    cJSON_AddNumberToObject(state, "meeting_id", h->have_meeting ? (double)h->meeting.id : 0);
    cJSON_AddNumberToObject(state, "rollcall_id", h->have_rollcall ? (double)h->rollcall.id : 0);
    cJSON_AddNumberToObject(state, "duty_id", h->have_duty ? (double)h->duty.id : 0);
    cJSON_AddStringToObject(state, "message", h->message);
    static const char *const meet[] = { "idle", "creating", "starting", "sending", "ending" };
    cJSON_AddStringToObject(state, "meet", meet[h->meet]);
    cJSON_AddStringToObject(state, "camera", h->camera);
    cJSON_AddNumberToObject(state, "cast_sent", (double)h->cast_st.sent);
    cJSON_AddBoolToObject(state, "cast_up", h->cast_st.up);
    cJSON_AddBoolToObject(state, "preview", h->preview != NULL);
    if (!h->have_signins)
        return;
    cJSON_AddNumberToObject(state, "expected", h->signins.rollcall.expected);
    cJSON_AddNumberToObject(state, "checked_in", h->signins.rollcall.checked_in);
    cJSON *in = cJSON_AddArrayToObject(state, "signed");
    for (int i = 0; in && i < h->signins.n_in; i++)
        cJSON_AddItemToArray(in, cJSON_CreateString(h->signins.in[i].name));
    cJSON *out = cJSON_AddArrayToObject(state, "missing");
    for (int i = 0; out && i < h->signins.n_absent; i++)
        cJSON_AddItemToArray(out, cJSON_CreateString(h->signins.absent[i].name));
}

static void ch_draw(struct screen *s, struct ui *ui)
{
    cadre_view_draw((struct cadre_home *)s, ui);
}

static void ch_destroy(struct screen *s)
{
    struct cadre_home *h = (struct cadre_home *)s;
    cadre_meeting_end(h);
    if (h->ses.token[0] && s->own.svc->net) {
        /* Log out: nobody waits for the answer, the request outlives the screen. */
        if (api_cadre_logout(s->own.svc->net, h->ses.token) > 0)
            log_info("cadre mode ended: logging out");
    }
    events_destroy(h->stream);
    cadre_session_wipe(&h->ses);
    cadre_signins_free(&h->signins);
    free(h);
}

static void ch_renderer_reset(struct screen *s)
{
    cadre_meeting_renderer_reset((struct cadre_home *)s);
}

static const struct screen_ops cadre_home_ops = {
    .renderer_reset = ch_renderer_reset,
    .destroy = ch_destroy,
    .on_action = ch_action,
    .on_net = ch_on_net,
    .on_event = ch_on_event,
    .tick = ch_tick,
    .draw = ch_draw,
    .focus_name = ch_focus,
    .dump_state = ch_dump,
};

struct screen *cadre_home_create(struct app_services *svc, const struct cadre_session *session)
{
    struct cadre_home *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    screen_init(&h->base, &cadre_home_ops, svc, "cadre");
    h->base.quiet = 1; /* the household's prompts stay away from the cadre's screen */
    h->ses = *session;
    h->last_key = SDL_GetTicks();
    struct events_config ecfg = { .base_url = svc->server, .ca_file = svc->ca_file,
                                  .token = h->ses.token };
    h->stream = events_create(&ecfg, svc->stream_event);
    if (!h->stream)
        log_warn("no event stream for cadre mode: sign-ins show on each re-read");
    cadre_rebuild_row(h);
    cadre_read_all(h);
    log_info("cadre mode for %s (%s)", h->ses.name, h->ses.village);
    return &h->base;
}
