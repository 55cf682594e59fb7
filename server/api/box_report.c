/* What a box says of itself: its software version, from the User-Agent header. */
#define LOG_TAG "api"
#include "api/box_report.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "store/store.h"

#define CLIENT_PRODUCT "djtv-client/"
enum { REPORT_REFRESH_S = 3600 };

/* The version after "djtv-client/" up to the first space, into OUT: letters, digits and
 * . + - ~ only, 1..STORE_VERSION_MAX-1 bytes. 0, or -EINVAL. */
static int version_of(const char *ua, char out[STORE_VERSION_MAX])
{
    size_t plen = strlen(CLIENT_PRODUCT);
    if (!ua || strncmp(ua, CLIENT_PRODUCT, plen) != 0)
        return -EINVAL;
    const char *v = ua + plen;
    size_t n = strcspn(v, " ");
    if (n == 0 || n >= STORE_VERSION_MAX)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        int ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 c == '.' || c == '+' || c == '-' || c == '~';
        if (!ok)
            return -EINVAL;
    }
    memcpy(out, v, n);
    out[n] = '\0';
    return 0;
}

struct report_job {
    int64_t box_id;
    const char *version; /* borrowed */
    time_t at;
};

static int report_run(struct store_tx *tx, void *arg)
{
    const struct report_job *j = arg;
    return store_box_report(tx, j->box_id, j->version, j->at);
}

int api_box_report(const struct caller *who, const struct api_request *req)
{
    char version[STORE_VERSION_MAX], stored[STORE_VERSION_MAX];
    time_t at = 0;
    if (!who || who->kind != CALLER_BOX || version_of(req->user_agent, version) < 0)
        return 0;
    int rc = store_box_reported(req->store, who->box_id, stored, &at);
    if (rc == 0 && strcmp(stored, version) == 0 && at <= req->now &&
        req->now - at < REPORT_REFRESH_S)
        return 0;
    struct report_job j = { .box_id = who->box_id, .version = version, .at = req->now };
    if (rc == 0)
        rc = store_write(req->store, report_run, &j);
    if (rc < 0)
        log_warn("box %lld: its version report not recorded (%d)", (long long)who->box_id, rc);
    else if (strcmp(stored, version) != 0)
        log_info("box %lld runs %s", (long long)who->box_id, version);
    return rc;
}
