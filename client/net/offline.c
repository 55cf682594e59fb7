#define LOG_TAG "offline"
#include "net/offline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "log.h"

enum { BUSY_TIMEOUT_MS = 2000 };

struct offline {
    sqlite3 *db; /* owned */
    int64_t cache_max;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS cache ("
    "  path TEXT PRIMARY KEY,"
    "  body BLOB NOT NULL,"
    "  fetched_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX IF NOT EXISTS cache_age ON cache(fetched_at);"
    "CREATE TABLE IF NOT EXISTS outbox ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  method TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  body TEXT,"
    "  idem_key TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  attempts INTEGER NOT NULL DEFAULT 0"
    ");";

static int fail_db(struct offline *o, const char *what)
{
    log_warn("%s: %s", what, sqlite3_errmsg(o->db));
    return -EIO;
}

int offline_open(const char *dir, size_t cache_max, struct offline **out, char *err,
                 size_t errlen)
{
    *out = NULL;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        int e = errno;
        snprintf(err, errlen, "cannot make the data directory %s: %s", dir, strerror(e));
        return -e;
    }
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/offline.db", dir) >= (int)sizeof(path)) {
        snprintf(err, errlen, "data directory path too long");
        return -ENAMETOOLONG;
    }
    struct offline *o = calloc(1, sizeof(*o));
    if (!o)
        return -ENOMEM;
    o->cache_max = cache_max ? (int64_t)cache_max : OFFLINE_DEFAULT_CACHE_MAX;
    int rc = sqlite3_open_v2(path, &o->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path,
                 o->db ? sqlite3_errmsg(o->db) : sqlite3_errstr(rc));
        sqlite3_close(o->db);
        free(o);
        return -EIO;
    }
    sqlite3_busy_timeout(o->db, BUSY_TIMEOUT_MS);
    /* WAL: a commit is atomic; FULL (the outbox) also fsyncs the log before it returns. */
    char *msg = NULL;
    rc = sqlite3_exec(o->db,
                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                      "PRAGMA foreign_keys=ON;",
                      NULL, NULL, &msg);
    if (rc == SQLITE_OK) {
        /* journal_mode answers with the mode it got: anything but WAL is not what we rely on. */
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(o->db, "PRAGMA journal_mode", -1, &st, NULL);
        if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
            strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0)
            rc = SQLITE_CANTOPEN;
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(o->db, SCHEMA, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        sqlite3_close(o->db);
        free(o);
        return -EIO;
    }
    *out = o;
    return 0;
}

void offline_close(struct offline *o)
{
    if (!o)
        return;
    sqlite3_close(o->db);
    free(o);
}

/* FULL around an outbox change, NORMAL for the cache (see offline.h). */
static void set_sync(struct offline *o, int full)
{
    if (sqlite3_exec(o->db, full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
                     NULL, NULL, NULL) != SQLITE_OK)
        fail_db(o, "synchronous");
}

static sqlite3_stmt *prepare(struct offline *o, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(o->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail_db(o, "prepare");
        return NULL;
    }
    return st;
}

/* Run a statement that returns no rows; finalises it. */
static int run(struct offline *o, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail_db(o, what);
}

int64_t offline_cache_bytes(struct offline *o)
{
    sqlite3_stmt *st = prepare(o, "SELECT COALESCE(SUM(length(body)), 0) FROM cache");
    if (!st)
        return -EIO;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -EIO;
    sqlite3_finalize(st);
    return n;
}

/* Drop the oldest copies until the cache fits (a copy bigger than the whole cache goes too). */
static int trim(struct offline *o)
{
    for (;;) {
        int64_t bytes = offline_cache_bytes(o);
        if (bytes < 0)
            return (int)bytes;
        if (bytes <= o->cache_max)
            return 0;
        sqlite3_stmt *st = prepare(o, "DELETE FROM cache WHERE path ="
                                      " (SELECT path FROM cache ORDER BY fetched_at, rowid LIMIT 1)");
        if (!st)
            return -EIO;
        int rc = run(o, st, "cache trim");
        if (rc < 0)
            return rc;
        if (sqlite3_changes(o->db) == 0)
            return 0;
    }
}

int offline_cache_put(struct offline *o, const char *path, const char *body, size_t len,
                      time_t at)
{
    if ((int64_t)len > o->cache_max)
        return 0; /* never fits: keep the older copies instead */
    sqlite3_stmt *st = prepare(o, "INSERT INTO cache (path, body, fetched_at) VALUES (?1, ?2, ?3)"
                                  " ON CONFLICT(path) DO UPDATE SET body = excluded.body,"
                                  " fetched_at = excluded.fetched_at");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, body, len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
    set_sync(o, 0);
    int rc = run(o, st, "cache put");
    if (rc == 0)
        rc = trim(o);
    set_sync(o, 1);
    return rc;
}

