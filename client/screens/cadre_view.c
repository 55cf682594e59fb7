/* Cadre mode's picture: the meeting line, the roll-call card (signed / expected and who is
 * missing, by name), the duty-check card, the last result in words, the button row and the
 * key hints. Same rules as every screen: 40 px text at least, titles 56, theme colour pairs. */
#include <stdio.h>
#include <string.h>

#include "net/rollcall.h"
#include "screens/cadre_internal.h"
#include "ui/image_view.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widgets.h"
#include "ui/widget_log.h"
#include "ui/wrap.h"

enum {
    CARD_Y = THEME_LIVE_Y + 110, /* under the meeting line */
    CARD_H = 430,
    SIDE_W = 560,                /* the duty card at the right */
    MESSAGE_Y = CARD_Y + CARD_H + 16,
    NAMES_MAX = 4096,
};

/* TEXT wrapped into BOX at PX, at most MAX_LINES lines (the last one cut with …); returns the
 * height used. */
static int draw_wrapped(struct ui *ui, const char *text, const SDL_Rect *box, int px,
                        enum font_style style, SDL_Color fg, int max_lines)
{
    struct ui_line lines[8];
    if (max_lines > 8)
        max_lines = 8;
    int n = ui_wrap(ui, text, px, style, box->w, lines, max_lines);
    int lh = ui_line_height(ui, px);
    int shown = n < max_lines ? n : max_lines;
    char buf[NAMES_MAX];
    for (int i = 0; i < shown; i++) {
        size_t len = i == shown - 1 && n > shown ? strlen(text) - lines[i].start : lines[i].len;
        if (len >= sizeof(buf))
            len = sizeof(buf) - 1;
        memcpy(buf, text + lines[i].start, len);
        buf[len] = '\0';
        SDL_Rect r = { box->x, box->y + i * lh, box->w, lh };
        ui_text_in(ui, buf, &r, px, style, fg, UI_LEFT);
    }
    return shown * lh;
}

/* "林玉山、朱兰英、…" of a list of people. */
static void join_names(const struct cadre_person *p, int n, char *out, size_t size)
{
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; i < n && at < size; i++) {
        int w = snprintf(out + at, size - at, "%s%s", i ? "、" : "", p[i].name);
        if (w < 0)
            break;
        at += (size_t)w;
    }
}

/* The uplink as djtv-cast reports it, in plain words. */
static void uplink_text(const struct cadre_home *h, char *out, size_t size)
{
    const struct cast_status *st = &h->cast_st;
    if (!st->have)
        snprintf(out, size, "会议：正在连接服务器…");
    else if (st->refused)
        snprintf(out, size, "会议：服务器不再接收画面");
    else if (st->up)
        snprintf(out, size, "会议：直播中 · 上传正常 · 已发送 %lld 段", (long long)st->sent);
    else
        snprintf(out, size, "会议：上传中断，正在重试 · 等着发的 %lld 段", (long long)st->queued);
}

