/* GET and HEAD /dashboard/...: the township dashboard's files (HTML, CSS, JavaScript modules)
 * from the repository's server/web/ as they are (no build step), and ECharts from the npm
 * install's node_modules. Public (the login page must load); the data behind them needs a
 * session. Every reply carries a Content-Security-Policy without inline script
 * (dashboard_headers, added by the HTTP layer). */
#ifndef DJTV_DASHBOARD_H
#define DJTV_DASHBOARD_H

struct MHD_Response;

#define DASHBOARD_PREFIX "/dashboard"
/* The CSP of every dashboard page: scripts only from our origin, as modules; no framing. */
#define DASHBOARD_CSP                                                                        \
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "              \
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; "     \
    "form-action 'self'; frame-ancestors 'none'"

struct dashboard_request {
    const char *root;         /* borrowed: the dashboard's folder (server/web) */
    const char *node_modules; /* borrowed: the npm install's node_modules folder */
    const char *method;       /* borrowed: GET or HEAD */
    const char *rel;          /* borrowed: the decoded path below /dashboard/ ("" = the page),
                               * or NULL for "/dashboard" itself */
    const char *if_modified_since; /* borrowed: the header, or NULL */
};

/* Build the reply: 0 with *RESP (owned by the caller) and *STATUS (200; 304 when the file's
 * Last-Modified equals If-Modified-Since, so ECharts' megabyte is fetched once; or 301 from
 * "/dashboard" to "/dashboard/"), or a negative errno for a JSON error: -EOPNOTSUPP not
 * GET/HEAD, -EINVAL a path that is not a plain relative file name, -ENOENT no such file (or
 * outside the folder, or of a type we do not serve). */
int dashboard_serve(const struct dashboard_request *req, struct MHD_Response **resp,
                    unsigned *status);
/* Add the headers every dashboard reply carries besides nosniff (CSP, no framing, no
 * referrer); the HTTP layer adds them to every reply of the dashboard's routes, errors too. */
void dashboard_headers(struct MHD_Response *r);

#endif
