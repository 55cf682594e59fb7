#define LOG_TAG "readaloud"
#include "app/readaloud.h"

#include <errno.h>
#include <string.h>

#include "log.h"
#include "ui/theme.h"

static int same_color(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Append s to out with a pause ("，") between pieces; never cuts a UTF-8 sequence. */
static void append(char *out, size_t size, const char *s)
{
    size_t n = strlen(out), add = strlen(s);
    const char *sep = n > 0 ? "，" : "";
    size_t sep_n = strlen(sep);
    if (n + sep_n + add + 1 > size)
        return; /* whole pieces only */
    memcpy(out + n, sep, sep_n);
    memcpy(out + n + sep_n, s, add + 1);
}

/* The visible texts drawn on the focus fill (the focused tile or row), in drawing order;
 * with no focus, every visible text but the key-hint bar's. */
static void from_frame(const struct recorder *rec, char *out, size_t size)
{
    SDL_Color focus = theme_color(COL_FOCUS), hint = theme_color(COL_HINT_BG),
              keycap = theme_color(COL_KEYCAP);
    for (int i = 0; i < rec->n_texts; i++) {
        const struct rec_text *t = &rec->texts[i];
        if (t->visible && same_color(t->bg, focus))
            append(out, size, t->text);
    }
    if (out[0])
        return;
    for (int i = 0; i < rec->n_texts; i++) {
        const struct rec_text *t = &rec->texts[i];
        if (t->visible && !same_color(t->bg, hint) && !same_color(t->bg, keycap))
            append(out, size, t->text);
    }
}

void readaloud_pick(const struct screen *top, const struct notices *ns, int notice_visible,
                    const struct recorder *rec, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    if (notice_visible && ns->n > 0) {
        snprintf(out, size, "%s", ns->q[0].text);
        return;
    }
    if (top && top->ops->read_text && top->ops->read_text(top, out, size) > 0)
        return;
    out[0] = '\0';
    if (rec)
        from_frame(rec, out, size);
}

void readaloud_press(struct readaloud *ra, const char *text)
{
    if (!ra->sp)
        return;
    if (speech_is_speaking(ra->sp)) {
        speech_stop(ra->sp);
        log_info("read-aloud stopped");
        return;
    }
    if (!text[0]) {
        notices_post(ra->notices, "这里没有可以朗读的文字", NOTICE_DEFAULT_MS);
        return;
    }
    snprintf(ra->last, sizeof(ra->last), "%s", text);
    int rc = speech_speak(ra->sp, text);
    if (rc == -ENOENT) {
        log_warn("read-aloud unavailable: %s", speech_error(ra->sp));
        notices_post(ra->notices, "不能朗读：这台机顶盒没有装朗读语音", NOTICE_DEFAULT_MS);
    } else if (rc < 0) {
        notices_post(ra->notices, "朗读没有成功，请再按一次黄键", NOTICE_DEFAULT_MS);
    } else {
        log_info("read-aloud: %zu bytes", strlen(text));
    }
}

void readaloud_dump(const struct readaloud *ra, cJSON *state)
{
    if (!ra->sp)
        return;
    cJSON *o = cJSON_AddObjectToObject(state, "speech");
    if (!o)
        return;
    static const char *const names[] = { "starting", "ready", "failed" };
    enum speech_state s = speech_get_state(ra->sp);
    struct speech_stats st;
    speech_get_stats(ra->sp, &st);
    cJSON_AddStringToObject(o, "engine", names[s]);
    cJSON_AddBoolToObject(o, "speaking", speech_is_speaking(ra->sp));
    cJSON_AddNumberToObject(o, "samples", (double)st.samples_queued);
    cJSON_AddNumberToObject(o, "sample_rate", st.sample_rate);
    cJSON_AddNumberToObject(o, "utterances", st.utterances);
    cJSON_AddNumberToObject(o, "first_audio_ms", st.first_audio_ms);
    cJSON_AddStringToObject(o, "text", ra->last);
}
