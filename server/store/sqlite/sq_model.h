/* Internal to the SQLite backend: the data model's per-table functions (one file of SQL per
 * table or tight group of tables) and the small helpers they share (sq_model.c). */
#ifndef DJTV_SQ_MODEL_H
#define DJTV_SQ_MODEL_H

#include "store/sqlite/sq.h"

/* A read in progress: a borrowed connection and one of its cached statements. */
struct sq_read {
    struct sq_store *q;  /* borrowed */
    struct sq_conn *c;   /* borrowed from the pool until sq_read_end */
    sqlite3_stmt *st;    /* borrowed from c's cache */
};
/* Borrow a read connection and prepare statement ID. 0 or negative errno (then nothing is
 * held). */
int sq_read_begin(struct store *s, enum sq_stmt_id id, const char *sql, struct sq_read *r);
/* Reset the statement and give the connection back. Safe on a zeroed struct. */
void sq_read_end(struct sq_read *r);
/* Copies the current row of ST into OUT (a struct of the caller's table). */
typedef void (*sq_row_fn)(sqlite3_stmt *st, void *out);
/* Run statement ID with ID bound as ?1 and copy its one row into OUT with ROW.
 * 0, -ENOENT when there is no row, or a negative errno (logged with WHAT). */
int sq_read_by_id(struct store *s, enum sq_stmt_id stmt, const char *sql, int64_t id,
                  sq_row_fn row, void *out, const char *what);
/* Run statement ID with SCOPE's village and township bound as ?1 and ?2 and MAX as ?3, and
 * copy up to MAX rows with ROW into the array OUT of elements SIZE bytes each; their number
 * goes to *N. 0 or a negative errno (logged with WHAT). */
int sq_read_scope_list(struct store *s, enum sq_stmt_id stmt, const char *sql,
                       const struct store_scope *scope, sq_row_fn row, void *out, size_t size,
                       int max, int *n, const char *what);
/* Step the bound statement of R, copying up to MAX rows with ROW into the array OUT of
 * elements SIZE bytes each; their number goes to *N. 0 or a negative errno (logged with WHAT).
 * The caller still ends R. */
int sq_read_rows(struct sq_read *r, sq_row_fn row, void *out, size_t size, int max, int *n,
                 const char *what);
/* The same into a growing array *OUT (owned by the caller; NULL when no rows) of at most MAX
 * rows: -E2BIG past MAX, and then nothing is left to free. */
int sq_read_all(struct sq_read *r, sq_row_fn row, size_t size, int max, void **out, int *n,
                const char *what);
/* Step: 1 a row, 0 done, or a negative errno (logged with CONTEXT). */
int sq_row(struct sq_conn *c, sqlite3_stmt *st, const char *context);

/* The cached statement ID on the transaction's connection, or NULL (logged). */
sqlite3_stmt *sq_tx_stmt(struct store_tx *tx, enum sq_stmt_id id, const char *sql);
/* Step a write of TX; *ID (may be NULL) gets the new row id. */
int sq_tx_insert(struct store_tx *tx, sqlite3_stmt *st, const char *context, int64_t *id);
/* Step a write of TX; -ENOENT when it changed no row. */
int sq_tx_change(struct store_tx *tx, sqlite3_stmt *st, const char *context);

/* A member away from home (sq_guests.c, migration 9). */
int sq_guest_set(struct store_tx *tx, int64_t township_id, int64_t member_id, const char *phone,
                 const char *pin_hash);
int sq_guest_find(struct store *s, int64_t township_id, const char *phone,
                  struct store_guest *out);
int sq_guest_session_add(struct store_tx *tx, const char *token_hash_hex, int64_t member_id,
                         int64_t box_id, int64_t broadcast_id, time_t now, int64_t *id);
int sq_guest_session_get(struct store *s, const char *token_hash_hex,
                         struct store_guest_session *out);

/* Upload jobs (sq_upload_jobs.c, migration 12). */
int sq_upload_job_add(struct store_tx *tx, const struct store_upload_job *j, time_t now,
                      int64_t *id);
int sq_upload_job_set(struct store_tx *tx, const struct store_upload_job *j, const char *from,
                      time_t now);
int sq_upload_job_get(struct store *s, int64_t id, struct store_upload_job *out);
int sq_upload_jobs_open(struct store *s, int64_t *ids, int max, int *n);

