/* djtv-cast: publish a live broadcast to the DJTV server.
 *
 *   djtv-cast --server https://HOST:PORT --ca ca.pem --broadcast ID --key-file KEY
 *             [--input pattern|camera|FILE|URL] [--loop] [--video-device /dev/video0]
 *             [--audio-device default] [--size 1280x720] [--fps 30] [--bitrate 1500]
 *             [--preset veryfast] [--segment-ms 500] [--buffer-seconds 60] [--seconds N]
 *             [--multicast udp://239.255.42.1:5004] [--status-file PATH]
 *             [--preview-file PATH.bmp]
 *
 * The publishing key comes from a file (or DJTV_PUBLISH_KEY) so it never shows in `ps`.
 * Once a second a line on the terminal says how the uplink is doing. Exit: 0 done (SIGINT,
 * SIGTERM, --seconds, the file ended), 1 failed, 2 bad command line, 3 the server refused. */
#define LOG_TAG "cast"
#include "cast.h"

#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/time.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fputs("usage: djtv-cast --server https://HOST:PORT --ca CA.pem --broadcast ID --key-file FILE\n"
          "  [--input pattern|camera|FILE|URL] [--loop] [--video-device DEV] [--audio-device DEV]\n"
          "  [--size WxH] [--fps N] [--bitrate KBIT/S] [--preset X264PRESET]\n"
          "  [--segment-ms 200..1000] [--buffer-seconds N] [--seconds N] [--multicast udp://GROUP:PORT]\n"
          "  [--status-file PATH] [--preview-file PATH.bmp] [--log-level error|warn|info|debug]\n", f);
}