static void draw_meeting(struct cadre_home *h, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    char line[API_TITLE_MAX + 64];
    if (h->meet == MEET_CREATING || h->meet == MEET_STARTING)
        snprintf(line, sizeof(line), "会议：正在开始…");
    else if (h->meet == MEET_ENDING)
        snprintf(line, sizeof(line), "会议：正在结束…");
    else if (h->meet == MEET_SENDING)
        uplink_text(h, line, sizeof(line));
    else if (h->have_meeting)
        snprintf(line, sizeof(line), "会议：正在直播《%s》", h->meeting.title);
    else
        snprintf(line, sizeof(line), "会议：现在没有会议在开");
    SDL_Rect box = { safe.x, THEME_LIVE_Y, safe.w, THEME_LIVE_H };
    ui_text_in(ui, line, &box, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
}

static void draw_rollcall(struct cadre_home *h, struct ui *ui, const SDL_Rect *card)
{
    ui_fill_round(ui, card, THEME_RADIUS, theme_color(COL_PANEL));
    SDL_Rect in = layout_inset(card, LAYOUT_PAD);
    in.y = card->y + 32;
    SDL_Color strong = theme_color(COL_PANEL_TEXT), soft = theme_color(COL_PANEL_TEXT_SOFT);
    char title[160];
    static char names[NAMES_MAX];
    const struct cadre_signins *s = &h->signins;
    int th = ui_line_height(ui, THEME_PX_TITLE);
    if (!h->have_signins) {
        SDL_Rect t = { in.x, in.y, in.w, th };
        ui_text_in(ui, h->have_rollcall  ? "点名中：正在数人数…"
                       : h->have_meeting ? "点名：还没有开始"
                                         : "点名：开会以后才能点名",
                   &t, THEME_PX_TITLE, FONT_BOLD, strong, UI_LEFT);
        SDL_Rect l = { in.x, in.y + th + 24, in.w, ui_line_height(ui, THEME_PX_BODY) };
        ui_text_in(ui, h->have_rollcall  ? "各家电视上已经出现签到"
                       : h->have_meeting ? "选 开始点名，各家电视上就会出现签到"
                                         : "请先选 开始会议",
                   &l, THEME_PX_BODY, FONT_REGULAR, soft, UI_LEFT);
        return;
    }
    snprintf(title, sizeof(title), "%s：已签到 %d / %d 人", s->rollcall.open ? "点名中" : "点名已结束",
             s->rollcall.checked_in, s->rollcall.expected);
    SDL_Rect t = { in.x, in.y, in.w, th };
    ui_text_in(ui, title, &t, THEME_PX_TITLE, FONT_BOLD, strong, UI_LEFT);
    int y = in.y + th + 20;
    int lh = ui_line_height(ui, THEME_PX_BODY);
    if (s->n_absent > 0) {
        int at = snprintf(names, sizeof(names), "还没签到（%d 人）：", s->n_absent);
        join_names(s->absent, s->n_absent, names + at, sizeof(names) - (size_t)at);
    } else {
        snprintf(names, sizeof(names), "应到的人都签到了");
    }
    SDL_Rect a = { in.x, y, in.w, 3 * lh };
    y += draw_wrapped(ui, names, &a, THEME_PX_BODY, FONT_BOLD, strong, 3) + 16;
    if (s->n_in > 0) {
        int at = snprintf(names, sizeof(names), "已签到：");
        join_names(s->in, s->n_in, names + at, sizeof(names) - (size_t)at);
        SDL_Rect b = { in.x, y, in.w, card->y + card->h - y };
        int lines = (card->y + card->h - 24 - y) / lh;
        if (lines > 0)
            draw_wrapped(ui, names, &b, THEME_PX_BODY, FONT_REGULAR, soft, lines);
    }
}

static void draw_side(struct cadre_home *h, struct ui *ui, const SDL_Rect *card)
{
    ui_fill_round(ui, card, THEME_RADIUS, theme_color(COL_PANEL));
    SDL_Rect in = layout_inset(card, 36);
    in.y = card->y + 32;
    SDL_Color strong = theme_color(COL_PANEL_TEXT), soft = theme_color(COL_PANEL_TEXT_SOFT);
    int th = ui_line_height(ui, THEME_PX_TITLE), lh = ui_line_height(ui, THEME_PX_BODY);
    SDL_Rect t = { in.x, in.y, in.w, th };
    char line[320], hhmm[16];
    if (h->have_duty) {
        ui_text_in(ui, "值班抽查", &t, THEME_PX_TITLE, FONT_BOLD, strong, UI_LEFT);
        api_beijing_hhmm(h->duty.answer_by, hhmm, sizeof(hhmm));
        snprintf(line, sizeof(line), "%s问您在不在岗。请在 %s 前选 值班应答",
                 h->duty.checked_by[0] ? h->duty.checked_by : "镇里", hhmm[0] ? hhmm : "10 分钟内");
        SDL_Rect b = { in.x, in.y + th + 20, in.w, 5 * lh };
        draw_wrapped(ui, line, &b, THEME_PX_BODY, FONT_BOLD, strong, 5);
        return;
    }
    if (h->cast) {
        /* What the boxes get: the picture djtv-cast sends, small. */
        SDL_Rect pic = { in.x, in.y, in.w, in.w * 9 / 16 };
        if (h->preview) {
            SDL_Rect at = ui_image_fit(&pic, h->preview_w, h->preview_h);
            SDL_RenderCopy(ui->r, h->preview, NULL, &at);
        } else {
            ui_fill_round(ui, &pic, THEME_RADIUS, theme_color(COL_TILE));
            ui_text_in(ui, "画面马上就来", &pic, THEME_PX_BODY, FONT_REGULAR,
                       theme_color(COL_TILE_TEXT), UI_CENTER);
        }
        widget_log_add(&ui->widgets, "image", "cadre.preview", &pic, 0,
                       h->preview ? "ready" : "decoding");
        SDL_Rect cap = { in.x, pic.y + pic.h + 16, in.w, lh };
        snprintf(line, sizeof(line), "发出去的画面（%s）", h->camera_name);
        ui_text_in(ui, line, &cap, THEME_PX_SMALL, FONT_REGULAR, soft, UI_LEFT);
        return;
    }
    ui_text_in(ui, "值班抽查", &t, THEME_PX_TITLE, FONT_BOLD, strong, UI_LEFT);
    SDL_Rect b = { in.x, in.y + th + 20, in.w, 3 * lh };
    draw_wrapped(ui, "现在没有抽查。镇里抽查时，这里会提醒您", &b, THEME_PX_BODY, FONT_REGULAR, soft,
                 3);
}

void cadre_view_draw(struct cadre_home *h, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    char head[2 * API_NAME_MAX + 32];
    snprintf(head, sizeof(head), "村干部 · %s", h->ses.name);
    ui_draw_header_title(ui, head);
    if (!h->loaded) {
        SDL_Rect p = layout_message_panel();
        ui_draw_panel(ui, &p, "正在打开…", "请稍等", NULL);
    } else {
        draw_meeting(h, ui);
        SDL_Rect rc = { safe.x, CARD_Y, safe.w - SIDE_W - LAYOUT_GAP, CARD_H };
        draw_rollcall(h, ui, &rc);
        SDL_Rect side = { safe.x + safe.w - SIDE_W, CARD_Y, SIDE_W, CARD_H };
        draw_side(h, ui, &side);
    }
    if (h->message[0]) {
        SDL_Rect m = { safe.x, MESSAGE_Y, safe.w, ui_line_height(ui, THEME_PX_BODY) };
        ui_text_in(ui, h->message, &m, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    }
    ui_button_row_draw(ui, &h->row, 1, "cadre.buttons");
    static const struct ui_hint hints[] = {
        { UI_KEY_ARROWS, "选择" }, { "OK", "确定" }, { "数字", "直接选" }, { "返回", "退出村干部" },
    };
    ui_draw_hint_bar(ui, hints, 4);
}
