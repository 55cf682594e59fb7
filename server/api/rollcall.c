/* Roll call from a box: which roll calls are open for it, and a member signing in.
 *
 * The rules, no proxy signing (each has its own test):
 *   1. only from a box of the member's own household             403 not_household_member
 *   2. only while the roll call is open                          409 rollcall_closed
 *   3. only if that box sent a playback heartbeat for the roll
 *      call's broadcast in the last 60 s (req->now)              403 not_watching
 *   4. a repeat is idempotent: 200 with the first time, no second row (checked first, so a retry
 *      after a lost reply succeeds even after the close)
 * Each check-in lands in the member's record and one credit per meeting (idempotent too). The
 * open-check is repeated inside the write (INSERT ... WHERE closed_at IS NULL), so a close that
 * races the check-in cannot let it in. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "api/api.h"
#include "api/checkin.h"
#include "api/input.h"
#include "api/views.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum {
    HEARTBEAT_FRESH_S = 60, /* rule 3 */
    MEETING_POINTS = 1,     /* credits per meeting attended */
    OPEN_MAX = 8,
};

static int current(const struct caller *who, const struct api_request *req, cJSON **out);
static int checkin(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_rollcall_routes[] = {
    { "GET", "/api/v1/rollcalls/current", ACCESS_BOX, current },
    { "POST", "/api/v1/rollcalls/{id}/checkins", ACCESS_BOX, checkin },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field checkin_fields[] = {
    { "member_id", API_ID, 1, 0, 0 },
};

/* Rule 3: a heartbeat of BOX for BROADCAST within HEARTBEAT_FRESH_S of NOW. 1, 0 or -errno. */
static int watching(struct store *s, int64_t box, int64_t broadcast, time_t now)
{
    time_t last = 0;
    int rc = store_heartbeat_last(s, box, broadcast, &last);
    if (rc == -ENOENT)
        return 0;
    if (rc < 0)
        return rc;
    return now - last <= HEARTBEAT_FRESH_S && last - now <= HEARTBEAT_FRESH_S;
}

/* One open roll call with the household's members and whether each has signed in. */
static int current_one(const struct caller *who, const struct api_request *req,
                       const struct store_rollcall *r, const struct store_household *h,
                       cJSON *arr)
{
    cJSON *j = api_rollcall_json(r);
    if (!j)
        return -ENOMEM;
    cJSON_AddItemToArray(arr, j);
    int w = watching(req->store, who->box_id, r->broadcast_id, req->now);
    if (w < 0)
        return w;
    cJSON *members = NULL;
    if (!cJSON_AddBoolToObject(j, "watching", w))
        return -ENOMEM;
    members = cJSON_AddArrayToObject(j, "members");
    if (!members)
        return -ENOMEM;
    for (int i = 0; i < h->n_members; i++) {
        time_t at = 0;
        int rc = store_checkin_get(req->store, r->id, h->members[i].id, &at);
        if (rc < 0 && rc != -ENOENT)
            return rc;
        cJSON *m = cJSON_CreateObject();
        if (!m)
            return -ENOMEM;
        cJSON_AddItemToArray(members, m);
        if (!cJSON_AddNumberToObject(m, "id", (double)h->members[i].id) ||
            !cJSON_AddStringToObject(m, "name", h->members[i].name) ||
            api_add_time(m, "checked_in_at", at) < 0)
            return -ENOMEM;
    }
    return 0;
}

static int current(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = { who->village_id, who->township_id };
    struct store_rollcall open[OPEN_MAX];
    struct store_household h = { 0 };
    int n = 0;
    rc = store_rollcall_list_open(req->store, &scope, open, OPEN_MAX, &n);
    if (rc == 0)
        rc = store_household_get(req->store, who->household_id, &h);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "rollcalls") : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++)
        rc = current_one(who, req, &open[i], &h, arr);
    if (rc == 0)
        rc = api_add_time(j, "server_time", req->now);
    store_household_fini(&h);
    return api_reply(j, rc, out);
}

struct checkin_job {
    struct api_checkin c;
    time_t now;
    time_t at;   /* out: when the member signed in */
    int created; /* out: this request wrote it */
    struct events *events; /* borrowed: where the first check-in is announced */
};

/* Tell the township's staff and the cadre of the member's branch at once (the dashboard's live
 * numbers, the cadre's screen): rollcall.checkin {rollcall_id, member_id, village_id,
 * from_village_id, guest, checked_in_at}. Best effort. */
