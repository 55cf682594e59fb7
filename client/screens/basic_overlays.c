#include "screens/basic_overlays.h"

#include <stdlib.h>

#include "ui/notice.h"

static void plain_destroy(struct overlay *o)
{
    free(o);
}

static int notice_visible(const struct overlay *o)
{
    return notices_visible(o->own.svc->notices);
}

static void notice_draw(struct overlay *o, struct ui *ui)
{
    notices_draw(o->own.svc->notices, ui);
}

static int notice_tick(struct overlay *o, uint32_t now)
{
    return notices_tick(o->own.svc->notices, now, &o->own.dirty);
}

static const struct overlay_ops notice_overlay_ops = {
    .name = "notice",
    .visible = notice_visible,
    .draw = notice_draw,
    .tick = notice_tick,
    .destroy = plain_destroy,
};

static struct overlay *create(struct app_services *svc, const struct overlay_ops *ops)
{
    struct overlay *o = calloc(1, sizeof(*o));
    if (o)
        overlay_init(o, ops, svc);
    return o;
}

struct overlay *notice_overlay_create(struct app_services *svc)
{
    return create(svc, &notice_overlay_ops);
}
