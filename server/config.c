#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "upload/upload.h"
#include "util/fileio.h"

enum opt_type { OPT_STR, OPT_INT, OPT_LEVEL, OPT_FLAG };
enum {
    FOR_SERVE = 1 << CMD_SERVE,
    FOR_DEMO = 1 << CMD_DEMO,
    FOR_IMPORT = 1 << CMD_IMPORT,
    FOR_ALL = FOR_SERVE | FOR_DEMO | FOR_IMPORT,
};
enum { CONFIG_FILE_MAX = 64 * 1024, LINE_MAX_LEN = 4096 };

struct opt {
    const char *name; /* long option and config key */
    enum opt_type type;
    size_t offset; /* into struct server_config */
    int min, max;  /* OPT_INT range */
    unsigned cmds; /* FOR_* bits: where it applies */
    const char *arg;
    const char *help;
};

#define OFF(field) offsetof(struct server_config, field)
static const struct opt opts[] = {
    { "listen", OPT_STR, OFF(listen), 0, 0, FOR_SERVE, "ADDR",
      "numeric IPv4/IPv6 address to listen on (default 127.0.0.1)" },
    { "port", OPT_INT, OFF(port), 0, 65535, FOR_SERVE, "N",
      "HTTPS port (default 8443; 0 picks a free one)" },
    { "cert", OPT_STR, OFF(cert), 0, 0, FOR_SERVE, "FILE", "TLS certificate chain (PEM)" },
    { "key", OPT_STR, OFF(key), 0, 0, FOR_SERVE, "FILE", "TLS private key (PEM)" },
    { "db", OPT_STR, OFF(db), 0, 0, FOR_ALL, "FILE", "SQLite database file" },
    { "assets", OPT_STR, OFF(assets), 0, 0, FOR_ALL, "DIR",
      "assets folder (default assets; demo reads DIR/demo/*.json)" },
    { "threads", OPT_INT, OFF(threads), 1, 256, FOR_SERVE, "N",
      "HTTP worker threads (default: number of CPUs)" },
    { "log-level", OPT_LEVEL, OFF(log_level), 0, 0, FOR_ALL, "L",
      "error, warn, info or debug (default info)" },
    { "boxes-out", OPT_STR, OFF(boxes_out), 0, 0, FOR_DEMO, "FILE",
      "demo: write box tokens here (TSV, mode 0600)" },
    { "force", OPT_FLAG, OFF(force), 0, 0, FOR_DEMO, NULL,
      "demo: replace an existing database" },
    { "accounts-out", OPT_STR, OFF(accounts_out), 0, 0, FOR_DEMO, "FILE",
      "demo: write account passwords here (TSV, mode 0600; default accounts.tsv beside "
      "--boxes-out)" },
    { "media", OPT_STR, OFF(media), 0, 0, FOR_SERVE | FOR_IMPORT, "DIR",
      "imported media, served under /media/ (default media)" },
    { "rate-limit", OPT_INT, OFF(rate_limit), 0, 1000000, FOR_SERVE, "N",
      "requests per second per token, burst 2N (default 20; 0 = no limit)" },
    { "web", OPT_STR, OFF(web), 0, 0, FOR_SERVE, "DIR",
      "the township dashboard's files, served under /dashboard/ (default server/web)" },
    { "node-modules", OPT_STR, OFF(node_modules), 0, 0, FOR_SERVE, "DIR",
      "the npm install the dashboard's ECharts comes from (default node_modules)" },
    { "web-idle", OPT_INT, OFF(web_idle), 1, 86400, FOR_SERVE, "SECONDS",
      "a dashboard session ends after this long without a request (default 1800)" },
    { "streams-per-token", OPT_INT, OFF(streams_per_token), 0, 1000000, FOR_SERVE, "N",
      "open event streams per box or session (default 2; 0 = no limit)" },
    { "live-window", OPT_INT, OFF(live_window), 2, 60, FOR_SERVE, "N",
      "live playlists list the last N segments (default 8: 4 s of djtv-cast's)" },
    { "live-quota-mb", OPT_INT, OFF(live_quota_mb), 1, 1000000, FOR_SERVE, "MB",
      "disk a broadcast's recording may take (default 4096)" },
    { "upload-max-mb", OPT_INT, OFF(upload_max_mb), 1, UPLOAD_MAX_MB_CEILING, FOR_SERVE, "MB",
      "the largest video staff may upload from the dashboard (default 2048)" },
    { "live-idle", OPT_INT, OFF(live_idle_s), 2, 86400, FOR_SERVE, "S",
      "end a live broadcast whose publisher has sent nothing for S seconds (default 120)" },
};
#undef OFF
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
    free(c->config_path);
    free(c->listen);
    free(c->cert);
    free(c->key);
    free(c->db);
    free(c->assets);
    free(c->boxes_out);
    free(c->accounts_out);
    free(c->media);
    free(c->import_dir);
    free(c->web);
    free(c->node_modules);
    memset(c, 0, sizeof(*c));
}

