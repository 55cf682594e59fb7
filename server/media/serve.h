/* GET and HEAD /media/PATH (and /live/{id}/NAME, the media root's live/{id}/NAME): the files of
 * the media root (HLS playlists and segments, images), with single byte ranges. Who may read
 * them is the router's business (http/routes.c: any signed-in caller). */
#ifndef DJTV_MEDIA_SERVE_H
#define DJTV_MEDIA_SERVE_H

struct MHD_Connection;
struct MHD_Response;
struct segcache;

struct media_request {
    const char *root;   /* borrowed: the media root folder; NULL = none (all is 404) */
    const char *method; /* borrowed: GET or HEAD */
    const char *rel;    /* borrowed: the decoded path below the root, unchecked */
    const char *range;  /* borrowed: the Range header or NULL */
    struct MHD_Connection *conn; /* borrowed: where a segment from the cache is queued */
    struct segcache *cache;      /* borrowed: segments kept in memory (segcache.h); may be NULL */
};

/* 1 when REL is a plain relative file path: segments of letters, digits, '.', '_', '-', none
 * empty or starting with '.', no trailing slash. Also used for the dashboard's files. */
int media_path_ok(const char *rel);
/* Open ROOT/REL (REL checked by media_path_ok) as a regular file whose real path lies inside
 * ROOT's: 0 with *FD (owned by the caller) and *ST, or -ENOENT. */
struct stat;
int media_open_inside(const char *root, const char *rel, int *fd, struct stat *st);

/* Build the reply: 0 with *RESP (owned by the caller) and *STATUS (200, 206 or 416); 0 with
 * *RESP NULL and *STATUS 200 when a whole segment was queued on CONN from the cache; or a
 * negative errno for a JSON error: -EOPNOTSUPP not GET/HEAD, -EINVAL a path that is not a plain
 * relative file name, -ENOENT no such file (also outside the root through a symbolic link, or
 * of a type we do not serve). */
int media_serve(const struct media_request *req, struct MHD_Response **resp, unsigned *status);

#endif
