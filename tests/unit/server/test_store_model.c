/* The data model of migration 2 on real SQLite files: the upgrade from a version-1 database,
 * and every table's functions with their constraints (roles and orgs, expiring sessions, paging,
 * running balances, forms, broadcast and roll-call states, idempotent check-ins and credits,
 * forward-only heartbeats, requests and replies). */
#include <errno.h>
#include <sqlite3.h>

#include "../check.h"
#include "server_test.h"

static const char PWHASH[] = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2g";

/* IN_TX(store, expr): begin a transaction, evaluate EXPR (which uses TX), then commit when it
 * returned >= 0 or roll back; the result of EXPR, or of the commit. */
static struct store_tx *cur_tx;
#define TX cur_tx
static void tx_begin(struct store *s)
{
    cur_tx = NULL;
    if (store_tx_begin(s, &cur_tx) < 0)
        cur_tx = NULL;
}
static int tx_end(int rc)
{
    if (!cur_tx)
        return -EIO;
    if (rc < 0)
        store_tx_rollback(cur_tx);
    else
        rc = store_tx_commit(cur_tx);
    cur_tx = NULL;
    return rc;
}
#define IN_TX(s, expr) tx_end((tx_begin(s), (expr)))

/* Ids of the fixture's members: household A has two, household B one. */
static void members_of(struct fixture *f, int64_t *a1, int64_t *a2, int64_t *b1)
{
    struct store_household h = { 0 };
    *a1 = *a2 = *b1 = 0;
    if (store_household_get(f->s, f->household_a, &h) == 0 && h.n_members == 2) {
        *a1 = h.members[0].id;
        *a2 = h.members[1].id;
    }
    store_household_fini(&h);
    if (store_household_get(f->s, f->household_b, &h) == 0 && h.n_members == 1)
        *b1 = h.members[0].id;
    store_household_fini(&h);
}

/* Schema version 1 as the Foundation released it: the upgrade must keep its rows. */
static const char V1[] =
    "CREATE TABLE orgs (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES orgs(id),"
    " kind TEXT NOT NULL CHECK (kind IN ('township', 'village')), name TEXT NOT NULL);"
    "CREATE TABLE households (id INTEGER PRIMARY KEY,"
    " village_id INTEGER NOT NULL REFERENCES orgs(id), name TEXT NOT NULL);"
    "CREATE TABLE members (id INTEGER PRIMARY KEY,"
    " household_id INTEGER NOT NULL REFERENCES households(id), name TEXT NOT NULL,"
    " birth_year INTEGER, joined_on TEXT, phone TEXT);"
    "CREATE TABLE boxes (id INTEGER PRIMARY KEY,"
    " household_id INTEGER NOT NULL REFERENCES households(id),"
    " token_hash TEXT NOT NULL UNIQUE, label TEXT, revoked INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE content (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs(id),"
    " section TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,"
    " body TEXT NOT NULL DEFAULT '', published_at TEXT NOT NULL);"
    "CREATE TABLE broadcasts (id INTEGER PRIMARY KEY,"
    " org_id INTEGER NOT NULL REFERENCES orgs(id), title TEXT NOT NULL,"
    " state TEXT NOT NULL, started_at TEXT, ended_at TEXT);"
    "INSERT INTO orgs VALUES (1, NULL, 'township', '南湖镇'), (2, 1, 'village', '东村');"
    "INSERT INTO households VALUES (1, 2, '王家');"
    "INSERT INTO members VALUES (1, 1, '王建国', 1951, NULL, NULL);"
    "INSERT INTO broadcasts VALUES (1, 2, '党员大会', 'scheduled', NULL, NULL);"
    "PRAGMA user_version = 1;";

