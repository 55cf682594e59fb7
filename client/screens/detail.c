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
#include "screens/fetch.h"
#include "screens/picture.h"
#include "screens/form.h"
#include "screens/detail_table.h"
#include "screens/ledger_chart.h"
#include "ui/layout.h"
#include "ui/table.h"
#include "ui/theme.h"
#include "ui/widgets.h"
#include "ui/wrap.h"

enum {
    RETRY_MS = 5000,  /* the item could not be read: try again this often */
    META_H = 64,      /* kind · date · who, at the top of every page */
    LINE_H = 66,      /* a body line at THEME_PX_BODY */
    CAPTION_H = 64,   /* "收支明细（单位：元）" */
    ROW_H = 60,       /* a table row */
    GAP_H = 24,       /* between paragraphs and before the table */
    PICTURE_W = 520,  /* a poster or photo at the right of the first page */
    PICTURE_H = 560,
    PICTURE_GAP = 48,
    CHART_H = THEME_CONTENT_H - META_H, /* the months' chart: a page of its own */
};

enum block_kind { B_LINE, B_GAP, B_CAPTION, B_ROW, B_CHART };

struct block {
    enum block_kind kind;
    int index; /* B_LINE: line number; B_ROW: table row (the last may be the totals) */
};

struct detail {
    struct screen base;
    int64_t id;
    char title[API_TITLE_MAX];
    struct fetch fetch;     /* the item: loading / ready / error with retry */
    struct cat_detail d;    /* owned when have */
    int have;
    char meta[256];
    struct ui_line *lines;  /* owned, n_lines: the body wrapped */
    int n_lines;
    struct detail_table table; /* a disclosure's ledger, dues or new members, when kind */
    struct block *blocks;   /* owned, n_blocks */
    int n_blocks;
    int *page_start;        /* owned, n_pages + 1 block indexes */
    int n_pages;
    int page;               /* 0-based */
    struct picture pic;     /* the course's poster or the pioneer's photo */
    struct ledger_chart chart; /* a finance disclosure's months, when has_chart */
    int has_chart;
};

/* The text column: the content band, less the picture's place when there is one. */
static SDL_Rect text_rect(const struct detail *dt)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect r = { safe.x, THEME_CONTENT_Y, safe.w, THEME_CONTENT_H };
    if (dt->d.picture[0])
        r.w -= PICTURE_W + PICTURE_GAP;
    return r;
}

static SDL_Rect picture_rect(void)
{
    SDL_Rect safe = theme_safe_rect();
    int h = THEME_CONTENT_H - META_H < PICTURE_H ? THEME_CONTENT_H - META_H : PICTURE_H;
    SDL_Rect r = { safe.x + safe.w - PICTURE_W, THEME_CONTENT_Y + META_H, PICTURE_W, h };
    return r;
}

/* What the page reads: the body, or a pioneer's citation when there is no body. */
static const char *body_text(const struct detail *dt)
{
    if (dt->d.body && dt->d.body[0])
        return dt->d.body;
    return dt->d.citation ? dt->d.citation : "";
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
    case B_CHART:
        return CHART_H;
    }
    return 0;
}

