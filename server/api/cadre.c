/* What a village cadre does from the activity room (township staff and admins may do the same
 * for their township): schedule, start and stop a broadcast, open and close its roll call, and
 * watch who has signed in. A cadre acts for their own branch only: a broadcast of another
 * village is 403. Each change is published as an event (events/events.h). */
#define LOG_TAG "api"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/desk.h"
#include "api/input.h"
#include "api/views.h"
#include "events/events.h"
#include "log.h"
#include "store/store.h"
#include "util/isotime.h"

enum { OPEN_IDS_MAX = 64, TITLE_MAX = 200 };

static int create(const struct caller *who, const struct api_request *req, cJSON **out);
static int start(const struct caller *who, const struct api_request *req, cJSON **out);
static int stop(const struct caller *who, const struct api_request *req, cJSON **out);
static int rollcall_open(const struct caller *who, const struct api_request *req, cJSON **out);
static int rollcall_close(const struct caller *who, const struct api_request *req, cJSON **out);
static int signins(const struct caller *who, const struct api_request *req, cJSON **out);
static int branch_rollcalls(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_cadre_routes[] = {
    { "POST", "/api/v1/broadcasts", ACCESS_CADRE, create },
    { "POST", "/api/v1/broadcasts/{id}/start", ACCESS_CADRE, start },
    { "POST", "/api/v1/broadcasts/{id}/stop", ACCESS_CADRE, stop },
    { "POST", "/api/v1/broadcasts/{id}/rollcalls", ACCESS_CADRE, rollcall_open },
    { "POST", "/api/v1/rollcalls/{id}/close", ACCESS_CADRE, rollcall_close },
    { "GET", "/api/v1/rollcalls/{id}/signins", ACCESS_CADRE, signins },
    { "GET", "/api/v1/cadre/rollcalls", ACCESS_CADRE, branch_rollcalls },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* 1 when WHO runs ORG's meetings: a cadre their own village; staff and admins their township
 * and its villages. 0, or a negative errno. */
static int manages(const struct caller *who, const struct api_request *req, int64_t org)
{
    if (who->kind == CALLER_CADRE)
        return org == who->village_id;
    if (who->kind != CALLER_STAFF && who->kind != CALLER_ADMIN)
        return 0;
    if (org == who->township_id)
        return 1;
    struct store_org o;
    int rc = store_org_get(req->store, org, &o);
    return rc < 0 ? rc : o.parent_id == who->township_id;
}

/* The audience of ORG's events: its boxes (a village's, or the whole township's), its cadres
 * and the township staff. */
static int scope_of(const struct api_request *req, int64_t org, struct event_scope *to)
{
    struct store_org o;
    int rc = store_org_get(req->store, org, &o);
    if (rc < 0)
        return rc;
    int village = strcmp(o.kind, "village") == 0;
    *to = (struct event_scope){
        .audience = EVENT_TO_BOXES | EVENT_TO_STAFF | EVENT_TO_CADRES,
        .township_id = village ? o.parent_id : o.id,
        .village_id = village ? o.id : 0,
    };
    return 0;
}

/* Publish TYPE with DATA (consumed) to ORG's audience. Best effort: the write is done. */
static void publish(const struct api_request *req, int64_t org, const char *type, cJSON *data)
{
    struct event_scope to;
    char *text = data ? cJSON_PrintUnformatted(data) : NULL;
    cJSON_Delete(data);
    if (text && scope_of(req, org, &to) == 0) {
        int64_t seq = events_publish(req->events, &to, type, text);
        if (seq < 0)
            log_warn("event %s not published (%lld)", type, (long long)seq);
    }
    free(text);
}

static cJSON *ids_json(const char *k1, int64_t v1, const char *k2, int64_t v2)
{
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, k1, (double)v1) ||
        (k2 && !cJSON_AddNumberToObject(j, k2, (double)v2))) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* The broadcast of the path, if WHO manages it: 0, or an error reply. */
static int managed_broadcast(const struct caller *who, const struct api_request *req,
                             struct store_broadcast *b, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    rc = api_body_empty(req, out);
    if (rc < 0)
        return rc;
    rc = store_broadcast_get(req->store, id, b);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such broadcast");
    if (rc < 0)
        return rc;
    rc = manages(who, req, b->org_id);
    if (rc < 0)
        return rc;
    return rc ? 0 : api_fail(out, -EPERM, "a broadcast of another branch");
}

struct bc_job {
    int64_t id;
    time_t now;
    const char *key_hash;     /* borrowed */
    const char *playback_url; /* borrowed */
    const struct store_broadcast_new *add; /* create only */
    const int64_t *close_ids; /* stop: the open roll calls to close */
    int n_close;
};

static int create_run(struct store_tx *tx, void *arg)
{
    struct bc_job *j = arg;
    return store_broadcast_add(tx, j->add, &j->id);
}

static int start_run(struct store_tx *tx, void *arg)
{
    const struct bc_job *j = arg;
    return store_broadcast_start(tx, j->id, j->now, j->key_hash, j->playback_url);
}

/* Ending a broadcast closes its open roll calls. */
static int stop_run(struct store_tx *tx, void *arg)
{
    const struct bc_job *j = arg;
    int rc = store_broadcast_end(tx, j->id, j->now);
    for (int i = 0; rc == 0 && i < j->n_close; i++) {
        rc = store_rollcall_close(tx, j->close_ids[i], j->now);
        if (rc == -ESTALE)
            rc = 0; /* closed meanwhile */
    }
    return rc;
}

static const struct api_field create_fields[] = {
    { "title", API_STR, 1, 1, TITLE_MAX },
    { "starts_at", API_STR, 0, 20, 20 },
};

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0)
        rc = api_body_fields(req, create_fields, 2, &body, out);
    if (rc < 0)
        return rc;
    time_t starts = req->now;
    const char *s = api_json_str(body, "starts_at");
    if (s && isotime_parse(s, &starts) < 0) {
        cJSON_Delete(body);
        return api_fail(out, -EINVAL, "starts_at: must be like 2026-12-05T01:00:00Z");
    }
    struct store_broadcast_new nb = {
        .org_id = who->kind == CALLER_CADRE ? who->village_id : who->township_id,
        .title = api_json_str(body, "title"),
        .state = "scheduled",
        .started_at = starts,
    };
    struct bc_job j = { .add = &nb };
    rc = store_write(req->store, create_run, &j);
    cJSON_Delete(body);
    struct store_broadcast b;
    if (rc == 0)
        rc = store_broadcast_get(req->store, j.id, &b);
    if (rc < 0)
        return rc;
    log_info("account %lld scheduled broadcast %lld", (long long)who->account_id,
             (long long)j.id);
    *out = api_broadcast_json(&b);
    return *out ? 0 : -ENOMEM;
}

