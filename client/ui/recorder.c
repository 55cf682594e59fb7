#include "ui/recorder.h"

#include "ui/theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REC_MAX_ITEMS = 20000 }; /* a runaway draw loop must not eat memory */

void recorder_init(struct recorder *rec)
{
    memset(rec, 0, sizeof(*rec));
}

static void drop_texts(struct recorder *rec)
{
    for (int i = 0; i < rec->n_texts; i++)
        free(rec->texts[i].text);
    rec->n_texts = 0;
}

void recorder_fini(struct recorder *rec)
{
    drop_texts(rec);
    free(rec->texts);
    free(rec->rects);
    memset(rec, 0, sizeof(*rec));
}

void recorder_begin(struct recorder *rec, SDL_Color clear)
{
    drop_texts(rec);
    rec->n_rects = 0;
    rec->clear = clear;
    rec->clear.a = 255;
}

static int grow(void **arr, int *cap, int n, size_t elem)
{
    if (n < *cap)
        return 0;
    if (n >= REC_MAX_ITEMS)
        return -1;
    int ncap = *cap ? *cap * 2 : 64;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

void recorder_rect(struct recorder *rec, const SDL_Rect *r, SDL_Color c)
{
    if (c.a == 0 || r->w <= 0 || r->h <= 0)
        return;
    if (grow((void **)&rec->rects, &rec->cap_rects, rec->n_rects, sizeof(*rec->rects)) < 0)
        return;
    rec->rects[rec->n_rects].r = *r;
    rec->rects[rec->n_rects].c = c;
    rec->n_rects++;
}

void recorder_text(struct recorder *rec, const char *s, const SDL_Rect *box, int px, SDL_Color fg)
{
    if (grow((void **)&rec->texts, &rec->cap_texts, rec->n_texts, sizeof(*rec->texts)) < 0)
        return;
    char *copy = strdup(s);
    if (!copy)
        return;
    struct rec_text *t = &rec->texts[rec->n_texts++];
    memset(t, 0, sizeof(*t));
    t->text = copy;
    t->box = *box;
    t->px = px;
    t->fg = fg;
    t->rects_before = rec->n_rects;
}

void recorder_text_missing(struct recorder *rec, int missing)
{
    if (rec->n_texts > 0)
        rec->texts[rec->n_texts - 1].missing = missing;
}

static int contains(const SDL_Rect *r, int x, int y)
{
    return x >= r->x && y >= r->y && x < r->x + r->w && y < r->y + r->h;
}

static Uint8 mix(Uint8 top, Uint8 below, Uint8 a)
{
    return (Uint8)((top * a + below * (255 - a) + 127) / 255);
}

SDL_Color recorder_color_at(const struct recorder *rec, int x, int y, int before)
{
    if (before > rec->n_rects)
        before = rec->n_rects;
    for (int i = before - 1; i >= 0; i--) {
        const struct rec_rect *rr = &rec->rects[i];
        if (!contains(&rr->r, x, y))
            continue;
        if (rr->c.a == 255)
            return rr->c;
        SDL_Color below = recorder_color_at(rec, x, y, i);
        SDL_Color out = { mix(rr->c.r, below.r, rr->c.a), mix(rr->c.g, below.g, rr->c.a),
                          mix(rr->c.b, below.b, rr->c.a), 255 };
        return out;
    }
    return rec->clear;
}

/* What lies under a text: sampled at its centre and near its four corners (a text that runs
 * off its panel sits partly on something else); the sample it contrasts least with wins. */
static SDL_Color worst_bg(const struct recorder *rec, const struct rec_text *t)
{
    const SDL_Rect *b = &t->box;
    int in_x = b->w > 8 ? 4 : b->w / 2, in_y = b->h > 8 ? 4 : b->h / 2;
    const int pts[5][2] = {
        { b->x + b->w / 2, b->y + b->h / 2 },       { b->x + in_x, b->y + in_y },
        { b->x + b->w - 1 - in_x, b->y + in_y },    { b->x + in_x, b->y + b->h - 1 - in_y },
        { b->x + b->w - 1 - in_x, b->y + b->h - 1 - in_y },
    };
    SDL_Color worst = recorder_color_at(rec, pts[0][0], pts[0][1], t->rects_before);
    double worst_c = theme_contrast(t->fg, worst);
    for (int i = 1; i < 5; i++) {
        SDL_Color c = recorder_color_at(rec, pts[i][0], pts[i][1], t->rects_before);
        double k = theme_contrast(t->fg, c);
        if (k < worst_c) {
            worst = c;
            worst_c = k;
        }
    }
    return worst;
}

void recorder_finish(struct recorder *rec)
{
    for (int i = 0; i < rec->n_texts; i++) {
        struct rec_text *t = &rec->texts[i];
        int cx = t->box.x + t->box.w / 2, cy = t->box.y + t->box.h / 2;
        t->bg = worst_bg(rec, t);
        t->visible = t->text[0] != '\0';
        for (int k = t->rects_before; k < rec->n_rects && t->visible; k++) {
            if (rec->rects[k].c.a == 255 && contains(&rec->rects[k].r, cx, cy))
                t->visible = 0;
        }
    }
}

int recorder_has_text(const struct recorder *rec, const char *needle)
{
    for (int i = 0; i < rec->n_texts; i++) {
        if (rec->texts[i].visible && strstr(rec->texts[i].text, needle))
            return 1;
    }
    return 0;
}

void recorder_hex(SDL_Color c, char out[8])
{
    snprintf(out, 8, "#%02x%02x%02x", c.r, c.g, c.b);
}

cJSON *recorder_texts_json(const struct recorder *rec)
{
    cJSON *arr = cJSON_CreateArray();
    if (!arr)
        return NULL;
    for (int i = 0; i < rec->n_texts; i++) {
        const struct rec_text *t = &rec->texts[i];
        if (!t->visible)
            continue;
        char fg[8], bg[8];
        recorder_hex(t->fg, fg);
        recorder_hex(t->bg, bg);
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            cJSON_Delete(arr);
            return NULL;
        }
        cJSON_AddItemToArray(arr, o); /* arr owns o from here */
        if (!cJSON_AddStringToObject(o, "text", t->text) ||
            !cJSON_AddNumberToObject(o, "x", t->box.x) ||
            !cJSON_AddNumberToObject(o, "y", t->box.y) ||
            !cJSON_AddNumberToObject(o, "w", t->box.w) ||
            !cJSON_AddNumberToObject(o, "h", t->box.h) ||
            !cJSON_AddNumberToObject(o, "px", t->px) || !cJSON_AddStringToObject(o, "fg", fg) ||
            !cJSON_AddStringToObject(o, "bg", bg) ||
            (t->missing > 0 && !cJSON_AddNumberToObject(o, "missing_glyphs", t->missing))) {
            cJSON_Delete(arr);
            return NULL;
        }
    }
    return arr;
}
