/* The store's writer thread on a real SQLite file: group commit of queued jobs, a failing job
 * rolled back alone, blocking transactions taking their turn in a batch, the bounded queue,
 * a lost transaction, jobs that try to wait on the writer, and close running what is queued. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "../check.h"
#include "server_test.h"
#include "store/sqlite/sq.h"

/* One queued job: add a village named NAME; FAIL makes it fail after its insert. */
struct job {
    int64_t parent;
    char name[32];
    int fail;      /* 1: return -EEXIST after the insert; 2: drop the whole transaction */
    int64_t id;    /* set by run */
    atomic_int rc; /* set by done; 1 = not done yet */
};

static int job_run(struct store_tx *tx, void *arg)
{
    struct job *j = arg;
    int rc = store_org_add(tx, j->parent, "village", j->name, &j->id);
    if (rc < 0)
        return rc;
    if (j->fail == 2) {
        /* What SQLite does on some I/O errors: the transaction is rolled back under us. */
        sqlite3_exec(sq_tx_conn(tx)->db, "ROLLBACK", NULL, NULL, NULL);
        return 0;
    }
    return j->fail ? -EEXIST : 0;
}

static void job_done(void *arg, int rc)
{
    struct job *j = arg;
    atomic_store(&j->rc, rc);
}

static void job_init(struct job *j, int64_t parent, const char *name, int fail)
{
    memset(j, 0, sizeof(*j));
    j->parent = parent;
    snprintf(j->name, sizeof(j->name), "%s", name);
    j->fail = fail;
    atomic_store(&j->rc, 1);
}

static int wait_done(struct job *jobs, int n)
{
    for (int tries = 0; tries < 1000; tries++) {
        int pending = 0;
        for (int i = 0; i < n; i++)
            pending += atomic_load(&jobs[i].rc) == 1;
        if (!pending)
            return 0;
        usleep(10000);
    }
    return -1;
}

/* 1 when an org named NAME exists. */
static int org_exists(struct store *s, int64_t id, const char *name)
{
    struct store_org o;
    return id > 0 && store_org_get(s, id, &o) == 0 && strcmp(o.name, name) == 0;
}

static void test_batch_with_a_failing_job(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_writer_stats before, after;
    CHECK_EQ_INT(store_writer_stats(f.s, &before), 0);
    /* Hold the writer in a blocking transaction so that the jobs queue up behind it. */
    struct store_tx *hold = NULL;
    CHECK_EQ_INT(store_tx_begin(f.s, &hold), 0);
    int64_t held_id = 0;
    CHECK_EQ_INT(store_org_add(hold, f.township, "village", "北村", &held_id), 0);
    static struct job jobs[5];
    job_init(&jobs[0], f.township, "甲村", 0);
    job_init(&jobs[1], f.township, "乙村", 1); /* fails: only its own row goes */
    job_init(&jobs[2], f.township, "丙村", 0);
    job_init(&jobs[3], 999999, "无主村", 0);  /* a foreign-key error of its own */
    job_init(&jobs[4], f.township, "丁村", 0);
    for (int i = 0; i < 5; i++)
        CHECK_EQ_INT(store_submit(f.s, job_run, job_done, &jobs[i]), 0);
    CHECK_EQ_INT(store_writer_stats(f.s, &after), 0);
    CHECK_EQ_INT(after.queued, 5);
    CHECK_EQ_INT(store_tx_commit(hold), 0);
    CHECK(org_exists(f.s, held_id, "北村"));
    CHECK_EQ_INT(wait_done(jobs, 5), 0);
    CHECK_EQ_INT(atomic_load(&jobs[0].rc), 0);
    CHECK_EQ_INT(atomic_load(&jobs[1].rc), -EEXIST);
    CHECK_EQ_INT(atomic_load(&jobs[2].rc), 0);
    CHECK_EQ_INT(atomic_load(&jobs[3].rc), -EINVAL);
    CHECK_EQ_INT(atomic_load(&jobs[4].rc), 0);
    CHECK(org_exists(f.s, jobs[0].id, "甲村"));
    CHECK(!org_exists(f.s, jobs[1].id, "乙村"));
    CHECK(org_exists(f.s, jobs[2].id, "丙村"));
    CHECK(org_exists(f.s, jobs[4].id, "丁村"));
    CHECK_EQ_INT(store_writer_stats(f.s, &after), 0);
    CHECK_EQ_INT(after.jobs - before.jobs, 6);
    CHECK_EQ_INT(after.batches - before.batches, 2); /* the held one, then all five at once */
    CHECK(after.max_batch >= 5);
    CHECK_EQ_INT(after.failed - before.failed, 2);
    CHECK_EQ_INT(after.queued, 0);
    fixture_close(&f);
}

