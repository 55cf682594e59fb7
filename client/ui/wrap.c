#include "ui/wrap.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { LOOKAHEAD = 256 }; /* characters measured at most for one line */

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void init_tables(void)
{
    init_linebreak(); /* libunibreak's index of the Unicode line-breaking classes */
}

static int width_of(struct ui *ui, const char *s, size_t len, int px, enum font_style style)
{
    char buf[LOOKAHEAD * 4 + 1];
    if (len >= sizeof(buf))
        len = sizeof(buf) - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return ui_text_width(ui, buf, px, style);
}

static int breakable(char b)
{
    return b == LINEBREAK_ALLOWBREAK || b == LINEBREAK_MUSTBREAK;
}

/* Bytes of the line starting at s (up to, not including, '\n' or the end) that fit max_w,
 * ending where UAX #14 allows a break (brks: libunibreak's answer for each byte of s). */
static size_t fit_line(struct ui *ui, const char *s, const char *brks, int px,
                       enum font_style style, int max_w)
{
    size_t ends[LOOKAHEAD + 1]; /* ends[k]: byte length of the first k characters */
    int n = 0;
    size_t i = 0;
    ends[0] = 0;
    while (n < LOOKAHEAD && s[i] && s[i] != '\n') {
        utf8_next(s, &i);
        ends[++n] = i;
    }
    if (n == 0)
        return 0;
    if (width_of(ui, s, ends[n], px, style) <= max_w && (s[ends[n]] == '\0' ||
                                                          s[ends[n]] == '\n'))
        return ends[n];
    /* The most characters that fit: binary search on the prefix width. */
    int lo = 1, hi = n; /* at least one character per line, whatever its width */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (width_of(ui, s, ends[mid], px, style) <= max_w)
            lo = mid;
        else
            hi = mid - 1;
    }
    if (lo == n)
        return ends[n];
    /* The last break opportunity within: closing punctuation stays with the character
     * before it, a Latin word or a number stays whole. */
    for (int k = lo; k > 0; k--) {
        if (breakable(brks[ends[k] - 1]))
            return ends[k];
    }
    /* None: a word wider than the line. A closing mark right after it hangs over the edge
     * (it may not start a line); else cut where it fits. */
    if (breakable(brks[ends[lo + 1] - 1]) || (lo + 1 == n && !s[ends[n]]) ||
        (lo + 1 == n && s[ends[n]] == '\n'))
        return ends[lo + 1];
    return ends[lo];
}

int ui_wrap(struct ui *ui, const char *s, int px, enum font_style style, int max_w,
            struct ui_line *lines, int max_lines)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    char *brks = malloc(len + 1);
    if (!brks)
        return 0;
    pthread_once(&tables_once, init_tables);
    set_linebreaks_utf8((const utf8_t *)s, len, "zh", brks);
    int count = 0;
    size_t pos = 0;
    for (;;) {
        size_t n = fit_line(ui, s + pos, brks + pos, px, style, max_w);
        if (count < max_lines && lines) {
            lines[count].start = pos;
            lines[count].len = n;
        }
        count++;
        pos += n;
        if (s[pos] == '\n')
            pos++; /* an empty line after '\n' is kept: paragraphs */
        else if (s[pos] == '\0')
            break;
        if (s[pos] == '\0')
            break;
    }
    free(brks);
    return count;
}
