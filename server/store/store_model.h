/* The data model of migration 2 onward: accounts and sessions, content by kind (finance ledger
 * lines, courses, pioneers, questionnaires, quizzes), live broadcasts, roll calls, check-ins,
 * heartbeats, resume positions, service requests and the credits ledger. Part of the store's
 * one interface: include store/store.h, which includes this file.
 *
 * Errors as in store.h, plus -ESTALE: the row exists but is not in the state the write needs
 * (a roll call already closed, a broadcast that is not scheduled any more). */
#ifndef DJTV_STORE_MODEL_H
#define DJTV_STORE_MODEL_H

#include <stdint.h>
#include <time.h>

struct store;
struct store_tx;
struct store_scope;
struct store_member;
struct store_broadcast;

enum {
    STORE_PWHASH_MAX = 128, /* crypto_pwhash_STRBYTES: an argon2id string + NUL */
    STORE_URL_MAX = 512,
    STORE_TEXT_MAX = 2048, /* a citation, a note, a reply */
    STORE_PHONE_MAX = 24,
    STORE_DATE_LEN = 11, /* "YYYY-MM-DD" + NUL */
    STORE_KIND_MAX = 64, /* a content kind such as 发展党员公示 */
};

/* ---- accounts and sessions ---- */

struct store_account {
    int64_t id;
    char username[STORE_NAME_MAX];
    char display_name[STORE_NAME_MAX];
    char role[STORE_KEY_MAX]; /* "cadre", "staff" or "admin" */
    int64_t org_id;           /* cadre: its village (branch); staff and admin: the township */
    char password_hash[STORE_PWHASH_MAX]; /* crypto_pwhash_str (argon2id) */
    char pin_hash[STORE_PWHASH_MAX]; /* store_account_by_phone only: the PIN's hash, "" = none */
    int disabled;
};
int store_account_by_username(struct store *s, const char *username, struct store_account *out);
/* The same by id; password_hash comes back empty (who asks by id never needs it). */
int store_account_get(struct store *s, int64_t id, struct store_account *out);
/* Uses username, display_name, role, org_id, password_hash of A. -EINVAL when the org is not
 * of the role's kind (a cadre's must be a village, staff's and admins' a township). */
int store_account_add(struct store_tx *tx, const struct store_account *a, time_t now,
                      int64_t *id);

/* The account whose phone is PHONE (11 digits), with its PIN hash (and no password hash);
 * -ENOENT when none. */
int store_account_by_phone(struct store *s, const char *phone, struct store_account *out);
/* Give cadre ACCOUNT_ID the phone PHONE and the PIN hash PIN_HASH (argon2id). -ENOENT when no
 * such cadre, -EEXIST when another account has that phone. */
int store_account_set_pin(struct store_tx *tx, int64_t account_id, const char *phone,
                          const char *pin_hash);

/* A session as auth needs it: who, in which role, where. */
struct store_session_ident {
    int64_t session_id;
    int64_t account_id;
    char role[STORE_KEY_MAX];
    int64_t village_id;  /* a cadre's village; 0 for staff and admins */
    int64_t township_id; /* the township the account belongs to */
    time_t expires_at;
    int disabled; /* the account was disabled */
};
/* Found by the SHA-256 (hex) of the session token; expired ones too (the caller decides). */
int store_session_by_token_hash(struct store *s, const char *hash_hex,
                                struct store_session_ident *out);
int store_session_add(struct store_tx *tx, int64_t account_id, const char *token_hash_hex,
                      time_t created_at, time_t expires_at, int64_t *id);
int store_session_delete(struct store_tx *tx, int64_t session_id);
/* Delete sessions that expired before NOW; *n (may be NULL) gets how many. */
int store_session_purge(struct store_tx *tx, time_t now, int *n);

/* ---- members ---- */

int store_member_get(struct store *s, int64_t id, struct store_member *out);

/* ---- content items ---- */

struct store_item {
    int64_t id;
    int64_t org_id;
    char section[STORE_KEY_MAX];
    char kind[STORE_KIND_MAX];
    char title[STORE_TITLE_MAX];
    char scope_name[STORE_NAME_MAX]; /* the name of org_id */
    time_t published_at;
    char picture[STORE_URL_MAX]; /* a course's poster or a pioneer's photo; "" when none */
    int duration_s;              /* a course's length; 0 when none */
    char category[STORE_NAME_MAX]; /* a course's category; "" when not a course */
    char *body;                  /* owned: only store_item_get fills it; NULL in lists */
};
/* Items of SECTION in SCOPE published at or before NOW, newest first: the page at OFFSET of up
 * to LIMIT items into OUT (at least LIMIT entries), their number in *N, all of them in *TOTAL. */
