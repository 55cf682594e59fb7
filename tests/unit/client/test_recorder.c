/* The frame recorder behind --dump-ui: which colour a text sits on, which texts are hidden,
 * and the JSON it produces. */
#include "ui/recorder.h"
#include "../check.h"

#include <stdlib.h>

static SDL_Color rgba(unsigned v, Uint8 a)
{
    SDL_Color c = { (Uint8)(v >> 16), (Uint8)(v >> 8), (Uint8)v, a };
    return c;
}

static void rect(struct recorder *r, int x, int y, int w, int h, unsigned col, Uint8 a)
{
    SDL_Rect b = { x, y, w, h };
    recorder_rect(r, &b, rgba(col, a));
}

static void text(struct recorder *r, const char *s, int x, int y, int w, int h)
{
    SDL_Rect b = { x, y, w, h };
    recorder_text(r, s, &b, 40, rgba(0xffffff, 255));
}

static unsigned rgb(SDL_Color c)
{
    return ((unsigned)c.r << 16) | ((unsigned)c.g << 8) | c.b;
}

static void test_bg_is_the_topmost_rect_under_the_text(void)
{
    struct recorder r;
    recorder_init(&r);
    recorder_begin(&r, rgba(0x400808, 255));
    rect(&r, 0, 0, 1920, 1080, 0x111111, 255);  /* full-screen fill */
    rect(&r, 100, 100, 400, 200, 0x8b0000, 255); /* a tile */
    rect(&r, 120, 120, 100, 100, 0xffe6a8, 255); /* a badge on the tile */
    text(&r, "on badge", 130, 150, 80, 40);      /* centre (170,170): badge */
    text(&r, "on tile", 240, 150, 200, 40);      /* centre (340,170): tile */
    text(&r, "edge", 150, 280, 100, 60);         /* runs off the tile's bottom edge (300) */
    rect(&r, 1000, 0, 100, 100, 0x0000ff, 255);  /* a separate fill, drawn before its text */
    text(&r, "blue", 1010, 10, 80, 80);
    text(&r, "late", 1500, 500, 80, 80);
    rect(&r, 1490, 490, 100, 100, 0x00ff00, 255); /* covers "late" after it was drawn */
    recorder_finish(&r);
    CHECK_EQ_INT(r.n_texts, 5);
    CHECK_EQ_INT(rgb(r.texts[0].bg), 0xffe6a8);
    CHECK_EQ_INT(rgb(r.texts[1].bg), 0x8b0000);
    /* Half on the tile, half on the dark fill: white contrasts least with the tile, and a
     * reader checks against the worse of the two. */
    CHECK_EQ_INT(rgb(r.texts[2].bg), 0x8b0000);
    CHECK_EQ_INT(rgb(r.texts[3].bg), 0x0000ff);
    CHECK_EQ_INT(rgb(r.texts[4].bg), 0x111111); /* what it was drawn on, not what hid it */
    CHECK(r.texts[0].visible && r.texts[1].visible && r.texts[2].visible);
    CHECK(!r.texts[4].visible); /* hidden by the later opaque rect */
    recorder_fini(&r);
}

static void test_clear_colour_and_translucent_fills(void)
{
    struct recorder r;
    recorder_init(&r);
    recorder_begin(&r, rgba(0x400808, 255));
    text(&r, "bare", 0, 0, 100, 50);
    rect(&r, 0, 100, 200, 200, 0xffffff, 255);
    rect(&r, 0, 100, 200, 200, 0x000000, 0x80); /* 50 % black over white */
    text(&r, "dimmed", 50, 150, 100, 50);
    rect(&r, 500, 500, 100, 100, 0xff0000, 0); /* fully transparent: ignored */
    text(&r, "clear", 500, 500, 100, 100);
    rect(&r, 700, 700, 100, 100, 0x000000, 0x80); /* translucent over the clear colour */
    text(&r, "over clear", 700, 700, 100, 100);
    recorder_finish(&r);
    CHECK_EQ_INT(rgb(r.texts[0].bg), 0x400808);
    CHECK_EQ_INT(rgb(r.texts[1].bg), 0x7f7f7f);
    CHECK_EQ_INT(rgb(r.texts[2].bg), 0x400808);
    CHECK_EQ_INT(rgb(r.texts[3].bg), 0x200404);
    CHECK_EQ_INT(r.n_rects, 3);
    /* A translucent rect drawn later does not hide the text under it. */
    CHECK(r.texts[1].visible);
    recorder_fini(&r);
}

static void test_frames_start_fresh_and_search_visible_text(void)
{
    struct recorder r;
    recorder_init(&r);
    recorder_begin(&r, rgba(0, 255));
    text(&r, "连不上服务器，正在重试…", 0, 0, 100, 50);
    text(&r, "", 0, 100, 0, 50); /* empty text is never "visible" */
    recorder_finish(&r);
    CHECK(recorder_has_text(&r, "连不上"));
    CHECK(!recorder_has_text(&r, "党务公开"));
    CHECK_EQ_INT(r.texts[1].visible, 0);
    recorder_begin(&r, rgba(0, 255));
    text(&r, "党务公开", 0, 0, 100, 50);
    recorder_finish(&r);
    CHECK_EQ_INT(r.n_texts, 1);
    CHECK_EQ_INT(r.n_rects, 0);
    CHECK(!recorder_has_text(&r, "连不上"));
    CHECK(recorder_has_text(&r, "党务"));
    recorder_fini(&r);
}

static void test_json_has_the_contract_fields(void)
{
    struct recorder r;
    recorder_init(&r);
    recorder_begin(&r, rgba(0x400808, 255));
    rect(&r, 100, 280, 600, 200, 0x8b0000, 255);
    SDL_Rect box = { 120, 300, 224, 80 };
    recorder_text(&r, "党务公开", &box, 56, rgba(0xffffff, 255));
    rect(&r, 0, 0, 10, 10, 0, 255);
    text(&r, "hidden", 0, 0, 10, 10);
    rect(&r, 0, 0, 10, 10, 0xffffff, 255);
    recorder_finish(&r);
    cJSON *arr = recorder_texts_json(&r);
    char *s = cJSON_PrintUnformatted(arr);
    CHECK_EQ_STR(s, "[{\"text\":\"党务公开\",\"x\":120,\"y\":300,\"w\":224,\"h\":80,\"px\":56,"
                    "\"fg\":\"#ffffff\",\"bg\":\"#8b0000\"}]");
    free(s);
    cJSON_Delete(arr);
    char hex[8];
    recorder_hex(rgba(0x0a0b0c, 255), hex);
    CHECK_EQ_STR(hex, "#0a0b0c");
    recorder_fini(&r);
}

int main(void)
{
    RUN(test_bg_is_the_topmost_rect_under_the_text);
    RUN(test_clear_colour_and_translucent_fills);
    RUN(test_frames_start_fresh_and_search_visible_text);
    RUN(test_json_has_the_contract_fields);
    return CHECK_DONE();
}
