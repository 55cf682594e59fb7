/* A page of a section as a poster grid (see list_posters.h). */
#define LOG_TAG "posters"
#include "screens/list_posters.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "net/api.h"
#include "ui/button.h"
#include "ui/image_view.h"
#include "ui/layout.h"
#include "ui/theme.h"

enum {
    BAR_H = 16,        /* the watched bar along the foot of a picture */
    PILL_H = 60,       /* "继续观看" at the top-left of a picture */
    PILL_PAD = 16,
    DONE_PERMILLE = 900, /* from here a course counts as watched (study credit: 90 %) */
};

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void list_posters_init(struct list_posters *lp, struct owner *owner, const char *name,
                       int cols, int rows)
{
    memset(lp, 0, sizeof(*lp));
    lp->owner = owner;
    snprintf(lp->name, sizeof(lp->name), "%s", name);
    lp->done_text = "已看完";
    int n = cols * rows > LIST_POSTERS_MAX ? LIST_POSTERS_MAX : cols * rows;
    ui_poster_grid_init(&lp->grid, n, cols, layout_content());
    lp->grid.rows = rows;
    list_posters_clock(lp);
}

void list_posters_clock(struct list_posters *lp)
{
    lp->since_ms = clock_ms(CLOCK_MONOTONIC);
    lp->since_cpu_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    lp->painted = 0;
}

static void forget_page(struct list_posters *lp)
{
    for (int i = 0; i < LIST_POSTERS_MAX; i++) {
        picture_fini(&lp->pics[i]);
        lp->resume_serial[i] = 0; /* a late answer is dropped: no serial matches */
        lp->watched[i] = -1;
    }
    lp->n = 0;
}

/* Ask where the household stopped each video of the page (a bar comes with the answer). */
static void ask_positions(struct list_posters *lp, const struct cat_page *page)
{
    struct net *net = lp->owner->svc->net;
    for (int i = 0; i < lp->n; i++) {
        const struct cat_entry *e = &page->items[i];
        /* A past meeting resumes as its replay's video item. */
        int64_t resume_id = e->is_broadcast ? e->replay_item_id : e->id;
        if (resume_id <= 0 || e->duration_s <= 0 || !net || lp->resume_serial[i])
            continue;
        int64_t serial = owner_track(lp->owner, api_resume_get(net, resume_id));
        if (serial > 0)
            lp->resume_serial[i] = serial;
        else
            log_warn("cannot ask where item %" PRId64 " stopped", e->id);
    }
}

void list_posters_start(struct list_posters *lp, const struct cat_page *page)
{
    forget_page(lp);
    int cells = lp->grid.cols * lp->grid.rows;
    lp->n = page->n < cells ? page->n : cells;
    lp->grid.n = lp->n;
    if (lp->grid.focus >= lp->n)
        lp->grid.focus = lp->n > 0 ? lp->n - 1 : 0;
    for (int i = 0; i < lp->n; i++) {
        const struct cat_entry *e = &page->items[i];
        picture_start(&lp->pics[i], lp->owner, e->picture, ui_poster_picture_rect(&lp->grid, i));
        lp->duration_s[i] = e->duration_s;
    }
    ask_positions(lp, page);
}

void list_posters_recheck(struct list_posters *lp, const struct cat_page *page)
{
    ask_positions(lp, page);
}

/* A position came: permille of the item's length. */
static void take_resume(struct list_posters *lp, int i, const struct net_result *r,
                        int duration_s)
{
    double pos_s = 0;
    char why[128] = "";
    if (r->error != NET_OK || r->http_status != 200 ||
        api_parse_resume(r->body ? r->body : "", &pos_s, why, sizeof(why)) < 0) {
        log_warn("resume of card %d: %s, HTTP %ld %s", i, net_error_str(r->error),
                 r->http_status, why);
        return; /* no bar: the card looks like one never watched */
    }
    double w = duration_s > 0 ? pos_s * 1000.0 / duration_s : 0;
    lp->watched[i] = w < 0 ? 0 : w > 1000 ? 1000 : (int)w;
}

int list_posters_take(struct list_posters *lp, const struct net_result *r)
{
    for (int i = 0; i < lp->n; i++) {
        if (picture_take(&lp->pics[i], r))
            return 1;
        if (lp->resume_serial[i] && r->serial == lp->resume_serial[i]) {
            lp->resume_serial[i] = 0;
            lp->owner->dirty = 1;
            take_resume(lp, i, r, lp->duration_s[i]);
            return 1;
        }
    }
    return 0;
}

void list_posters_tick(struct list_posters *lp)
{
    for (int i = 0; i < lp->n; i++)
        picture_tick(&lp->pics[i]);
}

