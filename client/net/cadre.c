#define LOG_TAG "cadre"
#include "net/cadre.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/jcheck.h"
#include "net/rollcall.h"

enum { PATH_MAX_LEN = 96 };

static int digits_only(const char *s, size_t len)
{
    if (!s || strlen(s) != len)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
    }
    return 1;
}

/* A JSON object of string fields (name, value, … NULL) as text; NULL on no memory. */
static char *json_strings(const char *name, const char *value, const char *name2,
                          const char *value2)
{
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (o && cJSON_AddStringToObject(o, name, value) &&
        (!name2 || cJSON_AddStringToObject(o, name2, value2)))
        out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        cJSON_free(s);
    }
}

int64_t api_cadre_login(struct net *n, const char *phone, const char *pin)
{
    if (!digits_only(phone, 11) || !digits_only(pin, 6))
        return -EINVAL;
    char *body = json_strings("phone", phone, "pin", pin);
    if (!body)
        return -ENOMEM;
    int64_t s = net_request(n, "POST", "/api/v1/sessions/pin", body, API_CADRE_LOGIN);
    wipe_free(body);
    return s;
}

/* A cadre's request about one object: fmt holds the object's id (which must be positive). */
static int64_t as_cadre(struct net *n, const char *token, const char *method, int kind,
                        const char *body, const char *fmt, int64_t id)
{
    char path[PATH_MAX_LEN];
    if (!token || !token[0] || id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), fmt, id);
    return net_request_as(n, method, path, body, kind, token);
}

int64_t api_cadre_logout(struct net *n, const char *token)
{
    return net_request_as(n, "DELETE", "/api/v1/sessions/current", NULL, API_CADRE_LOGOUT, token);
}

int64_t api_cadre_rollcalls(struct net *n, const char *token)
{
    return net_request_as(n, "GET", "/api/v1/cadre/rollcalls", NULL, API_CADRE_ROLLCALLS, token);
}

int64_t api_cadre_signins(struct net *n, const char *token, int64_t rollcall_id)
{
    return as_cadre(n, token, "GET", API_CADRE_SIGNINS, NULL,
                    "/api/v1/rollcalls/%" PRId64 "/signins", rollcall_id);
}

int64_t api_cadre_rollcall_open(struct net *n, const char *token, int64_t broadcast_id)
{
    return as_cadre(n, token, "POST", API_CADRE_RC_OPEN, "{}",
                    "/api/v1/broadcasts/%" PRId64 "/rollcalls", broadcast_id);
}

int64_t api_cadre_rollcall_close(struct net *n, const char *token, int64_t rollcall_id)
{
    return as_cadre(n, token, "POST", API_CADRE_RC_CLOSE, "{}",
                    "/api/v1/rollcalls/%" PRId64 "/close", rollcall_id);
}

int64_t api_cadre_duty_checks(struct net *n, const char *token)
{
    return net_request_as(n, "GET", "/api/v1/cadre/duty-checks", NULL, API_CADRE_DUTY, token);
}

int64_t api_cadre_duty_answer(struct net *n, const char *token, int64_t check_id)
{
    return as_cadre(n, token, "POST", API_CADRE_DUTY_ANSWER, "{}",
                    "/api/v1/cadre/duty-checks/%" PRId64 "/answer", check_id);
}

int64_t api_cadre_broadcast_create(struct net *n, const char *token, const char *title)
{
    if (!title || !title[0])
        return -EINVAL;
    char *body = json_strings("title", title, NULL, NULL);
    if (!body)
        return -ENOMEM;
    int64_t s = net_request_as(n, "POST", "/api/v1/broadcasts", body, API_CADRE_BC_CREATE, token);
    cJSON_free(body);
    return s;
}

int64_t api_cadre_broadcast_start(struct net *n, const char *token, int64_t broadcast_id)
{
    return as_cadre(n, token, "POST", API_CADRE_BC_START, "{}",
                    "/api/v1/broadcasts/%" PRId64 "/start", broadcast_id);
}

int64_t api_cadre_broadcast_stop(struct net *n, const char *token, int64_t broadcast_id)
{
    return as_cadre(n, token, "POST", API_CADRE_BC_STOP, "{}",
                    "/api/v1/broadcasts/%" PRId64 "/stop", broadcast_id);
}

/* ---- parsers ---------------------------------------------------------------------------- */

