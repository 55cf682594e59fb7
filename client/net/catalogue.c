/* Strict parsers for the catalogue replies (field checks: net/jcheck.h; text must be
 * printable, it is all shown on screen) and the formatting the screens show. */
#include "net/catalogue.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/jcheck.h"

#define AMOUNT_MAX_FEN 1e15 /* far beyond any village's accounts */

static int parse_url(struct jcheck *c, const cJSON *o, const char *name, const char *path,
                     char *dst);

static int parse_item(struct jcheck *c, const cJSON *o, const char *path, struct cat_entry *e)
{
    int64_t v;
    int rc = jcheck_int(c, o, "id", path, 1, JCHECK_INT_LIMIT, &e->id);
    if (rc == 0)
        rc = jcheck_string(c, o, "kind", path, e->kind, sizeof(e->kind));
    if (rc == 0)
        rc = jcheck_string(c, o, "title", path, e->title, sizeof(e->title));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "scope", path, e->scope, sizeof(e->scope));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "published_at", path, e->when, sizeof(e->when));
    if (rc == 0)
        rc = jcheck_int_opt(c, o, "duration_s", path, 0, 7 * 24 * 3600, -1, &v);
    if (rc == 0)
        rc = parse_url(c, o, "picture", path, e->picture);
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "category", path, e->category, sizeof(e->category));
    if (rc < 0)
        return rc;
    e->duration_s = (int)v;
    return 0;
}

static int parse_broadcast(struct jcheck *c, const cJSON *o, const char *path, struct cat_entry *e)
{
    e->is_broadcast = 1;
    e->duration_s = -1;
    int rc = jcheck_int(c, o, "id", path, 1, JCHECK_INT_LIMIT, &e->id);
    if (rc == 0)
        rc = jcheck_string(c, o, "title", path, e->title, sizeof(e->title));
    if (rc == 0)
        rc = jcheck_string(c, o, "state", path, e->state, sizeof(e->state));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "scope", path, e->scope, sizeof(e->scope));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "started_at", path, e->when, sizeof(e->when));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "playback_url", path, e->playback_url,
                               sizeof(e->playback_url));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "recording_url", path, e->recording_url,
                               sizeof(e->recording_url));
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "multicast_url", path, e->multicast_url,
                               sizeof(e->multicast_url));
    if (rc == 0)
        rc = jcheck_int_opt(c, o, "replay_item_id", path, 1, JCHECK_INT_LIMIT, 0,
                            &e->replay_item_id);
    /* The live section's past meetings: the replay's poster and length. */
    int64_t replay_s = -1;
    if (rc == 0)
        rc = parse_url(c, o, "picture", path, e->picture);
    if (rc == 0)
        rc = jcheck_int_opt(c, o, "duration_s", path, 0, 7 * 24 * 3600, -1, &replay_s);
    e->duration_s = (int)replay_s;
    if (strncmp(e->multicast_url, "udp://", 6) != 0)
        e->multicast_url[0] = '\0'; /* only a multicast group is tried before HTTPS */
    return rc;
}

/* The page's own fields; items are checked against per_page. */
static int parse_page_head(struct jcheck *c, const cJSON *root, struct cat_page *out)
{
    int64_t total = 0, page = 0, per_page = 0;
    int rc = jcheck_string(c, root, "section", "page", out->section, sizeof(out->section));
    if (rc == 0)
        rc = jcheck_string_opt(c, root, "title", "page", out->title, sizeof(out->title));
    if (rc == 0)
        rc = jcheck_int(c, root, "total", "page", 0, INT_MAX, &total);
    if (rc == 0)
        rc = jcheck_int(c, root, "page", "page", 1, INT_MAX, &page);
    if (rc == 0)
        rc = jcheck_int(c, root, "per_page", "page", 1, CAT_PAGE_MAX, &per_page);
    out->total = (int)total;
    out->page = (int)page;
    out->per_page = (int)per_page;
    return rc;
}

