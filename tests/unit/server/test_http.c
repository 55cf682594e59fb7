/* The real HTTPS server (MHD + GnuTLS) on 127.0.0.1 with a real database: event streams
 * (GET /api/v1/events) parked and woken through suspend/resume, keep-alive comments,
 * Last-Event-ID, dead peers, shutdown with open streams, and no thread per stream; deferred
 * writes (a test-only route) answered after the writer's commit, 503 when its queue is full,
 * and shutdown while writes are parked. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

#include "../check.h"
#include "events/events.h"
#include "http/router.h"
#include "http/server.h"
#include "server_test.h"
#include "tls_client.h"

/* ---- a test-only route with a deferred write: POST /test/villages {"name", "fail"} ---- */

struct village_job {
    int64_t parent;
    char name[64];
    int fail;
    int64_t id;
};

static int village_run(struct store_tx *tx, void *arg)
{
    struct village_job *j = arg;
    int rc = store_org_add(tx, j->parent, "village", j->name, &j->id);
    return rc < 0 ? rc : j->fail ? -EEXIST : 0;
}

static int village_reply(void *arg, int rc, cJSON **out)
{
    struct village_job *j = arg;
    if (rc < 0)
        return api_fail(out, rc, "the village was not added");
    *out = cJSON_CreateObject();
    if (!*out || !cJSON_AddNumberToObject(*out, "id", (double)j->id))
        return -ENOMEM;
    return 0;
}

static int village_add(const struct caller *who, const struct api_request *req, cJSON **out)
{
    cJSON *body = NULL;
    int rc = api_body_json(req, &body);
    if (rc < 0)
        return rc;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(body, "name");
    struct village_job *j = calloc(1, sizeof(*j));
    if (!j || !cJSON_IsString(name)) {
        cJSON_Delete(body);
        free(j);
        return j ? -EINVAL : -ENOMEM;
    }
    j->parent = who->township_id;
    snprintf(j->name, sizeof(j->name), "%s", name->valuestring);
    j->fail = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "fail"));
    cJSON_Delete(body);
    struct api_deferred d = { village_run, village_reply, free, j };
    return api_defer(req, &d, out);
}

static const struct api_route test_routes[] = {
    { "POST", "/test/villages", ACCESS_BOX, village_add },
    { NULL, NULL, ACCESS_PUBLIC, NULL },
};
static const struct api_route *const test_tables[] = { api_health_routes, test_routes, NULL };

struct env {
    struct fixture f;
    struct router *r;
    struct http_server *srv;
    char ca[160];
    int port;
};

static int env_open(struct env *e, int keepalive_ms)
{
    memset(e, 0, sizeof(*e));
    if (fixture_open(&e->f) < 0 || tls_make_certs(e->f.dir) < 0 ||
        router_create(test_tables, &e->r) < 0)
        return -1;
    char cert[160], key[160];
    snprintf(e->ca, sizeof(e->ca), "%s/ca.pem", e->f.dir);
    snprintf(cert, sizeof(cert), "%s/server.crt", e->f.dir);
    snprintf(key, sizeof(key), "%s/server.key", e->f.dir);
    struct http_server_config hc = {
        .listen = "127.0.0.1",
        .port = 0,
        .cert_path = cert,
        .key_path = key,
        .threads = 2,
        .keepalive_ms = keepalive_ms,
    };
    if (http_server_start(&hc, e->r, e->f.s, &e->srv) < 0)
        return -1;
    e->port = http_server_port(e->srv);
    return 0;
}

static void env_close(struct env *e)
{
    http_server_stop(e->srv);
    e->srv = NULL;
    router_destroy(e->r);
    /* make-certs.sh leaves ca.key too; test_rmtree removes plain files. */
    fixture_close(&e->f);
}

