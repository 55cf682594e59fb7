/* `djtv-server demo` and the data model: the accounts file (0600, fresh random passwords that
 * log in, never stored in the database), --accounts-out, and the content extras of
 * content.json (courses, ledgers, pioneers, questionnaires, the exam). */
#include <errno.h>
#include <sys/stat.h>

#include "../check.h"
#include "demo/demo.h"
#include "server_test.h"
#include "util/fileio.h"

static int contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static void test_accounts_file(void)
{
    char dir[64], db[128], boxes[128], accounts[128], assets[512];
    CHECK_EQ_INT(auth_init(), 0);
    CHECK_EQ_INT(test_tmpdir(dir, sizeof(dir)), 0);
    CHECK_EQ_INT(test_assets_dir(assets, sizeof(assets)), 0);
    snprintf(db, sizeof(db), "%s/d.db", dir);
    snprintf(boxes, sizeof(boxes), "%s/boxes.tsv", dir);
    snprintf(accounts, sizeof(accounts), "%s/accounts.tsv", dir);
    struct demo_options o = { db, assets, boxes, 0, test_now(), NULL };
    struct demo_stats st;
    CHECK_EQ_INT(demo_create(&o, &st), 0);
    CHECK_EQ_INT(st.accounts, st.villages + 3);
    struct stat sb;
    CHECK_EQ_INT(stat(accounts, &sb), 0);
    CHECK_EQ_INT(sb.st_mode & 0777, 0600);

    char *text = NULL, *dbtext = NULL;
    size_t len = 0, dblen = 0;
    CHECK_EQ_INT(fileio_read(accounts, 1 << 20, &text, &len), 0);
    CHECK_EQ_INT(fileio_read(db, 64 << 20, &dbtext, &dblen), 0);
    struct store *s = NULL;
    CHECK_EQ_INT(store_open(db, 0, &s), 0);
    int rows = 0, cadres = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *next = nl ? nl + 1 : NULL;
        char user[64], role[16], org[128], pw[64], phone[16] = "", pin[16] = "";
        if (rows++ == 0) {
            CHECK_EQ_STR(line, "username\trole\torg_name\tpassword\tphone\tpin");
            line = next;
            continue;
        }
        int fields = sscanf(line, "%63[^\t]\t%15[^\t]\t%127[^\t]\t%63[^\t]\t%15[^\t]\t%15s",
                            user, role, org, pw, phone, pin);
        int cadre = strcmp(role, "cadre") == 0;
        CHECK_EQ_INT(fields, cadre ? 6 : 4); /* a cadre's phone and PIN for the TV */
        CHECK_EQ_INT(strlen(pw), 12);
        cadres += cadre;
        struct store_account a;
        CHECK_EQ_INT(store_account_by_username(s, user, &a), 0);
        CHECK_EQ_STR(a.role, role);
        CHECK_EQ_INT(auth_password_verify(a.password_hash, pw), 0);
        CHECK(!contains(dbtext, dblen, pw)); /* only the hash is stored */
        if (cadre) {
            struct store_account byphone;
            CHECK_EQ_INT(strlen(phone), 11);
            CHECK_EQ_INT(strlen(pin), 6);
            CHECK_EQ_INT(store_account_by_phone(s, phone, &byphone), 0);
            CHECK_EQ_INT(byphone.id, a.id);
            CHECK_EQ_INT(auth_password_verify(byphone.pin_hash, pin), 0);
        }
        line = next;
    }
    CHECK_EQ_INT(rows, st.accounts + 1);
    CHECK_EQ_INT(cadres, st.villages);
    struct store_account admin;
    CHECK_EQ_INT(store_account_by_username(s, "admin", &admin), 0);
    CHECK_EQ_STR(admin.role, "admin");
    store_close(s);
    free(text);
    free(dbtext);

    /* A second demo gets other passwords; --accounts-out puts them elsewhere. */
    char other[128];
    snprintf(other, sizeof(other), "%s/people.tsv", dir);
    struct demo_options o2 = { db, assets, boxes, 1, test_now(), other };
    CHECK_EQ_INT(demo_create(&o2, &st), 0);
    CHECK_EQ_INT(stat(other, &sb), 0);
    CHECK_EQ_INT(sb.st_mode & 0777, 0600);
    char *a1 = NULL, *a2 = NULL;
    CHECK_EQ_INT(fileio_read(accounts, 1 << 20, &a1, NULL), 0);
    CHECK_EQ_INT(fileio_read(other, 1 << 20, &a2, NULL), 0);
    CHECK(a1 && a2 && strcmp(a1, a2) != 0);
    free(a1);
    free(a2);
    test_rmtree(dir);
}

static void test_content_extras(void)
{
    char dir[64], db[128], boxes[128], assets[512];
    CHECK_EQ_INT(test_tmpdir(dir, sizeof(dir)), 0);
    CHECK_EQ_INT(test_assets_dir(assets, sizeof(assets)), 0);
    snprintf(db, sizeof(db), "%s/d.db", dir);
    snprintf(boxes, sizeof(boxes), "%s/boxes.tsv", dir);
    struct demo_options o = { db, assets, boxes, 0, test_now(), NULL };
    struct demo_stats st;
    CHECK_EQ_INT(demo_create(&o, &st), 0);
    struct store *s = NULL;
    CHECK_EQ_INT(store_open(db, 0, &s), 0);
    /* 东村 sees the township's exam and its own finance disclosure with a balanced ledger. */
    struct store_scope scope = { 2, 1 };
    struct store_item items[50];
    int n = 0, total = 0, exams = 0, ledgers = 0;
    CHECK_EQ_INT(store_item_list(s, &scope, "study", test_now(), 0, 50, items, &n, &total), 0);
    for (int i = 0; i < n; i++) {
        struct store_form f = { 0 };
        if (store_form_get(s, items[i].id, &f) == 0 && strcmp(f.type, "exam") == 0) {
            exams++;
            CHECK_EQ_INT(f.pass_mark, 60);
            CHECK_EQ_INT(f.n_questions, 10);
        }
        store_form_fini(&f);
    }
    CHECK_EQ_INT(exams, 1);
    CHECK_EQ_INT(store_item_list(s, &scope, "affairs", test_now(), 0, 50, items, &n, &total), 0);
    for (int i = 0; i < n; i++) {
        struct store_ledger_line *l = NULL;
        int nl = 0;
        CHECK_EQ_INT(store_ledger_list(s, items[i].id, &l, &nl), 0);
        if (nl && strcmp(items[i].scope_name, "东村") == 0) {
            ledgers++;
            CHECK_EQ_INT(nl, 6);
            CHECK_EQ_INT(l[nl - 1].balance_fen, 1523000 + 3600000 + 1250000 - 1880000 - 640000 -
                                                    235050);
        }
        free(l);
    }
    CHECK_EQ_INT(ledgers, 1);
    struct store_course c[100];
    CHECK_EQ_INT(store_course_list(s, &scope, test_now(), NULL, c, 100, &n), 0);
    CHECK(n >= 10);
    store_close(s);
    test_rmtree(dir);
}

int main(void)
{
    RUN(test_accounts_file);
    RUN(test_content_extras);
    return CHECK_DONE();
}
