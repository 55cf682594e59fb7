/* The form screen's drawing: the header (title, "第 3/10 题", the exam's time left, "匿名"),
 * the question in large type with its numbered options, the summary, the result. */
#include <stdio.h>
#include <string.h>

#include "screens/form_internal.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widgets.h"
#include "ui/wrap.h"

enum {
    PROMPT_PX = THEME_PX_TITLE, /* the question: large type */
    PROMPT_LINES = 2,
    PROMPT_LINE_H = 72,
    STATUS_W = 760,             /* the right of the header: counter, clock, 匿名 */
};

static SDL_Rect content(void)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect r = { safe.x, THEME_CONTENT_Y, safe.w, THEME_CONTENT_H };
    return r;
}

static int prompt_lines(struct ui *ui, const struct form_question *q)
{
    int n = ui_wrap(ui, q->prompt, PROMPT_PX, FONT_BOLD, content().w, NULL, 0);
    return n < 1 ? 1 : n > PROMPT_LINES ? PROMPT_LINES : n;
}

SDL_Rect form_view_options_area(struct ui *ui, const struct form_screen *fs)
{
    SDL_Rect c = content();
    const struct form_question *q = &fs->f.questions[fs->d.page];
    int top = c.y + prompt_lines(ui, q) * PROMPT_LINE_H + 24;
    SDL_Rect r = { c.x, top, c.w, c.y + c.h - top };
    if (q->stars)
        r.h = 140;
    return r;
}

int form_view_unanswered(const struct form_screen *fs, char *out, size_t size)
{
    int n = 0;
    size_t len = 0;
    out[0] = '\0';
    for (int q = 0; q < fs->f.n_questions; q++) {
        if (form_choice_complete(&fs->f.questions[q], fs->d.choices[q]))
            continue;
        if (n < 6 && len < size)
            len += (size_t)snprintf(out + len, size - len, "%s%d", n ? "、" : "", q + 1);
        else if (n == 6 && len < size)
            len += (size_t)snprintf(out + len, size - len, "…");
        n++;
    }
    return n;
}

static void draw_header(struct form_screen *fs, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect tbox = { safe.x, THEME_HEADER_Y, safe.w - STATUS_W, THEME_HEADER_H };
    int px = ui_fit_px(ui, fs->title, tbox.w, THEME_PX_TITLE, THEME_PX_TITLE, FONT_BOLD);
    ui_text_in(ui, fs->title, &tbox, px, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    char status[160] = "";
    size_t n = 0;
    if (fs->have_form && fs->f.anonymous)
        n += (size_t)snprintf(status + n, sizeof(status) - n, "匿名");
    if (fs->phase == FP_QUESTION)
        n += (size_t)snprintf(status + n, sizeof(status) - n, "%s第 %d/%d 题", n ? " · " : "",
                              fs->d.page + 1, fs->f.n_questions);
    if (fs->deadline && fs->remaining_s >= 0 &&
        (fs->phase == FP_QUESTION || fs->phase == FP_SUMMARY))
        snprintf(status + n, sizeof(status) - n, "%s剩余 %d:%02d", n ? " · " : "",
                 fs->remaining_s / 60, fs->remaining_s % 60);
    SDL_Rect sbox = { safe.x + safe.w - STATUS_W, THEME_HEADER_Y, STATUS_W, THEME_HEADER_H };
    ui_text_in(ui, status, &sbox, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_TEXT), UI_RIGHT);
}

