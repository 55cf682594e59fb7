/* djtv-server's settings: one option table drives the command line, the config file
 * (`key = value` lines, same keys as the long options) and --help, through the reader both
 * programs share (common/options.h). Flags win over the file. */
#ifndef DJTV_SERVER_CONFIG_H
#define DJTV_SERVER_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "log.h"

enum server_cmd { CMD_SERVE = 0, CMD_DEMO = 1, CMD_IMPORT = 2 };

struct server_config {
    enum server_cmd cmd;
    char *config_path; /* owned, NULL when none */
    char *listen;      /* owned */
    int port;
    char *cert;   /* owned, NULL until set */
    char *key;    /* owned, NULL until set */
    char *db;     /* owned, NULL until set */
    char *assets; /* owned */
    int threads;
    enum log_level log_level;
    char *boxes_out; /* owned, NULL until set (demo) */
    int force;       /* demo: replace an existing database */
    char *accounts_out; /* owned, NULL = accounts.tsv beside boxes_out (demo) */
    int rate_limit;     /* serve: requests per second per token (burst twice that); 0 = off */
    int streams_per_token; /* serve: open event streams per box or session; 0 = no cap */
    char *media;      /* owned: the media root served under /media/ (serve, import) */
    int live_window;  /* serve: segments in a live playlist */
    int live_quota_mb; /* serve: disk per broadcast recording */
    int live_idle_s;  /* serve: a silent publisher's broadcast ends after this */
    int upload_max_mb; /* serve: the largest video staff may upload */
    char *import_dir; /* owned, NULL until set: import's folder of manifests */
    char *web;          /* owned: the dashboard's files, served under /dashboard/ (serve) */
    char *node_modules; /* owned: the npm install the dashboard's ECharts comes from (serve) */
    int web_idle;       /* serve: seconds a dashboard session may sit idle */
    int help;        /* --help was given */
    int version;     /* --version was given */
};

/* Defaults: listen 127.0.0.1, port 8443, assets "assets", threads = online CPUs, level info.
 * Returns 0 or -ENOMEM; config_fini is safe either way. */
int config_init(struct server_config *c);
void config_fini(struct server_config *c);

/* Parse ARGV: the optional subcommand, then options; loads --config FILE first so that flags
 * given on the command line win. Stops early (returns 0) at --help or --version.
 * On error returns -EINVAL (or another negative errno) with a one-line reason in ERR. */
int config_parse_args(struct server_config *c, int argc, char **argv, char *err, size_t errlen);

/* Apply `key = value` lines. ORIGIN names the source in error messages ("FILE:LINE: ...").
 * Keys of the other subcommand are accepted and ignored, so both can share one file. */
int config_load_text(struct server_config *c, const char *text, const char *origin, char *err,
                     size_t errlen);
int config_load_file(struct server_config *c, const char *path, char *err, size_t errlen);

/* Check that what the chosen subcommand needs is there. */
int config_validate(const struct server_config *c, char *err, size_t errlen);

void config_print_help(FILE *out);

#endif
