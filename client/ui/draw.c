#define LOG_TAG "ui"
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "ui/theme.h"

struct ui *ui_create(SDL_Renderer *r, const char *font_path, int font_index, char *err,
                     size_t errlen)
{
    struct ui *ui = calloc(1, sizeof(*ui));
    if (!ui) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ui->r = r;
    recorder_init(&ui->rec);
    ui->fonts = fonts_open(font_path, font_index, err, errlen);
    if (!ui->fonts)
        goto fail;
    ui->texts = text_cache_create(r, ui->fonts, 0);
    if (!ui->texts) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    ui->arrows_ok = fonts_has_glyphs(ui->fonts, "◀▶▲▼");
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return ui;
fail:
    ui_destroy(ui);
    return NULL;
}

void ui_drop_textures(struct ui *ui)
{
    for (int i = 0; i < UI_CORNER_SLOTS; i++) {
        if (ui->corner[i])
            SDL_DestroyTexture(ui->corner[i]);
        ui->corner[i] = NULL;
        ui->corner_radius[i] = 0;
    }
    if (ui->texts)
        text_cache_clear(ui->texts);
}

void ui_destroy(struct ui *ui)
{
    if (!ui)
        return;
    ui_drop_textures(ui);
    text_cache_destroy(ui->texts);
    fonts_destroy(ui->fonts);
    recorder_fini(&ui->rec);
    free(ui);
}

void ui_begin_frame(struct ui *ui, SDL_Color clear)
{
    recorder_begin(&ui->rec, clear);
    widget_log_clear(&ui->widgets);
    SDL_SetRenderDrawColor(ui->r, clear.r, clear.g, clear.b, 255);
    SDL_RenderClear(ui->r);
}

void ui_end_frame(struct ui *ui)
{
    recorder_finish(&ui->rec);
}

/* Opaque colours are written, not blended: the software renderer blends a fill pixel by
 * pixel even at alpha 255, ~20x slower than its plain fill (11.5 vs 0.5 ms for 1920x1080),
 * and tiles, panels and bars cover most of every frame. */
static void raw_fill(struct ui *ui, const SDL_Rect *r, SDL_Color c)
{
    if (r->w <= 0 || r->h <= 0)
        return;
    SDL_SetRenderDrawBlendMode(ui->r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(ui->r, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(ui->r, r);
}

void ui_fill_rect(struct ui *ui, const SDL_Rect *r, SDL_Color c)
{
    raw_fill(ui, r, c);
    recorder_rect(&ui->rec, r, c);
}

/* A white quarter disc of `radius`, its centre at the texture's bottom-right corner,
 * alpha = coverage from 4x4 supersampling. */
static SDL_Texture *make_corner(SDL_Renderer *r, int radius)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, radius, radius, 32,
                                                    SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    const double rr = (double)radius * radius;
    for (int y = 0; y < radius; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)s->pixels + y * s->pitch);
        for (int x = 0; x < radius; x++) {
            int inside = 0;
            for (int sy = 0; sy < 4; sy++) {
                for (int sx = 0; sx < 4; sx++) {
                    double dx = radius - (x + (sx + 0.5) / 4.0);
                    double dy = radius - (y + (sy + 0.5) / 4.0);
                    inside += dx * dx + dy * dy <= rr;
                }
            }
            Uint32 a = (Uint32)(inside * 255 / 16);
            row[x] = (a << 24) | 0x00ffffffu;
        }
    }
    SDL_Texture *t = SDL_CreateTextureFromSurface(r, s);
    SDL_FreeSurface(s);
    if (t)
        SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    return t;
}

static SDL_Texture *corner_for(struct ui *ui, int radius)
{
    for (int i = 0; i < UI_CORNER_SLOTS; i++) {
        if (ui->corner[i] && ui->corner_radius[i] == radius)
            return ui->corner[i];
    }
    SDL_Texture *t = make_corner(ui->r, radius);
    if (!t) {
        log_warn("cannot make corner texture: %s", SDL_GetError());
        return NULL;
    }
    int slot = ui->next_corner;
    ui->next_corner = (ui->next_corner + 1) % UI_CORNER_SLOTS;
    if (ui->corner[slot])
        SDL_DestroyTexture(ui->corner[slot]);
    ui->corner[slot] = t;
    ui->corner_radius[slot] = radius;
    return t;
}

