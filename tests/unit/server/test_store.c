/* The store on real SQLite files: migrations from empty, schema version checks, reads, scoping
 * of counts, transactions and constraint errors, and concurrent readers. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>

#include "../check.h"
#include "server_test.h"

static void test_migrate_from_empty(void)
{
    char dir[64], db[128];
    CHECK_EQ_INT(test_tmpdir(dir, sizeof(dir)), 0);
    snprintf(db, sizeof(db), "%s/m.db", dir);
    struct store *s = NULL;
    CHECK_EQ_INT(store_open(db, 0, &s), -ENOENT); /* no file, no create flag */
    CHECK(s == NULL);
    CHECK_EQ_INT(store_open(db, STORE_OPEN_CREATE, &s), 0);
    int v = -1;
    CHECK_EQ_INT(store_schema_version(s, &v), 0);
    CHECK_EQ_INT(v, STORE_SCHEMA_VERSION);
    CHECK_EQ_INT(store_ping(s), 0);
    store_close(s);

    /* What the migration left on disk, seen by plain SQLite. */
    sqlite3 *raw = NULL;
    CHECK_EQ_INT(sqlite3_open(db, &raw), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    static const char *const tables[] = { "orgs", "households", "members",
                                          "boxes", "content",    "broadcasts" };
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        CHECK_EQ_INT(sqlite3_prepare_v2(raw,
                                        "SELECT count(*) FROM sqlite_schema"
                                        " WHERE type = 'table' AND name = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
        sqlite3_bind_text(st, 1, tables[i], -1, SQLITE_STATIC);
        CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
        CHECK_EQ_INT(sqlite3_column_int(st, 0), 1);
        sqlite3_finalize(st);
    }
    CHECK_EQ_INT(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_EQ_STR((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    /* Pretend a newer server migrated it: this one must refuse, not guess. */
    CHECK_EQ_INT(sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    fprintf(stderr, "# the schema error logged below is expected\n");
    CHECK_EQ_INT(store_open(db, 0, &s), -EPROTO);
    CHECK(s == NULL);
    test_rmtree(dir);
}

static void test_reopen_keeps_data(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    store_close(f.s);
    f.s = NULL;
    CHECK_EQ_INT(store_open(f.db, 0, &f.s), 0); /* no second migration, data still there */
    int v = 0;
    CHECK_EQ_INT(store_schema_version(f.s, &v), 0);
    CHECK_EQ_INT(v, STORE_SCHEMA_VERSION);
    struct store_org o;
    CHECK_EQ_INT(store_org_get(f.s, f.village_b, &o), 0);
    CHECK_EQ_STR(o.name, "西村");
    fixture_close(&f);
}

static void test_reads(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_org o;
    CHECK_EQ_INT(store_org_get(f.s, f.township, &o), 0);
    CHECK_EQ_STR(o.kind, "township");
    CHECK_EQ_STR(o.name, "南湖镇");
    CHECK_EQ_INT(o.parent_id, 0);
    CHECK_EQ_INT(store_org_get(f.s, f.village_a, &o), 0);
    CHECK_EQ_STR(o.kind, "village");
    CHECK_EQ_INT(o.parent_id, f.township);
    CHECK_EQ_INT(store_org_get(f.s, 999, &o), -ENOENT);

    struct store_household h;
    CHECK_EQ_INT(store_household_get(f.s, f.household_a, &h), 0);
    CHECK_EQ_STR(h.name, "王家");
    CHECK_EQ_INT(h.village_id, f.village_a);
    CHECK_EQ_INT(h.n_members, 2);
    if (h.n_members == 2) {
        CHECK_EQ_STR(h.members[0].name, "王建国");
        CHECK_EQ_INT(h.members[0].birth_year, 1951);
        CHECK_EQ_STR(h.members[0].joined_on, "1975-07-01");
        CHECK_EQ_STR(h.members[1].name, "张秀英");
        CHECK_EQ_STR(h.members[1].joined_on, ""); /* NULL reads as empty */
        CHECK(h.members[0].id < h.members[1].id);
    }
    store_household_fini(&h);
    CHECK_EQ_INT(store_household_get(f.s, 999, &h), -ENOENT);
    store_household_fini(&h);
    fixture_close(&f);
}

static int count_of(const struct store_count *c, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(c[i].key, key) == 0)
            return c[i].count;
    return 0;
}

static void test_counts_are_scoped(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_count c[8];
    int n = 0, live = 0;
    struct store_scope a = { f.village_a, f.township }, b = { f.village_b, f.township };
    /* Village A: township affairs (the one already published) + its own. */
    CHECK_EQ_INT(store_content_count_by_section(f.s, &a, test_now(), c, 8, &n), 0);
    CHECK_EQ_INT(count_of(c, n, "affairs"), 2);
    CHECK_EQ_INT(count_of(c, n, "study"), 1);
    CHECK_EQ_INT(count_of(c, n, "video"), 1);
    CHECK_EQ_INT(count_of(c, n, "pioneers"), 0); /* B's pioneer is not A's */
    CHECK_EQ_INT(store_content_count_by_section(f.s, &b, test_now(), c, 8, &n), 0);
    CHECK_EQ_INT(count_of(c, n, "affairs"), 4);
    CHECK_EQ_INT(count_of(c, n, "video"), 0);
    CHECK_EQ_INT(count_of(c, n, "pioneers"), 1);
    /* Two days later the township's scheduled notice is out too. */
    CHECK_EQ_INT(store_content_count_by_section(f.s, &a, test_now() + 2 * 86400, c, 8, &n), 0);
    CHECK_EQ_INT(count_of(c, n, "affairs"), 3);
    /* A short output array is filled, never overrun. */
    CHECK_EQ_INT(store_content_count_by_section(f.s, &a, test_now(), c, 1, &n), 0);
    CHECK_EQ_INT(n, 1);

    CHECK_EQ_INT(store_broadcast_count_active(f.s, &a, &live), 0);
    CHECK_EQ_INT(live, 1); /* township live; A's own one has ended */
    CHECK_EQ_INT(store_broadcast_count_active(f.s, &b, &live), 0);
    CHECK_EQ_INT(live, 2); /* township live + B's scheduled */
    struct store_broadcast bl[4];
    CHECK_EQ_INT(store_broadcast_list_live(f.s, &b, bl, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    CHECK(strcmp(bl[0].title, "11月党群直通日视频会议") == 0);
    CHECK_EQ_STR(bl[0].scope_name, "南湖镇");
    CHECK_EQ_STR(bl[0].state, "live");
    CHECK_EQ_INT(bl[0].started_at, test_now() - 600);
    CHECK_EQ_INT(bl[0].ended_at, 0);
    fixture_close(&f);
}

static void test_transactions_and_constraints(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_tx *tx = NULL;
    int64_t id = 0;
    /* A rolled-back write leaves nothing behind. */
    CHECK_EQ_INT(store_tx_begin(f.s, &tx), 0);
    CHECK_EQ_INT(store_org_add(tx, f.township, "village", "临时村", &id), 0);
    store_tx_rollback(tx);
    struct store_org o;
    CHECK_EQ_INT(store_org_get(f.s, id, &o), -ENOENT);

    fprintf(stderr, "# the constraint errors logged below are expected\n");
    CHECK_EQ_INT(store_tx_begin(f.s, &tx), 0);
    char hash[AUTH_HASH_HEX];
    auth_token_hash(f.token_a, hash);
    CHECK_EQ_INT(store_box_add(tx, f.household_a, hash, "重复", NULL), -EEXIST);
    CHECK_EQ_INT(store_org_add(tx, 0, "county", "某县", NULL), -EINVAL); /* kind not allowed */
    CHECK_EQ_INT(store_household_add(tx, 424242, "无村之家", NULL), -EINVAL); /* foreign key */
    struct store_content_new c = { f.village_a, "sports", "通知公告", "标题", "正文", test_now() };
    CHECK_EQ_INT(store_content_add(tx, &c, NULL), -EINVAL); /* section not one of the six */
    c.section = "study";
    c.published_at = 0;
    CHECK_EQ_INT(store_content_add(tx, &c, NULL), -EINVAL); /* needs a date */
    CHECK_EQ_INT(store_box_revoke(tx, 424242), -ENOENT);
    /* The transaction is still usable after refused statements. */
    c.published_at = test_now() - 60;
    CHECK_EQ_INT(store_content_add(tx, &c, &id), 0);
    CHECK(id > 0);
    CHECK_EQ_INT(store_tx_commit(tx), 0);
    struct store_count cnt[8];
    int n = 0;
    struct store_scope a = { f.village_a, f.township };
    CHECK_EQ_INT(store_content_count_by_section(f.s, &a, test_now(), cnt, 8, &n), 0);
    CHECK_EQ_INT(count_of(cnt, n, "study"), 2);
    fixture_close(&f);
}

struct reader_arg {
    struct fixture *f;
    int failures;
};

static void *reader(void *p)
{
    struct reader_arg *a = p;
    char hash[AUTH_HASH_HEX];
    auth_token_hash(a->f->token_b, hash);
    for (int i = 0; i < 300; i++) {
        struct store_box_ident id;
        struct store_household h;
        if (store_box_by_token_hash(a->f->s, hash, &id) < 0 || id.box_id != a->f->box_b)
            a->failures++;
        if (store_household_get(a->f->s, id.household_id, &h) < 0 || h.n_members != 1)
            a->failures++;
        store_household_fini(&h);
    }
    return NULL;
}

static void test_concurrent_readers(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    enum { N = 6 };
    pthread_t t[N];
    struct reader_arg args[N];
    for (int i = 0; i < N; i++) {
        args[i] = (struct reader_arg){ &f, 0 };
        CHECK_EQ_INT(pthread_create(&t[i], NULL, reader, &args[i]), 0);
    }
    /* A writer at the same time: WAL lets the readers go on. */
    for (int i = 0; i < 20; i++) {
        struct store_tx *tx = NULL;
        CHECK_EQ_INT(store_tx_begin(f.s, &tx), 0);
        struct store_content_new c = { f.village_b, "video", "视频", "并发", "正文", test_now() };
        CHECK_EQ_INT(store_content_add(tx, &c, NULL), 0);
        CHECK_EQ_INT(store_tx_commit(tx), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(args[i].failures, 0);
    }
    fixture_close(&f);
}

int main(void)
{
    RUN(test_migrate_from_empty);
    RUN(test_reopen_keeps_data);
    RUN(test_reads);
    RUN(test_counts_are_scoped);
    RUN(test_transactions_and_constraints);
    RUN(test_concurrent_readers);
    return CHECK_DONE();
}
