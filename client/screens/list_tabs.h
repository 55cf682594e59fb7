/* The category buttons over the 党教园地 poster grid: "全部" first, then the categories the
 * server lists for this box (GET /api/v1/sections/{key}/categories), each button as wide as its
 * name. LEFT/RIGHT move along them and choose at once (the grid below reloads with that
 * category's courses); a thick bar under the chosen button stays while the grid has the focus. When
 * the list cannot be had only "全部" shows, and the grid works as before.
 *
 * The list screen (screens/list.h) owns the grid, the paging and which part has the focus. */
#ifndef DJTV_LIST_TABS_H
#define DJTV_LIST_TABS_H

#include <cJSON.h>
#include <stdint.h>

#include "app/owner.h"
#include "input/action.h"
#include "net/catalogue.h"
#include "ui/ui.h"

enum { LIST_TABS_MAX = 8, LIST_TABS_H = 100 };

struct list_tabs {
    struct cat_categories cats; /* as the server said; n = 0 until it has */
    char chosen[API_NAME_MAX];  /* the chosen category; "" = 全部 */
    int focus;                  /* the focused button (0 = 全部) while the tabs have the focus */
    int64_t serial;             /* the categories asked for, 0 = none in flight */
    char key[32];
    SDL_Rect area;              /* the row of buttons */
    struct owner *owner;        /* borrowed */
};

void list_tabs_init(struct list_tabs *t, struct owner *owner, const char *key, SDL_Rect area);
/* Ask for the categories unless they are here or on their way. */
void list_tabs_fetch(struct list_tabs *t);
/* 1 if r answers this module's request. */
int list_tabs_take(struct list_tabs *t, const struct net_result *r);
/* The chosen category, NULL for 全部. */
const char *list_tabs_chosen(const struct list_tabs *t);
/* The focused button's label ("全部" or a category). */
const char *list_tabs_focused(const struct list_tabs *t);
/* Put the focus on the chosen button (the tabs take the focus). */
void list_tabs_focus_chosen(struct list_tabs *t);
/* LEFT/RIGHT move the focus and choose that button: returns 1 when the chosen category
 * changed. *handled = 1 for the arrows along the row (also at its ends). */
int list_tabs_action(struct list_tabs *t, enum action a, int *handled);
/* has_focus 0: no ring (the grid has the focus); the chosen button keeps its bar. */
void list_tabs_draw(struct list_tabs *t, struct ui *ui, int has_focus);
/* "categories": [{"name","count"}] as the server listed them, "category": the chosen one's
 * name ("全部" for every item). */
void list_tabs_dump(const struct list_tabs *t, cJSON *state);

#endif
