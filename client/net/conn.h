/* What every connection to the DJTV server has in common, whether a request (net.c) or the
 * event stream (events.c): only the pinned CA is trusted, the host name is checked, TLS 1.2+,
 * HTTPS only (redirects too), HTTP/1.1, no signals, the same user agent. Kept in one place
 * so the two threads cannot drift apart on security. */
#ifndef DJTV_CONN_H
#define DJTV_CONN_H

#include <curl/curl.h>
#include <pthread.h>

/* Set the shared options on e for url, trusting ca_file only. On failure returns the curl
 * error and *failed names the option that was refused. */
CURLcode conn_setup(CURL *e, const char *url, const char *ca_file, long connect_ms,
                    const char **failed);
/* Append "Authorization: Bearer <token>" to *l; the temporary copy of the token is wiped.
 * 0, or -ENOMEM (*l unchanged). */
int conn_add_bearer(struct curl_slist **l, const char *token);
/* 1 if s holds a control character (it would split a header or a URL). */
int conn_has_ctl(const char *s);
/* Start a network thread with every signal blocked: SIGINT/SIGTERM go to the main thread,
 * and a SIGPIPE from a dead TLS connection stays harmless. pthread_create's result. */
int conn_start_thread(pthread_t *t, void *(*run)(void *), void *arg);

#endif
