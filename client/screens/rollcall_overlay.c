#define LOG_TAG "rollcall"
#include "screens/rollcall_overlay.h"

#include <SDL.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/household.h"
#include "log.h"
#include "net/rollcall.h"
#include "screens/player.h"
#include "ui/dialog.h"

enum {
    RETRY_MS = 2000,          /* a check-in lost to the network: send it again */
    WATCH_RETRY_MS = 1000,    /* joining: try again until the first heartbeat is in */
    WATCH_GIVE_UP_MS = 60000, /* no heartbeat accepted by then: say so */
    RESULT_MS = 12000,        /* the result stays this long unless a key closes it */
};

enum rc_phase {
    RC_IDLE,    /* nothing to show */
    RC_PROMPT,  /* "点名签到", waiting for OK */
    RC_SIGNING, /* check-ins on their way */
    RC_JOINING, /* the meeting opened; signing in as soon as the server sees us watching */
    RC_RESULT,  /* who signed in, or why not */
};

enum member_state { MS_TODO, MS_SENT, MS_DONE, MS_FAILED };

struct rc_overlay {
    struct overlay base;
    enum rc_phase phase;
    struct rc_open rc;           /* the roll call shown */
    int have_members;            /* rc.members came from the server */
    enum member_state ms[RC_MEMBERS_MAX];
    int skip[RC_MEMBERS_MAX];    /* not watching ("谁在看？"): not signed in unless changed */
    int skips_set;               /* skip[] holds this prompt's choice */
    int64_t serial[RC_MEMBERS_MAX]; /* check-in in flight per member */
    char done_at[RC_MEMBERS_MAX][8]; /* "10:02" */
    char reason[64];             /* the refusal in plain words, "" when none */
    int64_t list_serial;         /* GET /rollcalls/current in flight */
    int list_again;              /* another read was asked for meanwhile */
    int reread_after;            /* a roll call opened while signing in: look when done */
    int64_t bc_serial;           /* GET /broadcasts in flight (to open the meeting) */
    int64_t dismissed_id;        /* BACK on the prompt: not shown again by a re-read */
    int64_t server_offset;       /* server clock - ours, seconds (for the countdown) */
    int joined;                  /* the player was opened for this roll call */
    uint32_t retry_at;           /* next check-in round, 0 = none */
    uint32_t joined_at;
    uint32_t result_until;
    int shown_left;              /* countdown seconds on screen */
    char lines[DIALOG_LINES_MAX][224];
};

static struct rc_overlay *self(struct overlay *o)
{
    return (struct rc_overlay *)o;
}

static void read_current(struct rc_overlay *r)
{
    struct net *net = r->base.own.svc->net;
    if (!net)
        return;
    if (r->list_serial) {
        r->list_again = 1;
        return;
    }
    int64_t s = owner_track(&r->base.own, api_rollcalls_current(net));
    r->list_serial = s > 0 ? s : 0;
}

/* Is member id watching? Those not chosen on "谁在看？" are not signed in by default. */
static int watching(const struct rc_overlay *r, int64_t id)
{
    const struct household *hh = r->base.own.svc->household;
    return !hh || household_is_viewer(hh, id);
}

/* "谁在看？" is still to be answered: a prompt waits, hidden, and takes no key, so that OK
 * answers the picker and the prompt then signs in those chosen. */
static int picker_pending(const struct rc_overlay *r)
{
    const struct household *hh = r->base.own.svc->household;
    return hh && household_choice_pending(hh);
}

/* Once the members are known (and who is watching): sign in those watching, unless the
 * member changed it. */
static void default_skips(struct rc_overlay *r)
{
    if (r->skips_set || !r->have_members || picker_pending(r))
        return;
    for (int i = 0; i < r->rc.n_members; i++)
        r->skip[i] = !watching(r, r->rc.members[i].id);
    r->skips_set = 1;
}

