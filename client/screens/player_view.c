/* The player screen's drawing (video, OSD, stats, messages) and its dump / final stats. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "screens/player_internal.h"
#include "ui/osd.h"
#include "ui/recorder.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum {
    TOP_BAR_H = 170,
    BOTTOM_H = 176, /* progress panel, above the hint bar */
    PROGRESS_H = 24,
    STATS_W = 900,
};

const char *pview_phase_name(enum pphase ph)
{
    switch (ph) {
    case PP_ASKING: return "asking";
    case PP_PROMPT: return "prompt";
    case PP_PLAYING: return "playing";
    case PP_ERROR: return "error";
    case PP_LIVE_ENDED: return "live_ended";
    }
    return "?";
}

void pview_time(double s, char *out, size_t outlen)
{
    if (!(s >= 0) || s > 1e7)
        s = 0;
    long t = (long)s;
    if (t >= 3600)
        snprintf(out, outlen, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, outlen, "%02ld:%02ld", t / 60, t % 60);
}

/* What each engine error means for the person at the TV: the problem, then what to do. */
static void error_text(enum player_error e, const char **what, const char **help)
{
    *help = "按 OK 再试一次，按“返回”退出";
    switch (e) {
    case PLAYER_ERR_NOT_FOUND:
        *what = "找不到这个节目";
        *help = "节目可能已经删除了，按“返回”退出";
        break;
    case PLAYER_ERR_TLS:
        *what = "无法确认服务器身份";
        *help = "请联系村干部检查机顶盒的设置";
        break;
    case PLAYER_ERR_NETWORK:
        *what = "网络连不上，请稍后再试";
        break;
    case PLAYER_ERR_SERVER:
        *what = "服务器暂时不能播放这个节目";
        break;
    case PLAYER_ERR_UNSUPPORTED:
        *what = "这个节目的格式暂不支持";
        *help = "请联系村干部，按“返回”退出";
        break;
    case PLAYER_ERR_CORRUPT:
        *what = "节目文件损坏，无法播放";
        *help = "请联系村干部，按“返回”退出";
        break;
    default:
        *what = "播放出了问题";
        break;
    }
}

static const char *state_word(const struct pscreen *ps)
{
    switch (ps->st.state) {
    case PLAYER_OPENING: return "正在打开…";
    case PLAYER_PLAYING: return ps->st.is_live ? "直播中" : "播放中";
    case PLAYER_PAUSED: return "已暂停";
    case PLAYER_BUFFERING: return "正在缓冲…";
    case PLAYER_RECONNECTING: return "正在重新连接…";
    case PLAYER_ENDED: return ps->st.is_live ? "直播已结束" : "播放完毕";
    case PLAYER_ERROR: return "无法播放";
    }
    return "";
}

static void draw_top(struct pscreen *ps, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    osd_bar(ui, 0, TOP_BAR_H);
    int cy = THEME_SAFE_Y + (TOP_BAR_H - THEME_SAFE_Y) / 2;
    /* Right: the live pill at the far right, the state in words before it. */
    int right = safe.x + safe.w;
    if (ps->st.is_live && !ps->is_replay) {
        int pw = osd_pill_width(ui, "直播");
        osd_pill(ui, "直播", right - pw, cy);
        right -= pw + 32;
    }
    /* The pill already says "live"; the words say only what is not normal. */
    const char *word = state_word(ps);
    if (ps->st.is_live && !ps->is_replay && ps->st.state == PLAYER_PLAYING)
        word = "";
    int ww = ui_text_width(ui, word, THEME_PX_BODY, FONT_BOLD);
    SDL_Rect wbox = { right - ww, cy - 40, ww, 80 };
    ui_text_in(ui, word, &wbox, THEME_PX_BODY, FONT_BOLD, theme_color(COL_OSD_TEXT_SOFT),
               UI_RIGHT);
    const char *title = ps->title[0] ? ps->title : "正在播放";
    SDL_Rect tbox = { safe.x, cy - 48, wbox.x - 48 - safe.x, 96 };
    ui_text_in(ui, title, &tbox, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_OSD_TEXT), UI_LEFT);
}

static void draw_bottom(struct pscreen *ps, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    int y = THEME_HINT_Y - BOTTOM_H;
    osd_bar(ui, y, BOTTOM_H);
    char pos[32], dur[32], line[80];
    pview_time(ps->st.position_s, pos, sizeof(pos));
    if (ps->st.is_live && !ps->is_replay) {
        /* A live stream's timestamps say nothing to a viewer: how long they have watched. */
        pview_time(ps->played_s, pos, sizeof(pos));
        snprintf(line, sizeof(line), "已看 %s", pos);
        SDL_Rect box = { safe.x, y + 40, safe.w, 96 };
        ui_text_in(ui, line, &box, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_OSD_TEXT), UI_LEFT);
        return;
    }
    pview_time(ps->st.duration_s, dur, sizeof(dur));
    if (ps->st.duration_s > 0)
        snprintf(line, sizeof(line), "%s / %s", pos, dur);
    else
        snprintf(line, sizeof(line), "%s", pos);
    int tw = ui_text_width(ui, line, THEME_PX_COUNT, FONT_BOLD);
    SDL_Rect tbox = { safe.x + safe.w - tw, y + 36, tw, 104 };
    ui_text_in(ui, line, &tbox, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_OSD_TEXT), UI_RIGHT);
    double frac = ps->st.duration_s > 0 ? ps->st.position_s / ps->st.duration_s : 0;
    SDL_Rect bar = { safe.x + 24, y + 88 - PROGRESS_H / 2, safe.w - tw - 96, PROGRESS_H };
    osd_progress(ui, &bar, frac);
}

