/* Client options: flags, the config file, precedence, --help/--version, the token file. */
#include "app/config.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* CHECK_EQ_STR on the config's 1 KiB arrays trips -Wformat-truncation inside check.h. */
#define CHECK_STR(field, want) CHECK(strcmp((field), (want)) == 0)

static char dir[] = "/tmp/djtv-test-config-XXXXXX";

static void write_file(const char *name, const char *text, char *path, size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static int parse(int argc, char **argv, struct app_config *cfg, char *err)
{
    FILE *out = fopen("/dev/null", "w");
    int rc = config_parse(argc, argv, cfg, out, err, 256);
    fclose(out);
    return rc;
}

static void test_defaults_and_flags(void)
{
    struct app_config cfg;
    char err[256];
    char *none[] = { "djtv" };
    CHECK_EQ_INT(parse(1, none, &cfg, err), CONFIG_RUN);
    CHECK_STR(cfg.server, "https://127.0.0.1:8443");
    CHECK_EQ_INT(cfg.font_index, -1);
    CHECK_EQ_INT(cfg.headless, 0);
    CHECK_EQ_INT(cfg.log_level, LOG_INFO);
    char *argv[] = { "djtv", "--server", "https://10.0.0.1:9443/", "--ca=/x/ca.pem",
                     "--headless", "--keys", "k.txt", "--screenshot-dir", "shots",
                     "--dump-ui", "d.jsonl", "--log-level", "debug", "--font-index", "0",
                     "--fullscreen=no" };
    CHECK_EQ_INT(parse(16, argv, &cfg, err), CONFIG_RUN);
    CHECK_STR(cfg.server, "https://10.0.0.1:9443/");
    CHECK_STR(cfg.ca, "/x/ca.pem");
    CHECK_EQ_INT(cfg.headless, 1);
    CHECK_EQ_INT(cfg.fullscreen, 0);
    CHECK_STR(cfg.keys, "k.txt");
    CHECK_STR(cfg.screenshot_dir, "shots");
    CHECK_STR(cfg.dump_ui, "d.jsonl");
    CHECK_EQ_INT(cfg.log_level, LOG_DEBUG);
    CHECK_EQ_INT(cfg.font_index, 0);
}

static void test_bad_command_lines(void)
{
    static struct {
        int argc;
        char *argv[4];
        const char *want;
    } cases[] = {
        { 2, { "djtv", "--bogus" }, "unknown option '--bogus'" },
        { 2, { "djtv", "stray" }, "unexpected argument 'stray'" },
        { 2, { "djtv", "--server" }, "--server needs a value" },
        { 3, { "djtv", "--log-level", "loud" }, "log-level: expected error, warn, info or debug" },
        { 2, { "djtv", "--headless=maybe" }, "headless: expected yes or no" },
        { 3, { "djtv", "--font-index", "x" },
          "font-index: expected a whole number from -1 to 1000" },
        { 3, { "djtv", "--token", "secret" }, "unknown option '--token'" }, /* file only */
        { 3, { "djtv", "--config", "/nonexistent/djtv.conf" }, "/nonexistent/djtv.conf: " },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct app_config cfg;
        char err[256] = "";
        CHECK(parse(cases[i].argc, cases[i].argv, &cfg, err) < 0);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0) {
            printf("# case %zu: got '%s' want '%s…'\n", i, err, cases[i].want);
            CHECK(0);
        }
    }
}

static void test_help_and_version_exit(void)
{
    struct app_config cfg;
    char err[256];
    char *help[] = { "djtv", "--bogus", "--help" }; /* --help wins over a bad option */
    CHECK_EQ_INT(parse(3, help, &cfg, err), CONFIG_EXIT);
    char *version[] = { "djtv", "--version" };
    CHECK_EQ_INT(parse(2, version, &cfg, err), CONFIG_EXIT);
}

static void test_config_file_and_flags_win(void)
{
    char conf[512], ca[512], tok[512];
    write_file("ca.pem", "not really a CA\n", ca, sizeof(ca));
    write_file("token", "  abc123  \n", tok, sizeof(tok));
    char text[2048];
    snprintf(text, sizeof(text),
             "# client settings\n"
             "server = https://127.0.0.1:18443//\n"
             "ca = %s\n"
             "\n"
             "token = from-config\n"
             "font = \"/fonts/x.otf\"\n"
             "fullscreen = yes\n"
             "log_level = warn\n"
             "token-file = %s\n",
             ca, tok);
    write_file("client.conf", text, conf, sizeof(conf));
    struct app_config cfg;
    char err[256];
    char *argv[] = { "djtv", "--log-level", "error", "--config", conf };
    CHECK_EQ_INT(parse(5, argv, &cfg, err), CONFIG_RUN);
    CHECK_STR(cfg.server, "https://127.0.0.1:18443//");
    CHECK_STR(cfg.token, "from-config");
    CHECK_STR(cfg.font, "/fonts/x.otf");
    CHECK_EQ_INT(cfg.fullscreen, 1);
    CHECK_EQ_INT(cfg.log_level, LOG_ERROR); /* the flag, though it came first */
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), 0);
    CHECK_STR(cfg.server, "https://127.0.0.1:18443");
    CHECK_STR(cfg.token, "abc123"); /* the token file wins over token = */
}

static void test_bad_config_files(void)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        { "server https://x\n", ":1: expected `key = value`" },
        { "\n\ncolour = red\n", ":3: unknown setting 'colour'" },
        { "config = other.conf\n", ":1: unknown setting 'config'" },
        { "headless = perhaps\n", ":1: headless: expected yes or no" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[512];
        write_file("bad.conf", cases[i].text, path, sizeof(path));
        struct app_config cfg;
        char err[256] = "";
        char *argv[] = { "djtv", "--config", path };
        CHECK_EQ_INT(parse(3, argv, &cfg, err), -EINVAL);
        if (!strstr(err, cases[i].want)) {
            printf("# case %zu: got '%s' want '…%s'\n", i, err, cases[i].want);
            CHECK(0);
        }
    }
}

static void test_finish_checks_files(void)
{
    struct app_config cfg;
    char err[256];
    char *argv[] = { "djtv" };
    parse(1, argv, &cfg, err);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "no CA file") != NULL);
    snprintf(cfg.ca, sizeof(cfg.ca), "/nonexistent/ca.pem");
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -ENOENT);
    CHECK(strstr(err, "/nonexistent/ca.pem") != NULL);
    snprintf(cfg.server, sizeof(cfg.server), "http://127.0.0.1:8080");
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "https://") != NULL);

    char ca[512], empty[512];
    write_file("ca.pem", "x\n", ca, sizeof(ca));
    write_file("empty-token", "", empty, sizeof(empty));
    parse(1, argv, &cfg, err);
    snprintf(cfg.ca, sizeof(cfg.ca), "%s", ca);
    snprintf(cfg.token_file, sizeof(cfg.token_file), "%s", empty);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), 0); /* not registered is not fatal */
    CHECK_STR(cfg.token, "");
    CHECK(cfg.font[0] != '\0'); /* a default font was picked */
    snprintf(cfg.token_file, sizeof(cfg.token_file), "%s/missing-token", dir);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -ENOENT);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("not ok - setup: mkdtemp\n");
        return 1;
    }
    RUN(test_defaults_and_flags);
    RUN(test_bad_command_lines);
    RUN(test_help_and_version_exit);
    RUN(test_config_file_and_flags_win);
    RUN(test_bad_config_files);
    RUN(test_finish_checks_files);
    static const char *const files[] = { "ca.pem", "token", "client.conf", "bad.conf",
                                         "empty-token" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
    return CHECK_DONE();
}
