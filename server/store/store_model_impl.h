/* For store backends only: the ops table of the data model (store_model.h). It sits beside
 * struct store_ops so that the plumbing (store_impl.h) and the model grow apart. */
#ifndef DJTV_STORE_MODEL_IMPL_H
#define DJTV_STORE_MODEL_IMPL_H

#include "store/store.h"

struct store_model_ops {
    int (*account_by_username)(struct store *s, const char *username, struct store_account *out);
    int (*account_add)(struct store_tx *tx, const struct store_account *a, time_t now, int64_t *id);
    int (*account_get)(struct store *s, int64_t id, struct store_account *out);
    int (*account_by_phone)(struct store *s, const char *phone, struct store_account *out);
    int (*account_set_pin)(struct store_tx *tx, int64_t account_id, const char *phone,
                           const char *pin_hash);
    int (*session_by_token_hash)(struct store *s, const char *hash_hex,
                                 struct store_session_ident *out);
    int (*session_add)(struct store_tx *tx, int64_t account_id, const char *token_hash_hex,
                       time_t created_at, time_t expires_at, int64_t *id);
    int (*session_delete)(struct store_tx *tx, int64_t session_id);
    int (*session_purge)(struct store_tx *tx, time_t now, int *n);
    int (*member_get)(struct store *s, int64_t id, struct store_member *out);
    int (*item_list)(struct store *s, const struct store_scope *scope, const char *section,
                     const char *category, time_t now, int offset, int limit,
                     struct store_item *out, int *n, int *total);
    int (*item_get)(struct store *s, const struct store_scope *scope, time_t now, int64_t id,
                    struct store_item *out);
    int (*ledger_add)(struct store_tx *tx, int64_t content_id, const struct store_ledger_line *l);
    int (*ledger_list)(struct store *s, int64_t content_id, struct store_ledger_line **out, int *n);
    int (*disclosure_row_add)(struct store_tx *tx, int64_t content_id,
                              const struct store_disclosure_row *r);
    int (*disclosure_rows)(struct store *s, int64_t content_id,
                           struct store_disclosure_row **out, int *n);
    int (*course_set)(struct store_tx *tx, const struct store_course *c);
    int (*course_get)(struct store *s, int64_t content_id, struct store_course *out);
    int (*course_list)(struct store *s, const struct store_scope *scope, time_t now,
                       const char *category, struct store_course *out, int max, int *n);
    int (*course_categories)(struct store *s, const struct store_scope *scope,
                             const char *section, time_t now,
                             struct store_category_count *out, int max, int *n);
    int (*pioneer_set)(struct store_tx *tx, int64_t content_id, const struct store_pioneer *p);
    int (*pioneer_get)(struct store *s, int64_t content_id, struct store_pioneer *out);
    int (*form_get)(struct store *s, int64_t content_id, struct store_form *out);
    int (*questionnaire_set)(struct store_tx *tx, int64_t content_id, int anonymous,
                             const char *ballot_salt_hex);
    int (*quiz_set)(struct store_tx *tx, int64_t content_id, const char *type, int pass_mark,
                   int time_limit_s);
    int (*question_add)(struct store_tx *tx, int64_t content_id, int position, const char *prompt,
                        int multiple, int64_t *id);
    int (*option_add)(struct store_tx *tx, int64_t question_id, int position, const char *label,
                      int correct, int64_t *id);
    int (*option_vote)(struct store_tx *tx, int64_t option_id);
    int (*form_answered)(struct store *s, int64_t content_id, int64_t member_id,
                         const char *voter_hash_hex, int *answered);
    int (*ballot_add)(struct store_tx *tx, int64_t content_id, const char *voter_hash_hex);
    int (*response_add)(struct store_tx *tx, int64_t content_id, int64_t member_id, int64_t box_id,
                        time_t at, int64_t *id);
    int (*response_choice_add)(struct store_tx *tx, int64_t response_id, int64_t option_id);
    int (*attempt_add)(struct store_tx *tx, struct store_attempt *a, int64_t *id);
    int (*response_key)(struct store_tx *tx, int64_t box_id, int64_t household_id,
                        const char *key, int64_t content_id);
    int (*broadcast_get)(struct store *s, int64_t id, struct store_broadcast *out);
    int (*broadcast_list_scope)(struct store *s, const struct store_scope *scope,
                                struct store_broadcast *out, int max, int *n);
    int (*broadcast_list_township_live)(struct store *s, int64_t township_id,
                                        struct store_broadcast *out, int max, int *n);
    int (*broadcast_start)(struct store_tx *tx, int64_t id, time_t now, const char *key_hash_hex,
                           const char *playback_url);
    int (*broadcast_end)(struct store_tx *tx, int64_t id, time_t now);
    int (*broadcast_list_past)(struct store *s, const struct store_scope *scope,
                               struct store_broadcast *out, int max, int *n);
    int (*broadcast_set_recording)(struct store_tx *tx, int64_t id, const char *state,
                                   const char *url);
    int (*broadcast_set_multicast)(struct store_tx *tx, int64_t id, const char *url);
    int (*broadcast_set_replay_item)(struct store_tx *tx, int64_t id, int64_t item_id);
    int (*rollcall_open)(struct store_tx *tx, int64_t broadcast_id, int64_t org_id,
                         int64_t account_id, time_t now, int64_t *id, int *expected);
    int (*rollcall_close)(struct store_tx *tx, int64_t id, time_t now);
    int (*rollcall_get)(struct store *s, int64_t id, struct store_rollcall *out);
    int (*rollcall_state)(struct store *s, int64_t id, struct store_rollcall *out);
    int (*rollcall_list_open)(struct store *s, const struct store_scope *scope,
                              struct store_rollcall *out, int max, int *n);
    int (*rollcall_open_ids)(struct store *s, int64_t broadcast_id, int64_t *ids, int max, int *n);
    int (*rollcall_roster)(struct store *s, int64_t rollcall_id, struct store_roster_entry **out,
                           int *n);
    int (*checkin_add)(struct store_tx *tx, int64_t rollcall_id, int64_t member_id, int64_t box_id,
                       time_t at, time_t *at_out, int *created);
    int (*checkin_get)(struct store *s, int64_t rollcall_id, int64_t member_id, time_t *at);
    int (*heartbeat_put)(struct store_tx *tx, int64_t box_id, int64_t broadcast_id, time_t at);
    int (*heartbeat_last)(struct store *s, int64_t box_id, int64_t broadcast_id, time_t *at);
    int (*resume_get)(struct store *s, int64_t household_id, int64_t content_id,
                      int64_t *position_ms, time_t *updated_at);
    int (*resume_put)(struct store_tx *tx, int64_t household_id, int64_t content_id,
                      int64_t position_ms, time_t at);
    int (*request_add)(struct store_tx *tx, const struct store_request *r, int64_t *id);
    int (*request_list_household)(struct store *s, int64_t household_id, int offset, int limit,
                                  struct store_request *out, int *n, int *total);
    int (*request_get)(struct store *s, int64_t id, struct store_request *out);
    int (*reply_add)(struct store_tx *tx, int64_t request_id, int64_t account_id, const char *body,
                     time_t at, int64_t *id);
    int (*reply_list)(struct store *s, int64_t request_id, struct store_reply **out, int *n);
    /* the service desk and duty checks */
    int (*request_desk_list)(struct store *s, const struct store_desk_filter *f, int offset,
                             int limit, struct store_desk_request *out, int *n, int *total,
                             int *overdue);
    int (*request_desk_get)(struct store *s, int64_t id, struct store_desk_request *out);
    int (*request_assign)(struct store_tx *tx, int64_t id, int64_t assignee_id);
    int (*request_close)(struct store_tx *tx, int64_t id, time_t at);
    int (*box_reported)(struct store *s, int64_t box_id, char *version, time_t *at);
    int (*box_report)(struct store_tx *tx, int64_t box_id, const char *version, time_t at);
    int (*box_list)(struct store *s, int64_t township_id, int64_t box_id,
                    struct store_box_row **out, int *n);
    int (*form_summaries)(struct store *s, int64_t township_id, struct store_form_summary **out,
                          int *n);
    int (*broadcast_watching)(struct store *s, int64_t broadcast_id, time_t since,
                              struct store_watching **out, int *n);
    int (*request_assignees)(struct store *s, int64_t township_id, struct store_assignee *out,
                             int max, int *n);
    int (*duty_add)(struct store_tx *tx, int64_t village_id, int64_t account_id, time_t at,
                    time_t expired_before, int64_t *id);
    int (*duty_answer)(struct store_tx *tx, int64_t id, time_t at, time_t expired_before,
                       enum store_duty_result *res);
    int (*duty_get)(struct store *s, int64_t id, time_t expired_before,
                    struct store_duty_check *out);
    int (*duty_list)(struct store *s, int64_t township_id, int64_t village_id,
                     time_t expired_before, int offset, int limit, struct store_duty_check *out,
                     int *n, int *total);
    int (*duty_open)(struct store *s, int64_t village_id, time_t expired_before,
                     struct store_duty_check *out, int max, int *n);
    int (*duty_plan_add)(struct store_tx *tx, int64_t village_id, int64_t account_id,
                         time_t due_at, int64_t *id);
    int (*duty_plan_get)(struct store *s, int64_t id, struct store_duty_plan *out);
    int (*duty_plans)(struct store *s, int64_t township_id, time_t due_by,
                      struct store_duty_plan *out, int max, int *n);
    int (*duty_plan_mark)(struct store_tx *tx, int64_t id, const char *state, int64_t check_id);
    int (*credit_add)(struct store_tx *tx, int64_t member_id, const char *reason, int64_t ref_id,
                      int points, time_t at, int *created);
    int (*credit_list)(struct store *s, int64_t member_id, struct store_credit **out, int *n,
                       int *total);
    int (*attendance_list)(struct store *s, int64_t member_id, struct store_attendance **out,
                           int *n);
    /* content admin and import (migration 3) */
    int (*content_by_source)(struct store *s, const char *key, int64_t *id);
    int (*content_org)(struct store *s, int64_t id, int64_t *org_id);
    int (*content_replace)(struct store_tx *tx, int64_t id, const struct store_content_new *c);
    int (*content_set_source)(struct store_tx *tx, int64_t id, const char *key);
    int (*content_delete)(struct store_tx *tx, int64_t id);
    int (*org_find)(struct store *s, int64_t parent_id, const char *name, struct store_org *out);
    /* township staff: roll-call turnout (sq_turnout.c) */
    int (*turnout_rollcalls)(struct store *s, int64_t township_id, time_t from, time_t to,
                             int offset, int limit, struct store_turnout_rollcall *out, int *n,
                             int *total);
    int (*turnout_villages)(struct store *s, int64_t rollcall_id,
                            struct store_turnout_village **out, int *n);
    int (*turnout_members)(struct store *s, int64_t rollcall_id, int64_t village_id,
                           int absent_only, struct store_turnout_member **out, int *n);
    int (*turnout_trend)(struct store *s, int64_t township_id, int64_t village_id, int last,
                         struct store_turnout_point **out, int *n);
    /* a member away from home (sq_guests.c) */
    int (*guest_set)(struct store_tx *tx, int64_t township_id, int64_t member_id,
                     const char *phone, const char *pin_hash);
    int (*guest_find)(struct store *s, int64_t township_id, const char *phone,
                      struct store_guest *out);
    int (*guest_session_add)(struct store_tx *tx, const char *token_hash_hex, int64_t member_id,
                             int64_t box_id, int64_t broadcast_id, time_t now, int64_t *id);
    int (*guest_session_get)(struct store *s, const char *token_hash_hex,
                             struct store_guest_session *out);
    /* upload jobs (sq_upload_jobs.c, migration 12) */
    int (*upload_job_add)(struct store_tx *tx, const struct store_upload_job *j, time_t now,
                          int64_t *id);
    int (*upload_job_set)(struct store_tx *tx, const struct store_upload_job *j,
                          const char *from, time_t now);
    int (*upload_job_get)(struct store *s, int64_t id, struct store_upload_job *out);
    int (*upload_jobs_open)(struct store *s, int64_t *ids, int max, int *n);
};

/* The SQLite backend's table (store/sqlite/sq_model.c); store_open attaches it. */
extern const struct store_model_ops store_sqlite_model_ops;

#endif
