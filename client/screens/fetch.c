#define LOG_TAG "fetch"
#include "screens/fetch.h"

#include <stdio.h>
#include <string.h>

#include "app/requests.h"
#include "log.h"
#include "ui/layout.h"

void fetch_init(struct fetch *f, struct owner *owner, int64_t (*send)(void *ctx), void *ctx,
                const struct fetch_texts *texts, int retry_ms)
{
    memset(f, 0, sizeof(*f));
    f->phase = FETCH_LOADING;
    f->retry_ms = retry_ms;
    f->shown_seconds = -1;
    f->texts = texts;
    f->owner = owner;
    f->send = send;
    f->ctx = ctx;
}

int fetch_start(struct fetch *f, uint32_t now)
{
    if (f->serial) /* its answer is no longer wanted */
        requests_take(f->owner->svc->reqs, f->serial);
    f->serial = 0;
    if (f->busy)
        *f->busy = 0;
    f->retry_at = 0;
    f->shown_seconds = -1;
    f->owner->dirty = 1;
    int64_t serial = owner_track(f->owner, f->send(f->ctx));
    if (serial > 0) {
        f->serial = serial;
        if (f->busy)
            *f->busy = 1;
        return 0;
    }
    log_error("cannot queue the request: %s", strerror((int)-serial));
    struct net_result unsent = { .error = NET_ERR_OTHER };
    if (!fetch_fail(f, &unsent, now) && !f->retry_at)
        fetch_plan(f, now, 5000); /* never stuck on the error panel: the clock tries again */
    return (int)serial;
}

int fetch_take(struct fetch *f, const struct net_result *r)
{
    if (!f->serial || r->serial != f->serial)
        return 0;
    f->serial = 0;
    f->owner->dirty = 1;
    if (f->busy)
        *f->busy = 0;
    return 1;
}

void fetch_ok(struct fetch *f, int empty)
{
    f->phase = empty ? FETCH_EMPTY : FETCH_READY;
    f->have_data = 1;
    f->retry_at = 0;
    f->owner->dirty = 1;
}

int fetch_fail(struct fetch *f, const struct net_result *r, uint32_t now)
{
    f->owner->dirty = 1;
    f->retry_at = 0;
    if (f->have_data)
        return 1; /* the caller decides when to try again */
    if (f->retry_ms > 0)
        fetch_plan(f, now, f->retry_ms);
    f->phase = FETCH_ERROR;
    f->error = net_msg_for(r, f->texts->mode);
    f->shown_seconds = -1;
    return 0;
}

void fetch_forget_data(struct fetch *f)
{
    f->have_data = 0;
    f->phase = FETCH_LOADING;
    f->owner->dirty = 1;
}

void fetch_plan(struct fetch *f, uint32_t now, int ms)
{
    uint32_t at = now + (uint32_t)(ms > 0 ? ms : 0);
    f->retry_at = at ? at : 1;
}

static int due(uint32_t now, uint32_t at)
{
    return (int32_t)(now - at) >= 0;
}

int fetch_tick(struct fetch *f, uint32_t now)
{
    if (f->serial || !f->retry_at)
        return -1; /* waiting for an answer, or nothing planned */
    if (due(now, f->retry_at)) {
        fetch_start(f, now);
        return f->retry_at ? (int)(f->retry_at - now) : -1;
    }
    uint32_t left = f->retry_at - now;
    if (f->phase != FETCH_ERROR)
        return (int)left; /* a quiet refresh: nothing on screen counts down */
    int secs = (int)((left + 999) / 1000);
    if (secs != f->shown_seconds) {
        f->shown_seconds = secs;
        f->owner->dirty = 1;
    }
    return (int)(left - (uint32_t)(secs - 1) * 1000); /* the next change of the countdown */
}

int fetch_action(struct fetch *f, enum action a, uint32_t now)
{
    if (f->phase != FETCH_ERROR || a != ACTION_OK)
        return 0;
    if (!f->serial)
        fetch_start(f, now);
    return 1;
}

int fetch_blocking(const struct fetch *f)
{
    return f->phase != FETCH_READY;
}

int fetch_draw(const struct fetch *f, struct ui *ui, const struct ui_hint *nav_hints, int n_nav,
               uint32_t now)
{
    if (!fetch_blocking(f))
        return 0;
    SDL_Rect panel = layout_message_panel();
    struct ui_hint hints[8];
    int n = 0;
    if (f->phase == FETCH_ERROR) {
        char when[128];
        if (f->serial || !f->retry_at || due(now, f->retry_at))
            snprintf(when, sizeof(when), f->serial ? "正在重试…" : "按 OK 键重试");
        else
            snprintf(when, sizeof(when), "%d 秒后自动重试",
                     f->shown_seconds > 0 ? f->shown_seconds
                                          : (int)((f->retry_at - now + 999) / 1000));
        ui_draw_panel(ui, &panel, f->error.what, f->error.help, when);
        hints[n++] = (struct ui_hint){ "OK", "马上重试" };
    } else if (f->phase == FETCH_EMPTY) {
        ui_draw_panel(ui, &panel, f->texts->empty, f->texts->empty_help, NULL);
    } else {
        ui_draw_panel(ui, &panel, f->texts->loading, f->texts->loading_help, NULL);
    }
    for (int i = 0; i < n_nav && n < (int)(sizeof(hints) / sizeof(hints[0])); i++)
        hints[n++] = nav_hints[i];
    if (n > 0)
        ui_draw_hint_bar(ui, hints, n);
    return 1;
}

const char *fetch_phase_name(enum fetch_phase p)
{
    switch (p) {
    case FETCH_LOADING:
        return "loading";
    case FETCH_READY:
        return "ready";
    case FETCH_EMPTY:
        return "empty";
    default:
        return "error";
    }
}
