/* The --keys script: parser tables and the player driven with fake time and app state. */
#include "input/script.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>

struct good_case {
    const char *line;
    enum script_op op;
    enum action action;
    int count;
    int ms;
    const char *arg;
    const char *name;
};

static void test_parse_each_command(void)
{
    static const struct good_case cases[] = {
        { "UP", SCRIPT_PRESS, ACTION_UP, 1, SCRIPT_DEFAULT_TIMEOUT_MS, "", "UP" },
        { "down 3", SCRIPT_PRESS, ACTION_DOWN, 3, SCRIPT_DEFAULT_TIMEOUT_MS, "", "DOWN" },
        { "  OK  ", SCRIPT_PRESS, ACTION_OK, 1, SCRIPT_DEFAULT_TIMEOUT_MS, "", "OK" },
        { "5", SCRIPT_PRESS, ACTION_DIGIT_5, 1, SCRIPT_DEFAULT_TIMEOUT_MS, "", "5" },
        { "0 2", SCRIPT_PRESS, ACTION_DIGIT_0, 2, SCRIPT_DEFAULT_TIMEOUT_MS, "", "0" },
        { "BLUE", SCRIPT_PRESS, ACTION_BLUE, 1, SCRIPT_DEFAULT_TIMEOUT_MS, "", "BLUE" },
        { "HOME\t# go home", SCRIPT_PRESS, ACTION_HOME, 1, SCRIPT_DEFAULT_TIMEOUT_MS, "", "HOME" },
        { "wait 250", SCRIPT_WAIT, ACTION_NONE, 1, 250, "", "wait" },
        { "WAIT 0", SCRIPT_WAIT, ACTION_NONE, 1, 0, "", "wait" },
        { "wait-screen home", SCRIPT_WAIT_SCREEN, ACTION_NONE, 1, 10000, "home", "wait-screen" },
        { "wait-screen section.live 20000", SCRIPT_WAIT_SCREEN, ACTION_NONE, 1, 20000,
          "section.live", "wait-screen" },
        { "wait-text 党务公开", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 10000, "党务公开", "wait-text" },
        { "wait-text 连不上 15000", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 15000, "连不上",
          "wait-text" },
        { "wait-text 14 条", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 10000, "14 条", "wait-text" },
        { "wait-text \"第 3\" 500", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 500, "第 3", "wait-text" },
        { "wait-text \"# not a comment\"", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 10000,
          "# not a comment", "wait-text" },
        { "wait-text C#", SCRIPT_WAIT_TEXT, ACTION_NONE, 1, 10000, "C#", "wait-text" },
        { "wait-gone 正在直播 3000", SCRIPT_WAIT_GONE, ACTION_NONE, 1, 3000, "正在直播",
          "wait-gone" },
        { "shot", SCRIPT_SHOT, ACTION_NONE, 1, 10000, "", "shot" },
        { "quit # bye", SCRIPT_QUIT, ACTION_NONE, 1, 10000, "", "quit" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct script s;
        char err[256];
        int rc = script_parse(cases[i].line, &s, err, sizeof(err));
        if (rc != 0) {
            printf("# case %zu (%s): %s\n", i, cases[i].line, err);
            CHECK_EQ_INT(rc, 0);
            continue;
        }
        CHECK_EQ_INT(s.n, 1);
        CHECK_EQ_INT(s.cmds[0].op, cases[i].op);
        CHECK_EQ_INT(s.cmds[0].action, cases[i].action);
        CHECK_EQ_INT(s.cmds[0].count, cases[i].count);
        CHECK_EQ_INT(s.cmds[0].ms, cases[i].ms);
        CHECK_EQ_STR(s.cmds[0].arg, cases[i].arg);
        CHECK_EQ_STR(s.cmds[0].name, cases[i].name);
        script_free(&s);
    }
}

static void test_parse_errors_name_the_line(void)
{
    static const struct {
        const char *text;
        const char *want; /* start of the error */
    } cases[] = {
        { "JUMP", "line 1: JUMP: unknown command" },
        { "UP\n\nDOWN x", "line 3: DOWN: bad repeat count" },
        { "OK 0", "line 1: OK: bad repeat count" },
        { "OK 1001", "line 1: OK: bad repeat count" },
        { "LEFT -1", "line 1: LEFT: bad repeat count" },
        { "wait", "line 1: wait: wait needs milliseconds" },
        { "wait 1.5", "line 1: wait: wait needs milliseconds" },
        { "wait 99999999", "line 1: wait: wait needs milliseconds" },
        { "wait-screen", "line 1: wait-screen: wait-screen needs a screen name" },
        { "wait-screen home soon", "line 1: wait-screen: bad timeout" },
        { "wait-screen home 10 20", "line 1: wait-screen: bad timeout" },
        { "wait-text", "line 1: wait-text: wait-text needs a text" },
        { "wait-text \"open", "line 1: wait-text: missing closing quote" },
        { "wait-text \"x\" soon", "line 1: wait-text: bad timeout" },
        { "shot now", "line 1: shot: takes no argument" },
        { "# only comments\nquit 3", "line 2: quit: takes no argument" },
        { "NONE", "line 1: NONE: unknown command" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct script s = { (struct script_cmd *)1, 99 };
        char err[256];
        CHECK_EQ_INT(script_parse(cases[i].text, &s, err, sizeof(err)), -EINVAL);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)) != 0) {
            printf("# case %zu: got '%s' want '%s…'\n", i, err, cases[i].want);
            CHECK(0);
        }
        CHECK(s.cmds == (struct script_cmd *)1); /* untouched on error */
    }
}

