/* What township staff (and admins) watch: roll-call attendance village by village, who stayed
 * away (with a phone number to follow up), the trend across meetings, and a CSV export of one
 * roll call. Staff see their own township only: a roll call or village of another township is
 * 404, as if it did not exist. Rates are per mille (0..1000, rounded half up; null when nobody
 * was expected), so a chart needs no floating point. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/staff.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"
#include "util/isotime.h"

enum { TREND_DEFAULT = 6, TREND_MAX = 24, DAY_S = 24 * 3600 };

static int rollcalls(const struct caller *who, const struct api_request *req, cJSON **out);
static int attendance(const struct caller *who, const struct api_request *req, cJSON **out);
static int absentees(const struct caller *who, const struct api_request *req, cJSON **out);
static int trends(const struct caller *who, const struct api_request *req, cJSON **out);
static int export_csv(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_staff_routes[] = {
    { "GET", "/api/v1/staff/rollcalls", ACCESS_STAFF, rollcalls },
    { "GET", "/api/v1/staff/rollcalls/{id}/attendance", ACCESS_STAFF, attendance },
    { "GET", "/api/v1/staff/rollcalls/{id}/attendance.csv", ACCESS_STAFF, export_csv },
    { "GET", "/api/v1/staff/rollcalls/{id}/absentees", ACCESS_STAFF, absentees },
    { "GET", "/api/v1/staff/trends", ACCESS_STAFF, trends },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* {"expected", "present", "absent", "rate_permille"} into J: the rate per mille rounded half up
 * (exact in integers), null when nobody was expected. 0 or -ENOMEM. */
static int add_counts(cJSON *j, int expected, int present)
{
    if (!cJSON_AddNumberToObject(j, "expected", expected) ||
        !cJSON_AddNumberToObject(j, "present", present) ||
        !cJSON_AddNumberToObject(j, "absent", expected - present))
        return -ENOMEM;
    long long permille = expected > 0 ? ((long long)present * 1000 + expected / 2) / expected : 0;
    cJSON *rate = expected > 0 ? cJSON_CreateNumber((double)permille) : cJSON_CreateNull();
    if (!rate)
        return -ENOMEM;
    cJSON_AddItemToObject(j, "rate_permille", rate);
    return 0;
}

