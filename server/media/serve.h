/* GET and HEAD /media/PATH: the files of the media root (HLS playlists and segments, images)
 * for a set-top box or a signed-in person (Authorization: Bearer), with single byte ranges. */
#ifndef DJTV_MEDIA_SERVE_H
#define DJTV_MEDIA_SERVE_H

#include <time.h>

struct MHD_Response;
struct store;

#define MEDIA_SERVE_PREFIX "/media/"

struct media_request {
    const char *root;          /* borrowed: the media root folder */
    const char *method;        /* borrowed */
    const char *path;          /* borrowed: the decoded URL path, starting with /media/ */
    const char *authorization; /* borrowed: the Authorization header or NULL */
    const char *range;         /* borrowed: the Range header or NULL */
    struct store *store;       /* borrowed: for the token */
    time_t now;
};

/* 1 when REL is a plain relative file path: segments of letters, digits, '.', '_', '-', none
 * empty or starting with '.', no trailing slash. Also used for the dashboard's files. */
int media_path_ok(const char *rel);
/* Open ROOT/REL (REL checked by media_path_ok) as a regular file whose real path lies inside
 * ROOT's: 0 with *FD (owned by the caller) and *ST, or -ENOENT. */
struct stat;
int media_open_inside(const char *root, const char *rel, int *fd, struct stat *st);

/* 1 when PATH is one for media_serve. */
int media_serve_match(const char *path);

/* Build the reply: 0 with *RESP (owned by the caller) and *STATUS (200, 206 or 416), or a
 * negative errno for a JSON error: -EOPNOTSUPP not GET/HEAD, -EACCES/-EKEYEXPIRED no valid
 * token, -EINVAL a path that is not a plain relative file name, -ENOENT no such file (also
 * outside the root through a symbolic link, or of a type we do not serve). */
int media_serve(const struct media_request *req, struct MHD_Response **resp, unsigned *status);

#endif
