/* A member away from home (流动党员): the township gives the member a PIN for their phone;
 * with both, any box of the township opens a guest session that lets the member watch their own
 * branch's live meeting and sign in at its roll call from there. The check-in row keeps the box
 * it came from (so its village), like any other.
 *
 * The rules (each has its own test):
 *   - staff only set a PIN, for a member of their own township; it is stored as argon2id and
 *     never shown or logged, nor is the phone;
 *   - wrong phone or PIN: 401 bad_credentials, alike for an unknown phone (same time spent);
 *     failed tries are limited per phone and per box (429 rate_limited with Retry-After);
 *   - a session serves the box that opened it, and only while its meeting is live
 *     (409 guest_session_ended after);
 *   - a check-in: only at a roll call of the session's meeting that calls the member (403
 *     not_your_branch), while open (409 rollcall_closed), from a box whose heartbeat for the
 *     meeting is fresh (403 not_watching); a repeat is idempotent. The first check-in is
 *     announced (rollcall.checkin) as a member's is, with the village it came from. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/checkin.h"
#include "api/heartbeat.h"
#include "api/input.h"
#include "api/views.h"
#include "log.h"
#include "store/store.h"

enum {
    HEARTBEAT_FRESH_S = 60,
    PIN_LEN = 6,
    PHONE_LEN = 11,
    LIVE_MAX = 16,
    OPEN_MAX = 8,
};

/* Failed tries: 5 per phone, then one every 2 minutes; 10 per box, then one a minute. */
static const struct ratelimit_rule per_phone = { 1.0 / 120.0, 5.0 };
static const struct ratelimit_rule per_box = { 1.0 / 60.0, 10.0 };

