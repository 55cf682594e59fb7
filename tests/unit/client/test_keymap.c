/* The key table: keyboard, remote and controller events → named actions. */
#include "input/keymap.h"
#include "../check.h"

struct key_case {
    SDL_Keycode sym;
    Uint16 mod;
    int repeat;
    enum action want;
};

static SDL_Event key_event(SDL_Keycode sym, Uint16 mod, int repeat)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = sym;
    ev.key.keysym.mod = mod;
    ev.key.repeat = (Uint8)repeat;
    return ev;
}

static void test_keyboard_and_remote_keys(void)
{
    static const struct key_case cases[] = {
        { SDLK_UP, 0, 0, ACTION_UP },          { SDLK_DOWN, 0, 0, ACTION_DOWN },
        { SDLK_LEFT, 0, 0, ACTION_LEFT },      { SDLK_RIGHT, 0, 0, ACTION_RIGHT },
        { SDLK_RETURN, 0, 0, ACTION_OK },      { SDLK_KP_ENTER, 0, 0, ACTION_OK },
        { SDLK_SELECT, 0, 0, ACTION_OK },      { SDLK_ESCAPE, 0, 0, ACTION_BACK },
        { SDLK_BACKSPACE, 0, 0, ACTION_BACK }, { SDLK_AC_BACK, 0, 0, ACTION_BACK },
        { SDLK_HOME, 0, 0, ACTION_HOME },      { SDLK_AC_HOME, 0, 0, ACTION_HOME },
        { SDLK_F1, 0, 0, ACTION_RED },         { SDLK_F2, 0, 0, ACTION_GREEN },
        { SDLK_F3, 0, 0, ACTION_YELLOW },      { SDLK_F4, 0, 0, ACTION_BLUE },
        { SDLK_MENU, 0, 0, ACTION_MENU },      { SDLK_0, 0, 0, ACTION_DIGIT_0 },
        { SDLK_5, 0, 0, ACTION_DIGIT_5 },      { SDLK_9, 0, 0, ACTION_DIGIT_9 },
        { SDLK_KP_0, 0, 0, ACTION_DIGIT_0 },   { SDLK_KP_7, 0, 0, ACTION_DIGIT_7 },
        { SDLK_a, 0, 0, ACTION_NONE },         { SDLK_F5, 0, 0, ACTION_NONE },
        /* held arrows repeat; held OK / BACK / digits do not */
        { SDLK_DOWN, 0, 1, ACTION_DOWN },      { SDLK_RETURN, 0, 1, ACTION_NONE },
        { SDLK_ESCAPE, 0, 1, ACTION_NONE },    { SDLK_3, 0, 1, ACTION_NONE },
        /* desktop shortcuts are not ours; Shift and NumLock do not matter */
        { SDLK_F4, KMOD_LALT, 0, ACTION_NONE }, { SDLK_1, KMOD_LCTRL, 0, ACTION_NONE },
        { SDLK_RIGHT, KMOD_LGUI, 0, ACTION_NONE }, { SDLK_KP_4, KMOD_NUM, 0, ACTION_DIGIT_4 },
        { SDLK_UP, KMOD_LSHIFT, 0, ACTION_UP },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SDL_Event ev = key_event(cases[i].sym, cases[i].mod, cases[i].repeat);
        enum action got = keymap_event(&ev);
        if (got != cases[i].want)
            printf("# case %zu: key 0x%x: got %s want %s\n", i, (unsigned)cases[i].sym,
                   action_name(got), action_name(cases[i].want));
        CHECK_EQ_INT(got, cases[i].want);
    }
}

static void test_controller_buttons(void)
{
    static const struct {
        int button;
        enum action want;
    } cases[] = {
        { SDL_CONTROLLER_BUTTON_DPAD_UP, ACTION_UP },
        { SDL_CONTROLLER_BUTTON_DPAD_DOWN, ACTION_DOWN },
        { SDL_CONTROLLER_BUTTON_DPAD_LEFT, ACTION_LEFT },
        { SDL_CONTROLLER_BUTTON_DPAD_RIGHT, ACTION_RIGHT },
        { SDL_CONTROLLER_BUTTON_A, ACTION_OK },
        { SDL_CONTROLLER_BUTTON_B, ACTION_BACK },
        { SDL_CONTROLLER_BUTTON_START, ACTION_HOME },
        { SDL_CONTROLLER_BUTTON_X, ACTION_RED },
        { SDL_CONTROLLER_BUTTON_Y, ACTION_GREEN },
        { SDL_CONTROLLER_BUTTON_LEFTSHOULDER, ACTION_YELLOW },
        { SDL_CONTROLLER_BUTTON_RIGHTSHOULDER, ACTION_BLUE },
        { SDL_CONTROLLER_BUTTON_LEFTSTICK, ACTION_NONE },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        SDL_Event ev;
        SDL_zero(ev);
        ev.type = SDL_CONTROLLERBUTTONDOWN;
        ev.cbutton.button = (Uint8)cases[i].button;
        CHECK_EQ_INT(keymap_event(&ev), cases[i].want);
        ev.type = SDL_CONTROLLERBUTTONUP; /* releases are not presses */
        CHECK_EQ_INT(keymap_event(&ev), ACTION_NONE);
    }
}

static void test_other_events_are_not_actions(void)
{
    SDL_Event ev = key_event(SDLK_RETURN, 0, 0);
    ev.type = SDL_KEYUP;
    CHECK_EQ_INT(keymap_event(&ev), ACTION_NONE);
    ev.type = SDL_TEXTINPUT;
    CHECK_EQ_INT(keymap_event(&ev), ACTION_NONE);
}

static void test_action_names_round_trip(void)
{
    for (int a = 1; a < ACTION_COUNT; a++) {
        const char *name = action_name((enum action)a);
        CHECK(name && strcmp(name, "NONE") != 0);
        CHECK_EQ_INT(action_from_name(name), a);
    }
    CHECK_EQ_INT(action_from_name("ok"), ACTION_OK);
    CHECK_EQ_INT(action_from_name("Red"), ACTION_RED);
    CHECK_EQ_INT(action_from_name("7"), ACTION_DIGIT_7);
    CHECK_EQ_INT(action_from_name("10"), ACTION_NONE);
    CHECK_EQ_INT(action_from_name("NONE"), ACTION_NONE);
    CHECK_EQ_INT(action_from_name(""), ACTION_NONE);
    CHECK_EQ_INT(action_from_name("PLAY"), ACTION_NONE);
    CHECK_EQ_STR(action_name(ACTION_COUNT), "NONE");
    CHECK_EQ_INT(action_digit(ACTION_DIGIT_0), 0);
    CHECK_EQ_INT(action_digit(ACTION_DIGIT_9), 9);
    CHECK_EQ_INT(action_digit(ACTION_OK), -1);
}

int main(void)
{
    RUN(test_keyboard_and_remote_keys);
    RUN(test_controller_buttons);
    RUN(test_other_events_are_not_actions);
    RUN(test_action_names_round_trip);
    return CHECK_DONE();
}
