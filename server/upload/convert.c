/* The worker's steps for one received upload, as the importer stages media: everything is
 * built in MEDIA/.staging/KEY, renamed to MEDIA/items/KEY, and only then is the item written,
 * so a box never gets a URL that does not play. KEY is "upload-TIME-ID" (new on every run, so a
 * job resumed after a restart never meets a half-made folder of its last try). */
#define LOG_TAG "upload"
#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/item_spec.h"
#include "import/files.h"
#include "log.h"
#include "media/media.h"
#include "store/store.h"
#include "upload/upload_internal.h"

enum { PATH_LEN = 1400 };

struct paths {
    char part[1100];    /* the received file */
    char key[64];
    char stage[1200];   /* MEDIA/.staging/KEY */
    char final[1200];   /* MEDIA/items/KEY */
};

struct progress_ctx {
    struct uploads *up;
    struct store_upload_job *job;
};

static void on_progress(void *arg, int percent)
{
    struct progress_ctx *c = arg;
    upload_set_state(c->up, c->job, "converting", percent);
}

/* The item and the job's done state in one transaction: a crash leaves neither or both, so a
 * resumed job never makes its item twice. */
struct video_save {
    struct item_spec *sp;
    struct store_upload_job *job;
    const char *media_url;
};

static int video_save_run(struct store_tx *tx, void *arg)
{
    struct video_save *v = arg;
    int rc = item_spec_write(tx, v->sp);
    if (rc >= 0)
        rc = upload_mark_done(tx, v->job, v->sp->id, v->media_url, v->sp->course.poster);
    return rc;
}

/* Rename the staged folder into place: 0 or a negative errno. */
static int put_in_place(const struct uploads *up, const struct paths *p)
{
    char items[1100];
    snprintf(items, sizeof(items), "%s/items", up->cfg.media_root);
    int rc = files_mkdirs(items);
    if (rc == 0 && rename(p->stage, p->final) < 0)
        rc = -errno;
    return rc;
}

static void convert_video(struct uploads *up, struct store_upload_job *job, const struct paths *p)
{
    char hls[PATH_LEN], poster[PATH_LEN], err[256] = "";
    char media_url[STORE_URL_MAX], poster_url[STORE_URL_MAX] = "";
    snprintf(hls, sizeof(hls), "%s/hls", p->stage);
    snprintf(poster, sizeof(poster), "%s/poster.jpg", p->stage);
    int rc = files_mkdirs(hls);
    struct media_hls_result res;
    struct progress_ctx pc = { up, job };
    upload_set_state(up, job, "converting", 0);
    if (rc == 0)
        rc = media_hls_make_progress(p->part, hls, &res, err, sizeof(err), on_progress, &pc);
    if (rc < 0) {
        log_warn("upload %lld (%s): not a playable video: %s", (long long)job->id, job->name, err);
        upload_fail(up, job, "这个文件不是能播放的视频，请换一个 MP4 等常见格式的视频再上传");
        return;
    }
    log_info("upload %lld: video %s/%s %dx%d %d s: %s", (long long)job->id, res.video_codec,
             res.audio_codec[0] ? res.audio_codec : "no audio", res.width, res.height,
             res.duration_s,
             res.video_copied && res.audio_copied != 0 ? "remuxed (copied)" : "transcoded");
    upload_set_state(up, job, "saving", 100);
    if (media_poster_make(p->part, poster, err, sizeof(err)) == 0)
        snprintf(poster_url, sizeof(poster_url), "/media/items/%s/poster.jpg", p->key);
    else
        log_warn("upload %lld: no poster: %s", (long long)job->id, err);
    snprintf(media_url, sizeof(media_url), "/media/items/%s/hls/index.m3u8", p->key);

    cJSON *obj = cJSON_Parse(job->item_json), *jerr = NULL;
    struct item_spec sp;
    memset(&sp, 0, sizeof(sp));
    rc = obj ? item_spec_parse(obj, ITEM_SPEC_ADMIN, up->cfg.store, job->township_id, time(NULL),
                               &sp, &jerr)
             : -ENOMEM;
    if (rc == 0) {
        snprintf(sp.course.media_url, sizeof(sp.course.media_url), "%s", media_url);
        if (!sp.course.poster[0])
            snprintf(sp.course.poster, sizeof(sp.course.poster), "%s", poster_url);
        if (sp.course.duration_s == 0)
            sp.course.duration_s = res.duration_s;
        rc = put_in_place(up, p);
        if (rc == 0) {
            struct video_save vs = { &sp, job, media_url };
            rc = store_write(up->cfg.store, video_save_run, &vs);
            if (rc < 0)
                files_remove_tree(p->final);
        }
    }
    if (rc == 0) {
        log_info("upload %lld: item %lld \"%s\" published by account %lld", (long long)job->id,
                 (long long)sp.id, sp.c.title, (long long)job->account_id);
        upload_finished(up, job);
        upload_announce(up, sp.c.org_id, sp.section, sp.id, 1);
    } else {
        log_error("upload %lld: item not saved: %s", (long long)job->id, strerror(-rc));
        upload_fail(up, job, rc == -EPERM || rc == -EINVAL
                                     ? "内容信息已经不对了（村可能已不在本镇），请重新填写"
                                     : "视频转好了，但保存时出错，请稍后重新上传");
    }
    item_spec_fini(&sp);
    cJSON_Delete(jerr);
    cJSON_Delete(obj);
}

