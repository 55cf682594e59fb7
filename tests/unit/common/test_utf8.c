/* The one UTF-8 decoder client and server share: every length, the sequences that must be
 * refused (overlong, surrogate, beyond U+10FFFF, cut short), the walk's U+FFFD, and cuts on
 * character boundaries. */
#include "utf8.h"
#include "../check.h"

#include <string.h>

static void test_decodes_one_to_four_bytes(void)
{
    static const struct {
        const char *s;
        uint32_t cp;
        size_t n;
    } ok[] = { { "A", 0x41, 1 },           { "\xc2\xa0", 0xa0, 2 },
               { "党", 0x515a, 3 },        { "\xef\xbf\xbd", 0xfffd, 3 },
               { "𠮷", 0x20bb7, 4 },       { "\xf4\x8f\xbf\xbf", 0x10ffff, 4 },
               { "\xe9\xbf\xbf", 0x9fff, 3 } };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        uint32_t cp = 0;
        CHECK_EQ_INT(utf8_decode(ok[i].s, strlen(ok[i].s), &cp), ok[i].n);
        CHECK_EQ_INT(cp, ok[i].cp);
    }
}

static void test_refuses_what_is_not_a_character(void)
{
    static const char *const bad[] = {
        "\x80",             /* a continuation byte alone */
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong, three bytes */
        "\xf0\x80\x80\xaf", /* overlong, four bytes */
        "\xed\xa0\x80",     /* a surrogate (U+D800) */
        "\xf4\x90\x80\x80", /* U+110000 */
        "\xf5\x80\x80\x80", /* no such lead byte */
        "\xf0\xa0\xae",     /* cut short */
        "\xe5\x85",         /* cut short */
        "\xe5\x41\x41",     /* a lead byte then ASCII */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint32_t cp = 0;
        CHECK_EQ_INT(utf8_decode(bad[i], strlen(bad[i]), &cp), 0);
        CHECK(!utf8_valid(bad[i], strlen(bad[i])));
    }
    uint32_t cp;
    CHECK_EQ_INT(utf8_decode("党", 2, &cp), 0); /* the length given is respected */
    CHECK_EQ_INT(utf8_decode("", 0, &cp), 0);
    CHECK(utf8_valid("王喆、𠮷祥云", strlen("王喆、𠮷祥云")));
    CHECK(utf8_valid("", 0));
}

static void test_walk_replaces_bad_bytes_and_stops_at_the_end(void)
{
    const char *s = "a\xff党\xf0\xa0" "b𠮷";
    static const uint32_t want[] = { 'a', 0xfffd, 0x515a, 0xfffd, 0xfffd, 'b', 0x20bb7 };
    size_t i = 0;
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
        CHECK_EQ_INT(utf8_next(s, &i), want[k]);
    CHECK_EQ_INT(utf8_next(s, &i), 0);
    CHECK_EQ_INT(i, strlen(s));
    CHECK_EQ_INT(utf8_next(s, &i), 0); /* stays at the end */
}

static void test_prefix_never_cuts_a_character(void)
{
    const char *s = "王𠮷a"; /* 3 + 4 + 1 bytes */
    size_t len = strlen(s);
    static const size_t want[] = { 0, 0, 0, 3, 3, 3, 3, 7, 8, 8 };
    for (size_t max = 0; max < sizeof(want) / sizeof(want[0]); max++)
        CHECK_EQ_INT(utf8_prefix(s, len, max), want[max]);
}

int main(void)
{
    RUN(test_decodes_one_to_four_bytes);
    RUN(test_refuses_what_is_not_a_character);
    RUN(test_walk_replaces_bad_bytes_and_stops_at_the_end);
    RUN(test_prefix_never_cuts_a_character);
    return CHECK_DONE();
}
