/* catalogue.changed, built and scoped in one place for every writer of items. */
#define LOG_TAG "api"
#include "api/catalogue_event.h"

#include <cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events/events.h"
#include "log.h"
#include "store/store.h"

static const char *const CHANGES[] = { "added", "updated", "removed" };

void catalogue_event_publish(struct events *ev, struct store *s, int64_t org_id,
                             const char *section, int64_t item_id, enum catalogue_change change)
{
    if (!ev)
        return;
    struct store_org o;
    int rc = store_org_get(s, org_id, &o);
    if (rc < 0) {
        log_warn("catalogue.changed for item %lld not published: org %lld: %d",
                 (long long)item_id, (long long)org_id, rc);
        return;
    }
    int village = strcmp(o.kind, "village") == 0;
    struct event_scope to = {
        .audience = EVENT_TO_BOXES | EVENT_TO_STAFF | EVENT_TO_CADRES,
        .township_id = village ? o.parent_id : o.id,
        .village_id = village ? o.id : 0,
    };
    cJSON *j = cJSON_CreateObject();
    char *text = NULL;
    if (j && cJSON_AddStringToObject(j, "section", section) &&
        cJSON_AddNumberToObject(j, "item_id", (double)item_id) &&
        cJSON_AddNumberToObject(j, "org_id", (double)org_id) &&
        cJSON_AddStringToObject(j, "change", CHANGES[change]))
        text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    int64_t seq = text ? events_publish(ev, &to, "catalogue.changed", text) : -ENOMEM;
    if (seq < 0)
        log_warn("catalogue.changed for item %lld not published (%lld)", (long long)item_id,
                 (long long)seq);
    free(text);
}
