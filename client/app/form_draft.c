/* Form drafts on disk (see form_draft.h). */
#define LOG_TAG "draft"
#include "app/form_draft.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

enum { DRAFT_FILE_MAX = 16 * 1024 };

static int draft_path(const char *dir, int64_t item_id, const char *suffix, char *out,
                      size_t size)
{
    int n = snprintf(out, size, "%s/form-%" PRId64 ".json%s", dir, item_id, suffix);
    return n > 0 && (size_t)n < size ? 0 : -ENAMETOOLONG;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -errno;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static char *draft_json(const struct form_draft *d)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *qs = o ? cJSON_AddArrayToObject(o, "questions") : NULL;
    int ok = qs && cJSON_AddNumberToObject(o, "item_id", (double)d->item_id) &&
             cJSON_AddNumberToObject(o, "member_id", (double)d->member_id) &&
             cJSON_AddNumberToObject(o, "started_at", (double)d->started_at) &&
             cJSON_AddNumberToObject(o, "page", d->page);
    for (int i = 0; ok && i < d->n; i++) {
        cJSON *q = cJSON_CreateObject();
        ok = q && cJSON_AddNumberToObject(q, "id", (double)d->question_ids[i]) &&
             cJSON_AddNumberToObject(q, "chosen", d->choices[i]);
        if (q)
            cJSON_AddItemToArray(qs, q);
    }
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return text;
}

int form_draft_save(const char *dir, const struct form_draft *d)
{
    if (!dir || !dir[0] || !d || d->n < 0 || d->n > FORM_QUESTIONS_MAX)
        return -EINVAL;
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return -errno;
    char tmp[1200], path[1200];
    int rc = draft_path(dir, d->item_id, ".tmp", tmp, sizeof(tmp));
    if (rc == 0)
        rc = draft_path(dir, d->item_id, "", path, sizeof(path));
    if (rc < 0)
        return rc;
    char *text = draft_json(d);
    if (!text)
        return -ENOMEM;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        rc = -errno;
        cJSON_free(text);
        return rc;
    }
    rc = write_all(fd, text, strlen(text));
    cJSON_free(text);
    if (rc == 0 && fsync(fd) < 0)
        rc = -errno;
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0) {
        unlink(tmp);
        return rc;
    }
    /* The rename itself must reach the disk too. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        if (fsync(dfd) < 0)
            rc = -errno;
        close(dfd);
    }
    return rc;
}

static char *read_small(const char *path, int *rc)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *rc = -errno;
        return NULL;
    }
    char *buf = malloc(DRAFT_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, DRAFT_FILE_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n > DRAFT_FILE_MAX) {
        free(buf);
        *rc = buf ? -EINVAL : -ENOMEM;
        return NULL;
    }
    buf[n] = '\0';
    *rc = 0;
    return buf;
}

static int64_t num(const cJSON *o, const char *name, int *ok)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0) {
        *ok = 0;
        return 0;
    }
    return (int64_t)v->valuedouble;
}

static int parse_draft(const char *text, const struct form_model *f, struct form_draft *d)
{
    cJSON *o = cJSON_Parse(text);
    int ok = cJSON_IsObject(o);
    memset(d, 0, sizeof(*d));
    d->item_id = ok ? num(o, "item_id", &ok) : 0;
    d->member_id = ok ? num(o, "member_id", &ok) : 0;
    d->started_at = ok ? num(o, "started_at", &ok) : 0;
    d->page = ok ? (int)num(o, "page", &ok) : 0;
    const cJSON *qs = ok ? cJSON_GetObjectItemCaseSensitive(o, "questions") : NULL;
    ok = ok && cJSON_IsArray(qs) && cJSON_GetArraySize(qs) == f->n_questions &&
         d->item_id == f->item_id && d->member_id > 0 && d->page <= f->n_questions;
    d->n = ok ? f->n_questions : 0;
    for (int i = 0; ok && i < d->n; i++) {
        const cJSON *q = cJSON_GetArrayItem(qs, i);
        d->question_ids[i] = num(q, "id", &ok);
        int64_t c = num(q, "chosen", &ok);
        const struct form_question *fq = &f->questions[i];
        ok = ok && d->question_ids[i] == fq->id && c < (1 << fq->n_options);
        d->choices[i] = (form_choice)c;
    }
    cJSON_Delete(o);
    return ok ? 0 : -EINVAL;
}

int form_draft_load(const char *dir, const struct form_model *f, struct form_draft *d)
{
    if (!dir || !dir[0] || !f || !d)
        return -ENOENT;
    char path[1200];
    int rc = draft_path(dir, f->item_id, "", path, sizeof(path));
    if (rc < 0)
        return rc;
    char *text = read_small(path, &rc);
    if (!text)
        return rc == -ENOENT ? -ENOENT : -EINVAL;
    rc = parse_draft(text, f, d);
    free(text);
    if (rc < 0) {
        log_warn("draft of form %" PRId64 " does not fit the form any more: dropped",
                 f->item_id);
        form_draft_remove(dir, f->item_id);
    }
    return rc;
}

int form_draft_remove(const char *dir, int64_t item_id)
{
    if (!dir || !dir[0])
        return 0;
    char path[1200];
    int rc = draft_path(dir, item_id, "", path, sizeof(path));
    if (rc == 0 && unlink(path) < 0 && errno != ENOENT)
        rc = -errno;
    return rc;
}
