#define LOG_TAG "home"
#include "screens/home.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/household.h"
#include "log.h"
#include "net/api.h"
#include "screens/cadre_login.h"
#include "screens/fetch.h"
#include "screens/guest_overlay.h"
#include "screens/list.h"
#include "screens/record.h"
#include "screens/viewers.h"
#include "ui/focus_group.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum {
    RETRY_MS = 5000,           /* server unreachable: try again this often */
    RETRY_UNREGISTERED_MS = 15000,
    REFRESH_MS = 30000,        /* quiet refresh of counts and live broadcasts */
    REFRESH_RETRY_MS = 10000,  /* a quiet refresh failed: keep the data, try sooner */
    GRID_COLS = 3,
};

struct home {
    struct screen base;
    struct fetch fetch;
    struct home_model model; /* owned when have_model */
    int have_model;
    int stale;               /* something changed while a request was in flight: ask again */
    struct focus_group grid; /* one item per section */
    char counts[API_SECTIONS][32];
    char focus_names[API_SECTIONS][48];
    int offline;             /* the server did not answer: this is the box's last copy */
    char offline_text[96];   /* "离线 · 12月7日 10:32 的内容" */
    int asking;              /* "谁在看？" has been asked for and not answered yet */
};

struct section_text {
    const char *key;
    const char *desc;
};

/* One plain line per section, under its name. */
static const struct section_text descriptions[] = {
    { "affairs", "通知、财务和党费公示" },
    { "live", "视频会议和直播课" },
    { "study", "学习课程和在线考试" },
    { "video", "本地新闻和点播视频" },
    { "pioneers", "优秀党员和先进集体" },
    { "evaluation", "给干部和工作打分" },
};

static const struct fetch_texts home_texts = {
    .loading = "正在连接服务器…",
    .loading_help = "请稍等",
    .empty = "还没有栏目",
    .empty_help = "请联系村干部",
    .mode = NET_MSG_RETRYING,
};

static const char *describe(const char *key)
{
    for (size_t i = 0; i < sizeof(descriptions) / sizeof(descriptions[0]); i++) {
        if (strcmp(descriptions[i].key, key) == 0)
            return descriptions[i].desc;
    }
    return NULL;
}

static int64_t send_home(void *ctx)
{
    struct home *h = ctx;
    struct net *net = h->base.own.svc->net;
    return net ? api_fetch_home(net) : -ENOTCONN;
}

/* Lay the sections out as a 3x2 grid in the content band. */
static void build_items(struct home *h)
{
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect area = { safe.x, THEME_CONTENT_Y, safe.w, THEME_CONTENT_H };
    int n = h->model.n_sections;
    if (n > API_SECTIONS) /* the parser caps it; the arrays below depend on it */
        n = h->model.n_sections = API_SECTIONS;
    if (n < 0)
        n = h->model.n_sections = 0;
    int rows = (n + GRID_COLS - 1) / GRID_COLS;
    focus_group_begin(&h->grid);
    for (int i = 0; i < n; i++) {
        focus_group_add(&h->grid, layout_grid_cell(&area, GRID_COLS, rows, LAYOUT_GAP, i));
        snprintf(h->counts[i], sizeof(h->counts[i]), "%d 条", h->model.sections[i].count);
        /* Via a local buffer: GCC's -Wrestrict cannot tell the two fields of h apart. */
        char name[sizeof(h->focus_names[i])];
        snprintf(name, sizeof(name), "section.%s", h->model.sections[i].key);
        memcpy(h->focus_names[i], name, sizeof(name));
    }
    focus_group_end(&h->grid);
}

static void update_live_banner(struct home *h)
{
    struct live_banner *lb = h->base.own.svc->live;
    /* A copy from the cache cannot say what is live now, and joining needs the server. */
    if (h->model.n_live > 0 && !h->offline)
        live_banner_set(lb, h->model.live[0].title, h->model.live[0].scope, h->model.n_live);
    else
        live_banner_set(lb, NULL, NULL, 0);
}

