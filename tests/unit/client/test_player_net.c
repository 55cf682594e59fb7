/* Player engine over the network: HLS and MP4 over HTTPS with a pinned CA (served on
 * 127.0.0.1 by tests/unit/client/media_server.py with a certificate made at test time),
 * a wrong CA, 404, a refused port, a server that never answers, damaged HLS segments,
 * and HLS from a local playlist file. */
#include "../check.h"
#include "player_harness.h"

static struct harness H; /* this test program's fixture (set up once in main) */
static pid_t g_server = -1, g_hang = -1;
static int g_port, g_hang_port;
static char g_ca[256], g_other_ca[256];

static void url(char *out, size_t n, const char *path)
{
    snprintf(out, n, "https://127.0.0.1:%d/%s", g_port, path);
}

static struct player *open_url(const char *u, const char *ca, int timeout_ms)
{
    struct player_options o = h_opts(&H, u);
    o.ca_file = ca;
    o.open_timeout_ms = timeout_ms;
    return player_open(&o);
}

/* Open, wait until it settles, report state + error + time taken. */
static enum player_state settle(const char *u, const char *ca, int timeout_ms,
                                enum player_error *err, double *secs)
{
    struct player *p = open_url(u, ca, timeout_ms);
    if (!p)
        return PLAYER_ERROR;
    struct play_obs obs;
    h_play(&H, p, 10.0, 1e9, h_is_settled, NULL, &obs);
    enum player_state st = player_get_state(p, err);
    if (secs)
        *secs = obs.elapsed_s;
    CHECK(h_close_ms(p) < 1500); /* close never waits on a dead peer */
    return st;
}

static void test_hls_https_plays_and_seeks(void)
{
    char u[256];
    url(u, sizeof(u), "hls/index.m3u8");
    struct player *p = open_url(u, g_ca, 0);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, h_t(&H, 8.0), 1e9, h_has_frame, NULL, NULL));
    struct player_stats st;
    player_get_stats(p, &st);
    printf("# HLS over HTTPS (pinned CA): ttff %d ms\n", st.ttff_ms);
    CHECK(!st.is_live);
    CHECK(st.seekable);
    CHECK(fabs(st.duration_s - 6.0) < 0.3);
    struct play_obs obs;
    h_play_for(&H, p, 1.0, &obs);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PLAYING);
    CHECK_TIMELY(&H, obs.frames_shown >= 15);
    player_get_stats(p, &st);
    printf("# HLS bitrate %d kbit/s, decode %.0f fps\n", st.bitrate_kbps, st.decode_fps);
    CHECK_TIMELY(&H, st.bitrate_kbps > 20);
    CHECK_EQ_INT(player_seek_to(p, 4.5), 0);
    h_play_for(&H, p, 0.6, NULL);
    double pos = player_get_position(p);
    printf("# HLS seek to 4.5 s: position %.2f s after 0.6 s\n", pos);
    CHECK(pos >= 4.4);
    CHECK_TIMELY(&H, pos <= 5.5);
    enum player_state ended = PLAYER_ENDED;
    CHECK_TIMELY(&H, h_play(&H, p, h_t(&H, 6.0), 1e9, h_is_state, &ended, NULL));
    player_close(p);
}

static void test_hls_resume_position(void)
{
    char u[256];
    url(u, sizeof(u), "hls/index.m3u8");
    struct player_options o = h_opts(&H, u);
    o.ca_file = g_ca;
    o.start_s = 3.0;
    struct player *p = player_open(&o);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, h_t(&H, 8.0), 1e9, h_has_frame, NULL, NULL));
    double pos = player_get_position(p);
    printf("# HLS resume at 3.0 s: first frame at %.2f s\n", pos);
    CHECK(pos >= 2.9 && pos <= 3.5);
    player_close(p);
}

static void test_mp4_https_with_ranges(void)
{
    char u[256];
    url(u, sizeof(u), "long.mp4");
    struct player *p = open_url(u, g_ca, 0);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, h_t(&H, 8.0), 1e9, h_has_frame, NULL, NULL));
    struct player_stats st;
    player_get_stats(p, &st);
    printf("# MP4 over HTTPS: ttff %d ms\n", st.ttff_ms);
    CHECK(st.seekable);
    h_play_for(&H, p, 0.5, NULL);
    CHECK_EQ_INT(player_seek_to(p, 8.2), 0); /* beyond the read-ahead: a range request */
    h_play_for(&H, p, 0.5, NULL);
    double pos = player_get_position(p);
    CHECK(pos >= 8.1 && pos <= 9.0);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PLAYING);
    player_close(p);
}

