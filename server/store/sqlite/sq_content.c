/* SQL of the content table: items of the home screen's sections. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* published_at is fixed-width ISO 8601 UTC text, so text comparison is time comparison. */
static const char SQL_COUNTS[] =
    "SELECT section, count(*) FROM content"
    " WHERE org_id IN (?1, ?2) AND published_at <= ?3"
    " GROUP BY section ORDER BY section";
/* Lists and details carry a course's poster and length or a pioneer's photo. */
#define ITEM_COLUMNS                                                                           \
    "SELECT c.id, c.org_id, c.section, c.kind, c.title, o.name, c.published_at,"             \
    " COALESCE(k.poster, p.photo), COALESCE(k.duration_s, 0), c.body, k.category"             \
    " FROM content c JOIN orgs o ON o.id = c.org_id"                                           \
    " LEFT JOIN courses k ON k.content_id = c.id"                                              \
    " LEFT JOIN pioneers p ON p.content_id = c.id"
static const char SQL_LIST[] = ITEM_COLUMNS
    " WHERE c.org_id IN (?1, ?2) AND c.section = ?3 AND c.published_at <= ?4"
    " ORDER BY c.published_at DESC, c.id DESC LIMIT ?5 OFFSET ?6";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM content"
    " WHERE org_id IN (?1, ?2) AND section = ?3 AND published_at <= ?4";
/* The courses of one category (?7) of a section (the 党教园地 grid's category buttons). */
static const char SQL_LIST_CATEGORY[] = ITEM_COLUMNS
    " WHERE c.org_id IN (?1, ?2) AND c.section = ?3 AND c.published_at <= ?4 AND k.category = ?7"
    " ORDER BY c.published_at DESC, c.id DESC LIMIT ?5 OFFSET ?6";
static const char SQL_COUNT_CATEGORY[] =
    "SELECT count(*) FROM content c JOIN courses k ON k.content_id = c.id"
    " WHERE c.org_id IN (?1, ?2) AND c.section = ?3 AND c.published_at <= ?4 AND k.category = ?5";
static const char SQL_GET[] = ITEM_COLUMNS
    " WHERE c.id = ?1 AND c.org_id IN (?2, ?3) AND c.published_at <= ?4";
static const char SQL_ADD[] =
    "INSERT INTO content (org_id, section, kind, title, body, published_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

int sq_content_count_by_section(struct store *s, const struct store_scope *scope, time_t now,
                                struct store_count *out, int max, int *n)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    *n = 0;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = sq_stmt(c, SQ_CONTENT_COUNTS, SQL_COUNTS);
    if (!st) {
        rc = -EIO;
        goto out;
    }
    sqlite3_bind_int64(st, 1, scope->village_id);
    sqlite3_bind_int64(st, 2, scope->township_id);
    rc = sq_bind_time(st, 3, now);
    if (rc != SQLITE_OK) {
        rc = sq_fail(c, rc, "content counts bind");
        sq_stmt_done(st);
        goto out;
    }
    for (;;) {
        int step = sqlite3_step(st);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = sq_fail(c, step, "content counts");
            break;
        }
        if (*n == max)
            break;
        sq_column_copy(st, 0, out[*n].key, sizeof(out[*n].key));
        out[*n].count = sqlite3_column_int(st, 1);
        (*n)++;
    }
    sq_stmt_done(st);
out:
    sq_read_release(q, c);
    return rc;
}

int sq_content_add(struct store_tx *tx, const struct store_content_new *item, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_CONTENT_ADD, SQL_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, item->org_id);
    sqlite3_bind_text(st, 2, item->section, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, item->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, item->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, item->body, -1, SQLITE_STATIC);
    int rc = sq_bind_time(st, 6, item->published_at);
    if (rc != SQLITE_OK || item->published_at == 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    rc = sq_step_done(w, st, "content add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

static void item_row(sqlite3_stmt *st, struct store_item *it)
{
    it->id = sqlite3_column_int64(st, 0);
    it->org_id = sqlite3_column_int64(st, 1);
    sq_column_copy(st, 2, it->section, sizeof(it->section));
    sq_column_copy(st, 3, it->kind, sizeof(it->kind));
    sq_column_copy(st, 4, it->title, sizeof(it->title));
    sq_column_copy(st, 5, it->scope_name, sizeof(it->scope_name));
    it->published_at = sq_column_time(st, 6);
    sq_column_copy(st, 7, it->picture, sizeof(it->picture));
    it->duration_s = sqlite3_column_int(st, 8);
    sq_column_copy(st, 10, it->category, sizeof(it->category));
    it->body = NULL;
}

/* Bind scope, section and time of the list and count statements. */
static int bind_list(sqlite3_stmt *st, const struct store_scope *scope, const char *section,
                     time_t now)
{
    sqlite3_bind_int64(st, 1, scope->village_id);
    sqlite3_bind_int64(st, 2, scope->township_id);
    sq_bind_str(st, 3, section);
    return sq_bind_when(st, 4, now);
}

int sq_item_list(struct store *s, const struct store_scope *scope, const char *section,
                 const char *category, time_t now, int offset, int limit,
                 struct store_item *out, int *n, int *total)
{
    struct sq_read r;
    *n = 0;
    *total = 0;
    int rc = category ? sq_read_begin(s, SQ_CONTENT_COUNT_CATEGORY, SQL_COUNT_CATEGORY, &r)
                      : sq_read_begin(s, SQ_CONTENT_COUNT, SQL_COUNT, &r);
    if (rc < 0)
        return rc;
    rc = bind_list(r.st, scope, section, now);
    if (category)
        sq_bind_str(r.st, 5, category);
    if (rc == 0)
        rc = sq_row(r.c, r.st, "content count");
    if (rc == 1) {
        *total = sqlite3_column_int(r.st, 0);
        rc = 0;
    }
    sq_read_end(&r);
    if (rc < 0 || *total == 0 || offset >= *total || limit == 0)
        return rc;
    rc = category ? sq_read_begin(s, SQ_CONTENT_LIST_CATEGORY, SQL_LIST_CATEGORY, &r)
                  : sq_read_begin(s, SQ_CONTENT_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    rc = bind_list(r.st, scope, section, now);
    sqlite3_bind_int(r.st, 5, limit);
    sqlite3_bind_int(r.st, 6, offset);
    if (category)
        sq_bind_str(r.st, 7, category);
    while (rc == 0 && *n < limit) {
        int row = sq_row(r.c, r.st, "content list");
        if (row <= 0) {
            rc = row;
            break;
        }
        item_row(r.st, &out[(*n)++]);
    }
    sq_read_end(&r);
    return rc;
}

int sq_item_get(struct store *s, const struct store_scope *scope, time_t now, int64_t id,
                struct store_item *out)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_CONTENT_GET, SQL_GET, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, id);
    sqlite3_bind_int64(r.st, 2, scope->village_id);
    sqlite3_bind_int64(r.st, 3, scope->township_id);
    rc = sq_bind_when(r.st, 4, now);
    if (rc == 0)
        rc = sq_row(r.c, r.st, "content get");
    if (rc == 1) {
        item_row(r.st, out);
        const char *body = (const char *)sqlite3_column_text(r.st, 9);
        out->body = strdup(body ? body : "");
        rc = out->body ? 0 : -ENOMEM;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}