/* Find an option by name; N is its length (names in files may use '_' for '-'). */
static const struct opt *find_opt(const char *name, size_t n)
{
    for (int i = 0; i < N_OPTS; i++) {
        const char *o = opts[i].name;
        if (strlen(o) != n)
            continue;
        size_t k = 0;
        while (k < n && (name[k] == o[k] || (name[k] == '_' && o[k] == '-')))
            k++;
        if (k == n)
            return &opts[i];
    }
    return NULL;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    for (size_t i = 0; i < 4; i++) {
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

/* Store VALUE into the field of O. WHERE prefixes error messages. */
static int apply(struct server_config *c, const struct opt *o, const char *value,
                 const char *where, char *err, size_t errlen)
{
    char *field = (char *)c + o->offset;
    switch (o->type) {
    case OPT_STR: {
        if (!*value)
            return fail(err, errlen, "%s: %s needs a value", where, o->name);
        char *dup = strdup(value);
        if (!dup)
            return -ENOMEM;
        char **slot = (char **)(void *)field;
        free(*slot);
        *slot = dup;
        return 0;
    }
    case OPT_INT: {
        char *end = NULL;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end != '\0' || v < o->min || v > o->max)
            return fail(err, errlen, "%s: %s must be a whole number from %d to %d, not '%s'",
                        where, o->name, o->min, o->max, value);
        *(int *)(void *)field = (int)v;
        return 0;
    }
    case OPT_LEVEL: {
        enum log_level l;
        if (log_level_parse(value, &l) < 0)
            return fail(err, errlen, "%s: %s must be error, warn, info or debug, not '%s'",
                        where, o->name, value);
        *(enum log_level *)(void *)field = l;
        return 0;
    }
    case OPT_FLAG: {
        int b;
        if (parse_bool(value, &b) < 0)
            return fail(err, errlen, "%s: %s must be true or false, not '%s'", where, o->name,
                        value);
        *(int *)(void *)field = b;
        return 0;
    }
    }
    return -EINVAL;
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

int config_load_text(struct server_config *c, const char *text, const char *origin, char *err,
                     size_t errlen)
{
    char line[LINE_MAX_LEN];
    char where[LINE_MAX_LEN / 4];
    int lineno = 0;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        lineno++;
        snprintf(where, sizeof(where), "%s:%d", origin, lineno);
        if (n >= sizeof(line))
            return fail(err, errlen, "%s: line too long", where);
        memcpy(line, p, n);
        line[n] = '\0';
        p += n + (p[n] == '\n');
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq)
            return fail(err, errlen, "%s: expected `key = value`", where);
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        size_t vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
            value[vlen - 1] = '\0';
            value++;
        }
        const struct opt *o = find_opt(key, strlen(key));
        if (!o)
            return fail(err, errlen, "%s: unknown key '%s'", where, key);
        if (!(o->cmds & (1u << c->cmd)))
            continue; /* a key of the other subcommand: the file may serve both */
        int rc = apply(c, o, value, where, err, errlen);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int config_load_file(struct server_config *c, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    int rc = fileio_read(path, CONFIG_FILE_MAX, &text, NULL);
    if (rc < 0) {
        fail(err, errlen, "cannot read config file %s: %s", path,
             rc == -E2BIG ? "too large" : strerror(-rc));
        return rc;
    }
    rc = config_load_text(c, text, path, err, errlen);
    free(text);
    return rc;
}

static const char *const cmd_names[] = { "serve", "demo", "import" };

/* Split argv[*i] into an option name and an inline value ("--port=1"); 0 or -EINVAL. */
static int option_at(char **argv, int i, const char **name, size_t *nlen, const char **inl)
{
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0 || a[2] == '\0')
        return -EINVAL;
    *name = a + 2;
    const char *eq = strchr(*name, '=');
    *nlen = eq ? (size_t)(eq - *name) : strlen(*name);
    *inl = eq ? eq + 1 : NULL;
    return 0;
}

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
        if (option_at(argv, i, &name, &n, &inl) < 0)
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
            const char *v = inl ? inl : (i + 1 < argc ? argv[++i] : NULL);
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
        if (option_at(argv, i, &name, &n, &inl) < 0) {
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
        const struct opt *o = find_opt(name, n);
        if (!o || memchr(name, '_', n))
            return fail(err, errlen, "unknown option '%s' (try --help)", argv[i]);
        if (!(o->cmds & (1u << c->cmd)))
            return fail(err, errlen, "--%s is not an option of `%s`", o->name,
                        cmd_names[c->cmd]);
        char where[64];
        snprintf(where, sizeof(where), "--%s", o->name);
        int rc;
        if (o->type == OPT_FLAG) {
            if (inl)
                return fail(err, errlen, "--%s takes no value", o->name);
            rc = apply(c, o, "true", where, err, errlen);
        } else {
            const char *v = inl ? inl : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return fail(err, errlen, "--%s needs a value", o->name);
            rc = apply(c, o, v, where, err, errlen);
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
        snprintf(left, sizeof(left), "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
                 opts[i].arg ? opts[i].arg : "");
        const char *scope = opts[i].cmds == FOR_ALL                      ? ""
                            : opts[i].cmds == FOR_SERVE                  ? " [serve]"
                            : opts[i].cmds == (FOR_SERVE | FOR_IMPORT) ? " [serve, import]"
                                                                         : " [demo]";
        fprintf(out, "  %-20s %s%s\n", left, opts[i].help, scope);
    }
    fputs("  --help               show this text\n"
          "  --version            show the version\n"
          "\n"
          "serve logs `listening on https://ADDR:PORT` when ready; SIGINT/SIGTERM stop it.\n"
          "demo refuses to replace an existing --db unless --force is given.\n",
          out);
}