static void test_local_hls_playlist(void)
{
    char path[256];
    h_path(path, sizeof(path), &H, "hls/index.m3u8");
    struct player *p = open_url(path, NULL, 0);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    struct player_stats st;
    player_get_stats(p, &st);
    printf("# HLS from a local playlist: ttff %d ms\n", st.ttff_ms);
    CHECK_EQ_STR(st.video_codec, "h264");
    player_close(p);
}

static void test_tls_and_http_errors(void)
{
    char u[256], missing[256], refused[64];
    url(u, sizeof(u), "hls/index.m3u8");
    url(missing, sizeof(missing), "hls/missing.m3u8");
    int closed_port = h_free_udp_port(); /* nothing listens on it over TCP either (likely) */
    snprintf(refused, sizeof(refused), "https://127.0.0.1:%d/x.m3u8", closed_port);
    const struct {
        const char *url, *ca;
        enum player_error want;
        const char *what;
    } cases[] = {
        {u, g_other_ca, PLAYER_ERR_TLS, "certificate from another CA"},
        {u, NULL, PLAYER_ERR_TLS, "no CA pinned (system store)"},
        {missing, g_ca, PLAYER_ERR_NOT_FOUND, "404 playlist"},
        {refused, g_ca, PLAYER_ERR_NETWORK, "connection refused"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum player_error err = PLAYER_ERR_NONE;
        double secs = 0;
        enum player_state st = settle(cases[i].url, cases[i].ca, 0, &err, &secs);
        printf("# %s: %s/%s after %.0f ms\n", cases[i].what, player_state_name(st),
               player_error_name(err), secs * 1000);
        CHECK_EQ_INT(st, PLAYER_ERROR);
        CHECK_EQ_INT(err, cases[i].want);
    }
    /* And the next open works. */
    enum player_error err;
    char ok[256];
    url(ok, sizeof(ok), "long.mp4");
    struct player *p = open_url(ok, g_ca, 0);
    CHECK(p && h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    CHECK_EQ_INT(player_get_state(p, &err), PLAYER_PLAYING);
    player_close(p);
}

/* A playlist from the trusted server whose segments live on a server no pinned CA vouches
 * for: no segment may be fetched without verification, so nothing plays. */
static void test_untrusted_segments_never_play(void)
{
    int rogue_port = 0;
    pid_t rogue = h_start_server(&H, "rogue", 0, &rogue_port);
    CHECK(rogue > 0);
    char dir[256], pl[300], u[256];
    h_path(dir, sizeof(dir), &H, "hlsrogue");
    mkdir(dir, 0755);
    snprintf(pl, sizeof(pl), "%s/index.m3u8", dir);
    FILE *f = fopen(pl, "w");
    CHECK(f != NULL);
    if (!f) {
        h_stop(rogue);
        return;
    }
    fputs("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-PLAYLIST-TYPE:VOD\n", f);
    for (int i = 0; i < 3; i++)
        fprintf(f, "#EXTINF:2.0,\nhttps://127.0.0.1:%d/hls/seg_%03d.ts\n", rogue_port, i);
    fputs("#EXT-X-ENDLIST\n", f);
    fclose(f);
    url(u, sizeof(u), "hlsrogue/index.m3u8");
    struct player *p = open_url(u, g_ca, 0);
    CHECK(p != NULL);
    if (p) {
        h_play(&H, p, h_t(&H, 8.0), 1e9, h_is_settled, NULL, NULL);
        enum player_error err;
        enum player_state st = player_get_state(p, &err);
        struct player_stats s;
        player_get_stats(p, &s);
        printf("# HLS segments on an untrusted server: %s/%s, %llu frames\n", player_state_name(st),
               player_error_name(err), (unsigned long long)s.frames_presented);
        CHECK_EQ_INT(st, PLAYER_ERROR);
        CHECK_EQ_INT(err, PLAYER_ERR_TLS);
        CHECK_EQ_INT(s.frames_presented, 0);
        player_close(p);
    }
    h_stop(rogue);
}

static void test_silent_server(void)
{
    char u[128];
    snprintf(u, sizeof(u), "https://127.0.0.1:%d/live/index.m3u8", g_hang_port);
    enum player_error err;
    double secs;
    enum player_state st = settle(u, g_ca, 1500, &err, &secs);
    printf("# server that never answers, 1500 ms deadline: %s/%s after %.0f ms\n",
           player_state_name(st), player_error_name(err), secs * 1000);
    CHECK_EQ_INT(st, PLAYER_ERROR);
    CHECK_EQ_INT(err, PLAYER_ERR_NETWORK);
    CHECK(secs > 1.3);
    CHECK_TIMELY(&H, secs < 4.0);

    /* Closing while the open hangs returns at once. */
    double worst = 0;
    for (int i = 0; i < 2; i++) {
        struct player *p = open_url(u, g_ca, 0);
        CHECK(p != NULL);
        if (!p)
            return;
        h_play_for(&H, p, 0.2 + 0.3 * i, NULL);
        CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_OPENING);
        double ms = h_close_ms(p);
        if (ms > worst)
            worst = ms;
    }
    h_drain_events();
    printf("# close while opening against a silent server: slowest %.1f ms\n", worst);
    CHECK(worst < 1500);
}

static int spoil_segment(const char *dir, const char *name, long keep, bool garbage)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/%s/%s", H.dir, dir, name);
    if (garbage) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return -1;
        for (int i = 0; i < 200000; i++)
            fputc((i * 131) & 0xff, f);
        fclose(f);
        return 0;
    }
    return truncate(path, keep);
}