/* "继续观看" (or "已看完") on its own pill at the picture's top-left, and the watched bar. */
static void draw_watched(struct ui *ui, const SDL_Rect *pic, int permille, const char *done)
{
    if (permille <= 0)
        return;
    const char *what = permille >= DONE_PERMILLE ? done : "继续观看";
    int w = ui_text_width(ui, what, THEME_PX_SMALL, FONT_BOLD) + 2 * PILL_PAD;
    SDL_Rect pill = { pic->x + 8, pic->y + 8, w < pic->w - 16 ? w : pic->w - 16, PILL_H };
    ui_fill_round(ui, &pill, PILL_H / 2, theme_color(COL_BADGE));
    ui_text_in(ui, what, &pill, THEME_PX_SMALL, FONT_BOLD, theme_color(COL_BADGE_TEXT),
               UI_CENTER);
    SDL_Rect track = { pic->x, pic->y + pic->h - BAR_H, pic->w, BAR_H };
    SDL_Rect edge = { track.x, track.y - 4, track.w, BAR_H + 4 }; /* parts it from a gold card */
    ui_fill_rect(ui, &edge, theme_color(COL_BG));
    ui_fill_rect(ui, &track, theme_color(COL_PROGRESS_TRACK));
    SDL_Rect fill = track;
    fill.w = (int)((long long)track.w * permille / 1000);
    if (fill.w > 0)
        ui_fill_rect(ui, &fill, theme_color(COL_PROGRESS_FILL));
}

const char *list_posters_mark(const struct list_posters *lp, const struct cat_entry *e, int i)
{
    if (!e->is_broadcast)
        return NULL;
    if (strcmp(e->state, "live") == 0)
        return "正在直播";
    if (strcmp(e->state, "scheduled") == 0)
        return "未开始";
    if (!e->recording_url[0])
        return "已结束";
    /* A replay begun says "继续观看" on the watched pill instead. */
    return list_posters_watched(lp, i) > 0 ? NULL : "看回放";
}

/* A broadcast's state on a pill at the picture's top-left: red for a meeting on air now. */
static void draw_mark(struct ui *ui, const SDL_Rect *pic, const char *what, int live)
{
    int w = ui_text_width(ui, what, THEME_PX_SMALL, FONT_BOLD) + 2 * PILL_PAD;
    SDL_Rect pill = { pic->x + 8, pic->y + 8, w < pic->w - 16 ? w : pic->w - 16, PILL_H };
    /* A cream edge sets the pill off a red card or a dark frame. */
    SDL_Rect edge = { pill.x - 4, pill.y - 4, pill.w + 8, pill.h + 8 };
    ui_fill_round(ui, &edge, PILL_H / 2 + 4, theme_color(COL_TILE_TEXT_SOFT));
    ui_fill_round(ui, &pill, PILL_H / 2, theme_color(live ? COL_LIVE_PILL : COL_BADGE));
    ui_text_in(ui, what, &pill, THEME_PX_SMALL, FONT_BOLD,
               theme_color(live ? COL_LIVE_PILL_TEXT : COL_BADGE_TEXT), UI_CENTER);
}

void list_posters_draw(struct list_posters *lp, struct ui *ui, const struct cat_page *page)
{
    const char *captions[LIST_POSTERS_MAX];
    for (int i = 0; i < lp->n; i++)
        captions[i] = page->items[i].title;
    ui_poster_grid_draw(ui, &lp->grid, captions, NULL, 1, lp->name);
    for (int i = 0; i < lp->n; i++) {
        SDL_Rect pic = ui_poster_picture_rect(&lp->grid, i);
        char name[48];
        snprintf(name, sizeof(name), "poster.%" PRId64, page->items[i].id);
        if (lp->pics[i].path[0] || lp->pics[i].failed) {
            picture_draw(&lp->pics[i], ui, name);
        } else {
            /* No picture: a card that names what it is (视频, 优秀党员, 党群直播 …). */
            const struct cat_entry *e = &page->items[i];
            ui_fill_round(ui, &pic, THEME_RADIUS / 2, theme_color(COL_TILE));
            SDL_Rect label = pic; /* below a broadcast's pill */
            if (e->is_broadcast) {
                label.y += PILL_H + 8;
                label.h -= PILL_H + 8;
            }
            ui_text_in(ui, e->is_broadcast ? "党群直播" : e->kind, &label, THEME_PX_TITLE,
                       FONT_BOLD, theme_color(COL_TILE_TEXT), UI_CENTER);
        }
        draw_watched(ui, &pic, lp->watched[i], lp->done_text);
        const char *mark = list_posters_mark(lp, &page->items[i], i);
        if (mark)
            draw_mark(ui, &pic, mark, strcmp(page->items[i].state, "live") == 0);
    }
}

void list_posters_count(const struct list_posters *lp, int *ready, int *with_picture)
{
    *ready = *with_picture = 0;
    for (int i = 0; i < lp->n; i++) {
        if (!lp->pics[i].path[0])
            continue;
        (*with_picture)++;
        if (strcmp(picture_state(&lp->pics[i]), "ready") == 0)
            (*ready)++;
    }
}

void list_posters_presented(struct list_posters *lp)
{
    int ready, with_picture;
    list_posters_count(lp, &ready, &with_picture);
    if (lp->painted || lp->n == 0 || ready < with_picture)
        return;
    lp->painted = 1;
    log_info("painted: posters %s, %d pictures in %.1f ms (process cpu %.1f ms)", lp->name,
             ready, clock_ms(CLOCK_MONOTONIC) - lp->since_ms,
             clock_ms(CLOCK_PROCESS_CPUTIME_ID) - lp->since_cpu_ms);
}

int list_posters_watched(const struct list_posters *lp, int i)
{
    return i >= 0 && i < lp->n ? lp->watched[i] : -1;
}

void list_posters_fini(struct list_posters *lp)
{
    forget_page(lp);
}
