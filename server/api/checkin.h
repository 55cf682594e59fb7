/* Signing a member in at a roll call, the one write behind both doors: a box of the member's
 * household (api/rollcall.c) and a member away from home on another box (api/guest.c). Each
 * door checks its own rules first; this writes the check-in row and the meeting's credit, and
 * announces a first check-in on the event stream (rollcall.checkin) to the township's staff and
 * the cadre of the member's branch, so the dashboard and the cadre's screens move either way. */
#ifndef DJTV_API_CHECKIN_H
#define DJTV_API_CHECKIN_H

#include <cJSON.h>
#include <stdint.h>
#include <time.h>

#include "api/api.h"

struct api_checkin {
    int64_t rollcall_id;
    int64_t member_id;
    int64_t box_id;          /* where the member signed in (the row keeps it) */
    int64_t township_id;
    int64_t village_id;      /* the member's branch: whose cadre is told, whose row moves */
    int64_t from_village_id; /* the box's village: where the member was */
    int guest;               /* signed in as a member away from home (流动党员) */
};

/* The reply of both doors: {"rollcall_id","member_id","checked_in_at","first"}. NULL on
 * -ENOMEM. */
cJSON *api_checkin_json(int64_t rollcall_id, int64_t member_id, time_t at, int first);
/* Write C (see above) through api_defer: the row and the credit (idempotent), then the event
 * once, on the first check-in. Returns what api_defer returns; 409 rollcall_closed when a
 * close raced it. */
int api_checkin_defer(const struct api_request *req, const struct api_checkin *c, cJSON **out);

#endif
