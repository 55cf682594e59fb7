/* Live catch-up: the slack a live stream never needed is dropped, the slack it did need is
 * kept; and the packet queue drops from its head exactly what it is asked to. */
#include "media/catchup.h"
#include "media/pktq.h"
#include "../check.h"

#include <libavcodec/packet.h>
#include <libavutil/avutil.h>
#include <math.h>

/* Feed a level every 0.1 s from T0 for SECS; return the total asked to drop. */
static double feed(struct catchup *c, double t0, double secs, double (*level)(double))
{
    double total = 0;
    for (double t = t0; t < t0 + secs; t += 0.1)
        total += catchup_sample(c, level(t), t);
    return total;
}

static double steady_deep(double t)
{
    (void)t;
    return 0.8; /* a start-up cushion that never drains */
}

/* HLS: a segment of 0.5 s lands, then drains to 0.05 s before the next. */
static double sawtooth(double t)
{
    return 0.55 - fmod(t, 0.5);
}

static void test_steady_surplus_is_trimmed_after_a_window(void)
{
    struct catchup c;
    catchup_init(&c, 0.35, 0.15, 3.0);
    CHECK(catchup_sample(&c, 0.8, 10.0) == 0); /* the first sample only opens a window */
    CHECK(feed(&c, 10.1, 2.8, steady_deep) == 0); /* not a whole window yet */
    double drop = catchup_sample(&c, 0.8, 13.05);
    CHECK(fabs(drop - 0.65) < 1e-9); /* down to keep */
}

static void test_needed_slack_is_kept(void)
{
    struct catchup c;
    catchup_init(&c, 0.35, 0.15, 3.0);
    /* The queue runs nearly dry before each segment: nothing is surplus. */
    CHECK(feed(&c, 1.0, 30.0, sawtooth) == 0);
}

static void test_reset_starts_a_new_window(void)
{
    struct catchup c;
    catchup_init(&c, 0.12, 0.05, 2.0);
    feed(&c, 1.0, 1.5, steady_deep);
    catchup_reset(&c); /* a pause: what queued meanwhile is not slack yet */
    CHECK(catchup_sample(&c, 0.8, 2.9) == 0);
    CHECK(catchup_sample(&c, 0.8, 4.0) == 0);
    CHECK(fabs(catchup_sample(&c, 0.8, 4.95) - 0.75) < 1e-9);
}

static void put_key(struct pktq *q, int64_t dur_us, int64_t ts_us, bool key)
{
    AVPacket *pkt = av_packet_alloc();
    CHECK(pkt && av_new_packet(pkt, 100) == 0);
    if (key)
        pkt->flags |= AV_PKT_FLAG_KEY;
    CHECK(pktq_put(q, pkt, dur_us, ts_us) == 0);
    av_packet_free(&pkt);
}

static void put(struct pktq *q, int64_t dur_us, int64_t ts_us)
{
    put_key(q, dur_us, ts_us, false);
}

static void test_queue_drops_from_its_head(void)
{
    struct pktq q;
    CHECK(pktq_init(&q, NULL, NULL) == 0);
    pktq_start(&q);
    for (int i = 0; i < 10; i++)
        put(&q, 21333, i * 21333LL);
    /* Whole packets only, never more than asked. */
    CHECK_EQ_INT(pktq_drop_head(&q, 50000), 2 * 21333);
    struct pktq_level lv;
    pktq_level(&q, &lv);
    CHECK_EQ_INT(lv.count, 8);
    CHECK_EQ_INT(lv.duration_us, 8 * 21333);
    AVPacket *pkt = av_packet_alloc();
    int serial;
    double drop_before;
    CHECK(pktq_get(&q, pkt, false, &serial, &drop_before) == 1);
    av_packet_unref(pkt);
    /* The last packet always stays for the decoder, and so does a drain marker. */
    CHECK_EQ_INT(pktq_drop_head(&q, 10 * 1000000), 6 * 21333);
    pktq_level(&q, &lv);
    CHECK_EQ_INT(lv.count, 1);
    CHECK(pktq_put_drain(&q) == 0);
    put(&q, 21333, 20 * 21333LL);
    CHECK(pktq_drop_head(&q, 1000000) == 21333);
    pktq_level(&q, &lv);
    CHECK_EQ_INT(lv.count, 2); /* the drain marker and the newest packet */
    av_packet_free(&pkt);
    pktq_fini(&q);
}

/* The picture skips to the keyframe before the sound's new start, never past it. */
static void test_video_skips_to_the_keyframe_before_a_time(void)
{
    struct pktq q;
    CHECK(pktq_init(&q, NULL, NULL) == 0);
    pktq_start(&q);
    for (int i = 0; i < 60; i++) /* 2 s at 30 fps, a keyframe every 15 frames */
        put_key(&q, 33333, i * 33333LL, i % 15 == 0);
    CHECK_EQ_INT(pktq_drop_to_key(&q, 10000), 0);  /* the head is the keyframe already */
    CHECK_EQ_INT(pktq_drop_to_key(&q, 1100000), 30); /* keyframes at 0.5 and 1.0 s: 1.0 */
    CHECK_EQ_INT(pktq_head_ts(&q), 30 * 33333LL);
    struct pktq_level lv;
    pktq_level(&q, &lv);
    CHECK_EQ_INT(lv.count, 30);
    AVPacket *pkt = av_packet_alloc();
    int serial;
    double drop_before;
    CHECK(pktq_get(&q, pkt, false, &serial, &drop_before) == 1);
    CHECK(pkt->flags & AV_PKT_FLAG_KEY);
    av_packet_free(&pkt);
    /* No keyframe at or before the time (past the first packet): nothing goes. */
    CHECK_EQ_INT(pktq_drop_to_key(&q, 1200000), 0);
    pktq_fini(&q);
}

int main(void)
{
    RUN(test_steady_surplus_is_trimmed_after_a_window);
    RUN(test_needed_slack_is_kept);
    RUN(test_reset_starts_a_new_window);
    RUN(test_queue_drops_from_its_head);
    RUN(test_video_skips_to_the_keyframe_before_a_time);
    return CHECK_DONE();
}
