/* What a member has answered so far in a form (quiz, exam, questionnaire), kept on disk so
 * that a power cut mid-quiz loses nothing: one small JSON file per form under the box's data
 * directory, replaced atomically (write a temporary file, fsync, rename, fsync the
 * directory) after every answer, and removed once the server has the answers. */
#ifndef DJTV_FORM_DRAFT_H
#define DJTV_FORM_DRAFT_H

#include <stdint.h>

#include "net/form.h"

struct form_draft {
    int64_t item_id;
    int64_t member_id;
    int64_t started_at;  /* wall-clock seconds when the member began (an exam's clock) */
    int page;            /* the question on screen */
    int n;               /* questions */
    int64_t question_ids[FORM_QUESTIONS_MAX];
    form_choice choices[FORM_QUESTIONS_MAX];
};

/* Write d for its item under dir (created if missing). 0 or a negative errno. */
int form_draft_save(const char *dir, const struct form_draft *d);
/* Read the draft of item_id: 0, -ENOENT when there is none, -EINVAL when it is unreadable
 * or does not fit form f (its questions changed): such a draft is removed. */
int form_draft_load(const char *dir, const struct form_model *f, struct form_draft *d);
/* Forget the draft of item_id (none is fine). */
int form_draft_remove(const char *dir, int64_t item_id);

#endif
