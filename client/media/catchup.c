#include "media/catchup.h"

void catchup_init(struct catchup *c, double high_s, double keep_s, double window_s)
{
    c->high_s = high_s;
    c->keep_s = keep_s < high_s ? keep_s : high_s;
    c->window_s = window_s;
    catchup_reset(c);
}

void catchup_reset(struct catchup *c)
{
    c->since = 0;
    c->lowest_s = 0;
}

double catchup_sample(struct catchup *c, double level_s, double now)
{
    if (level_s < 0)
        level_s = 0;
    if (c->since <= 0 || now < c->since) {
        c->since = now > 0 ? now : 1e-9;
        c->lowest_s = level_s;
        return 0;
    }
    if (level_s < c->lowest_s)
        c->lowest_s = level_s;
    if (now - c->since < c->window_s)
        return 0;
    /* A whole window never went below lowest_s: that much was never needed. */
    double drop = c->lowest_s > c->high_s ? c->lowest_s - c->keep_s : 0;
    c->since = now;
    c->lowest_s = level_s - drop;
    return drop;
}
