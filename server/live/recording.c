/* The recording of a live broadcast. While it runs, live/{id}/recording.m3u8 grows by one entry
 * per segment (synced each time), so whatever arrived before a crash stays playable. When the
 * broadcast is over, rec_make_replay (on the worker thread, never an HTTP thread) closes that
 * playlist, joins the segments into one transport stream, remuxes it into a VOD rendition of
 * 4 s segments (media_hls_make, as the importer does) with a poster frame, and sets the
 * broadcast's recording_url. If the remux fails, the closed recording playlist itself becomes
 * the replay. */
#define LOG_TAG "live"
#include "live/live_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "media/media.h"
#include "store/store.h"
#include "util/fileio.h"

enum { REC_MAX = 64 * 1024 * 1024, COPY_BUF = 256 * 1024 };

static const char REC_NAME[] = "recording.m3u8";

int rec_load(const char *dir, struct rec_entry **out, int *n, int *ended)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, REC_NAME);
    char *text = NULL;
    size_t len = 0;
    int rc = fileio_read(path, REC_MAX, &text, &len);
    if (rc < 0)
        return rc;
    int cap = 64, count = 0, disc = 0;
    double dur = 0;
    struct rec_entry *e = malloc((size_t)cap * sizeof(*e));
    *ended = 0;
    for (char *line = text, *next; e && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        long long seq;
        char tail;
        if (strcmp(line, "#EXT-X-DISCONTINUITY") == 0) {
            disc = 1;
        } else if (strncmp(line, "#EXTINF:", 8) == 0) {
            dur = strtod(line + 8, NULL);
        } else if (strcmp(line, "#EXT-X-ENDLIST") == 0) {
            *ended = 1;
        } else if (sscanf(line, "seg%lld.t%c", &seq, &tail) == 2 && tail == 's') {
            if (count == cap) {
                struct rec_entry *m = realloc(e, (size_t)cap * 2 * sizeof(*e));
                if (!m) {
                    free(e);
                    e = NULL;
                    break;
                }
                e = m;
                cap *= 2;
            }
            e[count++] = (struct rec_entry){ seq, dur, disc };
            disc = 0;
        }
    }
    free(text);
    if (!e)
        return -ENOMEM;
    *out = e;
    *n = count;
    return 0;
}

static int append_text(const char *dir, const char *text, int header)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, REC_NAME);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    struct stat st;
    int rc = fstat(fd, &st) < 0 ? -errno : 0;
    char buf[512];
    int n = 0;
    if (rc == 0 && st.st_size == 0 && header)
        n = snprintf(buf, sizeof(buf),
                     "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%d\n"
                     "#EXT-X-PLAYLIST-TYPE:EVENT\n#EXT-X-MEDIA-SEQUENCE:0\n",
                     LIVE_SEGMENT_S_MAX);
    n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", text);
    if (rc == 0 && write(fd, buf, (size_t)n) != n)
        rc = -EIO;
    if (rc == 0 && fdatasync(fd) < 0)
        rc = -errno;
    close(fd);
    return rc;
}

int rec_append(const char *dir, const struct rec_entry *e)
{
    char text[160];
    snprintf(text, sizeof(text), "%s#EXTINF:%.3f,\nseg%lld.ts\n",
             e->disc ? "#EXT-X-DISCONTINUITY\n" : "", e->dur, (long long)e->seq);
    return append_text(dir, text, 1);
}

