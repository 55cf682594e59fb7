/* A cadre's PIN: the TV remote has only digits, so on the village's activity-room box a cadre
 * signs in with their phone number and a PIN instead of a password.
 *
 * POST /api/v1/sessions/pin (a box token): {phone, pin} opens a login session for the cadre
 * of the box's own village, so a PIN is worth nothing away from that village's boxes. Failures
 * are limited per account (phone) and per box, like password logins per username; a success
 * gives its tokens back. PUT /api/v1/staff/cadres/{id}/pin: township staff (or the admin) set
 * a cadre's phone and PIN. The PIN is hashed like a password and never sent back. */
#define LOG_TAG "api"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/session.h"
#include "log.h"
#include "store/store.h"

enum { PHONE_LEN = 11, PIN_LEN = 6 };

static int pin_login(const struct caller *who, const struct api_request *req, cJSON **out);
static int pin_set(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_pin_routes[] = {
    { "POST", "/api/v1/sessions/pin", ACCESS_BOX, pin_login },
    { "PUT", "/api/v1/staff/cadres/{id}/pin", ACCESS_STAFF, pin_set },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

static const struct api_field pin_fields[] = {
    { "phone", API_STR, 1, PHONE_LEN, PHONE_LEN },
    { "pin", API_STR, 1, PIN_LEN, PIN_LEN },
};

static int all_digits(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
    }
    return 1;
}

/* The body's phone and PIN, both digits only; 0 or a 400 naming the field. */
static int read_body(const struct api_request *req, cJSON **body, const char **phone,
                     const char **pin, cJSON **out)
{
    int rc = api_body_fields(req, pin_fields, 2, body, out);
    if (rc < 0)
        return rc;
    *phone = api_json_str(*body, "phone");
    *pin = api_json_str(*body, "pin");
    if (!all_digits(*phone))
        return api_fail(out, -EINVAL, "phone: 11 digits");
    if (!all_digits(*pin))
        return api_fail(out, -EINVAL, "pin: 6 digits");
    return 0;
}

static void wipe_pin(cJSON *body)
{
    cJSON *pin = cJSON_GetObjectItemCaseSensitive(body, "pin");
    if (cJSON_IsString(pin))
        sodium_memzero(pin->valuestring, strlen(pin->valuestring));
    cJSON_Delete(body);
}

/* Take one failure token of (CLS, VALUE) with the per-account login rule; 0 or a 429. */
static int take(const struct api_request *req, const char *cls, const void *value, size_t len,
                uint64_t *key, cJSON **out)
{
    const struct api_limits *l = req->limits;
    *key = 0;
    if (!l || !l->buckets)
        return 0;
    *key = ratelimit_key(l->buckets, cls, value, len);
    int retry = 1;
    int rc = ratelimit_take(l->buckets, *key, &l->login_user, (double)req->now, &retry);
    if (rc < 0) {
        *key = 0;
        log_info("PIN attempts for one %s over the limit", cls + 4);
        api_fail(out, rc, "too many wrong PINs; wait and try again");
        if (*out)
            cJSON_AddNumberToObject(*out, "retry_after", retry);
    }
    return rc;
}

static void refund(const struct api_request *req, uint64_t key)
{
    if (key && req->limits && req->limits->buckets)
        ratelimit_refund(req->limits->buckets, key, &req->limits->login_user);
}

static int pin_login(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    const char *phone = NULL, *pin = NULL;
    struct store_account a;
    uint64_t account_key = 0, box_key = 0;
    int rc = read_body(req, &body, &phone, &pin, out);
    if (rc == 0)
        rc = take(req, "pin-account", phone, strlen(phone), &account_key, out);
    if (rc == 0) {
        rc = take(req, "pin-box", &who->box_id, sizeof(who->box_id), &box_key, out);
        if (rc < 0)
            refund(req, account_key); /* the box waits; the account's tries are not spent */
    }
    if (rc < 0)
        goto done;
    rc = store_account_by_phone(req->store, phone, &a);
    if (rc == -ENOENT) {
        auth_password_burn(pin); /* the same time as a wrong PIN: no phone-number oracle */
        rc = api_fail_code(out, -EACCES, "bad_credentials", "wrong phone number or PIN");
        goto done;
    }
    if (rc < 0)
        goto done;
    int usable = strcmp(a.role, "cadre") == 0 && a.org_id == who->village_id && !a.disabled &&
                 a.pin_hash[0];
    rc = a.pin_hash[0] ? auth_password_verify(a.pin_hash, pin) : auth_password_burn(pin);
    sodium_memzero(a.pin_hash, sizeof(a.pin_hash));
    if (rc < 0 || !usable) {
        log_info("failed PIN login on box %lld (%s)", (long long)who->box_id,
                 rc < 0 ? "PIN" : "not this village's cadre");
        rc = api_fail_code(out, -EACCES, "bad_credentials", "wrong phone number or PIN");
        goto done;
    }
    refund(req, account_key);
    refund(req, box_key);
    log_info("box %lld: cadre mode for account %lld", (long long)who->box_id, (long long)a.id);
    rc = api_session_issue(req, &a, 0, out);

done:
    if (body)
        wipe_pin(body);
    return rc;
}

struct pin_job {
    int64_t account_id;
    const char *phone;
    char hash[AUTH_PWHASH_MAX];
};

static int pin_set_run(struct store_tx *tx, void *arg)
{
    struct pin_job *j = arg;
    return store_account_set_pin(tx, j->account_id, j->phone, j->hash);
}

static int pin_set(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    const char *phone = NULL, *pin = NULL;
    struct pin_job job = { 0 };
    struct store_account a;
    struct store_org village;
    int rc = api_target_id(req, "id", &job.account_id, out);
    if (rc == 0)
        rc = read_body(req, &body, &phone, &pin, out);
    if (rc < 0)
        goto done;
    /* Only a cadre of a village of the caller's township; anything else is not found. */
    rc = store_account_get(req->store, job.account_id, &a);
    if (rc == 0 && strcmp(a.role, "cadre") != 0)
        rc = -ENOENT;
    if (rc == 0)
        rc = store_org_get(req->store, a.org_id, &village);
    if (rc == 0 && village.parent_id != who->township_id)
        rc = -ENOENT;
    if (rc < 0)
        goto done;
    job.phone = phone;
    rc = auth_password_hash(pin, job.hash);
    if (rc == 0)
        rc = store_write(req->store, pin_set_run, &job);
    sodium_memzero(job.hash, sizeof(job.hash));
    if (rc == -EEXIST) {
        rc = api_fail_code(out, -EEXIST, "conflict", "another account has this phone number");
        goto done;
    }
    if (rc < 0)
        goto done;
    log_info("account %lld: PIN set by account %lld", (long long)a.id,
             (long long)who->account_id);
    *out = cJSON_CreateObject();
    if (!*out || !cJSON_AddNumberToObject(*out, "id", (double)a.id) ||
        !cJSON_AddStringToObject(*out, "phone", phone) ||
        !cJSON_AddBoolToObject(*out, "pin_set", 1))
        rc = -ENOMEM;

done:
    if (body)
        wipe_pin(body);
    return rc;
}