int offline_cache_get(struct offline *o, const char *path, char **body, size_t *len, time_t *at)
{
    *body = NULL;
    sqlite3_stmt *st = prepare(o, "SELECT body, fetched_at FROM cache WHERE path = ?1");
    if (!st)
        return -EIO;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *p = sqlite3_column_blob(st, 0);
        *body = malloc((size_t)n + 1);
        if (!*body) {
            sqlite3_finalize(st);
            return -ENOMEM;
        }
        if (n > 0)
            memcpy(*body, p, (size_t)n);
        (*body)[n] = '\0';
        *len = (size_t)n;
        *at = (time_t)sqlite3_column_int64(st, 1);
        rc = 1;
    } else {
        rc = rc == SQLITE_DONE ? 0 : fail_db(o, "cache get");
    }
    sqlite3_finalize(st);
    return rc;
}

static int new_key(char out[OFFLINE_KEY_LEN + 1])
{
    unsigned char raw[OFFLINE_KEY_LEN / 2];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        return -EIO;
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

/* BODY with "idempotency_key": KEY added (owned), or NULL. */
static char *body_with_key(const char *body, const char *key)
{
    cJSON *j = cJSON_Parse(body ? body : "{}");
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return NULL;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(j, "idempotency_key");
    char *s = NULL;
    if (cJSON_AddStringToObject(j, "idempotency_key", key))
        s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}

int offline_outbox_add(struct offline *o, const char *method, const char *path, const char *body,
                       int key_in_body, time_t at, int64_t *id, char *key_out)
{
    int waiting = offline_outbox_count(o);
    if (waiting < 0)
        return waiting;
    if (waiting >= OFFLINE_OUTBOX_MAX)
        return -ENOSPC;
    char key[OFFLINE_KEY_LEN + 1];
    if (new_key(key) < 0)
        return -EIO;
    char *keyed = NULL;
    if (key_in_body) {
        keyed = body_with_key(body, key);
        if (!keyed)
            return -EINVAL;
        body = keyed;
    }
    int rc = -EIO;
    sqlite3_stmt *st = prepare(o, "INSERT INTO outbox (method, path, body, idem_key, created_at)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (st) {
        sqlite3_bind_text(st, 1, method, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
        if (body)
            sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)at);
        rc = run(o, st, "outbox add");
    }
    free(keyed);
    if (rc < 0)
        return rc;
    *id = sqlite3_last_insert_rowid(o->db);
    if (key_out)
        memcpy(key_out, key, sizeof(key));
    return 0;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return s ? strdup((const char *)s) : NULL;
}

int offline_outbox_first(struct offline *o, struct outbox_entry *e)
{
    memset(e, 0, sizeof(*e));
    sqlite3_stmt *st = prepare(o, "SELECT id, method, path, body, idem_key, created_at, attempts"
                                  " FROM outbox ORDER BY id LIMIT 1");
    if (!st)
        return -EIO;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        e->id = sqlite3_column_int64(st, 0);
        snprintf(e->method, sizeof(e->method), "%s", (const char *)sqlite3_column_text(st, 1));
        e->path = column_dup(st, 2);
        e->body = column_dup(st, 3);
        snprintf(e->key, sizeof(e->key), "%s", (const char *)sqlite3_column_text(st, 4));
        e->created_at = (time_t)sqlite3_column_int64(st, 5);
        e->attempts = sqlite3_column_int(st, 6);
        rc = e->path && (e->body || sqlite3_column_type(st, 3) == SQLITE_NULL) ? 1 : -ENOMEM;
        if (rc < 0)
            outbox_entry_fini(e);
    } else {
        rc = rc == SQLITE_DONE ? 0 : fail_db(o, "outbox first");
    }
    sqlite3_finalize(st);
    return rc;
}

static int by_id(struct offline *o, const char *sql, int64_t id, const char *what)
{
    sqlite3_stmt *st = prepare(o, sql);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    return run(o, st, what);
}

int offline_outbox_done(struct offline *o, int64_t id)
{
    return by_id(o, "DELETE FROM outbox WHERE id = ?1", id, "outbox done");
}

int offline_outbox_failed(struct offline *o, int64_t id)
{
    return by_id(o, "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1", id,
                 "outbox failed");
}

int offline_outbox_count(struct offline *o)
{
    sqlite3_stmt *st = prepare(o, "SELECT count(*) FROM outbox");
    if (!st)
        return -EIO;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -EIO;
    sqlite3_finalize(st);
    return n;
}

void outbox_entry_fini(struct outbox_entry *e)
{
    free(e->path);
    free(e->body);
    e->path = e->body = NULL;
}
