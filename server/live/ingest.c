/* The publisher's uploads: PUT /live/{id}/seg{N}.ts with "Authorization: Bearer KEY". The key
 * is checked against the SHA-256 the database keeps (constant-time compare), the broadcast must
 * be live, the body must look like MPEG-TS and fit the size and the broadcast's disk quota, and
 * uploads are rate limited per broadcast. A segment is written to a hidden temp file, synced and
 * renamed, so a box never reads half of one; then it is appended to the recording's playlist
 * and the live window is rewritten (again temp + rename). The box-facing playlist is the
 * server's own, built from what is on disk: it never names a segment that is not there. */
#define LOG_TAG "live"
#include "live/live_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "log.h"
#include "store/store.h"

enum { TS_PACKET = 188, PLAYLIST_MAX = 16 * 1024 };

static void reply_set(struct live_reply *r, int status, const char *code, const char *message)
{
    r->status = status;
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->body, sizeof(r->body), "{\"code\":\"%s\",\"message\":\"%s\"}", code, message);
}

static int fail(struct live_reply *r, int rc, int status, const char *code, const char *message)
{
    reply_set(r, status, code, message);
    return rc;
}

/* "/live/{id}/publisher" → ID. */
static int parse_state_path(const char *path, int64_t *id)
{
    const char *p = path + strlen(LIVE_PREFIX);
    char *end = NULL;
    if (*p < '1' || *p > '9')
        return -EINVAL;
    long long v = strtoll(p, &end, 10);
    if (v <= 0 || strcmp(end, "/publisher") != 0)
        return -EINVAL;
    *id = v;
    return 0;
}

/* "/live/{id}/seg{N}.ts" → ID and N (both > 0 / >= 0, decimal, no leading zeros needed). */
static int parse_path(const char *path, int64_t *id, int64_t *seq)
{
    const char *p = path + strlen(LIVE_PREFIX);
    char *end = NULL;
    if (*p < '1' || *p > '9')
        return -EINVAL;
    long long v = strtoll(p, &end, 10);
    if (v <= 0 || strncmp(end, "/seg", 4) != 0)
        return -EINVAL;
    *id = v;
    p = end + 4;
    if (*p < '0' || *p > '9')
        return -EINVAL;
    long long s = strtoll(p, &end, 10);
    if (s < 0 || s > 999999999LL || strcmp(end, ".ts") != 0)
        return -EINVAL;
    *seq = s;
    return 0;
}

void rec_dir(const struct live *lv, int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "%s/live/%lld", lv->cfg.media_root, (long long)id);
}

/* The key of the Authorization header matches the broadcast's hash: 1, else 0. */
static int key_matches(const char *authorization, const char *hash)
{
    if (!authorization || strncmp(authorization, "Bearer ", 7) != 0 || strlen(hash) != 64)
        return 0;
    const char *key = authorization + 7;
    size_t n = strlen(key);
    if (n == 0 || n >= AUTH_TOKEN_HEX)
        return 0;
    char got[AUTH_HASH_HEX];
    if (auth_token_hash(key, got) < 0)
        return 0;
    return sodium_memcmp(got, hash, 64) == 0;
}

/* The caller holds broadcast ID's publishing key and the broadcast is live: 0, or a negative
 * errno with REPLY filled. */
static int check_publisher(struct live *lv, int64_t id, const char *authorization,
                           struct live_reply *reply)
{
    if (!authorization)
        return fail(reply, -EACCES, 401, "unauthorized", "the publishing key is required");
    struct store_broadcast b;
    int rc = store_broadcast_get(lv->cfg.store, id, &b);
    if (rc == -ENOENT)
        return fail(reply, rc, 404, "not_found", "no such broadcast");
    if (rc < 0)
        return fail(reply, rc, 503, "unavailable", "database unavailable");
    if (!key_matches(authorization, b.key_hash))
        return fail(reply, -EPERM, 403, "bad_publish_key",
                    "this is not the publishing key of this broadcast");
    if (strcmp(b.state, "live") != 0)
        return fail(reply, -ESTALE, 409, "broadcast_not_live", "the broadcast is not live");
    return 0;
}

int live_publish_check(struct live *lv, const struct live_put *put, struct live_reply *reply)
{
    int64_t id = 0, seq = 0;
    if (parse_path(put->path, &id, &seq) < 0)
        return fail(reply, -EINVAL, 400, "bad_request",
                    "upload to /live/{id}/seg{N}.ts (the server writes the playlists)");
    return check_publisher(lv, id, put->authorization, reply);
}