static void test_upgrade_from_v1(void)
{
    char dir[64], db[128];
    CHECK_EQ_INT(test_tmpdir(dir, sizeof(dir)), 0);
    snprintf(db, sizeof(db), "%s/v1.db", dir);
    sqlite3 *raw = NULL;
    CHECK_EQ_INT(sqlite3_open(db, &raw), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(raw, V1, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    struct store *s = NULL;
    CHECK_EQ_INT(store_open(db, 0, &s), 0);
    int v = 0;
    CHECK_EQ_INT(store_schema_version(s, &v), 0);
    CHECK_EQ_INT(v, STORE_SCHEMA_VERSION); /* v1 → every migration since */
    struct store_member m;
    CHECK_EQ_INT(store_member_get(s, 1, &m), 0);
    CHECK_EQ_STR(m.name, "王建国");
    struct store_broadcast b;
    CHECK_EQ_INT(store_broadcast_get(s, 1, &b), 0);
    CHECK_EQ_STR(b.state, "scheduled");
    CHECK_EQ_STR(b.playback_url, "");
    /* The new tables are there and usable on the old rows. */
    CHECK_EQ_INT(IN_TX(s, store_resume_put(TX, 1, 1, 5000, test_now())), -EINVAL); /* no item */
    CHECK_EQ_INT(IN_TX(s, store_heartbeat_put(TX, 1, 1, test_now())), -EINVAL);   /* no box */
    store_close(s);
    test_rmtree(dir);
}

static void test_accounts_and_sessions(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_account a = { 0 };
    snprintf(a.username, sizeof(a.username), "cadre-a");
    snprintf(a.display_name, sizeof(a.display_name), "东村书记");
    snprintf(a.role, sizeof(a.role), "cadre");
    snprintf(a.password_hash, sizeof(a.password_hash), "%s", PWHASH);
    a.org_id = f.village_a;
    int64_t cadre = 0, staff = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), &cadre)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), NULL)), -EEXIST);
    /* A cadre of a township, staff of a village: refused. */
    snprintf(a.username, sizeof(a.username), "cadre-t");
    a.org_id = f.township;
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), NULL)), -EINVAL);
    snprintf(a.role, sizeof(a.role), "staff");
    a.org_id = f.village_b;
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), NULL)), -EINVAL);
    a.org_id = f.township;
    snprintf(a.password_hash, sizeof(a.password_hash), "plaintext");
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), NULL)), -EINVAL);
    snprintf(a.password_hash, sizeof(a.password_hash), "%s", PWHASH);
    snprintf(a.role, sizeof(a.role), "janitor");
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), NULL)), -EINVAL);
    snprintf(a.role, sizeof(a.role), "staff");
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, test_now(), &staff)), 0);

    struct store_account got;
    CHECK_EQ_INT(store_account_by_username(f.s, "cadre-a", &got), 0);
    CHECK_EQ_INT(got.id, cadre);
    CHECK_EQ_STR(got.role, "cadre");
    CHECK_EQ_INT(got.org_id, f.village_a);
    CHECK_EQ_STR(got.password_hash, PWHASH);
    CHECK_EQ_INT(store_account_by_username(f.s, "nobody", &got), -ENOENT);

    static const char h1[] = "1111111111111111111111111111111111111111111111111111111111111111";
    static const char h2[] = "2222222222222222222222222222222222222222222222222222222222222222";
    time_t now = test_now();
    int64_t s1 = 0, s2 = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_session_add(TX, cadre, h1, now, now + 3600, &s1)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_session_add(TX, staff, h2, now - 7200, now - 3600, &s2)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_session_add(TX, staff, h2, now, now + 1, NULL)), -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_session_add(TX, staff, "short", now, now + 1, NULL)), -EINVAL);
    CHECK_EQ_INT(IN_TX(f.s, store_session_add(TX, staff, h2, now, now, NULL)), -EINVAL);
    struct store_session_ident si;
    CHECK_EQ_INT(store_session_by_token_hash(f.s, h1, &si), 0);
    CHECK_EQ_INT(si.session_id, s1);
    CHECK_EQ_INT(si.account_id, cadre);
    CHECK_EQ_STR(si.role, "cadre");
    CHECK_EQ_INT(si.village_id, f.village_a);
    CHECK_EQ_INT(si.township_id, f.township);
    CHECK_EQ_INT(si.expires_at, now + 3600);
    CHECK_EQ_INT(store_session_by_token_hash(f.s, h2, &si), 0); /* expired: still found */
    CHECK_EQ_INT(si.village_id, 0);
    CHECK_EQ_INT(si.township_id, f.township);
    int purged = -1;
    CHECK_EQ_INT(IN_TX(f.s, store_session_purge(TX, now, &purged)), 0);
    CHECK_EQ_INT(purged, 1);
    CHECK_EQ_INT(store_session_by_token_hash(f.s, h2, &si), -ENOENT);
    CHECK_EQ_INT(IN_TX(f.s, store_session_delete(TX, s1)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_session_delete(TX, s1)), -ENOENT);
    CHECK_EQ_INT(store_session_by_token_hash(f.s, h1, &si), -ENOENT);
    fixture_close(&f);
}

