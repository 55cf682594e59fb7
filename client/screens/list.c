/* A home section as a paged list (see list.h). */
#define LOG_TAG "list"
#include "screens/list.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/api.h"
#include "net/box_event.h"
#include "net/catalogue.h"
#include "screens/detail.h"
#include "screens/fetch.h"
#include "screens/list_posters.h"
#include "screens/list_tabs.h"
#include "screens/netmsg.h"
#include "screens/player.h"
#include "ui/layout.h"
#include "ui/list.h"
#include "ui/theme.h"
#include "ui/widgets.h"

/* RECHECK_MS: back from the player, the grid asks the positions again this much later, once
 * the player's own save of where it stopped (sent as it closed) has reached the server. */
enum { RETRY_MS = 10000, KNOWN_MAX = 8, RECHECK_MS = 1000 };

/* A course's media URL, fetched ahead while its row has the focus, so OK plays at once. */
struct known_media {
    int64_t id; /* 0 = free slot */
    char url[CAT_URL_MAX];
};

struct list_screen {
    struct screen base;
    char key[32];
    char title[API_NAME_MAX];
    struct fetch fetch;    /* the page on its way; loading / empty / error */
    struct cat_page page;  /* owned when have_page: the page on screen */
    int have_page;
    int per_page;          /* rows that fit the content band */
    int pages;
    int focus;             /* row on this page */
    int want_page;         /* the page asked for */
    int want_focus;        /* the row to focus on it; -1 = the last */
    int64_t keep_id;       /* a refresh: focus this item again where it now is (0 = none) */
    int64_t fetch_serial;  /* GET /api/v1/items/{id} of a course in flight, 0 = none */
    struct cat_entry fetching; /* that course's row, as it was when asked */
    int play_when_fetched; /* OK was pressed on it: play as soon as the URL is here */
    struct known_media known[KNOWN_MAX]; /* courses with media, newest replaces oldest */
    int next_known;
    Uint64 ok_counter;     /* when OK was pressed on the row being opened */
    char meta[CAT_PAGE_MAX][256];
    char tag[CAT_PAGE_MAX][64];
    struct ui_list_row rows[CAT_PAGE_MAX];
    char focus_name[48];
    int grid;                      /* the page is a poster grid, not rows */
    struct list_posters posters;   /* grid: the page's pictures and positions */
    int has_tabs;                  /* category buttons over the grid (党教园地) */
    struct list_tabs tabs;
    int on_tabs;                   /* the buttons have the focus, not the grid */
    int recheck;                   /* the player was opened: ask the positions again on return */
    uint32_t recheck_at;           /* when (SDL ticks) to ask them, 0 = not planned */
};

/* Sections whose items have pictures: a poster grid (cols x rows). Portraits stand taller.
 * 党教园地 has one row of four under its category buttons: few, large posters, and LEFT/RIGHT
 * is all it takes to walk through a category. */
static int grid_shape(const char *key, int *cols, int *rows)
{
    if (strcmp(key, "study") == 0) {
        *cols = 4;
        *rows = 1;
        return 1;
    }
    if (strcmp(key, "video") == 0 || strcmp(key, "live") == 0) {
        *cols = 4;
        *rows = 2;
        return 1;
    }
    if (strcmp(key, "pioneers") == 0) {
        *cols = 4;
        *rows = 1;
        return 1;
    }
    return 0;
}

/* The dump's name of the focused row: "item.12", "broadcast.3". */
static void update_focus_name(struct list_screen *ls)
{
    ls->focus_name[0] = '\0';
    if (ls->on_tabs) {
        snprintf(ls->focus_name, sizeof(ls->focus_name), "category.%s",
                 list_tabs_focused(&ls->tabs));
        return;
    }
    if (ls->focus < 0 || ls->focus >= ls->page.n)
        return;
    const struct cat_entry *e = &ls->page.items[ls->focus];
    snprintf(ls->focus_name, sizeof(ls->focus_name), "%s.%" PRId64,
             e->is_broadcast ? "broadcast" : "item", e->id);
}

