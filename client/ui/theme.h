/* Colours, text sizes and the screen layout, for elderly eyes on a TV across the room.
 * Everything is on the 1920x1080 logical canvas. Every text colour is used only on the
 * backgrounds listed in theme_text_pairs(), and each pair has a WCAG contrast of at least
 * 7:1 (checked by tests/unit/client/test_theme.c). */
#ifndef DJTV_THEME_H
#define DJTV_THEME_H

#include <SDL.h>

enum theme_color {
    COL_BG,              /* screen background: very dark red */
    COL_TEXT,            /* main text on COL_BG */
    COL_TEXT_SOFT,       /* secondary text on COL_BG (warm cream) */
    COL_TILE,            /* tile fill: party red */
    COL_TILE_EDGE,       /* thin edge around a tile (not behind text) */
    COL_TILE_TEXT,       /* title on a tile */
    COL_TILE_TEXT_SOFT,  /* count / description on a tile */
    COL_FOCUS,           /* focused tile fill: bright gold */
    COL_FOCUS_RING,      /* thick ring around the focused tile (not behind text) */
    COL_FOCUS_TEXT,      /* title on a focused tile */
    COL_FOCUS_TEXT_SOFT, /* count / description on a focused tile */
    COL_BADGE,           /* number badge on a tile */
    COL_BADGE_TEXT,
    COL_BADGE_FOCUS,     /* number badge on a focused tile */
    COL_BADGE_FOCUS_TEXT,
    COL_HINT_BG,         /* key-hint bar at the bottom */
    COL_HINT_TEXT,
    COL_KEYCAP,          /* a key drawn in the hint bar */
    COL_KEYCAP_TEXT,
    COL_PANEL,           /* message panels (loading, error, coming soon) */
    COL_PANEL_TEXT,
    COL_PANEL_TEXT_SOFT,
    COL_LIVE_BG,         /* live-now banner */
    COL_LIVE_TEXT,
    COL_LIVE_PILL,       /* the "直播中" pill on the banner */
    COL_LIVE_PILL_TEXT,
    COL_NOTICE_BG,       /* toast notices */
    COL_NOTICE_EDGE,
    COL_NOTICE_TEXT,
    COL_SHADOW,          /* translucent shadow under the focused tile (not behind text) */
    COL_OSD_BG,          /* solid bars and panels of the player over the video */
    COL_OSD_TEXT,
    COL_OSD_TEXT_SOFT,
    COL_PROGRESS_TRACK,  /* the player's progress bar (not behind text) */
    COL_PROGRESS_FILL,
    COL_VIDEO_BG,        /* behind the video: black bars */
    COL_CHART_A,         /* a chart's first series (bars, >= 3:1 on COL_BG; not behind text) */
    COL_CHART_B,         /* its second series: another hue, told apart without red/green */
    COL_COUNT
};

SDL_Color theme_color(enum theme_color c);
const char *theme_color_name(enum theme_color c);

/* Every (text colour, background) combination the UI draws. */
struct theme_pair {
    enum theme_color fg;
    enum theme_color bg;
};
const struct theme_pair *theme_text_pairs(int *n);

/* WCAG 2.x relative luminance and contrast ratio (1..21). */
double theme_luminance(SDL_Color c);
double theme_contrast(SDL_Color a, SDL_Color b);

enum {
    /* text sizes in px (font size on the 1920x1080 canvas) */
    THEME_PX_SMALL = 40, /* the smallest text anywhere: body text, hints */
    THEME_PX_BODY = 44,
    THEME_PX_COUNT = 48,
    THEME_PX_TITLE = 56,
    THEME_PX_TILE = 68,
    THEME_PX_BIG = 72,

    /* canvas and the 5 % safe area every text stays inside */
    THEME_W = 1920,
    THEME_H = 1080,
    THEME_SAFE_X = 96,
    THEME_SAFE_Y = 54,

    /* vertical bands shared by all screens; the focused tile (6 % larger, a 10 px ring and
     * a shadow) still keeps clear of the live band above and the hint bar below */
    THEME_HEADER_Y = 54,
    THEME_HEADER_H = 100,
    THEME_LIVE_Y = 166,
    THEME_LIVE_H = 96,
    THEME_CONTENT_Y = 298,
    THEME_CONTENT_H = 610,
    THEME_HINT_Y = 952, /* the bar runs to the bottom edge; its text stays above 1026 */
    THEME_HINT_TEXT_H = 74,

    THEME_RADIUS = 24,
    THEME_FOCUS_RING = 10,
};

/* The safe area: x 96..1824, y 54..1026. */
SDL_Rect theme_safe_rect(void);

#endif