struct bstate *live_state(struct live *lv, int64_t id, time_t now)
{
    for (struct bstate *s = lv->list; s; s = s->next)
        if (s->id == id)
            return s;
    struct bstate *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->win = calloc((size_t)lv->cfg.window, sizeof(*s->win));
    if (!s->win) {
        free(s);
        return NULL;
    }
    s->id = id;
    s->last_seq = -1;
    s->last_put = now;
    s->tokens = lv->cfg.rate * 6;
    s->token_at = (double)now;
    /* After a restart: take up where the recording on disk ends. */
    char dir[1024];
    rec_dir(lv, id, dir, sizeof(dir));
    struct rec_entry *e = NULL;
    int n = 0, ended = 0;
    if (rec_load(dir, &e, &n, &ended) == 0) {
        for (int i = 0; i < n; i++) {
            char path[1100];
            struct stat st;
            snprintf(path, sizeof(path), "%s/seg%lld.ts", dir, (long long)e[i].seq);
            if (stat(path, &st) == 0)
                s->bytes += st.st_size;
            s->discs += e[i].disc;
        }
        s->count = n;
        s->last_seq = n ? e[n - 1].seq : -1;
        int from = n > lv->cfg.window ? n - lv->cfg.window : 0;
        s->n_win = n - from;
        memcpy(s->win, e + from, (size_t)s->n_win * sizeof(*e));
        s->finalized = 0; /* the worker asks the database whether the replay exists */
        (void)ended;
        free(e);
    }
    s->next = lv->list;
    lv->list = s;
    return s;
}

/* Token bucket per broadcast: 1 when this upload may go ahead. */
static int take_token(struct live *lv, struct bstate *s, time_t now)
{
    double burst = lv->cfg.rate * 6;
    s->tokens += ((double)now - s->token_at) * lv->cfg.rate;
    s->token_at = (double)now;
    if (s->tokens > burst)
        s->tokens = burst;
    if (s->tokens < 1.0)
        return 0;
    s->tokens -= 1.0;
    return 1;
}

/* The broadcast's state with one of its rate tokens taken, under lv->lock; NULL with the
 * reply filled (out of memory, or over the rate: WHAT names what was too many). */
static struct bstate *metered_state(struct live *lv, int64_t id, time_t now, const char *what,
                                    struct live_reply *reply)
{
    struct bstate *s = live_state(lv, id, now);
    if (!s) {
        fail(reply, -ENOMEM, 500, "internal", "out of memory");
        return NULL;
    }
    if (!take_token(lv, s, now)) {
        fail(reply, -EAGAIN, 429, "rate_limited", what);
        reply->retry_after = 1;
        return NULL;
    }
    return s;
}

/* 1 when the body is a whole number of MPEG-TS packets, each starting with the sync byte. */
static int looks_like_ts(const uint8_t *b, size_t len)
{
    if (len == 0 || len % TS_PACKET != 0)
        return 0;
    for (size_t i = 0; i < len; i += TS_PACKET)
        if (b[i] != 0x47)
            return 0;
    return 1;
}

/* 1 when the file at PATH holds exactly the LEN bytes of DATA. */
static int same_bytes(const char *path, const uint8_t *data, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int same = fstat(fd, &st) == 0 && (size_t)st.st_size == len;
    uint8_t buf[16 * 1024];
    for (size_t at = 0; same && at < len;) {
        ssize_t n = read(fd, buf, len - at < sizeof(buf) ? len - at : sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || memcmp(buf, data + at, (size_t)n) != 0)
            same = 0;
        else
            at += (size_t)n;
    }
    close(fd);
    return same;
}

/* Write LEN bytes to DIR/NAME through a hidden temp file, synced, then renamed. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t len)
{
    char tmp[1200], path[1200];
    snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    const uint8_t *p = data;
    size_t left = len;
    int rc = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            rc = -errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (rc == 0 && fdatasync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    return rc;
}

/* The live window as boxes read it. Media sequence numbers count segments (the publisher's
 * numbers may skip after a gap); the discontinuity sequence counts the gaps that slid out. */
static int write_window(struct live *lv, const struct bstate *s, const char *dir)
{
    char text[PLAYLIST_MAX];
    int64_t first = s->count - s->n_win, discs_in = 0;
    double longest = 1.0;
    for (int i = 0; i < s->n_win; i++) {
        discs_in += s->win[i].disc;
        if (s->win[i].dur > longest)
            longest = s->win[i].dur;
    }
    int n = snprintf(text, sizeof(text),
                     "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%d\n"
                     "#EXT-X-MEDIA-SEQUENCE:%lld\n#EXT-X-DISCONTINUITY-SEQUENCE:%lld\n",
                     (int)ceil(longest), (long long)first, (long long)(s->discs - discs_in));
    for (int i = 0; i < s->n_win && n > 0 && (size_t)n < sizeof(text); i++)
        n += snprintf(text + n, sizeof(text) - (size_t)n, "%s#EXTINF:%.3f,\nseg%lld.ts\n",
                      s->win[i].disc ? "#EXT-X-DISCONTINUITY\n" : "", s->win[i].dur,
                      (long long)s->win[i].seq);
    if (n < 0 || (size_t)n >= sizeof(text))
        return -E2BIG;
    (void)lv;
    return write_atomic(dir, "index.m3u8", text, (size_t)n);
}

