/*
 * progress.c — the stderr progress bar. State is a handful of counters; an
 * update costs one clock read and returns unless 100 ms have passed since the
 * last draw (or since the start, so a job shorter than that prints only its
 * final line). A draw builds the whole line in a local array, then writes
 * '\r', the line and enough spaces to cover a longer previous line, so no
 * terminal escape sequences are needed. All double-to-integer conversions
 * are clamped first (ETA beyond 99 hours shows as ">99h").
 */
#include "doge/progress.h"
#include "internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 20
#define MAX_DURATION 359999.0 /* 99:59:59 */

struct doge_progress {
    char label[64];
    uint64_t total, done;
    unsigned flags;
    FILE *sink;
    int enabled, drawn, finished;
    doge_progress_clock clock;
    void *ctx;
    uint64_t start, last_draw;
    size_t last_width;
};

static uint64_t monotonic_ns(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int doge_progress_new(doge_progress **out, const char *label, uint64_t total, unsigned flags)
{
    *out = NULL;
    doge_progress *p = calloc(1, sizeof *p);
    if (!p)
        return doge__error_oom();
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    p->total = total;
    p->flags = flags;
    p->sink = stderr;
    p->enabled = !(flags & DOGE_PROGRESS_QUIET) &&
                 ((flags & DOGE_PROGRESS_FORCE) || isatty(fileno(stderr)));
    p->clock = monotonic_ns;
    p->start = p->clock(NULL);
    *out = p;
    return DOGE_OK;
}

void doge_progress_set_sink(doge_progress *p, FILE *sink)
{
    p->sink = sink;
    p->enabled = sink && !(p->flags & DOGE_PROGRESS_QUIET);
}

void doge_progress_set_clock(doge_progress *p, doge_progress_clock clock, void *ctx)
{
    p->clock = clock ? clock : monotonic_ns;
    p->ctx = clock ? ctx : NULL;
    p->start = p->clock(p->ctx);
}

int doge_progress_enabled(const doge_progress *p) { return p->enabled; }

/* "m:ss" or "h:mm:ss"; ">99h" beyond 99:59:59. */
static void put_duration(char *out, size_t cap, double secs)
{
    if (!(secs < MAX_DURATION)) {
        snprintf(out, cap, ">99h");
        return;
    }
    unsigned s = secs > 0 ? (unsigned)secs : 0;
    if (s >= 3600)
        snprintf(out, cap, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, cap, "%u:%02u", s / 60, s % 60);
}

static void draw(doge_progress *p, uint64_t now, int final)
{
    char line[256], dur[16];
    size_t o = 0;
    double secs = now > p->start ? (double)(now - p->start) / 1e9 : 0.0;
    double rate = secs > 0 ? (double)p->done / secs : 0.0;

#define PUT(...)                                                                                   \
    do {                                                                                           \
        int n_ = snprintf(line + o, sizeof line - o, __VA_ARGS__);                                 \
        if (n_ > 0)                                                                                \
            o += (size_t)n_ < sizeof line - o ? (size_t)n_ : sizeof line - o - 1;                  \
    } while (0)

    if (p->label[0])
        PUT("%s ", p->label);
    if (p->total) {
        double frac = p->done >= p->total ? 1.0 : (double)p->done / (double)p->total;
        int fill = (int)(frac * BAR_WIDTH);
        char bar[BAR_WIDTH + 1];
        for (int i = 0; i < BAR_WIDTH; i++)
            bar[i] = i < fill ? '#' : ' ';
        bar[BAR_WIDTH] = '\0';
        PUT("[%s] %5.1f%%  %" PRIu64 "/%" PRIu64 "  ", bar, floor(frac * 1000.0) / 10.0, p->done,
            p->total);
    } else {
        PUT("%" PRIu64 "  ", p->done);
    }
    PUT("%.1f/s", rate);
    if (final) {
        put_duration(dur, sizeof dur, secs);
        PUT("  in %s", dur);
    } else if (p->total) {
        if (p->done >= p->total)
            PUT("  ETA 0:00");
        else if (rate <= 0)
            PUT("  ETA --:--");
        else {
            put_duration(dur, sizeof dur, (double)(p->total - p->done) / rate);
            PUT("  ETA %s", dur);
        }
    }
#undef PUT

    fputc('\r', p->sink);
    fputs(line, p->sink);
    for (size_t i = o; i < p->last_width; i++)
        fputc(' ', p->sink);
    if (final)
        fputc('\n', p->sink);
    fflush(p->sink);
    p->last_width = o;
    p->last_draw = now;
    p->drawn = 1;
}

void doge_progress_update(doge_progress *p, uint64_t done)
{
    p->done = done;
    if (!p->enabled || p->finished)
        return;
    uint64_t now = p->clock(p->ctx), since = p->drawn ? p->last_draw : p->start;
    if (now < since || now - since < DOGE_PROGRESS_INTERVAL_NS)
        return;
    draw(p, now, 0);
}

void doge_progress_finish(doge_progress *p)
{
    if (p->finished)
        return;
    p->finished = 1;
    if (p->enabled)
        draw(p, p->clock(p->ctx), 1);
}

void doge_progress_free(doge_progress *p)
{
    if (!p)
        return;
    if (p->enabled && p->drawn && !p->finished) {
        fputc('\n', p->sink);
        fflush(p->sink);
    }
    free(p);
}
