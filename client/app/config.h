/* Client options, defined once in a table (config.c) that drives the command line, the config
 * file (`key = value` lines, keys are the long option names, '-' or '_') and --help, through
 * the reader both programs share (common/options.h). Command-line flags win over the file. */
#ifndef DJTV_CONFIG_H
#define DJTV_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "version.h"

enum { CONFIG_PATH_MAX = 1024, CONFIG_TOKEN_MAX = 512 };

struct app_config {
    char config[CONFIG_PATH_MAX];
    char server[CONFIG_PATH_MAX]; /* base URL, no trailing slash */
    char ca[CONFIG_PATH_MAX];
    char token_file[CONFIG_PATH_MAX];
    char token[CONFIG_TOKEN_MAX]; /* secret: never logged */
    char font[CONFIG_PATH_MAX];
    int font_index; /* -1 = automatic */
    int fullscreen;
    int headless;
    char keys[CONFIG_PATH_MAX];
    char screenshot_dir[CONFIG_PATH_MAX];
    char dump_ui[CONFIG_PATH_MAX];
    enum log_level log_level;
    /* Player mode (--play URL): start on the player screen, leave when it is done. */
    char play[CONFIG_PATH_MAX];        /* media URL; "" = the normal app */
    int64_t play_seconds;              /* stop after this much media time; 0 = the end */
    int play_no_present;               /* decode and time frames, show none */
    char play_title[CONFIG_PATH_MAX];
    int64_t play_item;                 /* > 0: a catalogue item: resume offered and saved */
    int64_t play_broadcast;            /* > 0: a live broadcast: heartbeats sent */
    char play_replay[CONFIG_PATH_MAX]; /* the broadcast's recording, offered when it ends */
    char play_fallback[CONFIG_PATH_MAX]; /* played when the multicast URL is silent */
    char speech_data[CONFIG_PATH_MAX]; /* espeak-ng data directory; "" = the system's */
    int speech_rate;                   /* read-aloud words per minute; 0 = the default */
    char data_dir[CONFIG_PATH_MAX];    /* offline cache, outbox, quiz drafts; "" = none */
    int idle_seconds;                  /* dim the screen after this long without a key; 0 never */
    char cast_program[CONFIG_PATH_MAX]; /* cadre mode: djtv-cast; "" = beside this program */
    char cast_input[CONFIG_PATH_MAX];  /* cadre mode: "" = the camera found, a /dev/videoN, or
                                        * "pattern" (the test pattern) */
    char cast_args[CONFIG_PATH_MAX];   /* cadre mode: more djtv-cast arguments (size, bitrate) */
    int activity_room;                 /* the village's activity-room box (cadre mode) */
    int cadre_idle_seconds;            /* cadre mode ends after this long without a key */
    int ask_viewers;                   /* ask "谁在看？" at start when several members live here */
    int viewers_minutes;               /* forget who is watching after this long idle; 0 never */
};

enum config_result {
    CONFIG_RUN = 0,  /* go on and run the app */
    CONFIG_EXIT = 1, /* --help or --version was printed */
};

/* Defaults, then the --config file, then the flags. Returns CONFIG_RUN, CONFIG_EXIT or
 * -EINVAL / -errno with a one-line reason in err. */
int config_parse(int argc, char **argv, struct app_config *cfg, FILE *out, char *err,
                 size_t errlen);
/* Apply one `key = value` setting (as from a config file). Returns 0 or -EINVAL. */
int config_set(struct app_config *cfg, const char *key, const char *value, char *err,
               size_t errlen);
/* Read a config file. Returns 0 or a negative errno with "FILE:LINE: reason" in err. */
int config_load_file(struct app_config *cfg, const char *path, char *err, size_t errlen);
/* Checks and fills in what depends on files: reads the token file, picks the default font,
 * checks the CA file is readable. Returns 0 or a negative errno with a reason in err. */
int config_finish(struct app_config *cfg, char *err, size_t errlen);
void config_usage(FILE *out);

#endif