static int open_stream(struct env *e, struct tls_client *c, const char *token, const char *extra)
{
    if (tls_connect(c, e->port, e->ca) < 0)
        return -1;
    char req[512];
    snprintf(req, sizeof(req),
             "GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
             "Authorization: Bearer %s\r\n%s\r\n",
             token, extra ? extra : "");
    if (tls_send(c, req) < 0)
        return -1;
    if (!tls_wait_for(c, 0, "\r\n\r\n", 5000) || strncmp(c->buf, "HTTP/1.1 200", 12) != 0)
        return -1;
    return tls_wait_for(c, 0, "retry: 3000", 5000) ? 0 : -1;
}

static int open_streams(struct events *ev)
{
    struct events_stats s;
    events_stats(ev, &s);
    return s.streams;
}

static int count_threads(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void test_stream_headers_and_event(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct tls_client a, b;
    CHECK_EQ_INT(open_stream(&e, &a, e.f.token_a, NULL), 0);
    CHECK_EQ_INT(open_stream(&e, &b, e.f.token_b, NULL), 0);
    CHECK(strstr(a.buf, "HTTP/1.1 200") == a.buf);
    CHECK(strstr(a.buf, "Content-Type: text/event-stream") != NULL);
    CHECK(strstr(a.buf, "Cache-Control: no-store") != NULL);

    struct event_scope to = { EVENT_TO_BOXES, e.f.township, e.f.village_a, 0 };
    int64_t t0 = tls_now_ms();
    int64_t id = events_publish(http_server_events(e.srv), &to, "rollcall.opened",
                                "{\"rollcall_id\":1,\"broadcast_id\":1,\"title\":\"点名\","
                                "\"closes_at\":\"2026-11-23T10:30:00Z\"}");
    CHECK(id > 0);
    char want[64];
    snprintf(want, sizeof(want), "id: %lld\nevent: rollcall.opened\n", (long long)id);
    CHECK(tls_wait_for(&a, 0, want, 3000) != NULL);
    CHECK(tls_now_ms() - t0 < 1000); /* woken at once, not at the next keep-alive */
    CHECK(tls_wait_for(&a, 0, "\"title\":\"点名\"", 1000) != NULL);
    /* Box B is in the other village. */
    CHECK(tls_wait_for(&b, 0, "rollcall.opened", 300) == NULL);

    /* A township-wide event reaches both. */
    struct event_scope all = { EVENT_TO_BOXES, e.f.township, 0, 0 };
    CHECK(events_publish(http_server_events(e.srv), &all, "broadcast.ended",
                         "{\"broadcast_id\":1}") > 0);
    CHECK(tls_wait_for(&a, 0, "broadcast.ended", 3000) != NULL);
    CHECK(tls_wait_for(&b, 0, "broadcast.ended", 3000) != NULL);
    tls_close(&a);
    tls_close(&b);
    env_close(&e);
}

static void test_refusals(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    static const struct {
        const char *req;
        const char *status;
    } cases[] = {
        { "GET /api/v1/events HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 401" },
        { "GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
          "0000000000000000000000000000000000000000000000000000000000000000\r\n\r\n",
          "HTTP/1.1 401" },
        { "POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
          "HTTP/1.1 405" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tls_client c;
        CHECK_EQ_INT(tls_connect(&c, e.port, e.ca), 0);
        CHECK_EQ_INT(tls_send(&c, cases[i].req), 0);
        CHECK(tls_wait_for(&c, 0, "}", 3000) != NULL);
        CHECK(strncmp(c.buf, cases[i].status, strlen(cases[i].status)) == 0);
        CHECK(strstr(c.buf, "\"code\":") != NULL);
        tls_close(&c);
    }
    /* A revoked box is refused too. */
    struct tls_client c;
    CHECK_EQ_INT(open_stream(&e, &c, e.f.token_c, NULL), -1);
    CHECK(strstr(c.buf ? c.buf : "", "401") != NULL);
    tls_close(&c);
    env_close(&e);
}

static void test_keepalive_and_last_event_id(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 150), 0);
    struct events *ev = http_server_events(e.srv);
    struct tls_client a;
    CHECK_EQ_INT(open_stream(&e, &a, e.f.token_a, NULL), 0);
    CHECK(tls_wait_for(&a, 0, ": keep-alive\n\n", 3000) != NULL);
    size_t mark = a.len;
    CHECK(tls_wait_for(&a, mark, ": keep-alive\n\n", 3000) != NULL); /* and again */

    struct event_scope hh = { EVENT_TO_BOXES, e.f.township, e.f.village_a, e.f.household_a };
    int64_t first = events_publish(ev, &hh, "request.reply",
                                   "{\"request_id\":5,\"state\":\"replied\",\"reply\":\"好\"}");
    int64_t second = events_publish(ev, &hh, "request.reply",
                                    "{\"request_id\":6,\"state\":\"closed\",\"reply\":\"\"}");
    CHECK(first > 0 && second == first + 1);
    CHECK(tls_wait_for(&a, 0, "\"request_id\":6", 3000) != NULL);
    tls_close(&a);

    /* Reconnect having seen FIRST: only SECOND comes again. */
    char hdr[64];
    snprintf(hdr, sizeof(hdr), "Last-Event-ID: %lld\r\n", (long long)first);
    struct tls_client again;
    CHECK_EQ_INT(open_stream(&e, &again, e.f.token_a, hdr), 0);
    CHECK(tls_wait_for(&again, 0, "\"request_id\":6", 3000) != NULL);
    CHECK(strstr(again.buf, "\"request_id\":5") == NULL);
    tls_close(&again);
    env_close(&e);
}