static void fail(struct home *h, const struct net_result *r, uint32_t now)
{
    int unregistered = r->error == NET_OK && r->http_status == 401;
    if (unregistered && h->have_model) {
        home_model_free(&h->model);
        h->have_model = 0;
        h->base.loading = 1;
        fetch_forget_data(&h->fetch);
        live_banner_set(h->base.own.svc->live, NULL, NULL, 0);
    }
    if (fetch_fail(&h->fetch, r, now)) {
        /* Keep what we have; say it may be old. */
        notices_post(h->base.own.svc->notices, "连不上服务器，显示的可能不是最新内容", 0);
        fetch_plan(&h->fetch, now, REFRESH_RETRY_MS);
    } else if (unregistered) {
        fetch_plan(&h->fetch, now, RETRY_UNREGISTERED_MS);
    }
}

/* The app's household follows the server's list (who may be chosen on "谁在看？"). */
static void share_members(struct home *h)
{
    struct household *hh = h->base.own.svc->household;
    if (!hh)
        return;
    struct household_member m[HOUSEHOLD_MAX];
    int n = h->model.n_members < HOUSEHOLD_MAX ? h->model.n_members : HOUSEHOLD_MAX;
    memset(m, 0, sizeof(m));
    for (int i = 0; i < n; i++) {
        m[i].id = h->model.members[i].id;
        snprintf(m[i].name, sizeof(m[i].name), "%s", h->model.members[i].name);
        snprintf(m[i].photo, sizeof(m[i].photo), "%s", h->model.members[i].photo);
    }
    household_set(hh, m, n);
}

/* Ask "谁在看？" once home has the household (again after a long idle): pushed when home
 * is on top, so it never covers a meeting or a quiz in progress. */
static void ask_viewers(struct home *h)
{
    struct household *hh = h->base.own.svc->household;
    if (!hh || !h->have_model || !household_needs_choice(hh)) {
        h->asking = 0;
        return;
    }
    if (h->asking)
        return;
    struct screen *v = viewers_screen_create(h->base.own.svc);
    if (!v)
        return;
    h->asking = 1;
    owner_navigate(&h->base.own, NAV_PUSH, v);
}