static int pin_set(const struct caller *who, const struct api_request *req, cJSON **out);
static int session_open(const struct caller *who, const struct api_request *req, cJSON **out);
static int guest_heartbeat(const struct caller *who, const struct api_request *req, cJSON **out);
static int guest_rollcalls(const struct caller *who, const struct api_request *req, cJSON **out);
static int guest_checkin(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_guest_routes[] = {
    { "PUT", "/api/v1/staff/members/{id}/guest-pin", ACCESS_STAFF, pin_set },
    { "POST", "/api/v1/guest/sessions", ACCESS_BOX, session_open },
    { "POST", "/api/v1/guest/heartbeat", ACCESS_BOX, guest_heartbeat },
    { "POST", "/api/v1/guest/rollcalls", ACCESS_BOX, guest_rollcalls },
    { "POST", "/api/v1/guest/checkins", ACCESS_BOX, guest_checkin },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field pin_fields[] = {
    { "phone", API_STR, 1, 1, 32 },
    { "pin", API_STR, 1, 1, 32 },
};
static const struct api_field session_fields[] = {
    { "guest_token", API_STR, 1, 64, 64 },
};
static const struct api_field checkin_fields[] = {
    { "guest_token", API_STR, 1, 64, 64 },
    { "rollcall_id", API_ID, 1, 0, 0 },
};

static int digits(const char *s, size_t len)
{
    if (strlen(s) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
    }
    return 1;
}

/* A mainland mobile number: 11 digits, 13x–19x. */
static int phone_ok(const char *s)
{
    return digits(s, PHONE_LEN) && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

/* ---- staff: set a member's phone and PIN ---- */

struct pin_job {
    int64_t township_id, member_id;
    char phone[PHONE_LEN + 1];
    char hash[AUTH_PWHASH_MAX];
};

static int pin_run(struct store_tx *tx, void *arg)
{
    const struct pin_job *j = arg;
    return store_guest_set(tx, j->township_id, j->member_id, j->phone, j->hash);
}

static void pin_free(void *arg)
{
    struct pin_job *j = arg;
    memset(j->hash, 0, sizeof(j->hash));
    free(j);
}

static int pin_reply(void *arg, int rc, cJSON **out)
{
    const struct pin_job *j = arg;
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such member");
    if (rc < 0)
        return rc;
    log_info("guest PIN set for member %lld", (long long)j->member_id);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddNumberToObject(o, "member_id", (double)j->member_id) ||
        !cJSON_AddBoolToObject(o, "guest_pin", 1)) {
        cJSON_Delete(o);
        return -ENOMEM;
    }
    *out = o;
    return 0;
}

static int pin_set(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    cJSON *body = NULL;
    int rc = api_target_id(req, "id", &id, out);
    if (rc == 0)
        rc = api_body_fields(req, pin_fields, 2, &body, out);
    if (rc < 0)
        return rc;
    const char *phone = api_json_str(body, "phone"), *pin = api_json_str(body, "pin");
    if (!phone_ok(phone) || !digits(pin, PIN_LEN)) {
        cJSON_Delete(body);
        return api_fail(out, -EINVAL, "phone: 11 digits of a mobile number; pin: 6 digits");
    }
    /* One phone opens one member's guest sessions. */
    struct store_guest g;
    rc = store_guest_find(req->store, who->township_id, phone, &g);
    memset(g.pin_hash, 0, sizeof(g.pin_hash));
    if ((rc == 0 && g.member_id != id) || rc == -EEXIST) {
        cJSON_Delete(body);
        return api_fail(out, -EEXIST, "another member of the township has this phone");
    }
    if (rc < 0 && rc != -ENOENT) {
        cJSON_Delete(body);
        return rc;
    }
    struct pin_job *j = calloc(1, sizeof(*j));
    if (!j) {
        cJSON_Delete(body);
        return -ENOMEM;
    }
    j->township_id = who->township_id;
    j->member_id = id;
    snprintf(j->phone, sizeof(j->phone), "%s", phone);
    rc = auth_password_hash(pin, j->hash);
    cJSON_Delete(body);
    if (rc < 0) {
        pin_free(j);
        return rc;
    }
    const struct api_deferred d = { pin_run, pin_reply, pin_free, j };
    return api_defer(req, &d, out);
}

/* ---- a box: open a guest session ---- */

/* Take a failed-try token of (CLS, DATA); 0, or a 429 reply with Retry-After. */
static int take(const struct api_request *req, const char *cls, const void *data, size_t len,
                const struct ratelimit_rule *rule, uint64_t *key, cJSON **out)
{
    const struct api_limits *l = req->limits;
    *key = 0;
    if (!l || !l->buckets)
        return 0;
    *key = ratelimit_key(l->buckets, cls, data, len);
    int retry = 1;
    int rc = ratelimit_take(l->buckets, *key, rule, (double)req->now, &retry);
    if (rc < 0) {
        *key = 0;
        log_info("guest PIN tries for one %s over the limit", cls + 6);
        api_fail(out, rc, "too many wrong PINs; wait and try again");
        if (*out)
            cJSON_AddNumberToObject(*out, "retry_after", retry);
    }
    return rc;
}

static void refund(const struct api_request *req, uint64_t key, const struct ratelimit_rule *r)
{
    if (key && req->limits && req->limits->buckets)
        ratelimit_refund(req->limits->buckets, key, r);
}

/* The live meeting of the member's branch: their village's first, else the township's. */
static int branch_meeting(const struct api_request *req, const struct caller *who,
                          int64_t village_id, struct store_broadcast *out)
{
    struct store_scope scope = { village_id, who->township_id };
    struct store_broadcast *b = calloc(LIVE_MAX, sizeof(*b));
    int n = 0, found = -ENOENT;
    if (!b)
        return -ENOMEM;
    int rc = store_broadcast_list_scope(req->store, &scope, b, LIVE_MAX, &n);
    for (int pass = 0; rc == 0 && found < 0 && pass < 2; pass++) {
        for (int i = 0; i < n && found < 0; i++) {
            int own = b[i].org_id == village_id;
            if (strcmp(b[i].state, "live") == 0 && own == (pass == 0)) {
                *out = b[i];
                found = 0;
            }
        }
    }
    free(b);
    return rc < 0 ? rc : found;
}

struct session_job {
    char token[AUTH_TOKEN_HEX]; /* secret: wiped by session_free */
    char token_hash[AUTH_HASH_HEX];
    int64_t member_id, box_id, id;
    char name[STORE_NAME_MAX];
    struct store_broadcast b;
    time_t now;
};

static int session_run(struct store_tx *tx, void *arg)
{
    struct session_job *j = arg;
    return store_guest_session_add(tx, j->token_hash, j->member_id, j->box_id, j->b.id, j->now,
                                   &j->id);
}

static void session_free(void *arg)
{
    struct session_job *j = arg;
    memset(j->token, 0, sizeof(j->token));
    free(j);
}

/* The token goes out only once the session is on disk. */
static int session_reply(void *arg, int rc, cJSON **out)
{
    const struct session_job *j = arg;
    if (rc < 0)
        return rc;
    log_info("guest session for member %lld on box %lld, broadcast %lld",
             (long long)j->member_id, (long long)j->box_id, (long long)j->b.id);
    cJSON *o = cJSON_CreateObject();
    cJSON *m = o ? cJSON_AddObjectToObject(o, "member") : NULL;
    cJSON *bj = m ? api_broadcast_json(&j->b) : NULL;
    if (!bj || !cJSON_AddStringToObject(o, "guest_token", j->token) ||
        !cJSON_AddNumberToObject(m, "id", (double)j->member_id) ||
        !cJSON_AddStringToObject(m, "name", j->name)) {
        cJSON_Delete(bj);
        cJSON_Delete(o);
        return -ENOMEM;
    }
    cJSON_AddItemToObject(o, "broadcast", bj);
    *out = o;
    return 0;
}

static int session_open(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_body_fields(req, pin_fields, 2, &body, out);
    if (rc < 0)
        return rc;
    char phone[33], pin[33];
    snprintf(phone, sizeof(phone), "%s", api_json_str(body, "phone"));
    snprintf(pin, sizeof(pin), "%s", api_json_str(body, "pin"));
    cJSON_Delete(body);
    uint64_t phone_key = 0, box_key = 0;
    rc = take(req, "guest-box", &who->box_id, sizeof(who->box_id), &per_box, &box_key, out);
    if (rc == 0)
        rc = take(req, "guest-phone", phone, strlen(phone), &per_phone, &phone_key, out);
    if (rc < 0) {
        refund(req, box_key, &per_box);
        memset(pin, 0, sizeof(pin));
        return rc;
    }
    struct store_guest g;
    rc = store_guest_find(req->store, who->township_id, phone, &g);
    if (rc == 0)
        rc = auth_password_verify(g.pin_hash, pin);
    else if (rc == -ENOENT || rc == -EEXIST)
        rc = auth_password_burn(pin); /* the same time as a wrong PIN: no phone oracle */
    memset(pin, 0, sizeof(pin));
    memset(g.pin_hash, 0, sizeof(g.pin_hash));
    if (rc == -EACCES) {
        log_info("guest session refused on box %lld: wrong phone or PIN", (long long)who->box_id);
        return api_fail_code(out, -EACCES, "bad_credentials", "wrong phone number or PIN");
    }
    if (rc < 0)
        return rc;
    refund(req, box_key, &per_box);
    refund(req, phone_key, &per_phone);
    struct session_job *j = calloc(1, sizeof(*j));
    if (!j)
        return -ENOMEM;
    rc = branch_meeting(req, who, g.village_id, &j->b);
    if (rc == -ENOENT) {
        session_free(j);
        return api_fail_code(out, -EEXIST, "broadcast_not_live",
                             "no meeting of the member's branch is live now");
    }
    if (rc == 0)
        rc = auth_token_new(j->token);
    if (rc == 0)
        rc = auth_token_hash(j->token, j->token_hash);
    if (rc < 0) {
        session_free(j);
        return rc;
    }
    j->member_id = g.member_id;
    j->box_id = who->box_id;
    j->now = req->now;
    snprintf(j->name, sizeof(j->name), "%s", g.name);
    const struct api_deferred d = { session_run, session_reply, session_free, j };
    return api_defer(req, &d, out);
}

/* ---- a box: the session's heartbeat, roll calls and check-in ---- */

/* The session of the body's guest_token for this box, while its meeting is live. 0, or an
 * error reply: 404 for an unknown token or another box's, 409 guest_session_ended. */
static int session_of(const struct caller *who, const struct api_request *req,
                      const cJSON *body, struct store_guest_session *s, cJSON **out)
{
    char hash[AUTH_HASH_HEX];
    int rc = auth_token_hash(api_json_str(body, "guest_token"), hash);
    if (rc == 0)
        rc = store_guest_session_get(req->store, hash, s);
    if (rc == 0 && s->box_id != who->box_id)
        rc = -ENOENT;
    if (rc == -ENOENT || rc == -EINVAL)
        return api_fail(out, -ENOENT, "no such guest session");
    if (rc < 0)
        return rc;
    struct store_broadcast b;
    rc = store_broadcast_get(req->store, s->broadcast_id, &b);
    if (rc < 0)
        return rc;
    if (strcmp(b.state, "live") != 0)
        return api_fail_code(out, -EEXIST, "guest_session_ended",
                             "the meeting has ended, and with it the guest session");
    return 0;
}

static int guest_heartbeat(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    struct store_guest_session s;
    int rc = api_body_fields(req, session_fields, 1, &body, out);
    if (rc == 0)
        rc = session_of(who, req, body, &s, out);
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    return api_heartbeat_defer(req, who->box_id, s.broadcast_id, out);
}

/* When the member checked in at ROLLCALL: 1 expected (and *at, 0 = not yet), 0 not called,
 * or a negative errno. */
static int expected(const struct api_request *req, int64_t rollcall, int64_t member, time_t *at)
{
    struct store_roster_entry *e = NULL;
    int n = 0, found = 0;
    int rc = store_rollcall_roster(req->store, rollcall, &e, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        if (e[i].member_id == member) {
            *at = e[i].checked_in_at;
            found = 1;
        }
    }
    free(e);
    return rc < 0 ? rc : found;
}

static int guest_rollcalls(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    struct store_guest_session s;
    int rc = api_body_fields(req, session_fields, 1, &body, out);
    if (rc == 0)
        rc = session_of(who, req, body, &s, out);
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    struct store_scope scope = { s.village_id, who->township_id };
    struct store_rollcall open[OPEN_MAX];
    int n = 0;
    rc = store_rollcall_list_open(req->store, &scope, open, OPEN_MAX, &n);
    cJSON *j = rc == 0 ? cJSON_CreateObject() : NULL;
    cJSON *m = j ? cJSON_AddObjectToObject(j, "member") : NULL;
    cJSON *arr = m ? cJSON_AddArrayToObject(j, "rollcalls") : NULL;
    if (rc == 0 && (!arr || !cJSON_AddNumberToObject(m, "id", (double)s.member_id) ||
                    !cJSON_AddStringToObject(m, "name", s.name) ||
                    !cJSON_AddNumberToObject(j, "broadcast_id", (double)s.broadcast_id)))
        rc = -ENOMEM;
    for (int i = 0; rc == 0 && i < n; i++) {
        time_t at = 0;
        if (open[i].broadcast_id != s.broadcast_id)
            continue;
        int called = expected(req, open[i].id, s.member_id, &at);
        if (called <= 0) {
            rc = called;
            continue;
        }
        cJSON *r = api_rollcall_json(&open[i]);
        if (!r || api_add_time(r, "checked_in_at", at) < 0) {
            cJSON_Delete(r);
            rc = -ENOMEM;
            break;
        }
        cJSON_AddItemToArray(arr, r);
    }
    if (rc == 0)
        rc = api_add_time(j, "server_time", req->now);
    return api_reply(j, rc, out);
}

static int guest_checkin(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    struct store_guest_session s;
    int rc = api_body_fields(req, checkin_fields, 2, &body, out);
    int64_t rollcall_id = rc == 0 ? api_json_int(body, "rollcall_id", 0) : 0;
    if (rc == 0)
        rc = session_of(who, req, body, &s, out);
    cJSON_Delete(body);
    if (rc < 0)
        return rc;
    struct store_rollcall r;
    rc = store_rollcall_state(req->store, rollcall_id, &r);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such roll call");
    if (rc < 0)
        return rc;
    time_t at = 0;
    int called = r.broadcast_id == s.broadcast_id ? expected(req, r.id, s.member_id, &at) : 0;
    if (called < 0)
        return called;
    if (!called)
        return api_fail_code(out, -EPERM, "not_your_branch",
                             "this roll call does not call the member: another branch's");
    if (at) { /* a repeat answers with the first check-in */
        *out = api_checkin_json(r.id, s.member_id, at, 0);
        return *out ? 0 : -ENOMEM;
    }
    if (r.closed_at)
        return api_fail_code(out, -EEXIST, "rollcall_closed", "the roll call is closed");
    time_t last = 0;
    rc = store_heartbeat_last(req->store, who->box_id, s.broadcast_id, &last);
    if (rc < 0 && rc != -ENOENT)
        return rc;
    if (rc == -ENOENT || req->now - last > HEARTBEAT_FRESH_S)
        return api_fail_code(out, -EPERM, "not_watching",
                             "sign in from a box that is playing the meeting");
    /* As a member's own check-in, announced to the township and to the member's branch, with
     * where the member was: this box's village. */
    const struct api_checkin c = { .rollcall_id = r.id, .member_id = s.member_id,
                                   .box_id = who->box_id, .township_id = who->township_id,
                                   .village_id = s.village_id,
                                   .from_village_id = who->village_id, .guest = 1 };
    return api_checkin_defer(req, &c, out);
}