static void test_dead_peers_are_reaped(void)
{
    enum { N = 40 };
    struct env e;
    CHECK_EQ_INT(env_open(&e, 100), 0);
    struct events *ev = http_server_events(e.srv);
    int threads_before = count_threads();
    static struct tls_client c[N];
    int opened = 0;
    for (int i = 0; i < N; i++)
        opened += open_stream(&e, &c[i], i % 2 ? e.f.token_a : e.f.token_b, NULL) == 0;
    CHECK_EQ_INT(opened, N);
    CHECK_EQ_INT(open_streams(ev), N);
    CHECK_EQ_INT(count_threads(), threads_before); /* no thread per stream */
    for (int i = 0; i < N; i++)
        tls_close(&c[i]);
    /* Parked connections notice the peer at the next keep-alive write. */
    int64_t deadline = tls_now_ms() + 5000;
    while (open_streams(ev) > 0 && tls_now_ms() < deadline)
        usleep(20000);
    CHECK_EQ_INT(open_streams(ev), 0);
    env_close(&e);
}

static void test_shutdown_with_open_streams(void)
{
    enum { N = 10 };
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct tls_client c[N];
    for (int i = 0; i < N; i++)
        CHECK_EQ_INT(open_stream(&e, &c[i], e.f.token_a, NULL), 0);
    int64_t t0 = tls_now_ms();
    http_server_stop(e.srv); /* must not abort on suspended connections, nor hang */
    e.srv = NULL;
    CHECK(tls_now_ms() - t0 < 3000);
    for (int i = 0; i < N; i++) {
        CHECK(tls_wait_closed(&c[i], 3000));
        CHECK(strstr(c[i].buf, "\r\n0\r\n\r\n") != NULL); /* the chunked body was ended */
        tls_close(&c[i]);
    }
    env_close(&e);
}

/* POST a village on C (keep-alive); returns the status, *id the new id (0 if none). Reads
 * from the end of what C received so far. */
static int post_village(struct env *e, struct tls_client *c, const char *name, int fail,
                        int64_t *id)
{
    char body[128], req[512];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"fail\":%s}", name, fail ? "true" : "false");
    snprintf(req, sizeof(req),
             "POST /test/villages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             e->f.token_a, strlen(body), body);
    size_t from = c->len;
    if (tls_send(c, req) < 0)
        return -1;
    const char *head = tls_wait_for(c, from, "HTTP/1.1 ", 10000);
    if (!head || !tls_wait_for(c, from, "}", 10000))
        return -1;
    const char *idp = strstr(head, "{\"id\":");
    *id = idp ? strtoll(idp + 6, NULL, 10) : 0;
    return (int)strtol(head + 9, NULL, 10);
}

