/* The only door to the database: handlers, auth and the demo builder call these functions and
 * no SQL lives anywhere else. The backend (today SQLite, under store/sqlite/) sits behind an ops
 * table, so another engine can be added without touching callers.
 *
 * Errors: 0 or a negative errno. -ENOENT not found, -EEXIST unique key taken, -EINVAL bad
 * argument or constraint, -EBUSY database locked, -EPROTO schema newer than this program,
 * -ENOMEM, -EIO any other database failure.
 *
 * Threads: every read function may be called from any thread at the same time (each call borrows
 * a read connection of its own). Writes go through a transaction object; one write transaction
 * runs at a time (the next issue replaces this with a single writer thread doing group commit;
 * callers keep the same functions). */
#ifndef DJTV_STORE_H
#define DJTV_STORE_H

#include <stdint.h>
#include <time.h>

struct store;
struct store_tx;

enum {
    STORE_NAME_MAX = 128,  /* bytes incl. NUL: names of people, households, orgs */
    STORE_TITLE_MAX = 512, /* bytes incl. NUL: titles */
    STORE_KEY_MAX = 32,    /* bytes incl. NUL: short keys such as a section or a state */
    STORE_IDEM_KEY_MAX = 65, /* bytes incl. NUL: a box's idempotency key */
    STORE_HASH_HEX = 65,   /* a SHA-256 as lowercase hex + NUL */
    STORE_SCHEMA_VERSION = 12, /* 3: content.source_key (import); 4: live recording; 5: replay item;
                                * 6: a box's reported software version, duty plans;
                                * 7: an exam's time limit; 8: idempotency_keys;
                                * 9: a cadre's phone and PIN;
                               * 10: members.guest_pin_hash, guest_sessions;
                                * 11: disclosure_rows; 12: upload_jobs */
};

enum store_open_flags {
    STORE_OPEN_CREATE = 1, /* create the database file when missing */
};

/* Open the database at PATH and bring its schema up to STORE_SCHEMA_VERSION.
 * Without STORE_OPEN_CREATE a missing file is -ENOENT. */
int store_open(const char *path, unsigned flags, struct store **out);
void store_close(struct store *s);

/* A trivial query that touches the database file. */
int store_ping(struct store *s);
/* The schema version recorded in the database. */
int store_schema_version(struct store *s, int *version);

/* ---- reads ---- */

/* Who a set-top box is, found by the hash of its token. Revoked boxes are -ENOENT. */
struct store_box_ident {
    int64_t box_id;
    int64_t household_id;
    int64_t village_id;
    int64_t township_id;
};
int store_box_by_token_hash(struct store *s, const char *hash_hex, struct store_box_ident *out);

struct store_org {
    int64_t id;
    int64_t parent_id; /* 0 when it has none (a township) */
    char kind[STORE_KEY_MAX]; /* "township" or "village" */
    char name[STORE_NAME_MAX];
};
int store_org_get(struct store *s, int64_t id, struct store_org *out);

struct store_member {
    int64_t id;
    int64_t household_id;
    char name[STORE_NAME_MAX];
    int birth_year;   /* 0 when unknown */
    char joined_on[16]; /* "YYYY-MM-DD" (joined the party), "" when unknown */
    char phone[32];   /* "" when unknown */
    char photo[512];  /* the member's photo, a /media/ path (a township import); "" = none */
};

struct store_household {
    int64_t id;
    int64_t village_id;
    char name[STORE_NAME_MAX];
    struct store_member *members; /* owned, n_members entries, ordered by id */
    int n_members;
};
/* Fills OUT (free it with store_household_fini, also after an error). */
int store_household_get(struct store *s, int64_t id, struct store_household *out);
void store_household_fini(struct store_household *h);

/* What a box sees: its own village and the township above it. */
struct store_scope {
    int64_t village_id;
    int64_t township_id;
};

struct store_count {
    char key[STORE_KEY_MAX];
    int count;
};
/* Content items in SCOPE published at or before NOW, counted per section key. Writes up to MAX
 * entries (one per section that has items) and their number to *N. */
int store_content_count_by_section(struct store *s, const struct store_scope *scope, time_t now,
                                   struct store_count *out, int max, int *n);

/* Broadcasts in SCOPE that have not ended (scheduled or live). */
int store_broadcast_count_active(struct store *s, const struct store_scope *scope, int *n);

