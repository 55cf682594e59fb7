/* Waiting for the next event without spinning.
 *
 * SDL 2.26 blocks in SDL_WaitEventTimeout only on video drivers that can wait (x11,
 * wayland); on the others (offscreen, dummy, KMSDRM - the box) it loops on SDL_Delay(1),
 * about 1000 wakeups a second while the TV sits idle. There we block on a semaphore that an
 * event watch posts whenever any thread pushes an event (network results wake us at once),
 * and pump the input devices only every pump_ms. */
#ifndef DJTV_WAIT_H
#define DJTV_WAIT_H

#include <SDL.h>

struct waiter {
    SDL_sem *sem; /* owned; NULL when SDL's own wait is used */
    int pump_ms;  /* longest sleep between input pumps */
};

/* After SDL_Init(VIDEO). Returns 0 or -ENOMEM. */
int waiter_init(struct waiter *w);
void waiter_fini(struct waiter *w);
/* Like SDL_WaitEventTimeout: 1 with *ev filled, 0 on timeout. timeout_ms < 0 = no limit. */
int waiter_wait(struct waiter *w, SDL_Event *ev, int timeout_ms);

#endif
