/* The live-now banner: shown on every screen while a broadcast the box may watch is live.
 * Fed from the home data (live_now); drawn in the overlay layer. */
#ifndef DJTV_LIVE_BANNER_H
#define DJTV_LIVE_BANNER_H

#include "ui/overlay.h"

struct live_banner {
    char title[192];
    char scope[96];
    int count; /* broadcasts live now; 0 hides the banner */
};

extern const struct overlay_ops live_banner_ops;

void live_banner_init(struct live_banner *lb);
/* The first live broadcast and how many there are. count 0 clears. */
void live_banner_set(struct live_banner *lb, const char *title, const char *scope, int count);

#endif
