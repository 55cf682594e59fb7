/* An item to read, split in pages (see detail.h). The content is laid out once, when it
 * arrives, as a column of blocks (text lines, a caption, table rows) of known heights; a
 * page is a run of blocks that fits the content band, and a page of table rows repeats the
 * table's header row. */
#define LOG_TAG "detail"
#include "screens/detail.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/api.h"
#include "net/catalogue.h"
#include "screens/form.h"
#include "screens/netmsg.h"
#include "ui/layout.h"
#include "ui/table.h"
#include "ui/theme.h"
#include "ui/widgets.h"
#include "ui/wrap.h"

enum {
    META_H = 64,      /* kind · date · who, at the top of every page */
    LINE_H = 66,      /* a body line at THEME_PX_BODY */
    CAPTION_H = 64,   /* "收支明细（单位：元）" */
    ROW_H = 60,       /* a table row */
    GAP_H = 24,       /* between paragraphs and before the table */
    LEDGER_COLS = 5,
};

enum block_kind { B_LINE, B_GAP, B_CAPTION, B_ROW };

struct block {
    enum block_kind kind;
    int index; /* B_LINE: line number; B_ROW: table row (the last may be the totals) */
};

enum dstate { DS_LOADING, DS_READY, DS_ERROR };

struct detail {
    struct screen base;
    int64_t id;
    char title[API_TITLE_MAX];
    enum dstate state;
    struct net_msg error;
    int64_t serial;
    struct cat_detail d;    /* owned when have */
    int have;
    char meta[256];
    struct ui_line *lines;  /* owned, n_lines: the body wrapped */
    int n_lines;
    char (*cells)[API_TITLE_MAX]; /* owned, n_rows * LEDGER_COLS */
    const char **cell_ptrs; /* owned, the same as pointers for ui_table */
    int n_rows;             /* ledger lines + the totals row */
    struct block *blocks;   /* owned, n_blocks */
    int n_blocks;
    int *page_start;        /* owned, n_pages + 1 block indexes */
    int n_pages;
    int page;               /* 0-based */
};

static const struct ui_table_col ledger_cols[LEDGER_COLS] = {
    { "日期", 18, UI_LEFT },
    { "项目", 40, UI_LEFT },
    { "收入", 20, UI_RIGHT },
    { "支出", 20, UI_RIGHT },
    { "余额", 22, UI_RIGHT },
};

static SDL_Rect text_rect(void)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect r = { safe.x, THEME_CONTENT_Y, safe.w, THEME_CONTENT_H };
    return r;
}

static int block_h(const struct block *b)
{
    switch (b->kind) {
    case B_LINE:
        return LINE_H;
    case B_GAP:
        return GAP_H;
    case B_CAPTION:
        return CAPTION_H;
    case B_ROW:
        return ROW_H;
    }
    return 0;
}

static void set_cell(struct detail *dt, int row, int col, const char *s)
{
    snprintf(dt->cells[row * LEDGER_COLS + col], sizeof(dt->cells[0]), "%s", s);
}

static int build_ledger(struct detail *dt)
{
    const struct cat_detail *d = &dt->d;
    dt->n_rows = d->n_lines + 1;
    dt->cells = calloc((size_t)dt->n_rows * LEDGER_COLS, sizeof(*dt->cells));
    dt->cell_ptrs = calloc((size_t)dt->n_rows * LEDGER_COLS, sizeof(*dt->cell_ptrs));
    if (!dt->cells || !dt->cell_ptrs)
        return -ENOMEM;
    char money[48];
    for (int i = 0; i < d->n_lines; i++) {
        const struct cat_ledger_line *l = &d->lines[i];
        char day[32];
        cat_format_day(l->date, day, sizeof(day));
        set_cell(dt, i, 0, day);
        set_cell(dt, i, 1, l->item);
        /* A blank, not 0.00, where a line has no income (or no expense): easier to read. */
        cat_format_yuan(l->income_fen, money, sizeof(money));
        set_cell(dt, i, 2, l->income_fen ? money : "");
        cat_format_yuan(l->expense_fen, money, sizeof(money));
        set_cell(dt, i, 3, l->expense_fen ? money : "");
        cat_format_yuan(l->balance_fen, money, sizeof(money));
        set_cell(dt, i, 4, money);
    }
    int t = d->n_lines;
    set_cell(dt, t, 0, "合计");
    set_cell(dt, t, 1, "");
    cat_format_yuan(d->income_fen, money, sizeof(money));
    set_cell(dt, t, 2, money);
    cat_format_yuan(d->expense_fen, money, sizeof(money));
    set_cell(dt, t, 3, money);
    cat_format_yuan(d->balance_fen, money, sizeof(money));
    set_cell(dt, t, 4, money);
    for (int i = 0; i < dt->n_rows * LEDGER_COLS; i++)
        dt->cell_ptrs[i] = dt->cells[i];
    return 0;
}

