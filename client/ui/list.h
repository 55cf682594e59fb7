/* A paged list of big rows for the catalogue (a section's items, a list of broadcasts):
 * one page is on screen at a time; UP/DOWN move the focus and step past the first or last
 * row onto the previous or next page; LEFT/RIGHT turn a whole page. The focused row is gold
 * with a thick white ring and a ▶ mark, so focus never depends on colour alone.
 * Drawing and key handling are separate, so the paging rules are tested without a window. */
#ifndef DJTV_LIST_H
#define DJTV_LIST_H

#include "input/action.h"
#include "ui/ui.h"

struct ui_list_row {
    const char *title; /* borrowed, big and bold */
    const char *meta;  /* borrowed, one line under it (kind · date · who); may be NULL */
    const char *tag;   /* borrowed, a short pill at the right ("直播中", "25 分钟"); may be NULL */
};

enum {
    UI_LIST_ROW_H = 140,
    UI_LIST_GAP = 16,
};

/* How many rows of UI_LIST_ROW_H fit in the height h (at least 1). */
int ui_list_rows_fit(int h);
/* Row i's rectangle in area. */
SDL_Rect ui_list_row_rect(const SDL_Rect *area, int i);

/* Rows top to bottom; `focused` (-1 = none) drawn last with its ring. */
void ui_list_draw(struct ui *ui, const SDL_Rect *area, const struct ui_list_row *rows, int n,
                  int focused);

/* "第 2/5 页", right-aligned in the header band. */
void ui_draw_page_indicator(struct ui *ui, int page, int pages);

enum ui_list_move {
    UI_LIST_IGNORED,   /* not a list key */
    UI_LIST_STAY,      /* a list key with nothing to do (the top of page 1) */
    UI_LIST_MOVED,     /* *focus changed on this page */
    UI_LIST_PREV_PAGE, /* load page - 1; *focus is the row to focus there (-1: the last) */
    UI_LIST_NEXT_PAGE, /* load page + 1; *focus is the row to focus there */
};

/* The paging rules: focus on row *focus of n rows on page `page` of `pages` (1-based). */
enum ui_list_move ui_list_nav(enum action a, int *focus, int n, int page, int pages);

#endif
