/* The live-now banner as an overlay (slot OVERLAY_LIVE): shown on every screen but full-
 * screen video while a broadcast the box may watch is live (fed by home from /home, which
 * re-reads on broadcast.started / .ended). When a broadcast starts the banner takes the OK
 * key (a ring and "按 确认 观看"): OK opens the meeting with heartbeats — one key. Any other
 * key gives OK back to the screen and goes on to it. */
#ifndef DJTV_LIVE_OVERLAY_H
#define DJTV_LIVE_OVERLAY_H

#include "app/overlay.h"

struct overlay *live_overlay_create(struct app_services *svc);

#endif
