/* GET /api/v1/home on demo data built in a temporary folder: the JSON shape of the contract,
 * counts recomputed independently from assets/demo/content.json, village scoping, and the demo
 * builder itself (people, boxes file, refusing to overwrite). */
#include <errno.h>
#include <sys/stat.h>

#include "../check.h"
#include "api/api.h"
#include "demo/demo.h"
#include "server_test.h"
#include "util/fileio.h"

static const char *const keys[] = { "affairs", "live", "study", "video", "pioneers", "evaluation" };
static const char *const titles[] = { "党务公开", "党群直播", "党教园地",
                                      "今日南湖", "时代先锋", "党风评议" };

struct demo_env {
    char dir[64], db[128], boxes[128], assets[512];
    struct demo_stats stats;
    struct store *s;
    cJSON *content; /* content.json, for the expected counts */
};

static int demo_env_open(struct demo_env *e)
{
    memset(e, 0, sizeof(*e));
    if (auth_init() < 0 || test_tmpdir(e->dir, sizeof(e->dir)) < 0 ||
        test_assets_dir(e->assets, sizeof(e->assets)) < 0)
        return -1;
    snprintf(e->db, sizeof(e->db), "%s/demo.db", e->dir);
    snprintf(e->boxes, sizeof(e->boxes), "%s/boxes.tsv", e->dir);
    struct demo_options o = { e->db, e->assets, e->boxes, 0, test_now() };
    if (demo_create(&o, &e->stats) < 0 || store_open(e->db, 0, &e->s) < 0)
        return -1;
    char path[600], *text = NULL;
    snprintf(path, sizeof(path), "%s/demo/content.json", e->assets);
    if (fileio_read(path, 4 << 20, &text, NULL) < 0)
        return -1;
    e->content = cJSON_Parse(text);
    free(text);
    return e->content ? 0 : -1;
}

static void demo_env_close(struct demo_env *e)
{
    cJSON_Delete(e->content);
    store_close(e->s);
    test_rmtree(e->dir);
}

/* Token of the first box of VILLAGE in the boxes file; 0 or -1. */
static int token_of(const struct demo_env *e, const char *village, char *token)
{
    char *text = NULL;
    if (fileio_read(e->boxes, 1 << 20, &text, NULL) < 0)
        return -1;
    int rc = -1;
    char want[160];
    snprintf(want, sizeof(want), "\t%s\t", village);
    char *p = strstr(text, want);
    if (p) {
        p += strlen(want);
        if (strlen(p) >= 64) {
            memcpy(token, p, 64);
            token[64] = '\0';
            rc = 0;
        }
    }
    free(text);
    return rc;
}

/* Expected count for SECTION as seen from VILLAGE, straight from content.json. */
static int expected(const cJSON *content, const char *village, const char *section)
{
    int n = 0;
    const cJSON *it;
    if (strcmp(section, "live") == 0) {
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(content, "broadcasts"))
        {
            const char *scope = cJSON_GetObjectItem(it, "scope")->valuestring;
            const char *state = cJSON_GetObjectItem(it, "state")->valuestring;
            if ((strcmp(scope, "township") == 0 || strcmp(scope, village) == 0) &&
                strcmp(state, "ended") != 0)
                n++;
        }
        return n;
    }
    const cJSON *lists[] = { cJSON_GetObjectItem(content, "township"),
                             cJSON_GetObjectItem(content, "every_village"),
                             cJSON_GetObjectItem(cJSON_GetObjectItem(content, "villages"),
                                                 village) };
    for (int l = 0; l < 3; l++) {
        cJSON_ArrayForEach(it, lists[l])
        {
            if (strcmp(cJSON_GetObjectItem(it, "section")->valuestring, section) == 0 &&
                cJSON_GetObjectItem(it, "days_ago")->valueint >= 0)
                n++;
        }
    }
    return n;
}

static cJSON *home_of(struct demo_env *e, const char *village, struct caller *who)
{
    char token[AUTH_TOKEN_HEX], header[128];
    if (token_of(e, village, token) < 0)
        return NULL;
    snprintf(header, sizeof(header), "Bearer %s", token);
    if (auth_resolve(e->s, header, who) < 0)
        return NULL;
    struct api_request req = { .method = "GET", .path = "/api/v1/home", .store = e->s,
                               .now = test_now() };
    cJSON *out = NULL;
    if (api_home(who, &req, &out) < 0) {
        cJSON_Delete(out);
        return NULL;
    }
    return out;
}

