/*
 * test_review_model.c — the review classifier (doge/review_model.h): the
 * taxonomy names, the built-in labelled set (size and coverage per
 * category), the TSV reader's errors (each naming file:line), the
 * stratified split (disjoint, complete, deterministic), training (the same
 * model bytes twice for a seed, another seed another model), the model file
 * (round trip, and truncated, corrupt, foreign or missing files refused
 * naming the file), classification of clear bullets not in the set, the
 * specificity features on crafted bullets, the explain JSON, the held-out
 * split a model records, the evaluation arithmetic, and classify from many
 * threads at once giving the single-threaded answers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "internal.h"
#include "review/review_internal.h"
#include "util_assert.h"

static char tmpdir[256];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/doge-review-test.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void path_in(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    assert_ok(doge__file_read(path, (size_t)64 << 20, &data, len));
    return data;
}

/* One model trained on the built-in set with the held-out split, shared by
 * the tests that only read it. */
static doge_review_model *g_model;

static doge_review_model *shared_model(void)
{
    doge_review_model *m = g_model;
    if (!m) {
        const doge_review_example *ex;
        size_t n;
        assert_ok(doge_review_builtin_examples(&ex, &n));
        doge_review_train_opts o;
        memset(&o, 0, sizeof o);
        o.test_share = 0.2;
        assert_ok(doge_review_model_train(&m, ex, n, &o));
        g_model = m;
    }
    return m;
}

static int classify(const char *text)
{
    doge_review_result r;
    assert_ok(doge_review_classify(shared_model(), text, strlen(text), &r));
    return r.category;
}

/* ---- taxonomy and data ---------------------------------------------------- */

static void test_taxonomy(void **state)
{
    (void)state;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        const char *name = doge_review_category_name(c);
        assert_non_null(name);
        int back = -1;
        assert_ok(doge_review_category_parse(name, &back));
        assert_int_equal(back, c);
    }
    assert_null(doge_review_category_name(-1));
    assert_null(doge_review_category_name(DOGE_REVIEW_NCATEGORIES));
    assert_string_equal(doge_review_category_name(DOGE_REVIEW_LEAVE), "leave_absence");
    int c;
    assert_error(doge_review_category_parse("mission", &c), DOGE_EINVAL, "unknown category 'mission'");
    assert_string_equal(doge_review_spec_name(DOGE_REVIEW_SPEC_NUMBER), "number");
    assert_null(doge_review_spec_name(1u << 20));
}

static void test_builtin_examples(void **state)
{
    (void)state;
    const doge_review_example *ex, *again;
    size_t n, n2;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    assert_ok(doge_review_builtin_examples(&again, &n2));
    assert_ptr_equal(ex, again);
    assert_int_equal(n, n2);
    assert_true(n >= 1500);
    size_t per[DOGE_REVIEW_NCATEGORIES] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_true(ex[i].category >= 0 && ex[i].category < DOGE_REVIEW_NCATEGORIES);
        assert_true(strlen(ex[i].text) > 0);
        assert_null(strchr(ex[i].text, '\t'));
        per[ex[i].category]++;
    }
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        size_t want = (c == DOGE_REVIEW_LEAVE || c == DOGE_REVIEW_UNSPECIFIED) ? 100 : 150;
        if (per[c] < want)
            fail_msg("%s has %zu examples, want at least %zu", doge_review_category_name(c),
                     per[c], want);
    }
    /* The embedded copy is the source file, when the source tree is here. */
    doge_review_example *file;
    size_t nf;
    if (doge_review_examples_read(DOGE_SOURCE_DIR "/data/review/bullets.tsv", &file, &nf) ==
        DOGE_OK) {
        assert_int_equal(nf, n);
        assert_true(doge_review_examples_hash(file, nf) == doge_review_examples_hash(ex, n));
        free(file);
    }
}

