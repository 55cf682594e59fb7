#define _GNU_SOURCE /* RUSAGE_THREAD */
#define LOG_TAG "app"
#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app/autopilot.h"
#include "app/household.h"
#include "app/idle.h"
#include "app/mem_reserve.h"
#include "app/outbox_notice.h"
#include "app/readaloud.h"
#include "app/requests.h"
#include "app/screen.h"
#include "app/stack.h"
#include "app/video.h"
#include "app/wait.h"
#include "input/input.h"
#include "input/remote_pipe.h"
#include "log.h"
#include "media/player.h"
#include "net/box_event.h"
#include "net/events.h"
#include "net/net.h"
#include "app/overlay.h"
#include "ui/live_banner.h"
#include "ui/notice.h"
#include "ui/theme.h"
#include "ui/image_loader.h"
#include "ui/ui.h"

enum {
    NET_EXIT_GRACE_MS = 1500,
    /* The video engine loads this long after the home screen is up: not during the start,
     * and not at all in a run that ends before (a key script, a quick look). */
    MEDIA_PRELOAD_MS = 3000,
    IMAGE_CACHE_MB = 32,
    /* The longest a frame with new texts waits for the text worker before the UI thread
     * renders the rest itself: the worker needs ~0.3 ms a string, a screen has 10-30. */
    TEXT_HOLD_MS = 100,
};

struct app {
    const struct app_config *cfg; /* borrowed */
    const struct app_start *start; /* borrowed */
    struct video video;
    struct waiter waiter;
    struct ui *ui;                /* owned */
    struct net *net;              /* owned */
    struct events *events;        /* owned: the server's event stream, NULL without a server */
    uint32_t net_event;
    uint32_t player_event;
    uint32_t stream_event;        /* what the event stream posts */
    uint32_t image_event;         /* the picture decoder finished one */
    uint32_t text_event;          /* the text worker rendered all it was given */
    struct image_loader *images;  /* owned */
    struct requests reqs;
    struct screen_stack stack;
    struct overlays overlays;
    struct live_banner live;
    struct notices notices;
    struct input input;
    struct remote_pipe *remote;   /* owned: DJTV_TEST_REMOTE's keys, NULL without */
    struct app_services svc;
    struct autopilot ap;
    struct readaloud ra;          /* ra.sp owned */
    struct idle idle;
    struct household household;   /* who lives here and who is watching */
    int running;
    int exit_code; /* from a screen's NAV_QUIT */
    int dirty;
    unsigned long frames; /* frames drawn */
    Uint64 frame_t0;      /* when the frame being shown began to be drawn */
    double frame_cpu0;    /* the main thread's CPU time then (ms) */
    long frame_faults0;   /* and its minor page faults */
    struct mem_reserve reserve;
    int frame_times;      /* DJTV_FRAME_TIMES set: log draw+present per frame (benchmarks) */
    Uint64 asked_t0;      /* when the first draw since the last present began */
    int held;             /* the last drawn frame waits for texts: not presented */
    int hold_ms;          /* TEXT_HOLD_MS, or DJTV_TEST_TEXT_HOLD_MS */
    uint32_t hold_until;  /* SDL ticks: then the UI thread renders what is still missing */
    int no_hold;          /* the next draw must be complete (a scripted step's shot/dump) */
    int home_painted;     /* the first home frame with its data is on screen */
    uint32_t preload_at;  /* SDL ticks when to load the video engine; 0 = not planned / done */
    const char *shown_overlays[OVERLAY_SLOTS]; /* visible in the last presented frame */
    int n_shown;
    uint32_t t_start;
};

