#define LOG_TAG "picture"
#include "screens/picture.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/net.h"
#include "ui/image_view.h"

/* GET the picture's path with the box's token. */
static int fetch(struct picture *p)
{
    struct owner *owner = p->owner;
    struct net *net = owner->svc->net;
    int64_t serial = net ? owner_track(owner, net_request(net, "GET", p->path, NULL, 0)) : -ENOTCONN;
    if (serial < 0) {
        log_warn("cannot ask for the picture: %s", strerror((int)-serial));
        p->failed = 1;
        return (int)serial;
    }
    p->serial = serial;
    return 0;
}

int picture_start(struct picture *p, struct owner *owner, const char *path, SDL_Rect box)
{
    picture_fini(p);
    p->owner = owner;
    p->box = box;
    if (!path || strncmp(path, "/media/", 7) != 0 || strlen(path) >= sizeof(p->path))
        return path && path[0] ? -EINVAL : 0; /* another server's URL: not fetched */
    snprintf(p->path, sizeof(p->path), "%s", path);
    /* The cache holds the picture at the size it is drawn: a grid's small poster and the
     * detail's large one are two entries. */
    snprintf(p->key, sizeof(p->key), "%s@%dx%d", path, box.w, box.h);
    /* Already decoded (a list opened again): nothing to fetch. If the cache drops it later,
     * picture_tick fetches it again. */
    if (image_loader_state(owner->svc->images, p->key) == IMAGE_READY)
        return 0;
    return fetch(p);
}

static void submit(struct picture *p)
{
    struct image_loader *l = p->owner->svc->images;
    int ret = image_loader_submit(l, p->key, p->bytes, p->len, p->box.w, p->box.h);
    if (ret < 0 && ret != -EAGAIN) { /* EAGAIN: the decoder is busy, the next tick retries */
        log_warn("picture not decoded: %s", strerror(-ret));
        p->failed = 1;
    }
}

int picture_take(struct picture *p, const struct net_result *r)
{
    if (!p->serial || r->serial != p->serial)
        return 0;
    p->serial = 0;
    p->owner->dirty = 1;
    if (r->error != NET_OK || r->http_status != 200 || !r->body || r->body_len == 0) {
        log_warn("picture %s: %s, HTTP %ld", p->path, net_error_str(r->error), r->http_status);
        p->failed = 1;
        return 1;
    }
    p->bytes = malloc(r->body_len);
    if (!p->bytes) {
        p->failed = 1;
        return 1;
    }
    memcpy(p->bytes, r->body, r->body_len);
    p->len = r->body_len;
    submit(p);
    return 1;
}

void picture_tick(struct picture *p)
{
    if (!p->key[0] || p->failed || p->serial ||
        image_loader_state(p->owner->svc->images, p->key) != IMAGE_NONE)
        return;
    if (p->bytes)
        submit(p);
    else
        fetch(p); /* shown from the cache without fetching, then dropped from it */
}

enum image_state picture_draw(const struct picture *p, struct ui *ui, const char *name)
{
    struct image_loader *l = p->owner ? p->owner->svc->images : NULL;
    const char *key = p->key[0] && !p->failed ? p->key : NULL;
    return ui_image_draw(ui, l, key, &p->box, key != NULL, name);
}

const char *picture_state(const struct picture *p)
{
    if (!p->key[0] && !p->failed)
        return "none";
    if (p->failed)
        return "failed";
    if (p->serial)
        return "decoding";
    enum image_state st = image_loader_state(p->owner->svc->images, p->key);
    return image_state_name(st == IMAGE_NONE ? IMAGE_DECODING : st);
}

void picture_fini(struct picture *p)
{
    free(p->bytes);
    memset(p, 0, sizeof(*p));
}
