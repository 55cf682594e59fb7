/* For store backends only (store/<engine>/): the ops table behind struct store. Callers never
 * include this; they use store.h. */
#ifndef DJTV_STORE_IMPL_H
#define DJTV_STORE_IMPL_H

#include "store/store.h"
#include "store/store_model_impl.h"

struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    int (*ping)(struct store *s);
    int (*schema_version)(struct store *s, int *version);

    int (*box_by_token_hash)(struct store *s, const char *hash_hex, struct store_box_ident *out);
    int (*org_get)(struct store *s, int64_t id, struct store_org *out);
    int (*household_get)(struct store *s, int64_t id, struct store_household *out);
    int (*content_count_by_section)(struct store *s, const struct store_scope *scope, time_t now,
                                    struct store_count *out, int max, int *n);
    int (*broadcast_count_active)(struct store *s, const struct store_scope *scope, int *n);
    int (*broadcast_list_live)(struct store *s, const struct store_scope *scope,
                               struct store_broadcast *out, int max, int *n);

    int (*tx_begin)(struct store *s, struct store_tx **out);
    int (*tx_commit)(struct store_tx *tx);
    void (*tx_rollback)(struct store_tx *tx);
    int (*submit)(struct store *s, store_job_fn run, store_done_fn done, void *arg);
    int (*write)(struct store *s, store_job_fn run, void *arg);
    int (*writer_stats)(struct store *s, struct store_writer_stats *out);
    int (*org_add)(struct store_tx *tx, int64_t parent_id, const char *kind, const char *name,
                   int64_t *id);
    int (*household_add)(struct store_tx *tx, int64_t village_id, const char *name, int64_t *id);
    int (*member_add)(struct store_tx *tx, const struct store_member *m, int64_t *id);
    int (*box_add)(struct store_tx *tx, int64_t household_id, const char *token_hash_hex,
                   const char *label, int64_t *id);
    int (*box_revoke)(struct store_tx *tx, int64_t box_id);
    int (*content_add)(struct store_tx *tx, const struct store_content_new *c, int64_t *id);
    int (*broadcast_add)(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id);
};

/* A backend embeds these as the first member of its own structs. */
struct store {
    const struct store_ops *ops; /* borrowed: a static table */
    const struct store_model_ops *model; /* borrowed: the data model's table (store_open sets it) */
};

struct store_tx {
    struct store *store; /* borrowed */
};

/* Backends' constructors, chosen by store_open. */
int store_sqlite_open(const char *path, unsigned flags, struct store **out);

#endif