struct store_broadcast {
    int64_t id;
    int64_t org_id;
    char title[STORE_TITLE_MAX];
    char state[STORE_KEY_MAX]; /* "scheduled", "live" or "ended" */
    char scope_name[STORE_NAME_MAX]; /* the name of org_id */
    time_t started_at; /* 0 when unset; the planned start for a scheduled one */
    time_t ended_at;   /* 0 when unset */
    char playback_url[512];  /* "" when none (filled by store_broadcast_get and the lists) */
    char recording_url[512]; /* "" when none */
    /* "" while nothing was recorded; "recording", "processing", "ready" or "failed". */
    char recording_state[STORE_KEY_MAX];
    char multicast_url[128];   /* udp://group:port the headend sends to; "" when none */
    char key_hash[65];         /* SHA-256 hex of the publishing key; never sent to anyone */
    int64_t replay_item_id;    /* the 视频 item of the replay (resume works on it); 0 = none */
};
/* Broadcasts in SCOPE that are live now, oldest start first; up to MAX. */
int store_broadcast_list_live(struct store *s, const struct store_scope *scope,
                              struct store_broadcast *out, int max, int *n);

/* ---- writes ----
 *
 * One writer thread owns the only write connection and does group commit: it takes every job
 * queued (up to STORE_BATCH_MAX), runs them in one transaction, each job in a SAVEPOINT of its
 * own (a job that fails rolls back only itself and gets its own error), COMMITs (WAL +
 * synchronous=FULL: on disk when COMMIT returns), and only then reports each job's result.
 * A full queue (STORE_QUEUE_MAX jobs waiting) refuses more with -EAGAIN (answer 503).
 *
 * store_tx_begin/commit is the blocking form: begin waits for the caller's turn in a batch (its
 * statements then run on the write connection from the caller's thread), commit waits for the
 * batch's COMMIT. Never begin a transaction from inside a job or another open transaction:
 * that is -EDEADLK (from a job) or a deadlock. */

enum {
    STORE_BATCH_MAX = 256,  /* jobs per transaction */
    STORE_QUEUE_MAX = 4096, /* jobs waiting for the writer */
};

/* Start a write transaction. Exactly one of commit or rollback must follow; both free TX. */
int store_tx_begin(struct store *s, struct store_tx **out);
int store_tx_commit(struct store_tx *tx); /* on failure the transaction is rolled back */
void store_tx_rollback(struct store_tx *tx);

/* A write job: RUN is called on the writer thread with the batch's transaction; return 0 (or a
 * positive value) to keep its writes, a negative errno to roll them back. */
typedef int (*store_job_fn)(struct store_tx *tx, void *arg);
/* Called on the writer thread after the batch's COMMIT: RC is RUN's result when it and the
 * COMMIT succeeded (the writes are on disk), else the negative errno. Keep it short. */
typedef void (*store_done_fn)(void *arg, int rc);
/* Queue a job. 0 when queued (DONE will be called exactly once); -EAGAIN when the queue is
 * full, -ESHUTDOWN when the store is closing (DONE is then not called). DONE may be NULL. */
int store_submit(struct store *s, store_job_fn run, store_done_fn done, void *arg);
/* Queue a job and wait for its commit: RUN's result, or the negative errno. */
int store_write(struct store *s, store_job_fn run, void *arg);

struct store_writer_stats {
    int64_t batches;   /* transactions committed or failed */
    int64_t jobs;      /* jobs run (blocking transactions included) */
    int64_t failed;    /* jobs that ended with an error */
    int64_t rejected;  /* submissions refused because the queue was full */
    int max_batch;     /* largest batch so far */
    int queued;        /* jobs waiting now */
};
int store_writer_stats(struct store *s, struct store_writer_stats *out);

int store_org_add(struct store_tx *tx, int64_t parent_id, const char *kind, const char *name,
                  int64_t *id);
int store_household_add(struct store_tx *tx, int64_t village_id, const char *name, int64_t *id);
/* Uses household_id, name, birth_year, joined_on, phone of M (empty strings are stored as NULL). */
int store_member_add(struct store_tx *tx, const struct store_member *m, int64_t *id);
int store_box_add(struct store_tx *tx, int64_t household_id, const char *token_hash_hex,
                  const char *label, int64_t *id);
int store_box_revoke(struct store_tx *tx, int64_t box_id);

struct store_content_new {
    int64_t org_id;
    const char *section; /* borrowed: affairs, live, study, video, pioneers, evaluation */
    const char *kind;    /* borrowed: e.g. 通知公告, 财务公示, 课程 */
    const char *title;   /* borrowed */
    const char *body;    /* borrowed */
    time_t published_at;
};
int store_content_add(struct store_tx *tx, const struct store_content_new *c, int64_t *id);

struct store_broadcast_new {
    int64_t org_id;
    const char *title; /* borrowed */
    const char *state; /* borrowed: scheduled, live, ended */
    time_t started_at; /* 0 = NULL */
    time_t ended_at;   /* 0 = NULL */
};
int store_broadcast_add(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id);

/* Accounts, content by kind, roll calls, requests, credits: the data model of migration 2. */
#include "store/store_model.h"
/* Upload jobs (migration 12). */
#include "store/store_jobs.h"

#endif
