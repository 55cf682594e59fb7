#include "ui/focus.h"

void focus_item_init(struct focus_item *it, int x, int y, int w, int h)
{
    it->r.x = x;
    it->r.y = y;
    it->r.w = w;
    it->r.h = h;
    it->focusable = 1;
    for (int d = 0; d < FOCUS_DIRS; d++)
        it->link[d] = FOCUS_LINK_AUTO;
}

static int first_focusable(const struct focus_item *items, int n)
{
    for (int i = 0; i < n; i++) {
        if (items[i].focusable)
            return i;
    }
    return FOCUS_NONE;
}

/* Doubled centre coordinates keep everything in integers. */
static long long cx2(const SDL_Rect *r)
{
    return 2LL * r->x + r->w;
}

static long long cy2(const SDL_Rect *r)
{
    return 2LL * r->y + r->h;
}

static int overlaps_vertically(const SDL_Rect *a, const SDL_Rect *b)
{
    return a->y < b->y + b->h && b->y < a->y + a->h;
}

int focus_move(const struct focus_item *items, int n, int current, enum focus_dir dir)
{
    if (n <= 0 || (int)dir < 0 || dir >= FOCUS_DIRS)
        return FOCUS_NONE;
    if (current < 0 || current >= n)
        return first_focusable(items, n);
    const struct focus_item *cur = &items[current];
    int link = cur->link[dir];
    if (link == FOCUS_LINK_BLOCK)
        return FOCUS_NONE;
    if (link >= 0)
        return (link < n && items[link].focusable) ? link : FOCUS_NONE;

    long long x0 = cx2(&cur->r), y0 = cy2(&cur->r);
    int best = FOCUS_NONE;
    long long best_d = 0, best_primary = 0;
    for (int i = 0; i < n; i++) {
        if (i == current || !items[i].focusable)
            continue;
        long long dx = cx2(&items[i].r) - x0, dy = cy2(&items[i].r) - y0;
        long long primary;
        switch (dir) {
        case FOCUS_UP:
            primary = -dy;
            break;
        case FOCUS_DOWN:
            primary = dy;
            break;
        case FOCUS_LEFT:
            primary = -dx;
            break;
        default:
            primary = dx;
            break;
        }
        if (primary <= 0)
            continue; /* not in the half-plane */
        if ((dir == FOCUS_LEFT || dir == FOCUS_RIGHT) &&
            !overlaps_vertically(&cur->r, &items[i].r))
            continue;
        long long d = dx * dx + dy * dy;
        /* Equal distance: the straighter one (less sideways) wins, then the lower index. */
        if (best == FOCUS_NONE || d < best_d || (d == best_d && primary > best_primary)) {
            best = i;
            best_d = d;
            best_primary = primary;
        }
    }
    return best;
}

int focus_refocus(const struct focus_item *items, int n, const SDL_Rect *old)
{
    if (!old)
        return first_focusable(items, n);
    long long x0 = cx2(old), y0 = cy2(old);
    int best = FOCUS_NONE;
    long long best_d = 0;
    for (int i = 0; i < n; i++) {
        if (!items[i].focusable)
            continue;
        long long dx = cx2(&items[i].r) - x0, dy = cy2(&items[i].r) - y0;
        long long d = dx * dx + dy * dy;
        if (best == FOCUS_NONE || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

int focus_dir_from_action(enum action a, enum focus_dir *dir)
{
    switch (a) {
    case ACTION_UP:
        *dir = FOCUS_UP;
        return 1;
    case ACTION_DOWN:
        *dir = FOCUS_DOWN;
        return 1;
    case ACTION_LEFT:
        *dir = FOCUS_LEFT;
        return 1;
    case ACTION_RIGHT:
        *dir = FOCUS_RIGHT;
        return 1;
    default:
        return 0;
    }
}
