#include "media/pktq.h"

#include <errno.h>
#include <libavutil/avutil.h>
#include <math.h>
#include <stdlib.h>

struct pktq_node {
    AVPacket *pkt; /* owned; data == NULL and size == 0 means "drain" */
    int serial;
    double drop_before;
    int64_t duration_us;
    int64_t ts_us;
    struct pktq_node *next;
};

int pktq_init(struct pktq *q, void (*on_get)(void *), void *opaque)
{
    *q = (struct pktq){0};
    if (pthread_mutex_init(&q->lock, NULL) != 0)
        return -ENOMEM;
    if (pthread_cond_init(&q->cond, NULL) != 0) {
        pthread_mutex_destroy(&q->lock);
        return -ENOMEM;
    }
    q->abort = true; /* until pktq_start */
    q->drop_before = NAN;
    q->head_ts = q->tail_ts = AV_NOPTS_VALUE;
    atomic_init(&q->serial, 1);
    q->on_get = on_get;
    q->on_get_opaque = opaque;
    return 0;
}

static void free_all_locked(struct pktq *q)
{
    struct pktq_node *n = q->first;
    while (n) {
        struct pktq_node *next = n->next;
        av_packet_free(&n->pkt);
        free(n);
        n = next;
    }
    q->first = q->last = NULL;
    q->count = 0;
    q->bytes = 0;
    q->duration_us = 0;
    q->head_ts = q->tail_ts = AV_NOPTS_VALUE;
}

void pktq_fini(struct pktq *q)
{
    free_all_locked(q);
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->lock);
}

int pktq_put(struct pktq *q, AVPacket *pkt, int64_t duration_us, int64_t ts_us)
{
    struct pktq_node *n = calloc(1, sizeof(*n));
    AVPacket *own = av_packet_alloc();
    if (!n || !own) {
        free(n);
        av_packet_free(&own);
        av_packet_unref(pkt);
        return -ENOMEM;
    }
    av_packet_move_ref(own, pkt);
    n->pkt = own;
    n->duration_us = duration_us > 0 ? duration_us : 0;
    n->ts_us = ts_us;

    pthread_mutex_lock(&q->lock);
    if (q->abort) {
        pthread_mutex_unlock(&q->lock);
        av_packet_free(&n->pkt);
        free(n);
        return -EINTR;
    }
    n->serial = atomic_load(&q->serial);
    n->drop_before = q->drop_before;
    if (q->last)
        q->last->next = n;
    else
        q->first = n;
    q->last = n;
    q->count++;
    q->bytes += (size_t)(own->size > 0 ? own->size : 0);
    q->duration_us += n->duration_us;
    if (ts_us != AV_NOPTS_VALUE) {
        if (q->head_ts == AV_NOPTS_VALUE)
            q->head_ts = ts_us;
        q->tail_ts = ts_us;
    }
    pthread_cond_signal(&q->cond);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

int pktq_put_drain(struct pktq *q)
{
    AVPacket *empty = av_packet_alloc();
    if (!empty)
        return -ENOMEM;
    int ret = pktq_put(q, empty, 0, AV_NOPTS_VALUE);
    av_packet_free(&empty);
    return ret;
}

int pktq_get(struct pktq *q, AVPacket *pkt, bool block, int *serial, double *drop_before)
{
    int ret;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        if (q->abort) {
            ret = -EINTR;
            break;
        }
        struct pktq_node *n = q->first;
        if (n) {
            q->first = n->next;
            if (!q->first)
                q->last = NULL;
            q->count--;
            q->bytes -= (size_t)(n->pkt->size > 0 ? n->pkt->size : 0);
            q->duration_us -= n->duration_us;
            if (!q->first)
                q->head_ts = q->tail_ts = AV_NOPTS_VALUE;
            else if (q->first->ts_us != AV_NOPTS_VALUE)
                q->head_ts = q->first->ts_us;
            av_packet_move_ref(pkt, n->pkt);
            *serial = n->serial;
            *drop_before = n->drop_before;
            av_packet_free(&n->pkt);
            free(n);
            ret = 1;
            break;
        }
        if (!block) {
            ret = 0;
            break;
        }
        pthread_cond_wait(&q->cond, &q->lock);
    }
    pthread_mutex_unlock(&q->lock);
    if (ret == 1 && q->on_get)
        q->on_get(q->on_get_opaque);
    return ret;
}

