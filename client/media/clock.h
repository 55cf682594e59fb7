/* A media clock: the media time of what is being presented, extrapolated from the last
 * update with the monotonic clock. A clock set from packets of an older serial than its
 * queue's current one reads as NAN (unknown), so nothing syncs to pre-seek time. */
#ifndef DJTV_MEDIA_CLOCK_H
#define DJTV_MEDIA_CLOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct mclock {
    pthread_mutex_t lock;
    double pts;                      /* [lock] media seconds at last_updated; NAN = unset */
    double last_updated;             /* [lock] monotonic seconds */
    int serial;                      /* [lock] serial of the data that set pts */
    bool paused;                     /* [lock] */
    const _Atomic int *queue_serial; /* borrowed, may be NULL (never stale) */
};

/* Monotonic time in seconds. */
double mclock_now(void);

int mclock_init(struct mclock *c, const _Atomic int *queue_serial);
void mclock_fini(struct mclock *c);
/* Current media time, NAN if unset or stale. */
double mclock_get(struct mclock *c);
void mclock_set(struct mclock *c, double pts, int serial);
void mclock_set_at(struct mclock *c, double pts, int serial, double when);
/* Pausing freezes the reading; resuming continues from the frozen value. */
void mclock_set_paused(struct mclock *c, bool paused);
void mclock_reset(struct mclock *c);

#endif
