/* Input devices: opens game controllers as they appear and turns SDL events into actions
 * through the key table. Raw key codes stay in input/. */
#ifndef DJTV_INPUT_H
#define DJTV_INPUT_H

#include <SDL.h>

#include "input/action.h"

enum { INPUT_MAX_PADS = 4 };

struct input {
    SDL_GameController *pads[INPUT_MAX_PADS]; /* owned */
    int n_pads;
};

void input_init(struct input *in);
void input_fini(struct input *in);
/* Handles device add/remove events itself; returns the action an event stands for or
 * ACTION_NONE. */
enum action input_event(struct input *in, const SDL_Event *ev);

#endif