/* Remove DIR and what it holds, DEPTH folder levels down (the replay folder and its hls/). */
static void remove_tree(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char path[1200];
            snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
            if (unlink(path) < 0 && depth > 0)
                remove_tree(path, depth - 1);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Join the segments into OUT, one after the other (MPEG-TS joins by concatenation). */
static int join_segments(const char *dir, const struct rec_entry *e, int n, const char *out)
{
    FILE *o = fopen(out, "wb");
    if (!o)
        return -errno;
    char *buf = malloc(COPY_BUF);
    int rc = buf ? 0 : -ENOMEM, joined = 0;
    for (int i = 0; rc == 0 && i < n; i++) {
        char path[1100];
        snprintf(path, sizeof(path), "%s/seg%lld.ts", dir, (long long)e[i].seq);
        FILE *in = fopen(path, "rb");
        if (!in)
            continue; /* lost before it was synced: the rest still plays */
        size_t k;
        while ((k = fread(buf, 1, COPY_BUF, in)) > 0)
            if (fwrite(buf, 1, k, o) != k) {
                rc = -EIO;
                break;
            }
        fclose(in);
        joined++;
    }
    free(buf);
    if (fclose(o) != 0 && rc == 0)
        rc = -EIO;
    return rc == 0 && joined == 0 ? -ENOENT : rc;
}

struct rec_job {
    int64_t id;
    const char *state;
    const char *url;
};

static int rec_job_run(struct store_tx *tx, void *arg)
{
    const struct rec_job *j = arg;
    return store_broadcast_set_recording(tx, j->id, j->state, j->url);
}

static int set_state(struct live *lv, int64_t id, const char *state, const char *url)
{
    struct rec_job j = { id, state, url };
    int rc = store_write(lv->cfg.store, rec_job_run, &j);
    if (rc < 0)
        log_error("broadcast %lld: recording state %s not saved: %s", (long long)id, state,
                  strerror(-rc));
    return rc;
}

/* The replay as a video item of the broadcast's org (category 会议回放): listed with the
 * videos and resumed where the household stopped, like any video. Written once (source key
 * "replay:ID"); a second run updates its media. */
struct item_job {
    const struct store_broadcast *b;
    const char *url, *poster;
    int duration_s;
    int64_t item;
};

static int item_run(struct store_tx *tx, void *arg)
{
    struct item_job *j = arg;
    char title[STORE_TITLE_MAX], key[64];
    snprintf(title, sizeof(title), "会议回放：%.480s", j->b->title); /* titles are <= 200 B */
    snprintf(key, sizeof(key), "replay:%lld", (long long)j->b->id);
    int rc = 0;
    j->item = j->b->replay_item_id;
    if (j->item <= 0) {
        struct store_content_new c = {
            .org_id = j->b->org_id,
            .section = "video",
            .kind = "视频",
            .title = title,
            .body = "",
            .published_at = j->b->ended_at ? j->b->ended_at : time(NULL),
        };
        rc = store_content_add(tx, &c, &j->item);
        if (rc == 0)
            rc = store_content_set_source(tx, j->item, key);
    }
    struct store_course course = { .content_id = j->item, .duration_s = j->duration_s };
    snprintf(course.category, sizeof(course.category), "会议回放");
    snprintf(course.media_url, sizeof(course.media_url), "%s", j->url);
    snprintf(course.poster, sizeof(course.poster), "%s", j->poster);
    if (rc == 0)
        rc = store_course_set(tx, &course);
    if (rc == 0)
        rc = store_broadcast_set_replay_item(tx, j->b->id, j->item);
    return rc;
}

static void add_replay_item(struct live *lv, int64_t id, const char *url, int duration_s)
{
    struct store_broadcast b;
    char poster[128], path[1100];
    snprintf(poster, sizeof(poster), "/media/replays/%lld/poster.jpg", (long long)id);
    snprintf(path, sizeof(path), "%s/replays/%lld/poster.jpg", lv->cfg.media_root, (long long)id);
    struct item_job j = { &b, url, fileio_exists(path) ? poster : "", duration_s, 0 };
    int rc = store_broadcast_get(lv->cfg.store, id, &b);
    if (rc == 0)
        rc = store_write(lv->cfg.store, item_run, &j);
    if (rc < 0)
        log_warn("broadcast %lld: replay not added to the videos: %s", (long long)id,
                 strerror(-rc));
}

/* Remux into ROOT/replays/.ID.tmp, then rename it to ROOT/replays/ID. */
static int remux(struct live *lv, int64_t id, const char *dir, const struct rec_entry *e, int n,
                 int *duration_s)
{
    char replays[1024], tmp[1100], hls[1200], joined[1200], poster[1200], final[1100];
    char err[256] = "";
    snprintf(replays, sizeof(replays), "%s/replays", lv->cfg.media_root);
    snprintf(tmp, sizeof(tmp), "%s/.%lld.tmp", replays, (long long)id);
    snprintf(final, sizeof(final), "%s/%lld", replays, (long long)id);
    snprintf(hls, sizeof(hls), "%s/hls", tmp);
    snprintf(joined, sizeof(joined), "%s/recording.ts", tmp);
    snprintf(poster, sizeof(poster), "%s/poster.jpg", tmp);
    remove_tree(tmp, 1);
    if ((mkdir(replays, 0755) < 0 && errno != EEXIST) || mkdir(tmp, 0755) < 0 ||
        mkdir(hls, 0755) < 0)
        return -errno;
    int rc = join_segments(dir, e, n, joined);
    struct media_hls_result res;
    if (rc == 0)
        rc = media_hls_make(joined, hls, &res, err, sizeof(err));
    if (rc == 0 && media_poster_make(joined, poster, err, sizeof(err)) < 0)
        log_warn("broadcast %lld: no poster: %s", (long long)id, err);
    unlink(joined);
    if (rc == 0) {
        remove_tree(final, 1);
        if (rename(tmp, final) < 0)
            rc = -errno;
    }
    if (rc < 0) {
        log_warn("broadcast %lld: replay not remuxed (%s%s%s)", (long long)id,
                 err[0] ? err : "", err[0] ? ", " : "", strerror(rc < 0 && rc > -4096 ? -rc : EIO));
        remove_tree(tmp, 1);
    } else {
        log_info("broadcast %lld: replay of %d s ready", (long long)id, res.duration_s);
        *duration_s = res.duration_s;
    }
    return rc;
}

int rec_make_replay(struct live *lv, int64_t id)
{
    char dir[1024];
    rec_dir(lv, id, dir, sizeof(dir));
    struct rec_entry *e = NULL;
    int n = 0, ended = 0;
    int rc = rec_load(dir, &e, &n, &ended);
    if (rc == 0 && !ended)
        rc = append_text(dir, "#EXT-X-ENDLIST\n", 0); /* the recording is closed */
    if (rc < 0 || n == 0) {
        free(e);
        return rc < 0 ? rc : -ENOENT; /* nothing was ever published */
    }
    set_state(lv, id, "processing", NULL);
    char url[128];
    int duration_s = 0;
    for (int i = 0; i < n; i++)
        duration_s += (int)(e[i].dur + 0.5);
    if (remux(lv, id, dir, e, n, &duration_s) == 0) {
        snprintf(url, sizeof(url), "/media/replays/%lld/hls/index.m3u8", (long long)id);
    } else {
        /* The segments as they came still play as one VOD playlist. */
        snprintf(url, sizeof(url), "/live/%lld/recording.m3u8", (long long)id);
    }
    free(e);
    add_replay_item(lv, id, url, duration_s);
    return set_state(lv, id, "ready", url);
}
