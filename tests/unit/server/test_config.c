/* Command line and config file parsing: defaults, subcommands, `key = value` files, flags win,
 * errors with reasons. */
#include <errno.h>
#include <stdio.h>

#include "../check.h"
#include "config.h"
#include "server_test.h"

#define ARGV(...) ((char *[]){ "djtv-server", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "djtv-server", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(c, err, ...) \
    config_parse_args((c), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (err), sizeof(err))

static void test_defaults(void)
{
    struct server_config c;
    char err[256] = "";
    CHECK_EQ_INT(config_init(&c), 0);
    char *argv[] = { "djtv-server", NULL };
    CHECK_EQ_INT(config_parse_args(&c, 1, argv, err, sizeof(err)), 0);
    CHECK_EQ_INT(c.cmd, CMD_SERVE);
    CHECK_EQ_STR(c.listen, "127.0.0.1");
    CHECK_EQ_INT(c.port, 8443);
    CHECK_EQ_STR(c.assets, "assets");
    CHECK(c.threads >= 1);
    CHECK_EQ_INT(c.log_level, LOG_INFO);
    CHECK(c.db == NULL && c.cert == NULL && c.key == NULL);
    /* serve needs a database, a certificate and a key */
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "--db") != NULL);
    config_fini(&c);
}

static void test_serve_flags(void)
{
    struct server_config c;
    char err[256] = "";
    config_init(&c);
    CHECK_EQ_INT(PARSE(&c, err, "serve", "--listen", "::1", "--port=9443", "--cert", "c.pem",
                       "--key", "k.pem", "--db", "x.db", "--threads", "3", "--log-level",
                       "DEBUG"),
                 0);
    CHECK_EQ_INT(c.cmd, CMD_SERVE);
    CHECK_EQ_STR(c.listen, "::1");
    CHECK_EQ_INT(c.port, 9443);
    CHECK_EQ_STR(c.cert, "c.pem");
    CHECK_EQ_STR(c.key, "k.pem");
    CHECK_EQ_STR(c.db, "x.db");
    CHECK_EQ_INT(c.threads, 3);
    CHECK_EQ_INT(c.log_level, LOG_DEBUG);
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), 0);
    config_fini(&c);
}

static void test_demo_flags(void)
{
    struct server_config c;
    char err[256] = "";
    config_init(&c);
    CHECK_EQ_INT(PARSE(&c, err, "demo", "--db", "d.db", "--assets", "a", "--boxes-out", "b.tsv",
                       "--force"),
                 0);
    CHECK_EQ_INT(c.cmd, CMD_DEMO);
    CHECK_EQ_INT(c.force, 1);
    CHECK_EQ_STR(c.boxes_out, "b.tsv");
    CHECK_EQ_STR(c.assets, "a");
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), 0);
    config_fini(&c);

    config_init(&c);
    CHECK_EQ_INT(PARSE(&c, err, "demo", "--db", "d.db"), 0);
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), -EINVAL); /* no --boxes-out */
    CHECK(strstr(err, "--boxes-out") != NULL);
    config_fini(&c);
}

static void test_bad_command_lines(void)
{
    static const char *const cases[][4] = {
        { "frobnicate", NULL },            /* unknown command */
        { "--port", "http", NULL },        /* not a number */
        { "--port", "70000", NULL },       /* out of range */
        { "--port", NULL },                /* missing value */
        { "--threads", "0", NULL },        /* out of range */
        { "--log-level", "loud", NULL },   /* unknown level */
        { "--bogus", NULL },               /* unknown option */
        { "--log_level", "info", NULL },   /* underscores only in files */
        { "stray", NULL },                 /* unknown command */
        { "--force", NULL },               /* a demo option given to serve */
        { "demo", "--port", "1", NULL },   /* a serve option given to demo */
        { "demo", "--force=yes", NULL },   /* flags take no value */
        { "--cert", "", NULL },            /* empty value */
        { "--db", "x.db", "extra", NULL }, /* stray argument */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[6] = { "djtv-server" };
        int argc = 1;
        for (int k = 0; k < 4 && cases[i][k]; k++)
            argv[argc++] = (char *)cases[i][k];
        struct server_config c;
        char err[256] = "";
        config_init(&c);
        int rc = config_parse_args(&c, argc, argv, err, sizeof(err));
        if (rc != -EINVAL)
            printf("# case %zu accepted (%d)\n", i, rc);
        CHECK_EQ_INT(rc, -EINVAL);
        CHECK(err[0] != '\0');
        config_fini(&c);
    }
}

