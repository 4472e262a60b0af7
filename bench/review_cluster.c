/*
 * bench/review_cluster.c — copy-paste clustering (doge/review_cluster.h) at
 * the size of a 2.3-million-person week: 2,300,000 replies of 5 bullets (or
 * argv[1] replies) made by the synthetic reply generator's bullet maker,
 * about 4% of them copies of 25 department templates — 60% verbatim, 30%
 * with one word changed, 10% with two — the rest each its own. The texts
 * are made in blocks and added (add is timed, generation is not), then run
 * is timed, once with 1 thread and once with 2. It prints documents/s,
 * bullets/s, candidate and confirmed pairs, clusters, peak RSS, whether the
 * two runs agree, and the pairwise recall and precision against the planted
 * templates (plus how many edited copies joined their template's cluster).
 * The baseline is the budget: 2.3 million documents in 12 s on 2 threads
 * (the review target is 30 s for categorisation, clustering and I/O); the
 * ratio is given by the wall clock and by CPU time, since on cores shared
 * with other work only the CPU time says what the code costs.
 */
#include "doge.h"
#include "internal.h"
#include "pulse/synth_internal.h"
#include "review/cluster_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define DEFAULT_DOCS 2300000
#define TEMPLATES 25
#define BULLETS 5
#define BUDGET_S 12.0
#define BLOCK 65536

