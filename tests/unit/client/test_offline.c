/* The offline store (net/offline.c) on a real SQLite file: the cache keeps the last copy of
 * each path within its size, the outbox keeps writes in order with a key each, and an entry
 * is on disk once offline_outbox_add returns: a child killed with SIGKILL right after it
 * leaves the entry for the next open. */
#include "net/offline.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../check.h"

static char dir[64];

static void fresh_dir(void)
{
    char cmd[128];
    if (dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            printf("# could not remove %s\n", dir);
    }
    snprintf(dir, sizeof(dir), "/tmp/djtv-offline-XXXXXX");
    if (!mkdtemp(dir))
        dir[0] = '\0';
}

static struct offline *open_store(size_t cache_max)
{
    struct offline *o = NULL;
    char err[256];
    int rc = offline_open(dir, cache_max, &o, err, sizeof(err));
    if (rc < 0)
        printf("# offline_open: %s\n", err);
    return o;
}

static void test_cache_keeps_the_last_copy_of_each_path(void)
{
    fresh_dir();
    struct offline *o = open_store(0);
    CHECK(o != NULL);
    if (!o)
        return;
    char *body = NULL;
    size_t len = 0;
    time_t at = 0;
    CHECK_EQ_INT(offline_cache_get(o, "/api/v1/home", &body, &len, &at), 0);
    CHECK_EQ_INT(offline_cache_put(o, "/api/v1/home", "{\"a\":1}", 7, 1000), 0);
    CHECK_EQ_INT(offline_cache_put(o, "/api/v1/home", "{\"a\":2}", 7, 2000), 0);
    CHECK_EQ_INT(offline_cache_get(o, "/api/v1/home", &body, &len, &at), 1);
    CHECK_EQ_STR(body, "{\"a\":2}");
    CHECK_EQ_INT(len, 7);
    CHECK_EQ_INT(at, 2000);
    free(body);
    offline_close(o);
    /* And after a restart. */
    o = open_store(0);
    CHECK(o && offline_cache_get(o, "/api/v1/home", &body, &len, &at) == 1);
    CHECK(body && strcmp(body, "{\"a\":2}") == 0);
    free(body);
    offline_close(o);
}

static void test_cache_stays_within_its_size(void)
{
    fresh_dir();
    struct offline *o = open_store(1000);
    CHECK(o != NULL);
    if (!o)
        return;
    char big[301];
    memset(big, 'x', 300);
    big[300] = '\0';
    char path[32];
    for (int i = 0; i < 6; i++) {
        snprintf(path, sizeof(path), "/p/%d", i);
        CHECK_EQ_INT(offline_cache_put(o, path, big, 300, 100 + i), 0);
        CHECK(offline_cache_bytes(o) <= 1000);
    }
    char *body = NULL;
    size_t len;
    time_t at;
    CHECK_EQ_INT(offline_cache_get(o, "/p/0", &body, &len, &at), 0); /* the oldest went */
    CHECK_EQ_INT(offline_cache_get(o, "/p/5", &body, &len, &at), 1); /* the newest stays */
    free(body);
    /* A body bigger than the whole cache is not kept, and pushes nothing out. */
    char *huge = calloc(2000, 1);
    memset(huge, 'y', 1999);
    CHECK_EQ_INT(offline_cache_put(o, "/huge", huge, 1999, 999), 0);
    CHECK_EQ_INT(offline_cache_get(o, "/huge", &body, &len, &at), 0);
    CHECK_EQ_INT(offline_cache_get(o, "/p/5", &body, &len, &at), 1);
    free(body);
    free(huge);
    offline_close(o);
}

