/* Argument checks, then dispatch through the backend's data-model table. */
#include "store/store_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void store_item_fini(struct store_item *it)
{
    if (!it)
        return;
    free(it->body);
    it->body = NULL;
}

void store_form_fini(struct store_form *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n_questions; i++)
        free(f->questions[i].options);
    free(f->questions);
    f->questions = NULL;
    f->n_questions = 0;
}

int store_account_by_username(struct store *s, const char *username, struct store_account *out)
{
    if (!s || !username || !out)
        return -EINVAL;
    return s->model->account_by_username(s, username, out);
}

int store_account_get(struct store *s, int64_t id, struct store_account *out)
{
    if (!s || id <= 0 || !out)
        return -EINVAL;
    return s->model->account_get(s, id, out);
}

int store_account_by_phone(struct store *s, const char *phone, struct store_account *out)
{
    if (!s || !phone || !out)
        return -EINVAL;
    return s->model->account_by_phone(s, phone, out);
}

int store_account_set_pin(struct store_tx *tx, int64_t account_id, const char *phone,
                          const char *pin_hash)
{
    if (!tx || account_id <= 0 || !phone || !pin_hash)
        return -EINVAL;
    return tx->store->model->account_set_pin(tx, account_id, phone, pin_hash);
}

int store_account_add(struct store_tx *tx, const struct store_account *a, time_t now, int64_t *id)
{
    if (!tx || !a)
        return -EINVAL;
    return tx->store->model->account_add(tx, a, now, id);
}

int store_session_by_token_hash(struct store *s, const char *hash_hex,
                                struct store_session_ident *out)
{
    if (!s || !hash_hex || !out)
        return -EINVAL;
    return s->model->session_by_token_hash(s, hash_hex, out);
}

int store_session_add(struct store_tx *tx, int64_t account_id, const char *token_hash_hex,
                      time_t created_at, time_t expires_at, int64_t *id)
{
    if (!tx || !token_hash_hex)
        return -EINVAL;
    return tx->store->model->session_add(tx, account_id, token_hash_hex, created_at, expires_at,
                                         id);
}

int store_session_delete(struct store_tx *tx, int64_t session_id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->session_delete(tx, session_id);
}

int store_session_purge(struct store_tx *tx, time_t now, int *n)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->session_purge(tx, now, n);
}

int store_member_get(struct store *s, int64_t id, struct store_member *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->member_get(s, id, out);
}

int store_item_list(struct store *s, const struct store_scope *scope, const char *section,
                    time_t now, int offset, int limit, struct store_item *out, int *n, int *total)
{
    return store_item_list_category(s, scope, section, NULL, now, offset, limit, out, n, total);
}

int store_item_list_category(struct store *s, const struct store_scope *scope,
                             const char *section, const char *category, time_t now, int offset,
                             int limit, struct store_item *out, int *n, int *total)
{
    if (!s || !scope || !section || !out || !n || !total || offset < 0 || limit < 0)
        return -EINVAL;
    return s->model->item_list(s, scope, section, category, now, offset, limit, out, n, total);
}

int store_item_get(struct store *s, const struct store_scope *scope, time_t now, int64_t id,
                   struct store_item *out)
{
    if (out)
        out->body = NULL;
    if (!s || !scope || !out)
        return -EINVAL;
    return s->model->item_get(s, scope, now, id, out);
}

int store_ledger_add(struct store_tx *tx, int64_t content_id, const struct store_ledger_line *l)
{
    if (!tx || !l)
        return -EINVAL;
    return tx->store->model->ledger_add(tx, content_id, l);
}

int store_ledger_list(struct store *s, int64_t content_id, struct store_ledger_line **out, int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->ledger_list(s, content_id, out, n);
}

int store_disclosure_row_add(struct store_tx *tx, int64_t content_id,
                             const struct store_disclosure_row *r)
{
    if (!tx || !r)
        return -EINVAL;
    return tx->store->model->disclosure_row_add(tx, content_id, r);
}

int store_disclosure_rows(struct store *s, int64_t content_id, struct store_disclosure_row **out,
                          int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->disclosure_rows(s, content_id, out, n);
}