static void test_deferred_write_on_keepalive(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct tls_client c;
    CHECK_EQ_INT(tls_connect(&c, e.port, e.ca), 0);
    for (int i = 0; i < 20; i++) {
        char name[32];
        int64_t id = 0;
        snprintf(name, sizeof(name), "新村%d", i);
        CHECK_EQ_INT(post_village(&e, &c, name, 0, &id), 200);
        /* The reply came after the commit: a fresh read sees the row. */
        struct store_org o;
        CHECK_EQ_INT(store_org_get(e.f.s, id, &o), 0);
        CHECK_EQ_STR(o.name, name);
    }
    CHECK(!c.closed); /* one connection served them all */
    int64_t id = 0;
    CHECK_EQ_INT(post_village(&e, &c, "坏村", 1, &id), 409);
    CHECK(strstr(c.buf, "\"message\":\"the village was not added\"") != NULL);
    CHECK_EQ_INT(post_village(&e, &c, "好村", 0, &id), 200);
    tls_close(&c);
    env_close(&e);
}

/* Many clients at once: every 200 is in the database, and commits were shared. */
enum { N_CLIENTS = 8, PER_CLIENT = 40 };

struct client_arg {
    struct env *e;
    int index;
    int ok;
    int64_t ids[PER_CLIENT];
};

static void *client_main(void *p)
{
    struct client_arg *a = p;
    struct tls_client c;
    if (tls_connect(&c, a->e->port, a->e->ca) < 0)
        return NULL;
    for (int i = 0; i < PER_CLIENT; i++) {
        char name[32];
        snprintf(name, sizeof(name), "c%d-%d", a->index, i);
        a->ok += post_village(a->e, &c, name, 0, &a->ids[i]) == 200;
        c.len = 0; /* keep the buffer small */
        c.buf[0] = '\0';
    }
    tls_close(&c);
    return NULL;
}

static void test_concurrent_deferred_writes(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct store_writer_stats before, after;
    store_writer_stats(e.f.s, &before);
    pthread_t t[N_CLIENTS];
    static struct client_arg args[N_CLIENTS];
    for (int i = 0; i < N_CLIENTS; i++) {
        args[i] = (struct client_arg){ .e = &e, .index = i };
        CHECK_EQ_INT(pthread_create(&t[i], NULL, client_main, &args[i]), 0);
    }
    int found = 0, ok = 0;
    for (int i = 0; i < N_CLIENTS; i++) {
        pthread_join(t[i], NULL);
        ok += args[i].ok;
        for (int k = 0; k < PER_CLIENT; k++) {
            struct store_org o;
            found += args[i].ids[k] > 0 && store_org_get(e.f.s, args[i].ids[k], &o) == 0;
        }
    }
    CHECK_EQ_INT(ok, N_CLIENTS * PER_CLIENT);
    CHECK_EQ_INT(found, N_CLIENTS * PER_CLIENT);
    store_writer_stats(e.f.s, &after);
    CHECK_EQ_INT(after.jobs - before.jobs, N_CLIENTS * PER_CLIENT);
    CHECK(after.batches - before.batches <= after.jobs - before.jobs);
    env_close(&e);
}

static int noop_run(struct store_tx *tx, void *arg)
{
    (void)tx;
    (void)arg;
    return 0;
}

static void test_full_queue_answers_503(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct store_tx *hold = NULL;
    CHECK_EQ_INT(store_tx_begin(e.f.s, &hold), 0); /* the writer waits on us */
    int queued = 0;
    for (int i = 0; i < STORE_QUEUE_MAX; i++)
        queued += store_submit(e.f.s, noop_run, NULL, NULL) == 0;
    CHECK_EQ_INT(queued, STORE_QUEUE_MAX);
    struct tls_client c;
    CHECK_EQ_INT(tls_connect(&c, e.port, e.ca), 0);
    int64_t id = 0;
    CHECK_EQ_INT(post_village(&e, &c, "满村", 0, &id), 503);
    CHECK(strstr(c.buf, "Retry-After: 1\r\n") != NULL);
    CHECK(strstr(c.buf, "\"code\":\"unavailable\"") != NULL);
    CHECK_EQ_INT(store_tx_commit(hold), 0);
    struct store_writer_stats ws;
    for (int i = 0; i < 1000 && store_writer_stats(e.f.s, &ws) == 0 && ws.queued > 0; i++)
        usleep(10000);
    CHECK_EQ_INT(post_village(&e, &c, "空村", 0, &id), 200); /* drained: accepted again */
    tls_close(&c);
    env_close(&e);
}

