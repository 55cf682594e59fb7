/* The catalogue's models: a page of a home section's items (GET /api/v1/sections/{key}/items)
 * and one item in full (GET /api/v1/items/{id}), with strict parsers (no I/O, tested on JSON
 * strings) and the formatting the screens show (dates in Beijing time, yuan from fen). */
#ifndef DJTV_CATALOGUE_H
#define DJTV_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

#include "net/api.h"

enum {
    CAT_KIND_MAX = 48,
    CAT_URL_MAX = 1024,
    CAT_PAGE_MAX = 50,     /* entries a page may hold (the server's per_page cap) */
    CAT_LEDGER_MAX = 1000, /* ledger lines an item may hold */
    CAT_BODY_MAX = 64 * 1024,
};

/* One row of a section: an item, or in the live section a broadcast. */
struct cat_entry {
    int64_t id;
    char kind[CAT_KIND_MAX];        /* 通知公告, 财务公示, 课程 …; "" for a broadcast */
    char title[API_TITLE_MAX];
    char scope[API_NAME_MAX];       /* the village or township that published it */
    char when[32];                  /* published_at / started_at as sent; "" when null */
    int duration_s;                 /* a course's, video's or replay's length; -1 when null */
    int is_broadcast;
    char state[16];                 /* broadcasts: "live", "scheduled", "ended" */
    char playback_url[CAT_URL_MAX]; /* broadcasts; "" when null */
    char recording_url[CAT_URL_MAX];
    char multicast_url[CAT_URL_MAX]; /* broadcasts: udp://group:port on the cable network */
    int64_t replay_item_id;          /* broadcasts: the replay's video item (resume); 0 = none */
    char picture[CAT_URL_MAX];       /* a course's poster, a pioneer's photo, a replay's poster
                                      * frame; "" = none */
    char category[API_NAME_MAX];     /* a course's category; "" for other items */
};

enum { CAT_CATEGORIES_MAX = 16 }; /* categories a section may list */

/* GET /api/v1/sections/{key}/categories: its courses' categories with their counts. */
struct cat_categories {
    struct {
        char name[API_NAME_MAX];
        int count;
    } items[CAT_CATEGORIES_MAX];
    int n;
};

struct cat_page {
    char section[32];
    char title[API_NAME_MAX];
    int total, page, per_page;
    struct cat_entry *items; /* owned, n entries */
    int n;
};

struct cat_ledger_line {
    char date[16];
    char item[API_TITLE_MAX];
    int64_t income_fen, expense_fen, balance_fen;
};

/* A row of a dues disclosure (党费公示: name, day "YYYY-MM", amount) or of a new-member
 * disclosure (发展党员公示: name, stage, day "YYYY-MM-DD"). */
struct cat_roster_row {
    char name[API_NAME_MAX];
    char stage[API_NAME_MAX]; /* "" for dues */
    char day[16];
    int64_t amount_fen;       /* 0 for new members */
};

enum cat_roster { CAT_ROSTER_NONE, CAT_ROSTER_DUES, CAT_ROSTER_CANDIDATES };

struct cat_detail {
    struct cat_entry head;
    char *body;                    /* owned, never NULL after a successful parse */
    struct cat_ledger_line *lines; /* owned, n_lines entries (财务公示) */
    int n_lines;
    int has_ledger;
    int64_t income_fen, expense_fen, balance_fen; /* the ledger's totals */
    enum cat_roster roster;            /* "dues" or "candidates" came with the item */
    struct cat_roster_row *roster_rows; /* owned, n_roster entries */
    int n_roster;
    int64_t roster_total_fen;          /* dues: the server's total */
    int has_course;
    char category[API_NAME_MAX];
    char media_url[CAT_URL_MAX];   /* "" when the course has no media yet */
    char *citation;                /* owned, a pioneer's citation; NULL when none */
    char picture[CAT_URL_MAX];     /* a course's poster or a pioneer's photo; "" = none */
};

/* Return 0, or -EINVAL with a reason in err (English; err may be NULL). Strict like
 * api_parse_home() (net/jcheck.h): types, bounds, UTF-8 and no control characters but newline
 * and tab; unknown fields ignored. On error nothing to free. */
int cat_parse_page(const char *json, struct cat_page *out, char *err, size_t errlen);
void cat_page_free(struct cat_page *p);
/* Strict as the others; more than CAT_CATEGORIES_MAX categories is an error. */
int cat_parse_categories(const char *json, struct cat_categories *out, char *err, size_t errlen);
int cat_parse_detail(const char *json, struct cat_detail *out, char *err, size_t errlen);
void cat_detail_free(struct cat_detail *d);

/* 1 if OK on this entry plays a video: a broadcast, or an item with a length. */
int cat_entry_playable(const struct cat_entry *e);

/* "2026-11-13T04:40:06Z" → "2026年11月13日" (Beijing time); other text is copied as is. */
void cat_format_date(const char *iso, char *out, size_t outlen);
/* "2026-10-16" → "10月16日" (a ledger line's day; the year is in the title). */
void cat_format_day(const char *ymd, char *out, size_t outlen);
/* 3617950 fen → "36,179.50"; negative amounts get a leading "-". */
void cat_format_yuan(int64_t fen, char *out, size_t outlen);
/* 1500 s → "25 分钟"; 45 → "1 分钟"; 7200 → "2 小时"; 5400 → "1 小时 30 分钟". */
void cat_format_duration(int seconds, char *out, size_t outlen);

#endif
