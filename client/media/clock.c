#include "media/clock.h"

#include <errno.h>
#include <math.h>
#include <time.h>

double mclock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int mclock_init(struct mclock *c, const _Atomic int *queue_serial)
{
    *c = (struct mclock){.pts = NAN, .serial = -1, .queue_serial = queue_serial};
    return pthread_mutex_init(&c->lock, NULL) == 0 ? 0 : -ENOMEM;
}

void mclock_fini(struct mclock *c)
{
    pthread_mutex_destroy(&c->lock);
}

static double get_locked(const struct mclock *c, double now)
{
    if (c->queue_serial && atomic_load(c->queue_serial) != c->serial)
        return NAN;
    if (isnan(c->pts) || c->paused)
        return c->pts;
    return c->pts + (now - c->last_updated);
}

double mclock_get(struct mclock *c)
{
    double now = mclock_now();
    pthread_mutex_lock(&c->lock);
    double v = get_locked(c, now);
    pthread_mutex_unlock(&c->lock);
    return v;
}

void mclock_set_at(struct mclock *c, double pts, int serial, double when)
{
    pthread_mutex_lock(&c->lock);
    c->pts = pts;
    c->last_updated = when;
    c->serial = serial;
    pthread_mutex_unlock(&c->lock);
}

void mclock_set(struct mclock *c, double pts, int serial)
{
    mclock_set_at(c, pts, serial, mclock_now());
}

void mclock_set_paused(struct mclock *c, bool paused)
{
    double now = mclock_now();
    pthread_mutex_lock(&c->lock);
    if (c->paused != paused && !isnan(c->pts)) {
        if (paused)
            c->pts = c->pts + (now - c->last_updated);
        c->last_updated = now;
    }
    c->paused = paused;
    pthread_mutex_unlock(&c->lock);
}

void mclock_reset(struct mclock *c)
{
    pthread_mutex_lock(&c->lock);
    c->pts = NAN;
    c->serial = -1;
    pthread_mutex_unlock(&c->lock);
}
