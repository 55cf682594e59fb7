/* SQL of the quizzes table (quizzes and exams with a pass mark) and of quiz_attempts. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>

#include "log.h"

static const char SQL_SET[] =
    "INSERT INTO quizzes (content_id, kind, pass_mark, time_limit_s) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_GET[] =
    "SELECT kind, pass_mark, time_limit_s FROM quizzes WHERE content_id = ?1";
static const char SQL_ATTEMPT_ADD[] =
    "INSERT INTO quiz_attempts (content_id, member_id, box_id, score, correct, questions,"
    " passed, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_ATTEMPT_GET[] =
    "SELECT content_id, member_id, score, correct, questions, passed FROM quiz_attempts"
    " WHERE id = ?1";

int sq_quiz_set(struct store_tx *tx, int64_t content_id, const char *type, int pass_mark,
                   int time_limit_s)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_QUIZ_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sq_bind_str(st, 2, type);
    sqlite3_bind_int(st, 3, pass_mark);
    if (time_limit_s > 0)
        sqlite3_bind_int(st, 4, time_limit_s);
    else
        sqlite3_bind_null(st, 4);
    return sq_tx_insert(tx, st, "quiz set", NULL);
}

int sq_quiz_read(struct sq_conn *c, int64_t content_id, struct store_form *out)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_QUIZ_GET, SQL_GET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    int rc = sq_row(c, st, "quiz get");
    if (rc == 1) {
        sq_column_copy(st, 0, out->type, sizeof(out->type));
        out->pass_mark = sqlite3_column_int(st, 1);
        out->time_limit_s = sqlite3_column_int(st, 2); /* NULL reads 0: no limit */
        out->anonymous = 0;
        out->ballot_salt[0] = '\0';
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_stmt_done(st);
    return rc;
}

static int attempt_row(struct store_tx *tx, const struct store_attempt *a, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ATTEMPT_ADD, SQL_ATTEMPT_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, a->content_id);
    sqlite3_bind_int64(st, 2, a->member_id);
    sqlite3_bind_int64(st, 3, a->box_id);
    sqlite3_bind_int(st, 4, a->score);
    sqlite3_bind_int(st, 5, a->correct);
    sqlite3_bind_int(st, 6, a->questions);
    sqlite3_bind_int(st, 7, a->passed ? 1 : 0);
    if (sq_bind_when(st, 8, a->at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "attempt add", id);
}

/* The box sent attempt ID before under the key A carries: A gets its score (scored once), or
 * -EEXIST when that key named another quiz or member. */
static int attempt_first(struct store_tx *tx, int64_t id, struct store_attempt *a)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_ATTEMPT_GET, SQL_ATTEMPT_GET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, id);
    int rc = sq_row(sq_tx_conn(tx), st, "attempt get");
    if (rc == 0) {
        rc = -EEXIST; /* the key names a row that is gone (the quiz was deleted) */
    } else if (rc == 1) {
        if (sqlite3_column_int64(st, 0) != a->content_id ||
            sqlite3_column_int64(st, 1) != a->member_id) {
            rc = -EEXIST;
        } else {
            a->score = sqlite3_column_int(st, 2);
            a->correct = sqlite3_column_int(st, 3);
            a->questions = sqlite3_column_int(st, 4);
            a->passed = sqlite3_column_int(st, 5);
        }
    }
    sq_stmt_done(st);
    return rc;
}

int sq_attempt_add(struct store_tx *tx, struct store_attempt *a, int64_t *id)
{
    if (a->idempotency_key[0]) {
        int64_t first = 0;
        int rc = sq_idem_get(tx, a->box_id, a->household_id, "attempt", a->idempotency_key,
                             &first);
        if (rc == 1)
            rc = attempt_first(tx, first, a);
        if (rc == 1 && id)
            *id = first; /* a repeat: scored once, the first time */
        if (rc != 0)
            return rc;
    }
    int64_t new_id = 0;
    int rc = attempt_row(tx, a, &new_id);
    if (rc == 0 && a->idempotency_key[0])
        rc = sq_idem_add(tx, a->box_id, a->household_id, "attempt", a->idempotency_key, new_id);
    if (rc == 0 && id)
        *id = new_id;
    return rc;
}
