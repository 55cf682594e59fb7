/* Import and admin building blocks without a network: image header checks, the item JSON of
 * api/item_spec.c against a real SQLite store (kinds, extras, scoping, source keys, replace),
 * media_hls_make's refusals, and the `import` command line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check.h"
#include "api/item_spec.h"
#include "config.h"
#include "media/media.h"
#include "server_test.h"
#include "store/store.h"

static char dir[64];

static void write_file(const char *name, const void *data, size_t n, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, n, f);
        fclose(f);
    }
}

static void test_image_headers(void)
{
    static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13,
                                         'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 0, 200, 8, 2 };
    static const unsigned char png0[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0,
                                          13, 'I', 'H', 'D', 'R', 0, 0, 0, 0, 0, 0, 0, 200 };
    /* SOI, an APP0 segment of 16 bytes, then SOF0 with 240 x 320. */
    static const unsigned char jpg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1,
                                         1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xC0, 0, 17, 8, 0, 240,
                                         1, 64, 3 };
    static const unsigned char jpg_cut[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J' };
    char p[128], err[128];
    const char *ext = NULL;
    write_file("a.png", png, sizeof(png), p, sizeof(p));
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), 0);
    CHECK_EQ_STR(ext, "png");
    write_file("b.jpg", jpg, sizeof(jpg), p, sizeof(p));
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), 0);
    CHECK_EQ_STR(ext, "jpg");
    write_file("c.png", png0, sizeof(png0), p, sizeof(p));
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "size") != NULL);
    write_file("d.jpg", jpg_cut, sizeof(jpg_cut), p, sizeof(p));
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), -EINVAL);
    write_file("e.jpg", "hello", 5, p, sizeof(p));
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "not a JPEG or PNG") != NULL);
    snprintf(p, sizeof(p), "%s/missing.png", dir);
    CHECK_EQ_INT(media_image_check(p, &ext, err, sizeof(err)), -ENOENT);
}

static void test_hls_refusals(void)
{
    char p[128], out[128], err[256];
    struct media_hls_result r;
    snprintf(out, sizeof(out), "%s", dir);
    write_file("text.mp4", "not a video at all\n", 19, p, sizeof(p));
    CHECK(media_hls_make(p, out, &r, err, sizeof(err)) < 0);
    CHECK(strstr(err, "cannot") != NULL);
    snprintf(p, sizeof(p), "%s/none.mp4", dir);
    CHECK(media_hls_make(p, out, &r, err, sizeof(err)) < 0);
    CHECK(err[0] != '\0');
}

struct mfix {
    struct store *s;
    int64_t township, village, other_township, other_village;
};

static int setup_run(struct store_tx *tx, void *arg)
{
    struct mfix *f = arg;
    int rc = store_org_add(tx, 0, "township", "南湖镇", &f->township);
    if (rc == 0)
        rc = store_org_add(tx, f->township, "village", "东村", &f->village);
    if (rc == 0)
        rc = store_org_add(tx, 0, "township", "北山镇", &f->other_township);
    if (rc == 0)
        rc = store_org_add(tx, f->other_township, "village", "北村", &f->other_village);
    return rc;
}

/* Parse TEXT as MODE; return the result and leave the error message in MSG. SP borrows from
 * the JSON, which *KEEP gets (delete it after SP). */
static int parse(struct mfix *f, enum item_spec_mode mode, const char *text,
                 struct item_spec *sp, char *msg, size_t cap, cJSON **keep)
{
    cJSON *j = cJSON_Parse(text);
    *keep = j;
    cJSON *err = NULL;
    int rc = item_spec_parse(j, mode, f->s, f->township, 1700000000, sp, &err);
    const cJSON *m = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
    snprintf(msg, cap, "%s", cJSON_IsString(m) ? m->valuestring : "");
    cJSON_Delete(err);
    return rc;
}