static void test_damaged_segments(void)
{
    char u[256];
    url(u, sizeof(u), "hlsbad/index.m3u8");
    struct player *p = open_url(u, g_ca, 0);
    CHECK(p != NULL);
    if (!p)
        return;
    enum player_state ended = PLAYER_ENDED;
    struct play_obs obs;
    bool done = h_play(&H, p, 12.0, 1e9, h_is_state, &ended, &obs);
    enum player_error err;
    enum player_state st = player_get_state(p, &err);
    struct player_stats s;
    player_get_stats(p, &s);
    printf("# HLS with a garbage and a truncated segment: %s/%s, %llu frames shown\n",
           player_state_name(st), player_error_name(err), (unsigned long long)s.frames_presented);
    CHECK_TIMELY(&H, done);
    CHECK_TIMELY(&H, s.frames_presented >= 45); /* the good segment (some of the cut one) */
    CHECK(h_close_ms(p) < 1500); /* close never waits on a dead peer */
}

static int setup(void)
{
    if (h_make_certs(&H) < 0)
        return -1;
    h_path(g_ca, sizeof(g_ca), &H, "ca.pem");
    h_path(g_other_ca, sizeof(g_other_ca), &H, "other.pem");
    pid_t enc = h_make_media_start(&H, "long.mp4", "320x180", 25, 10, "mp4");
    if (h_make_media(&H, "six.mp4", "320x180", 25, 6, "mp4") < 0 || h_wait(enc) != 0 ||
        h_make_hls(&H, "six.mp4", "hls") < 0 || h_make_hls(&H, "six.mp4", "hlsbad") < 0)
        return -1;
    if (spoil_segment("hlsbad", "seg_000.ts", 0, true) < 0 ||
        spoil_segment("hlsbad", "seg_001.ts", 60000, false) < 0)
        return -1;
    g_server = h_start_server(&H, "tls", 0, &g_port);
    g_hang = h_start_server(&H, "hang", 0, &g_hang_port);
    return g_server > 0 && g_hang > 0 ? 0 : -1;
}

int main(void)
{
    if (h_init(&H) < 0 || setup() < 0) {
        printf("not ok - setup: cannot make media, certificates or start the servers\n");
        h_stop(g_server);
        h_stop(g_hang);
        h_fini(&H);
        return 1;
    }
    RUN_SELECTED(test_hls_https_plays_and_seeks);
    RUN_SELECTED(test_hls_resume_position);
    RUN_SELECTED(test_mp4_https_with_ranges);
    RUN_SELECTED(test_local_hls_playlist);
    RUN_SELECTED(test_tls_and_http_errors);
    RUN_SELECTED(test_untrusted_segments_never_play);
    RUN_SELECTED(test_silent_server);
    RUN_SELECTED(test_damaged_segments);
    h_stop(g_server);
    h_stop(g_hang);
    h_fini(&H);
    return CHECK_DONE();
}
