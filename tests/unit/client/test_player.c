/* Player engine on local files: play to the end, A/V sync, seek, pause, resume position,
 * audio modes, presentation off, bad media. Media is made with the ffmpeg CLI at test time;
 * playback is headless (dummy video driver, software renderer, dummy audio). */
#include "../check.h"
#include "media/video_out.h"
#include "player_harness.h"

static struct harness H; /* this test program's fixture (set up once in main) */

static char g_small[256], g_short[256], g_long[256], g_720[256], g_audio[256], g_ts[256];

static void file_path(char *out, size_t n, const char *name)
{
    h_path(out, n, &H, name);
}

static struct player *open_file(const char *path, enum player_audio audio, bool no_present)
{
    struct player_options o = h_opts(&H, path);
    o.audio = audio;
    o.no_present = no_present;
    return player_open(&o);
}

/* Play P until it ends (15 s at most); its stats at the end into *ST. */
static bool play_to_end(struct player *p, struct play_obs *obs, struct player_stats *st)
{
    enum player_state ended = PLAYER_ENDED;
    bool done = h_play(&H, p, 15.0, 1.0, h_is_state, &ended, obs);
    player_get_stats(p, st);
    return done;
}

static void test_mp4_plays_to_end_in_sync(void)
{
    struct player *p = open_file(g_small, PLAYER_AUDIO_DEVICE, false);
    CHECK(p != NULL);
    if (!p)
        return;
    struct play_obs obs;
    struct player_stats st;
    bool done = play_to_end(p, &obs, &st);
    CHECK(done);
    CHECK_EQ_INT(st.width, 320);
    CHECK_EQ_INT(st.height, 180);
    CHECK_EQ_STR(st.video_codec, "h264");
    CHECK_EQ_STR(st.audio_codec, "aac");
    CHECK(st.ttff_ms >= 0);
    CHECK(obs.state_events > 0);
    CHECK_EQ_INT(obs.stale_events, 0);
    printf("# local mp4 320x180 3 s: ttff %d ms, presented %llu, dropped %llu, wall %.2f s, "
           "A/V max %.1f ms mean %.1f ms over %d samples, decode %.0f fps\n",
           st.ttff_ms, (unsigned long long)st.frames_presented,
           (unsigned long long)st.frames_dropped, obs.elapsed_s, obs.av_max_abs_ms,
           obs.av_samples ? obs.av_sum_ms / obs.av_samples : 0.0, obs.av_samples, st.decode_fps);
    if (!H.slow) {
        /* 3 s at 25 fps = 75 frames. */
        CHECK(st.frames_presented + st.frames_dropped >= 72);
        CHECK(st.frames_presented <= 76);
        CHECK(st.frames_dropped * 100 <= 75u * (unsigned)H.drop_pct);
        CHECK(obs.elapsed_s > 2.7 && obs.elapsed_s < 9.0);
        CHECK(obs.av_samples > 30);
        CHECK(obs.av_max_abs_ms <= 100.0); /* 40 ms goal: measured in make bench */
        CHECK(st.ttff_ms < 4000);
    }
    CHECK(h_close_ms(p) < 1500); /* close never waits on a dead peer */
}

static void test_720p_without_audio(void)
{
    /* Without audio the video keeps its own time. */
    struct player *p = open_file(g_720, PLAYER_AUDIO_OFF, false);
    CHECK(p != NULL);
    if (!p)
        return;
    struct play_obs obs;
    struct player_stats st;
    CHECK(play_to_end(p, &obs, &st));
    printf("# local mp4 1280x720 2 s, audio off: ttff %d ms, presented %llu, dropped %llu, "
           "converted %llu, wall %.2f s, pix %s\n",
           st.ttff_ms, (unsigned long long)st.frames_presented,
           (unsigned long long)st.frames_dropped, (unsigned long long)st.frames_converted,
           obs.elapsed_s, st.pix_fmt);
    CHECK_EQ_INT(st.width, 1280);
    CHECK_EQ_STR(st.audio_codec, "");
    CHECK_EQ_INT(st.frames_converted, 0); /* yuv420p goes to the texture as it is */
    CHECK_EQ_STR(st.pix_fmt, "yuv420p");
    if (!H.slow) {
        CHECK(st.frames_presented + st.frames_dropped >= 48);
        CHECK(st.frames_dropped * 100 <= 50u * (unsigned)H.drop_pct);
        CHECK(obs.elapsed_s > 1.8 && obs.elapsed_s < 7.0);
    }
    player_close(p);
}

