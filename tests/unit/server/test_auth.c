/* Tokens: generation, hashing, and resolving a bearer header against a real SQLite database
 * that stores only the hashes. */
#include <errno.h>

#include "../check.h"
#include "server_test.h"
#include "util/fileio.h"

static int is_lower_hex(const char *s, size_t n)
{
    if (strlen(s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int contains(const char *hay, size_t len, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static void test_token_new_is_random_hex(void)
{
    char a[AUTH_TOKEN_HEX], b[AUTH_TOKEN_HEX];
    CHECK_EQ_INT(auth_init(), 0);
    CHECK_EQ_INT(auth_token_new(a), 0);
    CHECK_EQ_INT(auth_token_new(b), 0);
    CHECK(is_lower_hex(a, 64));
    CHECK(is_lower_hex(b, 64));
    CHECK(strcmp(a, b) != 0);
}

static void test_token_hash(void)
{
    char h[AUTH_HASH_HEX], h2[AUTH_HASH_HEX];
    /* SHA-256 of 32 zero bytes (the decoded token), a known vector. */
    CHECK_EQ_INT(auth_token_hash("0000000000000000000000000000000000000000000000000000000000000000",
                                 h),
                 0);
    CHECK_EQ_STR(h, "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
    /* Case does not matter: the bytes are hashed. */
    CHECK_EQ_INT(auth_token_hash("ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789",
                                 h),
                 0);
    CHECK_EQ_INT(auth_token_hash("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
                                 h2),
                 0);
    CHECK_EQ_STR(h, h2);
    CHECK(is_lower_hex(h, 64));
    static const char *const bad[] = {
        "",
        "abc",
        "000000000000000000000000000000000000000000000000000000000000000",   /* 63 */
        "00000000000000000000000000000000000000000000000000000000000000000", /* 65 */
        "000000000000000000000000000000000000000000000000000000000000000g",
        "00000000000000000000000000000000 0000000000000000000000000000000",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ_INT(auth_token_hash(bad[i], h), -EINVAL);
    CHECK_EQ_INT(auth_token_hash(NULL, h), -EINVAL);
}

static void test_resolve_against_db(void)
{
    struct fixture f;
    CHECK_EQ_INT(fixture_open(&f), 0);
    if (!f.s) {
        fixture_close(&f);
        return;
    }
    char header[128];
    struct caller who;
    snprintf(header, sizeof(header), "Bearer %s", f.token_a);
    CHECK_EQ_INT(auth_resolve(f.s, header, &who), 0);
    CHECK_EQ_INT(who.kind, CALLER_BOX);
    CHECK_EQ_INT(who.box_id, f.box_a);
    CHECK_EQ_INT(who.household_id, f.household_a);
    CHECK_EQ_INT(who.village_id, f.village_a);
    CHECK_EQ_INT(who.township_id, f.township);

    snprintf(header, sizeof(header), "Bearer %s", f.token_b);
    CHECK_EQ_INT(auth_resolve(f.s, header, &who), 0);
    CHECK_EQ_INT(who.box_id, f.box_b);
    CHECK_EQ_INT(who.village_id, f.village_b);

    /* Revoked box, unknown token, malformed headers: all refused, caller left empty. */
    snprintf(header, sizeof(header), "Bearer %s", f.token_c);
    CHECK_EQ_INT(auth_resolve(f.s, header, &who), -EACCES);
    CHECK_EQ_INT(who.kind, CALLER_NONE);
    CHECK_EQ_INT(who.box_id, 0);
    char unknown[AUTH_TOKEN_HEX];
    auth_token_new(unknown);
    snprintf(header, sizeof(header), "Bearer %s", unknown);
    CHECK_EQ_INT(auth_resolve(f.s, header, &who), -EACCES);
    static const char *const bad[] = { NULL, "", "Bearer", "Bearer ", "Token abc", "Bearerabc",
                                       "Basic dXNlcjpwYXNz" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ_INT(auth_resolve(f.s, bad[i], &who), -EACCES);
    /* The token followed by more words is not the token. */
    snprintf(header, sizeof(header), "Bearer %s x", f.token_a);
    CHECK_EQ_INT(auth_resolve(f.s, header, &who), -EACCES);

    /* The database holds the hash, never the token. */
    char hash[AUTH_HASH_HEX];
    auth_token_hash(f.token_a, hash);
    store_close(f.s); /* checkpoint everything into the main file */
    f.s = NULL;
    char *bytes = NULL;
    size_t len = 0;
    CHECK_EQ_INT(fileio_read(f.db, 16 * 1024 * 1024, &bytes, &len), 0);
    CHECK(bytes && contains(bytes, len, hash, 64));
    CHECK(bytes && !contains(bytes, len, f.token_a, 64));
    CHECK(bytes && !contains(bytes, len, f.token_b, 64));
    free(bytes);
    fixture_close(&f);
}

int main(void)
{
    RUN(test_token_new_is_random_hex);
    RUN(test_token_hash);
    RUN(test_resolve_against_db);
    return CHECK_DONE();
}
