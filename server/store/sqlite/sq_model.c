/* The SQLite data-model table, and the helpers the per-table files share. */
#define LOG_TAG "store"
#include "store/sqlite/sq_model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

int sq_read_by_id(struct store *s, enum sq_stmt_id stmt, const char *sql, int64_t id,
                  sq_row_fn row, void *out, const char *what)
{
    struct sq_read r;
    int rc = sq_read_begin(s, stmt, sql, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, id);
    rc = sq_row(r.c, r.st, what);
    if (rc == 1) {
        row(r.st, out);
        rc = 0;
    } else if (rc == 0) {
        rc = -ENOENT;
    }
    sq_read_end(&r);
    return rc;
}

int sq_read_scope_list(struct store *s, enum sq_stmt_id stmt, const char *sql,
                       const struct store_scope *scope, sq_row_fn row, void *out, size_t size,
                       int max, int *n, const char *what)
{
    struct sq_read r;
    *n = 0;
    int rc = sq_read_begin(s, stmt, sql, &r);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(r.st, 1, scope->village_id);
    sqlite3_bind_int64(r.st, 2, scope->township_id);
    sqlite3_bind_int(r.st, 3, max);
    rc = sq_read_rows(&r, row, out, size, max, n, what);
    sq_read_end(&r);
    return rc;
}

int sq_read_rows(struct sq_read *r, sq_row_fn row, void *out, size_t size, int max, int *n,
                 const char *what)
{
    *n = 0;
    while (*n < max) {
        int got = sq_row(r->c, r->st, what);
        if (got <= 0)
            return got;
        row(r->st, (char *)out + (size_t)(*n)++ * size);
    }
    return 0;
}

int sq_read_all(struct sq_read *r, sq_row_fn row, size_t size, int max, void **out, int *n,
                const char *what)
{
    void *list = NULL;
    int cap = 0, count = 0, rc;
    for (;;) {
        rc = sq_row(r->c, r->st, what);
        if (rc <= 0)
            break;
        rc = sq_grow(&list, &cap, count, size, max);
        if (rc < 0)
            break;
        row(r->st, (char *)list + (size_t)count++ * size);
    }
    if (rc < 0) {
        free(list);
        return rc;
    }
    *out = list;
    *n = count;
    return 0;
}

int sq_read_begin(struct store *s, enum sq_stmt_id id, const char *sql, struct sq_read *r)
{
    memset(r, 0, sizeof(*r));
    r->q = sq_from(s);
    int rc = sq_read_acquire(r->q, &r->c);
    if (rc < 0) {
        r->c = NULL;
        return rc;
    }
    r->st = sq_stmt(r->c, id, sql);
    if (!r->st) {
        sq_read_release(r->q, r->c);
        r->c = NULL;
        return -EIO;
    }
    return 0;
}

void sq_read_end(struct sq_read *r)
{
    sq_stmt_done(r->st);
    if (r->c)
        sq_read_release(r->q, r->c);
    r->st = NULL;
    r->c = NULL;
}

int sq_row(struct sq_conn *c, sqlite3_stmt *st, const char *context)
{
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        return 1;
    if (step == SQLITE_DONE)
        return 0;
    return sq_fail(c, step, context);
}

sqlite3_stmt *sq_tx_stmt(struct store_tx *tx, enum sq_stmt_id id, const char *sql)
{
    return sq_stmt(sq_tx_conn(tx), id, sql);
}

int sq_tx_insert(struct store_tx *tx, sqlite3_stmt *st, const char *context, int64_t *id)
{
    struct sq_conn *w = sq_tx_conn(tx);
    int rc = sq_step_done(w, st, context);
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(w->db);
    return rc;
}

int sq_tx_change(struct store_tx *tx, sqlite3_stmt *st, const char *context)
{
    struct sq_conn *w = sq_tx_conn(tx);
    int rc = sq_step_done(w, st, context);
    if (rc == 0 && sqlite3_changes(w->db) == 0)
        rc = -ENOENT;
    return rc;
}

int sq_bind_str(sqlite3_stmt *st, int idx, const char *s)
{
    return sqlite3_bind_text(st, idx, s ? s : "", -1, SQLITE_STATIC);
}

int sq_bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
    return id > 0 ? sqlite3_bind_int64(st, idx, id) : sqlite3_bind_null(st, idx);
}

int sq_bind_when(sqlite3_stmt *st, int idx, time_t t)
{
    if (t == 0)
        return -EINVAL;
    return sq_bind_time(st, idx, t) == SQLITE_OK ? 0 : -EINVAL;
}

