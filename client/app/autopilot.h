/* The scripted run (--keys, --screenshot-dir, --dump-ui): loads the key script and, after
 * each step, writes the screenshot and the UI dump line. The app drives it.
 * Without --keys (keys from a person or DJTV_TEST_REMOTE), --dump-ui and --screenshot-dir
 * record every presented frame instead: what a viewer saw, frame by frame. */
#ifndef DJTV_AUTOPILOT_H
#define DJTV_AUTOPILOT_H

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>

#include "app/config.h"
#include "input/script.h"
#include "ui/recorder.h"
#include "ui/textcache.h"
#include "ui/widget_log.h"

struct autopilot {
    int active;                    /* a script is loaded */
    struct script script;          /* owned */
    struct script_player player;
    FILE *dump;                    /* owned; NULL without --dump-ui */
    char shot_dir[CONFIG_PATH_MAX]; /* empty without --screenshot-dir */
    int frames;                    /* no script: a dump line (and shot) per presented frame */
    unsigned long shown;           /* frames recorded so far */
};

/* What the dump line says about the app after a step. All borrowed. */
struct step_state {
    uint32_t t_ms;
    const char *screen;
    int loading;
    const char *focus;     /* NULL = none */
    const char **overlays;
    int n_overlays;
    const struct recorder *rec;
    const struct widget_log *widgets; /* NULL = none */
    const cJSON *state;    /* the screen's own "state" object, NULL = none */
    const struct text_cache_stats *texts_st; /* frame lines: where the texts came from */
};

/* Returns 0 (inactive when there is no --keys) or a negative errno with a reason in err. */
int autopilot_open(struct autopilot *ap, const struct app_config *cfg, char *err, size_t errlen);
void autopilot_close(struct autopilot *ap);
/* Screenshot path for this step, or 0 when screenshots are off. */
int autopilot_shot_path(const struct autopilot *ap, const struct script_tick *t, char *out,
                        size_t outlen);
/* Append the dump line for a finished step. Returns 0 or -EIO. */
int autopilot_dump(struct autopilot *ap, const struct script_tick *t,
                   const struct step_state *st);
/* Frame recording: the screenshot path for the frame about to be shown (0 when screenshots
 * are off), then its dump line ("frame": its number from 0). Returns 0 or -EIO. */
int autopilot_frame_shot_path(const struct autopilot *ap, char *out, size_t outlen);
int autopilot_frame_dump(struct autopilot *ap, const struct step_state *st);
/* The dump line as a string (owned by the caller; free()). NULL on out of memory. */
char *autopilot_dump_line(const struct script_tick *t, const struct step_state *st);

#endif