static void show_prompt(struct rc_overlay *r)
{
    r->phase = RC_PROMPT;
    r->joined = 0;
    r->reason[0] = '\0';
    r->retry_at = 0;
    r->shown_left = -1;
    memset(r->serial, 0, sizeof(r->serial));
    for (int i = 0; i < RC_MEMBERS_MAX; i++)
        r->ms[i] = MS_TODO;
    r->skips_set = 0;
    default_skips(r);
    r->base.own.dirty = 1;
    log_info("prompt for roll call %" PRId64 " (%s)", r->rc.id, r->rc.title);
}

static void show_result(struct rc_overlay *r, const char *reason)
{
    if (reason)
        snprintf(r->reason, sizeof(r->reason), "%s", reason);
    r->phase = RC_RESULT;
    r->retry_at = 0;
    r->result_until = SDL_GetTicks() + RESULT_MS;
    r->base.own.dirty = 1;
    if (r->reread_after) {
        r->reread_after = 0;
        read_current(r);
    }
    log_info("roll call %" PRId64 ": %s", r->rc.id, r->reason[0] ? r->reason : "signed in");
}

/* Everyone to sign in has signed in (those left out on purpose do not count). */
static int all_done(const struct rc_overlay *r)
{
    for (int i = 0; i < r->rc.n_members; i++) {
        if (r->ms[i] != MS_DONE && !r->skip[i])
            return 0;
    }
    return 1;
}

static int any_to_sign(const struct rc_overlay *r)
{
    for (int i = 0; i < r->rc.n_members; i++) {
        if (!r->skip[i])
            return 1;
    }
    return 0;
}

static int in_flight(const struct rc_overlay *r)
{
    for (int i = 0; i < r->rc.n_members; i++) {
        if (r->ms[i] == MS_SENT)
            return 1;
    }
    return 0;
}

/* Send a check-in for every member not yet signed in. */
static void send_checkins(struct rc_overlay *r)
{
    struct net *net = r->base.own.svc->net;
    r->retry_at = 0;
    if (!r->have_members) {
        read_current(r); /* the members come with it; we sign in when they do */
        return;
    }
    default_skips(r);
    if (r->rc.n_members > 0 && !any_to_sign(r)) {
        show_result(r, "没有选人签到");
        return;
    }
    for (int i = 0; i < r->rc.n_members; i++) {
        if (r->ms[i] == MS_DONE || r->ms[i] == MS_SENT || r->skip[i])
            continue;
        int64_t s = net ? owner_track(&r->base.own,
                                      api_rollcall_checkin(net, r->rc.id, r->rc.members[i].id))
                        : -1;
        if (s > 0) {
            r->serial[i] = s;
            r->ms[i] = MS_SENT;
        } else {
            r->retry_at = SDL_GetTicks() + RETRY_MS;
        }
    }
    if (r->rc.n_members == 0)
        show_result(r, "这户没有要签到的党员");
    else if (all_done(r))
        show_result(r, NULL); /* signed in already (from another box of the household) */
}

/* Open the meeting this roll call belongs to: its playback URL first. */
static void join_meeting(struct rc_overlay *r)
{
    struct net *net = r->base.own.svc->net;
    if (r->bc_serial || !net)
        return;
    int64_t s = owner_track(&r->base.own, api_broadcasts(net));
    r->bc_serial = s > 0 ? s : 0;
}

static void open_player(struct rc_overlay *r, const char *url, const char *title)
{
    struct app_services *svc = r->base.own.svc;
    char full[RC_URL_MAX + 256];
    if (player_resolve_url(svc, url, full, sizeof(full)) < 0) {
        show_result(r, "会议暂时看不了，请稍后再试");
        return;
    }
    struct player_request req = { .url = full, .title = title, .broadcast_id = r->rc.broadcast_id };
    struct screen *p = player_screen_create(svc, &req);
    if (!p) {
        show_result(r, "会议暂时看不了，请稍后再试");
        return;
    }
    owner_navigate(&r->base.own, NAV_PUSH, p);
    r->joined = 1;
    r->joined_at = SDL_GetTicks();
    r->phase = RC_JOINING;
    r->retry_at = SDL_GetTicks() + WATCH_RETRY_MS;
    log_info("opened broadcast %" PRId64 " to sign in", r->rc.broadcast_id);
}