/* Wrap the body, build the table, then cut the column of blocks into pages. */
static int layout(struct detail *dt, struct ui *ui)
{
    SDL_Rect area = text_rect(dt);
    const char *body = body_text(dt);
    /* Room at the right for a closing mark the wrap keeps on its line. */
    int wrap_w = area.w - THEME_PX_BODY;
    dt->n_lines = ui_wrap(ui, body, THEME_PX_BODY, FONT_REGULAR, wrap_w, NULL, 0);
    dt->lines = calloc((size_t)dt->n_lines + 1, sizeof(*dt->lines));
    if (!dt->lines)
        return -ENOMEM;
    ui_wrap(ui, body, THEME_PX_BODY, FONT_REGULAR, wrap_w, dt->lines, dt->n_lines);
    if (detail_table_build(&dt->table, &dt->d) < 0)
        return -ENOMEM;
    dt->has_chart = dt->d.has_ledger && ledger_chart_build(&dt->chart, &dt->d) > 0;
    int max_blocks = dt->n_lines + 3 + dt->table.n_rows;
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
    if (dt->table.kind) {
        dt->blocks[n++] = (struct block){ B_CAPTION, 0 };
        for (int r = 0; r < dt->table.n_rows; r++)
            dt->blocks[n++] = (struct block){ B_ROW, r };
    }
    if (dt->has_chart)
        dt->blocks[n++] = (struct block){ B_CHART, 0 };
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
            int whole = CAPTION_H + ui_table_height(ROW_H, dt->table.n_rows);
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

static const struct fetch_texts detail_texts = {
    .loading = "正在打开…",
    .loading_help = "请稍等",
    .empty = "这里还没有内容", /* an item always has something; kept for completeness */
    .empty_help = NULL,
    .mode = NET_MSG_RETRYING,
};

static int64_t send_item(void *ctx)
{
    struct detail *dt = ctx;
    struct net *net = dt->base.own.svc->net;
    return net ? api_item_get(net, dt->id) : -ENOTCONN;
}

/* Forget a previous answer (a retry after an error). */
static void reset(struct detail *dt)
{
    cat_detail_free(&dt->d);
    free(dt->lines);
    detail_table_fini(&dt->table);
    free(dt->blocks);
    free(dt->page_start);
    dt->lines = NULL;
    dt->blocks = NULL;
    dt->page_start = NULL;
    dt->n_lines = dt->n_blocks = dt->n_pages = dt->page = 0;
    dt->have = 0;
    dt->has_chart = 0;
}

/* An answer that cannot be shown: the error panel says why and retries by itself. */
static void fail(struct detail *dt, const struct net_result *r, const char *what,
                 const char *help)
{
    uint32_t now = SDL_GetTicks();
    fetch_fail(&dt->fetch, r, now);
    if (what) { /* not the network's fault: say what it is instead */
        dt->fetch.error.what = what;
        dt->fetch.error.help = help;
    }
}

static void detail_on_net(struct screen *s, const struct net_result *r)
{
    struct detail *dt = (struct detail *)s;
    if (picture_take(&dt->pic, r))
        return;
    if (!fetch_take(&dt->fetch, r))
        return;
    reset(dt);
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
        fail(dt, r, NULL, NULL);
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
        reset(dt);
        fail(dt, r, "内容太长，没能显示", "请联系村干部");
        return;
    }
    dt->page = 0;
    fetch_ok(&dt->fetch, 0);
    picture_start(&dt->pic, &s->own, dt->d.picture, picture_rect());
}

static int detail_tick(struct screen *s, uint32_t now)
{
    struct detail *dt = (struct detail *)s;
    picture_tick(&dt->pic);
    return fetch_tick(&dt->fetch, now);
}

static int detail_action(struct screen *s, enum action a, struct nav *nav)
{
    struct detail *dt = (struct detail *)s;
    (void)nav;
    if (fetch_action(&dt->fetch, a, SDL_GetTicks()))
        return 1; /* OK in the error panel: try again now */
    if (fetch_blocking(&dt->fetch))
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
    SDL_Rect area = text_rect(dt);
    struct ui_table t = {
        .x = area.x,
        .y = y,
        .w = area.w,
        .row_h = ROW_H,
        .cols = dt->table.cols,
        .n_cols = dt->table.n_cols,
        .cells = dt->table.cell_ptrs + (size_t)first_row * (size_t)dt->table.n_cols,
        .n_rows = n,
        .last_is_total = dt->table.has_total && first_row + n == dt->table.n_rows,
    };
    ui_draw_table(ui, &t);
}

static void draw_page(struct detail *dt, struct ui *ui)
{
    SDL_Rect area = text_rect(dt);
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
            memcpy(text, body_text(dt) + l->start, len);
            text[len] = '\0';
            SDL_Rect box = { area.x, y, area.w, LINE_H };
            ui_text_in(ui, text, &box, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT),
                       UI_LEFT);
        } else if (b->kind == B_CAPTION) {
            SDL_Rect box = { area.x, y + 8, area.w, CAPTION_H - 8 };
            ui_text_in(ui, dt->table.caption, &box, THEME_PX_BODY, FONT_BOLD,
                       theme_color(COL_TEXT_SOFT), UI_LEFT);
        } else if (b->kind == B_ROW) {
            int n = 1;
            while (i + n < to && dt->blocks[i + n].kind == B_ROW)
                n++;
            draw_table_rows(dt, ui, b->index, n, y);
            y += ui_table_height(ROW_H, n);
            i += n - 1;
            continue;
        } else if (b->kind == B_CHART) {
            SDL_Rect box = { area.x, y, area.w, CHART_H };
            ledger_chart_draw(&dt->chart, ui, &box);
        }
        y += block_h(b);
    }
    /* Say there is more, where the eye stops: not everyone reads the page number. */
    if (dt->page + 1 < dt->n_pages && y + LINE_H + GAP_H <= area.y + area.h) {
        enum block_kind next = dt->blocks[dt->page_start[dt->page + 1]].kind;
        const char *what = next == B_CAPTION ? dt->table.next_hint
                           : next == B_CHART ? "每月收支图在下一页"
                                             : "还有下一页";
        char text[128];
        snprintf(text, sizeof(text), "%s，请按 %s 键", what, ui->arrows_ok ? "▼" : "↓");
        SDL_Rect more = { area.x, y + GAP_H, area.w, LINE_H };
        ui_text_in(ui, text, &more, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT_SOFT), UI_LEFT);
    }
}

