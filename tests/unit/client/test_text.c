/* The font and the text cache, on SDL's software renderer (no window, no video driver):
 * hit/miss counts, LRU eviction under the byte cap, ellipsis cuts, glyph coverage. */
#include "ui/font.h"
#include "ui/textcache.h"
#include "../check.h"
#include "font_rig.h"

static struct fonts *fonts;
static SDL_Renderer *renderer; /* borrowed from the rig */

static const SDL_Color white = { 255, 255, 255, 255 };
static const SDL_Color red = { 0x8b, 0, 0, 255 };

static void test_open_errors_are_clear(void)
{
    char err[256];
    CHECK(fonts_open("/nonexistent/font.otf", -1, err, sizeof(err)) == NULL);
    CHECK(strstr(err, "/nonexistent/font.otf") != NULL);
    CHECK(strstr(err, "cannot open font") != NULL);
}

static void test_same_text_is_rasterised_once(void)
{
    struct text_cache *tc = text_cache_create(renderer, fonts, 0);
    struct text_cache_stats st;
    struct text_tex t;
    static const char *const frame[] = { "党务公开", "党群直播", "党教园地", "今日南湖",
                                         "时代先锋", "党风评议", "14 条", "选择" };
    const int n = (int)(sizeof(frame) / sizeof(frame[0]));
    for (int f = 0; f < 5; f++) { /* five frames of the same screen */
        for (int i = 0; i < n; i++) {
            CHECK_EQ_INT(text_cache_get(tc, frame[i], 40, FONT_REGULAR, white, &t), 0);
            CHECK(t.tex != NULL && t.w > 0 && t.h > 0);
        }
    }
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.misses, n);
    CHECK_EQ_INT(st.hits, 4 * n);
    CHECK_EQ_INT(st.entries, n);
    CHECK_EQ_INT(st.evictions, 0);
    /* Any part of the key that differs is another texture. */
    CHECK_EQ_INT(text_cache_get(tc, "党务公开", 40, FONT_REGULAR, red, &t), 0);
    CHECK_EQ_INT(text_cache_get(tc, "党务公开", 56, FONT_REGULAR, white, &t), 0);
    CHECK_EQ_INT(text_cache_get(tc, "党务公开", 40, FONT_BOLD, white, &t), 0);
    CHECK_EQ_INT(text_cache_get(tc, "党务公", 40, FONT_REGULAR, white, &t), 0);
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.misses, n + 4);
    CHECK_EQ_INT(text_cache_get(tc, "党务公开", 56, FONT_REGULAR, white, &t), 0);
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.hits, 4 * n + 1);
    text_cache_destroy(tc);
}

static void test_lru_evicts_least_recently_used_under_the_cap(void)
{
    /* Measure one entry, then allow room for exactly two of that size. */
    struct text_cache *probe = text_cache_create(renderer, fonts, 0);
    struct text_tex t;
    struct text_cache_stats st;
    CHECK_EQ_INT(text_cache_get(probe, "甲", 40, FONT_REGULAR, white, &t), 0);
    text_cache_stats(probe, &st);
    size_t one = st.bytes;
    CHECK(one == (size_t)t.w * (size_t)t.h * 4);
    text_cache_destroy(probe);

    struct text_cache *tc = text_cache_create(renderer, fonts, 2 * one);
    CHECK_EQ_INT(text_cache_get(tc, "甲", 40, FONT_REGULAR, white, &t), 0); /* miss */
    CHECK_EQ_INT(text_cache_get(tc, "乙", 40, FONT_REGULAR, white, &t), 0); /* miss */
    CHECK_EQ_INT(text_cache_get(tc, "甲", 40, FONT_REGULAR, white, &t), 0); /* hit: 乙 is LRU */
    CHECK_EQ_INT(text_cache_get(tc, "丙", 40, FONT_REGULAR, white, &t), 0); /* miss, evicts 乙 */
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.misses, 3);
    CHECK_EQ_INT(st.hits, 1);
    CHECK_EQ_INT(st.evictions, 1);
    CHECK_EQ_INT(st.entries, 2);
    CHECK(st.bytes <= 2 * one);
    CHECK_EQ_INT(text_cache_get(tc, "甲", 40, FONT_REGULAR, white, &t), 0); /* still there */
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.hits, 2);
    CHECK_EQ_INT(text_cache_get(tc, "乙", 40, FONT_REGULAR, white, &t), 0); /* gone: miss */
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.misses, 4);
    /* An entry bigger than the whole cap is still served (and kept alone). */
    const char *huge = "一个比缓存上限还要大的很长的句子";
    CHECK_EQ_INT(text_cache_get(tc, huge, 72, FONT_REGULAR, white, &t), 0);
    CHECK(t.tex != NULL);
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.entries, 1);
    text_cache_clear(tc);
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.entries, 0);
    CHECK_EQ_INT(st.bytes, 0);
    text_cache_destroy(tc);
}

