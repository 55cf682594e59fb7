#define LOG_TAG "autopilot"
#include "app/autopilot.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

/* mkdir -p */
static int mkdir_p(const char *path)
{
    char tmp[CONFIG_PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
        return -ENAMETOOLONG;
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
        return -errno;
    struct stat st;
    if (stat(tmp, &st) < 0)
        return -errno;
    return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* The screenshot folder and the dump file, for a script or for frames. */
static int open_outputs(struct autopilot *ap, const struct app_config *cfg, char *err,
                        size_t errlen)
{
    if (cfg->screenshot_dir[0]) {
        int rc = mkdir_p(cfg->screenshot_dir);
        if (rc < 0) {
            snprintf(err, errlen, "screenshot dir %s: %s", cfg->screenshot_dir, strerror(-rc));
            return rc;
        }
        snprintf(ap->shot_dir, sizeof(ap->shot_dir), "%s", cfg->screenshot_dir);
    }
    if (cfg->dump_ui[0]) {
        ap->dump = fopen(cfg->dump_ui, "w");
        if (!ap->dump) {
            snprintf(err, errlen, "dump file %s: %s", cfg->dump_ui, strerror(errno));
            return -errno;
        }
    }
    return 0;
}

int autopilot_open(struct autopilot *ap, const struct app_config *cfg, char *err, size_t errlen)
{
    memset(ap, 0, sizeof(*ap));
    if (!cfg->keys[0]) {
        if (!cfg->screenshot_dir[0] && !cfg->dump_ui[0])
            return 0;
        ap->frames = 1;
        log_info("no key script: recording every presented frame");
        return open_outputs(ap, cfg, err, errlen);
    }
    int rc = script_load(cfg->keys, &ap->script, err, errlen);
    if (rc < 0)
        return rc;
    rc = open_outputs(ap, cfg, err, errlen);
    if (rc < 0)
        goto fail;
    script_player_init(&ap->player, &ap->script);
    ap->active = 1;
    log_info("playing %d script commands from %s", ap->script.n, cfg->keys);
    return 0;
fail:
    script_free(&ap->script);
    return rc;
}

void autopilot_close(struct autopilot *ap)
{
    if (ap->dump)
        fclose(ap->dump);
    script_free(&ap->script);
    memset(ap, 0, sizeof(*ap));
}

int autopilot_shot_path(const struct autopilot *ap, const struct script_tick *t, char *out,
                        size_t outlen)
{
    if (!ap->shot_dir[0])
        return 0;
    char name[sizeof(t->cmd->name)];
    size_t i = 0;
    for (; t->cmd->name[i] && i < sizeof(name) - 1; i++) {
        char c = t->cmd->name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        name[i] = ok ? c : '_';
    }
    name[i] = '\0';
    int n = snprintf(out, outlen, "%s/%03d-%s.png", ap->shot_dir, t->step, name);
    return n > 0 && (size_t)n < outlen;
}

/* What every line says after its own fields: screen, focus, overlays, state, widgets, texts. */
static int add_view(cJSON *o, const struct step_state *st)
{
    if (!cJSON_AddStringToObject(o, "screen", st->screen ? st->screen : "") ||
        !cJSON_AddBoolToObject(o, "loading", st->loading))
        return -ENOMEM;
    if (st->focus ? !cJSON_AddStringToObject(o, "focus", st->focus)
                  : !cJSON_AddNullToObject(o, "focus"))
        return -ENOMEM;
    cJSON *ov = cJSON_AddArrayToObject(o, "overlays");
    if (!ov)
        return -ENOMEM;
    for (int i = 0; i < st->n_overlays; i++) {
        cJSON *name = cJSON_CreateString(st->overlays[i]);
        if (!name)
            return -ENOMEM;
        cJSON_AddItemToArray(ov, name);
    }
    if (st->state) {
        cJSON *copy = cJSON_Duplicate(st->state, 1);
        if (!copy)
            return -ENOMEM;
        if (!cJSON_AddItemToObject(o, "state", copy)) {
            cJSON_Delete(copy);
            return -ENOMEM;
        }
    }
    if (st->texts_st) {
        /* Counts since the start: texts handed to the worker, and those the UI thread
         * rendered itself after all (the hold ran out, or a frame had to be complete). */
        cJSON *tw = cJSON_AddObjectToObject(o, "text_worker");
        if (!tw || !cJSON_AddNumberToObject(tw, "handed", (double)st->texts_st->handed) ||
            !cJSON_AddNumberToObject(tw, "rendered_here", (double)st->texts_st->rendered_late))
            return -ENOMEM;
    }
    if (st->widgets && st->widgets->n > 0) {
        cJSON *w = widget_log_json(st->widgets);
        if (!w)
            return -ENOMEM;
        if (!cJSON_AddItemToObject(o, "widgets", w)) {
            cJSON_Delete(w);
            return -ENOMEM;
        }
    }
    cJSON *texts = recorder_texts_json(st->rec);
    if (!texts)
        return -ENOMEM;
    if (!cJSON_AddItemToObject(o, "texts", texts)) {
        cJSON_Delete(texts);
        return -ENOMEM;
    }
    return 0;
}

char *autopilot_dump_line(const struct script_tick *t, const struct step_state *st)
{
    char *line = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (cJSON_AddNumberToObject(o, "step", t->step) &&
        cJSON_AddStringToObject(o, "cmd", t->cmd->name) &&
        cJSON_AddNumberToObject(o, "t_ms", st->t_ms) &&
        cJSON_AddBoolToObject(o, "timeout", t->timeout) && add_view(o, st) == 0)
        line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return line;
}

static int write_line(struct autopilot *ap, char *line)
{
    if (!line) {
        log_error("cannot build a UI dump line");
        return -ENOMEM;
    }
    int rc = 0;
    if (fputs(line, ap->dump) == EOF || fputc('\n', ap->dump) == EOF || fflush(ap->dump) != 0) {
        log_error("cannot write the UI dump: %s", strerror(errno));
        rc = -EIO;
    }
    free(line);
    return rc;
}

int autopilot_frame_shot_path(const struct autopilot *ap, char *out, size_t outlen)
{
    if (!ap->shot_dir[0])
        return 0;
    int n = snprintf(out, outlen, "%s/frame-%04lu.png", ap->shot_dir, ap->shown);
    return n > 0 && (size_t)n < outlen;
}

int autopilot_frame_dump(struct autopilot *ap, const struct step_state *st)
{
    unsigned long n = ap->shown++;
    if (!ap->dump)
        return 0;
    char *line = NULL;
    cJSON *o = cJSON_CreateObject();
    if (o && cJSON_AddNumberToObject(o, "frame", (double)n) &&
        cJSON_AddNumberToObject(o, "t_ms", st->t_ms) && add_view(o, st) == 0)
        line = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return write_line(ap, line);
}

int autopilot_dump(struct autopilot *ap, const struct script_tick *t,
                   const struct step_state *st)
{
    if (!ap->dump)
        return 0;
    return write_line(ap, autopilot_dump_line(t, st));
}