/* "udp://A.B.C.D:PORT" with A.B.C.D in 224.0.0.0/4. */
static int multicast_ok(const char *url)
{
    unsigned a, b, c, d, port;
    char tail;
    if (sscanf(url, "udp://%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &tail) != 5)
        return 0;
    return a >= 224 && a <= 239 && b < 256 && c < 256 && d < 256 && port > 0 && port < 65536 &&
           strlen(url) < 64;
}

struct mc_job {
    int64_t id;
    const char *url;
};

static int mc_run(struct store_tx *tx, void *arg)
{
    const struct mc_job *j = arg;
    return store_broadcast_set_multicast(tx, j->id, j->url);
}

static int rec_state_run(struct store_tx *tx, void *arg)
{
    return store_broadcast_set_recording(tx, *(const int64_t *)arg, "recording", NULL);
}

/* Parse the headers: duration in (0, LIVE_SEGMENT_S_MAX], discontinuity 0 or 1. */
static int parse_headers(const struct live_put *put, double *dur, int *disc)
{
    *dur = 1.0;
    *disc = 0;
    if (put->duration) {
        char *end = NULL;
        *dur = strtod(put->duration, &end);
        if (end == put->duration || *end || !(*dur > 0.0) || *dur > LIVE_SEGMENT_S_MAX)
            return -EINVAL;
    }
    if (put->discontinuity) {
        if (strcmp(put->discontinuity, "0") != 0 && strcmp(put->discontinuity, "1") != 0)
            return -EINVAL;
        *disc = put->discontinuity[0] == '1';
    }
    if (put->multicast && !multicast_ok(put->multicast))
        return -EINVAL;
    return 0;
}

/* Store the segment (lock held). */
static void store_segment(struct live *lv, struct bstate *s, const struct live_put *put,
                          int64_t seq, double dur, int disc, struct live_reply *reply)
{
    char dir[1024], name[64];
    rec_dir(lv, s->id, dir, sizeof(dir));
    snprintf(name, sizeof(name), "seg%lld.ts", (long long)seq);
    if (seq <= s->last_seq) {
        /* A retry after a lost reply (the same bytes again) is fine. Anything else is a
         * publisher that lost count (a restarted djtv-cast): the reply says where to go on. */
        char path[1100];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        if (same_bytes(path, put->body, put->len)) {
            s->last_put = put->now;
            reply->status = 200;
            snprintf(reply->code, sizeof(reply->code), "ok");
            snprintf(reply->body, sizeof(reply->body),
                     "{\"broadcast_id\":%lld,\"seq\":%lld,\"duplicate\":true}",
                     (long long)s->id, (long long)seq);
            return;
        }
        reply->status = 409;
        snprintf(reply->code, sizeof(reply->code), "segment_out_of_order");
        snprintf(reply->body, sizeof(reply->body),
                 "{\"code\":\"segment_out_of_order\",\"message\":\"segment numbers must grow; "
                 "go on after last_seq\",\"last_seq\":%lld}",
                 (long long)s->last_seq);
        return;
    }
    if (s->bytes + (int64_t)put->len > lv->cfg.quota_bytes) {
        fail(reply, -ENOSPC, 507, "quota_exceeded",
             "the broadcast's recording has used its disk quota");
        return;
    }
    char parent[1024];
    snprintf(parent, sizeof(parent), "%s/live", lv->cfg.media_root);
    if ((mkdir(lv->cfg.media_root, 0755) < 0 && errno != EEXIST) ||
        (mkdir(parent, 0755) < 0 && errno != EEXIST) || (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
        log_error("cannot make %s: %s", dir, strerror(errno));
        fail(reply, -EIO, 500, "internal", "cannot store the segment");
        return;
    }
    int rc = write_atomic(dir, name, put->body, put->len);
    struct rec_entry e = { seq, dur, disc || (s->last_seq >= 0 && seq != s->last_seq + 1) };
    if (rc == 0)
        rc = rec_append(dir, &e);
    if (rc < 0) {
        log_error("broadcast %lld segment %lld: %s", (long long)s->id, (long long)seq,
                  strerror(-rc));
        fail(reply, rc, 500, "internal", "cannot store the segment");
        return;
    }
    int first = s->count == 0;
    s->bytes += (int64_t)put->len;
    s->count++;
    s->discs += e.disc;
    s->last_seq = seq;
    s->last_put = put->now;
    if (s->n_win == lv->cfg.window) {
        memmove(s->win, s->win + 1, (size_t)(s->n_win - 1) * sizeof(*s->win));
        s->n_win--;
    }
    s->win[s->n_win++] = e;
    rc = write_window(lv, s, dir);
    if (rc < 0)
        log_error("broadcast %lld playlist: %s", (long long)s->id, strerror(-rc));
    if (first) {
        int64_t id = s->id;
        if (store_write(lv->cfg.store, rec_state_run, &id) < 0)
            log_warn("broadcast %lld: recording state not saved", (long long)id);
        log_info("broadcast %lld: first segment arrived, recording", (long long)id);
    }
    if (put->multicast && !s->multicast_saved) {
        struct mc_job j = { s->id, put->multicast };
        if (store_write(lv->cfg.store, mc_run, &j) == 0)
            s->multicast_saved = 1;
    }
    reply->status = 201;
    snprintf(reply->code, sizeof(reply->code), "ok");
    snprintf(reply->body, sizeof(reply->body),
             "{\"broadcast_id\":%lld,\"seq\":%lld,\"bytes\":%zu,\"discontinuity\":%s}",
             (long long)s->id, (long long)seq, put->len, e.disc ? "true" : "false");
}

void live_publish(struct live *lv, const struct live_put *put, struct live_reply *reply)
{
    memset(reply, 0, sizeof(*reply));
    if (live_publish_check(lv, put, reply) < 0)
        return;
    int64_t id = 0, seq = 0;
    double dur;
    int disc;
    parse_path(put->path, &id, &seq);
    if (parse_headers(put, &dur, &disc) < 0) {
        fail(reply, -EINVAL, 400, "bad_request",
             "X-Segment-Duration must be 0-6 s, X-Discontinuity 0 or 1, X-Multicast "
             "udp://224-239.x.x.x:port");
        return;
    }
    if (put->len > LIVE_SEGMENT_MAX) {
        fail(reply, -E2BIG, 413, "too_large", "a segment may be at most 8 MiB");
        return;
    }
    if (!looks_like_ts(put->body, put->len)) {
        fail(reply, -EINVAL, 400, "bad_request", "the body is not an MPEG-TS segment");
        return;
    }
    pthread_mutex_lock(&lv->lock);
    struct bstate *s =
        metered_state(lv, id, put->now, "too many uploads for this broadcast", reply);
    if (s)
        store_segment(lv, s, put, seq, dur, disc, reply);
    pthread_mutex_unlock(&lv->lock);
}

void live_publisher_state(struct live *lv, const struct live_put *put, struct live_reply *reply)
{
    memset(reply, 0, sizeof(*reply));
    int64_t id = 0;
    if (parse_state_path(put->path, &id) < 0) {
        fail(reply, -EINVAL, 400, "bad_request", "ask /live/{id}/publisher");
        return;
    }
    if (check_publisher(lv, id, put->authorization, reply) < 0)
        return;
    pthread_mutex_lock(&lv->lock);
    struct bstate *s =
        metered_state(lv, id, put->now, "too many requests for this broadcast", reply);
    if (s) {
        reply->status = 200;
        snprintf(reply->code, sizeof(reply->code), "ok");
        snprintf(reply->body, sizeof(reply->body),
                 "{\"broadcast_id\":%lld,\"last_seq\":%lld,\"segments\":%lld}", (long long)id,
                 (long long)s->last_seq, (long long)s->count);
    }
    pthread_mutex_unlock(&lv->lock);
}

int live_create(const struct live_config *cfg, struct live **out)
{
    if (!cfg->media_root || !cfg->store || cfg->window < 1 || cfg->quota_bytes <= 0 ||
        cfg->idle_s < 1 || cfg->rate <= 0)
        return -EINVAL;
    struct live *lv = calloc(1, sizeof(*lv));
    if (!lv)
        return -ENOMEM;
    lv->cfg = *cfg;
    pthread_mutex_init(&lv->lock, NULL);
    pthread_cond_init(&lv->wake, NULL);
    int rc = watcher_start(lv);
    if (rc < 0) {
        live_destroy(lv);
        return rc;
    }
    *out = lv;
    return 0;
}

void live_set_events(struct live *lv, struct events *ev)
{
    pthread_mutex_lock(&lv->lock);
    lv->events = ev;
    pthread_mutex_unlock(&lv->lock);
}

void live_destroy(struct live *lv)
{
    if (!lv)
        return;
    watcher_stop(lv);
    while (lv->list) {
        struct bstate *s = lv->list;
        lv->list = s->next;
        free(s->win);
        free(s);
    }
    pthread_cond_destroy(&lv->wake);
    pthread_mutex_destroy(&lv->lock);
    free(lv);
}
