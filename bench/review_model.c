/*
 * bench/review_model.c — measures the review classifier on one core: the
 * time to train on the built-in labelled set (its training split), then
 * doge_review_classify() over about 1,000,000 bullets of two kinds: the
 * labelled set's own bullets as written, and bullets from the synthetic
 * reply generator (about 80 bytes each, the size of a typical bullet).
 * Rates are per second of the thread's CPU time (wall time is printed too).
 * The baseline is the target of 1,000,000 bullets/s per core; the ratio is
 * printed for each kind, along with the cost of the specificity score alone.
 */
#include "doge.h"
#include "internal.h"
#include "pulse/synth_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TARGET 1000000.0
#define RUNS 1000000

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_review_model: %s: %s\n", what, doge_error_last());
    return 1;
}

/* Classifies RUNS bullets cycling over texts; prints the rates. */
static void run(const char *label, const doge_review_model *m, char **texts, const size_t *lens,
                size_t n, int spec_only)
{
    double c0 = now(CLOCK_THREAD_CPUTIME_ID), w0 = now(CLOCK_MONOTONIC);
    size_t bytes = 0, counts[DOGE_REVIEW_NCATEGORIES] = {0};
    double spec = 0;
    for (size_t i = 0; i < RUNS; i++) {
        size_t k = i % n;
        if (spec_only) {
            spec += doge_review_specificity(texts[k], lens[k], NULL);
        } else {
            doge_review_result r;
            doge_review_classify(m, texts[k], lens[k], &r);
            counts[r.category]++;
            spec += r.specificity;
        }
        bytes += lens[k];
    }
    double cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0, wall = now(CLOCK_MONOTONIC) - w0;
    double rate = RUNS / cpu;
    printf("%-34s %8.0f bullets/s  %6.1f MB/s  (%.0f bytes avg, %.2f s cpu, %.2f s wall, mean "
           "specificity %.2f)  %.2fx the %.0f/s target\n",
           label, rate, (double)bytes / cpu / 1e6, (double)bytes / RUNS, cpu, wall, spec / RUNS,
           rate / TARGET, TARGET);
}

int main(void)
{
    const doge_review_example *ex;
    size_t n;
    if (doge_review_builtin_examples(&ex, &n) != DOGE_OK)
        return fail("built-in examples");
    doge_review_train_opts o;
    memset(&o, 0, sizeof o);
    o.test_share = 0.2;
    double t0 = now(CLOCK_MONOTONIC);
    doge_review_model *m;
    if (doge_review_model_train(&m, ex, n, &o) != DOGE_OK)
        return fail("train");
    double train = now(CLOCK_MONOTONIC) - t0;
    doge_review_model_info info;
    doge_review_model_get_info(m, &info);
    printf("trained on %zu bullets (%d epochs, 2^%u buckets) in %.2f s; %zu non-zero weights in "
           "%zu rows\n",
           info.train_count, info.opts.epochs, info.opts.hash_bits, train, info.weights, info.rows);

    char **texts = malloc(n * sizeof *texts);
    size_t *lens = malloc(n * sizeof *lens);
    if (!texts || !lens)
        return 1;
    for (size_t i = 0; i < n; i++) {
        texts[i] = (char *)ex[i].text;
        lens[i] = strlen(ex[i].text);
    }
    run("classify, labelled set", m, texts, lens, n, 0);

    enum { NSYNTH = 4096 };
    char **st = malloc(NSYNTH * sizeof *st);
    size_t *sl = malloc(NSYNTH * sizeof *sl);
    if (!st || !sl)
        return 1;
    doge_synth_rng rng;
    doge_synth_rng_seed(&rng, 1);
    for (size_t i = 0; i < NSYNTH; i++) {
        char buf[512];
        int len = doge__synth_bullet(&rng, buf, sizeof buf);
        st[i] = malloc((size_t)len + 1);
        if (!st[i])
            return 1;
        memcpy(st[i], buf, (size_t)len + 1);
        sl[i] = (size_t)len;
    }
    run("classify, synthetic reply bullets", m, st, sl, NSYNTH, 0);
    run("specificity alone, synthetic", m, st, sl, NSYNTH, 1);

    for (size_t i = 0; i < NSYNTH; i++)
        free(st[i]);
    free(st);
    free(sl);
    free(texts);
    free(lens);
    doge_review_model_free(m);
    return 0;
}
