/*
 * bench/review.c — the review of a national week: 2,300,000 replies of five
 * bullets each (11.5 million bullets; argv[1] changes the reply count),
 * made in memory by the project's synthetic bullet generator, with 4% of
 * the repliers pasting their department's template (25 departments), as
 * `doge synth replies` plants them. Times the two stages the review runs on
 * a week — every bullet classified and scored (doge_review_classify on
 * all threads) and the copy-paste clusters across the week (MinHash/LSH,
 * doge_review_dedup) — and prints bullets per second, the whole time
 * against the target (30 s on 2 cores), the clusters found against
 * the planted ones (pairwise precision and recall) and the peak memory.
 * The model is trained first from the built-in labelled set (not timed).
 * Usage: bench_review [REPLIES] [THREADS]
 */
#include "doge.h"
#include "internal.h"
#include "pulse/synth_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define TARGET_SECONDS 30.0
#define DEPARTMENTS 25

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_review: %s: %s\n", what, doge_error_last());
    return 1;
}

typedef struct doc {
    const char *text; /* 5 bullets joined by '\n' */
    uint32_t len;
    int16_t dept;
    int16_t template; /* 1: pasted the department's template */
} doc;

typedef struct job {
    const doge_review_model *m;
    const doc *docs;
    size_t n, next;
    pthread_mutex_t mu;
    uint64_t bullets, by_cat[DOGE_REVIEW_NCATEGORIES];
    double spec;
} job;

