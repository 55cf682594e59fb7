/* Poster/photo loader: decoding from memory and files, shrinking to a box, bad input, the
 * texture cache's budget and LRU eviction, where the image widget puts a picture in its box
 * (plain rectangles), and the loader's worker thread with its cache bounded in megabytes. Images are made at test time with
 * SDL2_image (PNG and JPEG); the renderer is SDL's software one on the dummy driver. */
#include "../check.h"
#include "log.h"
#include "ui/image.h"
#include "ui/image_loader.h"
#include "ui/image_view.h"

#include <SDL2/SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    char dir[64];
    char png[128], jpg[128], wide[128], broken[128];
    SDL_Window *win;   /* owned */
    SDL_Renderer *ren; /* owned */
};

static struct fixture F; /* this test program's fixture (set up once in main) */

/* A w x h picture: left half red, right half blue. */
static SDL_Surface *make_picture(int w, int h)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        return NULL;
    SDL_Rect left = {0, 0, w / 2, h}, right = {w / 2, 0, w - w / 2, h};
    SDL_FillRect(s, &left, SDL_MapRGB(s->format, 220, 20, 20));
    SDL_FillRect(s, &right, SDL_MapRGB(s->format, 20, 20, 220));
    return s;
}

static Uint32 pixel(SDL_Surface *s, int x, int y)
{
    return ((Uint32 *)((Uint8 *)s->pixels + y * s->pitch))[x];
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *d = malloc(n > 0 ? (size_t)n : 1);
    if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
        free(d);
        d = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return d;
}

static void test_decode_png_from_memory(void)
{
    size_t len;
    char *data = read_all(F.png, &len);
    CHECK(data != NULL);
    SDL_Surface *s = NULL;
    CHECK_EQ_INT(image_decode(data, len, 0, 0, &s), 0);
    CHECK(s != NULL);
    if (s) {
        CHECK_EQ_INT(s->w, 320);
        CHECK_EQ_INT(s->h, 240);
        CHECK_EQ_INT(s->format->format, SDL_PIXELFORMAT_ARGB8888);
        Uint8 r, g, b;
        SDL_GetRGB(pixel(s, 10, 10), s->format, &r, &g, &b);
        CHECK(r > 200 && b < 40);
        SDL_GetRGB(pixel(s, 300, 200), s->format, &r, &g, &b);
        CHECK(b > 200 && r < 40);
        SDL_FreeSurface(s);
    }
    free(data);
}

static void test_shrinks_to_box_keeping_aspect(void)
{
    SDL_Surface *s = NULL;
    /* 1600x1200 JPEG into a 400x400 box: 400x300. */
    CHECK_EQ_INT(image_decode_file(F.jpg, 400, 400, &s), 0);
    if (s) {
        CHECK_EQ_INT(s->w, 400);
        CHECK_EQ_INT(s->h, 300);
        SDL_FreeSurface(s);
    }
    /* 1920x480 into 480x270: width bound, 480x120. */
    CHECK_EQ_INT(image_decode_file(F.wide, 480, 270, &s), 0);
    if (s) {
        CHECK_EQ_INT(s->w, 480);
        CHECK_EQ_INT(s->h, 120);
        SDL_FreeSurface(s);
    }
    /* Never enlarged. */
    CHECK_EQ_INT(image_decode_file(F.png, 1920, 1080, &s), 0);
    if (s) {
        CHECK_EQ_INT(s->w, 320);
        SDL_FreeSurface(s);
    }
}

