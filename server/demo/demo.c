/* The demo builder's driver: load the asset files, fill a temporary database in one
 * transaction, write the boxes file, then move both into place. */
#define LOG_TAG "demo"
#include "demo/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo/demo_internal.h"
#include "log.h"
#include "store/store.h"
#include "util/fileio.h"

enum { ASSET_MAX = 4 * 1024 * 1024, PATH_CAP = 4096, BEIJING_OFFSET = 8 * 3600 };
static const uint64_t DEMO_SEED = 20261105; /* any constant: same assets, same people */

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
    r->state = seed;
}

int demo_rand(struct demo_rng *r, int lo, int hi)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    if (hi <= lo)
        return lo;
    return lo + (int)(z % (uint64_t)(hi - lo + 1));
}

int demo_json_str(const struct demo_ctx *c, const cJSON *obj, const char *key,
                  const char *where, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || !v->valuestring[0]) {
        log_error("%s: %s: \"%s\" must be a non-empty string", c->file, where, key);
        return -EINVAL;
    }
    *out = v->valuestring;
    return 0;
}

int demo_json_int(const struct demo_ctx *c, const cJSON *obj, const char *key,
                  const char *where, int lo, int hi, int *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
        v->valuedouble != (double)(int)v->valuedouble) {
        log_error("%s: %s: \"%s\" must be a whole number from %d to %d", c->file, where, key, lo,
                  hi);
        return -EINVAL;
    }
    *out = (int)v->valuedouble;
    return 0;
}

/* {rand:A-B}: parse A and B (non-negative). */
static int parse_range(const char *s, size_t n, int *lo, int *hi)
{
    char tmp[32];
    if (n >= sizeof(tmp))
        return -EINVAL;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end = NULL;
    errno = 0;
    long a = strtol(tmp, &end, 10);
    if (errno || end == tmp || *end != '-')
        return -EINVAL;
    char *start = end + 1;
    long b = strtol(start, &end, 10);
    if (errno || end == start || *end != '\0' || a < 0 || b < a || b > 1000000000L)
        return -EINVAL;
    *lo = (int)a;
    *hi = (int)b;
    return 0;
}

int demo_expand(struct demo_ctx *c, const char *tmpl, const char *village, time_t when,
                struct buf *out)
{
    struct tm tm;
    time_t local = when + BEIJING_OFFSET;
    gmtime_r(&local, &tm);
    buf_reset(out);
    const char *p = tmpl;
    while (*p) {
        const char *open = strchr(p, '{');
        if (!open)
            return buf_append_str(out, p);
        int rc = buf_append(out, p, (size_t)(open - p));
        if (rc < 0)
            return rc;
        const char *close = strchr(open, '}');
        if (!close)
            goto bad;
        const char *name = open + 1;
        size_t n = (size_t)(close - name);
        if (n == 8 && memcmp(name, "township", 8) == 0) {
            rc = buf_append_str(out, c->township_name);
        } else if (n == 7 && memcmp(name, "village", 7) == 0 && village) {
            rc = buf_append_str(out, village);
        } else if (n == 4 && memcmp(name, "year", 4) == 0) {
            rc = buf_printf(out, "%d", tm.tm_year + 1900);
        } else if (n == 5 && memcmp(name, "month", 5) == 0) {
            rc = buf_printf(out, "%d", tm.tm_mon + 1);
        } else if (n > 5 && memcmp(name, "rand:", 5) == 0) {
            int lo, hi;
            if (parse_range(name + 5, n - 5, &lo, &hi) < 0)
                goto bad;
            rc = buf_printf(out, "%d", demo_rand(&c->rng, lo, hi));
        } else {
            goto bad;
        }
        if (rc < 0)
            return rc;
        p = close + 1;
    }
    if (!out->data)
        return buf_append_str(out, "");
    return 0;

bad:
    log_error("%s: bad placeholder in \"%s\"", c->file, tmpl);
    return -EINVAL;
}

