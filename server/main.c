/* djtv-server: the DJTV HTTPS API server, and the demo database builder.
 * Exit status: 0 done (or stopped by SIGINT/SIGTERM), 1 failed, 2 bad command line. */
#define LOG_TAG "main"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "auth/auth.h"
#include "config.h"
#include "demo/demo.h"
#include "duty/planner.h"
#include "http/router.h"
#include "http/server.h"
#include "import/import.h"
#include "live/live.h"
#include "media/media.h"
#include "log.h"
#include "api/api.h"
#include "store/store.h"
#include "upload/upload.h"
#include "util/ratelimit.h"
#include "version.h"

/* Each set-top box keeps a connection open: lift the soft open-file limit (often 1024) to the
 * hard one, so that the connection limit derived from it fits a fleet. */
static void raise_nofile_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
        return;
    rlim_t want = rl.rlim_max;
    if (want == RLIM_INFINITY || want > 65536)
        want = 65536;
    if (want <= rl.rlim_cur)
        return;
    rl.rlim_cur = want;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        log_warn("could not raise the open-file limit: %s", strerror(errno));
}

enum { RATE_BUCKETS = 65536 }; /* token buckets kept in memory (about 1.5 MiB) */

static int run_serve(const struct server_config *cfg)
{
    /* Block the stop signals before any thread starts, so that every thread inherits the mask
     * and only sigwait() below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    raise_nofile_limit();

    struct store *store = NULL;
    struct router *router = NULL;
    struct http_server *srv = NULL;
    struct ratelimit *buckets = NULL;
    struct live *live = NULL;
    struct uploads *uploads = NULL;
    struct duty_planner *planner = NULL;
    int status = 1;
    /* Per token: --rate-limit per second, burst twice that. Failed logins: 5 per username then
     * one a minute; 20 per client address then one every 5 s. */
    struct api_limits limits = {
        .per_token = { (double)cfg->rate_limit, 2.0 * cfg->rate_limit },
        .login_user = { 1.0 / 60, 5 },
        .login_source = { 0.2, 20 },
        .streams_per_token = cfg->streams_per_token,
    };
    int rc = ratelimit_create(RATE_BUCKETS, &buckets);
    if (rc < 0)
        goto out;
    limits.buckets = buckets;
    rc = store_open(cfg->db, 0, &store);
    if (rc < 0) {
        log_error("cannot open database %s: %s", cfg->db, strerror(-rc));
        goto out;
    }
    rc = router_create(api_route_tables, &router);
    if (rc < 0)
        goto out;
    struct live_config lc = {
        .media_root = cfg->media,
        .store = store,
        .window = cfg->live_window,
        .quota_bytes = (int64_t)cfg->live_quota_mb * 1024 * 1024,
        .idle_s = cfg->live_idle_s,
        .rate = 20,
    };
    media_log_init();
    rc = live_create(&lc, &live);
    if (rc < 0)
        goto out;
    struct upload_config uc = {
        .media_root = cfg->media,
        .store = store,
        .max_bytes = (int64_t)cfg->upload_max_mb * 1024 * 1024,
        .reserve_bytes = 256LL * 1024 * 1024,
    };
    rc = uploads_create(&uc, &uploads);
    if (rc < 0) {
        log_error("the upload worker did not start: %s", strerror(-rc));
        goto out;
    }
    struct http_server_config hc = {
        .listen = cfg->listen,
        .port = cfg->port,
        .cert_path = cfg->cert,
        .key_path = cfg->key,
        .threads = cfg->threads,
        .limits = &limits,
        .media_root = cfg->media,
        .live = live,
        .web_root = cfg->web,
        .node_modules = cfg->node_modules,
        .web_idle = cfg->web_idle,
        .uploads = uploads,
    };
    rc = http_server_start(&hc, router, store, &srv);
    if (rc < 0)
        goto out;
    live_set_events(live, http_server_events(srv));
    uploads_set_events(uploads, http_server_events(srv));
    rc = duty_planner_start(store, http_server_events(srv), &planner);
    if (rc < 0) {
        log_error("the duty-check planner did not start: %s", strerror(-rc));
        goto out;
    }
    int v6 = strchr(cfg->listen, ':') != NULL;
    log_info("listening on https://%s%s%s:%d", v6 ? "[" : "", cfg->listen, v6 ? "]" : "",
             http_server_port(srv));

    int sig = 0;
    for (;;) {
        if (sigwait(&stop, &sig) == 0)
            break;
    }
    log_info("%s received, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    status = 0;

out:
    duty_planner_stop(planner); /* before the hub it publishes to goes */
    if (live)
        live_set_events(live, NULL); /* the hub goes with the server */
    if (uploads)
        uploads_set_events(uploads, NULL);
    http_server_stop(srv);
    uploads_destroy(uploads); /* after the server: no request uses it any more */
    live_destroy(live);
    router_destroy(router);
    store_close(store);
    ratelimit_destroy(buckets);
    if (status == 0)
        log_info("stopped");
    return status;
}

static int run_demo(const struct server_config *cfg)
{
    struct demo_options o = {
        .db_path = cfg->db,
        .assets_dir = cfg->assets,
        .boxes_out = cfg->boxes_out,
        .accounts_out = cfg->accounts_out,
        .force = cfg->force,
        .now = time(NULL),
    };
    struct demo_stats st;
    int rc = demo_create(&o, &st);
    if (rc < 0) {
        log_error("demo database not created: %s", strerror(-rc));
        return 1;
    }
    log_info("demo database %s: 1 township, %d villages, %d households, %d members, %d boxes, "
             "%d content items, %d broadcasts, %d accounts; box tokens in %s, account "
             "passwords in %s",
             cfg->db, st.villages, st.households, st.members, st.boxes, st.content,
             st.broadcasts, st.accounts, cfg->boxes_out,
             cfg->accounts_out ? cfg->accounts_out : "accounts.tsv beside it");
    return 0;
}

static int run_import(const struct server_config *cfg)
{
    struct import_options o = {
        .dir = cfg->import_dir,
        .db_path = cfg->db,
        .media_root = cfg->media,
        .now = time(NULL),
    };
    struct import_stats st;
    int rc = import_run(&o, &st);
    if (rc < 0) {
        log_error("import of %s failed: %s", cfg->import_dir, strerror(-rc));
        return 1;
    }
    log_info("import of %s: %d manifest file(s), %d item(s) added, %d updated (%d with unchanged "
             "media), %d refused; media in %s",
             cfg->import_dir, st.files, st.added, st.updated, st.reused, st.failed, cfg->media);
    return st.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct server_config cfg;
    char err[512] = "";
    int status = 2;
    if (config_init(&cfg) < 0) {
        fputs("djtv-server: out of memory\n", stderr);
        status = 1;
        goto out;
    }
    if (config_parse_args(&cfg, argc, argv, err, sizeof(err)) < 0) {
        fprintf(stderr, "djtv-server: %s\n", err[0] ? err : "bad arguments");
        goto out;
    }
    if (cfg.help) {
        config_print_help(stdout);
        status = 0;
        goto out;
    }
    if (cfg.version) {
        printf("djtv-server %s\n", DJTV_SERVER_VERSION);
        status = 0;
        goto out;
    }
    if (config_validate(&cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "djtv-server: %s (try --help)\n", err);
        goto out;
    }
    log_set_level(cfg.log_level);
    if (auth_init() < 0) {
        log_error("libsodium failed to initialise");
        status = 1;
        goto out;
    }
    status = cfg.cmd == CMD_DEMO     ? run_demo(&cfg)
             : cfg.cmd == CMD_IMPORT ? run_import(&cfg)
                                     : run_serve(&cfg);

out:
    config_fini(&cfg);
    return status;
}
