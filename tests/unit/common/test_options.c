/* The option-table walk client and server share: names with '-' or '_', every value type with
 * its range and its refusal, `key = value` text and files (comments, quotes, CRLF, the line
 * an error is on), command-line flags and the --help lines. */
#include "options.h"
#include "log.h"
#include "../check.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct demo_config {
    char path[16];
    char *owned;
    int flag;
    int small;
    int64_t big;
    enum log_level level;
};

#define F(f) offsetof(struct demo_config, f)
static const struct opts_def defs[] = {
    { "path", OPTS_TEXT, F(path), sizeof(((struct demo_config *)0)->path), 0, 0, 1, "FILE",
      "a path" },
    { "owned-text", OPTS_OWNED, F(owned), 0, 0, 0, 1, "TEXT", "a copy" },
    { "flag", OPTS_BOOL, F(flag), 0, 0, 0, 2, NULL, "a switch" },
    { "small", OPTS_INT, F(small), 0, -1, 10, 1, "N", "a small number" },
    { "big", OPTS_INT64, F(big), 0, 0, 1LL << 53, 1, "N", "a big number" },
    { "log-level", OPTS_LEVEL, F(level), 0, 0, 0, 1, "L", "how much to log" },
    { "help", OPTS_ACTION, 0, 0, 0, 0, 1, NULL, "show this" },
};
#undef F
enum { N_DEFS = sizeof(defs) / sizeof(defs[0]) };

static const struct opts_def *find(const char *name)
{
    return opts_find(defs, N_DEFS, name, strlen(name));
}

static void test_find_takes_dash_or_underscore(void)
{
    CHECK(find("owned-text") == &defs[1]);
    CHECK(find("owned_text") == &defs[1]);
    CHECK(find("log_level") == &defs[5]);
    CHECK(find("owned") == NULL);       /* a prefix is not the name */
    CHECK(find("owned-texts") == NULL); /* nor a longer word */
    CHECK(find("") == NULL);
    CHECK(opts_find(defs, N_DEFS, "flag=yes", 4) == &defs[2]); /* LEN bytes only */
}

static void test_set_every_type(void)
{
    struct demo_config c = { 0 };
    char err[160] = "";
    CHECK_EQ_INT(opts_set(find("path"), &c, "/a/b", err, sizeof(err)), 0);
    CHECK_EQ_STR(c.path, "/a/b");
    CHECK_EQ_INT(opts_set(find("path"), &c, "0123456789abcdef", err, sizeof(err)), -EINVAL);
    CHECK_EQ_STR(err, "path: value too long");
    CHECK_EQ_STR(c.path, "/a/b"); /* kept */

    CHECK_EQ_INT(opts_set(find("owned-text"), &c, "first", err, sizeof(err)), 0);
    CHECK_EQ_INT(opts_set(find("owned-text"), &c, "second", err, sizeof(err)), 0); /* frees */
    CHECK_EQ_STR(c.owned, "second");
    CHECK_EQ_INT(opts_set(find("owned-text"), &c, "", err, sizeof(err)), -EINVAL);
    CHECK_EQ_STR(err, "owned-text: needs a value");

    static const char *const yes[] = { "1", "yes", "TRUE", "On" };
    static const char *const no[] = { "0", "No", "false", "OFF" };
    for (int i = 0; i < 4; i++) {
        CHECK_EQ_INT(opts_set(find("flag"), &c, yes[i], err, sizeof(err)), 0);
        CHECK_EQ_INT(c.flag, 1);
        CHECK_EQ_INT(opts_set(find("flag"), &c, no[i], err, sizeof(err)), 0);
        CHECK_EQ_INT(c.flag, 0);
    }
    CHECK_EQ_INT(opts_set(find("flag"), &c, "maybe", err, sizeof(err)), -EINVAL);
    CHECK_EQ_STR(err, "flag: expected yes or no, got 'maybe'");

    CHECK_EQ_INT(opts_set(find("small"), &c, "-1", err, sizeof(err)), 0);
    CHECK_EQ_INT(c.small, -1);
    CHECK_EQ_INT(opts_set(find("small"), &c, "10", err, sizeof(err)), 0);
    CHECK_EQ_INT(c.small, 10);
    static const char *const bad[] = { "11", "-2", "", "3x", "x", "1.5",
                                       "99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ_INT(opts_set(find("small"), &c, bad[i], err, sizeof(err)), -EINVAL);
        CHECK_EQ_INT(c.small, 10);
    }
    CHECK_EQ_STR(err, "small: expected a whole number from -1 to 10, got "
                      "'99999999999999999999'");
    CHECK_EQ_INT(opts_set(find("big"), &c, "9007199254740992", err, sizeof(err)), 0);
    CHECK(c.big == (int64_t)1 << 53);
    CHECK_EQ_INT(opts_set(find("big"), &c, "9007199254740993", err, sizeof(err)), -EINVAL);

    CHECK_EQ_INT(opts_set(find("log-level"), &c, "DEBUG", err, sizeof(err)), 0);
    CHECK_EQ_INT(c.level, LOG_DEBUG);
    CHECK_EQ_INT(opts_set(find("log-level"), &c, "loud", err, sizeof(err)), -EINVAL);
    CHECK_EQ_STR(err, "log-level: expected error, warn, info or debug, got 'loud'");

    CHECK_EQ_INT(opts_set(find("help"), &c, "x", err, sizeof(err)), -EINVAL);
    opts_free(defs, N_DEFS, &c);
    CHECK(c.owned == NULL);
    opts_free(defs, N_DEFS, &c); /* twice is fine */
}