/* scheduled → live. The publishing key (for the camera's encoder) is shown this once; the
 * database keeps its hash. */
static int start(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_broadcast b;
    int rc = managed_broadcast(who, req, &b, out);
    if (rc < 0)
        return rc;
    char key[AUTH_TOKEN_HEX], hash[AUTH_HASH_HEX], url[64];
    snprintf(url, sizeof(url), "/live/%lld/index.m3u8", (long long)b.id);
    rc = auth_token_new(key);
    if (rc == 0)
        rc = auth_token_hash(key, hash);
    struct bc_job j = { .id = b.id, .now = req->now, .key_hash = hash, .playback_url = url };
    if (rc == 0)
        rc = store_write(req->store, start_run, &j);
    if (rc == -ESTALE)
        rc = api_fail_code(out, -EEXIST, "broadcast_not_scheduled",
                           "only a scheduled broadcast can start");
    if (rc == 0)
        rc = store_broadcast_get(req->store, b.id, &b);
    cJSON *o = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *bj = o ? api_broadcast_json(&b) : NULL;
    if (bj)
        cJSON_AddItemToObject(o, "broadcast", bj);
    if (rc == 0 && (!bj || !cJSON_AddStringToObject(o, "publish_key", key)))
        rc = -ENOMEM;
    sodium_memzero(key, sizeof(key));
    if (rc < 0) {
        cJSON_Delete(o);
        return rc;
    }
    log_info("account %lld started broadcast %lld", (long long)who->account_id, (long long)b.id);
    cJSON *ev = ids_json("broadcast_id", b.id, "org_id", b.org_id);
    if (ev)
        cJSON_AddStringToObject(ev, "title", b.title);
    publish(req, b.org_id, "broadcast.started", ev);
    *out = o;
    return 0;
}

