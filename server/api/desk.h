/* Helpers the township staff's handlers share (desk.c defines them; duty.c and overview.c use
 * them too). */
#ifndef DJTV_API_DESK_H
#define DJTV_API_DESK_H

#include <cJSON.h>
#include <stdint.h>

#include "api/api.h"

/* VILLAGE_ID as a village of WHO's township into *OUT (may be NULL): 0, or -ENOENT with a
 * message in *ERR when it is no village of that township (another township's are not shown). */
int api_own_village(const struct caller *who, const struct api_request *req, int64_t village_id,
                    struct store_org *out, cJSON **err);
/* {"id": ID, "name": NAME} under KEY, or null when ID is 0. 0 or -ENOMEM. */
int api_add_ref(cJSON *obj, const char *key, int64_t id, const char *name);

#endif