/* Idempotency keys (sq_idem.c): 1 and *REF_ID when BOX_ID named a row of KIND for
 * HOUSEHOLD_ID with KEY before, 0 when not, -EEXIST when it used KEY for something else, or a
 * negative errno. */
int sq_idem_get(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *kind,
                const char *key, int64_t *ref_id);
int sq_idem_add(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *kind,
                const char *key, int64_t ref_id);

/* Bind S as text even when empty (NULL binds ""); sq_bind_text turns "" into SQL NULL. */
int sq_bind_str(sqlite3_stmt *st, int idx, const char *s);
/* Bind ID, or SQL NULL when it is 0. */
int sq_bind_id(sqlite3_stmt *st, int idx, int64_t id);
/* Bind a time that must be set: -EINVAL when T is 0 or out of range. */
int sq_bind_when(sqlite3_stmt *st, int idx, time_t t);

/* Make room for one more element in an owned array (*ARR of *CAP, N used), up to MAX
 * elements. -ENOMEM, or -E2BIG at MAX. */
int sq_grow(void **arr, int *cap, int n, size_t elem, int max);

/* accounts (sq_accounts.c) and sessions (sq_sessions.c) */
int sq_account_by_username(struct store *s, const char *username, struct store_account *out);
int sq_account_add(struct store_tx *tx, const struct store_account *a, time_t now, int64_t *id);
int sq_account_get(struct store *s, int64_t id, struct store_account *out);
int sq_account_by_phone(struct store *s, const char *phone, struct store_account *out);
int sq_account_set_pin(struct store_tx *tx, int64_t account_id, const char *phone,
                       const char *pin_hash);
int sq_session_by_token_hash(struct store *s, const char *hash_hex,
                             struct store_session_ident *out);
int sq_session_add(struct store_tx *tx, int64_t account_id, const char *token_hash_hex,
                   time_t created_at, time_t expires_at, int64_t *id);
int sq_session_delete(struct store_tx *tx, int64_t session_id);
int sq_session_purge(struct store_tx *tx, time_t now, int *n);

/* members (sq_households.c) */
int sq_member_get(struct store *s, int64_t id, struct store_member *out);

/* content (sq_content.c), ledger_lines, courses, pioneers */
int sq_item_list(struct store *s, const struct store_scope *scope, const char *section,
                 const char *category, time_t now, int offset, int limit,
                 struct store_item *out, int *n, int *total);
int sq_item_get(struct store *s, const struct store_scope *scope, time_t now, int64_t id,
                struct store_item *out);
int sq_ledger_add(struct store_tx *tx, int64_t content_id, const struct store_ledger_line *l);
int sq_ledger_list(struct store *s, int64_t content_id, struct store_ledger_line **out, int *n);
int sq_disclosure_row_add(struct store_tx *tx, int64_t content_id,
                          const struct store_disclosure_row *r);
int sq_disclosure_rows(struct store *s, int64_t content_id, struct store_disclosure_row **out,
                       int *n);
int sq_course_set(struct store_tx *tx, const struct store_course *c);
int sq_course_get(struct store *s, int64_t content_id, struct store_course *out);
int sq_course_list(struct store *s, const struct store_scope *scope, time_t now,
                   const char *category, struct store_course *out, int max, int *n);
int sq_course_categories(struct store *s, const struct store_scope *scope, const char *section,
                         time_t now, struct store_category_count *out, int max, int *n);
int sq_pioneer_set(struct store_tx *tx, int64_t content_id, const struct store_pioneer *p);
int sq_pioneer_get(struct store *s, int64_t content_id, struct store_pioneer *out);

/* questions and options (sq_questions.c), questionnaires (sq_questionnaires.c), quizzes */
int sq_form_get(struct store *s, int64_t content_id, struct store_form *out);
int sq_question_add(struct store_tx *tx, int64_t content_id, int position, const char *prompt,
                    int multiple, int64_t *id);
int sq_option_add(struct store_tx *tx, int64_t question_id, int position, const char *label,
                  int correct, int64_t *id);
int sq_option_vote(struct store_tx *tx, int64_t option_id);
int sq_questionnaire_set(struct store_tx *tx, int64_t content_id, int anonymous,
                         const char *ballot_salt_hex);
