/* The option-table walk shared by djtv and djtv-server (see options.h). */
#include "options.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

const struct opts_def *opts_find(const struct opts_def *defs, size_t n, const char *name,
                                 size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const char *o = defs[i].name;
        size_t k = 0;
        for (; k < len && o[k]; k++) {
            char a = name[k] == '_' ? '-' : name[k], b = o[k] == '_' ? '-' : o[k];
            if (a != b)
                break;
        }
        if (k == len && o[k] == '\0')
            return &defs[i];
    }
    return NULL;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "1", "yes", "true", "on" };
    static const char *const no[] = { "0", "no", "false", "off" };
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -EINVAL;
}

/* A whole number from MIN to MAX, or -EINVAL. */
static int parse_whole(const char *v, long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return -EINVAL;
    *out = n;
    return 0;
}

int opts_set(const struct opts_def *d, void *base, const char *value, char *err,
             size_t errlen)
{
    char *field = (char *)base + d->off;
    long long n = 0;
    switch (d->type) {
    case OPTS_TEXT: {
        size_t len = strlen(value);
        if (len >= d->size) {
            snprintf(err, errlen, "%s: value too long", d->name);
            return -EINVAL;
        }
        memcpy(field, value, len + 1);
        return 0;
    }
    case OPTS_OWNED: {
        if (!value[0]) {
            snprintf(err, errlen, "%s: needs a value", d->name);
            return -EINVAL;
        }
        char *copy = strdup(value);
        if (!copy)
            return -ENOMEM;
        char **slot = (char **)(void *)field;
        free(*slot);
        *slot = copy;
        return 0;
    }
    case OPTS_BOOL:
        if (parse_bool(value, (int *)(void *)field) == 0)
            return 0;
        snprintf(err, errlen, "%s: expected yes or no, got '%s'", d->name, value);
        return -EINVAL;
    case OPTS_INT:
    case OPTS_INT64:
        if (parse_whole(value, d->min, d->max, &n) < 0) {
            snprintf(err, errlen, "%s: expected a whole number from %lld to %lld, got '%s'",
                     d->name, d->min, d->max, value);
            return -EINVAL;
        }
        if (d->type == OPTS_INT)
            *(int *)(void *)field = (int)n;
        else
            *(int64_t *)(void *)field = (int64_t)n;
        return 0;
    case OPTS_LEVEL:
        if (log_level_parse(value, (enum log_level *)(void *)field) == 0)
            return 0;
        snprintf(err, errlen, "%s: expected error, warn, info or debug, got '%s'", d->name,
                 value);
        return -EINVAL;
    case OPTS_ACTION:
        break;
    }
    snprintf(err, errlen, "%s: not a setting", d->name);
    return -EINVAL;
}

void opts_free(const struct opts_def *defs, size_t n, void *base)
{
    for (size_t i = 0; i < n; i++) {
        if (defs[i].type != OPTS_OWNED)
            continue;
        char **slot = (char **)(void *)((char *)base + defs[i].off);
        free(*slot);
        *slot = NULL;
    }
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int opts_read_text(const char *text, const char *origin, opts_setting_fn fn, void *ctx,
                   char *err, size_t errlen)
{
    char line[OPTS_LINE_MAX];
    char why[512];
    int lineno = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        lineno++;
        if (n >= sizeof(line)) {
            snprintf(err, errlen, "%s:%d: line too long", origin, lineno);
            return -EINVAL;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        p += n + (p[n] == '\n');
        char *s = trim(line);
        if (!s[0] || s[0] == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected `key = value`", origin, lineno);
            return -EINVAL;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vn = strlen(value);
        if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
            value[vn - 1] = '\0';
            value++;
        }
        why[0] = '\0';
        int rc = fn(ctx, key, value, why, sizeof(why));
        if (rc < 0) {
            snprintf(err, errlen, "%s:%d: %s", origin, lineno, why);
            return rc;
        }
    }
    return 0;
}

int opts_read_file(const char *path, opts_setting_fn fn, void *ctx, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    char *text = malloc(OPTS_FILE_MAX + 1);
    size_t len = text ? fread(text, 1, OPTS_FILE_MAX + 1, f) : 0;
    int rc = 0;
    if (!text)
        rc = -ENOMEM;
    else if (ferror(f))
        rc = -EIO;
    else if (len > OPTS_FILE_MAX)
        rc = -E2BIG;
    fclose(f);
    if (rc == 0 && memchr(text, '\0', len))
        rc = -EINVAL; /* not a text file */
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path,
                 rc == -E2BIG ? "too large" : rc == -EINVAL ? "not a text file" : strerror(-rc));
        free(text);
        return rc;
    }
    text[len] = '\0';
    rc = opts_read_text(text, path, fn, ctx, err, errlen);
    free(text);
    return rc;
}

int opts_flag(const char *arg, const char **name, size_t *len, const char **value)
{
    if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0')
        return -EINVAL;
    *name = arg + 2;
    const char *eq = strchr(*name, '=');
    *len = eq ? (size_t)(eq - *name) : strlen(*name);
    *value = eq ? eq + 1 : NULL;
    return 0;
}

const char *opts_flag_value(int argc, char **argv, int *i, const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

void opts_usage_line(FILE *out, int width, const char *left, const char *help,
                     const char *suffix)
{
    fprintf(out, "  %-*s %s%s\n", width, left, help, suffix ? suffix : "");
}

void opts_usage_left(const struct opts_def *d, char *out, size_t size)
{
    snprintf(out, size, "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
}
