/*
 * test_review_cluster.c — copy-paste clustering (doge/review_cluster.h):
 * normalisation (case, punctuation and whitespace folded, digits kept,
 * Unicode punctuation and Latin-1 capitals) and that shingling an ASCII
 * text in place agrees with shingling its normalised form; exact duplicates;
 * crafted near-duplicate pairs whose Jaccard similarity is known exactly,
 * just above, at and below the threshold (and under another threshold);
 * the groups of a cluster; the lowest Jaccard against the representative
 * along a chain; largest-first order; empty and short documents; a bucket
 * far past the all-pairs cap; the same clusters for 1, 2 and 3 threads;
 * the radix sorts against qsort; and the errors of the API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "review/cluster_internal.h"
#include "util_assert.h"

static void norm_is(const char *in, const char *want, size_t want_words)
{
    char out[512];
    size_t words;
    size_t n = doge__review_normalise(in, strlen(in), out, &words);
    out[n] = '\0';
    assert_string_equal(out, want);
    assert_int_equal(words, want_words);
}

static void test_normalise(void **state)
{
    (void)state;
    norm_is("Closed 12 TICKETS; re-opened 3!!", "closed 12 tickets re opened 3", 6);
    norm_is("  \t- Drafted the\n\n  FY2025   plan.  ", "drafted the fy2025 plan", 4);
    norm_is("", "", 0);
    norm_is(" ... \r\n -- ", "", 0);
    norm_is("A1b2C3", "a1b2c3", 1);
    /* Unicode: curly quotes, dashes, bullets, no-break spaces and the
     * ellipsis fold like punctuation; Latin-1 capitals are lower-cased;
     * other letters are kept as they are. */
    norm_is("\xe2\x80\xa2 R\xc3\x89SUM\xc3\x89 \xe2\x80\x94 \xe2\x80\x9cQ3\xe2\x80\x9d\xc2\xa0"
            "done"
            "\xe2\x80\xa6",
            "r\xc3\xa9sum\xc3\xa9 q3 done", 3);
    norm_is("na\xc3\xafve \xce\xa9mega", "na\xc3\xafve \xce\xa9mega", 2);

    /* Shingles of a text and of its normalised form are the same, on the
     * in-place ASCII path and on the normalising path alike. */
    const char *pairs[][2] = {
        {"Hello, World: 42 items closed!", "hello world 42 items closed"},
        {"Hello, World: 42 items closed \xc3\x89t\xc3\xa9", "hello world 42 items closed \xc3\xa9t\xc3\xa9"},
        {"One", "one"},
        {"Reviewed a very-long-identifier-like-token ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ok",
         "reviewed a very long identifier like token abcdefghijklmnopqrstuvwxyz0123456789 ok"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char norm[512];
        uint64_t bits[16];
        uint32_t sa[256], sb[256];
        doge__review_text ta, tb;
        doge__review_shingle_text(pairs[i][0], strlen(pairs[i][0]), 3, 7, norm, bits, sa, &ta);
        doge__review_shingle_text(pairs[i][1], strlen(pairs[i][1]), 3, 7, norm, bits, sb, &tb);
        assert_int_equal(ta.words, tb.words);
        assert_int_equal(ta.nsh, tb.nsh);
        assert_true(ta.hash == tb.hash);
        assert_memory_equal(sa, sb, ta.nsh * sizeof sa[0]);
        assert_int_equal(ta.nsh, ta.words >= 3 ? ta.words - 2 : 1);
    }
    /* Word order matters; so does every word. */
    char norm[128];
    uint64_t bits[4];
    uint32_t sa[64], sb[64];
    doge__review_text ta, tb;
    doge__review_shingle_text("a b c", 5, 3, 1, norm, bits, sa, &ta);
    doge__review_shingle_text("c b a", 5, 3, 1, norm, bits, sb, &tb);
    assert_true(sa[0] != sb[0] && ta.hash != tb.hash);
    doge__review_shingle_text("a b d", 5, 3, 1, norm, bits, sb, &tb);
    assert_true(sa[0] != sb[0] && ta.hash != tb.hash);
}