static void draw_hints(struct pscreen *ps, struct ui *ui)
{
    const char *lr = ui->arrows_ok ? "◀▶" : "←→";
    const char *du = ui->arrows_ok ? "▼▲" : "↓↑";
    if (ps->st.is_live && !ps->is_replay) {
        const struct ui_hint live[] = { { "蓝键", "播放信息" }, { "返回", "退出" } };
        ui_draw_hint_bar(ui, live, 2);
        return;
    }
    const struct ui_hint vod[] = {
        { "OK", ps->st.state == PLAYER_PAUSED ? "播放" : "暂停" },
        { lr, "10秒" },
        { du, "1分钟" },
        { "1-9", "跳转" },
        { "蓝键", "信息" },
        { "返回", "退出" },
    };
    ui_draw_hint_bar(ui, vod, 6);
}

static void draw_stats(struct pscreen *ps, struct ui *ui)
{
    const struct player_stats *st = &ps->st;
    char res[64], codec[80], fps[64], drops[64], av[48], queues[96], rate[32], ttff[32];
    if (st->width > 0)
        snprintf(res, sizeof(res), "%d×%d  %s", st->width, st->height, st->pix_fmt);
    else
        snprintf(res, sizeof(res), "—");
    snprintf(codec, sizeof(codec), "%s / %s", st->video_codec[0] ? st->video_codec : "无",
             st->audio_codec[0] ? st->audio_codec : "无");
    snprintf(fps, sizeof(fps), "%.1f 帧/秒（标称 %.0f）", st->decode_fps, st->fps);
    snprintf(drops, sizeof(drops), "%llu（已显示 %llu）", (unsigned long long)st->frames_dropped,
             (unsigned long long)st->frames_presented);
    if (isnan(st->av_diff_ms))
        snprintf(av, sizeof(av), "—");
    else
        snprintf(av, sizeof(av), "%+.0f 毫秒", st->av_diff_ms);
    snprintf(queues, sizeof(queues), "视频 %.1f 秒 %d 帧，音频 %.1f 秒", st->vq_ms / 1000.0,
             st->vframes, st->aq_ms / 1000.0);
    snprintf(rate, sizeof(rate), "%d kbps", st->bitrate_kbps);
    if (st->ttff_ms >= 0)
        snprintf(ttff, sizeof(ttff), "%d 毫秒", st->ttff_ms);
    else
        snprintf(ttff, sizeof(ttff), "—");
    const struct osd_row rows[] = {
        { "分辨率", res },   { "编码", codec }, { "解码速度", fps }, { "丢帧", drops },
        { "音画差", av },    { "缓冲", queues }, { "码率", rate },  { "首帧", ttff },
    };
    SDL_Rect safe = theme_safe_rect();
    int top = TOP_BAR_H + 16, bottom = THEME_HINT_Y - BOTTOM_H - 16;
    SDL_Rect r = { safe.x + safe.w - STATS_W, top, STATS_W, bottom - top };
    osd_rows_panel(ui, &r, "播放信息", rows, (int)(sizeof(rows) / sizeof(rows[0])));
}

static void draw_playing(struct pscreen *ps, struct ui *ui)
{
    switch (ps->st.state) {
    case PLAYER_OPENING:
        osd_status(ui, "正在打开…", ps->title[0] ? ps->title : NULL);
        break;
    case PLAYER_BUFFERING:
        osd_status(ui, "正在缓冲…", "网络有点慢，请稍等");
        break;
    case PLAYER_RECONNECTING:
        osd_status(ui, "正在重新连接…", "信号中断了，马上回来");
        break;
    case PLAYER_PAUSED:
        osd_status(ui, "已暂停", "按 OK 继续播放");
        break;
    default:
        break;
    }
    if (ps->osd_visible || ps->st.state == PLAYER_PAUSED) {
        draw_top(ps, ui);
        draw_bottom(ps, ui);
        draw_hints(ps, ui);
        ps->osd_drawn = 1;
    }
    if (ps->stats_on) {
        draw_stats(ps, ui);
        ps->stats_drawn = 1;
    }
}

static SDL_Rect message_rect(void)
{
    SDL_Rect r = { (THEME_W - 1400) / 2, 300, 1400, 440 };
    return r;
}

