#include "screens/section.h"

#include <stdio.h>
#include <stdlib.h>

#include "ui/theme.h"
#include "ui/widgets.h"

struct section {
    struct screen base;
    char title[96];
};

static void section_destroy(struct screen *s)
{
    free(s);
}

static int section_action(struct screen *s, enum action a, struct nav *nav)
{
    (void)s;
    (void)a;
    (void)nav;
    return 0; /* BACK and HOME do what they do everywhere */
}

static void section_draw(struct screen *s, struct ui *ui)
{
    struct section *sec = (struct section *)s;
    ui_draw_header_title(ui, sec->title);
    SDL_Rect panel = { (THEME_W - 1200) / 2, THEME_CONTENT_Y + 60, 1200, 420 };
    char line[256];
    snprintf(line, sizeof(line), "“%s”栏目正在准备中", sec->title);
    ui_draw_panel(ui, &panel, "即将开放", line, "按“返回”键回到上一页");
    static const struct ui_hint hints[] = {
        { "返回", "上一页" },
        { "主页", "回首页" },
    };
    ui_draw_hint_bar(ui, hints, 2);
}

static const struct screen_ops section_ops = {
    .destroy = section_destroy,
    .on_action = section_action,
    .on_net = NULL,
    .tick = NULL,
    .draw = section_draw,
    .focus_name = NULL,
};

struct screen *section_screen_create(struct app_services *svc, const char *key,
                                     const char *title)
{
    struct section *sec = calloc(1, sizeof(*sec));
    if (!sec)
        return NULL;
    sec->base.ops = &section_ops;
    sec->base.svc = svc;
    sec->base.dirty = 1;
    snprintf(sec->base.name, sizeof(sec->base.name), "section.%s", key);
    snprintf(sec->title, sizeof(sec->title), "%s", title);
    return &sec->base;
}
