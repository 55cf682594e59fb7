/* The kit's widgets: their rules on plain rectangles (focus moves, choosing by OK and by
 * digit, edges left to the screen, keypad typing/deleting/full/cancel), then each drawn once
 * with the shipped font on a software renderer: it shows in the UI dump's widget log with
 * its role, state and focus, and every text it draws is >= 40 px at >= 7:1 on what is under
 * it. */
#include "font_rig.h"
#include "ui/bar_chart.h"
#include "ui/button.h"
#include "ui/keypad.h"
#include "ui/option_list.h"
#include "ui/poster_grid.h"
#include "ui/theme.h"
#include "ui/ui.h"

static SDL_Rect rect(int x, int y, int w, int h)
{
    SDL_Rect r = { x, y, w, h };
    return r;
}

static void test_button_row_rules(void)
{
    static const char *const labels[] = { "签到", "稍后", "不去了" };
    struct ui_button_row b;
    ui_button_row_init(&b, labels, 3, rect(100, 800, 1240, 110), 1);
    SDL_Rect r0 = ui_button_row_rect(&b, 0), r2 = ui_button_row_rect(&b, 2);
    CHECK_EQ_INT(r0.x, 100);
    CHECK(r2.x + r2.w <= 100 + 1240 && r2.x + r2.w >= 100 + 1240 - 3); /* fills the row */
    CHECK(r0.x + r0.w < ui_button_row_rect(&b, 1).x); /* a gap between buttons */
    int handled;
    CHECK_EQ_INT(ui_button_row_action(&b, ACTION_LEFT, &handled), -1);
    CHECK_EQ_INT(handled, 0); /* the left edge is the screen's */
    ui_button_row_action(&b, ACTION_RIGHT, &handled);
    CHECK_EQ_INT(handled, 1);
    CHECK_EQ_INT(b.focus, 1);
    CHECK_EQ_INT(ui_button_row_action(&b, ACTION_OK, &handled), 1);
    CHECK_EQ_INT(ui_button_row_action(&b, ACTION_DIGIT_3, &handled), 2);
    CHECK_EQ_INT(b.focus, 2);
    CHECK_EQ_INT(ui_button_row_action(&b, ACTION_DIGIT_4, &handled), -1); /* no button 4 */
    CHECK_EQ_INT(handled, 0);
    ui_button_row_action(&b, ACTION_RIGHT, &handled);
    CHECK_EQ_INT(handled, 0);
}

static void test_option_list_and_stars_rules(void)
{
    static const char *const needs[] = { "看病就医", "家里维修", "办事咨询", "其他" };
    struct ui_option_list l;
    ui_option_list_init(&l, needs, 4, rect(200, 300, 1000, 500));
    CHECK_EQ_INT(l.chosen, -1);
    SDL_Rect a = ui_option_rect(&l, 0), b = ui_option_rect(&l, 1);
    CHECK(a.y + a.h <= b.y && a.h >= 80); /* rows one under another, big enough for 40 px */
    int handled;
    CHECK_EQ_INT(ui_option_list_action(&l, ACTION_UP, &handled), -1);
    CHECK_EQ_INT(handled, 0);
    ui_option_list_action(&l, ACTION_DOWN, &handled);
    ui_option_list_action(&l, ACTION_DOWN, &handled);
    CHECK_EQ_INT(ui_option_list_action(&l, ACTION_OK, &handled), 2);
    CHECK_EQ_INT(l.chosen, 2);
    CHECK_EQ_INT(ui_option_list_action(&l, ACTION_DIGIT_1, &handled), 0);
    CHECK_EQ_INT(ui_option_list_action(&l, ACTION_DIGIT_9, &handled), -1);

    struct ui_option_list s;
    ui_stars_init(&s, 5, rect(200, 300, 1400, 140));
    SDL_Rect s0 = ui_option_rect(&s, 0), s4 = ui_option_rect(&s, 4);
    CHECK(s0.y == s4.y && s4.x > s0.x); /* one row */
    CHECK_EQ_INT(ui_option_list_action(&s, ACTION_DOWN, &handled), -1); /* stars go sideways */
    CHECK_EQ_INT(handled, 0);
    for (int i = 0; i < 6; i++)
        ui_option_list_action(&s, ACTION_RIGHT, &handled);
    CHECK_EQ_INT(s.focus, 4);
    CHECK_EQ_INT(handled, 0);
    CHECK_EQ_INT(ui_option_list_action(&s, ACTION_DIGIT_3, &handled), 2); /* 3 stars */
    CHECK_EQ_INT(ui_option_list_action(&s, ACTION_DIGIT_6, &handled), -1);
    ui_stars_init(&s, 9, rect(0, 0, 100, 100));
    CHECK_EQ_INT(s.n, 5);
}

