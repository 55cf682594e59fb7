/* SQL of the township dashboard's overviews: a township's boxes with their last heartbeat, and
 * its questionnaires with how many have answered (counting ballots or responses, never reading
 * who cast an anonymous one). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

enum { BOXES_MAX = 100000, FORMS_MAX = 10000 };

/* Times are ISO 8601 UTC text of one width, so max() of text is the later time. */
static const char SQL_BOXES[] =
    "SELECT b.id, h.id, v.id, h.name, v.name, COALESCE(b.label, ''), b.revoked,"
    " max(COALESCE((SELECT max(hb.last_at) FROM heartbeats hb WHERE hb.box_id = b.id), ''),"
    "     COALESCE(b.reported_at, '')),"
    " COALESCE(b.software_version, '')"
    " FROM boxes b JOIN households h ON h.id = b.household_id"
    " JOIN orgs v ON v.id = h.village_id"
    " WHERE v.parent_id = ?1 AND (?2 = 0 OR b.id = ?2)"
    " ORDER BY v.id, h.id, b.id";

static const char SQL_FORMS[] =
    "SELECT c.id, c.org_id, c.title, o.name, q.anonymous, c.published_at,"
    " CASE WHEN q.anonymous"
    "  THEN (SELECT count(*) FROM ballots bl WHERE bl.content_id = c.id)"
    "  ELSE (SELECT count(*) FROM responses r WHERE r.content_id = c.id) END"
    " FROM questionnaires q JOIN content c ON c.id = q.content_id"
    " JOIN orgs o ON o.id = c.org_id"
    " WHERE o.id = ?1 OR o.parent_id = ?1"
    " ORDER BY c.published_at DESC, c.id DESC";

static const char SQL_WATCHING[] =
    "SELECT h.village_id, count(DISTINCT h.id) FROM heartbeats hb"
    " JOIN boxes b ON b.id = hb.box_id AND b.revoked = 0"
    " JOIN households h ON h.id = b.household_id"
    " WHERE hb.broadcast_id = ?1 AND hb.last_at >= ?2"
    " GROUP BY h.village_id ORDER BY h.village_id";

static void box_row(sqlite3_stmt *st, void *out)
{
    struct store_box_row *b = out;
    b->id = sqlite3_column_int64(st, 0);
    b->household_id = sqlite3_column_int64(st, 1);
    b->village_id = sqlite3_column_int64(st, 2);
    sq_column_copy(st, 3, b->household, sizeof(b->household));
    sq_column_copy(st, 4, b->village, sizeof(b->village));
    sq_column_copy(st, 5, b->label, sizeof(b->label));
    b->revoked = sqlite3_column_int(st, 6);
    b->last_seen = sq_column_time(st, 7); /* 0 for "" (never) */
    sq_column_copy(st, 8, b->version, sizeof(b->version));
}

static const char SQL_REPORTED[] =
    "SELECT COALESCE(software_version, ''), reported_at FROM boxes WHERE id = ?1";
static const char SQL_REPORT[] =
    "UPDATE boxes SET software_version = ?2, reported_at = ?3 WHERE id = ?1";

struct reported {
    char *version; /* STORE_VERSION_MAX bytes */
    time_t at;
};

static void reported_row(sqlite3_stmt *st, void *out)
{
    struct reported *r = out;
    sq_column_copy(st, 0, r->version, STORE_VERSION_MAX);
    r->at = sq_column_time(st, 1);
}

int sq_box_reported(struct store *s, int64_t box_id, char *version, time_t *at)
{
    struct reported r = { .version = version };
    int rc = sq_read_by_id(s, SQ_BOX_REPORTED, SQL_REPORTED, box_id, reported_row, &r,
                           "box reported");
    *at = rc == 0 ? r.at : 0;
    return rc;
}

int sq_box_report(struct store_tx *tx, int64_t box_id, const char *version, time_t at)
{
    struct sq_conn *w = sq_tx_conn(tx);
    sqlite3_stmt *st = sq_stmt(w, SQ_BOX_REPORT, SQL_REPORT);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, box_id);
    sq_bind_text(st, 2, version);
    if (sq_bind_time(st, 3, at) != SQLITE_OK) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    int rc = sq_step_done(w, st, "box report");
    if (rc == 0 && sqlite3_changes(w->db) == 0)
        rc = -ENOENT;
    return rc;
}

int sq_box_list(struct store *s, int64_t township_id, int64_t box_id, struct store_box_row **out,
                int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_BOX_LIST, SQL_BOXES, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    sqlite3_bind_int64(r.st, 2, box_id);
    rc = sq_read_all(&r, box_row, sizeof(**out), BOXES_MAX, (void **)out, n, "box list");
    sq_read_end(&r);
    return rc;
}

static void form_row(sqlite3_stmt *st, void *out)
{
    struct store_form_summary *f = out;
    f->content_id = sqlite3_column_int64(st, 0);
    f->org_id = sqlite3_column_int64(st, 1);
    sq_column_copy(st, 2, f->title, sizeof(f->title));
    sq_column_copy(st, 3, f->scope, sizeof(f->scope));
    f->anonymous = sqlite3_column_int(st, 4);
    f->published_at = sq_column_time(st, 5);
    f->respondents = sqlite3_column_int(st, 6);
}

int sq_form_summaries(struct store *s, int64_t township_id, struct store_form_summary **out,
                      int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_FORM_SUMMARIES, SQL_FORMS, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, township_id);
    rc = sq_read_all(&r, form_row, sizeof(**out), FORMS_MAX, (void **)out, n, "form summaries");
    sq_read_end(&r);
    return rc;
}

static void watching_row(sqlite3_stmt *st, void *out)
{
    struct store_watching *w = out;
    w->village_id = sqlite3_column_int64(st, 0);
    w->households = sqlite3_column_int(st, 1);
}

int sq_broadcast_watching(struct store *s, int64_t broadcast_id, time_t since,
                          struct store_watching **out, int *n)
{
    struct sq_read r;
    int rc = sq_read_begin(s, SQ_WATCHING, SQL_WATCHING, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, broadcast_id);
    if (sq_bind_when(r.st, 2, since) < 0) {
        sq_read_end(&r);
        return -EINVAL;
    }
    rc = sq_read_all(&r, watching_row, sizeof(**out), BOXES_MAX, (void **)out, n, "watching");
    sq_read_end(&r);
    return rc;
}
