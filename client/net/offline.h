/* The box's local copy of the network, in one small SQLite file in its data directory:
 *   - the cache: the last good body of each GET path, with the time it was fetched, bounded in
 *     total size (the oldest copies go first), so a screen can be shown when the server cannot
 *     be reached, marked 离线 with that time;
 *   - the outbox: writes a member made (check-ins, answers, service requests) kept durably
 *     (WAL, synchronous=FULL for every outbox change: the log is fsynced before the call
 *     returns) with an idempotency key each, until the server has answered them, in the order
 *     they were made. Cache writes use synchronous=NORMAL (atomic, not flushed each time: a
 *     copy lost to a power cut is merely older), which spares the box's flash.
 * One connection, used by one thread at a time (the network thread). */
#ifndef DJTV_NET_OFFLINE_H
#define DJTV_NET_OFFLINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* OFFLINE_OUTBOX_MAX: writes kept at most (a member makes a handful a day; more means the
 * server has been gone for weeks, and the disk must not fill). */
enum { OFFLINE_KEY_LEN = 32, OFFLINE_DEFAULT_CACHE_MAX = 8 << 20, OFFLINE_OUTBOX_MAX = 500 };

struct offline;

struct outbox_entry {
    int64_t id;
    char method[8];
    char *path; /* owned */
    char *body; /* owned; NULL = none */
    char key[OFFLINE_KEY_LEN + 1];
    time_t created_at;
    int attempts;
};

/* Open (creating) DIR/offline.db. cache_max: bytes of cached bodies kept; 0 = the default.
 * 0 or a negative errno with a reason in err. */
int offline_open(const char *dir, size_t cache_max, struct offline **out, char *err,
                 size_t errlen);
void offline_close(struct offline *o);

/* Keep BODY as the last good copy of PATH, fetched at AT; then drop the oldest copies while
 * the cache is over its size. 0 or a negative errno. */
int offline_cache_put(struct offline *o, const char *path, const char *body, size_t len,
                      time_t at);
/* The copy of PATH: 1 with *body (owned, NUL-terminated), *len and *at; 0 when none; or a
 * negative errno. */
int offline_cache_get(struct offline *o, const char *path, char **body, size_t *len, time_t *at);
/* Bytes of cached bodies now. */
int64_t offline_cache_bytes(struct offline *o);

/* Add a write to the outbox with a fresh idempotency key (into key_out, may be NULL); it is on
 * disk when this returns. With key_in_body, the key also goes into BODY (a JSON object) as
 * "idempotency_key". *id gets its number. 0 or a negative errno (-EINVAL: body not an
 * object with key_in_body; -ENOSPC: OFFLINE_OUTBOX_MAX entries wait already). */
int offline_outbox_add(struct offline *o, const char *method, const char *path, const char *body,
                       int key_in_body, time_t at, int64_t *id, char *key_out);
/* The oldest entry: 1 and *e filled (free with outbox_entry_fini), 0 when empty. */
int offline_outbox_first(struct offline *o, struct outbox_entry *e);
/* The server answered entry ID: forget it. */
int offline_outbox_done(struct offline *o, int64_t id);
/* Entry ID could not reach the server: count the attempt. */
int offline_outbox_failed(struct offline *o, int64_t id);
/* Entries waiting, or a negative errno. */
int offline_outbox_count(struct offline *o);
void outbox_entry_fini(struct outbox_entry *e);

#endif
