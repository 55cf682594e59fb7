#include "app/requests.h"

#include <errno.h>
#include <string.h>

#include "app/owner.h"
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

int requests_track(struct requests *rq, int64_t serial, struct owner *owner)
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

struct owner *requests_take(struct requests *rq, int64_t serial)
{
    for (int i = 0; i < rq->n; i++) {
        if (rq->e[i].serial == serial) {
            struct owner *o = rq->e[i].owner;
            remove_at(rq, i);
            return o;
        }
    }
    return NULL;
}

void requests_forget(struct requests *rq, const struct owner *owner)
{
    for (int i = rq->n - 1; i >= 0; i--) {
        if (rq->e[i].owner == owner)
            remove_at(rq, i);
    }
}

int requests_deliver(struct requests *rq, const struct net_result *r)
{
    struct owner *o = requests_take(rq, r->serial);
    if (!o || !o->ops || !o->ops->on_net)
        return 0;
    o->ops->on_net(o, r);
    o->dirty = 1;
    return 1;
}

int requests_answer(struct requests *rq, const struct answer *a)
{
    struct owner *o = requests_take(rq, a->ticket);
    if (!o || !o->ops || !o->ops->on_answer)
        return 0;
    o->ops->on_answer(o, a);
    o->dirty = 1;
    return 1;
}

int64_t owner_track(struct owner *o, int64_t serial)
{
    if (serial > 0)
        requests_track(o->svc->reqs, serial, o);
    return serial;
}

int64_t owner_ticket(struct owner *o)
{
    struct requests *rq = o->svc->reqs;
    /* Below every errno, so a call that returns "a ticket or -errno" is never ambiguous. */
    if (rq->last_ticket > -OWNER_TICKET_FIRST || rq->last_ticket <= INT64_MIN + 1)
        rq->last_ticket = -OWNER_TICKET_FIRST;
    else
        rq->last_ticket--;
    requests_track(rq, rq->last_ticket, o);
    return rq->last_ticket;
}

void owner_navigate(struct owner *o, enum nav_kind kind, struct screen *next)
{
    if (o->request.next && o->request.next != next)
        screen_destroy(o->request.next);
    o->request.kind = kind;
    o->request.next = next;
    o->request.status = 0;
}

int64_t screen_track(struct screen *s, int64_t serial)
{
    return owner_track(&s->own, serial);
}
