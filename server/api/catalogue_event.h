/* catalogue.changed: an item was published, changed or removed (by staff or an admin, or by an
 * upload job when it is done). Boxes re-read the list or home screen it concerns, the dashboard
 * its lists, without waiting for a reload. */
#ifndef DJTV_CATALOGUE_EVENT_H
#define DJTV_CATALOGUE_EVENT_H

#include <stdint.h>

struct events;
struct store;

enum catalogue_change { CATALOGUE_ADDED, CATALOGUE_UPDATED, CATALOGUE_REMOVED };

/* Publish {"section", "item_id", "org_id", "change"} to the boxes, cadres and staff of ORG_ID
 * (a township: all of it; a village: that village and the township's staff). Best effort: the
 * write is done whatever happens here (a failure is logged). EV may be NULL: nothing. */
void catalogue_event_publish(struct events *ev, struct store *s, int64_t org_id,
                             const char *section, int64_t item_id, enum catalogue_change change);

#endif