struct stopper {
    struct http_server *srv;
    atomic_int done;
};

static void *stop_main(void *p)
{
    struct stopper *s = p;
    http_server_stop(s->srv);
    atomic_store(&s->done, 1);
    return NULL;
}

static void test_shutdown_waits_for_parked_writes(void)
{
    struct env e;
    CHECK_EQ_INT(env_open(&e, 0), 0);
    struct tls_client c;
    CHECK_EQ_INT(tls_connect(&c, e.port, e.ca), 0);
    struct store_tx *hold = NULL;
    CHECK_EQ_INT(store_tx_begin(e.f.s, &hold), 0);
    /* Send the request; it parks behind our transaction. */
    const char *body = "{\"name\":\"晚村\"}";
    char req[512];
    snprintf(req, sizeof(req),
             "POST /test/villages HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Length: %zu\r\n\r\n%s", e.f.token_a, strlen(body), body);
    CHECK_EQ_INT(tls_send(&c, req), 0);
    /* Wait until the write is really queued behind our transaction (a loaded machine may
     * take a while to read the request), then check it has not been answered. */
    struct store_writer_stats ws = { 0 };
    for (int i = 0; i < 1000 && ws.queued < 1; i++) {
        usleep(10000);
        store_writer_stats(e.f.s, &ws);
    }
    CHECK(ws.queued >= 1);
    CHECK(tls_wait_for(&c, 0, "HTTP/1.1", 100) == NULL); /* parked */
    struct stopper s = { .srv = e.srv };
    atomic_store(&s.done, 0);
    pthread_t t;
    CHECK_EQ_INT(pthread_create(&t, NULL, stop_main, &s), 0);
    usleep(200000);
    CHECK_EQ_INT(atomic_load(&s.done), 0); /* waiting for the parked write */
    CHECK_EQ_INT(store_tx_commit(hold), 0);
    CHECK(tls_wait_for(&c, 0, "HTTP/1.1 200", 5000) != NULL);
    pthread_join(t, NULL);
    e.srv = NULL;
    tls_close(&c);
    env_close(&e);
}

/* Without a connection to park (handler unit tests), api_defer runs the write at once. */
static void test_defer_runs_inline_without_http(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    const char *body = "{\"name\":\"直村\"}";
    struct api_request req = { .method = "POST", .path = "/test/villages", .body = body,
                               .body_len = strlen(body), .store = f.s };
    struct caller who = { .kind = CALLER_BOX, .township_id = f.township };
    cJSON *out = NULL;
    CHECK_EQ_INT(village_add(&who, &req, &out), 0);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(out, "id");
    struct store_org o;
    CHECK(cJSON_IsNumber(id) && store_org_get(f.s, (int64_t)id->valuedouble, &o) == 0);
    cJSON_Delete(out);
    fixture_close(&f);
}

int main(void)
{
    gnutls_global_init();
    RUN(test_stream_headers_and_event);
    RUN(test_refusals);
    RUN(test_keepalive_and_last_event_id);
    RUN(test_dead_peers_are_reaped);
    RUN(test_shutdown_with_open_streams);
    RUN(test_deferred_write_on_keepalive);
    RUN(test_concurrent_deferred_writes);
    RUN(test_full_queue_answers_503);
    RUN(test_shutdown_waits_for_parked_writes);
    RUN(test_defer_runs_inline_without_http);
    gnutls_global_deinit();
    return CHECK_DONE();
}