/* A roll call as staff see it: the common view, where it called, state and counts. */
static cJSON *rollcall_json(const struct store_rollcall *r, const char *scope)
{
    cJSON *j = api_rollcall_json(r);
    if (!j)
        return NULL;
    cJSON *s = cJSON_AddObjectToObject(j, "scope");
    if (!s || !cJSON_AddNumberToObject(s, "id", (double)r->org_id) ||
        !cJSON_AddStringToObject(s, "name", scope) || add_counts(j, r->expected, r->checked_in)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *turnout_view(const void *row, const void *ctx)
{
    const struct store_turnout_rollcall *t = row;
    (void)ctx;
    return rollcall_json(&t->rc, t->scope);
}

/* {"rollcall": the roll call R (called for SCOPE)}: the head of a roll call's reports. */
static cJSON *report_json(const struct store_rollcall *r, const char *scope)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *rj = j ? rollcall_json(r, scope) : NULL;
    if (!rj) {
        cJSON_Delete(j);
        return NULL;
    }
    cJSON_AddItemToObject(j, "rollcall", rj);
    return j;
}

/* 1 when ORG is WHO's township or one of its villages (its org row into *O), 0 when not, or a
 * negative errno. */
static int in_township(const struct caller *who, const struct api_request *req, int64_t org,
                       struct store_org *o)
{
    int rc = store_org_get(req->store, org, o);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    return o->id == who->township_id || o->parent_id == who->township_id;
}

/* The roll call of the path, if it belongs to WHO's township (its org into *ORG): 0 or an error
 * reply. Query arguments other than NAMES are refused. */
static int township_rollcall(const struct caller *who, const struct api_request *req,
                             const char *const *names, int n_names, struct store_rollcall *r,
                             struct store_org *org, cJSON **out)
{
    int64_t id = 0;
    int rc = api_param_id(req, "id", &id);
    if (rc < 0)
        return rc == -EINVAL ? api_fail(out, rc, "the roll call id must be a number") : -ENOENT;
    rc = api_query_check(req, names, n_names, out);
    if (rc < 0)
        return rc;
    rc = store_rollcall_get(req->store, id, r);
    if (rc == 0)
        rc = in_township(who, req, r->org_id, org);
    if (rc == -ENOENT || rc == 0)
        return api_fail(out, -ENOENT, "no such roll call");
    return rc < 0 ? rc : 0;
}

/* The optional `village` argument: 0 when absent, else a village of WHO's township in *ID.
 * -EINVAL (not an id) or -ENOENT (no such village there), with a message. */
static int village_arg(const struct caller *who, const struct api_request *req, int64_t *id,
                       cJSON **out)
{
    *id = 0;
    const char *v = api_query_get(req, "village");
    if (!v)
        return 0;
    char *end = NULL;
    errno = 0;
    long long n = (*v >= '1' && *v <= '9') ? strtoll(v, &end, 10) : 0;
    if (!end || errno || *end != '\0' || n <= 0)
        return api_fail(out, -EINVAL, "village must be a village id (a positive whole number)");
    int rc = api_own_village(who, req, n, NULL, out);
    if (rc == 0)
        *id = n;
    return rc;
}

/* A `from` or `to` argument: a day "YYYY-MM-DD" (UTC; `to` means its end) or a time
 * "YYYY-MM-DDTHH:MM:SSZ". 0 when absent. */
static int time_arg(const struct api_request *req, const char *name, int end_of_day, time_t *t,
                    cJSON **out)
{
    *t = 0;
    const char *v = api_query_get(req, name);
    if (!v)
        return 0;
    char iso[ISOTIME_LEN], back[ISOTIME_LEN];
    size_t len = strlen(v);
    int day = len == 10;
    if (day)
        snprintf(iso, sizeof(iso), "%sT00:00:00Z", v);
    else if (len == ISOTIME_LEN - 1)
        memcpy(iso, v, ISOTIME_LEN);
    /* The round trip refuses what timegm would quietly move (2026-02-30, 24:00:00). */
    if ((!day && len != ISOTIME_LEN - 1) || isotime_parse(iso, t) < 0 ||
        isotime_format(*t, back, sizeof(back)) < 0 || strcmp(back, iso) != 0) {
        char msg[96];
        snprintf(msg, sizeof(msg), "%s must be a date like 2026-12-05 or 2026-12-05T01:00:00Z",
                 name);
        return api_fail(out, -EINVAL, msg);
    }
    if (day && end_of_day)
        *t += DAY_S - 1;
    if (*t == 0)
        *t = end_of_day ? -1 : 1; /* the epoch itself: 0 means "no bound" to the store */
    return 0;
}

static const char *const list_args[] = { "from", "to" };

static int rollcalls(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int page = 1, per_page = API_PER_PAGE_DEFAULT, n = 0, total = 0;
    time_t from = 0, to = 0;
    int rc = api_paging(req, list_args, 2, &page, &per_page, out);
    if (rc == 0)
        rc = time_arg(req, "from", 0, &from, out);
    if (rc == 0)
        rc = time_arg(req, "to", 1, &to, out);
    if (rc == 0 && from && to && from > to)
        rc = api_fail(out, -EINVAL, "from must not be after to");
    if (rc < 0)
        return rc;
    struct store_turnout_rollcall *rows = calloc((size_t)per_page, sizeof(*rows));
    if (!rows)
        return -ENOMEM;
    rc = store_turnout_rollcalls(req->store, who->township_id, from, to, (page - 1) * per_page,
                                 per_page, rows, &n, &total);
    cJSON *items = NULL;
    cJSON *j = rc == 0 ? api_page_json(total, NULL, 0, page, per_page, &items) : NULL;
    if (rc == 0)
        rc = j ? api_add_views(items, rows, sizeof(*rows), n, turnout_view, NULL) : -ENOMEM;
    free(rows);
    return api_reply(j, rc, out);
}

static int attendance(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_rollcall r;
    struct store_org org;
    struct store_turnout_village *v = NULL;
    int n = 0;
    int rc = township_rollcall(who, req, NULL, 0, &r, &org, out);
    if (rc == 0)
        rc = store_turnout_villages(req->store, r.id, &v, &n);
    if (rc < 0)
        return rc;
    cJSON *j = report_json(&r, org.name);
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "villages") : NULL;
    rc = arr ? 0 : -ENOMEM;
    int expected = 0, present = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        cJSON *x = api_array_add_object(arr);
        if (!x || !cJSON_AddNumberToObject(x, "village_id", (double)v[i].village_id) ||
            !cJSON_AddStringToObject(x, "village", v[i].village) ||
            add_counts(x, v[i].expected, v[i].present) < 0)
            rc = -ENOMEM;
        expected += v[i].expected;
        present += v[i].present;
    }
    free(v);
    cJSON *totals = rc == 0 ? cJSON_AddObjectToObject(j, "totals") : NULL;
    if (rc == 0 && (!totals || add_counts(totals, expected, present) < 0))
        rc = -ENOMEM;
    return api_reply(j, rc, out);
}

