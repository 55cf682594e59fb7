/* The player screen's logic: the engine's life cycle, keys, resume and heartbeats.
 * Drawing and the dump are in player_view.c. */
#define LOG_TAG "playscreen"
#include "screens/player.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "speech/speech.h"
#include "net/api.h"
#include "screens/player_internal.h"
#include "screens/guest_overlay.h"
#include "screens/study_credit.h"

enum {
    OSD_MS = 5000,            /* the OSD hides this long after the last key */
    ASK_WAIT_MS = 4000,       /* resume position: start from 0 if the server is slower */
    SAVE_EVERY_MS = 10000,    /* resume position saved this often while playing */
    HEARTBEAT_MS = 20000,     /* live playback heartbeat */
    ENDED_QUIT_MS = 5000,     /* player mode: the "broadcast ended" message, then leave */
    RESUME_MIN_S = 10,        /* an earlier position is not worth asking about */
};
#define SEEK_SHORT_S 10.0
#define SEEK_LONG_S 60.0
#define COMPLETE_FRACTION 0.9 /* a course watched this far is completed (as the server says) */

static uint32_t later(uint32_t now, uint32_t ms)
{
    uint32_t t = now + ms;
    return t ? t : 1; /* 0 means "not set" */
}

static int due(uint32_t now, uint32_t at)
{
    return at && (int32_t)(now - at) >= 0;
}

static int until(uint32_t now, uint32_t at)
{
    if (!at)
        return -1;
    int32_t d = (int32_t)(at - now);
    return d > 0 ? d : 0;
}