static const struct fetch_texts list_texts = {
    .loading = "正在打开…",
    .loading_help = "请稍等",
    .empty = "这里还没有内容",
    .empty_help = "有新内容时会显示在这里",
    .mode = NET_MSG_GAVE_UP,
};

static int64_t send_page(void *ctx)
{
    struct list_screen *ls = ctx;
    struct net *net = ls->base.own.svc->net;
    const char *category = ls->has_tabs ? list_tabs_chosen(&ls->tabs) : NULL;
    return net ? api_section_items_in(net, ls->key, category, ls->want_page, ls->per_page)
               : -ENOTCONN;
}

static void request_page(struct list_screen *ls, int page, int focus)
{
    ls->want_page = page;
    ls->want_focus = focus;
    if (ls->grid)
        list_posters_clock(&ls->posters);
    if (fetch_start(&ls->fetch, SDL_GetTicks()) < 0) {
        if (ls->have_page) /* the page stays on screen */
            notices_post(ls->base.own.svc->notices, "网络出了问题，请稍后再试", 0);
    }
}

/* The row texts of the page on screen. */
static void build_rows(struct list_screen *ls)
{
    for (int i = 0; i < ls->page.n; i++) {
        const struct cat_entry *e = &ls->page.items[i];
        char date[64];
        cat_format_date(e->when, date, sizeof(date));
        ls->tag[i][0] = '\0';
        if (e->is_broadcast) {
            const char *state = strcmp(e->state, "live") == 0        ? "直播中"
                                : strcmp(e->state, "scheduled") == 0 ? "未开始"
                                : e->recording_url[0]                ? "看回放"
                                                                     : "已结束";
            snprintf(ls->tag[i], sizeof(ls->tag[i]), "%s", state);
            snprintf(ls->meta[i], sizeof(ls->meta[i]), "%s%s%s", e->scope,
                     e->scope[0] && date[0] ? " · " : "", date);
        } else {
            if (e->duration_s > 0) {
                char len[48];
                cat_format_duration(e->duration_s, len, sizeof(len));
                snprintf(ls->tag[i], sizeof(ls->tag[i]), "%s %s",
                         ls->base.own.svc->ui->arrows_ok ? "▶" : "播放", len);
            }
            snprintf(ls->meta[i], sizeof(ls->meta[i]), "%s · %s%s%s", e->kind, date,
                     e->scope[0] ? " · " : "", e->scope);
        }
        ls->rows[i].title = e->title;
        ls->rows[i].meta = ls->meta[i];
        ls->rows[i].tag = ls->tag[i][0] ? ls->tag[i] : NULL;
    }
}

/* A failed request while something stays on screen: one notice line says why. */
static void notice_problem(struct list_screen *ls, const struct net_result *r)
{
    struct net_msg m = net_msg_for(r, NET_MSG_GAVE_UP);
    char text[256];
    snprintf(text, sizeof(text), "%s，%s", m.what, m.help);
    notices_post(ls->base.own.svc->notices, text, 0);
}

