/* The home screen: the township, village and household, and the six sections as large
 * tiles. Fetches /api/v1/home on start, retries by itself when the server cannot be
 * reached, and refreshes quietly so counts and the live banner stay current.
 * The screen counts as loading until it has shown the server's data once (so a script's
 * `wait-screen home` waits for content, not for the error message). */
#ifndef DJTV_HOME_H
#define DJTV_HOME_H

#include "app/screen.h"

/* Starts the first request. NULL on out of memory. */
struct screen *home_screen_create(struct app_services *svc);

#endif