static void *classify_main(void *arg)
{
    job *j = arg;
    uint64_t bullets = 0, cat[DOGE_REVIEW_NCATEGORIES] = {0};
    double spec = 0;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        size_t from = j->next;
        j->next += 4096;
        pthread_mutex_unlock(&j->mu);
        if (from >= j->n)
            break;
        size_t to = from + 4096 < j->n ? from + 4096 : j->n;
        for (size_t i = from; i < to; i++) {
            const char *p = j->docs[i].text, *end = p + j->docs[i].len;
            while (p < end) {
                const char *e = memchr(p, '\n', (size_t)(end - p));
                if (!e)
                    e = end;
                doge_review_result r;
                if (doge_review_classify(j->m, p, (size_t)(e - p), &r) == DOGE_OK) {
                    cat[r.category]++;
                    spec += r.specificity;
                    bullets++;
                }
                p = e + 1;
            }
        }
    }
    pthread_mutex_lock(&j->mu);
    j->bullets += bullets;
    j->spec += spec;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        j->by_cat[c] += cat[c];
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 2300000;
    unsigned threads = argc > 2 ? (unsigned)atoi(argv[2]) : 2;
    if (!n || !threads || threads > 64) {
        fprintf(stderr, "usage: bench_review [REPLIES] [THREADS (1-64)]\n");
        return 2;
    }
    printf("bench/review: %zu replies x 5 bullets = %zu bullets, %u threads, %ld online CPUs\n",
           n, n * 5, threads, sysconf(_SC_NPROCESSORS_ONLN));

    /* The model (not timed). */
    const doge_review_example *ex;
    size_t nex;
    doge_review_model *m;
    doge_review_train_opts o = {.seed = 1, .test_share = 0.2};
    if (doge_review_builtin_examples(&ex, &nex) || doge_review_model_train(&m, ex, nex, &o))
        return fail("train");

    /* The week (not timed). */
    double t0 = now();
    doge_synth_rng rng;
    doge_synth_rng_seed(&rng, 2025);
    doc *docs = calloc(n, sizeof *docs);
    size_t cap = n * 5 * 160 + 4096, used = 0;
    char *pool = malloc(cap);
    char templ[DEPARTMENTS][5 * 300 + 8];
    size_t templ_len[DEPARTMENTS];
    if (!docs || !pool)
        return fail("out of memory");
    for (int d = 0; d < DEPARTMENTS; d++) {
        size_t l = 0;
        for (int b = 0; b < 5; b++) {
            int k = doge__synth_bullet(&rng, templ[d] + l, 300);
            l += (size_t)(k > 0 ? k : 0);
            templ[d][l++] = b < 4 ? '\n' : '\0';
        }
        templ_len[d] = l - 1;
    }
    size_t planted = 0;
    for (size_t i = 0; i < n; i++) {
        /* Long-tailed departments: department d gets weight ~ 1/(d+1). */
        double u = doge_synth_rng_unit(&rng);
        int dept = (int)(DEPARTMENTS * u * u * u);
        int is_t = doge_synth_rng_below(&rng, 100) < 4;
        if (used + 5 * 300 + 8 > cap) {
            fprintf(stderr, "bench_review: text pool too small\n");
            return 1;
        }
        char *start = pool + used;
        if (is_t) {
            memcpy(start, templ[dept], templ_len[dept]);
            used += templ_len[dept];
            planted++;
        } else {
            for (int b = 0; b < 5; b++) {
                int k = doge__synth_bullet(&rng, pool + used, 300);
                used += (size_t)(k > 0 ? k : 0);
                if (b < 4)
                    pool[used++] = '\n';
            }
        }
        docs[i] = (doc){start, (uint32_t)(pool + used - start), (int16_t)dept, (int16_t)is_t};
        pool[used++] = '\0';
    }
    printf("generated in %.1f s: %.0f MB of bullet text, %zu template replies planted\n",
           now() - t0, (double)used / 1e6, planted);

    /* Stage 1: classify every bullet. */
    job j = {.m = m, .docs = docs, .n = n};
    pthread_mutex_init(&j.mu, NULL);
    double c0 = now();
    pthread_t th[64];
    for (unsigned t = 0; t < threads; t++)
        pthread_create(&th[t], NULL, classify_main, &j);
    for (unsigned t = 0; t < threads; t++)
        pthread_join(th[t], NULL);
    double c1 = now();
    printf("classify: %llu bullets in %.2f s: %.0f bullets/s (mean specificity %.3f)\n",
           (unsigned long long)j.bullets, c1 - c0, (double)j.bullets / (c1 - c0),
           j.bullets ? j.spec / (double)j.bullets : 0.0);

    /* Stage 2: copy-paste clusters across the week. */
    static const char *names[DEPARTMENTS];
    static char name_buf[DEPARTMENTS][16];
    for (int d = 0; d < DEPARTMENTS; d++) {
        snprintf(name_buf[d], sizeof name_buf[d], "dept-%02d", d);
        names[d] = name_buf[d];
    }
    doge_review_dedup_opts dopt = {.threads = threads};
    doge_review_dedup *dd;
    double d0 = now();
    if (doge_review_dedup_new(&dd, &dopt))
        return fail("dedup new");
    for (size_t i = 0; i < n; i++)
        if (doge_review_dedup_add(dd, (int64_t)i + 1, names[docs[i].dept], docs[i].text,
                                  docs[i].len))
            return fail("dedup add");
    double d1 = now();
    if (doge_review_dedup_run(dd))
        return fail("dedup run");
    double d2 = now();
    doge_review_dedup_stats st;
    doge_review_dedup_get_stats(dd, &st);
    printf("cluster: add %.2f s + run %.2f s = %.2f s: %.0f bullets/s; %zu candidate pairs, "
           "%zu confirmed, %zu clusters holding %zu replies\n",
           d1 - d0, d2 - d1, d2 - d0, (double)(n * 5) / (d2 - d0), st.candidate_pairs,
           st.confirmed_pairs, st.clusters, st.clustered_documents);

    /* Pairwise precision and recall against the planted templates. */
    uint64_t planted_pairs = 0, found_pairs = 0, true_found = 0;
    size_t per_dept[DEPARTMENTS] = {0};
    for (size_t i = 0; i < n; i++)
        per_dept[docs[i].dept] += docs[i].template;
    for (int d = 0; d < DEPARTMENTS; d++)
        planted_pairs += (uint64_t)per_dept[d] * (per_dept[d] - (per_dept[d] > 0)) / 2;
    for (size_t c = 0; c < doge_review_dedup_count(dd); c++) {
        doge_review_cluster cl;
        doge_review_dedup_cluster(dd, c, &cl);
        found_pairs += (uint64_t)cl.size * (cl.size - 1) / 2;
        size_t td[DEPARTMENTS] = {0};
        for (size_t k = 0; k < cl.size; k++) {
            const doc *dc = &docs[cl.ids[k] - 1];
            if (dc->template)
                td[dc->dept]++;
        }
        for (int d = 0; d < DEPARTMENTS; d++)
            true_found += (uint64_t)td[d] * (td[d] - (td[d] > 0)) / 2;
    }
    double total = (c1 - c0) + (d2 - d0);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("copy-paste vs planted: precision %.4f, recall %.4f (%llu planted pairs)\n",
           found_pairs ? (double)true_found / (double)found_pairs : 1.0,
           planted_pairs ? (double)true_found / (double)planted_pairs : 1.0,
           (unsigned long long)planted_pairs);
    printf("review of the week: %.2f s for %zu bullets: %.0f bullets/s; target <= %.0f s: %s "
           "(%.2fx the target time); peak RSS %ld MB\n",
           total, n * 5, (double)(n * 5) / total, TARGET_SECONDS,
           total <= TARGET_SECONDS ? "met" : "NOT met", total / TARGET_SECONDS,
           ru.ru_maxrss / 1024);
    doge_review_dedup_free(dd);
    doge_review_model_free(m);
    free(docs);
    free(pool);
    return 0;
}
