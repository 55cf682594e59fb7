/* Pieces of the player's on-screen display. Everything sits on solid COL_OSD_BG shapes,
 * never straight on the video, so text keeps its contrast whatever the picture is. */
#ifndef DJTV_OSD_H
#define DJTV_OSD_H

#include "ui/ui.h"

/* A solid bar across the whole width. */
void osd_bar(struct ui *ui, int y, int h);

/* A progress bar in r: track, the played part and a round knob; fraction 0..1 (clamped). */
void osd_progress(struct ui *ui, const SDL_Rect *r, double fraction);

/* A red pill with white bold text ("直播"), its left edge at x, centred on cy. Returns its
 * width. */
int osd_pill(struct ui *ui, const char *text, int x, int cy);
int osd_pill_width(struct ui *ui, const char *text);

/* A dark panel centred on the screen with one big line (and an optional second one):
 * "正在缓冲…", "正在重新连接…". */
void osd_status(struct ui *ui, const char *line1, const char *line2);

/* A dark panel in r with a title and label / value rows, for the stats overlay. */
struct osd_row {
    const char *label; /* borrowed */
    const char *value; /* borrowed */
};
void osd_rows_panel(struct ui *ui, const SDL_Rect *r, const char *title,
                    const struct osd_row *rows, int n);

#endif
