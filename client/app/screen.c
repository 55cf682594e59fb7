#include "app/screen.h"

#include <stddef.h>
#include <stdio.h>

#include "app/requests.h"

static struct screen *screen_of(struct owner *o)
{
    return (struct screen *)(void *)((char *)o - offsetof(struct screen, own));
}

static void screen_on_net(struct owner *o, const struct net_result *r)
{
    struct screen *s = screen_of(o);
    if (s->ops->on_net)
        s->ops->on_net(s, r);
}

static void screen_on_answer(struct owner *o, const struct answer *a)
{
    struct screen *s = screen_of(o);
    if (s->ops->on_answer)
        s->ops->on_answer(s, a);
}

static const struct owner_ops screen_owner_ops = {
    .on_net = screen_on_net,
    .on_answer = screen_on_answer,
};

void screen_init(struct screen *s, const struct screen_ops *ops, struct app_services *svc,
                 const char *name)
{
    s->ops = ops;
    snprintf(s->name, sizeof(s->name), "%s", name);
    s->loading = 1;
    s->fullscreen = 0;
    s->own.ops = &screen_owner_ops;
    s->own.svc = svc;
    s->own.dirty = 1;
    s->own.request = (struct nav){ NAV_NONE, NULL, 0 };
}

void screen_destroy(struct screen *s)
{
    if (!s)
        return;
    if (s->own.svc && s->own.svc->reqs)
        requests_forget(s->own.svc->reqs, &s->own);
    if (s->own.request.next) {
        screen_destroy(s->own.request.next);
        s->own.request.next = NULL;
    }
    s->ops->destroy(s);
}