static void test_empty_text_has_height_but_no_texture(void)
{
    struct text_cache *tc = text_cache_create(renderer, fonts, 0);
    struct text_tex t;
    CHECK_EQ_INT(text_cache_get(tc, "", 40, FONT_REGULAR, white, &t), 0);
    CHECK(t.tex == NULL);
    CHECK_EQ_INT(t.w, 0);
    CHECK(t.h >= 40);
    CHECK(text_cache_get(tc, "x", 2, FONT_REGULAR, white, &t) < 0); /* absurd size: refused */
    text_cache_destroy(tc);
}

static void test_fit_cuts_with_an_ellipsis(void)
{
    char out[256];
    int w, h;
    CHECK_EQ_INT(fonts_fit(fonts, "王家", 40, FONT_REGULAR, 1000, out, sizeof(out)), 0);
    CHECK_EQ_STR(out, "王家");
    const char *longer = "王家：王建国、李秀兰、王小明、王小红、王大爷、王奶奶";
    CHECK_EQ_INT(fonts_fit(fonts, longer, 40, FONT_REGULAR, 400, out, sizeof(out)), 1);
    CHECK(strncmp(out, "王家：", strlen("王家：")) == 0);
    CHECK(strstr(out, "…") != NULL);
    CHECK_EQ_INT(fonts_measure(fonts, out, 40, FONT_REGULAR, &w, &h), 0);
    CHECK(w <= 400 && w > 300);
    /* Nothing fits: just the ellipsis, never a broken UTF-8 sequence. */
    CHECK_EQ_INT(fonts_fit(fonts, longer, 40, FONT_REGULAR, 5, out, sizeof(out)), 1);
    CHECK_EQ_STR(out, "…");
    /* A tiny output buffer is respected. */
    CHECK_EQ_INT(fonts_fit(fonts, longer, 40, FONT_REGULAR, 400, out, 8), 1);
    CHECK(strlen(out) < 8);
}

static void test_font_has_every_glyph_the_ui_draws(void)
{
    /* Key hints, punctuation and the fixed strings of the screens. A missing glyph would
     * draw as blank space without any error. */
    static const char *const strings[] = {
        "◀▶▲▼", "←→↑↓", "…", "·", "：", "、", "（）", "“”", "0123456789-OK",
        "选择", "打开", "直接打开", "返回", "上一页", "主页", "回首页", "马上重试",
        "党务公开", "党群直播", "党教园地", "今日南湖", "时代先锋", "党风评议",
        "通知、财务和党费公示", "视频会议和直播课", "学习课程和在线考试", "本地新闻和点播视频",
        "优秀党员和先进集体", "给干部和工作打分", "条", "智慧党建", "正在直播", "等场",
        "正在连接服务器…", "请稍等", "无法确认服务器身份（证书不受信任），正在重试…",
        "连不上服务器，正在重试…", "服务器没有回应，正在重试…", "网络出了问题，正在重试…",
        "这台机顶盒尚未登记，请联系村干部", "服务器出了问题，正在重试…",
        "收到的内容有误，正在重试…", "秒后自动重试", "正在重新连接…", "请稍后再看",
        "请联系村干部检查机顶盒的设置", "请看看网线和路由器是否接好", "网络可能很慢，请稍等",
        "登记好以后，这里会自动打开",
        "连不上服务器，显示的可能不是最新内容", "即将开放", "栏目正在准备中",
        "按“返回”键回到上一页",
    };
    font_rig_check_glyphs(fonts, strings, sizeof(strings) / sizeof(strings[0]));
    CHECK(!fonts_has_glyphs(fonts, "\xf0\x9f\x98\x80")); /* an emoji is not in the subset */
}

