#include "net/rollcall.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "net/jcheck.h"

int64_t api_rollcalls_current(struct net *n)
{
    return net_request(n, "GET", "/api/v1/rollcalls/current", NULL, API_ROLLCALLS);
}

int64_t api_rollcall_checkin(struct net *n, int64_t rollcall_id, int64_t member_id)
{
    char path[96], body[64];
    if (rollcall_id <= 0 || member_id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/rollcalls/%" PRId64 "/checkins", rollcall_id);
    snprintf(body, sizeof(body), "{\"member_id\":%" PRId64 "}", member_id);
    /* Durable: a check-in made while the server cannot be reached is kept in the outbox and
     * sent when it is back (the server's window still decides). */
    return net_request_durable(n, "POST", path, body, API_CHECKIN, 0);
}

int64_t api_broadcasts(struct net *n)
{
    return net_request(n, "GET", "/api/v1/broadcasts", NULL, API_BROADCASTS);
}

static int parse_members(struct jcheck *c, const cJSON *rc, const char *path, struct rc_open *o)
{
    const cJSON *arr, *it;
    int n;
    char sub[64], mpath[96];
    snprintf(sub, sizeof(sub), "%s.members", path);
    int r = jcheck_array(c, rc, "members", path, RC_MEMBERS_MAX, &arr, &n);
    for (int i = 0; r == 0 && i < n; i++) {
        struct rc_member *m = &o->members[i];
        r = jcheck_entry(c, arr, i, sub, mpath, sizeof(mpath), &it);
        if (r == 0)
            r = jcheck_int(c, it, "id", mpath, 1, JCHECK_INT_LIMIT, &m->id);
        if (r == 0)
            r = jcheck_string(c, it, "name", mpath, m->name, sizeof(m->name));
        if (r == 0)
            r = jcheck_string_opt(c, it, "checked_in_at", mpath, m->checked_in_at,
                                  sizeof(m->checked_in_at));
        if (r == 0)
            o->n_members = i + 1;
    }
    return r;
}

int api_parse_rollcalls(const char *json, struct rc_current *out, char *err, size_t errlen)
{
    struct jcheck c;
    jcheck_init(&c, JCHECK_PRINTABLE, err, errlen);
    if (!out)
        return jcheck_fail(&c, "nothing to fill");
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_parse_object(&c, json ? json : "");
    if (!root)
        return -EINVAL;
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(&c, root, "rollcalls", "", RC_OPEN_MAX, &arr, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct rc_open *o = &out->open[i];
        char path[48];
        rc = jcheck_entry(&c, arr, i, "rollcalls", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_int(&c, it, "id", path, 1, JCHECK_INT_LIMIT, &o->id);
        if (rc == 0)
            rc = jcheck_int(&c, it, "broadcast_id", path, 1, JCHECK_INT_LIMIT, &o->broadcast_id);
        if (rc == 0)
            rc = jcheck_string(&c, it, "title", path, o->title, sizeof(o->title));
        if (rc == 0)
            rc = jcheck_string_opt(&c, it, "closes_at", path, o->closes_at, sizeof(o->closes_at));
        if (rc == 0) {
            const cJSON *w = cJSON_GetObjectItemCaseSensitive(it, "watching");
            o->watching = cJSON_IsTrue(w);
        }
        if (rc == 0)
            rc = parse_members(&c, it, path, o);
        if (rc == 0)
            out->n = i + 1;
    }
    if (rc == 0)
        rc = jcheck_string_opt(&c, root, "server_time", "", out->server_time,
                               sizeof(out->server_time));
    cJSON_Delete(root);
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

int api_parse_checkin(const char *json, char *checked_in_at, size_t size, char *err,
                      size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int rc = jcheck_string(&c, root, "checked_in_at", "", checked_in_at, size);
    cJSON_Delete(root);
    return rc;
}

/* Walk the live broadcasts of a /broadcasts reply; want = 0 takes the first. */
static int find_live(const char *json, int64_t want, int64_t *id, char *url, size_t url_size,
                     char *title, size_t title_size, char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(&c, root, "broadcasts", "", 256, &arr, &n);
    int found = -ENOENT;
    for (int i = 0; rc == 0 && i < n && found == -ENOENT; i++) {
        char path[48], state[16];
        int64_t bid;
        rc = jcheck_entry(&c, arr, i, "broadcasts", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_int(&c, it, "id", path, 1, JCHECK_INT_LIMIT, &bid);
        if (rc == 0)
            rc = jcheck_string(&c, it, "state", path, state, sizeof(state));
        if (rc < 0 || (want && bid != want) || strcmp(state, "live") != 0)
            continue;
        rc = jcheck_string_opt(&c, it, "playback_url", path, url, url_size);
        if (rc == 0)
            rc = jcheck_string(&c, it, "title", path, title, title_size);
        if (rc == 0 && url[0]) {
            *id = bid;
            found = 0;
        }
    }
    cJSON_Delete(root);
    return rc < 0 ? rc : found;
}

int api_find_live_broadcast(const char *json, int64_t id, char *url, size_t url_size,
                            char *title, size_t title_size, char *err, size_t errlen)
{
    int64_t got = 0;
    if (id <= 0)
        return -EINVAL;
    return find_live(json, id, &got, url, url_size, title, title_size, err, errlen);
}

int api_first_live_broadcast(const char *json, int64_t *id, char *url, size_t url_size,
                             char *title, size_t title_size, char *err, size_t errlen)
{
    return find_live(json, 0, id, url, url_size, title, title_size, err, errlen);
}

void api_error_code(const char *json, char *code, size_t size)
{
    code[0] = '\0';
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    const cJSON *c = root ? cJSON_GetObjectItemCaseSensitive(root, "code") : NULL;
    if (cJSON_IsString(c) && strlen(c->valuestring) < size) {
        int clean = 1;
        for (const char *p = c->valuestring; *p; p++)
            clean &= (*p >= 'a' && *p <= 'z') || *p == '_';
        if (clean)
            snprintf(code, size, "%s", c->valuestring);
    }
    cJSON_Delete(root);
}

int64_t api_iso_to_epoch(const char *iso)
{
    int y, mo, d, h, mi, s;
    char z = 0;
    if (!iso || sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 ||
        z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                     .tm_min = mi, .tm_sec = s };
    return (int64_t)timegm(&tm);
}

void api_beijing_hhmm(const char *iso, char *out, size_t size)
{
    int64_t t = api_iso_to_epoch(iso);
    if (t < 0 || size < 6) {
        if (size)
            out[0] = '\0';
        return;
    }
    t += 8 * 3600;
    int mins = (int)((t / 60) % (24 * 60));
    snprintf(out, size, "%02d:%02d", mins / 60, mins % 60);
}