static void test_items_paging_and_scope(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    struct store_scope b = { f.village_b, f.township }, a = { f.village_a, f.township };
    struct store_item items[8];
    int n = -1, total = -1;
    /* 西村 sees 3 of its own affairs and 1 of the township (the other is published tomorrow). */
    CHECK_EQ_INT(store_item_list(f.s, &b, "affairs", test_now(), 0, 8, items, &n, &total), 0);
    CHECK_EQ_INT(total, 4);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_INT(store_item_list(f.s, &b, "affairs", test_now(), 1, 2, items, &n, &total), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(total, 4);
    CHECK_EQ_INT(store_item_list(f.s, &b, "affairs", test_now(), 4, 2, items, &n, &total), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(store_item_list(f.s, &a, "nothing", test_now(), 0, 8, items, &n, &total), 0);
    CHECK_EQ_INT(total, 0);
    CHECK_EQ_INT(store_item_list(f.s, &a, "affairs", test_now(), -1, 8, items, &n, &total),
                 -EINVAL);
    CHECK_EQ_INT(store_item_list(f.s, &a, "video", test_now(), 0, 8, items, &n, &total), 0);
    CHECK_EQ_INT(n, 1);
    int64_t video = items[0].id;
    CHECK_EQ_STR(items[0].scope_name, "东村");
    CHECK(items[0].body == NULL);

    struct store_item it;
    CHECK_EQ_INT(store_item_get(f.s, &a, test_now(), video, &it), 0);
    CHECK_EQ_STR(it.section, "video");
    CHECK_EQ_STR(it.body, "正文");
    store_item_fini(&it);
    CHECK_EQ_INT(store_item_get(f.s, &b, test_now(), video, &it), -ENOENT); /* other village */
    CHECK(it.body == NULL);
    CHECK_EQ_INT(store_item_get(f.s, &a, test_now(), 2, &it), -ENOENT); /* not yet published */
    CHECK_EQ_INT(store_item_get(f.s, &a, test_now() + 2 * 86400, 2, &it), 0);
    store_item_fini(&it);
    CHECK_EQ_INT(store_item_get(f.s, &a, test_now(), 9999, &it), -ENOENT);

    /* A course on the video, shown in lists and the catalogue. */
    struct store_course c = { .content_id = video, .duration_s = 1500 };
    snprintf(c.category, sizeof(c.category), "南湖播报");
    snprintf(c.poster, sizeof(c.poster), "/media/p.jpg");
    CHECK_EQ_INT(IN_TX(f.s, store_course_set(TX, &c)), 0);
    c.duration_s = 1600;
    CHECK_EQ_INT(IN_TX(f.s, store_course_set(TX, &c)), 0); /* update */
    struct store_course got, list[4];
    CHECK_EQ_INT(store_course_get(f.s, video, &got), 0);
    CHECK_EQ_INT(got.duration_s, 1600);
    CHECK_EQ_STR(got.media_url, "");
    CHECK_EQ_INT(store_course_get(f.s, 1, &got), -ENOENT);
    CHECK_EQ_INT(store_course_list(f.s, &a, test_now(), NULL, list, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(store_course_list(f.s, &a, test_now(), "南湖播报", list, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(list[0].title, "video 第1条");
    CHECK_EQ_INT(store_course_list(f.s, &a, test_now(), "电影", list, 4, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(store_course_list(f.s, &b, test_now(), NULL, list, 4, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(store_item_list(f.s, &a, "video", test_now(), 0, 8, items, &n, &total), 0);
    CHECK_EQ_INT(items[0].duration_s, 1600);
    CHECK_EQ_STR(items[0].picture, "/media/p.jpg");
    CHECK_EQ_STR(items[0].category, "南湖播报");
    /* By category: only that category's courses, counted the same way; per category. */
    CHECK_EQ_INT(store_item_list_category(f.s, &a, "video", "南湖播报", test_now(), 0, 8, items,
                                          &n, &total),
                 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(total, 1);
    CHECK_EQ_INT(items[0].id, video);
    CHECK_EQ_INT(store_item_list_category(f.s, &a, "video", "电影", test_now(), 0, 8, items, &n,
                                          &total),
                 0);
    CHECK_EQ_INT(n + total, 0);
    CHECK_EQ_INT(store_item_list_category(f.s, &b, "video", "南湖播报", test_now(), 0, 8, items,
                                          &n, &total),
                 0);
    CHECK_EQ_INT(total, 0); /* another village's course */
    struct store_category_count cats[4];
    CHECK_EQ_INT(store_course_categories(f.s, &a, "video", test_now(), cats, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(cats[0].name, "南湖播报");
    CHECK_EQ_INT(cats[0].count, 1);
    CHECK_EQ_INT(store_course_categories(f.s, &a, "study", test_now(), cats, 4, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(store_course_categories(f.s, &b, "video", test_now(), cats, 4, &n), 0);
    CHECK_EQ_INT(n, 0);

    struct store_pioneer p = { "/media/photo.jpg", "三十年义务护林" }, pg;
    CHECK_EQ_INT(IN_TX(f.s, store_pioneer_set(TX, 9, &p)), 0);
    CHECK_EQ_INT(store_pioneer_get(f.s, 9, &pg), 0);
    CHECK_EQ_STR(pg.citation, "三十年义务护林");
    CHECK_EQ_INT(store_pioneer_get(f.s, 8, &pg), -ENOENT);
    fixture_close(&f);
}

static void test_ledger_running_balance(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    const struct store_ledger_line lines[] = {
        { 2, "2026-10-05", "购买办公用品", 0, 35050, 0 },
        { 1, "2026-10-01", "上级转移支付", 1000000, 0, 0 },
        { 3, "2026-10-20", "土地流转收入", 250000, 0, 0 },
    };
    for (int i = 0; i < 3; i++)
        CHECK_EQ_INT(IN_TX(f.s, store_ledger_add(TX, 4, &lines[i])), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_ledger_add(TX, 4, &lines[0])), -EEXIST); /* same line_no */
    struct store_ledger_line bad = { 4, "2026-10-21", "x", -1, 0, 0 };
    CHECK_EQ_INT(IN_TX(f.s, store_ledger_add(TX, 4, &bad)), -EINVAL);
    struct store_ledger_line *out = NULL;
    int n = 0;
    CHECK_EQ_INT(store_ledger_list(f.s, 4, &out, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_INT(out[0].line_no, 1);
        CHECK_EQ_INT(out[0].balance_fen, 1000000);
        CHECK_EQ_INT(out[1].balance_fen, 1000000 - 35050);
        CHECK_EQ_STR(out[1].item, "购买办公用品");
        CHECK_EQ_INT(out[2].balance_fen, 1000000 - 35050 + 250000);
        CHECK_EQ_STR(out[2].date, "2026-10-20");
    }
    free(out);
    CHECK_EQ_INT(store_ledger_list(f.s, 5, &out, &n), 0);
    CHECK_EQ_INT(n, 0);
    CHECK(out == NULL);
    fixture_close(&f);
}

static void test_forms(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    int64_t a1, a2, b1, q1 = 0, q2 = 0, o[4] = { 0 };
    members_of(&f, &a1, &a2, &b1);
    static const char salt[] = "abababababababababababababababababababababababababababababababab";
    CHECK_EQ_INT(IN_TX(f.s, store_questionnaire_set(TX, 6, 1, NULL)), -EINVAL); /* needs salt */
    tx_begin(f.s);
    int rc = store_questionnaire_set(TX, 6, 1, salt);
    if (rc == 0)
        rc = store_question_add(TX, 6, 1, "满意吗", 0, &q1);
    if (rc == 0)
        rc = store_question_add(TX, 6, 2, "哪些要改进", 1, &q2);
    for (int i = 0; rc == 0 && i < 4; i++)
        rc = store_option_add(TX, i < 2 ? q1 : q2, i % 2 + 1,
                              (const char *[]){ "满意", "不满意", "道路", "卫生" }[i], 0, &o[i]);
    CHECK_EQ_INT(tx_end(rc), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_question_add(TX, 6, 1, "again", 0, NULL)), -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_option_vote(TX, o[1])), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_option_vote(TX, o[1])), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_ballot_add(TX, 6, salt)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_ballot_add(TX, 6, salt)), -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_option_vote(TX, 9999)), -ENOENT);
    struct store_form form = { 0 };
    CHECK_EQ_INT(store_form_get(f.s, 6, &form), 0);
    CHECK_EQ_STR(form.type, "questionnaire");
    CHECK_EQ_INT(form.anonymous, 1);
    CHECK_EQ_STR(form.ballot_salt, salt);
    CHECK_EQ_INT(form.n_questions, 2);
    if (form.n_questions == 2) {
        CHECK_EQ_STR(form.questions[0].prompt, "满意吗");
        CHECK_EQ_INT(form.questions[0].n_options, 2);
        CHECK_EQ_INT(form.questions[0].options[1].votes, 2);
        CHECK_EQ_INT(form.questions[1].multiple, 1);
        CHECK_EQ_STR(form.questions[1].options[1].label, "卫生");
    }
    store_form_fini(&form);
    CHECK_EQ_INT(store_form_get(f.s, 7, &form), -ENOENT);
    store_form_fini(&form);

    /* A named questionnaire keeps who answered what, once. */
    int64_t resp = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_questionnaire_set(TX, 7, 0, NULL)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_response_add(TX, 7, b1, f.box_b, test_now(), &resp)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_response_choice_add(TX, resp, o[0])), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_response_choice_add(TX, resp, o[0])), -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_response_add(TX, 7, b1, f.box_b, test_now(), NULL)), -EEXIST);

    /* A quiz with a pass mark, and attempts. */
    CHECK_EQ_INT(IN_TX(f.s, store_quiz_set(TX, 3, "exam", 60, 0)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_quiz_set(TX, 5, "exam", 101, 0)), -EINVAL);
    CHECK_EQ_INT(IN_TX(f.s, store_quiz_set(TX, 5, "test", 50, 0)), -EINVAL);
    CHECK_EQ_INT(store_form_get(f.s, 3, &form), 0);
    CHECK_EQ_STR(form.type, "exam");
    CHECK_EQ_INT(form.pass_mark, 60);
    CHECK_EQ_INT(form.n_questions, 0);
    store_form_fini(&form);
    struct store_attempt at = { 3, a1, f.box_a, 80, 4, 5, 1, test_now() };
    CHECK_EQ_INT(IN_TX(f.s, store_attempt_add(TX, &at, NULL)), 0);
    at.correct = 6;
    CHECK_EQ_INT(IN_TX(f.s, store_attempt_add(TX, &at, NULL)), -EINVAL);
    /* With the box's idempotency key (its outbox may send twice): scored once, the first
     * time's score given back; the key names one quiz and member of one household. */
    struct store_attempt k = { 3, a1, f.box_a, 80, 4, 5, 1, test_now(), f.household_a,
                               "outbox-key-01" };
    int64_t first = 0, again = 0;
    int repeat = -1; /* IN_TX gives the commit's 0 for a 1 */
    CHECK_EQ_INT(IN_TX(f.s, store_attempt_add(TX, &k, &first)), 0);
    k.score = 20;
    k.correct = 1;
    k.passed = 0;
    CHECK_EQ_INT(IN_TX(f.s, (repeat = store_attempt_add(TX, &k, &again))), 0);
    CHECK_EQ_INT(repeat, 1);
    CHECK_EQ_INT(again, first);
    CHECK_EQ_INT(k.score, 80);
    CHECK_EQ_INT(k.correct, 4);
    CHECK_EQ_INT(k.passed, 1);
    k.member_id = a2;
    CHECK_EQ_INT(IN_TX(f.s, store_attempt_add(TX, &k, NULL)), -EEXIST);
    k.member_id = a1;
    k.household_id = f.household_b;
    CHECK_EQ_INT(IN_TX(f.s, store_attempt_add(TX, &k, NULL)), -EEXIST);
    /* A questionnaire answer's key names the questionnaire. */
    CHECK_EQ_INT(IN_TX(f.s, (repeat = store_response_key(TX, f.box_a, f.household_a,
                                                         "outbox-key-02", 6))), 0);
    CHECK_EQ_INT(repeat, 0);
    CHECK_EQ_INT(IN_TX(f.s, (repeat = store_response_key(TX, f.box_a, f.household_a,
                                                         "outbox-key-02", 6))), 0);
    CHECK_EQ_INT(repeat, 1);
    CHECK_EQ_INT(IN_TX(f.s, store_response_key(TX, f.box_a, f.household_a, "outbox-key-02", 7)),
                 -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_response_key(TX, f.box_a, f.household_a, "outbox-key-01", 6)),
                 -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_response_key(TX, f.box_a, f.household_a, "", 6)), -EINVAL);
    fixture_close(&f);
}

static void test_broadcast_states(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    time_t now = test_now();
    static const char key[] = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_start(TX, 3, now, key, "/live/3/index.m3u8")), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_start(TX, 3, now, key, NULL)), -ESTALE);
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_start(TX, 99, now, key, NULL)), -ENOENT);
    struct store_broadcast b;
    CHECK_EQ_INT(store_broadcast_get(f.s, 3, &b), 0);
    CHECK_EQ_STR(b.state, "live");
    CHECK_EQ_INT(b.started_at, now);
    CHECK_EQ_STR(b.playback_url, "/live/3/index.m3u8");
    CHECK_EQ_STR(b.scope_name, "西村");
    struct store_scope sb = { f.village_b, f.township };
    struct store_broadcast list[4];
    int n = 0;
    CHECK_EQ_INT(store_broadcast_list_scope(f.s, &sb, list, 4, &n), 0);
    CHECK_EQ_INT(n, 2); /* the township's live one and 西村's, live first by start */
    CHECK_EQ_INT(store_broadcast_list_live(f.s, &sb, list, 4, &n), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(list[1].playback_url, "/live/3/index.m3u8");
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_end(TX, 3, now + 60)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_end(TX, 3, now + 60)), -ESTALE);
    CHECK_EQ_INT(IN_TX(f.s, store_broadcast_end(TX, 2, now)), -ESTALE); /* already ended */
    CHECK_EQ_INT(store_broadcast_get(f.s, 3, &b), 0);
    CHECK_EQ_STR(b.state, "ended");
    CHECK_EQ_INT(b.ended_at, now + 60);
    CHECK_EQ_INT(store_broadcast_get(f.s, 99, &b), -ENOENT);
    fixture_close(&f);
}

