#define _GNU_SOURCE /* pipe2 */
#define LOG_TAG "remote"
#include "input/remote_pipe.h"

#include <SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

enum { LINE_MAX_LEN = 64 };

struct remote_pipe {
    int fd;             /* owned: the FIFO, read and write so a closed writer is no EOF */
    int stop[2];        /* owned: a byte on stop[1] ends the thread */
    SDL_Thread *thread; /* owned */
};

static void push_key(SDL_Keycode key)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = SDL_KEYDOWN;
    ev.key.state = SDL_PRESSED;
    ev.key.keysym.sym = key;
    ev.key.keysym.scancode = SDL_GetScancodeFromKey(key);
    if (SDL_PushEvent(&ev) < 0)
        log_warn("cannot push a key: %s", SDL_GetError());
    ev.type = SDL_KEYUP;
    ev.key.state = SDL_RELEASED;
    SDL_PushEvent(&ev);
}

static void key_line(char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (n == 0)
        return;
    SDL_Keycode key = SDL_GetKeyFromName(line);
    if (key == SDLK_UNKNOWN) {
        log_warn("unknown key name '%s'", line);
        return;
    }
    log_debug("key %s", line);
    push_key(key);
}

static int reader(void *arg)
{
    struct remote_pipe *rp = arg;
    char line[LINE_MAX_LEN];
    size_t len = 0;
    for (;;) {
        struct pollfd fds[2] = { { rp->fd, POLLIN, 0 }, { rp->stop[0], POLLIN, 0 } };
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            log_error("poll: %s", strerror(errno));
            return 0;
        }
        if (fds[1].revents)
            return 0;
        char buf[256];
        ssize_t got = read(rp->fd, buf, sizeof(buf));
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0) {
            log_error("read: %s", got < 0 ? strerror(errno) : "end of file");
            return 0;
        }
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                line[len] = '\0';
                key_line(line);
                len = 0;
            } else if (len < sizeof(line) - 1) {
                line[len++] = buf[i];
            }
        }
    }
}

struct remote_pipe *remote_pipe_open(const char *path)
{
    struct remote_pipe *rp = calloc(1, sizeof(*rp));
    if (!rp)
        return NULL;
    rp->stop[0] = rp->stop[1] = -1;
    rp->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (rp->fd < 0) {
        log_error("remote FIFO %s: %s", path, strerror(errno));
        goto fail;
    }
    if (pipe2(rp->stop, O_CLOEXEC) < 0) {
        log_error("pipe: %s", strerror(errno));
        goto fail;
    }
    rp->thread = SDL_CreateThread(reader, "djtv-remote", rp);
    if (!rp->thread) {
        log_error("cannot start the remote reader: %s", SDL_GetError());
        goto fail;
    }
    log_info("keys from %s", path);
    return rp;
fail:
    remote_pipe_close(rp);
    return NULL;
}

void remote_pipe_close(struct remote_pipe *rp)
{
    if (!rp)
        return;
    if (rp->thread) {
        ssize_t w;
        do {
            w = write(rp->stop[1], "x", 1);
        } while (w < 0 && errno == EINTR);
        SDL_WaitThread(rp->thread, NULL);
    }
    for (int i = 0; i < 2; i++) {
        if (rp->stop[i] >= 0)
            close(rp->stop[i]);
    }
    if (rp->fd >= 0)
        close(rp->fd);
    free(rp);
}
