/* Shared helpers for the player tests (tests/unit/client/test_player*.c): a temp dir, child
 * processes (ffmpeg, openssl, the loopback media server) started and stopped by pid, test
 * media made at test time, a headless SDL renderer and a main loop that drives a player the
 * way the app does. Header-only because each test is a single .c file. */
#ifndef DJTV_TEST_PLAYER_HARNESS_H
#define DJTV_TEST_PLAYER_HARNESS_H

#include "log.h"
#include "media/player.h"

#include <SDL2/SDL.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HARNESS static __attribute__((unused))

struct harness {
    char dir[64];      /* temp dir, removed at the end */
    SDL_Window *win;   /* owned */
    SDL_Renderer *ren; /* owned */
    Uint32 ev_type;
    uint32_t session; /* last session number given to a player */
    bool slow;        /* under valgrind: skip timing-sensitive checks */
    int drop_pct;     /* late frames tolerated, percent (more under sanitizers) */
};

/* What a play loop saw. */
struct play_obs {
    int frames_shown; /* player_update returned true */
    int state_events, frame_events, stale_events;
    int av_samples;
    double av_max_abs_ms; /* over samples taken after the warm-up */
    double av_sum_ms;
    double elapsed_s;
};

HARNESS double h_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

HARNESS void h_path(char *out, size_t n, const struct harness *h, const char *name)
{
    snprintf(out, n, "%s/%s", h->dir, name);
}

/* Start argv[0] (PATH lookup) with stdout/stderr to /dev/null unless verbose. The child
 * gets SIGKILL if this test dies first, so no sender or server outlives a crashed test. */
