/* Cadre mode's screen, shared by its behaviour (cadre_home.c) and its drawing (cadre_view.c).
 * Not for other screens. */
#ifndef DJTV_CADRE_INTERNAL_H
#define DJTV_CADRE_INTERNAL_H

#include <stdint.h>

#include "app/cast_child.h"
#include "app/screen.h"
#include "net/cadre.h"
#include "ui/button.h"

struct events;

/* What the buttons do; the row shows those that fit the moment. */
enum cadre_button {
    CB_DUTY_OK,       /* 值班应答 */
    CB_START_MEETING, /* 开始会议 */
    CB_OPEN_ROLLCALL, /* 开始点名 */
    CB_CLOSE_ROLLCALL, /* 结束点名 */
    CB_STOP_MEETING,  /* 结束会议 */
    CB_LOGOUT,        /* 退出 */
    CB_CAMERA,        /* one of the cameras, when there are several */
    CB_CANCEL,        /* 取消 (the camera choice) */
    CB_COUNT
};

/* Sending the meeting from this box. */
enum cadre_meet {
    MEET_IDLE,        /* not sending (a meeting may still be live, started elsewhere) */
    MEET_CREATING,    /* POST /broadcasts */
    MEET_STARTING,    /* POST …/start: the publishing key comes */
    MEET_SENDING,     /* djtv-cast runs */
    MEET_ENDING,      /* djtv-cast asked to end; then the broadcast is stopped */
};

struct cadre_home {
    struct screen base;
    struct cadre_session ses;   /* the cadre's session (token: a secret, wiped at the end) */
    struct events *stream;      /* owned: the cadre's own event stream (sign-ins) */

    /* What the server said last. */
    int have_meeting;
    struct cadre_broadcast meeting; /* the live broadcast the roll call goes with */
    int meeting_own;            /* it is the village's own (the cadre may stop it) */
    int have_rollcall;
    struct cadre_rollcall rollcall; /* the branch's open roll call */
    int have_signins;
    struct cadre_signins signins;   /* owned: who signed in, who is missing */
    int have_duty;
    struct cadre_duty duty;     /* the duty check waiting for an answer */
    int loaded;                 /* the first reads have come back */

    /* Requests in flight (0 = none). */
    int64_t s_meeting, s_rollcall, s_signins, s_duty, s_act, s_logout;
    int signins_again;          /* a sign-in came while the list was being read */
    enum cadre_button acting;   /* what s_act does */

    /* The button row. */
    struct ui_button_row row;
    enum cadre_button ids[UI_BUTTONS_MAX];
    char message[160];          /* the last action's result or refusal, in plain words */
    uint32_t last_key;          /* SDL ticks of the last key (idle logout) */
    uint32_t next_refresh;      /* a quiet re-read of everything */
    int leaving;                /* logging out: the screen goes when the server answered */
    char focus_name[48];

    /* The meeting sent from this box (cadre_meeting.c). */
    enum cadre_meet meet;
    struct cast_child *cast;    /* owned: djtv-cast, while it runs */
    struct cast_status cast_st; /* its last status */
    int64_t cast_bid;           /* the broadcast it sends */
    int64_t s_meet;             /* the create / start request in flight */
    uint32_t end_deadline;      /* MEET_ENDING: kill djtv-cast after this */
    char camera[32];            /* /dev/videoN, "" = the test pattern */
    char camera_name[64];
    struct cast_camera cams[CAST_CAMERAS_MAX];
    int n_cams;
    int picking;                /* the row offers the cameras */
    char cam_labels[UI_BUTTONS_MAX][80];
    int cam_of[UI_BUTTONS_MAX]; /* CB_CAMERA buttons: which camera */
    SDL_Texture *preview;       /* owned: the picture being sent, small */
    int64_t preview_mtime;
    int preview_w, preview_h;
};

/* cadre_home.c, for cadre_meeting.c: say TEXT on the message line; re-read everything; send
 * an action whose answer comes back to acted(); rebuild the buttons. */
void cadre_say(struct cadre_home *h, const char *text);
void cadre_read_all(struct cadre_home *h);
void cadre_send_action(struct cadre_home *h, enum cadre_button b, int64_t serial);
void cadre_rebuild_row(struct cadre_home *h);

/* cadre_meeting.c: 开始会议 (maybe via the camera choice), a chosen camera, 结束会议 of a
 * meeting this box sends, its requests' answers (1 when it took R), its timer (ms until the
 * next tick), the end of cadre mode, and the renderer losing its textures. */
void cadre_meeting_start(struct cadre_home *h);
void cadre_meeting_pick(struct cadre_home *h, int camera);
int cadre_meeting_stop(struct cadre_home *h);
int cadre_meeting_on_net(struct cadre_home *h, const struct net_result *r);
int cadre_meeting_tick(struct cadre_home *h, uint32_t now);
void cadre_meeting_end(struct cadre_home *h);
void cadre_meeting_renderer_reset(struct cadre_home *h);

/* The row's label of a button. */
const char *cadre_button_label(enum cadre_button b);
/* Draw the whole screen (cadre_view.c). */
void cadre_view_draw(struct cadre_home *h, struct ui *ui);

#endif