static int stop(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_broadcast b;
    int64_t ids[OPEN_IDS_MAX];
    int n = 0;
    int rc = managed_broadcast(who, req, &b, out);
    if (rc == 0)
        rc = store_rollcall_open_ids(req->store, b.id, ids, OPEN_IDS_MAX, &n);
    if (rc < 0)
        return rc;
    struct bc_job j = { .id = b.id, .now = req->now, .close_ids = ids, .n_close = n };
    rc = store_write(req->store, stop_run, &j);
    if (rc == -ESTALE)
        return api_fail_code(out, -EEXIST, "broadcast_not_live", "the broadcast is not live");
    if (rc == 0)
        rc = store_broadcast_get(req->store, b.id, &b);
    if (rc < 0)
        return rc;
    log_info("account %lld ended broadcast %lld", (long long)who->account_id, (long long)b.id);
    for (int i = 0; i < n; i++) {
        struct store_rollcall r;
        if (store_rollcall_get(req->store, ids[i], &r) == 0)
            publish(req, r.org_id, "rollcall.closed", ids_json("rollcall_id", ids[i], NULL, 0));
    }
    publish(req, b.org_id, "broadcast.ended", ids_json("broadcast_id", b.id, NULL, 0));
    *out = api_broadcast_json(&b);
    return *out ? 0 : -ENOMEM;
}

struct rc_job {
    int64_t broadcast_id, org_id, account_id, id;
    time_t now;
    int expected;
};

static int open_run(struct store_tx *tx, void *arg)
{
    struct rc_job *j = arg;
    return store_rollcall_open(tx, j->broadcast_id, j->org_id, j->account_id, j->now, &j->id,
                               &j->expected);
}

static int close_run(struct store_tx *tx, void *arg)
{
    const struct rc_job *j = arg;
    return store_rollcall_close(tx, j->id, j->now);
}

static const struct api_field open_fields[] = {
    { "village_id", API_ID, 0, 0, 0 },
};

/* Whose members a roll call of broadcast B calls, from the body, into *ORG: a cadre their own
 * branch (also on the township's broadcast; the body says nothing); staff the broadcast's org,
 * or with {"village_id": V} one village of their township on its behalf — on that village's
 * broadcast or the township's. 0 or an error reply. */
static int rollcall_org(const struct caller *who, const struct api_request *req,
                        const struct store_broadcast *b, int64_t *org, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc == 0 && req->body_len)
        rc = api_body_fields(req, open_fields, 1, &body, out);
    int64_t village = body ? api_json_int(body, "village_id", 0) : 0;
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    if (who->kind == CALLER_CADRE) {
        if (village && village != who->village_id)
            return api_fail(out, -EPERM, "a cadre calls their own branch only");
        if (b->org_id != who->village_id && b->org_id != who->township_id)
            return api_fail(out, -EPERM, "a broadcast of another branch");
        *org = who->village_id;
        return 0;
    }
    rc = manages(who, req, b->org_id);
    if (rc <= 0)
        return rc < 0 ? rc : api_fail(out, -EPERM, "a broadcast of another township");
    if (!village) {
        *org = b->org_id;
        return 0;
    }
    rc = api_own_village(who, req, village, NULL, out);
    if (rc < 0)
        return rc;
    if (b->org_id != village && b->org_id != who->township_id)
        return api_fail(out, -EPERM, "a broadcast of another village");
    *org = village;
    return 0;
}

static int rollcall_open(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0, org = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    struct store_broadcast b;
    rc = store_broadcast_get(req->store, id, &b);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such broadcast");
    if (rc == 0)
        rc = rollcall_org(who, req, &b, &org, out);
    if (rc < 0)
        return rc;
    if (strcmp(b.state, "live") != 0)
        return api_fail_code(out, -EEXIST, "broadcast_not_live", "the broadcast is not live");
    struct rc_job j = { .broadcast_id = b.id, .account_id = who->account_id, .now = req->now,
                        .org_id = org };
    rc = store_write(req->store, open_run, &j);
    if (rc == -EEXIST)
        return api_fail_code(out, rc, "rollcall_open", "a roll call is already open");
    struct store_rollcall r;
    if (rc == 0)
        rc = store_rollcall_get(req->store, j.id, &r);
    if (rc < 0)
        return rc;
    log_info("account %lld opened roll call %lld (%d expected)", (long long)who->account_id,
             (long long)r.id, r.expected);
    cJSON *ev = ids_json("rollcall_id", r.id, "broadcast_id", r.broadcast_id);
    if (ev) {
        cJSON_AddStringToObject(ev, "title", r.title);
        cJSON_AddNullToObject(ev, "closes_at");
    }
    publish(req, r.org_id, "rollcall.opened", ev);
    *out = api_rollcall_json(&r);
    return *out ? 0 : -ENOMEM;
}

