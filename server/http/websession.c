#define LOG_TAG "web"
#include "http/websession.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TABLE_MAX = 65536 }; /* cookie sessions alive at once; logins are rate limited */

struct idle_entry {
    int64_t session_id;
    time_t last;       /* the last request */
    time_t expires_at; /* the session's own end: the entry can go after it */
    int expired;       /* ended by idleness: refused until expires_at */
};

struct websession {
    pthread_mutex_t lock;
    int idle;                  /* seconds */
    struct idle_entry *entries; /* owned */
    size_t n, cap;
};

static int is_hex64(const char *s, size_t n)
{
    if (n != AUTH_TOKEN_HEX - 1)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    return 1;
}

int websession_cookie_token(const char *h, char out[AUTH_TOKEN_HEX])
{
    static const char name[] = WEBSESSION_COOKIE "=";
    out[0] = '\0';
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        size_t n = strcspn(h, ";");
        if (strncmp(h, name, sizeof(name) - 1) == 0) {
            const char *v = h + sizeof(name) - 1;
            size_t vn = n - (sizeof(name) - 1);
            while (vn && v[vn - 1] == ' ')
                vn--;
            if (!is_hex64(v, vn))
                return -ENOENT;
            memcpy(out, v, vn);
            out[vn] = '\0';
            return 0;
        }
        h += n;
    }
    return -ENOENT;
}

int websession_csrf_ok(const char *token, const char *given)
{
    char want[AUTH_CSRF_HEX];
    if (!given || strlen(given) != AUTH_CSRF_HEX - 1 || auth_csrf(token, want) < 0)
        return 0;
    return sodium_memcmp(want, given, AUTH_CSRF_HEX - 1) == 0;
}

int websession_same_origin(const char *origin, const char *host, const char *sec_fetch_site)
{
    if (sec_fetch_site && strcmp(sec_fetch_site, "cross-site") == 0)
        return 0;
    if (!origin)
        return 1; /* not a browser, or a same-origin GET form; the CSRF token still applies */
    if (!host || strncmp(origin, "https://", 8) != 0)
        return 0;
    return strcmp(origin + 8, host) == 0;
}

int websession_set_cookie(const char *token, long max_age, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; Secure; SameSite=Strict",
                     WEBSESSION_COOKIE, token ? token : "", token ? max_age : 0L);
    return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

int websession_create(int idle_seconds, struct websession **out)
{
    *out = NULL;
    if (idle_seconds < 1)
        return -EINVAL;
    struct websession *w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    if (pthread_mutex_init(&w->lock, NULL) != 0) {
        free(w);
        return -ENOMEM;
    }
    w->idle = idle_seconds;
    *out = w;
    return 0;
}

void websession_destroy(struct websession *w)
{
    if (!w)
        return;
    pthread_mutex_destroy(&w->lock);
    free(w->entries);
    free(w);
}

/* Drop entries of sessions past their own end (lock held). */
static void purge(struct websession *w, time_t now)
{
    size_t k = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->entries[i].expires_at > now)
            w->entries[k++] = w->entries[i];
    w->n = k;
}

int websession_touch(struct websession *w, int64_t session_id, time_t expires_at, time_t now)
{
    int rc = 0;
    pthread_mutex_lock(&w->lock);
    struct idle_entry *e = NULL;
    for (size_t i = 0; i < w->n && !e; i++)
        if (w->entries[i].session_id == session_id)
            e = &w->entries[i];
    if (e) {
        if (!e->expired && now - e->last > w->idle)
            e->expired = 1;
        if (e->expired)
            rc = -EKEYEXPIRED;
        else
            e->last = now;
        goto out;
    }
    if (w->n == w->cap) {
        purge(w, now);
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 64;
            struct idle_entry *grown =
                cap <= TABLE_MAX ? realloc(w->entries, cap * sizeof(*grown)) : NULL;
            if (!grown) {
                rc = -ENOMEM;
                goto out;
            }
            w->entries = grown;
            w->cap = cap;
        }
    }
    w->entries[w->n++] = (struct idle_entry){ session_id, now, expires_at, 0 };
out:
    pthread_mutex_unlock(&w->lock);
    return rc;
}

void websession_forget(struct websession *w, int64_t session_id)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    for (size_t i = 0; i < w->n; i++) {
        if (w->entries[i].session_id == session_id) {
            w->entries[i] = w->entries[--w->n];
            break;
        }
    }
    pthread_mutex_unlock(&w->lock);
}
