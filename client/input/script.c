#include "input/script.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"

enum { LINE_MAX_LEN = 1024, SCRIPT_FILE_MAX = 1 << 20 };

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static char *trim(char *s)
{
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && (is_blank(s[n - 1]) || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Cut a '#' comment that starts the line or follows a blank, outside double quotes. */
static void strip_comment(char *s)
{
    int quoted = 0;
    for (size_t i = 0; s[i]; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == '#' && !quoted && (i == 0 || is_blank(s[i - 1]))) {
            s[i] = '\0';
            return;
        }
    }
}

/* Decimal digits only, value in [min, max]. */
static int parse_uint(const char *s, long min, long max, int *out)
{
    if (!s[0] || strlen(s) > 9)
        return -EINVAL;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return -EINVAL;
    }
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (*end || v < min || v > max)
        return -EINVAL;
    *out = (int)v;
    return 0;
}

/* Split s at its first blank: s keeps the first word, the return value is the trimmed rest. */
static char *split_word(char *s)
{
    char *p = s;
    while (*p && !is_blank(*p))
        p++;
    if (!*p)
        return p;
    *p = '\0';
    return trim(p + 1);
}

static int copy_arg(struct script_cmd *c, const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof(c->arg))
        return -EINVAL;
    memcpy(c->arg, s, n + 1);
    return 0;
}

/* wait-text: `"quoted text" [TIMEOUT]` or `text words [TIMEOUT]`. */
static int parse_wait_text(char *rest, struct script_cmd *c, const char **why)
{
    char *timeout = NULL;
    if (rest[0] == '"') {
        char *close = strchr(rest + 1, '"');
        if (!close) {
            *why = "missing closing quote";
            return -EINVAL;
        }
        *close = '\0';
        timeout = trim(close + 1);
        rest++;
    } else {
        char *last = rest + strlen(rest);
        while (last > rest && !is_blank(last[-1]))
            last--;
        int dummy;
        if (last > rest && parse_uint(last, 0, SCRIPT_MAX_MS, &dummy) == 0) {
            timeout = last;
            last[-1] = '\0';
            rest = trim(rest);
        }
    }
    if (copy_arg(c, rest) < 0) {
        *why = "wait-text needs a text (at most 255 bytes)";
        return -EINVAL;
    }
    if (timeout && timeout[0] && parse_uint(timeout, 0, SCRIPT_MAX_MS, &c->ms) < 0) {
        *why = "bad timeout (milliseconds, at most 3600000)";
        return -EINVAL;
    }
    return 0;
}

static void set_name(struct script_cmd *c, const char *word, int upper)
{
    size_t i = 0;
    for (; word[i] && i < sizeof(c->name) - 1; i++) {
        unsigned char ch = (unsigned char)word[i];
        c->name[i] = (char)(upper ? toupper(ch) : tolower(ch));
    }
    c->name[i] = '\0';
}

/* Parse one non-empty line into c. Returns 0 or -EINVAL with *why set. */
static int parse_command(char *line, struct script_cmd *c, const char **why)
{
    char *rest = split_word(line);
    const char *word = line;
    c->count = 1;
    c->ms = SCRIPT_DEFAULT_TIMEOUT_MS;

    if (strcasecmp(word, "wait") == 0) {
        c->op = SCRIPT_WAIT;
        set_name(c, word, 0);
        if (parse_uint(rest, 0, SCRIPT_MAX_MS, &c->ms) < 0) {
            *why = "wait needs milliseconds (0..3600000)";
            return -EINVAL;
        }
        return 0;
    }
    if (strcasecmp(word, "wait-screen") == 0) {
        c->op = SCRIPT_WAIT_SCREEN;
        set_name(c, word, 0);
        char *timeout = split_word(rest);
        if (copy_arg(c, rest) < 0) {
            *why = "wait-screen needs a screen name";
            return -EINVAL;
        }
        if (timeout[0]) {
            char *extra = split_word(timeout);
            if (extra[0] || parse_uint(timeout, 0, SCRIPT_MAX_MS, &c->ms) < 0) {
                *why = "bad timeout (milliseconds, at most 3600000)";
                return -EINVAL;
            }
        }
        return 0;
    }
    if (strcasecmp(word, "wait-text") == 0 || strcasecmp(word, "wait-gone") == 0) {
        c->op = strcasecmp(word, "wait-text") == 0 ? SCRIPT_WAIT_TEXT : SCRIPT_WAIT_GONE;
        set_name(c, word, 0);
        return parse_wait_text(rest, c, why);
    }
    if (strcasecmp(word, "shot") == 0 || strcasecmp(word, "quit") == 0) {
        c->op = strcasecmp(word, "shot") == 0 ? SCRIPT_SHOT : SCRIPT_QUIT;
        set_name(c, word, 0);
        if (rest[0]) {
            *why = "takes no argument";
            return -EINVAL;
        }
        return 0;
    }
    enum action a = action_from_name(word);
    if (a == ACTION_NONE) {
        *why = "unknown command";
        return -EINVAL;
    }
    c->op = SCRIPT_PRESS;
    c->action = a;
    set_name(c, word, 1);
    if (rest[0] && parse_uint(rest, 1, SCRIPT_MAX_COUNT, &c->count) < 0) {
        *why = "bad repeat count (1..1000)";
        return -EINVAL;
    }
    return 0;
}

