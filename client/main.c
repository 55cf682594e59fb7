/* djtv: the TV client. Options, library init and exit status; the app does the rest. */
#define LOG_TAG "main"
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "app/app.h"
#include "app/config.h"
#include "app/mem_reserve.h"
#include "app/video.h"
#include "log.h"
#include "media/player.h"
#include "screens/basic_overlays.h"
#include "screens/guest_overlay.h"
#include "screens/home.h"
#include "screens/keypad_overlay.h"
#include "screens/live_overlay.h"
#include "screens/player.h"
#include "screens/rollcall_overlay.h"
#include "screens/service_overlay.h"
#include "screens/study_credit.h"

/* Player mode (--play): the player is the only screen; it quits the app when it is done.
 * Otherwise home. */
static struct screen *first_screen(struct app_services *svc, const struct app_config *cfg)
{
    if (!cfg->play[0])
        return home_screen_create(svc);
    struct player_request req = {
        .url = cfg->play,
        .title = cfg->play_title,
        .item_id = cfg->play_item,
        .broadcast_id = cfg->play_broadcast,
        .replay_url = cfg->play_replay,
        .fallback_url = cfg->play_fallback[0] ? cfg->play_fallback : NULL,
        .stop_after_s = (double)cfg->play_seconds,
        .no_present = cfg->play_no_present,
        .quit_when_done = 1,
        /* Nobody can press Back on a headless run without a script. */
        .quit_on_error = cfg->headless && !cfg->keys[0],
    };
    return player_screen_create(svc, &req);
}

static int install_overlays(struct overlays *ov, struct app_services *svc,
                            const struct app_config *cfg)
{
    struct overlay *live = live_overlay_create(svc);
    struct overlay *notice = notice_overlay_create(svc);
    overlays_set(ov, OVERLAY_LIVE, live);
    overlays_set(ov, OVERLAY_NOTICE, notice);
    struct overlay *keypad = keypad_overlay_create(svc);
    overlays_set(ov, OVERLAY_KEYPAD, keypad);
    struct overlay *study = study_credit_overlay_create(svc);
    overlays_set(ov, OVERLAY_STUDY, study);
    if (!live || !notice || !keypad || !study)
        return -ENOMEM;
    if (cfg->play[0])
        return 0; /* player mode: one programme, no roll call or service desk */
    struct overlay *rollcall = rollcall_overlay_create(svc);
    struct overlay *service = service_overlay_create(svc);
    struct overlay *guest = guest_overlay_create(svc);
    overlays_set(ov, OVERLAY_ROLLCALL, rollcall);
    overlays_set(ov, OVERLAY_SERVICE, service);
    overlays_set(ov, OVERLAY_GUEST, guest);
    return rollcall && service && guest ? 0 : -ENOMEM;
}

int main(int argc, char **argv)
{
    struct app_config cfg;
    char err[512];
    int rc = config_parse(argc, argv, &cfg, stdout, err, sizeof(err));
    if (rc == CONFIG_EXIT)
        exit(0);
    if (rc < 0) {
        fprintf(stderr, "djtv: %s\n", err);
        exit(2);
    }
    log_set_level(cfg.log_level);
    mem_reserve_setup();
    if (config_finish(&cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "djtv: %s\n", err);
        exit(2);
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_error("curl_global_init failed");
        exit(1);
    }
    video_prepare_env(&cfg);
    Uint32 subsystems = SDL_INIT_VIDEO | SDL_INIT_EVENTS;
    if (!cfg.headless)
        subsystems |= SDL_INIT_GAMECONTROLLER;
    if (SDL_Init(subsystems) < 0 && (subsystems & SDL_INIT_GAMECONTROLLER)) {
        log_warn("SDL_Init with game controllers failed (%s); trying without", SDL_GetError());
        subsystems &= ~(Uint32)SDL_INIT_GAMECONTROLLER;
        SDL_Quit();
        if (SDL_Init(subsystems) < 0)
            subsystems = 0;
    } else if (SDL_WasInit(SDL_INIT_VIDEO) == 0) {
        subsystems = 0;
    }
    if (!subsystems) {
        log_error("SDL_Init: %s", SDL_GetError());
        curl_global_cleanup();
        exit(1);
    }
    if (TTF_Init() < 0) {
        log_error("TTF_Init: %s", TTF_GetError());
        SDL_Quit();
        curl_global_cleanup();
        exit(1);
    }
    if ((IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG) == 0)
        log_warn("IMG_Init(PNG): %s (screenshots may fail)", IMG_GetError());
    player_global_init(); /* FFmpeg's log into ours, network protocols */

    const struct app_start start = { first_screen, install_overlays };
    rc = app_run(&cfg, &start);

    IMG_Quit();
    TTF_Quit();
    SDL_Quit();
    curl_global_cleanup();
    exit(rc);
}