int pktq_flush(struct pktq *q, double drop_before)
{
    pthread_mutex_lock(&q->lock);
    free_all_locked(q);
    int serial = atomic_load(&q->serial) + 1;
    atomic_store(&q->serial, serial);
    q->drop_before = drop_before;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
    return serial;
}

static void drop_first_locked(struct pktq *q)
{
    struct pktq_node *n = q->first;
    q->first = n->next;
    if (!q->first)
        q->last = NULL;
    q->count--;
    q->bytes -= (size_t)(n->pkt->size > 0 ? n->pkt->size : 0);
    q->duration_us -= n->duration_us;
    av_packet_free(&n->pkt);
    free(n);
}

int64_t pktq_drop_head(struct pktq *q, int64_t max_us)
{
    int64_t dropped = 0;
    pthread_mutex_lock(&q->lock);
    struct pktq_node *n = q->first;
    /* Never the last packet: the decoder is not left waiting on an empty queue. */
    while (n && n->next && n->pkt->size > 0 && n->duration_us > 0 &&
           dropped + n->duration_us <= max_us) {
        dropped += n->duration_us;
        drop_first_locked(q);
        n = q->first;
    }
    if (n && n->ts_us != AV_NOPTS_VALUE)
        q->head_ts = n->ts_us;
    pthread_mutex_unlock(&q->lock);
    return dropped;
}

int pktq_drop_to_key(struct pktq *q, int64_t ts_us)
{
    int dropped = 0;
    pthread_mutex_lock(&q->lock);
    struct pktq_node *key = NULL;
    for (struct pktq_node *n = q->first; n && n->pkt->size > 0; n = n->next) {
        if (n->ts_us != AV_NOPTS_VALUE && n->ts_us > ts_us)
            break;
        if (n->pkt->flags & AV_PKT_FLAG_KEY)
            key = n;
    }
    while (key && q->first != key) {
        drop_first_locked(q);
        dropped++;
    }
    if (dropped && q->first->ts_us != AV_NOPTS_VALUE)
        q->head_ts = q->first->ts_us;
    pthread_mutex_unlock(&q->lock);
    return dropped;
}

int64_t pktq_head_ts(struct pktq *q)
{
    pthread_mutex_lock(&q->lock);
    int64_t ts = q->head_ts;
    pthread_mutex_unlock(&q->lock);
    return ts;
}

void pktq_raise_drop_before(struct pktq *q, double t)
{
    pthread_mutex_lock(&q->lock);
    if (isnan(q->drop_before) || t > q->drop_before)
        q->drop_before = t;
    pthread_mutex_unlock(&q->lock);
}

void pktq_abort(struct pktq *q)
{
    pthread_mutex_lock(&q->lock);
    q->abort = true;
    pthread_cond_broadcast(&q->cond);
    pthread_mutex_unlock(&q->lock);
}

void pktq_start(struct pktq *q)
{
    pthread_mutex_lock(&q->lock);
    q->abort = false;
    pthread_mutex_unlock(&q->lock);
}

void pktq_level(struct pktq *q, struct pktq_level *out)
{
    pthread_mutex_lock(&q->lock);
    out->count = q->count;
    out->bytes = q->bytes;
    out->duration_us = q->duration_us;
    if (q->head_ts != AV_NOPTS_VALUE && q->tail_ts != AV_NOPTS_VALUE) {
        int64_t span = q->tail_ts - q->head_ts;
        if (span > out->duration_us && span < 60 * 1000000LL) /* not across a jump */
            out->duration_us = span;
    }
    pthread_mutex_unlock(&q->lock);
}
