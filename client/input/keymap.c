/* Key table. What SDL 2.26 can and cannot see of a TV remote (src/events/scancodes_linux.h):
 *   KEY_BACK -> SDL_SCANCODE_AC_BACK, KEY_HOMEPAGE -> SDL_SCANCODE_AC_HOME,
 *   KEY_MENU -> SDL_SCANCODE_MENU: mapped below.
 *   KEY_OK (0x160), KEY_SELECT (0x161), KEY_EXIT (0xae), KEY_INFO (0x166) and the colour keys
 *   KEY_RED/GREEN/YELLOW/BLUE (0x18e-0x191) all map to SDL_SCANCODE_UNKNOWN, so SDL never
 *   delivers them, and SDL_Scancode has no colour-key values at all. A remote that sends
 *   those codes needs a kernel keymap (ir-keytable / CEC keymap) that remaps them to keys SDL
 *   knows: OK -> KEY_ENTER, EXIT -> KEY_BACK, RED/GREEN/YELLOW/BLUE -> KEY_F1..KEY_F4, which
 *   this table already understands. SDLK_SELECT (USB usage 0x77) is mapped to OK for remotes
 *   that report it through HID. */
#include "input/keymap.h"

struct key_entry {
    SDL_Keycode sym;
    enum action action;
};

static const struct key_entry key_table[] = {
    { SDLK_UP, ACTION_UP },
    { SDLK_DOWN, ACTION_DOWN },
    { SDLK_LEFT, ACTION_LEFT },
    { SDLK_RIGHT, ACTION_RIGHT },
    { SDLK_RETURN, ACTION_OK },
    { SDLK_RETURN2, ACTION_OK },
    { SDLK_KP_ENTER, ACTION_OK },
    { SDLK_SELECT, ACTION_OK },
    { SDLK_ESCAPE, ACTION_BACK },
    { SDLK_BACKSPACE, ACTION_BACK },
    { SDLK_AC_BACK, ACTION_BACK },
    { SDLK_HOME, ACTION_HOME },
    { SDLK_AC_HOME, ACTION_HOME },
    { SDLK_F1, ACTION_RED },
    { SDLK_F2, ACTION_GREEN },
    { SDLK_F3, ACTION_YELLOW },
    { SDLK_F4, ACTION_BLUE },
    { SDLK_MENU, ACTION_MENU },
    { SDLK_APPLICATION, ACTION_MENU },
    { SDLK_HELP, ACTION_INFO },
    { SDLK_0, ACTION_DIGIT_0 },
    { SDLK_1, ACTION_DIGIT_1 },
    { SDLK_2, ACTION_DIGIT_2 },
    { SDLK_3, ACTION_DIGIT_3 },
    { SDLK_4, ACTION_DIGIT_4 },
    { SDLK_5, ACTION_DIGIT_5 },
    { SDLK_6, ACTION_DIGIT_6 },
    { SDLK_7, ACTION_DIGIT_7 },
    { SDLK_8, ACTION_DIGIT_8 },
    { SDLK_9, ACTION_DIGIT_9 },
    { SDLK_KP_0, ACTION_DIGIT_0 },
    { SDLK_KP_1, ACTION_DIGIT_1 },
    { SDLK_KP_2, ACTION_DIGIT_2 },
    { SDLK_KP_3, ACTION_DIGIT_3 },
    { SDLK_KP_4, ACTION_DIGIT_4 },
    { SDLK_KP_5, ACTION_DIGIT_5 },
    { SDLK_KP_6, ACTION_DIGIT_6 },
    { SDLK_KP_7, ACTION_DIGIT_7 },
    { SDLK_KP_8, ACTION_DIGIT_8 },
    { SDLK_KP_9, ACTION_DIGIT_9 },
};

struct button_entry {
    int button;
    enum action action;
};

static const struct button_entry button_table[] = {
    { SDL_CONTROLLER_BUTTON_DPAD_UP, ACTION_UP },
    { SDL_CONTROLLER_BUTTON_DPAD_DOWN, ACTION_DOWN },
    { SDL_CONTROLLER_BUTTON_DPAD_LEFT, ACTION_LEFT },
    { SDL_CONTROLLER_BUTTON_DPAD_RIGHT, ACTION_RIGHT },
    { SDL_CONTROLLER_BUTTON_A, ACTION_OK },
    { SDL_CONTROLLER_BUTTON_B, ACTION_BACK },
    { SDL_CONTROLLER_BUTTON_BACK, ACTION_BACK },
    { SDL_CONTROLLER_BUTTON_START, ACTION_HOME },
    { SDL_CONTROLLER_BUTTON_GUIDE, ACTION_HOME },
    { SDL_CONTROLLER_BUTTON_X, ACTION_RED },
    { SDL_CONTROLLER_BUTTON_Y, ACTION_GREEN },
    { SDL_CONTROLLER_BUTTON_LEFTSHOULDER, ACTION_YELLOW },
    { SDL_CONTROLLER_BUTTON_RIGHTSHOULDER, ACTION_BLUE },
};

enum action keymap_key(SDL_Keycode sym)
{
    for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++) {
        if (key_table[i].sym == sym)
            return key_table[i].action;
    }
    return ACTION_NONE;
}

enum action keymap_button(int controller_button)
{
    for (size_t i = 0; i < sizeof(button_table) / sizeof(button_table[0]); i++) {
        if (button_table[i].button == controller_button)
            return button_table[i].action;
    }
    return ACTION_NONE;
}

enum action keymap_event(const SDL_Event *ev)
{
    if (ev->type == SDL_KEYDOWN) {
        if (ev->key.keysym.mod & (KMOD_CTRL | KMOD_ALT | KMOD_GUI))
            return ACTION_NONE;
        enum action a = keymap_key(ev->key.keysym.sym);
        /* Holding an arrow scrolls; holding OK must not open ten things. */
        if (ev->key.repeat && !action_is_direction(a))
            return ACTION_NONE;
        return a;
    }
    if (ev->type == SDL_CONTROLLERBUTTONDOWN)
        return keymap_button(ev->cbutton.button);
    return ACTION_NONE;
}
