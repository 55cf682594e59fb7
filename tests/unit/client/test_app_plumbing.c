/* App plumbing without a window: results routed by serial (stale ones dropped) to screens
 * and overlays alike, modal answers by ticket, overlays that navigate, the screen stack and
 * navigation ownership, and the exact UI dump line. */
#include "app/autopilot.h"
#include "app/overlay.h"
#include "app/requests.h"
#include "app/stack.h"
#include "screens/keypad_overlay.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>

static int destroyed;

static void fake_destroy(struct screen *s)
{
    destroyed++;
    free(s);
}

static const struct screen_ops fake_ops = { .destroy = fake_destroy };

static struct screen *fake(struct app_services *svc, const char *name)
{
    struct screen *s = calloc(1, sizeof(*s));
    screen_init(s, &fake_ops, svc, name);
    return s;
}

static void test_results_go_to_the_screen_that_asked(void)
{
    struct requests rq;
    requests_init(&rq);
    struct app_services svc = { .reqs = &rq };
    struct screen *a = fake(&svc, "home"), *b = fake(&svc, "section.live");
    CHECK_EQ_INT(screen_track(a, 7), 7);
    CHECK_EQ_INT(screen_track(b, 8), 8);
    CHECK_EQ_INT(screen_track(a, 9), 9);
    CHECK_EQ_INT(screen_track(a, -12), -12); /* errors pass through, nothing tracked */
    CHECK_EQ_INT(rq.n, 3);
    CHECK(requests_take(&rq, 8) == &b->own);
    CHECK(requests_take(&rq, 8) == NULL); /* delivered once */
    CHECK(requests_take(&rq, 99) == NULL); /* never asked */
    requests_forget(&rq, &a->own);        /* a goes away: its answers are dropped */
    CHECK(requests_take(&rq, 7) == NULL);
    CHECK(requests_take(&rq, 9) == NULL);
    CHECK_EQ_INT(rq.n, 0);
    /* A full table drops the oldest entry, never overflows. */
    for (int i = 1; i <= REQUESTS_MAX + 5; i++)
        requests_track(&rq, i, &a->own);
    CHECK_EQ_INT(rq.n, REQUESTS_MAX);
    CHECK(requests_take(&rq, 1) == NULL);
    CHECK(requests_take(&rq, REQUESTS_MAX + 5) == &a->own);
    free(a);
    free(b);
}

static void test_stack_push_pop_home(void)
{
    struct requests rq;
    requests_init(&rq);
    struct app_services svc = { .reqs = &rq };
    struct screen_stack st;
    stack_init(&st, &rq);
    destroyed = 0;
    struct screen *home = fake(&svc, "home");
    CHECK_EQ_INT(stack_push(&st, home), 0);
    CHECK_EQ_INT(stack_pop(&st), 0); /* home is never popped */
    CHECK(stack_top(&st) == home);
    struct screen *sec = fake(&svc, "section.live");
    screen_track(sec, 5);
    stack_push(&st, sec);
    stack_push(&st, fake(&svc, "detail"));
    CHECK_EQ_INT(st.n, 3);
    struct screen *other = fake(&svc, "other");
    CHECK_EQ_INT(stack_replace(&st, other), 0);
    CHECK_EQ_INT(destroyed, 1);
    CHECK(stack_top(&st) == other);
    CHECK(stack_contains(&st, sec));
    stack_home(&st);
    CHECK_EQ_INT(st.n, 1);
    CHECK(stack_top(&st) == home);
    CHECK_EQ_INT(destroyed, 3);
    CHECK(!stack_contains(&st, sec));
    CHECK(requests_take(&rq, 5) == NULL); /* the popped screen's request was forgotten */
    /* Replace on the home screen pushes instead. */
    stack_replace(&st, fake(&svc, "x"));
    CHECK_EQ_INT(st.n, 2);
    stack_fini(&st);
    CHECK_EQ_INT(destroyed, 5);
    CHECK_EQ_INT(st.n, 0);
}