static void test_bad_input(void)
{
    SDL_Surface *s = (SDL_Surface *)&F; /* must be reset to NULL */
    CHECK_EQ_INT(image_decode(NULL, 0, 0, 0, &s), -EINVAL);
    CHECK(s == NULL);
    static const char junk[] = "this is not an image at all, just some words";
    CHECK_EQ_INT(image_decode(junk, sizeof(junk), 0, 0, &s), -EINVAL);
    CHECK_EQ_INT(image_decode_file(F.broken, 0, 0, &s), -EINVAL); /* truncated PNG */
    CHECK_EQ_INT(image_decode_file("/nonexistent/poster.png", 0, 0, &s), -ENOENT);
    CHECK_EQ_INT(image_decode(junk, (size_t)IMAGE_MAX_BYTES + 1, 0, 0, &s), -E2BIG);
    CHECK(s == NULL);
    /* Damage inside a complete PNG (checksums fail) and a JPEG cut short (decodes what
     * arrived, or fails): never a crash. */
    size_t len;
    char *png = read_all(F.png, &len);
    if (png) {
        for (size_t i = len / 3; i < len / 3 + 64; i++)
            png[i] = (char)(png[i] ^ 0x5a);
        CHECK_EQ_INT(image_decode(png, len, 0, 0, &s), -EINVAL);
        free(png);
    }
    char *jpg = read_all(F.jpg, &len);
    if (jpg) {
        int ret = image_decode(jpg, len / 2, 0, 0, &s);
        CHECK(ret == 0 || ret == -EINVAL);
        CHECK((ret == 0) == (s != NULL));
        SDL_FreeSurface(s);
        free(jpg);
    }
}

static void test_cache_budget_and_lru(void)
{
    /* Budget for two 320x240 images (307200 bytes each). */
    struct image_cache *c = image_cache_create(2 * 320 * 240 * 4);
    CHECK(c != NULL);
    if (!c)
        return;
    SDL_Surface *pic = make_picture(320, 240);
    CHECK_EQ_INT(image_cache_put(c, F.ren, "a", pic), 0);
    CHECK_EQ_INT(image_cache_put(c, F.ren, "b", pic), 0);
    CHECK_EQ_INT(image_cache_count(c), 2);
    int w = 0, h = 0;
    CHECK(image_cache_get(c, "a", &w, &h) != NULL); /* a is now the most recent */
    CHECK_EQ_INT(w, 320);
    CHECK_EQ_INT(h, 240);
    CHECK_EQ_INT(image_cache_put(c, F.ren, "c", pic), 0); /* evicts b */
    CHECK(image_cache_get(c, "b", NULL, NULL) == NULL);
    CHECK(image_cache_get(c, "a", NULL, NULL) != NULL);
    CHECK(image_cache_get(c, "c", NULL, NULL) != NULL);
    CHECK_EQ_INT(image_cache_bytes(c), 2 * 320 * 240 * 4);
    /* Replacing a key does not grow the cache. */
    CHECK_EQ_INT(image_cache_put(c, F.ren, "c", pic), 0);
    CHECK_EQ_INT(image_cache_count(c), 2);
    /* Files: loaded once, then served from the cache. */
    SDL_Texture *t1 = image_cache_load_file(c, F.ren, F.jpg, 400, 400);
    SDL_Texture *t2 = image_cache_load_file(c, F.ren, F.jpg, 400, 400);
    CHECK(t1 != NULL && t1 == t2);
    CHECK(image_cache_load_file(c, F.ren, "/nonexistent.jpg", 0, 0) == NULL);
    image_cache_clear(c);
    CHECK_EQ_INT(image_cache_count(c), 0);
    CHECK_EQ_INT(image_cache_bytes(c), 0);
    /* More entries than slots: the oldest go. */
    SDL_Surface *tiny = make_picture(4, 4);
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof(key), "k%d", i);
        CHECK_EQ_INT(image_cache_put(c, F.ren, key, tiny), 0);
    }
    CHECK(image_cache_count(c) <= 64);
    CHECK(image_cache_get(c, "k99", NULL, NULL) != NULL);
    CHECK(image_cache_get(c, "k0", NULL, NULL) == NULL);
    SDL_FreeSurface(tiny);
    SDL_FreeSurface(pic);
    image_cache_destroy(c);
    image_cache_destroy(NULL);
}

