/* A disclosure's table on the detail screen (screens/detail_table.c), from the item JSON the
 * server sends (net/catalogue.c): dues with their totals row, new members without, rows
 * the parser refuses, and an item with no table. */
#include "net/catalogue.h"
#include "screens/detail_table.h"
#include "../check.h"

#include <errno.h>
#include <string.h>

static const char *cell(const struct detail_table *t, int row, int col)
{
    return t->cell_ptrs[row * t->n_cols + col];
}

static void test_dues_table_with_total(void)
{
    const char *json =
        "{\"id\":5,\"kind\":\"党费公示\",\"title\":\"t\",\"body\":\"b\",\"dues\":{\"rows\":["
        "{\"row_no\":1,\"name\":\"王建国\",\"month\":\"2026-10\",\"amount_fen\":200},"
        "{\"row_no\":2,\"name\":\"陈秀英\",\"month\":\"2026-11\",\"amount_fen\":123456}],"
        "\"amount_fen\":123656}}";
    struct cat_detail d;
    char err[200];
    CHECK_EQ_INT(cat_parse_detail(json, &d, err, sizeof(err)), 0);
    CHECK_EQ_INT(d.roster, CAT_ROSTER_DUES);
    CHECK_EQ_INT(d.n_roster, 2);
    struct detail_table t;
    CHECK_EQ_INT(detail_table_build(&t, &d), 1);
    CHECK_EQ_STR(t.kind, "dues");
    CHECK_EQ_INT(t.n_cols, 3);
    CHECK_EQ_INT(t.n_rows, 3);
    CHECK_EQ_INT(t.has_total, 1);
    CHECK_EQ_STR(cell(&t, 0, 0), "王建国");
    CHECK_EQ_STR(cell(&t, 0, 1), "2026年10月");
    CHECK_EQ_STR(cell(&t, 0, 2), "2.00");
    CHECK_EQ_STR(cell(&t, 1, 2), "1,234.56");
    CHECK_EQ_STR(cell(&t, 2, 0), "合计");
    CHECK_EQ_STR(cell(&t, 2, 1), "2 笔");
    CHECK_EQ_STR(cell(&t, 2, 2), "1,236.56"); /* the server's total */
    detail_table_fini(&t);
    cat_detail_free(&d);
}

static void test_candidates_table_has_no_total(void)
{
    const char *json =
        "{\"id\":6,\"kind\":\"发展党员公示\",\"title\":\"t\",\"body\":\"\",\"candidates\":{"
        "\"rows\":[{\"row_no\":1,\"name\":\"王海涛\",\"stage\":\"预备党员\","
        "\"date\":\"2026-11-05\"}]}}";
    struct cat_detail d;
    char err[200];
    CHECK_EQ_INT(cat_parse_detail(json, &d, err, sizeof(err)), 0);
    struct detail_table t;
    CHECK_EQ_INT(detail_table_build(&t, &d), 1);
    CHECK_EQ_STR(t.kind, "candidates");
    CHECK_EQ_INT(t.n_rows, 1);
    CHECK_EQ_INT(t.has_total, 0);
    CHECK_EQ_STR(cell(&t, 0, 1), "预备党员");
    CHECK_EQ_STR(cell(&t, 0, 2), "2026年11月5日");
    detail_table_fini(&t);
    cat_detail_free(&d);
}

static void test_bad_rows_and_no_table(void)
{
    static const char *const bad[] = {
        /* a row without its amount; a negative amount; a name that is not text */
        "{\"id\":5,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\",\"dues\":{\"rows\":["
        "{\"name\":\"甲\",\"month\":\"2026-10\"}],\"amount_fen\":1}}",
        "{\"id\":5,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\",\"dues\":{\"rows\":["
        "{\"name\":\"甲\",\"month\":\"2026-10\",\"amount_fen\":-1}],\"amount_fen\":1}}",
        "{\"id\":5,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\",\"candidates\":{\"rows\":["
        "{\"name\":7,\"stage\":\"发展对象\",\"date\":\"2026-10-01\"}]}}",
        "{\"id\":5,\"kind\":\"k\",\"title\":\"t\",\"body\":\"b\",\"dues\":[]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cat_detail d;
        char err[200] = "";
        CHECK_EQ_INT(cat_parse_detail(bad[i], &d, err, sizeof(err)), -EINVAL);
        CHECK(err[0] != '\0');
    }
    struct cat_detail d;
    char err[200];
    CHECK_EQ_INT(cat_parse_detail("{\"id\":1,\"kind\":\"通知公告\",\"title\":\"t\",\"body\":\"b\"}",
                                  &d, err, sizeof(err)), 0);
    struct detail_table t;
    CHECK_EQ_INT(detail_table_build(&t, &d), 0);
    CHECK(t.kind == NULL);
    cat_detail_free(&d);
}

int main(void)
{
    RUN(test_dues_table_with_total);
    RUN(test_candidates_table_has_no_total);
    RUN(test_bad_rows_and_no_table);
    return CHECK_DONE();
}
