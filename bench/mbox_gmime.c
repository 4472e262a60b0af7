/*
 * bench/mbox_gmime.c — the baseline for bench/pulse.sh: GMime's bare parse
 * rate on an mbox file, each message split out the way doge's ingest splits
 * it (doge_mailsource_walk) and handed to g_mime_parser_construct_message()
 * through a memory stream, with nothing else done. Also times the walk
 * alone (splitting only), and doge_mail_parse() over the same messages (the
 * fast reader of mail_fast.c, GMime where it declines), counting how many
 * the fast reader took. All on one core. Usage: bench_mbox_gmime FILE.mbox
 */
#include "doge.h"
#include "doge/mailsource.h"
#include "pulse/mail_internal.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int split_only(void *ctx, const char *raw, size_t len, const char *label)
{
    (void)raw, (void)label;
    *(size_t *)ctx += len;
    return 0;
}

static int parse(void *ctx, const char *raw, size_t len, const char *label)
{
    (void)label;
    GMimeStream *s = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *p = g_mime_parser_new_with_stream(s);
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    if (m) {
        (*(long *)ctx)++;
        g_object_unref(m);
    }
    g_object_unref(p);
    g_object_unref(s);
    return 0;
}

struct doge_count {
    long parsed, fast;
};

static int doge_parse(void *ctx, const char *raw, size_t len, const char *label)
{
    (void)label;
    struct doge_count *c = ctx;
    doge_mail *m;
    if (doge_mail_parse(raw, len, &m) == DOGE_OK) {
        c->parsed++;
        c->fast += doge__mail_was_fast(m);
        doge_mail_free(m);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_mbox_gmime FILE.mbox\n");
        return 2;
    }
    g_mime_init();
    size_t bytes = 0;
    int64_t n = 0;
    double t0 = now();
    if (doge_mailsource_walk(argv[1], NULL, NULL, split_only, &bytes, &n) != DOGE_OK) {
        fprintf(stderr, "bench_mbox_gmime: %s\n", doge_error_last());
        return 1;
    }
    double t1 = now();
    long parsed = 0;
    if (doge_mailsource_walk(argv[1], NULL, NULL, parse, &parsed, &n) != DOGE_OK) {
        fprintf(stderr, "bench_mbox_gmime: %s\n", doge_error_last());
        return 1;
    }
    double t2 = now();
    struct doge_count dc = {0, 0};
    if (doge_mailsource_walk(argv[1], NULL, NULL, doge_parse, &dc, &n) != DOGE_OK) {
        fprintf(stderr, "bench_mbox_gmime: %s\n", doge_error_last());
        return 1;
    }
    double t3 = now();
    printf("split only: %lld messages, %.1f MB in %.2f s: %.0f messages/s\n", (long long)n,
           (double)bytes / 1e6, t1 - t0, (double)n / (t1 - t0));
    printf("gmime bare parse: %ld of %lld messages in %.2f s: %.0f messages/s\n", parsed,
           (long long)n, t2 - t1, (double)n / (t2 - t1));
    printf("doge_mail_parse: %ld of %lld messages in %.2f s: %.0f messages/s (%ld read by the "
           "fast reader, %ld by GMime)\n",
           dc.parsed, (long long)n, t3 - t2, (double)n / (t3 - t2), dc.fast,
           dc.parsed - dc.fast);
    g_mime_shutdown();
    return 0;
}