/* ---- helpers ------------------------------------------------------------- */

static doge_review_dedup *make(unsigned threads, double threshold)
{
    doge_review_dedup_opts o = {0};
    o.threads = threads;
    o.threshold = threshold;
    doge_review_dedup *d;
    assert_ok(doge_review_dedup_new(&d, &o));
    return d;
}

static void add(doge_review_dedup *d, int64_t id, const char *group, const char *text)
{
    assert_ok(doge_review_dedup_add(d, id, group, text, strlen(text)));
}

/* "w<base> w<base+1> ..." with word `change` replaced by "x<change>" (and
 * `change2` too; -1 for none). */
static void words_doc(char *out, size_t cap, int base, int n, int change, int change2)
{
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        int x = i == change || i == change2;
        o += (size_t)snprintf(out + o, cap - o, "%s%s%d", i ? " " : "", x ? "x" : "w", base + i);
    }
}

/* The Jaccard similarity of the word 3-gram sets of two normalised texts,
 * counted with strings: the independent check of the library's figure. */
static double jaccard_by_hand(const char *a, const char *b)
{
    char ga[256][64], gb[256][64];
    size_t na = 0, nb = 0;
    const char *src[2] = {a, b};
    for (int s = 0; s < 2; s++) {
        char words[256][16];
        size_t nw = 0;
        const char *p = src[s];
        while (*p) {
            size_t l = strcspn(p, " ");
            snprintf(words[nw++], sizeof words[0], "%.*s", (int)l, p);
            p += l;
            while (*p == ' ')
                p++;
        }
        for (size_t i = 0; i + 3 <= nw; i++) {
            char *g = s ? gb[nb++] : ga[na++];
            snprintf(g, 64, "%.15s %.15s %.15s", words[i], words[i + 1], words[i + 2]);
        }
    }
    size_t inter = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++)
            if (strcmp(ga[i], gb[j]) == 0) {
                inter++;
                break;
            }
    return (double)inter / (double)(na + nb - inter);
}

/* ---- clustering ---------------------------------------------------------- */

static void test_exact(void **state)
{
    (void)state;
    doge_review_dedup *d = make(1, 0);
    add(d, 10, "Department of Energy", "- Closed 12 tickets for the help desk.\n- Met the team");
    add(d, 11, "Department of State", "closed 12 TICKETS for the help-desk; met THE team!!");
    add(d, 12, "Department of Energy", "* Closed 12 tickets for the help desk\n* Met the team");
    add(d, 13, "Department of Energy", "Closed 13 tickets for the help desk. Met the team.");
    assert_ok(doge_review_dedup_run(d));
    assert_int_equal(doge_review_dedup_count(d), 1);
    doge_review_cluster c;
    assert_ok(doge_review_dedup_cluster(d, 0, &c));
    assert_int_equal(c.size, 3);
    assert_int_equal(c.exact, 3);
    assert_true(c.ids[0] == 10 && c.ids[1] == 11 && c.ids[2] == 12);
    assert_true(c.representative == 10);
    assert_string_equal(c.text, "- Closed 12 tickets for the help desk.\n- Met the team");
    assert_true(c.min_jaccard == 1.0);
    assert_int_equal(c.ngroups, 2);
    assert_string_equal(c.groups[0], "Department of Energy");
    assert_string_equal(c.groups[1], "Department of State");
    doge_review_dedup_stats st;
    doge_review_dedup_get_stats(d, &st);
    assert_int_equal(st.documents, 4);
    assert_int_equal(st.exact_groups, 1);
    assert_int_equal(st.clusters, 1);
    assert_int_equal(st.clustered_documents, 3);
    /* The fourth differs in one word ("13"): 6 of the 10 shingles in the
     * union are shared, far below 0.8. */
    doge_review_dedup_free(d);
}