static void test_font_covers_names_beyond_gb2312(void)
{
    /* Common in given names, missing from GB2312; the whole ideographs block and
     * Extension A (U+3400, U+4DB5; U+9FEF) are in the shipped font itself. */
    static const char *const names[] = { "王喆", "李堃", "朱镕基", "珺昇玥赟犇垚彧",
                                         "\xe3\x90\x80\xe4\xb6\xb5", "\xe9\xbf\xaf" };
    font_rig_check_glyphs(fonts, names, sizeof(names) / sizeof(names[0]));
}

/* Draw t at the top left of a cleared canvas and copy the pixels out (owned by the caller). */
static Uint32 *pixels_of(SDL_Renderer *r, SDL_Surface *canvas, const struct text_tex *t)
{
    SDL_SetRenderDrawColor(r, 0x10, 0x30, 0x60, 255);
    SDL_RenderClear(r);
    SDL_Rect dst = { 0, 0, t->w, t->h };
    SDL_RenderCopy(r, t->tex, NULL, &dst);
    SDL_RenderPresent(r);
    size_t n = (size_t)canvas->pitch * (size_t)canvas->h;
    Uint32 *copy = malloc(n);
    if (copy)
        memcpy(copy, canvas->pixels, n);
    return copy;
}

static void test_worker_renders_the_same_pixels_off_the_ui_thread(void)
{
    SDL_Surface *canvas = SDL_CreateRGBSurfaceWithFormat(0, 900, 120, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = canvas ? SDL_CreateSoftwareRenderer(canvas) : NULL;
    CHECK(r != NULL);
    if (!r) {
        SDL_FreeSurface(canvas);
        return;
    }
    struct text_cache *here = text_cache_create(r, fonts, 0);
    struct text_cache *tc = text_cache_create(r, fonts, 0);
    CHECK_EQ_INT(text_cache_start_worker(tc, 0), 0);
    text_cache_hold(tc, 1);
    static const struct {
        const char *s;
        int px;
        enum font_style style;
        SDL_Color fg;
    } texts[] = {
        { "党务公开 第3期（2026年）", 40, FONT_REGULAR, { 255, 255, 255, 255 } },
        { "我的服务", 56, FONT_BOLD, { 0xff, 0xd7, 0x00, 255 } },
        { "按确定键签到", 48, FONT_REGULAR, { 255, 255, 255, 200 } },
    };
    enum { N = sizeof(texts) / sizeof(texts[0]) };
    struct text_tex t;
    for (int i = 0; i < N; i++) {
        struct text_tex sync;
        CHECK_EQ_INT(text_cache_get(here, texts[i].s, texts[i].px, texts[i].style, texts[i].fg,
                                    &sync), 0);
        CHECK_EQ_INT(text_cache_get(tc, texts[i].s, texts[i].px, texts[i].style, texts[i].fg,
                                    &t), 0);
        /* Not drawn yet, but already the size it will have: the frame's layout holds. */
        CHECK(t.pending && t.tex == NULL);
        CHECK_EQ_INT(t.w, sync.w);
        CHECK_EQ_INT(t.h, sync.h);
    }
    /* A character only a fallback face has: rendered here and now, never handed over. */
    CHECK_EQ_INT(text_cache_get(tc, "\xf0\xa0\xae\xb7祥云", 40, FONT_REGULAR, white, &t), 0);
    CHECK(!t.pending);
    CHECK_EQ_INT(text_cache_pending(tc), N);
    CHECK(text_cache_wait(tc, 10000));
    text_cache_collect(tc);
    CHECK_EQ_INT(text_cache_pending(tc), 0);
    struct text_cache_stats st;
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.handed, N);
    for (int i = 0; i < N; i++) {
        struct text_tex sync;
        text_cache_get(here, texts[i].s, texts[i].px, texts[i].style, texts[i].fg, &sync);
        CHECK_EQ_INT(text_cache_get(tc, texts[i].s, texts[i].px, texts[i].style, texts[i].fg,
                                    &t), 0);
        CHECK(!t.pending && t.tex != NULL);
        Uint32 *a = pixels_of(r, canvas, &sync), *b = pixels_of(r, canvas, &t);
        CHECK(a && b && memcmp(a, b, (size_t)canvas->pitch * (size_t)canvas->h) == 0);
        free(a);
        free(b);
    }
    text_cache_destroy(here);
    text_cache_destroy(tc);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(canvas);
}

