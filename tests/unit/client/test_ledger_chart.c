/* A finance disclosure's months (screens/ledger_chart.c), table-driven on plain ledgers, and
 * the picture of a section's item (net/catalogue.c) the poster grid fetches. */
#include "net/catalogue.h"
#include "screens/ledger_chart.h"
#include "../check.h"

#include <errno.h>
#include <string.h>

struct line_in {
    const char *date;
    int64_t income, expense;
};

static void ledger_of(const struct line_in *in, int n, struct cat_ledger_line *lines,
                      struct cat_detail *d)
{
    memset(d, 0, sizeof(*d));
    for (int i = 0; i < n; i++) {
        memset(&lines[i], 0, sizeof(lines[i]));
        snprintf(lines[i].date, sizeof(lines[i].date), "%s", in[i].date);
        lines[i].income_fen = in[i].income;
        lines[i].expense_fen = in[i].expense;
    }
    d->lines = lines;
    d->n_lines = n;
    d->has_ledger = 1;
}

static void test_months_are_summed_in_order(void)
{
    /* Out of order, and a date that is no date (left out). */
    static const struct line_in in[] = {
        { "2026-11-03", 500000, 0 },   { "2026-10-16", 1523000, 0 },
        { "2026-10-29", 0, 1880000 },  { "2026-11-09", 0, 120050 },
        { "上月", 99, 99 },            { "2026-10-19", 3600000, 0 },
    };
    struct cat_ledger_line lines[6];
    struct cat_detail d;
    ledger_of(in, 6, lines, &d);
    struct ledger_chart c;
    CHECK_EQ_INT(ledger_chart_build(&c, &d), 2);
    CHECK_EQ_STR(c.months[0].ym, "2026-10");
    CHECK_EQ_INT(c.months[0].income_fen, 5123000);
    CHECK_EQ_INT(c.months[0].expense_fen, 1880000);
    CHECK_EQ_STR(c.months[1].ym, "2026-11");
    CHECK_EQ_INT(c.months[1].income_fen, 500000);
    CHECK_EQ_INT(c.months[1].expense_fen, 120050);
    CHECK_EQ_STR(c.labels[0], "10月收入");
    CHECK_EQ_STR(c.labels[3], "11月支出");
    CHECK_EQ_STR(c.values[0], "51,230.00");
    CHECK_EQ_STR(c.values[3], "1,200.50");
}

static void test_only_the_last_months_are_charted(void)
{
    static const char *const dates[9] = { "2026-01-01", "2026-02-01", "2026-03-01",
                                          "2026-04-01", "2026-05-01", "2026-06-01",
                                          "2026-07-01", "2026-08-01", "2026-09-01" };
    struct line_in in[9];
    for (int i = 0; i < 9; i++)
        in[i] = (struct line_in){ dates[i], (i + 1) * 100, 0 };
    struct cat_ledger_line lines[9];
    struct cat_detail d;
    ledger_of(in, 9, lines, &d);
    struct ledger_chart c;
    CHECK_EQ_INT(ledger_chart_build(&c, &d), LEDGER_MONTHS_MAX);
    CHECK_EQ_STR(c.months[0].ym, "2026-04");
    CHECK_EQ_STR(c.months[LEDGER_MONTHS_MAX - 1].ym, "2026-09");
    CHECK_EQ_INT(c.months[LEDGER_MONTHS_MAX - 1].income_fen, 900);
    /* No ledger, no chart. */
    d.has_ledger = 0;
    CHECK_EQ_INT(ledger_chart_build(&c, &d), 0);
}

static void test_item_picture_is_parsed(void)
{
    const char *ok = "{\"section\":\"video\",\"total\":1,\"page\":1,\"per_page\":8,\"items\":["
                     "{\"id\":7,\"kind\":\"视频\",\"title\":\"t\",\"picture\":"
                     "\"/media/items/a/poster.jpg\",\"duration_s\":60}]}";
    struct cat_page p;
    CHECK_EQ_INT(cat_parse_page(ok, &p, NULL, 0), 0);
    CHECK_EQ_STR(p.items[0].picture, "/media/items/a/poster.jpg");
    cat_page_free(&p);
    const char *bad = "{\"section\":\"video\",\"total\":1,\"page\":1,\"per_page\":8,\"items\":["
                      "{\"id\":7,\"kind\":\"视频\",\"title\":\"t\",\"picture\":5}]}";
    char err[200] = "";
    CHECK_EQ_INT(cat_parse_page(bad, &p, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "picture") != NULL);
}

int main(void)
{
    RUN(test_months_are_summed_in_order);
    RUN(test_only_the_last_months_are_charted);
    RUN(test_item_picture_is_parsed);
    return CHECK_DONE();
}