static void test_seek_lands_near_target(void)
{
    struct player *p = open_file(g_long, PLAYER_AUDIO_DEVICE, false);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    struct player_stats st;
    player_get_stats(p, &st);
    CHECK(st.seekable);
    CHECK(fabs(st.duration_s - 10.0) < 0.2);

    const double targets[] = {6.3, 1.5, 8.9};
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        CHECK_EQ_INT(player_seek_to(p, targets[i]), 0);
        /* While the seek is in flight the position reads as the target. */
        CHECK(fabs(player_get_position(p) - targets[i]) < 0.01);
        h_play_for(&H, p, 0.4, NULL);
        double pos = player_get_position(p);
        printf("# seek to %.1f s: position %.2f s after 0.4 s\n", targets[i], pos);
        CHECK(pos >= targets[i] - 0.1);
        CHECK(pos <= targets[i] + 1.0);
    }
    /* Relative seeks add up while in flight; fractions jump by duration. */
    CHECK_EQ_INT(player_seek_to(p, 2.0), 0);
    CHECK_EQ_INT(player_seek_by(p, 3.0), 0);
    CHECK_EQ_INT(player_seek_by(p, 1.0), 0);
    h_play_for(&H, p, 0.4, NULL);
    double pos = player_get_position(p);
    CHECK(pos >= 5.9 && pos <= 7.0);
    CHECK_EQ_INT(player_seek_fraction(p, 0.3), 0);
    h_play_for(&H, p, 0.4, NULL);
    pos = player_get_position(p);
    CHECK(pos >= 2.9 && pos <= 4.0);
    /* Seeking after the end restarts playback. */
    CHECK_EQ_INT(player_seek_fraction(p, 0.9), 0);
    enum player_state ended = PLAYER_ENDED;
    CHECK(h_play(&H, p, 5.0, 1e9, h_is_state, &ended, NULL));
    CHECK_EQ_INT(player_seek_to(p, 8.0), 0);
    h_play_for(&H, p, 0.5, NULL);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PLAYING);
    player_close(p);
}

/* Draw the player alone on black and tell whether the centre shows a picture. */
static int frame_on_screen(struct player *p)
{
    SDL_SetRenderDrawColor(H.ren, 0, 0, 0, 255);
    SDL_RenderClear(H.ren);
    SDL_Rect dst = {0, 0, 1920, 1080};
    player_draw(p, H.ren, &dst);
    Uint32 px = 0;
    SDL_Rect one = {960, 540, 1, 1};
    if (SDL_RenderReadPixels(H.ren, &one, SDL_PIXELFORMAT_ARGB8888, &px, 4) != 0)
        return -1;
    return (px & 0xffffff) != 0;
}

static void test_pause_holds_position(void)
{
    struct player *p = open_file(g_long, PLAYER_AUDIO_DEVICE, false);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    h_play_for(&H, p, 0.8, NULL);
    CHECK_EQ_INT(player_set_paused(p, true), 0);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PAUSED);
    double p1 = player_get_position(p);
    struct play_obs obs;
    h_play_for(&H, p, 0.6, &obs);
    double p2 = player_get_position(p);
    CHECK(fabs(p2 - p1) < 0.05);
    CHECK_EQ_INT(obs.frames_shown, 0);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PAUSED);
    /* Lost textures come back with the paused picture. */
    CHECK_EQ_INT(player_renderer_reset(p, H.ren), 0);
    CHECK_EQ_INT(frame_on_screen(p), 1);
    /* A seek while paused shows the frame at the target and stays paused. */
    CHECK_EQ_INT(player_seek_to(p, 5.0), 0);
    h_play_for(&H, p, 0.5, &obs);
    CHECK_EQ_INT(obs.frames_shown, 1);
    CHECK(fabs(player_get_position(p) - 5.0) < 0.1);
    CHECK_EQ_INT(player_toggle_pause(p), 0);
    h_play_for(&H, p, 0.6, NULL);
    double p3 = player_get_position(p);
    CHECK_EQ_INT(player_get_state(p, NULL), PLAYER_PLAYING);
    CHECK(p3 > 5.2);
    printf("# pause: held %.3f -> %.3f s; resumed at 5.0 -> %.2f s after 0.6 s\n", p1, p2, p3);
    player_close(p);
}

