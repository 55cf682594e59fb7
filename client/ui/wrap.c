#include "ui/wrap.h"

#include <string.h>

#include "ui/utf8.h"

enum { LOOKAHEAD = 256 }; /* characters measured at most for one line */

/* Closing punctuation that must not start a line. */
static int no_line_start(uint32_t cp)
{
    static const uint32_t set[] = { 0xff0c, 0x3002, 0x3001, 0xff09, 0x300d, 0x300f, 0xff01,
                                    0xff1f, 0xff1b, 0xff1a, 0x2026, 0x201d, 0x2019, 0x300b,
                                    0x3009, 0xff0e, ',', '.', ')', ';', ':', '!', '?', '%' };
    for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++) {
        if (set[i] == cp)
            return 1;
    }
    return 0;
}

static int is_word_char(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
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

/* Bytes of the line starting at s (up to, not including, '\n' or the end) that fit max_w. */
static size_t fit_line(struct ui *ui, const char *s, int px, enum font_style style, int max_w)
{
    size_t ends[LOOKAHEAD + 1]; /* ends[k]: byte length of the first k characters */
    uint32_t cps[LOOKAHEAD + 1];
    int n = 0;
    size_t i = 0;
    ends[0] = 0;
    while (n < LOOKAHEAD && s[i] && s[i] != '\n') {
        cps[n] = utf8_next(s, &i);
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
    int k = lo;
    if (k < n) {
        /* Keep a Latin word or a number whole if it can move to the next line. */
        int w = k;
        while (w > 0 && is_word_char(cps[w - 1]) && is_word_char(cps[w]))
            w--;
        if (w > 0 && w < k)
            k = w;
        /* Closing punctuation joins the line before. */
        while (k < n && no_line_start(cps[k]))
            k++;
    }
    return ends[k];
}

int ui_wrap(struct ui *ui, const char *s, int px, enum font_style style, int max_w,
            struct ui_line *lines, int max_lines)
{
    int count = 0;
    size_t pos = 0;
    if (!s)
        return 0;
    for (;;) {
        size_t len = fit_line(ui, s + pos, px, style, max_w);
        if (count < max_lines && lines) {
            lines[count].start = pos;
            lines[count].len = len;
        }
        count++;
        pos += len;
        if (s[pos] == '\n')
            pos++; /* an empty line after '\n' is kept: paragraphs */
        else if (s[pos] == '\0')
            break;
        if (s[pos] == '\0')
            break;
    }
    return count;
}
