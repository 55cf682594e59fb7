/* Browser sessions of the township dashboard. A person who logs in from the dashboard gets the
 * same login session as a bearer token, but carried in a cookie the page's scripts cannot read
 * (HttpOnly, Secure, SameSite=Strict, __Host- prefix). Because a browser sends cookies by
 * itself, a request authenticated by the cookie must also prove it comes from our own page:
 *  - a state-changing request (anything but GET/HEAD) must carry X-CSRF-Token equal to the
 *    session's CSRF token, an HMAC of the session token that only our page learns (from the
 *    login reply or GET /api/v1/sessions/current, which a cross-site page cannot read);
 *  - a state-changing request whose Origin is not our own, or that the browser marks
 *    Sec-Fetch-Site: cross-site, is refused whatever its credentials.
 * Cookie sessions also end after a time without requests (idle expiry), tracked in memory:
 * no write per request, and a restart only restarts the idle clock. */
#ifndef DJTV_WEBSESSION_H
#define DJTV_WEBSESSION_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "auth/auth.h"

#define WEBSESSION_COOKIE "__Host-djtv_session"
#define WEBSESSION_CSRF_HEADER "X-CSRF-Token"

enum {
    WEBSESSION_IDLE_DEFAULT = 1800,  /* seconds without a request before a cookie session ends */
    WEBSESSION_SET_COOKIE_MAX = 200, /* a Set-Cookie value fits this */
};

struct websession;

/* The session token in a Cookie header (our cookie among others) into OUT: 0, or -ENOENT when
 * there is none or it is not 64 hex characters. */
int websession_cookie_token(const char *cookie_header, char out[AUTH_TOKEN_HEX]);
/* 1 when GIVEN (the X-CSRF-Token header, may be NULL) is TOKEN's CSRF token, compared in
 * constant time; else 0. */
int websession_csrf_ok(const char *token, const char *given);
/* 1 when a request with these headers (each may be NULL) may change state: no Origin or our own
 * ("https://" + HOST), and not marked cross-site by the browser. */
int websession_same_origin(const char *origin, const char *host, const char *sec_fetch_site);
/* The Set-Cookie value that hands TOKEN to the browser for MAX_AGE seconds, or (TOKEN NULL)
 * the one that deletes the cookie. 0 or -ENOSPC. */
int websession_set_cookie(const char *token, long max_age, char *out, size_t cap);

/* The idle clock of cookie sessions: a table of (session id, last request) in memory. */
int websession_create(int idle_seconds, struct websession **out);
void websession_destroy(struct websession *w);
/* A request of SESSION_ID (which ends for good at EXPIRES_AT) at NOW: 0 (and the clock restarts)
 * while the session was used in the last idle_seconds or is new to the table; -EKEYEXPIRED when
 * it sat idle too long (it stays expired until EXPIRES_AT). -ENOMEM when the table is full. */
int websession_touch(struct websession *w, int64_t session_id, time_t expires_at, time_t now);
/* Drop SESSION_ID (logout). */
void websession_forget(struct websession *w, int64_t session_id);

#endif
