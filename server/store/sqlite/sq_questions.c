/* SQL of the questions and question_options tables, shared by questionnaires and quizzes, and
 * the reading of a whole form (header, questions, options). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum { QUESTIONS_MAX = 200, OPTIONS_MAX = 30 };

static const char SQL_QUESTION_ADD[] =
    "INSERT INTO questions (content_id, position, prompt, multiple) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_OPTION_ADD[] =
    "INSERT INTO question_options (question_id, position, label, correct)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_OPTION_VOTE[] =
    "UPDATE question_options SET votes = votes + 1 WHERE id = ?1";
static const char SQL_QUESTIONS[] =
    "SELECT id, position, prompt, multiple FROM questions WHERE content_id = ?1"
    " ORDER BY position";
static const char SQL_OPTIONS[] =
    "SELECT o.question_id, o.id, o.position, o.label, o.correct, o.votes"
    " FROM question_options o JOIN questions q ON q.id = o.question_id"
    " WHERE q.content_id = ?1 ORDER BY q.position, o.position";

int sq_question_add(struct store_tx *tx, int64_t content_id, int position, const char *prompt,
                    int multiple, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_QUESTION_ADD, SQL_QUESTION_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sqlite3_bind_int(st, 2, position);
    sq_bind_str(st, 3, prompt);
    sqlite3_bind_int(st, 4, multiple ? 1 : 0);
    return sq_tx_insert(tx, st, "question add", id);
}

int sq_option_add(struct store_tx *tx, int64_t question_id, int position, const char *label,
                  int correct, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_OPTION_ADD, SQL_OPTION_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, question_id);
    sqlite3_bind_int(st, 2, position);
    sq_bind_str(st, 3, label);
    sqlite3_bind_int(st, 4, correct ? 1 : 0);
    return sq_tx_insert(tx, st, "option add", id);
}

int sq_option_vote(struct store_tx *tx, int64_t option_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_OPTION_VOTE, SQL_OPTION_VOTE);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, option_id);
    return sq_tx_change(tx, st, "option vote");
}

static int read_questions(struct sq_conn *c, struct store_form *f)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_QUESTIONS, SQL_QUESTIONS);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, f->content_id);
    int rc = 0, cap = 0;
    for (;;) {
        int row = sq_row(c, st, "questions");
        if (row <= 0) {
            rc = row;
            break;
        }
        rc = sq_grow((void **)&f->questions, &cap, f->n_questions, sizeof(*f->questions),
                     QUESTIONS_MAX);
        if (rc < 0)
            break;
        struct store_question *q = &f->questions[f->n_questions++];
        memset(q, 0, sizeof(*q));
        q->id = sqlite3_column_int64(st, 0);
        q->position = sqlite3_column_int(st, 1);
        sq_column_copy(st, 2, q->prompt, sizeof(q->prompt));
        q->multiple = sqlite3_column_int(st, 3);
    }
    sq_stmt_done(st);
    return rc;
}

/* Options come ordered like the questions, so each goes to the current or a later question. */
static int read_options(struct sq_conn *c, struct store_form *f)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_OPTIONS, SQL_OPTIONS);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, f->content_id);
    int rc = 0, qi = 0, cap = 0;
    for (;;) {
        int row = sq_row(c, st, "options");
        if (row <= 0) {
            rc = row;
            break;
        }
        int64_t qid = sqlite3_column_int64(st, 0);
        while (qi < f->n_questions && f->questions[qi].id != qid) {
            qi++;
            cap = 0;
        }
        if (qi == f->n_questions) {
            rc = -EIO; /* an option of a question not read: cannot happen in one snapshot */
            break;
        }
        struct store_question *q = &f->questions[qi];
        if (cap < q->n_options)
            cap = q->n_options;
        rc = sq_grow((void **)&q->options, &cap, q->n_options, sizeof(*q->options),
                     OPTIONS_MAX);
        if (rc < 0)
            break;
        struct store_option *o = &q->options[q->n_options++];
        o->id = sqlite3_column_int64(st, 1);
        o->position = sqlite3_column_int(st, 2);
        sq_column_copy(st, 3, o->label, sizeof(o->label));
        o->correct = sqlite3_column_int(st, 4);
        o->votes = sqlite3_column_int(st, 5);
    }
    sq_stmt_done(st);
    return rc;
}

int sq_form_get(struct store *s, int64_t content_id, struct store_form *out)
{
    struct sq_store *q = sq_from(s);
    struct sq_conn *c = NULL;
    int rc = sq_read_acquire(q, &c);
    if (rc < 0)
        return rc;
    /* One read transaction, so the header, questions and options are one snapshot. */
    char *err = NULL;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, &err) != SQLITE_OK) {
        log_error("form read: %s", err ? err : "BEGIN failed");
        sqlite3_free(err);
        sq_read_release(q, c);
        return -EIO;
    }
    out->content_id = content_id;
    rc = sq_questionnaire_read(c, content_id, out);
    if (rc == -ENOENT)
        rc = sq_quiz_read(c, content_id, out);
    if (rc == 0)
        rc = read_questions(c, out);
    if (rc == 0)
        rc = read_options(c, out);
    sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
    sq_read_release(q, c);
    return rc;
}
