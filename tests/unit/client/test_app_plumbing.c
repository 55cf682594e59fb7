/* App plumbing without a window: results routed by serial (stale ones dropped), the screen
 * stack and navigation ownership, and the exact UI dump line. */
#include "app/autopilot.h"
#include "app/requests.h"
#include "app/stack.h"
#include "../check.h"

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
    s->ops = &fake_ops;
    s->svc = svc;
    snprintf(s->name, sizeof(s->name), "%s", name);
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
    CHECK(requests_take(&rq, 8) == b);
    CHECK(requests_take(&rq, 8) == NULL); /* delivered once */
    CHECK(requests_take(&rq, 99) == NULL); /* never asked */
    requests_forget(&rq, a);              /* a goes away: its answers are dropped */
    CHECK(requests_take(&rq, 7) == NULL);
    CHECK(requests_take(&rq, 9) == NULL);
    CHECK_EQ_INT(rq.n, 0);
    /* A full table drops the oldest entry, never overflows. */
    for (int i = 1; i <= REQUESTS_MAX + 5; i++)
        requests_track(&rq, i, a);
    CHECK_EQ_INT(rq.n, REQUESTS_MAX);
    CHECK(requests_take(&rq, 1) == NULL);
    CHECK(requests_take(&rq, REQUESTS_MAX + 5) == a);
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
}

int main(void)
{
    RUN(test_results_go_to_the_screen_that_asked);
    RUN(test_stack_push_pop_home);
    RUN(test_nav_hands_over_ownership);
    RUN(test_dump_line_matches_the_contract);
    RUN(test_shot_names);
    return CHECK_DONE();
}