static void test_examples_read(void **state)
{
    (void)state;
    char p[400];
    path_in(p, sizeof p, "ok.tsv");
    const char ok[] = "\xEF\xBB\xBF# a comment after a byte order mark\n\n"
                      "mission_delivery\tDrafted the memo  \r\n"
                      "  unspecified \t  Stuff\n"
                      "leave_absence\tOn leave"; /* no final newline */
    write_file(p, ok, sizeof ok - 1);
    doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_examples_read(p, &ex, &n));
    assert_int_equal(n, 3);
    assert_string_equal(ex[0].text, "Drafted the memo");
    assert_int_equal(ex[0].category, DOGE_REVIEW_MISSION);
    assert_string_equal(ex[1].text, "Stuff");
    assert_int_equal(ex[1].category, DOGE_REVIEW_UNSPECIFIED);
    assert_string_equal(ex[2].text, "On leave");
    uint64_t h = doge_review_examples_hash(ex, n);
    ex[1].category = DOGE_REVIEW_LEAVE;
    assert_true(doge_review_examples_hash(ex, n) != h);
    free(ex);

    struct {
        const char *body, *want;
    } bad[] = {
        {"mission_delivery\tok\nno tab here\n", "bad.tsv:2: no tab between the category"},
        {"# c\nmission_delivery\tok\nmision_delivery\tx\n", "bad.tsv:3: unknown category 'mision_delivery'"},
        {"mission_delivery\t   \n", "bad.tsv:1: empty text"},
        {"mission_delivery\ta\tb\n", "bad.tsv:1: a second tab"},
        {"\nmission_delivery\tbad \xff byte\n", "bad.tsv:2: not valid UTF-8"},
        {"# only comments\n\n", "bad.tsv: no labelled bullets"},
    };
    path_in(p, sizeof p, "bad.tsv");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_file(p, bad[i].body, strlen(bad[i].body));
        assert_error(doge_review_examples_read(p, &ex, &n), DOGE_EINVAL, bad[i].want);
        assert_null(ex);
    }
    path_in(p, sizeof p, "missing.tsv");
    assert_error(doge_review_examples_read(p, &ex, &n), DOGE_ENOTFOUND, "missing.tsv");
}

/* ---- tokenizer ---------------------------------------------------------------- */

static size_t tokens(const char *text, doge__review_token *t)
{
    return doge__review_tokenize(text, strlen(text), t, DOGE_REVIEW_MAX_WORDS);
}

static void test_tokenize(void **state)
{
    (void)state;
    doge__review_token t[DOGE_REVIEW_MAX_WORDS], u[DOGE_REVIEW_MAX_WORDS];
    /* Letter-only words take a fast path (eight bytes at a time, the tail
     * in one masked load or byte by byte at the end of the text); words
     * with digits, apostrophes or non-ASCII bytes take the general one.
     * Both give the lexicon's hash of the folded word. */
    const char *words[] = {"a", "Ab", "five5", "inspections", "Inspections", "INSPECTIONS",
                           "abcdefgh", "abcdefghi", "abcdefghijklmnopq"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char lower[64], text[128];
        size_t n = strlen(words[i]);
        for (size_t k = 0; k <= n; k++)
            lower[k] = (char)(words[i][k] >= 'A' && words[i][k] <= 'Z' ? words[i][k] + 32
                                                                        : words[i][k]);
        uint64_t want = strcmp(words[i], "five5") == 0 ? doge__review_word_hash("five0", 5)
                                                       : doge__review_word_hash(lower, n);
        snprintf(text, sizeof text, "%s", words[i]); /* at the end: byte tail */
        assert_int_equal(tokens(text, t), 1);
        assert_true(t[0].hash == want);
        snprintf(text, sizeof text, "%s and more text", words[i]); /* masked load */
        assert_int_equal(tokens(text, u), 4);
        assert_true(u[0].hash == want && u[0].prefix == t[0].prefix);
        snprintf(text, sizeof text, "%s\xe2\x80\x99", words[i]); /* general path */
        assert_int_equal(tokens(text, u), 1);
        assert_true(u[0].hash == want && u[0].prefix == t[0].prefix);
        assert_int_equal(u[0].len, n);
    }
    /* Prefixes: words of six or more letters share their first five. */
    tokens("inspected inspections inspect Inspection’s inspe", t);
    assert_true(t[0].prefix != 0 && t[0].prefix == t[1].prefix && t[0].prefix == t[2].prefix &&
                t[0].prefix == t[3].prefix);
    assert_true(t[4].prefix == 0); /* five letters: the word itself */
    tokens("didn't didnt didn’t", t);
    assert_true(t[0].hash == t[1].hash && t[1].hash == t[2].hash);
    tokens("FY2025 fy24 1,200 3.5 7", t);
    assert_true(t[0].hash == t[1].hash && t[0].hash == doge__review_word_hash("fy0", 3));
    assert_true(t[2].hash == t[3].hash && t[3].hash == t[4].hash);
    assert_true((t[2].flags & DOGE__TOK_NUMBER) && !(t[0].flags & DOGE__TOK_NUMBER));
    assert_int_equal(t[2].len, 5);
    /* Shapes. */
    size_t n = tokens("Sent the FOIA memo to Denver. then 2/14 and 2025-02-14 at 20% for $4,100",
                      t);
    assert_int_equal(n, 17);
    assert_true((t[0].flags & DOGE__TOK_START) && (t[0].flags & DOGE__TOK_CAP));
    assert_true(!(t[1].flags & (DOGE__TOK_START | DOGE__TOK_CAP)));
    assert_true((t[2].flags & DOGE__TOK_ALLCAPS) && !(t[0].flags & DOGE__TOK_ALLCAPS));
    assert_true((t[5].flags & DOGE__TOK_CAP) && !(t[5].flags & DOGE__TOK_START));
    assert_true(t[6].flags & DOGE__TOK_START); /* after '.' */
    assert_true((t[7].flags & DOGE__TOK_DATE) && (t[8].flags & DOGE__TOK_DATE));
    assert_true((t[10].flags & DOGE__TOK_DATE) && (t[11].flags & DOGE__TOK_DATE) &&
                (t[12].flags & DOGE__TOK_DATE));
    assert_true((t[14].flags & DOGE__TOK_PERCENT) && !(t[14].flags & DOGE__TOK_MONEY));
    assert_true((t[16].flags & DOGE__TOK_MONEY) && (t[16].flags & DOGE__TOK_NUMBER));
    /* Punctuation, UTF-8 dashes and quotes separate; letters do not. */
    assert_int_equal(tokens("— “quoted” • café – naïve…", t), 3);
    assert_int_equal(t[1].len, 5); /* café */
    assert_int_equal(tokens("", t), 0);
    assert_int_equal(tokens("... - ? !", t), 0);
    /* At most cap words. */
    assert_int_equal(doge__review_tokenize("a b c d e", 9, t, 3), 3);
}

