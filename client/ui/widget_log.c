#include "ui/widget_log.h"

#include <stdio.h>

void widget_log_clear(struct widget_log *wl)
{
    wl->n = 0;
}

void widget_log_add(struct widget_log *wl, const char *role, const char *name,
                    const SDL_Rect *box, int focused, const char *state)
{
    if (wl->n >= WIDGET_LOG_MAX)
        return;
    struct widget_log_entry *e = &wl->e[wl->n++];
    snprintf(e->role, sizeof(e->role), "%s", role);
    snprintf(e->name, sizeof(e->name), "%s", name ? name : "");
    snprintf(e->state, sizeof(e->state), "%s", state ? state : "");
    e->box = *box;
    e->focused = focused;
}

cJSON *widget_log_json(const struct widget_log *wl)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return NULL;
    for (int i = 0; i < wl->n; i++) {
        const struct widget_log_entry *e = &wl->e[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto fail;
        cJSON_AddItemToArray(arr, o);
        if (!cJSON_AddStringToObject(o, "role", e->role) ||
            !cJSON_AddStringToObject(o, "name", e->name) ||
            !cJSON_AddStringToObject(o, "state", e->state) ||
            !cJSON_AddBoolToObject(o, "focused", e->focused) ||
            !cJSON_AddNumberToObject(o, "x", e->box.x) ||
            !cJSON_AddNumberToObject(o, "y", e->box.y) ||
            !cJSON_AddNumberToObject(o, "w", e->box.w) ||
            !cJSON_AddNumberToObject(o, "h", e->box.h))
            goto fail;
    }
    return arr;
fail:
    cJSON_Delete(arr);
    return NULL;
}