static void test_rollcalls_and_checkins(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    int64_t a1, a2, b1, rc_a = 0, rc_t = 0;
    members_of(&f, &a1, &a2, &b1);
    time_t now = test_now(), at = 0;
    int expected = -1, created = -1;
    /* 东村's roll call on the township broadcast (1) calls its 2 members. */
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_open(TX, 1, f.village_a, 0, now, &rc_a, &expected)),
                 0);
    CHECK_EQ_INT(expected, 2);
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_open(TX, 1, f.village_a, 0, now, NULL, NULL)),
                 -EEXIST);
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_open(TX, 1, f.township, 0, now, &rc_t, &expected)),
                 0);
    CHECK_EQ_INT(expected, 3);

    CHECK_EQ_INT(IN_TX(f.s, store_checkin_add(TX, rc_a, a1, f.box_a, now + 5, &at, &created)),
                 0);
    CHECK_EQ_INT(created, 1);
    CHECK_EQ_INT(at, now + 5);
    CHECK_EQ_INT(IN_TX(f.s, store_checkin_add(TX, rc_a, a1, f.box_a, now + 9, &at, &created)),
                 0);
    CHECK_EQ_INT(created, 0); /* the repeat finds the first */
    CHECK_EQ_INT(at, now + 5);
    CHECK_EQ_INT(store_checkin_get(f.s, rc_a, a1, &at), 0);
    CHECK_EQ_INT(at, now + 5);
    CHECK_EQ_INT(store_checkin_get(f.s, rc_a, a2, &at), -ENOENT);

    struct store_rollcall r;
    CHECK_EQ_INT(store_rollcall_get(f.s, rc_a, &r), 0);
    CHECK_EQ_INT(r.expected, 2);
    CHECK_EQ_INT(r.checked_in, 1);
    CHECK_EQ_INT(r.closed_at, 0);
    CHECK_EQ_STR(r.title, "11月党群直通日视频会议");
    struct store_rollcall open[4];
    int n = 0;
    struct store_scope sa = { f.village_a, f.township }, sb = { f.village_b, f.township };
    CHECK_EQ_INT(store_rollcall_list_open(f.s, &sa, open, 4, &n), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(store_rollcall_list_open(f.s, &sb, open, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    int64_t ids[4];
    CHECK_EQ_INT(store_rollcall_open_ids(f.s, 1, ids, 4, &n), 0);
    CHECK_EQ_INT(n, 2);

    struct store_roster_entry *roster = NULL;
    CHECK_EQ_INT(store_rollcall_roster(f.s, rc_t, &roster, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_STR(roster[0].village, "东村");
        CHECK_EQ_STR(roster[0].household, "王家");
        CHECK_EQ_INT(roster[0].checked_in_at, 0); /* checked in at 东村's, not this one */
        CHECK_EQ_STR(roster[2].name, "李德福");
    }
    free(roster);

    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_close(TX, rc_a, now + 600)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_close(TX, rc_a, now + 601)), -ESTALE);
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_close(TX, 999, now)), -ENOENT);
    /* Closed: a repeat still answers with the first time; a new one is refused. */
    CHECK_EQ_INT(IN_TX(f.s, store_checkin_add(TX, rc_a, a1, f.box_a, now + 700, &at, &created)),
                 0);
    CHECK_EQ_INT(at, now + 5);
    CHECK_EQ_INT(IN_TX(f.s, store_checkin_add(TX, rc_a, a2, f.box_a, now + 700, &at, &created)),
                 -ESTALE);
    CHECK_EQ_INT(IN_TX(f.s, store_checkin_add(TX, 999, a2, f.box_a, now, &at, &created)),
                 -ENOENT);
    /* Reopening after the close is a new roll call. */
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_open(TX, 1, f.village_a, 0, now + 900, NULL, NULL)),
                 0);

    struct store_attendance *att = NULL;
    CHECK_EQ_INT(store_attendance_list(f.s, a1, &att, &n), 0);
    CHECK_EQ_INT(n, 3); /* 东村's closed one, the township's, 东村's new one */
    int attended = 0;
    for (int i = 0; i < n; i++)
        attended += att[i].checked_in_at != 0;
    CHECK_EQ_INT(attended, 1);
    free(att);
    CHECK_EQ_INT(store_attendance_list(f.s, b1, &att, &n), 0);
    CHECK_EQ_INT(n, 1);
    free(att);
    fixture_close(&f);
}