static void test_near_threshold(void **state)
{
    (void)state;
    /* n distinct words give n - 2 shingles; changing the last word leaves
     * n - 3 shared of n - 1 in the union. n = 11: exactly 8/10 = 0.8.
     * n = 10: 7/9 = 0.778. n = 21: 18/20 = 0.9. */
    char a[512], b[512];
    struct {
        int n, change;
        double j;
    } cases[] = {{11, 10, 0.8}, {10, 9, 7.0 / 9}, {21, 20, 0.9}, {30, 15, 25.0 / 31}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        words_doc(a, sizeof a, 100 * (int)k, cases[k].n, -1, -1);
        words_doc(b, sizeof b, 100 * (int)k, cases[k].n, cases[k].change, -1);
        assert_true(fabs(jaccard_by_hand(a, b) - cases[k].j) < 1e-12);
        for (int pass = 0; pass < 2; pass++) {
            double threshold = pass ? 0.85 : 0.8;
            doge_review_dedup *d = make(1, threshold);
            add(d, 1, "g", a);
            add(d, 2, "g", b);
            add(d, 3, "g", "an unrelated reply about something else entirely today");
            assert_ok(doge_review_dedup_run(d));
            int want = cases[k].j >= threshold - 1e-12;
            assert_int_equal(doge_review_dedup_count(d), want);
            if (want) {
                doge_review_cluster c;
                assert_ok(doge_review_dedup_cluster(d, 0, &c));
                assert_int_equal(c.size, 2);
                assert_int_equal(c.exact, 1);
                assert_true(c.representative == 1);
                assert_true(fabs(c.min_jaccard - cases[k].j) < 1e-12);
                assert_string_equal(c.text, a);
            }
            doge_review_dedup_stats st;
            doge_review_dedup_get_stats(d, &st);
            assert_int_equal(st.confirmed_pairs, want);
            assert_true(st.candidate_pairs >= st.confirmed_pairs);
            doge_review_dedup_free(d);
        }
    }
}

static void test_chain_and_groups(void **state)
{
    (void)state;
    /* R; A = R with word 10 changed (25/31 = 0.806 to R); B = A with word
     * 20 changed (0.806 to A, 22/34 = 0.647 to R): one cluster through A,
     * whose lowest similarity to the representative R is 22/34. */
    char r[512], a[512], b[512];
    words_doc(r, sizeof r, 0, 30, -1, -1);
    words_doc(a, sizeof a, 0, 30, 10, -1);
    words_doc(b, sizeof b, 0, 30, 10, 20);
    assert_true(fabs(jaccard_by_hand(r, a) - 25.0 / 31) < 1e-12);
    assert_true(fabs(jaccard_by_hand(a, b) - 25.0 / 31) < 1e-12);
    assert_true(fabs(jaccard_by_hand(r, b) - 22.0 / 34) < 1e-12);
    doge_review_dedup *d = make(1, 0.8);
    add(d, 30, "Internal Revenue Service", b);
    add(d, 5, "Department of Labor", r);
    add(d, 17, "Department of Labor", a);
    add(d, 18, "Department of Agriculture", a);
    assert_ok(doge_review_dedup_run(d));
    assert_int_equal(doge_review_dedup_count(d), 1);
    doge_review_cluster c;
    assert_ok(doge_review_dedup_cluster(d, 0, &c));
    assert_int_equal(c.size, 4);
    assert_true(c.ids[0] == 5 && c.ids[1] == 17 && c.ids[2] == 18 && c.ids[3] == 30);
    assert_true(c.representative == 5);
    assert_string_equal(c.text, r);
    assert_int_equal(c.exact, 1);
    assert_true(fabs(c.min_jaccard - 22.0 / 34) < 1e-12);
    assert_int_equal(c.ngroups, 3);
    assert_string_equal(c.groups[0], "Department of Agriculture");
    assert_string_equal(c.groups[1], "Department of Labor");
    assert_string_equal(c.groups[2], "Internal Revenue Service");
    doge_review_dedup_free(d);
}

