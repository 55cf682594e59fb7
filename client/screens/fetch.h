/* Fetch state: the one request a screen (or overlay) waits for before it has something to
 * show, and what the member sees meanwhile — loading, empty, or an error in plain words with
 * a retry countdown and the key hints. One helper, so every screen says it the same way.
 *
 *   fetch_init(&x->fetch, &x->base.own, send_fn, x, &texts, RETRY_MS);
 *   fetch_start(&x->fetch, now);                   // in create
 *   on_net:   if (fetch_take(&x->fetch, r)) { parse; fetch_ok(..) or fetch_fail(..) }
 *   tick:     return fetch_tick(&x->fetch, now);   // retries by itself, moves the countdown
 *   action:   if (fetch_action(&x->fetch, a)) return 1;   // OK retries now
 *   draw:     if (fetch_draw(&x->fetch, ui, nav_hints, n)) return;   // else draw the data
 *
 * Once data has been shown, a failed refresh keeps it (fetch_fail returns 1: say it with a
 * notice); only a fetch that never succeeded shows the error panel. */
#ifndef DJTV_FETCH_H
#define DJTV_FETCH_H

#include <stdint.h>

#include "app/owner.h"
#include "input/action.h"
#include "screens/netmsg.h"
#include "ui/ui.h"
#include "ui/widgets.h"

enum fetch_phase {
    FETCH_LOADING, /* the first answer has not come */
    FETCH_READY,   /* data on screen */
    FETCH_EMPTY,   /* the answer said there is nothing (yet) */
    FETCH_ERROR,   /* no data: the error panel, retrying by itself */
};

/* Static strings shown in the panels. */
struct fetch_texts {
    const char *loading;      /* "正在打开…" */
    const char *loading_help; /* "请稍等"; may be NULL */
    const char *empty;        /* "这里还没有内容" */
    const char *empty_help;   /* may be NULL */
    enum net_msg_mode mode;   /* the wording of errors: "正在重试…" or "请稍后再试" */
};

struct fetch {
    enum fetch_phase phase;
    int64_t serial;          /* in flight (tracked to owner), 0 = none */
    uint32_t retry_at;       /* when to send again by itself; 0 = not planned */
    int retry_ms;            /* automatic retry period after a failure; 0 = only on OK */
    int shown_seconds;       /* the countdown on screen, -1 = none yet */
    int have_data;           /* READY or EMPTY has been shown */
    struct net_msg error;    /* FETCH_ERROR: what to say */
    const struct fetch_texts *texts; /* borrowed, static */
    struct owner *owner;     /* borrowed: whose request it is */
    /* Queue the request (an api_*() call); the serial or a negative errno. */
    int64_t (*send)(void *ctx);
    void *ctx;
    int *busy;               /* optional, borrowed: kept 1 while a request is in flight
                              * (e.g. &screen->loading, which key scripts wait on) */
};

void fetch_init(struct fetch *f, struct owner *owner, int64_t (*send)(void *ctx), void *ctx,
                const struct fetch_texts *texts, int retry_ms);
/* Send now (first time, a refresh, a retry). A request already in flight is forgotten (its
 * answer is dropped). Returns 0 or the negative errno of send (then the phase is ERROR,
 * or stays READY when data is shown, and a retry is planned). */
int fetch_start(struct fetch *f, uint32_t now);
/* 1 if r answers the request in flight (which is then done); 0 for other results. */
int fetch_take(struct fetch *f, const struct net_result *r);
/* The answer was good: data (empty = nothing to show) is on screen. */
void fetch_ok(struct fetch *f, int empty);
/* The answer failed or was not understood (a 200 here reads "content not understood").
 * Returns 1 when data stays on screen (say why in a notice; plan a retry with fetch_plan
 * if wanted), 0 when the error panel shows (a retry is planned when retry_ms > 0). */
int fetch_fail(struct fetch *f, const struct net_result *r, uint32_t now);
/* Drop the data: the next failure shows the error panel (e.g. the box was unregistered). */
void fetch_forget_data(struct fetch *f);
/* Plan the next quiet refresh (READY) or retry in ms from now. */
void fetch_plan(struct fetch *f, uint32_t now, int ms);
/* Sends again when a planned retry is due; moves the countdown. Returns ms until the next
 * tick is needed, or -1; sets owner->dirty when the picture changes. */
int fetch_tick(struct fetch *f, uint32_t now);
/* OK in the error panel retries at once. 1 when it consumed the action. */
int fetch_action(struct fetch *f, enum action a, uint32_t now);
/* 1 if the screen waits for its first answer, has nothing, or failed: the panel is up. */
int fetch_blocking(const struct fetch *f);
/* Draws the panel and the key-hint bar (OK 马上重试 in an error, then nav_hints) when
 * fetch_blocking(); returns 1 if it drew. */
int fetch_draw(const struct fetch *f, struct ui *ui, const struct ui_hint *nav_hints, int n_nav,
               uint32_t now);
/* "loading" / "ready" / "empty" / "error" for the UI dump. */
const char *fetch_phase_name(enum fetch_phase p);

#endif
