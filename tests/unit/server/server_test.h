/* Helpers for the server unit tests: temporary folders, the assets folder, and a small real
 * SQLite database with two villages (the fixture). All static inline: each test uses a subset. */
#ifndef DJTV_SERVER_TEST_H
#define DJTV_SERVER_TEST_H

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/auth.h"
#include "store/store.h"
#include "util/isotime.h"

/* A fixed "now" so that publication dates and server_time are predictable. */
#define TEST_NOW_ISO "2026-11-23T10:00:00Z"
static inline time_t test_now(void)
{
    time_t t = 0;
    isotime_parse(TEST_NOW_ISO, &t);
    return t;
}

/* Make a fresh folder under /tmp; OUT gets its path. 0 or -1. */
static inline int test_tmpdir(char *out, size_t cap)
{
    if (snprintf(out, cap, "/tmp/djtv-test-XXXXXX") >= (int)cap)
        return -1;
    return mkdtemp(out) ? 0 : -1;
}

/* Remove a folder made by test_tmpdir and the plain files in it. */
static inline void test_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (snprintf(p, sizeof(p), "%s/%s", dir, e->d_name) < (int)sizeof(p))
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* The repository's assets folder: $DJTV_ASSETS, ./assets, or found from the test binary's path
 * (build/tests/server/test_x → ../../../assets). 0 or -1. */
static inline int test_assets_dir(char *out, size_t cap)
{
    struct stat st;
    const char *env = getenv("DJTV_ASSETS");
    if (env && snprintf(out, cap, "%s", env) < (int)cap)
        return 0;
    if (stat("assets/demo/township.json", &st) == 0)
        return snprintf(out, cap, "assets") < (int)cap ? 0 : -1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            return -1;
        *slash = '\0';
    }
    char probe[PATH_MAX + 64];
    snprintf(probe, sizeof(probe), "%s/assets/demo/township.json", exe);
    if (stat(probe, &st) != 0)
        return -1;
    return snprintf(out, cap, "%s/assets", exe) < (int)cap ? 0 : -1;
}

/* A small real database:
 *   township 南湖镇: affairs ×2 (one of them published tomorrow), study ×1, live broadcast
 *   东村 (village A): household 王家 (2 members, box A): affairs ×1, video ×1, ended broadcast
 *   西村 (village B): household 李家 (1 member, box B): affairs ×3, pioneers ×1, scheduled bcast
 * plus a revoked box C in 西村. */
struct fixture {
    char dir[64];
    char db[128];
    struct store *s;
    int64_t township, village_a, village_b, household_a, household_b, box_a, box_b, box_c;
    char token_a[AUTH_TOKEN_HEX], token_b[AUTH_TOKEN_HEX], token_c[AUTH_TOKEN_HEX];
};

static inline int fixture_content(struct store_tx *tx, int64_t org, const char *section, int n,
                                  time_t when)
{
    for (int i = 0; i < n; i++) {
        char title[64];
        snprintf(title, sizeof(title), "%s 第%d条", section, i + 1);
        struct store_content_new c = { .org_id = org, .section = section, .kind = "通知公告",
                                       .title = title, .body = "正文", .published_at = when };
        if (store_content_add(tx, &c, NULL) < 0)
            return -1;
    }
    return 0;
}

static inline int fixture_box(struct store_tx *tx, int64_t household, char *token, int64_t *id)
{
    char hash[AUTH_HASH_HEX];
    if (auth_token_new(token) < 0 || auth_token_hash(token, hash) < 0)
        return -1;
    return store_box_add(tx, household, hash, "测试盒子", id);
}

static inline int fixture_fill(struct fixture *f, struct store_tx *tx)
{
    time_t now = test_now(), past = now - 86400, future = now + 86400;
    struct store_member m = { 0 };
    if (store_org_add(tx, 0, "township", "南湖镇", &f->township) < 0 ||
        store_org_add(tx, f->township, "village", "东村", &f->village_a) < 0 ||
        store_org_add(tx, f->township, "village", "西村", &f->village_b) < 0 ||
        store_household_add(tx, f->village_a, "王家", &f->household_a) < 0 ||
        store_household_add(tx, f->village_b, "李家", &f->household_b) < 0)
        return -1;
    m.household_id = f->household_a;
    snprintf(m.name, sizeof(m.name), "王建国");
    m.birth_year = 1951;
    snprintf(m.joined_on, sizeof(m.joined_on), "1975-07-01");
    if (store_member_add(tx, &m, NULL) < 0)
        return -1;
    snprintf(m.name, sizeof(m.name), "张秀英");
    m.birth_year = 1953;
    m.joined_on[0] = '\0';
    if (store_member_add(tx, &m, NULL) < 0)
        return -1;
    m.household_id = f->household_b;
    snprintf(m.name, sizeof(m.name), "李德福");
    m.birth_year = 1948;
    if (store_member_add(tx, &m, NULL) < 0)
        return -1;
    if (fixture_box(tx, f->household_a, f->token_a, &f->box_a) < 0 ||
        fixture_box(tx, f->household_b, f->token_b, &f->box_b) < 0 ||
        fixture_box(tx, f->household_b, f->token_c, &f->box_c) < 0 ||
        store_box_revoke(tx, f->box_c) < 0)
        return -1;
    if (fixture_content(tx, f->township, "affairs", 1, past) < 0 ||
        fixture_content(tx, f->township, "affairs", 1, future) < 0 ||
        fixture_content(tx, f->township, "study", 1, past) < 0 ||
        fixture_content(tx, f->village_a, "affairs", 1, past) < 0 ||
        fixture_content(tx, f->village_a, "video", 1, past) < 0 ||
        fixture_content(tx, f->village_b, "affairs", 3, past) < 0 ||
        fixture_content(tx, f->village_b, "pioneers", 1, past) < 0)
        return -1;
    struct store_broadcast_new b1 = { f->township, "11月党群直通日视频会议", "live", now - 600, 0 };
    struct store_broadcast_new b2 = { f->village_a, "东村党员大会", "ended", past, past + 3600 };
    struct store_broadcast_new b3 = { f->village_b, "西村主题党日", "scheduled", future, 0 };
    if (store_broadcast_add(tx, &b1, NULL) < 0 || store_broadcast_add(tx, &b2, NULL) < 0 ||
        store_broadcast_add(tx, &b3, NULL) < 0)
        return -1;
    return 0;
}

static inline int fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof(*f));
    if (auth_init() < 0 || test_tmpdir(f->dir, sizeof(f->dir)) < 0)
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
    struct store_tx *tx = NULL;
    if (store_open(f->db, STORE_OPEN_CREATE, &f->s) < 0 || store_tx_begin(f->s, &tx) < 0)
        return -1;
    if (fixture_fill(f, tx) < 0) {
        store_tx_rollback(tx);
        return -1;
    }
    return store_tx_commit(tx) < 0 ? -1 : 0;
}

static inline void fixture_close(struct fixture *f)
{
    store_close(f->s);
    f->s = NULL;
    if (f->dir[0])
        test_rmtree(f->dir);
}

#endif
