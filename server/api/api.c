/* Helpers shared by handlers, and the list of route tables. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

const struct api_route *const api_route_tables[] = {
    api_health_routes,
    api_home_routes,
    api_session_routes,
    api_pin_routes,
    api_content_routes,
    api_resume_routes,
    api_live_routes,
    api_rollcall_routes,
    api_cadre_routes,
    api_request_routes,
    api_form_routes,
    api_record_routes,
    api_study_routes,
    api_desk_routes,
    api_duty_routes,
    api_staff_routes,
    api_overview_routes,
    api_staff_live_routes,
    api_duty_plan_routes,
    api_admin_routes,
    api_staff_course_routes,
    api_guest_routes,
    api_staff_upload_routes,
    NULL,
};

int api_fail(cJSON **out, int rc, const char *message)
{
    if (out && message) {
        cJSON_Delete(*out);
        *out = cJSON_CreateObject();
        if (*out && !cJSON_AddStringToObject(*out, "message", message)) {
            cJSON_Delete(*out);
            *out = NULL;
        }
    }
    return rc;
}

int api_fail_code(cJSON **out, int rc, const char *code, const char *message)
{
    api_fail(out, rc, message);
    if (out && *out && code && !cJSON_AddStringToObject(*out, "code", code)) {
        cJSON_Delete(*out);
        *out = NULL;
    }
    return rc;
}

int api_household_member(const struct caller *who, const struct api_request *req,
                         int64_t member_id, const char *why, struct store_member *m,
                         cJSON **out)
{
    struct store_member own;
    if (!m)
        m = &own;
    int rc = store_member_get(req->store, member_id, m);
    if (rc == -ENOENT || (rc == 0 && m->household_id != who->household_id))
        return api_fail_code(out, -EPERM, "not_household_member", why);
    return rc;
}

int api_param_id(const struct api_request *req, const char *name, int64_t *out)
{
    size_t len = strlen(name);
    for (int i = 0; i < req->n_params; i++) {
        const struct api_param *p = &req->params[i];
        if (p->name_len != len || memcmp(p->name, name, len) != 0)
            continue;
        const char *v = p->value;
        if (*v < '1' || *v > '9')
            return -EINVAL;
        char *end = NULL;
        errno = 0;
        long long n = strtoll(v, &end, 10);
        if (errno || *end != '\0' || n <= 0)
            return -EINVAL;
        *out = (int64_t)n;
        return 0;
    }
    return -ENOENT;
}

/* A header value: printable ASCII that fits CAP with its NUL. */
static int header_ok(const char *v, size_t cap)
{
    size_t n = strlen(v);
    if (n >= cap)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
            return 0;
    return 1;
}

int api_reply_raw(const struct api_request *req, char *body, size_t len, const char *type,
                  const char *disposition)
{
    struct api_raw *raw = req ? req->raw : NULL;
    if (!raw || raw->body) {
        free(body);
        return -ENOSYS;
    }
    if (!body || !type || !header_ok(type, sizeof(raw->type)) ||
        (disposition && !header_ok(disposition, sizeof(raw->disposition)))) {
        free(body);
        return -EINVAL;
    }
    raw->body = body;
    raw->len = len;
    memcpy(raw->type, type, strlen(type) + 1);
    if (disposition)
        memcpy(raw->disposition, disposition, strlen(disposition) + 1);
    else
        raw->disposition[0] = '\0';
    return 0;
}

int api_body_json(const struct api_request *req, cJSON **json)
{
    *json = NULL;
    if (!req->body || req->body_len == 0)
        return -EINVAL;
    cJSON *j = cJSON_ParseWithLength(req->body, req->body_len);
    if (!j)
        return -EBADMSG;
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return -EINVAL;
    }
    *json = j;
    return 0;
}
