/* The focus engine on plain rectangles: tables of layouts, start item, direction, expected
 * item. */
#include "ui/focus.h"
#include "../check.h"

#define N_MAX 8
#define NONE FOCUS_NONE

struct layout {
    int n;
    int rect[N_MAX][4];
};

/* The home screen's 3x2 grid: 0 1 2 / 3 4 5. */
static const struct layout grid = { 6, {
    { 96, 298, 549, 285 }, { 685, 298, 549, 285 }, { 1274, 298, 549, 285 },
    { 96, 623, 549, 285 }, { 685, 623, 549, 285 }, { 1274, 623, 549, 285 },
} };

/* Two narrow items on top, a wide one below both, and one to the right that overlaps the
 * wide one vertically but not the top row. */
static const struct layout uneven = { 4, {
    { 0, 0, 100, 100 },     /* 0 */
    { 200, 0, 100, 100 },   /* 1 */
    { 0, 200, 300, 100 },   /* 2: wide, below both */
    { 400, 150, 100, 100 }, /* 3: y 150..250 */
} };

static void build(const struct layout *l, struct focus_item *items)
{
    for (int i = 0; i < l->n; i++)
        focus_item_init(&items[i], l->rect[i][0], l->rect[i][1], l->rect[i][2], l->rect[i][3]);
}

struct move_case {
    const struct layout *l;
    int from;
    enum focus_dir dir;
    int want;
};

static void test_geometry_moves(void)
{
    static const struct move_case cases[] = {
        { &grid, 0, FOCUS_RIGHT, 1 },  { &grid, 1, FOCUS_RIGHT, 2 },
        { &grid, 2, FOCUS_RIGHT, NONE }, /* edge: no wrap */
        { &grid, 0, FOCUS_LEFT, NONE }, { &grid, 0, FOCUS_UP, NONE },
        { &grid, 0, FOCUS_DOWN, 3 },   { &grid, 1, FOCUS_DOWN, 4 },
        { &grid, 4, FOCUS_UP, 1 },     { &grid, 5, FOCUS_LEFT, 4 },
        { &grid, 5, FOCUS_DOWN, NONE }, { &grid, 3, FOCUS_RIGHT, 4 },
        { &grid, NONE, FOCUS_DOWN, 0 }, /* nothing focused yet: the first item */
        /* LEFT/RIGHT need vertical overlap; UP/DOWN do not. */
        { &uneven, 0, FOCUS_RIGHT, 1 }, { &uneven, 1, FOCUS_RIGHT, NONE },
        { &uneven, 2, FOCUS_RIGHT, 3 }, { &uneven, 3, FOCUS_LEFT, 2 },
        { &uneven, 1, FOCUS_DOWN, 2 },  /* wide item below: nearest centre, no overlap needed */
        { &uneven, 0, FOCUS_DOWN, 2 },
        { &uneven, 2, FOCUS_UP, 0 },    /* 0 and 1 equally near and equally high: lower index */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct focus_item items[N_MAX];
        build(cases[i].l, items);
        int got = focus_move(items, cases[i].l->n, cases[i].from, cases[i].dir);
        if (got != cases[i].want)
            printf("# case %zu: from %d dir %d: got %d want %d\n", i, cases[i].from,
                   cases[i].dir, got, cases[i].want);
        CHECK_EQ_INT(got, cases[i].want);
    }
}

static void test_nearest_by_centre_distance(void)
{
    /* From the middle item, RIGHT has two candidates overlapping vertically; the nearer
     * centre wins even though the farther one is exactly level. */
    struct focus_item items[3];
    focus_item_init(&items[0], 0, 100, 100, 100);   /* centre (50,150) */
    focus_item_init(&items[1], 150, 130, 100, 100); /* centre (200,180): d² = 22500+900 */
    focus_item_init(&items[2], 400, 100, 100, 100); /* centre (450,150): d² = 160000 */
    CHECK_EQ_INT(focus_move(items, 3, 0, FOCUS_RIGHT), 1);
    CHECK_EQ_INT(focus_move(items, 3, 1, FOCUS_RIGHT), 2);
    CHECK_EQ_INT(focus_move(items, 3, 2, FOCUS_LEFT), 1);
    /* An item whose centre is level with ours is not "above" or "below". */
    CHECK_EQ_INT(focus_move(items, 3, 0, FOCUS_UP), NONE);
}