/* Random bytes of every length, each in a buffer of exactly that size (so
 * the sanitizers catch a read past the end): tokens stay inside the text,
 * in order and apart, and classify and specificity take anything. */
static void test_random_bytes(void **state)
{
    (void)state;
    doge_synth_rng rng;
    doge_synth_rng_seed(&rng, 99);
    const char alphabet[] = "aZ0 ,.'/-%$\t\n\xe2\x80\x99\x94\xc2\xa0\xc3\xa9\xff";
    doge__review_token t[DOGE_REVIEW_MAX_WORDS];
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)doge_synth_rng_below(&rng, 120);
        unsigned char *buf = malloc(len ? len : 1);
        assert_non_null(buf);
        int mode = round % 3;
        for (size_t i = 0; i < len; i++)
            buf[i] = mode == 0 ? (unsigned char)doge_synth_rng_below(&rng, 256)
                     : mode == 1
                         ? (unsigned char)alphabet[doge_synth_rng_below(&rng, sizeof alphabet - 1)]
                         : (unsigned char)"abcdefghijklmnopqrstuvwxyzABC"[doge_synth_rng_below(
                               &rng, 29 - (round % 5 == 0 ? 0 : 26))];
        size_t n = doge__review_tokenize((const char *)buf, len, t, DOGE_REVIEW_MAX_WORDS);
        size_t prev_end = 0;
        for (size_t k = 0; k < n; k++) {
            assert_true(t[k].len > 0);
            assert_true(t[k].off >= prev_end);
            assert_true((size_t)t[k].off + t[k].len <= len);
            prev_end = t[k].off + t[k].len;
        }
        doge_review_result r;
        assert_ok(doge_review_classify(shared_model(), (const char *)buf, len, &r));
        assert_true(r.specificity >= 0.0f && r.specificity <= 1.0f);
        assert_true(r.category >= 0 && r.category < DOGE_REVIEW_NCATEGORIES);
        free(buf);
    }
}

/* ---- split ------------------------------------------------------------------ */

static void test_split(void **state)
{
    (void)state;
    const doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    size_t *tr, ntr, *te, nte, *tr2, ntr2, *te2, nte2;
    assert_ok(doge_review_split(ex, n, 7, 0.2, &tr, &ntr, &te, &nte));
    assert_int_equal(ntr + nte, n);
    /* Disjoint and complete, both sorted. */
    unsigned char *seen = calloc(n, 1);
    assert_non_null(seen);
    for (size_t i = 0; i < ntr; i++) {
        assert_true(tr[i] < n && !seen[tr[i]]);
        seen[tr[i]] = 1;
        if (i)
            assert_true(tr[i - 1] < tr[i]);
    }
    for (size_t i = 0; i < nte; i++) {
        assert_true(te[i] < n && !seen[te[i]]);
        seen[te[i]] = 2;
        if (i)
            assert_true(te[i - 1] < te[i]);
    }
    /* Stratified: each category holds out round(count * 0.2). */
    size_t all[DOGE_REVIEW_NCATEGORIES] = {0}, held[DOGE_REVIEW_NCATEGORIES] = {0};
    for (size_t i = 0; i < n; i++) {
        all[ex[i].category]++;
        held[ex[i].category] += seen[i] == 2;
    }
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        double want = (double)all[c] * 0.2;
        assert_true((double)held[c] >= want - 0.5 && (double)held[c] <= want + 0.5);
    }
    free(seen);
    /* Same seed, same split; another seed, another split. */
    assert_ok(doge_review_split(ex, n, 7, 0.2, &tr2, &ntr2, &te2, &nte2));
    assert_int_equal(nte2, nte);
    assert_memory_equal(te, te2, nte * sizeof *te);
    free(tr2);
    free(te2);
    assert_ok(doge_review_split(ex, n, 8, 0.2, &tr2, &ntr2, &te2, &nte2));
    assert_int_equal(nte2, nte);
    assert_true(memcmp(te, te2, nte * sizeof *te) != 0);
    free(tr2);
    free(te2);
    free(tr);
    free(te);
    assert_error(doge_review_split(ex, n, 1, 1.0, &tr, &ntr, &te, &nte), DOGE_EINVAL, "test share");
    /* A category of one example stays in training. */
    doge_review_example tiny[3] = {{"a", 0}, {"b", 0}, {"c", 1}};
    assert_ok(doge_review_split(tiny, 3, 1, 0.5, &tr, &ntr, &te, &nte));
    assert_int_equal(nte, 1);
    assert_true(te[0] < 2);
    free(tr);
    free(te);
}

