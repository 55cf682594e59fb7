/* Argument checks, then dispatch through the backend's ops table. */
#include "store/store_impl.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

int store_open(const char *path, unsigned flags, struct store **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!path || !*path)
        return -EINVAL;
    int rc = store_sqlite_open(path, flags, out);
    if (rc == 0)
        (*out)->model = &store_sqlite_model_ops;
    return rc;
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}

int store_ping(struct store *s)
{
    return s ? s->ops->ping(s) : -EINVAL;
}

int store_schema_version(struct store *s, int *version)
{
    return s && version ? s->ops->schema_version(s, version) : -EINVAL;
}

int store_box_by_token_hash(struct store *s, const char *hash_hex, struct store_box_ident *out)
{
    if (!s || !hash_hex || !out)
        return -EINVAL;
    return s->ops->box_by_token_hash(s, hash_hex, out);
}

int store_org_get(struct store *s, int64_t id, struct store_org *out)
{
    return s && out ? s->ops->org_get(s, id, out) : -EINVAL;
}

int store_household_get(struct store *s, int64_t id, struct store_household *out)
{
    if (!out)
        return -EINVAL;
    out->members = NULL;
    out->n_members = 0;
    return s ? s->ops->household_get(s, id, out) : -EINVAL;
}

void store_household_fini(struct store_household *h)
{
    if (!h)
        return;
    free(h->members);
    h->members = NULL;
    h->n_members = 0;
}

int store_content_count_by_section(struct store *s, const struct store_scope *scope, time_t now,
                                   struct store_count *out, int max, int *n)
{
    if (!s || !scope || !out || max < 0 || !n)
        return -EINVAL;
    return s->ops->content_count_by_section(s, scope, now, out, max, n);
}

int store_broadcast_count_active(struct store *s, const struct store_scope *scope, int *n)
{
    return s && scope && n ? s->ops->broadcast_count_active(s, scope, n) : -EINVAL;
}

int store_broadcast_list_live(struct store *s, const struct store_scope *scope,
                              struct store_broadcast *out, int max, int *n)
{
    if (!s || !scope || !out || max < 0 || !n)
        return -EINVAL;
    return s->ops->broadcast_list_live(s, scope, out, max, n);
}

int store_tx_begin(struct store *s, struct store_tx **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    return s ? s->ops->tx_begin(s, out) : -EINVAL;
}

int store_tx_commit(struct store_tx *tx)
{
    return tx ? tx->store->ops->tx_commit(tx) : -EINVAL;
}

void store_tx_rollback(struct store_tx *tx)
{
    if (tx)
        tx->store->ops->tx_rollback(tx);
}

int store_submit(struct store *s, store_job_fn run, store_done_fn done, void *arg)
{
    return s && run ? s->ops->submit(s, run, done, arg) : -EINVAL;
}

int store_write(struct store *s, store_job_fn run, void *arg)
{
    return s && run ? s->ops->write(s, run, arg) : -EINVAL;
}

int store_writer_stats(struct store *s, struct store_writer_stats *out)
{
    return s && out ? s->ops->writer_stats(s, out) : -EINVAL;
}

int store_org_add(struct store_tx *tx, int64_t parent_id, const char *kind, const char *name,
                  int64_t *id)
{
    if (!tx || !kind || !name)
        return -EINVAL;
    return tx->store->ops->org_add(tx, parent_id, kind, name, id);
}

int store_household_add(struct store_tx *tx, int64_t village_id, const char *name, int64_t *id)
{
    return tx && name ? tx->store->ops->household_add(tx, village_id, name, id) : -EINVAL;
}

int store_member_add(struct store_tx *tx, const struct store_member *m, int64_t *id)
{
    return tx && m ? tx->store->ops->member_add(tx, m, id) : -EINVAL;
}

int store_box_add(struct store_tx *tx, int64_t household_id, const char *token_hash_hex,
                  const char *label, int64_t *id)
{
    if (!tx || !token_hash_hex)
        return -EINVAL;
    return tx->store->ops->box_add(tx, household_id, token_hash_hex, label, id);
}

int store_box_revoke(struct store_tx *tx, int64_t box_id)
{
    return tx ? tx->store->ops->box_revoke(tx, box_id) : -EINVAL;
}

int store_content_add(struct store_tx *tx, const struct store_content_new *c, int64_t *id)
{
    if (!tx || !c || !c->section || !c->kind || !c->title || !c->body)
        return -EINVAL;
    return tx->store->ops->content_add(tx, c, id);
}

int store_broadcast_add(struct store_tx *tx, const struct store_broadcast_new *b, int64_t *id)
{
    if (!tx || !b || !b->title || !b->state)
        return -EINVAL;
    return tx->store->ops->broadcast_add(tx, b, id);
}