/* Wrap the body, build the table, then cut the column of blocks into pages. */
static int layout(struct detail *dt, struct ui *ui)
{
    SDL_Rect area = text_rect();
    const char *body = dt->d.body ? dt->d.body : "";
    /* Room at the right for a closing mark the wrap keeps on its line. */
    int wrap_w = area.w - THEME_PX_BODY;
    dt->n_lines = ui_wrap(ui, body, THEME_PX_BODY, FONT_REGULAR, wrap_w, NULL, 0);
    dt->lines = calloc((size_t)dt->n_lines + 1, sizeof(*dt->lines));
    if (!dt->lines)
        return -ENOMEM;
    ui_wrap(ui, body, THEME_PX_BODY, FONT_REGULAR, wrap_w, dt->lines, dt->n_lines);
    if (dt->d.has_ledger && build_ledger(dt) < 0)
        return -ENOMEM;
    int max_blocks = dt->n_lines + 2 + dt->n_rows;
    dt->blocks = calloc((size_t)max_blocks, sizeof(*dt->blocks));
    dt->page_start = calloc((size_t)max_blocks + 2, sizeof(*dt->page_start));
    if (!dt->blocks || !dt->page_start)
        return -ENOMEM;
    int n = 0;
    for (int i = 0; i < dt->n_lines; i++) {
        if (dt->lines[i].len == 0)
            dt->blocks[n++] = (struct block){ B_GAP, i }; /* a paragraph break */
        else
            dt->blocks[n++] = (struct block){ B_LINE, i };
    }
    if (dt->d.has_ledger) {
        dt->blocks[n++] = (struct block){ B_CAPTION, 0 };
        for (int r = 0; r < dt->n_rows; r++)
            dt->blocks[n++] = (struct block){ B_ROW, r };
    }
    dt->n_blocks = n;
    /* Pages: blocks while they fit; a page's first table row brings the header row. */
    int avail = area.h - META_H;
    int p = 0, used = 0, header = 0;
    dt->page_start[0] = 0;
    for (int i = 0; i < n; i++) {
        int h = block_h(&dt->blocks[i]);
        int need = h + (dt->blocks[i].kind == B_ROW && !header ? ROW_H : 0);
        /* A caption never ends a page: keep it with the first rows; and a table that fits
         * one page whole starts on a fresh page rather than being cut in two. */
        if (dt->blocks[i].kind == B_CAPTION) {
            int whole = CAPTION_H + ui_table_height(ROW_H, dt->n_rows);
            need = whole <= avail ? whole : CAPTION_H + 2 * ROW_H;
        }
        if (used > 0 && used + need > avail) {
            dt->page_start[++p] = i;
            used = 0;
            header = 0;
            if (dt->blocks[i].kind == B_GAP)
                continue; /* no blank at the top of a page */
        }
        if (dt->blocks[i].kind == B_ROW && !header) {
            used += ROW_H;
            header = 1;
        }
        used += h;
    }
    dt->n_pages = p + 1;
    dt->page_start[dt->n_pages] = n;
    return 0;
}

static void request(struct detail *dt)
{
    struct net *net = dt->base.own.svc->net;
    int64_t serial = net ? screen_track(&dt->base, api_item_get(net, dt->id)) : -ENOTCONN;
    dt->base.own.dirty = 1;
    if (serial < 0) {
        log_error("cannot ask for item %" PRId64 ": %s", dt->id, strerror((int)-serial));
        dt->state = DS_ERROR;
        dt->error.what = "网络出了问题，没能打开";
        dt->error.help = "请稍后再试";
        dt->base.loading = 0;
        return;
    }
    dt->serial = serial;
    dt->state = DS_LOADING;
    dt->base.loading = 1;
}

/* Forget a previous answer (a retry after an error). */
static void reset(struct detail *dt)
{
    cat_detail_free(&dt->d);
    free(dt->lines);
    free(dt->cells);
    free(dt->cell_ptrs);
    free(dt->blocks);
    free(dt->page_start);
    dt->lines = NULL;
    dt->cells = NULL;
    dt->cell_ptrs = NULL;
    dt->blocks = NULL;
    dt->page_start = NULL;
    dt->n_lines = dt->n_rows = dt->n_blocks = dt->n_pages = dt->page = 0;
    dt->have = 0;
}

