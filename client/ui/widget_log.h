/* What widgets a frame drew, for the UI dump's "widgets" array: each widget's role
 * ("button_row", "option_list", "keypad", "poster_grid", "bar_chart", "image"), name, box,
 * whether it has the focus, and a short state ("focus=2 chosen=1", "digits=138"). Texts and
 * colours stay in the recorder; this says what they belong to. Pure data. */
#ifndef DJTV_WIDGET_LOG_H
#define DJTV_WIDGET_LOG_H

#include <SDL.h>
#include <cjson/cJSON.h>

enum { WIDGET_LOG_MAX = 32 };

struct widget_log_entry {
    char role[24];
    char name[48];
    char state[160];
    SDL_Rect box;
    int focused;
};

struct widget_log {
    struct widget_log_entry e[WIDGET_LOG_MAX];
    int n;
};

void widget_log_clear(struct widget_log *wl);
/* Record one widget (dropped when the log is full). name and state may be NULL. */
void widget_log_add(struct widget_log *wl, const char *role, const char *name,
                    const SDL_Rect *box, int focused, const char *state);
/* The dump's "widgets" array; NULL on out of memory. */
cJSON *widget_log_json(const struct widget_log *wl);

#endif