static void on_page(struct list_screen *ls, const struct net_result *r)
{
    struct cat_page p;
    char why[256] = "";
    int ok = r->error == NET_OK && r->http_status == 200 &&
             cat_parse_page(r->body ? r->body : "", &p, why, sizeof(why)) == 0;
    if (!ok) {
        log_warn("page %d of %s: %s, HTTP %ld %s", ls->want_page, ls->key,
                 net_error_str(r->error), r->http_status, why);
        /* With a page on screen it stays; say why the next one did not come. */
        if (fetch_fail(&ls->fetch, r, SDL_GetTicks()))
            notice_problem(ls, r);
        return;
    }
    if (p.n == 0 && p.total > 0 && ls->want_page > 1) {
        /* The list got shorter since: go to its last page. */
        int last = (p.total + ls->per_page - 1) / ls->per_page;
        cat_page_free(&p);
        request_page(ls, last < ls->want_page ? last : 1, -1);
        return;
    }
    if (ls->have_page)
        cat_page_free(&ls->page);
    ls->page = p;
    ls->have_page = 1;
    fetch_ok(&ls->fetch, p.n == 0);
    ls->pages = (p.total + ls->per_page - 1) / ls->per_page;
    if (ls->pages < 1)
        ls->pages = 1;
    if (p.title[0])
        snprintf(ls->title, sizeof(ls->title), "%s", p.title);
    ls->focus = ls->want_focus < 0 || ls->want_focus >= p.n ? p.n - 1 : ls->want_focus;
    for (int i = 0; ls->keep_id && i < p.n; i++)
        if (!p.items[i].is_broadcast && p.items[i].id == ls->keep_id)
            ls->focus = i;
    ls->keep_id = 0;
    if (ls->focus < 0)
        ls->focus = 0;
    build_rows(ls);
    update_focus_name(ls);
    if (ls->grid) {
        list_posters_start(&ls->posters, &ls->page);
        ls->posters.grid.focus = ls->focus;
    }
    if (ls->has_tabs) {
        if (p.n == 0 && !ls->on_tabs) { /* nothing to focus below: the buttons take it */
            ls->on_tabs = 1;
            list_tabs_focus_chosen(&ls->tabs);
        }
        update_focus_name(ls);
        list_tabs_fetch(&ls->tabs); /* again, if the list did not come before */
    }
}

static void play(struct list_screen *ls, struct nav *nav, const struct cat_entry *e,
                 const char *media, const char *replay, int64_t item_id, int64_t broadcast_id)
{
    struct app_services *svc = ls->base.own.svc;
    char url[CAT_URL_MAX + 256], replay_url[CAT_URL_MAX + 256];
    if (player_resolve_url(svc, media, url, sizeof(url)) < 0 ||
        player_resolve_url(svc, replay ? replay : "", replay_url, sizeof(replay_url)) < 0) {
        notices_post(svc->notices, "这个节目的地址有误，暂时不能播放", 0);
        return;
    }
    struct player_request req = {
        .title = e->title,
        .item_id = item_id,
        .broadcast_id = broadcast_id,
        .replay_url = replay_url[0] ? replay_url : NULL,
        /* On the cable network the group comes first; its HTTPS stream when it is silent. */
        .url = broadcast_id > 0 && e->multicast_url[0] ? e->multicast_url : url,
        .fallback_url = broadcast_id > 0 && e->multicast_url[0] ? url : NULL,
        .ok_counter = ls->ok_counter,
    };
    struct screen *next = player_screen_create(svc, &req);
    if (!next) {
        log_error("cannot create the player screen");
        return;
    }
    log_info("playing %s %" PRId64 " from %s", broadcast_id > 0 ? "broadcast" : "item",
             broadcast_id > 0 ? broadcast_id : item_id, ls->key);
    ls->recheck = 1;
    nav->kind = NAV_PUSH;
    nav->next = next;
}

static const char *known_url(const struct list_screen *ls, int64_t id)
{
    for (int i = 0; i < KNOWN_MAX; i++) {
        if (ls->known[i].id == id)
            return ls->known[i].url;
    }
    return NULL;
}

static void remember(struct list_screen *ls, int64_t id, const char *url)
{
    struct known_media *k = &ls->known[ls->next_known];
    ls->next_known = (ls->next_known + 1) % KNOWN_MAX;
    k->id = id;
    snprintf(k->url, sizeof(k->url), "%s", url);
}

/* Ask for a course's item (its media URL). One at a time: a newer ask replaces an older one,
 * whose reply is then dropped. */