int cat_parse_page(const char *json, struct cat_page *out, char *err, size_t errlen)
{
    struct jcheck c;
    const cJSON *arr, *it;
    int n = 0;
    jcheck_init(&c, JCHECK_PRINTABLE, err, errlen);
    if (!out)
        return jcheck_fail(&c, "no page to fill");
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_parse_object(&c, json);
    if (!root)
        return -EINVAL;
    int rc = parse_page_head(&c, root, out);
    if (rc == 0)
        rc = jcheck_array(&c, root, "items", "", out->per_page, &arr, &n);
    if (rc == 0 && n > 0) {
        out->items = calloc((size_t)n, sizeof(*out->items));
        if (!out->items)
            rc = jcheck_fail(&c, "out of memory");
    }
    int live = strcmp(out->section, "live") == 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[32];
        rc = jcheck_entry(&c, arr, i, "items", path, sizeof(path), &it);
        if (rc == 0)
            rc = live ? parse_broadcast(&c, it, path, &out->items[i])
                      : parse_item(&c, it, path, &out->items[i]);
        if (rc == 0)
            out->n = i + 1;
    }
    cJSON_Delete(root);
    if (rc < 0)
        cat_page_free(out);
    return rc;
}

void cat_page_free(struct cat_page *p)
{
    if (!p)
        return;
    free(p->items);
    memset(p, 0, sizeof(*p));
}

int cat_parse_categories(const char *json, struct cat_categories *out, char *err, size_t errlen)
{
    struct jcheck c;
    const cJSON *arr, *it;
    int n = 0;
    jcheck_init(&c, JCHECK_PRINTABLE, err, errlen);
    if (!out)
        return jcheck_fail(&c, "no categories to fill");
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_parse_object(&c, json);
    if (!root)
        return -EINVAL;
    int rc = jcheck_array(&c, root, "categories", "", CAT_CATEGORIES_MAX, &arr, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[32];
        int64_t count = 0;
        rc = jcheck_entry(&c, arr, i, "categories", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_string(&c, it, "name", path, out->items[i].name,
                               sizeof(out->items[i].name));
        if (rc == 0 && !out->items[i].name[0])
            rc = jcheck_fail(&c, "%s.name: empty", path);
        if (rc == 0)
            rc = jcheck_int(&c, it, "count", path, 0, JCHECK_INT_LIMIT, &count);
        if (rc == 0) {
            out->items[i].count = count > INT_MAX ? INT_MAX : (int)count;
            out->n = i + 1;
        }
    }
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

static int parse_ledger_line(struct jcheck *c, const cJSON *it, const char *path,
                             struct cat_ledger_line *ln)
{
    const double amount_max = AMOUNT_MAX_FEN;
    int rc = jcheck_string(c, it, "date", path, ln->date, sizeof(ln->date));
    if (rc == 0)
        rc = jcheck_string(c, it, "item", path, ln->item, sizeof(ln->item));
    if (rc == 0)
        rc = jcheck_int(c, it, "income_fen", path, 0, amount_max, &ln->income_fen);
    if (rc == 0)
        rc = jcheck_int(c, it, "expense_fen", path, 0, amount_max, &ln->expense_fen);
    if (rc == 0)
        rc = jcheck_int(c, it, "balance_fen", path, -amount_max, amount_max, &ln->balance_fen);
    return rc;
}

static int parse_ledger(struct jcheck *c, const cJSON *l, struct cat_detail *d)
{
    const double amount_max = AMOUNT_MAX_FEN;
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, l, "lines", "ledger", CAT_LEDGER_MAX, &arr, &n);
    if (rc == 0 && n > 0) {
        d->lines = calloc((size_t)n, sizeof(*d->lines));
        if (!d->lines)
            return jcheck_fail(c, "out of memory");
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[40];
        rc = jcheck_entry(c, arr, i, "ledger.lines", path, sizeof(path), &it);
        if (rc == 0)
            rc = parse_ledger_line(c, it, path, &d->lines[i]);
        if (rc == 0)
            d->n_lines = i + 1;
    }
    if (rc == 0)
        rc = jcheck_int(c, l, "income_fen", "ledger", 0, amount_max, &d->income_fen);
    if (rc == 0)
        rc = jcheck_int(c, l, "expense_fen", "ledger", 0, amount_max, &d->expense_fen);
    if (rc == 0)
        rc = jcheck_int(c, l, "balance_fen", "ledger", -amount_max, amount_max, &d->balance_fen);
    if (rc == 0)
        d->has_ledger = 1;
    return rc;
}

/* "dues": {rows: [{name, month, amount_fen}], amount_fen} or "candidates": {rows: [{name,
 * stage, date}]}. */
static int parse_roster(struct jcheck *c, const cJSON *o, enum cat_roster kind,
                        struct cat_detail *d)
{
    const double amount_max = AMOUNT_MAX_FEN;
    const char *part = kind == CAT_ROSTER_DUES ? "dues" : "candidates";
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, o, "rows", part, CAT_LEDGER_MAX, &arr, &n);
    if (rc == 0 && n > 0) {
        d->roster_rows = calloc((size_t)n, sizeof(*d->roster_rows));
        if (!d->roster_rows)
            return jcheck_fail(c, "out of memory");
    }
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[40];
        struct cat_roster_row *r = &d->roster_rows[i];
        rc = jcheck_entry(c, arr, i, part, path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_string(c, it, "name", path, r->name, sizeof(r->name));
        if (rc == 0 && kind == CAT_ROSTER_DUES)
            rc = jcheck_string(c, it, "month", path, r->day, sizeof(r->day));
        if (rc == 0 && kind == CAT_ROSTER_DUES)
            rc = jcheck_int(c, it, "amount_fen", path, 0, amount_max, &r->amount_fen);
        if (rc == 0 && kind == CAT_ROSTER_CANDIDATES)
            rc = jcheck_string(c, it, "stage", path, r->stage, sizeof(r->stage));
        if (rc == 0 && kind == CAT_ROSTER_CANDIDATES)
            rc = jcheck_string(c, it, "date", path, r->day, sizeof(r->day));
        if (rc == 0)
            d->n_roster = i + 1;
    }
    if (rc == 0 && kind == CAT_ROSTER_DUES)
        rc = jcheck_int(c, o, "amount_fen", part, 0, amount_max, &d->roster_total_fen);
    if (rc == 0)
        d->roster = kind;
    return rc;
}

