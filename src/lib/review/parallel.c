/*
 * parallel.c — the one way copy-paste clustering uses threads: a range of
 * work items split into as many contiguous parts as threads, part t always
 * the same items whatever happens, so that results written per item or per
 * part (then joined in part order) are the same for any thread count. A
 * thread that cannot be started leaves its part to the calling thread.
 */
#include "cluster_internal.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct {
    doge__review_range_fn fn;
    void *ctx;
    unsigned t;
    size_t lo, hi;
    pthread_t th;
    int started;
} part;

static void *part_main(void *arg)
{
    part *p = arg;
    p->fn(p->ctx, p->t, p->lo, p->hi);
    return NULL;
}

void doge__review_parallel(unsigned threads, size_t n, doge__review_range_fn fn, void *ctx)
{
    if (threads < 1)
        threads = 1;
    if (threads == 1) {
        fn(ctx, 0, 0, n);
        return;
    }
    part stack[8];
    part *p = threads <= 8 ? stack : calloc(threads, sizeof *p);
    if (!p) { /* no memory for the bookkeeping: every part here, in order */
        for (unsigned t = 0; t < threads; t++)
            fn(ctx, t, n * t / threads, n * (t + 1) / threads);
        return;
    }
    for (unsigned t = 0; t < threads; t++) {
        p[t] = (part){.fn = fn, .ctx = ctx, .t = t, .lo = n * t / threads, .hi = n * (t + 1) / threads};
        if (t > 0)
            p[t].started = pthread_create(&p[t].th, NULL, part_main, &p[t]) == 0;
    }
    fn(ctx, 0, p[0].lo, p[0].hi);
    for (unsigned t = 1; t < threads; t++) {
        if (p[t].started)
            pthread_join(p[t].th, NULL);
        else
            fn(ctx, t, p[t].lo, p[t].hi);
    }
    if (p != stack)
        free(p);
}
