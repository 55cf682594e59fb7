/* Shared by the demo builder's files. */
#ifndef DJTV_DEMO_INTERNAL_H
#define DJTV_DEMO_INTERNAL_H

#include <cJSON.h>
#include <stdint.h>
#include <time.h>

#include "auth/auth.h"
#include "buf.h"
#include "demo/demo.h"

struct store_tx;

/* Deterministic generator (splitmix64), so the same assets give the same people. */
struct demo_rng {
    uint64_t state;
};
void demo_rng_seed(struct demo_rng *r, uint64_t seed);
/* A number in [lo, hi] (lo <= hi). */
int demo_rand(struct demo_rng *r, int lo, int hi);

struct demo_village {
    const char *name; /* borrowed from the township JSON */
    int64_t id;
    int households;
};

struct demo_box {
    int64_t box_id;
    int64_t household_id;
    const char *village; /* borrowed from the township JSON */
    char token[AUTH_TOKEN_HEX];
};

enum { DEMO_PASSWORD_LEN = 12 };

struct demo_account {
    char username[32];
    char password[DEMO_PASSWORD_LEN + 1];
    char phone[12]; /* cadres: the phone they sign in with on the TV; "" for others */
    char pin[7];    /* cadres: their 6-digit PIN (a secret, like the password) */
    const char *role;     /* static */
    const char *org_name; /* borrowed from the township JSON */
};

struct demo_ctx {
    struct store_tx *tx; /* borrowed: the one transaction everything goes into */
    struct demo_rng rng;
    time_t now;
    const char *file;          /* borrowed: the asset file being read, for messages */
    const char *township_name; /* borrowed from the township JSON */
    int64_t township_id;
    struct demo_village *villages; /* owned, n_villages entries */
    int n_villages;
    struct demo_box *boxes; /* owned, n_boxes entries (tokens wiped when freed) */
    int n_boxes;
    struct demo_account *accounts; /* owned, n_accounts entries (passwords wiped when freed) */
    int n_accounts;
    struct demo_stats *stats; /* borrowed */
    struct buf publish_keys;  /* "broadcast_id\tpublish_key" lines of the live broadcasts (wiped) */
};

/* JSON accessors that log "FILE: WHERE: what is wrong" and return -EINVAL. */
int demo_json_str(const struct demo_ctx *c, const cJSON *obj, const char *key,
                  const char *where, const char **out);
int demo_json_int(const struct demo_ctx *c, const cJSON *obj, const char *key,
                  const char *where, int lo, int hi, int *out);

/* Expand {township} {village} {year} {month} {rand:A-B} in TMPL into OUT (reset first).
 * WHEN gives year and month (Beijing time). VILLAGE may be NULL. -EINVAL on a bad placeholder. */
int demo_expand(struct demo_ctx *c, const char *tmpl, const char *village, time_t when,
                struct buf *out);

/* Township, villages, households, members and boxes (demo_people.c). */
int demo_people_add(struct demo_ctx *c, const cJSON *township);
/* Accounts with random passwords (demo_accounts.c), after demo_people_add. */
int demo_accounts_add(struct demo_ctx *c);
/* An item's optional course, pioneer, ledger and form (demo_extras.c). */
int demo_extras_add(struct demo_ctx *c, const cJSON *it, const char *where, int64_t id,
                    time_t published);
/* Content items and broadcasts (demo_content.c). */
int demo_content_add(struct demo_ctx *c, const cJSON *content);

#endif
