/* Live catch-up: how far behind the sender a live stream plays is set by what waits in the
 * player's queues, and that only ever grows (the start-up cushion, every stall). This keeps
 * it small: the audio packet queue's level is sampled as packets arrive; when its lowest
 * value over a whole window (the slack the input never needed) stays above HIGH, the excess
 * down to KEEP is dropped from the head of the queue, and the picture follows the sound.
 * Pure logic, no locks: the read thread owns one per player. */
#ifndef DJTV_MEDIA_CATCHUP_H
#define DJTV_MEDIA_CATCHUP_H

struct catchup {
    double high_s;   /* trim when the window's lowest level is above this */
    double keep_s;   /* ... down to this */
    double window_s; /* span over which the lowest level is taken */
    double since;    /* monotonic seconds the window began; 0 = no window yet */
    double lowest_s; /* lowest level seen in the window */
};

void catchup_init(struct catchup *c, double high_s, double keep_s, double window_s);
/* A new connection: start over (the first window begins with the next sample). */
void catchup_reset(struct catchup *c);
/* The queue held LEVEL_S seconds at NOW (monotonic seconds). Returns the seconds to drop
 * from the queue's head now, 0 when none. */
double catchup_sample(struct catchup *c, double level_s, double now);

#endif
