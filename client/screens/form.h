/* The form screen: a quiz, an exam or a questionnaire (党风评议) answered with the remote.
 * One question per page in large type, options numbered (a digit, or the arrows and OK),
 * ◀ / Back to the previous question, a summary before sending, then the score and credits
 * (or "提交成功"). An exam shows the time left and is sent by itself when it runs out. Every
 * answer is kept on disk at once (app/form_draft.h): after a power cut the member goes on
 * where they were. Anonymous questionnaires say "匿名" on every page. */
#ifndef DJTV_FORM_SCREEN_H
#define DJTV_FORM_SCREEN_H

#include <stdint.h>

#include "app/screen.h"

/* The screen for item item_id (a form); title is shown while it loads. NULL on no memory. */
struct screen *form_screen_create(struct app_services *svc, int64_t item_id, const char *title);
/* 1 if an item reply (GET /api/v1/items/{id}) holds a form: open it with form_screen_create. */
int form_item_has_form(const char *json);

#endif
