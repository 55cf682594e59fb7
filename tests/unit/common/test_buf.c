#include "buf.h"
#include "log.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>

static void test_append_grows_and_terminates(void)
{
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 1000; i++)
        CHECK_EQ_INT(buf_append_str(&b, "ab"), 0);
    CHECK_EQ_INT(b.len, 2000);
    CHECK_EQ_INT(b.data[2000], '\0');
    CHECK_EQ_INT(buf_printf(&b, "%d-%s", 42, "x"), 0);
    CHECK_EQ_STR(b.data + 2000, "42-x");
    buf_fini(&b);
}

static void test_cap_refuses_and_keeps_content(void)
{
    struct buf b;
    buf_init(&b, 8);
    CHECK_EQ_INT(buf_append_str(&b, "12345"), 0);
    CHECK_EQ_INT(buf_append_str(&b, "6789"), -E2BIG);
    CHECK_EQ_STR(b.data, "12345");
    CHECK_EQ_INT(buf_append_str(&b, "678"), 0);
    CHECK_EQ_STR(b.data, "12345678");
    CHECK_EQ_INT(buf_printf(&b, "%s", "x"), -E2BIG);
    buf_fini(&b);
}

static void test_steal_empty_gives_string(void)
{
    struct buf b;
    buf_init(&b, 0);
    char *s = buf_steal(&b);
    CHECK(s != NULL && s[0] == '\0');
    free(s);
    buf_append_str(&b, "hi");
    s = buf_steal(&b);
    CHECK_EQ_STR(s, "hi");
    CHECK(b.data == NULL && b.len == 0);
    free(s);
}

static void test_log_level_parse(void)
{
    enum log_level l;
    CHECK_EQ_INT(log_level_parse("debug", &l), 0);
    CHECK_EQ_INT(l, LOG_DEBUG);
    CHECK_EQ_INT(log_level_parse("WARN", &l), 0);
    CHECK_EQ_INT(l, LOG_WARN);
    CHECK_EQ_INT(log_level_parse("loud", &l), -EINVAL);
}

int main(void)
{
    RUN(test_append_grows_and_terminates);
    RUN(test_cap_refuses_and_keeps_content);
    RUN(test_steal_empty_gives_string);
    RUN(test_log_level_parse);
    return CHECK_DONE();
}
