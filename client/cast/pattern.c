/* The built-in test pattern: colour bars, a square that moves (so motion is visible), the wall
 * clock in milliseconds as big digits, and the same clock as two rows of black/white blocks
 * that a reader decodes without OCR. The tone is a 1 kHz sine. */
#include "cast.h"

#include <libavutil/frame.h>
#include <math.h>
#include <string.h>
#include <time.h>

/* 5x7 glyphs of "0123456789:.", one byte per row, bit 4 = leftmost column. */
static const uint8_t GLYPHS[12][7] = {
    { 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e }, { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e },
    { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f }, { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e },
    { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02 }, { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e },
    { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e }, { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08 },
    { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e }, { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c },
    { 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00 }, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c },
};

/* BT.601 limited-range colours of the bars: white, yellow, cyan, green, magenta, red, blue. */
static const uint8_t BARS[7][3] = {
    { 235, 128, 128 }, { 210, 16, 146 }, { 170, 166, 16 }, { 145, 54, 34 },
    { 106, 202, 222 }, { 81, 90, 240 },  { 41, 240, 110 },
};

static void fill(AVFrame *f, int x, int y, int w, int h, uint8_t Y, uint8_t U, uint8_t V)
{
    if (x < 0) { w += x; x = 0; }
    if (y < 0) { h += y; y = 0; }
    if (x + w > f->width) w = f->width - x;
    if (y + h > f->height) h = f->height - y;
    if (w <= 0 || h <= 0)
        return;
    for (int r = y; r < y + h; r++)
        memset(f->data[0] + (size_t)r * f->linesize[0] + x, Y, (size_t)w);
    for (int r = y / 2; r < (y + h + 1) / 2; r++) {
        memset(f->data[1] + (size_t)r * f->linesize[1] + x / 2, U, (size_t)(w + 1) / 2);
        memset(f->data[2] + (size_t)r * f->linesize[2] + x / 2, V, (size_t)(w + 1) / 2);
    }
}

static void glyph(AVFrame *f, int g, int x, int y, int scale)
{
    for (int r = 0; r < 7; r++)
        for (int c = 0; c < 5; c++)
            if (GLYPHS[g][r] & (0x10 >> c))
                fill(f, x + c * scale, y + r * scale, scale, scale, 235, 128, 128);
}

/* "HH:MM:SS.mmm" in Beijing time (UTC+8), the clock of the room. */
static void draw_clock_text(AVFrame *f, int64_t ms, int scale)
{
    int64_t day_ms = (ms + 8 * 3600 * 1000LL) % (86400 * 1000LL);
    int h = (int)(day_ms / 3600000), m = (int)(day_ms / 60000 % 60), s = (int)(day_ms / 1000 % 60);
    int milli = (int)(day_ms % 1000);
    int g[12] = { h / 10, h % 10, 10, m / 10, m % 10, 10, s / 10, s % 10, 11,
                  milli / 100, milli / 10 % 10, milli % 10 };
    int step = 6 * scale, width = 12 * step;
    int x0 = (f->width - width) / 2, y0 = f->height / 2 - 4 * scale;
    fill(f, x0 - scale * 2, y0 - scale * 2, width + scale * 3, 11 * scale, 16, 128, 128);
    for (int i = 0; i < 12; i++)
        glyph(f, g[i], x0 + i * step, y0, scale);
}

static void draw_clock_blocks(AVFrame *f, int64_t ms)
{
    int b = f->width / 64;
    int y0 = f->height - 5 * b;
    fill(f, b, y0 - b / 2, (CLOCK_BITS + 2) * b, 2 * b + b, 128, 128, 128); /* grey frame */
    for (int i = 0; i < CLOCK_BITS; i++) {
        int bit = (int)((ms >> (CLOCK_BITS - 1 - i)) & 1);
        uint8_t on = bit ? 235 : 16, off = bit ? 16 : 235;
        fill(f, 2 * b + i * b, y0, b, b, on, 128, 128);
        fill(f, 2 * b + i * b, y0 + b, b, b, off, 128, 128);
    }
}

void pattern_draw(AVFrame *f, int64_t ms, int64_t n)
{
    int bar_w = (f->width + 6) / 7;
    for (int i = 0; i < 7; i++)
        fill(f, i * bar_w, 0, bar_w, f->height, BARS[i][0], BARS[i][1], BARS[i][2]);
    /* A square crossing the screen once every 4 s at 30 fps (faster or slower at other rates). */
    int side = f->height / 6;
    int span = f->width - side;
    int x = span > 0 ? (int)(n * 8 % (2 * span)) : 0;
    if (x > span)
        x = 2 * span - x;
    fill(f, x, f->height / 6, side, side, 16, 128, 128);
    draw_clock_text(f, ms, f->height / 60 > 2 ? f->height / 60 : 2);
    draw_clock_blocks(f, ms);
}

void pattern_tone(AVFrame *f, int64_t pos, int samples)
{
    for (int i = 0; i < samples; i++) {
        double t = (double)(pos + i) / CAST_SAMPLE_RATE;
        float v = (float)(0.2 * sin(2.0 * M_PI * 1000.0 * t));
        for (int c = 0; c < CAST_CHANNELS; c++)
            ((float *)f->data[c])[i] = v;
    }
}
