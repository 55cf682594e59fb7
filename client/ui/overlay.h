/* Layers the app draws on top of whatever screen is current, in a fixed order (bottom to
 * top): the live-now banner, the roll-call prompt, toast notices, and a modal on-screen
 * keypad. A layer is a small vtable, so the roll-call prompt and the keypad drop into their
 * slot later without touching the app. Input goes to the topmost visible layer that takes
 * input before the screen sees it. */
#ifndef DJTV_OVERLAY_H
#define DJTV_OVERLAY_H

#include <stdint.h>

#include "input/action.h"
#include "ui/ui.h"

enum overlay_slot {
    OVERLAY_LIVE = 0,
    OVERLAY_ROLLCALL,
    OVERLAY_NOTICE,
    OVERLAY_KEYPAD,
    OVERLAY_SLOTS
};

struct overlay_ops {
    const char *name; /* as listed in the UI dump's "overlays" */
    int (*visible)(const void *self);
    void (*draw)(void *self, struct ui *ui);
    /* NULL for passive layers. Returns 1 when the action was consumed. */
    int (*on_action)(void *self, enum action a);
    /* Advance timers. Returns ms until the next change, or -1; sets *dirty on a change.
     * May be NULL. */
    int (*tick)(void *self, uint32_t now, int *dirty);
};

struct overlay_stack {
    struct {
        const struct overlay_ops *ops; /* borrowed, static */
        void *self;                    /* borrowed */
        int hidden;                    /* kept out of sight (e.g. over full-screen video) */
    } layers[OVERLAY_SLOTS];
};

void overlay_stack_init(struct overlay_stack *st);
void overlay_stack_set(struct overlay_stack *st, enum overlay_slot slot,
                       const struct overlay_ops *ops, void *self);
/* Keep a layer out of sight (and out of input) without forgetting it; 0 shows it again. */
void overlay_stack_hide(struct overlay_stack *st, enum overlay_slot slot, int hidden);
void overlay_stack_draw(struct overlay_stack *st, struct ui *ui);
/* Offer an action to visible input-taking layers, top first. 1 if consumed. */
int overlay_stack_action(struct overlay_stack *st, enum action a);
int overlay_stack_tick(struct overlay_stack *st, uint32_t now, int *dirty);
/* Names of the visible layers, bottom to top; returns how many (at most max). */
int overlay_stack_visible(const struct overlay_stack *st, const char **names, int max);

#endif
