/* The fixture of server_test.h plus people: a cadre of each village, a township staff member and
 * an admin, each with an open session (token in the struct), and the fixture's member ids.
 * Passwords: only the cadre of village A has a real one (random, hashed with argon2id), for the
 * login tests; the others carry a placeholder hash nobody can log in with. */
#ifndef DJTV_PEOPLE_FIXTURE_H
#define DJTV_PEOPLE_FIXTURE_H

#include <sodium.h>

#include "server_test.h"

struct people {
    int64_t cadre_a, cadre_b, staff, admin; /* account ids */
    int64_t s_cadre_a, s_cadre_b, s_staff, s_admin; /* session ids */
    char tok_cadre_a[AUTH_TOKEN_HEX], tok_cadre_b[AUTH_TOKEN_HEX];
    char tok_staff[AUTH_TOKEN_HEX], tok_admin[AUTH_TOKEN_HEX];
    char password_a[24]; /* cadre A's password */
    int64_t a1, a2, b1;  /* members: two of household A, one of household B */
};

static const char PEOPLE_NO_LOGIN[] = "$argon2id$v=19$m=65536,t=2,p=1$bm9sb2dpbg$bm9sb2dpbg";

static inline int people_account(struct store_tx *tx, const char *user, const char *role,
                                 int64_t org, const char *hash, int64_t *id, char *token,
                                 int64_t *session)
{
    struct store_account a = { .org_id = org };
    char th[AUTH_HASH_HEX];
    snprintf(a.username, sizeof(a.username), "%s", user);
    snprintf(a.display_name, sizeof(a.display_name), "%s 的名字", user);
    snprintf(a.role, sizeof(a.role), "%s", role);
    snprintf(a.password_hash, sizeof(a.password_hash), "%s", hash);
    time_t now = test_now();
    if (store_account_add(tx, &a, now, id) < 0 || auth_token_new(token) < 0 ||
        auth_token_hash(token, th) < 0)
        return -1;
    return store_session_add(tx, *id, th, now - 60, now + AUTH_SESSION_TTL, session) < 0 ? -1 : 0;
}

static inline int people_open(struct fixture *f, struct people *p)
{
    memset(p, 0, sizeof(*p));
    if (fixture_open(f) < 0)
        return -1;
    struct store_household h = { 0 };
    if (store_household_get(f->s, f->household_a, &h) < 0 || h.n_members != 2) {
        store_household_fini(&h);
        return -1;
    }
    p->a1 = h.members[0].id;
    p->a2 = h.members[1].id;
    store_household_fini(&h);
    if (store_household_get(f->s, f->household_b, &h) < 0 || h.n_members != 1) {
        store_household_fini(&h);
        return -1;
    }
    p->b1 = h.members[0].id;
    store_household_fini(&h);

    char hash[AUTH_PWHASH_MAX];
    for (size_t i = 0; i + 1 < sizeof(p->password_a); i++)
        p->password_a[i] = (char)('a' + randombytes_uniform(26));
    if (auth_password_hash(p->password_a, hash) < 0)
        return -1;
    struct store_tx *tx = NULL;
    if (store_tx_begin(f->s, &tx) < 0)
        return -1;
    if (people_account(tx, "cadre-a", "cadre", f->village_a, hash, &p->cadre_a, p->tok_cadre_a,
                       &p->s_cadre_a) < 0 ||
        people_account(tx, "cadre-b", "cadre", f->village_b, PEOPLE_NO_LOGIN, &p->cadre_b,
                       p->tok_cadre_b, &p->s_cadre_b) < 0 ||
        people_account(tx, "staff-1", "staff", f->township, PEOPLE_NO_LOGIN, &p->staff,
                       p->tok_staff, &p->s_staff) < 0 ||
        people_account(tx, "admin-1", "admin", f->township, PEOPLE_NO_LOGIN, &p->admin,
                       p->tok_admin, &p->s_admin) < 0) {
        store_tx_rollback(tx);
        return -1;
    }
    return store_tx_commit(tx) < 0 ? -1 : 0;
}

/* "Bearer TOKEN" into OUT. */
static inline const char *bearer(const char *token, char *out, size_t cap)
{
    snprintf(out, cap, "Bearer %s", token);
    return out;
}

#endif
