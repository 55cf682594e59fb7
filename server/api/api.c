/* Helpers shared by handlers, and the list of route tables. */
#include "api/api.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const struct api_route *const api_route_tables[] = {
    api_health_routes,
    api_home_routes,
    api_session_routes,
    api_content_routes,
    api_resume_routes,
    api_live_routes,
    api_rollcall_routes,
    api_cadre_routes,
    api_request_routes,
    api_form_routes,
    api_record_routes,
    api_study_routes,
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
