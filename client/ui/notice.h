/* Toast notices: short messages that appear above the hint bar and go away by themselves.
 * Up to NOTICE_MAX wait in line; one is shown at a time. */
#ifndef DJTV_NOTICE_H
#define DJTV_NOTICE_H

#include <stdint.h>

#include "ui/ui.h"

enum { NOTICE_MAX = 4, NOTICE_DEFAULT_MS = 4000 };

struct notices {
    struct {
        char text[256];
        uint32_t duration_ms;
    } q[NOTICE_MAX];
    int n;
    uint32_t shown_since; /* when q[0] appeared; 0 = not yet drawn */
};

void notices_init(struct notices *ns);
/* Queue a message; the oldest queued one is dropped when full. A message equal to the last
 * queued one is not queued twice. */
void notices_post(struct notices *ns, const char *text, uint32_t duration_ms);

int notices_visible(const struct notices *ns);
/* The first queued message, just above the hint bar. */
void notices_draw(const struct notices *ns, struct ui *ui);
/* Shows the next message when one has had its time. Returns ms until the next change, or
 * -1; sets *dirty on a change. */
int notices_tick(struct notices *ns, uint32_t now, int *dirty);

#endif