/* ---- training and the model file -------------------------------------------- */

static void test_train_deterministic(void **state)
{
    (void)state;
    const doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    doge_review_train_opts o;
    memset(&o, 0, sizeof o);
    o.seed = 3;
    o.test_share = 0.2;
    o.epochs = 10;
    char p1[400], p2[400], p3[400];
    path_in(p1, sizeof p1, "a/model.bin");
    path_in(p2, sizeof p2, "b.bin");
    path_in(p3, sizeof p3, "c.bin");
    doge_review_model *m;
    assert_ok(doge_review_model_train(&m, ex, n, &o));
    assert_ok(doge_review_model_save(m, p1)); /* creates a/ */
    doge_review_model_free(m);
    assert_ok(doge_review_model_train(&m, ex, n, &o));
    assert_ok(doge_review_model_save(m, p2));
    doge_review_model_info info;
    doge_review_model_get_info(m, &info);
    assert_int_equal(info.opts.seed, 3);
    assert_int_equal(info.opts.epochs, 10);
    assert_int_equal(info.opts.hash_bits, 18);
    assert_true(info.opts.l2 == 1e-4 && info.opts.learn_rate == 0.5);
    assert_int_equal(info.data_count, n);
    assert_true(info.train_count < n && info.train_count > n / 2);
    assert_true(info.data_hash == doge_review_examples_hash(ex, n));
    assert_true(info.rows > 1000 && info.weights >= info.rows);
    doge_review_model_free(m);
    o.seed = 4;
    assert_ok(doge_review_model_train(&m, ex, n, &o));
    assert_ok(doge_review_model_save(m, p3));
    doge_review_model_free(m);
    size_t l1, l2, l3;
    char *a = read_all(p1, &l1), *b = read_all(p2, &l2), *c = read_all(p3, &l3);
    assert_int_equal(l1, l2);
    assert_memory_equal(a, b, l1);
    assert_true(l1 != l3 || memcmp(a, c, l1) != 0);
    assert_true(l1 < 512 * 1024); /* a small file */
    free(a);
    free(b);
    free(c);
    /* Bad options. */
    o.hash_bits = 30;
    assert_error(doge_review_model_train(&m, ex, n, &o), DOGE_EINVAL, "hash bits 30");
    o.hash_bits = 0;
    o.test_share = 1.5;
    assert_error(doge_review_model_train(&m, ex, n, &o), DOGE_EINVAL, "test share");
    assert_error(doge_review_model_train(&m, ex, 0, NULL), DOGE_EINVAL, "no examples");
}

static void test_save_load_roundtrip(void **state)
{
    (void)state;
    doge_review_model *m = shared_model(), *back;
    char p[400];
    path_in(p, sizeof p, "round.bin");
    assert_ok(doge_review_model_save(m, p));
    assert_ok(doge_review_model_load(&back, p));
    doge_review_model_info a, b;
    doge_review_model_get_info(m, &a);
    doge_review_model_get_info(back, &b);
    assert_memory_equal(&a.opts, &b.opts, sizeof a.opts);
    assert_true(a.data_hash == b.data_hash);
    assert_int_equal(a.data_count, b.data_count);
    assert_int_equal(a.train_count, b.train_count);
    assert_int_equal(a.rows, b.rows);
    assert_int_equal(a.weights, b.weights);
    const doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    for (size_t i = 0; i < n; i += 7) {
        doge_review_result r1, r2;
        assert_ok(doge_review_classify(m, ex[i].text, strlen(ex[i].text), &r1));
        assert_ok(doge_review_classify(back, ex[i].text, strlen(ex[i].text), &r2));
        assert_memory_equal(&r1, &r2, sizeof r1);
    }
    /* Saving the loaded model gives the same bytes. */
    char p2[400];
    path_in(p2, sizeof p2, "round2.bin");
    assert_ok(doge_review_model_save(back, p2));
    size_t l1, l2;
    char *d1 = read_all(p, &l1), *d2 = read_all(p2, &l2);
    assert_int_equal(l1, l2);
    assert_memory_equal(d1, d2, l1);
    free(d1);
    free(d2);
    doge_review_model_free(back);
    doge_review_model_free(NULL);
}

