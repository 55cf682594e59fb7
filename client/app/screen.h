/* The screen interface. A screen draws through ui/, asks the server through net/ and
 * tells the app where to go next by filling a `struct nav`; it never reaches into the app
 * or other screens. A screen is an owner (app/owner.h): the app routes the results of its
 * requests and the answers of the modal overlays it opened back to it.
 *
 * A new screen: embed `struct screen base` first in its struct, call screen_init() in its
 * create function, fill the ops it needs (destroy and draw are required). */
#ifndef DJTV_SCREEN_H
#define DJTV_SCREEN_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "app/owner.h"
#include "input/action.h"
#include "net/box_event.h"
#include "net/net.h"
#include "ui/live_banner.h"
#include "ui/notice.h"
#include "ui/ui.h"

struct screen_ops {
    void (*destroy)(struct screen *s);
    /* 1 if handled; 0 lets the app apply the defaults (BACK pops, HOME goes home). */
    int (*on_action)(struct screen *s, enum action a, struct nav *nav);
    /* A result of a request this screen made (borrowed; the app frees it). */
    void (*on_net)(struct screen *s, const struct net_result *r);
    /* Optional. The answer of a modal overlay this screen asked (keypad …). */
    void (*on_answer)(struct screen *s, const struct answer *a);
    /* Timers. Returns ms until it needs the next tick, or -1; sets dirty on a change. */
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
    /* Optional. What the yellow key reads aloud (the question, the open notice) into out;
     * returns its length, 0 for "the default": the texts on the focused item. */
    size_t (*read_text)(const struct screen *s, char *out, size_t size);
};

struct screen {
    const struct screen_ops *ops;
    char name[64];               /* "home", "section.live" … */
    int loading;                 /* waiting for its first data */
    int fullscreen;              /* covers the whole canvas (video): the live banner hides */
    int quiet;                   /* not the household's screen (cadre mode): the live banner
                                  * and the roll-call prompt stay out of sight */
    int covered;                 /* another screen is on top of it: nobody is looking at it
                                  * (set by the app before each tick) */
    struct owner own;            /* svc, dirty, the pending navigation request */
};

/* Set up the base of a new screen: ops, name, owner; loading and dirty on. */
void screen_init(struct screen *s, const struct screen_ops *ops, struct app_services *svc,
                 const char *name);
/* Forget what s asked for, then destroy it. NULL is a no-op. */
void screen_destroy(struct screen *s);
/* owner_track() for a screen. */
int64_t screen_track(struct screen *s, int64_t serial);

#endif