void pview_draw(struct pscreen *ps, struct ui *ui)
{
    SDL_Rect full = { 0, 0, THEME_W, THEME_H };
    ps->video_drawn = ps->osd_drawn = ps->stats_drawn = 0;
    if (ps->phase == PP_PLAYING && ps->p && !ps->no_present && ps->st.frames_presented > 0) {
        /* The picture and its black bars cover every pixel: filling first would cost a
         * whole-window pass on a software GL (+0.09 s/s at 720p with llvmpipe). */
        recorder_rect(&ui->rec, &full, theme_color(COL_VIDEO_BG));
        player_draw(ps->p, ui->r, &full);
        ps->video_drawn = 1;
    } else {
        ui_fill_rect(ui, &full, theme_color(COL_VIDEO_BG));
    }
    SDL_Rect panel = message_rect();
    switch (ps->phase) {
    case PP_ASKING: {
        osd_status(ui, "正在打开…", ps->title[0] ? ps->title : NULL);
        const struct ui_hint h[] = { { "返回", "退出" } };
        ui_draw_hint_bar(ui, h, 1);
        break;
    }
    case PP_PROMPT: {
        char t[64], q[128];
        pview_time(ps->resume_s, t, sizeof(t));
        snprintf(q, sizeof(q), "从上次看到的 %s 继续播放？", t);
        ui_draw_panel(ui, &panel, q, ps->title[0] ? ps->title : NULL,
                      "按 OK 继续，按“返回”从头播放");
        const struct ui_hint h[] = { { "OK", "继续播放" }, { "返回", "从头播放" } };
        ui_draw_hint_bar(ui, h, 2);
        break;
    }
    case PP_PLAYING:
        draw_playing(ps, ui);
        break;
    case PP_ERROR: {
        const char *what, *help;
        error_text(ps->error, &what, &help);
        ui_draw_panel(ui, &panel, what, ps->title[0] ? ps->title : NULL, help);
        const struct ui_hint h[] = { { "OK", "再试一次" }, { "返回", "退出" } };
        ui_draw_hint_bar(ui, h, 2);
        break;
    }
    case PP_LIVE_ENDED: {
        int replay = ps->replay[0] != '\0';
        ui_draw_panel(ui, &panel, "直播已结束", ps->title[0] ? ps->title : NULL,
                      replay ? "按 OK 看回放" : "谢谢收看");
        const struct ui_hint with[] = { { "OK", "看回放" }, { "返回", "退出" } };
        const struct ui_hint without[] = { { "返回", "退出" } };
        if (replay)
            ui_draw_hint_bar(ui, with, 2);
        else
            ui_draw_hint_bar(ui, without, 1);
        break;
    }
    }
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isnan(v) || isinf(v))
        cJSON_AddNullToObject(o, k);
    else
        cJSON_AddNumberToObject(o, k, v);
}

void pview_fill_state(const struct pscreen *ps, const struct player_stats *st, cJSON *o)
{
    cJSON_AddStringToObject(o, "phase", pview_phase_name(ps->phase));
    cJSON_AddStringToObject(o, "player_state", player_state_name(st->state));
    cJSON_AddStringToObject(o, "error", player_error_name(ps->phase == PP_ERROR ? ps->error
                                                                                : st->error));
    add_num(o, "position_s", round(st->position_s * 1000.0) / 1000.0);
    add_num(o, "duration_s", st->duration_s);
    add_num(o, "played_s", round(ps->played_s * 1000.0) / 1000.0);
    add_num(o, "frames_decoded", (double)st->frames_decoded);
    add_num(o, "frames_presented", (double)st->frames_presented);
    add_num(o, "frames_dropped", (double)st->frames_dropped);
    add_num(o, "av_diff_ms", round(st->av_diff_ms * 10.0) / 10.0);
    add_num(o, "ttff_ms", st->ttff_ms);
    cJSON_AddBoolToObject(o, "is_live", st->is_live);
    cJSON_AddBoolToObject(o, "seekable", st->seekable);
    add_num(o, "width", st->width);
    add_num(o, "height", st->height);
    cJSON_AddStringToObject(o, "video_codec", st->video_codec);
    cJSON_AddStringToObject(o, "audio_codec", st->audio_codec);
    add_num(o, "decode_fps", round(st->decode_fps * 10.0) / 10.0);
    add_num(o, "bitrate_kbps", st->bitrate_kbps);
    add_num(o, "audio_underruns", (double)st->audio_underruns);
    cJSON_AddBoolToObject(o, "osd", ps->osd_drawn);
    cJSON_AddBoolToObject(o, "stats", ps->stats_drawn);
    cJSON_AddBoolToObject(o, "replay", ps->is_replay);
    cJSON_AddStringToObject(o, "source", !ps->fallback[0] ? "direct"
                                         : st->on_fallback ? "fallback"
                                                           : "multicast");
    if (ps->phase == PP_PROMPT)
        add_num(o, "resume_offer_s", ps->resume_s);
}