static void test_parse_a_whole_script(void)
{
    const char *text = "# home, then a section\r\n"
                       "wait-screen home 20000\r\n"
                       "\n"
                       "   \t\n"
                       "RIGHT\n"
                       "DOWN 2 # twice\n"
                       "OK\n"
                       "shot"; /* no final newline */
    struct script s;
    char err[256];
    CHECK_EQ_INT(script_parse(text, &s, err, sizeof(err)), 0);
    CHECK_EQ_INT(s.n, 5);
    CHECK_EQ_INT(s.cmds[0].line, 2);
    CHECK_EQ_STR(s.cmds[0].arg, "home");
    CHECK_EQ_INT(s.cmds[0].ms, 20000);
    CHECK_EQ_INT(s.cmds[2].count, 2);
    CHECK_EQ_INT(s.cmds[2].line, 6);
    CHECK_EQ_INT(s.cmds[4].op, SCRIPT_SHOT);
    script_free(&s);
    CHECK_EQ_INT(script_parse("", &s, err, sizeof(err)), 0);
    CHECK_EQ_INT(s.n, 0);
    script_free(&s);
    char *long_line = malloc(3000);
    memset(long_line, 'x', 2999);
    long_line[2999] = '\0';
    CHECK_EQ_INT(script_parse(long_line, &s, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "too long") != NULL);
    free(long_line);
}

static void test_load_reports_missing_file(void)
{
    struct script s;
    char err[256];
    int rc = script_load("/nonexistent/djtv.keys", &s, err, sizeof(err));
    CHECK_EQ_INT(rc, -ENOENT);
    CHECK(strstr(err, "/nonexistent/djtv.keys") != NULL);
}

/* Fake app state for the player. */
struct fake {
    const char *screen;
    int loading;
    const char *visible_text;
};

static int fake_has_text(void *ctx, const char *needle)
{
    struct fake *f = ctx;
    return f->visible_text && strstr(f->visible_text, needle) != NULL;
}

static void tick(struct script_player *p, uint32_t now, struct fake *f, struct script_tick *t)
{
    struct script_probe probe = { f->screen, f->loading, fake_has_text, f };
    script_player_tick(p, now, &probe, t);
}

static void test_player_presses_repeat_then_finish_the_step(void)
{
    struct script s;
    char err[128];
    CHECK_EQ_INT(script_parse("DOWN 3\nOK\n", &s, err, sizeof(err)), 0);
    struct script_player p;
    script_player_init(&p, &s);
    struct fake f = { "home", 0, NULL };
    struct script_tick t;
    for (int i = 0; i < 3; i++) {
        tick(&p, 100, &f, &t);
        CHECK_EQ_INT(t.kind, SCRIPT_TICK_PRESS);
        CHECK_EQ_INT(t.action, ACTION_DOWN);
    }
    tick(&p, 100, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.step, 1);
    CHECK_EQ_STR(t.cmd->name, "DOWN");
    CHECK_EQ_INT(t.timeout, 0);
    tick(&p, 100, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_PRESS);
    CHECK_EQ_INT(t.action, ACTION_OK);
    tick(&p, 100, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.step, 2);
    tick(&p, 100, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_END);
    tick(&p, 100, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_END);
    script_free(&s);
}

static void test_player_waits_and_times_out(void)
{
    struct script s;
    char err[128];
    CHECK_EQ_INT(script_parse("wait 500\n"
                              "wait-screen section.live 1000\n"
                              "wait-text 14 条 300\n"
                              "wait-text 即将开放 300\n"
                              "shot\nquit\nUP\n",
                              &s, err, sizeof(err)),
                 0);
    struct script_player p;
    script_player_init(&p, &s);
    struct fake f = { "home", 1, "党务公开" };
    struct script_tick t;
    uint32_t base = 0xfffffe00u; /* the ms clock wraps in the middle of this test */

    tick(&p, base, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_IDLE);
    CHECK_EQ_INT(t.wake_ms, 500);
    tick(&p, base + 499, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_IDLE);
    CHECK_EQ_INT(t.wake_ms, 1);
    tick(&p, base + 500, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.timeout, 0);

    /* wait-screen: the right screen while loading does not count */
    tick(&p, base + 600, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_IDLE);
    CHECK_EQ_INT(t.wake_ms, 1000);
    f.screen = "section.live";
    tick(&p, base + 700, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_IDLE);
    f.loading = 0;
    tick(&p, base + 800, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.timeout, 0);
    CHECK_EQ_INT(t.step, 2);

    /* wait-text that never comes: a timeout, recorded, and the script goes on */
    tick(&p, base + 900, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_IDLE);
    tick(&p, base + 1200, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.timeout, 1);
    CHECK_EQ_STR(t.cmd->arg, "14 条");

    /* wait-text that is already there */
    f.visible_text = "“党务公开”即将开放";
    tick(&p, base + 1300, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_INT(t.timeout, 0);

    tick(&p, base + 1300, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP);
    CHECK_EQ_STR(t.cmd->name, "shot");
    tick(&p, base + 1300, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_STEP); /* quit is a step too (its dump line) */
    CHECK_EQ_STR(t.cmd->name, "quit");
    CHECK_EQ_INT(t.step, 6);
    tick(&p, base + 1300, &f, &t);
    CHECK_EQ_INT(t.kind, SCRIPT_TICK_END); /* nothing after quit runs */
    script_free(&s);
}

int main(void)
{
    RUN(test_parse_each_command);
    RUN(test_parse_errors_name_the_line);
    RUN(test_parse_a_whole_script);
    RUN(test_load_reports_missing_file);
    RUN(test_player_presses_repeat_then_finish_the_step);
    RUN(test_player_waits_and_times_out);
    return CHECK_DONE();
}
