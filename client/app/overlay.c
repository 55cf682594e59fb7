#include "app/overlay.h"

#include <stddef.h>
#include <string.h>

#include "app/requests.h"
#include "app/screen.h"

static struct overlay *overlay_of(struct owner *o)
{
    return (struct overlay *)(void *)((char *)o - offsetof(struct overlay, own));
}

static void ov_on_net(struct owner *o, const struct net_result *r)
{
    struct overlay *ov = overlay_of(o);
    if (ov->ops->on_net)
        ov->ops->on_net(ov, r);
}

static void ov_on_answer(struct owner *o, const struct answer *a)
{
    struct overlay *ov = overlay_of(o);
    if (ov->ops->on_answer)
        ov->ops->on_answer(ov, a);
}

static const struct owner_ops overlay_owner_ops = {
    .on_net = ov_on_net,
    .on_answer = ov_on_answer,
};

void overlay_init(struct overlay *o, const struct overlay_ops *ops, struct app_services *svc)
{
    o->ops = ops;
    o->own.ops = &overlay_owner_ops;
    o->own.svc = svc;
    o->own.dirty = 1;
    o->own.request = (struct nav){ NAV_NONE, NULL, 0 };
}

void overlays_init(struct overlays *ov, struct requests *reqs)
{
    memset(ov, 0, sizeof(*ov));
    ov->reqs = reqs;
}

static void destroy_overlay(struct overlays *ov, struct overlay *o)
{
    if (!o)
        return;
    if (ov->reqs)
        requests_forget(ov->reqs, &o->own);
    screen_destroy(o->own.request.next);
    o->ops->destroy(o);
}

void overlays_fini(struct overlays *ov)
{
    for (int i = OVERLAY_SLOTS - 1; i >= 0; i--) {
        destroy_overlay(ov, ov->slot[i]);
        ov->slot[i] = NULL;
    }
}

void overlays_set(struct overlays *ov, enum overlay_slot slot, struct overlay *o)
{
    if ((int)slot < 0 || slot >= OVERLAY_SLOTS) {
        destroy_overlay(ov, o);
        return;
    }
    if (ov->slot[slot] != o)
        destroy_overlay(ov, ov->slot[slot]);
    ov->slot[slot] = o;
}

struct overlay *overlays_get(const struct overlays *ov, enum overlay_slot slot)
{
    return (int)slot >= 0 && slot < OVERLAY_SLOTS ? ov->slot[slot] : NULL;
}

void overlays_hide(struct overlays *ov, enum overlay_slot slot, int hidden)
{
    if ((int)slot >= 0 && slot < OVERLAY_SLOTS)
        ov->hidden[slot] = hidden;
}

static int shown(const struct overlays *ov, int i)
{
    return ov->slot[i] && !ov->hidden[i] && ov->slot[i]->ops->visible(ov->slot[i]);
}

void overlays_draw(struct overlays *ov, struct ui *ui)
{
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        if (shown(ov, i))
            ov->slot[i]->ops->draw(ov->slot[i], ui);
    }
}

int overlays_action(struct overlays *ov, enum action a, struct nav *nav)
{
    for (int i = OVERLAY_SLOTS - 1; i >= 0; i--) {
        struct overlay *o = ov->slot[i];
        if (shown(ov, i) && o->ops->on_action && o->ops->on_action(o, a, nav)) {
            o->own.dirty = 1;
            return 1;
        }
    }
    for (int i = OVERLAY_SLOTS - 1; i >= 0; i--) {
        struct overlay *o = ov->slot[i];
        if (o && !shown(ov, i) && o->ops->on_wake && o->ops->on_wake(o, a, nav)) {
            o->own.dirty = 1;
            return 1;
        }
    }
    return 0;
}

int overlays_tick(struct overlays *ov, uint32_t now)
{
    int wake = -1;
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        struct overlay *o = ov->slot[i];
        if (!o || !o->ops->tick)
            continue;
        int w = o->ops->tick(o, now);
        if (w >= 0 && (wake < 0 || w < wake))
            wake = w;
    }
    return wake;
}

void overlays_event(struct overlays *ov, const struct box_event *ev)
{
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        struct overlay *o = ov->slot[i];
        if (o && o->ops->on_event)
            o->ops->on_event(o, ev);
    }
}

int overlays_take_dirty(struct overlays *ov)
{
    int dirty = 0;
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        if (ov->slot[i] && ov->slot[i]->own.dirty) {
            dirty = 1;
            ov->slot[i]->own.dirty = 0;
        }
    }
    return dirty;
}

struct overlay *overlays_navigating(struct overlays *ov)
{
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        if (ov->slot[i] && ov->slot[i]->own.request.kind != NAV_NONE)
            return ov->slot[i];
    }
    return NULL;
}

int overlays_visible(const struct overlays *ov, const char **names, int max)
{
    int n = 0;
    for (int i = 0; i < OVERLAY_SLOTS && n < max; i++) {
        if (shown(ov, i))
            names[n++] = ov->slot[i]->ops->name;
    }
    return n;
}

const char *overlays_focus(const struct overlays *ov)
{
    for (int i = OVERLAY_SLOTS - 1; i >= 0; i--) {
        const struct overlay *o = ov->slot[i];
        if (shown(ov, i) && o->ops->on_action && o->ops->focus_name) {
            const char *f = o->ops->focus_name(o);
            if (f)
                return f;
        }
    }
    return NULL;
}

void overlays_dump_state(const struct overlays *ov, cJSON *state)
{
    for (int i = 0; i < OVERLAY_SLOTS; i++) {
        const struct overlay *o = ov->slot[i];
        if (!shown(ov, i) || !o->ops->dump_state)
            continue;
        cJSON *sub = cJSON_AddObjectToObject(state, o->ops->name);
        if (sub)
            o->ops->dump_state(o, sub);
    }
}
