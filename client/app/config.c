/* The client's option table (see config.h); common/options walks it. */
#include "app/config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

enum { IN_CLI = 1, IN_FILE = 2 };
/* The OPTS_ACTION rows, told apart by name. */
static const char OPT_CONFIG[] = "config", OPT_HELP[] = "help", OPT_VERSION[] = "version";

#define TEXT(f)                                                                            \
    OPTS_TEXT, offsetof(struct app_config, f), sizeof(((struct app_config *)0)->f), 0, 0
#define NUM(type, f, lo, hi) type, offsetof(struct app_config, f), 0, lo, hi
#define FLAG(f) OPTS_BOOL, offsetof(struct app_config, f), 0, 0, 0
#define ACTION OPTS_ACTION, 0, 0, 0, 0

static const struct opts_def opts[] = {
    { OPT_CONFIG, ACTION, IN_CLI, "FILE",
      "read settings from FILE: `key = value` lines, keys as below" },
    { "server", TEXT(server), IN_CLI | IN_FILE, "URL",
      "server base URL (default https://127.0.0.1:8443); https only" },
    { "ca", TEXT(ca), IN_CLI | IN_FILE, "FILE",
      "PEM file of the CA that signed the server certificate (required)" },
    { "token-file", TEXT(token_file), IN_CLI | IN_FILE, "FILE",
      "file holding this box's device token" },
    { "token", TEXT(token), IN_FILE, "TOKEN",
      "the device token itself (config file only, never on the command line)" },
    { "font", TEXT(font), IN_CLI | IN_FILE, "FILE",
      "UI font (default fonts/NotoSansSC-DJTV.otf, else the system Noto Sans CJK)" },
    { "font-index", NUM(OPTS_INT, font_index, -1, 1000), IN_CLI | IN_FILE, "N",
      "face in a font collection (default 2 for .ttc = Simplified Chinese, else 0)" },
    { "fullscreen", FLAG(fullscreen), IN_CLI | IN_FILE, NULL,
      "fill the screen (a box: KMSDRM, no X); default a 1280x720 resizable window" },
    { "headless", FLAG(headless), IN_CLI | IN_FILE, NULL,
      "no window: SDL offscreen video driver and software renderer unless SDL_VIDEODRIVER / "
      "SDL_RENDER_DRIVER are set" },
    { "keys", TEXT(keys), IN_CLI | IN_FILE, "FILE",
      "play scripted key presses from FILE; the app exits when the script ends" },
    { "screenshot-dir", TEXT(screenshot_dir), IN_CLI | IN_FILE, "DIR",
      "write a 1920x1080 PNG per script step: DIR/NNN-<cmd>.png (without --keys: per "
      "presented frame, DIR/frame-NNNN.png)" },
    { "dump-ui", TEXT(dump_ui), IN_CLI | IN_FILE, "FILE",
      "write one JSON line per script step: screen, focus, overlays, texts (without --keys: "
      "per presented frame)" },
    { "log-level", NUM(OPTS_LEVEL, log_level, 0, 0), IN_CLI | IN_FILE, "LEVEL",
      "error, warn, info (default) or debug" },
    { "play", TEXT(play), IN_CLI, "URL",
      "player mode: play URL (https://, udp://, rtp://, a file) full screen and exit at its "
      "end, after --play-seconds, on Back or on SIGTERM" },
    { "play-seconds", NUM(OPTS_INT64, play_seconds, 0, 1LL << 53), IN_CLI, "N",
      "player mode: stop after N seconds of media" },
    { "play-no-present", FLAG(play_no_present), IN_CLI, NULL,
      "player mode: decode and time the video but present no frames" },
    { "play-title", TEXT(play_title), IN_CLI, "TEXT", "player mode: the title shown on screen" },
    { "play-item", NUM(OPTS_INT64, play_item, 0, 1LL << 53), IN_CLI, "ID",
      "player mode: URL is catalogue item ID: offer to resume, save the position" },
    { "play-broadcast", NUM(OPTS_INT64, play_broadcast, 0, 1LL << 53), IN_CLI, "ID",
      "player mode: URL is live broadcast ID: send playback heartbeats" },
    { "play-replay", TEXT(play_replay), IN_CLI, "URL",
      "player mode: the broadcast's recording, offered when the broadcast ends" },
    { "play-fallback", TEXT(play_fallback), IN_CLI, "URL",
      "player mode: URL is a multicast group; play this (HTTPS) when the group is silent" },
    { "speech-data", TEXT(speech_data), IN_CLI | IN_FILE, "DIR",
      "read-aloud: espeak-ng data directory (default: the system's espeak-ng-data)" },
    { "speech-rate", NUM(OPTS_INT, speech_rate, -1, 1000), IN_CLI | IN_FILE, "WPM",
      "read-aloud: speaking rate in words per minute (default 130, slower than usual)" },
    { "data-dir", TEXT(data_dir), IN_CLI | IN_FILE, "DIR",
      "what the box keeps across a power cut: the last answers (shown as 离线 when the server "
      "cannot be reached), what a member sends while offline (sent when it is back) and the "
      "answers of a quiz in progress; default: none kept" },
    { "idle-seconds", NUM(OPTS_INT, idle_seconds, -1, 1000), IN_CLI | IN_FILE, "N",
      "dim the screen after N seconds without a key, not during video (default 600; 0 never)" },
    { "activity-room", FLAG(activity_room), IN_CLI | IN_FILE, NULL,
      "this is the village's activity-room box: the home screen shows that MENU opens cadre "
      "mode (it opens on any box)" },
    { "cast-program", TEXT(cast_program), IN_CLI | IN_FILE, "FILE",
      "cadre mode: the djtv-cast program that sends the meeting (default: beside djtv)" },
    { "cast-input", TEXT(cast_input), IN_CLI | IN_FILE, "INPUT",
      "cadre mode: what the meeting sends: a camera /dev/videoN, or `pattern` (the test "
      "pattern); default the camera found (a choice when there are several)" },
    { "cast-args", TEXT(cast_args), IN_CLI | IN_FILE, "ARGS",
      "cadre mode: more djtv-cast arguments, separated by spaces (e.g. `--bitrate 800` for a "
      "slow uplink)" },
    { "cadre-idle-seconds", NUM(OPTS_INT, cadre_idle_seconds, -1, 1000), IN_CLI | IN_FILE, "N",
      "cadre mode: log the cadre out after N seconds without a key, unless a meeting is being "
      "sent (default 300)" },
    { "ask-viewers", FLAG(ask_viewers), IN_CLI | IN_FILE, NULL,
      "ask \"谁在看？\" after the home screen loads when the household has several members "
      "(default yes; --ask-viewers=no skips it)" },
    { "viewers-minutes", NUM(OPTS_INT, viewers_minutes, -1, 1000), IN_CLI | IN_FILE, "N",
      "forget who is watching after N minutes without a key (default 120; 0 never)" },
    { OPT_HELP, ACTION, IN_CLI, NULL, "show this help and exit" },
    { OPT_VERSION, ACTION, IN_CLI, NULL, "show the version and exit" },
};
#undef TEXT
#undef NUM
#undef FLAG
#undef ACTION

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static void set_defaults(struct app_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->server, sizeof(cfg->server), "https://127.0.0.1:8443");
    cfg->font_index = -1;
    cfg->log_level = LOG_INFO;
    cfg->idle_seconds = 600;
    cfg->cadre_idle_seconds = 300;
    cfg->ask_viewers = 1;
    cfg->viewers_minutes = 120;
}

