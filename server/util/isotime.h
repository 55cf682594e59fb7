/* UTC timestamps as ISO 8601 text ("2026-11-23T10:00:00Z"): the format of the API and the
 * database (fixed width, so text order is time order in any SQL engine). */
#ifndef DJTV_ISOTIME_H
#define DJTV_ISOTIME_H

#include <stddef.h>
#include <time.h>

enum { ISOTIME_LEN = 21 }; /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Returns 0 or -EINVAL (time out of range, or buffer too small). */
int isotime_format(time_t t, char *out, size_t outlen);
/* Parse exactly "YYYY-MM-DDTHH:MM:SSZ". Returns 0 or -EINVAL. */
int isotime_parse(const char *s, time_t *out);

#endif