static void test_load_rejects_bad_files(void **state)
{
    (void)state;
    char good[400], bad[400];
    path_in(good, sizeof good, "good.bin");
    path_in(bad, sizeof bad, "bad.bin");
    assert_ok(doge_review_model_save(shared_model(), good));
    size_t len;
    char *d = read_all(good, &len);
    doge_review_model *m = NULL;
    /* Truncated at many lengths, header and body. */
    size_t cuts[] = {0, 4, 8, 50, 96, 103, 104, 105, 200, len / 2, len - 9, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        write_file(bad, d, cuts[i]);
        assert_error(doge_review_model_load(&m, bad), DOGE_EINVAL, "bad.bin: not a valid doge review model");
        assert_null(m);
    }
    /* One flipped bit anywhere is caught (the checksum, or the magic). */
    size_t flips[] = {0, 9, 13, 17, 40, 90, 96, 300, len / 2, len - 1};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        d[flips[i]] ^= 0x10;
        write_file(bad, d, len);
        assert_error(doge_review_model_load(&m, bad), DOGE_EINVAL, "bad.bin");
        d[flips[i]] ^= 0x10;
    }
    /* Another version, with a valid checksum, names the version. */
    d[8] = 2;
    write_file(bad, d, len);
    assert_error(doge_review_model_load(&m, bad), DOGE_EINVAL, "version 2");
    d[8] = 1;
    /* Extra bytes after the checksum. */
    char *longer = malloc(len + 3);
    assert_non_null(longer);
    memcpy(longer, d, len);
    memcpy(longer + len, "xyz", 3);
    write_file(bad, longer, len + 3);
    assert_error(doge_review_model_load(&m, bad), DOGE_EINVAL, "bad.bin");
    free(longer);
    free(d);
    /* Not a model at all; missing. */
    write_file(bad, "mission_delivery\tx\n", 19);
    assert_error(doge_review_model_load(&m, bad), DOGE_EINVAL, "no DOGERVM magic");
    char missing[400];
    path_in(missing, sizeof missing, "nope.bin");
    assert_error(doge_review_model_load(&m, missing), DOGE_ENOTFOUND, "nope.bin");
}

/* ---- classify, specificity, explain ---------------------------------------- */

static void test_classify_clear(void **state)
{
    (void)state;
    /* Bullets written for this test, not in the labelled set. */
    struct {
        const char *text;
        int want;
    } cases[] = {
        {"Answered 75 calls from veterans asking about their claim status", DOGE_REVIEW_SERVICE},
        {"Helped 20 walk-in taxpayers at the assistance center", DOGE_REVIEW_SERVICE},
        {"Inspected 5 meat plants and wrote 2 noncompliance reports", DOGE_REVIEW_OVERSIGHT},
        {"Audited 30 purchase card transactions for misuse", DOGE_REVIEW_OVERSIGHT},
        {"Attended the weekly staff meeting and the branch sync", DOGE_REVIEW_COORDINATION},
        {"Met with state partners to coordinate the flood response", DOGE_REVIEW_COORDINATION},
        {"Approved timesheets and processed 6 travel vouchers", DOGE_REVIEW_ADMIN},
        {"Patched 30 Linux servers and rebooted them in the maintenance window", DOGE_REVIEW_IT_OPS},
        {"Closed 25 helpdesk tickets for password resets", DOGE_REVIEW_IT_OPS},
        {"Completed the annual cybersecurity awareness course in the LMS", DOGE_REVIEW_TRAINING},
        {"On annual leave Monday through Friday", DOGE_REVIEW_LEAVE},
        {"Out sick all week", DOGE_REVIEW_LEAVE},
        {"Worked on various things", DOGE_REVIEW_UNSPECIFIED},
        {"Nothing to report", DOGE_REVIEW_UNSPECIFIED},
        {"Ran the river forecast model and issued the flood crest forecast", DOGE_REVIEW_MISSION},
        {"Analyzed 120 groundwater samples for nitrate in the lab", DOGE_REVIEW_MISSION},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = classify(cases[i].text);
        if (got != cases[i].want)
            fail_msg("'%s': got %s, want %s", cases[i].text, doge_review_category_name(got),
                     doge_review_category_name(cases[i].want));
    }
    doge_review_result r;
    assert_ok(doge_review_classify(shared_model(), "", 0, &r));
    assert_int_equal(r.category, DOGE_REVIEW_UNSPECIFIED);
    float sum = 0;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        sum += r.probs[c];
    assert_true(sum > 0.999f && sum < 1.001f);
    assert_true(r.confidence == r.probs[r.category]);
    assert_error(doge_review_classify(NULL, "x", 1, &r), DOGE_EINVAL, "no model");
    /* Only len bytes count: the rest of the buffer is not read. */
    const char *text = "Out sick all week. Patched 30 servers and rebooted them";
    assert_ok(doge_review_classify(shared_model(), text, 17, &r));
    assert_int_equal(r.category, DOGE_REVIEW_LEAVE);
}