int store_item_list(struct store *s, const struct store_scope *scope, const char *section,
                    time_t now, int offset, int limit, struct store_item *out, int *n,
                    int *total);
/* The same, only the courses of CATEGORY (NULL = every item, as store_item_list). */
int store_item_list_category(struct store *s, const struct store_scope *scope,
                             const char *section, const char *category, time_t now, int offset,
                             int limit, struct store_item *out, int *n, int *total);
/* One item visible in SCOPE at NOW, with its body (free with store_item_fini, also after an
 * error). -ENOENT when it does not exist or is not visible there. */
int store_item_get(struct store *s, const struct store_scope *scope, time_t now, int64_t id,
                   struct store_item *out);
void store_item_fini(struct store_item *it);

/* A finance disclosure's ledger line. Amounts in fen (1/100 yuan). */
struct store_ledger_line {
    int line_no; /* 1, 2, ... in the order of the ledger */
    char date[STORE_DATE_LEN];
    char item[STORE_TITLE_MAX];
    int64_t income_fen;
    int64_t expense_fen;
    int64_t balance_fen; /* running balance up to this line, computed by the store */
};
int store_ledger_add(struct store_tx *tx, int64_t content_id, const struct store_ledger_line *l);
/* Every line of CONTENT_ID in order with its running balance: *OUT is an owned array (free()),
 * NULL when there are none. */
int store_ledger_list(struct store *s, int64_t content_id, struct store_ledger_line **out,
                      int *n);

/* A row of a dues disclosure (党费公示: name, month "YYYY-MM", amount_fen > 0, stage "") or of
 * a new-member disclosure (发展党员公示: name, stage such as 发展对象, day "YYYY-MM-DD",
 * amount_fen 0). */
struct store_disclosure_row {
    int row_no; /* 1, 2, ... in the order published */
    char name[STORE_NAME_MAX];
    char stage[STORE_NAME_MAX];
    char day[STORE_DATE_LEN];
    int64_t amount_fen;
};
int store_disclosure_row_add(struct store_tx *tx, int64_t content_id,
                             const struct store_disclosure_row *r);
/* Every row of CONTENT_ID in order: *OUT is an owned array (free()), NULL when none. */
int store_disclosure_rows(struct store *s, int64_t content_id, struct store_disclosure_row **out,
                          int *n);

/* A playable lesson or video (the study section's courses and the video centre's films). */
struct store_course {
    int64_t content_id;
    char title[STORE_TITLE_MAX]; /* the item's title (read only) */
    char category[STORE_NAME_MAX];
    char poster[STORE_URL_MAX];
    int duration_s;
    char media_url[STORE_URL_MAX];
};
int store_course_set(struct store_tx *tx, const struct store_course *c);
int store_course_get(struct store *s, int64_t content_id, struct store_course *out);
/* Courses in SCOPE published by NOW, by category then newest first; CATEGORY NULL = all. */
int store_course_list(struct store *s, const struct store_scope *scope, time_t now,
                      const char *category, struct store_course *out, int max, int *n);
/* How many courses of SECTION in SCOPE published by NOW each category has. */
struct store_category_count {
    char name[STORE_NAME_MAX];
    int count;
};
/* Up to MAX categories into OUT, by name; *N of them. */
int store_course_categories(struct store *s, const struct store_scope *scope,
                            const char *section, time_t now, struct store_category_count *out,
                            int max, int *n);

struct store_pioneer {
    char photo[STORE_URL_MAX];
    char citation[STORE_TEXT_MAX];
};
int store_pioneer_set(struct store_tx *tx, int64_t content_id, const struct store_pioneer *p);
int store_pioneer_get(struct store *s, int64_t content_id, struct store_pioneer *out);

/* ---- questionnaires and quizzes ---- */

struct store_option {
    int64_t id;
    int position;
    char label[STORE_TITLE_MAX];
    int correct; /* quizzes: part of the right answer */
    int votes;   /* questionnaires: how many chose it (the only record of anonymous answers) */
};

