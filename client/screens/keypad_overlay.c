#define LOG_TAG "keypad"
#include "screens/keypad_overlay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/requests.h"
#include "log.h"
#include "ui/keypad.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widgets.h"

enum { DIALOG_W = 1000, TITLE_H = 90, MESSAGE_H = 70 };

struct keypad_overlay {
    struct overlay base;
    int open;
    int64_t ticket;           /* the asker's; its entry in requests finds the asker */
    char title[128];
    char placeholder[64];
    char message[128];        /* what is wrong with what was typed; "" = nothing */
    const char *(*check)(const char *digits, char *buf, size_t size);
    struct ui_keypad pad;
    char focus_name[32];
};

/* From the top of the safe area to just above the hint bar (room for the focus ring). */
static SDL_Rect dialog(void)
{
    SDL_Rect r = { (THEME_W - DIALOG_W) / 2, THEME_SAFE_Y, DIALOG_W,
                   THEME_HINT_Y - 2 * THEME_FOCUS_RING - THEME_SAFE_Y };
    return r;
}

static int kp_visible(const struct overlay *o)
{
    return ((const struct keypad_overlay *)o)->open;
}

static void answer(struct keypad_overlay *k, int ok)
{
    struct answer a = { .ticket = k->ticket, .ok = ok, .text = ok ? k->pad.digits : "",
                        .choice = -1 };
    k->open = 0;
    k->base.own.dirty = 1;
    if (!requests_answer(k->base.own.svc->reqs, &a))
        log_info("the keypad's asker is gone: answer dropped");
    if (k->pad.secret) /* a PIN does not stay in memory once handed over */
        memset(k->pad.digits, 0, sizeof(k->pad.digits));
}

static int kp_action(struct overlay *o, enum action a, struct nav *nav)
{
    (void)nav;
    struct keypad_overlay *k = (struct keypad_overlay *)o;
    switch (ui_keypad_action(&k->pad, a)) {
    case UI_KEYPAD_CHANGED:
        k->message[0] = '\0';
        break;
    case UI_KEYPAD_FINISHED: {
        char buf[sizeof(k->message)];
        const char *why = k->check ? k->check(k->pad.digits, buf, sizeof(buf)) : NULL;
        if (why) {
            snprintf(k->message, sizeof(k->message), "%s", why);
            break; /* stays open with everything typed */
        }
        answer(k, 1);
        break;
    }
    case UI_KEYPAD_CANCELLED:
        answer(k, 0);
        break;
    default:
        break;
    }
    return 1; /* modal: every key is the keypad's while it is up */
}

static void kp_draw(struct overlay *o, struct ui *ui)
{
    struct keypad_overlay *k = (struct keypad_overlay *)o;
    SDL_Rect screen = { 0, 0, THEME_W, THEME_H };
    ui_fill_rect(ui, &screen, theme_color(COL_BG)); /* modal: the screen below is hidden */
    SDL_Rect d = dialog();
    SDL_Rect title = { d.x, d.y, d.w, TITLE_H };
    ui_text_in(ui, k->title, &title, THEME_PX_TITLE, FONT_BOLD, theme_color(COL_TEXT),
               UI_CENTER);
    SDL_Rect msg = { d.x, d.y + TITLE_H, d.w, MESSAGE_H };
    if (k->message[0])
        ui_text_in(ui, k->message, &msg, THEME_PX_BODY, FONT_BOLD, theme_color(COL_TEXT),
                   UI_CENTER);
    ui_keypad_draw(ui, &k->pad, k->placeholder[0] ? k->placeholder : NULL, "keypad");
    static const struct ui_hint hints[] = {
        { "0-9", "输入" }, { UI_KEY_ARROWS, "选择" }, { "OK", "按下" }, { "返回", "取消" } };
    ui_draw_hint_bar(ui, hints, 4);
}

static const char *kp_focus(const struct overlay *o)
{
    struct keypad_overlay *k = (struct keypad_overlay *)o;
    snprintf(k->focus_name, sizeof(k->focus_name), "keypad.%s",
             k->pad.focus == UI_KEYPAD_DELETE ? "delete"
             : k->pad.focus == UI_KEYPAD_DONE ? "done"
                                              : ui_keypad_key_label(k->pad.focus));
    return k->focus_name;
}

static void kp_dump(const struct overlay *o, cJSON *state)
{
    const struct keypad_overlay *k = (const struct keypad_overlay *)o;
    if (k->pad.secret)
        cJSON_AddNumberToObject(state, "secret_digits", k->pad.len);
    else
        cJSON_AddStringToObject(state, "digits", k->pad.digits);
    cJSON_AddStringToObject(state, "message", k->message);
}

static void kp_destroy(struct overlay *o)
{
    free(o);
}

static const struct overlay_ops keypad_ops = {
    .name = "keypad",
    .visible = kp_visible,
    .draw = kp_draw,
    .on_action = kp_action,
    .focus_name = kp_focus,
    .dump_state = kp_dump,
    .destroy = kp_destroy,
};

struct overlay *keypad_overlay_create(struct app_services *svc)
{
    struct keypad_overlay *k = calloc(1, sizeof(*k));
    if (k)
        overlay_init(&k->base, &keypad_ops, svc);
    return k ? &k->base : NULL;
}

int64_t keypad_ask(struct owner *asker, const struct keypad_request *req)
{
    struct overlay *o = asker->svc->overlays ? overlays_get(asker->svc->overlays, OVERLAY_KEYPAD)
                                             : NULL;
    if (!o || o->ops != &keypad_ops)
        return -ENODEV;
    struct keypad_overlay *k = (struct keypad_overlay *)o;
    if (k->open)
        return -EBUSY;
    snprintf(k->title, sizeof(k->title), "%s", req->title ? req->title : "");
    snprintf(k->placeholder, sizeof(k->placeholder), "%s", req->placeholder ? req->placeholder : "");
    snprintf(k->message, sizeof(k->message), "%s", req->message ? req->message : "");
    k->check = req->check;
    SDL_Rect d = dialog();
    SDL_Rect pad = layout_below(&d, d.y + TITLE_H + MESSAGE_H);
    ui_keypad_init(&k->pad, req->initial, req->max_len, pad);
    k->pad.secret = req->secret;
    k->ticket = owner_ticket(asker);
    k->open = 1;
    k->base.own.dirty = 1;
    return k->ticket;
}