static void test_heartbeats_resume_credits(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    int64_t a1, a2, b1, rid = 0;
    members_of(&f, &a1, &a2, &b1);
    time_t now = test_now(), at = 0;
    CHECK_EQ_INT(store_heartbeat_last(f.s, f.box_a, 1, &at), -ENOENT);
    CHECK_EQ_INT(IN_TX(f.s, store_heartbeat_put(TX, f.box_a, 1, now)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_heartbeat_put(TX, f.box_a, 1, now - 30)), 0); /* late one */
    CHECK_EQ_INT(store_heartbeat_last(f.s, f.box_a, 1, &at), 0);
    CHECK_EQ_INT(at, now);
    CHECK_EQ_INT(IN_TX(f.s, store_heartbeat_put(TX, f.box_a, 1, now + 20)), 0);
    CHECK_EQ_INT(store_heartbeat_last(f.s, f.box_a, 1, &at), 0);
    CHECK_EQ_INT(at, now + 20);
    CHECK_EQ_INT(store_heartbeat_last(f.s, f.box_b, 1, &at), -ENOENT);

    int64_t pos = -1;
    CHECK_EQ_INT(store_resume_get(f.s, f.household_a, 5, &pos, &at), -ENOENT);
    CHECK_EQ_INT(IN_TX(f.s, store_resume_put(TX, f.household_a, 5, 61000, now)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_resume_put(TX, f.household_a, 5, 62000, now + 10)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_resume_put(TX, f.household_a, 5, -1, now)), -EINVAL);
    CHECK_EQ_INT(store_resume_get(f.s, f.household_a, 5, &pos, &at), 0);
    CHECK_EQ_INT(pos, 62000);
    CHECK_EQ_INT(at, now + 10);
    CHECK_EQ_INT(store_resume_get(f.s, f.household_b, 5, &pos, &at), -ENOENT);

    int created = -1, total = -1, n = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_rollcall_open(TX, 1, f.village_a, 0, now, &rid, NULL)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_credit_add(TX, a1, STORE_CREDIT_MEETING, rid, 1, now,
                                             &created)),
                 0);
    CHECK_EQ_INT(created, 1);
    CHECK_EQ_INT(IN_TX(f.s, store_credit_add(TX, a1, STORE_CREDIT_MEETING, rid, 1, now,
                                             &created)),
                 0);
    CHECK_EQ_INT(created, 0);
    CHECK_EQ_INT(IN_TX(f.s, store_credit_add(TX, a1, STORE_CREDIT_EXAM, 3, 5, now + 1, NULL)),
                 0);
    CHECK_EQ_INT(IN_TX(f.s, store_credit_add(TX, a1, "bribe", 3, 5, now, NULL)), -EINVAL);
    CHECK_EQ_INT(IN_TX(f.s, store_credit_add(TX, a1, STORE_CREDIT_COURSE, 5, 0, now, NULL)),
                 -EINVAL);
    struct store_credit *k = NULL;
    CHECK_EQ_INT(store_credit_list(f.s, a1, &k, &n, &total), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(total, 6);
    if (n == 2) {
        CHECK_EQ_STR(k[0].reason, STORE_CREDIT_EXAM);
        CHECK_EQ_STR(k[0].title, "study 第1条");
        CHECK_EQ_STR(k[1].title, "11月党群直通日视频会议");
    }
    free(k);
    CHECK_EQ_INT(store_credit_list(f.s, a2, &k, &n, &total), 0);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(total, 0);
    free(k);
    fixture_close(&f);
}