static void detail_on_net(struct screen *s, const struct net_result *r)
{
    struct detail *dt = (struct detail *)s;
    if (r->serial != dt->serial)
        return;
    dt->serial = 0;
    reset(dt);
    s->own.dirty = 1;
    s->loading = 0;
    char why[256] = "";
    /* A quiz, an exam or a questionnaire is answered on its own screen. */
    if (r->error == NET_OK && r->http_status == 200 && form_item_has_form(r->body)) {
        owner_navigate(&s->own, NAV_REPLACE, form_screen_create(s->own.svc, dt->id, dt->title));
        return;
    }
    if (r->error != NET_OK || r->http_status != 200 ||
        cat_parse_detail(r->body ? r->body : "", &dt->d, why, sizeof(why)) < 0) {
        log_warn("item %" PRId64 ": %s, HTTP %ld %s", dt->id, net_error_str(r->error),
                 r->http_status, why);
        dt->state = DS_ERROR;
        dt->error = net_msg_for(r, NET_MSG_GAVE_UP);
        return;
    }
    dt->have = 1;
    snprintf(dt->title, sizeof(dt->title), "%s", dt->d.head.title);
    char date[64];
    cat_format_date(dt->d.head.when, date, sizeof(date));
    snprintf(dt->meta, sizeof(dt->meta), "%s · %s%s%s", dt->d.head.kind, date,
             dt->d.head.scope[0] ? " · " : "", dt->d.head.scope);
    if (layout(dt, s->own.svc->ui) < 0) {
        log_error("out of memory laying out item %" PRId64, dt->id);
        dt->state = DS_ERROR;
        dt->error.what = "内容太长，没能显示";
        dt->error.help = "请联系村干部";
        return;
    }
    dt->state = DS_READY;
    dt->page = 0;
}

static int detail_action(struct screen *s, enum action a, struct nav *nav)
{
    struct detail *dt = (struct detail *)s;
    (void)nav;
    if (dt->state == DS_ERROR && a == ACTION_OK) {
        if (!dt->serial)
            request(dt);
        return 1;
    }
    if (dt->state != DS_READY)
        return 0;
    int next = dt->page;
    if (a == ACTION_DOWN || a == ACTION_RIGHT || a == ACTION_OK)
        next++;
    else if (a == ACTION_UP || a == ACTION_LEFT)
        next--;
    else
        return 0;
    if (next >= 0 && next < dt->n_pages && next != dt->page) {
        dt->page = next;
        s->own.dirty = 1;
    }
    return 1;
}

static void draw_table_rows(struct detail *dt, struct ui *ui, int first_row, int n, int y)
{
    SDL_Rect area = text_rect();
    struct ui_table t = {
        .x = area.x,
        .y = y,
        .w = area.w,
        .row_h = ROW_H,
        .cols = ledger_cols,
        .n_cols = LEDGER_COLS,
        .cells = dt->cell_ptrs + (size_t)first_row * LEDGER_COLS,
        .n_rows = n,
        .last_is_total = first_row + n == dt->n_rows,
    };
    ui_draw_table(ui, &t);
}

static void draw_page(struct detail *dt, struct ui *ui)
{
    SDL_Rect area = text_rect();
    SDL_Rect mbox = { area.x, area.y, area.w, META_H };
    ui_text_in(ui, dt->meta, &mbox, THEME_PX_SMALL, FONT_REGULAR, theme_color(COL_TEXT_SOFT),
               UI_LEFT);
    int y = area.y + META_H;
    int from = dt->page_start[dt->page], to = dt->page_start[dt->page + 1];
    for (int i = from; i < to; i++) {
        const struct block *b = &dt->blocks[i];
        if (b->kind == B_LINE) {
            const struct ui_line *l = &dt->lines[b->index];
            char text[1024];
            size_t len = l->len < sizeof(text) - 1 ? l->len : sizeof(text) - 1;
            memcpy(text, dt->d.body + l->start, len);
            text[len] = '\0';
            SDL_Rect box = { area.x, y, area.w, LINE_H };
            ui_text_in(ui, text, &box, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT),
                       UI_LEFT);
        } else if (b->kind == B_CAPTION) {
            SDL_Rect box = { area.x, y + 8, area.w, CAPTION_H - 8 };
            ui_text_in(ui, "收支明细（单位：元）", &box, THEME_PX_BODY, FONT_BOLD,
                       theme_color(COL_TEXT_SOFT), UI_LEFT);
        } else if (b->kind == B_ROW) {
            int n = 1;
            while (i + n < to && dt->blocks[i + n].kind == B_ROW)
                n++;
            draw_table_rows(dt, ui, b->index, n, y);
            y += ui_table_height(ROW_H, n);
            i += n - 1;
            continue;
        }
        y += block_h(b);
    }
    /* Say there is more, where the eye stops: not everyone reads the page number. */
    if (dt->page + 1 < dt->n_pages && y + LINE_H + GAP_H <= area.y + area.h) {
        int table_next = dt->blocks[dt->page_start[dt->page + 1]].kind == B_CAPTION;
        char text[128];
        snprintf(text, sizeof(text), "%s，请按 %s 键", table_next ? "收支明细在下一页" : "还有下一页",
                 ui->arrows_ok ? "▼" : "↓");
        SDL_Rect more = { area.x, y + GAP_H, area.w, LINE_H };
        ui_text_in(ui, text, &more, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT_SOFT), UI_LEFT);
    }
}