void ui_fill_round(struct ui *ui, const SDL_Rect *r, int radius, SDL_Color c)
{
    if (r->w <= 0 || r->h <= 0)
        return;
    if (radius > r->w / 2)
        radius = r->w / 2;
    if (radius > r->h / 2)
        radius = r->h / 2;
    SDL_Texture *corner = radius > 1 ? corner_for(ui, radius) : NULL;
    if (!corner) {
        ui_fill_rect(ui, r, c);
        return;
    }
    SDL_Rect mid = { r->x + radius, r->y, r->w - 2 * radius, r->h };
    SDL_Rect left = { r->x, r->y + radius, radius, r->h - 2 * radius };
    SDL_Rect right = { r->x + r->w - radius, r->y + radius, radius, r->h - 2 * radius };
    raw_fill(ui, &mid, c);
    raw_fill(ui, &left, c);
    raw_fill(ui, &right, c);
    SDL_SetTextureColorMod(corner, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(corner, c.a);
    const struct {
        int x, y;
        SDL_RendererFlip flip;
    } pieces[4] = {
        { r->x, r->y, SDL_FLIP_NONE },
        { r->x + r->w - radius, r->y, SDL_FLIP_HORIZONTAL },
        { r->x, r->y + r->h - radius, SDL_FLIP_VERTICAL },
        { r->x + r->w - radius, r->y + r->h - radius,
          (SDL_RendererFlip)(SDL_FLIP_HORIZONTAL | SDL_FLIP_VERTICAL) },
    };
    for (int i = 0; i < 4; i++) {
        SDL_Rect dst = { pieces[i].x, pieces[i].y, radius, radius };
        SDL_RenderCopyEx(ui->r, corner, NULL, &dst, 0.0, NULL, pieces[i].flip);
    }
    /* The recorder sees the bounding box: text centres never sit in the corners. */
    recorder_rect(&ui->rec, r, c);
}

void ui_veil_around(struct ui *ui, SDL_Color c, const SDL_Rect *panel, int radius)
{
    const SDL_Rect all = { 0, 0, THEME_W, THEME_H };
    SDL_Rect p;
    if (!SDL_IntersectRect(panel, &all, &p)) {
        ui_fill_rect(ui, &all, c);
        return;
    }
    /* A translucent fill is blended pixel by pixel (~5 ms for the whole canvas with the
     * software renderer); the panel hides most of it. Its round corners show what is under
     * them, so the corner squares are veiled too (radius clamped as ui_fill_round does). */
    if (radius > p.w / 2)
        radius = p.w / 2;
    if (radius > p.h / 2)
        radius = p.h / 2;
    if (radius < 0)
        radius = 0;
    int right = p.x + p.w, bottom = p.y + p.h;
    const SDL_Rect pieces[] = {
        { 0, 0, THEME_W, p.y },
        { 0, bottom, THEME_W, THEME_H - bottom },
        { 0, p.y, p.x, p.h },
        { right, p.y, THEME_W - right, p.h },
        { p.x, p.y, radius, radius },
        { right - radius, p.y, radius, radius },
        { p.x, bottom - radius, radius, radius },
        { right - radius, bottom - radius, radius, radius },
    };
    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
        raw_fill(ui, &pieces[i], c);
    recorder_rect(&ui->rec, &all, c);
}

int ui_text(struct ui *ui, const char *s, int x, int y, int px, enum font_style style,
            SDL_Color fg)
{
    struct text_tex t;
    if (text_cache_get(ui->texts, s, px, style, fg, &t) < 0)
        return 0;
    SDL_Rect dst = { x, y, t.w, t.h };
    if (t.tex)
        SDL_RenderCopy(ui->r, t.tex, NULL, &dst);
    recorder_text(&ui->rec, s, &dst, px, fg);
    recorder_text_missing(&ui->rec, t.missing);
    return t.w;
}

int ui_text_in(struct ui *ui, const char *s, const SDL_Rect *box, int px, enum font_style style,
               SDL_Color fg, enum ui_align align)
{
    char fitted[1024];
    fonts_fit(ui->fonts, s, px, style, box->w, fitted, sizeof(fitted));
    struct text_tex t;
    if (text_cache_get(ui->texts, fitted, px, style, fg, &t) < 0)
        return 0;
    int x = box->x;
    if (align == UI_CENTER)
        x = box->x + (box->w - t.w) / 2;
    else if (align == UI_RIGHT)
        x = box->x + box->w - t.w;
    int y = box->y + (box->h - t.h) / 2;
    return ui_text(ui, fitted, x, y, px, style, fg);
}

int ui_text_width(struct ui *ui, const char *s, int px, enum font_style style)
{
    int w = 0, h = 0;
    if (fonts_measure(ui->fonts, s, px, style, &w, &h) < 0)
        return 0;
    return w;
}

int ui_fit_px(struct ui *ui, const char *s, int max_w, int px_max, int px_min,
              enum font_style style)
{
    for (int px = px_max; px > px_min; px -= 4) {
        if (ui_text_width(ui, s, px, style) <= max_w)
            return px;
    }
    return px_min;
}

int ui_line_height(struct ui *ui, int px)
{
    TTF_Font *f = fonts_get(ui->fonts, px, FONT_REGULAR);
    return f ? TTF_FontHeight(f) : px;
}

SDL_Rect ui_scale_rect(const SDL_Rect *r, int permille)
{
    int w = r->w * permille / 1000, h = r->h * permille / 1000;
    SDL_Rect out = { r->x - (w - r->w) / 2, r->y - (h - r->h) / 2, w, h };
    return out;
}
