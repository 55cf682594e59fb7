/* Chinese line wrapping (ui/wrap.c, libunibreak) with the shipped font on SDL's software
 * renderer: lines fit the width, nothing is lost or doubled, closing punctuation never starts
 * a line nor opening punctuation ends one, a Latin word or number is not split, '\n' starts
 * a new line; and the font has every glyph the catalogue screens draw. */
#include "ui/ui.h"
#include "ui/wrap.h"
#include "../check.h"
#include "font_rig.h"

static struct ui *ui;

enum { PX = 44, MAX_LINES = 64 };

static int line_width(const char *s, const struct ui_line *l)
{
    char buf[2048];
    snprintf(buf, sizeof(buf), "%.*s", (int)l->len, s + l->start);
    return ui_text_width(ui, buf, PX, FONT_REGULAR);
}

static int starts_with_closing(const char *s, const struct ui_line *l)
{
    static const char *const closing[] = { "，", "。", "、", "）", "；", "：", "！", "？", "”" };
    for (size_t i = 0; i < sizeof(closing) / sizeof(closing[0]); i++) {
        if (l->len >= strlen(closing[i]) &&
            strncmp(s + l->start, closing[i], strlen(closing[i])) == 0)
            return 1;
    }
    return 0;
}

static void test_lines_fit_and_keep_every_byte(void)
{
    static const char *const texts[] = {
        "本月村集体收入45250元，主要是土地承包费和集体资产租赁收入；支出16940元，主要用于道路"
        "维修、环境卫生和村干部报酬。明细张贴在村务公开栏，公示期内如有疑问，请向村务监督委员会"
        "反映。",
        "经支部大会讨论，拟接收王海涛同志为中共预备党员。王海涛，男，1985年出生，高中文化，村蔬"
        "菜合作社负责人。公示期7天，有意见请向支部书记或镇党委反映。",
        "短句。",
    };
    static const int widths[] = { 1684, 900, 400 };
    for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
        for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
            struct ui_line lines[MAX_LINES];
            const char *s = texts[t];
            int n = ui_wrap(ui, s, PX, FONT_REGULAR, widths[w], lines, MAX_LINES);
            CHECK(n >= 1 && n <= MAX_LINES);
            CHECK_EQ_INT(ui_wrap(ui, s, PX, FONT_REGULAR, widths[w], NULL, 0), n);
            size_t at = 0;
            for (int i = 0; i < n && i < MAX_LINES; i++) {
                CHECK_EQ_INT(lines[i].start, at); /* no gap, no overlap */
                at += lines[i].len;
                CHECK(!starts_with_closing(s, &lines[i]));
                /* Over the width only by the punctuation kept on the line. */
                CHECK(line_width(s, &lines[i]) <= widths[w] + PX);
                if (i + 1 < n) /* not much room left, or it would have taken more */
                    CHECK(line_width(s, &lines[i]) > widths[w] - 3 * PX);
            }
            CHECK_EQ_INT(at, strlen(s));
        }
    }
}

static void test_numbers_stay_whole_and_newlines_break(void)
{
    /* "16940" would not fit after the Chinese text at this width: it moves down whole. */
    const char *s = "支出共计16940元";
    int w = ui_text_width(ui, "支出共计169", PX, FONT_REGULAR);
    struct ui_line lines[8];
    int n = ui_wrap(ui, s, PX, FONT_REGULAR, w, lines, 8);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(lines[0].len, strlen("支出共计"));
    const char *p = "第一段\n\n第二段";
    n = ui_wrap(ui, p, PX, FONT_REGULAR, 1000, lines, 8);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(lines[0].len, strlen("第一段"));
    CHECK_EQ_INT(lines[1].len, 0); /* the blank line between paragraphs */
    CHECK_EQ_INT(lines[2].start, strlen("第一段\n\n"));
    CHECK_EQ_INT(ui_wrap(ui, "", PX, FONT_REGULAR, 1000, lines, 8), 1);
    CHECK_EQ_INT(lines[0].len, 0);
}

