/* The idle dimmer as a state machine: time passes, keys come, a video plays. */
#include "app/idle.h"

#include "../check.h"

static void test_dims_after_the_timeout_and_a_key_only_wakes(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 600000, 1000);
    CHECK_EQ_INT(idle_tick(&id, 1000, 0, &dirty), 600000);
    CHECK_EQ_INT(idle_tick(&id, 600999, 0, &dirty), 1);
    CHECK(!id.dimmed && !dirty);
    CHECK_EQ_INT(idle_tick(&id, 601000, 0, &dirty), -1);
    CHECK(id.dimmed && dirty);
    CHECK_EQ_INT(idle_key(&id, 700000), 1); /* woken: the key does nothing else */
    CHECK(!id.dimmed);
    CHECK_EQ_INT(idle_key(&id, 700001), 0); /* the next key is a key */
    dirty = 0;
    CHECK_EQ_INT(idle_tick(&id, 700001, 0, &dirty), 600000);
}

static void test_keys_restart_the_count(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 10000, 0);
    for (uint32_t t = 5000; t < 60000; t += 5000) {
        CHECK_EQ_INT(idle_key(&id, t), 0);
        idle_tick(&id, t + 4999, 0, &dirty);
        CHECK(!id.dimmed);
    }
    CHECK(!dirty);
}

static void test_never_during_video(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 10000, 0);
    CHECK_EQ_INT(idle_tick(&id, 3600000, 1, &dirty), -1); /* an hour of video */
    CHECK(!id.dimmed && !dirty);
    /* The count starts again when the video ends. */
    CHECK_EQ_INT(idle_tick(&id, 3600001, 0, &dirty), 9999);
    CHECK(!id.dimmed);
}

static void test_video_starting_wakes_a_dimmed_screen(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 10000, 0);
    idle_tick(&id, 10000, 0, &dirty);
    CHECK(id.dimmed);
    dirty = 0;
    idle_tick(&id, 10001, 1, &dirty);
    CHECK(!id.dimmed && dirty);
}

static void test_zero_never_dims(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 0, 0);
    CHECK_EQ_INT(idle_tick(&id, 0xfffffff0u, 0, &dirty), -1);
    CHECK(!id.dimmed && !dirty);
    CHECK_EQ_INT(idle_key(&id, 5), 0);
}

static void test_tick_counter_wraps(void)
{
    struct idle id;
    int dirty = 0;
    idle_init(&id, 10000, 0xffffff00u); /* SDL_GetTicks wraps after 49 days */
    CHECK_EQ_INT(idle_tick(&id, 0x100u, 0, &dirty), 10000 - 0x200);
    CHECK(!id.dimmed);
    idle_tick(&id, 0xffffff00u + 10000u, 0, &dirty);
    CHECK(id.dimmed);
}

int main(void)
{
    RUN(test_dims_after_the_timeout_and_a_key_only_wakes);
    RUN(test_keys_restart_the_count);
    RUN(test_never_during_video);
    RUN(test_video_starting_wakes_a_dimmed_screen);
    RUN(test_zero_never_dims);
    RUN(test_tick_counter_wraps);
    return CHECK_DONE();
}
