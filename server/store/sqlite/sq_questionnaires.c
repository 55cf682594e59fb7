/* SQL of the questionnaires table and of the answers to them: ballots (anonymous: who has
 * voted, as a salted hash, nothing else), responses and response_choices (named). The answers
 * of an anonymous questionnaire are only the vote counters of its options (sq_questions.c). */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdio.h>

#include "log.h"

static const char SQL_SET[] =
    "INSERT INTO questionnaires (content_id, anonymous, ballot_salt) VALUES (?1, ?2, ?3)";
static const char SQL_GET[] =
    "SELECT anonymous, ballot_salt FROM questionnaires WHERE content_id = ?1";
static const char SQL_BALLOT_ADD[] =
    "INSERT INTO ballots (content_id, voter_hash) VALUES (?1, ?2)";
static const char SQL_RESPONSE_ADD[] =
    "INSERT INTO responses (content_id, member_id, box_id, submitted_at)"
    " VALUES (?1, ?2, ?3, ?4)";
static const char SQL_BALLOT_EXISTS[] =
    "SELECT 1 FROM ballots WHERE content_id = ?1 AND voter_hash = ?2";
static const char SQL_RESPONSE_EXISTS[] =
    "SELECT 1 FROM responses WHERE content_id = ?1 AND member_id = ?2";
static const char SQL_CHOICE_ADD[] =
    "INSERT INTO response_choices (response_id, option_id) VALUES (?1, ?2)";

int sq_questionnaire_set(struct store_tx *tx, int64_t content_id, int anonymous,
                         const char *ballot_salt_hex)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_QUESTIONNAIRE_SET, SQL_SET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sqlite3_bind_int(st, 2, anonymous ? 1 : 0);
    sq_bind_text(st, 3, ballot_salt_hex);
    return sq_tx_insert(tx, st, "questionnaire set", NULL);
}

int sq_questionnaire_read(struct sq_conn *c, int64_t content_id, struct store_form *out)
{
    sqlite3_stmt *st = sq_stmt(c, SQ_QUESTIONNAIRE_GET, SQL_GET);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    int rc = sq_row(c, st, "questionnaire get");
    if (rc == 1) {
        snprintf(out->type, sizeof(out->type), "questionnaire");
        out->anonymous = sqlite3_column_int(st, 0);
        sq_column_copy(st, 1, out->ballot_salt, sizeof(out->ballot_salt));
        out->pass_mark = 0;
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_stmt_done(st);
    return rc;
}

int sq_ballot_add(struct store_tx *tx, int64_t content_id, const char *voter_hash_hex)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_BALLOT_ADD, SQL_BALLOT_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sq_bind_str(st, 2, voter_hash_hex);
    return sq_tx_insert(tx, st, "ballot add", NULL);
}

int sq_response_add(struct store_tx *tx, int64_t content_id, int64_t member_id, int64_t box_id,
                    time_t at, int64_t *id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_RESPONSE_ADD, SQL_RESPONSE_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, content_id);
    sqlite3_bind_int64(st, 2, member_id);
    sqlite3_bind_int64(st, 3, box_id);
    if (sq_bind_when(st, 4, at) < 0) {
        sq_stmt_done(st);
        return -EINVAL;
    }
    return sq_tx_insert(tx, st, "response add", id);
}

int sq_response_choice_add(struct store_tx *tx, int64_t response_id, int64_t option_id)
{
    sqlite3_stmt *st = sq_tx_stmt(tx, SQ_CHOICE_ADD, SQL_CHOICE_ADD);
    if (!st)
        return -EIO;
    sqlite3_bind_int64(st, 1, response_id);
    sqlite3_bind_int64(st, 2, option_id);
    return sq_tx_insert(tx, st, "response choice add", NULL);
}

int sq_form_answered(struct store *s, int64_t content_id, int64_t member_id,
                     const char *voter_hash_hex, int *answered)
{
    struct sq_read r;
    *answered = 0;
    int rc = voter_hash_hex
                 ? sq_read_begin(s, SQ_BALLOT_EXISTS, SQL_BALLOT_EXISTS, &r)
                 : sq_read_begin(s, SQ_RESPONSE_EXISTS, SQL_RESPONSE_EXISTS, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, content_id);
    if (voter_hash_hex)
        sq_bind_str(r.st, 2, voter_hash_hex);
    else
        sqlite3_bind_int64(r.st, 2, member_id);
    rc = sq_row(r.c, r.st, "form answered");
    if (rc >= 0) {
        *answered = rc;
        rc = 0;
    }
    sq_read_end(&r);
    return rc;
}