/* A box's idempotency key names one request of its household: the same key again adds
 * nothing (1, the first id); another box may use the same key for its own request. */
static void test_request_idempotency_keys(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    time_t now = test_now();
    struct store_request r = { .household_id = f.household_a, .box_id = f.box_a,
                               .village_id = f.village_a, .created_at = now,
                               .deadline_at = now + 86400 };
    snprintf(r.category, sizeof(r.category), "consult");
    snprintf(r.phone, sizeof(r.phone), "13800138000");
    snprintf(r.idempotency_key, sizeof(r.idempotency_key), "0123456789abcdef");
    int64_t id1 = 0, id2 = 0, id3 = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &r, &id1)), 0);
    int repeat = -1;
    CHECK_EQ_INT(IN_TX(f.s, (repeat = store_request_add(TX, &r, &id2))), 0);
    CHECK_EQ_INT(repeat, 1);
    CHECK_EQ_INT(id2, id1);
    struct store_request other = r;
    other.household_id = f.household_b;
    other.box_id = f.box_b;
    other.village_id = f.village_b;
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &other, &id3)), 0);
    CHECK(id3 != id1);
    /* The same box paired to another household: the old key does not reach the old request. */
    other.box_id = f.box_a;
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &other, &id3)), -EEXIST);
    struct store_request list[4];
    int n = 0, total = 0;
    CHECK_EQ_INT(store_request_list_household(f.s, f.household_a, 0, 4, list, &n, &total), 0);
    CHECK_EQ_INT(total, 1);
    fixture_close(&f);
}

