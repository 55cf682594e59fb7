#include "app/requests.h"

#include <errno.h>
#include <string.h>

#include "app/screen.h"

void requests_init(struct requests *rq)
{
    memset(rq, 0, sizeof(*rq));
}

static void remove_at(struct requests *rq, int i)
{
    memmove(&rq->e[i], &rq->e[i + 1], (size_t)(rq->n - i - 1) * sizeof(rq->e[0]));
    rq->n--;
}

int requests_track(struct requests *rq, int64_t serial, struct screen *owner)
{
    int rc = 0;
    if (rq->n == REQUESTS_MAX) {
        remove_at(rq, 0);
        rc = -ENOSPC;
    }
    rq->e[rq->n].serial = serial;
    rq->e[rq->n].owner = owner;
    rq->n++;
    return rc;
}

struct screen *requests_take(struct requests *rq, int64_t serial)
{
    for (int i = 0; i < rq->n; i++) {
        if (rq->e[i].serial == serial) {
            struct screen *s = rq->e[i].owner;
            remove_at(rq, i);
            return s;
        }
    }
    return NULL;
}

void requests_forget(struct requests *rq, const struct screen *owner)
{
    for (int i = rq->n - 1; i >= 0; i--) {
        if (rq->e[i].owner == owner)
            remove_at(rq, i);
    }
}

int64_t screen_track(struct screen *s, int64_t serial)
{
    if (serial > 0)
        requests_track(s->svc->reqs, serial, s);
    return serial;
}