static int fetch(struct list_screen *ls, const struct cat_entry *e, int play_it)
{
    struct net *net = ls->base.own.svc->net;
    if (ls->fetch_serial && ls->fetching.id == e->id) {
        ls->play_when_fetched |= play_it;
        return 0;
    }
    int64_t serial = net ? screen_track(&ls->base, api_item_get(net, e->id)) : -ENOTCONN;
    if (serial < 0) {
        log_warn("cannot ask for item %" PRId64 ": %s", e->id, strerror((int)-serial));
        return (int)serial;
    }
    ls->fetch_serial = serial;
    ls->fetching = *e;
    ls->play_when_fetched = play_it;
    return 0;
}

/* The focused row is a course whose URL we do not know yet: fetch it now, before OK. */
static void prefetch_focused(struct list_screen *ls)
{
    if (fetch_blocking(&ls->fetch) || ls->fetch_serial || ls->focus < 0 || ls->focus >= ls->page.n)
        return;
    const struct cat_entry *e = &ls->page.items[ls->focus];
    if (e->is_broadcast || !cat_entry_playable(e) || known_url(ls, e->id))
        return;
    fetch(ls, e, 0);
}

/* A course's item has come: remember its URL, and play it if OK is waiting for it. */
static void on_fetched(struct list_screen *ls, const struct net_result *r)
{
    struct cat_detail d;
    char why[256] = "";
    const struct cat_entry *e = &ls->fetching;
    int play_it = ls->play_when_fetched;
    ls->play_when_fetched = 0;
    ls->base.own.dirty = 1;
    if (r->error != NET_OK || r->http_status != 200 ||
        cat_parse_detail(r->body ? r->body : "", &d, why, sizeof(why)) < 0) {
        log_warn("item %" PRId64 ": %s, HTTP %ld %s", e->id, net_error_str(r->error),
                 r->http_status, why);
        if (play_it)
            notice_problem(ls, r);
        return; /* not remembered: OK asks again */
    }
    if (d.has_course && d.media_url[0])
        remember(ls, d.head.id, d.media_url);
    if (play_it) {
        if (d.has_course && d.media_url[0]) {
            play(ls, &ls->base.own.request, e, d.media_url, NULL, d.head.id, 0);
        } else {
            log_info("item %" PRId64 " has no media", e->id);
            notices_post(ls->base.own.svc->notices, "这个节目的视频还没有准备好，请过几天再来看", 0);
        }
    }
    cat_detail_free(&d);
}

static void list_on_net(struct screen *s, const struct net_result *r)
{
    struct list_screen *ls = (struct list_screen *)s;
    s->own.dirty = 1;
    if (ls->grid && list_posters_take(&ls->posters, r))
        return;
    if (ls->has_tabs && list_tabs_take(&ls->tabs, r))
        return;
    if (fetch_take(&ls->fetch, r)) {
        on_page(ls, r);
        prefetch_focused(ls);
    } else if (r->serial == ls->fetch_serial) {
        ls->fetch_serial = 0;
        on_fetched(ls, r);
        if (ls->base.own.request.kind == NAV_NONE)
            prefetch_focused(ls); /* the focus may have moved on meanwhile */
    }
}

static int list_tick(struct screen *s, uint32_t now)
{
    struct list_screen *ls = (struct list_screen *)s;
    if (ls->grid)
        list_posters_tick(&ls->posters);
    int wake = fetch_tick(&ls->fetch, now);
    if (ls->recheck_at && (int32_t)(now - ls->recheck_at) >= 0) {
        ls->recheck_at = 0;
        if (ls->have_page)
            list_posters_recheck(&ls->posters, &ls->page);
    }
    if (ls->recheck_at) {
        int left = (int)(ls->recheck_at - now);
        wake = wake < 0 || left < wake ? left : wake;
    }
    return wake;
}

