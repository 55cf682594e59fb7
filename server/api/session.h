/* Opening a login session, shared by the password login (session.c) and the cadre's PIN
 * login on the activity-room box (pin_session.c). */
#ifndef DJTV_API_SESSION_H
#define DJTV_API_SESSION_H

#include <cJSON.h>

#include "api/api.h"
#include "store/store.h"

/* A new session for account A (checked already): the login reply into *out, with the token,
 * or (WEB) with the CSRF token while the token goes to the browser's cookie. 0 or -errno. */
int api_session_issue(const struct api_request *req, const struct store_account *a, int web,
                      cJSON **out);

#endif