static void test_a_frame_that_cannot_wait_renders_pending_texts_itself(void)
{
    struct text_cache *tc = text_cache_create(renderer, fonts, 0);
    CHECK_EQ_INT(text_cache_start_worker(tc, 0), 0);
    struct text_tex t;
    text_cache_hold(tc, 1);
    CHECK_EQ_INT(text_cache_get(tc, "村务公开", 40, FONT_REGULAR, white, &t), 0);
    CHECK_EQ_INT(text_cache_get(tc, "财务公开", 40, FONT_REGULAR, white, &t), 0);
    CHECK_EQ_INT(text_cache_get(tc, "学习园地", 40, FONT_REGULAR, white, &t), 0);
    CHECK(t.pending);
    text_cache_hold(tc, 0); /* e.g. over video, or the hold ran out */
    CHECK_EQ_INT(text_cache_get(tc, "村务公开", 40, FONT_REGULAR, white, &t), 0);
    CHECK(!t.pending && t.tex != NULL && t.w > 0);
    CHECK_EQ_INT(text_cache_get(tc, "党员风采", 40, FONT_REGULAR, white, &t), 0);
    CHECK(!t.pending && t.tex != NULL);
    text_cache_clear(tc); /* pending entries dropped too; their late surfaces are freed */
    CHECK_EQ_INT(text_cache_pending(tc), 0);
    CHECK(text_cache_wait(tc, 10000));
    text_cache_collect(tc);
    CHECK_EQ_INT(text_cache_pending(tc), 0);
    struct text_cache_stats st;
    text_cache_stats(tc, &st);
    CHECK_EQ_INT(st.entries, 0);
    CHECK_EQ_INT(st.bytes, 0);
    text_cache_destroy(tc);
}

int main(void)
{
    struct font_rig rig;
    if (font_rig_open(&rig) < 0)
        return 1;
    renderer = rig.renderer;
    char err[256];
    fonts = fonts_open(rig.font_path, -1, err, sizeof(err));
    if (!fonts) {
        printf("not ok - setup: %s\n", err);
        font_rig_close(&rig);
        return 1;
    }
    RUN(test_open_errors_are_clear);
    RUN(test_same_text_is_rasterised_once);
    RUN(test_lru_evicts_least_recently_used_under_the_cap);
    RUN(test_empty_text_has_height_but_no_texture);
    RUN(test_fit_cuts_with_an_ellipsis);
    RUN(test_font_has_every_glyph_the_ui_draws);
    RUN(test_font_covers_names_beyond_gb2312);
    RUN(test_worker_renders_the_same_pixels_off_the_ui_thread);
    RUN(test_a_frame_that_cannot_wait_renders_pending_texts_itself);
    fonts_destroy(fonts);
    font_rig_close(&rig);
    return CHECK_DONE();
}