static int min_wake(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* Apply a navigation request; NAV_QUIT ends the loop. */
static void apply_nav(struct app *app, struct nav *nav)
{
    if (nav->kind == NAV_QUIT) {
        log_info("quit requested by %s (status %d)", stack_top(&app->stack)->name, nav->status);
        app->running = 0;
        app->exit_code = nav->status;
    }
    stack_apply(&app->stack, nav);
}

/* The yellow key: the notice on screen, the screen's own text, or the focused item. */
static void read_aloud(struct app *app)
{
    char text[READALOUD_TEXT_MAX];
    readaloud_pick(stack_top(&app->stack), &app->notices, notices_visible(&app->notices),
                   &app->ui->rec, text, sizeof(text));
    readaloud_press(&app->ra, text);
}

static void dispatch(struct app *app, enum action a)
{
    if (a == ACTION_NONE)
        return;
    log_debug("action %s", action_name(a));
    app->dirty = 1;
    if (idle_key(&app->idle, SDL_GetTicks()))
        return; /* the key only woke the dimmed screen */
    if (a == ACTION_YELLOW && app->ra.sp) {
        read_aloud(app);
        return;
    }
    struct nav nav = { NAV_NONE, NULL, 0 };
    if (overlays_action(&app->overlays, a, &nav)) {
        apply_nav(app, &nav);
        return;
    }
    struct screen *top = stack_top(&app->stack);
    int handled = top->ops->on_action ? top->ops->on_action(top, a, &nav) : 0;
    apply_nav(app, &nav);
    if (handled)
        return;
    if (a == ACTION_BACK)
        stack_pop(&app->stack);
    else if (a == ACTION_HOME)
        stack_home(&app->stack);
}

static void on_net_event(struct app *app, struct net_result *r)
{
    if (r->from_outbox) {
        outbox_notice(&app->notices, r);
        app->dirty = 1;
    }
    if (requests_deliver(&app->reqs, r))
        app->dirty = 1; /* a screen below the top may have changed what the top shows */
    else
        log_debug("dropping result of request %lld (nobody waits for it)", (long long)r->serial);
    net_result_free(r);
}

/* An event-stream message: typed, then offered to every screen that cares. A person's stream
 * (cadre mode holds one with the cadre's session) adds only what the box's own stream does not
 * carry: the sign-ins of the roll call, to the screens. */
static void on_stream_event(struct app *app, struct events_msg *m, const void *from)
{
    struct box_event be;
    char why[160];
    int rc = 0;
    int session = from != app->events;
    if (m->kind == EVENTS_MESSAGE) {
        rc = box_event_parse(m->type, m->data, &be, why, sizeof(why));
        if (rc < 0)
            log_warn("event %s (id %s) not understood: %s", m->type, m->id, why);
        else
            log_info("event %s id %s", m->type, m->id);
    } else if (m->kind == EVENTS_OPEN) {
        memset(&be, 0, sizeof(be));
        be.type = BOX_EVENT_STREAM_OPEN;
        be.resync = m->resync;
    } else {
        rc = -1; /* a drop: the thread reconnects by itself; nothing on screen changes */
    }
    events_msg_free(m);
    if (rc < 0 || be.type == BOX_EVENT_OTHER ||
        (session && be.type != BOX_EVENT_ROLLCALL_CHECKIN))
        return;
    be.session = session;
    for (int i = 0; i < app->stack.n; i++) {
        struct screen *s = app->stack.s[i];
        if (s->ops->on_event)
            s->ops->on_event(s, &be);
    }
    if (!session)
        overlays_event(&app->overlays, &be);
    app->dirty = 1;
}

static void handle_event(struct app *app, const SDL_Event *ev)
{
    if (ev->type == app->net_event) {
        on_net_event(app, ev->user.data1);
        return;
    }
    if (ev->type == app->stream_event) {
        on_stream_event(app, ev->user.data1, ev->user.data2);
        return;
    }
    if (ev->type == app->image_event) {
        if (image_loader_collect(app->images, app->video.r) > 0)
            app->dirty = 1;
        return;
    }
    if (ev->type == app->text_event) {
        if (app->held)
            app->dirty = 1; /* the worker has rendered all it had: draw the frame to show */
        return;
    }
    if (ev->type == app->player_event)
        return; /* a player has news: the screens' ticks look at it right after */
    switch (ev->type) {
    case SDL_QUIT:
        log_info("quit requested");
        app->running = 0;
        return;
    case SDL_WINDOWEVENT:
        app->dirty = 1;
        return;
    case SDL_RENDER_TARGETS_RESET:
        app->dirty = 1;
        return;
    case SDL_RENDER_DEVICE_RESET:
        log_warn("render device reset: recreating textures");
        ui_drop_textures(app->ui);
        image_loader_forget_textures(app->images);
        video_reset(&app->video);
        for (int i = 0; i < app->stack.n; i++) {
            struct screen *s = app->stack.s[i];
            if (s->ops->renderer_reset)
                s->ops->renderer_reset(s);
        }
        app->dirty = 1;
        return;
    default:
        break;
    }
    /* A script run ignores real keys: the script alone drives the app. */
    enum action a = input_event(&app->input, ev);
    if (!app->ap.active)
        dispatch(app, a);
}

/* Timers of every screen and overlay; returns ms until the next one is due, or -1. */
static int tick_all(struct app *app, uint32_t now)
{
    int wake = -1;
    for (int i = 0; i < app->stack.n; i++) {
        struct screen *s = app->stack.s[i];
        s->covered = i < app->stack.n - 1;
        if (s->ops->tick)
            wake = min_wake(wake, s->ops->tick(s, now));
    }
    wake = min_wake(wake, overlays_tick(&app->overlays, now));
    /* Overlays navigate from anywhere; a screen only while it is on top. */
    struct overlay *o;
    while ((o = overlays_navigating(&app->overlays)) != NULL) {
        struct nav nav = o->own.request;
        memset(&o->own.request, 0, sizeof(o->own.request));
        apply_nav(app, &nav);
        app->dirty = 1;
        wake = 0; /* the new top has not been ticked yet */
    }
    if (app->preload_at) {
        if ((int32_t)(now - app->preload_at) >= 0) {
            app->preload_at = 0;
            player_preload();
        } else {
            wake = min_wake(wake, (int)(app->preload_at - now));
        }
    }
    struct screen *top = stack_top(&app->stack);
    if (top->own.request.kind != NAV_NONE) {
        struct nav nav = top->own.request;
        memset(&top->own.request, 0, sizeof(top->own.request));
        apply_nav(app, &nav);
        app->dirty = 1;
        wake = 0;
    }
    if (stack_top(&app->stack)->own.dirty || overlays_take_dirty(&app->overlays))
        app->dirty = 1;
    wake = min_wake(wake, idle_tick(&app->idle, now, stack_top(&app->stack)->fullscreen,
                                    &app->dirty));
    int forget_in;
    if (household_idle(&app->household, now - app->idle.last_active, &forget_in))
        app->dirty = 1; /* home asks "谁在看？" again on its next tick */
    return min_wake(wake, forget_in);
}

static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Minor page faults of the calling thread: first touches of fresh memory, which cost a
 * frame more than the copying itself. */
static long thread_faults(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_minflt : 0;
}

static double monotonic_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

static double ms_since(Uint64 t0)
{
    return (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
           (double)SDL_GetPerformanceFrequency();
}

/* ms until a held frame is drawn with whatever the text worker has not finished. */
static int hold_left(const struct app *app)
{
    int left = (int)(int32_t)(app->hold_until - SDL_GetTicks());
    return left > 0 ? left : 0;
}

/* Draw a full frame into the canvas (not yet shown). New texts go to the text worker while
 * the screen still shows its last frame (not over video, and no longer than TEXT_HOLD_MS):
 * then app->held is set and the frame must not be presented; the worker's event brings a
 * redraw with every text in place. */
static void draw_frame(struct app *app)
{
    Uint64 t0 = SDL_GetPerformanceCounter();
    app->frame_t0 = t0;
    if (!app->asked_t0)
        app->asked_t0 = t0;
    if (app->frame_times) {
        app->frame_cpu0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
        app->frame_faults0 = thread_faults();
    }
    struct screen *top = stack_top(&app->stack);
    int may_hold = !app->no_hold && !top->fullscreen && (!app->held || hold_left(app) > 0);
    text_cache_hold(app->ui->texts, may_hold);
    text_cache_collect(app->ui->texts); /* the uploads are this frame's work */
    video_begin(&app->video);
    ui_begin_frame(app->ui, theme_color(COL_BG));
    overlays_hide(&app->overlays, OVERLAY_LIVE, top->fullscreen || top->quiet);
    overlays_hide(&app->overlays, OVERLAY_ROLLCALL, top->quiet);
    top->ops->draw(top, app->ui);
    overlays_draw(&app->overlays, app->ui);
    idle_draw(&app->idle, app->ui);
    ui_end_frame(app->ui);
    app->frames++;
    int waiting = may_hold ? text_cache_pending(app->ui->texts) : 0;
    if (waiting > 0 && !app->held)
        app->hold_until = SDL_GetTicks() + (uint32_t)app->hold_ms;
    app->held = waiting > 0;
    if (app->held && app->frame_times) {
        /* Not presented, but the UI thread's time all the same: counted as a frame. */
        log_info("frame-time %.3f ms, cpu %.3f ms, %ld page faults (%s, held for %d texts)",
                 ms_since(t0), clock_ms(CLOCK_THREAD_CPUTIME_ID) - app->frame_cpu0,
                 thread_faults() - app->frame_faults0, top->name, waiting);
        app->frame_t0 = 0;
    }
    if (log_get_level() >= LOG_DEBUG) {
        struct text_cache_stats st;
        text_cache_stats(app->ui->texts, &st);
        log_debug("frame %lu (%s): %.1f ms, text cache %lu hits / %lu misses, %d textures, "
                  "%.1f ms rasterising, %.1f ms uploading so far; %lu texts to the worker "
                  "(%.1f ms of its CPU), %d pending, %lu rendered here after all",
                  app->frames, top->name, ms_since(t0), st.hits, st.misses, st.entries,
                  st.raster_ms, st.upload_ms, st.handed, st.worker_ms, st.pending,
                  st.rendered_late);
    }
    for (int i = 0; i < app->stack.n; i++)
        app->stack.s[i]->own.dirty = 0;
    overlays_take_dirty(&app->overlays);
    app->dirty = 0;
}

/* What a person would notice, with CLOCK_MONOTONIC times a benchmark can compare with its
 * own: the first home frame with data, and each overlay as it comes into sight. */
static void log_painted(struct app *app)
{
    struct screen *top = stack_top(&app->stack);
    if (!app->home_painted && strcmp(top->name, "home") == 0 && !top->loading) {
        app->home_painted = 1;
        /* The CPU time beside the wall time: on a shared machine the wall time is mostly
         * waiting for a core. */
        log_info("painted: home (monotonic %.1f ms, process cpu %.1f ms)", monotonic_ms(),
                 clock_ms(CLOCK_PROCESS_CPUTIME_ID));
        app->preload_at = SDL_GetTicks() + MEDIA_PRELOAD_MS;
    }
    const char *names[OVERLAY_SLOTS];
    int n = overlays_visible(&app->overlays, names, OVERLAY_SLOTS);
    for (int i = 0; i < n; i++) {
        int was = 0;
        for (int k = 0; k < app->n_shown; k++)
            was |= app->shown_overlays[k] == names[i];
        if (!was)
            log_info("painted: overlay %s (monotonic %.1f ms)", names[i], monotonic_ms());
    }
    for (int k = 0; k < app->n_shown; k++) {
        int still = 0;
        for (int i = 0; i < n; i++)
            still |= app->shown_overlays[k] == names[i];
        if (!still)
            log_info("gone: overlay %s", app->shown_overlays[k]);
    }
    memcpy(app->shown_overlays, names, sizeof(names[0]) * (size_t)n);
    app->n_shown = n;
}

static int has_text(void *ctx, const char *needle)
{
    struct app *app = ctx;
    return recorder_has_text(&app->ui->rec, needle);
}

/* What the UI dump says of the app now: fills *st (names is its overlay array) and returns
 * the screen's "state" object, owned by the caller (NULL = none). */
static cJSON *describe(struct app *app, struct step_state *st, const char **names)
{
    struct screen *top = stack_top(&app->stack);
    cJSON *state = NULL;
    int n_overlays = overlays_visible(&app->overlays, names, OVERLAY_SLOTS);
    if (top->ops->dump_state || n_overlays > 0 || app->ra.sp) {
        state = cJSON_CreateObject();
        if (state) {
            readaloud_dump(&app->ra, state);
            cJSON_AddBoolToObject(state, "dimmed", app->idle.dimmed);
            household_dump_viewers(&app->household, state);
        }
        if (state && top->ops->dump_state)
            top->ops->dump_state(top, state);
        cJSON *ov = state && n_overlays > 0 ? cJSON_CreateObject() : NULL;
        if (ov)
            overlays_dump_state(&app->overlays, ov);
        if (ov && ov->child)
            cJSON_AddItemToObject(state, "overlays", ov);
        else
            cJSON_Delete(ov);
        if (state && !state->child && !top->ops->dump_state && !app->ra.sp) {
            cJSON_Delete(state); /* nothing to say: no "state" at all, as before */
            state = NULL;
        }
    }
    const char *focus = overlays_focus(&app->overlays);
    if (!focus && top->ops->focus_name)
        focus = top->ops->focus_name(top);
    *st = (struct step_state){
        .t_ms = SDL_GetTicks() - app->t_start,
        .screen = top->name,
        .loading = top->loading,
        .focus = focus,
        .overlays = names,
        .n_overlays = n_overlays,
        .rec = &app->ui->rec,
        .widgets = &app->ui->widgets,
        .state = state,
    };
    return state;
}

/* Show the canvas; tell the screen that drew it. */
static void present(struct app *app)
{
    char path[CONFIG_PATH_MAX + 64];
    if (app->ap.frames && autopilot_frame_shot_path(&app->ap, path, sizeof(path)))
        video_screenshot(&app->video, path); /* the canvas, before the present */
    video_present(&app->video);
    if (app->frame_times && app->frame_t0) {
        /* "asked": from the first draw after the last present, held ones included: how long
         * the screen took to change. */
        log_info("frame-time %.3f ms, cpu %.3f ms, %ld page faults (%s), asked %.3f ms ago",
                 ms_since(app->frame_t0), clock_ms(CLOCK_THREAD_CPUTIME_ID) - app->frame_cpu0,
                 thread_faults() - app->frame_faults0, stack_top(&app->stack)->name,
                 app->asked_t0 ? ms_since(app->asked_t0) : 0.0);
        app->frame_t0 = 0;
    }
    app->asked_t0 = 0;
    log_painted(app);
    struct screen *top = stack_top(&app->stack);
    if (top->ops->presented)
        top->ops->presented(top);
    if (app->ap.frames) {
        const char *names[OVERLAY_SLOTS];
        struct step_state st;
        struct text_cache_stats ts;
        cJSON *state = describe(app, &st, names);
        text_cache_stats(app->ui->texts, &ts);
        st.texts_st = &ts;
        autopilot_frame_dump(&app->ap, &st);
        cJSON_Delete(state);
    }
}

static void finish_step(struct app *app, const struct script_tick *t)
{
    /* The canvas still holds the last frame; draw again only if something changed since. A
     * shot or dump shows the whole frame: this draw waits for no text. */
    int drew = app->dirty || app->frames == 0 || app->held;
    if (drew) {
        app->no_hold = 1;
        draw_frame(app);
        app->no_hold = 0;
    }
    char path[CONFIG_PATH_MAX + 64];
    if (autopilot_shot_path(&app->ap, t, path, sizeof(path)))
        video_screenshot(&app->video, path);
    /* Without the canvas the back buffer is undefined after a present: the window already
     * shows the last frame, so present only a fresh one. */
    if (drew || app->video.canvas)
        present(app);

    const char *names[OVERLAY_SLOTS];
    struct step_state st;
    cJSON *state = describe(app, &st, names);
    if (t->timeout)
        log_warn("step %d (line %d, %s %s): timed out", t->step, t->cmd->line, t->cmd->name,
                 t->cmd->arg);
    autopilot_dump(&app->ap, t, &st);
    cJSON_Delete(state);
}

/* Draw, and show the frame unless it waits for texts. */
static void draw_and_present(struct app *app)
{
    draw_frame(app);
    if (!app->held)
        present(app);
}

/* Play the script's next command. Returns ms until it wants another look, or -1.
 * One command per call, then back to the loop: results that arrived meanwhile are handled
 * before the next command, as they are between a person's key presses (pressing on at once
 * starved them for the whole script, seconds at a time under load). A command's own keys and
 * its step's shot and dump stay together, so a step shows the frame right after its keys. */
static int run_script(struct app *app)
{
    for (;;) {
        if (app->dirty)
            draw_and_present(app); /* wait-text looks at the last drawn frame */
        /* A held frame is not on screen yet. A script waits for it here, letting no network
         * result in meanwhile, so that its steps see the same frames from run to run. */
        while (app->held) {
            if (!text_cache_wait(app->ui->texts, hold_left(app)))
                log_info("texts not all rendered after %d ms: the rest drawn on the UI thread",
                         app->hold_ms);
            draw_and_present(app);
        }
        struct screen *top = stack_top(&app->stack);
        struct script_probe probe = { top->name, top->loading, has_text, app };
        struct script_tick t;
        script_player_tick(&app->ap.player, SDL_GetTicks(), &probe, &t);
        switch (t.kind) {
        case SCRIPT_TICK_PRESS:
            if (app->running) /* a key that ended the app (Back in player mode): no more */
                dispatch(app, t.action);
            continue; /* the command's next key or its step, at once */
        case SCRIPT_TICK_STEP:
            finish_step(app, &t);
            return app->running ? 0 : -1; /* -1: a screen asked to quit */
        case SCRIPT_TICK_IDLE:
            return t.wake_ms;
        case SCRIPT_TICK_END:
            log_info("key script finished");
            app->running = 0;
            return -1;
        }
    }
}

static void loop(struct app *app)
{
    int wake = -1;
    app->running = 1;
    while (app->running) {
        SDL_Event ev;
        int got;
        if (app->dirty) {
            got = SDL_PollEvent(&ev);
        } else {
            /* Nothing to draw: the user waits for nothing (but for a held frame's texts). */
            if (!app->held)
                mem_reserve_refill(&app->reserve);
            got = waiter_wait(&app->waiter, &ev, wake);
        }
        if (got) {
            handle_event(app, &ev);
            while (app->running && SDL_PollEvent(&ev))
                handle_event(app, &ev);
        }
        if (!app->running)
            break;
        wake = tick_all(app, SDL_GetTicks());
        if (app->held) {
            if (hold_left(app) == 0) {
                log_info("texts not all rendered after %d ms: the rest drawn on the UI thread",
                         app->hold_ms);
                app->dirty = 1;
            } else {
                wake = min_wake(wake, hold_left(app));
            }
        }
        if (app->ap.active)
            wake = min_wake(wake, run_script(app));
        if (app->dirty && app->running)
            draw_and_present(app);
    }
}

/* Give requests still in flight a moment to reach the server before they are cancelled. */
static void let_net_finish(struct app *app, uint32_t grace_ms)
{
    uint32_t t0 = SDL_GetTicks();
    if (net_pending(app->net) > 0)
        log_debug("waiting up to %u ms for %d request(s)", grace_ms, net_pending(app->net));
    while (net_pending(app->net) > 0 && SDL_GetTicks() - t0 < grace_ms)
        SDL_Delay(10);
}

/* Results already posted as events belong to us: free them after the net thread is gone. */
static void drain_net_events(struct app *app)
{
    SDL_Event ev;
    while (SDL_PeepEvents(&ev, 1, SDL_GETEVENT, app->net_event, app->net_event) == 1)
        net_result_free(ev.user.data1);
}

/* Knobs for tests of the interactive path: a non-negative number of ms, else fallback. */
static int env_ms(const char *name, int fallback)
{
    const char *v = getenv(name);
    char *end = NULL;
    long ms = v ? strtol(v, &end, 10) : -1;
    if (!v || end == v || *end || ms < 0 || ms > 600000)
        return fallback;
    log_info("%s=%ld", name, ms);
    return (int)ms;
}

int app_run(const struct app_config *cfg, const struct app_start *start)
{
    struct app app;
    memset(&app, 0, sizeof(app));
    app.cfg = cfg;
    app.start = start;
    app.t_start = SDL_GetTicks();
    app.frame_times = getenv("DJTV_FRAME_TIMES") != NULL;
    idle_init(&app.idle, cfg->idle_seconds > 0 ? (uint32_t)cfg->idle_seconds * 1000u : 0,
              app.t_start);
    household_init(&app.household, cfg->ask_viewers,
                   cfg->viewers_minutes > 0 ? (uint32_t)cfg->viewers_minutes * 60000u : 0);
    int rc = 1;
    char err[512];
    requests_init(&app.reqs);
    stack_init(&app.stack, &app.reqs);
    input_init(&app.input);
    live_banner_init(&app.live);
    notices_init(&app.notices);
    overlays_init(&app.overlays, &app.reqs);

    if (autopilot_open(&app.ap, cfg, err, sizeof(err)) < 0) {
        log_error("%s", err);
        goto fail;
    }
    if (video_open(&app.video, cfg, err, sizeof(err)) < 0) {
        log_error("%s", err);
        goto fail;
    }
    if (waiter_init(&app.waiter) < 0) {
        log_error("cannot create the event semaphore");
        goto fail;
    }
    app.ui = ui_create(app.video.r, cfg->font, cfg->font_index, err, sizeof(err));
    if (!app.ui) {
        log_error("%s", err);
        goto fail;
    }
    log_info("font %s", cfg->font);
    if (!app.ui->arrows_ok)
        log_info("font has no ◀▶▲▼; key hints use ←→↑↓");
    app.net_event = SDL_RegisterEvents(5);
    if (app.net_event == (uint32_t)-1) {
        log_error("no SDL user events left for the network and the player");
        goto fail;
    }
    app.player_event = app.net_event + 1;
    app.stream_event = app.net_event + 2;
    app.image_event = app.net_event + 3;
    app.text_event = app.net_event + 4;
    if (text_cache_start_worker(app.ui->texts, app.text_event) < 0)
        log_warn("cannot start the text worker: texts are rendered on the UI thread");
    text_cache_slow_worker(app.ui->texts, env_ms("DJTV_TEST_TEXT_DELAY_MS", 0));
    app.hold_ms = env_ms("DJTV_TEST_TEXT_HOLD_MS", TEXT_HOLD_MS);
    const char *remote = getenv("DJTV_TEST_REMOTE");
    if (remote && !(app.remote = remote_pipe_open(remote)))
        goto fail;
    app.images = image_loader_create(IMAGE_CACHE_MB, app.image_event);
    if (!app.images) {
        log_error("cannot start the picture decoder");
        goto fail;
    }
    if (!cfg->token[0] && (!cfg->play[0] || cfg->play_item > 0 || cfg->play_broadcast > 0))
        log_warn("no device token (token-file): the server will not know this box");
    struct net_config ncfg = {
        .base_url = cfg->server,
        .ca_file = cfg->ca,
        .token = cfg->token,
        .timeout_ms = 10000,
        .max_body = 0,
        .data_dir = cfg->data_dir,
    };
    if (!cfg->ca[0]) {
        /* Player mode with local or udp media: no server to talk to. */
        log_info("no CA file: not talking to the server");
    } else {
        app.net = net_create(&ncfg, app.net_event);
        if (!app.net) {
            log_error("cannot start the network thread");
            goto fail;
        }
        log_info("server %s", cfg->server);
    }
    if (app.net && !cfg->play[0]) {
        struct events_config ecfg = { .base_url = cfg->server, .ca_file = cfg->ca,
                                      .token = cfg->token };
        app.events = events_create(&ecfg, app.stream_event);
        if (!app.events)
            log_warn("no event stream: the TV learns of changes only when it re-reads");
    }
    app.svc.ui = app.ui;
    app.svc.net = app.net;
    app.svc.reqs = &app.reqs;
    app.svc.live = &app.live;
    app.svc.notices = &app.notices;
    app.svc.overlays = &app.overlays;
    app.svc.server = cfg->server;
    app.svc.ca_file = cfg->ca;
    app.svc.token = cfg->token;
    app.svc.data_dir = cfg->data_dir;
    app.svc.player_event = app.player_event;
    app.svc.stream_event = app.stream_event;
    app.svc.cast_program = cfg->cast_program;
    app.svc.cast_input = cfg->cast_input;
    app.svc.cast_args = cfg->cast_args;
    app.svc.cadre_idle_s = cfg->cadre_idle_seconds;
    app.svc.activity_room = cfg->activity_room;
    app.svc.images = app.images;
    app.svc.household = &app.household;
    if (!cfg->play[0]) {
        struct speech_options so = { .data_dir = cfg->speech_data, .rate_wpm = cfg->speech_rate };
        app.ra.sp = speech_create(&so);
        if (!app.ra.sp)
            log_warn("no read-aloud: out of memory or threads");
        app.ra.notices = &app.notices;
        app.svc.speech = app.ra.sp;
    }
    if (start->install_overlays && start->install_overlays(&app.overlays, &app.svc, cfg) < 0) {
        log_error("cannot create the overlays");
        goto fail;
    }
    struct screen *first = start->first_screen(&app.svc, cfg);
    if (!first || stack_push(&app.stack, first) < 0) {
        log_error("cannot create the first screen");
        goto fail;
    }
    SDL_StopTextInput(); /* no IME: keys are actions */
    /* The first frame's measuring and textures come before the loop ever idles: give them
     * touched memory too (~1,500 pages, while the first screen's request is on its way). */
    mem_reserve_refill(&app.reserve);
    app.dirty = 1;
    loop(&app);
    rc = app.exit_code;
fail:
    remote_pipe_close(app.remote);
    events_destroy(app.events);
    stack_fini(&app.stack); /* a screen may queue a last request (the player's position) */
    overlays_fini(&app.overlays);
    speech_destroy(app.ra.sp);
    if (app.net) {
        let_net_finish(&app, NET_EXIT_GRACE_MS);
        net_destroy(app.net);
        drain_net_events(&app);
    }
    input_fini(&app.input);
    waiter_fini(&app.waiter);
    image_loader_destroy(app.images);
    ui_destroy(app.ui);
    video_close(&app.video);
    autopilot_close(&app.ap);
    return rc;
}
