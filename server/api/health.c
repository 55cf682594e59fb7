/* GET /health: liveness for monitors and the client's first contact. No auth. */
#define LOG_TAG "api"
#include <errno.h>

#include "api/api.h"
#include "log.h"
#include "store/store.h"
#include "version.h"

const struct api_route api_health_routes[] = {
    { "GET", "/health", ACCESS_PUBLIC, api_health },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};

int api_health(const struct caller *who, const struct api_request *req, cJSON **out)
{
    (void)who;
    int rc = store_ping(req->store);
    if (rc < 0) {
        log_warn("health: database check failed (%d)", rc);
        return api_fail(out, -EAGAIN, "database unavailable");
    }
    cJSON *j = cJSON_CreateObject();
    if (!j || !cJSON_AddStringToObject(j, "status", "ok") ||
        !cJSON_AddStringToObject(j, "version", DJTV_SERVER_VERSION) ||
        !cJSON_AddStringToObject(j, "db", "ok")) {
        cJSON_Delete(j);
        return -ENOMEM;
    }
    *out = j;
    return 0;
}
