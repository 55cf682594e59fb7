#define LOG_TAG "font"
#include "ui/font_fallback.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>

#include "log.h"

struct font_fallbacks {
    FcConfig *config; /* owned: a private configuration, so nothing global is left behind */
    FcFontSet *set;   /* owned: the faces, best first, trimmed to those that add coverage */
};

struct font_fallbacks *font_fallbacks_load(void)
{
    struct font_fallbacks *fb = calloc(1, sizeof(*fb));
    if (!fb)
        return NULL;
    fb->config = FcInitLoadConfigAndFonts();
    FcPattern *pat = FcNameParse((const FcChar8 *)"sans-serif:lang=zh-cn");
    if (!fb->config || !pat)
        goto fail;
    FcConfigSubstitute(fb->config, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    fb->set = FcFontSort(fb->config, pat, FcTrue, NULL, &res);
    FcPatternDestroy(pat);
    pat = NULL;
    if (!fb->set || fb->set->nfont == 0)
        goto fail;
    return fb;
fail:
    log_warn("fontconfig lists no fonts: characters missing from the shipped font will show "
             "as placeholders");
    if (pat)
        FcPatternDestroy(pat);
    font_fallbacks_free(fb);
    return NULL;
}

void font_fallbacks_free(struct font_fallbacks *fb)
{
    if (!fb)
        return;
    if (fb->set)
        FcFontSetDestroy(fb->set);
    if (fb->config)
        FcConfigDestroy(fb->config);
    free(fb);
}

int font_fallbacks_count(const struct font_fallbacks *fb)
{
    return fb ? fb->set->nfont : 0;
}

int font_fallbacks_find(const struct font_fallbacks *fb, uint32_t cp)
{
    for (int n = 0; n < font_fallbacks_count(fb); n++) {
        FcCharSet *cs = NULL;
        if (FcPatternGetCharSet(fb->set->fonts[n], FC_CHARSET, 0, &cs) == FcResultMatch &&
            FcCharSetHasChar(cs, cp))
            return n;
    }
    return -1;
}

int font_fallbacks_file(const struct font_fallbacks *fb, int n, const char **path, int *index)
{
    if (n < 0 || n >= font_fallbacks_count(fb))
        return -1;
    FcChar8 *file = NULL;
    if (FcPatternGetString(fb->set->fonts[n], FC_FILE, 0, &file) != FcResultMatch)
        return -1;
    if (FcPatternGetInteger(fb->set->fonts[n], FC_INDEX, 0, index) != FcResultMatch)
        *index = 0;
    *path = (const char *)file;
    return 0;
}
