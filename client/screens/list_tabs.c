/* The category buttons over a poster grid (see list_tabs.h). */
#define LOG_TAG "tabs"
#include "screens/list_tabs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "net/api.h"
#include "ui/button.h"
#include "ui/layout.h"
#include "ui/theme.h"
#include "ui/widget_log.h"

enum {
    TAB_GAP = 24,  /* between buttons: seven of them fit the content band */
    TAB_PAD = 24,  /* the button's own inset (ui_draw_button) each side of its label */
    TAB_SLACK = 8, /* so a label measured to the pixel is never cut */
    TAB_MARK_H = 10, /* the bar under the chosen button */
};

static const char ALL[] = "全部";

void list_tabs_init(struct list_tabs *t, struct owner *owner, const char *key, SDL_Rect area)
{
    memset(t, 0, sizeof(*t));
    t->owner = owner;
    t->area = area;
    snprintf(t->key, sizeof(t->key), "%s", key);
}

void list_tabs_fetch(struct list_tabs *t)
{
    struct net *net = t->owner->svc->net;
    if (t->cats.n > 0 || t->serial || !net)
        return;
    int64_t serial = owner_track(t->owner, api_section_categories(net, t->key));
    if (serial > 0)
        t->serial = serial;
    else
        log_warn("cannot ask for the categories of %s", t->key);
}

int list_tabs_take(struct list_tabs *t, const struct net_result *r)
{
    if (!t->serial || r->serial != t->serial)
        return 0;
    t->serial = 0;
    t->owner->dirty = 1;
    char why[256] = "";
    struct cat_categories c;
    if (r->error != NET_OK || r->http_status != 200 ||
        cat_parse_categories(r->body ? r->body : "", &c, why, sizeof(why)) < 0) {
        log_warn("categories of %s: %s, HTTP %ld %s", t->key, net_error_str(r->error),
                 r->http_status, why);
        return 1; /* only 全部: asked again with the next page */
    }
    if (c.n > LIST_TABS_MAX - 1)
        c.n = LIST_TABS_MAX - 1;
    t->cats = c;
    return 1;
}

static int n_buttons(const struct list_tabs *t)
{
    return 1 + t->cats.n;
}

static const char *label_of(const struct list_tabs *t, int i)
{
    return i == 0 ? ALL : t->cats.items[i - 1].name;
}

/* The chosen button's index: 0 for 全部, or when the chosen category is not listed (yet). */
static int chosen_index(const struct list_tabs *t)
{
    for (int i = 0; t->chosen[0] && i < t->cats.n; i++)
        if (strcmp(t->cats.items[i].name, t->chosen) == 0)
            return i + 1;
    return 0;
}

const char *list_tabs_chosen(const struct list_tabs *t)
{
    return t->chosen[0] ? t->chosen : NULL;
}

const char *list_tabs_focused(const struct list_tabs *t)
{
    return label_of(t, t->focus < n_buttons(t) ? t->focus : 0);
}

void list_tabs_focus_chosen(struct list_tabs *t)
{
    t->focus = chosen_index(t);
}

int list_tabs_action(struct list_tabs *t, enum action a, int *handled)
{
    *handled = 0;
    if (a != ACTION_LEFT && a != ACTION_RIGHT)
        return 0;
    *handled = 1;
    int next = t->focus + (a == ACTION_LEFT ? -1 : 1);
    if (next < 0 || next >= n_buttons(t))
        return 0;
    t->focus = next;
    snprintf(t->chosen, sizeof(t->chosen), "%s", next == 0 ? "" : label_of(t, next));
    t->owner->dirty = 1;
    return 1;
}

void list_tabs_draw(struct list_tabs *t, struct ui *ui, int has_focus)
{
    int chosen = chosen_index(t);
    SDL_Rect r[LIST_TABS_MAX];
    int x = t->area.x;
    for (int i = 0; i < n_buttons(t); i++) {
        int w = ui_text_width(ui, label_of(t, i), THEME_PX_BODY, FONT_BOLD) + 2 * TAB_PAD +
                TAB_SLACK;
        r[i] = (SDL_Rect){ x, t->area.y, w, t->area.h - 2 * TAB_MARK_H };
        x += w + TAB_GAP;
    }
    /* Too wide for the band (long names from the server): share it out evenly instead. */
    if (x - TAB_GAP > t->area.x + t->area.w) {
        for (int i = 0; i < n_buttons(t); i++) {
            r[i] = layout_grid_cell(&t->area, n_buttons(t), 1, TAB_GAP, i);
            r[i].h = t->area.h - 2 * TAB_MARK_H;
        }
    }
    /* The chosen category: a thick bar under its button, also while the posters have the
     * focus (a shape, not a colour alone). */
    SDL_Rect mark = { r[chosen].x, r[chosen].y + r[chosen].h + TAB_MARK_H, r[chosen].w,
                      TAB_MARK_H };
    ui_fill_rect(ui, &mark, theme_color(COL_FOCUS));
    for (int pass = 0; pass < 2; pass++) { /* the focused one last: its ring on top */
        for (int i = 0; i < n_buttons(t); i++) {
            int focused = has_focus && i == t->focus;
            if (focused == pass)
                ui_draw_button(ui, &r[i], label_of(t, i), 0, focused, 0, THEME_PX_BODY);
        }
    }
    char state[64];
    snprintf(state, sizeof(state), "focus=%d chosen=%d n=%d", t->focus, chosen, n_buttons(t));
    widget_log_add(&ui->widgets, "tabs", "categories", &t->area, has_focus, state);
}

void list_tabs_dump(const struct list_tabs *t, cJSON *state)
{
    cJSON *arr = cJSON_AddArrayToObject(state, "categories");
    for (int i = 0; arr && i < t->cats.n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, "name", t->cats.items[i].name);
        cJSON_AddNumberToObject(o, "count", t->cats.items[i].count);
        cJSON_AddItemToArray(arr, o);
    }
    cJSON_AddStringToObject(state, "category", t->chosen[0] ? t->chosen : ALL);
}
