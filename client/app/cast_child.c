#define LOG_TAG "cast"
#include "app/cast_child.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

extern char **environ;

enum { ARGS_MAX = 48, EXTRA_MAX = 512, STATUS_MAX = 2048 };

struct cast_child {
    pid_t pid;                /* 0 once reaped */
    int code;                 /* its exit status once reaped */
    int stopping;             /* SIGTERM sent */
    char dir[CAST_PATH_MAX - 32]; /* owned folder (0700) */
    char key[CAST_PATH_MAX];  /* the key file in it; "" once removed */
    char status[CAST_PATH_MAX];
    char preview[CAST_PATH_MAX];
    char log[CAST_PATH_MAX];
    int64_t status_mtime;
};

int cast_cameras(struct cast_camera *out, int max)
{
    int n = 0;
    for (int i = 0; i < 64 && n < max; i++) {
        char path[32];
        snprintf(path, sizeof(path), "/dev/video%d", i);
        int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct v4l2_capability cap;
        memset(&cap, 0, sizeof(cap));
        int ok = ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
        close(fd);
        uint32_t caps = cap.capabilities & V4L2_CAP_DEVICE_CAPS ? cap.device_caps
                                                                : cap.capabilities;
        if (!ok || !(caps & V4L2_CAP_VIDEO_CAPTURE))
            continue; /* a metadata or output node of the same camera */
        snprintf(out[n].path, sizeof(out[n].path), "%s", path);
        snprintf(out[n].name, sizeof(out[n].name), "%.63s", (const char *)cap.card);
        n++;
    }
    return n;
}

/* djtv-cast beside this program (/proc/self/exe), into out. */
static int beside_me(char *out, size_t size)
{
    char self[CAST_PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len <= 0)
        return -errno;
    self[len] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -ENOENT;
    *slash = '\0';
    return snprintf(out, size, "%s/djtv-cast", self) >= (int)size ? -ENAMETOOLONG : 0;
}

static int write_key(const char *path, const char *key)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    size_t len = strlen(key);
    int rc = write(fd, key, len) == (ssize_t)len ? 0 : -EIO;
    if (close(fd) < 0 && rc == 0)
        rc = -EIO;
    return rc;
}

static void remove_files(struct cast_child *c)
{
    const char *files[] = { c->key, c->status, c->preview, c->log };
    char tmp[CAST_PATH_MAX + 8];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        if (!files[i][0])
            continue;
        unlink(files[i]);
        snprintf(tmp, sizeof(tmp), "%s.tmp", files[i]);
        unlink(tmp);
    }
    c->key[0] = '\0';
    if (c->dir[0] && rmdir(c->dir) < 0)
        log_warn("cannot remove %s: %s", c->dir, strerror(errno));
}

/* The command line: fixed arguments, then EXTRA split at spaces (copied into buf). */
static int build_argv(const struct cast_child_config *cfg, struct cast_child *c,
                      const char *program, char *id, char *buf, char **argv)
{
    int n = 0;
    argv[n++] = (char *)program;
    const char *fixed[] = { "--server", cfg->server, "--ca", cfg->ca, "--broadcast", id,
                            "--key-file", c->key, "--status-file", c->status,
                            "--preview-file", c->preview };
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        argv[n++] = (char *)fixed[i];
    argv[n++] = "--input";
    if (cfg->camera) {
        argv[n++] = "camera";
        argv[n++] = "--video-device";
        argv[n++] = (char *)cfg->camera;
    } else {
        argv[n++] = "pattern";
    }
    snprintf(buf, EXTRA_MAX, "%s", cfg->extra ? cfg->extra : "");
    for (char *p = buf; *p && n < ARGS_MAX - 1;) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        argv[n++] = p;
        while (*p && *p != ' ')
            p++;
    }
    argv[n] = NULL;
    return n;
}

