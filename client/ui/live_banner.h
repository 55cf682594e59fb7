/* The live-now banner: shown on every screen while a broadcast the box may watch is live.
 * Fed from the home data (live_now); drawn by its overlay (screens/live_overlay.c). */
#ifndef DJTV_LIVE_BANNER_H
#define DJTV_LIVE_BANNER_H

#include "ui/ui.h"

struct live_banner {
    char title[192];
    char scope[96];
    int count; /* broadcasts live now; 0 hides the banner */
    int focused; /* OK joins: a ring and "确认 观看" (set by its overlay) */
};

void live_banner_init(struct live_banner *lb);
/* The first live broadcast and how many there are. count 0 clears. */
void live_banner_set(struct live_banner *lb, const char *title, const char *scope, int count);
int live_banner_visible(const struct live_banner *lb);
/* The band under the header, over the safe width. */
void live_banner_draw(const struct live_banner *lb, struct ui *ui);

#endif