int config_set(struct app_config *cfg, const char *key, const char *value, char *err,
               size_t errlen)
{
    const struct opts_def *o = opts_find(opts, N_OPTS, key, strlen(key));
    if (!o || !(o->scope & IN_FILE)) {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -EINVAL;
    }
    return opts_set(o, cfg, value, err, errlen);
}

static int file_setting(void *cfg, const char *key, const char *value, char *why,
                        size_t whylen)
{
    return config_set(cfg, key, value, why, whylen);
}

int config_load_file(struct app_config *cfg, const char *path, char *err, size_t errlen)
{
    return opts_read_file(path, file_setting, cfg, err, errlen);
}

void config_usage(FILE *out)
{
    fprintf(out, "Usage: djtv [options]\n"
                 "DJTV TV client: the home screen of the party-education set-top box.\n\n");
    for (size_t i = 0; i < N_OPTS; i++) {
        char left[64];
        if (!(opts[i].scope & IN_CLI))
            snprintf(left, sizeof(left), "(file) %s =", opts[i].name);
        else
            opts_usage_left(&opts[i], left, sizeof(left));
        opts_usage_line(out, 26, left, opts[i].help, NULL);
    }
    fprintf(out, "\nConfig file keys are the long option names (token too); flags win over the\n"
                 "file. Relative paths are relative to the current directory.\n");
}

/* The command-line option ARG names ("--name" or "--name=value", value in *inline_value),
 * or NULL. */
static const struct opts_def *cli_opt(const char *arg, const char **inline_value)
{
    const char *name;
    size_t len;
    if (opts_flag(arg, &name, &len, inline_value) < 0)
        return NULL;
    const struct opts_def *o = opts_find(opts, N_OPTS, name, len);
    return (o && (o->scope & IN_CLI)) ? o : NULL;
}