static void test_order(void **state)
{
    (void)state;
    /* Sizes 2 (ids 1, 2), 4 (ids 50..53), 3 (ids 7, 8, 9) and 3 (ids 3,
     * 40, 41): largest first, ties by the representative's id. */
    doge_review_dedup *d = make(2, 0);
    char t[512];
    words_doc(t, sizeof t, 1000, 12, -1, -1);
    add(d, 1, "a", t);
    add(d, 2, "a", t);
    words_doc(t, sizeof t, 2000, 12, -1, -1);
    for (int64_t id = 50; id <= 53; id++)
        add(d, id, "b", t);
    words_doc(t, sizeof t, 3000, 12, -1, -1);
    for (int64_t id = 9; id >= 7; id--)
        add(d, id, "c", t);
    words_doc(t, sizeof t, 4000, 12, -1, -1);
    add(d, 41, "c", t);
    add(d, 3, "c", t);
    add(d, 40, "c", t);
    assert_ok(doge_review_dedup_run(d));
    assert_int_equal(doge_review_dedup_count(d), 4);
    size_t sizes[4];
    int64_t reps[4];
    for (size_t i = 0; i < 4; i++) {
        doge_review_cluster c;
        assert_ok(doge_review_dedup_cluster(d, i, &c));
        sizes[i] = c.size;
        reps[i] = c.representative;
        for (size_t k = 1; k < c.size; k++)
            assert_true(c.ids[k - 1] < c.ids[k]);
    }
    assert_int_equal(sizes[0], 4);
    assert_true(reps[0] == 50);
    assert_int_equal(sizes[1], 3);
    assert_true(reps[1] == 3);
    assert_int_equal(sizes[2], 3);
    assert_true(reps[2] == 7);
    assert_int_equal(sizes[3], 2);
    assert_true(reps[3] == 1);
    doge_review_cluster c;
    assert_error(doge_review_dedup_cluster(d, 4, &c), DOGE_ERANGE, "no cluster 4");
    doge_review_dedup_free(d);
}

static void test_empty_and_short(void **state)
{
    (void)state;
    doge_review_dedup *d = make(1, 0);
    add(d, 1, "g", "");
    add(d, 2, "g", "");
    add(d, 3, "g", "  ---  \n ");
    add(d, 4, "g", "N/A");
    add(d, 5, "g", "n/a.");
    add(d, 6, "g", "Worked on the budget today"); /* 5 words: exact matching only */
    add(d, 7, "g", "Worked on the budget yesterday");
    add(d, 8, "g", "worked on THE budget today!");
    assert_ok(doge_review_dedup_add(d, 9, NULL, NULL, 0)); /* no text, no group */
    assert_ok(doge_review_dedup_run(d));
    assert_int_equal(doge_review_dedup_count(d), 2);
    doge_review_cluster c;
    assert_ok(doge_review_dedup_cluster(d, 0, &c));
    assert_int_equal(c.size, 2);
    assert_true(c.ids[0] == 4 && c.ids[1] == 5);
    assert_int_equal(c.exact, 2);
    assert_ok(doge_review_dedup_cluster(d, 1, &c));
    assert_true(c.ids[0] == 6 && c.ids[1] == 8);
    doge_review_dedup_stats st;
    doge_review_dedup_get_stats(d, &st);
    assert_int_equal(st.documents, 9);
    assert_int_equal(st.exact_groups, 2);
    assert_int_equal(st.candidate_pairs, 0);
    doge_review_dedup_free(d);

    /* Nothing added: no clusters. */
    d = make(2, 0);
    assert_ok(doge_review_dedup_run(d));
    assert_int_equal(doge_review_dedup_count(d), 0);
    doge_review_dedup_free(d);
}

