/* The media engine as the djtv binary sees it when the engine is a loadable module
 * (djtv-media.so, see module.c): one table of player.h's functions, exported by the module
 * under MEDIA_API_SYMBOL. */
#ifndef DJTV_MEDIA_MODULE_API_H
#define DJTV_MEDIA_MODULE_API_H

#include "media/player.h"

#define MEDIA_API_SYMBOL "djtv_media_api"
enum { MEDIA_API_VERSION = 1 }; /* bump when the table changes */

struct media_api {
    int version;
    void (*global_init)(void);
    struct player *(*open)(const struct player_options *opts);
    void (*close)(struct player *p);
    enum player_state (*get_state)(struct player *p, enum player_error *err);
    bool (*update)(struct player *p, SDL_Renderer *renderer, int *next_ms);
    void (*draw)(struct player *p, SDL_Renderer *renderer, const SDL_Rect *dst);
    int (*renderer_reset)(struct player *p, SDL_Renderer *renderer);
    int (*set_paused)(struct player *p, bool paused);
    int (*toggle_pause)(struct player *p);
    void (*set_muted)(struct player *p, bool muted);
    int (*seek_to)(struct player *p, double pos_s);
    int (*seek_by)(struct player *p, double delta_s);
    int (*seek_fraction)(struct player *p, double fraction);
    void (*get_stats)(struct player *p, struct player_stats *out);
    double (*get_position)(struct player *p);
    const char *(*state_name)(enum player_state s);
    const char *(*error_name)(enum player_error e);
};

#endif