static void home_on_net(struct screen *s, const struct net_result *r)
{
    struct home *h = (struct home *)s;
    if (!fetch_take(&h->fetch, r))
        return; /* an answer to a request we no longer wait for */
    uint32_t now = SDL_GetTicks();
    if (r->error != NET_OK || r->http_status != 200) {
        log_warn("home request failed: error %d, http %ld: %s", (int)r->error, r->http_status,
                 r->message);
        fail(h, r, now);
        return;
    }
    struct home_model m;
    char why[256];
    if (api_parse_home(r->body ? r->body : "", &m, why, sizeof(why)) < 0) {
        log_warn("home reply not understood: %s", why);
        fail(h, r, now); /* a 200 that fails: net_msg_for() says "content not understood" */
        return;
    }
    /* A refresh may reorder sections: keep the focus on the same one, not the same slot. */
    char keep[sizeof(m.sections[0].key)] = "";
    int focus = focus_group_current(&h->grid);
    if (h->have_model && focus >= 0 && focus < h->model.n_sections)
        memcpy(keep, h->model.sections[focus].key, sizeof(keep));
    if (h->have_model)
        home_model_free(&h->model);
    h->model = m;
    h->have_model = 1;
    s->loading = 0;
    h->offline = r->offline;
    if (r->offline) {
        time_t at = (time_t)r->cached_at + 8 * 3600; /* Beijing time */
        struct tm tm;
        gmtime_r(&at, &tm);
        snprintf(h->offline_text, sizeof(h->offline_text), "离线 · %d月%d日 %02d:%02d 的内容",
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    }
    share_members(h);
    build_items(h);
    for (int i = 0; keep[0] && i < h->model.n_sections; i++) {
        if (strcmp(h->model.sections[i].key, keep) == 0)
            focus_group_set(&h->grid, i);
    }
    fetch_ok(&h->fetch, h->model.n_sections == 0);
    /* A copy from the cache: look for the server again soon. */
    fetch_plan(&h->fetch, now, h->stale ? 0 : r->offline ? REFRESH_RETRY_MS : REFRESH_MS);
    h->stale = 0;
    update_live_banner(h);
}

static int home_tick(struct screen *s, uint32_t now)
{
    struct home *h = (struct home *)s;
    ask_viewers(h);
    return fetch_tick(&h->fetch, now);
}

static struct screen *open_section(struct home *h, int i)
{
    const struct home_section *sec = &h->model.sections[i];
    return list_screen_create(h->base.own.svc, sec->key, sec->title);
}

static int home_action(struct screen *s, enum action a, struct nav *nav)
{
    struct home *h = (struct home *)s;
    if (fetch_action(&h->fetch, a, SDL_GetTicks()))
        return 1; /* OK = try again now */
    if (a == ACTION_MENU && h->base.own.svc->net) {
        /* The village cadre, on the activity-room box: sign in for cadre mode. */
        nav->kind = NAV_PUSH;
        nav->next = cadre_login_create(h->base.own.svc);
        return 1;
    }
    int focus = focus_group_current(&h->grid);
    if (fetch_blocking(&h->fetch) || focus == FOCUS_NONE)
        return 0;
    if (focus_group_action(&h->grid, a, NULL) != FOCUS_IGNORED)
        return 1;
    if (a == ACTION_BLUE || a == ACTION_MENU) {
        struct screen *next = a == ACTION_BLUE ? record_screen_create(s->own.svc)
                                               : viewers_screen_create(s->own.svc);
        if (!next)
            return 1;
        nav->kind = NAV_PUSH;
        nav->next = next;
        return 1;
    }
    int digit = action_digit(a);
    if (digit == 0) {
        guest_overlay_start(s->own.svc); /* 我是外出党员: a member from elsewhere */
        return 1;
    }
    if (digit >= 1 && digit <= h->model.n_sections) {
        focus_group_set(&h->grid, digit - 1);
        a = ACTION_OK;
    }
    if (a == ACTION_OK) {
        nav->kind = NAV_PUSH;
        nav->next = open_section(h, focus_group_current(&h->grid));
        return 1;
    }
    return 0;
}

static void draw_header(struct home *h, struct ui *ui)
{
    SDL_Rect safe = theme_safe_rect();
    char left[256];
    if (h->have_model)
        snprintf(left, sizeof(left), "%s · %s", h->model.township, h->model.village);
    else
        snprintf(left, sizeof(left), "智慧党建");
    int lw = ui_text_width(ui, left, THEME_PX_TITLE, FONT_BOLD);
    if (lw > safe.w / 2)
        lw = safe.w / 2;
    SDL_Rect lbox = { safe.x, THEME_HEADER_Y, lw, THEME_HEADER_H };
    ui_text_in(ui, left, &lbox, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT), UI_LEFT);
    if (!h->have_model)
        return;
    if (h->offline) {
        /* No server: say so where the household's names stand, with the copy's time. */
        int tw = ui_text_width(ui, h->offline_text, THEME_PX_BODY, FONT_BOLD);
        SDL_Rect pill = { safe.x + safe.w - tw - 48, THEME_HEADER_Y + 4, tw + 48,
                          THEME_HEADER_H - 8 };
        ui_fill_round(ui, &pill, 16, theme_color(COL_KEYCAP));
        ui_text_in(ui, h->offline_text, &pill, THEME_PX_BODY, FONT_BOLD,
                   theme_color(COL_KEYCAP_TEXT), UI_CENTER);
        return;
    }
    /* The household, and who is watching once someone chose. */
    const struct household *hh = h->base.own.svc->household;
    int chosen = hh && hh->chosen && hh->n > 1;
    char right[1024];
    int n = snprintf(right, sizeof(right), "%s%s", h->model.household, chosen ? " 在看" : "");
    for (int i = 0, k = 0; i < h->model.n_members && n > 0 && (size_t)n < sizeof(right); i++) {
        if (chosen && !household_is_viewer(hh, h->model.members[i].id))
            continue;
        n += snprintf(right + n, sizeof(right) - (size_t)n, "%s%s", k++ == 0 ? "：" : "、",
                      h->model.members[i].name);
    }
    SDL_Rect rbox = { safe.x + lw + 64, THEME_HEADER_Y, safe.w - lw - 64, THEME_HEADER_H };
    ui_text_in(ui, right, &rbox, THEME_PX_BODY, FONT_REGULAR, theme_color(COL_TEXT_SOFT),
               UI_RIGHT);
}