static void test_nav_hands_over_ownership(void)
{
    struct requests rq;
    requests_init(&rq);
    struct app_services svc = { .reqs = &rq };
    struct screen_stack st;
    stack_init(&st, &rq);
    destroyed = 0;
    stack_push(&st, fake(&svc, "home"));
    struct nav nav = { NAV_PUSH, fake(&svc, "a") };
    stack_apply(&st, &nav);
    CHECK_EQ_INT(st.n, 2);
    CHECK(nav.kind == NAV_NONE && nav.next == NULL);
    nav.kind = NAV_POP;
    nav.next = fake(&svc, "stray"); /* a screen nobody shows must not leak */
    stack_apply(&st, &nav);
    CHECK_EQ_INT(st.n, 1);
    CHECK_EQ_INT(destroyed, 2);
    nav.kind = NAV_PUSH;
    nav.next = NULL; /* a screen that failed to build: nothing happens */
    stack_apply(&st, &nav);
    CHECK_EQ_INT(st.n, 1);
    for (int i = 0; i < STACK_MAX + 2; i++)
        stack_push(&st, fake(&svc, "deep"));
    CHECK_EQ_INT(st.n, STACK_MAX); /* refused pushes are destroyed, not leaked */
    stack_fini(&st);
    CHECK_EQ_INT(destroyed, 3 + STACK_MAX + 2); /* every screen made here: home, a, stray, deep */
}

/* A prompt overlay like the roll call's: OK sends a request; its result opens a screen. It
 * also asks a modal overlay (the keypad) for digits and keeps the answer. */
struct prompt {
    struct overlay base;
    int shown;
    int64_t serial;
    int64_t ticket;
    char typed[16];
    int results;
    int *destroyed;
};

static int prompt_visible(const struct overlay *o)
{
    return ((const struct prompt *)o)->shown;
}

static void prompt_draw(struct overlay *o, struct ui *ui)
{
    (void)o;
    (void)ui;
}

static int prompt_action(struct overlay *o, enum action a, struct nav *nav)
{
    struct prompt *p = (struct prompt *)o;
    if (a == ACTION_OK) {
        p->serial = owner_track(&o->own, 41); /* as if api_*() had returned serial 41 */
        return 1;
    }
    if (a == ACTION_HOME) { /* navigate straight from a key */
        nav->kind = NAV_HOME;
        return 1;
    }
    if (a == ACTION_DIGIT_5) {
        p->ticket = owner_ticket(&o->own);
        return 1;
    }
    return 0;
}

static void prompt_on_net(struct overlay *o, const struct net_result *r)
{
    struct prompt *p = (struct prompt *)o;
    p->results++;
    CHECK_EQ_INT(r->serial, p->serial);
    p->shown = 0;
    owner_navigate(&o->own, NAV_PUSH, fake(o->own.svc, "player"));
}

static void prompt_on_answer(struct overlay *o, const struct answer *a)
{
    struct prompt *p = (struct prompt *)o;
    CHECK_EQ_INT(a->ticket, p->ticket);
    snprintf(p->typed, sizeof(p->typed), "%s", a->ok ? a->text : "");
}

static void prompt_destroy(struct overlay *o)
{
    (*((struct prompt *)o)->destroyed)++;
    free(o);
}

static const struct overlay_ops prompt_ops = {
    .name = "rollcall",
    .visible = prompt_visible,
    .draw = prompt_draw,
    .on_action = prompt_action,
    .on_net = prompt_on_net,
    .on_answer = prompt_on_answer,
    .destroy = prompt_destroy,
};

static struct prompt *prompt_new(struct app_services *svc, int *destroyed_count)
{
    struct prompt *p = calloc(1, sizeof(*p));
    overlay_init(&p->base, &prompt_ops, svc);
    p->shown = 1;
    p->destroyed = destroyed_count;
    return p;
}

