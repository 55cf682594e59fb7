#include "ui/focus_group.h"

#include <string.h>

void focus_group_init(struct focus_group *g, unsigned wrap)
{
    memset(g, 0, sizeof(*g));
    g->focus = FOCUS_NONE;
    g->active = 1;
    g->wrap = wrap;
}

void focus_group_begin(struct focus_group *g)
{
    if (g->focus >= 0 && g->focus < g->n)
        g->last_rect = g->items[g->focus].r;
    else
        memset(&g->last_rect, 0, sizeof(g->last_rect));
    g->n = 0;
}

int focus_group_add(struct focus_group *g, SDL_Rect r)
{
    if (g->n >= FOCUS_GROUP_MAX)
        return -1;
    focus_item_init(&g->items[g->n], r.x, r.y, r.w, r.h);
    return g->n++;
}

void focus_group_end(struct focus_group *g)
{
    g->focus = focus_refocus(g->items, g->n, g->last_rect.w > 0 ? &g->last_rect : NULL);
}

static int overlaps(int a0, int a1, int b0, int b1)
{
    return a0 < b1 && b0 < a1;
}

/* Wrapping: the item farthest the other way that shares the row (H) or column (V). */
static int wrap_target(const struct focus_group *g, enum focus_dir dir)
{
    const SDL_Rect *c = &g->items[g->focus].r;
    int horizontal = dir == FOCUS_LEFT || dir == FOCUS_RIGHT;
    if (!(g->wrap & (horizontal ? FOCUS_WRAP_H : FOCUS_WRAP_V)))
        return FOCUS_NONE;
    int best = FOCUS_NONE;
    long long best_v = 0;
    for (int i = 0; i < g->n; i++) {
        const SDL_Rect *r = &g->items[i].r;
        if (i == g->focus || !g->items[i].focusable)
            continue;
        if (horizontal ? !overlaps(c->y, c->y + c->h, r->y, r->y + r->h)
                       : !overlaps(c->x, c->x + c->w, r->x, r->x + r->w))
            continue;
        long long v = horizontal ? 2LL * r->x + r->w : 2LL * r->y + r->h;
        if (dir == FOCUS_RIGHT || dir == FOCUS_DOWN)
            v = -v; /* going right wraps to the leftmost: the smallest x wins */
        if (best == FOCUS_NONE || v > best_v) {
            best = i;
            best_v = v;
        }
    }
    return best;
}

enum focus_result focus_group_action(struct focus_group *g, enum action a, enum focus_dir *edge)
{
    enum focus_dir dir;
    if (!focus_dir_from_action(a, &dir))
        return FOCUS_IGNORED;
    if (edge)
        *edge = dir;
    if (!g->active || g->focus < 0 || g->focus >= g->n)
        return FOCUS_EDGE;
    int next = focus_move(g->items, g->n, g->focus, dir);
    if (next == FOCUS_NONE)
        next = wrap_target(g, dir);
    if (next == FOCUS_NONE)
        return FOCUS_EDGE;
    g->focus = next;
    return FOCUS_MOVED;
}

void focus_group_set(struct focus_group *g, int i)
{
    if (i >= 0 && i < g->n && g->items[i].focusable)
        g->focus = i;
}

int focus_group_current(const struct focus_group *g)
{
    return g->active ? g->focus : FOCUS_NONE;
}

void focus_group_leave(struct focus_group *g)
{
    g->active = 0;
}

void focus_group_enter(struct focus_group *g)
{
    g->active = 1;
    if (g->focus < 0 || g->focus >= g->n || !g->items[g->focus].focusable)
        g->focus = focus_refocus(g->items, g->n, NULL);
}

SDL_Rect focus_group_rect(const struct focus_group *g, int i)
{
    SDL_Rect none = { 0, 0, 0, 0 };
    return i >= 0 && i < g->n ? g->items[i].r : none;
}
