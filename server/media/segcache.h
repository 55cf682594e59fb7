/* Media segments kept in memory as shared libmicrohttpd responses. A live meeting's newest
 * segment is fetched by every box within a second; served from its file descriptor, MHD reads
 * it 4 KiB at a time and encrypts each read as its own TLS record (tests/bench/METHOD.md: 2-3x
 * slower than the same bytes from memory). Segments never change once written (live/ renames
 * them into place; the importer swaps whole folders), so one response per file serves them all.
 * Entries are keyed by path and the file's identity (device, inode, size, mtime), so a file
 * replaced under the same name is read again; the least recently used go first when the bytes
 * or the slots run out. Thread-safe. */
#ifndef DJTV_MEDIA_SEGCACHE_H
#define DJTV_MEDIA_SEGCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct MHD_Connection;
struct MHD_Response;
struct segcache;

enum { SEGCACHE_MB_DEFAULT = 64 };

struct segcache_stats {
    uint64_t hits, misses;
    size_t bytes, entries;
};

/* A cache of at most MAX_BYTES of file bodies. 0 or -ENOMEM / -EINVAL. */
int segcache_create(size_t max_bytes, struct segcache **out);
/* Free the cache's responses (a connection still sending one keeps it until done). */
void segcache_destroy(struct segcache *c);

/* Queue the whole file REL, open on FD with status ST, as CONN's 200 reply: from the cache, or
 * read from FD now (DECORATE(resp) adds its headers once) and kept. 1 when queued, 0 when this
 * file is not for the cache (empty, or over a quarter of its bytes: serve it from FD), or a
 * negative errno (read error, out of memory; serve it from FD). FD stays the caller's. */
int segcache_queue(struct segcache *c, struct MHD_Connection *conn, const char *rel, int fd,
                   const struct stat *st, void (*decorate)(struct MHD_Response *r, void *arg),
                   void *arg);

void segcache_stats(struct segcache *c, struct segcache_stats *out);

#endif
