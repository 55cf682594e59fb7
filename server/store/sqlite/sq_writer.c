/* The writer thread: group commit on the only write connection (tests/bench/METHOD.md:
 * one writer + group commit was the fastest durable design measured, 6-7x one fsync per
 * request, and it keeps the HTTP threads free while the disk syncs).
 *
 * The writer takes everything queued (up to STORE_BATCH_MAX), BEGIN IMMEDIATE, runs each job
 * inside a SAVEPOINT of its own (a failing job rolls back only itself), COMMIT, and only then
 * reports every job's result. Batches size themselves: jobs that arrive while a COMMIT syncs
 * form the next batch, so no timer is needed.
 *
 * A blocking transaction (store_tx_begin) is a job too: when the writer reaches it, it hands
 * the connection to the waiting caller (whose statements run on its own thread) and waits for
 * commit or rollback; the caller's commit then waits for the batch's COMMIT. The hand-over
 * goes through the writer's mutex, so one thread at a time uses the connection.
 *
 * Lock: w->lock guards the queue, the counters and every interactive transaction's state. */
#define _GNU_SOURCE /* pthread_setname_np: named threads in top and /proc */
#define LOG_TAG "store"
#include "store/sqlite/sq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

enum itx_state {
    ITX_QUEUED,   /* waiting for its turn */
    ITX_RUNNING,  /* the caller holds the connection */
    ITX_COMMIT,   /* the caller is done and wants its writes */
    ITX_ROLLBACK, /* the caller is done and drops its writes */
    ITX_DONE,     /* the batch ended; rc is final */
};

struct sq_job {
    struct sq_job *next;   /* queue link */
    store_job_fn run;      /* NULL for an interactive transaction */
    store_done_fn done;    /* may be NULL */
    void *run_arg;         /* borrowed: the submitter's */
    void *done_arg;        /* borrowed: the submitter's (the waiter's in sq_writer_write) */
    struct sq_itx *itx;    /* borrowed: the interactive transaction this job is, or NULL */
    int rc;
};

/* A blocking transaction: what store_tx_begin hands out (tx first, so the casts work). */
struct sq_itx {
    struct sq_tx tx;
    struct sq_job job;
    enum itx_state state;
};

struct sq_writer {
    struct sq_store *q; /* borrowed */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t work; /* the writer waits for jobs */
    pthread_cond_t turn; /* interactive callers and the writer wait on each other */
    struct sq_job *head, *tail;
    int queued;
    int stopping;
    struct sq_tx wtx; /* the transaction handle that queued jobs get */
    int batch_max;    /* STORE_BATCH_MAX, or DJTV_BENCH_BATCH_MAX for measurements */
    sqlite3_stmt *savepoint, *release, *rollback_to; /* owned, on q->writer */
    struct store_writer_stats stats;
};

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static struct sq_writer *writer_of(struct store *s)
{
    return sq_from(s)->w;
}

/* Run a statement that returns no rows on the write connection. */
static int exec_stmt(struct sq_conn *c, sqlite3_stmt *st, const char *what)
{
    if (!st)
        return -EIO;
    return sq_step_done(c, st, what);
}

static int exec_cached(struct sq_conn *c, enum sq_stmt_id id, const char *sql)
{
    return exec_stmt(c, sq_stmt(c, id, sql), sql);
}

/* ---- queue ---- */

/* Append JOB (lock held). -EAGAIN when full, -ESHUTDOWN when stopping. */
static int enqueue(struct sq_writer *w, struct sq_job *job)
{
    if (w->stopping)
        return -ESHUTDOWN;
    if (w->queued >= STORE_QUEUE_MAX) {
        w->stats.rejected++;
        return -EAGAIN;
    }
    job->next = NULL;
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    w->queued++;
    pthread_cond_signal(&w->work);
    return 0;
}

/* ---- the writer's side of one batch ---- */

/* Hand the connection to an interactive transaction's caller and wait until it is done. */
static int run_interactive(struct sq_writer *w, struct sq_itx *itx)
{
    pthread_mutex_lock(&w->lock);
    itx->state = ITX_RUNNING;
    pthread_cond_broadcast(&w->turn);
    while (itx->state == ITX_RUNNING)
        pthread_cond_wait(&w->turn, &w->lock);
    int rc = itx->state == ITX_COMMIT ? 0 : -ECANCELED;
    pthread_mutex_unlock(&w->lock);
    return rc;
}

static void finish(struct sq_writer *w, struct sq_job *job)
{
    if (job->itx) {
        pthread_mutex_lock(&w->lock);
        job->itx->state = ITX_DONE;
        pthread_cond_broadcast(&w->turn);
        pthread_mutex_unlock(&w->lock);
        return; /* the caller frees it */
    }
    if (job->done)
        job->done(job->done_arg, job->rc);
    free(job);
}

/* Start (or restart) the batch's transaction; on failure every job from FROM on fails. */
static int batch_begin(struct sq_writer *w, struct sq_job **jobs, int from, int n)
{
    int rc = exec_cached(w->q->writer, SQ_BEGIN, SQL_BEGIN);
    if (rc < 0)
        for (int i = from; i < n; i++)
            jobs[i]->rc = rc;
    return rc;
}

