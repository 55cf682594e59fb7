#define LOG_TAG "household"
#include "app/household.h"

#include <errno.h>
#include <string.h>

#include "log.h"

static void forget(struct household *h)
{
    h->chosen = 0;
    for (int i = 0; i < h->n; i++)
        h->members[i].viewing = 0;
}

void household_init(struct household *h, int ask, uint32_t forget_ms)
{
    memset(h, 0, sizeof(*h));
    h->ask = ask;
    h->forget_ms = forget_ms;
}

void household_set(struct household *h, const struct household_member *m, int n)
{
    struct household_member old[HOUSEHOLD_MAX];
    int n_old = h->n;
    memcpy(old, h->members, sizeof(old));
    if (n > HOUSEHOLD_MAX)
        n = HOUSEHOLD_MAX;
    if (n < 0)
        n = 0;
    int kept = 0;
    for (int i = 0; i < n; i++) {
        h->members[i] = m[i];
        h->members[i].viewing = 0;
        for (int k = 0; h->chosen && k < n_old; k++) {
            if (old[k].id == m[i].id && old[k].viewing) {
                h->members[i].viewing = 1;
                kept++;
            }
        }
    }
    h->n = n;
    h->known = 1;
    if (h->chosen && kept == 0) {
        log_info("the household changed: asking who is watching again");
        forget(h);
    }
}

int household_needs_choice(const struct household *h)
{
    return h->ask && h->n > 1 && !h->chosen;
}

int household_choice_pending(const struct household *h)
{
    return h->ask && !h->chosen && (!h->known || h->n > 1);
}

int household_choose(struct household *h, const int *viewing, uint32_t now)
{
    int any = 0;
    for (int i = 0; i < h->n; i++)
        any |= viewing[i] != 0;
    if (!any)
        return -EINVAL;
    for (int i = 0; i < h->n; i++)
        h->members[i].viewing = viewing[i] != 0;
    h->chosen = 1;
    h->chosen_at = now;
    log_info("%d of %d members watching", household_viewers(h, NULL, 0), h->n);
    return 0;
}

int household_is_viewer(const struct household *h, int64_t id)
{
    if (!h->chosen)
        return 1;
    for (int i = 0; i < h->n; i++) {
        if (h->members[i].id == id)
            return h->members[i].viewing;
    }
    return 0; /* not of the household as we know it: never chosen */
}

int household_viewers(const struct household *h, int64_t *ids, int max)
{
    int n = 0;
    for (int i = 0; i < h->n; i++) {
        if (h->chosen && !h->members[i].viewing)
            continue;
        if (ids && n < max)
            ids[n] = h->members[i].id;
        n++;
    }
    return ids && n > max ? max : n;
}

int household_idle(struct household *h, uint32_t quiet_ms, int *wake_ms)
{
    *wake_ms = -1;
    if (!h->chosen || h->forget_ms == 0)
        return 0;
    if (quiet_ms >= h->forget_ms) {
        log_info("idle for %u min: forgetting who was watching", quiet_ms / 60000u);
        forget(h);
        return 1;
    }
    *wake_ms = (int)(h->forget_ms - quiet_ms);
    return 0;
}

const struct household_member *household_member(const struct household *h, int64_t id)
{
    for (int i = 0; i < h->n; i++) {
        if (h->members[i].id == id)
            return &h->members[i];
    }
    return NULL;
}

void household_dump_viewers(const struct household *h, cJSON *state)
{
    cJSON *ids = cJSON_AddArrayToObject(state, "viewers");
    for (int i = 0; ids && h->chosen && i < h->n; i++) {
        if (h->members[i].viewing)
            cJSON_AddItemToArray(ids, cJSON_CreateNumber((double)h->members[i].id));
    }
}