static void test_overlays_ask_get_answers_and_navigate(void)
{
    struct requests rq;
    requests_init(&rq);
    struct overlays ov;
    overlays_init(&ov, &rq);
    struct app_services svc = { .reqs = &rq, .overlays = &ov };
    struct screen_stack st;
    stack_init(&st, &rq);
    destroyed = 0;
    int prompts_destroyed = 0;
    stack_push(&st, fake(&svc, "home"));
    struct prompt *p = prompt_new(&svc, &prompts_destroyed);
    overlays_set(&ov, OVERLAY_ROLLCALL, &p->base);
    CHECK(overlays_get(&ov, OVERLAY_ROLLCALL) == &p->base);

    /* OK goes to the overlay, not the screen: it sends a request. */
    struct nav nav = { NAV_NONE, NULL, 0 };
    CHECK_EQ_INT(overlays_action(&ov, ACTION_OK, &nav), 1);
    CHECK_EQ_INT(p->serial, 41);
    CHECK(nav.kind == NAV_NONE);
    /* A result for a serial nobody asked for is dropped; the overlay's comes back to it. */
    struct net_result stray = { .serial = 40 }, mine = { .serial = 41 };
    CHECK_EQ_INT(requests_deliver(&rq, &stray), 0);
    CHECK_EQ_INT(requests_deliver(&rq, &mine), 1);
    CHECK_EQ_INT(p->results, 1);
    CHECK_EQ_INT(requests_deliver(&rq, &mine), 0); /* delivered once */
    /* The result asked to open a screen: the app applies it whatever screen is on top. */
    struct overlay *o = overlays_navigating(&ov);
    CHECK(o == &p->base);
    nav = o->own.request;
    memset(&o->own.request, 0, sizeof(o->own.request));
    stack_apply(&st, &nav);
    CHECK_EQ_INT(st.n, 2);
    CHECK_EQ_STR(stack_top(&st)->name, "player");
    CHECK(overlays_navigating(&ov) == NULL);

    /* A hidden or invisible overlay takes no input. */
    CHECK_EQ_INT(overlays_action(&ov, ACTION_OK, &nav), 0); /* the prompt went away */
    p->shown = 1;
    overlays_hide(&ov, OVERLAY_ROLLCALL, 1);
    CHECK_EQ_INT(overlays_action(&ov, ACTION_OK, &nav), 0);
    const char *names[OVERLAY_SLOTS];
    CHECK_EQ_INT(overlays_visible(&ov, names, OVERLAY_SLOTS), 0);
    overlays_hide(&ov, OVERLAY_ROLLCALL, 0);
    CHECK_EQ_INT(overlays_visible(&ov, names, OVERLAY_SLOTS), 1);
    CHECK_EQ_STR(names[0], "rollcall");

    /* A key can navigate too. */
    CHECK_EQ_INT(overlays_action(&ov, ACTION_HOME, &nav), 1);
    CHECK(nav.kind == NAV_HOME);
    stack_apply(&st, &nav);
    CHECK_EQ_INT(st.n, 1);

    /* Modal answers come back by ticket, never confused with a network serial. */
    overlays_action(&ov, ACTION_DIGIT_5, &nav);
    CHECK(p->ticket < 0);
    struct answer ans = { .ticket = p->ticket, .ok = 1, .text = "13800001111", .choice = -1 };
    CHECK_EQ_INT(requests_answer(&rq, &ans), 1);
    CHECK_EQ_STR(p->typed, "13800001111");
    CHECK_EQ_INT(requests_answer(&rq, &ans), 0);

    /* The topmost visible overlay gets the key first. */
    struct prompt *top = prompt_new(&svc, &prompts_destroyed);
    overlays_set(&ov, OVERLAY_KEYPAD, &top->base);
    overlays_action(&ov, ACTION_OK, &nav);
    CHECK_EQ_INT(top->serial, 41);
    CHECK_EQ_INT(p->serial, 41); /* unchanged: p's request was answered before */
    p->serial = 0;
    CHECK_EQ_INT(rq.n, 1);

    /* Replacing an overlay destroys the old one and forgets what it asked. */
    overlays_set(&ov, OVERLAY_KEYPAD, NULL);
    CHECK_EQ_INT(prompts_destroyed, 1);
    CHECK_EQ_INT(rq.n, 0);
    /* A navigation request not yet applied when an overlay goes does not leak its screen. */
    owner_navigate(&p->base.own, NAV_PUSH, fake(&svc, "never shown"));
    owner_navigate(&p->base.own, NAV_PUSH, fake(&svc, "shown instead"));
    CHECK_EQ_INT(destroyed, 2); /* the player (gone home) and "never shown" */
    overlays_fini(&ov);
    CHECK_EQ_INT(prompts_destroyed, 2);
    CHECK_EQ_INT(destroyed, 3); /* "shown instead" went with its overlay */
    stack_fini(&st);
    CHECK_EQ_INT(destroyed, 4);
}

