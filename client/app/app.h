/* The TV app: window, main loop, screen stack, overlays, network events, scripted runs.
 * SDL, SDL_ttf, SDL_image and libcurl are initialised by main() before app_run(). */
#ifndef DJTV_APP_H
#define DJTV_APP_H

#include "app/config.h"

/* Runs until the window closes, SIGINT/SIGTERM, or the key script ends.
 * Returns 0, or 1 after a start-up error (logged). */
int app_run(const struct app_config *cfg);

#endif