/* The settings a text gave, in order, as "key=value;" (a program's callback). */
struct seen {
    char text[512];
    const char *refuse; /* a key the callback refuses */
};

static int remember(void *ctx, const char *key, const char *value, char *why, size_t whylen)
{
    struct seen *s = ctx;
    if (s->refuse && strcmp(key, s->refuse) == 0) {
        snprintf(why, whylen, "unknown setting '%s'", key);
        return -EINVAL;
    }
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof(s->text) - n, "%s=%s;", key, value);
    return 0;
}

static void test_read_text_lines(void)
{
    struct seen s = { "", NULL };
    char err[160] = "";
    static const char text[] = "# a comment\n"
                               "\n"
                               "   \t\n"
                               "a = 1\n"
                               "  b_c=  two words  \r\n"
                               "quoted = \"  kept  \"\n"
                               "empty =\n"
                               "eq = x=y\n"
                               "last = no newline";
    CHECK_EQ_INT(opts_read_text(text, "t.conf", remember, &s, err, sizeof(err)), 0);
    CHECK_EQ_STR(s.text, "a=1;b_c=two words;quoted=  kept  ;empty=;eq=x=y;last=no newline;");

    static const struct {
        const char *text;
        const char *want;
    } bad[] = {
        { "a = 1\njust words\n", "t.conf:2: expected `key = value`" },
        { "\n\n\nrefused = 1\n", "t.conf:4: unknown setting 'refused'" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct seen r = { "", "refused" };
        CHECK_EQ_INT(opts_read_text(bad[i].text, "t.conf", remember, &r, err, sizeof(err)),
                     -EINVAL);
        CHECK_EQ_STR(err, bad[i].want);
    }
    char *long_line = malloc(OPTS_LINE_MAX + 16);
    CHECK(long_line != NULL);
    if (long_line) {
        memset(long_line, 'x', OPTS_LINE_MAX + 8);
        memcpy(long_line, "a = 1\nk = ", 10);
        long_line[OPTS_LINE_MAX + 8] = '\0';
        struct seen r = { "", NULL };
        CHECK_EQ_INT(opts_read_text(long_line, "t.conf", remember, &r, err, sizeof(err)),
                     -EINVAL);
        CHECK_EQ_STR(err, "t.conf:2: line too long");
        free(long_line);
    }
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ_INT(fwrite(data, 1, len, f), len);
        fclose(f);
    }
}