int sq_grow(void **arr, int *cap, int n, size_t elem, int max)
{
    if (n < *cap)
        return 0;
    if (n >= max)
        return -E2BIG;
    int ncap = *cap ? *cap * 2 : 8;
    if (ncap > max)
        ncap = max;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return -ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

const struct store_model_ops store_sqlite_model_ops = {
    .account_by_username = sq_account_by_username,
    .account_add = sq_account_add,
    .account_get = sq_account_get,
    .account_by_phone = sq_account_by_phone,
    .account_set_pin = sq_account_set_pin,
    .session_by_token_hash = sq_session_by_token_hash,
    .session_add = sq_session_add,
    .session_delete = sq_session_delete,
    .session_purge = sq_session_purge,
    .member_get = sq_member_get,
    .item_list = sq_item_list,
    .item_get = sq_item_get,
    .ledger_add = sq_ledger_add,
    .ledger_list = sq_ledger_list,
    .disclosure_row_add = sq_disclosure_row_add,
    .disclosure_rows = sq_disclosure_rows,
    .course_set = sq_course_set,
    .course_get = sq_course_get,
    .course_list = sq_course_list,
    .course_categories = sq_course_categories,
    .pioneer_set = sq_pioneer_set,
    .pioneer_get = sq_pioneer_get,
    .form_get = sq_form_get,
    .questionnaire_set = sq_questionnaire_set,
    .quiz_set = sq_quiz_set,
    .question_add = sq_question_add,
    .option_add = sq_option_add,
    .option_vote = sq_option_vote,
    .ballot_add = sq_ballot_add,
    .form_answered = sq_form_answered,
    .response_add = sq_response_add,
    .response_choice_add = sq_response_choice_add,
    .attempt_add = sq_attempt_add,
    .response_key = sq_response_key,
    .broadcast_get = sq_broadcast_get,
    .broadcast_list_scope = sq_broadcast_list_scope,
    .broadcast_list_township_live = sq_broadcast_list_township_live,
    .broadcast_start = sq_broadcast_start,
    .broadcast_end = sq_broadcast_end,
    .broadcast_list_past = sq_broadcast_list_past,
    .broadcast_set_recording = sq_broadcast_set_recording,
    .broadcast_set_multicast = sq_broadcast_set_multicast,
    .broadcast_set_replay_item = sq_broadcast_set_replay_item,
    .rollcall_open = sq_rollcall_open,
    .rollcall_close = sq_rollcall_close,
    .rollcall_get = sq_rollcall_get,
    .rollcall_state = sq_rollcall_state,
    .rollcall_list_open = sq_rollcall_list_open,
    .rollcall_open_ids = sq_rollcall_open_ids,
    .rollcall_roster = sq_rollcall_roster,
    .checkin_add = sq_checkin_add,
    .checkin_get = sq_checkin_get,
    .heartbeat_put = sq_heartbeat_put,
    .heartbeat_last = sq_heartbeat_last,
    .resume_get = sq_resume_get,
    .resume_put = sq_resume_put,
    .request_add = sq_request_add,
    .request_list_household = sq_request_list_household,
    .request_get = sq_request_get,
    .reply_add = sq_reply_add,
    .reply_list = sq_reply_list,
    .request_desk_list = sq_request_desk_list,
    .request_desk_get = sq_request_desk_get,
    .request_assign = sq_request_assign,
    .request_close = sq_request_close,
    .request_assignees = sq_request_assignees,
    .duty_plan_add = sq_duty_plan_add,
    .duty_plan_get = sq_duty_plan_get,
    .duty_plans = sq_duty_plans,
    .duty_plan_mark = sq_duty_plan_mark,
    .box_reported = sq_box_reported,
    .box_report = sq_box_report,
    .box_list = sq_box_list,
    .form_summaries = sq_form_summaries,
    .broadcast_watching = sq_broadcast_watching,
    .duty_add = sq_duty_add,
    .duty_answer = sq_duty_answer,
    .duty_get = sq_duty_get,
    .duty_list = sq_duty_list,
    .duty_open = sq_duty_open,
    .credit_add = sq_credit_add,
    .credit_list = sq_credit_list,
    .attendance_list = sq_attendance_list,
    .content_by_source = sq_content_by_source, /* sq_content_admin.c (migration 3) */
    .content_org = sq_content_org,
    .content_replace = sq_content_replace,
    .content_set_source = sq_content_set_source,
    .content_delete = sq_content_delete,
    .org_find = sq_org_find,
    .turnout_rollcalls = sq_turnout_rollcalls, /* sq_turnout.c */
    .turnout_villages = sq_turnout_villages,
    .turnout_members = sq_turnout_members,
    .turnout_trend = sq_turnout_trend,
    .guest_set = sq_guest_set, /* sq_guests.c (migration 9) */
    .guest_find = sq_guest_find,
    .guest_session_add = sq_guest_session_add,
    .guest_session_get = sq_guest_session_get,
    .upload_job_add = sq_upload_job_add, /* sq_upload_jobs.c (migration 12) */
    .upload_job_set = sq_upload_job_set,
    .upload_job_get = sq_upload_job_get,
    .upload_jobs_open = sq_upload_jobs_open,
};
