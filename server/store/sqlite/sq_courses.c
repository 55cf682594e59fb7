/* SQL of the courses table: playable lessons and videos (category, poster, length, media). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_SET[] =
    "INSERT INTO courses (content_id, category, poster, duration_s, media_url)"
    " VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (content_id) DO UPDATE SET category = excluded.category,"
    " poster = excluded.poster, duration_s = excluded.duration_s,"
    " media_url = excluded.media_url";
#define COURSE_COLUMNS                                                                         \
    "SELECT c.id, c.title, k.category, k.poster, k.duration_s, k.media_url"                   \
    " FROM courses k JOIN content c ON c.id = k.content_id"
static const char SQL_GET[] = COURSE_COLUMNS " WHERE k.content_id = ?1";
static const char SQL_LIST[] = COURSE_COLUMNS
    " WHERE c.org_id IN (?1, ?2) AND c.published_at <= ?3"
    " ORDER BY k.category, c.published_at DESC, c.id DESC LIMIT ?4";
static const char SQL_LIST_CATEGORY[] = COURSE_COLUMNS
    " WHERE c.org_id IN (?1, ?2) AND c.published_at <= ?3 AND k.category = ?5"
    " ORDER BY c.published_at DESC, c.id DESC LIMIT ?4";

static const char SQL_CATEGORIES[] =
    "SELECT k.category, count(*) FROM content c JOIN courses k ON k.content_id = c.id"
    " WHERE c.org_id IN (?1, ?2) AND c.section = ?3 AND c.published_at <= ?4"
    " GROUP BY k.category ORDER BY k.category LIMIT ?5";

static void course_row(sqlite3_stmt *st, void *row)
{
    struct store_course *c = row;
    c->content_id = sqlite3_column_int64(st, 0);
    sq_column_copy(st, 1, c->title, sizeof(c->title));
    sq_column_copy(st, 2, c->category, sizeof(c->category));
    sq_column_copy(st, 3, c->poster, sizeof(c->poster));
    c->duration_s = sqlite3_column_int(st, 4);
    sq_column_copy(st, 5, c->media_url, sizeof(c->media_url));
}

int sq_course_set(struct store_tx *tx, const struct store_course *c)
{
    if (!c->category[0] || c->duration_s < 0)
        return -EINVAL;
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_COURSE_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, c->content_id);
    sq_bind_str(st, 2, c->category);
    sq_bind_text(st, 3, c->poster);
    sqlite3_bind_int(st, 4, c->duration_s);
    sq_bind_text(st, 5, c->media_url);
    return sq_tx_insert(tx, st, "course set", NULL);
}

int sq_course_get(struct store *s, int64_t content_id, struct store_course *out)
{
    return sq_read_by_id(s, SQ_COURSE_GET, SQL_GET, content_id, course_row, out, "course get");
}

int sq_course_list(struct store *s, const struct store_scope *scope, time_t now,
                   const char *category, struct store_course *out, int max, int *n)
{
    struct sq_read r;
    *n = 0;
    int rc = category ? sq_read_begin(s, SQ_COURSE_LIST_CATEGORY, SQL_LIST_CATEGORY, &r)
                      : sq_read_begin(s, SQ_COURSE_LIST, SQL_LIST, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, scope->village_id);
    sqlite3_bind_int64(r.st, 2, scope->township_id);
    rc = sq_bind_when(r.st, 3, now);
    sqlite3_bind_int(r.st, 4, max);
    if (category)
        sq_bind_str(r.st, 5, category);
    while (rc == 0 && *n < max) {
        int row = sq_row(r.c, r.st, "course list");
        if (row <= 0) {
            rc = row;
            break;
        }
        course_row(r.st, &out[(*n)++]);
    }
    sq_read_end(&r);
    return rc;
}

int sq_course_categories(struct store *s, const struct store_scope *scope, const char *section,
                         time_t now, struct store_category_count *out, int max, int *n)
{
    struct sq_read r;
    *n = 0;
    int rc = sq_read_begin(s, SQ_COURSE_CATEGORIES, SQL_CATEGORIES, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, scope->village_id);
    sqlite3_bind_int64(r.st, 2, scope->township_id);
    sq_bind_str(r.st, 3, section);
    rc = sq_bind_when(r.st, 4, now);
    sqlite3_bind_int(r.st, 5, max);
    while (rc == 0 && *n < max) {
        int row = sq_row(r.c, r.st, "course categories");
        if (row <= 0) {
            rc = row;
            break;
        }
        sq_column_copy(r.st, 0, out[*n].name, sizeof(out[*n].name));
        out[*n].count = sqlite3_column_int(r.st, 1);
        (*n)++;
    }
    sq_read_end(&r);
    return rc;
}