/* Upload jobs (migration 12): a job's state moves only from the state the caller expects, a
 * finished job lets go of its item JSON, and only unfinished jobs are open. */
static void test_upload_jobs(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    time_t now = test_now();
    struct store_upload_job j = { .township_id = f.township, .size = 1000,
                                  .item_json = "{\"title\":\"t\"}" };
    snprintf(j.file, sizeof(j.file), "video");
    snprintf(j.name, sizeof(j.name), "a.mp4");
    snprintf(j.state, sizeof(j.state), "waiting");
    int64_t id = 0, other = 0;
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_add(TX, &j, now, &id)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_add(TX, &j, now, &other)), 0);
    struct store_upload_job got;
    CHECK_EQ_INT(store_upload_job_get(f.s, id, &got), 0);
    CHECK_EQ_STR(got.state, "waiting");
    CHECK_EQ_STR(got.item_json, "{\"title\":\"t\"}");
    CHECK_EQ_INT(got.township_id, f.township);
    /* Two senders: the first moves it from waiting, the second finds it moved. */
    snprintf(got.state, sizeof(got.state), "receiving");
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_set(TX, &got, "waiting", now)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_set(TX, &got, "waiting", now)), -ESTALE);
    got.id = id + 1000;
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_set(TX, &got, "waiting", now)), -ENOENT);
    got.id = id;
    snprintf(got.state, sizeof(got.state), "done");
    got.item_id = 7;
    snprintf(got.media_url, sizeof(got.media_url), "/media/items/upload-1-1/hls/index.m3u8");
    CHECK_EQ_INT(IN_TX(f.s, store_upload_job_set(TX, &got, NULL, now)), 0);
    store_upload_job_fini(&got);
    CHECK_EQ_INT(store_upload_job_get(f.s, id, &got), 0);
    CHECK_EQ_STR(got.state, "done");
    CHECK(got.item_json == NULL);
    CHECK_EQ_INT(got.item_id, 7);
    store_upload_job_fini(&got);
    int64_t open_ids[4];
    int n = 0;
    CHECK_EQ_INT(store_upload_jobs_open(f.s, open_ids, 4, &n), 0);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(open_ids[0], other);
    CHECK_EQ_INT(store_upload_job_get(f.s, id + 1000, &got), -ENOENT);
    store_upload_job_fini(&got);
    /* A job's township must exist. */
    j.township_id = f.township + 1000;
    CHECK(IN_TX(f.s, store_upload_job_add(TX, &j, now, &other)) < 0);
    fixture_close(&f);
}