static void test_outbox_in_order_with_keys(void)
{
    fresh_dir();
    struct offline *o = open_store(0);
    CHECK(o != NULL);
    if (!o)
        return;
    int64_t id1 = 0, id2 = 0, id3 = 0;
    char k1[OFFLINE_KEY_LEN + 1], k2[OFFLINE_KEY_LEN + 1];
    CHECK_EQ_INT(offline_outbox_add(o, "POST", "/api/v1/requests",
                                    "{\"category\":\"consult\",\"phone\":\"13800138000\"}", 1, 10,
                                    &id1, k1),
                 0);
    CHECK_EQ_INT(offline_outbox_add(o, "POST", "/api/v1/rollcalls/3/checkins",
                                    "{\"member_id\":1}", 0, 11, &id2, k2),
                 0);
    CHECK_EQ_INT(offline_outbox_add(o, "POST", "/x", NULL, 0, 12, &id3, NULL), 0);
    CHECK(id1 < id2 && id2 < id3);
    CHECK_EQ_INT(strlen(k1), OFFLINE_KEY_LEN);
    CHECK(strcmp(k1, k2) != 0);
    CHECK_EQ_INT(offline_outbox_count(o), 3);
    struct outbox_entry e;
    CHECK_EQ_INT(offline_outbox_first(o, &e), 1);
    CHECK_EQ_INT(e.id, id1);
    CHECK_EQ_STR(e.key, k1);
    CHECK(e.body && strstr(e.body, k1) && strstr(e.body, "\"idempotency_key\""));
    CHECK(e.body && strstr(e.body, "13800138000"));
    CHECK_EQ_INT(offline_outbox_failed(o, e.id), 0);
    outbox_entry_fini(&e);
    CHECK_EQ_INT(offline_outbox_first(o, &e), 1); /* a failure keeps it first */
    CHECK_EQ_INT(e.id, id1);
    CHECK_EQ_INT(e.attempts, 1);
    outbox_entry_fini(&e);
    CHECK_EQ_INT(offline_outbox_done(o, id1), 0);
    CHECK_EQ_INT(offline_outbox_first(o, &e), 1);
    CHECK_EQ_INT(e.id, id2);
    CHECK_EQ_STR(e.body, "{\"member_id\":1}"); /* no key in this body */
    CHECK_EQ_STR(e.path, "/api/v1/rollcalls/3/checkins");
    outbox_entry_fini(&e);
    CHECK_EQ_INT(offline_outbox_done(o, id2), 0);
    CHECK_EQ_INT(offline_outbox_first(o, &e), 1);
    CHECK(e.body == NULL);
    outbox_entry_fini(&e);
    CHECK_EQ_INT(offline_outbox_done(o, id3), 0);
    CHECK_EQ_INT(offline_outbox_first(o, &e), 0);
    CHECK_EQ_INT(offline_outbox_count(o), 0);
    /* A body that is not a JSON object cannot carry a key: refused, nothing kept. */
    int64_t id = 0;
    CHECK_EQ_INT(offline_outbox_add(o, "POST", "/y", "[1,2]", 1, 13, &id, NULL), -EINVAL);
    CHECK_EQ_INT(offline_outbox_count(o), 0);
    offline_close(o);
}

static void test_outbox_entry_survives_sigkill(void)
{
    fresh_dir();
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        struct offline *o = open_store(0);
        int64_t id = 0;
        if (o && offline_outbox_add(o, "POST", "/api/v1/requests", "{\"note\":\"停电了\"}", 1,
                                    20, &id, NULL) == 0) {
            if (write(fds[1], "k", 1) != 1)
                _exit(3);
        }
        for (;;)
            pause(); /* killed here, the store still open */
    }
    close(fds[1]);
    char c = 0;
    CHECK(read(fds[0], &c, 1) == 1 && c == 'k');
    close(fds[0]);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    struct offline *o = open_store(0);
    CHECK(o != NULL);
    if (!o)
        return;
    struct outbox_entry e;
    CHECK_EQ_INT(offline_outbox_first(o, &e), 1);
    CHECK(e.body && strstr(e.body, "停电了") && strstr(e.body, e.key));
    outbox_entry_fini(&e);
    offline_close(o);
}

static void test_unwritable_dir_is_an_error(void)
{
    struct offline *o = NULL;
    char err[256] = "";
    CHECK(offline_open("/proc/djtv-no-such/dir", 0, &o, err, sizeof(err)) < 0);
    CHECK(o == NULL && err[0]);
}

int main(void)
{
    RUN(test_cache_keeps_the_last_copy_of_each_path);
    RUN(test_cache_stays_within_its_size);
    RUN(test_outbox_in_order_with_keys);
    RUN(test_outbox_entry_survives_sigkill);
    RUN(test_unwritable_dir_is_an_error);
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (dir[0] && system(cmd) != 0)
        return 1;
    return CHECK_DONE();
}