static void open_entry(struct list_screen *ls, struct nav *nav)
{
    const struct cat_entry *e = &ls->page.items[ls->focus];
    struct app_services *svc = ls->base.own.svc;
    ls->ok_counter = SDL_GetPerformanceCounter();
    if (e->is_broadcast) {
        if (strcmp(e->state, "live") == 0 && e->playback_url[0]) {
            play(ls, nav, e, e->playback_url, e->recording_url, 0, e->id);
        } else if (e->recording_url[0]) {
            /* The replay's video item, when there is one, remembers where the box stopped. */
            play(ls, nav, e, e->recording_url, NULL, e->replay_item_id, 0);
        } else if (strcmp(e->state, "scheduled") == 0) {
            notices_post(svc->notices, "这场直播还没有开始，开始后就能看", 0);
        } else {
            notices_post(svc->notices, "这场直播已经结束，暂时没有回放", 0);
        }
        return;
    }
    if (cat_entry_playable(e)) {
        const char *url = known_url(ls, e->id);
        if (url)
            play(ls, nav, e, url, NULL, e->id, 0); /* fetched while the row had the focus */
        else if (fetch(ls, e, 1) < 0)
            notices_post(svc->notices, "网络出了问题，请稍后再试", 0);
        return;
    }
    nav->kind = NAV_PUSH;
    nav->next = detail_screen_create(svc, e->id, e->title);
    if (!nav->next)
        nav->kind = NAV_NONE;
}

/* The grid's paging rules: arrows move by geometry; LEFT/RIGHT at a row's end go on in
 * reading order; past the page's edge the previous or next page (like the rows' rules). */
static enum ui_list_move grid_nav(struct list_screen *ls, enum action a, int *focus)
{
    struct ui_poster_grid *g = &ls->posters.grid;
    if (!action_is_direction(a))
        return UI_LIST_IGNORED;
    g->focus = ls->focus;
    int handled = 0;
    ui_poster_grid_action(g, a, &handled);
    if (handled) {
        *focus = g->focus;
        return UI_LIST_MOVED;
    }
    int col = ls->focus % g->cols;
    if (a == ACTION_RIGHT && ls->focus + 1 < ls->page.n) {
        *focus = ls->focus + 1;
        return UI_LIST_MOVED;
    }
    if (a == ACTION_LEFT && ls->focus > 0) {
        *focus = ls->focus - 1;
        return UI_LIST_MOVED;
    }
    if ((a == ACTION_DOWN || a == ACTION_RIGHT) && ls->page.page < ls->pages) {
        *focus = a == ACTION_DOWN ? col : 0;
        return UI_LIST_NEXT_PAGE;
    }
    if ((a == ACTION_UP || a == ACTION_LEFT) && ls->page.page > 1) {
        *focus = a == ACTION_UP ? (g->rows - 1) * g->cols + col : -1;
        return UI_LIST_PREV_PAGE;
    }
    return UI_LIST_STAY;
}

/* The category buttons have the focus: LEFT/RIGHT choose a category at once (its first page
 * comes), DOWN or OK go down to its posters. Other keys are not theirs. */
static int tabs_action(struct list_screen *ls, enum action a)
{
    int handled = 0;
    if (list_tabs_action(&ls->tabs, a, &handled)) {
        request_page(ls, 1, 0);
        update_focus_name(ls);
    }
    if (handled)
        return 1;
    if (a == ACTION_UP)
        return 1;
    if ((a == ACTION_DOWN || a == ACTION_OK) && ls->have_page && ls->page.n > 0 &&
        !ls->fetch.serial) {
        ls->on_tabs = 0;
        update_focus_name(ls);
        ls->base.own.dirty = 1;
        return 1;
    }
    return a == ACTION_DOWN || a == ACTION_OK; /* the page is still on its way */
}

