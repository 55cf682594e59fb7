#define LOG_TAG "wait"
#include "app/wait.h"

#include <errno.h>
#include <string.h>

#include "log.h"

static int wake_watch(void *userdata, SDL_Event *ev)
{
    /* SDL adds a sentinel on every poll of an empty queue; that is not work. */
    if (ev->type != SDL_POLLSENTINEL)
        SDL_SemPost(userdata); /* any other event, from any thread: the loop has work */
    return 0;
}

int waiter_init(struct waiter *w)
{
    memset(w, 0, sizeof(*w));
    const char *drv = SDL_GetCurrentVideoDriver();
    if (drv && (strcmp(drv, "x11") == 0 || strcmp(drv, "wayland") == 0))
        return 0; /* SDL blocks properly there */
    w->sem = SDL_CreateSemaphore(0);
    if (!w->sem)
        return -ENOMEM;
    /* offscreen/dummy have no input devices, only SIGTERM/SIGINT to notice; a box reads its
     * remote through evdev, which is only read when pumped. */
    int no_input = drv && (strcmp(drv, "offscreen") == 0 || strcmp(drv, "dummy") == 0);
    w->pump_ms = no_input ? 100 : 16;
    SDL_AddEventWatch(wake_watch, w->sem);
    log_debug("video driver %s: own event wait, input pumped every %d ms", drv ? drv : "?",
              w->pump_ms);
    return 0;
}

void waiter_fini(struct waiter *w)
{
    if (w->sem) {
        SDL_DelEventWatch(wake_watch, w->sem);
        SDL_DestroySemaphore(w->sem);
    }
    memset(w, 0, sizeof(*w));
}

int waiter_wait(struct waiter *w, SDL_Event *ev, int timeout_ms)
{
    if (!w->sem)
        return timeout_ms < 0 ? SDL_WaitEvent(ev) : SDL_WaitEventTimeout(ev, timeout_ms);
    Uint32 start = SDL_GetTicks();
    for (;;) {
        /* Forget old wakeups first, then look: an event pushed after this point posts the
         * semaphore again, so it cannot be missed. */
        while (SDL_SemTryWait(w->sem) == 0)
            ;
        if (SDL_PollEvent(ev)) /* also pumps input devices and pending signals */
            return 1;
        int left = w->pump_ms;
        if (timeout_ms >= 0) {
            Uint32 spent = SDL_GetTicks() - start;
            if (spent >= (Uint32)timeout_ms)
                return 0;
            if ((Uint32)timeout_ms - spent < (Uint32)left)
                left = (int)((Uint32)timeout_ms - spent);
        }
        SDL_SemWaitTimeout(w->sem, (Uint32)left);
    }
}
