/* Cadre mode sends the monthly meeting from the activity room in one action: 开始会议 makes
 * the broadcast (POST /broadcasts, then …/start for its publishing key) and runs djtv-cast as
 * a child with the camera found (a choice when there are several; a configured input such as
 * the test pattern where there is no camera). Its uplink state and a small preview of what is
 * sent show on the screen. 结束会议 asks djtv-cast to end (it sends its last segment), then
 * stops the broadcast, which the server turns into a replay by itself. */
#define LOG_TAG "cadre"
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "screens/cadre_internal.h"
#include "ui/ui.h"

enum {
    END_GRACE_MS = 15000, /* djtv-cast flushes its last segment well within this */
    POLL_MS = 500,
};

static struct net *net_of(struct cadre_home *h)
{
    return h->base.own.svc->net;
}

/* "试点村12月7日党员大会", by the date in Beijing. */
static void meeting_title(const struct cadre_home *h, char *out, size_t size)
{
    time_t bj = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&bj, &tm);
    snprintf(out, size, "%s%d月%d日党员大会", h->ses.village, tm.tm_mon + 1, tm.tm_mday);
}

/* SRC into DST[SIZE], cut; SRC may live in the same struct (no snprintf, no overlap rules). */
static void copy_text(char *dst, size_t size, const char *src)
{
    size_t len = strnlen(src, size - 1);
    memmove(dst, src, len);
    dst[len] = '\0';
}

static void begin(struct cadre_home *h, const struct cast_camera *cam)
{
    char title[API_TITLE_MAX];
    copy_text(h->camera, sizeof(h->camera), cam ? cam->path : "");
    copy_text(h->camera_name, sizeof(h->camera_name), cam ? cam->name : "测试画面");
    meeting_title(h, title, sizeof(title));
    int64_t s = screen_track(&h->base, api_cadre_broadcast_create(net_of(h), h->ses.token, title));
    h->s_meet = s > 0 ? s : 0;
    h->meet = h->s_meet ? MEET_CREATING : MEET_IDLE;
    h->picking = 0;
    cadre_say(h, h->s_meet ? "正在开始会议…" : "没有发出去，请再试一次");
    cadre_rebuild_row(h);
}

void cadre_meeting_start(struct cadre_home *h)
{
    const char *input = h->base.own.svc->cast_input;
    if (h->meet != MEET_IDLE)
        return;
    if (input && strcmp(input, "pattern") == 0) {
        begin(h, NULL);
        return;
    }
    if (input && input[0]) {
        struct cast_camera cam;
        snprintf(cam.path, sizeof(cam.path), "%s", input);
        snprintf(cam.name, sizeof(cam.name), "%s", input);
        begin(h, &cam);
        return;
    }
    h->n_cams = cast_cameras(h->cams, CAST_CAMERAS_MAX);
    if (h->n_cams == 0) {
        cadre_say(h, "没有找到摄像头，请插好摄像头再试");
    } else if (h->n_cams == 1) {
        begin(h, &h->cams[0]);
    } else {
        h->picking = 1;
        cadre_say(h, "有几个摄像头，请选用哪一个");
        cadre_rebuild_row(h);
    }
}

void cadre_meeting_pick(struct cadre_home *h, int camera)
{
    if (camera < 0) {
        h->picking = 0;
        cadre_say(h, "");
        cadre_rebuild_row(h);
    } else if (camera < h->n_cams) {
        begin(h, &h->cams[camera]);
    }
}

static void stop_broadcast(struct cadre_home *h)
{
    cadre_send_action(h, CB_STOP_MEETING,
                      api_cadre_broadcast_stop(net_of(h), h->ses.token, h->cast_bid));
}

int cadre_meeting_stop(struct cadre_home *h)
{
    if (!h->cast || h->meet != MEET_SENDING || h->meeting.id != h->cast_bid)
        return 0; /* not sent from here: the stop goes straight to the server */
    cast_child_stop(h->cast);
    h->meet = MEET_ENDING;
    h->end_deadline = SDL_GetTicks() + END_GRACE_MS;
    cadre_say(h, "正在结束会议…");
    return 1;
}

