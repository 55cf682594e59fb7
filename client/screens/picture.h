/* A poster or photo a screen shows: fetched from the server (GET of the item's /media/ path,
 * with the box's token, like every request), handed to the image loader to decode off the UI
 * thread, drawn by the image widget (placeholder until ready). Holds the encoded bytes so a
 * picture evicted from the cache (or lost with the renderer) is decoded again, not fetched
 * again.
 *
 *   picture_start(&x->pic, &x->base.own, d.picture, box);   // once the item is known
 *   on_net:  if (picture_take(&x->pic, r)) return;
 *   tick:    picture_tick(&x->pic);
 *   draw:    picture_draw(&x->pic, ui, "detail.picture");
 *   destroy: picture_fini(&x->pic); */
#ifndef DJTV_PICTURE_H
#define DJTV_PICTURE_H

#include <SDL.h>
#include <stddef.h>
#include <stdint.h>

#include "app/owner.h"
#include "ui/image_loader.h"
#include "ui/ui.h"

struct picture {
    char path[1024];     /* the /media/ path; "" = no picture */
    char key[1040];      /* its key in the image loader: path@WxH */
    SDL_Rect box;        /* where it is drawn (and the size it is decoded to) */
    int64_t serial;      /* the GET in flight, 0 = none */
    char *bytes;         /* owned: the encoded picture once fetched */
    size_t len;
    int failed;          /* could not be fetched */
    struct owner *owner; /* borrowed */
};

/* Fetch path (only a same-server "/media/…" path is fetched; anything else is "no picture").
 * Returns 0, or a negative errno (then the widget says the picture cannot be shown). */
int picture_start(struct picture *p, struct owner *owner, const char *path, SDL_Rect box);
/* 1 if r answers the picture's request (the bytes go to the decoder). */
int picture_take(struct picture *p, const struct net_result *r);
/* Decode again what the cache dropped. */
void picture_tick(struct picture *p);
/* Draws it (or the placeholder) in p->box; the picture's state. */
enum image_state picture_draw(const struct picture *p, struct ui *ui, const char *name);
/* "none" (no picture), "decoding" (fetching or decoding), "ready", "failed". */
const char *picture_state(const struct picture *p);
void picture_fini(struct picture *p);

#endif
