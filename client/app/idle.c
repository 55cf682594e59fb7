#include "app/idle.h"

#include "ui/theme.h"

enum { DIM_ALPHA = 191 }; /* three quarters black over the last screen */

void idle_init(struct idle *id, uint32_t timeout_ms, uint32_t now)
{
    id->timeout_ms = timeout_ms;
    id->last_active = now;
    id->dimmed = 0;
}

int idle_key(struct idle *id, uint32_t now)
{
    id->last_active = now;
    if (!id->dimmed)
        return 0;
    id->dimmed = 0;
    return 1;
}

int idle_tick(struct idle *id, uint32_t now, int video, int *dirty)
{
    if (id->timeout_ms == 0)
        return -1;
    if (video) {
        id->last_active = now; /* watching is not idling: the count starts after the video */
        if (id->dimmed) {
            id->dimmed = 0;
            *dirty = 1;
        }
        return -1;
    }
    if (id->dimmed)
        return -1;
    uint32_t quiet = now - id->last_active;
    if (quiet >= id->timeout_ms) {
        id->dimmed = 1;
        *dirty = 1;
        return -1;
    }
    return (int)(id->timeout_ms - quiet);
}

void idle_draw(const struct idle *id, struct ui *ui)
{
    if (!id->dimmed)
        return;
    SDL_Rect all = { 0, 0, THEME_W, THEME_H };
    SDL_Color shade = { 0, 0, 0, DIM_ALPHA };
    ui_fill_rect(ui, &all, shade);
}
