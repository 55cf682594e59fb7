/* Named actions: the only thing the UI ever sees of a key press. Keyboard keys, remote keys,
 * game controller buttons and the --keys script all turn into these (see keymap.c). */
#ifndef DJTV_ACTION_H
#define DJTV_ACTION_H

enum action {
    ACTION_NONE = 0,
    ACTION_UP,
    ACTION_DOWN,
    ACTION_LEFT,
    ACTION_RIGHT,
    ACTION_OK,
    ACTION_BACK,
    ACTION_HOME,
    ACTION_RED,
    ACTION_GREEN,
    ACTION_YELLOW,
    ACTION_BLUE,
    ACTION_DIGIT_0,
    ACTION_DIGIT_1,
    ACTION_DIGIT_2,
    ACTION_DIGIT_3,
    ACTION_DIGIT_4,
    ACTION_DIGIT_5,
    ACTION_DIGIT_6,
    ACTION_DIGIT_7,
    ACTION_DIGIT_8,
    ACTION_DIGIT_9,
    ACTION_MENU,
    ACTION_INFO,
    ACTION_COUNT
};

/* "UP", "OK", "DIGIT_5" …; "NONE" for anything out of range. */
const char *action_name(enum action a);
/* Case-insensitive; accepts the names above and the bare digits "0".."9" the key script
 * uses. Returns ACTION_NONE when unknown. */
enum action action_from_name(const char *name);
/* 0..9 for a digit action, -1 otherwise. */
int action_digit(enum action a);
/* 1 for UP/DOWN/LEFT/RIGHT. */
int action_is_direction(enum action a);

#endif
