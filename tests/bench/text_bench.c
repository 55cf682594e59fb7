/* One cold first draw of a 40-name list, for tests/bench/text.py: a fresh process (so the
 * font sizes, the glyph cache, the text cache and fontconfig are all cold), SDL's software
 * renderer on a 1920x1080 surface, the UI's own text path (ui_text: fallback faces and
 * placeholders included). Prints one JSON line: the draw's milliseconds, and the resident
 * memory the fonts added (RSS after the draw minus RSS before the fonts were opened, minus the
 * text textures, which a GPU would hold), in all and of it anonymous (not the font files'
 * mapped pages, which the page cache shares and can drop).
 *   text_bench FONT [name-file]   (one name per line; default: the built-in list) */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ui.h"

/* Forty household lines as the TV shows them: names of GB2312, names beyond it (in the
 * shipped subset since issue 14) and names of Extension B (drawn from the fallback face). */
static const char *const names[] = {
    "林玉山",   "朱兰英",   "王喆",     "李堃",     "𠮷祥云",   "朱镕芳",   "𠮷珺",
    "张建国",   "刘桂兰",   "陈志强",   "杨秀英",   "赵德福",   "孙玉兰",   "周振华",
    "徐淑珍",   "马学文",   "胡凤英",   "郭保国",   "高翠花",   "林长顺",   "郑玥",
    "宋昇",     "韩赟",     "冯犇",     "于垚",     "董彧",     "程珺",     "曹𠀾明",
    "袁𠁆",     "许𠂇华",   "丁𠃵",     "魏𠆢",     "薛福生",   "厉树林",   "秦玉梅",
    "崔广明",   "苏庆余",   "吕春生",   "牟𠈓兰",   "卢洪亮",
};

static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double now_ms(void)
{
    return clock_ms(CLOCK_MONOTONIC);
}

/* A line of /proc/self/status in kB ("VmRSS:", "RssAnon:", "RssFile:"). */
static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, key, n) == 0)
            kb = strtol(line + n, NULL, 10);
    }
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: text_bench FONT\n");
        return 2;
    }
    if (TTF_Init() < 0)
        return 1;
    SDL_Surface *target = SDL_CreateRGBSurfaceWithFormat(0, 1920, 1080, 32,
                                                         SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = target ? SDL_CreateSoftwareRenderer(target) : NULL;
    if (!r)
        return 1;
    long before = status_kb("VmRSS:"), anon_before = status_kb("RssAnon:");
    char err[256];
    struct ui *ui = ui_create(r, argv[1], -1, err, sizeof(err));
    if (!ui) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    SDL_Color bg = { 0x40, 0x08, 0x0a, 255 }, fg = { 255, 255, 255, 255 };
    double t0 = now_ms(), cpu0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    ui_begin_frame(ui, bg);
    int n = (int)(sizeof(names) / sizeof(names[0]));
    for (int i = 0; i < n; i++) /* two columns of 20 rows, as a list screen would */
        ui_text(ui, names[i], 96 + (i / 20) * 900, 60 + (i % 20) * 48, 40, FONT_REGULAR, fg);
    ui_end_frame(ui);
    SDL_RenderPresent(r);
    double t1 = now_ms(), cpu1 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    struct text_cache_stats st;
    text_cache_stats(ui->texts, &st);
    int missing = 0;
    for (int i = 0; i < n; i++)
        missing += fonts_missing(ui->fonts, names[i]);
    long after = status_kb("VmRSS:"), anon_after = status_kb("RssAnon:");
    double tex_mb = st.bytes / 1048576.0;
    printf("{\"first_ms\": %.2f, \"cpu_ms\": %.2f, \"rss_mb\": %.2f, \"anon_mb\": %.2f, \"textures_mb\": %.2f, "
           "\"names\": %d, \"missing\": %d}\n", t1 - t0, cpu1 - cpu0, (after - before) / 1024.0 - tex_mb,
           (anon_after - anon_before) / 1024.0 - tex_mb, tex_mb, n, missing);
    ui_destroy(ui);
    SDL_DestroyRenderer(r);
    SDL_FreeSurface(target);
    TTF_Quit();
    return 0;
}
