#include "ui/table.h"

#include "ui/theme.h"

enum { CELL_PAD = 20, COLS_MAX = 16 };

int ui_table_height(int row_h, int n_rows)
{
    return row_h * (n_rows + 1);
}

/* Column x positions from the weights; the last column takes what rounding leaves. */
static void layout(const struct ui_table *t, int xs[COLS_MAX + 1])
{
    int total = 0;
    for (int c = 0; c < t->n_cols; c++)
        total += t->cols[c].weight > 0 ? t->cols[c].weight : 1;
    int x = t->x;
    for (int c = 0; c < t->n_cols; c++) {
        xs[c] = x;
        x += t->w * (t->cols[c].weight > 0 ? t->cols[c].weight : 1) / total;
    }
    xs[t->n_cols] = t->x + t->w;
}

static void draw_cells(struct ui *ui, const struct ui_table *t, const int *xs, int y,
                       const char *const *texts, int px, enum font_style style, SDL_Color fg)
{
    for (int c = 0; c < t->n_cols; c++) {
        const char *s = texts[c] ? texts[c] : "";
        SDL_Rect box = { xs[c] + CELL_PAD, y, xs[c + 1] - xs[c] - 2 * CELL_PAD, t->row_h };
        ui_text_in(ui, s, &box, px, style, fg, t->cols[c].align);
    }
}

void ui_draw_table(struct ui *ui, const struct ui_table *t)
{
    if (t->n_cols <= 0 || t->n_cols > COLS_MAX)
        return;
    int xs[COLS_MAX + 1];
    layout(t, xs);
    const char *titles[COLS_MAX];
    for (int c = 0; c < t->n_cols; c++)
        titles[c] = t->cols[c].title;
    SDL_Rect head = { t->x, t->y, t->w, t->row_h };
    ui_fill_rect(ui, &head, theme_color(COL_TILE));
    draw_cells(ui, t, xs, t->y, titles, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TILE_TEXT));
    for (int r = 0; r < t->n_rows; r++) {
        int y = t->y + (r + 1) * t->row_h;
        SDL_Rect row = { t->x, y, t->w, t->row_h };
        int total = t->last_is_total && r == t->n_rows - 1;
        enum theme_color bg = total ? COL_PANEL : (r % 2 ? COL_HINT_BG : COL_BG);
        enum theme_color fg = total ? COL_PANEL_TEXT : (r % 2 ? COL_HINT_TEXT : COL_TEXT);
        ui_fill_rect(ui, &row, theme_color(bg));
        draw_cells(ui, t, xs, y, t->cells + (size_t)r * (size_t)t->n_cols, THEME_PX_BODY,
                   total ? FONT_BOLD : FONT_REGULAR, theme_color(fg));
    }
    /* Thin column rules in the header colour help the eye down a column of figures. */
    int bottom = t->y + ui_table_height(t->row_h, t->n_rows);
    for (int c = 1; c < t->n_cols; c++) {
        SDL_Rect rule = { xs[c] - 1, t->y + t->row_h, 2, bottom - t->y - t->row_h };
        ui_fill_rect(ui, &rule, theme_color(COL_TILE_EDGE));
    }
}
