#include "ui/osd.h"

#include "ui/theme.h"

void osd_bar(struct ui *ui, int y, int h)
{
    SDL_Rect r = { 0, y, THEME_W, h };
    ui_fill_rect(ui, &r, theme_color(COL_OSD_BG));
}

void osd_progress(struct ui *ui, const SDL_Rect *r, double fraction)
{
    if (!(fraction >= 0)) /* NaN too */
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    ui_fill_round(ui, r, r->h / 2, theme_color(COL_PROGRESS_TRACK));
    int w = (int)(r->w * fraction + 0.5);
    if (w > 0) {
        SDL_Rect done = { r->x, r->y, w, r->h };
        ui_fill_round(ui, &done, r->h / 2, theme_color(COL_PROGRESS_FILL));
    }
    /* The knob: a white ring around a gold disc, seen from across the room. */
    int k = r->h * 2 + 8;
    SDL_Rect ring = { r->x + w - k / 2, r->y + r->h / 2 - k / 2, k, k };
    ui_fill_round(ui, &ring, k / 2, theme_color(COL_OSD_TEXT));
    SDL_Rect knob = { ring.x + 6, ring.y + 6, k - 12, k - 12 };
    ui_fill_round(ui, &knob, (k - 12) / 2, theme_color(COL_PROGRESS_FILL));
}

int osd_pill_width(struct ui *ui, const char *text)
{
    return ui_text_width(ui, text, THEME_PX_SMALL, FONT_BOLD) + 48;
}

int osd_pill(struct ui *ui, const char *text, int x, int cy)
{
    const int h = 68;
    int w = osd_pill_width(ui, text);
    SDL_Rect pill = { x, cy - h / 2, w, h };
    ui_fill_round(ui, &pill, h / 2, theme_color(COL_LIVE_PILL));
    ui_text_in(ui, text, &pill, THEME_PX_SMALL, FONT_BOLD, theme_color(COL_LIVE_PILL_TEXT),
               UI_CENTER);
    return w;
}

void osd_status(struct ui *ui, const char *line1, const char *line2)
{
    int th = ui_line_height(ui, THEME_PX_TITLE), lh = ui_line_height(ui, THEME_PX_BODY);
    int w = ui_text_width(ui, line1, THEME_PX_TITLE, FONT_BOLD);
    if (line2) {
        int w2 = ui_text_width(ui, line2, THEME_PX_BODY, FONT_REGULAR);
        w = w2 > w ? w2 : w;
    }
    w += 160;
    if (w > THEME_W - 2 * THEME_SAFE_X)
        w = THEME_W - 2 * THEME_SAFE_X;
    int h = th + (line2 ? lh + 16 : 0) + 80;
    SDL_Rect r = { (THEME_W - w) / 2, (THEME_H - h) / 2, w, h };
    ui_fill_round(ui, &r, THEME_RADIUS, theme_color(COL_OSD_BG));
    SDL_Rect b1 = { r.x + 40, r.y + 40, r.w - 80, th };
    ui_text_in(ui, line1, &b1, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_OSD_TEXT), UI_CENTER);
    if (line2) {
        SDL_Rect b2 = { r.x + 40, b1.y + th + 16, r.w - 80, lh };
        ui_text_in(ui, line2, &b2, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_OSD_TEXT_SOFT),
                   UI_CENTER);
    }
}

void osd_rows_panel(struct ui *ui, const SDL_Rect *r, const char *title,
                    const struct osd_row *rows, int n)
{
    ui_fill_round(ui, r, THEME_RADIUS, theme_color(COL_OSD_BG));
    const int pad = 40, title_h = 80;
    SDL_Rect tb = { r->x + pad, r->y + 24, r->w - 2 * pad, title_h };
    ui_text_in(ui, title, &tb, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_OSD_TEXT), UI_LEFT);
    int y = tb.y + title_h + 8;
    int row_h = n > 0 ? (r->y + r->h - 24 - y) / n : 0;
    if (row_h > 64)
        row_h = 64;
    /* Labels in a fixed column so values line up. */
    int label_w = 0;
    for (int i = 0; i < n; i++) {
        int w = ui_text_width(ui, rows[i].label, THEME_PX_SMALL, FONT_REGULAR);
        label_w = w > label_w ? w : label_w;
    }
    label_w += 32;
    for (int i = 0; i < n; i++, y += row_h) {
        SDL_Rect lb = { r->x + pad, y, label_w, row_h };
        ui_text_in(ui, rows[i].label, &lb, THEME_PX_SMALL, FONT_REGULAR,
                   theme_color(COL_OSD_TEXT_SOFT), UI_LEFT);
        SDL_Rect vb = { lb.x + label_w, y, r->w - 2 * pad - label_w, row_h };
        ui_text_in(ui, rows[i].value, &vb, THEME_PX_SMALL, FONT_BOLD, theme_color(COL_OSD_TEXT),
                   UI_LEFT);
    }
}