int store_course_set(struct store_tx *tx, const struct store_course *c)
{
    if (!tx || !c)
        return -EINVAL;
    return tx->store->model->course_set(tx, c);
}

int store_course_get(struct store *s, int64_t content_id, struct store_course *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->course_get(s, content_id, out);
}

int store_course_categories(struct store *s, const struct store_scope *scope,
                            const char *section, time_t now, struct store_category_count *out,
                            int max, int *n)
{
    if (!s || !scope || !section || !out || !n || max < 0)
        return -EINVAL;
    return s->model->course_categories(s, scope, section, now, out, max, n);
}

int store_course_list(struct store *s, const struct store_scope *scope, time_t now,
                      const char *category, struct store_course *out, int max, int *n)
{
    if (!s || !scope || !out || !n || max < 0)
        return -EINVAL;
    return s->model->course_list(s, scope, now, category, out, max, n);
}

int store_pioneer_set(struct store_tx *tx, int64_t content_id, const struct store_pioneer *p)
{
    if (!tx || !p)
        return -EINVAL;
    return tx->store->model->pioneer_set(tx, content_id, p);
}

int store_pioneer_get(struct store *s, int64_t content_id, struct store_pioneer *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->pioneer_get(s, content_id, out);
}

int store_form_get(struct store *s, int64_t content_id, struct store_form *out)
{
    if (out) {
        out->questions = NULL;
        out->n_questions = 0;
    }
    if (!s || !out)
        return -EINVAL;
    return s->model->form_get(s, content_id, out);
}

int store_questionnaire_set(struct store_tx *tx, int64_t content_id, int anonymous,
                            const char *ballot_salt_hex)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->questionnaire_set(tx, content_id, anonymous, ballot_salt_hex);
}

int store_form_answered(struct store *s, int64_t content_id, int64_t member_id,
                        const char *voter_hash_hex, int *answered)
{
    if (!s || !answered)
        return -EINVAL;
    return s->model->form_answered(s, content_id, member_id, voter_hash_hex, answered);
}

int store_quiz_set(struct store_tx *tx, int64_t content_id, const char *type, int pass_mark,
                   int time_limit_s)
{
    if (!tx || !type)
        return -EINVAL;
    return tx->store->model->quiz_set(tx, content_id, type, pass_mark, time_limit_s);
}

int store_question_add(struct store_tx *tx, int64_t content_id, int position, const char *prompt,
                       int multiple, int64_t *id)
{
    if (!tx || !prompt)
        return -EINVAL;
    return tx->store->model->question_add(tx, content_id, position, prompt, multiple, id);
}

int store_option_add(struct store_tx *tx, int64_t question_id, int position, const char *label,
                     int correct, int64_t *id)
{
    if (!tx || !label)
        return -EINVAL;
    return tx->store->model->option_add(tx, question_id, position, label, correct, id);
}

int store_option_vote(struct store_tx *tx, int64_t option_id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->option_vote(tx, option_id);
}

int store_ballot_add(struct store_tx *tx, int64_t content_id, const char *voter_hash_hex)
{
    if (!tx || !voter_hash_hex)
        return -EINVAL;
    return tx->store->model->ballot_add(tx, content_id, voter_hash_hex);
}

int store_response_add(struct store_tx *tx, int64_t content_id, int64_t member_id, int64_t box_id,
                       time_t at, int64_t *id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->response_add(tx, content_id, member_id, box_id, at, id);
}

int store_response_choice_add(struct store_tx *tx, int64_t response_id, int64_t option_id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->response_choice_add(tx, response_id, option_id);
}

int store_attempt_add(struct store_tx *tx, struct store_attempt *a, int64_t *id)
{
    if (!tx || !a)
        return -EINVAL;
    return tx->store->model->attempt_add(tx, a, id);
}

int store_response_key(struct store_tx *tx, int64_t box_id, int64_t household_id,
                       const char *key, int64_t content_id)
{
    if (!tx || !key || !key[0])
        return -EINVAL;
    return tx->store->model->response_key(tx, box_id, household_id, key, content_id);
}

int store_broadcast_get(struct store *s, int64_t id, struct store_broadcast *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->broadcast_get(s, id, out);
}