static void run_batch(struct sq_writer *w, struct sq_job **jobs, int n)
{
    struct sq_conn *c = w->q->writer;
    int rc = batch_begin(w, jobs, 0, n);
    for (int i = 0; i < n && rc == 0; i++) {
        struct sq_job *job = jobs[i];
        int jrc = exec_stmt(c, w->savepoint, "savepoint");
        if (jrc == 0)
            jrc = job->itx ? run_interactive(w, job->itx) : job->run(&w->wtx.base, job->run_arg);
        if (sqlite3_get_autocommit(c->db)) {
            /* SQLite rolled the whole transaction back (I/O error, full disk, ...): the jobs
             * before this one lost their writes too. Fail them and go on in a new one. */
            log_error("write transaction lost in job %d of %d", i + 1, n);
            for (int k = 0; k <= i; k++)
                if (jobs[k]->rc >= 0)
                    jobs[k]->rc = -EIO;
            if (jrc < 0)
                job->rc = jrc;
            rc = batch_begin(w, jobs, i + 1, n);
            continue;
        }
        if (jrc < 0) {
            /* Undo this job only. If even that fails, the transaction cannot be trusted. */
            if (exec_stmt(c, w->rollback_to, "rollback to savepoint") < 0 ||
                exec_stmt(c, w->release, "release savepoint") < 0) {
                rc = -EIO;
                for (int k = 0; k < n; k++)
                    if (k >= i || jobs[k]->rc >= 0)
                        jobs[k]->rc = rc;
                break;
            }
        } else if (exec_stmt(c, w->release, "release savepoint") < 0) {
            jrc = -EIO;
        }
        job->rc = jrc;
    }
    if (rc == 0) {
        rc = exec_cached(c, SQ_COMMIT, SQL_COMMIT);
        if (rc < 0)
            for (int i = 0; i < n; i++)
                if (jobs[i]->rc >= 0)
                    jobs[i]->rc = rc;
    }
    if (!sqlite3_get_autocommit(c->db))
        exec_cached(c, SQ_ROLLBACK, SQL_ROLLBACK);
    int failed = 0;
    for (int i = 0; i < n; i++)
        failed += jobs[i]->rc < 0;
    pthread_mutex_lock(&w->lock);
    w->stats.batches++;
    w->stats.jobs += n;
    w->stats.failed += failed;
    if (n > w->stats.max_batch)
        w->stats.max_batch = n;
    pthread_mutex_unlock(&w->lock);
    for (int i = 0; i < n; i++)
        finish(w, jobs[i]);
}

static void *writer_main(void *arg)
{
    struct sq_writer *w = arg;
    struct sq_job *jobs[STORE_BATCH_MAX];
    pthread_setname_np(pthread_self(), "djtv-writer");
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->work, &w->lock);
        if (!w->head)
            break; /* stopping, and everything queued has run */
        int n = 0;
        while (w->head && n < w->batch_max) {
            jobs[n++] = w->head;
            w->head = w->head->next;
        }
        if (!w->head)
            w->tail = NULL;
        w->queued -= n;
        pthread_mutex_unlock(&w->lock);
        run_batch(w, jobs, n);
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

/* ---- API ---- */

static int on_writer_thread(struct sq_writer *w)
{
    return w->started && pthread_equal(pthread_self(), w->thread);
}

int sq_writer_submit(struct store *s, store_job_fn run, store_done_fn done, void *arg)
{
    struct sq_writer *w = writer_of(s);
    struct sq_job *job = calloc(1, sizeof(*job));
    if (!job)
        return -ENOMEM;
    job->run = run;
    job->done = done;
    job->run_arg = arg;
    job->done_arg = arg;
    pthread_mutex_lock(&w->lock);
    int rc = enqueue(w, job);
    pthread_mutex_unlock(&w->lock);
    if (rc < 0)
        free(job);
    return rc;
}

/* sq_writer_write: the caller's job, and how its DONE wakes the waiting caller. */
struct sq_wait {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
    int rc;
};

static void wait_done(void *arg, int rc)
{
    struct sq_wait *wt = arg;
    pthread_mutex_lock(&wt->lock);
    wt->rc = rc;
    wt->done = 1;
    pthread_cond_signal(&wt->cond);
    pthread_mutex_unlock(&wt->lock);
}

int sq_writer_write(struct store *s, store_job_fn run, void *arg)
{
    struct sq_writer *w = writer_of(s);
    if (on_writer_thread(w)) {
        log_error("a blocking write was started from inside a write job");
        return -EDEADLK;
    }
    struct sq_job *job = calloc(1, sizeof(*job));
    if (!job)
        return -ENOMEM;
    struct sq_wait wt = { .done = 0 };
    pthread_mutex_init(&wt.lock, NULL);
    pthread_cond_init(&wt.cond, NULL);
    job->run = run;
    job->done = wait_done;
    job->run_arg = arg;
    job->done_arg = &wt;
    pthread_mutex_lock(&w->lock);
    int rc = enqueue(w, job);
    pthread_mutex_unlock(&w->lock);
    if (rc < 0) {
        free(job);
    } else {
        pthread_mutex_lock(&wt.lock);
        while (!wt.done)
            pthread_cond_wait(&wt.cond, &wt.lock);
        rc = wt.rc;
        pthread_mutex_unlock(&wt.lock);
    }
    pthread_cond_destroy(&wt.cond);
    pthread_mutex_destroy(&wt.lock);
    return rc;
}

