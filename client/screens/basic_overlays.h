/* The passive overlay: toast notices (svc->notices), drawn over every screen. It takes no
 * input. (The live banner, which joins the meeting, is screens/live_overlay.c.) */
#ifndef DJTV_BASIC_OVERLAYS_H
#define DJTV_BASIC_OVERLAYS_H

#include "app/overlay.h"

/* NULL on out of memory. */
struct overlay *notice_overlay_create(struct app_services *svc);

#endif