static const char *need_eleven(const char *digits, char *buf, size_t size)
{
    if (strlen(digits) == 11)
        return NULL;
    snprintf(buf, size, "手机号是 11 位数字，现在是 %zu 位", strlen(digits));
    return buf;
}

/* The keypad overlay answers the owner that asked, refuses what its check refuses (keeping
 * what was typed), takes every key while up, and answers "cancelled" on BACK. */
static void test_keypad_overlay_answers_the_asker(void)
{
    struct requests rq;
    requests_init(&rq);
    struct overlays ov;
    overlays_init(&ov, &rq);
    struct app_services svc = { .reqs = &rq, .overlays = &ov };
    int prompts_destroyed = 0;
    struct prompt *asker = prompt_new(&svc, &prompts_destroyed);
    overlays_set(&ov, OVERLAY_ROLLCALL, &asker->base);
    struct keypad_request req = { .title = "请输入手机号", .initial = "1380013800",
                                  .max_len = 11, .check = need_eleven };
    CHECK_EQ_INT(keypad_ask(&asker->base.own, &req), -ENODEV); /* none installed */
    overlays_set(&ov, OVERLAY_KEYPAD, keypad_overlay_create(&svc));
    asker->ticket = keypad_ask(&asker->base.own, &req);
    CHECK(asker->ticket <= -OWNER_TICKET_FIRST); /* never mistaken for an -errno */
    CHECK_EQ_INT(keypad_ask(&asker->base.own, &req), -EBUSY);
    const char *names[OVERLAY_SLOTS];
    CHECK_EQ_INT(overlays_visible(&ov, names, OVERLAY_SLOTS), 2);
    CHECK_EQ_STR(overlays_focus(&ov), "keypad.done"); /* a known number: OK keeps it */
    struct nav nav = { NAV_NONE, NULL, 0 };
    CHECK_EQ_INT(overlays_action(&ov, ACTION_OK, &nav), 1); /* 10 digits: refused */
    CHECK_EQ_STR(asker->typed, "");
    CHECK_EQ_INT(overlays_action(&ov, ACTION_HOME, &nav), 1); /* modal: the prompt gets none */
    CHECK(nav.kind == NAV_NONE);
    overlays_action(&ov, ACTION_DIGIT_0, &nav);
    overlays_action(&ov, ACTION_OK, &nav);
    CHECK_EQ_STR(asker->typed, "13800138000");
    CHECK_EQ_INT(overlays_visible(&ov, names, OVERLAY_SLOTS), 1); /* the keypad went */
    /* Asked again and cancelled: the asker hears "not ok". */
    snprintf(asker->typed, sizeof(asker->typed), "x");
    asker->ticket = keypad_ask(&asker->base.own, &req);
    overlays_action(&ov, ACTION_BACK, &nav);
    CHECK_EQ_STR(asker->typed, "");
    /* An asker gone before the answer: dropped, nothing touched. */
    keypad_ask(&asker->base.own, &req);
    overlays_set(&ov, OVERLAY_ROLLCALL, NULL);
    overlays_action(&ov, ACTION_BACK, &nav);
    overlays_fini(&ov);
    CHECK_EQ_INT(prompts_destroyed, 1);
    CHECK_EQ_INT(rq.n, 0);
}