int cadre_parse_login(const char *json, struct cadre_session *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *acc = NULL, *org = NULL;
    int rc = jcheck_string(&c, root, "token", "", out->token, sizeof(out->token));
    if (rc == 0 && strlen(out->token) != CADRE_TOKEN_HEX - 1)
        rc = jcheck_fail(&c, "token: not 64 characters");
    if (rc == 0)
        rc = jcheck_object(&c, root, "account", "", &acc);
    if (rc == 0)
        rc = jcheck_string(&c, acc, "display_name", "account", out->name, sizeof(out->name));
    if (rc == 0)
        rc = jcheck_object(&c, root, "org", "", &org);
    if (rc == 0)
        rc = jcheck_string(&c, org, "name", "org", out->village, sizeof(out->village));
    if (rc == 0)
        rc = jcheck_int(&c, org, "id", "org", 1, JCHECK_INT_LIMIT, &out->village_id);
    cJSON *tok = cJSON_GetObjectItemCaseSensitive(root, "token");
    if (cJSON_IsString(tok))
        explicit_bzero(tok->valuestring, strlen(tok->valuestring));
    cJSON_Delete(root);
    if (rc < 0)
        cadre_session_wipe(out);
    return rc;
}

void cadre_session_wipe(struct cadre_session *s)
{
    explicit_bzero(s->token, sizeof(s->token));
}

static int rollcall_fields(struct jcheck *c, const cJSON *o, const char *path,
                           struct cadre_rollcall *out)
{
    char state[16];
    int64_t expected = 0, checked_in = 0;
    memset(out, 0, sizeof(*out));
    int rc = jcheck_int(c, o, "id", path, 1, JCHECK_INT_LIMIT, &out->id);
    if (rc == 0)
        rc = jcheck_int(c, o, "broadcast_id", path, 1, JCHECK_INT_LIMIT, &out->broadcast_id);
    if (rc == 0)
        rc = jcheck_string_opt(c, o, "title", path, out->title, sizeof(out->title));
    if (rc == 0)
        rc = jcheck_string(c, o, "state", path, state, sizeof(state));
    if (rc == 0)
        rc = jcheck_int(c, o, "expected", path, 0, 1000000, &expected);
    if (rc == 0)
        rc = jcheck_int(c, o, "checked_in", path, 0, 1000000, &checked_in);
    out->expected = (int)expected;
    out->checked_in = (int)checked_in;
    out->open = rc == 0 && strcmp(state, "open") == 0;
    return rc;
}

int cadre_parse_rollcall(const char *json, struct cadre_rollcall *out, char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int rc = rollcall_fields(&c, root, "", out);
    cJSON_Delete(root);
    return rc;
}

int cadre_parse_rollcalls(const char *json, struct cadre_rollcall *out, char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr = NULL, *e = NULL;
    int n = 0;
    char path[32];
    int rc = jcheck_array(&c, root, "rollcalls", "", 64, &arr, &n);
    if (rc == 0 && n == 0)
        rc = -ENOENT;
    if (rc == 0)
        rc = jcheck_entry(&c, arr, 0, "rollcalls", path, sizeof(path), &e);
    if (rc == 0)
        rc = rollcall_fields(&c, e, path, out);
    cJSON_Delete(root);
    return rc;
}

static int people(struct jcheck *c, const cJSON *root, const char *name, struct cadre_person **out,
                  int *n)
{
    const cJSON *arr = NULL, *e = NULL;
    char path[48];
    int count = 0;
    int rc = jcheck_array(c, root, name, "", CADRE_PEOPLE_MAX, &arr, &count);
    if (rc < 0)
        return rc;
    *out = count ? calloc((size_t)count, sizeof(**out)) : NULL;
    if (count && !*out)
        return -ENOMEM;
    for (int i = 0; rc == 0 && i < count; i++) {
        rc = jcheck_entry(c, arr, i, name, path, sizeof(path), &e);
        if (rc == 0)
            rc = jcheck_string(c, e, "name", path, (*out)[i].name, sizeof((*out)[i].name));
        if (rc == 0)
            rc = jcheck_string_opt(c, e, "household", path, (*out)[i].household,
                                   sizeof((*out)[i].household));
    }
    *n = count;
    return rc;
}

int cadre_parse_signins(const char *json, struct cadre_signins *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *rcj = NULL;
    int rc = jcheck_object(&c, root, "rollcall", "", &rcj);
    if (rc == 0)
        rc = rollcall_fields(&c, rcj, "rollcall", &out->rollcall);
    if (rc == 0)
        rc = people(&c, root, "checked_in", &out->in, &out->n_in);
    if (rc == 0)
        rc = people(&c, root, "absent", &out->absent, &out->n_absent);
    cJSON_Delete(root);
    if (rc < 0)
        cadre_signins_free(out);
    return rc;
}

void cadre_signins_free(struct cadre_signins *s)
{
    if (!s)
        return;
    free(s->in);
    free(s->absent);
    memset(s, 0, sizeof(*s));
}

