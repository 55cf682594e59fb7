/* The yellow key, app-wide: read aloud what the member is looking at, or stop reading.
 * What is read: the toast notice on screen if there is one, else what the top screen says
 * (screen_ops.read_text: a question, an open notice), else the texts on the focused item. */
#ifndef DJTV_READALOUD_H
#define DJTV_READALOUD_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "app/screen.h"
#include "speech/speech.h"
#include "ui/notice.h"
#include "ui/recorder.h"

enum { READALOUD_TEXT_MAX = 4096 };

struct readaloud {
    struct speech *sp;       /* borrowed; NULL: no read-aloud (player mode) */
    struct notices *notices; /* borrowed: where "cannot read aloud" is said */
    char last[READALOUD_TEXT_MAX]; /* the text last asked for, for the UI dump */
};

/* What to read now, into out (UTF-8, "" when nothing). notice_visible: a toast is on screen.
 * rec: the last frame drawn. */
void readaloud_pick(const struct screen *top, const struct notices *ns, int notice_visible,
                    const struct recorder *rec, char *out, size_t size);
/* The key was pressed: stop if speaking, else speak text; says on screen when it cannot. */
void readaloud_press(struct readaloud *ra, const char *text);
/* The dump's "speech" object: engine state, speaking, samples queued, last text. */
void readaloud_dump(const struct readaloud *ra, cJSON *state);

#endif