static int read_key(const char *path, char *out, size_t cap)
{
    const char *env = getenv("DJTV_PUBLISH_KEY");
    if (!path && env) {
        snprintf(out, cap, "%s", env);
        return 0;
    }
    if (!path)
        return -EINVAL;
    FILE *f = fopen(path, "r");
    if (!f)
        return -errno;
    size_t n = fread(out, 1, cap - 1, f);
    fclose(f);
    out[n] = '\0';
    out[strcspn(out, " \t\r\n")] = '\0';
    for (const char *p = out; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return -EINVAL;
    return out[0] ? 0 : -EINVAL;
}

static int parse_args(int argc, char **argv, struct cast_options *o, int *log_level)
{
    static const struct option opts[] = {
        { "server", required_argument, NULL, 's' },   { "ca", required_argument, NULL, 'c' },
        { "broadcast", required_argument, NULL, 'b' }, { "key-file", required_argument, NULL, 'k' },
        { "input", required_argument, NULL, 'i' },    { "loop", no_argument, NULL, 'l' },
        { "video-device", required_argument, NULL, 'V' },
        { "audio-device", required_argument, NULL, 'A' },
        { "size", required_argument, NULL, 'z' },     { "fps", required_argument, NULL, 'f' },
        { "bitrate", required_argument, NULL, 'r' },  { "preset", required_argument, NULL, 'p' },
        { "buffer-seconds", required_argument, NULL, 'B' },
        { "segment-ms", required_argument, NULL, 'G' },
        { "seconds", required_argument, NULL, 't' },  { "multicast", required_argument, NULL, 'm' },
        { "status-file", required_argument, NULL, 'S' },
        { "preview-file", required_argument, NULL, 'P' },
        { "log-level", required_argument, NULL, 'L' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 's': o->server = optarg; break;
        case 'c': o->ca = optarg; break;
        case 'b': o->broadcast_id = strtoll(optarg, NULL, 10); break;
        case 'k': o->key_file = optarg; break;
        case 'i': o->input = optarg; break;
        case 'l': o->loop = 1; break;
        case 'V': o->video_dev = optarg; break;
        case 'A': o->audio_dev = optarg; break;
        case 'z':
            if (sscanf(optarg, "%dx%d", &o->width, &o->height) != 2)
                return -EINVAL;
            break;
        case 'f': o->fps = atoi(optarg); break;
        case 'r': o->bitrate_kbps = atoi(optarg); break;
        case 'p': o->preset = optarg; break;
        case 'B': o->buffer_s = atoi(optarg); break;
        case 'G': o->segment_ms = atoi(optarg); break;
        case 't': o->seconds = atoi(optarg); break;
        case 'm': o->multicast = optarg; break;
        case 'S': o->status_file = optarg; break;
        case 'P': o->preview_file = optarg; break;
        case 'L':
            if (log_level_parse(optarg, (enum log_level *)log_level) < 0)
                return -EINVAL;
            break;
        case 'h': usage(stdout); exit(0);
        default: return -EINVAL;
        }
    }
    if (optind != argc || !o->server || strncmp(o->server, "https://", 8) != 0 || !o->ca ||
        o->broadcast_id <= 0)
        return -EINVAL;
    if (o->width < 160 || o->height < 120 || o->width > 3840 || o->height > 2160 ||
        o->width % 2 || o->height % 2 || o->fps < 1 || o->fps > 60 || o->bitrate_kbps < 100 ||
        o->bitrate_kbps > 20000 || o->buffer_s < 1 || o->buffer_s > 600 || o->seconds < 0 ||
        o->segment_ms < 200 || o->segment_ms > 1000)
        return -EINVAL;
    if (o->multicast && strncmp(o->multicast, "udp://", 6) != 0)
        return -EINVAL;
    return 0;
}

/* The terminal line, and the status file for tools (written to a temp name, then renamed). */
static void report(const struct cast_options *o, struct uplink *up, struct pipeline *p,
                   double secs)
{
    struct uplink_stats s;
    uplink_stats(up, &s);
    fprintf(stderr, "%s 直播 %.0f 秒 | 上传%s | 已发送 %lld 段 %.1f MB | 排队 %lld 段 | 丢弃 %lld 段 | 重连 %d 次%s",
            isatty(2) ? "\r" : "", secs,
            s.refused                           ? "被拒绝"
            : s.up                              ? "正常"
            : !s.sent && !s.last_error[0] ? "连接中"
                                                : "中断，正在重试",
            (long long)s.sent, (double)s.sent_bytes / 1e6, (long long)s.queued,
            (long long)s.dropped, s.reconnects, isatty(2) ? "   " : "\n");
    if (!o->status_file)
        return;
    char tmp[1024];
    snprintf(tmp, sizeof(tmp), "%s.tmp", o->status_file);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    char err[sizeof(s.last_error) * 2];
    size_t j = 0;
    for (size_t i = 0; s.last_error[i] && j + 2 < sizeof(err); i++) {
        char ch = s.last_error[i];
        if (ch == '"' || ch == '\\')
            err[j++] = '\\';
        err[j++] = (ch >= 0 && ch < 0x20) ? ' ' : ch;
    }
    err[j] = '\0';
    fprintf(f, "{\"seconds\":%.1f,\"frames\":%lld,\"up\":%s,\"refused\":%s,\"sent\":%lld,"
               "\"sent_bytes\":%lld,\"queued\":%lld,\"dropped\":%lld,\"reconnects\":%d,"
               "\"last_seq\":%lld,\"error\":\"%s\"}\n",
            secs, (long long)pipeline_frames(p), s.up ? "true" : "false",
            s.refused ? "true" : "false", (long long)s.sent, (long long)s.sent_bytes,
            (long long)s.queued, (long long)s.dropped, s.reconnects, (long long)s.last_seq, err);
    fclose(f);
    rename(tmp, o->status_file);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Feed stereo samples (the tone, or silence when TONE is 0) up to media time T_US. */
static int feed_audio(struct pipeline *p, AVFrame *a, int64_t *pos, int64_t t_us, int tone)
{
    int64_t due = av_rescale(t_us, CAST_SAMPLE_RATE, 1000000);
    while (*pos < due) {
        int n = (int)(due - *pos > a->nb_samples ? a->nb_samples : due - *pos);
        int rc = av_frame_make_writable(a);
        if (rc < 0)
            return rc;
        if (tone)
            pattern_tone(a, *pos, n);
        else
            for (int c = 0; c < CAST_CHANNELS; c++)
                memset(a->data[c], 0, (size_t)n * sizeof(float));
        int keep = a->nb_samples;
        a->nb_samples = n;
        rc = pipeline_audio(p, a);
        a->nb_samples = keep;
        if (rc < 0)
            return rc;
        *pos += n;
    }
    return 0;
}

static AVFrame *audio_frame(void)
{
    AVFrame *a = av_frame_alloc();
    if (!a)
        return NULL;
    a->format = AV_SAMPLE_FMT_FLTP;
    a->sample_rate = CAST_SAMPLE_RATE;
    a->nb_samples = 1024;
    av_channel_layout_default(&a->ch_layout, CAST_CHANNELS);
    if (av_frame_get_buffer(a, 0) < 0)
        av_frame_free(&a);
    return a;
}

/* The main loop: the test pattern drawn here, or a capture running on its own threads (with
 * silence fed here when it has no sound). Reports once a second. */
static int run(const struct cast_options *o, struct pipeline *p, struct uplink *up)
{
    int pattern = strcmp(o->input, "pattern") == 0;
    struct capture *cap = NULL;
    AVFrame *v = av_frame_alloc(), *a = audio_frame();
    int rc = v && a ? 0 : -ENOMEM;
    if (rc == 0 && pattern) {
        v->format = AV_PIX_FMT_YUV420P;
        v->width = o->width;
        v->height = o->height;
        rc = av_frame_get_buffer(v, 0);
    } else if (rc == 0) {
        rc = capture_start(o, p, &cap);
    }
    int silent = cap && !capture_has_audio(cap);
    int64_t t0 = av_gettime_relative(), next_report = 1000000, samples = 0;
    for (int64_t n = 0; rc >= 0 && !g_stop; n++) {
        int64_t due = pattern ? av_rescale(n, 1000000, o->fps) : n * 20000; /* 20 ms ticks */
        if (o->seconds && due >= (int64_t)o->seconds * 1000000)
            break;
        int64_t wait = t0 + due - av_gettime_relative();
        if (wait > 0)
            av_usleep((unsigned)wait);
        if (pattern) {
            rc = av_frame_make_writable(v);
            if (rc < 0)
                break;
            pattern_draw(v, wall_ms(), n);
            rc = pipeline_video(p, v, n);
            if (rc >= 0)
                rc = feed_audio(p, a, &samples, av_rescale(n + 1, 1000000, o->fps), 1);
        } else {
            if (!capture_running(cap))
                break;
            if (silent)
                rc = feed_audio(p, a, &samples, av_gettime_relative() - t0, 0);
        }
        if (uplink_refused(up))
            break;
        if (av_gettime_relative() - t0 >= next_report) {
            report(o, up, p, (double)next_report / 1e6);
            next_report += 1000000;
        }
    }
    capture_stop(cap);
    av_frame_free(&v);
    av_frame_free(&a);
    return rc;
}

int main(int argc, char **argv)
{
    struct cast_options o = {
        .input = "pattern", .video_dev = "/dev/video0", .audio_dev = "default",
        .width = 1280, .height = 720, .fps = 30, .bitrate_kbps = 1500, .preset = "veryfast",
        /* Half-second segments: a box joins at the newest one and polls the playlist about
         * once a segment, so both waits are half what 1 s segments cost (measured in
         * tests/bench/live.py: glass to glass over HTTPS ~1.2 s instead of ~2 s). */
        .segment_ms = 500,
        .buffer_s = 60,
    };
    int level = LOG_INFO;
    if (parse_args(argc, argv, &o, &level) < 0) {
        usage(stderr);
        return 2;
    }
    log_set_level((enum log_level)level);
    av_log_set_level(level >= LOG_DEBUG ? AV_LOG_INFO : AV_LOG_ERROR);
    char key[128];
    int rc = read_key(o.key_file, key, sizeof(key));
    if (rc < 0) {
        log_error("no publishing key: give --key-file (a file with the key the server showed at "
                  "the start of the broadcast) or DJTV_PUBLISH_KEY");
        return 2;
    }
    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    avformat_network_init();
    curl_global_init(CURL_GLOBAL_DEFAULT);

    struct uplink *up = NULL;
    struct pipeline *p = NULL;
    rc = uplink_create(&o, key, &up);
    memset(key, 0, sizeof(key));
    if (rc == 0)
        rc = pipeline_create(&o, up, &p);
    if (rc == 0) {
        log_info("publishing broadcast %lld to %s: %s, %dx%d at %d fps, %d kbit/s%s%s",
                 (long long)o.broadcast_id, o.server, o.input, o.width, o.height, o.fps,
                 o.bitrate_kbps, o.multicast ? ", multicast " : "", o.multicast ? o.multicast : "");
        rc = run(&o, p, up);
        pipeline_finish(p);
    }
    int refused = up && uplink_refused(up);
    if (up) {
        uplink_destroy(up, refused ? 0 : 5000);
        up = NULL;
    }
    pipeline_destroy(p);
    curl_global_cleanup();
    avformat_network_deinit();
    if (refused)
        return 3;
    if (rc < 0) {
        log_error("djtv-cast stopped: %s", av_err2str(rc));
        return 1;
    }
    log_info("djtv-cast done");
    return 0;
}
