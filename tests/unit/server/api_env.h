/* Calling routes through the real adapter (routing, auth, handler, JSON) without sockets, on
 * the people fixture. A path may carry "?a=1&b=2": it is split into query arguments the way
 * the HTTP layer hands them over (no percent-decoding needed in tests). */
#ifndef DJTV_API_ENV_H
#define DJTV_API_ENV_H

#include <sqlite3.h>

#include "http/adapter.h"
#include "http/router.h"
#include "people_fixture.h"

struct api_env {
    struct fixture f;
    struct people p;
    struct router *r;
    struct events *events; /* borrowed: set by a test that listens; NULL otherwise */
    int status;            /* of the last call */
    int retry_after;
};

static inline int api_env_open(struct api_env *e)
{
    memset(e, 0, sizeof(*e));
    if (people_open(&e->f, &e->p) < 0)
        return -1;
    return router_create(api_route_tables, &e->r) < 0 ? -1 : 0;
}

static inline void api_env_close(struct api_env *e)
{
    router_destroy(e->r);
    fixture_close(&e->f);
}

/* METHOD PATH?QUERY with bearer TOKEN (NULL = none) and BODY (NULL = none) at time NOW.
 * Returns the parsed reply (caller frees); e->status holds the status. */
static inline cJSON *api_call(struct api_env *e, const char *method, const char *target,
                              const char *token, const char *body, time_t now)
{
    char path[512], auth[128];
    struct adapter_input in = { .method = method, .path = path, .body = body,
                                .body_len = body ? strlen(body) : 0, .now = now,
                                .events = e->events };
    snprintf(path, sizeof(path), "%s", target);
    char *q = strchr(path, '?');
    if (q) {
        *q++ = '\0';
        while (q && *q) {
            char *amp = strchr(q, '&');
            if (amp)
                *amp = '\0';
            char *eq = strchr(q, '=');
            if (eq)
                *eq = '\0';
            adapter_query_add(&in, q, eq ? eq + 1 : NULL);
            q = amp ? amp + 1 : NULL;
        }
    }
    if (token) {
        snprintf(auth, sizeof(auth), "Bearer %s", token);
        in.authorization = auth;
    }
    struct adapter_output out;
    adapter_dispatch(e->r, e->f.s, &in, &out);
    e->status = out.status;
    e->retry_after = out.retry_after;
    cJSON *j = out.body ? cJSON_ParseWithLength(out.body, out.body_len) : NULL;
    adapter_output_fini(&out);
    return j;
}

/* The same, keeping only the status. */
static inline int api_status(struct api_env *e, const char *method, const char *target,
                             const char *token, const char *body, time_t now)
{
    cJSON_Delete(api_call(e, method, target, token, body, now));
    return e->status;
}

static inline const char *jstr(const cJSON *j, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, key));
}

static inline double jnum(const cJSON *j, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static inline const cJSON *jget(const cJSON *j, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(j, key);
}

/* Run SQL returning one integer on the fixture's database file (a separate connection). */
static inline long long db_int(struct api_env *e, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open_v2(e->f.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

#endif