static void test_keypad_rules(void)
{
    struct ui_keypad k;
    ui_keypad_init(&k, "138-0013", 11, rect(460, 200, 1000, 700));
    CHECK_EQ_STR(k.digits, "1380013"); /* non-digits skipped */
    CHECK_EQ_INT(k.focus, UI_KEYPAD_DONE); /* a known number: OK keeps it */
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_OK), UI_KEYPAD_FINISHED);
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_DIGIT_8), UI_KEYPAD_CHANGED);
    for (int i = 0; i < 5; i++)
        ui_keypad_action(&k, ACTION_DIGIT_0);
    CHECK_EQ_STR(k.digits, "13800138000");
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_DIGIT_1), UI_KEYPAD_MOVED); /* full: kept */
    CHECK_EQ_STR(k.digits, "13800138000");
    /* Arrows over the keys: from 确定 left to 0, left to ◀, OK deletes. */
    ui_keypad_action(&k, ACTION_LEFT);
    CHECK_EQ_INT(k.focus, UI_KEYPAD_ZERO);
    ui_keypad_action(&k, ACTION_LEFT);
    ui_keypad_action(&k, ACTION_LEFT); /* the edge: stays */
    CHECK_EQ_INT(k.focus, UI_KEYPAD_DELETE);
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_OK), UI_KEYPAD_CHANGED);
    CHECK_EQ_STR(k.digits, "1380013800");
    ui_keypad_action(&k, ACTION_UP);
    ui_keypad_action(&k, ACTION_UP);
    ui_keypad_action(&k, ACTION_UP);
    ui_keypad_action(&k, ACTION_UP);
    CHECK_EQ_INT(k.focus, 0); /* key 1 */
    ui_keypad_action(&k, ACTION_OK);
    CHECK_EQ_STR(k.digits, "13800138001");
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_BACK), UI_KEYPAD_CANCELLED);
    CHECK_EQ_INT(ui_keypad_action(&k, ACTION_RED), UI_KEYPAD_IGNORED);
    /* Keys are big and inside the keypad, below the display. */
    SDL_Rect disp = ui_keypad_display_rect(&k);
    for (int i = 0; i < UI_KEYPAD_KEYS; i++) {
        SDL_Rect r = ui_keypad_key_rect(&k, i);
        CHECK(r.y >= disp.y + disp.h && r.y + r.h <= 900 && r.h >= 100 && r.w >= 250);
    }
    struct ui_keypad e;
    ui_keypad_init(&e, NULL, 99, rect(0, 0, 900, 900));
    CHECK_EQ_INT(e.max_len, UI_KEYPAD_MAX_DIGITS);
    CHECK_EQ_INT(ui_keypad_action(&e, ACTION_OK), UI_KEYPAD_CHANGED); /* key 1 */
    e.focus = UI_KEYPAD_DELETE;
    ui_keypad_action(&e, ACTION_OK);
    CHECK_EQ_INT(ui_keypad_action(&e, ACTION_OK), UI_KEYPAD_MOVED); /* nothing to delete */
    /* A digit typed on the remote puts the focus on 确定: OK then confirms. */
    e.focus = 4;
    CHECK_EQ_INT(ui_keypad_action(&e, ACTION_DIGIT_7), UI_KEYPAD_CHANGED);
    CHECK_EQ_INT(e.focus, UI_KEYPAD_DONE);
    CHECK_EQ_INT(ui_keypad_action(&e, ACTION_OK), UI_KEYPAD_FINISHED);
}

static void test_poster_grid_and_chart_rules(void)
{
    struct ui_poster_grid g;
    ui_poster_grid_init(&g, 7, 4, rect(100, 300, 1700, 600));
    CHECK_EQ_INT(g.rows, 2);
    SDL_Rect p0 = ui_poster_rect(&g, 0), p4 = ui_poster_rect(&g, 4);
    CHECK(p4.y > p0.y && p4.x == p0.x);
    int handled;
    ui_poster_grid_action(&g, ACTION_RIGHT, &handled);
    ui_poster_grid_action(&g, ACTION_DOWN, &handled);
    CHECK_EQ_INT(g.focus, 5);
    ui_poster_grid_action(&g, ACTION_RIGHT, &handled);
    ui_poster_grid_action(&g, ACTION_RIGHT, &handled); /* no 8th poster */
    CHECK_EQ_INT(g.focus, 6);
    CHECK_EQ_INT(handled, 0);
    CHECK_EQ_INT(ui_poster_grid_action(&g, ACTION_OK, &handled), 6);

    struct ui_bar_chart c;
    static const char *const labels[] = { "一月", "二月", "三月" };
    static const long values[] = { 1200, 0, 3600 };
    ui_bar_chart_init(&c, labels, values, 3, rect(100, 300, 1700, 600));
    SDL_Rect b0 = ui_bar_rect(&c, 0), b1 = ui_bar_rect(&c, 1), b2 = ui_bar_rect(&c, 2);
    CHECK_EQ_INT(b1.h, 0);
    CHECK(b2.h > b0.h && b0.h > 0);
    CHECK_EQ_INT(b0.y + b0.h, b2.y + b2.h); /* one base line */
    CHECK(b2.h - 3 * b0.h >= 0 && b2.h - 3 * b0.h < 3); /* in proportion (to the pixel) */
}