int cast_child_start(const struct cast_child_config *cfg, struct cast_child **out)
{
    char program[CAST_PATH_MAX], id[24], extra[EXTRA_MAX];
    char *argv[ARGS_MAX];
    int rc = 0;
    if (cfg->program && cfg->program[0])
        snprintf(program, sizeof(program), "%s", cfg->program);
    else
        rc = beside_me(program, sizeof(program));
    if (rc == 0 && access(program, X_OK) < 0)
        rc = -errno;
    if (rc < 0) {
        log_error("no djtv-cast to run (%s): %s", program, strerror(-rc));
        return rc;
    }
    struct cast_child *c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    snprintf(c->dir, sizeof(c->dir), "%s/djtv-cast-XXXXXX",
             cfg->dir && cfg->dir[0] ? cfg->dir : "/tmp");
    if (!mkdtemp(c->dir)) {
        rc = -errno;
        log_error("cannot make a folder for djtv-cast: %s", strerror(-rc));
        c->dir[0] = '\0';
        goto fail;
    }
    char dir[sizeof(c->dir)]; /* a copy: the names below live in *c too */
    memcpy(dir, c->dir, sizeof(dir));
    snprintf(c->key, sizeof(c->key), "%s/key", dir);
    snprintf(c->status, sizeof(c->status), "%s/status.json", dir);
    snprintf(c->preview, sizeof(c->preview), "%s/preview.bmp", dir);
    snprintf(c->log, sizeof(c->log), "%s/cast.log", dir);
    rc = write_key(c->key, cfg->key);
    if (rc < 0)
        goto fail;
    snprintf(id, sizeof(id), "%lld", (long long)cfg->broadcast_id);
    build_argv(cfg, c, program, id, extra, argv);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, c->log, O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    int err = posix_spawn(&c->pid, program, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0) {
        rc = -err;
        c->pid = 0;
        log_error("cannot start %s: %s", program, strerror(err));
        goto fail;
    }
    log_info("djtv-cast started (pid %d) for broadcast %lld from %s", (int)c->pid,
             (long long)cfg->broadcast_id, cfg->camera ? cfg->camera : "the test pattern");
    *out = c;
    return 0;
fail:
    remove_files(c);
    free(c);
    return rc;
}

static int64_t mtime_ns(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return 0;
    return (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

int cast_child_status(struct cast_child *c, struct cast_status *st)
{
    int64_t m = mtime_ns(c->status);
    if (!m || m == c->status_mtime)
        return 0;
    c->status_mtime = m;
    if (c->key[0]) { /* djtv-cast has read its key long ago: it need not stay on disk */
        unlink(c->key);
        c->key[0] = '\0';
    }
    char text[STATUS_MAX];
    FILE *f = fopen(c->status, "r");
    if (!f)
        return 0;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    cJSON *j = cJSON_Parse(text);
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return 0;
    }
    const cJSON *v;
    st->have = 1;
    st->up = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "up"));
    st->refused = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "refused"));
    v = cJSON_GetObjectItemCaseSensitive(j, "sent");
    st->sent = cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
    v = cJSON_GetObjectItemCaseSensitive(j, "queued");
    st->queued = cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
    v = cJSON_GetObjectItemCaseSensitive(j, "dropped");
    st->dropped = cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
    v = cJSON_GetObjectItemCaseSensitive(j, "reconnects");
    st->reconnects = cJSON_IsNumber(v) ? v->valueint : 0;
    v = cJSON_GetObjectItemCaseSensitive(j, "seconds");
    st->seconds = cJSON_IsNumber(v) ? v->valuedouble : 0;
    cJSON_Delete(j);
    return 1;
}

const char *cast_child_preview(const struct cast_child *c, int64_t *mtime)
{
    *mtime = mtime_ns(c->preview);
    return c->preview;
}

void cast_child_stop(struct cast_child *c)
{
    if (c->pid > 0 && !c->stopping) {
        kill(c->pid, SIGTERM);
        c->stopping = 1;
        log_info("asked djtv-cast (pid %d) to end", (int)c->pid);
    }
}

int cast_child_poll(struct cast_child *c, int *code)
{
    if (c->pid > 0) {
        int ws = 0;
        pid_t r = waitpid(c->pid, &ws, WNOHANG);
        if (r == 0)
            return 1;
        c->code = r == c->pid && WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
        log_info("djtv-cast (pid %d) ended: %d", (int)c->pid, c->code);
        c->pid = 0;
    }
    *code = c->code;
    return 0;
}

void cast_child_destroy(struct cast_child *c, int grace_ms)
{
    if (!c)
        return;
    int code = 0;
    cast_child_stop(c);
    for (int waited = 0; cast_child_poll(c, &code) && waited < grace_ms; waited += 20) {
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
    if (c->pid > 0) {
        log_warn("djtv-cast (pid %d) did not end in %d ms: killing it", (int)c->pid, grace_ms);
        kill(c->pid, SIGKILL);
        waitpid(c->pid, NULL, 0);
        c->pid = 0;
    }
    remove_files(c);
    free(c);
}