int script_parse(const char *text, struct script *out, char *err, size_t errlen)
{
    struct script s = { NULL, 0 };
    int cap = 0;
    int lineno = 0;
    const char *p = text;
    int rc = 0;
    if (errlen)
        err[0] = '\0';

    while (*p) {
        lineno++;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[LINE_MAX_LEN];
        const char *why = NULL;
        if (len >= sizeof(line)) {
            snprintf(err, errlen, "line %d: line too long", lineno);
            rc = -EINVAL;
            goto fail;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p = eol ? eol + 1 : p + len;

        strip_comment(line);
        char *body = trim(line);
        if (!body[0])
            continue;
        if (s.n >= SCRIPT_MAX_CMDS) {
            snprintf(err, errlen, "line %d: too many commands", lineno);
            rc = -EINVAL;
            goto fail;
        }
        if (s.n == cap) {
            int ncap = cap ? cap * 2 : 16;
            struct script_cmd *n = realloc(s.cmds, (size_t)ncap * sizeof(*n));
            if (!n) {
                snprintf(err, errlen, "out of memory");
                rc = -ENOMEM;
                goto fail;
            }
            s.cmds = n;
            cap = ncap;
        }
        struct script_cmd *c = &s.cmds[s.n];
        memset(c, 0, sizeof(*c));
        c->line = lineno;
        char word[32];
        snprintf(word, sizeof(word), "%s", body);
        if (parse_command(body, c, &why) < 0) {
            size_t w = strcspn(word, " \t");
            word[w] = '\0';
            snprintf(err, errlen, "line %d: %s: %s", lineno, word, why);
            rc = -EINVAL;
            goto fail;
        }
        s.n++;
    }
    *out = s;
    return 0;
fail:
    free(s.cmds);
    return rc;
}

int script_load(const char *path, struct script *out, char *err, size_t errlen)
{
    struct buf b;
    buf_init(&b, SCRIPT_FILE_MAX);
    int rc = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        rc = -errno;
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    char chunk[4096];
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n == 0)
            break;
        rc = buf_append(&b, chunk, n);
        if (rc < 0) {
            snprintf(err, errlen, "%s: %s", path,
                     rc == -E2BIG ? "file too large" : "out of memory");
            goto fail;
        }
    }
    if (ferror(f)) {
        rc = -EIO;
        snprintf(err, errlen, "%s: read error", path);
        goto fail;
    }
    if (memchr(b.data ? b.data : "", '\0', b.len)) {
        rc = -EINVAL;
        snprintf(err, errlen, "%s: not a text file", path);
        goto fail;
    }
    char inner[256];
    rc = script_parse(b.data ? b.data : "", out, inner, sizeof(inner));
    if (rc < 0)
        snprintf(err, errlen, "%s: %s", path, inner);
fail:
    if (f)
        fclose(f);
    buf_fini(&b);
    return rc;
}

void script_free(struct script *s)
{
    free(s->cmds);
    s->cmds = NULL;
    s->n = 0;
}

void script_player_init(struct script_player *p, const struct script *s)
{
    memset(p, 0, sizeof(*p));
    p->s = s;
}

static void finish_step(struct script_player *p, struct script_tick *out, int timeout)
{
    out->kind = SCRIPT_TICK_STEP;
    out->cmd = &p->s->cmds[p->pc];
    out->step = ++p->steps;
    out->timeout = timeout;
    if (p->s->cmds[p->pc].op == SCRIPT_QUIT)
        p->ended = 1;
    p->pc++;
    p->pressed = 0;
    p->started = 0;
}

/* Whether a wait-screen / wait-text / wait-gone step's condition holds now. */
static int wait_met(const struct script_cmd *c, const struct script_probe *probe)
{
    if (c->op == SCRIPT_WAIT_SCREEN)
        return probe->screen && strcmp(probe->screen, c->arg) == 0 && !probe->loading;
    if (!probe->has_text)
        return 0;
    int seen = probe->has_text(probe->ctx, c->arg) != 0;
    return c->op == SCRIPT_WAIT_TEXT ? seen : !seen;
}

void script_player_tick(struct script_player *p, uint32_t now_ms, const struct script_probe *probe,
                        struct script_tick *out)
{
    memset(out, 0, sizeof(*out));
    if (p->ended || p->pc >= p->s->n) {
        p->ended = 1;
        out->kind = SCRIPT_TICK_END;
        return;
    }
    const struct script_cmd *c = &p->s->cmds[p->pc];
    if (!p->started) {
        p->started = 1;
        p->t0 = now_ms;
    }
    uint32_t elapsed = now_ms - p->t0;
    int left = c->ms - (int)(elapsed > (uint32_t)c->ms ? (uint32_t)c->ms : elapsed);

    switch (c->op) {
    case SCRIPT_PRESS:
        if (p->pressed < c->count) {
            p->pressed++;
            out->kind = SCRIPT_TICK_PRESS;
            out->action = c->action;
            return;
        }
        finish_step(p, out, 0);
        return;
    case SCRIPT_WAIT:
        if (left > 0)
            break;
        finish_step(p, out, 0);
        return;
    case SCRIPT_WAIT_SCREEN:
    case SCRIPT_WAIT_TEXT:
    case SCRIPT_WAIT_GONE: {
        int met = wait_met(c, probe);
        if (met || left <= 0) {
            finish_step(p, out, !met); /* not met in time: a timed-out step */
            return;
        }
        break;
    }
    case SCRIPT_SHOT:
    case SCRIPT_QUIT:
        finish_step(p, out, 0);
        return;
    }
    out->kind = SCRIPT_TICK_IDLE;
    out->wake_ms = left;
}
