/* The dashboard's browser sessions without a network: the session cookie read from a Cookie
 * header, the CSRF token and its check, the same-origin rule for changes, the Set-Cookie
 * attributes, and the idle clock. */
#include <errno.h>
#include <string.h>

#include "../check.h"
#include "auth/auth.h"
#include "http/websession.h"

static const char TOKEN[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_cookie_token(void)
{
    static const struct {
        const char *header;
        int rc;
    } cases[] = {
        { "__Host-djtv_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          0 },
        { "a=b; __Host-djtv_session=0123456789abcdef0123456789abcdef0123456789abcdef01234567"
          "89abcdef; c=d",
          0 },
        { "x__Host-djtv_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          -ENOENT },
        { "djtv_session=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
          -ENOENT },
        { "__Host-djtv_session=0123", -ENOENT },
        { "__Host-djtv_session=0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
          -ENOENT },
        { "__Host-djtv_session=<script>alert(1)</script>", -ENOENT },
        { "__Host-djtv_session=", -ENOENT },
        { "", -ENOENT },
        { NULL, -ENOENT },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[AUTH_TOKEN_HEX];
        CHECK_EQ_INT(websession_cookie_token(cases[i].header, out), cases[i].rc);
        if (cases[i].rc == 0)
            CHECK_EQ_STR(out, TOKEN);
    }
}

static void test_csrf(void)
{
    char a[AUTH_CSRF_HEX], b[AUTH_CSRF_HEX];
    CHECK_EQ_INT(auth_csrf(TOKEN, a), 0);
    CHECK_EQ_INT((int)strlen(a), 64);
    CHECK(strcmp(a, TOKEN) != 0);
    CHECK_EQ_INT(auth_csrf(TOKEN, b), 0);
    CHECK_EQ_STR(a, b); /* stable: a reload of the page learns the same one */
    char other[] = "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    CHECK_EQ_INT(auth_csrf(other, b), 0);
    CHECK(strcmp(a, b) != 0);
    CHECK_EQ_INT(auth_csrf("short", b), -EINVAL);
    CHECK_EQ_INT(websession_csrf_ok(TOKEN, a), 1);
    CHECK_EQ_INT(websession_csrf_ok(TOKEN, b), 0);
    CHECK_EQ_INT(websession_csrf_ok(TOKEN, NULL), 0);
    CHECK_EQ_INT(websession_csrf_ok(TOKEN, ""), 0);
    a[63] = a[63] == '0' ? '1' : '0';
    CHECK_EQ_INT(websession_csrf_ok(TOKEN, a), 0);
}

static void test_same_origin(void)
{
    static const struct {
        const char *origin, *host, *site;
        int ok;
    } cases[] = {
        { NULL, "127.0.0.1:8443", NULL, 1 },
        { "https://127.0.0.1:8443", "127.0.0.1:8443", "same-origin", 1 },
        { "https://127.0.0.1:8443", "127.0.0.1:8443", NULL, 1 },
        { NULL, "127.0.0.1:8443", "cross-site", 0 },
        { "https://evil.example", "127.0.0.1:8443", NULL, 0 },
        { "http://127.0.0.1:8443", "127.0.0.1:8443", NULL, 0 },
        { "https://127.0.0.1:8443.evil.example", "127.0.0.1:8443", NULL, 0 },
        { "https://127.0.0.1:8443", "127.0.0.1:8443", "cross-site", 0 },
        { "null", "127.0.0.1:8443", NULL, 0 },
        { "https://127.0.0.1:8443", NULL, NULL, 0 },
        { "https://127.0.0.1:8443", "127.0.0.1:8443", "same-site", 1 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_EQ_INT(websession_same_origin(cases[i].origin, cases[i].host, cases[i].site),
                     cases[i].ok);
}

static void test_set_cookie(void)
{
    char out[WEBSESSION_SET_COOKIE_MAX];
    CHECK_EQ_INT(websession_set_cookie(TOKEN, 43200, out, sizeof(out)), 0);
    CHECK(strncmp(out, "__Host-djtv_session=0123", 24) == 0);
    CHECK(strstr(out, "; HttpOnly") && strstr(out, "; Secure") && strstr(out, "SameSite=Strict"));
    CHECK(strstr(out, "Path=/;") && strstr(out, "Max-Age=43200"));
    CHECK(!strstr(out, "Domain"));
    CHECK_EQ_INT(websession_set_cookie(NULL, 43200, out, sizeof(out)), 0);
    CHECK(strstr(out, "__Host-djtv_session=;") && strstr(out, "Max-Age=0;"));
    CHECK_EQ_INT(websession_set_cookie(TOKEN, 1, out, 40), -ENOSPC);
}

static void test_idle_clock(void)
{
    struct websession *w = NULL;
    CHECK_EQ_INT(websession_create(0, &w), -EINVAL);
    CHECK_EQ_INT(websession_create(60, &w), 0);
    if (!w)
        return;
    time_t t0 = 1000000, end = t0 + 43200;
    CHECK_EQ_INT(websession_touch(w, 7, end, t0), 0);       /* new: fresh */
    CHECK_EQ_INT(websession_touch(w, 7, end, t0 + 59), 0);  /* used: the clock restarts */
    CHECK_EQ_INT(websession_touch(w, 7, end, t0 + 118), 0); /* 59 s after the last */
    CHECK_EQ_INT(websession_touch(w, 8, end, t0 + 118), 0);
    CHECK_EQ_INT(websession_touch(w, 7, end, t0 + 179), -EKEYEXPIRED); /* 61 s idle */
    CHECK_EQ_INT(websession_touch(w, 7, end, t0 + 180), -EKEYEXPIRED); /* stays expired */
    CHECK_EQ_INT(websession_touch(w, 8, end, t0 + 170), 0); /* another session is not touched */
    websession_forget(w, 8);
    CHECK_EQ_INT(websession_touch(w, 8, end, t0 + 1000), 0); /* forgotten = new */
    /* Many sessions: the table grows, and ended sessions make room. */
    for (int64_t id = 100; id < 1100; id++)
        CHECK_EQ_INT(websession_touch(w, id, t0 + 10, t0), 0);
    for (int64_t id = 2000; id < 3000; id++)
        CHECK_EQ_INT(websession_touch(w, id, end, t0 + 20), 0);
    CHECK_EQ_INT(websession_touch(w, 7, end, t0 + 20), -EKEYEXPIRED);
    websession_destroy(w);
    websession_destroy(NULL);
}

int main(void)
{
    if (auth_init() < 0)
        return 2;
    RUN(test_cookie_token);
    RUN(test_csrf);
    RUN(test_same_origin);
    RUN(test_set_cookie);
    RUN(test_idle_clock);
    return CHECK_DONE();
}
