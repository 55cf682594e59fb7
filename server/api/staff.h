/* Township staff's attendance views (api/staff.c): the CSV export, apart so it is tested
 * without a server (tests/unit/server/test_staff_csv.c). */
#ifndef DJTV_API_STAFF_H
#define DJTV_API_STAFF_H

#include <stddef.h>

#include "store/store.h"

struct buf;

enum { STAFF_CSV_MAX = 64 * 1024 * 1024 }; /* an export larger than this is refused (-E2BIG) */

/* Append one CSV cell (RFC 4180) for TEXT to B: quoted when it holds a comma, a quote, CR or
 * LF, quotes doubled; a leading = + - @ (or tab, CR) gets a ' first so a spreadsheet shows it
 * as text instead of running it as a formula. 0, -ENOMEM or -E2BIG. */
int staff_csv_cell(struct buf *b, const char *text);

/* The attendance sheet of roll call members M (N of them): UTF-8 with a BOM (Excel), a header
 * line, then one CRLF-ended line per member: village, household, name, check-in time (ISO 8601
 * UTC, empty when absent), 是/否. *CSV is owned by the caller, *LEN its length. */
int staff_csv_attendance(const struct store_turnout_member *m, int n, char **csv, size_t *len);

#endif
