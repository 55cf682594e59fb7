/* Records what a frame drew: every filled rect and every text, in drawing order. After the
 * frame, each text gets the colour it sits on ("bg": at its centre and near its four corners
 * the topmost filled rect drawn before it, translucent fills blended over what is below,
 * else the clear colour; of those five the one it contrasts least with) and is marked hidden when an opaque rect drawn after it covers its centre.
 * Feeds --dump-ui and the script's wait-text. Pure data: no rendering here. */
#ifndef DJTV_RECORDER_H
#define DJTV_RECORDER_H

#include <SDL.h>
#include <cjson/cJSON.h>

struct rec_rect {
    SDL_Rect r;
    SDL_Color c; /* a < 255: blended over what is below */
};

struct rec_text {
    char *text;  /* owned */
    SDL_Rect box;
    int px;
    SDL_Color fg;
    SDL_Color bg;   /* set by recorder_finish() */
    int visible;    /* set by recorder_finish() */
    int rects_before; /* rects drawn before this text */
    int missing;      /* characters no installed face has (drawn as placeholders) */
};

struct recorder {
    struct rec_rect *rects; /* owned */
    int n_rects, cap_rects;
    struct rec_text *texts; /* owned */
    int n_texts, cap_texts;
    SDL_Color clear;
};

void recorder_init(struct recorder *rec);
void recorder_fini(struct recorder *rec);
/* Start a frame cleared to `clear`; forgets the previous frame. */
void recorder_begin(struct recorder *rec, SDL_Color clear);
/* Fully transparent rects and empty boxes are ignored. Out of memory drops the record. */
void recorder_rect(struct recorder *rec, const SDL_Rect *r, SDL_Color c);
void recorder_text(struct recorder *rec, const char *s, const SDL_Rect *box, int px, SDL_Color fg);
/* The text just recorded has `missing` characters drawn as placeholders; the dump says so. */
void recorder_text_missing(struct recorder *rec, int missing);
void recorder_finish(struct recorder *rec);

/* The colour at point (x, y) under everything drawn before rect number `before`. */
SDL_Color recorder_color_at(const struct recorder *rec, int x, int y, int before);
/* 1 if a visible text contains needle (substring). */
int recorder_has_text(const struct recorder *rec, const char *needle);
/* The visible texts as the dump's "texts" array ("missing_glyphs" on a text with
 * placeholders); NULL on out of memory. */
cJSON *recorder_texts_json(const struct recorder *rec);
/* "#rrggbb" */
void recorder_hex(SDL_Color c, char out[8]);

#endif