static int section_count(const cJSON *home, const char *key)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(home, "sections"))
    {
        if (strcmp(cJSON_GetObjectItem(s, "key")->valuestring, key) == 0)
            return cJSON_GetObjectItem(s, "count")->valueint;
    }
    return -1;
}

static void test_demo_people(void)
{
    struct demo_env e;
    CHECK_EQ_INT(demo_env_open(&e), 0);
    CHECK(e.stats.villages >= 8);
    CHECK(e.stats.members >= 200);
    CHECK_EQ_INT(e.stats.boxes, e.stats.households);
    CHECK(e.stats.content > 0);
    CHECK(e.stats.broadcasts >= 2);
    int in_range = 0, total = 0;
    for (int64_t h = 1; h <= e.stats.households; h++) {
        struct store_household hh;
        CHECK_EQ_INT(store_household_get(e.s, h, &hh), 0);
        CHECK(hh.n_members >= 2 && hh.n_members <= 4);
        for (int i = 0; i < hh.n_members; i++, total++)
            in_range += hh.members[i].birth_year >= 1940 && hh.members[i].birth_year <= 1965;
        store_household_fini(&hh);
    }
    CHECK_EQ_INT(total, e.stats.members);
    CHECK(in_range * 10 >= total * 6); /* mostly born 1940–1965 */
    /* The boxes file: header, one line per box, private. */
    char *text = NULL;
    CHECK_EQ_INT(fileio_read(e.boxes, 1 << 20, &text, NULL), 0);
    CHECK(text && strncmp(text, "box_id\thousehold_id\tvillage_name\ttoken\n", 39) == 0);
    int lines = 0;
    for (char *p = text; p && *p; p++)
        lines += *p == '\n';
    CHECK_EQ_INT(lines, e.stats.boxes + 1);
    free(text);
    struct stat st;
    CHECK_EQ_INT(stat(e.boxes, &st), 0);
    CHECK_EQ_INT(st.st_mode & 0777, 0600);
    /* Refuses to replace the database without force; replaces it with force. */
    struct demo_stats again;
    struct demo_options o = { e.db, e.assets, e.boxes, 0, test_now() };
    fprintf(stderr, "# the 'already exists' error logged below is expected\n");
    CHECK_EQ_INT(demo_create(&o, &again), -EEXIST);
    o.force = 1;
    store_close(e.s);
    e.s = NULL;
    CHECK_EQ_INT(demo_create(&o, &again), 0);
    CHECK_EQ_INT(again.members, e.stats.members); /* deterministic people */
    CHECK_EQ_INT(store_open(e.db, 0, &e.s), 0);
    demo_env_close(&e);
}

static void test_home_shape(void)
{
    struct demo_env e;
    CHECK_EQ_INT(demo_env_open(&e), 0);
    struct caller who;
    cJSON *home = home_of(&e, "东村", &who);
    CHECK(home != NULL);
    if (!home) {
        demo_env_close(&e);
        return;
    }
    /* Top-level keys in the contract's order. */
    static const char *const top[] = { "township", "village",  "household",
                                       "sections", "live_now", "server_time" };
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, home)
    {
        CHECK(i < 6);
        if (i < 6)
            CHECK_EQ_STR(it->string, top[i]);
        i++;
    }
    CHECK_EQ_INT(i, 6);
    const cJSON *t = cJSON_GetObjectItem(home, "township");
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(t, "id")));
    CHECK_EQ_INT(cJSON_GetObjectItem(t, "id")->valueint, who.township_id);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(t, "name")), "南湖镇");
    const cJSON *v = cJSON_GetObjectItem(home, "village");
    CHECK_EQ_INT(cJSON_GetObjectItem(v, "id")->valueint, who.village_id);
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(v, "name")), "东村");
    const cJSON *h = cJSON_GetObjectItem(home, "household");
    CHECK_EQ_INT(cJSON_GetObjectItem(h, "id")->valueint, who.household_id);
    const char *hname = cJSON_GetStringValue(cJSON_GetObjectItem(h, "name"));
    CHECK(hname && strstr(hname, "家") != NULL);
    const cJSON *members = cJSON_GetObjectItem(h, "members");
    CHECK(cJSON_IsArray(members));
    CHECK(cJSON_GetArraySize(members) >= 2 && cJSON_GetArraySize(members) <= 4);
    cJSON_ArrayForEach(it, members)
    {
        CHECK_EQ_INT(cJSON_GetArraySize(it), 4); /* id, name, birth_year, photo: no phone */
        CHECK(cJSON_IsNull(cJSON_GetObjectItem(it, "photo"))); /* the demo has no photos */
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(it, "id")));
        CHECK(cJSON_IsString(cJSON_GetObjectItem(it, "name")));
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(it, "birth_year")));
    }
    const cJSON *sections = cJSON_GetObjectItem(home, "sections");
    CHECK_EQ_INT(cJSON_GetArraySize(sections), 6);
    i = 0;
    cJSON_ArrayForEach(it, sections)
    {
        if (i >= 6)
            break;
        CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(it, "key")), keys[i]);
        CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(it, "title")), titles[i]);
        CHECK(cJSON_IsNumber(cJSON_GetObjectItem(it, "count")));
        i++;
    }
    const cJSON *live = cJSON_GetObjectItem(home, "live_now");
    CHECK_EQ_INT(cJSON_GetArraySize(live), 1);
    const cJSON *l0 = cJSON_GetArrayItem(live, 0);
    CHECK(cJSON_IsNumber(cJSON_GetObjectItem(l0, "id")));
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(l0, "title")),
                 "11月党群直通日视频会议");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(l0, "scope")), "南湖镇");
    CHECK_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItem(home, "server_time")), TEST_NOW_ISO);
    cJSON_Delete(home);
    demo_env_close(&e);
}