static void test_fit_on_plain_rectangles(void)
{
    SDL_Rect box = { 100, 200, 400, 300 };
    /* 4:3 in 4:3: the whole box. */
    SDL_Rect r = ui_image_fit(&box, 320, 240);
    CHECK(r.x == 100 && r.y == 200 && r.w == 400 && r.h == 300);
    /* Wide: full width, centred vertically. */
    r = ui_image_fit(&box, 1920, 480);
    CHECK(r.w == 400 && r.h == 100 && r.x == 100 && r.y == 300);
    /* Tall: full height, centred horizontally. */
    r = ui_image_fit(&box, 120, 160);
    CHECK(r.h == 300 && r.w == 225 && r.y == 200 && r.x == 187);
    /* Small pictures grow to the box too (the cache holds them shrunk, never enlarged). */
    r = ui_image_fit(&box, 4, 3);
    CHECK(r.w == 400 && r.h == 300);
    /* Nonsense sizes: the box. */
    r = ui_image_fit(&box, 0, 10);
    CHECK(r.x == box.x && r.w == box.w && r.h == box.h);
}

/* Collect until key leaves IMAGE_DECODING (at most 5 s). */
static enum image_state settle(struct image_loader *l, const char *key)
{
    for (int i = 0; i < 1000; i++) {
        image_loader_collect(l, F.ren);
        enum image_state st = image_loader_state(l, key);
        if (st != IMAGE_DECODING)
            return st;
        SDL_Delay(5);
    }
    return IMAGE_DECODING;
}

static void test_loader_decodes_off_thread_within_megabytes(void)
{
    struct image_loader *l = image_loader_create(1, 0); /* 1 MiB of textures */
    CHECK(l != NULL);
    if (!l)
        return;
    size_t len;
    char *png = read_all(F.png, &len); /* 320x240: 307200 bytes as a texture */
    CHECK(png != NULL);
    if (!png) {
        image_loader_destroy(l);
        return;
    }
    CHECK_EQ_INT(image_loader_state(l, "/a.png"), IMAGE_NONE);
    CHECK_EQ_INT(image_loader_submit(l, "/a.png", png, len, 0, 0), 0);
    CHECK(image_loader_state(l, "/a.png") != IMAGE_NONE); /* decoding (or done) at once */
    CHECK_EQ_INT(settle(l, "/a.png"), IMAGE_READY);
    int w = 0, h = 0;
    CHECK(image_loader_get(l, "/a.png", &w, &h) != NULL);
    CHECK_EQ_INT(w, 320);
    CHECK_EQ_INT(h, 240);
    /* A box given: shrunk on the worker. */
    CHECK_EQ_INT(image_loader_submit(l, "/small.png", png, len, 160, 160), 0);
    CHECK_EQ_INT(settle(l, "/small.png"), IMAGE_READY);
    image_loader_get(l, "/small.png", &w, &h);
    CHECK_EQ_INT(w, 160);
    CHECK_EQ_INT(h, 120);
    /* Three full-size pictures fit 1 MiB with the small one; a fourth evicts the least
     * recently used (/b.png: /a.png was looked at after it). */
    CHECK_EQ_INT(image_loader_submit(l, "/b.png", png, len, 0, 0), 0);
    CHECK_EQ_INT(settle(l, "/b.png"), IMAGE_READY);
    CHECK_EQ_INT(image_loader_submit(l, "/c.png", png, len, 0, 0), 0);
    CHECK_EQ_INT(settle(l, "/c.png"), IMAGE_READY);
    CHECK(image_loader_get(l, "/a.png", NULL, NULL) != NULL);
    CHECK_EQ_INT(image_loader_submit(l, "/d.png", png, len, 0, 0), 0);
    CHECK_EQ_INT(settle(l, "/d.png"), IMAGE_READY);
    CHECK_EQ_INT(image_loader_state(l, "/b.png"), IMAGE_NONE); /* evicted: submit again */
    CHECK_EQ_INT(image_loader_state(l, "/a.png"), IMAGE_READY);
    CHECK(image_loader_cache_bytes(l) <= 1024 * 1024);
    /* Not an image: failed, and said so; new bytes for the key are tried again. */
    static const char junk[] = "GIF89a? no, just words";
    CHECK_EQ_INT(image_loader_submit(l, "/junk.png", junk, sizeof(junk), 0, 0), 0);
    CHECK_EQ_INT(settle(l, "/junk.png"), IMAGE_FAILED);
    CHECK_EQ_INT(image_loader_submit(l, "/junk.png", png, len, 0, 0), 0);
    CHECK_EQ_INT(settle(l, "/junk.png"), IMAGE_READY);
    /* Bad arguments. */
    CHECK_EQ_INT(image_loader_submit(l, "/x", NULL, 0, 0, 0), -EINVAL);
    CHECK_EQ_INT(image_loader_submit(l, "/x", png, (size_t)IMAGE_MAX_BYTES + 1, 0, 0), -E2BIG);
    /* The renderer lost its textures: everything is NONE again. */
    image_loader_forget_textures(l);
    CHECK_EQ_INT(image_loader_state(l, "/a.png"), IMAGE_NONE);
    CHECK_EQ_INT(image_loader_cache_bytes(l), 0);
    /* Destroyed with decodes still queued: no leak, no hang. */
    for (int i = 0; i < 8; i++) {
        char key[16];
        snprintf(key, sizeof(key), "/q%d", i);
        image_loader_submit(l, key, png, len, 0, 0);
    }
    image_loader_destroy(l);
    image_loader_destroy(NULL);
    free(png);
}