/* A reply: five bullets from a small vocabulary with numbers, so that
 * unrelated replies share many phrases (as real ones do). */
static void random_reply(doge_synth_rng *r, char *out, size_t cap)
{
    static const char *const verbs[] = {"Completed", "Reviewed", "Drafted", "Processed", "Led",
                                        "Updated"};
    static const char *const objects[] = {"the quarterly report for the regional office",
                                          "benefit claims for veterans in the region",
                                          "the budget justification tables",
                                          "FOIA requests from the backlog",
                                          "the onboarding of new hires"};
    size_t o = 0;
    for (int b = 0; b < 5; b++)
        o += (size_t)snprintf(out + o, cap - o, "%s- %s %u %s\n", b ? "" : "",
                              verbs[doge_synth_rng_below(r, 6)],
                              (unsigned)doge_synth_rng_below(r, 500),
                              objects[doge_synth_rng_below(r, 5)]);
}

/* Replaces word w of s (space-separated) with "edited". */
static void edit_word(char *s, size_t w)
{
    char out[1024];
    size_t o = 0, word = 0;
    for (const char *p = s; *p;) {
        if (word == w && (p == s || p[-1] == ' ' || p[-1] == '\n')) {
            o += (size_t)snprintf(out + o, sizeof out - o, "edited");
            while (*p && *p != ' ' && *p != '\n')
                p++;
            word++;
            continue;
        }
        out[o++] = *p;
        if (*p == ' ' || *p == '\n')
            word++;
        p++;
    }
    out[o] = '\0';
    strcpy(s, out);
}

typedef struct {
    size_t n;
    char (*text)[1024];
    int *label; /* template or -1 */
} corpus;

static corpus make_corpus(size_t n, int templates, unsigned per_mille)
{
    corpus c = {n, calloc(n, sizeof *c.text), calloc(n, sizeof *c.label)};
    assert_non_null(c.text);
    assert_non_null(c.label);
    doge_synth_rng r;
    doge_synth_rng_seed(&r, 77);
    char tpl[8][1024];
    int seen[8] = {0};
    for (int t = 0; t < templates; t++)
        random_reply(&r, tpl[t], sizeof tpl[t]);
    for (size_t i = 0; i < n; i++) {
        if (doge_synth_rng_below(&r, 1000) < per_mille) {
            int t = (int)doge_synth_rng_below(&r, (uint64_t)templates);
            c.label[i] = t;
            strcpy(c.text[i], tpl[t]);
            if (seen[t]++ && doge_synth_rng_below(&r, 2)) /* the first copy is verbatim */
                edit_word(c.text[i], 2 + doge_synth_rng_below(&r, 40));
        } else {
            c.label[i] = -1;
            random_reply(&r, c.text[i], sizeof c.text[i]);
        }
    }
    return c;
}

static doge_review_dedup *run_corpus(const corpus *c, unsigned threads)
{
    doge_review_dedup *d = make(threads, 0);
    for (size_t i = 0; i < c->n; i++) {
        char g[16];
        snprintf(g, sizeof g, "dept%zu", i % 7);
        add(d, (int64_t)(i * 3 + 1), g, c->text[i]);
    }
    assert_ok(doge_review_dedup_run(d));
    return d;
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x)
        x = parent[x] = parent[parent[x]];
    return x;
}

