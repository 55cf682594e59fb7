/* The fetch state on its own: loading, the answer taken once, an error with a planned
 * retry and its countdown, OK retrying at once, a failed refresh keeping the data, a send
 * that cannot even be queued. No window: the clock is passed in. */
#include "app/requests.h"
#include "screens/fetch.h"
#include "../check.h"

struct fake {
    struct owner own;
    struct fetch f;
    int64_t next_serial; /* what send returns next */
    int sends;
    int loading;
};

static int64_t fake_send(void *ctx)
{
    struct fake *x = ctx;
    x->sends++;
    return x->next_serial > 0 ? x->next_serial++ : x->next_serial;
}

static const struct fetch_texts texts = { "正在打开…", "请稍等", "这里还没有内容", NULL,
                                          NET_MSG_RETRYING };

static void setup(struct fake *x, struct requests *rq, struct app_services *svc, int retry_ms)
{
    memset(x, 0, sizeof(*x));
    requests_init(rq);
    svc->reqs = rq;
    x->own.svc = svc;
    x->next_serial = 10;
    fetch_init(&x->f, &x->own, fake_send, x, &texts, retry_ms);
    x->f.busy = &x->loading;
}

static void test_error_countdown_and_retry(void)
{
    struct fake x;
    struct requests rq;
    struct app_services svc = { 0 };
    setup(&x, &rq, &svc, 5000);
    CHECK_EQ_INT(x.f.phase, FETCH_LOADING);
    CHECK(fetch_blocking(&x.f));
    CHECK_EQ_INT(fetch_start(&x.f, 1000), 0);
    CHECK_EQ_INT(x.f.serial, 10);
    CHECK_EQ_INT(x.loading, 1);
    CHECK_EQ_INT(rq.n, 1); /* tracked to its owner */
    CHECK_EQ_INT(fetch_tick(&x.f, 2000), -1); /* waiting: no timer */

    struct net_result other = { .serial = 9 }, down = { .serial = 10, .error = NET_ERR_CONNECT };
    CHECK_EQ_INT(fetch_take(&x.f, &other), 0);
    CHECK_EQ_INT(fetch_take(&x.f, &down), 1);
    CHECK_EQ_INT(fetch_take(&x.f, &down), 0); /* once */
    CHECK_EQ_INT(x.loading, 0);
    CHECK_EQ_INT(fetch_fail(&x.f, &down, 3000), 0); /* no data: the error panel */
    CHECK_EQ_INT(x.f.phase, FETCH_ERROR);
    CHECK_EQ_STR(x.f.error.what, "连不上服务器，正在重试…");
    /* The countdown: 5 s, then 4 s at the next whole second, then the retry itself. */
    x.own.dirty = 0;
    CHECK_EQ_INT(fetch_tick(&x.f, 3000), 1000);
    CHECK_EQ_INT(x.f.shown_seconds, 5);
    CHECK(x.own.dirty);
    CHECK_EQ_INT(fetch_tick(&x.f, 4500), 500);
    CHECK_EQ_INT(x.f.shown_seconds, 4);
    CHECK_EQ_INT(x.sends, 1);
    fetch_tick(&x.f, 8000);
    CHECK_EQ_INT(x.sends, 2);
    CHECK_EQ_INT(x.f.serial, 11);
    /* OK while the retry is on its way does not send twice; an unrelated key is not taken. */
    CHECK_EQ_INT(fetch_action(&x.f, ACTION_OK, 8100), 1);
    CHECK_EQ_INT(x.sends, 2);
    CHECK_EQ_INT(fetch_action(&x.f, ACTION_DOWN, 8100), 0);
    struct net_result timeout = { .serial = 11, .error = NET_ERR_TIMEOUT };
    fetch_take(&x.f, &timeout);
    fetch_fail(&x.f, &timeout, 8200);
    CHECK_EQ_INT(fetch_action(&x.f, ACTION_OK, 8300), 1); /* OK: at once */
    CHECK_EQ_INT(x.sends, 3);
    struct net_result good = { .serial = 12, .http_status = 200 };
    fetch_take(&x.f, &good);
    fetch_ok(&x.f, 0);
    CHECK_EQ_INT(x.f.phase, FETCH_READY);
    CHECK(!fetch_blocking(&x.f));
    CHECK_EQ_INT(fetch_tick(&x.f, 9000), -1); /* nothing planned */
    CHECK_EQ_INT(fetch_action(&x.f, ACTION_OK, 9000), 0); /* OK is the screen's again */
}

static void test_refresh_keeps_data_and_unsent_requests(void)
{
    struct fake x;
    struct requests rq;
    struct app_services svc = { 0 };
    setup(&x, &rq, &svc, 5000);
    fetch_start(&x.f, 0);
    struct net_result good = { .serial = 10, .http_status = 200 };
    fetch_take(&x.f, &good);
    fetch_ok(&x.f, 1);
    CHECK_EQ_INT(x.f.phase, FETCH_EMPTY);
    CHECK(fetch_blocking(&x.f)); /* the empty panel */
    fetch_plan(&x.f, 100, 30000); /* a quiet refresh */
    CHECK_EQ_INT(fetch_tick(&x.f, 100), 30000);
    fetch_tick(&x.f, 30100);
    CHECK_EQ_INT(x.sends, 2);
    /* A newer start forgets the older request: its answer is dropped. */
    fetch_start(&x.f, 30200);
    CHECK(requests_take(&rq, 11) == NULL);
    CHECK(requests_take(&rq, 12) == &x.own);
    struct net_result old = { .serial = 11, .http_status = 200 };
    CHECK_EQ_INT(fetch_take(&x.f, &old), 0);
    struct net_result bad = { .serial = 12, .http_status = 500 };
    CHECK_EQ_INT(fetch_take(&x.f, &bad), 1);
    CHECK_EQ_INT(fetch_fail(&x.f, &bad, 31000), 1); /* data stays; the caller says why */
    CHECK_EQ_INT(x.f.phase, FETCH_EMPTY);
    CHECK_EQ_INT(x.f.retry_at, 0); /* and plans the next try itself */

    /* A request that cannot even be queued: the error panel, and the clock tries again. */
    setup(&x, &rq, &svc, 0);
    x.next_serial = -11; /* -EAGAIN */
    CHECK_EQ_INT(fetch_start(&x.f, 500), -11);
    CHECK_EQ_INT(x.f.phase, FETCH_ERROR);
    CHECK_EQ_INT(x.loading, 0);
    CHECK_EQ_INT(rq.n, 0);
    CHECK(x.f.retry_at != 0);
    x.next_serial = 20;
    fetch_tick(&x.f, 6000);
    CHECK_EQ_INT(x.f.serial, 20);
    CHECK_EQ_STR(fetch_phase_name(FETCH_EMPTY), "empty");
}

int main(void)
{
    RUN(test_error_countdown_and_retry);
    RUN(test_refresh_keeps_data_and_unsent_requests);
    return CHECK_DONE();
}