static int min_wake(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* Milliseconds since this process started (exec), from /proc; -1 if unknown. */
static long process_age_ms(void)
{
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f)
        return -1;
    char line[1024];
    char *ok = fgets(line, sizeof(line), f);
    fclose(f);
    if (!ok)
        return -1;
    char *p = strrchr(line, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    /* Field 22 (starttime); after ')' come field 3 onwards. */
    int field = 2;
    while (*p && field < 22) {
        if (*p == ' ')
            field++;
        p++;
    }
    char *end = NULL;
    unsigned long long start = strtoull(p, &end, 10);
    long hz = sysconf(_SC_CLK_TCK);
    struct timespec now;
    if (end == p || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) < 0)
        return -1;
    double age = (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6 -
                 (double)start * 1000.0 / (double)hz;
    return age >= 0 ? (long)age : -1;
}

static void show_osd(struct pscreen *ps, uint32_t now)
{
    ps->osd_until = later(now, OSD_MS);
    if (!ps->osd_visible)
        ps->base.own.dirty = 1;
    ps->osd_visible = 1;
}

/* ---- server calls: resume and heartbeats (never shown on screen) ---- */

/* track: route the reply back here (not from destroy: the app has already forgotten this
 * screen's requests by then, and the reply is simply dropped). */
static void save_position(struct pscreen *ps, double pos, int track)
{
    if (ps->item_id <= 0 || !ps->base.own.svc->net || ps->is_replay)
        return;
    int64_t serial = api_resume_put(ps->base.own.svc->net, ps->item_id, pos);
    if (track)
        screen_track(&ps->base, serial);
    if (serial < 0)
        log_warn("cannot queue the resume save: %s", strerror((int)-serial));
    else
        log_debug("saving position %.1f s of item %" PRId64, pos, ps->item_id);
}

static void send_heartbeat(struct pscreen *ps)
{
    if (ps->broadcast_id <= 0 || !ps->base.own.svc->net || ps->is_replay)
        return;
    int64_t serial = api_broadcast_heartbeat(ps->base.own.svc->net, ps->broadcast_id);
    if (screen_track(&ps->base, serial) < 0)
        log_warn("cannot queue the heartbeat: %s", strerror((int)-serial));
}

static void start_playback(struct pscreen *ps, double start_s);

static void on_resume_reply(struct pscreen *ps, const struct net_result *r)
{
    double pos = 0;
    if (r->error != NET_OK) {
        log_warn("resume position of item %" PRId64 ": %s (%s); starting from the beginning",
                 ps->item_id, net_error_str(r->error), r->message);
    } else if (r->http_status == 404) {
        log_info("no resume position for item %" PRId64 " (404)", ps->item_id);
    } else if (r->http_status != 200) {
        log_warn("resume position of item %" PRId64 ": HTTP %ld", ps->item_id, r->http_status);
    } else {
        char why[160];
        if (api_parse_resume(r->body ? r->body : "", &pos, why, sizeof(why)) < 0) {
            log_warn("resume reply not understood: %s", why);
            pos = 0;
        }
    }
    if (pos > RESUME_MIN_S && !(ps->st.duration_s > 0 && pos > ps->st.duration_s - 5)) {
        ps->resume_s = pos;
        ps->phase = PP_PROMPT;
        ps->ok_counter = 0; /* the member's answer is in any time after: not measured */
        ps->base.loading = 0;
        log_info("offering to resume item %" PRId64 " at %.1f s", ps->item_id, pos);
    } else {
        start_playback(ps, 0);
    }
}

static void on_heartbeat_reply(struct pscreen *ps, const struct net_result *r)
{
    if (r->error != NET_OK) {
        log_warn("heartbeat: %s (%s)", net_error_str(r->error), r->message);
    } else if (r->http_status == 409) {
        /* {"code":"broadcast_not_live"}: the cadre has stopped it. */
        if (!ps->server_ended)
            log_info("server: broadcast %" PRId64 " is no longer live", ps->broadcast_id);
        ps->server_ended = 1;
        ps->base.own.dirty = 1;
    } else if (r->http_status == 404) {
        if (!ps->hb_missing_logged)
            log_info("heartbeat for broadcast %" PRId64 ": 404 (no such route or broadcast)",
                     ps->broadcast_id);
        ps->hb_missing_logged = 1;
    } else if (r->http_status < 200 || r->http_status >= 300) {
        log_warn("heartbeat: HTTP %ld", r->http_status);
    }
}

static void ps_on_net(struct screen *s, const struct net_result *r)
{
    struct pscreen *ps = (struct pscreen *)s;
    if (r->kind == API_RESUME_GET && r->serial == ps->resume_serial) {
        ps->resume_serial = 0;
        if (ps->phase == PP_ASKING)
            on_resume_reply(ps, r);
    } else if (r->kind == API_HEARTBEAT) {
        on_heartbeat_reply(ps, r);
    } else if (r->kind == API_RESUME_PUT) {
        if (r->error != NET_OK || r->http_status < 200 || r->http_status >= 300)
            log_warn("resume save: %s, HTTP %ld", net_error_str(r->error), r->http_status);
    }
}

/* ---- the engine ---- */

static void close_player(struct pscreen *ps)
{
    if (!ps->p)
        return;
    player_get_stats(ps->p, &ps->st);
    player_close(ps->p);
    ps->p = NULL;
}

static void start_playback(struct pscreen *ps, double start_s)
{
    struct app_services *svc = ps->base.own.svc;
    close_player(ps);
    struct player_options o = {
        .url = ps->url,
        .ca_file = svc->ca_file && svc->ca_file[0] ? svc->ca_file : NULL,
        /* The group's HTTPS stream: the player switches to it when the group is silent. */
        .fallback_url = ps->fallback[0] && !ps->is_replay ? ps->fallback : NULL,
        /* Media under the server's /media/ needs the box token; other hosts never see it. */
        .auth_token = svc->token && svc->token[0] ? svc->token : NULL,
        .auth_origin = svc->server,
        .start_s = start_s,
        .live = ps->is_replay ? PLAYER_LIVE_NO : PLAYER_LIVE_AUTO,
        .audio = PLAYER_AUDIO_DEVICE,
        .no_present = ps->no_present != 0,
        .event_type = svc->player_event,
        .session = SDL_GetTicks(),
    };
    memset(&ps->st, 0, sizeof(ps->st));
    ps->st.state = PLAYER_OPENING;
    ps->st.ttff_ms = -1;
    ps->st.av_diff_ms = NAN;
    ps->st.position_s = start_s;
    ps->open_counter = SDL_GetPerformanceCounter();
    ps->first_logged = ps->video_drawn = ps->started = 0;
    ps->last_pos = start_s;
    ps->shown_second = -1;
    ps->p = player_open(&o);
    ps->base.own.dirty = 1;
    if (!ps->p) {
        log_error("cannot open a player for %s", ps->url);
        ps->phase = PP_ERROR;
        ps->error = PLAYER_ERR_INTERNAL;
        ps->st.state = PLAYER_ERROR;
        ps->st.error = PLAYER_ERR_INTERNAL;
        ps->base.loading = 0;
        return;
    }
    ps->phase = PP_PLAYING;
    ps->base.loading = 1;
    ps->next_save = later(SDL_GetTicks(), SAVE_EVERY_MS);
}

/* Leave the player: back to where it was opened from, or out of the app in player mode. */
static void leave(struct pscreen *ps, struct nav *nav, int status)
{
    nav->kind = ps->quit_when_done ? NAV_QUIT : NAV_POP;
    nav->status = ps->quit_when_done ? status : 0;
}

static void first_frame(struct pscreen *ps, uint32_t now)
{
    ps->started = 1;
    ps->base.loading = 0;
    /* The title and the keys for a moment, but from the second frame on: the first one
     * goes out without waiting for text to be drawn. */
    if (ps->no_present)
        show_osd(ps, now);
    if (ps->broadcast_id > 0 && !ps->is_replay) {
        send_heartbeat(ps);
        ps->next_heartbeat = later(now, HEARTBEAT_MS);
    }
}

static void log_first_presented(struct pscreen *ps)
{
    double ms = (double)(SDL_GetPerformanceCounter() - ps->open_counter) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
    log_info("first frame presented after %.0f ms (since process start %ld ms)", ms,
             process_age_ms());
    ps->first_logged = 1;
    if (ps->ok_counter) {
        /* What a member feels: from the OK on the list row, server round trips included. */
        ps->ok_to_frame_ms = (double)(SDL_GetPerformanceCounter() - ps->ok_counter) * 1000.0 /
                             (double)SDL_GetPerformanceFrequency();
        log_info("ok-to-first-frame %.0f ms", ps->ok_to_frame_ms);
        ps->ok_counter = 0;
    }
}

static void live_ended(struct pscreen *ps, uint32_t now)
{
    log_info("the broadcast has ended%s", ps->replay[0] ? "; offering the replay" : "");
    close_player(ps);
    ps->phase = PP_LIVE_ENDED;
    ps->st.state = PLAYER_ENDED;
    ps->base.loading = 0;
    ps->ended_at = now;
    ps->base.own.dirty = 1;
}

/* The player reached an end or an error. */
static void on_final_state(struct pscreen *ps, uint32_t now)
{
    if (ps->st.state == PLAYER_ERROR) {
        ps->error = ps->st.error;
        log_warn("playback failed: %s", player_error_name(ps->error));
        close_player(ps);
        ps->phase = PP_ERROR;
        ps->base.loading = 0;
        ps->base.own.dirty = 1;
        if (ps->quit_on_error) {
            ps->base.own.request.kind = NAV_QUIT;
            ps->base.own.request.status = 1;
        }
        return;
    }
    if (ps->st.is_live || ps->server_ended) {
        live_ended(ps, now);
        return;
    }
    log_info("played to the end");
    if (ps->item_id > 0) {
        /* Watched: next time from the start — once a credit report in progress is done. */
        if (!(ps->credit_noted &&
              study_credit_take_end(ps->base.own.svc->overlays, ps->item_id)))
            save_position(ps, 0, 1);
        ps->end_saved = 1;
    }
    leave(ps, &ps->base.own.request, 0);
}

/* Nobody looks at a covered player: a programme waits paused where it was and goes on when
 * it is on top again; a live meeting plays on without sound, to stay at the live edge. A
 * pause the member made stays theirs. */
static void follow_cover(struct pscreen *ps)
{
    int covered = ps->base.covered;
    if (covered == ps->was_covered)
        return;
    ps->was_covered = covered;
    if (covered) {
        int playing = ps->st.state == PLAYER_PLAYING || ps->st.state == PLAYER_BUFFERING;
        if (!ps->st.is_live && playing && player_set_paused(ps->p, true) == 0) {
            ps->paused_by_cover = 1;
            log_info("out of sight: paused at %.1f s", ps->st.position_s);
        } else {
            log_info("out of sight: the sound is off");
        }
    } else if (ps->paused_by_cover) {
        ps->paused_by_cover = 0;
        player_set_paused(ps->p, false);
        log_info("in sight again: playing on from %.1f s", ps->st.position_s);
    } else {
        log_info("in sight again: the sound is on");
    }
}

static int tick_playing(struct pscreen *ps, uint32_t now)
{
    int next = 100;
    if (player_update(ps->p, ps->base.own.svc->ui->r, &next))
        ps->base.own.dirty = 1;
    /* The video's sound gives way to the read-aloud while it speaks, and to the screen on
     * top while another covers this one (a roll call's meeting opened over a course). */
    struct speech *sp = ps->base.own.svc->speech;
    player_set_muted(ps->p, ps->base.covered || (sp && speech_is_speaking(sp)));
    enum player_state was = ps->st.state;
    player_get_stats(ps->p, &ps->st);
    follow_cover(ps);
    if (ps->st.state != was) {
        ps->base.own.dirty = 1;
        if (ps->st.state == PLAYER_PAUSED)
            show_osd(ps, now);
    }
    if (!ps->started && ps->st.state != PLAYER_OPENING && ps->st.state != PLAYER_ERROR)
        first_frame(ps, now);
    if (ps->no_present && !ps->first_logged && ps->st.frames_presented > 0)
        log_first_presented(ps);
    if (ps->st.state == PLAYER_ERROR || ps->st.state == PLAYER_ENDED) {
        on_final_state(ps, now);
        return 0;
    }
    if (ps->server_ended && ps->st.state == PLAYER_RECONNECTING) {
        live_ended(ps, now);
        return 0;
    }
    /* Media time played, for --play-seconds: steps forward only (not seeks). */
    double pos = ps->st.position_s, d = pos - ps->last_pos;
    if (ps->st.state == PLAYER_PLAYING && d > 0 && d < 1.0)
        ps->played_s += d;
    ps->last_pos = pos;
    if (ps->stop_after_s > 0 && ps->played_s >= ps->stop_after_s) {
        log_info("played %.1f s of media: stopping", ps->played_s);
        leave(ps, &ps->base.own.request, 0);
        return 0;
    }
    int sec = (int)floor(pos);
    if (ps->osd_visible && sec != ps->shown_second)
        ps->base.own.dirty = 1;
    ps->shown_second = sec;
    if (ps->item_id > 0 && !ps->is_replay && !ps->st.is_live && !ps->credit_noted &&
        ps->st.duration_s > 0 && pos >= ps->st.duration_s * COMPLETE_FRACTION) {
        ps->credit_noted = 1;
        study_credit_watched(ps->base.own.svc->overlays, ps->item_id, pos);
    }
    if (ps->started && ps->st.state == PLAYER_PLAYING && due(now, ps->next_save) &&
        !ps->st.is_live) {
        save_position(ps, pos, 1);
        ps->next_save = later(now, SAVE_EVERY_MS);
    }
    int watched = !ps->base.covered &&
                  (ps->st.state == PLAYER_PLAYING || ps->st.state == PLAYER_BUFFERING);
    if (ps->next_heartbeat && due(now, ps->next_heartbeat)) {
        if (watched)
            send_heartbeat(ps); /* only while the broadcast really plays, in sight */
        ps->next_heartbeat = later(now, HEARTBEAT_MS);
    }
    int wake = next;
    wake = min_wake(wake, until(now, ps->next_save));
    return min_wake(wake, until(now, ps->next_heartbeat));
}

static int ps_tick(struct screen *s, uint32_t now)
{
    struct pscreen *ps = (struct pscreen *)s;
    int wake = -1;
    switch (ps->phase) {
    case PP_ASKING:
        if (due(now, ps->ask_deadline)) {
            log_warn("no resume position after %d ms: starting from the beginning", ASK_WAIT_MS);
            ps->resume_serial = 0;
            start_playback(ps, 0);
            return 0;
        }
        wake = until(now, ps->ask_deadline);
        break;
    case PP_PLAYING:
        wake = tick_playing(ps, now);
        break;
    case PP_LIVE_ENDED:
        /* Player mode with nobody to choose the replay (or none to choose): leave. */
        if (ps->quit_when_done && (!ps->replay[0] || ps->quit_on_error)) {
            if (due(now, ps->ended_at + ENDED_QUIT_MS)) {
                leave(ps, &ps->base.own.request, 0);
                return -1;
            }
            wake = until(now, ps->ended_at + ENDED_QUIT_MS);
        }
        break;
    case PP_PROMPT:
    case PP_ERROR:
        break;
    }
    if (ps->guest) /* the guest's heartbeats go while their meeting plays in sight */
        guest_overlay_watching(s->own.svc->overlays,
                               !s->covered && ps->phase == PP_PLAYING && ps->started &&
                                   (ps->st.state == PLAYER_PLAYING ||
                                    ps->st.state == PLAYER_BUFFERING));
    int paused = ps->phase == PP_PLAYING && ps->st.state == PLAYER_PAUSED;
    if (ps->osd_visible && !paused && due(now, ps->osd_until)) {
        ps->osd_visible = 0;
        ps->osd_until = 0;
        s->own.dirty = 1;
    }
    if (ps->osd_visible && !paused)
        wake = min_wake(wake, until(now, ps->osd_until));
    return wake;
}

/* ---- keys ---- */

static void seek_result(struct pscreen *ps, int rc)
{
    if (rc == -ENOTSUP)
        notices_post(ps->base.own.svc->notices,
                     ps->st.is_live ? "直播节目不能快进或后退" : "这个节目不能跳着看", 0);
}

static int playing_action(struct pscreen *ps, enum action a)
{
    struct player *p = ps->p;
    int digit = action_digit(a);
    switch (a) {
    case ACTION_OK:
        if (ps->st.is_live) {
            notices_post(ps->base.own.svc->notices, "直播节目不能暂停", 0);
            return 1;
        }
        player_toggle_pause(p);
        return 1;
    case ACTION_LEFT:
        seek_result(ps, player_seek_by(p, -SEEK_SHORT_S));
        return 1;
    case ACTION_RIGHT:
        seek_result(ps, player_seek_by(p, SEEK_SHORT_S));
        return 1;
    case ACTION_DOWN:
        seek_result(ps, player_seek_by(p, -SEEK_LONG_S));
        return 1;
    case ACTION_UP:
        seek_result(ps, player_seek_by(p, SEEK_LONG_S));
        return 1;
    case ACTION_BLUE:
    case ACTION_INFO:
        ps->stats_on = !ps->stats_on;
        return 1;
    default:
        break;
    }
    if (digit == 0) {
        seek_result(ps, player_seek_to(p, 0));
        return 1;
    }
    if (digit > 0) {
        seek_result(ps, player_seek_fraction(p, digit / 10.0));
        return 1;
    }
    return 1; /* every other key just shows the OSD */
}

static void switch_to_replay(struct pscreen *ps)
{
    log_info("playing the replay of broadcast %" PRId64, ps->broadcast_id);
    snprintf(ps->url, sizeof(ps->url), "%s", ps->replay);
    ps->replay[0] = '\0';
    ps->is_replay = 1;
    ps->server_ended = 0;
    ps->next_heartbeat = 0;
    size_t n = strlen(ps->title);
    if (n + sizeof("（回放）") <= sizeof(ps->title))
        memcpy(ps->title + n, "（回放）", sizeof("（回放）"));
    start_playback(ps, 0);
}

static int ps_action(struct screen *s, enum action a, struct nav *nav)
{
    struct pscreen *ps = (struct pscreen *)s;
    uint32_t now = SDL_GetTicks();
    s->own.dirty = 1;
    if (a == ACTION_BACK || a == ACTION_HOME) {
        if (ps->phase == PP_PROMPT && a == ACTION_BACK) {
            start_playback(ps, 0); /* Back on the question: from the start */
            return 1;
        }
        if (ps->quit_when_done) {
            leave(ps, nav, 0);
        } else {
            nav->kind = a == ACTION_HOME ? NAV_HOME : NAV_POP;
        }
        return 1;
    }
    switch (ps->phase) {
    case PP_ASKING:
        return 1;
    case PP_PROMPT:
        start_playback(ps, a == ACTION_OK ? ps->resume_s : 0);
        return 1;
    case PP_ERROR:
        if (a == ACTION_OK) {
            log_info("trying again");
            start_playback(ps, ps->st.position_s > 0 ? ps->st.position_s : 0);
        }
        return 1;
    case PP_LIVE_ENDED:
        if (a == ACTION_OK && ps->replay[0])
            switch_to_replay(ps);
        return 1;
    case PP_PLAYING:
        show_osd(ps, now);
        return playing_action(ps, a);
    }
    return 1;
}

/* ---- the rest of the screen interface ---- */

static void ps_draw(struct screen *s, struct ui *ui)
{
    pview_draw((struct pscreen *)s, ui);
}

static void ps_presented(struct screen *s)
{
    struct pscreen *ps = (struct pscreen *)s;
    if (!ps->first_logged && ps->video_drawn) {
        log_first_presented(ps);
        show_osd(ps, SDL_GetTicks());
    }
}

static void ps_renderer_reset(struct screen *s)
{
    struct pscreen *ps = (struct pscreen *)s;
    if (ps->p && player_renderer_reset(ps->p, ps->base.own.svc->ui->r) < 0)
        log_warn("cannot upload the video frame again");
}

static void ps_dump_state(const struct screen *s, cJSON *state)
{
    const struct pscreen *ps = (const struct pscreen *)s;
    struct player_stats now = ps->st;
    if (ps->p)
        player_get_stats(ps->p, &now); /* as of this step, not of the last tick */
    pview_fill_state(ps, &now, state);
    if (ps->ok_to_frame_ms >= 0)
        cJSON_AddNumberToObject(state, "ok_to_first_frame_ms", round(ps->ok_to_frame_ms));
    cJSON_AddBoolToObject(state, "muted", now.muted);
}

/* The yellow key over a video: its title. */
static size_t ps_read_text(const struct screen *s, char *out, size_t size)
{
    const struct pscreen *ps = (const struct pscreen *)s;
    int n = snprintf(out, size, "%s", ps->title);
    return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

static void ps_destroy(struct screen *s)
{
    struct pscreen *ps = (struct pscreen *)s;
    if (ps->p)
        player_get_stats(ps->p, &ps->st);
    if (ps->p && ps->started && !ps->end_saved && !ps->st.is_live && ps->st.position_s > 0)
        save_position(ps, ps->st.position_s, 0); /* queued: the net thread sends it on */
    close_player(ps);
    cJSON *o = cJSON_CreateObject();
    char *line = NULL;
    if (o) {
        pview_fill_state(ps, &ps->st, o);
        line = cJSON_PrintUnformatted(o);
    }
    log_info("final stats %s", line ? line : "{}");
    free(line);
    cJSON_Delete(o);
    if (ps->guest)
        guest_overlay_left(ps->base.own.svc->overlays);
    free(ps);
}

static const struct screen_ops player_ops = {
    .destroy = ps_destroy,
    .on_action = ps_action,
    .on_net = ps_on_net,
    .tick = ps_tick,
    .read_text = ps_read_text,
    .draw = ps_draw,
    .focus_name = NULL,
    .dump_state = ps_dump_state,
    .presented = ps_presented,
    .renderer_reset = ps_renderer_reset,
};

int player_resolve_url(const struct app_services *svc, const char *url, char *out, size_t outlen)
{
    int n;
    if (url[0] == '/' && url[1] != '/' && svc->server)
        n = snprintf(out, outlen, "%s%s", svc->server, url);
    else
        n = snprintf(out, outlen, "%s", url);
    return n >= 0 && (size_t)n < outlen ? 0 : -ENAMETOOLONG;
}

struct screen *player_screen_create(struct app_services *svc, const struct player_request *req)
{
    if (!req || !req->url || !req->url[0] || strlen(req->url) >= PS_URL_MAX ||
        (req->replay_url && strlen(req->replay_url) >= PS_URL_MAX) ||
        (req->fallback_url && strlen(req->fallback_url) >= PS_URL_MAX))
        return NULL;
    struct pscreen *ps = calloc(1, sizeof(*ps));
    if (!ps)
        return NULL;
    screen_init(&ps->base, &player_ops, svc, "player");
    ps->base.fullscreen = 1;
    snprintf(ps->url, sizeof(ps->url), "%s", req->url);
    snprintf(ps->replay, sizeof(ps->replay), "%s", req->replay_url ? req->replay_url : "");
    snprintf(ps->fallback, sizeof(ps->fallback), "%s", req->fallback_url ? req->fallback_url : "");
    snprintf(ps->title, sizeof(ps->title), "%s", req->title ? req->title : "");
    ps->item_id = req->item_id;
    ps->broadcast_id = req->broadcast_id;
    ps->guest = req->guest;
    ps->stop_after_s = req->stop_after_s;
    ps->no_present = req->no_present;
    ps->quit_when_done = req->quit_when_done;
    ps->quit_on_error = req->quit_on_error;
    ps->ok_counter = req->ok_counter;
    ps->ok_to_frame_ms = -1;
    ps->st.av_diff_ms = NAN;
    ps->st.ttff_ms = -1;
    ps->shown_second = -1;
    if ((ps->item_id > 0 || ps->broadcast_id > 0) && !svc->net)
        log_warn("no server connection: no resume positions and no heartbeats");
    if (ps->item_id > 0 && svc->net) {
        int64_t serial = screen_track(&ps->base, api_resume_get(svc->net, ps->item_id));
        if (serial > 0) {
            ps->resume_serial = serial;
            ps->phase = PP_ASKING;
            ps->ask_deadline = later(SDL_GetTicks(), ASK_WAIT_MS);
            return &ps->base;
        }
        log_warn("cannot ask for the resume position: %s", strerror((int)-serial));
    }
    start_playback(ps, 0);
    return &ps->base;
}