static void test_tie_breaks_are_stable(void)
{
    /* Two items below at equal distance, mirrored left and right: the lower index wins. */
    struct focus_item items[3];
    focus_item_init(&items[0], 100, 0, 100, 100);
    focus_item_init(&items[1], 0, 200, 100, 100);
    focus_item_init(&items[2], 200, 200, 100, 100);
    CHECK_EQ_INT(focus_move(items, 3, 0, FOCUS_DOWN), 1);
    /* Swap them: still the lower index, so the answer never depends on float noise. */
    focus_item_init(&items[1], 200, 200, 100, 100);
    focus_item_init(&items[2], 0, 200, 100, 100);
    CHECK_EQ_INT(focus_move(items, 3, 0, FOCUS_DOWN), 1);
    /* Equal distance, one straight below, one off to the side: the straight one. */
    focus_item_init(&items[0], 0, 0, 100, 100);     /* centre (50,50) */
    focus_item_init(&items[1], 0, 300, 100, 100);   /* centre (50,350): dx 0, dy 300 */
    focus_item_init(&items[2], 180, 240, 100, 100); /* centre (230,290): 180² + 240² = 300² */
    CHECK_EQ_INT(focus_move(items, 3, 0, FOCUS_DOWN), 1);
}

static void test_unfocusable_items_are_skipped(void)
{
    struct focus_item items[N_MAX];
    build(&grid, items);
    items[1].focusable = 0;
    CHECK_EQ_INT(focus_move(items, 6, 0, FOCUS_RIGHT), 2);
    CHECK_EQ_INT(focus_move(items, 6, 4, FOCUS_UP), 0); /* nearest focusable above */
    items[0].focusable = 0;
    CHECK_EQ_INT(focus_move(items, 6, NONE, FOCUS_RIGHT), 2);
    for (int i = 0; i < 6; i++)
        items[i].focusable = 0;
    CHECK_EQ_INT(focus_move(items, 6, NONE, FOCUS_RIGHT), NONE);
    CHECK_EQ_INT(focus_move(items, 0, NONE, FOCUS_RIGHT), NONE);
}

static void test_explicit_links_override_geometry(void)
{
    struct focus_item items[N_MAX];
    build(&grid, items);
    items[2].link[FOCUS_RIGHT] = 3;               /* wrap to the next row */
    items[0].link[FOCUS_DOWN] = FOCUS_LINK_BLOCK; /* a wall */
    items[4].link[FOCUS_UP] = 2;
    items[5].link[FOCUS_UP] = 1;
    items[1].focusable = 0;
    CHECK_EQ_INT(focus_move(items, 6, 2, FOCUS_RIGHT), 3);
    CHECK_EQ_INT(focus_move(items, 6, 0, FOCUS_DOWN), NONE);
    CHECK_EQ_INT(focus_move(items, 6, 4, FOCUS_UP), 2);
    CHECK_EQ_INT(focus_move(items, 6, 5, FOCUS_UP), NONE); /* link to an unfocusable item */
    items[3].link[FOCUS_LEFT] = 42;                        /* out of range */
    CHECK_EQ_INT(focus_move(items, 6, 3, FOCUS_LEFT), NONE);
}

static void test_refocus_after_items_change(void)
{
    struct focus_item items[N_MAX];
    build(&grid, items);
    SDL_Rect was = items[4].r;
    items[4].focusable = 0; /* the focused item went away */
    /* The tile above is nearer (325 px) than the ones beside it (589 px). */
    CHECK_EQ_INT(focus_refocus(items, 6, &was), 1);
    SDL_Rect far = { 5000, 5000, 10, 10 };
    CHECK_EQ_INT(focus_refocus(items, 6, &far), 5);
    CHECK_EQ_INT(focus_refocus(items, 6, NULL), 0);
}

static void test_directions_from_actions(void)
{
    enum focus_dir d;
    CHECK(focus_dir_from_action(ACTION_UP, &d) && d == FOCUS_UP);
    CHECK(focus_dir_from_action(ACTION_DOWN, &d) && d == FOCUS_DOWN);
    CHECK(focus_dir_from_action(ACTION_LEFT, &d) && d == FOCUS_LEFT);
    CHECK(focus_dir_from_action(ACTION_RIGHT, &d) && d == FOCUS_RIGHT);
    CHECK(!focus_dir_from_action(ACTION_OK, &d));
    CHECK(!focus_dir_from_action(ACTION_DIGIT_4, &d));
}

int main(void)
{
    RUN(test_geometry_moves);
    RUN(test_nearest_by_centre_distance);
    RUN(test_tie_breaks_are_stable);
    RUN(test_unfocusable_items_are_skipped);
    RUN(test_explicit_links_override_geometry);
    RUN(test_refocus_after_items_change);
    RUN(test_directions_from_actions);
    return CHECK_DONE();
}