static void test_dump_line_matches_the_contract(void)
{
    struct recorder rec;
    recorder_init(&rec);
    SDL_Color bg = { 0x8b, 0, 0, 255 }, fg = { 255, 255, 255, 255 }, clear = { 0x40, 8, 8, 255 };
    recorder_begin(&rec, clear);
    SDL_Rect tile = { 100, 280, 600, 200 }, box = { 120, 300, 224, 80 };
    recorder_rect(&rec, &tile, bg);
    recorder_text(&rec, "党务公开", &box, 56, fg);
    recorder_finish(&rec);
    struct script_cmd cmd = { .op = SCRIPT_PRESS, .action = ACTION_RIGHT, .count = 1 };
    snprintf(cmd.name, sizeof(cmd.name), "RIGHT");
    struct script_tick t = { .kind = SCRIPT_TICK_STEP, .step = 3, .timeout = 0, .cmd = &cmd };
    const char *overlays[] = { "live_banner" };
    struct step_state st = { .t_ms = 1234, .screen = "home", .loading = 0,
                             .focus = "section.live", .overlays = overlays, .n_overlays = 1,
                             .rec = &rec };
    char *line = autopilot_dump_line(&t, &st);
    static const char want[] = "{\"step\":3,\"cmd\":\"RIGHT\",\"t_ms\":1234,\"timeout\":false,"
                       "\"screen\":\"home\",\"loading\":false,\"focus\":\"section.live\","
                       "\"overlays\":[\"live_banner\"],\"texts\":[{\"text\":\"党务公开\","
                       "\"x\":120,\"y\":300,\"w\":224,\"h\":80,\"px\":56,\"fg\":\"#ffffff\","
                       "\"bg\":\"#8b0000\"}]}";
    if (strcmp(line, want) != 0)
        printf("# got  %s\n# want %s\n", line, want);
    CHECK(strcmp(line, want) == 0); /* (CHECK_EQ_STR's message buffer is too small for it) */
    free(line);
    st.focus = NULL;
    st.n_overlays = 0;
    t.timeout = 1;
    line = autopilot_dump_line(&t, &st);
    CHECK(strstr(line, "\"timeout\":true") != NULL);
    CHECK(strstr(line, "\"focus\":null") != NULL);
    CHECK(strstr(line, "\"overlays\":[]") != NULL);
    free(line);
    recorder_fini(&rec);
}

static void test_shot_names(void)
{
    struct autopilot ap;
    memset(&ap, 0, sizeof(ap));
    struct script_cmd cmd = { .op = SCRIPT_WAIT_SCREEN };
    snprintf(cmd.name, sizeof(cmd.name), "wait-screen");
    struct script_tick t = { .kind = SCRIPT_TICK_STEP, .step = 7, .cmd = &cmd };
    char path[256];
    CHECK_EQ_INT(autopilot_shot_path(&ap, &t, path, sizeof(path)), 0); /* no --screenshot-dir */
    snprintf(ap.shot_dir, sizeof(ap.shot_dir), "out/shots");
    CHECK_EQ_INT(autopilot_shot_path(&ap, &t, path, sizeof(path)), 1);
    CHECK_EQ_STR(path, "out/shots/007-wait-screen.png");
    snprintf(cmd.name, sizeof(cmd.name), "a/b.c");
    t.step = 123;
    autopilot_shot_path(&ap, &t, path, sizeof(path));
    CHECK_EQ_STR(path, "out/shots/123-a_b_c.png");
    /* Without a script, one per presented frame, numbered as the dump's "frame". */
    ap.frames = 1;
    CHECK_EQ_INT(autopilot_frame_shot_path(&ap, path, sizeof(path)), 1);
    CHECK_EQ_STR(path, "out/shots/frame-0000.png");
    struct recorder rec;
    recorder_init(&rec);
    struct step_state st = { .screen = "home", .rec = &rec };
    CHECK_EQ_INT(autopilot_frame_dump(&ap, &st), 0); /* no --dump-ui: counted, not written */
    autopilot_frame_shot_path(&ap, path, sizeof(path));
    CHECK_EQ_STR(path, "out/shots/frame-0001.png");
    recorder_fini(&rec);
}

int main(void)
{
    RUN(test_results_go_to_the_screen_that_asked);
    RUN(test_stack_push_pop_home);
    RUN(test_nav_hands_over_ownership);
    RUN(test_overlays_ask_get_answers_and_navigate);
    RUN(test_keypad_overlay_answers_the_asker);
    RUN(test_dump_line_matches_the_contract);
    RUN(test_shot_names);
    return CHECK_DONE();
}
