#include "app/config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum opt_type {
    OPT_STRING,
    OPT_BOOL,
    OPT_INT,
    OPT_LONG, /* int64_t, 0 .. 2^53 */
    OPT_LEVEL,
    OPT_CONFIG,
    OPT_HELP,
    OPT_VERSION
};
enum { IN_CLI = 1, IN_FILE = 2 };

struct opt_def {
    const char *name; /* long option name; the config key is the same ('-' or '_') */
    enum opt_type type;
    size_t off;  /* field in struct app_config */
    size_t size; /* for strings */
    unsigned where;
    const char *arg;
    const char *help;
};

#define FIELD(f) offsetof(struct app_config, f), sizeof(((struct app_config *)0)->f)

static const struct opt_def opts[] = {
    { "config", OPT_CONFIG, FIELD(config), IN_CLI, "FILE",
      "read settings from FILE: `key = value` lines, keys as below" },
    { "server", OPT_STRING, FIELD(server), IN_CLI | IN_FILE, "URL",
      "server base URL (default https://127.0.0.1:8443); https only" },
    { "ca", OPT_STRING, FIELD(ca), IN_CLI | IN_FILE, "FILE",
      "PEM file of the CA that signed the server certificate (required)" },
    { "token-file", OPT_STRING, FIELD(token_file), IN_CLI | IN_FILE, "FILE",
      "file holding this box's device token" },
    { "token", OPT_STRING, FIELD(token), IN_FILE, "TOKEN",
      "the device token itself (config file only, never on the command line)" },
    { "font", OPT_STRING, FIELD(font), IN_CLI | IN_FILE, "FILE",
      "UI font (default fonts/NotoSansSC-DJTV.otf, else the system Noto Sans CJK)" },
    { "font-index", OPT_INT, offsetof(struct app_config, font_index), 0, IN_CLI | IN_FILE, "N",
      "face in a font collection (default 2 for .ttc = Simplified Chinese, else 0)" },
    { "fullscreen", OPT_BOOL, offsetof(struct app_config, fullscreen), 0, IN_CLI | IN_FILE, NULL,
      "fill the screen (a box: KMSDRM, no X); default a 1280x720 resizable window" },
    { "headless", OPT_BOOL, offsetof(struct app_config, headless), 0, IN_CLI | IN_FILE, NULL,
      "no window: SDL offscreen video driver and software renderer unless SDL_VIDEODRIVER / "
      "SDL_RENDER_DRIVER are set" },
    { "keys", OPT_STRING, FIELD(keys), IN_CLI | IN_FILE, "FILE",
      "play scripted key presses from FILE; the app exits when the script ends" },
    { "screenshot-dir", OPT_STRING, FIELD(screenshot_dir), IN_CLI | IN_FILE, "DIR",
      "write a 1920x1080 PNG per script step: DIR/NNN-<cmd>.png" },
    { "dump-ui", OPT_STRING, FIELD(dump_ui), IN_CLI | IN_FILE, "FILE",
      "write one JSON line per script step: screen, focus, overlays, texts" },
    { "log-level", OPT_LEVEL, offsetof(struct app_config, log_level), 0, IN_CLI | IN_FILE,
      "LEVEL", "error, warn, info (default) or debug" },
    { "play", OPT_STRING, FIELD(play), IN_CLI, "URL",
      "player mode: play URL (https://, udp://, rtp://, a file) full screen and exit at its "
      "end, after --play-seconds, on Back or on SIGTERM" },
    { "play-seconds", OPT_LONG, offsetof(struct app_config, play_seconds), 0, IN_CLI, "N",
      "player mode: stop after N seconds of media" },
    { "play-no-present", OPT_BOOL, offsetof(struct app_config, play_no_present), 0, IN_CLI,
      NULL, "player mode: decode and time the video but present no frames" },
    { "play-title", OPT_STRING, FIELD(play_title), IN_CLI, "TEXT",
      "player mode: the title shown on screen" },
    { "play-item", OPT_LONG, offsetof(struct app_config, play_item), 0, IN_CLI, "ID",
      "player mode: URL is catalogue item ID: offer to resume, save the position" },
    { "play-broadcast", OPT_LONG, offsetof(struct app_config, play_broadcast), 0, IN_CLI,
      "ID", "player mode: URL is live broadcast ID: send playback heartbeats" },
    { "play-replay", OPT_STRING, FIELD(play_replay), IN_CLI, "URL",
      "player mode: the broadcast's recording, offered when the broadcast ends" },
    { "play-fallback", OPT_STRING, FIELD(play_fallback), IN_CLI, "URL",
      "player mode: URL is a multicast group; play this (HTTPS) when the group is silent" },
    { "speech-data", OPT_STRING, FIELD(speech_data), IN_CLI | IN_FILE, "DIR",
      "read-aloud: espeak-ng data directory (default: the system's espeak-ng-data)" },
    { "speech-rate", OPT_INT, offsetof(struct app_config, speech_rate), 0, IN_CLI | IN_FILE,
      "WPM", "read-aloud: speaking rate in words per minute (default 130, slower than usual)" },
    { "data-dir", OPT_STRING, FIELD(data_dir), IN_CLI | IN_FILE, "DIR",
      "what the box keeps across a power cut: the last answers (shown as 离线 when the server "
      "cannot be reached), what a member sends while offline (sent when it is back) and the "
      "answers of a quiz in progress; default: none kept" },
    { "idle-seconds", OPT_INT, offsetof(struct app_config, idle_seconds), 0, IN_CLI | IN_FILE,
      "N", "dim the screen after N seconds without a key, not during video (default 600; 0 never)" },
    { "activity-room", OPT_BOOL, offsetof(struct app_config, activity_room), 0,
      IN_CLI | IN_FILE, NULL, "this is the village's activity-room box: the home screen shows "
      "that MENU opens cadre mode (it opens on any box)" },
    { "cast-program", OPT_STRING, FIELD(cast_program), IN_CLI | IN_FILE, "FILE",
      "cadre mode: the djtv-cast program that sends the meeting (default: beside djtv)" },
    { "cast-input", OPT_STRING, FIELD(cast_input), IN_CLI | IN_FILE, "INPUT",
      "cadre mode: what the meeting sends: a camera /dev/videoN, or `pattern` (the test "
      "pattern); default the camera found (a choice when there are several)" },
    { "cast-args", OPT_STRING, FIELD(cast_args), IN_CLI | IN_FILE, "ARGS",
      "cadre mode: more djtv-cast arguments, separated by spaces (e.g. `--bitrate 800` for a "
      "slow uplink)" },
    { "cadre-idle-seconds", OPT_INT, offsetof(struct app_config, cadre_idle_seconds), 0,
      IN_CLI | IN_FILE, "N", "cadre mode: log the cadre out after N seconds without a key, "
      "unless a meeting is being sent (default 300)" },
    { "ask-viewers", OPT_BOOL, offsetof(struct app_config, ask_viewers), 0, IN_CLI | IN_FILE,
      NULL, "ask \"谁在看？\" after the home screen loads when the household has several "
      "members (default yes; --ask-viewers=no skips it)" },
    { "viewers-minutes", OPT_INT, offsetof(struct app_config, viewers_minutes), 0,
      IN_CLI | IN_FILE, "N", "forget who is watching after N minutes without a key "
      "(default 120; 0 never)" },
    { "help", OPT_HELP, 0, 0, IN_CLI, NULL, "show this help and exit" },
    { "version", OPT_VERSION, 0, 0, IN_CLI, NULL, "show the version and exit" },
};

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