struct poster_save {
    struct store_course *c;
    struct store_upload_job *job;
};

static int poster_run(struct store_tx *tx, void *arg)
{
    struct poster_save *ps = arg;
    int rc = store_course_set(tx, ps->c);
    if (rc >= 0)
        rc = upload_mark_done(tx, ps->job, ps->job->target_item, "", ps->c->poster);
    return rc;
}

/* The item that got a new poster changed for the boxes that list it. */
static void announce_poster(struct uploads *up, const struct store_upload_job *job)
{
    int64_t org = 0;
    struct store_item it = { .body = NULL };
    int rc = store_content_org(up->cfg.store, job->target_item, &org);
    if (rc == 0) {
        struct store_scope scope = { .village_id = org, .township_id = job->township_id };
        rc = store_item_get(up->cfg.store, &scope, (time_t)INT32_MAX, job->target_item, &it);
    }
    if (rc == 0)
        upload_announce(up, org, it.section, job->target_item, 0);
    store_item_fini(&it);
}

static void convert_poster(struct uploads *up, struct store_upload_job *job, const struct paths *p)
{
    char err[256] = "", dst[PATH_LEN], url[STORE_URL_MAX];
    const char *ext = NULL;
    upload_set_state(up, job, "checking", 0);
    if (media_image_check(p->part, &ext, err, sizeof(err)) < 0) {
        log_warn("upload %lld (%s): not a poster: %s", (long long)job->id, job->name, err);
        upload_fail(up, job, "这个文件不是 JPEG 或 PNG 图片，请换一张图片再上传");
        return;
    }
    upload_set_state(up, job, "saving", 100);
    snprintf(dst, sizeof(dst), "%s/poster.%s", p->stage, ext);
    snprintf(url, sizeof(url), "/media/items/%s/poster.%s", p->key, ext);
    struct store_course c;
    int rc = store_course_get(up->cfg.store, job->target_item, &c);
    if (rc == 0)
        rc = files_copy(p->part, dst);
    if (rc == 0)
        rc = put_in_place(up, p);
    if (rc == 0) {
        snprintf(c.poster, sizeof(c.poster), "%s", url);
        struct poster_save ps = { &c, job };
        rc = store_write(up->cfg.store, poster_run, &ps);
        if (rc < 0)
            files_remove_tree(p->final);
    }
    if (rc < 0) {
        log_error("upload %lld: poster not saved: %s", (long long)job->id, strerror(-rc));
        upload_fail(up, job, rc == -ENOENT ? "这条内容已经删除了，海报没有用上"
                                               : "海报保存时出错，请稍后重新上传");
        return;
    }
    upload_finished(up, job);
    announce_poster(up, job);
}

void upload_convert(struct uploads *up, struct store_upload_job *job)
{
    struct paths p;
    upload_part_path(up, job->id, p.part, sizeof(p.part));
    snprintf(p.key, sizeof(p.key), "upload-%lld-%lld", (long long)time(NULL), (long long)job->id);
    snprintf(p.stage, sizeof(p.stage), "%s/.staging/%s", up->cfg.media_root, p.key);
    snprintf(p.final, sizeof(p.final), "%s/items/%s", up->cfg.media_root, p.key);
    files_remove_tree(p.stage);
    int rc = files_mkdirs(p.stage);
    if (rc < 0) {
        log_error("upload %lld: cannot make %s: %s", (long long)job->id, p.stage, strerror(-rc));
        upload_fail(up, job, "服务器存不下这个文件，请联系管理员");
        return;
    }
    if (strcmp(job->file, "video") == 0)
        convert_video(up, job, &p);
    else
        convert_poster(up, job, &p);
    files_remove_tree(p.stage); /* gone already when it was put in place */
}
