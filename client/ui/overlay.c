#include "ui/overlay.h"

#include <string.h>

void overlay_stack_init(struct overlay_stack *st)
{
    memset(st, 0, sizeof(*st));
}

void overlay_stack_set(struct overlay_stack *st, enum overlay_slot slot,
                       const struct overlay_ops *ops, void *self)
{
    if ((int)slot < 0 || slot >= OVERLAY_SLOTS)
        return;
    st->layers[slot].ops = ops;
    st->layers[slot].self = self;
}

void overlay_stack_hide(struct overlay_stack *st, enum overlay_slot slot, int hidden)
{
    if ((int)slot >= 0 && slot < OVERLAY_SLOTS)
        st->layers[slot].hidden = hidden;
}

static int shown(const struct overlay_stack *st, int i)
{
    return st->layers[i].ops && !st->layers[i].hidden &&
           st->layers[i].ops->visible(st->layers[i].self);
}

void overlay_stack_draw(struct overlay_stack *st, struct ui *ui)
{
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        if (shown(st, i))
            st->layers[i].ops->draw(st->layers[i].self, ui);
    }
}

int overlay_stack_action(struct overlay_stack *st, enum action a)
{
    for (int i = OVERLAY_SLOTS - 1; i >= 0; i--) {
        if (shown(st, i) && st->layers[i].ops->on_action &&
            st->layers[i].ops->on_action(st->layers[i].self, a))
            return 1;
    }
    return 0;
}

int overlay_stack_tick(struct overlay_stack *st, uint32_t now, int *dirty)
{
    int wake = -1;
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        if (!st->layers[i].ops || !st->layers[i].ops->tick)
            continue;
        int w = st->layers[i].ops->tick(st->layers[i].self, now, dirty);
        if (w >= 0 && (wake < 0 || w < wake))
            wake = w;
    }
    return wake;
}

int overlay_stack_visible(const struct overlay_stack *st, const char **names, int max)
{
    int n = 0;
    for (int i = 0; i < OVERLAY_SLOTS && n < max; i++) {
        if (shown(st, i))
            names[n++] = st->layers[i].ops->name;
    }
    return n;
}