static int setup(void)
{
    snprintf(F.dir, sizeof(F.dir), "/tmp/djtv-image-XXXXXX");
    if (!mkdtemp(F.dir))
        return -1;
    snprintf(F.png, sizeof(F.png), "%s/a.png", F.dir);
    snprintf(F.jpg, sizeof(F.jpg), "%s/big.jpg", F.dir);
    snprintf(F.wide, sizeof(F.wide), "%s/wide.png", F.dir);
    snprintf(F.broken, sizeof(F.broken), "%s/broken.png", F.dir);
    SDL_Surface *a = make_picture(320, 240), *big = make_picture(1600, 1200),
                *wide = make_picture(1920, 480);
    int ret = a && big && wide && IMG_SavePNG(a, F.png) == 0 && IMG_SaveJPG(big, F.jpg, 85) == 0 &&
                      IMG_SavePNG(wide, F.wide) == 0
                  ? 0
                  : -1;
    SDL_FreeSurface(a);
    SDL_FreeSurface(big);
    SDL_FreeSurface(wide);
    size_t len;
    char *d = read_all(F.png, &len);
    FILE *f = fopen(F.broken, "wb");
    if (!d || !f || fwrite(d, 1, len / 2, f) != len / 2)
        ret = -1;
    if (f)
        fclose(f);
    free(d);
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return -1;
    F.win = SDL_CreateWindow("image-test", 0, 0, 640, 360, SDL_WINDOW_HIDDEN);
    F.ren = F.win ? SDL_CreateRenderer(F.win, -1, SDL_RENDERER_SOFTWARE) : NULL;
    return F.ren ? ret : -1;
}

static void teardown(void)
{
    unlink(F.png);
    unlink(F.jpg);
    unlink(F.wide);
    unlink(F.broken);
    rmdir(F.dir);
    if (F.ren)
        SDL_DestroyRenderer(F.ren);
    if (F.win)
        SDL_DestroyWindow(F.win);
    IMG_Quit();
    SDL_Quit();
}

int main(void)
{
    log_set_level(LOG_WARN);
    if (setup() < 0) {
        printf("not ok - setup: cannot make test images or start SDL\n");
        teardown();
        return 1;
    }
    RUN(test_decode_png_from_memory);
    RUN(test_shrinks_to_box_keeping_aspect);
    RUN(test_bad_input);
    RUN(test_cache_budget_and_lru);
    RUN(test_fit_on_plain_rectangles);
    RUN(test_loader_decodes_off_thread_within_megabytes);
    teardown();
    return CHECK_DONE();
}
