/* Option tables: each program defines its settings once, as a table of opts_def rows that name
 * a field of its own config struct; this module walks such a table for the command line
 * ("--name value", "--name=value", "--flag"), for config files (`key = value` lines whose keys
 * are the long option names, '-' or '_' alike) and for --help. The program keeps its table,
 * its defaults and its own rules (which options a file may set, subcommands, checks that
 * need files). */
#ifndef DJTV_OPTIONS_H
#define DJTV_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

enum opts_type {
    OPTS_TEXT,   /* char[size] inside the struct */
    OPTS_OWNED,  /* char *, owned by the struct (a copy; the old value is freed); never "" */
    OPTS_BOOL,   /* int: yes/no, true/false, on/off or 1/0 */
    OPTS_INT,    /* int from min to max */
    OPTS_INT64,  /* int64_t from min to max */
    OPTS_LEVEL,  /* enum log_level: error, warn, info or debug */
    OPTS_ACTION, /* no field: the program acts on it itself (--config, --help, --version) */
};

struct opts_def {
    const char *name;   /* long option and config key */
    enum opts_type type;
    size_t off;         /* the field in the program's config struct */
    size_t size;        /* OPTS_TEXT: the array's size */
    long long min, max; /* OPTS_INT, OPTS_INT64 */
    unsigned scope;     /* the program's own bits: where the option may be given */
    const char *arg;    /* the value's name in --help ("FILE"); NULL for a flag */
    const char *help;   /* one line (or a few) for --help */
};

enum { OPTS_LINE_MAX = 4096, OPTS_FILE_MAX = 64 * 1024 };

/* The row of DEFS (N rows) whose name is NAME (LEN bytes, '-' and '_' alike), or NULL. */
const struct opts_def *opts_find(const struct opts_def *defs, size_t n, const char *name,
                                 size_t len);

/* Store VALUE into D's field of BASE. 0; -EINVAL with "NAME: expected …, got 'VALUE'" (or
 * "NAME: value too long", "NAME: needs a value") in ERR; -ENOMEM. */
int opts_set(const struct opts_def *d, void *base, const char *value, char *err,
             size_t errlen);

/* Free the OPTS_OWNED fields of BASE named by DEFS (set to NULL). */
void opts_free(const struct opts_def *defs, size_t n, void *base);

/* One `key = value` setting of a config file, given to the program: 0, or a negative errno
 * with the reason in WHY (the reader puts "FILE:LINE: " before it). */
typedef int (*opts_setting_fn)(void *ctx, const char *key, const char *value, char *why,
                               size_t whylen);

/* Walk config TEXT: blank lines and lines starting with '#' are skipped; spaces around keys
 * and values and a pair of quotes around a value are dropped; CRLF is fine. ORIGIN names the
 * source in errors ("ORIGIN:LINE: reason"). Returns 0 or the first error. */
int opts_read_text(const char *text, const char *origin, opts_setting_fn fn, void *ctx,
                   char *err, size_t errlen);
/* The same for the file at PATH (at most OPTS_FILE_MAX bytes): errors "PATH: reason". */
int opts_read_file(const char *path, opts_setting_fn fn, void *ctx, char *err, size_t errlen);

/* ARG as a long option: 0 with its NAME (LEN bytes, without "--") and the value after '='
 * (NULL when none) in *VALUE; -EINVAL when ARG is not "--something". */
int opts_flag(const char *arg, const char **name, size_t *len, const char **value);
/* The value of the option at ARGV[*I]: INLINE when it came as "--name=value", else the next
 * argument (*I moves past it); NULL when there is none. */
const char *opts_flag_value(int argc, char **argv, int *i, const char *inline_value);

/* --help: "  LEFT   HELP SUFFIX" with LEFT padded to WIDTH columns; LEFT is usually what
 * opts_usage_left() wrote. SUFFIX may be NULL. */
void opts_usage_line(FILE *out, int width, const char *left, const char *help,
                     const char *suffix);
/* "--name ARG" (or "--name" for a flag) into OUT. */
void opts_usage_left(const struct opts_def *d, char *out, size_t size);

#endif
