/* The importer: manifests → checked items (api/item_spec.c) → media staged in
 * MEDIA/.staging/KEY.PID (images checked and copied, videos remuxed or transcoded to HLS) →
 * the item's rows in one store job → the staged folder renamed to MEDIA/items/KEY. A failure at
 * any step removes the staged folder and leaves the previous import of that key as it was. */
#define LOG_TAG "import"
#include "import/import.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/item_spec.h"
#include "import/files.h"
#include "log.h"
#include "media/media.h"
#include "store/store.h"
#include "util/fileio.h"

enum {
    MANIFEST_MAX = 1024 * 1024, /* bytes of one manifest file */
    ITEMS_MAX = 1000,           /* items of one run (keys remembered for duplicates) */
    PATH_LEN = 4096,
    PLAN_PATH = 2048, /* the paths of a plan, so that a name fits after them in PATH_LEN */
    ROOT_MAX = 1000,  /* the media root's length */
    STAMP_LEN = 4096,
    FAR_FUTURE_S = 50 * 366 * 86400, /* a "now" that sees items scheduled for later too */
};

struct run {
    const struct import_options *o;
    struct store *store;         /* owned */
    int64_t township_id;         /* the only township, 0 when there are several */
    char keys[ITEMS_MAX][ITEM_KEY_MAX]; /* keys seen in this run */
    int n_keys;
    struct import_stats *st;
};

static void report(const char *file, int index, const char *key, const char *msg)
{
    if (index > 0 && key)
        log_error("%s: item %d (key %s): %s", file, index, key, msg);
    else if (index > 0)
        log_error("%s: item %d: %s", file, index, msg);
    else
        log_error("%s: %s", file, msg);
}

/* The message of a handler-style error object, or a fallback from RC. */
static const char *err_message(const cJSON *err, int rc)
{
    const cJSON *m = err ? cJSON_GetObjectItemCaseSensitive(err, "message") : NULL;
    return cJSON_IsString(m) ? m->valuestring : strerror(-rc);
}

static int path_join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* The folder a manifest's file names are relative to. */
static void dir_of(const char *file, char *out, size_t cap)
{
    snprintf(out, cap, "%s", file);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(out, cap, ".");
}

/* Where a staged item's media goes, and what it needs. */
struct media_plan {
    char src_dir[PLAN_PATH]; /* the manifest's folder */
    char root[ROOT_MAX + 1]; /* MEDIA */
    char final[PLAN_PATH];   /* MEDIA/items/KEY */
    char stage[PLAN_PATH];   /* MEDIA/.staging/KEY.PID; "" when nothing was staged */
    char stamp[STAMP_LEN];   /* the source files' names, sizes and times */
    int duration_s;          /* the video's length, from this run or the last */
};

/* Check and copy image FIELD_FILE as NAME.jpg|png into the stage; its URL into URL. */
static int stage_image(const struct media_plan *p, const char *key, const char *file,
                       const char *name, char *url, size_t cap, char *err, size_t errlen)
{
    char src[PATH_LEN], dst[PATH_LEN];
    const char *ext = NULL;
    int rc = path_join(src, sizeof(src), p->src_dir, file);
    if (rc == 0)
        rc = media_image_check(src, &ext, err, errlen);
    if (rc < 0)
        return rc;
    snprintf(dst, sizeof(dst), "%s/%s.%s", p->stage, name, ext);
    rc = files_copy(src, dst);
    if (rc < 0) {
        snprintf(err, errlen, "cannot copy: %s", strerror(-rc));
        return rc;
    }
    snprintf(url, cap, "/media/items/%s/%s.%s", key, name, ext);
    return 0;
}

/* The URL of an image kept from the last import of KEY (poster.jpg or poster.png). */
static int kept_image(const struct media_plan *p, const char *key, const char *name, char *url,
                      size_t cap)
{
    static const char *const exts[] = { "jpg", "png" };
    for (int i = 0; i < 2; i++) {
        char f[PATH_LEN];
        snprintf(f, sizeof(f), "%s/%s.%s", p->final, name, exts[i]);
        if (fileio_exists(f)) {
            snprintf(url, cap, "/media/items/%s/%s.%s", key, name, exts[i]);
            return 0;
        }
    }
    return -ENOENT;
}

