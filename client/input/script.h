/* The --keys script: parsed into commands, then played back step by step by the app.
 *
 * Format, one command per line, '#' starts a comment (at line start or after a blank):
 *   UP DOWN LEFT RIGHT OK BACK HOME RED GREEN YELLOW BLUE MENU INFO 0..9 [COUNT]
 *   wait MS
 *   wait-screen NAME [TIMEOUT_MS]    until NAME is the current screen and not loading
 *   wait-text TEXT [TIMEOUT_MS]      until a visible text contains TEXT ("quotes" allowed)
 *   wait-gone TEXT [TIMEOUT_MS]      until no visible text contains TEXT
 *   shot
 *   quit
 * Every command is one step; the app renders a frame, a screenshot and a dump line after
 * each. The player is a pure state machine: time and app state come in as arguments. */
#ifndef DJTV_SCRIPT_H
#define DJTV_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "input/action.h"

enum script_op {
    SCRIPT_PRESS,
    SCRIPT_WAIT,
    SCRIPT_WAIT_SCREEN,
    SCRIPT_WAIT_TEXT,
    SCRIPT_WAIT_GONE,
    SCRIPT_SHOT,
    SCRIPT_QUIT,
};

enum {
    SCRIPT_ARG_MAX = 256,
    SCRIPT_DEFAULT_TIMEOUT_MS = 10000,
    SCRIPT_MAX_COUNT = 1000,
    SCRIPT_MAX_MS = 3600000,
    SCRIPT_MAX_CMDS = 10000,
};

struct script_cmd {
    enum script_op op;
    enum action action;      /* PRESS */
    int count;               /* PRESS: how many presses (>= 1) */
    int ms;                  /* WAIT: duration; WAIT_SCREEN / WAIT_TEXT / WAIT_GONE: timeout */
    char arg[SCRIPT_ARG_MAX]; /* WAIT_SCREEN: screen name; WAIT_TEXT / WAIT_GONE: the text */
    char name[16];           /* command word for the dump and file names: "RIGHT", "5", "wait" */
    int line;                /* 1-based line in the file */
};

struct script {
    struct script_cmd *cmds; /* owned, n entries */
    int n;
};

/* Parse script text. Returns 0, or -EINVAL with "line N: reason" in err (nothing to free),
 * or -ENOMEM. */
int script_parse(const char *text, struct script *out, char *err, size_t errlen);
/* Read and parse a file; -errno when it cannot be read (reason in err). */
int script_load(const char *path, struct script *out, char *err, size_t errlen);
void script_free(struct script *s);

/* What the player needs to know about the app. */
struct script_probe {
    const char *screen; /* borrowed: name of the current screen */
    int loading;
    /* 1 if a visible text of the last frame contains needle */
    int (*has_text)(void *ctx, const char *needle);
    void *ctx;
};

enum script_tick_kind {
    SCRIPT_TICK_IDLE,  /* nothing to do now; call again within wake_ms (or on any event) */
    SCRIPT_TICK_PRESS, /* deliver `action` now, then call again */
    SCRIPT_TICK_STEP,  /* `cmd` finished: render, screenshot, dump; then call again */
    SCRIPT_TICK_END,   /* script over (ran out or quit): the app exits */
};

struct script_tick {
    enum script_tick_kind kind;
    enum action action;
    int wake_ms;
    int step;                     /* STEP: 1-based step number */
    int timeout;                  /* STEP: a wait-* gave up */
    const struct script_cmd *cmd; /* STEP: borrowed from the script */
};

struct script_player {
    const struct script *s; /* borrowed */
    int pc;                 /* current command */
    int pressed;            /* presses delivered for the current command */
    int started;            /* current command has begun (t0 valid) */
    uint32_t t0;            /* when it began, ms */
    int steps;              /* steps finished so far */
    int ended;
};

void script_player_init(struct script_player *p, const struct script *s);
void script_player_tick(struct script_player *p, uint32_t now_ms, const struct script_probe *probe,
                        struct script_tick *out);

#endif
