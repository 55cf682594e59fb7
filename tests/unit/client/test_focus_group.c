/* The focus container on plain rectangles: remembered focus across a rebuild and across
 * leaving for another group, wrap rules, edges, the layout helpers it is fed from. */
#include "ui/focus_group.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "../check.h"

static SDL_Rect rect(int x, int y, int w, int h)
{
    SDL_Rect r = { x, y, w, h };
    return r;
}

/* A 3x2 grid of 100x100 cells, 20 apart: 0 1 2 / 3 4 5. */
static void grid(struct focus_group *g)
{
    SDL_Rect area = rect(0, 0, 340, 220);
    focus_group_begin(g);
    for (int i = 0; i < 6; i++)
        CHECK_EQ_INT(focus_group_add(g, layout_grid_cell(&area, 3, 2, 20, i)), i);
    focus_group_end(g);
}

static enum focus_result press(struct focus_group *g, enum action a)
{
    enum focus_dir edge;
    return focus_group_action(g, a, &edge);
}

static void test_moves_edges_and_wrap(void)
{
    struct focus_group g;
    focus_group_init(&g, FOCUS_WRAP_NONE);
    CHECK_EQ_INT(focus_group_current(&g), FOCUS_NONE); /* no items yet */
    grid(&g);
    CHECK_EQ_INT(focus_group_current(&g), 0);
    CHECK_EQ_INT(press(&g, ACTION_RIGHT), FOCUS_MOVED);
    CHECK_EQ_INT(press(&g, ACTION_DOWN), FOCUS_MOVED);
    CHECK_EQ_INT(focus_group_current(&g), 4);
    enum focus_dir edge = FOCUS_UP;
    CHECK_EQ_INT(focus_group_action(&g, ACTION_DOWN, &edge), FOCUS_EDGE);
    CHECK_EQ_INT(edge, FOCUS_DOWN);
    CHECK_EQ_INT(focus_group_current(&g), 4); /* an edge keeps the focus */
    CHECK_EQ_INT(press(&g, ACTION_OK), FOCUS_IGNORED);
    press(&g, ACTION_RIGHT);
    CHECK_EQ_INT(press(&g, ACTION_RIGHT), FOCUS_EDGE);

    /* Wrap: right from a row's end goes to its start, down from the bottom to the top of
     * the same column; never to another row. */
    struct focus_group w;
    focus_group_init(&w, FOCUS_WRAP_H | FOCUS_WRAP_V);
    grid(&w);
    focus_group_set(&w, 2);
    CHECK_EQ_INT(press(&w, ACTION_RIGHT), FOCUS_MOVED);
    CHECK_EQ_INT(focus_group_current(&w), 0);
    CHECK_EQ_INT(press(&w, ACTION_LEFT), FOCUS_MOVED);
    CHECK_EQ_INT(focus_group_current(&w), 2);
    CHECK_EQ_INT(press(&w, ACTION_DOWN), FOCUS_MOVED);
    CHECK_EQ_INT(focus_group_current(&w), 5);
    CHECK_EQ_INT(press(&w, ACTION_DOWN), FOCUS_MOVED);
    CHECK_EQ_INT(focus_group_current(&w), 2);
    /* A lone item has nowhere to wrap to. */
    struct focus_group one;
    focus_group_init(&one, FOCUS_WRAP_H);
    focus_group_begin(&one);
    focus_group_add(&one, rect(0, 0, 10, 10));
    focus_group_end(&one);
    CHECK_EQ_INT(press(&one, ACTION_RIGHT), FOCUS_EDGE);
}

static void test_remembers_focus(void)
{
    struct focus_group grid_g, buttons;
    focus_group_init(&grid_g, FOCUS_WRAP_NONE);
    focus_group_init(&buttons, FOCUS_WRAP_H);
    grid(&grid_g);
    focus_group_begin(&buttons);
    focus_group_add(&buttons, rect(0, 300, 150, 80));
    focus_group_add(&buttons, rect(190, 300, 150, 80));
    focus_group_end(&buttons);
    focus_group_leave(&buttons); /* the grid has the focus first */
    CHECK_EQ_INT(focus_group_current(&buttons), FOCUS_NONE);
    focus_group_set(&grid_g, 4);
    /* Down at the grid's edge: the screen hands the focus to the buttons and back. */
    CHECK_EQ_INT(press(&grid_g, ACTION_DOWN), FOCUS_EDGE);
    focus_group_leave(&grid_g);
    focus_group_enter(&buttons);
    CHECK_EQ_INT(focus_group_current(&grid_g), FOCUS_NONE);
    CHECK_EQ_INT(focus_group_current(&buttons), 0);
    CHECK_EQ_INT(press(&grid_g, ACTION_LEFT), FOCUS_EDGE); /* not active: takes no arrows */
    press(&buttons, ACTION_RIGHT);
    focus_group_leave(&buttons);
    focus_group_enter(&grid_g);
    CHECK_EQ_INT(focus_group_current(&grid_g), 4); /* where it was */
    focus_group_leave(&grid_g);
    focus_group_enter(&buttons);
    CHECK_EQ_INT(focus_group_current(&buttons), 1);

    /* A rebuild (new data, same layout or a shorter one) keeps the focus nearest to where it
     * was. */
    focus_group_set(&grid_g, 5);
    focus_group_begin(&grid_g);
    SDL_Rect area = rect(0, 0, 340, 220);
    for (int i = 0; i < 4; i++)
        focus_group_add(&grid_g, layout_grid_cell(&area, 3, 2, 20, i));
    focus_group_end(&grid_g);
    focus_group_enter(&grid_g);
    CHECK_EQ_INT(focus_group_current(&grid_g), 2); /* 5 is gone: the one above it */
    focus_group_begin(&grid_g);
    focus_group_end(&grid_g);
    CHECK_EQ_INT(focus_group_current(&grid_g), FOCUS_NONE); /* nothing left */
    /* Full: refused, never overflows. */
    focus_group_begin(&grid_g);
    for (int i = 0; i < FOCUS_GROUP_MAX; i++)
        focus_group_add(&grid_g, rect(i * 10, 0, 10, 10));
    CHECK_EQ_INT(focus_group_add(&grid_g, rect(0, 50, 10, 10)), -1);
    focus_group_end(&grid_g);
}

static void test_layout(void)
{
    SDL_Rect area = rect(100, 200, 1000, 500);
    SDL_Rect c = layout_grid_cell(&area, 3, 2, 50, 5);
    CHECK_EQ_INT(c.w, 300);
    CHECK_EQ_INT(c.h, 225);
    CHECK_EQ_INT(c.x, 100 + 2 * 350);
    CHECK_EQ_INT(c.y, 200 + 275);
    SDL_Rect safe = theme_safe_rect();
    SDL_Rect d = layout_dialog(5000, 5000); /* clamped to the safe area */
    CHECK(d.x >= safe.x && d.x + d.w <= safe.x + safe.w);
    CHECK(d.y >= safe.y && d.y + d.h <= safe.y + safe.h);
    SDL_Rect p = layout_message_panel();
    CHECK(p.y >= THEME_CONTENT_Y && p.y + p.h <= THEME_HINT_Y);
    SDL_Rect in = layout_inset(&area, 600);
    CHECK_EQ_INT(in.w, 0);
    SDL_Rect below = layout_below(&area, 650);
    CHECK_EQ_INT(below.y, 650);
    CHECK_EQ_INT(below.h, 50);
}

int main(void)
{
    RUN(test_moves_edges_and_wrap);
    RUN(test_remembers_focus);
    RUN(test_layout);
    return CHECK_DONE();
}
