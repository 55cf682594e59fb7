/* Overlays: layers the app draws over whatever screen is current, in fixed slots (bottom to
 * top): the live-now banner, the roll-call prompt, toast notices, and a modal keypad.
 * An overlay is an owner (app/owner.h) like a screen: it may make requests and get their
 * results, open a modal overlay and get its answer, and navigate (fill `nav` in on_action,
 * or owner_navigate() from a result or a timer) — so a prompt can open the live meeting.
 * Input goes to the topmost visible overlay that takes input before the screen sees it.
 *
 * Overlays with behaviour live beside the screens (screens/, e.g. basic_overlays.c); ui/ only draws.
 * A new overlay: embed `struct overlay base` first, overlay_init() it, fill its ops, and
 * have main.c install it in its slot with overlays_set() (the slots own their overlays). */
#ifndef DJTV_OVERLAY_H
#define DJTV_OVERLAY_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "app/owner.h"
#include "input/action.h"
#include "net/box_event.h"

struct ui;

enum overlay_slot {
    OVERLAY_LIVE = 0,
    OVERLAY_ROLLCALL,
    OVERLAY_SERVICE,
    OVERLAY_GUEST, /* 我是外出党员: a member away from home (screens/guest_overlay.h) */
    OVERLAY_NOTICE,
    OVERLAY_KEYPAD,
    OVERLAY_STUDY, /* never drawn: reports courses watched to 90 % (screens/study_credit.h) */
    OVERLAY_SLOTS
};

struct overlay;

struct overlay_ops {
    const char *name; /* as listed in the UI dump's "overlays" */
    int (*visible)(const struct overlay *o);
    void (*draw)(struct overlay *o, struct ui *ui);
    /* NULL for passive layers. 1 when the action was consumed (a modal overlay consumes
     * every action while it is visible). May fill nav like a screen. */
    int (*on_action)(struct overlay *o, enum action a, struct nav *nav);
    /* Optional: results of its requests, answers of the modal overlays it opened. */
    void (*on_net)(struct overlay *o, const struct net_result *r);
    void (*on_answer)(struct overlay *o, const struct answer *a);
    /* Optional. An event from the server's event stream (borrowed), offered to every overlay
     * (shown or not) after the screens. */
    void (*on_event)(struct overlay *o, const struct box_event *ev);
    /* Optional. Returns ms until it needs the next tick, or -1; sets own.dirty on a change.
     * Ticked even while hidden. */
    int (*tick)(struct overlay *o, uint32_t now);
    /* Optional: the focused item (the dump's "focus" while this overlay takes input) and
     * extra state for the dump (under "state"."overlays"."<name>"). */
    const char *(*focus_name)(const struct overlay *o);
    void (*dump_state)(const struct overlay *o, cJSON *state);
    /* Optional: offered each action while the overlay is NOT visible, after the visible
     * overlays declined it and before the screen sees it — how a flow that is out of sight
     * opens on its key (the red key). 1 if taken. */
    int (*on_wake)(struct overlay *o, enum action a, struct nav *nav);
    /* Frees the overlay. Required. */
    void (*destroy)(struct overlay *o);
};

struct overlay {
    const struct overlay_ops *ops;
    struct owner own;
};

struct overlays {
    struct overlay *slot[OVERLAY_SLOTS]; /* owned */
    int hidden[OVERLAY_SLOTS];           /* kept out of sight (e.g. over full-screen video) */
    struct requests *reqs;               /* borrowed: a destroyed overlay's entries go */
};

void overlay_init(struct overlay *o, const struct overlay_ops *ops, struct app_services *svc);

void overlays_init(struct overlays *ov, struct requests *reqs);
/* Destroys every overlay. */
void overlays_fini(struct overlays *ov);
/* Takes ownership of o (NULL empties the slot); an overlay already there is destroyed. */
void overlays_set(struct overlays *ov, enum overlay_slot slot, struct overlay *o);
/* The overlay in slot (borrowed), or NULL. */
struct overlay *overlays_get(const struct overlays *ov, enum overlay_slot slot);
/* Keep a layer out of sight (and out of input) without forgetting it; 0 shows it again. */
void overlays_hide(struct overlays *ov, enum overlay_slot slot, int hidden);
void overlays_draw(struct overlays *ov, struct ui *ui);
/* Offer an action to the visible input-taking overlays, top first. 1 if consumed; nav may
 * have been filled. */
int overlays_action(struct overlays *ov, enum action a, struct nav *nav);
/* Tick every overlay; returns ms until the next tick is due, or -1. */
int overlays_tick(struct overlays *ov, uint32_t now);
/* Offer a stream event to every overlay, bottom first. */
void overlays_event(struct overlays *ov, const struct box_event *ev);
/* 1 if any overlay is dirty; clears the flags. */
int overlays_take_dirty(struct overlays *ov);
/* The first overlay (bottom first) with a navigation request, or NULL. */
struct overlay *overlays_navigating(struct overlays *ov);
/* Names of the visible layers, bottom to top; returns how many (at most max). */
int overlays_visible(const struct overlays *ov, const char **names, int max);
/* The focus of the topmost visible overlay that takes input and names one, else NULL. */
const char *overlays_focus(const struct overlays *ov);
/* Each visible overlay's dump_state as state[name]. */
void overlays_dump_state(const struct overlays *ov, cJSON *state);

#endif