static const char *const village_args[] = { "village" };

/* The roll call of the path with its members into *M (owned by the caller): when ABSENT, the
 * absent ones of the `village` argument's village (*VILLAGE; 0 = all villages), else all. */
static int rollcall_members(const struct caller *who, const struct api_request *req, int absent,
                            struct store_rollcall *r, struct store_org *org, int64_t *village,
                            struct store_turnout_member **m, int *n, cJSON **out)
{
    *village = 0;
    int rc = township_rollcall(who, req, village_args, absent ? 1 : 0, r, org, out);
    if (rc == 0 && absent)
        rc = village_arg(who, req, village, out);
    if (rc == 0)
        rc = store_turnout_members(req->store, r->id, *village, absent, m, n);
    return rc;
}

static int absentees(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_rollcall r;
    struct store_org org;
    struct store_turnout_member *m = NULL;
    int64_t village = 0;
    int n = 0;
    int rc = rollcall_members(who, req, 1, &r, &org, &village, &m, &n, out);
    if (rc < 0)
        return rc;
    cJSON *j = report_json(&r, org.name);
    cJSON *arr = NULL;
    if (j && (village ? cJSON_AddNumberToObject(j, "village_id", (double)village)
                       : cJSON_AddNullToObject(j, "village_id")) &&
        cJSON_AddNumberToObject(j, "count", n))
        arr = cJSON_AddArrayToObject(j, "absentees");
    rc = arr ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        cJSON *x = api_array_add_object(arr);
        if (!x || !cJSON_AddNumberToObject(x, "member_id", (double)m[i].member_id) ||
            !cJSON_AddStringToObject(x, "name", m[i].name) ||
            !cJSON_AddNumberToObject(x, "household_id", (double)m[i].household_id) ||
            !cJSON_AddStringToObject(x, "household", m[i].household) ||
            !cJSON_AddNumberToObject(x, "village_id", (double)m[i].village_id) ||
            !cJSON_AddStringToObject(x, "village", m[i].village) ||
            api_add_str_or_null(x, "phone", m[i].phone) < 0)
            rc = -ENOMEM;
    }
    free(m);
    return api_reply(j, rc, out);
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The trend's villages, by id, in VIDS (at least N entries): their number. */
static int trend_villages(const struct store_turnout_point *p, int n, int64_t *vids)
{
    int nv = 0;
    for (int i = 0; i < n; i++)
        vids[nv++] = p[i].village_id;
    qsort(vids, (size_t)nv, sizeof(*vids), cmp_id);
    int k = 0;
    for (int i = 0; i < nv; i++)
        if (k == 0 || vids[k - 1] != vids[i])
            vids[k++] = vids[i];
    return k;
}

static int village_index(const int64_t *vids, int nv, int64_t id)
{
    const int64_t *hit = bsearch(&id, vids, (size_t)nv, sizeof(*vids), cmp_id);
    return hit ? (int)(hit - vids) : -1;
}

/* {"rollcalls": [...oldest first...], "villages": [{"village_id", "village", "points": [one per
 * roll call: counts, or null when that roll call did not call the village]}]} from the store's
 * points P (by roll call, then village). */
