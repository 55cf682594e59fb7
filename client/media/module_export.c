/* Part of the media engine: the table djtv finds in djtv-media.so (module.c loads it). */
#include "media/module_api.h"

extern const struct media_api djtv_media_api;
__attribute__((visibility("default"))) const struct media_api djtv_media_api = {
    .version = MEDIA_API_VERSION,
    .global_init = player_global_init,
    .open = player_open,
    .close = player_close,
    .get_state = player_get_state,
    .update = player_update,
    .draw = player_draw,
    .renderer_reset = player_renderer_reset,
    .set_paused = player_set_paused,
    .toggle_pause = player_toggle_pause,
    .set_muted = player_set_muted,
    .seek_to = player_seek_to,
    .seek_by = player_seek_by,
    .seek_fraction = player_seek_fraction,
    .get_stats = player_get_stats,
    .get_position = player_get_position,
    .state_name = player_state_name,
    .error_name = player_error_name,
};
