#define LOG_TAG "web"
#include "http/dashboard.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "media/serve.h"

static const struct {
    const char *ext;
    const char *type;
} TYPES[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".ico", "image/x-icon" },
};

/* URL paths served from node_modules instead of the dashboard's folder. */
static const struct {
    const char *path;
    const char *file;
} VENDOR[] = {
    { "vendor/echarts.js", "echarts/dist/echarts.esm.min.js" },
};

static const char *type_of(const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++) {
        size_t e = strlen(TYPES[i].ext);
        if (n > e && strcmp(rel + n - e, TYPES[i].ext) == 0)
            return TYPES[i].type;
    }
    return NULL;
}

static void header(struct MHD_Response *r, const char *name, const char *value)
{
    if (MHD_add_response_header(r, name, value) != MHD_YES)
        log_warn("could not add header %s", name);
}

void dashboard_headers(struct MHD_Response *r)
{
    header(r, "Content-Security-Policy", DASHBOARD_CSP);
    header(r, "X-Frame-Options", "DENY");
    header(r, "Referrer-Policy", "no-referrer");
}

int dashboard_serve(const struct dashboard_request *req, struct MHD_Response **resp,
                    unsigned *status)
{
    *resp = NULL;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
        return -EOPNOTSUPP;
    const char *rel = req->rel;
    if (!rel) {
        /* The page's module paths are relative: it must be read from ".../dashboard/". */
        *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!*resp)
            return -ENOMEM;
        header(*resp, MHD_HTTP_HEADER_LOCATION, DASHBOARD_PREFIX "/");
        *status = MHD_HTTP_MOVED_PERMANENTLY;
        return 0;
    }
    if (*rel == '\0')
        rel = "index.html";
    const char *root = req->root;
    for (size_t i = 0; i < sizeof(VENDOR) / sizeof(VENDOR[0]); i++) {
        if (strcmp(rel, VENDOR[i].path) == 0) {
            root = req->node_modules;
            rel = VENDOR[i].file;
            break;
        }
    }
    if (!media_path_ok(rel))
        return -EINVAL;
    const char *type = type_of(rel);
    if (!type || !root)
        return -ENOENT;
    int fd = -1;
    struct stat st;
    int rc = media_open_inside(root, rel, &fd, &st);
    if (rc < 0)
        return rc;
    char modified[64] = "";
    struct tm tm;
    if (gmtime_r(&st.st_mtime, &tm))
        strftime(modified, sizeof(modified), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (modified[0] && req->if_modified_since && strcmp(req->if_modified_since, modified) == 0) {
        close(fd);
        *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!*resp)
            return -ENOMEM;
        *status = MHD_HTTP_NOT_MODIFIED;
    } else {
        /* MHD owns FD from here (closed when the response is destroyed). */
        *resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
        if (!*resp) {
            close(fd);
            return -ENOMEM;
        }
        *status = MHD_HTTP_OK;
    }
    if (modified[0])
        header(*resp, MHD_HTTP_HEADER_LAST_MODIFIED, modified);
    header(*resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    /* Files change with the repository: the browser asks again (cheap: they are small). */
    header(*resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return 0;
}
