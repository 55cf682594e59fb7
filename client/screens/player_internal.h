/* The player screen's state, shared by its logic (player.c) and its drawing and dump
 * (player_view.c). Main thread only, like every screen. Not a public header. */
#ifndef DJTV_PLAYER_INTERNAL_H
#define DJTV_PLAYER_INTERNAL_H

#include <SDL.h>

#include "media/player.h"
#include "screens/player.h"

enum { PS_URL_MAX = 2048, PS_TITLE_MAX = 256 };

enum pphase {
    PP_ASKING,     /* waiting for the server's resume position */
    PP_PROMPT,     /* "go on from 12:05?" */
    PP_PLAYING,    /* a player is open (opening, playing, paused, buffering, reconnecting) */
    PP_ERROR,      /* the player failed; its error is in `error` */
    PP_LIVE_ENDED, /* the broadcast is over */
};

struct pscreen {
    struct screen base;
    char url[PS_URL_MAX];
    char replay[PS_URL_MAX];   /* "" = no replay known */
    char fallback[PS_URL_MAX]; /* "" = none; else played when the multicast URL is silent */
    char title[PS_TITLE_MAX];
    int64_t item_id, broadcast_id;
    double stop_after_s;
    int no_present, quit_when_done, quit_on_error;
    int is_replay;             /* playing the recording of a broadcast that ended */
    int guest;                 /* a guest's meeting: closing tells the guest overlay */

    enum pphase phase;
    struct player *p;          /* owned; NULL outside PP_PLAYING */
    struct player_stats st;    /* refreshed every tick while playing; kept after close */
    enum player_error error;   /* PP_ERROR */
    Uint64 open_counter;       /* SDL performance counter at player_open */
    Uint64 ok_counter;         /* OK pressed on the catalogue row; 0 = not from a list */
    double ok_to_frame_ms;     /* OK to the first frame presented; -1 until then */
    int first_logged;          /* "first frame presented" was logged */
    int video_drawn;           /* the last draw put a video frame on the canvas */
    int started;               /* a first frame came (or first audio) */
    int was_covered;           /* another screen was on top at the last tick (player_cover) */
    int paused_by_cover;       /* a programme paused because it went out of sight */

    int64_t resume_serial;     /* GET resume in flight, 0 = none */
    uint32_t ask_deadline;     /* PP_ASKING: give up waiting and start from 0 */
    double resume_s;           /* PP_PROMPT: the position offered */
    uint32_t next_save;        /* next periodic resume save (ms ticks) */
    int credit_noted;          /* 90 % reached: handed to the study credits (study_credit.h) */
    int end_saved;             /* watched to the end: position 0 saved, nothing later */

    uint32_t next_heartbeat;
    int server_ended;          /* the server says the broadcast is no longer live */
    int hb_missing_logged;

    uint32_t osd_until;        /* OSD shown until then (ms ticks); 0 = hidden */
    int osd_visible;
    int osd_drawn;             /* the last frame drawn shows the OSD (what the dump reports) */
    int stats_drawn;           /* ... and the stats overlay */
    int stats_on;
    int shown_second;          /* position second on the OSD, to redraw when it changes */
    uint32_t ended_at;         /* PP_LIVE_ENDED: when (quit mode leaves after a while) */

    double last_pos;           /* for counting media time played (--play-seconds) */
    double played_s;
};

/* player_view.c */
void pview_draw(struct pscreen *ps, struct ui *ui);
/* Adds the dump's / final stats' fields, with st as the player's figures. */
void pview_fill_state(const struct pscreen *ps, const struct player_stats *st, cJSON *o);
/* "12:05", "1:02:03" */
void pview_time(double s, char *out, size_t outlen);
const char *pview_phase_name(enum pphase ph);

#endif
