#define LOG_TAG "media"
/* player.h for the djtv binary. The media engine links FFmpeg, and FFmpeg links some 130
 * shared libraries: mapping and relocating them cost ~80 ms of CPU at every start (perf,
 * tests/bench/tvflows.py), more than half of the dynamic loader's work, before the home
 * screen could be drawn. So the engine is built into djtv-media.so next to the executable
 * and loaded here on first use, or in the background once the home screen is on screen
 * (player_preload), so the first video does not wait for it either. Unit tests and
 * benchmarks link the engine itself (libmedia.a) and never see this file. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "media/module_api.h"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const struct media_api *api; /* written once under load_once; NULL: no engine */

/* djtv-media.so in the executable's directory; 0 or -1 if the path does not fit. */
static int module_path(char *out, size_t outlen)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int len = snprintf(out, outlen, "%s/djtv-media.so", exe);
    return len < 0 || (size_t)len >= outlen ? -1 : 0;
}

/* The handle stays open for the life of the process: players, their threads and FFmpeg's
 * global state live in it. */
static void load(void)
{
    char path[PATH_MAX + 32];
    if (module_path(path, sizeof(path)) < 0) {
        log_error("cannot find the media engine: the executable's path is unknown");
        return;
    }
    void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        log_error("cannot load the media engine: %s", dlerror());
        return;
    }
    const struct media_api *a = dlsym(h, MEDIA_API_SYMBOL);
    if (!a || a->version != MEDIA_API_VERSION) {
        log_error("%s is not this build's media engine", path);
        dlclose(h);
        return;
    }
    a->global_init();
    log_debug("media engine loaded from %s", path);
    api = a;
}

static const struct media_api *engine(void)
{
    pthread_once(&load_once, load);
    return api;
}

static void *preload_thread(void *arg)
{
    (void)arg;
    engine();
    return NULL;
}

void player_preload(void)
{
    static int started;
    if (started)
        return;
    started = 1;
    pthread_t t;
    pthread_attr_t attr;
    /* Detached: nobody waits for it; a player call meanwhile waits in pthread_once, and exit
     * waits for the loader's lock if it comes first. */
    if (pthread_attr_init(&attr) != 0)
        return;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, preload_thread, NULL) != 0)
        log_debug("no thread to preload the media engine: loaded on first use");
    pthread_attr_destroy(&attr);
}

/* The engine's own global set-up runs as it loads. */
void player_global_init(void)
{
}

struct player *player_open(const struct player_options *opts)
{
    const struct media_api *m = engine();
    return m ? m->open(opts) : NULL;
}

/* A player exists only if the engine loaded: the calls below that take one use api as is. */
void player_close(struct player *p)
{
    if (p)
        api->close(p);
}

enum player_state player_get_state(struct player *p, enum player_error *err)
{
    return api->get_state(p, err);
}

bool player_update(struct player *p, SDL_Renderer *renderer, int *next_ms)
{
    return api->update(p, renderer, next_ms);
}

void player_draw(struct player *p, SDL_Renderer *renderer, const SDL_Rect *dst)
{
    api->draw(p, renderer, dst);
}

int player_renderer_reset(struct player *p, SDL_Renderer *renderer)
{
    return api->renderer_reset(p, renderer);
}

int player_set_paused(struct player *p, bool paused)
{
    return api->set_paused(p, paused);
}

int player_toggle_pause(struct player *p)
{
    return api->toggle_pause(p);
}

void player_set_muted(struct player *p, bool muted)
{
    api->set_muted(p, muted);
}

int player_seek_to(struct player *p, double pos_s)
{
    return api->seek_to(p, pos_s);
}

int player_seek_by(struct player *p, double delta_s)
{
    return api->seek_by(p, delta_s);
}

int player_seek_fraction(struct player *p, double fraction)
{
    return api->seek_fraction(p, fraction);
}

void player_get_stats(struct player *p, struct player_stats *out)
{
    api->get_stats(p, out);
}

double player_get_position(struct player *p)
{
    return api->get_position(p);
}

const char *player_state_name(enum player_state s)
{
    const struct media_api *m = engine();
    return m ? m->state_name(s) : "?";
}

const char *player_error_name(enum player_error e)
{
    const struct media_api *m = engine();
    return m ? m->error_name(e) : "?";
}