static void test_big_bucket(void **state)
{
    (void)state;
    /* 400 copies of 2 templates, half with one word edited, among 1600
     * unrelated replies: buckets of hundreds, far past the all-pairs cap.
     * The clusters must be exactly the groups that brute force finds among
     * the copies (pairs with Jaccard >= 0.8, joined transitively); the
     * unrelated replies share phrases but are never that close. */
    corpus c = make_corpus(2000, 2, 200);
    doge_review_dedup *d = run_corpus(&c, 2);
    size_t n = c.n, *parent = malloc(n * sizeof *parent), *nsh = calloc(n, sizeof *nsh);
    uint32_t(*sh)[600] = calloc(n, sizeof *sh);
    assert_true(parent && nsh && sh);
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        if (c.label[i] < 0)
            continue;
        char norm[1024];
        uint64_t bits[17];
        doge__review_text t;
        doge__review_shingle_text(c.text[i], strlen(c.text[i]), 3, 1, norm, bits, sh[i], &t);
        nsh[i] = doge__review_sort_unique(sh[i], t.nsh);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && c.label[i] >= 0; j++)
            if (c.label[j] >= 0 && doge__review_jaccard(sh[i], nsh[i], sh[j], nsh[j]) >= 0.8) {
                size_t a = uf_find(parent, i), b = uf_find(parent, j);
                parent[a > b ? a : b] = a < b ? a : b;
            }
    size_t *size = calloc(n, sizeof *size), groups = 0;
    for (size_t i = 0; i < n; i++)
        size[uf_find(parent, i)]++;
    for (size_t i = 0; i < n; i++)
        groups += size[i] >= 2;
    assert_true(groups >= 2);
    assert_int_equal(doge_review_dedup_count(d), groups);
    size_t big = 0;
    for (size_t k = 0; k < groups; k++) {
        doge_review_cluster cl;
        assert_ok(doge_review_dedup_cluster(d, k, &cl));
        size_t root = uf_find(parent, (size_t)(cl.ids[0] - 1) / 3);
        assert_int_equal(cl.size, size[root]);
        for (size_t m = 0; m < cl.size; m++)
            assert_int_equal(uf_find(parent, (size_t)(cl.ids[m] - 1) / 3), root);
        if (cl.size > 100) { /* a template's main group: verbatim copies and edits */
            big++;
            assert_true(cl.exact > cl.size / 3 && cl.exact < cl.size);
            assert_true(cl.min_jaccard > 0.6 && cl.min_jaccard < 1);
            assert_int_equal(cl.ngroups, 7);
        }
    }
    assert_int_equal(big, 2);
    doge_review_dedup_free(d);
    free(parent);
    free(nsh);
    free(sh);
    free(size);
    free(c.text);
    free(c.label);
}

