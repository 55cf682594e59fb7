/* Upload jobs (store_jobs.h): argument checks, then dispatch through the backend's data-model
 * table. */
#include "store/store_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int store_upload_job_add(struct store_tx *tx, const struct store_upload_job *j, time_t now,
                         int64_t *id)
{
    if (!tx || !j || !id || j->township_id <= 0 || j->size < 0)
        return -EINVAL;
    return tx->store->model->upload_job_add(tx, j, now, id);
}

int store_upload_job_set(struct store_tx *tx, const struct store_upload_job *j, const char *from,
                         time_t now)
{
    if (!tx || !j || j->id <= 0 || !j->state[0])
        return -EINVAL;
    return tx->store->model->upload_job_set(tx, j, from, now);
}

int store_upload_job_get(struct store *s, int64_t id, struct store_upload_job *out)
{
    if (!out)
        return -EINVAL;
    memset(out, 0, sizeof(*out));
    if (!s || id <= 0)
        return id <= 0 ? -ENOENT : -EINVAL;
    return s->model->upload_job_get(s, id, out);
}

void store_upload_job_fini(struct store_upload_job *j)
{
    if (!j)
        return;
    free(j->item_json);
    j->item_json = NULL;
}

int store_upload_jobs_open(struct store *s, int64_t *ids, int max, int *n)
{
    if (n)
        *n = 0;
    if (!s || !ids || !n || max < 0)
        return -EINVAL;
    return s->model->upload_jobs_open(s, ids, max, n);
}