/* The source stamp of the item's files; FIELD gets the field of a missing file. */
static int make_stamp(struct media_plan *p, const struct item_spec *sp, const char **field)
{
    const char *files[] = { sp->poster_file, sp->photo_file, sp->video_file };
    const char *names[] = { "poster", "photo", "video" };
    p->stamp[0] = '\0';
    for (int i = 0; i < 3; i++) {
        if (!files[i])
            continue;
        char src[PATH_LEN];
        int rc = path_join(src, sizeof(src), p->src_dir, files[i]);
        if (rc == 0)
            rc = files_stamp(src, names[i], p->stamp, sizeof(p->stamp));
        if (rc < 0) {
            *field = names[i];
            return rc;
        }
    }
    return 0;
}

/* Reuse the media of the last import when its stamp matches: 1 reused, 0 not. */
static int try_reuse(struct media_plan *p, struct item_spec *sp, const char *key)
{
    char path[PATH_LEN], old[STAMP_LEN + 64];
    snprintf(path, sizeof(path), "%s/source.txt", p->final);
    if (files_read_small(path, old, sizeof(old)) < 0)
        return 0;
    size_t n = strlen(p->stamp);
    if (strncmp(old, p->stamp, n) != 0 || strncmp(old + n, "duration ", 9) != 0)
        return 0;
    p->duration_s = (int)strtol(old + n + 9, NULL, 10);
    if (sp->poster_file &&
        kept_image(p, key, "poster", sp->course.poster, sizeof(sp->course.poster)) < 0)
        return 0;
    if (sp->photo_file &&
        kept_image(p, key, "photo", sp->pioneer.photo, sizeof(sp->pioneer.photo)) < 0)
        return 0;
    if (sp->video_file) {
        snprintf(path, sizeof(path), "%s/hls/index.m3u8", p->final);
        if (!fileio_exists(path))
            return 0;
        snprintf(sp->course.media_url, sizeof(sp->course.media_url),
                 "/media/items/%s/hls/index.m3u8", key);
    }
    return 1;
}

/* Build the item's media in a fresh staging folder. FIELD names what failed. */
static int stage_media(struct media_plan *p, struct item_spec *sp, const char *key,
                       const char **field, char *err, size_t errlen)
{
    snprintf(p->stage, sizeof(p->stage), "%s/.staging/%s.%ld", p->root, key, (long)getpid());
    files_remove_tree(p->stage);
    int rc = files_mkdirs(p->stage);
    if (rc < 0) {
        *field = "key";
        snprintf(err, errlen, "cannot make %.300s: %s", p->stage, strerror(-rc));
        return rc;
    }
    if (sp->poster_file) {
        *field = "poster";
        rc = stage_image(p, key, sp->poster_file, "poster", sp->course.poster,
                         sizeof(sp->course.poster), err, errlen);
        if (rc < 0)
            return rc;
    }
    if (sp->photo_file) {
        *field = "photo";
        rc = stage_image(p, key, sp->photo_file, "photo", sp->pioneer.photo,
                         sizeof(sp->pioneer.photo), err, errlen);
        if (rc < 0)
            return rc;
    }
    if (sp->video_file) {
        *field = "video";
        char src[PATH_LEN], hls[PATH_LEN];
        path_join(src, sizeof(src), p->src_dir, sp->video_file);
        snprintf(hls, sizeof(hls), "%s/hls", p->stage);
        rc = files_mkdirs(hls);
        struct media_hls_result res;
        if (rc == 0)
            rc = media_hls_make(src, hls, &res, err, errlen);
        if (rc < 0)
            return rc;
        log_info("%s: video %s/%s %dx%d %d s: %s", key, res.video_codec,
                 res.audio_codec[0] ? res.audio_codec : "no audio", res.width, res.height,
                 res.duration_s,
                 res.video_copied && res.audio_copied != 0 ? "remuxed (copied)" : "transcoded");
        p->duration_s = res.duration_s;
        snprintf(sp->course.media_url, sizeof(sp->course.media_url),
                 "/media/items/%s/hls/index.m3u8", key);
    }
    char text[STAMP_LEN + 64], path[PATH_LEN];
    snprintf(text, sizeof(text), "%sduration %d\n", p->stamp, p->duration_s);
    snprintf(path, sizeof(path), "%s/source.txt", p->stage);
    *field = "key";
    rc = files_write_small(path, text);
    if (rc < 0)
        snprintf(err, errlen, "cannot write %.300s: %s", path, strerror(-rc));
    return rc;
}