static void announce(const struct checkin_job *j)
{
    char iso[32], text[256];
    struct tm tm;
    const struct api_checkin *c = &j->c;
    if (!j->events || !gmtime_r(&j->at, &tm) || !strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm))
        return;
    snprintf(text, sizeof(text),
             "{\"rollcall_id\":%lld,\"member_id\":%lld,\"village_id\":%lld,"
             "\"from_village_id\":%lld,\"guest\":%s,\"checked_in_at\":\"%s\"}",
             (long long)c->rollcall_id, (long long)c->member_id, (long long)c->village_id,
             (long long)c->from_village_id, c->guest ? "true" : "false", iso);
    const struct event_scope to = { EVENT_TO_STAFF | EVENT_TO_CADRES, c->township_id,
                                    c->village_id, 0 };
    if (events_publish(j->events, &to, "rollcall.checkin", text) < 0)
        log_warn("could not announce a check-in");
}

static int checkin_run(struct store_tx *tx, void *arg)
{
    struct checkin_job *j = arg;
    int rc = store_checkin_add(tx, j->c.rollcall_id, j->c.member_id, j->c.box_id, j->now, &j->at,
                               &j->created);
    if (rc == 0) /* also on a repeat: heals a credit a crash could not have lost, cheaply */
        rc = store_credit_add(tx, j->c.member_id, STORE_CREDIT_MEETING, j->c.rollcall_id,
                              MEETING_POINTS, j->at, NULL);
    return rc;
}

cJSON *api_checkin_json(int64_t rollcall, int64_t member, time_t at, int first)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "rollcall_id", (double)rollcall) ||
        !cJSON_AddNumberToObject(o, "member_id", (double)member) ||
        api_add_time(o, "checked_in_at", at) < 0 || !cJSON_AddBoolToObject(o, "first", first)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static int checkin_reply(void *arg, int rc, cJSON **out)
{
    const struct checkin_job *j = arg;
    if (rc == -ESTALE) /* closed between the check and the write */
        return api_fail_code(out, -EEXIST, "rollcall_closed", "the roll call is closed");
    if (rc < 0)
        return rc;
    if (j->created) {
        if (j->c.guest)
            log_info("guest member %lld checked in at roll call %lld from box %lld",
                     (long long)j->c.member_id, (long long)j->c.rollcall_id,
                     (long long)j->c.box_id);
        else
            log_debug("member %lld checked in at roll call %lld", (long long)j->c.member_id,
                      (long long)j->c.rollcall_id);
        announce(j);
    }
    *out = api_checkin_json(j->c.rollcall_id, j->c.member_id, j->at, j->created);
    return *out ? 0 : -ENOMEM;
}

int api_checkin_defer(const struct api_request *req, const struct api_checkin *c, cJSON **out)
{
    struct checkin_job *j = malloc(sizeof(*j));
    if (!j)
        return -ENOMEM;
    *j = (struct checkin_job){ .c = *c, .now = req->now, .events = req->events };
    const struct api_deferred d = { checkin_run, checkin_reply, free, j };
    return api_defer(req, &d, out);
}

static int checkin(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    cJSON *body = NULL;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_fields(req, checkin_fields, 1, &body, out);
    if (rc < 0)
        return rc;
    int64_t member_id = api_json_int(body, "member_id", 0);
    cJSON_Delete(body);

    struct store_rollcall r;
    rc = store_rollcall_state(req->store, id, &r);
    if (rc == 0 && r.org_id != who->village_id && r.org_id != who->township_id)
        rc = -ENOENT; /* a roll call of another village: not this box's */
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such roll call");
    if (rc < 0)
        return rc;
    /* Rule 1. */
    rc = api_household_member(who, req, member_id,
                              "only a box of the member's own household may sign them in", NULL,
                              out);
    if (rc < 0)
        return rc;
    /* Rule 4 before 2 and 3: a repeat answers with the first check-in. */
    time_t at = 0;
    rc = store_checkin_get(req->store, id, member_id, &at);
    if (rc == 0) {
        *out = api_checkin_json(id, member_id, at, 0);
        return *out ? 0 : -ENOMEM;
    }
    if (rc != -ENOENT)
        return rc;
    /* Rule 2. */
    if (r.closed_at)
        return api_fail_code(out, -EEXIST, "rollcall_closed", "the roll call is closed");
    /* Rule 3. */
    rc = watching(req->store, who->box_id, r.broadcast_id, req->now);
    if (rc < 0)
        return rc;
    if (!rc)
        return api_fail_code(out, -EPERM, "not_watching",
                             "sign in from a box that is playing the meeting");
    const struct api_checkin c = { .rollcall_id = id, .member_id = member_id,
                                   .box_id = who->box_id, .township_id = who->township_id,
                                   .village_id = who->village_id,
                                   .from_village_id = who->village_id };
    return api_checkin_defer(req, &c, out);
}
