/* One log module for client and server: levels, a tag per source file, stderr output.
 * Never pass secrets (tokens, passwords, keys) to it. Thread-safe: each line is one write. */
#ifndef DJTV_LOG_H
#define DJTV_LOG_H

#include <stdarg.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Messages above this level are dropped. Set once at start-up (default LOG_INFO). */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "error", "warn", "info", "debug"; returns 0 or -EINVAL. */
int log_level_parse(const char *name, enum log_level *out);

void log_msg(enum log_level level, const char *tag, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void log_vmsg(enum log_level level, const char *tag, const char *fmt, va_list ap);

/* Each .c file defines LOG_TAG before including this header, e.g. #define LOG_TAG "store". */
#ifndef LOG_TAG
#define LOG_TAG "djtv"
#endif
#define log_error(...) log_msg(LOG_ERROR, LOG_TAG, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, LOG_TAG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, LOG_TAG, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, LOG_TAG, __VA_ARGS__)

#endif