struct store_question {
    int64_t id;
    int position;
    char prompt[STORE_TITLE_MAX];
    int multiple;                 /* several options may be chosen */
    struct store_option *options; /* owned, n_options entries, by position */
    int n_options;
};

struct store_form {
    int64_t content_id;
    char type[STORE_KEY_MAX]; /* "questionnaire", "quiz" or "exam" */
    int anonymous;            /* questionnaires */
    char ballot_salt[65];     /* anonymous questionnaires: hex salt of the voter hashes */
    int pass_mark;            /* quizzes: percent needed to pass */
    int time_limit_s;         /* exams: seconds allowed to answer; 0 = no limit */
    struct store_question *questions; /* owned, n_questions entries, by position */
    int n_questions;
};
/* The questionnaire or quiz of CONTENT_ID with its questions and options; -ENOENT when the item
 * is neither. Free with store_form_fini, also after an error. */
int store_form_get(struct store *s, int64_t content_id, struct store_form *out);
void store_form_fini(struct store_form *f);

int store_questionnaire_set(struct store_tx *tx, int64_t content_id, int anonymous,
                            const char *ballot_salt_hex);
/* TIME_LIMIT_S: 0 for none, else 10 s to 3 h. */
int store_quiz_set(struct store_tx *tx, int64_t content_id, const char *type, int pass_mark,
                   int time_limit_s);
int store_question_add(struct store_tx *tx, int64_t content_id, int position, const char *prompt,
                       int multiple, int64_t *id);
int store_option_add(struct store_tx *tx, int64_t question_id, int position, const char *label,
                     int correct, int64_t *id);
/* One more vote for OPTION_ID. */
int store_option_vote(struct store_tx *tx, int64_t option_id);
/* Anonymous questionnaires: that the voter behind VOTER_HASH (hex SHA-256) has answered.
 * -EEXIST when they already have. Holds no member, box or time. */
/* Whether a member has answered questionnaire CONTENT_ID: by their ballot (VOTER_HASH_HEX, an
 * anonymous one) or their response (VOTER_HASH_HEX NULL, a named one). */
int store_form_answered(struct store *s, int64_t content_id, int64_t member_id,
                        const char *voter_hash_hex, int *answered);
int store_ballot_add(struct store_tx *tx, int64_t content_id, const char *voter_hash_hex);
/* Named questionnaires: MEMBER's answer. -EEXIST when they already answered. */
int store_response_add(struct store_tx *tx, int64_t content_id, int64_t member_id,
                       int64_t box_id, time_t at, int64_t *id);
int store_response_choice_add(struct store_tx *tx, int64_t response_id, int64_t option_id);

struct store_attempt {
    int64_t content_id;
    int64_t member_id;
    int64_t box_id;
    int score;     /* percent */
    int correct;   /* questions answered right */
    int questions; /* questions asked */
    int passed;
    time_t at;
    int64_t household_id;                     /* with a key: the box's household */
    char idempotency_key[STORE_IDEM_KEY_MAX]; /* add only: "" = none */
};
/* 0 when added; 1 when the box sent this idempotency key for this household before, for this
 * quiz and member: nothing is added, *id is the attempt made then and A's score, correct,
 * questions and passed are that attempt's (scored once); -EEXIST when it used the key for
 * something else; or a negative errno. */
int store_attempt_add(struct store_tx *tx, struct store_attempt *a, int64_t *id);
/* A box's idempotency KEY for its answer to questionnaire CONTENT_ID (the outbox may send it
 * twice): 0 when new (now taken), 1 when the box answered this questionnaire with it before
 * for HOUSEHOLD_ID (nothing more to add), -EEXIST when it used the key for something else. */
int store_response_key(struct store_tx *tx, int64_t box_id, int64_t household_id,
                       const char *key, int64_t content_id);

/* ---- broadcasts (see also store.h) ---- */

int store_broadcast_get(struct store *s, int64_t id, struct store_broadcast *out);
/* Broadcasts of SCOPE not ended (live first, then scheduled by start), up to MAX. */
int store_broadcast_list_scope(struct store *s, const struct store_scope *scope,
                               struct store_broadcast *out, int max, int *n);
/* The live broadcasts of TOWNSHIP_ID and of its villages, oldest start first, up to MAX. */
int store_broadcast_list_township_live(struct store *s, int64_t township_id,
                                       struct store_broadcast *out, int max, int *n);
