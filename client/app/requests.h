/* Which screen asked for which network result: serial -> screen. Results for serials not
 * in the table (the screen is gone, or the serial is stale) are dropped. */
#ifndef DJTV_REQUESTS_H
#define DJTV_REQUESTS_H

#include <stdint.h>

struct screen;

enum { REQUESTS_MAX = 64 };

struct requests {
    struct {
        int64_t serial;
        struct screen *owner; /* borrowed */
    } e[REQUESTS_MAX];
    int n;
};

void requests_init(struct requests *rq);
/* Returns 0, or -ENOSPC when full (the oldest entry is dropped to make room). */
int requests_track(struct requests *rq, int64_t serial, struct screen *owner);
/* The owner of serial, removing the entry; NULL if unknown. */
struct screen *requests_take(struct requests *rq, int64_t serial);
/* A screen is being destroyed: forget all it asked for. */
void requests_forget(struct requests *rq, const struct screen *owner);

#endif