static void detail_draw(struct screen *s, struct ui *ui)
{
    struct detail *dt = (struct detail *)s;
    SDL_Rect safe = theme_safe_rect();
    int title_w = dt->state == DS_READY && dt->n_pages > 1 ? safe.w - 320 : safe.w;
    SDL_Rect tbox = { safe.x, THEME_HEADER_Y, title_w, THEME_HEADER_H };
    ui_text_in(ui, dt->title, &tbox, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    SDL_Rect panel = layout_message_panel();
    static const struct ui_hint back[] = { { "返回", "上一页" }, { "主页", "回首页" } };
    if (dt->state == DS_LOADING) {
        ui_draw_panel(ui, &panel, "正在打开…", "请稍等", NULL);
        ui_draw_hint_bar(ui, back, 2);
        return;
    }
    if (dt->state == DS_ERROR) {
        ui_draw_panel(ui, &panel, dt->error.what, dt->error.help,
                      dt->serial ? "正在重新打开…" : "按 OK 键再试一次");
        static const struct ui_hint retry[] = {
            { "OK", "再试一次" }, { "返回", "上一页" }, { "主页", "回首页" } };
        ui_draw_hint_bar(ui, retry, 3);
        return;
    }
    if (dt->n_pages > 1) {
        char ind[64];
        snprintf(ind, sizeof(ind), "第 %d/%d 页", dt->page + 1, dt->n_pages);
        SDL_Rect ibox = { safe.x + safe.w - 300, THEME_HEADER_Y, 300, THEME_HEADER_H };
        ui_text_in(ui, ind, &ibox, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_TEXT_SOFT),
                   UI_RIGHT);
    }
    draw_page(dt, ui);
    if (dt->n_pages > 1) {
        static const struct ui_hint paged[] = {
            { UI_KEY_ARROWS, "翻页" }, { "返回", "上一页" }, { "主页", "回首页" } };
        ui_draw_hint_bar(ui, paged, 3);
    } else {
        ui_draw_hint_bar(ui, back, 2);
    }
}

static void detail_dump_state(const struct screen *s, cJSON *state)
{
    const struct detail *dt = (const struct detail *)s;
    cJSON_AddNumberToObject(state, "item_id", (double)dt->id);
    cJSON_AddStringToObject(state, "detail", dt->state == DS_READY   ? "ready"
                                             : dt->state == DS_ERROR ? "error"
                                                                     : "loading");
    if (dt->state != DS_READY)
        return;
    cJSON_AddStringToObject(state, "kind", dt->d.head.kind);
    cJSON_AddNumberToObject(state, "page", dt->page + 1);
    cJSON_AddNumberToObject(state, "pages", dt->n_pages);
    cJSON_AddNumberToObject(state, "ledger_lines", dt->d.n_lines);
}

/* The yellow key: the title on the first page, then the lines of the page on screen. */
static size_t detail_read_text(const struct screen *s, char *out, size_t size)
{
    const struct detail *dt = (const struct detail *)s;
    if (dt->state != DS_READY || size == 0)
        return 0;
    size_t n = 0;
    if (dt->page == 0)
        n = (size_t)snprintf(out, size, "%s。", dt->title);
    if (n >= size)
        n = size - 1;
    int from = dt->page_start[dt->page], to = dt->page_start[dt->page + 1];
    for (int i = from; i < to; i++) {
        const struct block *b = &dt->blocks[i];
        if (b->kind != B_LINE)
            continue;
        const struct ui_line *l = &dt->lines[b->index];
        if (n + l->len + 1 > size)
            break;
        memcpy(out + n, dt->d.body + l->start, l->len);
        n += l->len;
        out[n] = '\0';
    }
    return n;
}

static void detail_destroy(struct screen *s)
{
    struct detail *dt = (struct detail *)s;
    reset(dt);
    free(dt);
}

static const struct screen_ops detail_ops = {
    .destroy = detail_destroy,
    .on_action = detail_action,
    .on_net = detail_on_net,
    .tick = NULL,
    .draw = detail_draw,
    .focus_name = NULL,
    .dump_state = detail_dump_state,
    .read_text = detail_read_text,
};

struct screen *detail_screen_create(struct app_services *svc, int64_t item_id,
                                    const char *title)
{
    struct detail *dt = calloc(1, sizeof(*dt));
    if (!dt)
        return NULL;
    screen_init(&dt->base, &detail_ops, svc, "detail");
    dt->id = item_id;
    snprintf(dt->title, sizeof(dt->title), "%s", title ? title : "");
    request(dt);
    return &dt->base;
}