static int ends_with_opening(const char *s, const struct ui_line *l)
{
    static const char *const opening[] = { "（", "《", "“", "【", "「" };
    for (size_t i = 0; i < sizeof(opening) / sizeof(opening[0]); i++) {
        size_t n = strlen(opening[i]);
        if (l->len >= n && strncmp(s + l->start + l->len - n, opening[i], n) == 0)
            return 1;
    }
    return 0;
}

static void test_mixed_text_breaks_where_chinese_rules_allow(void)
{
    /* Opening punctuation never ends a line, closing never starts one, a Latin word or a
     * number is never split, at every width from 3 to 30 characters. */
    const char *s = "请在《党员教育管理条例》学习后，登录DJTV智慧党建平台（www.example.cn）"
                    "完成2026年第12期测验，成绩80分以上的同志（含流动党员）获得学分。";
    static const char *const whole[] = { "DJTV", "（www.example.cn）", "2026", "12", "80" };
    for (int chars = 3; chars <= 30; chars++) {
        int max_w = chars * PX;
        struct ui_line lines[MAX_LINES];
        int n = ui_wrap(ui, s, PX, FONT_REGULAR, max_w, lines, MAX_LINES);
        CHECK(n >= 1 && n <= MAX_LINES);
        size_t at = 0;
        for (int i = 0; i < n && i < MAX_LINES; i++) {
            CHECK_EQ_INT(lines[i].start, at);
            at += lines[i].len;
            CHECK(line_width(s, &lines[i]) <= max_w + PX); /* a closing mark may hang */
            CHECK(!starts_with_closing(s, &lines[i]));
            CHECK(!ends_with_opening(s, &lines[i]) || i + 1 == n);
        }
        CHECK_EQ_INT(at, strlen(s));
        for (size_t w = 0; w < sizeof(whole) / sizeof(whole[0]); w++) {
            const char *p = strstr(s, whole[w]);
            size_t from = (size_t)(p - s), to = from + strlen(whole[w]);
            for (int i = 0; i < n && i < MAX_LINES; i++) {
                size_t end = lines[i].start + lines[i].len;
                if (ui_text_width(ui, whole[w], PX, FONT_REGULAR) <= max_w)
                    CHECK(!(end > from && end < to)); /* no line ends inside the word */
            }
        }
    }
}

static void test_font_has_the_catalogue_glyphs(void)
{
    static const char *const shown[] = {
        "第 2/5 页", "正在打开第 2 页…", "这里还没有内容", "有新内容时会显示在这里",
        "按“返回”键回到上一页", "选择、翻页", "播放", "打开", "上一页", "回首页", "马上重试",
        "再试一次", "直播中", "未开始", "已结束", "▶ 25 分钟", "1 小时 30 分钟",
        "收支明细（单位：元）", "日期", "项目", "收入", "支出", "余额", "合计", "36,179.50",
        "收支明细在下一页，请按 ▼ 键", "还有下一页，请按 ▼ 键", "连不上服务器",
        "无法确认服务器身份（证书不受信任）", "这条内容已经撤下了", "收到的内容有误",
        "这个节目的视频还没有准备好，请过几天再来看", "这场直播还没有开始，开始后就能看",
        "这场直播已经结束，暂时没有回放", "网络出了问题，请稍后再试", "10 秒后自动重试，按 OK 键马上重试",
        "2026年11月21日 · 南湖镇",
    };
    font_rig_check_glyphs(ui->fonts, shown, sizeof(shown) / sizeof(shown[0]));
}

int main(void)
{
    struct font_rig rig;
    if (font_rig_open(&rig) < 0 || !(ui = font_rig_ui(&rig)))
        return 1;
    RUN(test_lines_fit_and_keep_every_byte);
    RUN(test_numbers_stay_whole_and_newlines_break);
    RUN(test_mixed_text_breaks_where_chinese_rules_allow);
    RUN(test_font_has_the_catalogue_glyphs);
    ui_destroy(ui);
    font_rig_close(&rig);
    return CHECK_DONE();
}