static void draw_grid(struct home *h, struct ui *ui)
{
    /* Focused tile last, so its ring and shadow lie over its neighbours. */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < h->model.n_sections; i++) {
            int focused = i == focus_group_current(&h->grid);
            if (focused != pass)
                continue;
            struct ui_tile t = {
                .rect = focus_group_rect(&h->grid, i),
                .title = h->model.sections[i].title,
                .count = h->counts[i],
                .desc = describe(h->model.sections[i].key),
                .badge = i + 1 <= 9 ? i + 1 : 0,
            };
            ui_draw_tile(ui, &t, focused);
        }
    }
}

/* The tiles show that arrows move between them: the bar keeps its room for the keys. */
static const struct ui_hint ready_hints[] = {
    { "OK", "打开" },
    { "红键", "一键服务" },
    { "绿键", "我的服务" },
    { "蓝键", "我的记录" },
    { "0", "外出党员" },
    { "菜单", "村干部" }, /* only on the activity-room box */
};

static void home_draw(struct screen *s, struct ui *ui)
{
    struct home *h = (struct home *)s;
    draw_header(h, ui);
    /* While loading, the hints say what the keys will do in a moment. */
    int loading = h->fetch.phase == FETCH_LOADING;
    int n_hints = (int)(sizeof(ready_hints) / sizeof(ready_hints[0]));
    if (fetch_draw(&h->fetch, ui, loading ? ready_hints : NULL, loading ? n_hints : 0,
                   SDL_GetTicks()))
        return;
    draw_grid(h, ui);
    /* 菜单 (the last hint) only on the activity-room box. */
    ui_draw_hint_bar(ui, ready_hints, h->base.own.svc->activity_room ? n_hints : n_hints - 1);
}

static const char *home_focus_name(const struct screen *s)
{
    const struct home *h = (const struct home *)s;
    int focus = focus_group_current(&h->grid);
    if (fetch_blocking(&h->fetch) || focus < 0 || focus >= h->model.n_sections)
        return NULL;
    return h->focus_names[focus];
}

static void home_destroy(struct screen *s)
{
    struct home *h = (struct home *)s;
    if (h->have_model)
        home_model_free(&h->model);
    free(h);
}

/* A broadcast started or ended, an item was published or removed (the sections' counts), or
 * the event stream came back after a long gap: re-read now, so the live banner and the counts
 * follow within a round trip. */
static void home_on_event(struct screen *s, const struct box_event *ev)
{
    struct home *h = (struct home *)s;
    int wants = ev->type == BOX_EVENT_BROADCAST_STARTED || ev->type == BOX_EVENT_BROADCAST_ENDED ||
                ev->type == BOX_EVENT_CATALOGUE_CHANGED ||
                (ev->type == BOX_EVENT_STREAM_OPEN && ev->resync);
    if (!wants)
        return;
    if (h->fetch.serial)
        h->stale = 1; /* the answer on its way may predate the change */
    else
        fetch_plan(&h->fetch, SDL_GetTicks(), 0);
}

static const struct screen_ops home_ops = {
    .destroy = home_destroy,
    .on_action = home_action,
    .on_net = home_on_net,
    .tick = home_tick,
    .draw = home_draw,
    .focus_name = home_focus_name,
    .on_event = home_on_event,
};

struct screen *home_screen_create(struct app_services *svc)
{
    struct home *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    screen_init(&h->base, &home_ops, svc, "home");
    focus_group_init(&h->grid, FOCUS_WRAP_NONE);
    fetch_init(&h->fetch, &h->base.own, send_home, h, &home_texts, RETRY_MS);
    fetch_start(&h->fetch, SDL_GetTicks());
    return &h->base;
}