static void test_resume_position(void)
{
    struct player_options o = h_opts(&H, g_long);
    o.start_s = 7.0;
    struct player *p = player_open(&o);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK(h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    double pos = player_get_position(p);
    CHECK(pos >= 6.9 && pos <= 7.5);
    player_close(p);
}

static void test_audio_only_runs_in_real_time(void)
{
    /* The dummy SDL audio driver must consume audio at the real rate: 2 s of sound ends
     * after about 2 s. */
    struct player *p = open_file(g_audio, PLAYER_AUDIO_DEVICE, false);
    CHECK(p != NULL);
    if (!p)
        return;
    enum player_state ended = PLAYER_ENDED;
    struct play_obs obs;
    CHECK(h_play(&H, p, 10.0, 1e9, h_is_state, &ended, &obs));
    struct player_stats st;
    player_get_stats(p, &st);
    printf("# audio only 2 s (SDL dummy driver): ended after %.2f s wall, %d Hz %d ch\n",
           obs.elapsed_s, st.sample_rate, st.channels);
    CHECK_EQ_STR(st.video_codec, "");
    CHECK_EQ_INT(st.sample_rate, 48000);
    if (!H.slow)
        CHECK(obs.elapsed_s > 1.8 && obs.elapsed_s < 7.0);
    player_close(p);
}

static void test_null_audio_no_present(void)
{
    /* The null sink times audio without a device; no_present decodes and releases frames
     * on time but uploads nothing (the benchmark's presentation-off mode). */
    struct player *p = open_file(g_short, PLAYER_AUDIO_NULL, true);
    CHECK(p != NULL);
    if (!p)
        return;
    struct play_obs obs;
    struct player_stats st;
    CHECK(play_to_end(p, &obs, &st));
    printf("# null audio, no presentation: wall %.2f s, presented %llu, dropped %llu, "
           "uploads %d\n",
           obs.elapsed_s, (unsigned long long)st.frames_presented,
           (unsigned long long)st.frames_dropped, obs.frames_shown);
    CHECK_EQ_INT(obs.frames_shown, 0);
    CHECK_EQ_STR(st.audio_codec, "aac");
    CHECK_EQ_INT(st.sample_rate, 48000);
    if (!H.slow) {
        CHECK(st.frames_presented + st.frames_dropped >= 48); /* 2 s at 25 fps */
        CHECK(obs.elapsed_s > 1.8 && obs.elapsed_s < 7.0);
    }
    player_close(p);
}

/* Copy src to dst keeping the first `keep` bytes (0 = all), then overwrite `spoil` bytes
 * from the middle with a pattern, or replace every FMP4 tag with ZZZZ. */
static int mangle(const char *src, const char *dst, long keep, long spoil, bool retag)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return -1;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    unsigned char *d = malloc((size_t)n);
    if (!d || fread(d, 1, (size_t)n, in) != (size_t)n) {
        free(d);
        fclose(in);
        return -1;
    }
    fclose(in);
    if (keep > 0 && keep < n)
        n = keep;
    for (long i = 0; i < spoil && n / 2 + i < n; i++)
        d[n / 2 + i] = (unsigned char)(i * 37 + 11);
    for (long i = 0; retag && i + 4 <= n; i++) {
        if (memcmp(d + i, "FMP4", 4) == 0)
            memcpy(d + i, "ZZZZ", 4);
    }
    FILE *out = fopen(dst, "wb");
    int ret = out && fwrite(d, 1, (size_t)n, out) == (size_t)n ? 0 : -1;
    if (out)
        fclose(out);
    free(d);
    return ret;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Open, let it settle, return the state (and error). */
static enum player_state settle(const char *url, enum player_error *err, struct play_obs *obs)
{
    struct player *p = open_file(url, PLAYER_AUDIO_DEVICE, false);
    if (!p)
        return PLAYER_ERROR;
    enum player_state ended = PLAYER_ENDED;
    h_play(&H, p, 12.0, 1e9, h_is_settled, NULL, obs);
    enum player_state st = player_get_state(p, err);
    if (st == PLAYER_PLAYING) /* it plays what it can: let it run to its end */
        h_play(&H, p, 12.0, 1e9, h_is_state, &ended, obs);
    st = player_get_state(p, err);
    CHECK(h_close_ms(p) < 1500); /* close never waits on a dead peer */
    return st;
}

static void test_bad_media(void)
{
    char trunc[256], spoiled[256], garbage[256], unknown[256], avi[256], missing[256];
    file_path(trunc, sizeof(trunc), "trunc.mp4");
    file_path(spoiled, sizeof(spoiled), "spoiled.ts");
    file_path(garbage, sizeof(garbage), "garbage.mp4");
    file_path(avi, sizeof(avi), "mpeg4.avi");
    file_path(unknown, sizeof(unknown), "unknown.avi");
    file_path(missing, sizeof(missing), "no-such-file.mp4");
    CHECK_EQ_INT(mangle(g_short, trunc, file_size(g_short) / 2, 0, false), 0);
    CHECK_EQ_INT(mangle(g_ts, spoiled, 0, 20000, false), 0);
    FILE *f = fopen(garbage, "wb");
    for (int i = 0; f && i < 100000; i++)
        fputc((i * 7919) & 0xff, f);
    if (f)
        fclose(f);
    char *argv[] = {"ffmpeg", "-nostdin", "-v",
                    "error",  "-y",       "-f",
                    "lavfi",  "-i",       "testsrc2=size=160x90:rate=25",
                    "-t",     "1",        "-c:v",
                    "mpeg4",  "-f",       "avi",
                    avi,      NULL};
    CHECK_EQ_INT(h_run(argv), 0);
    CHECK_EQ_INT(mangle(avi, unknown, 0, 0, true), 0);

    enum player_error err;
    struct play_obs obs;
    enum player_state st = settle(trunc, &err, &obs);
    printf("# truncated mp4: %s/%s\n", player_state_name(st), player_error_name(err));
    CHECK(st == PLAYER_ENDED || (st == PLAYER_ERROR && err == PLAYER_ERR_CORRUPT));

    st = settle(spoiled, &err, &obs);
    printf("# spoiled ts: %s/%s\n", player_state_name(st), player_error_name(err));
    CHECK_EQ_INT(st, PLAYER_ENDED); /* plays around the damage */

    st = settle(garbage, &err, &obs);
    CHECK_EQ_INT(st, PLAYER_ERROR);
    CHECK_EQ_INT(err, PLAYER_ERR_CORRUPT);

    st = settle(unknown, &err, &obs);
    CHECK_EQ_INT(st, PLAYER_ERROR);
    CHECK_EQ_INT(err, PLAYER_ERR_UNSUPPORTED);

    st = settle(missing, &err, &obs);
    CHECK_EQ_INT(st, PLAYER_ERROR);
    CHECK_EQ_INT(err, PLAYER_ERR_NOT_FOUND);

    /* And the next open works. */
    struct player *p = open_file(g_short, PLAYER_AUDIO_DEVICE, false);
    CHECK(p && h_play(&H, p, 5.0, 1e9, h_has_frame, NULL, NULL));
    player_close(p);
}

static void test_open_close_at_once(void)
{
    /* Closing at every moment of opening is safe and quick. */
    double worst = 0;
    for (int i = 0; i < 8; i++) {
        struct player *p = open_file(i % 2 ? g_small : g_long, PLAYER_AUDIO_DEVICE, false);
        CHECK(p != NULL);
        if (!p)
            return;
        if (i > 0)
            h_play_for(&H, p, 0.015 * i, NULL);
        double ms = h_close_ms(p);
        if (ms > worst)
            worst = ms;
    }
    h_drain_events();
    printf("# open+close x8: slowest close %.1f ms\n", worst);
    CHECK(worst < 1500);
    CHECK(player_open(NULL) == NULL);
    struct player_options o = {0};
    CHECK(player_open(&o) == NULL);
    player_close(NULL);
}

static void test_letterbox_fit(void)
{
    SDL_Rect dst = {0, 0, 1920, 1080};
    SDL_Rect r = video_out_fit(640, 480, (AVRational){1, 1}, &dst);
    CHECK_EQ_INT(r.w, 1440);
    CHECK_EQ_INT(r.h, 1080);
    CHECK_EQ_INT(r.x, 240);
    r = video_out_fit(720, 576, (AVRational){64, 45}, &dst); /* anamorphic 16:9 PAL */
    CHECK_EQ_INT(r.w, 1920);
    CHECK_EQ_INT(r.h, 1080);
    SDL_Rect small = {100, 50, 400, 400};
    r = video_out_fit(1280, 720, (AVRational){0, 1}, &small);
    CHECK_EQ_INT(r.w, 400);
    CHECK_EQ_INT(r.h, 225);
    CHECK_EQ_INT(r.y, 50 + (400 - 225) / 2);
}

static int make_fixtures(void)
{
    file_path(g_small, sizeof(g_small), "small.mp4");
    file_path(g_short, sizeof(g_short), "short.mp4");
    file_path(g_long, sizeof(g_long), "long.mp4");
    file_path(g_720, sizeof(g_720), "hd.mp4");
    file_path(g_ts, sizeof(g_ts), "small.ts");
    file_path(g_audio, sizeof(g_audio), "tone.m4a");
    char *audio[] = {"ffmpeg", "-nostdin", "-v",
                     "error",  "-y",       "-f",
                     "lavfi",  "-i",       "sine=frequency=440:sample_rate=48000",
                     "-t",     "2",        "-c:a",
                     "aac",    "-b:a",     "64k",
                     g_audio,  NULL};
    /* Two encoders at a time (two cores). */
    pid_t a = h_make_media_start(&H, "long.mp4", "320x180", 25, 10, "mp4");
    pid_t b = h_make_media_start(&H, "hd.mp4", "1280x720", 25, 2, "mp4");
    int bad = h_make_media(&H, "small.mp4", "320x180", 25, 3, "mp4") < 0;
    bad |= h_make_media(&H, "short.mp4", "320x180", 25, 2, "mp4") < 0;
    bad |= h_make_media(&H, "small.ts", "320x180", 25, 2, "mpegts") < 0;
    bad |= h_run(audio) != 0;
    bad |= h_wait(a) != 0;
    bad |= h_wait(b) != 0;
    return bad ? -1 : 0;
}

int main(void)
{
    if (h_init(&H) < 0 || make_fixtures() < 0) {
        printf("not ok - setup: cannot make test media or start SDL\n");
        h_fini(&H);
        return 1;
    }
    RUN_SELECTED(test_letterbox_fit);
    RUN_SELECTED(test_mp4_plays_to_end_in_sync);
    RUN_SELECTED(test_720p_without_audio);
    RUN_SELECTED(test_seek_lands_near_target);
    RUN_SELECTED(test_pause_holds_position);
    RUN_SELECTED(test_resume_position);
    RUN_SELECTED(test_audio_only_runs_in_real_time);
    RUN_SELECTED(test_null_audio_no_present);
    RUN_SELECTED(test_bad_media);
    RUN_SELECTED(test_open_close_at_once);
    h_fini(&H);
    return CHECK_DONE();
}