static int trend_json(cJSON *j, const struct store_turnout_point *p, int n)
{
    int64_t *vids = calloc((size_t)n + 1, sizeof(*vids));
    int *at = NULL; /* at[r * nv + v]: the point of roll call r and village v, or -1 */
    int nr = 0, nv = 0, rc = -ENOMEM;
    for (int i = 0; i < n; i++)
        nr += i == 0 || p[i].rollcall_id != p[i - 1].rollcall_id;
    if (vids)
        nv = trend_villages(p, n, vids);
    if (vids)
        at = malloc(((size_t)nr * (size_t)nv + 1) * sizeof(*at));
    cJSON *rcs = at ? cJSON_AddArrayToObject(j, "rollcalls") : NULL;
    cJSON *vs = rcs ? cJSON_AddArrayToObject(j, "villages") : NULL;
    if (!vs)
        goto fail;
    for (int i = 0; i < nr * nv; i++)
        at[i] = -1;
    rc = 0;
    /* One entry per roll call with its totals over its villages. */
    for (int i = 0, r = -1; rc == 0 && i < n; i++) {
        if (i == 0 || p[i].rollcall_id != p[i - 1].rollcall_id) {
            int expected = 0, present = 0;
            for (int k = i; k < n && p[k].rollcall_id == p[i].rollcall_id; k++) {
                expected += p[k].expected;
                present += p[k].present;
            }
            cJSON *x = api_array_add_object(rcs);
            if (!x || !cJSON_AddNumberToObject(x, "id", (double)p[i].rollcall_id) ||
                !cJSON_AddStringToObject(x, "title", p[i].title) ||
                api_add_time(x, "opened_at", p[i].opened_at) < 0 ||
                api_add_time(x, "closed_at", p[i].closed_at) < 0 ||
                add_counts(x, expected, present) < 0)
                rc = -ENOMEM;
            r++;
        }
        at[r * nv + village_index(vids, nv, p[i].village_id)] = i;
    }
    for (int v = 0; rc == 0 && v < nv; v++) {
        int first = -1; /* a point of the village, for its name */
        for (int r = 0; r < nr && first < 0; r++)
            first = at[r * nv + v];
        cJSON *x = api_array_add_object(vs);
        cJSON *points = NULL;
        if (x && first >= 0 && cJSON_AddNumberToObject(x, "village_id", (double)vids[v]) &&
            cJSON_AddStringToObject(x, "village", p[first].village))
            points = cJSON_AddArrayToObject(x, "points");
        if (!points)
            rc = -ENOMEM;
        for (int r = 0; rc == 0 && r < nr; r++) {
            int i = at[r * nv + v];
            cJSON *pt = i < 0 ? cJSON_CreateNull() : cJSON_CreateObject();
            if (!pt) {
                rc = -ENOMEM;
                break;
            }
            cJSON_AddItemToArray(points, pt);
            if (i >= 0 && add_counts(pt, p[i].expected, p[i].present) < 0)
                rc = -ENOMEM;
        }
    }
fail:
    free(at);
    free(vids);
    return rc;
}

static const char *const trend_args[] = { "village", "last" };

static int trends(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t village = 0;
    int last = TREND_DEFAULT, n = 0;
    struct store_turnout_point *p = NULL;
    int rc = api_query_check(req, trend_args, 2, out);
    if (rc == 0)
        rc = api_query_int(req, "last", TREND_DEFAULT, 1, TREND_MAX, &last, out);
    if (rc == 0)
        rc = village_arg(who, req, &village, out);
    if (rc == 0)
        rc = store_turnout_trend(req->store, who->township_id, village, last, &p, &n);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    rc = j && cJSON_AddNumberToObject(j, "last", last) &&
                 (village ? cJSON_AddNumberToObject(j, "village_id", (double)village)
                          : cJSON_AddNullToObject(j, "village_id"))
             ? trend_json(j, p, n)
             : -ENOMEM;
    free(p);
    return api_reply(j, rc, out);
}

static int export_csv(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_rollcall r;
    struct store_org org;
    struct store_turnout_member *m = NULL;
    int64_t village = 0;
    int n = 0;
    int rc = rollcall_members(who, req, 0, &r, &org, &village, &m, &n, out);
    if (rc < 0)
        return rc;
    size_t len = 0;
    char *csv = NULL;
    rc = staff_csv_attendance(m, n, &csv, &len);
    free(m);
    if (rc < 0)
        return rc;
    char disposition[96];
    snprintf(disposition, sizeof(disposition), "attachment; filename=\"rollcall-%lld.csv\"",
             (long long)r.id);
    log_info("account %lld exported roll call %lld (%d members)", (long long)who->account_id,
             (long long)r.id, n);
    return api_reply_raw(req, csv, len, "text/csv; charset=utf-8", disposition);
}