/* Option names match with '-' and '_' treated alike. */
static int name_eq(const char *a, const char *b, size_t blen)
{
    size_t i = 0;
    for (; a[i] && i < blen; i++) {
        char ca = a[i] == '_' ? '-' : a[i], cb = b[i] == '_' ? '-' : b[i];
        if (ca != cb)
            return 0;
    }
    return a[i] == '\0' && i == blen;
}

static const struct opt_def *find_opt(const char *name, size_t len)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        if (name_eq(opts[i].name, name, len))
            return &opts[i];
    }
    return NULL;
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = { "1", "yes", "true", "on" };
    static const char *const no[] = { "0", "no", "false", "off" };
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -EINVAL;
}

static int apply(struct app_config *cfg, const struct opt_def *o, const char *value, char *err,
                 size_t errlen)
{
    char *base = (char *)cfg;
    switch (o->type) {
    case OPT_STRING:
    case OPT_CONFIG:
        if (strlen(value) >= o->size) {
            snprintf(err, errlen, "%s: value too long", o->name);
            return -EINVAL;
        }
        memcpy(base + o->off, value, strlen(value) + 1);
        return 0;
    case OPT_BOOL:
        if (parse_bool(value, (int *)(void *)(base + o->off)) < 0) {
            snprintf(err, errlen, "%s: expected yes or no, got '%s'", o->name, value);
            return -EINVAL;
        }
        return 0;
    case OPT_INT: {
        char *end = NULL;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (errno || end == value || *end || v < -1 || v > 1000) {
            snprintf(err, errlen, "%s: expected a small number, got '%s'", o->name, value);
            return -EINVAL;
        }
        *(int *)(void *)(base + o->off) = (int)v;
        return 0;
    }
    case OPT_LONG: {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end || v < 0 || v > (1LL << 53)) {
            snprintf(err, errlen, "%s: expected a whole number, got '%s'", o->name, value);
            return -EINVAL;
        }
        *(int64_t *)(void *)(base + o->off) = (int64_t)v;
        return 0;
    }
    case OPT_LEVEL:
        if (log_level_parse(value, (enum log_level *)(void *)(base + o->off)) < 0) {
            snprintf(err, errlen, "%s: expected error, warn, info or debug, got '%s'", o->name,
                     value);
            return -EINVAL;
        }
        return 0;
    default:
        snprintf(err, errlen, "%s: not a setting", o->name);
        return -EINVAL;
    }
}