/* ---- results ---- */

static void on_list(struct rc_overlay *r, const struct net_result *res)
{
    r->list_serial = 0;
    struct rc_current cur;
    char why[160];
    if (res->error != NET_OK || res->http_status != 200 ||
        api_parse_rollcalls(res->body, &cur, why, sizeof(why)) < 0) {
        log_warn("open roll calls not read (%s, HTTP %ld)", net_error_str(res->error),
                 res->http_status);
        if (r->phase == RC_SIGNING && !r->have_members)
            r->retry_at = SDL_GetTicks() + RETRY_MS;
        return;
    }
    int64_t server_now = api_iso_to_epoch(cur.server_time);
    if (server_now > 0)
        r->server_offset = server_now - (int64_t)time(NULL);
    const struct rc_open *mine = NULL;
    for (int i = 0; i < cur.n && !mine; i++) {
        if (r->phase != RC_IDLE && r->phase != RC_RESULT && cur.open[i].id == r->rc.id)
            mine = &cur.open[i];
    }
    if (r->phase == RC_PROMPT && !mine) {
        r->phase = RC_IDLE; /* closed while we were not listening */
        r->base.own.dirty = 1;
    }
    if (mine) {
        char closes[RC_TIME_MAX];
        memcpy(closes, r->rc.closes_at, sizeof(closes));
        r->rc = *mine;
        if (!r->rc.closes_at[0])
            memcpy(r->rc.closes_at, closes, sizeof(closes)); /* the event said it */
        r->have_members = 1;
        default_skips(r);
        for (int i = 0; i < r->rc.n_members; i++) {
            if (r->rc.members[i].checked_in_at[0] && r->ms[i] != MS_DONE) {
                r->ms[i] = MS_DONE;
                api_beijing_hhmm(r->rc.members[i].checked_in_at, r->done_at[i], 8);
            }
        }
        if (r->phase == RC_SIGNING)
            send_checkins(r);
        else if (r->phase == RC_PROMPT && all_done(r))
            r->phase = RC_IDLE; /* everyone signed in elsewhere: nothing to ask */
        r->base.own.dirty = 1;
    } else if (r->phase == RC_IDLE || r->phase == RC_RESULT) {
        for (int i = 0; i < cur.n; i++) {
            const struct rc_open *o = &cur.open[i];
            int todo = 0;
            for (int k = 0; k < o->n_members; k++)
                todo |= !o->members[k].checked_in_at[0] && watching(r, o->members[k].id);
            if (!todo || o->id == r->dismissed_id ||
                (r->phase == RC_RESULT && o->id == r->rc.id))
                continue;
            r->rc = *o;
            r->have_members = 1;
            show_prompt(r);
            break;
        }
    }
    if (r->list_again) {
        r->list_again = 0;
        read_current(r);
    }
}

static void on_broadcasts(struct rc_overlay *r, const struct net_result *res)
{
    r->bc_serial = 0;
    if (r->phase != RC_SIGNING && r->phase != RC_JOINING)
        return;
    char url[RC_URL_MAX], title[API_TITLE_MAX], why[160];
    int rc = -1;
    if (res->error == NET_OK && res->http_status == 200)
        rc = api_find_live_broadcast(res->body, r->rc.broadcast_id, url, sizeof(url), title,
                                     sizeof(title), why, sizeof(why));
    if (rc == 0)
        open_player(r, url, title);
    else if (res->error != NET_OK || res->http_status >= 500)
        r->retry_at = SDL_GetTicks() + RETRY_MS; /* try the whole round again */
    else
        show_result(r, "会议已经结束");
}

