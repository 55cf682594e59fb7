/* Publishing: content create, update and delete, in the caller's own township, by township
 * staff (the dashboard's publishing view) and admins (the admin tools, /api/v1/admin/...). The
 * body is the item JSON of api/item_spec.c (the importer's manifests use the same fields). An item of another
 * township is 404, as if it did not exist; a village of another township in the body is 403.
 * Delete is a real delete: the item, its extras, resume positions and answers go (cascade), so
 * no box sees it again; media files under /media/ stay (an import may still refer to them). */
#define LOG_TAG "api"
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "api/catalogue_event.h"
#include "api/input.h"
#include "api/item_spec.h"
#include "log.h"
#include "store/store.h"

enum { FAR_FUTURE_S = 50 * 366 * 86400 }; /* "now" that sees items scheduled for later too */

static int create(const struct caller *who, const struct api_request *req, cJSON **out);
static int update(const struct caller *who, const struct api_request *req, cJSON **out);
static int remove_item(const struct caller *who, const struct api_request *req, cJSON **out);

const struct api_route api_admin_routes[] = {
    { "POST", "/api/v1/admin/content", ACCESS_ADMIN, create },
    { "PUT", "/api/v1/admin/content/{id}", ACCESS_ADMIN, update },
    { "DELETE", "/api/v1/admin/content/{id}", ACCESS_ADMIN, remove_item },
    { "POST", "/api/v1/staff/content", ACCESS_STAFF, create },
    { "PUT", "/api/v1/staff/content/{id}", ACCESS_STAFF, update },
    { "DELETE", "/api/v1/staff/content/{id}", ACCESS_STAFF, remove_item },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

/* Item ID as the caller may touch it: in their township. -ENOENT otherwise. */
static int own_item(const struct caller *who, const struct api_request *req, int64_t id,
                    struct store_item *it)
{
    int64_t org = 0;
    int rc = store_content_org(req->store, id, &org);
    if (rc == 0 && org != who->township_id) {
        struct store_org o;
        rc = store_org_get(req->store, org, &o);
        if (rc == 0 && o.parent_id != who->township_id)
            rc = -ENOENT; /* another township's: as if it did not exist */
    }
    if (rc < 0)
        return rc;
    struct store_scope scope = { .village_id = org, .township_id = who->township_id };
    return store_item_get(req->store, &scope, req->now + FAR_FUTURE_S, id, it);
}

/* Parse the body, write it (ID 0 = a new item), reply with the item. */
static int write_item(const struct caller *who, const struct api_request *req, int64_t id,
                      cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    rc = api_body_json(req, &body);
    if (rc < 0)
        return api_fail(out, rc, rc == -EBADMSG ? "the body is not valid JSON"
                                                : "the body must be a JSON object");
    struct item_spec sp;
    rc = item_spec_parse(body, ITEM_SPEC_ADMIN, req->store, who->township_id, req->now, &sp,
                         out);
    if (rc == 0) {
        sp.id = id;
        rc = store_write(req->store, item_spec_write, &sp);
    }
    if (rc == 0) {
        log_info("account %lld %s content item %lld (%s)", (long long)who->account_id,
                 id ? "updated" : "created", (long long)sp.id, sp.kind);
        catalogue_event_publish(req->events, req->store, sp.c.org_id, sp.section, sp.id,
                                id ? CATALOGUE_UPDATED : CATALOGUE_ADDED);
        *out = item_spec_json(&sp);
        rc = *out ? 0 : -ENOMEM;
    }
    item_spec_fini(&sp);
    cJSON_Delete(body);
    return rc;
}

static int create(const struct caller *who, const struct api_request *req, cJSON **out)
{
    return write_item(who, req, 0, out);
}

static int item_id(const struct api_request *req, int64_t *id, cJSON **out)
{
    int rc = api_param_id(req, "id", id);
    if (rc < 0)
        return rc == -EINVAL ? rc : api_fail(out, -ENOENT, "no such item");
    return 0;
}

static int update(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = item_id(req, &id, out);
    if (rc < 0)
        return rc;
    struct store_item it = { .body = NULL };
    rc = own_item(who, req, id, &it);
    int known = rc == 0 && item_spec_kind_known(it.kind);
    store_item_fini(&it);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such item");
    if (rc < 0)
        return rc;
    if (!known)
        return api_fail_code(out, -EINVAL, "not_editable",
                             "questionnaires, quizzes and exams are not edited here");
    return write_item(who, req, id, out);
}

static int delete_run(struct store_tx *tx, void *arg)
{
    return store_content_delete(tx, *(const int64_t *)arg);
}

static int remove_item(const struct caller *who, const struct api_request *req, cJSON **out)
{
    int64_t id = 0;
    int rc = item_id(req, &id, out);
    if (rc == 0)
        rc = api_query_check(req, NULL, 0, out);
    if (rc < 0)
        return rc;
    if (req->body && req->body_len > 0)
        return api_fail(out, -EINVAL, "DELETE takes no body");
    struct store_item it = { .body = NULL };
    rc = own_item(who, req, id, &it);
    store_item_fini(&it);
    if (rc == 0)
        rc = store_write(req->store, delete_run, &id);
    if (rc == 0)
        catalogue_event_publish(req->events, req->store, it.org_id, it.section, id,
                                CATALOGUE_REMOVED);
    if (rc == -ENOENT)
        return api_fail(out, rc, "no such item");
    if (rc < 0)
        return rc;
    log_info("account %lld deleted content item %lld", (long long)who->account_id,
             (long long)id);
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddNumberToObject(j, "id", (double)id) ||
        !cJSON_AddBoolToObject(j, "deleted", 1)) {
        cJSON_Delete(j);
        return -ENOMEM;
    }
    *out = j;
    return 0;
}