int config_set(struct app_config *cfg, const char *key, const char *value, char *err,
               size_t errlen)
{
    const struct opt_def *o = find_opt(key, strlen(key));
    if (!o || !(o->where & IN_FILE)) {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -EINVAL;
    }
    return apply(cfg, o, value, err, errlen);
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

int config_load_file(struct app_config *cfg, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", path, strerror(e));
        return -e;
    }
    char line[2048];
    int lineno = 0, rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, errlen, "%s:%d: line too long", path, lineno);
            rc = -EINVAL;
            goto fail;
        }
        char *s = trim(line);
        if (!s[0] || s[0] == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected `key = value`", path, lineno);
            rc = -EINVAL;
            goto fail;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        size_t vn = strlen(value);
        if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
            value[vn - 1] = '\0';
            value++;
        }
        char why[256];
        if (config_set(cfg, key, value, why, sizeof(why)) < 0) {
            snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
            rc = -EINVAL;
            goto fail;
        }
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -EIO;
    }
fail:
    fclose(f);
    return rc;
}

void config_usage(FILE *out)
{
    fprintf(out, "Usage: djtv [options]\n"
                 "DJTV TV client: the home screen of the party-education set-top box.\n\n");
    for (size_t i = 0; i < N_OPTS; i++) {
        char left[64];
        if (!(opts[i].where & IN_CLI)) {
            snprintf(left, sizeof(left), "  (file) %s =", opts[i].name);
        } else if (opts[i].arg) {
            snprintf(left, sizeof(left), "  --%s %s", opts[i].name, opts[i].arg);
        } else {
            snprintf(left, sizeof(left), "  --%s", opts[i].name);
        }
        fprintf(out, "%-28s %s\n", left, opts[i].help);
    }
    fprintf(out, "\nConfig file keys are the long option names (token too); flags win over the\n"
                 "file. Relative paths are relative to the current directory.\n");
}

/* Split "--name=value" / "--name value". Returns the option or NULL. */
static const struct opt_def *cli_opt(const char *arg, const char **inline_value)
{
    if (strncmp(arg, "--", 2) != 0)
        return NULL;
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    *inline_value = eq ? eq + 1 : NULL;
    const struct opt_def *o = find_opt(name, eq ? (size_t)(eq - name) : strlen(name));
    return (o && (o->where & IN_CLI)) ? o : NULL;
}

int config_parse(int argc, char **argv, struct app_config *cfg, FILE *out, char *err,
                 size_t errlen)
{
    set_defaults(cfg);
    /* First pass: --help / --version win; find --config so flags can override it. */
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const struct opt_def *o = cli_opt(argv[i], &v);
        if (!o)
            continue;
        if (o->type == OPT_HELP) {
            config_usage(out);
            return CONFIG_EXIT;
        }
        if (o->type == OPT_VERSION) {
            fprintf(out, "djtv %s\n", DJTV_VERSION);
            return CONFIG_EXIT;
        }
        if (o->type == OPT_CONFIG) {
            if (!v && i + 1 < argc)
                v = argv[++i];
            if (!v) {
                snprintf(err, errlen, "--config needs a value");
                return -EINVAL;
            }
            int rc = config_load_file(cfg, v, err, errlen);
            if (rc < 0)
                return rc;
            snprintf(cfg->config, sizeof(cfg->config), "%s", v);
        } else if (o->type != OPT_BOOL && !v) {
            i++; /* skip its value */
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        const struct opt_def *o = cli_opt(argv[i], &v);
        if (!o) {
            snprintf(err, errlen, "%s '%s' (see --help)",
                     strncmp(argv[i], "--", 2) == 0 ? "unknown option" : "unexpected argument",
                     argv[i]);
            return -EINVAL;
        }
        if (o->type == OPT_CONFIG) {
            if (!v)
                i++;
            continue;
        }
        if (o->type == OPT_BOOL && !v)
            v = "yes";
        if (!v) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "--%s needs a value", o->name);
                return -EINVAL;
            }
            v = argv[++i];
        }
        int rc = apply(cfg, o, v, err, errlen);
        if (rc < 0)
            return rc;
    }
    return CONFIG_RUN;
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
