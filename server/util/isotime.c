#include "util/isotime.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int isotime_format(time_t t, char *out, size_t outlen)
{
    struct tm tm;
    if (outlen < ISOTIME_LEN || !gmtime_r(&t, &tm) || tm.tm_year < -1900 + 1 ||
        tm.tm_year > 9999 - 1900)
        return -EINVAL;
    size_t n = strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return n == ISOTIME_LEN - 1 ? 0 : -EINVAL;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int isotime_parse(const char *s, time_t *out)
{
    int y, mo, d, h, mi, se;
    if (!s || strlen(s) != ISOTIME_LEN - 1 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
        s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return -EINVAL;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -EINVAL;
    struct tm tm = { 0 };
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *out = timegm(&tm);
    return 0;
}
