#include "util/ratelimit.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { PROBES = 8, MIN_CAPACITY = 64 };

struct bucket {
    uint64_t key; /* 0 = free slot */
    double tokens;
    double last; /* when tokens was last brought up to date */
};

struct ratelimit {
    pthread_mutex_t lock; /* guards slots */
    struct bucket *slots; /* owned, mask + 1 entries */
    size_t mask;
    unsigned char hash_key[crypto_shorthash_KEYBYTES];
};

int ratelimit_create(unsigned capacity, struct ratelimit **out)
{
    *out = NULL;
    size_t n = MIN_CAPACITY;
    while (n < capacity && n < ((size_t)1 << 24))
        n <<= 1;
    struct ratelimit *rl = calloc(1, sizeof(*rl));
    if (!rl)
        return -ENOMEM;
    rl->slots = calloc(n, sizeof(*rl->slots));
    if (!rl->slots) {
        free(rl);
        return -ENOMEM;
    }
    rl->mask = n - 1;
    randombytes_buf(rl->hash_key, sizeof(rl->hash_key));
    pthread_mutex_init(&rl->lock, NULL);
    *out = rl;
    return 0;
}

void ratelimit_destroy(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->slots);
    free(rl);
}

uint64_t ratelimit_key(const struct ratelimit *rl, const char *cls, const void *data, size_t len)
{
    crypto_generichash_state st;
    unsigned char mid[crypto_shorthash_BYTES * 2];
    /* Class and data through BLAKE2b (any length), then SipHash with the table's secret. */
    crypto_generichash_init(&st, NULL, 0, sizeof(mid));
    crypto_generichash_update(&st, (const unsigned char *)cls, strlen(cls) + 1);
    crypto_generichash_update(&st, data, len);
    crypto_generichash_final(&st, mid, sizeof(mid));
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, mid, sizeof(mid), rl->hash_key);
    uint64_t k = 0;
    memcpy(&k, h, sizeof(k));
    return k ? k : 1; /* 0 marks a free slot */
}

/* The bucket of KEY, claiming a slot for it when it has none (lock held). */
static struct bucket *find(struct ratelimit *rl, uint64_t key, const struct ratelimit_rule *r,
                           double now)
{
    struct bucket *victim = NULL;
    for (size_t i = 0; i < PROBES; i++) {
        struct bucket *b = &rl->slots[(key + i) & rl->mask];
        if (b->key == key)
            return b;
        if (!b->key) {
            victim = b;
            break;
        }
        if (!victim || b->last < victim->last)
            victim = b;
    }
    victim->key = key;
    victim->tokens = r->burst;
    victim->last = now;
    return victim;
}

int ratelimit_take(struct ratelimit *rl, uint64_t key, const struct ratelimit_rule *rule,
                   double now, int *retry_after)
{
    if (!rl || !rule || rule->rate <= 0 || rule->burst < 1)
        return 0; /* no limit */
    pthread_mutex_lock(&rl->lock);
    struct bucket *b = find(rl, key, rule, now);
    if (now > b->last) {
        b->tokens = fmin(rule->burst, b->tokens + (now - b->last) * rule->rate);
        b->last = now;
    }
    int rc = 0;
    if (b->tokens >= 1.0) {
        b->tokens -= 1.0;
    } else {
        double wait = (1.0 - b->tokens) / rule->rate;
        if (retry_after)
            *retry_after = wait < 1.0 ? 1 : (int)ceil(wait);
        rc = -EDQUOT;
    }
    pthread_mutex_unlock(&rl->lock);
    return rc;
}

void ratelimit_refund(struct ratelimit *rl, uint64_t key, const struct ratelimit_rule *rule)
{
    if (!rl || !rule || rule->rate <= 0 || rule->burst < 1)
        return;
    pthread_mutex_lock(&rl->lock);
    for (size_t i = 0; i < PROBES; i++) {
        struct bucket *b = &rl->slots[(key + i) & rl->mask];
        if (b->key == key) {
            b->tokens = fmin(rule->burst, b->tokens + 1.0);
            break;
        }
    }
    pthread_mutex_unlock(&rl->lock);
}