static void test_item_specs(void)
{
    char db[128], msg[256];
    struct mfix f = { 0 };
    snprintf(db, sizeof(db), "%s/items.db", dir);
    CHECK_EQ_INT(store_open(db, STORE_OPEN_CREATE, &f.s), 0);
    if (!f.s)
        return;
    CHECK_EQ_INT(store_write(f.s, setup_run, &f), 0);
    struct store_org o;
    CHECK_EQ_INT(store_org_find(f.s, 0, NULL, &o), -EEXIST); /* two townships */
    CHECK_EQ_INT(store_org_find(f.s, f.township, "东村", &o), 0);
    CHECK_EQ_INT(o.id, f.village);
    CHECK_EQ_INT(store_org_find(f.s, f.township, "北村", &o), -ENOENT);

    static const struct {
        enum item_spec_mode mode;
        const char *json;
        int rc;
        const char *field; /* in the message */
    } cases[] = {
        { ITEM_SPEC_ADMIN, "{\"kind\":\"通知公告\",\"title\":\"a\"}", 0, "" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"通知公告\",\"title\":\"a\",\"key\":\"k\"}", -EINVAL, "key" },
        { ITEM_SPEC_IMPORT, "{\"kind\":\"通知公告\",\"title\":\"a\"}", -EINVAL, "key" },
        { ITEM_SPEC_IMPORT, "{\"key\":\".x\",\"kind\":\"通知公告\",\"title\":\"a\"}", -EINVAL,
          "key" },
        { ITEM_SPEC_IMPORT, "{\"key\":\"k\",\"kind\":\"视频\",\"title\":\"a\",\"category\":\"c\","
                            "\"video\":\"/etc/passwd\"}", -EINVAL, "video" },
        { ITEM_SPEC_IMPORT, "{\"key\":\"k\",\"kind\":\"视频\",\"title\":\"a\",\"category\":\"c\","
                            "\"media_url\":\"/media/x\"}", -EINVAL, "media_url" },
        { ITEM_SPEC_IMPORT, "{\"key\":\"k\",\"kind\":\"通知公告\",\"title\":\"a\","
                            "\"village\":\"北村\"}", -EINVAL, "village" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"通知公告\",\"title\":\"a\",\"village_id\":4}", -EPERM,
          "another township" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"视频\",\"title\":\"a\",\"category\":\"c\","
                           "\"media_url\":\"javascript:x\"}", -EINVAL, "media_url" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"财务公示\",\"title\":\"a\",\"ledger\":[{\"date\":"
                           "\"2026-02-30\",\"item\":\"x\",\"income_fen\":1}]}", -EINVAL, "date" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"财务公示\",\"title\":\"a\",\"ledger\":[{\"date\":"
                           "\"2026-02-03\",\"item\":\"x\"}]}", -EINVAL, "ledger" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"财务公示\",\"title\":\"a\",\"ledger\":[{\"date\":"
                           "\"2026-02-03\",\"item\":\"x\",\"cost\":1}]}", -EINVAL,
          "ledger[1].cost" },
        { ITEM_SPEC_ADMIN, "{\"kind\":\"模范家庭\",\"title\":\"a\",\"category\":\"c\"}", -EINVAL,
          "category" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct item_spec sp;
        cJSON *j = NULL;
        int rc = parse(&f, cases[i].mode, cases[i].json, &sp, msg, sizeof(msg), &j);
        item_spec_fini(&sp);
        cJSON_Delete(j);
        if (rc != cases[i].rc || !strstr(msg, cases[i].field))
            printf("# case %zu: rc %d message \"%s\"\n", i, rc, msg);
        CHECK_EQ_INT(rc, cases[i].rc);
        CHECK(strstr(msg, cases[i].field) != NULL);
    }

    /* Write an imported finance item, find it by key, replace it: same id, new lines. */
    struct item_spec sp;
    cJSON *j = NULL;
    CHECK_EQ_INT(parse(&f, ITEM_SPEC_IMPORT,
                       "{\"key\":\"fin-1\",\"kind\":\"财务公示\",\"title\":\"一\",\"village\":\"东村\","
                       "\"ledger\":[{\"date\":\"2026-01-01\",\"item\":\"a\",\"income_fen\":300},"
                       "{\"date\":\"2026-01-02\",\"item\":\"b\",\"expense_fen\":100}]}",
                       &sp, msg, sizeof(msg), &j),
                 0);
    CHECK_EQ_INT(sp.c.org_id, f.village);
    CHECK_EQ_STR(sp.section, "affairs");
    CHECK_EQ_INT(store_write(f.s, item_spec_write, &sp), 0);
    CHECK(sp.created && sp.id > 0);
    int64_t id = sp.id, found = 0, org = 0;
    item_spec_fini(&sp);
    cJSON_Delete(j);
    CHECK_EQ_INT(store_content_by_source(f.s, "fin-1", &found), 0);
    CHECK_EQ_INT(found, id);
    CHECK_EQ_INT(store_content_org(f.s, id, &org), 0);
    CHECK_EQ_INT(org, f.village);
    CHECK_EQ_INT(parse(&f, ITEM_SPEC_IMPORT,
                       "{\"key\":\"fin-1\",\"kind\":\"财务公示\",\"title\":\"二\","
                       "\"ledger\":[{\"date\":\"2026-01-03\",\"item\":\"c\",\"income_fen\":50}]}",
                       &sp, msg, sizeof(msg), &j),
                 0);
    sp.id = found;
    CHECK_EQ_INT(store_write(f.s, item_spec_write, &sp), 0);
    CHECK(!sp.created && sp.id == id);
    item_spec_fini(&sp);
    cJSON_Delete(j);
    struct store_ledger_line *lines = NULL;
    int n = 0;
    CHECK_EQ_INT(store_ledger_list(f.s, id, &lines, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1)
        CHECK_EQ_INT(lines[0].balance_fen, 50);
    free(lines);
    CHECK_EQ_INT(store_content_org(f.s, id, &org), 0);
    CHECK_EQ_INT(org, f.township); /* no village now: the whole township */
    CHECK_EQ_INT(store_content_by_source(f.s, "nope", &found), -ENOENT);
    store_close(f.s);
}

static void test_import_command_line(void)
{
    struct server_config c;
    char err[256] = "";
    char *ok[] = { "djtv-server", "import", "content", "--db", "x.db", "--media", "m" };
    CHECK_EQ_INT(config_init(&c), 0);
    CHECK_EQ_INT(config_parse_args(&c, 7, ok, err, sizeof(err)), 0);
    CHECK_EQ_INT(c.cmd, CMD_IMPORT);
    CHECK_EQ_STR(c.import_dir, "content");
    CHECK_EQ_STR(c.media, "m");
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), 0);
    config_fini(&c);
    char *no_dir[] = { "djtv-server", "import", "--db", "x.db" };
    CHECK_EQ_INT(config_init(&c), 0);
    CHECK_EQ_INT(config_parse_args(&c, 4, no_dir, err, sizeof(err)), 0);
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "import DIR") != NULL);
    config_fini(&c);
    char *two[] = { "djtv-server", "import", "a", "b", "--db", "x.db" };
    CHECK_EQ_INT(config_init(&c), 0);
    CHECK_EQ_INT(config_parse_args(&c, 6, two, err, sizeof(err)), -EINVAL);
    config_fini(&c);
    char *demo[] = { "djtv-server", "demo", "--media", "m" };
    CHECK_EQ_INT(config_init(&c), 0);
    CHECK_EQ_INT(config_parse_args(&c, 4, demo, err, sizeof(err)), -EINVAL);
    config_fini(&c);
    CHECK_EQ_INT(config_init(&c), 0);
    CHECK_EQ_STR(c.media, "media"); /* the default */
    config_fini(&c);
}

int main(void)
{
    if (test_tmpdir(dir, sizeof(dir)) < 0)
        return 1;
    RUN(test_image_headers);
    RUN(test_hls_refusals);
    RUN(test_item_specs);
    RUN(test_import_command_line);
    test_rmtree(dir);
    return check_failed_cases ? 1 : 0;
}
