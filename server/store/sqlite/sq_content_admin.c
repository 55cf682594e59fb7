/* SQL of content administration and import (migration 3): find an item by the importer's
 * source key, overwrite or delete an item. These writes are rare (an admin, an import run),
 * so their statements are prepared per call rather than kept in the statement cache. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_BY_SOURCE[] = "SELECT id FROM content WHERE source_key = ?1";
static const char SQL_ORG[] = "SELECT org_id FROM content WHERE id = ?1";
static const char SQL_REPLACE[] =
    "UPDATE content SET org_id = ?2, section = ?3, kind = ?4, title = ?5, body = ?6,"
    " published_at = ?7 WHERE id = ?1";
/* The extras a kind may carry; questionnaires and quizzes are not written by the admin or the
 * importer and stay. */
static const char *const SQL_DROP_EXTRAS[] = {
    "DELETE FROM ledger_lines WHERE content_id = ?1",
    "DELETE FROM disclosure_rows WHERE content_id = ?1",
    "DELETE FROM courses WHERE content_id = ?1",
    "DELETE FROM pioneers WHERE content_id = ?1",
};
static const char SQL_SET_SOURCE[] = "UPDATE content SET source_key = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM content WHERE id = ?1";

/* Borrow a read connection and prepare SQL on it: 0 (the caller finalizes *ST and releases
 * *C), or a negative errno (logged with WHAT) with nothing held. */
static int read_prepare(struct sq_store *q, const char *sql, const char *what,
                        struct sq_conn **c, sqlite3_stmt **st)
{
    int rc = sq_read_acquire(q, c);
    if (rc < 0)
        return rc;
    rc = sqlite3_prepare_v2((*c)->db, sql, -1, st, NULL);
    if (rc == SQLITE_OK)
        return 0;
    rc = sq_fail(*c, rc, what);
    sqlite3_finalize(*st);
    sq_read_release(q, *c);
    return rc;
}

/* One row's first column as an integer, on a read connection: 0, -ENOENT or negative errno. */
static int read_int64(struct store *s, const char *sql, const char *text, int64_t id,
                      int64_t *out, const char *what)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    int rc = read_prepare(q, sql, what, &c, &st);
    if (rc < 0)
        return rc;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = sq_row(c, st, what);
    if (rc == 1) {
        *out = sqlite3_column_int64(st, 0);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sqlite3_finalize(st);
    sq_read_release(q, c);
    return rc;
}

int sq_content_by_source(struct store *s, const char *key, int64_t *id)
{
    return read_int64(s, SQL_BY_SOURCE, key, 0, id, "content by source");
}

int sq_content_org(struct store *s, int64_t id, int64_t *org_id)
{
    return read_int64(s, SQL_ORG, NULL, id, org_id, "content org");
}

/* Prepare SQL on the transaction's connection (finalize it after use), or NULL (logged). */
static sqlite3_stmt *tx_prepare(struct store_tx *tx, const char *sql, const char *what)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(w->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        sq_fail(w, rc, what);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Run SQL with ID as ?1. CHANGE: -ENOENT when no row changed. */
static int exec_id(struct store_tx *tx, const char *sql, int64_t id, int change,
                   const char *what)
{
    sqlite3_stmt *st = tx_prepare(tx, sql, what);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = change ? sq_tx_change(tx, st, what) : sq_tx_insert(tx, st, what, NULL);
    sqlite3_finalize(st);
    return rc;
}

int sq_content_replace(struct store_tx *tx, int64_t id, const struct store_content_new *c)
{
    sqlite3_stmt *st = tx_prepare(tx, SQL_REPLACE, "content replace");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, c->org_id);
    sq_bind_str(st, 3, c->section);
    sq_bind_str(st, 4, c->kind);
    sq_bind_str(st, 5, c->title);
    sq_bind_str(st, 6, c->body);
    int rc = sq_bind_when(st, 7, c->published_at);
    if (rc == 0)
        rc = sq_tx_change(tx, st, "content replace");
    sqlite3_finalize(st);
    for (size_t i = 0; rc == 0 && i < sizeof(SQL_DROP_EXTRAS) / sizeof(SQL_DROP_EXTRAS[0]); i++)
        rc = exec_id(tx, SQL_DROP_EXTRAS[i], id, 0, "content extras drop");
    return rc;
}

int sq_content_set_source(struct store_tx *tx, int64_t id, const char *key)
{
    sqlite3_stmt *st = tx_prepare(tx, SQL_SET_SOURCE, "content source");
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    sq_bind_str(st, 2, key);
    int rc = sq_tx_change(tx, st, "content source");
    sqlite3_finalize(st);
    return rc;
}

int sq_content_delete(struct store_tx *tx, int64_t id)
{
    return exec_id(tx, SQL_DELETE, id, 1, "content delete");
}

/* Up to two matches, so that "the only one" can tell none, one and several apart. */
static const char SQL_ORG_FIND[] =
    "SELECT id, parent_id, kind, name FROM orgs"
    " WHERE ((?1 = 0 AND parent_id IS NULL) OR parent_id = ?1) AND (?2 IS NULL OR name = ?2)"
    " ORDER BY id LIMIT 2";

int sq_org_find(struct store *s, int64_t parent_id, const char *name, struct store_org *out)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    sqlite3_stmt *st = NULL;
    int rc = read_prepare(q, SQL_ORG_FIND, "org find", &c, &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, parent_id);
    sq_bind_text(st, 2, name);
    int found = 0;
    rc = 0;
    while (rc == 0) {
        int row = sq_row(c, st, "org find");
        if (row <= 0) {
            rc = row;
            break;
        }
        if (++found > 1) {
            rc = -EEXIST;
            break;
        }
        out->id = sqlite3_column_int64(st, 0);
        out->parent_id = sqlite3_column_int64(st, 1);
        sq_column_copy(st, 2, out->kind, sizeof(out->kind));
        sq_column_copy(st, 3, out->name, sizeof(out->name));
    }
    if (rc == 0 && found == 0)
        rc = -ENOENT;
    sqlite3_finalize(st);
    sq_read_release(q, c);
    return rc;
}
