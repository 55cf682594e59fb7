/* The routes that are not api/ handlers, beside the API tables in one router (http/router.h):
 * who may ask, which methods, how much body, metered or not, and who answers. The API's own
 * routes come from api_route_tables (api/api.h) with their access levels; they take 64 KiB of
 * body and count against the per-token rate limit. */
#include "http/router.h"
#include "live/live.h"
#include "upload/upload.h"

const struct route http_routes[] = {
    /* Any caller's event stream; a stream is one request, so it counts once. HEAD would
     * open a stream with no body: refused. */
    { "GET", "/api/v1/events", ACCESS_SIGNED_IN, SERVE_EVENTS, ROUTE_NO_HEAD, 0, NULL },
    /* Players fetch a playlist and a segment every second or so: not metered. */
    { "GET", "/media/{path*}", ACCESS_SIGNED_IN, SERVE_MEDIA, ROUTE_UNMETERED, 0, NULL },
    /* The publisher, with its key (checked by live/): the last segment number the server
     * has, so a restarted djtv-cast goes on after it. Before the files' route: it wins. */
    { "GET", "/live/{id}/publisher", ACCESS_PUBLISHER, SERVE_PUBLISHER, ROUTE_UNMETERED, 0, NULL },
    { "GET", "/live/{id}/{file*}", ACCESS_SIGNED_IN, SERVE_LIVE, ROUTE_UNMETERED, 0, NULL },
    /* The publisher: its key is checked by live/, with a rate limit per broadcast. */
    { "PUT", "/live/{id}/{file*}", ACCESS_PUBLISHER, SERVE_PUBLISH, ROUTE_UNMETERED,
      LIVE_SEGMENT_MAX, NULL },
    { "POST", "/live/{id}/{file*}", ACCESS_PUBLISHER, SERVE_PUBLISH, ROUTE_UNMETERED,
      LIVE_SEGMENT_MAX, NULL },
    /* Staff's video or poster: the handler (the job is the caller's township's, waiting, and
     * the Content-Length within its announced size) decides before the body is read, which then
     * streams to the job's file, never past the announced size nor this bound. */
    { "PUT", "/api/v1/staff/uploads/{id}/file", ACCESS_STAFF, SERVE_UPLOAD, 0, UPLOAD_FILE_MAX,
      &api_staff_upload_file_route },
    /* The dashboard's files: public (the login page must load); the data needs a session. */
    { "GET", "/dashboard", ACCESS_PUBLIC, SERVE_DASHBOARD, ROUTE_PAGE, 0, NULL },
    { "GET", "/dashboard/{file*}", ACCESS_PUBLIC, SERVE_DASHBOARD, ROUTE_PAGE, 0, NULL },
    { NULL, NULL, ACCESS_PUBLIC, SERVE_API, 0, 0, NULL },
};
