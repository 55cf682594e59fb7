/* Poster/photo loader: decoding from memory and files, shrinking to a box, bad input, and
 * the texture cache's budget and LRU eviction. Images are made at test time with
 * SDL2_image (PNG and JPEG); the renderer is SDL's software one on the dummy driver. */
#include "../check.h"
#include "log.h"
#include "media/image.h"

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
    teardown();
    return CHECK_DONE();
}