static double clock_s(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of every thread of the process. */
static double cpu(void)
{
    return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_review_cluster: %s: %s\n", what, doge_error_last());
    return 1;
}

static const char *const swaps[] = {"quickly", "finally", "also", "fully", "partly",
                                     "again",   "jointly", "newly", "mostly", "largely"};

/* Replaces word number w (0-based, counted over spaces) of s with r. */
static void swap_word(char *s, size_t cap, size_t w, const char *r)
{
    char out[2048];
    size_t o = 0, word = 0;
    const char *p = s;
    while (*p && o + 32 < sizeof out) {
        if (word == w) {
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", r);
            while (*p && *p != ' ' && *p != '\n')
                p++;
            word++;
            continue;
        }
        char c = *p++;
        out[o++] = c;
        if (c == ' ' || c == '\n')
            word++;
    }
    if (o >= cap)
        o = cap - 1;
    memcpy(s, out, o);
    s[o] = '\0';
}

typedef struct {
    doge_synth_rng rng;
    char templ[TEMPLATES][1600];
} gen;

/* Document i's text into buf; its planted template (or -1) into *label and
 * whether it was edited into *edited. The stream is the same on every call
 * sequence that starts from the same seed. */
static size_t make_doc(gen *g, char *buf, size_t cap, int *label, int *edited)
{
    uint32_t r = (uint32_t)doge_synth_rng_below(&g->rng, 1000);
    *label = -1;
    *edited = 0;
    if (r < 40) {
        int t = (int)doge_synth_rng_below(&g->rng, TEMPLATES);
        *label = t;
        snprintf(buf, cap, "%s", g->templ[t]);
        uint32_t e = (uint32_t)doge_synth_rng_below(&g->rng, 10);
        int edits = e < 6 ? 0 : e < 9 ? 1 : 2;
        size_t words = 1;
        for (const char *p = buf; *p; p++)
            words += *p == ' ' || *p == '\n';
        for (int k = 0; k < edits; k++)
            swap_word(buf, cap, (size_t)doge_synth_rng_below(&g->rng, words),
                      swaps[doge_synth_rng_below(&g->rng, sizeof swaps / sizeof *swaps)]);
        *edited = edits > 0;
        return strlen(buf);
    }
    size_t o = 0;
    for (int b = 0; b < BULLETS; b++) {
        char line[300];
        doge__synth_bullet(&g->rng, line, sizeof line);
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", b ? "\n" : "", line);
    }
    return o;
}

static void gen_init(gen *g, uint64_t seed)
{
    doge_synth_rng_seed(&g->rng, seed);
    for (int t = 0; t < TEMPLATES; t++) {
        size_t o = 0;
        for (int b = 0; b < BULLETS; b++) {
            char line[300];
            doge__synth_bullet(&g->rng, line, sizeof line);
            o += (size_t)snprintf(g->templ[t] + o, sizeof g->templ[t] - o, "%s%s", b ? "\n" : "",
                                  line);
        }
    }
}

typedef struct {
    double add_s, run_s, add_cpu, run_cpu;
    doge_review_dedup_stats st;
    uint64_t digest;
    double recall, precision;       /* vs the planted templates */
    double j_recall, j_precision;   /* vs the Jaccard graph of the planted copies */
    size_t edited, edited_found;
} result;

/* The planted copies' texts, kept from the first generation pass. */
typedef struct {
    size_t n, cap, len, text_cap;
    uint32_t *doc;
    size_t *off;
    char *text;
} planted;

static int keep_planted(planted *p, uint32_t doc, const char *text, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4096;
        p->doc = realloc(p->doc, p->cap * sizeof *p->doc);
        p->off = realloc(p->off, (p->cap + 1) * sizeof *p->off);
        if (!p->doc || !p->off)
            return -1;
    }
    while (p->len + len + 1 > p->text_cap) {
        p->text_cap = p->text_cap ? p->text_cap * 2 : 1 << 20;
        if (!(p->text = realloc(p->text, p->text_cap)))
            return -1;
    }
    p->doc[p->n] = doc;
    p->off[p->n++] = p->len;
    memcpy(p->text + p->len, text, len);
    p->len += len;
    p->text[p->len++] = '\0';
    p->off[p->n] = p->len;
    return 0;
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

/* comp[doc] for every document: the planted copies joined where their
 * Jaccard similarity (the library's own normalisation and shingles, default
 * options) is at least 0.8, by brute force over each template's distinct
 * texts; every other document alone. */
static int jaccard_truth(const planted *p, const int8_t *label, size_t ndocs, uint32_t *comp)
{
    for (size_t i = 0; i < ndocs; i++)
        comp[i] = (uint32_t)i;
    uint32_t **sh = calloc(p->n, sizeof *sh);
    size_t *nsh = calloc(p->n, sizeof *nsh);
    char *norm = malloc(4096);
    if (!sh || !nsh || !norm)
        return -1;
    for (size_t i = 0; i < p->n; i++) {
        const char *t = p->text + p->off[i];
        size_t len = p->off[i + 1] - p->off[i] - 1;
        doge__review_text tx;
        sh[i] = malloc((len / 2 + 2) * sizeof **sh);
        uint64_t bits[4096 / 64 + 1];
        doge__review_shingle_text(t, len, 3, 1, norm, bits, sh[i], &tx);
        nsh[i] = doge__review_sort_unique(sh[i], tx.nsh);
    }
    doge_map *seen;
    if (doge_map_new(&seen, 0, 0))
        return -1;
    for (int t = 0; t < TEMPLATES; t++) {
        size_t *distinct = malloc(p->n * sizeof *distinct), nd = 0;
        doge_map_clear(seen);
        for (size_t i = 0; i < p->n; i++) {
            if (label[p->doc[i]] != t)
                continue;
            const char *txt = p->text + p->off[i];
            uint64_t first;
            if (doge_map_get_u64(seen, txt, strlen(txt), &first)) {
                uint32_t a = uf_find(comp, p->doc[first]), b = uf_find(comp, p->doc[i]);
                comp[a > b ? a : b] = a < b ? a : b;
                continue;
            }
            doge_map_put_u64(seen, txt, strlen(txt), i);
            distinct[nd++] = i;
        }
        for (size_t x = 0; x < nd; x++)
            for (size_t y = x + 1; y < nd; y++) {
                size_t i = distinct[x], j = distinct[y];
                if (doge__review_jaccard(sh[i], nsh[i], sh[j], nsh[j]) >= 0.8) {
                    uint32_t a = uf_find(comp, p->doc[i]), b = uf_find(comp, p->doc[j]);
                    comp[a > b ? a : b] = a < b ? a : b;
                }
            }
        free(distinct);
    }
    for (size_t i = 0; i < ndocs; i++)
        comp[i] = uf_find(comp, (uint32_t)i);
    doge_map_free(seen);
    for (size_t i = 0; i < p->n; i++)
        free(sh[i]);
    free(sh);
    free(nsh);
    free(norm);
    return 0;
}

static double pairs(double n)
{
    return n * (n - 1) / 2;
}

static int one_run(size_t ndocs, unsigned threads, int8_t *label, uint8_t *edited, planted *keep,
                   const uint32_t *comp, result *res)
{
    doge_review_dedup_opts o = {0};
    o.threads = threads;
    doge_review_dedup *d;
    if (doge_review_dedup_new(&d, &o) != DOGE_OK)
        return fail("new");
    gen *g = malloc(sizeof *g);
    char *buf = malloc((size_t)BLOCK * 1600);
    size_t *off = malloc((BLOCK + 1) * sizeof *off);
    if (!g || !buf || !off)
        return fail("malloc");
    gen_init(g, 42);
    res->add_s = res->add_cpu = 0;
    for (size_t base = 0; base < ndocs; base += BLOCK) {
        size_t nb = ndocs - base < BLOCK ? ndocs - base : BLOCK, o2 = 0;
        for (size_t i = 0; i < nb; i++) {
            int l, e;
            off[i] = o2;
            o2 += make_doc(g, buf + o2, 1600, &l, &e) + 1;
            label[base + i] = (int8_t)l;
            edited[base + i] = (uint8_t)e;
            if (keep && l >= 0 &&
                keep_planted(keep, (uint32_t)(base + i), buf + off[i], strlen(buf + off[i])))
                return fail("malloc");
        }
        off[nb] = o2;
        double t0 = now(), c0 = cpu();
        for (size_t i = 0; i < nb; i++) {
            char grp[16];
            int l = label[base + i];
            snprintf(grp, sizeof grp, "dept%02d", l >= 0 ? l : (int)((base + i) % TEMPLATES));
            if (doge_review_dedup_add(d, (int64_t)(base + i), grp, buf + off[i],
                                      off[i + 1] - off[i] - 1) != DOGE_OK)
                return fail("add");
        }
        res->add_s += now() - t0;
        res->add_cpu += cpu() - c0;
    }
    free(buf);
    free(off);
    free(g);
    double t0 = now(), c0 = cpu();
    if (doge_review_dedup_run(d) != DOGE_OK)
        return fail("run");
    res->run_s = now() - t0;
    res->run_cpu = cpu() - c0;
    doge_review_dedup_get_stats(d, &res->st);
    /* Pairwise scores against the planted templates, and a digest of the
     * clusters to compare the runs. */
    double tp = 0, pred = 0, truth = 0;
    size_t per[TEMPLATES] = {0};
    for (size_t i = 0; i < ndocs; i++)
        if (label[i] >= 0)
            per[label[i]]++;
    for (int t = 0; t < TEMPLATES; t++)
        truth += pairs((double)per[t]);
    uint64_t digest = 1469598103934665603ULL;
    size_t found = 0, edited_n = 0;
    for (size_t i = 0; i < ndocs; i++)
        edited_n += edited[i];
    int claimed[TEMPLATES] = {0};
    for (size_t c = 0; c < doge_review_dedup_count(d); c++) {
        doge_review_cluster cl;
        doge_review_dedup_cluster(d, c, &cl);
        size_t cnt[TEMPLATES] = {0};
        for (size_t k = 0; k < cl.size; k++) {
            int64_t id = cl.ids[k];
            digest = (digest ^ (uint64_t)id) * 1099511628211ULL;
            if (label[id] >= 0)
                cnt[label[id]]++;
        }
        digest = (digest ^ cl.size) * 1099511628211ULL;
        pred += pairs((double)cl.size);
        for (int t = 0; t < TEMPLATES; t++) {
            tp += pairs((double)cnt[t]);
            /* The template's main cluster: the first (largest) holding it. */
            if (cnt[t] && !claimed[t]) {
                claimed[t] = 1;
                for (size_t k = 0; k < cl.size; k++)
                    found += label[cl.ids[k]] == t && edited[cl.ids[k]];
            }
        }
    }
    /* The same against the Jaccard graph of the planted copies. */
    if (comp) {
        double jtp = 0, jtruth = 0;
        size_t *csize = calloc(ndocs, sizeof *csize);
        for (size_t i = 0; i < ndocs; i++)
            csize[comp[i]]++;
        for (size_t i = 0; i < ndocs; i++)
            jtruth += pairs((double)csize[i]);
        memset(csize, 0, ndocs * sizeof *csize);
        for (size_t c = 0; c < doge_review_dedup_count(d); c++) {
            doge_review_cluster cl;
            doge_review_dedup_cluster(d, c, &cl);
            for (size_t k = 0; k < cl.size; k++)
                jtp += (double)csize[comp[cl.ids[k]]]++;
            for (size_t k = 0; k < cl.size; k++)
                csize[comp[cl.ids[k]]] = 0;
        }
        free(csize);
        res->j_recall = jtruth > 0 ? jtp / jtruth : 1;
        res->j_precision = pred > 0 ? jtp / pred : 1;
    }
    res->digest = digest;
    res->recall = truth > 0 ? tp / truth : 1;
    res->precision = pred > 0 ? tp / pred : 1;
    res->edited = edited_n;
    res->edited_found = found;
    doge_review_dedup_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    size_t ndocs = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : DEFAULT_DOCS;
    if (ndocs < 100)
        ndocs = 100;
    int8_t *label = malloc(ndocs);
    uint8_t *edited = malloc(ndocs);
    if (!label || !edited)
        return fail("malloc");
    printf("review clustering: %zu documents of %d bullets, %d templates pasted by ~4%%\n",
           ndocs, BULLETS, TEMPLATES);
    result r[2];
    unsigned th[2] = {1, 2};
    planted keep = {0};
    uint32_t *comp = malloc(ndocs * sizeof *comp);
    if (!comp)
        return fail("malloc");
    for (int k = 0; k < 2; k++) {
        if (one_run(ndocs, th[k], label, edited, k == 0 ? &keep : NULL, k == 0 ? NULL : comp,
                    &r[k]))
            return 1;
        if (k == 0) {
            /* The Jaccard truth, then the first run's scores against it. */
            double t0 = now();
            if (jaccard_truth(&keep, label, ndocs, comp))
                return fail("truth");
            fprintf(stderr, "(truth by brute force over %zu planted copies: %.1f s)\n", keep.n,
                    now() - t0);
            result again;
            if (one_run(ndocs, 1, label, edited, NULL, comp, &again))
                return 1;
            r[0].j_recall = again.j_recall;
            r[0].j_precision = again.j_precision;
        }
        double total = r[k].add_s + r[k].run_s;
        printf("%u thread%s: add %.2f s + run %.2f s = %.2f s | %.0f documents/s | %.0f "
               "bullets/s\n",
               th[k], th[k] > 1 ? "s" : " ", r[k].add_s, r[k].run_s, total,
               (double)ndocs / total, (double)ndocs * BULLETS / total);
        printf("  CPU time: add %.2f s + run %.2f s (all threads; the wall time is longer when "
               "other work shares the cores)\n",
               r[k].add_cpu, r[k].run_cpu);
        printf("  exact groups %zu | candidate pairs %zu | confirmed %zu | clusters %zu "
               "(%zu documents)\n",
               r[k].st.exact_groups, r[k].st.candidate_pairs, r[k].st.confirmed_pairs,
               r[k].st.clusters, r[k].st.clustered_documents);
        printf("  vs the planted templates: pairwise recall %.4f | precision %.4f | edited "
               "copies in their template's cluster %zu/%zu\n",
               r[k].recall, r[k].precision, r[k].edited_found, r[k].edited);
        printf("  vs the Jaccard >= 0.8 groups of the planted copies (brute force): pairwise "
               "recall %.4f | precision %.4f\n",
               r[k].j_recall, r[k].j_precision);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double t2 = r[1].add_s + r[1].run_s;
    printf("same clusters with 1 and 2 threads: %s\n", r[0].digest == r[1].digest ? "yes" : "NO");
    printf("peak RSS %.0f MB\n", (double)ru.ru_maxrss / 1024.0);
    double budget = BUDGET_S * (double)ndocs / DEFAULT_DOCS;
    printf("ratio vs the budget (%zu documents in %.0f s on 2 threads): %.2fx by the wall clock; "
           "%.2fx by CPU time (add + run CPU / 2: what two free cores would take)\n",
           ndocs, budget, budget / t2, budget / (r[1].add_cpu + r[1].run_cpu / 2));
    free(label);
    free(edited);
    return r[0].digest == r[1].digest ? 0 : 1;
}