int store_broadcast_list_scope(struct store *s, const struct store_scope *scope,
                               struct store_broadcast *out, int max, int *n)
{
    if (!s || !scope || !out || !n || max < 0)
        return -EINVAL;
    return s->model->broadcast_list_scope(s, scope, out, max, n);
}

int store_broadcast_list_township_live(struct store *s, int64_t township_id,
                                       struct store_broadcast *out, int max, int *n)
{
    if (!s || !out || !n || max < 0)
        return -EINVAL;
    return s->model->broadcast_list_township_live(s, township_id, out, max, n);
}

int store_broadcast_start(struct store_tx *tx, int64_t id, time_t now, const char *key_hash_hex,
                          const char *playback_url)
{
    if (!tx || !key_hash_hex)
        return -EINVAL;
    return tx->store->model->broadcast_start(tx, id, now, key_hash_hex, playback_url);
}

int store_broadcast_end(struct store_tx *tx, int64_t id, time_t now)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->broadcast_end(tx, id, now);
}

int store_broadcast_list_past(struct store *s, const struct store_scope *scope,
                              struct store_broadcast *out, int max, int *n)
{
    if (!s || !scope || !out || !n || max < 0)
        return -EINVAL;
    return s->model->broadcast_list_past(s, scope, out, max, n);
}

int store_broadcast_set_recording(struct store_tx *tx, int64_t id, const char *state,
                                  const char *url)
{
    if (!tx || !state)
        return -EINVAL;
    return tx->store->model->broadcast_set_recording(tx, id, state, url);
}

int store_broadcast_set_multicast(struct store_tx *tx, int64_t id, const char *url)
{
    if (!tx || !url)
        return -EINVAL;
    return tx->store->model->broadcast_set_multicast(tx, id, url);
}

int store_broadcast_set_replay_item(struct store_tx *tx, int64_t id, int64_t item_id)
{
    if (!tx || item_id <= 0)
        return -EINVAL;
    return tx->store->model->broadcast_set_replay_item(tx, id, item_id);
}

int store_rollcall_open(struct store_tx *tx, int64_t broadcast_id, int64_t org_id,
                        int64_t account_id, time_t now, int64_t *id, int *expected)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->rollcall_open(tx, broadcast_id, org_id, account_id, now, id, expected);
}

int store_rollcall_close(struct store_tx *tx, int64_t id, time_t now)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->rollcall_close(tx, id, now);
}

int store_rollcall_get(struct store *s, int64_t id, struct store_rollcall *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->rollcall_get(s, id, out);
}

int store_rollcall_state(struct store *s, int64_t id, struct store_rollcall *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->rollcall_state(s, id, out);
}

int store_rollcall_list_open(struct store *s, const struct store_scope *scope,
                             struct store_rollcall *out, int max, int *n)
{
    if (!s || !scope || !out || !n || max < 0)
        return -EINVAL;
    return s->model->rollcall_list_open(s, scope, out, max, n);
}

int store_rollcall_open_ids(struct store *s, int64_t broadcast_id, int64_t *ids, int max, int *n)
{
    if (!s || !ids || !n || max < 0)
        return -EINVAL;
    return s->model->rollcall_open_ids(s, broadcast_id, ids, max, n);
}

int store_rollcall_roster(struct store *s, int64_t rollcall_id, struct store_roster_entry **out,
                          int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->rollcall_roster(s, rollcall_id, out, n);
}

int store_checkin_add(struct store_tx *tx, int64_t rollcall_id, int64_t member_id, int64_t box_id,
                      time_t at, time_t *at_out, int *created)
{
    if (!tx || !at_out || !created)
        return -EINVAL;
    return tx->store->model->checkin_add(tx, rollcall_id, member_id, box_id, at, at_out, created);
}

int store_checkin_get(struct store *s, int64_t rollcall_id, int64_t member_id, time_t *at)
{
    if (!s || !at)
        return -EINVAL;
    return s->model->checkin_get(s, rollcall_id, member_id, at);
}

int store_heartbeat_put(struct store_tx *tx, int64_t box_id, int64_t broadcast_id, time_t at)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->heartbeat_put(tx, box_id, broadcast_id, at);
}

