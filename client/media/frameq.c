#include "media/frameq.h"

#include <errno.h>

int frameq_init(struct frameq *fq, int max)
{
    *fq = (struct frameq){0};
    if (max < 1 || max > FRAMEQ_MAX)
        return -EINVAL;
    fq->max = max;
    fq->limit = max;
    fq->abort = true; /* until frameq_start */
    if (pthread_mutex_init(&fq->lock, NULL) != 0)
        return -ENOMEM;
    if (pthread_cond_init(&fq->cond, NULL) != 0) {
        pthread_mutex_destroy(&fq->lock);
        return -ENOMEM;
    }
    for (int i = 0; i < max; i++) {
        fq->items[i].frame = av_frame_alloc();
        if (!fq->items[i].frame) {
            frameq_fini(fq);
            return -ENOMEM;
        }
    }
    return 0;
}

void frameq_fini(struct frameq *fq)
{
    for (int i = 0; i < FRAMEQ_MAX; i++)
        av_frame_free(&fq->items[i].frame);
    pthread_cond_destroy(&fq->cond);
    pthread_mutex_destroy(&fq->lock);
}

struct frameq_item *frameq_peek_writable(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    while (fq->size >= fq->limit && !fq->abort)
        pthread_cond_wait(&fq->cond, &fq->lock);
    bool aborted = fq->abort;
    pthread_mutex_unlock(&fq->lock);
    return aborted ? NULL : &fq->items[fq->windex];
}

void frameq_push(struct frameq *fq)
{
    fq->windex = (fq->windex + 1) % fq->max;
    pthread_mutex_lock(&fq->lock);
    fq->size++;
    pthread_mutex_unlock(&fq->lock);
}

struct frameq_item *frameq_peek(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    int size = fq->size;
    pthread_mutex_unlock(&fq->lock);
    return size > 0 ? &fq->items[fq->rindex] : NULL;
}

struct frameq_item *frameq_peek_next(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    int size = fq->size;
    pthread_mutex_unlock(&fq->lock);
    return size > 1 ? &fq->items[(fq->rindex + 1) % fq->max] : NULL;
}

void frameq_next(struct frameq *fq)
{
    av_frame_unref(fq->items[fq->rindex].frame);
    fq->rindex = (fq->rindex + 1) % fq->max;
    pthread_mutex_lock(&fq->lock);
    fq->size--;
    pthread_cond_signal(&fq->cond);
    pthread_mutex_unlock(&fq->lock);
}

int frameq_size(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    int size = fq->size;
    pthread_mutex_unlock(&fq->lock);
    return size;
}

void frameq_abort(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    fq->abort = true;
    pthread_cond_broadcast(&fq->cond);
    pthread_mutex_unlock(&fq->lock);
}

void frameq_start(struct frameq *fq)
{
    pthread_mutex_lock(&fq->lock);
    fq->abort = false;
    pthread_mutex_unlock(&fq->lock);
}

void frameq_set_limit(struct frameq *fq, int limit)
{
    pthread_mutex_lock(&fq->lock);
    fq->limit = limit < 1 ? 1 : limit > fq->max ? fq->max : limit;
    pthread_cond_broadcast(&fq->cond);
    pthread_mutex_unlock(&fq->lock);
}