/* scheduled → live at NOW; keeps the hash of the publishing key. -ESTALE when not scheduled. */
int store_broadcast_start(struct store_tx *tx, int64_t id, time_t now, const char *key_hash_hex,
                          const char *playback_url);
/* live → ended at NOW. -ESTALE when not live. */
int store_broadcast_end(struct store_tx *tx, int64_t id, time_t now);
/* Ended broadcasts of SCOPE that have a recording, newest first, up to MAX ("past meetings"). */
int store_broadcast_list_past(struct store *s, const struct store_scope *scope,
                              struct store_broadcast *out, int max, int *n);
/* The recording's STATE (recording, processing, ready, failed) and, unless URL is NULL, its
 * playlist URL. -ENOENT for no such broadcast. */
int store_broadcast_set_recording(struct store_tx *tx, int64_t id, const char *state,
                                  const char *url);
/* The multicast group (udp://group:port) the broadcast's headend sends to. */
int store_broadcast_set_multicast(struct store_tx *tx, int64_t id, const char *url);
/* The video item that carries the broadcast's replay. */
int store_broadcast_set_replay_item(struct store_tx *tx, int64_t id, int64_t item_id);

/* ---- roll calls, check-ins, heartbeats ---- */

struct store_rollcall {
    int64_t id;
    int64_t broadcast_id;
    int64_t org_id; /* whose members are called: a village, or the whole township */
    char title[STORE_TITLE_MAX]; /* the broadcast's */
    time_t opened_at;
    time_t closed_at; /* 0 while open */
    int expected;     /* members called (fixed when it opened) */
    int checked_in;
};
/* Open a roll call of BROADCAST_ID for the members of ORG_ID (its households' members at NOW
 * become the expected members). -EEXIST when one is already open for that broadcast and org. */
int store_rollcall_open(struct store_tx *tx, int64_t broadcast_id, int64_t org_id,
                        int64_t account_id, time_t now, int64_t *id, int *expected);
/* -ESTALE when already closed. */
int store_rollcall_close(struct store_tx *tx, int64_t id, time_t now);
int store_rollcall_get(struct store *s, int64_t id, struct store_rollcall *out);
/* The same without counting members (expected and checked_in are -1): the check-in hot path
 * needs only the org, the broadcast and whether it is closed. */
int store_rollcall_state(struct store *s, int64_t id, struct store_rollcall *out);
/* Open roll calls whose org is SCOPE's village or township, newest first. */
int store_rollcall_list_open(struct store *s, const struct store_scope *scope,
                             struct store_rollcall *out, int max, int *n);
/* Ids of the open roll calls of BROADCAST_ID. */
int store_rollcall_open_ids(struct store *s, int64_t broadcast_id, int64_t *ids, int max,
                            int *n);

/* One expected member of a roll call and when they checked in (0 = not yet). */
struct store_roster_entry {
    int64_t member_id;
    char name[STORE_NAME_MAX];
    int64_t household_id;
    char household[STORE_NAME_MAX];
    char village[STORE_NAME_MAX];
    time_t checked_in_at;
};
/* All expected members of ROLLCALL_ID by village, household, member: an owned array. */
int store_rollcall_roster(struct store *s, int64_t rollcall_id, struct store_roster_entry **out,
                          int *n);

/* MEMBER checks in at ROLLCALL_ID from BOX_ID at AT, once. A first check-in is written only
 * while the roll call is open (*created = 1, *at_out = AT); a repeat returns the first one
 * (*created = 0, *at_out its time), whatever the state now. -ESTALE when there is no check-in
 * and the roll call is closed. */
int store_checkin_add(struct store_tx *tx, int64_t rollcall_id, int64_t member_id,
                      int64_t box_id, time_t at, time_t *at_out, int *created);
/* When MEMBER checked in at ROLLCALL_ID; -ENOENT when they have not. */
int store_checkin_get(struct store *s, int64_t rollcall_id, int64_t member_id, time_t *at);

/* ---- a member away from home (流动党员) ---- */

struct store_guest {
    int64_t member_id;
    char name[STORE_NAME_MAX];
    int64_t village_id;             /* the member's own branch */
    char pin_hash[STORE_PWHASH_MAX]; /* argon2id string */
};
struct store_guest_session {
    int64_t id;
    int64_t member_id;
    char name[STORE_NAME_MAX];
    int64_t village_id;   /* the member's own branch */
    int64_t box_id;       /* the box they use, anywhere in the township */
    int64_t broadcast_id; /* the meeting they joined; the session ends with it */
};
/* TOWNSHIP_ID sets its MEMBER_ID's phone and the hash of their PIN ("" clears it). -ENOENT
 * when the township has no such member. */
