#define LOG_TAG "viewers"
#include "screens/viewers.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/household.h"
#include "log.h"
#include "screens/picture.h"
#include "ui/button.h"
#include "ui/layout.h"
#include "ui/notice.h"
#include "ui/poster_grid.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum {
    LEAD_Y = THEME_CONTENT_Y,       /* the line that says what to do (below the live banner) */
    GRID_Y = LEAD_Y + 84,
    GRID_H = 430,
    BUTTONS_Y = GRID_Y + GRID_H + 20,
    AVATAR_PX = 144,
    MAX_COLS = 5,
};

enum part { PART_GRID, PART_BUTTONS };

struct viewers {
    struct screen base;
    struct household *hh;             /* borrowed: svc->household */
    int n;
    int marked[HOUSEHOLD_MAX];
    struct picture pics[HOUSEHOLD_MAX];
    char captions[HOUSEHOLD_MAX][HOUSEHOLD_NAME_MAX + 16];
    const char *caption_ptrs[HOUSEHOLD_MAX];
    char initials[HOUSEHOLD_MAX][8];  /* the first character of each name, for a card */
    struct ui_poster_grid grid;
    struct ui_button_row buttons;     /* 好了 / 全家都在看 */
    enum part part;
    char focus_name[48];
};

static const char *const button_labels[] = { "好了", "全家都在看" };

/* The first UTF-8 character of s. */
static void first_char(const char *s, char *out, size_t size)
{
    size_t len = 1;
    unsigned char c = (unsigned char)s[0];
    if (c >= 0xf0)
        len = 4;
    else if (c >= 0xe0)
        len = 3;
    else if (c >= 0xc0)
        len = 2;
    if (!c || len >= size || strnlen(s, len) < len)
        len = 0;
    memcpy(out, s, len);
    out[len] = '\0';
}

static void update_caption(struct viewers *v, int i)
{
    snprintf(v->captions[i], sizeof(v->captions[i]), "%s%s", v->marked[i] ? "√ " : "",
             v->hh->members[i].name);
    v->caption_ptrs[i] = v->captions[i];
    v->base.own.dirty = 1;
}

static void toggle(struct viewers *v, int i)
{
    if (i < 0 || i >= v->n)
        return;
    v->marked[i] = !v->marked[i];
    update_caption(v, i);
}

/* Keep the choice and go back to where we were. */
static void done(struct viewers *v, int everyone, struct nav *nav)
{
    int any = 0;
    for (int i = 0; i < v->n; i++)
        any |= v->marked[i];
    if (everyone || !any) {
        for (int i = 0; i < v->n; i++)
            v->marked[i] = 1;
    }
    household_choose(v->hh, v->marked, SDL_GetTicks());
    nav->kind = NAV_POP;
}

static int viewers_action(struct screen *s, enum action a, struct nav *nav)
{
    struct viewers *v = (struct viewers *)s;
    int handled = 0;
    int digit = action_digit(a);
    if (digit >= 1 && digit <= v->n && digit <= 9) {
        toggle(v, digit - 1);
        v->grid.focus = digit - 1;
        v->part = PART_GRID;
        return 1;
    }
    if (a == ACTION_BACK || a == ACTION_HOME) {
        done(v, 0, nav);
        return 1;
    }
    s->own.dirty = 1;
    if (v->part == PART_GRID) {
        int i = ui_poster_grid_action(&v->grid, a, &handled);
        if (i >= 0)
            toggle(v, i);
        else if (!handled && a == ACTION_DOWN)
            v->part = PART_BUTTONS;
        return 1;
    }
    int b = ui_button_row_action(&v->buttons, a, &handled);
    if (b == 0 || b == 1) {
        int any = 0;
        for (int i = 0; i < v->n; i++)
            any |= v->marked[i];
        if (b == 0 && !any) {
            notices_post(s->own.svc->notices, "请先选一位：按名字前的数字，或者按 确认", 0);
            return 1;
        }
        done(v, b == 1, nav);
    } else if (!handled && a == ACTION_UP) {
        v->part = PART_GRID;
    }
    return 1;
}

static void viewers_on_net(struct screen *s, const struct net_result *r)
{
    struct viewers *v = (struct viewers *)s;
    for (int i = 0; i < v->n; i++) {
        if (picture_take(&v->pics[i], r))
            return;
    }
}

static int viewers_tick(struct screen *s, uint32_t now)
{
    (void)now;
    struct viewers *v = (struct viewers *)s;
    for (int i = 0; i < v->n; i++)
        picture_tick(&v->pics[i]);
    return -1;
}

/* A member without a photo: the first character of the name, large, on a tile card. */
static void draw_card(struct viewers *v, struct ui *ui, int i, const SDL_Rect *pic)
{
    int px = pic->h * 7 / 10;
    px = px > AVATAR_PX ? AVATAR_PX : px < THEME_PX_TITLE ? THEME_PX_TITLE : px;
    ui_fill_round(ui, pic, THEME_RADIUS / 2, theme_color(COL_TILE));
    ui_text_in(ui, v->initials[i], pic, px, FONT_BOLD, theme_color(COL_TILE_TEXT), UI_CENTER);
}

