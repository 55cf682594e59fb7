/* A home section as a paged list of big rows, filled from
 * GET /api/v1/sections/{key}/items (党群直播 lists broadcasts). One page is on screen; DOWN
 * past the last row loads the next page, UP past the first the previous one, LEFT/RIGHT turn
 * a page; "第 2/5 页" in the header. OK on a course, video or broadcast opens the player
 * (a course's media URL is fetched from GET /api/v1/items/{id} first); OK on anything else
 * opens its detail screen. Loading, error (with retry: OK, and by itself every 10 s) and
 * empty states say so in plain words. Back from the player or the detail finds the focus
 * where it was. The screen is "section.<key>" and counts as loading while a page is on its way.
 * 今日南湖, 时代先锋 and 党群直播 are poster grids (screens/list_posters.h); 党教园地 is one row of
 * four posters under its category buttons (screens/list_tabs.h): UP goes to them, and the
 * pages then come with ?category= of the one chosen. */
#ifndef DJTV_LIST_H_SCREEN
#define DJTV_LIST_H_SCREEN

#include "app/screen.h"

/* key: "affairs", "live" …; title: its Chinese name (the header until the server's comes).
 * Starts loading page 1. NULL on out of memory. */
struct screen *list_screen_create(struct app_services *svc, const char *key, const char *title);

#endif
