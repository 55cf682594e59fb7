/* api_parse_resume(): the server's reply (milliseconds), the brief's seconds, and bad replies
 * rejected without a position. */
#include "net/api.h"
#include "../check.h"

#include <errno.h>

static void test_replies(void)
{
    static const struct {
        const char *json;
        int rc;
        double want_s;
    } cases[] = {
        { "{\"item_id\": 12, \"position_ms\": 725000, \"updated_at\": \"2026-11-23T10:00:00Z\"}",
          0, 725.0 },
        { "{\"position_ms\": 0}", 0, 0.0 },
        { "{\"position_s\": 12.5}", 0, 12.5 },
        { "{\"position_ms\": -1}", -EINVAL, 0 },
        { "{\"position_ms\": 1.5}", -EINVAL, 0 },
        { "{\"position_ms\": \"12\"}", -EINVAL, 0 },
        { "{\"position_ms\": 1e30}", -EINVAL, 0 },
        { "{\"position_s\": -3}", -EINVAL, 0 },
        { "{}", -EINVAL, 0 },
        { "[]", -EINVAL, 0 },
        { "{\"position_ms\": 5} trailing", -EINVAL, 0 },
        { "", -EINVAL, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double pos = -1;
        char err[128];
        int rc = api_parse_resume(cases[i].json, &pos, err, sizeof(err));
        if (rc != cases[i].rc)
            printf("# case %zu: rc %d (%s)\n", i, rc, err);
        CHECK_EQ_INT(rc, cases[i].rc);
        CHECK(pos == cases[i].want_s);
        if (rc < 0)
            CHECK(err[0] != '\0');
    }
}

static void test_null_arguments(void)
{
    double pos;
    CHECK_EQ_INT(api_parse_resume(NULL, &pos, NULL, 0), -EINVAL);
    CHECK_EQ_INT(api_parse_resume("{\"position_ms\": 1}", NULL, NULL, 0), -EINVAL);
}

int main(void)
{
    RUN(test_replies);
    RUN(test_null_arguments);
    return CHECK_DONE();
}
