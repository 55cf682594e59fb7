/* Characters the shipped font lacks, on SDL's software renderer: drawn from the next
 * installed face (fontconfig; Debian's fonts-noto-cjk carries Extension B's 𠮷) at the same
 * size and on the same baseline, measured and wrapped with their real width; a character no
 * face has is a visible placeholder one ideograph wide, counted for the UI dump, and its code
 * point is logged once. */
#include "ui/ui.h"
#include "ui/wrap.h"
#include "../check.h"
#include "font_rig.h"

static struct ui *ui;

static const SDL_Color white = { 255, 255, 255, 255 };

/* U+20BB7 𠮷 (Extension B): in Noto Sans CJK, not in the shipped subset. */
#define JI "\xf0\xa0\xae\xb7"
/* U+31350 (Extension H, Unicode 15): no font Debian 12 ships has it. */
#define NONE "\xf0\xb1\x8d\x90"

enum { PX = 56 };

/* Rows [*top, *bottom) of columns [x0, x1) that have ink (alpha > 64); 0 if none. */
static int ink_rows(SDL_Surface *s, int x0, int x1, int *top, int *bottom)
{
    *top = s->h;
    *bottom = 0;
    SDL_LockSurface(s);
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
        for (int x = x0; x < x1 && x < s->w; x++) {
            Uint8 r, g, b, a;
            SDL_GetRGBA(row[x], s->format, &r, &g, &b, &a);
            if (a > 64) {
                if (y < *top)
                    *top = y;
                *bottom = y + 1;
            }
        }
    }
    SDL_UnlockSurface(s);
    return *bottom > *top;
}

static int width(const char *s)
{
    return ui_text_width(ui, s, PX, FONT_REGULAR);
}

static void test_a_character_beyond_the_subset_comes_from_a_fallback_face(void)
{
    CHECK(!fonts_has_glyphs(ui->fonts, JI)); /* the shipped font lacks it... */
    CHECK_EQ_INT(fonts_missing(ui->fonts, "田" JI "田"), 0); /* ...an installed face has it */
    /* Measured with its real width: an ideograph, like 田. */
    int tian = width("田"), ji = width(JI);
    CHECK(ji >= tian - 2 && ji <= tian + 2);
    CHECK_EQ_INT(width("田" JI "田"), 2 * tian + ji);
    int missing = -1;
    SDL_Surface *s = fonts_render(ui->fonts, "田" JI "田", PX, FONT_REGULAR, white, &missing);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(missing, 0);
    CHECK_EQ_INT(s->w, 2 * tian + ji);
    CHECK_EQ_INT(s->h, ui_line_height(ui, PX));
    /* Ink where 𠮷 is, on the same baseline and of the same height as 田 beside it. */
    int t1, b1, t2, b2;
    CHECK(ink_rows(s, 0, tian, &t1, &b1));
    CHECK(ink_rows(s, tian, tian + ji, &t2, &b2));
    CHECK(abs(b1 - b2) <= PX / 10);
    CHECK(abs(t1 - t2) <= PX / 10);
    SDL_FreeSurface(s);
}

static void test_no_face_has_it_a_visible_placeholder_of_one_ideograph(void)
{
    CHECK_EQ_INT(fonts_missing(ui->fonts, "张" NONE "明"), 1);
    int zhang = width("张"), ph = width(NONE);
    CHECK(ph >= zhang - 2 && ph <= zhang + 2); /* the width of an ideograph, not zero */
    CHECK_EQ_INT(width("张" NONE "明"), width("张") + ph + width("明"));
    int missing = 0;
    SDL_Surface *s = fonts_render(ui->fonts, "张" NONE "明", PX, FONT_REGULAR, white, &missing);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(missing, 1);
    int top, bottom;
    CHECK(ink_rows(s, zhang, zhang + ph, &top, &bottom)); /* not a blank */
    CHECK(bottom - top >= PX / 2);
    SDL_FreeSurface(s);
    /* The text cache hands the count on, for the dump. */
    struct text_tex t;
    CHECK_EQ_INT(text_cache_get(ui->texts, "张" NONE "明", PX, FONT_BOLD, white, &t), 0);
    CHECK_EQ_INT(t.missing, 1);
    CHECK_EQ_INT(text_cache_get(ui->texts, "张" NONE "明", PX, FONT_BOLD, white, &t), 0);
    CHECK_EQ_INT(t.missing, 1); /* a cache hit too */
    CHECK_EQ_INT(text_cache_get(ui->texts, "王" JI, PX, FONT_BOLD, white, &t), 0);
    CHECK_EQ_INT(t.missing, 0);
}

