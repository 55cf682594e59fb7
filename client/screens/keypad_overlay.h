/* The modal keypad over any screen (slot OVERLAY_KEYPAD): a screen or an overlay asks for
 * digits with keypad_ask(); the member types, 确定 answers the asker (owner_ops.on_answer,
 * ok = 1, text = the digits), BACK answers ok = 0. A check function may refuse what was typed
 * with a sentence shown above the keys; nothing typed is lost. While it is up it takes every
 * key. The dump names it "keypad" and its focus "keypad.<key>". */
#ifndef DJTV_KEYPAD_OVERLAY_H
#define DJTV_KEYPAD_OVERLAY_H

#include <stddef.h>

#include "app/overlay.h"

struct keypad_request {
    const char *title;       /* "请输入手机号" (copied) */
    const char *initial;     /* digits already known, e.g. the remembered phone; may be NULL */
    const char *placeholder; /* shown while empty; may be NULL */
    int max_len;             /* 1..20 */
    const char *message;     /* shown above the keys at once (why it is asked again, e.g.
                              * "号码不对，请重新输入"); may be NULL */
    /* Optional: NULL when digits are acceptable, else what is wrong in plain words
     * ("号码不够 11 位"), written into buf (size bytes) or a static string. Called on 确定. */
    const char *(*check)(const char *digits, char *buf, size_t size);
    int secret;              /* a PIN: shown as ●●●, never in the dump */
};

struct overlay *keypad_overlay_create(struct app_services *svc);
/* Open the keypad for asker. Returns the ticket its answer will carry (<=
 * -OWNER_TICKET_FIRST), or -ENODEV when no keypad is installed, -EBUSY when it is already
 * open for someone. */
int64_t keypad_ask(struct owner *asker, const struct keypad_request *req);

#endif