static void on_checkin(struct rc_overlay *r, int i, const struct net_result *res)
{
    r->serial[i] = 0;
    char code[48];
    if (res->error == NET_OK && res->http_status == 200) {
        char at[RC_TIME_MAX] = "";
        api_parse_checkin(res->body, at, sizeof(at), NULL, 0);
        api_beijing_hhmm(at, r->done_at[i], sizeof(r->done_at[i]));
        r->ms[i] = MS_DONE;
        log_info("%s signed in at %s", r->rc.members[i].name, r->done_at[i]);
    } else if (res->queued) {
        /* No server now: the check-in waits in the box's outbox; the server decides later. */
        r->ms[i] = MS_FAILED;
        show_result(r, "网络不通，签到已保存，网络恢复后自动送出");
        return;
    } else if (res->error != NET_OK || res->http_status >= 500 || res->http_status == 429) {
        r->ms[i] = MS_TODO; /* lost: the same check-in again shortly (idempotent) */
        if (!r->retry_at)
            r->retry_at = SDL_GetTicks() + RETRY_MS;
    } else {
        api_error_code(res->body, code, sizeof(code));
        r->ms[i] = MS_TODO;
        if (strcmp(code, "not_watching") == 0) {
            if (!r->joined) {
                r->phase = RC_SIGNING;
                join_meeting(r);
            } else if ((int32_t)(SDL_GetTicks() - r->joined_at) > WATCH_GIVE_UP_MS) {
                show_result(r, "请先观看会议");
            } else if (!r->retry_at) {
                r->retry_at = SDL_GetTicks() + WATCH_RETRY_MS;
            }
            return;
        }
        r->ms[i] = MS_FAILED;
        show_result(r, strcmp(code, "rollcall_closed") == 0 ? "点名已结束"
                       : strcmp(code, "not_household_member") == 0 ? "这台机顶盒不能替他签到"
                                                                     : "签到没有成功，请稍后再试");
        return;
    }
    if (all_done(r) && (r->phase == RC_SIGNING || r->phase == RC_JOINING))
        show_result(r, NULL);
    r->base.own.dirty = 1;
}

static void rc_on_net(struct overlay *o, const struct net_result *res)
{
    struct rc_overlay *r = self(o);
    if (res->serial == r->list_serial) {
        on_list(r, res);
        return;
    }
    if (res->serial == r->bc_serial) {
        on_broadcasts(r, res);
        return;
    }
    for (int i = 0; i < r->rc.n_members; i++) {
        if (r->serial[i] && res->serial == r->serial[i]) {
            if (r->phase == RC_SIGNING || r->phase == RC_JOINING)
                on_checkin(r, i, res);
            else
                r->serial[i] = 0;
            return;
        }
    }
}

static void rc_on_event(struct overlay *o, const struct box_event *ev)
{
    struct rc_overlay *r = self(o);
    switch (ev->type) {
    case BOX_EVENT_ROLLCALL_OPENED:
        if (ev->rollcall_id == r->rc.id && r->phase != RC_IDLE && r->phase != RC_RESULT)
            return; /* a replay of what we show */
        if (r->phase == RC_SIGNING || r->phase == RC_JOINING) {
            r->reread_after = 1; /* finish this one first; the read then finds the new one */
            return;
        }
        memset(&r->rc, 0, sizeof(r->rc));
        r->rc.id = ev->rollcall_id;
        r->rc.broadcast_id = ev->broadcast_id;
        snprintf(r->rc.title, sizeof(r->rc.title), "%s", ev->title);
        snprintf(r->rc.closes_at, sizeof(r->rc.closes_at), "%s", ev->closes_at);
        r->have_members = 0;
        show_prompt(r);
        read_current(r); /* the members, and who has signed in already */
        break;
    case BOX_EVENT_ROLLCALL_CLOSED:
        if (ev->rollcall_id == r->rc.id && r->phase == RC_PROMPT)
            show_result(r, "点名已结束");
        break;
    case BOX_EVENT_STREAM_OPEN:
        read_current(r); /* whatever opened while the stream was down */
        break;
    default:
        break;
    }
}

