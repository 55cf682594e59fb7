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

int sq_attempt_add(struct store_tx *tx, const struct store_attempt *a, int64_t *id)
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