/* Put the staged folder in place of the last import's. */
static int swap_in(const struct media_plan *p)
{
    char old[PATH_LEN];
    snprintf(old, sizeof(old), "%s.old", p->stage);
    files_remove_tree(old);
    if (rename(p->final, old) != 0 && errno != ENOENT)
        return -errno;
    if (rename(p->stage, p->final) != 0) {
        int rc = -errno;
        rename(old, p->final);
        return rc;
    }
    files_remove_tree(old);
    return 0;
}

/* A re-import without published_at keeps the item's first publication time, so that the
 * item does not jump to the top of its section at every run. */
static void keep_published(struct run *r, int64_t id, struct item_spec *sp)
{
    int64_t org = 0;
    if (store_content_org(r->store, id, &org) < 0)
        return;
    struct store_scope scope = { .village_id = org, .township_id = org };
    struct store_item it = { .body = NULL };
    if (store_item_get(r->store, &scope, r->o->now + FAR_FUTURE_S, id, &it) == 0)
        sp->c.published_at = it.published_at;
    store_item_fini(&it);
}

static int seen_key(struct run *r, const char *key)
{
    for (int i = 0; i < r->n_keys; i++)
        if (strcmp(r->keys[i], key) == 0)
            return 1;
    if (r->n_keys < ITEMS_MAX)
        snprintf(r->keys[r->n_keys++], ITEM_KEY_MAX, "%s", key);
    return 0;
}

/* One item of FILE: all of it or none of it. 0 or negative errno (reported). */
static int import_item(struct run *r, const char *file, int index, const cJSON *obj)
{
    struct item_spec sp;
    cJSON *jerr = NULL;
    char err[512] = "";
    struct media_plan *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    const cJSON *key_j = cJSON_GetObjectItemCaseSensitive(obj, "key");
    const char *key = cJSON_IsString(key_j) ? key_j->valuestring : NULL;
    int rc = 0;
    if (r->township_id == 0 && !cJSON_GetObjectItemCaseSensitive(obj, "township")) {
        report(file, index, key, "township: required (the database has several townships)");
        rc = -EINVAL;
        goto out;
    }
    rc = item_spec_parse(obj, ITEM_SPEC_IMPORT, r->store, r->township_id, r->o->now, &sp, &jerr);
    if (rc < 0) {
        report(file, index, key, err_message(jerr, rc));
        goto out_spec;
    }
    if (seen_key(r, sp.key)) {
        report(file, index, key, "key: used by another item of this import");
        rc = -EEXIST;
        goto out_spec;
    }
    dir_of(file, p->src_dir, sizeof(p->src_dir));
    snprintf(p->root, sizeof(p->root), "%s", r->o->media_root);
    snprintf(p->final, sizeof(p->final), "%s/items/%s", r->o->media_root, sp.key);
    const char *field = "key";
    rc = make_stamp(p, &sp, &field);
    if (rc < 0) {
        snprintf(err, sizeof(err), "%s: cannot read the file: %s", field, strerror(-rc));
        report(file, index, key, err);
        goto out_spec;
    }
    int reused = (sp.poster_file || sp.photo_file || sp.video_file) && try_reuse(p, &sp, sp.key);
    if (!reused && (sp.poster_file || sp.photo_file || sp.video_file)) {
        rc = stage_media(p, &sp, sp.key, &field, err, sizeof(err));
        if (rc < 0) {
            char msg[640];
            snprintf(msg, sizeof(msg), "%s: %s", field, err);
            report(file, index, key, msg);
            goto out_stage;
        }
    }
    if ((sp.extras & ITEM_COURSE) && sp.course.duration_s == 0)
        sp.course.duration_s = p->duration_s;
    int64_t id = 0;
    rc = store_content_by_source(r->store, sp.key, &id);
    if (rc == 0 && !cJSON_GetObjectItemCaseSensitive(obj, "published_at"))
        keep_published(r, id, &sp);
    if (rc == 0 || rc == -ENOENT) {
        sp.id = id;
        rc = store_write(r->store, item_spec_write, &sp);
    }
    if (rc < 0) {
        snprintf(err, sizeof(err), "database: %s", strerror(-rc));
        report(file, index, key, err);
        goto out_stage;
    }
    if (p->stage[0]) {
        rc = swap_in(p);
        if (rc < 0) {
            snprintf(err, sizeof(err), "media: cannot move into %.300s: %s",
                     p->final, strerror(-rc));
            report(file, index, key, err);
            goto out_stage;
        }
        p->stage[0] = '\0';
    }
    r->st->added += sp.created;
    r->st->updated += !sp.created;
    r->st->reused += reused;
    log_info("%s: %s item %lld \"%s\" (%s)", file, sp.created ? "added" : "updated",
             (long long)sp.id, sp.c.title, sp.key);
out_stage:
    if (p->stage[0])
        files_remove_tree(p->stage);
out_spec:
    item_spec_fini(&sp);
out:
    cJSON_Delete(jerr);
    free(p);
    return rc;
}

