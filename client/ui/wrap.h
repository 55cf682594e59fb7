/* Line wrap for Chinese and mixed text: lines break at '\n' and else at the last place the
 * Unicode line-breaking rules (UAX #14, through libunibreak) allow that still fits: between
 * ideographs, never before closing punctuation or after opening punctuation, not inside a
 * Latin word or a number. A word wider than the whole line is cut where it fits. */
#ifndef DJTV_WRAP_H
#define DJTV_WRAP_H

#include "ui/ui.h"

struct ui_line {
    size_t start; /* byte offset into the text */
    size_t len;   /* bytes, without the '\n' */
};

/* Fills up to max_lines entries of lines (may be NULL with max_lines 0 to count) and returns
 * how many lines the whole text takes. */
int ui_wrap(struct ui *ui, const char *s, int px, enum font_style style, int max_w,
            struct ui_line *lines, int max_lines);

#endif
