/* JSON views of store rows shared by several handlers. Each returns 0 or -ENOMEM. */
#ifndef DJTV_API_VIEWS_H
#define DJTV_API_VIEWS_H

#include <cJSON.h>
#include <time.h>

#include "store/store.h"

/* T as ISO 8601 UTC under KEY, or null when T is 0. */
int api_add_time(cJSON *obj, const char *key, time_t t);
/* S under KEY, or null when S is empty. */
int api_add_str_or_null(cJSON *obj, const char *key, const char *s);

/* {"id","title","state","scope","started_at","ended_at","playback_url","recording_url"} */
cJSON *api_broadcast_json(const struct store_broadcast *b);
/* {"id","section","kind","title","published_at","scope","picture","duration_s"} */
cJSON *api_item_json(const struct store_item *it);
/* {"id","broadcast_id","title","scope_org_id","opened_at","closed_at","expected","checked_in"} */
cJSON *api_rollcall_json(const struct store_rollcall *r);

/* Append one view per row in [FROM, TO) to ARR. 0, or -ENOMEM when a view could not be made. */
int api_add_broadcasts(cJSON *arr, const struct store_broadcast *rows, int from, int to);
int api_add_items(cJSON *arr, const struct store_item *rows, int from, int to);

/* A handler's last step: when RC < 0 free J and return RC, else hand J to *OUT and return 0. */
int api_reply(cJSON *j, int rc, cJSON **out);

/* The chinese title of a section key, or NULL for an unknown key. */
const char *api_section_title(const char *key);

#endif
