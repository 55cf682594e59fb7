/* A small ring of decoded frames between one decoder thread (producer) and one consumer
 * (the main thread for video, the audio callback for audio). The frames are allocated once;
 * the producer blocks while the ring is full, the consumer never blocks.
 *
 * An item between peek and next belongs to the consumer: the producer touches only free
 * slots, so the consumer may read an item's fields and frame without holding the lock. */
#ifndef DJTV_MEDIA_FRAMEQ_H
#define DJTV_MEDIA_FRAMEQ_H

#include <libavutil/frame.h>
#include <pthread.h>
#include <stdbool.h>

enum { FRAMEQ_MAX = 16 };

struct frameq_item {
    AVFrame *frame;  /* owned (allocated at init, unref'd on release) */
    int serial;      /* packet serial it was decoded from */
    double pts;      /* seconds; NAN if unknown */
    double duration; /* seconds; 0 if unknown */
};

struct frameq {
    pthread_mutex_t lock;
    pthread_cond_t cond;                  /* producer waits here for a free slot */
    struct frameq_item items[FRAMEQ_MAX]; /* slots; see the ownership note above */
    int max;                              /* immutable after init */
    int rindex;                           /* consumer only */
    int windex;                           /* producer only */
    int size;                             /* [lock] items pushed and not released */
    int limit;                            /* [lock] the producer waits at this size (<= max) */
    bool abort;                           /* [lock] */
};

int frameq_init(struct frameq *fq, int max);
void frameq_fini(struct frameq *fq);
/* Producer: wait for a free slot. NULL when aborted. */
struct frameq_item *frameq_peek_writable(struct frameq *fq);
/* Producer: publish the slot returned by frameq_peek_writable. */
void frameq_push(struct frameq *fq);
/* Consumer: the oldest item, or NULL if none. */
struct frameq_item *frameq_peek(struct frameq *fq);
/* Consumer: the item after the oldest, or NULL. */
struct frameq_item *frameq_peek_next(struct frameq *fq);
/* Consumer: release the oldest item. */
void frameq_next(struct frameq *fq);
int frameq_size(struct frameq *fq);
/* Let the producer run at most LIMIT (1..max) items ahead from now on: fewer frames waiting
 * means less delay, for live input. */
void frameq_set_limit(struct frameq *fq, int limit);
void frameq_abort(struct frameq *fq);
void frameq_start(struct frameq *fq);

#endif