static int load_json(const char *dir, const char *name, char *path, size_t cap, cJSON **out)
{
    *out = NULL;
    if (snprintf(path, cap, "%s/demo/%s", dir, name) >= (int)cap)
        return -ENAMETOOLONG;
    char *text = NULL;
    size_t len = 0;
    int rc = fileio_read(path, ASSET_MAX, &text, &len);
    if (rc < 0) {
        log_error("cannot read %s: %s", path, strerror(-rc));
        return rc;
    }
    const char *end = NULL;
    /* len + 1: cJSON wants to see the terminating NUL to reject trailing garbage. */
    cJSON *j = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!cJSON_IsObject(j)) {
        long at = j || !end ? 0 : (long)(end - text);
        log_error("%s: not a JSON object (error near byte %ld)", path, at);
        cJSON_Delete(j);
        free(text);
        return -EINVAL;
    }
    free(text);
    *out = j;
    return 0;
}

static int path_with(char *dst, size_t cap, const char *base, const char *suffix)
{
    return snprintf(dst, cap, "%s%s", base, suffix) >= (int)cap ? -ENAMETOOLONG : 0;
}

/* Remove a database file and its WAL companions; missing files are fine. */
static void remove_db(const char *path)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    char p[PATH_CAP];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
        if (path_with(p, sizeof(p), path, suffixes[i]) == 0)
            unlink(p);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write B to PATH, created 0600 and synced. */
static int write_secret(const char *path, const struct buf *b)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int rc = -errno;
        log_error("cannot write %s: %s", path, strerror(-rc));
        return rc;
    }
    int rc = write_all(fd, b->data, b->len);
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc < 0)
        log_error("writing %s: %s", path, strerror(-rc));
    return rc;
}

/* The tokens are secrets: the file is created 0600 and the buffer is wiped. */
static int write_boxes(const struct demo_ctx *c, const char *path)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_append_str(&b, "box_id\thousehold_id\tvillage_name\ttoken\n");
    for (int i = 0; rc == 0 && i < c->n_boxes; i++)
        rc = buf_printf(&b, "%lld\t%lld\t%s\t%s\n", (long long)c->boxes[i].box_id,
                        (long long)c->boxes[i].household_id, c->boxes[i].village,
                        c->boxes[i].token);
    if (rc == 0)
        rc = write_secret(path, &b);
    if (b.data)
        sodium_memzero(b.data, b.len);
    buf_fini(&b);
    return rc;
}

/* The passwords are secrets: 0600 and wiped, like the tokens. */
static int write_accounts(const struct demo_ctx *c, const char *path)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_append_str(&b, "username\trole\torg_name\tpassword\tphone\tpin\n");
    for (int i = 0; rc == 0 && i < c->n_accounts; i++)
        rc = buf_printf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", c->accounts[i].username,
                        c->accounts[i].role, c->accounts[i].org_name, c->accounts[i].password,
                        c->accounts[i].phone, c->accounts[i].pin);
    if (rc == 0)
        rc = write_secret(path, &b);
    if (b.data)
        sodium_memzero(b.data, b.len);
    buf_fini(&b);
    return rc;
}

/* The live broadcasts' publishing keys: secrets too. */
static int write_publish_keys(struct demo_ctx *c, const char *path)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_append_str(&b, "broadcast_id\tpublish_key\n");
    if (rc == 0 && c->publish_keys.len)
        rc = buf_append(&b, c->publish_keys.data, c->publish_keys.len);
    if (rc == 0)
        rc = write_secret(path, &b);
    if (b.data)
        sodium_memzero(b.data, b.len);
    buf_fini(&b);
    return rc;
}

/* NAME in the folder of the boxes file. */
static int beside_boxes(const struct demo_options *o, const char *name, char *out, size_t cap)
{
    const char *slash = strrchr(o->boxes_out, '/');
    int dir = slash ? (int)(slash - o->boxes_out) + 1 : 0;
    return snprintf(out, cap, "%.*s%s", dir, o->boxes_out, name) >= (int)cap ? -ENAMETOOLONG : 0;
}

/* --accounts-out, or accounts.tsv in the folder of the boxes file. */
static int accounts_path(const struct demo_options *o, char *out, size_t cap)
{
    if (o->accounts_out)
        return snprintf(out, cap, "%s", o->accounts_out) >= (int)cap ? -ENAMETOOLONG : 0;
    return beside_boxes(o, "accounts.tsv", out, cap);
}