static void test_home_counts_match_assets(void)
{
    struct demo_env e;
    CHECK_EQ_INT(demo_env_open(&e), 0);
    static const char *const villages[] = { "东村", "西村", "河山村", "大岭村", "沙沟村" };
    for (size_t v = 0; v < sizeof(villages) / sizeof(villages[0]); v++) {
        struct caller who;
        cJSON *home = home_of(&e, villages[v], &who);
        CHECK(home != NULL);
        for (int k = 0; home && k < 6; k++) {
            int want = expected(e.content, villages[v], keys[k]);
            int got = section_count(home, keys[k]);
            if (got != want)
                printf("# %s %s: %d, expected %d\n", villages[v], keys[k], got, want);
            CHECK_EQ_INT(got, want);
        }
        cJSON_Delete(home);
    }
    demo_env_close(&e);
}

static void test_village_scoping(void)
{
    struct demo_env e;
    CHECK_EQ_INT(demo_env_open(&e), 0);
    struct caller a, b;
    cJSON *ha = home_of(&e, "东村", &a), *hb = home_of(&e, "西村", &b);
    CHECK(ha && hb);
    CHECK(a.village_id != b.village_id);
    CHECK_EQ_INT(a.township_id, b.township_id);
    int a_before = section_count(ha, "pioneers"), b_before = section_count(hb, "pioneers");
    int a_live = section_count(ha, "live"), b_live = section_count(hb, "live");
    cJSON_Delete(ha);
    cJSON_Delete(hb);
    /* New items for village B only: A must not see them. */
    struct store_tx *tx = NULL;
    CHECK_EQ_INT(store_tx_begin(e.s, &tx), 0);
    struct store_content_new c = { b.village_id, "pioneers", "优秀党员", "西村的新先锋", "正文",
                                   test_now() - 60 };
    CHECK_EQ_INT(store_content_add(tx, &c, NULL), 0);
    CHECK_EQ_INT(store_content_add(tx, &c, NULL), 0);
    struct store_broadcast_new bc = { b.village_id, "西村党员大会", "live", test_now() - 60, 0 };
    CHECK_EQ_INT(store_broadcast_add(tx, &bc, NULL), 0);
    CHECK_EQ_INT(store_tx_commit(tx), 0);
    ha = home_of(&e, "东村", &a);
    hb = home_of(&e, "西村", &b);
    CHECK_EQ_INT(section_count(ha, "pioneers"), a_before);
    CHECK_EQ_INT(section_count(hb, "pioneers"), b_before + 2);
    CHECK_EQ_INT(section_count(ha, "live"), a_live);
    CHECK_EQ_INT(section_count(hb, "live"), b_live + 1);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(ha, "live_now")), 1);
    CHECK_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItem(hb, "live_now")), 2);
    cJSON_Delete(ha);
    cJSON_Delete(hb);
    demo_env_close(&e);
}

static void test_home_refuses_non_box(void)
{
    struct api_request req = { .method = "GET", .path = "/api/v1/home", .now = test_now() };
    struct caller nobody = { .kind = CALLER_NONE };
    cJSON *out = NULL;
    CHECK_EQ_INT(api_home(&nobody, &req, &out), -EPERM);
    CHECK(out == NULL);
}

int main(void)
{
    RUN(test_demo_people);
    RUN(test_home_shape);
    RUN(test_home_counts_match_assets);
    RUN(test_village_scoping);
    RUN(test_home_refuses_non_box);
    return CHECK_DONE();
}
