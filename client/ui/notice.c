#include "ui/notice.h"

#include <stdio.h>
#include <string.h>

#include "ui/theme.h"

void notices_init(struct notices *ns)
{
    memset(ns, 0, sizeof(*ns));
}

static void drop_first(struct notices *ns)
{
    memmove(&ns->q[0], &ns->q[1], (size_t)(ns->n - 1) * sizeof(ns->q[0]));
    ns->n--;
    ns->shown_since = 0;
}

void notices_post(struct notices *ns, const char *text, uint32_t duration_ms)
{
    if (ns->n > 0 && strcmp(ns->q[ns->n - 1].text, text) == 0)
        return;
    if (ns->n == NOTICE_MAX)
        drop_first(ns);
    snprintf(ns->q[ns->n].text, sizeof(ns->q[ns->n].text), "%s", text);
    ns->q[ns->n].duration_ms = duration_ms ? duration_ms : NOTICE_DEFAULT_MS;
    ns->n++;
}

int notices_visible(const struct notices *ns)
{
    return ns->n > 0;
}

void notices_draw(const struct notices *ns, struct ui *ui)
{
    const char *text = ns->q[0].text;
    /* Full safe width: it covers whole lines of content, never half a word. */
    SDL_Rect safe = theme_safe_rect();
    int w = safe.w - 12;
    /* Just above the hint bar: over the last line of content, never over the hints. */
    const int h = 96, gap = 18;
    SDL_Rect edge = { THEME_W / 2 - w / 2 - 6, THEME_HINT_Y - h - gap - 6, w + 12, h + 12 };
    ui_fill_round(ui, &edge, THEME_RADIUS + 6, theme_color(COL_NOTICE_EDGE));
    SDL_Rect box = { THEME_W / 2 - w / 2, THEME_HINT_Y - h - gap, w, h };
    ui_fill_round(ui, &box, THEME_RADIUS, theme_color(COL_NOTICE_BG));
    SDL_Rect text_box = { box.x + 56, box.y, box.w - 112, box.h };
    ui_text_in(ui, text, &text_box, THEME_PX_BODY, FONT_BOLD, theme_color(COL_NOTICE_TEXT),
               UI_CENTER);
}

int notices_tick(struct notices *ns, uint32_t now, int *dirty)
{
    while (ns->n > 0) {
        if (ns->shown_since == 0) {
            ns->shown_since = now ? now : 1;
            *dirty = 1;
        }
        uint32_t age = now - ns->shown_since;
        if (age < ns->q[0].duration_ms)
            return (int)(ns->q[0].duration_ms - age);
        drop_first(ns);
        *dirty = 1;
    }
    return -1;
}
