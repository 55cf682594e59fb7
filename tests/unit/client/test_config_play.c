/* Player mode options: --play and friends, and when the CA file may be left out. */
#include "app/config.h"
#include "../check.h"

#include <errno.h>
#include <stdlib.h>

#define CHECK_STR(field, want) CHECK(strcmp((field), (want)) == 0)

static int parse(int argc, char **argv, struct app_config *cfg, char *err)
{
    FILE *out = fopen("/dev/null", "w");
    int rc = config_parse(argc, argv, cfg, out, err, 256);
    fclose(out);
    return rc;
}

static void test_play_options(void)
{
    struct app_config cfg;
    char err[256];
    char *argv[] = { "djtv", "--headless", "--play", "udp://239.1.1.1:5000", "--play-seconds",
                     "30", "--play-no-present", "--play-title", "村里直播", "--play-item=12",
                     "--play-broadcast", "3", "--play-replay", "https://h/r.m3u8" };
    CHECK_EQ_INT(parse(14, argv, &cfg, err), CONFIG_RUN);
    CHECK_STR(cfg.play, "udp://239.1.1.1:5000");
    CHECK_EQ_INT(cfg.play_seconds, 30);
    CHECK_EQ_INT(cfg.play_no_present, 1);
    CHECK_STR(cfg.play_title, "村里直播");
    CHECK_EQ_INT(cfg.play_item, 12);
    CHECK_EQ_INT(cfg.play_broadcast, 3);
    CHECK_STR(cfg.play_replay, "https://h/r.m3u8");
}

static void test_bad_numbers(void)
{
    static const char *const bad[] = { "-1", "x", "12x", "", "99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct app_config cfg;
        char err[256];
        char *argv[] = { "djtv", "--play-seconds", (char *)bad[i] };
        CHECK_EQ_INT(parse(3, argv, &cfg, err), -EINVAL);
        CHECK(strstr(err, "play-seconds") != NULL);
    }
}

static void test_ca_needed_only_for_https(void)
{
    struct app_config cfg;
    char err[256];
    char *udp[] = { "djtv", "--play", "udp://127.0.0.1:5000" };
    parse(3, udp, &cfg, err);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), 0);
    char *file[] = { "djtv", "--play", "/tmp/a.mp4" };
    parse(3, file, &cfg, err);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), 0);
    char *https[] = { "djtv", "--play", "https://127.0.0.1/a.mp4" };
    parse(3, https, &cfg, err);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -EINVAL);
    CHECK(strstr(err, "no CA file") != NULL);
    char *replay[] = { "djtv", "--play", "udp://127.0.0.1:5000", "--play-replay",
                       "https://127.0.0.1/r.mp4" };
    parse(5, replay, &cfg, err);
    CHECK_EQ_INT(config_finish(&cfg, err, sizeof(err)), -EINVAL);
}

int main(void)
{
    RUN(test_play_options);
    RUN(test_bad_numbers);
    RUN(test_ca_needed_only_for_https);
    return CHECK_DONE();
}