int sq_ballot_add(struct store_tx *tx, int64_t content_id, const char *voter_hash_hex);
int sq_response_add(struct store_tx *tx, int64_t content_id, int64_t member_id, int64_t box_id,
                    time_t at, int64_t *id);
int sq_response_choice_add(struct store_tx *tx, int64_t response_id, int64_t option_id);
int sq_form_answered(struct store *s, int64_t content_id, int64_t member_id,
                     const char *voter_hash_hex, int *answered);
int sq_quiz_set(struct store_tx *tx, int64_t content_id, const char *type, int pass_mark,
                   int time_limit_s);
int sq_attempt_add(struct store_tx *tx, struct store_attempt *a, int64_t *id);
int sq_response_key(struct store_tx *tx, int64_t box_id, int64_t household_id, const char *key,
                    int64_t content_id);
/* Questionnaire or quiz header of CONTENT_ID on connection C (sq_questions.c uses these). */
int sq_questionnaire_read(struct sq_conn *c, int64_t content_id, struct store_form *out);
int sq_quiz_read(struct sq_conn *c, int64_t content_id, struct store_form *out);

/* broadcasts (sq_broadcasts.c) */
int sq_broadcast_get(struct store *s, int64_t id, struct store_broadcast *out);
int sq_broadcast_list_scope(struct store *s, const struct store_scope *scope,
                            struct store_broadcast *out, int max, int *n);
int sq_broadcast_list_township_live(struct store *s, int64_t township_id,
                                    struct store_broadcast *out, int max, int *n);
int sq_broadcast_start(struct store_tx *tx, int64_t id, time_t now, const char *key_hash_hex,
                       const char *playback_url);
int sq_broadcast_end(struct store_tx *tx, int64_t id, time_t now);
int sq_broadcast_list_past(struct store *s, const struct store_scope *scope,
                           struct store_broadcast *out, int max, int *n);
int sq_broadcast_set_recording(struct store_tx *tx, int64_t id, const char *state,
                               const char *url);
int sq_broadcast_set_multicast(struct store_tx *tx, int64_t id, const char *url);
int sq_broadcast_set_replay_item(struct store_tx *tx, int64_t id, int64_t item_id);

/* rollcalls and their expected members (sq_rollcalls.c) */
int sq_rollcall_open(struct store_tx *tx, int64_t broadcast_id, int64_t org_id,
                     int64_t account_id, time_t now, int64_t *id, int *expected);
int sq_rollcall_close(struct store_tx *tx, int64_t id, time_t now);
int sq_rollcall_get(struct store *s, int64_t id, struct store_rollcall *out);
int sq_rollcall_state(struct store *s, int64_t id, struct store_rollcall *out);
int sq_rollcall_list_open(struct store *s, const struct store_scope *scope,
                          struct store_rollcall *out, int max, int *n);
int sq_rollcall_open_ids(struct store *s, int64_t broadcast_id, int64_t *ids, int max, int *n);
int sq_rollcall_roster(struct store *s, int64_t rollcall_id, struct store_roster_entry **out,
                       int *n);

/* checkins (sq_checkins.c), heartbeats, resume_positions */
int sq_checkin_add(struct store_tx *tx, int64_t rollcall_id, int64_t member_id, int64_t box_id,
                   time_t at, time_t *at_out, int *created);
int sq_checkin_get(struct store *s, int64_t rollcall_id, int64_t member_id, time_t *at);
int sq_attendance_list(struct store *s, int64_t member_id, struct store_attendance **out,
                       int *n);
int sq_heartbeat_put(struct store_tx *tx, int64_t box_id, int64_t broadcast_id, time_t at);
int sq_heartbeat_last(struct store *s, int64_t box_id, int64_t broadcast_id, time_t *at);
int sq_resume_get(struct store *s, int64_t household_id, int64_t content_id,
                  int64_t *position_ms, time_t *updated_at);
int sq_resume_put(struct store_tx *tx, int64_t household_id, int64_t content_id,
                  int64_t position_ms, time_t at);

/* service_requests and request_replies (sq_requests.c) */
int sq_request_add(struct store_tx *tx, const struct store_request *r, int64_t *id);
int sq_request_list_household(struct store *s, int64_t household_id, int offset, int limit,
                              struct store_request *out, int *n, int *total);