static void test_requests_and_replies(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    int64_t a1, a2, b1, id1 = 0, id2 = 0, staff = 0;
    members_of(&f, &a1, &a2, &b1);
    time_t now = test_now();
    struct store_request r = { .household_id = f.household_a, .box_id = f.box_a,
                               .member_id = a1, .village_id = f.village_a,
                               .created_at = now, .deadline_at = now + 86400 };
    snprintf(r.category, sizeof(r.category), "agri_tech");
    snprintf(r.phone, sizeof(r.phone), "13800138000");
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &r, &id1)), 0);
    r.member_id = 0;
    r.created_at = now + 60;
    r.deadline_at = now + 60 + 86400;
    snprintf(r.note, sizeof(r.note), "邻居占了我家的地");
    snprintf(r.category, sizeof(r.category), "dispute");
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &r, &id2)), 0);
    snprintf(r.category, sizeof(r.category), "lottery");
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &r, NULL)), -EINVAL);
    snprintf(r.category, sizeof(r.category), "consult");
    r.deadline_at = r.created_at;
    CHECK_EQ_INT(IN_TX(f.s, store_request_add(TX, &r, NULL)), -EINVAL);

    struct store_request list[4], got;
    int n = 0, total = 0;
    CHECK_EQ_INT(store_request_list_household(f.s, f.household_a, 0, 4, list, &n, &total), 0);
    CHECK_EQ_INT(total, 2);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(list[0].id, id2); /* newest first */
    CHECK_EQ_INT(list[0].member_id, 0);
    CHECK_EQ_STR(list[0].state, "open");
    CHECK_EQ_INT(store_request_list_household(f.s, f.household_b, 0, 4, list, &n, &total), 0);
    CHECK_EQ_INT(total, 0);

    struct store_account a = { 0 };
    snprintf(a.username, sizeof(a.username), "staff1");
    snprintf(a.display_name, sizeof(a.display_name), "镇便民服务中心");
    snprintf(a.role, sizeof(a.role), "staff");
    snprintf(a.password_hash, sizeof(a.password_hash), "%s", PWHASH);
    a.org_id = f.township;
    CHECK_EQ_INT(IN_TX(f.s, store_account_add(TX, &a, now, &staff)), 0);
    CHECK_EQ_INT(IN_TX(f.s, store_reply_add(TX, id1, staff, "明天上午技术员上门", now + 100,
                                            NULL)),
                 0);
    CHECK_EQ_INT(store_request_get(f.s, id1, &got), 0);
    CHECK_EQ_STR(got.state, "replied");
    CHECK_EQ_INT(got.n_replies, 1);
    CHECK_EQ_INT(got.deadline_at, now + 86400);
    CHECK_EQ_STR(got.phone, "13800138000");
    struct store_reply *rp = NULL;
    CHECK_EQ_INT(store_reply_list(f.s, id1, &rp, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_STR(rp[0].author, "镇便民服务中心");
        CHECK_EQ_STR(rp[0].body, "明天上午技术员上门");
    }
    free(rp);
    CHECK_EQ_INT(store_request_get(f.s, 999, &got), -ENOENT);
    fixture_close(&f);
}

int main(void)
{
    RUN(test_upgrade_from_v1);
    RUN(test_accounts_and_sessions);
    RUN(test_items_paging_and_scope);
    RUN(test_ledger_running_balance);
    RUN(test_forms);
    RUN(test_broadcast_states);
    RUN(test_rollcalls_and_checkins);
    RUN(test_heartbeats_resume_credits);
    RUN(test_requests_and_replies);
    RUN(test_request_idempotency_keys);
    RUN(test_upload_jobs);
    return CHECK_DONE();
}
