/* The CSV export of a roll call's attendance (api/staff.h). */
#include <errno.h>
#include <string.h>

#include "api/staff.h"
#include "buf.h"
#include "util/isotime.h"

int staff_csv_cell(struct buf *b, const char *text)
{
    const char *t = text ? text : "";
    int formula = t[0] && strchr("=+-@\t\r", t[0]) != NULL;
    int quote = formula || strpbrk(t, ",\"\r\n") != NULL;
    int rc = quote ? buf_append(b, "\"", 1) : 0;
    if (rc == 0 && formula)
        rc = buf_append(b, "'", 1);
    for (const char *p = t; rc == 0 && *p;) {
        size_t run = strcspn(p, "\"");
        rc = buf_append(b, p, run);
        p += run;
        if (rc == 0 && *p == '"') {
            rc = buf_append(b, "\"\"", 2);
            p++;
        }
    }
    if (rc == 0 && quote)
        rc = buf_append(b, "\"", 1);
    return rc;
}

static const char BOM[] = "\xef\xbb\xbf";
static const char *const header[] = { "村", "户", "姓名", "签到时间(UTC)", "是否到会" };

int staff_csv_attendance(const struct store_turnout_member *m, int n, char **csv, size_t *len)
{
    struct buf b;
    buf_init(&b, STAFF_CSV_MAX);
    int rc = buf_append(&b, BOM, sizeof(BOM) - 1);
    for (size_t i = 0; rc == 0 && i < sizeof(header) / sizeof(header[0]); i++) {
        rc = i ? buf_append(&b, ",", 1) : 0;
        if (rc == 0)
            rc = staff_csv_cell(&b, header[i]);
    }
    if (rc == 0)
        rc = buf_append(&b, "\r\n", 2);
    for (int i = 0; rc == 0 && i < n; i++) {
        char at[ISOTIME_LEN] = "";
        if (m[i].checked_in_at && isotime_format(m[i].checked_in_at, at, sizeof(at)) < 0)
            at[0] = '\0';
        const char *cells[] = { m[i].village, m[i].household, m[i].name, at,
                                m[i].checked_in_at ? "是" : "否" };
        for (size_t k = 0; rc == 0 && k < sizeof(cells) / sizeof(cells[0]); k++) {
            rc = k ? buf_append(&b, ",", 1) : 0;
            if (rc == 0)
                rc = staff_csv_cell(&b, cells[k]);
        }
        if (rc == 0)
            rc = buf_append(&b, "\r\n", 2);
    }
    if (rc < 0) {
        buf_fini(&b);
        return rc;
    }
    *len = b.len;
    *csv = buf_steal(&b);
    return *csv ? 0 : -ENOMEM;
}
