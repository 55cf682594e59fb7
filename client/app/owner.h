/* Owners: whatever sits on the TV and acts on its own — a screen or an overlay. An owner
 * asks the server for things (owner_track), asks a modal overlay for a value (owner_ticket,
 * e.g. the keypad), and may move the member elsewhere (struct nav). The app routes every
 * network result and every modal answer back to the owner that asked, by serial or ticket;
 * an owner that is gone is forgotten (requests_forget) and its results are dropped.
 *
 * Screens (app/screen.h) and overlays (app/overlay.h) embed a struct owner; each sets
 * `ops` to a small adapter that forwards to its own vtable, so the app needs no switch on
 * the kind of owner. Everything in here is UI-thread only. */
#ifndef DJTV_OWNER_H
#define DJTV_OWNER_H

#include <stdint.h>

#include "net/net.h"

struct requests;
struct ui;
struct live_banner;
struct notices;
struct overlays;
struct screen;
struct image_loader;
struct household;

/* What the app lends every owner. All borrowed; they outlive every owner. */
struct app_services {
    struct ui *ui;
    struct net *net;              /* NULL when there is no server (player mode, local media) */
    struct requests *reqs;
    struct live_banner *live;
    struct notices *notices;
    struct overlays *overlays;    /* the overlay slots (app/overlay.h) */
    const char *server;    /* base URL of the DJTV server (https://…, no trailing slash) */
    const char *ca_file;   /* the pinned CA, for media over https too; "" when none */
    const char *token;     /* the box's device token ("" when none): sent with media requests
                            * to the server's own origin only (media/source.c) */
    uint32_t player_event; /* SDL event type media players post to wake the loop */
    uint32_t stream_event; /* SDL event type event streams post (net/events.h): cadre mode
                            * opens one of its own with the cadre's session */
    const char *cast_program; /* cadre mode: the djtv-cast binary ("" = beside djtv) */
    const char *cast_input;   /* cadre mode: what djtv-cast sends ("" = the camera found) */
    const char *cast_args;    /* cadre mode: more djtv-cast arguments */
    int cadre_idle_s;         /* cadre mode logs out after this long without a key */
    int activity_room;        /* the village's activity-room box: home shows MENU 村干部 */
    struct speech *speech; /* the read-aloud (yellow key); NULL in player mode */
    struct image_loader *images; /* posters and photos: decoded off this thread, cached */
    const char *data_dir;  /* durable state of the box (app/form_draft.h); "" = none kept */
    struct household *household; /* who lives here and who is watching (app/household.h) */
};

/* NAV_QUIT ends the app with exit status `status` (a screen the app was started on for one
 * job, e.g. `djtv --play URL`). */
enum nav_kind { NAV_NONE, NAV_PUSH, NAV_REPLACE, NAV_POP, NAV_HOME, NAV_QUIT };

struct nav {
    enum nav_kind kind;
    struct screen *next; /* owned: PUSH / REPLACE hand it to the app, which owns it from then */
    int status;          /* NAV_QUIT: the exit status */
};

/* The value a modal overlay (keypad, choice dialog) gives back to the owner that asked. */
struct answer {
    int64_t ticket;     /* from owner_ticket() */
    int ok;             /* 1: confirmed with OK; 0: cancelled with BACK (text empty) */
    const char *text;   /* borrowed for the call: the digits typed, the option chosen … */
    int choice;         /* option lists: the index chosen; -1 otherwise */
};

struct owner;

struct owner_ops {
    /* A result of a request this owner made (borrowed; the app frees it). May be NULL. */
    void (*on_net)(struct owner *o, const struct net_result *r);
    /* The answer to a ticket this owner took. May be NULL. */
    void (*on_answer)(struct owner *o, const struct answer *a);
};

struct owner {
    const struct owner_ops *ops; /* static; set by screen_init() / overlay_init() */
    struct app_services *svc;    /* borrowed */
    int dirty;                   /* needs a redraw */
    struct nav request;          /* navigation asked outside on_action (a timer, a result):
                                  * the app applies it after the tick (a screen's only while
                                  * it is on top; an overlay's always) */
};

/* Remember that `serial` (from net_request / api_*) belongs to o, so its result comes back
 * to o. Passes negative errors through. */
int64_t owner_track(struct owner *o, int64_t serial);
/* Tickets are <= -OWNER_TICKET_FIRST: never a network serial (> 0), never an -errno. */
enum { OWNER_TICKET_FIRST = 4096 };
/* A new ticket (< 0, never a network serial) whose answer comes back to o. */
int64_t owner_ticket(struct owner *o);
/* Ask the app to navigate as soon as it can (replaces an earlier request not yet applied:
 * a screen it carried is destroyed). */
void owner_navigate(struct owner *o, enum nav_kind kind, struct screen *next);

#endif
