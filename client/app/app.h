/* The TV app: window, main loop, screen stack, overlays, network events, scripted runs.
 * SDL, SDL_ttf, SDL_image and libcurl are initialised by main() before app_run(). */
#ifndef DJTV_APP_H
#define DJTV_APP_H

#include "app/config.h"
#include "app/overlay.h"
#include "app/screen.h"

/* What the app starts with, chosen by main.c (the app itself knows no screen). */
struct app_start {
    /* The bottom screen, never popped (home; the player in --play mode). NULL = failure. */
    struct screen *(*first_screen)(struct app_services *svc, const struct app_config *cfg);
    /* Optional: fill the overlay slots (overlays_set). 0 or a negative errno. */
    int (*install_overlays)(struct overlays *ov, struct app_services *svc,
                            const struct app_config *cfg);
};

/* Runs until the window closes, SIGINT/SIGTERM, or the key script ends.
 * Returns 0, or 1 after a start-up error (logged). */
int app_run(const struct app_config *cfg, const struct app_start *start);

#endif