static void test_the_dump_marks_text_with_placeholders(void)
{
    SDL_Color bg = { 0, 0, 0, 255 };
    ui_begin_frame(ui, bg);
    ui_text(ui, "王" JI "明", 100, 100, PX, FONT_REGULAR, white);
    ui_text(ui, "张" NONE NONE, 100, 300, PX, FONT_REGULAR, white);
    ui_end_frame(ui);
    cJSON *arr = recorder_texts_json(&ui->rec);
    CHECK(arr != NULL && cJSON_GetArraySize(arr) == 2);
    if (arr && cJSON_GetArraySize(arr) == 2) {
        CHECK(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "missing_glyphs") == NULL);
        cJSON *m = cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 1), "missing_glyphs");
        CHECK(cJSON_IsNumber(m) && m->valueint == 2);
    }
    cJSON_Delete(arr);
}

static void test_wrap_measures_fallback_characters(void)
{
    /* Names of 𠮷 at the start of every name: lines still fit and keep every byte. */
    const char *s = JI "田一郎、" JI "祥、王" JI "、李" JI "明、" JI "永、" JI "田" JI "子";
    int max_w = 5 * width("田");
    struct ui_line lines[16];
    int n = ui_wrap(ui, s, PX, FONT_REGULAR, max_w, lines, 16);
    CHECK(n >= 3 && n <= 16);
    size_t at = 0;
    for (int i = 0; i < n && i < 16; i++) {
        char buf[256];
        snprintf(buf, sizeof(buf), "%.*s", (int)lines[i].len, s + lines[i].start);
        CHECK(width(buf) <= max_w + PX); /* over only by punctuation kept on the line */
        CHECK_EQ_INT(lines[i].start, at);
        at += lines[i].len;
    }
    CHECK_EQ_INT(at, strlen(s));
}

static void test_the_missing_code_point_is_logged_once(void)
{
    /* stderr into a file for the length of this case. */
    FILE *cap = tmpfile();
    CHECK(cap != NULL);
    if (!cap)
        return;
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(cap), 2);
    const char *s = "赵" "\xf0\xb1\x8d\x91"; /* U+31351, not looked up before */
    int missing = 0;
    for (int i = 0; i < 3; i++) {
        CHECK_EQ_INT(fonts_missing(ui->fonts, s), 1);
        SDL_FreeSurface(fonts_render(ui->fonts, s, 40 + 4 * i, FONT_REGULAR, white, &missing));
        CHECK_EQ_INT(missing, 1);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char log[4096] = "";
    rewind(cap);
    size_t n = fread(log, 1, sizeof(log) - 1, cap);
    log[n] = '\0';
    fclose(cap);
    const char *first = strstr(log, "U+31351");
    CHECK(first != NULL);
    CHECK(first && strstr(first + 1, "U+31351") == NULL);
}

int main(void)
{
    struct font_rig rig;
    if (font_rig_open(&rig) < 0 || !(ui = font_rig_ui(&rig)))
        return 1;
    RUN(test_a_character_beyond_the_subset_comes_from_a_fallback_face);
    RUN(test_no_face_has_it_a_visible_placeholder_of_one_ideograph);
    RUN(test_the_dump_marks_text_with_placeholders);
    RUN(test_wrap_measures_fallback_characters);
    RUN(test_the_missing_code_point_is_logged_once);
    ui_destroy(ui);
    font_rig_close(&rig);
    return CHECK_DONE();
}