int sq_request_get(struct store *s, int64_t id, struct store_request *out);
int sq_reply_add(struct store_tx *tx, int64_t request_id, int64_t account_id, const char *body,
                 time_t at, int64_t *id);
int sq_reply_list(struct store *s, int64_t request_id, struct store_reply **out, int *n);
int sq_request_desk_list(struct store *s, const struct store_desk_filter *f, int offset,
                         int limit, struct store_desk_request *out, int *n, int *total,
                         int *overdue);
int sq_request_desk_get(struct store *s, int64_t id, struct store_desk_request *out);
int sq_request_assign(struct store_tx *tx, int64_t id, int64_t assignee_id);
int sq_request_close(struct store_tx *tx, int64_t id, time_t at);
int sq_request_assignees(struct store *s, int64_t township_id, struct store_assignee *out,
                         int max, int *n);

/* duty_plans (sq_duty_plans.c) */
int sq_duty_plan_add(struct store_tx *tx, int64_t village_id, int64_t account_id,
                     time_t due_at, int64_t *id);
int sq_duty_plan_get(struct store *s, int64_t id, struct store_duty_plan *out);
int sq_duty_plans(struct store *s, int64_t township_id, time_t due_by,
                  struct store_duty_plan *out, int max, int *n);
int sq_duty_plan_mark(struct store_tx *tx, int64_t id, const char *state, int64_t check_id);
/* duty_checks (sq_duty.c) */
int sq_duty_add(struct store_tx *tx, int64_t village_id, int64_t account_id, time_t at,
                time_t expired_before, int64_t *id);
int sq_duty_answer(struct store_tx *tx, int64_t id, time_t at, time_t expired_before,
                   enum store_duty_result *res);
int sq_duty_get(struct store *s, int64_t id, time_t expired_before,
                struct store_duty_check *out);
int sq_duty_list(struct store *s, int64_t township_id, int64_t village_id,
                 time_t expired_before, int offset, int limit, struct store_duty_check *out,
                 int *n, int *total);
int sq_duty_open(struct store *s, int64_t village_id, time_t expired_before,
                 struct store_duty_check *out, int max, int *n);

/* credits (sq_credits.c) */
int sq_credit_add(struct store_tx *tx, int64_t member_id, const char *reason, int64_t ref_id,
                  int points, time_t at, int *created);
int sq_credit_list(struct store *s, int64_t member_id, struct store_credit **out, int *n,
                   int *total);

/* content admin and import (sq_content_admin.c, migration 3) */
int sq_content_by_source(struct store *s, const char *key, int64_t *id);
int sq_content_org(struct store *s, int64_t id, int64_t *org_id);
int sq_content_replace(struct store_tx *tx, int64_t id, const struct store_content_new *c);
int sq_content_set_source(struct store_tx *tx, int64_t id, const char *key);
int sq_content_delete(struct store_tx *tx, int64_t id);
int sq_org_find(struct store *s, int64_t parent_id, const char *name, struct store_org *out);

/* township staff: roll-call turnout (sq_turnout.c) */
int sq_turnout_rollcalls(struct store *s, int64_t township_id, time_t from, time_t to,
                         int offset, int limit, struct store_turnout_rollcall *out, int *n,
                         int *total);
int sq_turnout_villages(struct store *s, int64_t rollcall_id, struct store_turnout_village **out,
                        int *n);
int sq_turnout_members(struct store *s, int64_t rollcall_id, int64_t village_id, int absent_only,
                       struct store_turnout_member **out, int *n);
int sq_turnout_trend(struct store *s, int64_t township_id, int64_t village_id, int last,
                     struct store_turnout_point **out, int *n);

/* sq_dashboard.c */
int sq_box_reported(struct store *s, int64_t box_id, char *version, time_t *at);
int sq_box_report(struct store_tx *tx, int64_t box_id, const char *version, time_t at);
int sq_box_list(struct store *s, int64_t township_id, int64_t box_id, struct store_box_row **out,
                int *n);
int sq_form_summaries(struct store *s, int64_t township_id, struct store_form_summary **out,
                      int *n);
int sq_broadcast_watching(struct store *s, int64_t broadcast_id, time_t since,
                          struct store_watching **out, int *n);

#endif
