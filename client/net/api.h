/* Typed calls to the DJTV server API and the models they parse into.
 * Parsing is pure (no I/O) so it is tested on JSON strings. */
#ifndef DJTV_API_H
#define DJTV_API_H

#include <stdint.h>

#include "net/net.h"

/* Request kinds, passed through net_request() to tell results apart. */
enum api_kind {
    API_HOME = 1,
    API_RESUME_GET,
    API_RESUME_PUT,
    API_HEARTBEAT,
    API_SECTION_ITEMS, /* GET /api/v1/sections/{key}/items (net/catalogue.h parses it) */
    API_ITEM,          /* GET /api/v1/items/{id} */
    API_ROLLCALLS,     /* GET /api/v1/rollcalls/current (net/rollcall.h) */
    API_CHECKIN,       /* POST /api/v1/rollcalls/{id}/checkins */
    API_BROADCASTS,    /* GET /api/v1/broadcasts */
    API_REQ_CATEGORIES, /* GET /api/v1/requests/categories (net/service.h) */
    API_REQ_CREATE,    /* POST /api/v1/requests */
    API_REQ_LIST,      /* GET /api/v1/requests */
    API_REQ_GET,       /* GET /api/v1/requests/{id} */
    API_SECTION_CATEGORIES, /* GET /api/v1/sections/{key}/categories (net/catalogue.h) */
};

enum { API_NAME_MAX = 96, API_TITLE_MAX = 192, API_SECTIONS = 6 };
/* Sanity caps: a reply with more entries is rejected as malformed. */
enum { API_MEMBERS_MAX = 64, API_LIVE_MAX = 32 };
/* A resume position beyond this (seconds) is nonsense. */
enum { API_RESUME_MAX_S = 48 * 3600 };

struct home_section {
    char key[32];               /* "affairs", "live", "study", "video", "pioneers", "evaluation" */
    char title[API_NAME_MAX];   /* e.g. "党务公开" */
    int count;
};

struct home_member {
    int64_t id;
    char name[API_NAME_MAX];
    int birth_year; /* 0 when the server does not know it (null) */
    char photo[256]; /* the member's photo, a /media/ path; "" when none */
};

struct home_live {
    int64_t id;
    char title[API_TITLE_MAX];
    char scope[API_NAME_MAX]; /* who it is for: the village's or the township's name */
};

struct home_model {
    char township[API_NAME_MAX];
    char village[API_NAME_MAX];
    char household[API_NAME_MAX];
    struct home_section sections[API_SECTIONS]; /* in the order the server gives */
    int n_sections;
    struct home_member *members; /* owned, n_members entries */
    int n_members;
    struct home_live *live;      /* owned, n_live entries: broadcasts live now */
    int n_live;
    char server_time[32];        /* as sent, e.g. "2026-11-23T10:00:00Z"; "" when absent */
};

/* GET /api/v1/home. Returns the serial or a negative errno. */
int64_t api_fetch_home(struct net *n);

/* Resume positions, per household: GET /api/v1/resume/{item_id} and PUT the same path with
 * {"position_ms": N}. Returns the serial or a negative errno (-EINVAL for a bad id). */
int64_t api_resume_get(struct net *n, int64_t item_id);
int64_t api_resume_put(struct net *n, int64_t item_id, double position_s);
/* The playback heartbeat of a live broadcast: POST /api/v1/broadcasts/{id}/heartbeat. */
int64_t api_broadcast_heartbeat(struct net *n, int64_t broadcast_id);
/* The catalogue (replies parsed by net/catalogue.h): one page of a home section's items
 * (key: [a-z0-9_]+; page >= 1; per_page 1..50), and one item with its body, ledger, course …
 * Return the serial or a negative errno (-EINVAL for bad arguments). */
int64_t api_section_items(struct net *n, const char *key, int page, int per_page);
/* The same page with only the courses of CATEGORY (NULL or "" = every item). */
int64_t api_section_items_in(struct net *n, const char *key, const char *category, int page,
                             int per_page);
/* A section's course categories with their counts. */
int64_t api_section_categories(struct net *n, const char *key);
int64_t api_item_get(struct net *n, int64_t item_id);
/* Parse a resume reply: {"position_ms": N} (or {"position_s": N}); more fields are ignored.
 * Returns 0 with the position in seconds (0 = never watched), or -EINVAL (reason in err). */
int api_parse_resume(const char *json, double *position_s, char *err, size_t errlen);

/* Parse a /api/v1/home body. Returns 0, or -EINVAL with a reason in err (English). Strict:
 * missing required fields or wrong types are errors, as are invalid UTF-8, negative counts,
 * more than API_SECTIONS sections or a duplicate section key. Text longer than its field
 * is cut on a UTF-8 character boundary. Unknown fields are ignored. err may be NULL.
 * On error *out holds nothing to free. */
int api_parse_home(const char *json, struct home_model *out, char *err, size_t errlen);
/* Frees the owned arrays and leaves *m empty; NULL is a no-op. */
void home_model_free(struct home_model *m);

#endif