static void detail_draw(struct screen *s, struct ui *ui)
{
    struct detail *dt = (struct detail *)s;
    SDL_Rect safe = theme_safe_rect();
    int title_w = !fetch_blocking(&dt->fetch) && dt->n_pages > 1 ? safe.w - 320 : safe.w;
    SDL_Rect tbox = { safe.x, THEME_HEADER_Y, title_w, THEME_HEADER_H };
    ui_text_in(ui, dt->title, &tbox, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    static const struct ui_hint back[] = { { "返回", "上一页" }, { "主页", "回首页" } };
    if (fetch_draw(&dt->fetch, ui, back, 2, SDL_GetTicks()))
        return;
    if (dt->n_pages > 1) {
        char ind[64];
        snprintf(ind, sizeof(ind), "第 %d/%d 页", dt->page + 1, dt->n_pages);
        SDL_Rect ibox = { safe.x + safe.w - 300, THEME_HEADER_Y, 300, THEME_HEADER_H };
        ui_text_in(ui, ind, &ibox, THEME_PX_COUNT, FONT_BOLD, theme_color(COL_TEXT_SOFT),
                   UI_RIGHT);
    }
    draw_page(dt, ui);
    if (dt->page == 0 && dt->d.picture[0])
        picture_draw(&dt->pic, ui, "detail.picture");
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
    cJSON_AddStringToObject(state, "detail", fetch_phase_name(dt->fetch.phase));
    if (fetch_blocking(&dt->fetch))
        return;
    cJSON_AddStringToObject(state, "kind", dt->d.head.kind);
    cJSON_AddNumberToObject(state, "page", dt->page + 1);
    cJSON_AddNumberToObject(state, "pages", dt->n_pages);
    cJSON_AddNumberToObject(state, "ledger_lines", dt->d.n_lines);
    int first_row = -1, n_rows = 0;
    for (int i = dt->page_start[dt->page]; i < dt->page_start[dt->page + 1]; i++) {
        if (dt->blocks[i].kind == B_ROW) {
            first_row = first_row < 0 ? dt->blocks[i].index : first_row;
            n_rows++;
        }
    }
    detail_table_dump(&dt->table, first_row, n_rows, state);
    if (dt->has_chart) {
        int on_page = 0;
        for (int i = dt->page_start[dt->page]; i < dt->page_start[dt->page + 1]; i++)
            on_page |= dt->blocks[i].kind == B_CHART;
        cJSON_AddBoolToObject(state, "chart_on_page", on_page);
        ledger_chart_dump(&dt->chart, state);
    }
    cJSON_AddStringToObject(state, "picture", picture_state(&dt->pic));
}

/* The yellow key: the title on the first page, then the lines of the page on screen. */
static size_t detail_read_text(const struct screen *s, char *out, size_t size)
{
    const struct detail *dt = (const struct detail *)s;
    if (fetch_blocking(&dt->fetch) || size == 0)
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
        memcpy(out + n, body_text(dt) + l->start, l->len);
        n += l->len;
        out[n] = '\0';
    }
    return n;
}

static void detail_destroy(struct screen *s)
{
    struct detail *dt = (struct detail *)s;
    reset(dt);
    picture_fini(&dt->pic);
    free(dt);
}

static const struct screen_ops detail_ops = {
    .destroy = detail_destroy,
    .on_action = detail_action,
    .on_net = detail_on_net,
    .tick = detail_tick,
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
    fetch_init(&dt->fetch, &dt->base.own, send_item, dt, &detail_texts, RETRY_MS);
    dt->fetch.busy = &dt->base.loading;
    fetch_start(&dt->fetch, SDL_GetTicks());
    return &dt->base;
}
