#include "input/action.h"

#include <strings.h>

static const char *const names[ACTION_COUNT] = {
    [ACTION_NONE] = "NONE",       [ACTION_UP] = "UP",         [ACTION_DOWN] = "DOWN",
    [ACTION_LEFT] = "LEFT",       [ACTION_RIGHT] = "RIGHT",   [ACTION_OK] = "OK",
    [ACTION_BACK] = "BACK",       [ACTION_HOME] = "HOME",     [ACTION_RED] = "RED",
    [ACTION_GREEN] = "GREEN",     [ACTION_YELLOW] = "YELLOW", [ACTION_BLUE] = "BLUE",
    [ACTION_DIGIT_0] = "DIGIT_0", [ACTION_DIGIT_1] = "DIGIT_1", [ACTION_DIGIT_2] = "DIGIT_2",
    [ACTION_DIGIT_3] = "DIGIT_3", [ACTION_DIGIT_4] = "DIGIT_4", [ACTION_DIGIT_5] = "DIGIT_5",
    [ACTION_DIGIT_6] = "DIGIT_6", [ACTION_DIGIT_7] = "DIGIT_7", [ACTION_DIGIT_8] = "DIGIT_8",
    [ACTION_DIGIT_9] = "DIGIT_9", [ACTION_MENU] = "MENU",     [ACTION_INFO] = "INFO",
};

const char *action_name(enum action a)
{
    if ((int)a < 0 || a >= ACTION_COUNT)
        return "NONE";
    return names[a];
}

enum action action_from_name(const char *name)
{
    if (!name || !name[0])
        return ACTION_NONE;
    if (name[0] >= '0' && name[0] <= '9' && name[1] == '\0')
        return (enum action)(ACTION_DIGIT_0 + (name[0] - '0'));
    for (int i = 1; i < ACTION_COUNT; i++) {
        if (strcasecmp(name, names[i]) == 0)
            return (enum action)i;
    }
    return ACTION_NONE;
}

int action_digit(enum action a)
{
    if (a >= ACTION_DIGIT_0 && a <= ACTION_DIGIT_9)
        return (int)(a - ACTION_DIGIT_0);
    return -1;
}

int action_is_direction(enum action a)
{
    return a == ACTION_UP || a == ACTION_DOWN || a == ACTION_LEFT || a == ACTION_RIGHT;
}