static int rc_on_action(struct overlay *o, enum action a, struct nav *nav)
{
    (void)nav;
    struct rc_overlay *r = self(o);
    switch (r->phase) {
    case RC_PROMPT: {
        if (picker_pending(r))
            return 0; /* not shown yet: the keys are the picker's */
        int d = action_digit(a);
        if (d >= 1 && d <= r->rc.n_members && r->have_members && r->rc.n_members > 1 &&
            r->ms[d - 1] != MS_DONE) {
            r->skip[d - 1] = !r->skip[d - 1]; /* this time someone else is watching */
            r->base.own.dirty = 1;
            return 1;
        }
        if (a == ACTION_OK) {
            r->phase = RC_SIGNING;
            send_checkins(r);
        } else if (a == ACTION_BACK) {
            r->dismissed_id = r->rc.id;
            r->phase = RC_IDLE;
        }
        return 1; /* modal: nothing reaches the screen under the question */
    }
    case RC_SIGNING:
        return 1;
    case RC_JOINING:
        return 0; /* the meeting plays underneath; its keys are its own */
    case RC_RESULT:
        if (a == ACTION_OK || a == ACTION_BACK) {
            r->phase = RC_IDLE;
            return 1;
        }
        return 0;
    case RC_IDLE:
        break;
    }
    return 0;
}

/* Seconds until the roll call closes, or -1 when it has no set end. */
static int seconds_left(const struct rc_overlay *r)
{
    int64_t closes = api_iso_to_epoch(r->rc.closes_at);
    if (closes < 0)
        return -1;
    int64_t left = closes - ((int64_t)time(NULL) + r->server_offset);
    return left < 0 ? 0 : (int)left;
}

static int rc_tick(struct overlay *o, uint32_t now)
{
    struct rc_overlay *r = self(o);
    int wake = -1;
    if (r->retry_at && (r->phase == RC_SIGNING || r->phase == RC_JOINING)) {
        if ((int32_t)(now - r->retry_at) >= 0) {
            if (r->phase == RC_SIGNING && !r->have_members)
                read_current(r); /* the members never came: ask again */
            else if (!in_flight(r))
                send_checkins(r);
            r->base.own.dirty = 1;
        } else {
            wake = (int)(r->retry_at - now);
        }
    }
    if (r->phase == RC_RESULT) {
        if ((int32_t)(now - r->result_until) >= 0) {
            r->phase = RC_IDLE;
            r->base.own.dirty = 1;
        } else {
            int w = (int)(r->result_until - now);
            wake = wake < 0 || w < wake ? w : wake;
        }
    }
    if (r->phase == RC_PROMPT && !r->skips_set && r->have_members && !picker_pending(r)) {
        default_skips(r); /* the picker is done: the prompt comes, with those chosen */
        r->base.own.dirty = 1;
        log_info("prompt for roll call %" PRId64 " shown after \"谁在看？\"", r->rc.id);
    }
    if (r->phase == RC_PROMPT && r->rc.closes_at[0]) {
        int left = seconds_left(r);
        if (left != r->shown_left) {
            r->shown_left = left;
            r->base.own.dirty = 1;
        }
        wake = wake < 0 || wake > 1000 ? 1000 : wake;
    }
    return wake;
}

static int rc_visible(const struct overlay *o)
{
    const struct rc_overlay *r = (const struct rc_overlay *)o;
    return r->phase != RC_IDLE && !(r->phase == RC_PROMPT && picker_pending(r));
}

