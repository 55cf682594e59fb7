/* djtv-server's option table and its command line (subcommands, `import DIR`); the table
 * walk itself is common/options. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "upload/upload.h"

enum {
    FOR_SERVE = 1 << CMD_SERVE,
    FOR_DEMO = 1 << CMD_DEMO,
    FOR_IMPORT = 1 << CMD_IMPORT,
    FOR_ALL = FOR_SERVE | FOR_DEMO | FOR_IMPORT,
};

#define STR(f) OPTS_OWNED, offsetof(struct server_config, f), 0, 0, 0
#define INT(f, lo, hi) OPTS_INT, offsetof(struct server_config, f), 0, lo, hi
static const struct opts_def opts[] = {
    { "listen", STR(listen), FOR_SERVE, "ADDR",
      "numeric IPv4/IPv6 address to listen on (default 127.0.0.1)" },
    { "port", INT(port, 0, 65535), FOR_SERVE, "N",
      "HTTPS port (default 8443; 0 picks a free one)" },
    { "cert", STR(cert), FOR_SERVE, "FILE", "TLS certificate chain (PEM)" },
    { "key", STR(key), FOR_SERVE, "FILE", "TLS private key (PEM)" },
    { "db", STR(db), FOR_ALL, "FILE", "SQLite database file" },
    { "assets", STR(assets), FOR_ALL, "DIR",
      "assets folder (default assets; demo reads DIR/demo/*.json)" },
    { "threads", INT(threads, 1, 256), FOR_SERVE, "N",
      "HTTP worker threads (default: number of CPUs)" },
    { "log-level", OPTS_LEVEL, offsetof(struct server_config, log_level), 0, 0, 0, FOR_ALL, "L",
      "error, warn, info or debug (default info)" },
    { "boxes-out", STR(boxes_out), FOR_DEMO, "FILE",
      "demo: write box tokens here (TSV, mode 0600)" },
    { "force", OPTS_BOOL, offsetof(struct server_config, force), 0, 0, 0, FOR_DEMO, NULL,
      "demo: replace an existing database" },
    { "accounts-out", STR(accounts_out), FOR_DEMO, "FILE",
      "demo: write account passwords here (TSV, mode 0600; default accounts.tsv beside "
      "--boxes-out)" },
    { "media", STR(media), FOR_SERVE | FOR_IMPORT, "DIR",
      "imported media, served under /media/ (default media)" },
    { "rate-limit", INT(rate_limit, 0, 1000000), FOR_SERVE, "N",
      "requests per second per token, burst 2N (default 20; 0 = no limit)" },
    { "web", STR(web), FOR_SERVE, "DIR",
      "the township dashboard's files, served under /dashboard/ (default server/web)" },
    { "node-modules", STR(node_modules), FOR_SERVE, "DIR",
      "the npm install the dashboard's ECharts comes from (default node_modules)" },
    { "web-idle", INT(web_idle, 1, 86400), FOR_SERVE, "SECONDS",
      "a dashboard session ends after this long without a request (default 1800)" },
    { "streams-per-token", INT(streams_per_token, 0, 1000000), FOR_SERVE, "N",
      "open event streams per box or session (default 2; 0 = no limit)" },
    { "live-window", INT(live_window, 2, 60), FOR_SERVE, "N",
      "live playlists list the last N segments (default 8: 4 s of djtv-cast's)" },
    { "live-quota-mb", INT(live_quota_mb, 1, 1000000), FOR_SERVE, "MB",
      "disk a broadcast's recording may take (default 4096)" },
    { "upload-max-mb", INT(upload_max_mb, 1, UPLOAD_MAX_MB_CEILING), FOR_SERVE, "MB",
      "the largest video staff may upload from the dashboard (default 2048)" },
    { "live-idle", INT(live_idle_s, 2, 86400), FOR_SERVE, "S",
      "end a live broadcast whose publisher has sent nothing for S seconds (default 120)" },
};
#undef STR
#undef INT
enum { N_OPTS = (int)(sizeof(opts) / sizeof(opts[0])) };

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -EINVAL;
}

int config_init(struct server_config *c)
{
    memset(c, 0, sizeof(*c));
    c->cmd = CMD_SERVE;
    c->port = 8443;
    c->log_level = LOG_INFO;
    c->rate_limit = 20;
    c->streams_per_token = 2;
    c->live_window = 8;
    c->live_quota_mb = 4096;
    c->live_idle_s = 120;
    c->upload_max_mb = 2048;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = n >= 1 && n <= 256 ? (int)n : 2;
    c->listen = strdup("127.0.0.1");
    c->assets = strdup("assets");
    c->media = strdup("media");
    c->web = strdup("server/web");
    c->node_modules = strdup("node_modules");
    c->web_idle = 1800;
    return c->listen && c->assets && c->media && c->web && c->node_modules ? 0 : -ENOMEM;
}

void config_fini(struct server_config *c)
{
    opts_free(opts, N_OPTS, c);
    free(c->config_path);
    free(c->import_dir);
    memset(c, 0, sizeof(*c));
}

/* One `key = value` line: keys of the other subcommand are accepted and ignored. */
static int file_setting(void *ctx, const char *key, const char *value, char *why,
                        size_t whylen)
{
    struct server_config *c = ctx;
    const struct opts_def *o = opts_find(opts, N_OPTS, key, strlen(key));
    if (!o)
        return fail(why, whylen, "unknown key '%s'", key);
    if (!(o->scope & (1u << c->cmd)))
        return 0; /* a key of the other subcommand: the file may serve both */
    return opts_set(o, c, value, why, whylen);
}

