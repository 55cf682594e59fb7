/* Township staff's roll-call turnout reads (store_model.h): argument checks, then dispatch
 * through the backend's data-model table. */
#include "store/store_impl.h"

#include <errno.h>
#include <stddef.h>

/* Owned-array results start empty, so a caller may free them after any error. */
#define CLEAR(out, n)                                                                          \
    do {                                                                                       \
        if (out)                                                                               \
            *(out) = NULL;                                                                     \
        if (n)                                                                                 \
            *(n) = 0;                                                                          \
    } while (0)

int store_turnout_rollcalls(struct store *s, int64_t township_id, time_t from, time_t to,
                            int offset, int limit, struct store_turnout_rollcall *out, int *n,
                            int *total)
{
    if (!s || !out || !n || !total || offset < 0 || limit < 0)
        return -EINVAL;
    return s->model->turnout_rollcalls(s, township_id, from, to, offset, limit, out, n, total);
}

int store_turnout_villages(struct store *s, int64_t rollcall_id,
                           struct store_turnout_village **out, int *n)
{
    CLEAR(out, n);
    if (!s || !out || !n)
        return -EINVAL;
    return s->model->turnout_villages(s, rollcall_id, out, n);
}

int store_turnout_members(struct store *s, int64_t rollcall_id, int64_t village_id,
                          int absent_only, struct store_turnout_member **out, int *n)
{
    CLEAR(out, n);
    if (!s || !out || !n || village_id < 0)
        return -EINVAL;
    return s->model->turnout_members(s, rollcall_id, village_id, absent_only, out, n);
}

int store_turnout_trend(struct store *s, int64_t township_id, int64_t village_id, int last,
                        struct store_turnout_point **out, int *n)
{
    CLEAR(out, n);
    if (!s || !out || !n || village_id < 0 || last < 1)
        return -EINVAL;
    return s->model->turnout_trend(s, township_id, village_id, last, out, n);
}
