/* The one key table: keyboard keys, Linux remote-control keys as SDL reports them, and game
 * controller buttons, each mapped to a named action. Pure functions, no state. */
#ifndef DJTV_KEYMAP_H
#define DJTV_KEYMAP_H

#include <SDL.h>

#include "input/action.h"

/* Translate one SDL event (SDL_KEYDOWN or SDL_CONTROLLERBUTTONDOWN) into an action.
 * Key auto-repeat counts only for the four directions; keys held with Ctrl, Alt or GUI are
 * ignored (they belong to the desktop). Anything else gives ACTION_NONE. */
enum action keymap_event(const SDL_Event *ev);

/* The lookups keymap_event() uses, exposed for tests. */
enum action keymap_key(SDL_Keycode sym);
enum action keymap_button(int controller_button);

#endif
