/* Who is watching: the choice, its default for everyone, and forgetting it after a long idle. */
#include "app/household.h"

#include <errno.h>
#include <stdio.h>

#include "../check.h"

static void three(struct household *h)
{
    struct household_member m[3] = { { .id = 7 }, { .id = 8 }, { .id = 9 } };
    snprintf(m[0].name, sizeof(m[0].name), "王喆");
    snprintf(m[1].name, sizeof(m[1].name), "李堃");
    snprintf(m[2].name, sizeof(m[2].name), "𠮷祥云");
    household_set(h, m, 3);
}

static void test_asks_only_with_several_members(void)
{
    struct household h;
    household_init(&h, 1, 7200000);
    CHECK(!household_needs_choice(&h)); /* members not known yet */
    struct household_member one = { .id = 3 };
    household_set(&h, &one, 1);
    CHECK(!household_needs_choice(&h));
    CHECK(household_is_viewer(&h, 3));
    three(&h);
    CHECK(household_needs_choice(&h));
    household_init(&h, 0, 7200000); /* asking switched off: everyone watches */
    three(&h);
    CHECK(!household_needs_choice(&h));
    CHECK(household_is_viewer(&h, 8));
}

/* A roll-call prompt waits while the picker is still to come or on screen. */
static void test_a_choice_is_pending_until_made_or_not_needed(void)
{
    struct household h;
    household_init(&h, 1, 7200000);
    CHECK(household_choice_pending(&h)); /* members not known yet: the picker may come */
    three(&h);
    CHECK(household_choice_pending(&h));
    int viewing[3] = { 0, 0, 1 };
    CHECK_EQ_INT(household_choose(&h, viewing, 100), 0);
    CHECK(!household_choice_pending(&h));
    struct household_member one = { .id = 3 };
    household_init(&h, 1, 7200000);
    household_set(&h, &one, 1);
    CHECK(!household_choice_pending(&h)); /* one member: nothing to ask */
    household_init(&h, 1, 7200000);
    household_set(&h, NULL, 0);
    CHECK(!household_choice_pending(&h)); /* the activity room's box: nobody lives there */
    household_init(&h, 0, 7200000);
    CHECK(!household_choice_pending(&h)); /* asking switched off */
}

static void test_the_choice_is_the_default(void)
{
    struct household h;
    household_init(&h, 1, 7200000);
    three(&h);
    int none[3] = { 0, 0, 0 }, some[3] = { 1, 0, 1 };
    CHECK_EQ_INT(household_choose(&h, none, 100), -EINVAL); /* nobody is no choice */
    CHECK(household_needs_choice(&h));
    CHECK_EQ_INT(household_choose(&h, some, 100), 0);
    CHECK(!household_needs_choice(&h));
    CHECK(household_is_viewer(&h, 7) && !household_is_viewer(&h, 8) && household_is_viewer(&h, 9));
    CHECK(!household_is_viewer(&h, 99)); /* not of this household */
    int64_t ids[3];
    CHECK_EQ_INT(household_viewers(&h, ids, 3), 2);
    CHECK_EQ_INT(ids[0], 7);
    CHECK_EQ_INT(ids[1], 9);
    CHECK_EQ_INT(household_viewers(&h, ids, 1), 1);
}

static void test_forgotten_after_the_idle_time_only(void)
{
    struct household h;
    int wake;
    household_init(&h, 1, 7200000);
    three(&h);
    int some[3] = { 0, 1, 0 };
    household_choose(&h, some, 0);
    CHECK_EQ_INT(household_idle(&h, 7199999, &wake), 0);
    CHECK_EQ_INT(wake, 1);
    CHECK(!household_is_viewer(&h, 7));
    CHECK_EQ_INT(household_idle(&h, 7200000, &wake), 1);
    CHECK_EQ_INT(wake, -1);
    CHECK(household_needs_choice(&h));
    CHECK(household_is_viewer(&h, 7)); /* no choice: everyone */
    household_init(&h, 1, 0); /* 0: never forgotten */
    three(&h);
    household_choose(&h, some, 0);
    CHECK_EQ_INT(household_idle(&h, 0xffffffffu, &wake), 0);
    CHECK(!household_needs_choice(&h));
}

static void test_a_refresh_keeps_the_choice_unless_its_members_left(void)
{
    struct household h;
    household_init(&h, 1, 7200000);
    three(&h);
    int some[3] = { 0, 1, 0 };
    household_choose(&h, some, 0);
    three(&h); /* the same list again (home refreshes) */
    CHECK(!household_needs_choice(&h));
    CHECK(household_is_viewer(&h, 8) && !household_is_viewer(&h, 7));
    struct household_member left[2] = { { .id = 7 }, { .id = 9 } };
    household_set(&h, left, 2); /* the one watching moved away */
    CHECK(household_needs_choice(&h));
}

int main(void)
{
    RUN(test_asks_only_with_several_members);
    RUN(test_a_choice_is_pending_until_made_or_not_needed);
    RUN(test_the_choice_is_the_default);
    RUN(test_forgotten_after_the_idle_time_only);
    RUN(test_a_refresh_keeps_the_choice_unless_its_members_left);
    return CHECK_DONE();
}
