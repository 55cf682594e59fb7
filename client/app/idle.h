/* The screen dims after a while without a key (not while a video plays); the next key only
 * wakes it. Pure state: time comes in as arguments, so it is tested without SDL. */
#ifndef DJTV_IDLE_H
#define DJTV_IDLE_H

#include <stdint.h>

#include "ui/ui.h"

enum { IDLE_DEFAULT_S = 600 };

struct idle {
    uint32_t timeout_ms; /* 0: never dims */
    uint32_t last_active;
    int dimmed;
};

void idle_init(struct idle *id, uint32_t timeout_ms, uint32_t now);
/* A key was pressed. Returns 1 when it only woke the screen: the key does nothing else. */
int idle_key(struct idle *id, uint32_t now);
/* Time passes; video: a full-screen video is on (it keeps the screen awake). Returns ms until
 * the screen dims, or -1; sets *dirty when the screen changes. */
int idle_tick(struct idle *id, uint32_t now, int video, int *dirty);
/* Darken the whole canvas (on top of everything) when dimmed. */
void idle_draw(const struct idle *id, struct ui *ui);

#endif