static void draw_question(struct form_screen *fs, struct ui *ui)
{
    const struct form_question *q = &fs->f.questions[fs->d.page];
    SDL_Rect c = content();
    struct ui_line lines[PROMPT_LINES];
    int n = ui_wrap(ui, q->prompt, PROMPT_PX, FONT_BOLD, c.w, lines, PROMPT_LINES);
    for (int i = 0; i < n && i < PROMPT_LINES; i++) {
        char text[FORM_PROMPT_MAX];
        size_t len = lines[i].len < sizeof(text) - 1 ? lines[i].len : sizeof(text) - 1;
        memcpy(text, q->prompt + lines[i].start, len);
        text[len] = '\0';
        SDL_Rect box = { c.x, c.y + i * PROMPT_LINE_H, c.w, PROMPT_LINE_H };
        ui_text_in(ui, text, &box, PROMPT_PX, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    }
    if (!q->multiple) {
        ui_option_list_draw(ui, &fs->opts, 1, q->stars ? "form.stars" : "form.options");
        if (q->stars) {
            SDL_Rect tip = { c.x, fs->opts.area.y + 170, c.w, 66 };
            ui_text_in(ui, "1 星最低，5 星最高", &tip, THEME_PX_BODY, FONT_REGULAR,
                       theme_color(COL_TEXT_SOFT), UI_LEFT);
        }
    } else {
        SDL_Rect area = form_view_options_area(ui, fs);
        for (int i = 0; i < q->n_options; i++) {
            SDL_Rect r = { area.x, area.y + i * (LAYOUT_OPTION_H + LAYOUT_ROW_GAP), area.w,
                           LAYOUT_OPTION_H };
            ui_draw_button(ui, &r, q->options[i].label, i + 1, i == fs->multi_focus,
                           (fs->d.choices[fs->d.page] >> i) & 1, THEME_PX_BODY);
        }
    }
    struct ui_hint hints[4];
    int h = 0;
    if (q->multiple) {
        hints[h++] = (struct ui_hint){ "1-9", "选/不选" };
        hints[h++] = (struct ui_hint){ "▶", "选好了，下一题" };
    } else if (q->stars) {
        hints[h++] = (struct ui_hint){ "1-5", "打几星" };
        hints[h++] = (struct ui_hint){ "OK", "确定" };
    } else {
        hints[h++] = (struct ui_hint){ "1-4", "选答案" };
        hints[h++] = (struct ui_hint){ "OK", "确定" };
    }
    hints[h++] = (struct ui_hint){ fs->d.page ? "◀" : "返回",
                                   fs->d.page ? "上一题" : "先不答了" };
    ui_draw_hint_bar(ui, hints, h);
}

static void line(struct ui *ui, int y, const char *text, int px, int bold, int soft)
{
    SDL_Rect c = content();
    SDL_Rect box = { c.x, y, c.w, px + 26 };
    ui_text_in(ui, text, &box, px, bold ? FONT_BOLD : FONT_REGULAR,
               theme_color(soft ? COL_TEXT_SOFT : COL_TEXT), UI_LEFT);
}

static void draw_summary(struct form_screen *fs, struct ui *ui)
{
    SDL_Rect c = content();
    char text[256], missing[96];
    int left = form_view_unanswered(fs, missing, sizeof(missing));
    line(ui, c.y, "答完了，请检查后提交", THEME_PX_TITLE, 1, 0);
    snprintf(text, sizeof(text), "共 %d 题，已答 %d 题", fs->f.n_questions,
             fs->f.n_questions - left);
    line(ui, c.y + 100, text, THEME_PX_BODY, 0, 0);
    if (left) {
        snprintf(text, sizeof(text), "还没答：第 %s 题", missing);
        line(ui, c.y + 170, text, THEME_PX_BODY, 1, 0);
    } else if (fs->member_name[0] && !fs->f.anonymous) {
        snprintf(text, sizeof(text), "答题人：%s", fs->member_name);
        line(ui, c.y + 170, text, THEME_PX_BODY, 0, 0);
    }
    ui_button_row_draw(ui, &fs->buttons, 1, "form.summary");
    static const struct ui_hint hints[] = {
        { "OK", "提交" }, { "◀", "回到上一题" }, { "1-2", "选按钮" } };
    ui_draw_hint_bar(ui, hints, 3);
}

static void draw_result(struct form_screen *fs, struct ui *ui)
{
    SDL_Rect c = content();
    char text[256];
    int y = c.y;
    if (fs->timed_out) {
        line(ui, y, "考试时间到，没答的题按答错计", THEME_PX_BODY, 1, 0);
        y += 70;
    }
    if (fs->f.type == FORM_QUESTIONNAIRE) {
        line(ui, y, "提交成功，谢谢您的评议", THEME_PX_BIG, 1, 0);
        if (fs->f.anonymous)
            line(ui, y + 120, "这是匿名评议，不记录是谁填的", THEME_PX_BODY, 0, 0);
    } else {
        const struct form_score *sc = &fs->score;
        snprintf(text, sizeof(text), "%s%s得分 %d 分", fs->member_name,
                 fs->member_name[0] ? " " : "", sc->score);
        line(ui, y, text, THEME_PX_BIG, 1, 0);
        snprintf(text, sizeof(text), "答对 %d 题，共 %d 题；%d 分及格，%s", sc->correct,
                 sc->questions, sc->pass_mark, sc->passed ? "您及格了" : "这次没有及格");
        line(ui, y + 110, text, THEME_PX_BODY, 0, 0);
        const char *credit = fs->f.type != FORM_EXAM ? "练习测验，不计学分"
                             : sc->credited          ? "获得 2 学分，已记入学习记录"
                             : sc->passed            ? "这次考试的学分以前已经得过"
                                                     : "没有得到学分，可以再考一次";
        line(ui, y + 180, credit, THEME_PX_TITLE, 1, 0);
    }
    ui_button_row_draw(ui, &fs->buttons, 1, "form.result");
    static const struct ui_hint hints[] = { { "OK", "完成" } };
    ui_draw_hint_bar(ui, hints, 1);
}

static void draw_who(struct form_screen *fs, struct ui *ui)
{
    SDL_Rect c = content();
    line(ui, c.y, "谁来答题？请按名字前的数字", THEME_PX_TITLE, 1, 0);
    ui_option_list_draw(ui, &fs->who, 1, "form.who");
    static const struct ui_hint hints[] = { { "1-9", "选人" }, { "返回", "先不答了" } };
    ui_draw_hint_bar(ui, hints, 2);
}

void form_view_draw(struct form_screen *fs, struct ui *ui)
{
    draw_header(fs, ui);
    SDL_Rect panel = layout_message_panel();
    switch (fs->phase) {
    case FP_LOADING: {
        ui_draw_panel(ui, &panel, "正在打开…", "请稍等", NULL);
        static const struct ui_hint back[] = { { "返回", "上一页" } };
        ui_draw_hint_bar(ui, back, 1);
        return;
    }
    case FP_ERROR:
    case FP_SEND_FAILED: {
        ui_draw_panel(ui, &panel, fs->error.what, fs->error.help, "按 OK 键再试一次");
        static const struct ui_hint retry[] = { { "OK", "再试一次" }, { "返回", "上一页" } };
        ui_draw_hint_bar(ui, retry, 2);
        return;
    }
    case FP_SENDING: {
        ui_draw_panel(ui, &panel, "正在提交…", "请稍等", NULL);
        static const struct ui_hint home[] = { { "主页", "回首页" } };
        ui_draw_hint_bar(ui, home, 1);
        return;
    }
    case FP_ANSWERED: {
        char who[API_NAME_MAX + 64];
        snprintf(who, sizeof(who), "%s已经答过这份问卷了",
                 fs->member_name[0] ? fs->member_name : "您");
        ui_draw_panel(ui, &panel, who, "每人只能答一次，谢谢您",
                      fs->f.anonymous ? "匿名评议，不记录是谁填的" : NULL);
        static const struct ui_hint ok[] = { { "OK", "返回" } };
        ui_draw_hint_bar(ui, ok, 1);
        return;
    }
    case FP_KEPT: {
        ui_draw_panel(ui, &panel, "网络断了，答案已经保存在电视里",
                      "网络恢复后会自动提交，不用再答一遍",
                      fs->f.type == FORM_QUESTIONNAIRE ? NULL : "送到后会在屏幕上告诉您得分");
        static const struct ui_hint ok[] = { { "OK", "返回" } };
        ui_draw_hint_bar(ui, ok, 1);
        return;
    }
    case FP_WHO:
        draw_who(fs, ui);
        return;
    case FP_QUESTION:
        draw_question(fs, ui);
        return;
    case FP_SUMMARY:
        draw_summary(fs, ui);
        return;
    case FP_RESULT:
        draw_result(fs, ui);
        return;
    }
}
