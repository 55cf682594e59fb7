/* The drawing context every screen draws through: renderer, font, text cache and the frame
 * recorder. All coordinates are on the 1920x1080 logical canvas. Every filled shape and
 * every text goes into the recorder, so the UI dump sees exactly what was drawn. */
#ifndef DJTV_UI_H
#define DJTV_UI_H

#include <SDL.h>
#include <stddef.h>

#include "ui/font.h"
#include "ui/recorder.h"
#include "ui/textcache.h"
#include "ui/widget_log.h"

enum { UI_CORNER_SLOTS = 8 };

struct ui {
    SDL_Renderer *r;          /* borrowed */
    struct fonts *fonts;      /* owned */
    struct text_cache *texts; /* owned */
    struct recorder rec;      /* the frame being drawn / last drawn */
    struct widget_log widgets; /* the widgets of that frame, for the UI dump */
    SDL_Texture *corner[UI_CORNER_SLOTS]; /* owned: anti-aliased quarter discs */
    int corner_radius[UI_CORNER_SLOTS];
    int next_corner;
    int arrows_ok; /* the font has ◀▶▲▼ */
};

enum ui_align { UI_LEFT, UI_CENTER, UI_RIGHT };

/* font_index -1: automatic (see fonts_open). Returns NULL with a reason in err. */
struct ui *ui_create(SDL_Renderer *r, const char *font_path, int font_index, char *err,
                     size_t errlen);
void ui_destroy(struct ui *ui);

/* The renderer lost its textures (SDL_RENDER_DEVICE_RESET): forget every cached one. */
void ui_drop_textures(struct ui *ui);

void ui_begin_frame(struct ui *ui, SDL_Color clear);
void ui_end_frame(struct ui *ui);

void ui_fill_rect(struct ui *ui, const SDL_Rect *r, SDL_Color c);
/* Filled rectangle with anti-aliased round corners (radius clamped to fit). */
void ui_fill_round(struct ui *ui, const SDL_Rect *r, int radius, SDL_Color c);
/* A translucent veil over the whole canvas, for a panel the caller then fills opaque at
 * `panel` with corners of `radius`: the same pixels as veiling everything, but the panel's
 * inside is not blended for nothing. Recorded as covering the whole canvas. */
void ui_veil_around(struct ui *ui, SDL_Color c, const SDL_Rect *panel, int radius);

/* Text with its top-left at (x, y). Returns the drawn width. */
int ui_text(struct ui *ui, const char *s, int x, int y, int px, enum font_style style,
            SDL_Color fg);
/* Text aligned in box (centred vertically), cut with "…" if wider than the box. Returns
 * the drawn width. */
int ui_text_in(struct ui *ui, const char *s, const SDL_Rect *box, int px, enum font_style style,
               SDL_Color fg, enum ui_align align);
int ui_text_width(struct ui *ui, const char *s, int px, enum font_style style);
/* The largest size from px_max down to px_min (steps of 4 px) at which s fits max_w; px_min
 * when none does (ui_text_in then cuts it). */
int ui_fit_px(struct ui *ui, const char *s, int max_w, int px_max, int px_min,
              enum font_style style);
int ui_line_height(struct ui *ui, int px);

/* A rect scaled by `permille` / 1000 about its centre. */
SDL_Rect ui_scale_rect(const SDL_Rect *r, int permille);

#endif
