#define LOG_TAG "record"
#include "screens/record.h"

#include <SDL.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/household.h"
#include "log.h"
#include "net/record.h"
#include "net/rollcall.h"
#include "screens/fetch.h"
#include "ui/table.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum {
    RETRY_MS = 5000,
    SUMMARY_Y = THEME_CONTENT_Y,
    SUMMARY_H = 64,
    CAPTION_Y = SUMMARY_Y + SUMMARY_H + 8,
    CAPTION_H = 60,
    TABLE_Y = CAPTION_Y + CAPTION_H + 8,
    ROW_H = 76,
    ROWS_PER_PAGE = 5,
    COLS = 3,
    CELL_MAX = 224,
};

struct record_screen {
    struct screen base;
    struct fetch fetch;
    struct household *hh;     /* borrowed: svc->household */
    int cur;                  /* whose record: index into hh->members */
    struct record_model m;    /* owned when have_model */
    int have_model;
    int meeting_pages, credit_pages; /* each at least 1 (an empty table says so) */
    int page;                 /* 0-based over meeting pages then credit pages */
    char title[160];
    char summary[192];
    char page_text[32];
    char cells[ROWS_PER_PAGE][COLS][CELL_MAX];
    const char *cell_ptrs[ROWS_PER_PAGE * COLS];
};

static const struct ui_table_col meeting_cols[COLS] = {
    { "日期", 20, UI_LEFT },
    { "会议", 56, UI_LEFT },
    { "签到", 24, UI_LEFT },
};

static const struct ui_table_col credit_cols[COLS] = {
    { "日期", 20, UI_LEFT },
    { "内容", 62, UI_LEFT },
    { "学分", 18, UI_RIGHT },
};

static const struct fetch_texts record_texts = {
    .loading = "正在打开记录…",
    .loading_help = "请稍等",
    .empty = "还没有记录",
    .empty_help = NULL,
    .mode = NET_MSG_RETRYING,
};

/* The household may change under us (home refreshes it): never index past its end. */
static int64_t member_id(const struct record_screen *rs)
{
    return rs->cur < rs->hh->n ? rs->hh->members[rs->cur].id : 0;
}

static int64_t send_record(void *ctx)
{
    struct record_screen *rs = ctx;
    struct net *net = rs->base.own.svc->net;
    return net ? api_member_record(net, member_id(rs)) : -ENOTCONN;
}