static void test_read_file(void)
{
    char dir[] = "/tmp/djtv-options-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[128], err[256] = "";
    snprintf(path, sizeof(path), "%s/ok.conf", dir);
    write_file(path, "a = 1\nb = 2\n", 12);
    struct seen s = { "", NULL };
    CHECK_EQ_INT(opts_read_file(path, remember, &s, err, sizeof(err)), 0);
    CHECK_EQ_STR(s.text, "a=1;b=2;");

    struct seen r = { "", "b" };
    CHECK_EQ_INT(opts_read_file(path, remember, &r, err, sizeof(err)), -EINVAL);
    char want[200];
    snprintf(want, sizeof(want), "%s:2: unknown setting 'b'", path);
    CHECK_EQ_STR(err, want);

    CHECK_EQ_INT(opts_read_file("/nonexistent/x.conf", remember, &s, err, sizeof(err)),
                 -ENOENT);
    CHECK_EQ_STR(err, "/nonexistent/x.conf: No such file or directory");

    write_file(path, "a = 1\n\0b = 2\n", 13);
    CHECK_EQ_INT(opts_read_file(path, remember, &s, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "not a text file") != NULL);

    char *big = malloc(OPTS_FILE_MAX + 2);
    CHECK(big != NULL);
    if (big) {
        memset(big, '#', OPTS_FILE_MAX + 1);
        for (size_t i = 80; i < OPTS_FILE_MAX; i += 80)
            big[i] = '\n';
        write_file(path, big, OPTS_FILE_MAX + 1);
        CHECK_EQ_INT(opts_read_file(path, remember, &s, err, sizeof(err)), -E2BIG);
        CHECK(strstr(err, "too large") != NULL);
        write_file(path, big, OPTS_FILE_MAX); /* just fits: all comments */
        struct seen t = { "", NULL };
        CHECK_EQ_INT(opts_read_file(path, remember, &t, err, sizeof(err)), 0);
        CHECK_EQ_STR(t.text, "");
        free(big);
    }
    unlink(path);
    rmdir(dir);
}

static void test_flags_and_values(void)
{
    const char *name, *value;
    size_t len;
    CHECK_EQ_INT(opts_flag("--port=9443", &name, &len, &value), 0);
    CHECK_EQ_INT(len, 4);
    CHECK(strncmp(name, "port", len) == 0);
    CHECK_EQ_STR(value, "9443");
    CHECK_EQ_INT(opts_flag("--force", &name, &len, &value), 0);
    CHECK_EQ_INT(len, 5);
    CHECK(value == NULL);
    CHECK_EQ_INT(opts_flag("--x=", &name, &len, &value), 0);
    CHECK_EQ_STR(value, "");
    CHECK_EQ_INT(opts_flag("--", &name, &len, &value), -EINVAL);
    CHECK_EQ_INT(opts_flag("-p", &name, &len, &value), -EINVAL);
    CHECK_EQ_INT(opts_flag("stray", &name, &len, &value), -EINVAL);

    char *argv[] = { "prog", "--db", "x.db", "--port" };
    int i = 1;
    CHECK_EQ_STR(opts_flag_value(4, argv, &i, NULL), "x.db");
    CHECK_EQ_INT(i, 2);
    i = 3;
    CHECK(opts_flag_value(4, argv, &i, NULL) == NULL); /* the last argument: no value */
    CHECK_EQ_INT(i, 3);
    CHECK_EQ_STR(opts_flag_value(4, argv, &i, "inline"), "inline");
    CHECK_EQ_INT(i, 3);
}

static void test_usage_lines(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    CHECK(out != NULL);
    if (!out)
        return;
    char left[64];
    opts_usage_left(&defs[0], left, sizeof(left));
    CHECK_EQ_STR(left, "--path FILE");
    opts_usage_line(out, 14, left, defs[0].help, NULL);
    opts_usage_left(&defs[2], left, sizeof(left));
    CHECK_EQ_STR(left, "--flag");
    opts_usage_line(out, 14, left, defs[2].help, " [file]");
    opts_usage_line(out, 4, "--much-longer", "still one space", NULL);
    fclose(out);
    CHECK_EQ_STR(text, "  --path FILE    a path\n"
                       "  --flag         a switch [file]\n"
                       "  --much-longer still one space\n");
    free(text);
}

int main(void)
{
    RUN(test_find_takes_dash_or_underscore);
    RUN(test_set_every_type);
    RUN(test_read_text_lines);
    RUN(test_read_file);
    RUN(test_flags_and_values);
    RUN(test_usage_lines);
    return CHECK_DONE();
}
