/* The screen interface. A screen draws through ui/, asks the server through net/ and
 * tells the app where to go next by filling a `struct nav`; it never reaches into the app
 * or other screens. The app routes network results back to the screen that asked. */
#ifndef DJTV_SCREEN_H
#define DJTV_SCREEN_H

#include <stdint.h>

#include "input/action.h"
#include "net/net.h"
#include "ui/live_banner.h"
#include "ui/notice.h"
#include "ui/ui.h"

struct requests;

/* What the app lends every screen. All borrowed; they outlive every screen. */
struct app_services {
    struct ui *ui;
    struct net *net;
    struct requests *reqs;
    struct live_banner *live;
    struct notices *notices;
};

struct screen;

enum nav_kind { NAV_NONE, NAV_PUSH, NAV_REPLACE, NAV_POP, NAV_HOME };

struct nav {
    enum nav_kind kind;
    struct screen *next; /* owned: PUSH / REPLACE hand it to the app, which owns it from then */
};

struct screen_ops {
    void (*destroy)(struct screen *s);
    /* 1 if handled; 0 lets the app apply the defaults (BACK pops, HOME goes home). */
    int (*on_action)(struct screen *s, enum action a, struct nav *nav);
    /* A result of a request this screen made (borrowed; the app frees it). */
    void (*on_net)(struct screen *s, const struct net_result *r);
    /* Timers. Returns ms until it needs the next tick, or -1; sets s->dirty on a change. */
    int (*tick)(struct screen *s, uint32_t now);
    void (*draw)(struct screen *s, struct ui *ui);
    /* Name of the focused item for the UI dump, or NULL. */
    const char *(*focus_name)(const struct screen *s);
};

struct screen {
    const struct screen_ops *ops;
    char name[64];               /* "home", "section.live" … */
    int loading;                 /* waiting for its first data */
    int dirty;                   /* needs a redraw */
    struct app_services *svc;    /* borrowed */
};

/* Remember that `serial` (from net_request / api_*) belongs to s, so its result comes back
 * to s. Passes negative errors through. */
int64_t screen_track(struct screen *s, int64_t serial);

#endif
