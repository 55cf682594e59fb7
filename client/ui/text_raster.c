#define LOG_TAG "textraster"
#include "ui/text_raster.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

struct job {
    struct text_raster_done d; /* text owned; surf owned once rendered */
    struct job *next;
};

struct text_raster {
    SDL_mutex *lock;      /* owned: guards queue, done, in_hand, stop */
    SDL_cond *work;       /* owned: a string was queued, or stop */
    SDL_cond *idle;       /* owned: the queue ran dry */
    SDL_Thread *thread;   /* owned */
    struct fonts *fonts;  /* owned; the worker's own */
    struct job *queue, *queue_tail; /* owned, FIFO */
    struct job *done, *done_tail;   /* owned, FIFO */
    int in_hand;          /* strings the worker took and has not put in done yet */
    int stop;
    uint32_t wake_event;
    int delay_ms;         /* tests: wait this long before each batch (a slow worker) */
};

static double thread_cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void job_free(struct job *j)
{
    free(j->d.text);
    SDL_FreeSurface(j->d.surf);
    free(j);
}

static void list_free(struct job *j)
{
    while (j) {
        struct job *next = j->next;
        job_free(j);
        j = next;
    }
}

/* Sort a taken batch by style and size (stable), so each size is set once per batch. */
static struct job *by_size(struct job *list)
{
    struct job *sorted = NULL;
    while (list) {
        struct job *j = list;
        list = list->next;
        struct job **at = &sorted;
        while (*at && ((*at)->d.style < j->d.style ||
                       ((*at)->d.style == j->d.style && (*at)->d.px <= j->d.px)))
            at = &(*at)->next;
        j->next = *at;
        *at = j;
    }
    return sorted;
}

static void render(struct text_raster *tr, struct job *j)
{
    double t0 = thread_cpu_ms();
    int missing = 0;
    j->d.surf = fonts_render(tr->fonts, j->d.text, j->d.px, (enum font_style)j->d.style, j->d.fg,
                             &missing);
    j->d.cpu_ms = thread_cpu_ms() - t0;
}

/* A slow worker for tests: sleep delay_ms (lock held, as the caller has it), unless stopped. */
static void wait_delay(struct text_raster *tr)
{
    Uint32 t0 = SDL_GetTicks();
    for (;;) {
        int left = tr->delay_ms - (int)(SDL_GetTicks() - t0);
        if (tr->stop || left <= 0)
            return;
        SDL_CondWaitTimeout(tr->work, tr->lock, (Uint32)left);
    }
}

static int worker(void *arg)
{
    struct text_raster *tr = arg;
    SDL_LockMutex(tr->lock);
    for (;;) {
        while (!tr->stop && !tr->queue)
            SDL_CondWait(tr->work, tr->lock);
        if (tr->delay_ms > 0)
            wait_delay(tr);
        if (tr->stop)
            break;
        struct job *batch = tr->queue;
        tr->queue = tr->queue_tail = NULL;
        for (struct job *j = batch; j; j = j->next)
            tr->in_hand++;
        SDL_UnlockMutex(tr->lock);
        batch = by_size(batch);
        while (batch) {
            struct job *j = batch;
            batch = batch->next;
            j->next = NULL;
            render(tr, j);
            SDL_LockMutex(tr->lock);
            if (tr->done_tail)
                tr->done_tail->next = j;
            else
                tr->done = j;
            tr->done_tail = j;
            tr->in_hand--;
            int stop = tr->stop;
            SDL_UnlockMutex(tr->lock);
            if (stop) {
                list_free(batch);
                SDL_LockMutex(tr->lock);
                tr->in_hand = 0;
                goto out;
            }
        }
        SDL_LockMutex(tr->lock);
        if (!tr->queue) {
            SDL_CondBroadcast(tr->idle);
            if (tr->wake_event) {
                SDL_Event ev = { .type = tr->wake_event };
                SDL_PushEvent(&ev);
            }
        }
    }
out:
    SDL_UnlockMutex(tr->lock);
    fonts_destroy(tr->fonts); /* its faces were opened on this thread */
    tr->fonts = NULL;
    SDL_TLSCleanup();
    return 0;
}

struct text_raster *text_raster_create(struct fonts *like, uint32_t wake_event)
{
    struct text_raster *tr = calloc(1, sizeof(*tr));
    if (!tr)
        return NULL;
    tr->wake_event = wake_event;
    tr->fonts = fonts_sibling(like);
    tr->lock = SDL_CreateMutex();
    tr->work = SDL_CreateCond();
    tr->idle = SDL_CreateCond();
    if (!tr->fonts || !tr->lock || !tr->work || !tr->idle)
        goto fail;
    tr->thread = SDL_CreateThread(worker, "djtv-text", tr);
    if (!tr->thread)
        goto fail;
    return tr;
fail:
    text_raster_destroy(tr);
    return NULL;
}

void text_raster_destroy(struct text_raster *tr)
{
    if (!tr)
        return;
    if (tr->thread) {
        SDL_LockMutex(tr->lock);
        tr->stop = 1;
        SDL_CondSignal(tr->work);
        SDL_UnlockMutex(tr->lock);
        SDL_WaitThread(tr->thread, NULL);
    }
    fonts_destroy(tr->fonts); /* NULL unless the thread never started */
    list_free(tr->queue);
    list_free(tr->done);
    if (tr->idle)
        SDL_DestroyCond(tr->idle);
    if (tr->work)
        SDL_DestroyCond(tr->work);
    if (tr->lock)
        SDL_DestroyMutex(tr->lock);
    free(tr);
}

void text_raster_slow_down(struct text_raster *tr, int delay_ms)
{
    SDL_LockMutex(tr->lock);
    tr->delay_ms = delay_ms;
    SDL_UnlockMutex(tr->lock);
}

int text_raster_submit(struct text_raster *tr, const char *s, int px, enum font_style style,
                       SDL_Color fg)
{
    struct job *j = calloc(1, sizeof(*j));
    if (!j || !(j->d.text = strdup(s))) {
        free(j);
        return -ENOMEM;
    }
    j->d.px = px;
    j->d.style = (int)style;
    j->d.fg = fg;
    SDL_LockMutex(tr->lock);
    if (tr->queue_tail)
        tr->queue_tail->next = j;
    else
        tr->queue = j;
    tr->queue_tail = j;
    SDL_CondSignal(tr->work);
    SDL_UnlockMutex(tr->lock);
    return 0;
}

int text_raster_take(struct text_raster *tr, struct text_raster_done *out)
{
    SDL_LockMutex(tr->lock);
    struct job *j = tr->done;
    if (j) {
        tr->done = j->next;
        if (!tr->done)
            tr->done_tail = NULL;
    }
    SDL_UnlockMutex(tr->lock);
    if (!j)
        return 0;
    *out = j->d;
    free(j);
    return 1;
}

int text_raster_wait_idle(struct text_raster *tr, int timeout_ms)
{
    Uint32 t0 = SDL_GetTicks();
    SDL_LockMutex(tr->lock);
    while (tr->queue || tr->in_hand > 0) {
        int left = timeout_ms - (int)(SDL_GetTicks() - t0);
        if (left <= 0)
            break;
        SDL_CondWaitTimeout(tr->idle, tr->lock, (Uint32)left);
    }
    int idle = !tr->queue && tr->in_hand == 0;
    SDL_UnlockMutex(tr->lock);
    return idle;
}
