#include "ui/theme.h"

#include <math.h>

struct named_color {
    const char *name;
    SDL_Color c;
};

#define RGB(r, g, b) { (r), (g), (b), 255 }

static const struct named_color colors[COL_COUNT] = {
    [COL_BG] = { "bg", RGB(0x40, 0x08, 0x08) },
    [COL_TEXT] = { "text", RGB(0xff, 0xff, 0xff) },
    [COL_TEXT_SOFT] = { "text_soft", RGB(0xff, 0xe6, 0xa8) },
    [COL_TILE] = { "tile", RGB(0x8b, 0x00, 0x00) },
    [COL_TILE_EDGE] = { "tile_edge", RGB(0xc0, 0x40, 0x30) },
    [COL_TILE_TEXT] = { "tile_text", RGB(0xff, 0xff, 0xff) },
    [COL_TILE_TEXT_SOFT] = { "tile_text_soft", RGB(0xff, 0xe6, 0xa8) },
    [COL_FOCUS] = { "focus", RGB(0xff, 0xd5, 0x4a) },
    [COL_FOCUS_RING] = { "focus_ring", RGB(0xff, 0xff, 0xff) },
    [COL_FOCUS_TEXT] = { "focus_text", RGB(0x3a, 0x00, 0x00) },
    [COL_FOCUS_TEXT_SOFT] = { "focus_text_soft", RGB(0x5a, 0x10, 0x00) },
    [COL_BADGE] = { "badge", RGB(0xff, 0xe6, 0xa8) },
    [COL_BADGE_TEXT] = { "badge_text", RGB(0x3a, 0x00, 0x00) },
    [COL_BADGE_FOCUS] = { "badge_focus", RGB(0x8b, 0x00, 0x00) },
    [COL_BADGE_FOCUS_TEXT] = { "badge_focus_text", RGB(0xff, 0xff, 0xff) },
    [COL_HINT_BG] = { "hint_bg", RGB(0x24, 0x03, 0x03) },
    [COL_HINT_TEXT] = { "hint_text", RGB(0xff, 0xff, 0xff) },
    [COL_KEYCAP] = { "keycap", RGB(0xff, 0xe6, 0xa8) },
    [COL_KEYCAP_TEXT] = { "keycap_text", RGB(0x3a, 0x00, 0x00) },
    [COL_PANEL] = { "panel", RGB(0xff, 0xf4, 0xd6) },
    [COL_PANEL_TEXT] = { "panel_text", RGB(0x3a, 0x00, 0x00) },
    [COL_PANEL_TEXT_SOFT] = { "panel_text_soft", RGB(0x5a, 0x10, 0x00) },
    [COL_LIVE_BG] = { "live_bg", RGB(0xff, 0xf4, 0xd6) },
    [COL_LIVE_TEXT] = { "live_text", RGB(0x6b, 0x00, 0x00) },
    [COL_LIVE_PILL] = { "live_pill", RGB(0xa8, 0x00, 0x00) },
    [COL_LIVE_PILL_TEXT] = { "live_pill_text", RGB(0xff, 0xff, 0xff) },
    [COL_NOTICE_BG] = { "notice_bg", RGB(0xff, 0xf4, 0xd6) },
    [COL_NOTICE_EDGE] = { "notice_edge", RGB(0xff, 0xd5, 0x4a) },
    [COL_NOTICE_TEXT] = { "notice_text", RGB(0x3a, 0x00, 0x00) },
    [COL_SHADOW] = { "shadow", { 0x00, 0x00, 0x00, 0x70 } },
    [COL_OSD_BG] = { "osd_bg", RGB(0x1e, 0x0a, 0x08) },
    [COL_OSD_TEXT] = { "osd_text", RGB(0xff, 0xff, 0xff) },
    [COL_OSD_TEXT_SOFT] = { "osd_text_soft", RGB(0xff, 0xe6, 0xa8) },
    [COL_PROGRESS_TRACK] = { "progress_track", RGB(0x6e, 0x5a, 0x55) },
    [COL_PROGRESS_FILL] = { "progress_fill", RGB(0xff, 0xd5, 0x4a) },
    [COL_VIDEO_BG] = { "video_bg", RGB(0x00, 0x00, 0x00) },
    [COL_CHART_A] = { "chart_a", RGB(0xff, 0xd5, 0x4a) },
    [COL_CHART_B] = { "chart_b", RGB(0x6e, 0xc6, 0xff) },
};

static const struct theme_pair pairs[] = {
    { COL_TEXT, COL_BG },
    { COL_TEXT_SOFT, COL_BG },
    { COL_TILE_TEXT, COL_TILE },
    { COL_TILE_TEXT_SOFT, COL_TILE },
    { COL_FOCUS_TEXT, COL_FOCUS },
    { COL_FOCUS_TEXT_SOFT, COL_FOCUS },
    { COL_BADGE_TEXT, COL_BADGE },
    { COL_BADGE_FOCUS_TEXT, COL_BADGE_FOCUS },
    { COL_HINT_TEXT, COL_HINT_BG },
    { COL_KEYCAP_TEXT, COL_KEYCAP },
    { COL_PANEL_TEXT, COL_PANEL },
    { COL_PANEL_TEXT_SOFT, COL_PANEL },
    { COL_LIVE_TEXT, COL_LIVE_BG },
    { COL_LIVE_PILL_TEXT, COL_LIVE_PILL },
    { COL_NOTICE_TEXT, COL_NOTICE_BG },
    { COL_OSD_TEXT, COL_OSD_BG },
    { COL_OSD_TEXT_SOFT, COL_OSD_BG },
};

SDL_Color theme_color(enum theme_color c)
{
    if ((int)c < 0 || c >= COL_COUNT)
        return colors[COL_TEXT].c;
    return colors[c].c;
}

const char *theme_color_name(enum theme_color c)
{
    if ((int)c < 0 || c >= COL_COUNT)
        return "?";
    return colors[c].name;
}

const struct theme_pair *theme_text_pairs(int *n)
{
    *n = (int)(sizeof(pairs) / sizeof(pairs[0]));
    return pairs;
}

static double channel(Uint8 v)
{
    double s = v / 255.0;
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4);
}

double theme_luminance(SDL_Color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast(SDL_Color a, SDL_Color b)
{
    double la = theme_luminance(a), lb = theme_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}

SDL_Rect theme_safe_rect(void)
{
    SDL_Rect r = { THEME_SAFE_X, THEME_SAFE_Y, THEME_W - 2 * THEME_SAFE_X,
                   THEME_H - 2 * THEME_SAFE_Y };
    return r;
}
