/* Who asked for what: serial or ticket -> owner (app/owner.h). Network serials are > 0;
 * modal tickets are < 0, so the two never collide. Entries for owners that are gone
 * (forgotten) or stale serials find nobody and the result is dropped. */
#ifndef DJTV_REQUESTS_H
#define DJTV_REQUESTS_H

#include <stdint.h>

struct owner;
struct answer;
struct net_result;

enum { REQUESTS_MAX = 64 };

struct requests {
    struct {
        int64_t serial;
        struct owner *owner; /* borrowed */
    } e[REQUESTS_MAX];
    int n;
    int64_t last_ticket; /* 0, then -OWNER_TICKET_FIRST, one less each time */
};

void requests_init(struct requests *rq);
/* Returns 0, or -ENOSPC when full (the oldest entry is dropped to make room). */
int requests_track(struct requests *rq, int64_t serial, struct owner *owner);
/* The owner of serial, removing the entry; NULL if unknown. */
struct owner *requests_take(struct requests *rq, int64_t serial);
/* An owner is being destroyed: forget all it asked for. */
void requests_forget(struct requests *rq, const struct owner *owner);
/* Hand r to the owner that asked for it. Returns 1 if someone took it, 0 if dropped.
 * r stays the caller's. */
int requests_deliver(struct requests *rq, const struct net_result *r);
/* Hand a modal answer to the owner of a->ticket. Returns 1 if delivered, 0 if dropped. */
int requests_answer(struct requests *rq, const struct answer *a);

#endif