int store_guest_set(struct store_tx *tx, int64_t township_id, int64_t member_id,
                    const char *phone, const char *pin_hash);
/* The member of TOWNSHIP_ID's villages with PHONE and a PIN. -ENOENT when none, -EEXIST when
 * two members share it. */
int store_guest_find(struct store *s, int64_t township_id, const char *phone,
                     struct store_guest *out);
int store_guest_session_add(struct store_tx *tx, const char *token_hash_hex, int64_t member_id,
                            int64_t box_id, int64_t broadcast_id, time_t now, int64_t *id);
/* The session of a token's SHA-256 (hex). -ENOENT when none. */
int store_guest_session_get(struct store *s, const char *token_hash_hex,
                            struct store_guest_session *out);

/* The last playback heartbeat of BOX_ID for BROADCAST_ID (one row per pair, moved forward). */
int store_heartbeat_put(struct store_tx *tx, int64_t box_id, int64_t broadcast_id, time_t at);
int store_heartbeat_last(struct store *s, int64_t box_id, int64_t broadcast_id, time_t *at);

/* ---- resume positions (per household, so every box of it sees them) ---- */

int store_resume_get(struct store *s, int64_t household_id, int64_t content_id,
                     int64_t *position_ms, time_t *updated_at);
int store_resume_put(struct store_tx *tx, int64_t household_id, int64_t content_id,
                     int64_t position_ms, time_t at);

/* ---- service requests ---- */

struct store_request {
    int64_t id;
    int64_t household_id;
    int64_t box_id;
    int64_t member_id; /* 0 when none was named */
    int64_t village_id;
    int64_t assignee_id; /* 0 when unassigned */
    char category[STORE_KEY_MAX];
    char phone[STORE_PHONE_MAX];
    char note[STORE_TEXT_MAX];
    char state[STORE_KEY_MAX]; /* open, assigned, replied, closed */
    time_t created_at;
    time_t deadline_at;
    time_t closed_at; /* 0 while not closed */
    int n_replies;
    char idempotency_key[STORE_IDEM_KEY_MAX]; /* add only: "" = none */
};
/* Uses household, box, member, village, category, phone, note, created_at, deadline_at; the
 * request starts "open". 0 when added; 1 when the box used this idempotency key before for this
 * household: nothing is added and *id is the request made then (-EEXIST: the box used the key
 * for another household); or a negative errno. */
int store_request_add(struct store_tx *tx, const struct store_request *r, int64_t *id);
/* HOUSEHOLD_ID's requests, newest first, a page as store_item_list. */
int store_request_list_household(struct store *s, int64_t household_id, int offset, int limit,
                                 struct store_request *out, int *n, int *total);
int store_request_get(struct store *s, int64_t id, struct store_request *out);

struct store_reply {
    int64_t id;
    int64_t account_id;
    char author[STORE_NAME_MAX]; /* the account's display name */
    char body[STORE_TEXT_MAX];
    time_t created_at;
};
/* A reply to REQUEST_ID by ACCOUNT_ID; the request becomes "replied". */
int store_reply_add(struct store_tx *tx, int64_t request_id, int64_t account_id,
                    const char *body, time_t at, int64_t *id);
/* Replies of REQUEST_ID, oldest first: an owned array. */
int store_reply_list(struct store *s, int64_t request_id, struct store_reply **out, int *n);

/* ---- the service desk: township staff answer requests (api/desk.c) ---- */

/* Which of a township's requests the desk lists. */
struct store_desk_filter {
    int64_t township_id;
    int64_t village_id; /* 0 = every village of the township */
    const char *state;  /* borrowed; NULL = any state */
    int overdue_only;   /* only those overdue at NOW */
    time_t now;         /* overdue = past the deadline at NOW and not closed */
};

/* A request as the desk shows it: the row and the names around it. */
struct store_desk_request {
    struct store_request r;
    int64_t township_id;           /* the township of the request's village */
    char village[STORE_NAME_MAX];
    char household[STORE_NAME_MAX];
    char member[STORE_NAME_MAX];   /* "" when no member was named */
    char assignee[STORE_NAME_MAX]; /* the assignee's display name, "" when unassigned */
};
/* The requests matching F: those not closed first, oldest deadline first, then the closed ones,
 * last closed first; the page at OFFSET of up to LIMIT into OUT, their number in *N. *TOTAL
 * counts all matching F; *OVERDUE those of F's township (and village) overdue at F->now,
 * whatever F's state and overdue_only. */