/* The start reply: the publishing key goes to djtv-cast and nowhere else. */
static void started(struct cadre_home *h, const struct net_result *r)
{
    char key[CADRE_TOKEN_HEX + 1], why[160];
    struct cadre_broadcast b;
    if (cadre_parse_start(r->body, &b, key, sizeof(key), why, sizeof(why)) < 0) {
        log_warn("start reply not understood: %s", why);
        h->meet = MEET_IDLE;
        cadre_say(h, "会议没有开始，请再试一次");
        return;
    }
    const struct app_services *svc = h->base.own.svc;
    struct cast_child_config cfg = {
        .program = svc->cast_program, .server = svc->server, .ca = svc->ca_file,
        .broadcast_id = b.id, .key = key, .camera = h->camera[0] ? h->camera : NULL,
        .extra = svc->cast_args, .dir = svc->data_dir,
    };
    int rc = cast_child_start(&cfg, &h->cast);
    explicit_bzero(key, sizeof(key));
    h->cast_bid = b.id;
    h->meeting = b;
    h->have_meeting = 1;
    h->meeting_own = 1;
    if (rc < 0) {
        h->meet = MEET_IDLE;
        cadre_say(h, "摄像头没有打开，会议没有开始");
        stop_broadcast(h); /* nobody can watch a meeting that sends nothing */
        return;
    }
    memset(&h->cast_st, 0, sizeof(h->cast_st));
    h->meet = MEET_SENDING;
    cadre_say(h, "会议开始了，各家电视上会出现直播");
}

int cadre_meeting_on_net(struct cadre_home *h, const struct net_result *r)
{
    if (!h->s_meet || r->serial != h->s_meet)
        return 0;
    h->s_meet = 0;
    char why[160], buf[128];
    if (r->error != NET_OK || r->http_status != 200) {
        h->meet = MEET_IDLE;
        cadre_say(h, cadre_refusal_text(r, buf, sizeof(buf)));
        return 1;
    }
    if (h->meet == MEET_CREATING) {
        struct cadre_broadcast b;
        int64_t s = cadre_parse_broadcast(r->body, &b, why, sizeof(why)) == 0
                        ? screen_track(&h->base, api_cadre_broadcast_start(net_of(h),
                                                                           h->ses.token, b.id))
                        : -1;
        h->s_meet = s > 0 ? s : 0;
        h->meet = h->s_meet ? MEET_STARTING : MEET_IDLE;
        if (!h->s_meet)
            cadre_say(h, "会议没有开始，请再试一次");
    } else if (h->meet == MEET_STARTING) {
        started(h, r);
    }
    cadre_rebuild_row(h);
    return 1;
}

static void load_preview(struct cadre_home *h)
{
    int64_t m = 0;
    const char *path = cast_child_preview(h->cast, &m);
    if (!m || m == h->preview_mtime)
        return;
    h->preview_mtime = m;
    SDL_Surface *s = SDL_LoadBMP(path);
    if (!s)
        return; /* being replaced right now: the next one */
    SDL_Texture *t = SDL_CreateTextureFromSurface(h->base.own.svc->ui->r, s);
    if (t) {
        if (h->preview)
            SDL_DestroyTexture(h->preview);
        h->preview = t;
        h->preview_w = s->w;
        h->preview_h = s->h;
        h->base.own.dirty = 1;
    }
    SDL_FreeSurface(s);
}

/* djtv-cast ended: asked to (then the broadcast is stopped) or not (say why). */
static void cast_ended(struct cadre_home *h, int code)
{
    int asked = h->meet == MEET_ENDING;
    cast_child_destroy(h->cast, 0);
    h->cast = NULL;
    h->meet = MEET_IDLE;
    if (h->preview)
        SDL_DestroyTexture(h->preview);
    h->preview = NULL;
    h->preview_mtime = 0;
    if (asked) {
        stop_broadcast(h);
        return;
    }
    cadre_say(h, code == 3 ? "会议已经结束，服务器不再接收画面"
                           : "直播断了：摄像头或网络出了问题，请再开始一次");
    cadre_read_all(h);
    cadre_rebuild_row(h);
}

int cadre_meeting_tick(struct cadre_home *h, uint32_t now)
{
    if (!h->cast)
        return -1;
    int code = 0;
    if (!cast_child_poll(h->cast, &code)) {
        cast_ended(h, code);
        return -1;
    }
    if (h->meet == MEET_ENDING && (int32_t)(now - h->end_deadline) >= 0) {
        log_warn("djtv-cast did not end in time");
        cast_ended(h, -1);
        return -1;
    }
    if (cast_child_status(h->cast, &h->cast_st))
        h->base.own.dirty = 1;
    load_preview(h);
    return POLL_MS;
}

void cadre_meeting_end(struct cadre_home *h)
{
    if (h->cast) {
        /* The app is closing in the middle of a meeting: end what this box sends. */
        cast_child_destroy(h->cast, 5000);
        h->cast = NULL;
        if (h->ses.token[0] && net_of(h))
            api_cadre_broadcast_stop(net_of(h), h->ses.token, h->cast_bid);
    }
    if (h->preview)
        SDL_DestroyTexture(h->preview);
    h->preview = NULL;
}

void cadre_meeting_renderer_reset(struct cadre_home *h)
{
    h->preview = NULL; /* gone with the renderer */
    h->preview_mtime = 0;
}