static uint32_t spec_bits(const char *text, float *score)
{
    uint32_t bits;
    float s = doge_review_specificity(text, strlen(text), &bits);
    if (score)
        *score = s;
    return bits;
}

#define HAS(text, bit) assert_true(spec_bits((text), NULL) & (bit))
#define HASNT(text, bit) assert_false(spec_bits((text), NULL) & (bit))

static void test_specificity(void **state)
{
    (void)state;
    HAS("Reviewed 14 files", DOGE_REVIEW_SPEC_NUMBER);
    HAS("Reviewed 1,200 pages", DOGE_REVIEW_SPEC_NUMBER);
    HAS("Reviewed a dozen files", DOGE_REVIEW_SPEC_NUMBER);
    HASNT("Reviewed the files", DOGE_REVIEW_SPEC_NUMBER);
    HASNT("Closed the files in 2024", DOGE_REVIEW_SPEC_NUMBER); /* a year is a date */
    HAS("Closed the files in 2024", DOGE_REVIEW_SPEC_DATE);
    HAS("Met on Tuesday", DOGE_REVIEW_SPEC_DATE);
    HAS("Due 2/14 at noon", DOGE_REVIEW_SPEC_DATE);
    HAS("Filed on 2025-02-14 by noon", DOGE_REVIEW_SPEC_DATE);
    HAS("Prepared the FY2026 request", DOGE_REVIEW_SPEC_DATE);
    HAS("Closed out Q3 actions", DOGE_REVIEW_SPEC_DATE);
    HASNT("Met with the team", DOGE_REVIEW_SPEC_DATE);
    HAS("Drafted the decision memo", DOGE_REVIEW_SPEC_DELIVERABLE);
    HAS("Answered FOIA requests", DOGE_REVIEW_SPEC_DELIVERABLE);
    HAS("Met with the team in Denver", DOGE_REVIEW_SPEC_DELIVERABLE);
    HASNT("Attended Weekly Staff Meeting", DOGE_REVIEW_SPEC_DELIVERABLE); /* title case */
    HAS("Completed the review", DOGE_REVIEW_SPEC_VERB);
    HAS("The claims were processed", DOGE_REVIEW_SPEC_VERB);
    HASNT("Working on the review", DOGE_REVIEW_SPEC_VERB);
    HAS("Assisted 30 veterans", DOGE_REVIEW_SPEC_PEOPLE);
    HAS("Answered 120 calls on the help line", DOGE_REVIEW_SPEC_PEOPLE);
    HAS("Helped elderly taxpayers with transcripts", DOGE_REVIEW_SPEC_PEOPLE);
    HASNT("Patched 30 servers", DOGE_REVIEW_SPEC_PEOPLE);
    HASNT("Patched 5 servers, then much later talked about the veterans", DOGE_REVIEW_SPEC_PEOPLE);
    HAS("Cut the backlog by 20%", DOGE_REVIEW_SPEC_OUTCOME);
    HAS("Saved $4,100 a month", DOGE_REVIEW_SPEC_OUTCOME);
    HAS("Reduced wait times", DOGE_REVIEW_SPEC_OUTCOME);
    HASNT("Attended the meeting", DOGE_REVIEW_SPEC_OUTCOME);
    HAS("Worked on various things", DOGE_REVIEW_SPEC_VAGUE);
    HAS("N/A", DOGE_REVIEW_SPEC_VAGUE);
    HAS("misc stuff", DOGE_REVIEW_SPEC_VAGUE);
    HASNT("Processed 45 claims", DOGE_REVIEW_SPEC_VAGUE);
    HAS("Emails", DOGE_REVIEW_SPEC_SHORT);
    HAS("", DOGE_REVIEW_SPEC_SHORT);
    HASNT("Answered emails from staff", DOGE_REVIEW_SPEC_SHORT);
    /* The score: a specific bullet scores high, vague or empty ones low,
     * and it is exactly the documented squash of the fixed weights. */
    float hi, lo, empty, plain;
    spec_bits("Processed 45 benefit claims for veterans in the Denver region on Feb 12", &hi);
    spec_bits("Worked on various tasks", &lo);
    spec_bits("", &empty);
    uint32_t none = spec_bits("Attended the meeting", &plain);
    assert_int_equal(none, 0);
    assert_true(hi > 0.9f);
    assert_true(lo < 0.1f);
    assert_true(empty < 0.1f);
    assert_true(plain > 0.26f && plain < 0.28f); /* logistic(-1) */
    {
        float s;
        uint32_t b = spec_bits("Assisted 30 veterans on Tuesday", &s);
        assert_int_equal(b, DOGE_REVIEW_SPEC_NUMBER | DOGE_REVIEW_SPEC_DATE |
                                DOGE_REVIEW_SPEC_PEOPLE);
        float z = -1.0f + 1.0f + 0.6f + 0.9f;
        assert_true(s > 1.0f / (1.0f + expf(-z)) - 1e-6f && s < 1.0f / (1.0f + expf(-z)) + 1e-6f);
    }
    /* classify reports the same score and bits. */
    doge_review_result r;
    const char *text = "Assisted 30 veterans on Tuesday";
    assert_ok(doge_review_classify(shared_model(), text, strlen(text), &r));
    uint32_t bits;
    assert_true(r.specificity == doge_review_specificity(text, strlen(text), &bits));
    assert_int_equal(r.spec_features, bits);
}

