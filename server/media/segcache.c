/* The segment cache (segcache.h). A response is queued while the cache's lock is held: MHD
 * counts the connection's reference inside MHD_queue_response, and an eviction on another
 * thread (MHD_destroy_response drops only the cache's reference) must not free it before. */
#define LOG_TAG "segcache"
#include "media/segcache.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

enum { SLOTS = 256 };

struct entry {
    char *rel;                 /* owned; NULL = a free slot */
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct MHD_Response *resp; /* owned: the cache's reference */
    uint64_t used;             /* the clock when last served */
};

struct segcache {
    pthread_mutex_t lock; /* everything below */
    struct entry slot[SLOTS];
    size_t bytes, max_bytes, entries;
    uint64_t clock, hits, misses;
};

int segcache_create(size_t max_bytes, struct segcache **out)
{
    *out = NULL;
    if (max_bytes == 0)
        return -EINVAL;
    struct segcache *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return -ENOMEM;
    }
    c->max_bytes = max_bytes;
    *out = c;
    return 0;
}

static void drop(struct segcache *c, struct entry *e)
{
    if (!e->rel)
        return;
    MHD_destroy_response(e->resp);
    c->bytes -= (size_t)e->size;
    c->entries--;
    free(e->rel);
    memset(e, 0, sizeof(*e));
}

void segcache_destroy(struct segcache *c)
{
    if (!c)
        return;
    for (int i = 0; i < SLOTS; i++)
        drop(c, &c->slot[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int same_file(const struct entry *e, const struct stat *st)
{
    return e->dev == st->st_dev && e->ino == st->st_ino && e->size == st->st_size &&
           e->mtime.tv_sec == st->st_mtim.tv_sec && e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The slot of REL (lock held): the entry when it is this very file; a stale one is dropped. */
static struct entry *find(struct segcache *c, const char *rel, const struct stat *st)
{
    for (int i = 0; i < SLOTS; i++) {
        struct entry *e = &c->slot[i];
        if (!e->rel || strcmp(e->rel, rel) != 0)
            continue;
        if (same_file(e, st))
            return e;
        drop(c, e); /* replaced under the same name */
        return NULL;
    }
    return NULL;
}

/* A free slot with room for SIZE more bytes, evicting the least recently used (lock held). */
static struct entry *make_room(struct segcache *c, size_t size)
{
    for (;;) {
        struct entry *free_slot = NULL, *oldest = NULL;
        for (int i = 0; i < SLOTS; i++) {
            struct entry *e = &c->slot[i];
            if (!e->rel) {
                if (!free_slot)
                    free_slot = e;
            } else if (!oldest || e->used < oldest->used) {
                oldest = e;
            }
        }
        if (free_slot && c->bytes + size <= c->max_bytes)
            return free_slot;
        if (!oldest)
            return NULL;
        drop(c, oldest);
    }
}

static int read_all(int fd, size_t n, char **out)
{
    char *buf = malloc(n);
    if (!buf)
        return -ENOMEM;
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int rc = r < 0 ? -errno : -EIO; /* shorter than it said: changing under us */
            free(buf);
            return rc;
        }
        got += (size_t)r;
    }
    *out = buf;
    return 0;
}

static void free_body(void *p)
{
    free(p);
}

static int queue_locked(struct segcache *c, struct entry *e, struct MHD_Connection *conn)
{
    e->used = ++c->clock;
    return MHD_queue_response(conn, MHD_HTTP_OK, e->resp) == MHD_YES ? 1 : -EIO;
}

int segcache_queue(struct segcache *c, struct MHD_Connection *conn, const char *rel, int fd,
                   const struct stat *st, void (*decorate)(struct MHD_Response *r, void *arg),
                   void *arg)
{
    if (st->st_size <= 0 || (size_t)st->st_size > c->max_bytes / 4)
        return 0;
    size_t size = (size_t)st->st_size;
    pthread_mutex_lock(&c->lock);
    struct entry *e = find(c, rel, st);
    if (e) {
        c->hits++;
        int rc = queue_locked(c, e, conn);
        pthread_mutex_unlock(&c->lock);
        return rc;
    }
    c->misses++;
    pthread_mutex_unlock(&c->lock);

    /* Read outside the lock: other segments keep being served meanwhile. */
    char *body = NULL;
    int rc = read_all(fd, size, &body);
    if (rc < 0)
        return rc;
    char *key = strdup(rel);
    struct MHD_Response *resp =
        key ? MHD_create_response_from_buffer_with_free_callback(size, body, free_body) : NULL;
    if (!resp) {
        free(key);
        free(body);
        return -ENOMEM;
    }
    decorate(resp, arg);

    pthread_mutex_lock(&c->lock);
    e = find(c, rel, st);
    if (e) {
        /* Another thread read it meanwhile: serve theirs, drop ours. */
        MHD_destroy_response(resp);
        free(key);
    } else {
        e = make_room(c, size);
        if (!e) {
            pthread_mutex_unlock(&c->lock);
            MHD_destroy_response(resp);
            free(key);
            return -ENOMEM;
        }
        *e = (struct entry){ key, st->st_dev, st->st_ino, st->st_size, st->st_mtim, resp, 0 };
        c->bytes += size;
        c->entries++;
    }
    rc = queue_locked(c, e, conn);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void segcache_stats(struct segcache *c, struct segcache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    out->hits = c->hits;
    out->misses = c->misses;
    out->bytes = c->bytes;
    out->entries = c->entries;
    pthread_mutex_unlock(&c->lock);
}