int store_heartbeat_last(struct store *s, int64_t box_id, int64_t broadcast_id, time_t *at)
{
    if (!s || !at)
        return -EINVAL;
    return s->model->heartbeat_last(s, box_id, broadcast_id, at);
}

int store_resume_get(struct store *s, int64_t household_id, int64_t content_id,
                     int64_t *position_ms, time_t *updated_at)
{
    if (!s || !position_ms)
        return -EINVAL;
    return s->model->resume_get(s, household_id, content_id, position_ms, updated_at);
}

int store_resume_put(struct store_tx *tx, int64_t household_id, int64_t content_id,
                     int64_t position_ms, time_t at)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->resume_put(tx, household_id, content_id, position_ms, at);
}

int store_request_add(struct store_tx *tx, const struct store_request *r, int64_t *id)
{
    if (!tx || !r)
        return -EINVAL;
    return tx->store->model->request_add(tx, r, id);
}

int store_request_list_household(struct store *s, int64_t household_id, int offset, int limit,
                                 struct store_request *out, int *n, int *total)
{
    if (!s || !out || !n || !total || offset < 0 || limit < 0)
        return -EINVAL;
    return s->model->request_list_household(s, household_id, offset, limit, out, n, total);
}

int store_request_get(struct store *s, int64_t id, struct store_request *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->request_get(s, id, out);
}

int store_reply_add(struct store_tx *tx, int64_t request_id, int64_t account_id, const char *body,
                    time_t at, int64_t *id)
{
    if (!tx || !body)
        return -EINVAL;
    return tx->store->model->reply_add(tx, request_id, account_id, body, at, id);
}

int store_reply_list(struct store *s, int64_t request_id, struct store_reply **out, int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->reply_list(s, request_id, out, n);
}

int store_request_desk_list(struct store *s, const struct store_desk_filter *f, int offset,
                            int limit, struct store_desk_request *out, int *n, int *total,
                            int *overdue)
{
    if (!s || !f || !n || !total || !overdue || offset < 0 || limit < 0 || (limit && !out))
        return -EINVAL;
    return s->model->request_desk_list(s, f, offset, limit, out, n, total, overdue);
}

int store_request_desk_get(struct store *s, int64_t id, struct store_desk_request *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->request_desk_get(s, id, out);
}

int store_request_assign(struct store_tx *tx, int64_t id, int64_t assignee_id)
{
    if (!tx || assignee_id <= 0)
        return -EINVAL;
    return tx->store->model->request_assign(tx, id, assignee_id);
}

int store_request_close(struct store_tx *tx, int64_t id, time_t at)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->request_close(tx, id, at);
}

int store_duty_plan_add(struct store_tx *tx, int64_t village_id, int64_t account_id,
                        time_t due_at, int64_t *id)
{
    if (!tx || !id)
        return -EINVAL;
    return tx->store->model->duty_plan_add(tx, village_id, account_id, due_at, id);
}

int store_duty_plan_get(struct store *s, int64_t id, struct store_duty_plan *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->duty_plan_get(s, id, out);
}

int store_duty_plans(struct store *s, int64_t township_id, time_t due_by,
                     struct store_duty_plan *out, int max, int *n)
{
    if (n)
        *n = 0;
    if (!s || !out || !n || max < 0)
        return -EINVAL;
    return s->model->duty_plans(s, township_id, due_by, out, max, n);
}

int store_duty_plan_mark(struct store_tx *tx, int64_t id, const char *state, int64_t check_id)
{
    if (!tx || !state)
        return -EINVAL;
    return tx->store->model->duty_plan_mark(tx, id, state, check_id);
}

int store_box_reported(struct store *s, int64_t box_id, char version[STORE_VERSION_MAX],
                       time_t *at)
{
    if (!s || !version || !at)
        return -EINVAL;
    return s->model->box_reported(s, box_id, version, at);
}

int store_box_report(struct store_tx *tx, int64_t box_id, const char *version, time_t at)
{
    if (!tx || !version || strlen(version) >= STORE_VERSION_MAX)
        return -EINVAL;
    return tx->store->model->box_report(tx, box_id, version, at);
}