static void test_threads_agree(void **state)
{
    (void)state;
    size_t n = getenv("DOGE_SANITIZED") ? 1500 : 6000;
    corpus c = make_corpus(n, 5, 60);
    doge_review_dedup *d1 = run_corpus(&c, 1), *d2 = run_corpus(&c, 2), *d3 = run_corpus(&c, 3);
    doge_review_dedup *ds[2] = {d2, d3};
    doge_review_dedup_stats s1;
    doge_review_dedup_get_stats(d1, &s1);
    assert_true(doge_review_dedup_count(d1) >= 5);
    for (int k = 0; k < 2; k++) {
        doge_review_dedup_stats s;
        doge_review_dedup_get_stats(ds[k], &s);
        assert_memory_equal(&s, &s1, sizeof s);
        assert_int_equal(doge_review_dedup_count(ds[k]), doge_review_dedup_count(d1));
        for (size_t i = 0; i < doge_review_dedup_count(d1); i++) {
            doge_review_cluster a, b;
            assert_ok(doge_review_dedup_cluster(d1, i, &a));
            assert_ok(doge_review_dedup_cluster(ds[k], i, &b));
            assert_int_equal(a.size, b.size);
            assert_memory_equal(a.ids, b.ids, a.size * sizeof a.ids[0]);
            assert_int_equal(a.exact, b.exact);
            assert_true(a.min_jaccard == b.min_jaccard);
            assert_true(a.representative == b.representative);
            assert_string_equal(a.text, b.text);
            assert_int_equal(a.ngroups, b.ngroups);
            for (size_t g = 0; g < a.ngroups; g++)
                assert_string_equal(a.groups[g], b.groups[g]);
        }
    }
    doge_review_dedup_free(d1);
    doge_review_dedup_free(d2);
    doge_review_dedup_free(d3);
    free(c.text);
    free(c.label);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_radix(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b), *t = malloc(N * sizeof *t);
    doge__kv *kv = malloc(N * sizeof *kv), *kt = malloc(N * sizeof *kt);
    assert_true(a && b && t && kv && kt);
    doge_synth_rng r;
    doge_synth_rng_seed(&r, 5);
    for (size_t i = 0; i < N; i++) {
        uint64_t x = doge_synth_rng_next(&r);
        if (i % 3 == 0)
            x &= 0xFFFF00000000FFFFULL; /* digits on which all agree are skipped */
        a[i] = b[i] = x;
        kv[i] = (doge__kv){x, i};
    }
    qsort(a, N, sizeof *a, cmp_u64);
    uint64_t *k = b, *tt = t;
    doge__radix_u64(&k, &tt, N, 0);
    assert_memory_equal(k, a, N * sizeof *a);
    doge__kv *p = kv, *pt = kt;
    doge__radix_kv(&p, &pt, N);
    for (size_t i = 0; i < N; i++) {
        assert_true(p[i].k == a[i]);
        if (i && p[i].k == p[i - 1].k)
            assert_true(p[i].v > p[i - 1].v); /* stable */
    }
    /* On the high half only: stable, so the low halves (the input order)
     * rise within each run of equal high halves. */
    for (size_t i = 0; i < N; i++)
        b[i] = (a[(i * 7) % N] & 0xFFFFFFFF00000000ULL) | i;
    k = b;
    tt = t;
    doge__radix_u64(&k, &tt, N, 32);
    for (size_t i = 1; i < N; i++) {
        assert_true(k[i - 1] >> 32 <= k[i] >> 32);
        if (k[i - 1] >> 32 == k[i] >> 32)
            assert_true((uint32_t)k[i - 1] < (uint32_t)k[i]);
    }
    free(a);
    free(b);
    free(t);
    free(kv);
    free(kt);
}

static void test_errors(void **state)
{
    (void)state;
    doge_review_dedup *d;
    doge_review_dedup_opts o = {0};
    o.hashes = 100;
    o.bands = 32;
    assert_error(doge_review_dedup_new(&d, &o), DOGE_EINVAL, "multiple of bands");
    assert_null(d);
    o = (doge_review_dedup_opts){0};
    o.threshold = 1.5;
    assert_error(doge_review_dedup_new(&d, &o), DOGE_EINVAL, "threshold 1.5");
    o.threshold = -0.2;
    assert_error(doge_review_dedup_new(&d, &o), DOGE_EINVAL, "threshold -0.2");
    o = (doge_review_dedup_opts){0};
    o.shingle = 17;
    assert_error(doge_review_dedup_new(&d, &o), DOGE_EINVAL, "shingle 17");
    assert_ok(doge_review_dedup_new(&d, NULL));
    doge_review_cluster c;
    assert_error(doge_review_dedup_cluster(d, 0, &c), DOGE_EINVAL, "run has not been called");
    assert_error(doge_review_dedup_add(d, 4, "g", NULL, 3), DOGE_EINVAL, "document 4 has no text");
    add(d, 1, "g", "text");
    assert_ok(doge_review_dedup_run(d));
    assert_error(doge_review_dedup_run(d), DOGE_EINVAL, "already");
    assert_error(doge_review_dedup_add(d, 2, "g", "x", 1), DOGE_EINVAL, "add after run");
    doge_review_dedup_free(d);
    doge_review_dedup_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),       cmocka_unit_test(test_exact),
        cmocka_unit_test(test_near_threshold),  cmocka_unit_test(test_chain_and_groups),
        cmocka_unit_test(test_order),           cmocka_unit_test(test_empty_and_short),
        cmocka_unit_test(test_big_bucket),      cmocka_unit_test(test_threads_agree),
        cmocka_unit_test(test_radix),           cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
