/* Uploads by township staff (the dashboard's 视频与海报 tab): announce a video (a new 视频,
 * 课程 or 致富信息 item once converted) or a poster (for a course or video of the township),
 * send the file, follow the job. The file itself is streamed to disk by the HTTP layer after
 * the PUT's handler (receive, below) opened it, before the body is read (a SERVE_UPLOAD route,
 * http/routes.c); these handlers never see its bytes. */
#define LOG_TAG "api"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/input.h"
#include "api/item_spec.h"
#include "log.h"
#include "store/store.h"
#include "upload/upload.h"

static int announce(const struct caller *who, const struct api_request *req, cJSON **out);
static int receive(const struct caller *who, const struct api_request *req, cJSON **out);
static int state(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_staff_upload_routes[] = {
    { "POST", "/api/v1/staff/uploads", ACCESS_STAFF, announce },
    { "GET", "/api/v1/staff/uploads/{id}", ACCESS_STAFF, state },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* Its route, with the body bound and how the body is taken, is in http/routes.c. */
const struct api_route api_staff_upload_file_route = {
    "PUT", "/api/v1/staff/uploads/{id}/file", ACCESS_STAFF, receive
};

static const struct api_field FIELDS[] = {
    { "file", API_STR, 1, 5, 6 },
    { "name", API_STR, 1, 1, UPLOAD_NAME_MAX - 1 },
    { "size", API_INT, 1, 1, 1LL << 50 },
    { "item_id", API_ID, 0, 0, 0 },
};

static struct uploads *uploads_of(const struct api_request *req)
{
    return req->upload ? req->upload->uploads : NULL;
}

/* A video's new item: one of the playable kinds, its media left to the upload. */
static int check_item(const struct caller *who, const struct api_request *req, cJSON *item,
                      char **json, cJSON **out)
{
    if (!cJSON_IsObject(item))
        return api_fail(out, -EINVAL, "item: the new item's fields, as an object");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(item, "kind");
    if (!kind && !cJSON_AddStringToObject(item, "kind", "视频"))
        return -ENOMEM;
    kind = cJSON_GetObjectItemCaseSensitive(item, "kind");
    if (!cJSON_IsString(kind) || (strcmp(kind->valuestring, "视频") != 0 &&
                                  strcmp(kind->valuestring, "课程") != 0 &&
                                  strcmp(kind->valuestring, "致富信息") != 0))
        return api_fail(out, -EINVAL, "item.kind: an uploaded video is 视频, 课程 or 致富信息");
    if (cJSON_GetObjectItemCaseSensitive(item, "media_url"))
        return api_fail(out, -EINVAL, "item.media_url: the upload makes it");
    struct item_spec sp;
    int rc = item_spec_parse(item, ITEM_SPEC_ADMIN, req->store, who->township_id, req->now, &sp,
                             out);
    item_spec_fini(&sp);
    if (rc == -EINVAL && *out) { /* name the field as the body has it: "item.title: ..." */
        cJSON *m = cJSON_GetObjectItemCaseSensitive(*out, "message");
        char msg[300];
        snprintf(msg, sizeof(msg), "item.%s", cJSON_IsString(m) ? m->valuestring : "bad value");
        cJSON_Delete(*out);
        *out = NULL;
        return api_fail(out, rc, msg);
    }
    if (rc < 0)
        return rc;
    *json = cJSON_PrintUnformatted(item);
    return *json ? 0 : -ENOMEM;
}

/* A poster's item: a course or video of the caller's township (else 404). */
static int check_target(const struct caller *who, const struct api_request *req, int64_t id,
                        cJSON **out)
{
    int64_t org = 0;
    struct store_org o;
    struct store_course c;
    int rc = store_content_org(req->store, id, &org);
    if (rc == 0 && org != who->township_id) {
        rc = store_org_get(req->store, org, &o);
        if (rc == 0 && o.parent_id != who->township_id)
            rc = -ENOENT;
    }
    if (rc == 0)
        rc = store_course_get(req->store, id, &c);
    if (rc == -ENOENT)
        return api_fail(out, rc, "item_id: no course or video of this township has that id");
    return rc;
}

static int announce(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct uploads *up = uploads_of(req);
    if (!up)
        return api_fail(out, -EAGAIN, "uploads are not available on this server");
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    rc = api_body_json(req, &body);
    if (rc < 0)
        return api_fail(out, rc, rc == -EBADMSG ? "the body is not valid JSON"
                                                : "the body must be a JSON object");
    /* "item" is an object: take it out for the strict check of the rest. */
    cJSON *item = cJSON_DetachItemFromObjectCaseSensitive(body, "item");
    char *item_json = NULL;
    rc = api_json_check(body, FIELDS, (int)(sizeof(FIELDS) / sizeof(FIELDS[0])), out);
    struct upload_new n = { .township_id = who->township_id, .account_id = who->account_id };
    const char *file = rc == 0 ? api_json_str(body, "file") : NULL;
    if (rc == 0) {
        n.size = api_json_int(body, "size", 0);
        n.item_id = api_json_int(body, "item_id", 0);
        snprintf(n.name, sizeof(n.name), "%s", api_json_str(body, "name"));
        if (strcmp(file, "video") == 0) {
            n.file = UPLOAD_VIDEO;
            rc = n.item_id ? api_fail(out, -EINVAL, "item_id: a video makes a new item (item)")
                 : !item   ? api_fail(out, -EINVAL, "item: required for a video")
                           : check_item(who, req, item, &item_json, out);
        } else if (strcmp(file, "poster") == 0) {
            n.file = UPLOAD_POSTER;
            rc = item      ? api_fail(out, -EINVAL, "item: a poster goes to an item (item_id)")
                 : !n.item_id ? api_fail(out, -EINVAL, "item_id: required for a poster")
                              : check_target(who, req, n.item_id, out);
        } else {
            rc = api_fail(out, -EINVAL, "file: video or poster");
        }
    }
    int64_t id = 0;
    n.item_json = item_json;
    if (rc == 0)
        rc = uploads_add(up, &n, &id);
    if (rc == -E2BIG)
        rc = api_fail(out, rc, n.file == UPLOAD_POSTER ? "size: a poster may be at most 8 MiB"
                                                       : "size: over this server's upload limit");
    if (rc == -ENOSPC)
        rc = api_fail(out, rc, "the server's disk has no room for this file");
    if (rc == 0) {
        char url[96];
        snprintf(url, sizeof(url), "/api/v1/staff/uploads/%lld/file", (long long)id);
        *out = cJSON_CreateObject();
        if (!*out || !cJSON_AddNumberToObject(*out, "id", (double)id) ||
            !cJSON_AddStringToObject(*out, "state", "waiting") ||
            !cJSON_AddStringToObject(*out, "file_url", url))
            rc = -ENOMEM;
        log_info("account %lld announced upload %lld (%s, %lld bytes)",
                 (long long)who->account_id, (long long)id, file, (long long)n.size);
    }
    free(item_json);
    cJSON_Delete(item);
    cJSON_Delete(body);
    return rc;
}

static int receive(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct uploads *up = uploads_of(req);
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    if (rc < 0)
        return rc == -ENOENT ? api_fail(out, rc, "no such upload") : rc;
    if (!up)
        return api_fail(out, -EAGAIN, "uploads are not available on this server");
    rc = uploads_open(up, id, who->township_id, req->upload->length, &req->upload->fd);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such upload");
    if (rc == -EALREADY)
        return api_fail_code(out, -EEXIST, "already_sent", "this upload's file was sent already");
    if (rc == -E2BIG)
        return api_fail(out, rc, "the file is larger than the size announced");
    if (rc < 0)
        return rc;
    req->upload->id = id;
    *out = cJSON_CreateObject();
    return *out ? 0 : -ENOMEM;
}

static int state(const struct caller *who, const struct api_request *req, cJSON **out)
{
    struct uploads *up = uploads_of(req);
    int64_t id = 0;
    int rc = api_target_id(req, "id", &id, out);
    struct upload_view v;
    if (rc == 0)
        rc = up ? uploads_get(up, id, who->township_id, &v) : -ENOENT;
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such upload");
    if (rc < 0)
        return rc;
    cJSON *o = cJSON_CreateObject();
    int ok = o && cJSON_AddNumberToObject(o, "id", (double)v.id) &&
             cJSON_AddStringToObject(o, "file", v.file == UPLOAD_VIDEO ? "video" : "poster") &&
             cJSON_AddStringToObject(o, "name", v.name) &&
             cJSON_AddStringToObject(o, "state", v.state) &&
             cJSON_AddNumberToObject(o, "percent", v.percent) &&
             cJSON_AddNumberToObject(o, "size", (double)v.size) &&
             cJSON_AddNumberToObject(o, "received", (double)v.received) &&
             (v.reason[0] ? cJSON_AddStringToObject(o, "reason", v.reason) != NULL
                          : cJSON_AddNullToObject(o, "reason") != NULL) &&
             (v.item_id ? cJSON_AddNumberToObject(o, "item_id", (double)v.item_id) != NULL
                        : cJSON_AddNullToObject(o, "item_id") != NULL) &&
             cJSON_AddStringToObject(o, "media_url", v.media_url) &&
             cJSON_AddStringToObject(o, "poster", v.poster);
    if (!ok) {
        cJSON_Delete(o);
        return -ENOMEM;
    }
    *out = o;
    return 0;
}