int store_request_desk_list(struct store *s, const struct store_desk_filter *f, int offset,
                            int limit, struct store_desk_request *out, int *n, int *total,
                            int *overdue);
int store_request_desk_get(struct store *s, int64_t id, struct store_desk_request *out);
/* Give request ID to ASSIGNEE_ID; its state becomes "assigned" unless it is "replied".
 * -ESTALE when closed. */
int store_request_assign(struct store_tx *tx, int64_t id, int64_t assignee_id);
/* Close request ID at AT. -ESTALE when already closed. (store_reply_add is -ESTALE on a closed
 * request too.) */
int store_request_close(struct store_tx *tx, int64_t id, time_t at);

/* An account a request can be given to. */
struct store_assignee {
    int64_t id;
    char name[STORE_NAME_MAX]; /* display name */
};
/* The enabled staff accounts of TOWNSHIP_ID by id, up to MAX. */
int store_request_assignees(struct store *s, int64_t township_id, struct store_assignee *out,
                            int max, int *n);

/* ---- duty checks (值班坐班): is a cadre on duty in the village office? (api/duty.c) ----
 * A check is "requested", then "on_duty" when the village's cadre answers in time. The
 * caller's rule of how long a check waits is passed as EXPIRED_BEFORE: a check still
 * "requested" that was asked before it reads as "absent" (computed on read; an answer that comes
 * too late writes "absent"). */

struct store_duty_check {
    int64_t id;
    int64_t village_id;
    int64_t township_id; /* the village's township */
    char village[STORE_NAME_MAX];
    int64_t checked_by;  /* the account that asked; 0 when unknown */
    char checked_by_name[STORE_NAME_MAX];
    char state[STORE_KEY_MAX]; /* requested, on_duty, absent (as of EXPIRED_BEFORE) */
    time_t requested_at;
    time_t answered_at; /* 0 until answered */
};
/* A check of VILLAGE_ID asked by ACCOUNT_ID at AT. -EEXIST when the village has one still
 * requested and asked at or after EXPIRED_BEFORE. */
int store_duty_add(struct store_tx *tx, int64_t village_id, int64_t account_id, time_t at,
                   time_t expired_before, int64_t *id);

/* What store_duty_answer found and did. */
enum store_duty_result {
    STORE_DUTY_ON_DUTY = 1, /* answered now, in time: on_duty */
    STORE_DUTY_ANSWERED,    /* answered before: nothing changed */
    STORE_DUTY_LATE,        /* asked before EXPIRED_BEFORE: written absent now */
    STORE_DUTY_ABSENT,      /* already absent: nothing changed */
};
/* Answer check ID at AT. Returns 0 with *RES (also when it wrote "absent"), or -ENOENT. */
int store_duty_answer(struct store_tx *tx, int64_t id, time_t at, time_t expired_before,
                      enum store_duty_result *res);
int store_duty_get(struct store *s, int64_t id, time_t expired_before,
                   struct store_duty_check *out);
/* Checks of TOWNSHIP_ID's villages (VILLAGE_ID 0 = all), newest first, a page as
 * store_item_list. */
int store_duty_list(struct store *s, int64_t township_id, int64_t village_id,
                    time_t expired_before, int offset, int limit, struct store_duty_check *out,
                    int *n, int *total);
/* VILLAGE_ID's checks still requested and asked at or after EXPIRED_BEFORE, oldest first. */
int store_duty_open(struct store *s, int64_t village_id, time_t expired_before,
                    struct store_duty_check *out, int max, int *n);

/* ---- duty checks planned ahead (api/duty_plans.c, duty/planner.c) ----
 * A plan is "planned" until its due time, then "sent" (a check was made, CHECK_ID) or
 * "skipped" (the village had a check waiting); staff may make it "cancelled" before. */
struct store_duty_plan {
    int64_t id;
    int64_t village_id;
    int64_t township_id;
    char village[STORE_NAME_MAX];
    int64_t planned_by; /* the account; 0 when unknown */
    char planned_by_name[STORE_NAME_MAX];
    time_t due_at;
    char state[STORE_KEY_MAX];
    int64_t check_id; /* 0 until sent */
};
int store_duty_plan_add(struct store_tx *tx, int64_t village_id, int64_t account_id,
                        time_t due_at, int64_t *id);