int sq_writer_tx_begin(struct store *s, struct store_tx **out)
{
    struct sq_writer *w = writer_of(s);
    if (on_writer_thread(w)) {
        log_error("a transaction was begun from inside a write job");
        return -EDEADLK;
    }
    struct sq_itx *itx = calloc(1, sizeof(*itx));
    if (!itx)
        return -ENOMEM;
    itx->tx.base.store = s;
    itx->tx.q = sq_from(s);
    itx->job.itx = itx;
    itx->state = ITX_QUEUED;
    pthread_mutex_lock(&w->lock);
    int rc = enqueue(w, &itx->job);
    while (rc == 0 && itx->state == ITX_QUEUED)
        pthread_cond_wait(&w->turn, &w->lock);
    pthread_mutex_unlock(&w->lock);
    if (rc < 0) {
        free(itx);
        return rc;
    }
    if (itx->state == ITX_DONE) { /* the batch failed before our turn */
        rc = itx->job.rc < 0 ? itx->job.rc : -EIO;
        free(itx);
        return rc;
    }
    *out = &itx->tx.base;
    return 0;
}

/* Tell the writer we are done (STATE) and wait for the end of the batch. */
static int itx_end(struct store_tx *tx, enum itx_state state)
{
    struct sq_itx *itx = (struct sq_itx *)tx;
    struct sq_writer *w = itx->tx.q->w;
    pthread_mutex_lock(&w->lock);
    itx->state = state;
    pthread_cond_broadcast(&w->turn);
    while (itx->state != ITX_DONE)
        pthread_cond_wait(&w->turn, &w->lock);
    int rc = itx->job.rc;
    pthread_mutex_unlock(&w->lock);
    free(itx);
    return rc;
}

int sq_writer_tx_commit(struct store_tx *tx)
{
    int rc = itx_end(tx, ITX_COMMIT);
    return rc < 0 ? rc : 0;
}

void sq_writer_tx_rollback(struct store_tx *tx)
{
    itx_end(tx, ITX_ROLLBACK);
}

int sq_writer_stats(struct store *s, struct store_writer_stats *out)
{
    struct sq_writer *w = writer_of(s);
    pthread_mutex_lock(&w->lock);
    *out = w->stats;
    out->queued = w->queued;
    pthread_mutex_unlock(&w->lock);
    return 0;
}

static int prepare(struct sq_conn *c, const char *sql, sqlite3_stmt **st)
{
    int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL);
    return rc == SQLITE_OK ? 0 : sq_fail(c, rc, "preparing writer statement");
}

static void writer_free(struct sq_writer *w)
{
    sqlite3_finalize(w->savepoint);
    sqlite3_finalize(w->release);
    sqlite3_finalize(w->rollback_to);
    pthread_cond_destroy(&w->turn);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

int sq_writer_start(struct sq_store *q)
{
    struct sq_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->q = q;
    w->wtx.base.store = &q->base;
    w->wtx.q = q;
    /* DJTV_BENCH_BATCH_MAX=1 gives one commit (one fsync) per request, to measure what group
     * commit saves (server/DURABILITY.md). */
    w->batch_max = STORE_BATCH_MAX;
    const char *bm = getenv("DJTV_BENCH_BATCH_MAX");
    if (bm) {
        char *end = NULL;
        long v = strtol(bm, &end, 10);
        if (end != bm && *end == '\0' && v >= 1 && v <= STORE_BATCH_MAX) {
            w->batch_max = (int)v;
            log_warn("writer batches capped at %d jobs for a benchmark", w->batch_max);
        }
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->turn, NULL);
    int rc = prepare(q->writer, "SAVEPOINT job", &w->savepoint);
    if (rc == 0)
        rc = prepare(q->writer, "RELEASE job", &w->release);
    if (rc == 0)
        rc = prepare(q->writer, "ROLLBACK TO job", &w->rollback_to);
    if (rc == 0) {
        rc = -pthread_create(&w->thread, NULL, writer_main, w);
        w->started = rc == 0;
    }
    if (rc < 0) {
        writer_free(w);
        return rc;
    }
    q->w = w;
    return 0;
}

void sq_writer_stop(struct sq_store *q)
{
    struct sq_writer *w = q->w;
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    log_debug("writer: %lld batches, %lld jobs, %lld failed, largest batch %d",
              (long long)w->stats.batches, (long long)w->stats.jobs,
              (long long)w->stats.failed, w->stats.max_batch);
    writer_free(w);
    q->w = NULL;
}
