/* Demo content items and broadcasts from content.json (format: see its _comment). */
#define LOG_TAG "demo"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "demo/demo_internal.h"
#include "log.h"
#include "store/store.h"

enum {
    TEXT_MAX = 64 * 1024,
    DAY = 86400,
    BEIJING_OFFSET = 8 * 3600,
    MAX_DAYS_AGO = 3650,
};

static const char *const section_keys[] = { "affairs", "live",     "study",
                                            "video",   "pioneers", "evaluation" };
static const char *const states[] = { "scheduled", "live", "ended" };

static int one_of(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* One content item of ORG (VILLAGE: its name for placeholders, or NULL for the township). */
static int add_item(struct demo_ctx *c, const cJSON *it, const char *where, int64_t org,
                    const char *village, struct buf *title, struct buf *body)
{
    const char *section, *kind, *t, *b;
    int days_ago;
    int rc = demo_json_str(c, it, "section", where, &section);
    if (rc == 0)
        rc = demo_json_str(c, it, "kind", where, &kind);
    if (rc == 0)
        rc = demo_json_str(c, it, "title", where, &t);
    if (rc == 0)
        rc = demo_json_str(c, it, "body", where, &b);
    if (rc == 0)
        rc = demo_json_int(c, it, "days_ago", where, -MAX_DAYS_AGO, MAX_DAYS_AGO, &days_ago);
    if (rc < 0)
        return rc;
    if (!one_of(section, section_keys, sizeof(section_keys) / sizeof(section_keys[0]))) {
        log_error("%s: %s: unknown section \"%s\"", c->file, where, section);
        return -EINVAL;
    }
    /* An hour back, so that an item of "today" is already visible when the demo starts. */
    time_t published = c->now - (time_t)days_ago * DAY - 3600;
    rc = demo_expand(c, t, village, published, title);
    if (rc == 0)
        rc = demo_expand(c, b, village, published, body);
    if (rc < 0)
        return rc;
    struct store_content_new item = {
        .org_id = org,
        .section = section,
        .kind = kind,
        .title = title->data,
        .body = body->data,
        .published_at = published,
    };
    int64_t id = 0;
    rc = store_content_add(c->tx, &item, &id);
    if (rc == 0)
        rc = demo_extras_add(c, it, where, id, published);
    if (rc == 0)
        c->stats->content++;
    return rc;
}

static int add_items(struct demo_ctx *c, const cJSON *arr, const char *name, int64_t org,
                     const char *village, struct buf *title, struct buf *body)
{
    if (!cJSON_IsArray(arr)) {
        log_error("%s: \"%s\" must be a list of items", c->file, name);
        return -EINVAL;
    }
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char where[160];
        snprintf(where, sizeof(where), "%s[%d]", name, i++);
        int rc = add_item(c, it, where, org, village, title, body);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static const struct demo_village *find_village(const struct demo_ctx *c, const char *name)
{
    for (int i = 0; i < c->n_villages; i++)
        if (strcmp(c->villages[i].name, name) == 0)
            return &c->villages[i];
    return NULL;
}

/* The next MONTHDAY at HOUR Beijing time that is more than a day away. */
static time_t next_monthday(time_t now, int monthday, int hour)
{
    time_t local = now + BEIJING_OFFSET;
    struct tm tm;
    gmtime_r(&local, &tm);
    for (int i = 0; i < 3; i++) {
        struct tm t = { 0 };
        t.tm_year = tm.tm_year;
        t.tm_mon = tm.tm_mon + i; /* timegm normalises month 12 into January */
        t.tm_mday = monthday;
        t.tm_hour = hour;
        time_t when = timegm(&t) - BEIJING_OFFSET;
        if (when > now + DAY)
            return when;
    }
    return now + 30 * DAY;
}

static int add_broadcast(struct demo_ctx *c, const cJSON *it, const char *where,
                         struct buf *title)
{
    const char *scope, *state, *t;
    int rc = demo_json_str(c, it, "scope", where, &scope);
    if (rc == 0)
        rc = demo_json_str(c, it, "state", where, &state);
    if (rc == 0)
        rc = demo_json_str(c, it, "title", where, &t);
    if (rc < 0)
        return rc;
    if (!one_of(state, states, sizeof(states) / sizeof(states[0]))) {
        log_error("%s: %s: state must be scheduled, live or ended", c->file, where);
        return -EINVAL;
    }
    int64_t org = c->township_id;
    const char *village = NULL;
    if (strcmp(scope, "township") != 0) {
        const struct demo_village *v = find_village(c, scope);
        if (!v) {
            log_error("%s: %s: scope \"%s\" is neither township nor a village", c->file, where,
                      scope);
            return -EINVAL;
        }
        org = v->id;
        village = v->name;
    }
    time_t start;
    if (cJSON_GetObjectItemCaseSensitive(it, "next_monthday")) {
        int md, hour;
        rc = demo_json_int(c, it, "next_monthday", where, 1, 28, &md);
        if (rc == 0)
            rc = demo_json_int(c, it, "hour", where, 0, 23, &hour);
        if (rc < 0)
            return rc;
        start = next_monthday(c->now, md, hour);
    } else {
        int minutes;
        rc = demo_json_int(c, it, "start_minutes", where, -MAX_DAYS_AGO * 1440,
                           MAX_DAYS_AGO * 1440, &minutes);
        if (rc < 0)
            return rc;
        start = c->now + (time_t)minutes * 60;
    }
    time_t end = 0;
    if (strcmp(state, "ended") == 0) {
        int duration;
        rc = demo_json_int(c, it, "duration_minutes", where, 1, 24 * 60, &duration);
        if (rc < 0)
            return rc;
        end = start + (time_t)duration * 60;
    }
    rc = demo_expand(c, t, village, start, title);
    if (rc < 0)
        return rc;
    /* A live one is started as a cadre would: with a publishing key (demo.c writes it to
     * publish-keys.tsv, so `make run` can publish a stream to it) and its playback URL. */
    int live = strcmp(state, "live") == 0;
    struct store_broadcast_new b = {
        .org_id = org,
        .title = title->data,
        .state = live ? "scheduled" : state,
        .started_at = start,
        .ended_at = end,
    };
    int64_t id = 0;
    rc = store_broadcast_add(c->tx, &b, &id);
    if (rc == 0 && live) {
        char key[AUTH_TOKEN_HEX], hash[AUTH_HASH_HEX], url[64];
        rc = auth_token_new(key);
        if (rc == 0)
            rc = auth_token_hash(key, hash);
        snprintf(url, sizeof(url), "/live/%lld/index.m3u8", (long long)id);
        if (rc == 0)
            rc = store_broadcast_start(c->tx, id, start, hash, url);
        if (rc == 0)
            rc = buf_printf(&c->publish_keys, "%lld\t%s\n", (long long)id, key);
        sodium_memzero(key, sizeof(key));
    }
    if (rc == 0)
        c->stats->broadcasts++;
    return rc;
}

static int add_all(struct demo_ctx *c, const cJSON *j, struct buf *title, struct buf *body)
{
    int rc = add_items(c, cJSON_GetObjectItemCaseSensitive(j, "township"), "township",
                       c->township_id, NULL, title, body);
    if (rc < 0)
        return rc;

    const cJSON *every = cJSON_GetObjectItemCaseSensitive(j, "every_village");
    for (int i = 0; every && i < c->n_villages; i++) {
        rc = add_items(c, every, "every_village", c->villages[i].id, c->villages[i].name, title,
                       body);
        if (rc < 0)
            return rc;
    }

    const cJSON *villages = cJSON_GetObjectItemCaseSensitive(j, "villages");
    if (villages && !cJSON_IsObject(villages)) {
        log_error("%s: \"villages\" must map village names to lists of items", c->file);
        return -EINVAL;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, villages)
    {
        const struct demo_village *v = find_village(c, it->string);
        if (!v) {
            log_error("%s: villages: \"%s\" is not a village of township.json", c->file,
                      it->string);
            return -EINVAL;
        }
        rc = add_items(c, it, it->string, v->id, v->name, title, body);
        if (rc < 0)
            return rc;
    }

    const cJSON *bcasts = cJSON_GetObjectItemCaseSensitive(j, "broadcasts");
    if (bcasts && !cJSON_IsArray(bcasts)) {
        log_error("%s: \"broadcasts\" must be a list", c->file);
        return -EINVAL;
    }
    int i = 0;
    cJSON_ArrayForEach(it, bcasts)
    {
        char where[32];
        snprintf(where, sizeof(where), "broadcasts[%d]", i++);
        rc = add_broadcast(c, it, where, title);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int demo_content_add(struct demo_ctx *c, const cJSON *j)
{
    struct buf title, body;
    buf_init(&title, TEXT_MAX);
    buf_init(&body, TEXT_MAX);
    int rc = add_all(c, j, &title, &body);
    buf_fini(&title);
    buf_fini(&body);
    return rc;
}
