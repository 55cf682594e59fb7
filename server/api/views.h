/* JSON views of store rows shared by several handlers. Each returns 0 or -ENOMEM. */
#ifndef DJTV_API_VIEWS_H
#define DJTV_API_VIEWS_H

#include <cJSON.h>
#include <stddef.h>
#include <time.h>

#include "store/store.h"

/* T as ISO 8601 UTC under KEY, or null when T is 0. */
int api_add_time(cJSON *obj, const char *key, time_t t);
/* S under KEY, or null when S is empty. */
int api_add_str_or_null(cJSON *obj, const char *key, const char *s);

/* {"id","title","state","scope","started_at","ended_at","playback_url","recording_url",
 *  "recording_state","multicast_url","replay_item_id"} (never the publishing key's hash) */
cJSON *api_broadcast_json(const struct store_broadcast *b);
/* {"id","section","kind","title","published_at","scope","picture","category","duration_s"}
 * (category: a course's, null for other items) */
cJSON *api_item_json(const struct store_item *it);
/* {"id","broadcast_id","title","scope_org_id","opened_at","closed_at","expected","checked_in"} */
cJSON *api_rollcall_json(const struct store_rollcall *r);

/* Append one view per row in [FROM, TO) to ARR. 0, or -ENOMEM when a view could not be made. */
int api_add_broadcasts(cJSON *arr, const struct store_broadcast *rows, int from, int to);
int api_add_items(cJSON *arr, const struct store_item *rows, int from, int to);

/* The view of one row of a list (ROW points into the caller's array; CTX is the caller's). */
typedef cJSON *(*api_view_fn)(const void *row, const void *ctx);
/* Append VIEW of each of the N rows at ROWS (SIZE bytes each) to ARR. 0 or -ENOMEM. */
int api_add_views(cJSON *arr, const void *rows, size_t size, int n, api_view_fn view,
                  const void *ctx);
/* A new empty object at the end of ARR, or NULL. */
cJSON *api_array_add_object(cJSON *arr);
/* F's questions under "questions": [{"id","prompt","multiple","options": [{"id","label"}]}],
 * each option with its "count" too when COUNTS (the staff's results). 0 or -ENOMEM. */
int api_add_questions(cJSON *obj, const struct store_form *f, int counts);
/* An anonymous questionnaire's ballot of a member: SHA-256(salt ":" item ":" member), hex. */
void api_form_voter_hash(const struct store_form *f, int64_t member_id, char out[STORE_HASH_HEX]);
/* A paged list's reply {"items": [], "total", ["COUNT_KEY": COUNT,] "page", "per_page"}, with
 * its (empty, borrowed) items array in *ITEMS; COUNT_KEY NULL for none. NULL on -ENOMEM. */
cJSON *api_page_json(int total, const char *count_key, int count, int page, int per_page,
                     cJSON **items);

/* One rule for a service request's "overdue", on the box and at the desk: still waiting for an
 * answer (open or assigned) past its deadline. */
int api_request_overdue(const struct store_request *r, time_t now);
/* The tail both views of a service request end with: "created_at", "deadline_at",
 * "closed_at", "overdue", "reply_count". 0 or -ENOMEM. */
int api_add_request_times(cJSON *j, const struct store_request *r, time_t now);
/* A reply to a service request: {"author", "body", "created_at"} as the household sees it;
 * STAFF (the desk) adds the reply's "id" and "account_id" first. */
cJSON *api_request_reply_json(const struct store_reply *p, int staff);

/* A handler's last step: when RC < 0 free J and return RC, else hand J to *OUT and return 0. */
int api_reply(cJSON *j, int rc, cJSON **out);

/* The chinese title of a section key, or NULL for an unknown key. */
const char *api_section_title(const char *key);

#endif
