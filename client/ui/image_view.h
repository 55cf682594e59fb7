/* The image widget: a poster or photo in a box, kept whole (fitted and centred, never
 * stretched), from the image loader's cache. While the picture is still being fetched or
 * decoded it shows a placeholder card that says so; a picture that could not be read shows
 * a card that says that. Where the picture goes is a pure function (ui_image_fit, tested on
 * plain rectangles); drawing records the widget in the UI dump: role "image", state
 * "<none|decoding|ready|failed> <w>x<h>". */
#ifndef DJTV_IMAGE_VIEW_H
#define DJTV_IMAGE_VIEW_H

#include "ui/image_loader.h"
#include "ui/ui.h"

/* The largest rect of aspect w:h inside box, centred; box itself when w or h <= 0. */
SDL_Rect ui_image_fit(const SDL_Rect *box, int w, int h);
/* key: the picture's key in the loader (may be NULL: no picture expected, the card says
 * so). waiting: the bytes are still on their way (the card says "loading" even though the
 * loader has not seen the key). name: for the dump. Returns the picture's state. */
enum image_state ui_image_draw(struct ui *ui, struct image_loader *l, const char *key,
                               const SDL_Rect *box, int waiting, const char *name);

#endif