int store_box_list(struct store *s, int64_t township_id, int64_t box_id,
                   struct store_box_row **out, int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->box_list(s, township_id, box_id, out, n);
}

int store_form_summaries(struct store *s, int64_t township_id, struct store_form_summary **out,
                         int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->form_summaries(s, township_id, out, n);
}

int store_broadcast_watching(struct store *s, int64_t broadcast_id, time_t since,
                             struct store_watching **out, int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->broadcast_watching(s, broadcast_id, since, out, n);
}

int store_request_assignees(struct store *s, int64_t township_id, struct store_assignee *out,
                            int max, int *n)
{
    if (!s || !n || max < 0 || (max && !out))
        return -EINVAL;
    return s->model->request_assignees(s, township_id, out, max, n);
}

int store_duty_add(struct store_tx *tx, int64_t village_id, int64_t account_id, time_t at,
                   time_t expired_before, int64_t *id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->duty_add(tx, village_id, account_id, at, expired_before, id);
}

int store_duty_answer(struct store_tx *tx, int64_t id, time_t at, time_t expired_before,
                      enum store_duty_result *res)
{
    if (!tx || !res)
        return -EINVAL;
    return tx->store->model->duty_answer(tx, id, at, expired_before, res);
}

int store_duty_get(struct store *s, int64_t id, time_t expired_before,
                   struct store_duty_check *out)
{
    if (!s || !out)
        return -EINVAL;
    return s->model->duty_get(s, id, expired_before, out);
}

int store_duty_list(struct store *s, int64_t township_id, int64_t village_id,
                    time_t expired_before, int offset, int limit, struct store_duty_check *out,
                    int *n, int *total)
{
    if (!s || !n || !total || offset < 0 || limit < 0 || (limit && !out))
        return -EINVAL;
    return s->model->duty_list(s, township_id, village_id, expired_before, offset, limit, out,
                               n, total);
}

int store_duty_open(struct store *s, int64_t village_id, time_t expired_before,
                    struct store_duty_check *out, int max, int *n)
{
    if (!s || !n || max < 0 || (max && !out))
        return -EINVAL;
    return s->model->duty_open(s, village_id, expired_before, out, max, n);
}

int store_credit_add(struct store_tx *tx, int64_t member_id, const char *reason, int64_t ref_id,
                     int points, time_t at, int *created)
{
    if (!tx || !reason)
        return -EINVAL;
    return tx->store->model->credit_add(tx, member_id, reason, ref_id, points, at, created);
}

int store_credit_list(struct store *s, int64_t member_id, struct store_credit **out, int *n,
                      int *total)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n || !total)
        return -EINVAL;
    return s->model->credit_list(s, member_id, out, n, total);
}

int store_attendance_list(struct store *s, int64_t member_id, struct store_attendance **out, int *n)
{
    if (out)
        *out = NULL;
    if (n)
        *n = 0;
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->attendance_list(s, member_id, out, n);
}

/* ---- content admin and import (migration 3) ---- */

int store_content_by_source(struct store *s, const char *key, int64_t *id)
{
    if (!s || !key || !*key || !id)
        return -EINVAL;
    return s->model->content_by_source(s, key, id);
}

int store_content_org(struct store *s, int64_t id, int64_t *org_id)
{
    if (!s || !org_id)
        return -EINVAL;
    return s->model->content_org(s, id, org_id);
}

int store_content_replace(struct store_tx *tx, int64_t id, const struct store_content_new *c)
{
    if (!tx || !c || !c->section || !c->kind || !c->title || !c->body)
        return -EINVAL;
    return tx->store->model->content_replace(tx, id, c);
}

int store_content_set_source(struct store_tx *tx, int64_t id, const char *key)
{
    if (!tx || !key || !*key)
        return -EINVAL;
    return tx->store->model->content_set_source(tx, id, key);
}

int store_content_delete(struct store_tx *tx, int64_t id)
{
    if (!tx)
        return -EINVAL;
    return tx->store->model->content_delete(tx, id);
}

int store_org_find(struct store *s, int64_t parent_id, const char *name, struct store_org *out)
{
    if (!s || !out || parent_id < 0)
        return -EINVAL;
    return s->model->org_find(s, parent_id, name, out);
}
