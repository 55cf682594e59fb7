/* Word wrap for Chinese text: lines break at '\n' and else before the first character that
 * would not fit (CJK has no spaces; a run of Latin letters or digits is kept whole when it
 * fits on a line of its own). Closing punctuation never starts a line: it stays on the line
 * before, a little over the width if need be (the usual Chinese line-breaking rule). */
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