/* An optional URL field; one cut short would be a wrong URL: refuse it instead. */
static int parse_url(struct jcheck *c, const cJSON *o, const char *name, const char *path,
                     char *dst)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (cJSON_IsString(v) && v->valuestring && strlen(v->valuestring) >= CAT_URL_MAX)
        return jcheck_fail(c, "%s.%s: longer than %d bytes", path, name, CAT_URL_MAX - 1);
    return jcheck_string_opt(c, o, name, path, dst, CAT_URL_MAX);
}

static int parse_course(struct jcheck *c, const cJSON *o, struct cat_detail *d)
{
    int rc = jcheck_string_opt(c, o, "category", "course", d->category, sizeof(d->category));
    if (rc == 0)
        rc = parse_url(c, o, "media_url", "course", d->media_url);
    if (rc == 0)
        rc = parse_url(c, o, "poster", "course", d->picture);
    if (rc == 0)
        d->has_course = 1;
    return rc;
}

static int parse_pioneer(struct jcheck *c, const cJSON *o, struct cat_detail *d)
{
    int rc = jcheck_string_dup(c, o, "citation", "pioneer", CAT_BODY_MAX, &d->citation);
    if (rc == 0)
        rc = parse_url(c, o, "photo", "pioneer", d->picture);
    return rc;
}