/* A manifest: one item object, or {"items": [...]} (and an optional "_comment"). */
static void import_file(struct run *r, const char *file)
{
    char *text = NULL;
    r->st->files++;
    int rc = fileio_read(file, MANIFEST_MAX, &text, NULL);
    if (rc < 0) {
        report(file, 0, NULL, rc == -E2BIG ? "larger than 1 MiB" : strerror(-rc));
        r->st->failed++;
        return;
    }
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(root)) {
        report(file, 0, NULL, root ? "must hold a JSON object" : "not valid JSON");
        r->st->failed++;
        cJSON_Delete(root);
        return;
    }
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "items");
    if (items) {
        const cJSON *v;
        cJSON_ArrayForEach(v, root)
        {
            if (strcmp(v->string, "items") != 0 && strcmp(v->string, "_comment") != 0) {
                char msg[128];
                snprintf(msg, sizeof(msg), "%.40s: unknown field beside \"items\"", v->string);
                report(file, 0, NULL, msg);
                r->st->failed++;
                cJSON_Delete(root);
                return;
            }
        }
        if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
            report(file, 0, NULL, "items: must be a non-empty array of items");
            r->st->failed++;
            cJSON_Delete(root);
            return;
        }
        int index = 0;
        cJSON_ArrayForEach(v, items)
        {
            if (import_item(r, file, ++index, v) < 0)
                r->st->failed++;
        }
    } else if (import_item(r, file, 1, root) < 0) {
        r->st->failed++;
    }
    cJSON_Delete(root);
}

static int is_manifest(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".json") == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* The manifests of DIR in name order, and those of its sub-folders (one level) when TOP. */
static int scan(struct run *r, const char *dir, int top)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0) {
        int rc = -errno;
        log_error("cannot read %s: %s", dir, strerror(errno));
        return rc;
    }
    for (int i = 0; i < n; i++) {
        char path[PATH_LEN];
        const char *name = names[i]->d_name;
        struct stat st;
        if (name[0] != '.' && path_join(path, sizeof(path), dir, name) == 0 &&
            stat(path, &st) == 0) {
            if (S_ISREG(st.st_mode) && is_manifest(name))
                import_file(r, path);
            else if (S_ISDIR(st.st_mode) && top)
                scan(r, path, 0);
        }
        free(names[i]);
    }
    free(names);
    return 0;
}

int import_run(const struct import_options *o, struct import_stats *st)
{
    memset(st, 0, sizeof(*st));
    struct run *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->o = o;
    r->st = st;
    media_log_init();
    if (strlen(o->media_root) > ROOT_MAX || strlen(o->dir) > ROOT_MAX) {
        free(r);
        log_error("the media or manifest folder's path is too long");
        return -ENAMETOOLONG;
    }
    int rc = store_open(o->db_path, 0, &r->store);
    if (rc < 0) {
        log_error("cannot open database %s: %s", o->db_path, strerror(-rc));
        goto out;
    }
    struct store_org t;
    rc = store_org_find(r->store, 0, NULL, &t);
    if (rc == 0)
        r->township_id = t.id;
    else if (rc != -EEXIST) {
        log_error("the database has no township: create it first (djtv-server demo)");
        goto out;
    }
    char items[PATH_LEN];
    snprintf(items, sizeof(items), "%s/items", o->media_root);
    rc = files_mkdirs(items);
    if (rc == 0) {
        snprintf(items, sizeof(items), "%s/.staging", o->media_root);
        rc = files_mkdirs(items);
    }
    if (rc < 0) {
        log_error("cannot make the media folder %s: %s", o->media_root, strerror(-rc));
        goto out;
    }
    rc = scan(r, o->dir, 1);
out:
    store_close(r->store);
    free(r);
    return rc;
}
