/* Serving imported media. A path is taken apart segment by segment (letters, digits, '.', '_',
 * '-', no segment starting with '.', so no "..", no hidden staging folder), then the file's real
 * path must still lie inside the root's real path (no symbolic link out), and it is opened
 * without following a final link. The body is sent from the file descriptor by libmicrohttpd
 * (sendfile where TLS allows; GnuTLS here, so read + encrypt), one byte range at most. */
#define LOG_TAG "media"
#include "media/serve.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "media/segcache.h"

enum { REL_MAX = 1024 };

static const struct {
    const char *ext;
    const char *type;
    const char *cache;
} TYPES[] = {
    { ".m3u8", "application/vnd.apple.mpegurl", "private, no-cache" },
    { ".ts", "video/mp2t", "private, max-age=3600" },
    { ".jpg", "image/jpeg", "private, max-age=3600" },
    { ".jpeg", "image/jpeg", "private, max-age=3600" },
    { ".png", "image/png", "private, max-age=3600" },
};

/* Every segment of REL is a plain name: no empty, "." or ".." segment, nothing hidden. */
int media_path_ok(const char *rel)
{
    size_t len = strlen(rel);
    if (len == 0 || len > REL_MAX)
        return 0;
    const char *p = rel;
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 0 || p[0] == '.')
            return 0;
        for (size_t i = 0; i < n; i++) {
            char c = p[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-'))
                return 0;
        }
        p += n;
        if (*p == '/' && p[1] == '\0')
            return 0; /* a trailing slash: a folder */
        if (*p == '/')
            p++;
    }
    return 1;
}

static int type_of(const char *rel)
{
    size_t n = strlen(rel);
    for (size_t i = 0; i < sizeof(TYPES) / sizeof(TYPES[0]); i++) {
        size_t e = strlen(TYPES[i].ext);
        if (n > e && strcmp(rel + n - e, TYPES[i].ext) == 0)
            return (int)i;
    }
    return -1;
}

/* Open ROOT/REL as a regular file that lies inside ROOT once links are resolved. */
int media_open_inside(const char *root, const char *rel, int *fd, struct stat *st)
{
    char path[PATH_MAX], real_root[PATH_MAX], real[PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= sizeof(path))
        return -ENOENT;
    if (!realpath(root, real_root) || !realpath(path, real))
        return -ENOENT;
    size_t rl = strlen(real_root);
    if (strncmp(real, real_root, rl) != 0 || real[rl] != '/') {
        log_warn("refused a path that leads out of its root folder");
        return -ENOENT;
    }
    *fd = open(real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0)
        return -ENOENT;
    if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(*fd);
        *fd = -1;
        return -ENOENT;
    }
    return 0;
}

/* One "bytes=A-B", "bytes=A-" or "bytes=-N" range of a SIZE-byte file. 1 and [*off, *len) when
 * it is one satisfiable range, 0 to serve the whole file (no header, a form we ignore), -1 when
 * it cannot be satisfied (416). */
static int parse_range(const char *h, off_t size, off_t *off, off_t *len)
{
    if (!h || strncmp(h, "bytes=", 6) != 0 || strchr(h, ','))
        return 0;
    const char *p = h + 6;
    char *end = NULL;
    long long a = -1, b = -1;
    if (*p == '-') {
        errno = 0;
        long long suffix = strtoll(p + 1, &end, 10);
        if (errno || end == p + 1 || *end || suffix < 0)
            return 0;
        if (suffix == 0 || size == 0)
            return -1;
        a = suffix >= size ? 0 : size - suffix;
        b = size - 1;
    } else {
        errno = 0;
        a = strtoll(p, &end, 10);
        if (errno || end == p || *end != '-' || a < 0)
            return 0;
        p = end + 1;
        if (*p) {
            b = strtoll(p, &end, 10);
            if (errno || end == p || *end || b < a)
                return 0;
        }
        if (a >= size)
            return -1;
        if (b < 0 || b >= size)
            b = size - 1;
    }
    *off = (off_t)a;
    *len = (off_t)(b - a + 1);
    return 1;
}

static void header(struct MHD_Response *r, const char *name, const char *value)
{
    if (MHD_add_response_header(r, name, value) != MHD_YES)
        log_warn("could not add header %s", name);
}

/* The headers of a whole file of type *ARG (an index into TYPES) kept in the segment cache:
 * set once, so they include what the HTTP layer adds to every other reply. */
static void cached_headers(struct MHD_Response *r, void *arg)
{
    int t = *(const int *)arg;
    header(r, MHD_HTTP_HEADER_CONTENT_TYPE, TYPES[t].type);
    header(r, MHD_HTTP_HEADER_CACHE_CONTROL, TYPES[t].cache);
    header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    header(r, "X-Content-Type-Options", "nosniff");
}

int media_serve(const struct media_request *req, struct MHD_Response **resp, unsigned *status)
{
    *resp = NULL;
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
        return -EOPNOTSUPP;
    const char *rel = req->rel;
    if (!rel || !media_path_ok(rel))
        return -EINVAL;
    int t = type_of(rel);
    if (t < 0 || !req->root)
        return -ENOENT;
    int fd = -1;
    struct stat st;
    int rc = media_open_inside(req->root, rel, &fd, &st);
    if (rc < 0)
        return rc;
    off_t off = 0, len = st.st_size;
    int ranged = parse_range(req->range, st.st_size, &off, &len);
    char cr[96];
    if (ranged < 0) {
        close(fd);
        *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        if (!*resp)
            return -ENOMEM;
        snprintf(cr, sizeof(cr), "bytes */%lld", (long long)st.st_size);
        header(*resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        *status = MHD_HTTP_RANGE_NOT_SATISFIABLE;
        return 0;
    }
    /* A whole segment: from memory, one response for every box (segcache.h). */
    if (ranged == 0 && req->cache && req->conn && strcmp(TYPES[t].ext, ".ts") == 0) {
        rc = segcache_queue(req->cache, req->conn, rel, fd, &st, cached_headers, &t);
        if (rc == 1) {
            close(fd);
            *status = MHD_HTTP_OK;
            return 0;
        }
        if (rc < 0)
            log_warn("segment cache: %s (served from the file)", strerror(-rc));
    }
    /* MHD owns FD from here (closed when the response is destroyed). */
    *resp = MHD_create_response_from_fd_at_offset64((uint64_t)len, fd, (uint64_t)off);
    if (!*resp) {
        close(fd);
        return -ENOMEM;
    }
    header(*resp, MHD_HTTP_HEADER_CONTENT_TYPE, TYPES[t].type);
    header(*resp, MHD_HTTP_HEADER_CACHE_CONTROL, TYPES[t].cache);
    header(*resp, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
    *status = MHD_HTTP_OK;
    if (ranged > 0) {
        snprintf(cr, sizeof(cr), "bytes %lld-%lld/%lld", (long long)off,
                 (long long)(off + len - 1), (long long)st.st_size);
        header(*resp, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
        *status = MHD_HTTP_PARTIAL_CONTENT;
    }
    return 0;
}