int store_duty_plan_get(struct store *s, int64_t id, struct store_duty_plan *out);
/* Plans still "planned", soonest first, up to MAX: of TOWNSHIP_ID's villages (0 = every
 * township), due at or before DUE_BY (0 = any time). */
int store_duty_plans(struct store *s, int64_t township_id, time_t due_by,
                     struct store_duty_plan *out, int max, int *n);
/* A planned plan becomes STATE ("sent" with CHECK_ID, "skipped", "cancelled"). -ESTALE when
 * it is no longer planned, -ENOENT when there is none. */
int store_duty_plan_mark(struct store_tx *tx, int64_t id, const char *state, int64_t check_id);

/* ---- a member's record: attendance and credits ---- */

/* Reasons in the credits ledger. */
#define STORE_CREDIT_COURSE "course_completed"
#define STORE_CREDIT_EXAM "exam_passed"
#define STORE_CREDIT_MEETING "meeting_attended"

/* One credit row per (member, reason, ref): a second one for the same is not written
 * (*created = 0). REF_ID is the content item (course, exam) or the roll call (meeting). */
int store_credit_add(struct store_tx *tx, int64_t member_id, const char *reason, int64_t ref_id,
                     int points, time_t at, int *created);

struct store_credit {
    char reason[STORE_KEY_MAX];
    int64_t ref_id;
    char title[STORE_TITLE_MAX]; /* the course, exam or meeting */
    int points;
    time_t earned_at;
};
/* MEMBER's credits, newest first (owned array), and their sum in *TOTAL. */
int store_credit_list(struct store *s, int64_t member_id, struct store_credit **out, int *n,
                      int *total);

struct store_attendance {
    int64_t rollcall_id;
    int64_t broadcast_id;
    char title[STORE_TITLE_MAX];
    time_t opened_at;
    time_t closed_at;     /* 0 while open */
    time_t checked_in_at; /* 0 = absent (so far) */
};
/* Every roll call MEMBER was expected at, newest first (owned array). */
int store_attendance_list(struct store *s, int64_t member_id, struct store_attendance **out,
                          int *n);

/* ---- content admin and import (migration 3; server/import, api/admin.c) ---- */

/* The item the importer wrote for source key KEY (manifest file + item key). -ENOENT when none. */
int store_content_by_source(struct store *s, const char *key, int64_t *id);
/* The org of item ID, whatever its publication time. -ENOENT when there is no such item. */
int store_content_org(struct store *s, int64_t id, int64_t *org_id);
/* Overwrite item ID's org, section, kind, title, body and publication time, and drop its
 * extras (ledger lines, course, pioneer) so that the caller writes the new ones in the same
 * transaction. -ENOENT when there is no such item. */
int store_content_replace(struct store_tx *tx, int64_t id, const struct store_content_new *c);
/* Record the importer's source KEY of item ID (-EEXIST when another item has it). */
int store_content_set_source(struct store_tx *tx, int64_t id, const char *key);
/* Delete item ID and everything hanging off it (cascade). -ENOENT when there is none. */
int store_content_delete(struct store_tx *tx, int64_t id);
/* The org named NAME under PARENT_ID (0: a township, which has no parent); NAME NULL: the only
 * one there. -ENOENT when there is none, -EEXIST when NAME is NULL and there are several. */
int store_org_find(struct store *s, int64_t parent_id, const char *name, struct store_org *out);

/* ---- township staff: roll-call turnout (store_turnout.c, sqlite/sq_turnout.c; api/staff.c) ----
 * "present" counts expected members (fixed when the roll call opened) who checked in. */

/* A roll call as staff list it, with the name of the org whose members were called. */
struct store_turnout_rollcall {
    struct store_rollcall rc;   /* expected; checked_in = expected members present */
    char scope[STORE_NAME_MAX]; /* the name of rc.org_id */
};
/* Roll calls of TOWNSHIP_ID's members (called for the township or one of its villages) opened
 * from FROM to TO (both inclusive; 0 = no bound), newest first: the page at OFFSET of up to
 * LIMIT into OUT, their number in *N, all of them in *TOTAL. */