static int visible_texts_ok(const struct ui *ui, const char *who)
{
    ui_end_frame((struct ui *)ui);
    int ok = 1;
    for (int i = 0; i < ui->rec.n_texts; i++) {
        const struct rec_text *t = &ui->rec.texts[i];
        if (!t->visible)
            continue;
        double c = theme_contrast(t->fg, t->bg);
        if (t->px < 40 || c < 7.0) {
            printf("# %s: '%s' %d px, contrast %.2f\n", who, t->text, t->px, c);
            ok = 0;
        }
    }
    return ok;
}

static struct ui *the_ui;

static void test_widgets_draw_readably_and_show_in_the_dump(void)
{
    struct ui *ui = the_ui;
    CHECK(ui != NULL);
    if (!ui)
        return;
    static const char *const labels[] = { "签到", "稍后" };
    struct ui_button_row b;
    ui_button_row_init(&b, labels, 2, rect(200, 800, 1000, 110), 1);
    ui_begin_frame(ui, theme_color(COL_BG));
    ui_button_row_draw(ui, &b, 1, "rollcall.buttons");
    CHECK(visible_texts_ok(ui, "button row"));
    CHECK_EQ_INT(ui->widgets.n, 1);
    CHECK_EQ_STR(ui->widgets.e[0].role, "button_row");
    CHECK_EQ_STR(ui->widgets.e[0].name, "rollcall.buttons");
    CHECK_EQ_STR(ui->widgets.e[0].state, "focus=0 n=2");
    CHECK_EQ_INT(ui->widgets.e[0].focused, 1);

    static const char *const needs[] = { "看病就医", "家里维修" };
    struct ui_option_list l, s;
    ui_option_list_init(&l, needs, 2, rect(200, 300, 1000, 300));
    int handled;
    ui_option_list_action(&l, ACTION_DIGIT_2, &handled);
    ui_stars_init(&s, 5, rect(200, 700, 1400, 140));
    ui_begin_frame(ui, theme_color(COL_BG));
    ui_option_list_draw(ui, &l, 0, "service.needs");
    ui_option_list_draw(ui, &s, 1, "evaluation.stars");
    CHECK(visible_texts_ok(ui, "options"));
    CHECK_EQ_INT(ui->widgets.n, 2);
    CHECK_EQ_STR(ui->widgets.e[0].state, "focus=1 chosen=1 n=2");
    CHECK_EQ_INT(ui->widgets.e[0].focused, 0);
    CHECK_EQ_STR(ui->widgets.e[1].role, "stars");
    CHECK(recorder_has_text(&ui->rec, "●")); /* the chosen option says so */
    CHECK(recorder_has_text(&ui->rec, "★"));

    struct ui_keypad k;
    ui_keypad_init(&k, "1380013", 11, rect(460, 230, 1000, 700));
    ui_begin_frame(ui, theme_color(COL_BG));
    ui_keypad_draw(ui, &k, "请输入手机号", "keypad");
    CHECK(visible_texts_ok(ui, "keypad"));
    CHECK_EQ_STR(ui->widgets.e[0].state, "digits=1380013 focus=确定");
    CHECK(recorder_has_text(&ui->rec, "1380013"));
    CHECK(recorder_has_text(&ui->rec, "◀"));
    int big = 0;
    for (int i = 0; i < ui->rec.n_texts; i++)
        if (strstr(ui->rec.texts[i].text, "1380013"))
            big = ui->rec.texts[i].px;
    CHECK(big >= 72); /* the display is large */

    struct ui_poster_grid g;
    static const char *const names[] = { "林玉山", "陈秀英", "王建国" };
    ui_poster_grid_init(&g, 3, 3, rect(100, 300, 1700, 600));
    ui_begin_frame(ui, theme_color(COL_BG));
    ui_poster_grid_draw(ui, &g, names, NULL, 1, "pioneers.grid");
    CHECK(visible_texts_ok(ui, "poster grid"));
    CHECK_EQ_STR(ui->widgets.e[0].role, "poster_grid");

    struct ui_bar_chart c;
    static const char *const months[] = { "一月", "二月", "三月" };
    static const long values[] = { 120000, 35000, 360000 };
    ui_bar_chart_init(&c, months, values, 3, rect(100, 300, 1700, 600));
    ui_begin_frame(ui, theme_color(COL_BG));
    ui_bar_chart_draw(ui, &c, "accounts.chart");
    CHECK(visible_texts_ok(ui, "bar chart"));
    CHECK_EQ_STR(ui->widgets.e[0].role, "bar_chart");
    CHECK_EQ_STR(ui->widgets.e[0].state, "n=3 max=360000"); /* one series: no legend */
    CHECK(recorder_has_text(&ui->rec, "三月"));
    CHECK(!recorder_has_text(&ui->rec, "收入"));
}