static int fill(struct demo_ctx *c, struct store *s, const cJSON *township, const char *tpath,
                const cJSON *content, const char *cpath)
{
    int rc = store_tx_begin(s, &c->tx);
    if (rc < 0)
        return rc;
    c->file = tpath;
    rc = demo_people_add(c, township);
    if (rc == 0)
        rc = demo_accounts_add(c);
    if (rc == 0) {
        c->file = cpath;
        rc = demo_content_add(c, content);
    }
    if (rc < 0) {
        store_tx_rollback(c->tx);
        c->tx = NULL;
        return rc;
    }
    rc = store_tx_commit(c->tx);
    c->tx = NULL;
    return rc;
}

int demo_create(const struct demo_options *o, struct demo_stats *stats)
{
    char tpath[PATH_CAP], cpath[PATH_CAP], tmp_db[PATH_CAP], tmp_boxes[PATH_CAP];
    char accounts[PATH_CAP], tmp_accounts[PATH_CAP], keys[PATH_CAP];
    cJSON *township = NULL, *content = NULL;
    struct store *s = NULL;
    struct demo_ctx c = { .now = o->now, .stats = stats };
    demo_rng_seed(&c.rng, DEMO_SEED);
    buf_init(&c.publish_keys, 0);
    memset(stats, 0, sizeof(*stats));
    int rc = 0;
    if (fileio_exists(o->db_path) && !o->force) {
        log_error("%s already exists; add --force to replace it", o->db_path);
        return -EEXIST;
    }
    rc = path_with(tmp_db, sizeof(tmp_db), o->db_path, ".tmp");
    if (rc == 0)
        rc = path_with(tmp_boxes, sizeof(tmp_boxes), o->boxes_out, ".tmp");
    if (rc == 0)
        rc = accounts_path(o, accounts, sizeof(accounts));
    if (rc == 0)
        rc = path_with(tmp_accounts, sizeof(tmp_accounts), accounts, ".tmp");
    if (rc == 0)
        rc = beside_boxes(o, "publish-keys.tsv", keys, sizeof(keys));
    if (rc < 0)
        return rc;
    rc = load_json(o->assets_dir, "township.json", tpath, sizeof(tpath), &township);
    if (rc == 0)
        rc = load_json(o->assets_dir, "content.json", cpath, sizeof(cpath), &content);
    if (rc < 0)
        goto fail;

    remove_db(tmp_db); /* left over from an interrupted run */
    rc = store_open(tmp_db, STORE_OPEN_CREATE, &s);
    if (rc < 0)
        goto fail;
    rc = fill(&c, s, township, tpath, content, cpath);
    store_close(s); /* the last close checkpoints the WAL into the file */
    s = NULL;
    if (rc < 0)
        goto fail;
    rc = write_boxes(&c, tmp_boxes);
    if (rc == 0)
        rc = write_accounts(&c, tmp_accounts);
    if (rc == 0)
        rc = write_publish_keys(&c, keys);
    if (rc < 0)
        goto fail;
    /* Old WAL files must go before the new database takes the name, or SQLite would replay them
     * into it. */
    remove_db(o->db_path);
    if (rename(tmp_db, o->db_path) < 0 || rename(tmp_boxes, o->boxes_out) < 0 ||
        rename(tmp_accounts, accounts) < 0) {
        rc = -errno;
        log_error("moving the demo files into place: %s", strerror(-rc));
        goto fail;
    }
    stats->boxes = c.n_boxes;
    goto out;

fail:
    remove_db(tmp_db);
    unlink(tmp_boxes);
    unlink(tmp_accounts);
out:
    if (c.publish_keys.data)
        sodium_memzero(c.publish_keys.data, c.publish_keys.len);
    buf_fini(&c.publish_keys);
    if (c.boxes)
        sodium_memzero(c.boxes, (size_t)c.n_boxes * sizeof(*c.boxes));
    free(c.boxes);
    if (c.accounts)
        sodium_memzero(c.accounts, (size_t)c.n_accounts * sizeof(*c.accounts));
    free(c.accounts);
    free(c.villages);
    cJSON_Delete(content);
    cJSON_Delete(township);
    return rc;
}
