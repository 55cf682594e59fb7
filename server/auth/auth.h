/* Who is calling, and what they may do. Today a caller is a set-top box identified by a bearer
 * token; cadres, township staff and admins come with the next issues and fit the same struct.
 * Tokens: 32 random bytes as 64 lowercase hex characters. The database keeps only the SHA-256 of
 * the decoded bytes (hex), so a leaked database does not leak working tokens. Never log tokens. */
#ifndef DJTV_AUTH_H
#define DJTV_AUTH_H

#include <stdint.h>
#include <time.h>

struct store;

/* The level a route requires. */
enum auth_access {
    ACCESS_PUBLIC = 0, /* anyone, no token */
    ACCESS_BOX,        /* a household's set-top box */
    ACCESS_CADRE,      /* a village cadre (or anyone above) */
    ACCESS_STAFF,      /* township staff (or admin) */
    ACCESS_ADMIN,
    ACCESS_SIGNED_IN, /* any caller with a valid token or session: a box or any person */
    ACCESS_PUBLISHER, /* a broadcast's publishing key, not a caller: live/ checks it */
};

enum caller_kind {
    CALLER_NONE = 0, /* no credentials */
    CALLER_BOX,
    CALLER_CADRE,
    CALLER_STAFF,
    CALLER_ADMIN,
};

struct caller {
    enum caller_kind kind;
    int64_t box_id;       /* CALLER_BOX: the box */
    int64_t household_id; /* CALLER_BOX: its household */
    int64_t village_id;   /* its village (a cadre's too, later) */
    int64_t township_id;  /* its township */
    int64_t account_id;   /* CALLER_CADRE, _STAFF, _ADMIN: the account */
    int64_t session_id;   /* ... and the session the token opened */
    time_t expires_at;    /* when that session ends; 0 for a box (its token lasts until revoked) */
};

enum {
    AUTH_TOKEN_BYTES = 32,
    AUTH_TOKEN_HEX = 2 * AUTH_TOKEN_BYTES + 1, /* hex + NUL */
    AUTH_HASH_HEX = 65,                        /* SHA-256 hex + NUL */
    AUTH_SESSION_TTL = 12 * 3600, /* a login session lasts 12 h from login (fixed, not sliding) */
    AUTH_PASSWORD_MAX = 128,      /* bytes */
    AUTH_PWHASH_MAX = 128,        /* crypto_pwhash_STRBYTES */
    AUTH_CSRF_HEX = 65,           /* HMAC-SHA-256 hex + NUL */
};

/* Initialise the crypto library; call once before the other functions. 0 or -EIO. */
int auth_init(void);

/* 1 when WHO may call a route that requires NEED, else 0. A box is a device, not a person:
 * box routes take boxes only; people routes take that level or higher; signed-in routes take
 * any caller; publisher routes take no caller (their key is checked by live/). */
int auth_allows(const struct caller *who, enum auth_access need);
const char *auth_access_name(enum auth_access a);

/* A fresh random token (hex) into OUT. 0 or negative errno. */
int auth_token_new(char out[AUTH_TOKEN_HEX]);
/* The stored form of TOKEN. -EINVAL when TOKEN is not 64 hex characters. */
int auth_token_hash(const char *token, char out[AUTH_HASH_HEX]);

/* The CSRF token of a login session's TOKEN (the dashboard sends it with every change it asks
 * for; see http/websession.h): HMAC-SHA-256 keyed by the token, as hex. 0 or -EINVAL. */
int auth_csrf(const char *token, char out[AUTH_CSRF_HEX]);

/* Resolve an Authorization header value ("Bearer <token>") into *WHO.
 * -EACCES when the header is missing, malformed, or names no active box; other negative errno
 * when the database failed (the caller is then unknown, not refused). */
int auth_resolve(struct store *s, const char *authorization, struct caller *who);
/* The same at time NOW, for people too: the token may be a box's or a login session's. An
 * expired session is -EKEYEXPIRED (answered 401 "session_expired"); a disabled account's
 * session is -EACCES. */
int auth_resolve_at(struct store *s, const char *authorization, time_t now, struct caller *who);

/* Passwords: libsodium's crypto_pwhash_str (argon2id, OPSLIMIT/MEMLIMIT_INTERACTIVE: about
 * 0.1 s and 64 MiB per call). Hash into OUT; 0, -EINVAL (empty or too long) or -ENOMEM. */
int auth_password_hash(const char *password, char out[AUTH_PWHASH_MAX]);
/* 0 when PASSWORD matches HASH, else -EACCES. */
int auth_password_verify(const char *hash, const char *password);
/* As long as a verify, for a user that does not exist (no timing oracle). Always -EACCES. */
int auth_password_burn(const char *password);

#endif