static void test_explain_json(void **state)
{
    (void)state;
    const char *text = "Processed 45 benefit claims for veterans in the Denver region";
    json_t *j;
    assert_ok(doge_review_explain(shared_model(), text, strlen(text), &j));
    assert_string_equal(json_string_value(json_object_get(j, "text")), text);
    assert_string_equal(json_string_value(json_object_get(j, "category")), "service_to_public");
    double conf = json_real_value(json_object_get(j, "confidence"));
    assert_true(conf > 0.3 && conf <= 1.0);
    json_t *probs = json_object_get(j, "probs");
    assert_int_equal(json_object_size(probs), DOGE_REVIEW_NCATEGORIES);
    assert_true(json_is_real(json_object_get(probs, "unspecified")));
    json_t *feats = json_object_get(j, "features");
    assert_true(json_is_array(feats) && json_array_size(feats) > 3);
    double prev = 1e9;
    int saw_claims = 0;
    size_t i;
    json_t *f;
    json_array_foreach(feats, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "feature"));
        double w = json_real_value(json_object_get(f, "weight"));
        assert_non_null(name);
        assert_true(w > 0 && w <= prev);
        prev = w;
        saw_claims |= strcmp(name, "w:claims") == 0 || strcmp(name, "p:claim*") == 0;
    }
    assert_true(saw_claims);
    double spec = json_real_value(json_object_get(j, "specificity"));
    assert_true(spec > 0.8 && spec <= 1.0);
    json_t *ev = json_object_get(j, "specificity_evidence");
    int number = 0, verb = 0, people = 0, deliv = 0;
    json_array_foreach(ev, i, f)
    {
        const char *name = json_string_value(json_object_get(f, "feature"));
        const char *matched = json_string_value(json_object_get(f, "matched"));
        assert_true(json_is_real(json_object_get(f, "weight")));
        if (strcmp(name, "number") == 0)
            number = strcmp(matched, "45") == 0;
        if (strcmp(name, "completed_verb") == 0)
            verb = strcmp(matched, "Processed") == 0;
        if (strcmp(name, "people_served") == 0)
            people = strcmp(matched, "claims") == 0;
        if (strcmp(name, "deliverable") == 0)
            deliv = strcmp(matched, "Denver") == 0;
    }
    assert_true(number && verb && people && deliv);
    json_decref(j);
    /* The feature names show digit runs as '#' and word pairs. */
    text = "Closed FY2025 items";
    assert_ok(doge_review_explain(shared_model(), text, strlen(text), &j));
    char *dump = json_dumps(j, 0);
    assert_non_null(dump);
    json_decref(j);
    free(dump);
    assert_error(doge_review_explain(shared_model(), "bad \xff", 5, &j), DOGE_EINVAL, "UTF-8");
}

/* ---- held-out split, evaluation -------------------------------------------- */