int cat_parse_detail(const char *json, struct cat_detail *out, char *err, size_t errlen)
{
    struct jcheck c;
    const cJSON *part;
    jcheck_init(&c, JCHECK_PRINTABLE, err, errlen);
    if (!out)
        return jcheck_fail(&c, "no item to fill");
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_parse_object(&c, json);
    if (!root)
        return -EINVAL;
    int rc = parse_item(&c, root, "item", &out->head);
    if (rc == 0)
        rc = jcheck_string_dup(&c, root, "body", "item", CAT_BODY_MAX, &out->body);
    if (rc == 0)
        rc = jcheck_object_opt(&c, root, "ledger", "", &part);
    if (rc == 0 && part)
        rc = parse_ledger(&c, part, out);
    if (rc == 0)
        rc = jcheck_object_opt(&c, root, "dues", "", &part);
    if (rc == 0 && part)
        rc = parse_roster(&c, part, CAT_ROSTER_DUES, out);
    if (rc == 0 && !out->roster)
        rc = jcheck_object_opt(&c, root, "candidates", "", &part);
    if (rc == 0 && !out->roster && part)
        rc = parse_roster(&c, part, CAT_ROSTER_CANDIDATES, out);
    if (rc == 0)
        rc = jcheck_object_opt(&c, root, "course", "", &part);
    if (rc == 0 && part)
        rc = parse_course(&c, part, out);
    if (rc == 0)
        rc = jcheck_object_opt(&c, root, "pioneer", "", &part);
    if (rc == 0 && part)
        rc = parse_pioneer(&c, part, out);
    cJSON_Delete(root);
    if (rc < 0)
        cat_detail_free(out);
    return rc;
}

void cat_detail_free(struct cat_detail *d)
{
    if (!d)
        return;
    free(d->body);
    free(d->lines);
    free(d->roster_rows);
    free(d->citation);
    memset(d, 0, sizeof(*d));
}

int cat_entry_playable(const struct cat_entry *e)
{
    return e->is_broadcast || e->duration_s > 0;
}

void cat_format_date(const char *iso, char *out, size_t outlen)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    int y, mo, d, h = 0, mi = 0, s = 0;
    char tail[8] = "";
    int got = sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%7s", &y, &mo, &d, &h, &mi, &s, tail);
    if (got == 3 || (got == 7 && strcmp(tail, "Z") == 0)) {
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = s;
        time_t t = timegm(&tm);
        if (t != (time_t)-1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31) {
            if (got == 7)
                t += 8 * 3600; /* members live in Beijing time */
            struct tm bj;
            if (gmtime_r(&t, &bj)) {
                snprintf(out, outlen, "%d年%d月%d日", bj.tm_year + 1900, bj.tm_mon + 1,
                         bj.tm_mday);
                return;
            }
        }
    }
    snprintf(out, outlen, "%s", iso);
}

void cat_format_day(const char *ymd, char *out, size_t outlen)
{
    int y, m, d;
    char tail[2];
    if (sscanf(ymd, "%4d-%2d-%2d%1s", &y, &m, &d, tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
        d <= 31)
        snprintf(out, outlen, "%d月%d日", m, d);
    else
        snprintf(out, outlen, "%s", ymd);
}

void cat_format_yuan(int64_t fen, char *out, size_t outlen)
{
    uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    uint64_t yuan = v / 100, cents = v % 100;
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof(digits), "%" PRIu64, yuan);
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    snprintf(out, outlen, "%s%s.%02" PRIu64, fen < 0 ? "-" : "", grouped, cents);
}

void cat_format_duration(int seconds, char *out, size_t outlen)
{
    int minutes = (seconds + 59) / 60;
    if (minutes < 1)
        minutes = 1;
    int h = minutes / 60, m = minutes % 60;
    if (h > 0 && m > 0)
        snprintf(out, outlen, "%d 小时 %d 分钟", h, m);
    else if (h > 0)
        snprintf(out, outlen, "%d 小时", h);
    else
        snprintf(out, outlen, "%d 分钟", m);
}