/* The colour of the opaque rect drawn over the centre of r, or the clear colour. */
static SDL_Color fill_at(const struct ui *ui, SDL_Rect r)
{
    return recorder_color_at(&ui->rec, r.x + r.w / 2, r.y + r.h / 2, ui->rec.n_rects);
}

static int same_color(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Income and spending: two colours a viewer tells apart, a legend at sofa size, and the
 * dump names each bar's series. */
static void test_bar_chart_series_have_colours_and_a_legend(void)
{
    struct ui *ui = the_ui;
    CHECK(ui != NULL);
    if (!ui)
        return;
    static const char *const labels[] = { "10月收入", "10月支出", "11月收入", "11月支出" };
    static const long values[] = { 51230, 18800, 5000, 1955 };
    static const char *const names[] = { "收入", "支出" };
    struct ui_bar_chart c;
    ui_bar_chart_init(&c, labels, values, 4, rect(96, 360, 1728, 540));
    ui_bar_chart_set_series(&c, names, 2);
    CHECK_EQ_INT(c.series[0], 0);
    CHECK_EQ_INT(c.series[1], 1);
    CHECK_EQ_INT(c.series[3], 1);
    SDL_Rect legend = ui_bar_legend_rect(&c);
    CHECK(legend.w > 0 && legend.h >= 40);
    /* The tallest bar's figure stays below the legend. */
    SDL_Rect tallest = ui_bar_rect(&c, 0);
    CHECK(tallest.y - 64 >= legend.y + legend.h);

    SDL_Color bg = theme_color(COL_BG);
    SDL_Color a = ui_bar_series_color(0), b = ui_bar_series_color(1);
    CHECK(!same_color(a, b));
    /* Bars are graphics: >= 3:1 against the screen (WCAG 1.4.11); and apart from each
     * other in lightness or hue — gold against sky blue, not red against green. */
    CHECK(theme_contrast(a, bg) >= 3.0);
    CHECK(theme_contrast(b, bg) >= 3.0);
    CHECK(a.b < 0x80 && b.b > 0xc0);

    ui_begin_frame(ui, bg);
    ui_bar_chart_draw(ui, &c, "ledger.chart");
    CHECK(visible_texts_ok(ui, "bar chart legend"));
    for (int i = 0; i < 4; i++)
        CHECK(same_color(fill_at(ui, ui_bar_rect(&c, i)), i % 2 ? b : a));
    int legend_words = 0;
    for (int i = 0; i < ui->rec.n_texts; i++) {
        const struct rec_text *t = &ui->rec.texts[i];
        if (t->visible && (!strcmp(t->text, "收入") || !strcmp(t->text, "支出"))) {
            CHECK(t->px >= 40);
            CHECK(t->box.y >= legend.y && t->box.y < legend.y + legend.h);
            legend_words++;
        }
    }
    CHECK_EQ_INT(legend_words, 2);
    CHECK_EQ_STR(ui->widgets.e[0].state,
                 "n=4 max=51230 legend=收入:#ffd54a,支出:#6ec6ff series=0101");
}

/* Every symbol the widgets draw is in the shipped font. */
static void test_widget_glyphs(void)
{
    static const char *const texts[] = { "★☆●◀确定", "请输入手机号", "请打分", "星" };
    CHECK(the_ui != NULL);
    if (the_ui)
        font_rig_check_glyphs(the_ui->fonts, texts, 4);
}

int main(void)
{
    RUN(test_button_row_rules);
    RUN(test_option_list_and_stars_rules);
    RUN(test_keypad_rules);
    RUN(test_poster_grid_and_chart_rules);
    struct font_rig rig;
    if (font_rig_open(&rig) < 0)
        return 1;
    char err[256];
    SDL_Surface *big = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = big ? SDL_CreateSoftwareRenderer(big) : NULL;
    the_ui = r ? ui_create(r, rig.font_path, -1, err, sizeof(err)) : NULL;
    RUN(test_widgets_draw_readably_and_show_in_the_dump);
    RUN(test_widget_glyphs);
    RUN(test_bar_chart_series_have_colours_and_a_legend);
    ui_destroy(the_ui);
    if (r)
        SDL_DestroyRenderer(r);
    SDL_FreeSurface(big);
    font_rig_close(&rig);
    return CHECK_DONE();
}