static void test_heldout_and_evaluate(void **state)
{
    (void)state;
    const doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    size_t *idx, nidx, *tr, ntr, *te, nte;
    assert_ok(doge_review_model_heldout(shared_model(), ex, n, &idx, &nidx));
    assert_ok(doge_review_split(ex, n, 1, 0.2, &tr, &ntr, &te, &nte));
    assert_int_equal(nidx, nte);
    assert_memory_equal(idx, te, nte * sizeof *te);
    doge_review_model_info info;
    doge_review_model_get_info(shared_model(), &info);
    assert_int_equal(info.train_count, ntr);
    doge_review_eval e;
    assert_ok(doge_review_evaluate(shared_model(), ex, idx, nidx, &e));
    assert_int_equal(e.n, nidx);
    size_t total = 0, diag = 0;
    double f1sum = 0;
    for (int t = 0; t < DOGE_REVIEW_NCATEGORIES; t++) {
        size_t row = 0;
        for (int p = 0; p < DOGE_REVIEW_NCATEGORIES; p++)
            row += e.confusion[t][p];
        assert_int_equal(row, e.support[t]);
        total += row;
        diag += e.confusion[t][t];
        f1sum += e.f1[t];
    }
    assert_int_equal(total, nidx);
    assert_true(e.accuracy == (double)diag / (double)nidx);
    assert_true(e.macro_f1 > f1sum / DOGE_REVIEW_NCATEGORIES - 1e-12 &&
                e.macro_f1 < f1sum / DOGE_REVIEW_NCATEGORIES + 1e-12);
    /* The acceptance figure (also asserted by tests/cli/review.t). */
    if (e.macro_f1 < 0.80)
        fail_msg("held-out macro-F1 %.3f < 0.80", e.macro_f1);
    free(idx);
    free(tr);
    free(te);
    /* Another set is refused. */
    assert_error(doge_review_model_heldout(shared_model(), ex, n - 1, &idx, &nidx), DOGE_EINVAL,
                 "another labelled set");
    /* A hand-made case: two categories, known counts. */
    doge_review_example tiny[] = {
        {"On annual leave all week", DOGE_REVIEW_LEAVE},
        {"Out sick Monday to Friday", DOGE_REVIEW_LEAVE},
        {"Worked on various things", DOGE_REVIEW_UNSPECIFIED},
        {"Out sick", DOGE_REVIEW_UNSPECIFIED}, /* labelled wrong on purpose */
    };
    assert_ok(doge_review_evaluate(shared_model(), tiny, NULL, 4, &e));
    assert_int_equal(e.confusion[DOGE_REVIEW_LEAVE][DOGE_REVIEW_LEAVE], 2);
    assert_int_equal(e.confusion[DOGE_REVIEW_UNSPECIFIED][DOGE_REVIEW_UNSPECIFIED], 1);
    assert_int_equal(e.confusion[DOGE_REVIEW_UNSPECIFIED][DOGE_REVIEW_LEAVE], 1);
    assert_true(e.precision[DOGE_REVIEW_LEAVE] > 0.666 && e.precision[DOGE_REVIEW_LEAVE] < 0.667);
    assert_true(e.recall[DOGE_REVIEW_UNSPECIFIED] == 0.5);
    assert_true(e.accuracy == 0.75);
    /* Only the two categories seen count in the macro average. */
    double want = (0.8 + 2.0 / 3.0) / 2.0;
    assert_true(e.macro_f1 > want - 1e-9 && e.macro_f1 < want + 1e-9);
    /* A model trained on everything has no held-out part. */
    doge_review_model *all;
    assert_ok(doge_review_model_train(&all, tiny, 4, NULL));
    assert_ok(doge_review_model_heldout(all, tiny, 4, &idx, &nidx));
    assert_int_equal(nidx, 0);
    free(idx);
    doge_review_model_free(all);
}

/* ---- threads ---------------------------------------------------------------- */

struct thread_arg {
    const doge_review_example *ex;
    size_t n;
    const doge_review_result *want;
    int bad;
};

static void *classify_all(void *p)
{
    struct thread_arg *a = p;
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < a->n; i++) {
            doge_review_result r;
            if (doge_review_classify(shared_model(), a->ex[i].text, strlen(a->ex[i].text), &r) !=
                    DOGE_OK ||
                memcmp(&r, &a->want[i], sizeof r) != 0)
                a->bad++;
        }
    }
    return NULL;
}

static void test_classify_threads(void **state)
{
    (void)state;
    const doge_review_example *ex;
    size_t n;
    assert_ok(doge_review_builtin_examples(&ex, &n));
    doge_review_result *want = calloc(n, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < n; i++)
        assert_ok(doge_review_classify(shared_model(), ex[i].text, strlen(ex[i].text), &want[i]));
    pthread_t th[4];
    struct thread_arg args[4];
    for (int t = 0; t < 4; t++) {
        args[t] = (struct thread_arg){ex, n, want, 0};
        assert_int_equal(pthread_create(&th[t], NULL, classify_all, &args[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_int_equal(args[t].bad, 0);
    }
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_taxonomy),
        cmocka_unit_test(test_builtin_examples),
        cmocka_unit_test(test_examples_read),
        cmocka_unit_test(test_tokenize),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_train_deterministic),
        cmocka_unit_test(test_save_load_roundtrip),
        cmocka_unit_test(test_load_rejects_bad_files),
        cmocka_unit_test(test_classify_clear),
        cmocka_unit_test(test_specificity),
        cmocka_unit_test(test_explain_json),
        cmocka_unit_test(test_heldout_and_evaluate),
        cmocka_unit_test(test_classify_threads),
    };
    int rc = cmocka_run_group_tests(tests, setup_dir, teardown_dir);
    doge_review_model_free(g_model);
    return rc;
}