static void test_lost_transaction_fails_the_batch_so_far(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_tx *hold = NULL;
    CHECK_EQ_INT(store_tx_begin(f.s, &hold), 0);
    static struct job jobs[3];
    job_init(&jobs[0], f.township, "甲村", 0);
    job_init(&jobs[1], f.township, "乙村", 2); /* the transaction vanishes here */
    job_init(&jobs[2], f.township, "丙村", 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(store_submit(f.s, job_run, job_done, &jobs[i]), 0);
    store_tx_rollback(hold);
    CHECK_EQ_INT(wait_done(jobs, 3), 0);
    CHECK_EQ_INT(atomic_load(&jobs[0].rc), -EIO);
    CHECK_EQ_INT(atomic_load(&jobs[1].rc), -EIO);
    CHECK_EQ_INT(atomic_load(&jobs[2].rc), 0); /* ran in a new transaction */
    CHECK(!org_exists(f.s, jobs[0].id, "甲村"));
    CHECK(!org_exists(f.s, jobs[1].id, "乙村"));
    CHECK(org_exists(f.s, jobs[2].id, "丙村"));
    fixture_close(&f);
}

static void test_queue_is_bounded(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_tx *hold = NULL;
    CHECK_EQ_INT(store_tx_begin(f.s, &hold), 0);
    struct job *jobs = calloc(STORE_QUEUE_MAX + 1, sizeof(*jobs));
    for (int i = 0; i <= STORE_QUEUE_MAX; i++) {
        char name[32];
        snprintf(name, sizeof(name), "村%d", i);
        job_init(&jobs[i], f.township, name, 0);
    }
    int queued = 0;
    for (int i = 0; i < STORE_QUEUE_MAX; i++)
        queued += store_submit(f.s, job_run, job_done, &jobs[i]) == 0;
    CHECK_EQ_INT(queued, STORE_QUEUE_MAX);
    CHECK_EQ_INT(store_submit(f.s, job_run, job_done, &jobs[STORE_QUEUE_MAX]), -EAGAIN);
    struct store_tx *another = NULL;
    CHECK_EQ_INT(store_tx_begin(f.s, &another), -EAGAIN); /* blocking callers too */
    struct store_writer_stats st;
    CHECK_EQ_INT(store_writer_stats(f.s, &st), 0);
    CHECK_EQ_INT(st.rejected, 2);
    CHECK_EQ_INT(store_tx_commit(hold), 0);
    CHECK_EQ_INT(wait_done(jobs, STORE_QUEUE_MAX), 0);
    int ok = 0;
    for (int i = 0; i < STORE_QUEUE_MAX; i++)
        ok += atomic_load(&jobs[i].rc) == 0;
    CHECK_EQ_INT(ok, STORE_QUEUE_MAX);
    CHECK_EQ_INT(store_writer_stats(f.s, &st), 0);
    CHECK(st.max_batch == STORE_BATCH_MAX); /* 4096 queued jobs go 256 per commit */
    free(jobs);
    fixture_close(&f);
}

/* Several threads mixing blocking transactions, store_write and queued jobs. */
enum { N_THREADS = 4, PER_THREAD = 60 };

struct worker {
    struct store *s;
    int64_t parent;
    int index;
    int failures;
};

static void *worker_main(void *p)
{
    struct worker *w = p;
    for (int i = 0; i < PER_THREAD; i++) {
        char name[32];
        snprintf(name, sizeof(name), "w%d-%d", w->index, i);
        if (i % 2) {
            struct store_tx *tx = NULL;
            int64_t id = 0;
            if (store_tx_begin(w->s, &tx) < 0) {
                w->failures++;
                continue;
            }
            if (store_org_add(tx, w->parent, "village", name, &id) < 0) {
                store_tx_rollback(tx);
                w->failures++;
                continue;
            }
            w->failures += store_tx_commit(tx) < 0 || !org_exists(w->s, id, name);
        } else {
            struct job j;
            job_init(&j, w->parent, name, 0);
            w->failures += store_write(w->s, job_run, &j) != 0 || !org_exists(w->s, j.id, name);
        }
    }
    return NULL;
}

static void test_threads_mixing_both_forms(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    pthread_t t[N_THREADS];
    struct worker w[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        w[i] = (struct worker){ f.s, f.township, i, 0 };
        CHECK_EQ_INT(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(w[i].failures, 0);
    }
    struct store_writer_stats st;
    CHECK_EQ_INT(store_writer_stats(f.s, &st), 0);
    CHECK_EQ_INT(st.failed, 0);
    fixture_close(&f);
}

/* A job that tries to wait on the writer it runs on gets -EDEADLK instead of hanging. */
static int nested_run(struct store_tx *tx, void *arg)
{
    (void)tx;
    int *results = arg;
    struct store *s = tx->store;
    struct store_tx *inner = NULL;
    results[0] = store_tx_begin(s, &inner);
    struct job j;
    job_init(&j, 1, "x", 0);
    results[1] = store_write(s, job_run, &j);
    return 0;
}

static void test_nested_waits_are_refused(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    int results[2] = { 0, 0 };
    CHECK_EQ_INT(store_write(f.s, nested_run, results), 0);
    CHECK_EQ_INT(results[0], -EDEADLK);
    CHECK_EQ_INT(results[1], -EDEADLK);
    fixture_close(&f);
}

static void test_close_runs_what_is_queued(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    enum { N = 300 };
    static struct job jobs[N];
    for (int i = 0; i < N; i++) {
        char name[32];
        snprintf(name, sizeof(name), "关村%d", i);
        job_init(&jobs[i], f.township, name, 0);
        CHECK_EQ_INT(store_submit(f.s, job_run, job_done, &jobs[i]), 0);
    }
    store_close(f.s); /* joins the writer after it ran everything */
    f.s = NULL;
    int ok = 0;
    for (int i = 0; i < N; i++)
        ok += atomic_load(&jobs[i].rc) == 0;
    CHECK_EQ_INT(ok, N);
    CHECK_EQ_INT(store_open(f.db, 0, &f.s), 0);
    int found = 0;
    for (int i = 0; i < N; i++)
        found += org_exists(f.s, jobs[i].id, jobs[i].name);
    CHECK_EQ_INT(found, N);
    fixture_close(&f);
}

static void test_bad_arguments(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    CHECK_EQ_INT(store_submit(NULL, job_run, job_done, NULL), -EINVAL);
    CHECK_EQ_INT(store_submit(f.s, NULL, job_done, NULL), -EINVAL);
    CHECK_EQ_INT(store_write(f.s, NULL, NULL), -EINVAL);
    CHECK_EQ_INT(store_writer_stats(f.s, NULL), -EINVAL);
    fixture_close(&f);
}

int main(void)
{
    RUN(test_batch_with_a_failing_job);
    RUN(test_lost_transaction_fails_the_batch_so_far);
    RUN(test_queue_is_bounded);
    RUN(test_threads_mixing_both_forms);
    RUN(test_nested_waits_are_refused);
    RUN(test_close_runs_what_is_queued);
    RUN(test_bad_arguments);
    return CHECK_DONE();
}
