/* In-memory token buckets keyed by a 64-bit key: per-token request limits and login-attempt
 * limits. A fixed-size table (no allocation per request) guarded by one mutex; when it is full,
 * the least recently used bucket among a key's probe slots is recycled, so memory stays bounded
 * whatever the clients do. Keys come from ratelimit_key(), a keyed hash (SipHash), so clients
 * cannot aim collisions at someone else's bucket. */
#ifndef DJTV_RATELIMIT_H
#define DJTV_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/* How a class of buckets fills: RATE tokens per second up to BURST. */
struct ratelimit_rule {
    double rate;
    double burst;
};

/* A table of about CAPACITY buckets (rounded up to a power of two, at least 64). */
int ratelimit_create(unsigned capacity, struct ratelimit **out);
void ratelimit_destroy(struct ratelimit *rl);

/* The bucket key of (CLASS, the LEN bytes at DATA). */
uint64_t ratelimit_key(const struct ratelimit *rl, const char *cls, const void *data, size_t len);

/* Take one token from KEY's bucket at time NOW (seconds; any monotonic-enough clock). 0 when
 * allowed; -EDQUOT when the bucket is empty, with *RETRY_AFTER (may be NULL) the whole seconds
 * until a token is back (>= 1). */
int ratelimit_take(struct ratelimit *rl, uint64_t key, const struct ratelimit_rule *rule,
                   double now, int *retry_after);
/* Give back a token taken a moment ago (a login that succeeded). */
void ratelimit_refund(struct ratelimit *rl, uint64_t key, const struct ratelimit_rule *rule);

#endif
