#define LOG_TAG "auth"
#include "auth/auth.h"

#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "store/store.h"

int auth_init(void)
{
    return sodium_init() < 0 ? -EIO : 0;
}

int auth_allows(const struct caller *who, enum auth_access need)
{
    enum caller_kind k = who ? who->kind : CALLER_NONE;
    switch (need) {
    case ACCESS_PUBLIC:
        return 1;
    case ACCESS_BOX:
        return k == CALLER_BOX;
    case ACCESS_CADRE:
        return k == CALLER_CADRE || k == CALLER_STAFF || k == CALLER_ADMIN;
    case ACCESS_STAFF:
        return k == CALLER_STAFF || k == CALLER_ADMIN;
    case ACCESS_ADMIN:
        return k == CALLER_ADMIN;
    case ACCESS_SIGNED_IN:
        return k != CALLER_NONE;
    case ACCESS_PUBLISHER:
        return 0;
    }
    return 0;
}

const char *auth_access_name(enum auth_access a)
{
    switch (a) {
    case ACCESS_PUBLIC:
        return "public";
    case ACCESS_BOX:
        return "box";
    case ACCESS_CADRE:
        return "cadre";
    case ACCESS_STAFF:
        return "staff";
    case ACCESS_ADMIN:
        return "admin";
    case ACCESS_SIGNED_IN:
        return "signed_in";
    case ACCESS_PUBLISHER:
        return "publisher";
    }
    return "?";
}

int auth_token_new(char out[AUTH_TOKEN_HEX])
{
    unsigned char raw[AUTH_TOKEN_BYTES];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, AUTH_TOKEN_HEX, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
    return 0;
}

int auth_token_hash(const char *token, char out[AUTH_HASH_HEX])
{
    unsigned char raw[AUTH_TOKEN_BYTES];
    unsigned char digest[crypto_hash_sha256_BYTES];
    size_t len = 0;
    const char *end = NULL;
    out[0] = '\0';
    if (!token || strlen(token) != 2 * AUTH_TOKEN_BYTES)
        return -EINVAL;
    if (sodium_hex2bin(raw, sizeof(raw), token, 2 * AUTH_TOKEN_BYTES, NULL, &len, &end) != 0 ||
        len != sizeof(raw) || *end != '\0')
        return -EINVAL;
    /* Hash the bytes, not the text, so upper- and lower-case spellings are the same token. */
    crypto_hash_sha256(digest, raw, sizeof(raw));
    sodium_bin2hex(out, AUTH_HASH_HEX, digest, sizeof(digest));
    sodium_memzero(raw, sizeof(raw));
    return 0;
}

/* Point *TOKEN at the credentials of a "Bearer <token>" header value (scheme is
 * case-insensitive, RFC 6750). The token runs to the end minus trailing spaces. */
static int bearer_token(const char *header, char *token, size_t cap)
{
    static const char scheme[] = "Bearer";
    size_t slen = sizeof(scheme) - 1;
    if (!header || strncasecmp(header, scheme, slen) != 0 || header[slen] != ' ')
        return -EACCES;
    const char *p = header + slen;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n > 0 && isspace((unsigned char)p[n - 1]))
        n--;
    if (n == 0 || n >= cap)
        return -EACCES;
    memcpy(token, p, n);
    token[n] = '\0';
    return 0;
}

/* A token that is no box's: a login session's? */
static int resolve_session(struct store *s, const char *hash, time_t now, struct caller *who)
{
    struct store_session_ident si;
    int rc = store_session_by_token_hash(s, hash, &si);
    if (rc == -ENOENT) {
        log_debug("unknown or revoked token");
        return -EACCES;
    }
    if (rc < 0)
        return rc;
    if (si.disabled)
        return -EACCES;
    if (si.expires_at <= now)
        return -EKEYEXPIRED;
    if (strcmp(si.role, "cadre") == 0)
        who->kind = CALLER_CADRE;
    else if (strcmp(si.role, "staff") == 0)
        who->kind = CALLER_STAFF;
    else if (strcmp(si.role, "admin") == 0)
        who->kind = CALLER_ADMIN;
    else
        return -EACCES;
    who->village_id = si.village_id;
    who->township_id = si.township_id;
    who->account_id = si.account_id;
    who->session_id = si.session_id;
    who->expires_at = si.expires_at;
    return 0;
}

int auth_resolve_at(struct store *s, const char *authorization, time_t now, struct caller *who)
{
    char token[AUTH_TOKEN_HEX];
    char hash[AUTH_HASH_HEX];
    memset(who, 0, sizeof(*who));
    int rc = bearer_token(authorization, token, sizeof(token));
    if (rc == 0)
        rc = auth_token_hash(token, hash) < 0 ? -EACCES : 0;
    sodium_memzero(token, sizeof(token));
    if (rc < 0)
        return rc;
    struct store_box_ident box;
    rc = store_box_by_token_hash(s, hash, &box);
    if (rc == -ENOENT) {
        rc = resolve_session(s, hash, now, who);
        if (rc < 0)
            memset(who, 0, sizeof(*who));
        return rc;
    }
    if (rc < 0)
        return rc;
    who->kind = CALLER_BOX;
    who->box_id = box.box_id;
    who->household_id = box.household_id;
    who->village_id = box.village_id;
    who->township_id = box.township_id;
    return 0;
}

int auth_csrf(const char *token, char out[AUTH_CSRF_HEX])
{
    static const char label[] = "djtv dashboard csrf v1";
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    out[0] = '\0';
    if (!token || strlen(token) != 2 * AUTH_TOKEN_BYTES)
        return -EINVAL;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)token, strlen(token));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, sizeof(label) - 1);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, AUTH_CSRF_HEX, mac, sizeof(mac));
    sodium_memzero(&st, sizeof(st));
    return 0;
}

int auth_resolve(struct store *s, const char *authorization, struct caller *who)
{
    return auth_resolve_at(s, authorization, time(NULL), who);
}

/* The hash of a random password nobody knows: verifying against it costs what a real verify
 * costs. */
static const char BURN_HASH[] =
    "$argon2id$v=19$m=65536,t=2,p=1$TWxw3fclyLtKwa15+6HmMg"
    "$DzjneAEe27bo17hZnhghwS/X8N+AFtM+uk0TMzVKhDg";

int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX])
{
    out[0] = '\0';
    size_t n = password ? strlen(password) : 0;
    if (n == 0 || n > AUTH_PASSWORD_MAX)
        return -EINVAL;
    _Static_assert(AUTH_PWHASH_MAX >= crypto_pwhash_STRBYTES, "room for the hash string");
    if (crypto_pwhash_str(out, password, n, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return -ENOMEM; /* the only way it fails: the 64 MiB could not be had */
    return 0;
}

int auth_password_verify(const char *hash, const char *password)
{
    size_t n = password ? strlen(password) : 0;
    if (!hash || n == 0 || n > AUTH_PASSWORD_MAX)
        return -EACCES;
    return crypto_pwhash_str_verify(hash, password, n) == 0 ? 0 : -EACCES;
}

int auth_password_burn(const char *password)
{
    auth_password_verify(BURN_HASH, password && *password ? password : "x");
    return -EACCES;
}
