#include "ui/image_view.h"

#include <stdio.h>

#include "ui/theme.h"

SDL_Rect ui_image_fit(const SDL_Rect *box, int w, int h)
{
    if (w <= 0 || h <= 0 || box->w <= 0 || box->h <= 0)
        return *box;
    SDL_Rect r;
    /* Compare w/h with box->w/box->h without rounding: whichever side binds first. */
    if ((long long)w * box->h >= (long long)h * box->w) {
        r.w = box->w;
        r.h = (int)((long long)h * box->w / w);
    } else {
        r.h = box->h;
        r.w = (int)((long long)w * box->h / h);
    }
    if (r.w < 1)
        r.w = 1;
    if (r.h < 1)
        r.h = 1;
    r.x = box->x + (box->w - r.w) / 2;
    r.y = box->y + (box->h - r.h) / 2;
    return r;
}

/* A card in the picture's place with one line that says why there is no picture. */
static void placeholder(struct ui *ui, const SDL_Rect *box, const char *text)
{
    ui_fill_round(ui, box, THEME_RADIUS, theme_color(COL_TILE));
    SDL_Rect line = { box->x + 16, box->y, box->w - 32, box->h };
    int px = ui_fit_px(ui, text, line.w, THEME_PX_BODY, THEME_PX_SMALL, FONT_REGULAR);
    ui_text_in(ui, text, &line, px, FONT_REGULAR, theme_color(COL_TILE_TEXT), UI_CENTER);
}

enum image_state ui_image_draw(struct ui *ui, struct image_loader *l, const char *key,
                               const SDL_Rect *box, int waiting, const char *name)
{
    int w = 0, h = 0;
    enum image_state st = key ? image_loader_state(l, key) : IMAGE_NONE;
    SDL_Texture *tex = st == IMAGE_READY ? image_loader_get(l, key, &w, &h) : NULL;
    if (tex) {
        SDL_Rect at = ui_image_fit(box, w, h);
        SDL_RenderCopy(ui->r, tex, NULL, &at);
    } else if (st == IMAGE_FAILED || (!key && !waiting)) {
        placeholder(ui, box, "图片打不开");
    } else {
        if (st == IMAGE_NONE && waiting)
            st = IMAGE_DECODING; /* still on its way: for the member it is all "loading" */
        placeholder(ui, box, "图片加载中…");
    }
    char state[64];
    snprintf(state, sizeof(state), "%s %dx%d", image_state_name(st), w, h);
    widget_log_add(&ui->widgets, "image", name, box, 0, state);
    return st;
}
