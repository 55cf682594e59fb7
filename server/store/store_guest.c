/* A member away from home (store_model.h): argument checks, then dispatch through the
 * backend's data-model table. */
#include "store/store_impl.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

int store_guest_set(struct store_tx *tx, int64_t township_id, int64_t member_id,
                    const char *phone, const char *pin_hash)
{
    if (!tx || member_id <= 0 || !phone || !pin_hash)
        return -EINVAL;
    return tx->store->model->guest_set(tx, township_id, member_id, phone, pin_hash);
}

int store_guest_find(struct store *s, int64_t township_id, const char *phone,
                     struct store_guest *out)
{
    if (!s || !out || !phone || !phone[0])
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    return s->model->guest_find(s, township_id, phone, out);
}

int store_guest_session_add(struct store_tx *tx, const char *token_hash_hex, int64_t member_id,
                            int64_t box_id, int64_t broadcast_id, time_t now, int64_t *id)
{
    if (!tx || !token_hash_hex || strlen(token_hash_hex) != 64 || member_id <= 0 || box_id <= 0 ||
        broadcast_id <= 0)
        return -EINVAL;
    return tx->store->model->guest_session_add(tx, token_hash_hex, member_id, box_id,
                                               broadcast_id, now, id);
}

int store_guest_session_get(struct store *s, const char *token_hash_hex,
                            struct store_guest_session *out)
{
    if (!s || !out || !token_hash_hex)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    return s->model->guest_session_get(s, token_hash_hex, out);
}