/* "在看" on the picture of a marked member, so the mark is not only in the caption. */
static void draw_mark(struct ui *ui, const SDL_Rect *pic)
{
    SDL_Rect pill = { pic->x + pic->w - 170, pic->y + 12, 158, 64 };
    ui_fill_round(ui, &pill, 16, theme_color(COL_KEYCAP));
    ui_text_in(ui, "在看", &pill, THEME_PX_BODY, FONT_BOLD, theme_color(COL_KEYCAP_TEXT),
               UI_CENTER);
}

static const struct ui_hint hints[] = {
    { UI_KEY_ARROWS, "选择" },
    { "OK", "选中或取消" },
    { "1-9", "直接选人" },
    { "返回", "就这样" },
};

static void viewers_draw(struct screen *s, struct ui *ui)
{
    struct viewers *v = (struct viewers *)s;
    SDL_Rect safe = theme_safe_rect();
    ui_draw_header_title(ui, "谁在看？");
    SDL_Rect lead = { safe.x, LEAD_Y, safe.w, 64 };
    ui_text_in(ui, "选出正在看电视的人，可以选几位。签到、答题都记在他们名下", &lead,
               THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT), UI_LEFT);
    ui_poster_grid_draw(ui, &v->grid, v->caption_ptrs, NULL, v->part == PART_GRID,
                        "viewers.members");
    for (int i = 0; i < v->n; i++) {
        SDL_Rect pic = ui_poster_picture_rect(&v->grid, i);
        if (v->pics[i].key[0]) {
            char name[32];
            snprintf(name, sizeof(name), "viewers.photo.%d", i + 1);
            picture_draw(&v->pics[i], ui, name);
        } else {
            draw_card(v, ui, i, &pic);
        }
        if (v->marked[i])
            draw_mark(ui, &pic);
    }
    ui_button_row_draw(ui, &v->buttons, v->part == PART_BUTTONS, "viewers.buttons");
    ui_draw_hint_bar(ui, hints, 4);
}

static const char *viewers_focus_name(const struct screen *s)
{
    struct viewers *v = (struct viewers *)s;
    if (v->part == PART_BUTTONS)
        snprintf(v->focus_name, sizeof(v->focus_name), "viewers.%s",
                 v->buttons.focus == 0 ? "done" : "everyone");
    else
        snprintf(v->focus_name, sizeof(v->focus_name), "viewers.member.%d", v->grid.focus + 1);
    return v->focus_name;
}

static void viewers_dump(const struct screen *s, cJSON *state)
{
    const struct viewers *v = (const struct viewers *)s;
    cJSON *ids = cJSON_AddArrayToObject(state, "marked");
    for (int i = 0; ids && i < v->n; i++) {
        if (v->marked[i])
            cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)v->hh->members[i].id));
    }
    cJSON *pics = cJSON_AddArrayToObject(state, "photos");
    for (int i = 0; pics && i < v->n; i++)
        cJSON_AddItemToArray(pics, cJSON_CreateString(picture_state(&v->pics[i])));
}

static void viewers_destroy(struct screen *s)
{
    struct viewers *v = (struct viewers *)s;
    for (int i = 0; i < v->n; i++)
        picture_fini(&v->pics[i]);
    free(v);
}

static const struct screen_ops viewers_ops = {
    .destroy = viewers_destroy,
    .on_action = viewers_action,
    .on_net = viewers_on_net,
    .tick = viewers_tick,
    .draw = viewers_draw,
    .focus_name = viewers_focus_name,
    .dump_state = viewers_dump,
};

struct screen *viewers_screen_create(struct app_services *svc)
{
    if (!svc->household || svc->household->n == 0)
        return NULL;
    struct viewers *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    screen_init(&v->base, &viewers_ops, svc, "viewers");
    v->base.loading = 0;
    v->hh = svc->household;
    v->n = v->hh->n < UI_POSTERS_MAX ? v->hh->n : UI_POSTERS_MAX;
    int cols = v->n < MAX_COLS ? v->n : MAX_COLS;
    if (v->n > 2 * MAX_COLS)
        cols = (v->n + 2) / 3; /* three rows at most on the screen */
    SDL_Rect safe = theme_safe_rect();
    int w = cols * 340 + (cols - 1) * LAYOUT_GAP;
    if (w > safe.w)
        w = safe.w;
    SDL_Rect area = { safe.x, GRID_Y, w, GRID_H };
    ui_poster_grid_init(&v->grid, v->n, cols, area);
    SDL_Rect row = { safe.x, BUTTONS_Y, 2 * 440 + LAYOUT_GAP, LAYOUT_BUTTON_H };
    ui_button_row_init(&v->buttons, button_labels, 2, row, 0);
    for (int i = 0; i < v->n; i++) {
        const struct household_member *m = &v->hh->members[i];
        v->marked[i] = v->hh->chosen && m->viewing;
        first_char(m->name, v->initials[i], sizeof(v->initials[i]));
        update_caption(v, i);
        if (m->photo[0])
            picture_start(&v->pics[i], &v->base.own, m->photo,
                          ui_poster_picture_rect(&v->grid, i));
    }
    log_info("asking who is watching (%d members)", v->n);
    return &v->base;
}
