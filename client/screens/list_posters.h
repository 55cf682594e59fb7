/* A page of a section drawn as a poster grid (今日南湖 videos, 党教园地 courses, 时代先锋
 * photos, 党群直播 meetings with their replays' poster frames and a pill saying 正在直播,
 * 看回放 …): each card has the item's poster or photo (fetched and decoded off the UI thread by
 * screens/picture.h, a card naming the kind when it has none) and its title under it; a
 * course or video begun shows how far the household watched (GET /api/v1/resume/{id}) as a
 * bar along the picture's foot and a "继续观看" pill ("已看完" past 90 %).
 *
 * The list screen (screens/list.h) owns the paging and what OK does; this module owns the
 * page's pictures and positions, and says in the log when every picture of the page is on
 * screen ("painted: posters …", for tests/bench/posters.py). */
#ifndef DJTV_LIST_POSTERS_H
#define DJTV_LIST_POSTERS_H

#include <stdint.h>

#include "app/owner.h"
#include "net/catalogue.h"
#include "screens/picture.h"
#include "ui/poster_grid.h"

enum { LIST_POSTERS_MAX = 8 }; /* cards on one page */

struct list_posters {
    struct ui_poster_grid grid;              /* geometry and focus of the page's cards */
    struct picture pics[LIST_POSTERS_MAX];
    int64_t resume_serial[LIST_POSTERS_MAX]; /* GET /resume in flight, 0 = none */
    int watched[LIST_POSTERS_MAX];           /* permille watched; -1 = unknown or not a video */
    int duration_s[LIST_POSTERS_MAX];        /* the item's length, as the page said */
    int n;
    double since_ms;     /* when the page was asked for (CLOCK_MONOTONIC) */
    double since_cpu_ms; /* the process's CPU time then */
    int painted;         /* the log line for this page is written */
    char name[64];       /* borrowed into the log: "section.video" */
    const char *done_text; /* static: the pill of a card watched to the end ("已看完") */
    struct owner *owner; /* borrowed */
};

void list_posters_init(struct list_posters *lp, struct owner *owner, const char *name,
                       int cols, int rows);
/* A page is being asked for now: the paint time counts from here. */
void list_posters_clock(struct list_posters *lp);
/* The page has come: fetch its pictures and the positions of its videos. */
void list_posters_start(struct list_posters *lp, const struct cat_page *page);
/* Ask again where the page's videos stopped (back from the player): the bars follow. */
void list_posters_recheck(struct list_posters *lp, const struct cat_page *page);
/* 1 if r answers one of this module's requests. */
int list_posters_take(struct list_posters *lp, const struct net_result *r);
void list_posters_tick(struct list_posters *lp);
/* Cards of page (the page given to start), focus on lp->grid.focus. */
void list_posters_draw(struct list_posters *lp, struct ui *ui, const struct cat_page *page);
/* The frame drawn is on screen: log the paint time once every picture of the page is in it. */
void list_posters_presented(struct list_posters *lp);
/* "n/m": pictures ready of those the page has, for the UI dump. */
void list_posters_count(const struct list_posters *lp, int *ready, int *with_picture);
/* What the pill on broadcast card i says ("正在直播", "未开始", "看回放", "已结束"); NULL for
 * an item, or a replay begun (its pill says "继续观看"). */
const char *list_posters_mark(const struct list_posters *lp, const struct cat_entry *e, int i);
/* Permille watched of card i, -1 when unknown. */
int list_posters_watched(const struct list_posters *lp, int i);
void list_posters_fini(struct list_posters *lp);

#endif