static int pages_of(int rows)
{
    return rows <= 0 ? 1 : (rows + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;
}

static void set_title(struct record_screen *rs)
{
    if (rs->cur >= rs->hh->n)
        rs->cur = 0;
    snprintf(rs->title, sizeof(rs->title), "我的记录 · %s", rs->hh->members[rs->cur].name);
}

/* Show member i: forget what was shown, ask the server. */
static void show_member(struct record_screen *rs, int i)
{
    rs->cur = i;
    if (rs->have_model)
        record_model_free(&rs->m);
    rs->have_model = 0;
    rs->page = 0;
    set_title(rs);
    fetch_forget_data(&rs->fetch);
    rs->fetch.phase = FETCH_LOADING;
    rs->base.loading = 1;
    fetch_start(&rs->fetch, SDL_GetTicks());
    rs->base.own.dirty = 1;
}

static void record_on_net(struct screen *s, const struct net_result *r)
{
    struct record_screen *rs = (struct record_screen *)s;
    if (!fetch_take(&rs->fetch, r))
        return;
    struct record_model m;
    char why[256];
    if (r->error != NET_OK || r->http_status != 200 ||
        api_parse_record(r->body ? r->body : "", &m, why, sizeof(why)) < 0) {
        log_warn("record of member %" PRId64 " not read: %s, HTTP %ld", member_id(rs),
                 net_error_str(r->error), r->http_status);
        fetch_fail(&rs->fetch, r, SDL_GetTicks());
        return;
    }
    if (rs->have_model)
        record_model_free(&rs->m);
    rs->m = m;
    rs->have_model = 1;
    s->loading = 0;
    rs->meeting_pages = pages_of(m.n_meetings);
    rs->credit_pages = pages_of(m.n_credits);
    if (rs->page >= rs->meeting_pages + rs->credit_pages)
        rs->page = 0;
    snprintf(rs->summary, sizeof(rs->summary), "开会：应到 %d 次，到了 %d 次　　学分：一共 %d 分",
             m.meetings_called, m.meetings_attended, m.credits_total);
    fetch_ok(&rs->fetch, 0);
}

static int record_tick(struct screen *s, uint32_t now)
{
    struct record_screen *rs = (struct record_screen *)s;
    return fetch_tick(&rs->fetch, now);
}

static int record_action(struct screen *s, enum action a, struct nav *nav)
{
    (void)nav;
    struct record_screen *rs = (struct record_screen *)s;
    if (fetch_action(&rs->fetch, a, SDL_GetTicks()))
        return 1;
    int n = rs->hh->n;
    if ((a == ACTION_LEFT || a == ACTION_RIGHT) && n > 1) {
        show_member(rs, (rs->cur + (a == ACTION_LEFT ? n - 1 : 1)) % n);
        return 1;
    }
    if (fetch_blocking(&rs->fetch) || !rs->have_model)
        return action_is_direction(a);
    int pages = rs->meeting_pages + rs->credit_pages;
    if (a == ACTION_DOWN && rs->page + 1 < pages) {
        rs->page++;
        s->own.dirty = 1;
        return 1;
    }
    if (a == ACTION_UP && rs->page > 0) {
        rs->page--;
        s->own.dirty = 1;
        return 1;
    }
    return action_is_direction(a);
}

static void cell(struct record_screen *rs, int row, int col, const char *text)
{
    snprintf(rs->cells[row][col], CELL_MAX, "%s", text);
    rs->cell_ptrs[row * COLS + col] = rs->cells[row][col];
}

/* The rows of this page into the cells; returns how many. */
static int fill_page(struct record_screen *rs, int meetings, int first)
{
    int n = 0;
    int total = meetings ? rs->m.n_meetings : rs->m.n_credits;
    for (int i = first; i < total && n < ROWS_PER_PAGE; i++, n++) {
        char date[32], text[64];
        if (meetings) {
            const struct record_meeting *e = &rs->m.meetings[i];
            api_beijing_date(e->opened_at, date, sizeof(date));
            if (e->attended) {
                char hhmm[8];
                api_beijing_hhmm(e->checked_in_at, hhmm, sizeof(hhmm));
                snprintf(text, sizeof(text), "√ %s 签到", hhmm);
            } else {
                snprintf(text, sizeof(text), "没有签到");
            }
            cell(rs, n, 0, date);
            cell(rs, n, 1, e->title);
            cell(rs, n, 2, text);
        } else {
            const struct record_credit *e = &rs->m.credits[i];
            char what[CELL_MAX];
            api_beijing_date(e->earned_at, date, sizeof(date));
            snprintf(what, sizeof(what), "%s：%s", record_reason_text(e->reason), e->title);
            snprintf(text, sizeof(text), "%+d", e->points);
            cell(rs, n, 0, date);
            cell(rs, n, 1, what);
            cell(rs, n, 2, text);
        }
    }
    return n;
}

static void draw_page(struct record_screen *rs, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect sum = { safe.x, SUMMARY_Y, safe.w, SUMMARY_H };
    ui_text_in(ui, rs->summary, &sum, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    int meetings = rs->page < rs->meeting_pages;
    int first = (meetings ? rs->page : rs->page - rs->meeting_pages) * ROWS_PER_PAGE;
    int pages = meetings ? rs->meeting_pages : rs->credit_pages;
    int in_part = (meetings ? rs->page : rs->page - rs->meeting_pages) + 1;
    char caption[96];
    snprintf(caption, sizeof(caption), "%s%s", meetings ? "开会签到" : "学分明细",
             pages > 1 ? (in_part == 1 ? "（接下页）" : "（续）") : "");
    SDL_Rect cap = { safe.x, CAPTION_Y, safe.w, CAPTION_H };
    ui_text_in(ui, caption, &cap, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT_SOFT), UI_LEFT);
    int n = fill_page(rs, meetings, first);
    struct ui_table t = {
        .x = safe.x, .y = TABLE_Y, .w = safe.w, .row_h = ROW_H,
        .cols = meetings ? meeting_cols : credit_cols, .n_cols = COLS,
        .cells = rs->cell_ptrs, .n_rows = n,
    };
    ui_draw_table(ui, &t);
    if (n == 0) {
        SDL_Rect none = { safe.x, TABLE_Y + ROW_H, safe.w, ROW_H };
        ui_text_in(ui, meetings ? "还没有开会记录" : "还没有学分", &none, THEME_PX_BODY,
                   FONT_REGULAR, theme_color(COL_TEXT), UI_LEFT);
    }
}

static const struct ui_hint hints[] = {
    { UI_KEY_ARROWS, "上下翻页，左右换人" },
    { "返回", "回到首页" },
};

static void record_draw(struct screen *s, struct ui *ui)
{
    struct record_screen *rs = (struct record_screen *)s;
    SDL_Rect safe = theme_safe_rect();
    int pages = rs->meeting_pages + rs->credit_pages;
    int paged = !fetch_blocking(&rs->fetch) && rs->have_model;
    SDL_Rect tbox = { safe.x, THEME_HEADER_Y, safe.w - 360, THEME_HEADER_H };
    ui_text_in(ui, rs->title, &tbox, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    if (paged) {
        snprintf(rs->page_text, sizeof(rs->page_text), "第 %d/%d 页", rs->page + 1, pages);
        SDL_Rect pbox = { safe.x + safe.w - 340, THEME_HEADER_Y, 340, THEME_HEADER_H };
        ui_text_in(ui, rs->page_text, &pbox, THEME_PX_BODY, FONT_BOLD,
                   theme_color(COL_TEXT_SOFT), UI_RIGHT);
    }
    if (fetch_draw(&rs->fetch, ui, hints, 2, SDL_GetTicks()))
        return;
    draw_page(rs, ui);
    ui_draw_hint_bar(ui, hints, 2);
}

static const char *record_focus_name(const struct screen *s)
{
    (void)s;
    return "record.page";
}

static void record_dump(const struct screen *s, cJSON *state)
{
    const struct record_screen *rs = (const struct record_screen *)s;
    cJSON_AddNumberToObject(state, "member_id", (double)member_id(rs));
    cJSON_AddStringToObject(state, "fetch", fetch_phase_name(rs->fetch.phase));
    cJSON_AddNumberToObject(state, "page", rs->page + 1);
    cJSON_AddNumberToObject(state, "pages", rs->meeting_pages + rs->credit_pages);
}

static void record_destroy(struct screen *s)
{
    struct record_screen *rs = (struct record_screen *)s;
    if (rs->have_model)
        record_model_free(&rs->m);
    free(rs);
}

static const struct screen_ops record_ops = {
    .destroy = record_destroy,
    .on_action = record_action,
    .on_net = record_on_net,
    .tick = record_tick,
    .draw = record_draw,
    .focus_name = record_focus_name,
    .dump_state = record_dump,
};

struct screen *record_screen_create(struct app_services *svc)
{
    if (!svc->household || svc->household->n == 0)
        return NULL;
    struct record_screen *rs = calloc(1, sizeof(*rs));
    if (!rs)
        return NULL;
    screen_init(&rs->base, &record_ops, svc, "record");
    rs->hh = svc->household;
    int64_t first;
    household_viewers(rs->hh, &first, 1);
    for (int i = 0; i < rs->hh->n; i++) {
        if (rs->hh->members[i].id == first) {
            rs->cur = i;
            break;
        }
    }
    rs->meeting_pages = rs->credit_pages = 1;
    set_title(rs);
    fetch_init(&rs->fetch, &rs->base.own, send_record, rs, &record_texts, RETRY_MS);
    fetch_start(&rs->fetch, SDL_GetTicks());
    return &rs->base;
}
