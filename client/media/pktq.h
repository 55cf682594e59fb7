/* Bounded queue of demuxed packets between the read thread and one decoder thread.
 *
 * Every flush (open, seek, reconnect) bumps the serial; each packet carries the serial it
 * was queued under, so a decoder can drop what was queued before the flush. A flush also
 * carries "drop_before": the decoder discards frames that end before it (accurate seek).
 * Abort wakes every waiter and makes gets fail; start clears it. */
#ifndef DJTV_MEDIA_PKTQ_H
#define DJTV_MEDIA_PKTQ_H

#include <libavcodec/packet.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pktq_node;

struct pktq {
    pthread_mutex_t lock;
    pthread_cond_t cond;      /* signalled on put, flush and abort */
    struct pktq_node *first;  /* [lock] owned list */
    struct pktq_node *last;   /* [lock] borrowed tail */
    int count;                /* [lock] packets queued (drain markers included) */
    size_t bytes;             /* [lock] payload bytes queued */
    int64_t duration_us;      /* [lock] summed packet durations */
    int64_t head_ts, tail_ts; /* [lock] timestamps (us) of the oldest and newest timed
                               * packets; AV_NOPTS_VALUE if none */
    bool abort;               /* [lock] */
    double drop_before;       /* [lock] stamped on packets as they are queued; NAN none */
    _Atomic int serial;       /* written under lock, read anywhere */
    /* Called (outside the lock) after a get, so the producer can refill. Borrowed. */
    void (*on_get)(void *opaque);
    void *on_get_opaque;
};

struct pktq_level {
    int count;
    size_t bytes;
    /* Media time queued: the summed durations, or the timestamp span when that is larger
     * (containers that leave durations out, e.g. AAC in MPEG-TS before probing). */
    int64_t duration_us;
};

int pktq_init(struct pktq *q, void (*on_get)(void *), void *opaque);
void pktq_fini(struct pktq *q);

/* Queue a packet: takes over its content (pkt is left blank). duration_us <= 0 = unknown;
 * ts_us: its dts (else pts) in microseconds, AV_NOPTS_VALUE if none.
 * Returns 0, -ENOMEM, or -EINTR when aborted (the content is then freed). */
int pktq_put(struct pktq *q, AVPacket *pkt, int64_t duration_us, int64_t ts_us);
/* Queue an empty packet: tells the decoder to drain (end of stream). */
int pktq_put_drain(struct pktq *q);
/* Take the next packet into pkt (which must be blank). block=false returns 0 when empty.
 * Returns 1 with *serial and *drop_before set, 0 when empty, -EINTR when aborted. */
int pktq_get(struct pktq *q, AVPacket *pkt, bool block, int *serial, double *drop_before);
/* Drop everything, bump the serial, remember drop_before (NAN = none) for the new serial.
 * Returns the new serial. */
int pktq_flush(struct pktq *q, double drop_before);
/* Drop timed packets from the head, oldest first, up to MAX_US of media (live catch-up); a
 * drain marker stops it. Returns the microseconds dropped. */
int64_t pktq_drop_head(struct pktq *q, int64_t max_us);
/* Drop packets from the head up to the last keyframe whose timestamp is at or before TS_US
 * (a decoder can go on from a keyframe); a drain marker stops it, and nothing is dropped when
 * no such keyframe is queued. Returns the packets dropped. */
int pktq_drop_to_key(struct pktq *q, int64_t ts_us);
/* Timestamp (us) of the oldest timed packet, AV_NOPTS_VALUE if none. */
int64_t pktq_head_ts(struct pktq *q);
/* Raise drop_before for packets queued from now on (never lowers it). */
void pktq_raise_drop_before(struct pktq *q, double t);
void pktq_abort(struct pktq *q);
void pktq_start(struct pktq *q);
void pktq_level(struct pktq *q, struct pktq_level *out);

#endif
