#include "net/conn.h"

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "buf.h"
#include "net/tls.h"
#include "version.h"

#define SET(opt, val)                                                                      \
    do {                                                                                   \
        CURLcode set_rc_ = curl_easy_setopt(e, (opt), (val));                              \
        if (set_rc_ != CURLE_OK) {                                                         \
            *failed = #opt;                                                                \
            return set_rc_;                                                                \
        }                                                                                  \
    } while (0)

/* Not configurable on purpose. */
CURLcode conn_setup(CURL *e, const char *url, const char *ca_file, long connect_ms,
                    const char **failed)
{
    SET(CURLOPT_URL, url);
    CURLcode tls_rc = net_tls_pin(e, ca_file); /* the one TLS policy (tls.c) */
    if (tls_rc != CURLE_OK) {
        *failed = "the TLS options";
        return tls_rc;
    }
    SET(CURLOPT_NOSIGNAL, 1L);
    /* A destroy during a DNS lookup must not wait for the resolver thread. */
    SET(CURLOPT_QUICK_EXIT, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_USERAGENT, "djtv-client/" DJTV_VERSION);
    return CURLE_OK;
}
#undef SET

int conn_add_bearer(struct curl_slist **l, const char *token)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = buf_printf(&b, "Authorization: Bearer %s", token);
    if (rc == 0) {
        struct curl_slist *next = curl_slist_append(*l, b.data);
        if (next)
            *l = next;
        else
            rc = -ENOMEM;
    }
    if (b.data)
        explicit_bzero(b.data, b.len); /* the token lives on only in the slist */
    buf_fini(&b);
    return rc;
}

int conn_has_ctl(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            return 1;
    }
    return 0;
}

int conn_start_thread(pthread_t *t, void *(*run)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    int saved = pthread_sigmask(SIG_SETMASK, &all, &old) == 0;
    int rc = pthread_create(t, NULL, run, arg);
    if (saved)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