int config_load_text(struct server_config *c, const char *text, const char *origin, char *err,
                     size_t errlen)
{
    return opts_read_text(text, origin, file_setting, c, err, errlen);
}

int config_load_file(struct server_config *c, const char *path, char *err, size_t errlen)
{
    return opts_read_file(path, file_setting, c, err, errlen);
}

static const char *const cmd_names[] = { "serve", "demo", "import" };

static int is_name(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncmp(name, want, n) == 0;
}

int config_parse_args(struct server_config *c, int argc, char **argv, char *err, size_t errlen)
{
    int first = 1;
    if (argc > 1 && argv[1][0] != '-') {
        if (strcmp(argv[1], "serve") == 0)
            c->cmd = CMD_SERVE;
        else if (strcmp(argv[1], "demo") == 0)
            c->cmd = CMD_DEMO;
        else if (strcmp(argv[1], "import") == 0)
            c->cmd = CMD_IMPORT;
        else
            return fail(err, errlen, "unknown command '%s' (try --help)", argv[1]);
        first = 2;
    }
    /* Pass 1: --help, --version and --config, so the file is read before the flags. */
    for (int i = first; i < argc; i++) {
        const char *name, *inl;
        size_t n;
        if (opts_flag(argv[i], &name, &n, &inl) < 0)
            continue; /* reported in pass 2 */
        if (is_name(name, n, "help")) {
            c->help = 1;
            return 0;
        }
        if (is_name(name, n, "version")) {
            c->version = 1;
            return 0;
        }
        if (is_name(name, n, "config")) {
            const char *v = opts_flag_value(argc, argv, &i, inl);
            if (!v || !*v)
                return fail(err, errlen, "--config needs a file name");
            free(c->config_path);
            c->config_path = strdup(v);
            if (!c->config_path)
                return -ENOMEM;
        }
    }
    if (c->config_path) {
        int rc = config_load_file(c, c->config_path, err, errlen);
        if (rc < 0)
            return rc;
    }
    /* Pass 2: the flags. */
    for (int i = first; i < argc; i++) {
        const char *name, *inl;
        size_t n;
        if (opts_flag(argv[i], &name, &n, &inl) < 0) {
            if (c->cmd == CMD_IMPORT && !c->import_dir && argv[i][0] != '-') {
                c->import_dir = strdup(argv[i]); /* import DIR */
                if (!c->import_dir)
                    return -ENOMEM;
                continue;
            }
            return fail(err, errlen, "unexpected argument '%s' (try --help)", argv[i]);
        }
        if (is_name(name, n, "config")) {
            if (!inl)
                i++;
            continue;
        }
        const struct opts_def *o = opts_find(opts, N_OPTS, name, n);
        if (!o || memchr(name, '_', n))
            return fail(err, errlen, "unknown option '%s' (try --help)", argv[i]);
        if (!(o->scope & (1u << c->cmd)))
            return fail(err, errlen, "--%s is not an option of `%s`", o->name,
                        cmd_names[c->cmd]);
        int rc;
        if (o->type == OPTS_BOOL) {
            if (inl)
                return fail(err, errlen, "--%s takes no value", o->name);
            rc = opts_set(o, c, "true", err, errlen);
        } else {
            const char *v = opts_flag_value(argc, argv, &i, inl);
            if (!v)
                return fail(err, errlen, "--%s needs a value", o->name);
            rc = opts_set(o, c, v, err, errlen);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int config_validate(const struct server_config *c, char *err, size_t errlen)
{
    if (!c->db)
        return fail(err, errlen, "--db FILE is required");
    if (c->cmd == CMD_SERVE) {
        if (!c->cert || !c->key)
            return fail(err, errlen, "--cert FILE and --key FILE are required (HTTPS only)");
    } else if (c->cmd == CMD_IMPORT) {
        if (!c->import_dir)
            return fail(err, errlen, "import needs the folder of manifests: import DIR");
    } else if (!c->boxes_out) {
        return fail(err, errlen, "demo needs --boxes-out FILE for the box tokens");
    }
    return 0;
}

void config_print_help(FILE *out)
{
    fputs("Usage: djtv-server [serve] [options]   run the HTTPS server (default)\n"
          "       djtv-server demo [options]      create a fresh demo database\n"
          "       djtv-server import DIR [options] load content manifests with their media\n"
          "\n"
          "Options:\n"
          "  --config FILE        read `key = value` lines first (keys as below, without\n"
          "                       the dashes; relative paths are relative to the current\n"
          "                       directory); options on the command line win\n",
          out);
    for (int i = 0; i < N_OPTS; i++) {
        char left[40];
        opts_usage_left(&opts[i], left, sizeof(left));
        const char *scope = opts[i].scope == FOR_ALL                      ? ""
                            : opts[i].scope == FOR_SERVE                  ? " [serve]"
                            : opts[i].scope == (FOR_SERVE | FOR_IMPORT) ? " [serve, import]"
                                                                          : " [demo]";
        opts_usage_line(out, 20, left, opts[i].help, scope);
    }
    fputs("  --help               show this text\n"
          "  --version            show the version\n"
          "\n"
          "serve logs `listening on https://ADDR:PORT` when ready; SIGINT/SIGTERM stop it.\n"
          "demo refuses to replace an existing --db unless --force is given.\n",
          out);
}
