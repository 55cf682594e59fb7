/* A table for figures (a village's accounts): a red header row with white bold titles, body
 * rows alternating two dark shades, and an optional totals row on the light panel colour.
 * Every text colour is one of theme.h's 7:1 pairs. Cells are cut with "…" when too wide. */
#ifndef DJTV_TABLE_H
#define DJTV_TABLE_H

#include "ui/ui.h"

struct ui_table_col {
    const char *title;   /* borrowed */
    int weight;          /* share of the width */
    enum ui_align align; /* money right-aligned, so the digits line up */
};

struct ui_table {
    int x, y, w;                    /* top-left corner and width; rows stack downwards */
    int row_h;
    const struct ui_table_col *cols; /* borrowed, n_cols */
    int n_cols;
    const char *const *cells;        /* borrowed, n_rows * n_cols, row by row */
    int n_rows;
    int last_is_total;               /* the last row is a totals row */
};

/* Height of the header and n rows. */
int ui_table_height(int row_h, int n_rows);
void ui_draw_table(struct ui *ui, const struct ui_table *t);

#endif
