#define LOG_TAG "live"
#include "screens/live_overlay.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/rollcall.h"
#include "screens/player.h"
#include "ui/live_banner.h"
#include "ui/notice.h"

struct live_overlay {
    struct overlay base;
    int64_t started_id; /* the broadcast whose start armed the banner (0: the first live) */
    int64_t serial;     /* GET /broadcasts in flight after OK */
};

static struct live_banner *banner(const struct overlay *o)
{
    return o->own.svc->live;
}

static int lo_visible(const struct overlay *o)
{
    return live_banner_visible(banner(o));
}

static void lo_draw(struct overlay *o, struct ui *ui)
{
    live_banner_draw(banner(o), ui);
}

static int lo_on_action(struct overlay *o, enum action a, struct nav *nav)
{
    (void)nav;
    struct live_overlay *lo = (struct live_overlay *)o;
    struct live_banner *lb = banner(o);
    if (!lb->focused)
        return 0;
    if (a != ACTION_OK) {
        lb->focused = 0; /* the member went on with the screen: OK is the screen's again */
        return 0;
    }
    struct net *net = o->own.svc->net;
    if (!lo->serial && net) {
        int64_t s = owner_track(&o->own, api_broadcasts(net));
        lo->serial = s > 0 ? s : 0;
    }
    return 1;
}

static void lo_on_net(struct overlay *o, const struct net_result *r)
{
    struct live_overlay *lo = (struct live_overlay *)o;
    if (r->serial != lo->serial)
        return;
    lo->serial = 0;
    struct app_services *svc = o->own.svc;
    char url[RC_URL_MAX], title[API_TITLE_MAX], full[RC_URL_MAX + 256];
    int64_t id = lo->started_id;
    int rc = -1;
    if (r->error == NET_OK && r->http_status == 200) {
        rc = id > 0 ? api_find_live_broadcast(r->body, id, url, sizeof(url), title,
                                              sizeof(title), NULL, 0)
                    : -1;
        if (rc < 0)
            rc = api_first_live_broadcast(r->body, &id, url, sizeof(url), title, sizeof(title),
                                          NULL, 0);
    }
    if (rc < 0) {
        notices_post(svc->notices, r->error == NET_OK ? "这场直播现在看不了" : "网络出了问题，请稍后再试", 0);
        return;
    }
    if (player_resolve_url(svc, url, full, sizeof(full)) < 0)
        return;
    struct player_request req = { .url = full, .title = title, .broadcast_id = id };
    struct screen *p = player_screen_create(svc, &req);
    if (!p)
        return;
    banner(o)->focused = 0;
    log_info("joining broadcast %" PRId64 " from the banner", id);
    owner_navigate(&o->own, NAV_PUSH, p);
}

static void lo_on_event(struct overlay *o, const struct box_event *ev)
{
    struct live_overlay *lo = (struct live_overlay *)o;
    if (ev->type == BOX_EVENT_BROADCAST_STARTED) {
        lo->started_id = ev->broadcast_id;
        banner(o)->focused = 1;
        o->own.dirty = 1;
    } else if (ev->type == BOX_EVENT_BROADCAST_ENDED && ev->broadcast_id == lo->started_id) {
        lo->started_id = 0;
        banner(o)->focused = 0;
        o->own.dirty = 1;
    }
}

static const char *lo_focus(const struct overlay *o)
{
    return banner(o)->focused ? "live.join" : NULL;
}

static void lo_destroy(struct overlay *o)
{
    free(o);
}

static const struct overlay_ops live_ops = {
    .name = "live_banner",
    .visible = lo_visible,
    .draw = lo_draw,
    .on_action = lo_on_action,
    .on_net = lo_on_net,
    .focus_name = lo_focus,
    .on_event = lo_on_event,
    .destroy = lo_destroy,
};

struct overlay *live_overlay_create(struct app_services *svc)
{
    struct live_overlay *lo = calloc(1, sizeof(*lo));
    if (!lo)
        return NULL;
    overlay_init(&lo->base, &live_ops, svc);
    return &lo->base;
}
