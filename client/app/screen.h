/* The screen interface. A screen draws through ui/, asks the server through net/ and
 * tells the app where to go next by filling a `struct nav`; it never reaches into the app
 * or other screens. The app routes network results back to the screen that asked. */
#ifndef DJTV_SCREEN_H
#define DJTV_SCREEN_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "input/action.h"
#include "net/box_event.h"
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
    const char *server;    /* base URL of the DJTV server (https://…, no trailing slash) */
    const char *ca_file;   /* the pinned CA, for media over https too; "" when none */
    const char *token;     /* the box's device token ("" when none): sent with media requests
                            * to the server's own origin only (media/source.c) */
    uint32_t player_event; /* SDL event type media players post to wake the loop */
};

struct screen;

/* NAV_QUIT ends the app with exit status `status` (a screen the app was started on for one
 * job, e.g. `djtv --play URL`). */
enum nav_kind { NAV_NONE, NAV_PUSH, NAV_REPLACE, NAV_POP, NAV_HOME, NAV_QUIT };

struct nav {
    enum nav_kind kind;
    struct screen *next; /* owned: PUSH / REPLACE hand it to the app, which owns it from then */
    int status;          /* NAV_QUIT: the exit status */
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
    /* Optional. Adds what tests need to know beyond the texts (e.g. a player's position) to
     * the dump line's "state" object. */
    void (*dump_state)(const struct screen *s, cJSON *state);
    /* Optional. The frame this screen drew (as the top screen) has just been shown. */
    void (*presented)(struct screen *s);
    /* Optional. The renderer lost its textures: upload what the screen owns again. */
    void (*renderer_reset)(struct screen *s);
    /* Optional. An event from the server's event stream (borrowed), offered to every screen
     * on the stack, bottom first. */
    void (*on_event)(struct screen *s, const struct box_event *ev);
};

struct screen {
    const struct screen_ops *ops;
    char name[64];               /* "home", "section.live" … */
    int loading;                 /* waiting for its first data */
    int dirty;                   /* needs a redraw */
    int fullscreen;              /* covers the whole canvas (video): the live banner hides */
    struct app_services *svc;    /* borrowed */
    struct nav request;          /* asked outside on_action (a timer, a result): the app
                                  * applies it after the tick when this screen is on top */
};

/* Remember that `serial` (from net_request / api_*) belongs to s, so its result comes back
 * to s. Passes negative errors through. */
int64_t screen_track(struct screen *s, int64_t serial);

#endif
