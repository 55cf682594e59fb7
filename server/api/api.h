/* Handlers of the HTTP API. They know nothing of HTTP: a handler gets who is calling and a
 * request (method, path parameters, body, store, clock) and fills a JSON reply, returning 0 or a
 * negative errno. http/adapter.c maps those errors to HTTP statuses:
 *   -EINVAL, -EBADMSG 400 bad_request   -EACCES 401 unauthorized   -EPERM 403 forbidden
 *   -ENOENT 404 not_found   -EOPNOTSUPP 405 method_not_allowed   -EEXIST 409 conflict
 *   -E2BIG, -EMSGSIZE 413 too_large   -EBUSY, -EAGAIN 503 unavailable   others 500 internal
 *   -EKEYEXPIRED 401 session_expired   -EDQUOT 429 rate_limited (Retry-After)
 * A handler may explain an error with api_fail(), which puts {"message": ...} in *out. */
#ifndef DJTV_API_H
#define DJTV_API_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth/auth.h"
#include "store/store.h"
#include "util/ratelimit.h"

struct store;
struct events;

enum { API_MAX_PARAMS = 4, API_PARAM_MAX = 64, API_MAX_QUERY = 8 };

/* One `key=value` of the query string, percent-decoded (the HTTP layer decodes). */
struct api_query_arg {
    const char *key;   /* borrowed */
    const char *value; /* borrowed; "" for a bare `key` */
};

struct ratelimit;
/* Request limits (util/ratelimit.h), in tokens per second and burst. */
struct api_limits {
    struct ratelimit *buckets;       /* borrowed: the shared table */
    struct ratelimit_rule per_token; /* every request of a box token or login session */
    struct ratelimit_rule login_user;   /* failed logins per username */
    struct ratelimit_rule login_source; /* failed logins per client address */
    int streams_per_token;              /* open event streams per box or session; 0 = no cap */
};

/* A value taken from a `{name}` segment of the route's path pattern. */
struct api_param {
    const char *name; /* borrowed from the pattern; not NUL-terminated at name_len */
    size_t name_len;
    char value[API_PARAM_MAX];
};

/* A reply that is not JSON (a CSV export), made by api_reply_raw. */
struct api_raw {
    char *body; /* owned (malloc) */
    size_t len;
    char type[64];         /* its Content-Type */
    char disposition[128]; /* its Content-Disposition; "" = none */
};

/* The browser side of a request (the dashboard's cookie session, http/websession.h). */
struct api_web {
    char csrf[AUTH_CSRF_HEX];   /* in: the session's CSRF token when the request came with the
                                 * session cookie, else "" */
    char token[AUTH_TOKEN_HEX]; /* out: a new session token to hand the browser as its cookie */
    int clear;                  /* out: delete the browser's session cookie */
};

/* Uploads (api/staff_uploads.c): the upload jobs, and for the file PUT (a SERVE_UPLOAD route,
 * http/router.h) the HTTP layer's side of the file it streams the body to once the handler
 * opened it (upload/upload.h). */
struct uploads;
struct api_upload {
    struct uploads *uploads; /* borrowed: the upload jobs; NULL = no uploads on this server */
    long long length;        /* the announced Content-Length; -1 = none (chunked) */
    int fd;                  /* out: where the HTTP layer writes the body; -1 = nowhere */
    int64_t id;              /* out: the upload job the body is for */
};

struct api_request {
    const char *method; /* borrowed: "GET", "POST", ... */
    const char *path;   /* borrowed: decoded path, no query */
    const char *body;   /* borrowed: NUL-terminated, NULL when there is none */
    size_t body_len;
    struct api_param params[API_MAX_PARAMS];
    int n_params;
    struct store *store; /* borrowed */
    time_t now;          /* the request's clock, so replies are testable */
    struct events *events; /* borrowed: where handlers publish (events/events.h); may be NULL */
    struct api_deferred *defer; /* borrowed: where api_defer parks a write; NULL = run it now */
    struct api_query_arg query[API_MAX_QUERY]; /* the query string's arguments, in order */
    int n_query;
    int query_overflow;               /* there were more than API_MAX_QUERY (a 400) */
    const char *client_addr;          /* borrowed: the client's IP address as text, or NULL */
    const char *user_agent;           /* borrowed: the User-Agent header, or NULL */
    const struct api_limits *limits;  /* borrowed: rate limits; NULL = none */
    struct api_raw *raw; /* borrowed: where api_reply_raw puts a non-JSON reply; NULL = none */
    struct api_web *web; /* borrowed: cookie session in and out; NULL = no browser here */
    struct api_upload *upload; /* borrowed: uploads (above); NULL = none */
};

typedef int (*api_handler_fn)(const struct caller *who, const struct api_request *req,
                              cJSON **out);

/* ---- deferred writes (the hot writes: check-ins, heartbeats) ----
 * Instead of blocking an HTTP thread until the commit, a handler checks what it can, fills a
 * struct api_deferred and returns api_defer(req, &d, out). The HTTP layer then parks the
 * connection, the store's writer thread runs RUN in its next batch (store_submit), and after
 * the COMMIT, REPLY turns RUN's result (or the commit's error) into the handler's usual
 * return value and *out, on an HTTP thread; FREE (may be NULL) then frees ARG. The 2xx is sent
 * only after the commit returned. Where nothing can park (req->defer NULL: handler unit tests,
 * shutdown), api_defer does the same steps at once, so replies are identical either way. */
