/* A box saying it is showing a live broadcast now, the one write behind both doors: a box of
 * the broadcast's village or township (api/live.c) and a member away from home on another box
 * (api/guest.c). Each door checks its own rules first. */
#ifndef DJTV_API_HEARTBEAT_H
#define DJTV_API_HEARTBEAT_H

#include <cJSON.h>
#include <stdint.h>

#include "api/api.h"

/* Store BOX_ID's heartbeat for BROADCAST_ID at req->now through api_defer; the reply is
 * {"broadcast_id","at"}. Returns what api_defer returns. */
int api_heartbeat_defer(const struct api_request *req, int64_t box_id, int64_t broadcast_id,
                        cJSON **out);

#endif
