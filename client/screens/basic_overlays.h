/* The passive overlays: the live-now banner (svc->live) and toast notices (svc->notices),
 * drawn over every screen. They take no input (yet). */
#ifndef DJTV_BASIC_OVERLAYS_H
#define DJTV_BASIC_OVERLAYS_H

#include "app/overlay.h"

/* NULL on out of memory. */
struct overlay *live_overlay_create(struct app_services *svc);
struct overlay *notice_overlay_create(struct app_services *svc);

#endif
