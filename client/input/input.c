#define LOG_TAG "input"
#include "input/input.h"

#include "input/keymap.h"
#include "log.h"

void input_init(struct input *in)
{
    in->n_pads = 0;
    for (int i = 0; i < INPUT_MAX_PADS; i++)
        in->pads[i] = NULL;
}

void input_fini(struct input *in)
{
    for (int i = 0; i < in->n_pads; i++)
        SDL_GameControllerClose(in->pads[i]);
    in->n_pads = 0;
}

static void pad_added(struct input *in, int device_index)
{
    if (!SDL_IsGameController(device_index) || in->n_pads >= INPUT_MAX_PADS)
        return;
    SDL_GameController *pad = SDL_GameControllerOpen(device_index);
    if (!pad) {
        log_warn("cannot open game controller %d: %s", device_index, SDL_GetError());
        return;
    }
    SDL_JoystickID id = SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(pad));
    for (int i = 0; i < in->n_pads; i++) {
        if (SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(in->pads[i])) == id) {
            SDL_GameControllerClose(pad); /* already open (startup enumeration) */
            return;
        }
    }
    log_info("game controller: %s", SDL_GameControllerName(pad));
    in->pads[in->n_pads++] = pad;
}

static void pad_removed(struct input *in, SDL_JoystickID id)
{
    for (int i = 0; i < in->n_pads; i++) {
        if (SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(in->pads[i])) == id) {
            SDL_GameControllerClose(in->pads[i]);
            in->pads[i] = in->pads[--in->n_pads];
            in->pads[in->n_pads] = NULL;
            return;
        }
    }
}

enum action input_event(struct input *in, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_CONTROLLERDEVICEADDED:
        pad_added(in, ev->cdevice.which);
        return ACTION_NONE;
    case SDL_CONTROLLERDEVICEREMOVED:
        pad_removed(in, ev->cdevice.which);
        return ACTION_NONE;
    default:
        return keymap_event(ev);
    }
}
