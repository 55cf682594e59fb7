/* Every text colour on every background it is drawn on reaches WCAG 7:1; sizes stay large. */
#include "ui/theme.h"
#include "../check.h"

#include <math.h>

static SDL_Color hex(unsigned v)
{
    SDL_Color c = { (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, 255 };
    return c;
}

static void test_contrast_formula_matches_wcag(void)
{
    CHECK(fabs(theme_contrast(hex(0xffffff), hex(0x000000)) - 21.0) < 1e-9);
    CHECK(fabs(theme_contrast(hex(0x777777), hex(0x777777)) - 1.0) < 1e-9);
    /* Symmetric; white on party red #8b0000 is about 10:1. */
    double a = theme_contrast(hex(0xffffff), hex(0x8b0000));
    CHECK(fabs(a - theme_contrast(hex(0x8b0000), hex(0xffffff))) < 1e-12);
    CHECK(a > 9.9 && a < 10.1);
    /* A known WCAG reference pair: #767676 on white is the 4.5:1 threshold (4.54). */
    double grey = theme_contrast(hex(0x767676), hex(0xffffff));
    CHECK(grey > 4.5 && grey < 4.6);
}

static void test_every_text_pair_reaches_7_to_1(void)
{
    int n = 0;
    const struct theme_pair *pairs = theme_text_pairs(&n);
    CHECK(n >= 10);
    for (int i = 0; i < n; i++) {
        double c = theme_contrast(theme_color(pairs[i].fg), theme_color(pairs[i].bg));
        if (c < 7.0)
            printf("# %s on %s: %.2f:1\n", theme_color_name(pairs[i].fg),
                   theme_color_name(pairs[i].bg), c);
        CHECK(c >= 7.0);
        /* Text and backgrounds are opaque, so the ratio is what the eye gets. */
        CHECK_EQ_INT(theme_color(pairs[i].fg).a, 255);
        CHECK_EQ_INT(theme_color(pairs[i].bg).a, 255);
    }
}

static void test_every_colour_has_a_name(void)
{
    for (int c = 0; c < COL_COUNT; c++) {
        const char *name = theme_color_name((enum theme_color)c);
        CHECK(name && strcmp(name, "?") != 0);
    }
    CHECK_EQ_STR(theme_color_name(COL_COUNT), "?");
}

static void test_sizes_and_layout(void)
{
    CHECK(THEME_PX_SMALL >= 40);
    CHECK(THEME_PX_BODY >= 40);
    CHECK(THEME_PX_COUNT >= 40);
    CHECK(THEME_PX_TITLE >= 56);
    CHECK(THEME_PX_TILE >= 56);
    SDL_Rect safe = theme_safe_rect();
    CHECK_EQ_INT(safe.x, 96);  /* 5 % of 1920 */
    CHECK_EQ_INT(safe.y, 54);  /* 5 % of 1080 */
    CHECK_EQ_INT(safe.x + safe.w, 1824);
    CHECK_EQ_INT(safe.y + safe.h, 1026);
    /* The bands follow each other without overlap, inside the safe area. */
    CHECK(THEME_HEADER_Y >= safe.y);
    CHECK(THEME_HEADER_Y + THEME_HEADER_H <= THEME_LIVE_Y);
    CHECK(THEME_LIVE_Y + THEME_LIVE_H <= THEME_CONTENT_Y);
    CHECK(THEME_CONTENT_Y + THEME_CONTENT_H <= THEME_HINT_Y);
    CHECK(THEME_HINT_Y + THEME_HINT_TEXT_H <= safe.y + safe.h);
}

int main(void)
{
    RUN(test_contrast_formula_matches_wcag);
    RUN(test_every_text_pair_reaches_7_to_1);
    RUN(test_every_colour_has_a_name);
    RUN(test_sizes_and_layout);
    return CHECK_DONE();
}