static void rc_draw(struct overlay *o, struct ui *ui)
{
    struct rc_overlay *r = self(o);
    struct dialog d = { .title = "点名签到", .focus = -1, .name = "rollcall.buttons" };
    int n = 0;
    snprintf(r->lines[n], sizeof(r->lines[n]), "%s", r->rc.title);
    d.lines[n] = r->lines[n];
    d.strong[n++] = 1;
    switch (r->phase) {
    case RC_PROMPT: {
        int left = seconds_left(r);
        if (left >= 0) {
            snprintf(r->lines[n], sizeof(r->lines[n]), "还有 %d 分 %02d 秒结束", left / 60,
                     left % 60);
            d.lines[n] = r->lines[n];
            n++;
        }
        int several = r->have_members && r->rc.n_members > 1;
        for (int i = 0; several && i < r->rc.n_members && n < DIALOG_LINES_MAX; i++) {
            /* Via a local buffer: GCC's -Wrestrict cannot tell two fields of r apart. */
            char line[sizeof(r->lines[n])];
            snprintf(line, sizeof(line), "%d  %s：%s", i + 1, r->rc.members[i].name,
                     r->ms[i] == MS_DONE ? "已签到" : r->skip[i] ? "这次不签" : "签到");
            memcpy(r->lines[n], line, sizeof(line));
            d.strong[n] = !r->skip[i];
            d.lines[n] = r->lines[n];
            n++;
        }
        d.buttons[0] = "签到";
        d.focus = 0;
        d.hint = several ? "确认 签到，数字键 换人，返回 先不签" : "按 确认 签到，按 返回 先不签";
        break;
    }
    case RC_SIGNING:
        d.lines[n++] = "正在签到，请稍等…";
        break;
    case RC_JOINING:
        d.lines[n++] = "正在进入会议，看上画面就自动签到";
        break;
    case RC_RESULT:
        for (int i = 0; i < r->rc.n_members && n < DIALOG_LINES_MAX - 1; i++) {
            if (r->ms[i] != MS_DONE)
                continue;
            /* Via a local buffer: GCC's -Wrestrict cannot tell two fields of r apart. */
            char done[sizeof(r->lines[n])];
            snprintf(done, sizeof(done), "%s 签到成功 %s", r->rc.members[i].name, r->done_at[i]);
            memcpy(r->lines[n], done, sizeof(done));
            d.strong[n] = 1;
            d.lines[n] = r->lines[n];
            n++;
        }
        if (r->reason[0] && n < DIALOG_LINES_MAX) {
            snprintf(r->lines[n], sizeof(r->lines[n]), "%s", r->reason);
            d.strong[n] = 1;
            d.lines[n] = r->lines[n];
            n++;
        }
        d.hint = "按 确认 关闭";
        break;
    case RC_IDLE:
        return;
    }
    dialog_draw(ui, &d);
}

static const char *rc_focus(const struct overlay *o)
{
    return ((const struct rc_overlay *)o)->phase == RC_PROMPT ? "rollcall.sign" : NULL;
}

static void rc_dump(const struct overlay *o, cJSON *state)
{
    const struct rc_overlay *r = (const struct rc_overlay *)o;
    static const char *const phases[] = { "idle", "prompt", "signing", "joining", "result" };
    cJSON_AddStringToObject(state, "phase", phases[r->phase]);
    cJSON_AddNumberToObject(state, "rollcall_id", (double)r->rc.id);
    cJSON_AddStringToObject(state, "reason", r->reason);
    cJSON *sk = cJSON_AddArrayToObject(state, "left_out");
    for (int i = 0; sk && r->have_members && i < r->rc.n_members; i++) {
        if (r->skip[i])
            cJSON_AddItemToArray(sk, cJSON_CreateNumber((double)r->rc.members[i].id));
    }
    cJSON *m = cJSON_AddArrayToObject(state, "signed_in");
    for (int i = 0; m && i < r->rc.n_members; i++) {
        if (r->ms[i] == MS_DONE)
            cJSON_AddItemToArray(m, cJSON_CreateNumber((double)r->rc.members[i].id));
    }
}

static void rc_destroy(struct overlay *o)
{
    free(o);
}

static const struct overlay_ops rc_ops = {
    .name = "rollcall",
    .visible = rc_visible,
    .draw = rc_draw,
    .on_action = rc_on_action,
    .on_net = rc_on_net,
    .tick = rc_tick,
    .focus_name = rc_focus,
    .dump_state = rc_dump,
    .on_event = rc_on_event,
    .destroy = rc_destroy,
};

struct overlay *rollcall_overlay_create(struct app_services *svc)
{
    struct rc_overlay *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    overlay_init(&r->base, &rc_ops, svc);
    r->phase = RC_IDLE;
    read_current(r);
    return &r->base;
}