int config_parse(int argc, char **argv, struct app_config *cfg, FILE *out, char *err,
                 size_t errlen)
{
    set_defaults(cfg);
    /* First pass: --help / --version win; find --config so flags can override it. */
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const struct opts_def *o = cli_opt(argv[i], &v);
        if (!o)
            continue;
        if (o->name == OPT_HELP) {
            config_usage(out);
            return CONFIG_EXIT;
        }
        if (o->name == OPT_VERSION) {
            fprintf(out, "djtv %s\n", DJTV_VERSION);
            return CONFIG_EXIT;
        }
        if (o->name == OPT_CONFIG) {
            v = opts_flag_value(argc, argv, &i, v);
            if (!v) {
                snprintf(err, errlen, "--config needs a value");
                return -EINVAL;
            }
            int rc = config_load_file(cfg, v, err, errlen);
            if (rc < 0)
                return rc;
            snprintf(cfg->config, sizeof(cfg->config), "%s", v);
        } else if (o->type != OPTS_BOOL && !v) {
            i++; /* skip its value */
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const struct opts_def *o = cli_opt(argv[i], &v);
        if (!o) {
            snprintf(err, errlen, "%s '%s' (see --help)",
                     strncmp(argv[i], "--", 2) == 0 ? "unknown option" : "unexpected argument",
                     argv[i]);
            return -EINVAL;
        }
        if (o->name == OPT_CONFIG) {
            if (!v)
                i++;
            continue;
        }
        if (o->type == OPTS_BOOL && !v)
            v = "yes";
        v = opts_flag_value(argc, argv, &i, v);
        if (!v) {
            snprintf(err, errlen, "--%s needs a value", o->name);
            return -EINVAL;
        }
        int rc = opts_set(o, cfg, v, err, errlen);
        if (rc < 0)
            return rc;
    }
    return CONFIG_RUN;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* An empty or missing-line token file is not fatal: the box is simply not registered yet,
 * which the home screen tells the user. An unreadable one is a setup error. */
static int read_token(struct app_config *cfg, char *err, size_t errlen)
{
    FILE *f = fopen(cfg->token_file, "r");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "token file %s: %s", cfg->token_file, strerror(e));
        return -e;
    }
    char line[CONFIG_TOKEN_MAX + 2];
    int rc = 0;
    cfg->token[0] = '\0';
    if (!fgets(line, sizeof(line), f))
        goto done;
    char *t = trim(line);
    if (strlen(t) >= sizeof(cfg->token)) {
        snprintf(err, errlen, "token file %s: the token is too long", cfg->token_file);
        rc = -EINVAL;
        goto done;
    }
    memcpy(cfg->token, t, strlen(t) + 1);
done:
    memset(line, 0, sizeof(line)); /* do not leave the secret on the stack */
    fclose(f);
    return rc;
}

static int readable(const char *path)
{
    return access(path, R_OK) == 0;
}

static void default_font(struct app_config *cfg)
{
    static const char shipped[] = "fonts/NotoSansSC-DJTV.otf";
    static const char system_cjk[] = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    if (readable(shipped)) {
        snprintf(cfg->font, sizeof(cfg->font), "%s", shipped);
        return;
    }
    /* Next to the binary: build/djtv -> fonts/ in the source tree. */
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char cand[PATH_MAX + 64];
            snprintf(cand, sizeof(cand), "%s/../%s", exe, shipped);
            size_t n_cand = strlen(cand);
            if (readable(cand) && n_cand < sizeof(cfg->font)) {
                memcpy(cfg->font, cand, n_cand + 1);
                return;
            }
        }
    }
    snprintf(cfg->font, sizeof(cfg->font), "%s", system_cjk);
}

int config_finish(struct app_config *cfg, char *err, size_t errlen)
{
    if (strncmp(cfg->server, "https://", 8) != 0 || !cfg->server[8]) {
        snprintf(err, errlen, "server must be an https:// URL, got '%s'", cfg->server);
        return -EINVAL;
    }
    size_t n = strlen(cfg->server);
    while (n > 8 && cfg->server[n - 1] == '/')
        cfg->server[--n] = '\0';
    /* Player mode needs the CA only for https media (a local file or udp:// needs none). */
    int ca_optional = cfg->play[0] && strncmp(cfg->play, "https://", 8) != 0 &&
                      (!cfg->play_replay[0] || strncmp(cfg->play_replay, "https://", 8) != 0) &&
                      (!cfg->play_fallback[0] || strncmp(cfg->play_fallback, "https://", 8) != 0);
    if (!cfg->ca[0] && !ca_optional) {
        snprintf(err, errlen, "no CA file: give --ca FILE or `ca = FILE` in the config");
        return -EINVAL;
    }
    if (cfg->ca[0] && !readable(cfg->ca)) {
        int e = errno;
        snprintf(err, errlen, "CA file %s: %s", cfg->ca, strerror(e));
        return -e;
    }
    if (cfg->token_file[0]) {
        int rc = read_token(cfg, err, errlen);
        if (rc < 0)
            return rc;
    }
    if (!cfg->font[0])
        default_font(cfg);
    return 0;
}