HARNESS pid_t h_spawn(char *const argv[])
{
    bool quiet = !getenv("PLAYER_TEST_VERBOSE");
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid; /* parent (or -1) */
    /* Child: only async-signal-safe calls until exec. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
        dup2(null_fd, 0);
        if (quiet) {
            dup2(null_fd, 1);
            dup2(null_fd, 2);
        }
    }
    execvp(argv[0], argv);
    _exit(127);
}

/* Wait for a child; returns its exit status (or -1). */
HARNESS int h_wait(pid_t pid)
{
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run to completion; returns the exit status (or -1). */
HARNESS int h_run(char *const argv[])
{
    return h_wait(h_spawn(argv));
}

/* Stop a child we started: SIGTERM, then SIGKILL after 2 s. */
HARNESS void h_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

HARNESS void h_kill(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* rm -r of our own temp dir (no symlinks are made in it). */
static void h_rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        for (e = readdir(d); e; e = readdir(d)) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[512];
            snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
            struct stat sb;
            if (lstat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))
                h_rm_tree(sub);
            else
                unlink(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

/* The test media's ffmpeg inputs and encoding, written into ARGV from index 0: testsrc2 of SRC
 * + sine, H.264 High with B-frames, closed GOPs of GOP frames, AAC. REALTIME reads the input
 * at its rate (-re, a live source); DUR, when not NULL, limits the length. Returns the number
 * of entries written (at most 44); the caller adds "-f FORMAT", its own options and the output. */
HARNESS int h_encode_argv(char **argv, const char *src, const char *gop, bool realtime,
                          const char *dur)
{
    int n = 0;
    char *head[] = {"ffmpeg", "-nostdin", "-v", "error", "-y"};
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++)
        argv[n++] = head[i];
    if (realtime)
        argv[n++] = "-re";
    char *inputs[] = {"-f", "lavfi", "-i", (char *)src, "-f", "lavfi", "-i",
                      "sine=frequency=440:sample_rate=48000"};
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        argv[n++] = inputs[i];
    if (dur) {
        argv[n++] = "-t";
        argv[n++] = (char *)dur;
    }
    char *encode[] = {"-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast",
                      "-profile:v", "high", "-pix_fmt", "yuv420p", "-bf", "2", "-g",
                      (char *)gop, "-keyint_min", (char *)gop, "-sc_threshold", "0", "-flags",
                      "+cgop", "-c:a", "aac", "-b:a", "64k", "-ac", "2"};
    for (size_t i = 0; i < sizeof(encode) / sizeof(encode[0]); i++)
        argv[n++] = encode[i];
    return n;
}

/* Test media: testsrc2 + sine, H.264 High with B-frames, closed 2 s GOPs, AAC.
 * fmt: "mp4" (faststart) or "mpegts". Starts ffmpeg and returns its pid (h_wait it). */
HARNESS pid_t h_make_media_start(struct harness *h, const char *name, const char *size, int fps,
                                 double secs, const char *fmt)
{
    char out[256], src[96], dur[16], gop[16];
    h_path(out, sizeof(out), h, name);
    snprintf(src, sizeof(src), "testsrc2=size=%s:rate=%d", size, fps);
    snprintf(dur, sizeof(dur), "%.3f", secs);
    snprintf(gop, sizeof(gop), "%d", fps * 2);
    bool mp4 = strcmp(fmt, "mp4") == 0;
    char *argv[64];
    int n = h_encode_argv(argv, src, gop, false, dur);
    argv[n++] = "-f";
    argv[n++] = (char *)fmt;
    argv[n++] = mp4 ? "-movflags" : "-metadata";
    argv[n++] = mp4 ? "+faststart" : "title=djtv";
    argv[n++] = out;
    argv[n] = NULL;
    return h_spawn(argv);
}

HARNESS int h_make_media(struct harness *h, const char *name, const char *size, int fps,
                         double secs, const char *fmt)
{
    return h_wait(h_make_media_start(h, name, size, fps, secs, fmt)) == 0 ? 0 : -1;
}

/* HLS VOD from an existing file: NAME/index.m3u8 + 2 s MPEG-TS segments. */
HARNESS int h_make_hls(struct harness *h, const char *input, const char *subdir)
{
    char in[256], dir[256], pl[300], seg[300];
    h_path(in, sizeof(in), h, input);
    h_path(dir, sizeof(dir), h, subdir);
    mkdir(dir, 0755);
    snprintf(pl, sizeof(pl), "%s/index.m3u8", dir);
    snprintf(seg, sizeof(seg), "%s/seg_%%03d.ts", dir);
    char *argv[] = {"ffmpeg", "-nostdin",
                    "-v",     "error",
                    "-y",     "-i",
                    in,       "-c",
                    "copy",   "-f",
                    "hls",    "-hls_time",
                    "2",      "-hls_playlist_type",
                    "vod",    "-hls_segment_type",
                    "mpegts", "-hls_segment_filename",
                    seg,      pl,
                    NULL};
    return h_run(argv) == 0 ? 0 : -1;
}

/* A self-signed EC certificate for SUBJ into OUT (key into KEY), with the extension ADDEXT
 * unless NULL. */
HARNESS int h_self_signed(const char *key, const char *out, const char *subj, const char *addext)
{
    char *argv[] = {"openssl", "req",  "-x509", "-newkey", "ec",          "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", (char *)key, "-out",
                    (char *)out, "-days", "2", "-subj", (char *)subj,
                    addext ? "-addext" : NULL, (char *)addext, NULL};
    return h_run(argv);
}

/* A CA and a server certificate for 127.0.0.1 signed by it, an unrelated CA, and a
 * self-signed certificate for 127.0.0.1 (rogue.pem). */
HARNESS int h_make_certs(struct harness *h)
{
    char ca_key[256], ca[256], other_key[256], other[256], key[256], csr[256], crt[256], ext[256];
    char rogue_key[256], rogue[256];
    h_path(ca_key, sizeof(ca_key), h, "ca.key");
    h_path(ca, sizeof(ca), h, "ca.pem");
    h_path(other_key, sizeof(other_key), h, "other.key");
    h_path(other, sizeof(other), h, "other.pem");
    h_path(key, sizeof(key), h, "srv.key");
    h_path(csr, sizeof(csr), h, "srv.csr");
    h_path(crt, sizeof(crt), h, "srv.pem");
    h_path(ext, sizeof(ext), h, "ext.cnf");
    h_path(rogue_key, sizeof(rogue_key), h, "rogue.key");
    h_path(rogue, sizeof(rogue), h, "rogue.pem");
    FILE *f = fopen(ext, "w");
    if (!f)
        return -1;
    fputs("subjectAltName=IP:127.0.0.1,DNS:localhost\n", f);
    fclose(f);
    char *csr_argv[] = {
        "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key,   "-out",    csr,  "-subj",    "/CN=127.0.0.1",           NULL};
    char *sign_argv[] = {
        "openssl",         "x509", "-req", "-in",   csr, "-CA",      ca,  "-CAkey", ca_key,
        "-CAcreateserial", "-out", crt,    "-days", "2", "-extfile", ext, NULL};
    return h_self_signed(ca_key, ca, "/CN=DJTV Test CA", NULL) == 0 &&
                   h_self_signed(other_key, other, "/CN=Other CA", NULL) == 0 &&
                   h_run(csr_argv) == 0 && h_run(sign_argv) == 0 &&
                   h_self_signed(rogue_key, rogue, "/CN=127.0.0.1",
                                 "subjectAltName=IP:127.0.0.1") == 0
               ? 0
               : -1;
}

/* Start tests/unit/client/media_server.py; returns its pid and the port. port_in: 0 = any.
 * mode: "tls", "rogue" (TLS with a self-signed certificate no test CA vouches for), "plain"
 * or "hang". */
HARNESS pid_t h_start_server(struct harness *h, const char *mode, int port_in, int *port)
{
    char script[512], root[256], port_file[256], cert[256], key[256], pstr[16];
    const char *top = getenv("DJTV_TOP");
    snprintf(script, sizeof(script), "%s/tests/unit/client/media_server.py", top ? top : ".");
    h_path(root, sizeof(root), h, "");
    snprintf(port_file, sizeof(port_file), "%s/port-%s-%d", h->dir, mode, port_in);
    bool rogue = strcmp(mode, "rogue") == 0;
    h_path(cert, sizeof(cert), h, rogue ? "rogue.pem" : "srv.pem");
    h_path(key, sizeof(key), h, rogue ? "rogue.key" : "srv.key");
    snprintf(pstr, sizeof(pstr), "%d", port_in);
    unlink(port_file);
    char *argv[16] = {"/usr/bin/python3", script,    "--root", root,
                      "--port-file",      port_file, "--port", pstr};
    int n = 8;
    if (strcmp(mode, "tls") == 0 || rogue) {
        argv[n++] = "--cert";
        argv[n++] = cert;
        argv[n++] = "--key";
        argv[n++] = key;
    } else if (strcmp(mode, "hang") == 0) {
        argv[n++] = "--hang";
    }
    argv[n] = NULL;
    pid_t pid = h_spawn(argv);
    if (pid < 0)
        return -1;
    for (int i = 0; i < 500; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            int ok = fscanf(f, "%d", port);
            fclose(f);
            if (ok == 1)
                return pid;
        }
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return -1;
        usleep(10000);
    }
    h_kill(pid);
    return -1;
}

/* A UDP port nobody uses right now on 127.0.0.1. */
HARNESS int h_free_udp_port(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

HARNESS int h_init(struct harness *h)
{
    memset(h, 0, sizeof(*h));
    snprintf(h->dir, sizeof(h->dir), "/tmp/djtv-player-XXXXXX");
    if (!mkdtemp(h->dir))
        return -1;
    h->slow = getenv("DJTV_VALGRIND") != NULL;
    /* Generous: a shared 2-core machine drops frames under load; drop rates are benchmarked. */
    h->drop_pct = getenv("ASAN_OPTIONS") ? 40 : 25;
    /* The dummy video driver: a framebuffer for the software renderer and nothing loaded
     * and unloaded behind our back (offscreen probes EGL, whose leaks LSan cannot name). */
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    setenv("SDL_RENDER_DRIVER", "software", 0);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    log_set_level(getenv("PLAYER_TEST_VERBOSE") ? LOG_DEBUG : LOG_WARN);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        fprintf(stderr, "SDL_Init: %s\n", SDL_GetError());
        return -1;
    }
    h->win = SDL_CreateWindow("player-test", 0, 0, 1920, 1080, SDL_WINDOW_HIDDEN);
    if (h->win)
        h->ren = SDL_CreateRenderer(h->win, -1, SDL_RENDERER_SOFTWARE);
    if (!h->ren) {
        fprintf(stderr, "renderer: %s\n", SDL_GetError());
        return -1;
    }
    h->ev_type = SDL_RegisterEvents(1);
    player_global_init();
    return 0;
}

HARNESS void h_fini(struct harness *h)
{
    if (h->ren)
        SDL_DestroyRenderer(h->ren);
    if (h->win)
        SDL_DestroyWindow(h->win);
    SDL_Quit();
    if (h->dir[0] && !getenv("PLAYER_TEST_KEEP"))
        h_rm_tree(h->dir);
}

HARNESS struct player_options h_opts(struct harness *h, const char *url)
{
    struct player_options o = {0};
    o.url = url;
    o.event_type = h->ev_type;
    o.session = ++h->session;
    return o;
}

typedef bool (*h_until_fn)(struct player *p, void *arg);

/* The app's main loop in miniature: wait for an event or the next due frame, update,
 * draw and present when a new frame came. Stops when until() says so or after max_s.
 * A/V differences are sampled after warmup_s. Returns true if until() was satisfied. */
HARNESS bool h_play(struct harness *h, struct player *p, double max_s, double warmup_s,
                    h_until_fn until, void *arg, struct play_obs *obs)
{
    struct play_obs local;
    if (!obs)
        obs = &local;
    memset(obs, 0, sizeof(*obs));
    double t0 = h_now();
    int next_ms = 0;
    for (;;) {
        if (until && until(p, arg)) {
            obs->elapsed_s = h_now() - t0;
            return true;
        }
        double el = h_now() - t0;
        if (el >= max_s)
            break;
        int wait = next_ms;
        if (wait > (int)((max_s - el) * 1000) + 1)
            wait = (int)((max_s - el) * 1000) + 1;
        SDL_Event e;
        if (SDL_WaitEventTimeout(&e, wait)) {
            do {
                if (e.type == h->ev_type) {
                    if (e.user.data1 != p)
                        obs->stale_events++;
                    else if (e.user.code == PLAYER_EV_STATE)
                        obs->state_events++;
                    else
                        obs->frame_events++;
                }
            } while (SDL_PollEvent(&e));
        }
        bool fresh = player_update(p, h->ren, &next_ms);
        if (fresh) {
            obs->frames_shown++;
            SDL_SetRenderDrawColor(h->ren, 16, 16, 16, 255);
            SDL_RenderClear(h->ren);
            SDL_Rect dst = {0, 0, 1920, 1080};
            player_draw(p, h->ren, &dst);
            SDL_RenderPresent(h->ren);
            struct player_stats st;
            player_get_stats(p, &st);
            if (h_now() - t0 >= warmup_s && !isnan(st.av_diff_ms) && st.state == PLAYER_PLAYING) {
                obs->av_samples++;
                obs->av_sum_ms += st.av_diff_ms;
                if (fabs(st.av_diff_ms) > obs->av_max_abs_ms)
                    obs->av_max_abs_ms = fabs(st.av_diff_ms);
            }
        }
    }
    obs->elapsed_s = h_now() - t0;
    return false;
}

HARNESS bool h_is_state(struct player *p, void *arg)
{
    return player_get_state(p, NULL) == *(enum player_state *)arg;
}

/* Any state outside OPENING/BUFFERING/RECONNECTING: the player decided something. */
HARNESS bool h_is_settled(struct player *p, void *arg)
{
    (void)arg;
    enum player_state s = player_get_state(p, NULL);
    return s != PLAYER_OPENING && s != PLAYER_BUFFERING && s != PLAYER_RECONNECTING;
}

HARNESS bool h_has_frame(struct player *p, void *arg)
{
    (void)arg;
    struct player_stats st;
    player_get_stats(p, &st);
    return st.ttff_ms >= 0;
}

HARNESS bool h_wait_state(struct harness *h, struct player *p, enum player_state want, double max_s)
{
    return h_play(h, p, max_s, 1e9, h_is_state, &want, NULL);
}

/* Play for a fixed time. */
HARNESS void h_play_for(struct harness *h, struct player *p, double secs, struct play_obs *obs)
{
    h_play(h, p, secs, 1e9, NULL, NULL, obs);
}

/* player_close, timed. */
HARNESS double h_close_ms(struct player *p)
{
    double t0 = h_now();
    player_close(p);
    return (h_now() - t0) * 1000.0;
}

/* Drop every pending SDL event (between cases). */
HARNESS void h_drain_events(void)
{
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
    }
}

/* Under valgrind everything runs 20-50 times slower: real-time expectations are reported
 * but not asserted (the run is there for memory errors), and waits are longer. */
#define CHECK_TIMELY(h, cond) CHECK((cond) || (h)->slow)
HARNESS double h_t(const struct harness *h, double secs)
{
    return h->slow ? secs * 3 : secs;
}

/* PLAYER_TEST_ONLY: run only the cases whose name contains one of its comma-separated words. */
HARNESS bool h_selected(const char *name)
{
    const char *only = getenv("PLAYER_TEST_ONLY");
    if (!only)
        return true;
    for (const char *w = only; *w;) {
        char word[64];
        size_t n = strcspn(w, ",");
        snprintf(word, sizeof(word), "%.*s", (int)n, w);
        if (word[0] && strstr(name, word))
            return true;
        w += n + (w[n] == ',');
    }
    return false;
}
#define RUN_SELECTED(fn)                                                                           \
    do {                                                                                           \
        if (h_selected(#fn))                                                                       \
            RUN(fn);                                                                               \
    } while (0)

#endif