int cadre_parse_duty(const char *json, struct cadre_duty *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr = NULL, *e = NULL, *by = NULL;
    int n = 0;
    char path[32];
    int rc = jcheck_array(&c, root, "checks", "", 64, &arr, &n);
    if (rc == 0 && n == 0)
        rc = -ENOENT;
    if (rc == 0)
        rc = jcheck_entry(&c, arr, 0, "checks", path, sizeof(path), &e);
    if (rc == 0)
        rc = jcheck_int(&c, e, "id", path, 1, JCHECK_INT_LIMIT, &out->id);
    if (rc == 0)
        rc = jcheck_string_opt(&c, e, "answer_by", path, out->answer_by, sizeof(out->answer_by));
    if (rc == 0)
        rc = jcheck_object_opt(&c, e, "checked_by", path, &by);
    if (rc == 0 && by)
        rc = jcheck_string_opt(&c, by, "name", "checked_by", out->checked_by,
                               sizeof(out->checked_by));
    cJSON_Delete(root);
    return rc;
}

static int broadcast_fields(struct jcheck *c, const cJSON *o, const char *path,
                            struct cadre_broadcast *out)
{
    memset(out, 0, sizeof(*out));
    int rc = jcheck_int(c, o, "id", path, 1, JCHECK_INT_LIMIT, &out->id);
    if (rc == 0)
        rc = jcheck_int(c, o, "org_id", path, 1, JCHECK_INT_LIMIT, &out->org_id);
    if (rc == 0)
        rc = jcheck_string(c, o, "title", path, out->title, sizeof(out->title));
    if (rc == 0)
        rc = jcheck_string(c, o, "state", path, out->state, sizeof(out->state));
    return rc;
}

int cadre_parse_broadcast(const char *json, struct cadre_broadcast *out, char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    int rc = broadcast_fields(&c, root, "", out);
    cJSON_Delete(root);
    return rc;
}

int cadre_parse_start(const char *json, struct cadre_broadcast *out, char *key, size_t key_size,
                      char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *b = NULL;
    int rc = jcheck_object(&c, root, "broadcast", "", &b);
    if (rc == 0)
        rc = broadcast_fields(&c, b, "broadcast", out);
    if (rc == 0)
        rc = jcheck_string(&c, root, "publish_key", "", key, key_size);
    if (rc == 0 && strlen(key) != CADRE_TOKEN_HEX - 1)
        rc = jcheck_fail(&c, "publish_key: not 64 characters");
    cJSON *k = cJSON_GetObjectItemCaseSensitive(root, "publish_key");
    if (cJSON_IsString(k))
        explicit_bzero(k->valuestring, strlen(k->valuestring));
    cJSON_Delete(root);
    if (rc < 0)
        explicit_bzero(key, key_size);
    return rc;
}

int cadre_find_live(const char *json, int64_t village_id, struct cadre_broadcast *out, int *own,
                    char *err, size_t errlen)
{
    struct jcheck c;
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *arr = NULL, *e = NULL;
    int n = 0, found = 0;
    char path[32];
    struct cadre_broadcast b;
    *own = 0;
    int rc = jcheck_array(&c, root, "broadcasts", "", API_LIVE_MAX * 4, &arr, &n);
    for (int i = 0; rc == 0 && i < n && !*own; i++) {
        rc = jcheck_entry(&c, arr, i, "broadcasts", path, sizeof(path), &e);
        if (rc == 0)
            rc = broadcast_fields(&c, e, path, &b);
        if (rc < 0 || strcmp(b.state, "live") != 0)
            continue;
        if (b.org_id == village_id || !found) {
            *out = b;
            found = 1;
            *own = b.org_id == village_id;
        }
    }
    cJSON_Delete(root);
    return rc < 0 ? rc : found ? 0 : -ENOENT;
}

const char *cadre_refusal_text(const struct net_result *r, char *buf, size_t size)
{
    char code[48];
    (void)buf; /* room for a reason made to measure; all of today's are fixed sentences */
    (void)size;
    if (r->error != NET_OK)
        return "连不上服务器，请检查网络后再试";
    api_error_code(r->body, code, sizeof(code));
    if (strcmp(code, "bad_credentials") == 0)
        return "手机号或密码不对，请重新输入";
    if (strcmp(code, "rate_limited") == 0 || r->http_status == 429)
        return "输错太多次了，请过一分钟再试"; /* the server allows one try a minute then */
    if (strcmp(code, "session_expired") == 0 || r->http_status == 401)
        return "登录已过期，请重新登录";
    if (strcmp(code, "rollcall_open") == 0)
        return "点名已经开始了";
    if (strcmp(code, "rollcall_closed") == 0)
        return "点名已经结束了";
    if (strcmp(code, "broadcast_not_live") == 0)
        return "会议已经结束了";
    if (strcmp(code, "duty_check_expired") == 0)
        return "已经超过 10 分钟，这次值班抽查没有答上";
    if (r->http_status == 403)
        return "您没有这项权限";
    return "没有办成，请再试一次";
}