static int list_action(struct screen *s, enum action a, struct nav *nav)
{
    struct list_screen *ls = (struct list_screen *)s;
    if (ls->has_tabs && ls->on_tabs && !(a == ACTION_OK && ls->fetch.phase == FETCH_ERROR))
        return tabs_action(ls, a);
    if (fetch_action(&ls->fetch, a, SDL_GetTicks()))
        return 1; /* OK: try again now */
    if (fetch_blocking(&ls->fetch) || ls->page.n == 0)
        return 0;
    if (ls->fetch.serial)
        return action_is_direction(a) || a == ACTION_OK; /* a page is on its way */
    if (ls->has_tabs && a == ACTION_UP && ls->focus < ls->posters.grid.cols) {
        ls->on_tabs = 1; /* up from the posters to the category buttons */
        list_tabs_focus_chosen(&ls->tabs);
        update_focus_name(ls);
        s->own.dirty = 1;
        return 1;
    }
    int focus = ls->focus;
    enum ui_list_move move = ls->grid ? grid_nav(ls, a, &focus)
                                      : ui_list_nav(a, &focus, ls->page.n, ls->page.page, ls->pages);
    switch (move) {
    case UI_LIST_MOVED:
        ls->focus = focus;
        update_focus_name(ls);
        prefetch_focused(ls);
        s->own.dirty = 1;
        return 1;
    case UI_LIST_PREV_PAGE:
        request_page(ls, ls->page.page - 1, focus);
        return 1;
    case UI_LIST_NEXT_PAGE:
        request_page(ls, ls->page.page + 1, focus);
        return 1;
    case UI_LIST_STAY:
        return 1;
    case UI_LIST_IGNORED:
        break;
    }
    int digit = action_digit(a);
    if (digit >= 1 && digit <= ls->page.n) {
        ls->focus = digit - 1;
        update_focus_name(ls);
        a = ACTION_OK;
    }
    if (a == ACTION_OK) {
        open_entry(ls, nav);
        s->own.dirty = 1;
        return 1;
    }
    return 0;
}

/* With category buttons: on them, the arrows choose a category and DOWN goes to its
 * posters; on the posters, UP goes back to them (one more hint). Returns the hints' count. */
static int tabs_hints(const struct list_screen *ls, struct ui *ui, struct ui_hint *hints)
{
    if (ls->on_tabs) {
        hints[0] = (struct ui_hint){ UI_KEY_ARROWS, "选分类" };
        hints[1] = (struct ui_hint){ ui->arrows_ok ? "▼" : "↓", "看课程" };
        return 4;
    }
    hints[4] = hints[3];
    hints[3] = hints[2];
    hints[2] = (struct ui_hint){ ui->arrows_ok ? "▲" : "↑", "选分类" };
    return 5;
}

/* A category with nothing (yet): its buttons stay, so another can be chosen. */
static void draw_empty_category(struct list_screen *ls, struct ui *ui)
{
    list_tabs_draw(&ls->tabs, ui, 1);
    SDL_Rect below = layout_below(&ls->posters.grid.area, ls->posters.grid.area.y);
    ui_draw_panel(ui, &below, list_texts.empty, list_texts.empty_help, NULL);
    struct ui_hint hints[3] = {
        { UI_KEY_ARROWS, "选分类" }, { "返回", "上一页" }, { "主页", "回首页" },
    };
    ui_draw_hint_bar(ui, hints, 3);
}