/* The roll call of the path, if WHO manages its org: 0 or an error reply. */
static int managed_rollcall(const struct caller *who, const struct api_request *req,
                            struct store_rollcall *r, cJSON **out)
{
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc;
    rc = store_rollcall_get(req->store, id, r);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such roll call");
    if (rc < 0)
        return rc;
    rc = manages(who, req, r->org_id);
    if (rc < 0)
        return rc;
    return rc ? 0 : api_fail(out, -EPERM, "a roll call of another branch");
}

static int rollcall_close(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_rollcall r;
    int rc = managed_rollcall(who, req, &r, out);
    if (rc == 0 && req->body_len) {
        cJSON *body = NULL;
        rc = api_body_fields(req, NULL, 0, &body, out);
        cJSON_Delete(body);
    }
    if (rc < 0)
        return rc;
    struct rc_job j = { .id = r.id, .now = req->now };
    rc = store_write(req->store, close_run, &j);
    if (rc == -ESTALE)
        return api_fail_code(out, -EEXIST, "rollcall_closed", "the roll call is closed");
    if (rc == 0)
        rc = store_rollcall_get(req->store, r.id, &r);
    if (rc < 0)
        return rc;
    log_info("account %lld closed roll call %lld (%d of %d)", (long long)who->account_id,
             (long long)r.id, r.checked_in, r.expected);
    publish(req, r.org_id, "rollcall.closed", ids_json("rollcall_id", r.id, NULL, 0));
    *out = api_rollcall_json(&r);
    return *out ? 0 : -ENOMEM;
}

static int roster_entry(cJSON *arr, const struct store_roster_entry *e)
{
    cJSON *m = cJSON_CreateObject();
    if (!m)
        return -ENOMEM;
    cJSON_AddItemToArray(arr, m);
    if (!cJSON_AddNumberToObject(m, "member_id", (double)e->member_id) ||
        !cJSON_AddStringToObject(m, "name", e->name) ||
        !cJSON_AddNumberToObject(m, "household_id", (double)e->household_id) ||
        !cJSON_AddStringToObject(m, "household", e->household) ||
        !cJSON_AddStringToObject(m, "village", e->village) ||
        (e->checked_in_at && api_add_time(m, "checked_in_at", e->checked_in_at) < 0))
        return -ENOMEM;
    return 0;
}

/* Who has signed in and who has not (yet), by village, household and member. */
static int signins(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct store_rollcall r;
    struct store_roster_entry *roster = NULL;
    int n = 0;
    int rc = managed_rollcall(who, req, &r, out);
    if (rc == 0)
        rc = store_rollcall_roster(req->store, r.id, &roster, &n);
    if (rc < 0)
        return rc;
    cJSON *j = cJSON_CreateObject();
    cJSON *rj = j ? api_rollcall_json(&r) : NULL;
    if (rj)
        cJSON_AddItemToObject(j, "rollcall", rj);
    cJSON *in = rj ? cJSON_AddArrayToObject(j, "checked_in") : NULL;
    cJSON *absent = in ? cJSON_AddArrayToObject(j, "absent") : NULL;
    rc = absent ? 0 : -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++)
        rc = roster_entry(roster[i].checked_in_at ? in : absent, &roster[i]);
    free(roster);
    return api_reply(j, rc, out);
}

/* The open roll calls of the cadre's own branch (the dashboard's branch view), newest first.
 * Staff and admins have no branch: 403. */
static int branch_rollcalls(const struct caller *who, const struct api_request *req, cJSON **out)
{
    if (who->kind != CALLER_CADRE)
        return api_fail(out, -EPERM, "only a village's cadre has a branch");
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    struct store_scope scope = { .village_id = who->village_id, .township_id = who->township_id };
    struct store_rollcall open[OPEN_IDS_MAX];
    int n = 0;
    rc = store_rollcall_list_open(req->store, &scope, open, OPEN_IDS_MAX, &n);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "rollcalls") : NULL;
    if (rc == 0 && !arr)
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        if (open[i].org_id != who->village_id)
            continue; /* the township's own roll call: not the branch's */
        cJSON *rj = api_rollcall_json(&open[i]);
        if (!rj || !cJSON_AddItemToArray(arr, rj)) {
            cJSON_Delete(rj);
            rc = -ENOMEM;
        }
    }
    return api_reply(j, rc, out);
}