int store_turnout_rollcalls(struct store *s, int64_t township_id, time_t from, time_t to,
                            int offset, int limit, struct store_turnout_rollcall *out, int *n,
                            int *total);

struct store_turnout_village {
    int64_t village_id;
    char village[STORE_NAME_MAX];
    int expected;
    int present;
};
/* One row per village in ROLLCALL_ID's scope (the village called, or each village of the
 * township called), by village id: an owned array (free()), NULL when there are none. */
int store_turnout_villages(struct store *s, int64_t rollcall_id,
                           struct store_turnout_village **out, int *n);

/* An expected member of a roll call: where they live, how to reach them, when they came. */
struct store_turnout_member {
    int64_t member_id;
    char name[STORE_NAME_MAX];
    char phone[STORE_PHONE_MAX]; /* "" when unknown */
    int64_t household_id;
    char household[STORE_NAME_MAX];
    int64_t village_id;
    char village[STORE_NAME_MAX];
    time_t checked_in_at; /* 0 = absent */
};
/* Expected members of ROLLCALL_ID by village, household, member: an owned array. Only
 * VILLAGE_ID's unless it is 0; only those without a check-in when ABSENT_ONLY. */
int store_turnout_members(struct store *s, int64_t rollcall_id, int64_t village_id,
                          int absent_only, struct store_turnout_member **out, int *n);

/* One village at one closed roll call: a point of an attendance trend. */
struct store_turnout_point {
    int64_t rollcall_id;
    char title[STORE_TITLE_MAX]; /* the broadcast's */
    time_t opened_at;
    time_t closed_at;
    int64_t village_id;
    char village[STORE_NAME_MAX];
    int expected;
    int present;
};
/* The last LAST closed roll calls of TOWNSHIP_ID (only those that called VILLAGE_ID unless it
 * is 0): a point per roll call and village with expected members (only VILLAGE_ID's unless 0),
 * oldest roll call first, then by village id. An owned array. */
int store_turnout_trend(struct store *s, int64_t township_id, int64_t village_id, int last,
                        struct store_turnout_point **out, int *n);

/* ---- the township dashboard's overviews (sq_dashboard.c) ---- */

enum { STORE_VERSION_MAX = 32 };
/* What box BOX_ID last reported of itself: its software VERSION ("" = never) and when (*AT, 0 =
 * never). -ENOENT when there is no such box. */
int store_box_reported(struct store *s, int64_t box_id, char version[STORE_VERSION_MAX],
                       time_t *at);
/* Box BOX_ID runs VERSION, as it reported at AT. */
int store_box_report(struct store_tx *tx, int64_t box_id, const char *version, time_t at);

/* A set-top box as the dashboard lists it. */
struct store_box_row {
    int64_t id;
    int64_t household_id;
    int64_t village_id;
    char household[STORE_NAME_MAX];
    char village[STORE_NAME_MAX];
    char label[STORE_NAME_MAX];
    int revoked;
    time_t last_seen; /* its last playback heartbeat or report, the later; 0 = never */
    char version[STORE_VERSION_MAX]; /* its software as it last reported; "" = never */
};
/* The boxes of TOWNSHIP_ID's villages by village, household, box (BOX_ID > 0: only that one)
 * into *OUT (owned by the caller, free(); NULL when none). */
int store_box_list(struct store *s, int64_t township_id, int64_t box_id,
                   struct store_box_row **out, int *n);

/* A questionnaire of a township or one of its villages, with how many have answered. */
struct store_form_summary {
    int64_t content_id;
    int64_t org_id;
    char title[STORE_TITLE_MAX];
    char scope[STORE_NAME_MAX]; /* the org's name */
    int anonymous;
    time_t published_at;
    int respondents; /* ballots (anonymous) or responses (named) */
};
/* TOWNSHIP_ID's questionnaires (its own and its villages'), newest first, into *OUT (owned by
 * the caller, free(); NULL when none). */
int store_form_summaries(struct store *s, int64_t township_id, struct store_form_summary **out,
                         int *n);

/* Households watching a broadcast, per village: a box of theirs sent a heartbeat for
 * BROADCAST_ID at or after SINCE. */
struct store_watching {
    int64_t village_id;
    int households;
};
/* Into *OUT (owned by the caller, free(); NULL when none), villages with nobody watching left
 * out. */
int store_broadcast_watching(struct store *s, int64_t broadcast_id, time_t since,
                             struct store_watching **out, int *n);

#endif