static void list_draw(struct screen *s, struct ui *ui)
{
    struct list_screen *ls = (struct list_screen *)s;
    const char *category = ls->has_tabs ? list_tabs_chosen(&ls->tabs) : NULL;
    char title[API_NAME_MAX + sizeof(ls->tabs.chosen) + 8];
    snprintf(title, sizeof(title), "%s%s%s", ls->title, category ? " · " : "",
             category ? category : "");
    ui_draw_header_title(ui, title);
    static const struct ui_hint back[] = { { "返回", "上一页" }, { "主页", "回首页" } };
    if (ls->has_tabs && ls->fetch.phase == FETCH_EMPTY) {
        draw_empty_category(ls, ui);
        return;
    }
    if (fetch_draw(&ls->fetch, ui, back, 2, SDL_GetTicks()))
        return;
    ui_draw_page_indicator(ui, ls->page.page, ls->pages);
    SDL_Rect area = layout_content();
    if (ls->has_tabs)
        list_tabs_draw(&ls->tabs, ui, ls->on_tabs);
    if (ls->grid) {
        ls->posters.grid.focus = ls->on_tabs ? -1 : ls->focus; /* no ring while above */
        list_posters_draw(&ls->posters, ui, &ls->page);
    } else {
        ui_list_draw(ui, &area, ls->rows, ls->page.n, ls->focus);
    }
    if (ls->fetch.serial) {
        char text[64];
        snprintf(text, sizeof(text), "正在打开第 %d 页…", ls->want_page);
        SDL_Rect box = { (THEME_W - 900) / 2, THEME_CONTENT_Y + 200, 900, 200 };
        ui_draw_panel(ui, &box, text, NULL, NULL);
    }
    int playable = cat_entry_playable(&ls->page.items[ls->focus]);
    struct ui_hint hints[5] = {
        { UI_KEY_ARROWS, ls->pages > 1 ? "选择、翻页" : "选择" },
        { "OK", playable ? "播放" : "打开" },
        { "返回", "上一页" },
        { "主页", "回首页" },
    };
    if (ls->fetch_serial && ls->play_when_fetched)
        hints[1].label = "正在打开…";
    ui_draw_hint_bar(ui, hints, ls->has_tabs ? tabs_hints(ls, ui, hints) : 4);
}

static const char *list_focus_name(const struct screen *s)
{
    const struct list_screen *ls = (const struct list_screen *)s;
    /* An empty category keeps its buttons on screen, and the focus on them. */
    int tabs_shown = ls->has_tabs && ls->on_tabs && ls->fetch.phase == FETCH_EMPTY;
    if ((fetch_blocking(&ls->fetch) && !tabs_shown) || !ls->focus_name[0])
        return NULL;
    return ls->focus_name;
}

static void list_dump_state(const struct screen *s, cJSON *state)
{
    const struct list_screen *ls = (const struct list_screen *)s;
    cJSON_AddStringToObject(state, "section", ls->key);
    if (ls->has_tabs) {
        list_tabs_dump(&ls->tabs, state);
        cJSON_AddBoolToObject(state, "on_categories", ls->on_tabs);
    }
    enum fetch_phase ph = ls->fetch.phase;
    cJSON_AddStringToObject(state, "list", fetch_phase_name(ph == FETCH_EMPTY ? FETCH_READY : ph));
    if (!ls->have_page)
        return;
    cJSON_AddNumberToObject(state, "page", ls->page.page);
    cJSON_AddNumberToObject(state, "pages", ls->pages);
    cJSON_AddNumberToObject(state, "total", ls->page.total);
    cJSON_AddNumberToObject(state, "per_page", ls->per_page);
    cJSON *ids = cJSON_AddArrayToObject(state, "ids");
    for (int i = 0; ids && i < ls->page.n; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)ls->page.items[i].id));
    if (!ls->grid)
        return;
    int ready, with_picture;
    list_posters_count(&ls->posters, &ready, &with_picture);
    cJSON_AddNumberToObject(state, "pictures", with_picture);
    cJSON_AddNumberToObject(state, "pictures_ready", ready);
    cJSON *watched = cJSON_AddArrayToObject(state, "watched");
    for (int i = 0; watched && i < ls->page.n; i++)
        cJSON_AddItemToArray(watched,
                             cJSON_CreateNumber(list_posters_watched(&ls->posters, i)));
    cJSON *marks = cJSON_AddArrayToObject(state, "marks");
    for (int i = 0; marks && i < ls->page.n; i++) {
        const char *m = list_posters_mark(&ls->posters, &ls->page.items[i], i);
        cJSON_AddItemToArray(marks, m ? cJSON_CreateString(m) : cJSON_CreateNull());
    }
}

