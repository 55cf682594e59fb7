/* A tiny blocking HTTPS client for server unit tests (GnuTLS, pinned to a test CA): connect,
 * send raw request text, read until a marker shows up or a deadline passes. Also makes the test
 * certificates with toolchain/make-certs.sh. All static inline. */
#ifndef DJTV_TLS_CLIENT_H
#define DJTV_TLS_CLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { TLS_CLIENT_BUF = 256 * 1024 };

struct tls_client {
    int fd;
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
    int have_session, have_cred;
    char *buf; /* owned: everything received so far, NUL-terminated */
    size_t len;
    int closed; /* the server closed the connection */
};

/* Make DIR/ca.pem, DIR/server.crt, DIR/server.key. 0 or -1. */
static inline int tls_make_certs(const char *dir)
{
    const char *top = getenv("DJTV_TOP");
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "%s/toolchain/make-certs.sh '%s'", top ? top : ".", dir);
    int rc = system(cmd);
    return rc == 0 ? 0 : -1;
}

static inline int64_t tls_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline void tls_close(struct tls_client *c)
{
    if (c->have_session) {
        gnutls_bye(c->s, GNUTLS_SHUT_WR);
        gnutls_deinit(c->s);
    }
    if (c->have_cred)
        gnutls_certificate_free_credentials(c->cred);
    if (c->fd >= 0)
        close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

static inline int tls_connect(struct tls_client *c, int port, const char *ca_path)
{
    memset(c, 0, sizeof(*c));
    c->fd = -1;
    c->buf = calloc(1, TLS_CLIENT_BUF);
    if (!c->buf)
        return -1;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0)
        goto fail;
    if (gnutls_certificate_allocate_credentials(&c->cred) < 0)
        goto fail;
    c->have_cred = 1;
    if (gnutls_certificate_set_x509_trust_file(c->cred, ca_path, GNUTLS_X509_FMT_PEM) <= 0)
        goto fail;
    if (gnutls_init(&c->s, GNUTLS_CLIENT) < 0)
        goto fail;
    c->have_session = 1;
    gnutls_set_default_priority(c->s);
    gnutls_credentials_set(c->s, GNUTLS_CRD_CERTIFICATE, c->cred);
    gnutls_session_set_verify_cert(c->s, "localhost", 0);
    gnutls_transport_set_int(c->s, c->fd);
    gnutls_handshake_set_timeout(c->s, 10000);
    int rc;
    do {
        rc = gnutls_handshake(c->s);
    } while (rc < 0 && !gnutls_error_is_fatal(rc));
    if (rc < 0)
        goto fail;
    return 0;

fail:
    tls_close(c);
    return -1;
}

static inline int tls_send(struct tls_client *c, const char *text)
{
    size_t n = strlen(text), off = 0;
    while (off < n) {
        ssize_t w = gnutls_record_send(c->s, text + off, n - off);
        if (w == GNUTLS_E_AGAIN || w == GNUTLS_E_INTERRUPTED)
            continue;
        if (w < 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* Read until NEEDLE occurs at or after FROM in the buffer (or the peer closes, or TIMEOUT_MS).
 * Returns a pointer to the match, or NULL. */
static inline const char *tls_wait_for(struct tls_client *c, size_t from, const char *needle,
                                       int timeout_ms)
{
    int64_t deadline = tls_now_ms() + timeout_ms;
    for (;;) {
        const char *hit = from <= c->len ? strstr(c->buf + from, needle) : NULL;
        if (hit)
            return hit;
        int64_t left = deadline - tls_now_ms();
        if (left <= 0 || c->closed || c->len + 1 >= TLS_CLIENT_BUF)
            return NULL;
        if (gnutls_record_check_pending(c->s) == 0) {
            struct timeval tv = { (time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000 };
            setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        }
        ssize_t r = gnutls_record_recv(c->s, c->buf + c->len, TLS_CLIENT_BUF - 1 - c->len);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
            continue;
        if (r <= 0) {
            c->closed = 1;
            continue;
        }
        c->len += (size_t)r;
        c->buf[c->len] = '\0';
    }
}

/* Read until the peer closes or TIMEOUT_MS passes; 1 if it closed. */
static inline int tls_wait_closed(struct tls_client *c, int timeout_ms)
{
    tls_wait_for(c, c->len, "\x01\x02never", timeout_ms);
    return c->closed;
}

#endif