typedef int (*api_reply_fn)(void *arg, int rc, cJSON **out);
struct api_deferred {
    store_job_fn run;     /* on the writer thread, in the batch's transaction */
    api_reply_fn reply;   /* after the commit: returns 0 / negative errno, fills *out */
    void (*free)(void *arg);
    void *arg;            /* owned by the deferred write from api_defer on (FREE frees it) */
};
/* What a handler returns when api_defer parked its write (never an HTTP status). */
enum { API_DEFERRED = 0x7defe44 };
/* Park D (see above), or run it now. Returns API_DEFERRED or the reply's result. ARG is freed
 * with D->free in every case, also when D is invalid (-EINVAL). */
int api_defer(const struct api_request *req, const struct api_deferred *d, cJSON **out);
/* Finish a parked write: REPLY with RC, then FREE. Returns the reply's result. */
int api_deferred_finish(const struct api_deferred *d, int rc, cJSON **out);

struct api_route {
    const char *method;  /* "GET", ... (HEAD is served by GET routes) */
    const char *pattern; /* "/api/v1/things/{id}": literal segments and {name} segments */
    enum auth_access access;
    api_handler_fn handler;
};

/* Each module's route table, terminated by an entry with method NULL. */
extern const struct api_route api_health_routes[];
extern const struct api_route api_home_routes[];
extern const struct api_route api_session_routes[]; /* session.c: log in and out */
extern const struct api_route api_pin_routes[];     /* pin_session.c: a cadre's PIN on the TV */
extern const struct api_route api_content_routes[];  /* content.c: sections, items, courses */
extern const struct api_route api_resume_routes[];   /* resume.c */
extern const struct api_route api_live_routes[];     /* live.c: broadcasts, heartbeats */
extern const struct api_route api_rollcall_routes[]; /* rollcall.c: status, check-in */
extern const struct api_route api_cadre_routes[];    /* cadre.c: broadcasts, roll calls */
extern const struct api_route api_request_routes[];  /* requests.c: one-key service */
extern const struct api_route api_form_routes[];     /* forms.c: questionnaires, quizzes */
extern const struct api_route api_record_routes[];   /* record.c: attendance, credits */
extern const struct api_route api_study_routes[];    /* study.c: course completed credits */
extern const struct api_route api_desk_routes[];     /* desk.c: the service desk */
extern const struct api_route api_duty_routes[];     /* duty.c: duty checks */
extern const struct api_route api_staff_routes[];    /* staff.c: roll-call attendance */
extern const struct api_route api_duty_plan_routes[]; /* duty_plans.c: random checks ahead */
extern const struct api_route api_staff_live_routes[]; /* staff_live.c: live broadcasts */
extern const struct api_route api_overview_routes[]; /* overview.c: boxes, questionnaire results */
extern const struct api_route api_admin_routes[];   /* admin.c: content create/update/delete */
extern const struct api_route api_staff_course_routes[]; /* staff_courses.c: course + quiz */
extern const struct api_route api_guest_routes[];   /* guest.c: a member away from home */
extern const struct api_route api_staff_upload_routes[]; /* staff_uploads.c: video, poster */
/* staff_uploads.c: PUT .../uploads/{id}/file, declared in http/routes.c (its body goes to disk) */
extern const struct api_route api_staff_upload_file_route;
/* All route tables, NULL-terminated: what the server registers. */
extern const struct api_route *const api_route_tables[];

/* Set *out to {"message": MESSAGE} (best effort) and return RC, for a handler's error path. */
int api_fail(cJSON **out, int rc, const char *message);
/* The same with an error code of the handler's own (snake_case, instead of the status's). */
int api_fail_code(cJSON **out, int rc, const char *code, const char *message);
/* 0 when MEMBER_ID belongs to WHO's household (WHO a box; the member into *M unless M is NULL),
 * else 403 not_household_member with WHY as the message — an unknown member too, so a box
 * cannot probe other households — or a store error. */
struct store_member;
int api_household_member(const struct caller *who, const struct api_request *req,
                         int64_t member_id, const char *why, struct store_member *m,
                         cJSON **out);
/* The `{NAME}` parameter as a positive integer id. -ENOENT if absent, -EINVAL if not an id. */
int api_param_id(const struct api_request *req, const char *name, int64_t *out);
/* The title of a service-request category key (requests.c), or NULL for an unknown key. */
const char *api_request_category_title(const char *key);
/* Reply with BODY (LEN bytes, owned: taken in every case) of content type TYPE instead of JSON,
 * with a Content-Disposition DISPOSITION unless NULL; the handler then returns 0 and leaves
 * *out NULL. -ENOSYS when REQ cannot carry one (req->raw NULL), -EINVAL when a header value is
 * too long or holds a control character. */
int api_reply_raw(const struct api_request *req, char *body, size_t len, const char *type,
                  const char *disposition);
/* Parse the request body as a JSON object into *json (owned by the caller). -EBADMSG if it is
 * not JSON, -EINVAL if it is not an object or there is no body. */
int api_body_json(const struct api_request *req, cJSON **json);

int api_health(const struct caller *who, const struct api_request *req, cJSON **out);
int api_home(const struct caller *who, const struct api_request *req, cJSON **out);

#endif
