/* Demo accounts: a cadre (the branch secretary) for each village, two township staff and one
 * admin. Each gets a fresh random password, hashed with argon2id for the database; the plain
 * passwords go only to the accounts file (demo.c writes it, mode 0600). */
#define LOG_TAG "demo"
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"
#include "log.h"
#include "store/store.h"

/* No 0/O, 1/l/I: a person may have to type it from a printout. */
static const char ALPHABET[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static void random_password(char *out)
{
    for (int i = 0; i < DEMO_PASSWORD_LEN; i++)
        out[i] = ALPHABET[randombytes_uniform((uint32_t)(sizeof(ALPHABET) - 1))];
    out[DEMO_PASSWORD_LEN] = '\0';
}

/* A cadre signs in on the TV with a phone number and a PIN (digits only, for the remote). */
static int add_pin(struct demo_ctx *c, struct demo_account *d, int64_t account_id)
{
    char hash[AUTH_PWHASH_MAX];
    snprintf(d->phone, sizeof(d->phone), "1390000%04u", (unsigned)(c->n_accounts + 1) % 10000u);
    snprintf(d->pin, sizeof(d->pin), "%06u", (unsigned)randombytes_uniform(1000000));
    int rc = auth_password_hash(d->pin, hash);
    if (rc == 0)
        rc = store_account_set_pin(c->tx, account_id, d->phone, hash);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

static int add(struct demo_ctx *c, const char *username, const char *display, const char *role,
               int64_t org, const char *org_name)
{
    int64_t id = 0;
    struct demo_account *d = &c->accounts[c->n_accounts];
    struct store_account a = { .org_id = org };
    memset(d, 0, sizeof(*d));
    snprintf(d->username, sizeof(d->username), "%s", username);
    d->role = role;
    d->org_name = org_name;
    random_password(d->password);
    snprintf(a.username, sizeof(a.username), "%s", username);
    snprintf(a.display_name, sizeof(a.display_name), "%s", display);
    snprintf(a.role, sizeof(a.role), "%s", role);
    int rc = auth_password_hash(d->password, a.password_hash);
    if (rc == 0)
        rc = store_account_add(c->tx, &a, c->now, &id);
    sodium_memzero(a.password_hash, sizeof(a.password_hash));
    if (rc == 0 && strcmp(role, "cadre") == 0)
        rc = add_pin(c, d, id);
    if (rc < 0) {
        log_error("demo account %s: %s", username, strerror(-rc));
        return rc;
    }
    c->n_accounts++;
    return 0;
}

int demo_accounts_add(struct demo_ctx *c)
{
    c->accounts = calloc((size_t)c->n_villages + 3, sizeof(*c->accounts));
    if (!c->accounts)
        return -ENOMEM;
    char user[32], display[STORE_NAME_MAX];
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->n_villages; i++) {
        snprintf(user, sizeof(user), "cadre%02d", i + 1);
        snprintf(display, sizeof(display), "%s党支部书记", c->villages[i].name);
        rc = add(c, user, display, "cadre", c->villages[i].id, c->villages[i].name);
    }
    snprintf(display, sizeof(display), "%s党建办", c->township_name);
    if (rc == 0)
        rc = add(c, "staff1", display, "staff", c->township_id, c->township_name);
    snprintf(display, sizeof(display), "%s便民服务中心", c->township_name);
    if (rc == 0)
        rc = add(c, "staff2", display, "staff", c->township_id, c->township_name);
    if (rc == 0)
        rc = add(c, "admin", "系统管理员", "admin", c->township_id, c->township_name);
    if (rc == 0)
        c->stats->accounts = c->n_accounts;
    return rc;
}