static void list_presented(struct screen *s)
{
    struct list_screen *ls = (struct list_screen *)s;
    if (ls->grid && !fetch_blocking(&ls->fetch) && !ls->fetch.serial)
        list_posters_presented(&ls->posters);
    if (ls->recheck && ls->grid) { /* on top again, back from the player */
        ls->recheck = 0;
        ls->recheck_at = SDL_GetTicks() + RECHECK_MS;
        if (!ls->recheck_at)
            ls->recheck_at = 1;
    }
}

static void list_destroy(struct screen *s)
{
    struct list_screen *ls = (struct list_screen *)s;
    if (ls->have_page)
        cat_page_free(&ls->page);
    if (ls->grid)
        list_posters_fini(&ls->posters);
    free(ls);
}

/* An item of this section was published, changed or removed (or the stream came back after
 * a long gap): read the page on screen again, the focus staying on its item. */
static void list_on_event(struct screen *s, const struct box_event *ev)
{
    struct list_screen *ls = (struct list_screen *)s;
    int wants = (ev->type == BOX_EVENT_CATALOGUE_CHANGED && strcmp(ev->section, ls->key) == 0) ||
                (ev->type == BOX_EVENT_STREAM_OPEN && ev->resync);
    if (!wants)
        return;
    ls->keep_id = ls->have_page && ls->focus < ls->page.n && !ls->page.items[ls->focus].is_broadcast
                      ? ls->page.items[ls->focus].id
                      : 0;
    request_page(ls, ls->want_page, ls->focus);
}

static const struct screen_ops list_ops = {
    .destroy = list_destroy,
    .on_action = list_action,
    .on_net = list_on_net,
    .on_event = list_on_event,
    .tick = list_tick,
    .draw = list_draw,
    .focus_name = list_focus_name,
    .dump_state = list_dump_state,
    .presented = list_presented,
};

struct screen *list_screen_create(struct app_services *svc, const char *key, const char *title)
{
    struct list_screen *ls = calloc(1, sizeof(*ls));
    if (!ls)
        return NULL;
    char name[sizeof(ls->base.name)];
    snprintf(name, sizeof(name), "section.%s", key);
    screen_init(&ls->base, &list_ops, svc, name);
    snprintf(ls->key, sizeof(ls->key), "%s", key);
    snprintf(ls->title, sizeof(ls->title), "%s", title);
    fetch_init(&ls->fetch, &ls->base.own, send_page, ls, &list_texts, RETRY_MS);
    ls->fetch.busy = &ls->base.loading;
    int cols, rows;
    ls->grid = grid_shape(key, &cols, &rows);
    ls->has_tabs = strcmp(key, "study") == 0;
    if (ls->grid) {
        list_posters_init(&ls->posters, &ls->base.own, ls->base.name, cols, rows);
        ls->per_page = ls->posters.grid.n;
    }
    if (ls->has_tabs) {
        /* The buttons along the top of the content band, the posters under them. */
        SDL_Rect band = layout_content();
        SDL_Rect row = { band.x, band.y, band.w, LIST_TABS_H };
        list_tabs_init(&ls->tabs, &ls->base.own, key, row);
        ls->posters.grid.area = layout_below(&band, band.y + LIST_TABS_H + LAYOUT_GAP);
        list_tabs_fetch(&ls->tabs);
        ls->posters.done_text = "已学完"; /* a course watched to 90 % is completed */
    }
    if (!ls->grid) {
        ls->per_page = ui_list_rows_fit(THEME_CONTENT_H);
    }
    if (ls->per_page > CAT_PAGE_MAX)
        ls->per_page = CAT_PAGE_MAX;
    ls->pages = 1;
    request_page(ls, 1, 0);
    if (!svc->net) {
        ls->fetch.error.what = "没有设置服务器";
        ls->fetch.error.help = "请联系村干部检查机顶盒的设置";
    }
    return &ls->base;
}