static void test_help_and_version_stop_early(void)
{
    struct server_config c;
    char err[256] = "";
    config_init(&c);
    CHECK_EQ_INT(PARSE(&c, err, "--bogus", "--help"), 0);
    CHECK_EQ_INT(c.help, 1);
    config_fini(&c);
    config_init(&c);
    CHECK_EQ_INT(PARSE(&c, err, "demo", "--version"), 0);
    CHECK_EQ_INT(c.version, 1);
    config_fini(&c);
}

static void test_config_text(void)
{
    static const char text[] = "# DJTV server\n"
                               "\n"
                               "listen = 0.0.0.0\n"
                               "  port=  10443  \n"
                               "cert = \"/etc/djtv/server.crt\"\r\n"
                               "log_level = warn\n"
                               "boxes-out = ignored-by-serve.tsv\n"
                               "force = yes\n"
                               "db = /var/lib/djtv/djtv.db";
    struct server_config c;
    char err[256] = "";
    config_init(&c);
    CHECK_EQ_INT(config_load_text(&c, text, "test.conf", err, sizeof(err)), 0);
    CHECK_EQ_STR(c.listen, "0.0.0.0");
    CHECK_EQ_INT(c.port, 10443);
    CHECK_EQ_STR(c.cert, "/etc/djtv/server.crt");
    CHECK_EQ_INT(c.log_level, LOG_WARN);
    CHECK_EQ_STR(c.db, "/var/lib/djtv/djtv.db");
    CHECK(c.boxes_out == NULL); /* a demo key in a serve run: accepted, not applied */
    CHECK_EQ_INT(c.force, 0);
    config_fini(&c);

    static const struct {
        const char *text;
        const char *where;
    } bad[] = {
        { "port = 8443\nportt = 1\n", "test.conf:2" },
        { "just words\n", "test.conf:1" },
        { "port = many\n", "test.conf:1" },
        { "\n\nthreads = 0\n", "test.conf:3" },
        { "cert =\n", "test.conf:1" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        config_init(&c);
        err[0] = '\0';
        CHECK_EQ_INT(config_load_text(&c, bad[i].text, "test.conf", err, sizeof(err)), -EINVAL);
        CHECK(strncmp(err, bad[i].where, strlen(bad[i].where)) == 0);
        config_fini(&c);
    }
}

static void test_file_then_flags_win(void)
{
    char dir[64], path[128];
    CHECK_EQ_INT(test_tmpdir(dir, sizeof(dir)), 0);
    snprintf(path, sizeof(path), "%s/server.conf", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("port = 9000\ndb = from-file.db\ncert = c.pem\nkey = k.pem\nthreads = 4\n", f);
    fclose(f);
    struct server_config c;
    char err[256] = "";
    config_init(&c);
    /* --port comes before --config on the line, and still wins over the file. */
    CHECK_EQ_INT(PARSE(&c, err, "--port", "9100", "--config", path, "--threads", "2"), 0);
    CHECK_EQ_INT(c.port, 9100);
    CHECK_EQ_INT(c.threads, 2);
    CHECK_EQ_STR(c.db, "from-file.db");
    CHECK_EQ_STR(c.config_path, path);
    CHECK_EQ_INT(config_validate(&c, err, sizeof(err)), 0);
    config_fini(&c);

    config_init(&c);
    CHECK(PARSE(&c, err, "--config", "/nonexistent/djtv.conf") < 0);
    CHECK(strstr(err, "/nonexistent/djtv.conf") != NULL);
    config_fini(&c);
    test_rmtree(dir);
}

static void test_help_text_lists_every_option(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    CHECK(f != NULL);
    if (!f)
        return;
    config_print_help(f);
    fclose(f);
    static const char *const want[] = { "--config FILE", "--listen ADDR", "--port N",
                                        "--cert FILE",   "--key FILE",    "--db FILE",
                                        "--assets DIR",  "--threads N",   "--log-level",
                                        "--boxes-out",   "--force",       "--help",
                                        "--version",     "demo",          "serve" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        if (!strstr(text, want[i]))
            printf("# help lacks %s\n", want[i]);
        CHECK(strstr(text, want[i]) != NULL);
    }
    free(text);
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_serve_flags);
    RUN(test_demo_flags);
    RUN(test_bad_command_lines);
    RUN(test_help_and_version_stop_early);
    RUN(test_config_text);
    RUN(test_file_then_flags_win);
    RUN(test_help_text_lists_every_option);
    return CHECK_DONE();
}
