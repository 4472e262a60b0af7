/*
 * test_spend_csv_diff.c — the differential test of the USAspending CSV
 * reader: thousands of seeded random CSV files (quoted fields with commas,
 * doubled quotes, LF, CR and CRLF inside, CRLF and LF rows, empty lines,
 * long fields crossing 32- and 64-byte blocks, UTF-8 and bytes that are not,
 * ragged rows, a byte-order mark, files ending with or without a row end,
 * and a garbage mode that sprinkles quotes, commas, CRs and LFs at random)
 * are scanned by the scalar reference, the SSE2 and AVX2 scanners (when the
 * CPU has them) and by 2 to 16 threads; every scan must give the same rows,
 * fields, diagnostics, stats and result. Strict runs and runs stopped by the
 * callback are compared whole with one thread and by result with several
 * (which rows after the stop point other threads had already delivered is
 * not fixed). DOGE_SANITIZED=1 runs fewer cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "spend_csv_testutil.h"

typedef struct gbuf {
    char *p;
    size_t n, cap;
    uint64_t rows[4096]; /* row starts, for stop points */
    size_t nrows;
} gbuf;

static void put(gbuf *b, const void *s, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void puts_(gbuf *b, const char *s) { put(b, s, strlen(s)); }

static uint64_t below(doge_synth_rng *g, uint64_t n) { return doge_synth_rng_below(g, n); }

static void gen_field(doge_synth_rng *g, gbuf *b, int garbage)
{
    static const char *bits[] = {",", "\n", "\r\n", "\"\"", " ", "\r", "\xc3\xa9", "abc"};
    switch (below(g, 10)) {
    case 0: break; /* empty */
    case 1: puts_(b, "\"\""); break; /* quoted empty */
    case 2:
    case 3: { /* short plain */
        size_t n = 1 + below(g, 12);
        for (size_t i = 0; i < n; i++)
            put(b, &"abcdefghij0123456789.- _"[below(g, 24)], 1);
        break;
    }
    case 4:
    case 5: { /* quoted with specials */
        puts_(b, "\"");
        size_t n = below(g, 8);
        for (size_t i = 0; i < n; i++)
            puts_(b, bits[below(g, 8)]);
        puts_(b, "\"");
        break;
    }
    case 6: { /* long, crossing blocks */
        int q = (int)below(g, 2);
        size_t n = 30 + below(g, 170);
        if (q)
            puts_(b, "\"");
        for (size_t i = 0; i < n; i++) {
            if (q && below(g, 25) == 0)
                puts_(b, bits[below(g, 8)]);
            else
                put(b, &"ABCDEFGHIJKLMNOP"[below(g, 16)], 1);
        }
        if (q)
            puts_(b, "\"");
        break;
    }
    case 7: /* money and dates */
        puts_(b, below(g, 2) ? "-12345.67" : "2024-09-30");
        break;
    case 8: /* UTF-8, or not */
        switch (below(g, garbage ? 4 : 1)) {
        case 0: puts_(b, "caf\xc3\xa9"); break;
        case 1: puts_(b, "bad\xff"); break;
        case 2: puts_(b, "cut\xc3"); break;
        default: puts_(b, "\"q\xe2\x82\xac,\xed\xa0\x80\""); break; /* a surrogate */
        }
        break;
    default:
        if (garbage)
            puts_(b, (const char *[]){"a\"b", "\"a\"b", "\"x", "x\ry", "\"a\"\r"}[below(g, 5)]);
        else
            puts_(b, "42");
        break;
    }
}

static const char *row_end(doge_synth_rng *g, int crlf)
{
    if (crlf == 2)
        return below(g, 2) ? "\r\n" : "\n";
    return crlf ? "\r\n" : "\n";
}

/* A random CSV file; *ncols gets its column count. */
static void gen_file(doge_synth_rng *g, gbuf *b, size_t *ncols, int *garbage_out)
{
    b->n = 0;
    b->nrows = 0;
    int garbage = below(g, 5) == 0;
    int crlf = (int)below(g, 3);
    size_t nc = 1 + below(g, 12);
    *ncols = nc;
    if (below(g, 8) == 0)
        puts_(b, "\xef\xbb\xbf");
    if (below(g, 20) == 0)
        puts_(b, row_end(g, crlf)); /* an empty line before the header */
    for (size_t i = 0; i < nc; i++) {
        char name[32];
        int q = below(g, 4) == 0;
        snprintf(name, sizeof name, "%s%s%zu%s%s", q ? "\"" : "", below(g, 6) ? "c" : " C", i,
                 below(g, 6) ? "" : " ", q ? "\"" : "");
        if (i)
            puts_(b, ",");
        puts_(b, name);
    }
    size_t nrows = below(g, 10) == 0 ? 100 + below(g, 200) : below(g, 30);
    for (size_t r = 0; r < nrows; r++) {
        puts_(b, row_end(g, crlf));
        if (below(g, 25) == 0)
            puts_(b, row_end(g, crlf)); /* an empty line */
        if (b->nrows < sizeof b->rows / sizeof b->rows[0])
            b->rows[b->nrows++] = b->n;
        size_t nf = nc;
        if (below(g, garbage ? 15 : 60) == 0)
            nf = below(g, 2) && nc > 1 ? nc - 1 : nc + 1 + below(g, 2);
        if (below(g, 100) == 0)
            nf = nc + 30 + below(g, 200); /* far too many, across chunks */
        for (size_t f = 0; f < nf; f++) {
            if (f)
                puts_(b, ",");
            gen_field(g, b, garbage);
        }
    }
    if (below(g, 3))
        puts_(b, row_end(g, crlf));
    if (garbage) {
        size_t k = 1 + below(g, 4);
        for (size_t i = 0; i < k && b->n; i++)
            b->p[below(g, b->n)] = "\",\n\r\xffx"[below(g, 6)];
    }
    if (below(g, 40) == 0) { /* pure noise */
        size_t n = below(g, 300);
        b->n = 0;
        for (size_t i = 0; i < n; i++)
            put(b, &"\",\n\ra\xff "[below(g, 7)], 1);
    }
    *garbage_out = garbage;
}

static void run_cases(unsigned ncases, uint64_t seed)
{
    int variants[3] = {DOGE__SPEND_SCALAR, DOGE__SPEND_SSE2, DOGE__SPEND_AVX2};
    int nvariants = 0;
    for (int v = 0; v < 3; v++)
        if (doge__spend_kernel_for(variants[v]))
            variants[nvariants++] = variants[v];
    doge_synth_rng g;
    doge_synth_rng_seed(&g, seed);
    gbuf b = {0};
    const char *names[16];
    char namebuf[16][16];
    unsigned char req[16];
    size_t errs = 0, diags = 0, rowsn = 0;
    for (unsigned c = 0; c < ncases; c++) {
        size_t nc;
        int garbage;
        gen_file(&g, &b, &nc, &garbage);
        /* wanted columns: a random subset in random order, maybe one absent */
        size_t nw = 0;
        for (size_t i = 0; i < nc && nw < 14; i++) {
            if (below(&g, 3) == 0)
                continue;
            snprintf(namebuf[nw], sizeof namebuf[nw], below(&g, 5) ? "c%zu" : "C%zu", i);
            req[nw] = 1;
            nw++;
        }
        if (below(&g, 3) == 0) {
            snprintf(namebuf[nw], sizeof namebuf[nw], "absent");
            req[nw] = below(&g, 10) == 0;
            nw++;
        }
        for (size_t i = 0; i < nw; i++) {
            size_t j = below(&g, i + 1);
            char tmp[16];
            unsigned char t = req[i];
            memcpy(tmp, namebuf[i], sizeof tmp);
            memcpy(namebuf[i], namebuf[j], sizeof tmp);
            memcpy(namebuf[j], tmp, sizeof tmp);
            req[i] = req[j];
            req[j] = t;
        }
        for (size_t i = 0; i < nw; i++)
            names[i] = namebuf[i];
        doge_spend_csv_opts o = {.columns = names, .ncolumns = nw, .required = req};
        o.strict = below(&g, 6) == 0;
        uint64_t stop = UINT64_MAX;
        if (below(&g, 6) == 0 && b.nrows)
            stop = b.rows[below(&g, b.nrows)];
        int partial = o.strict || stop != UINT64_MAX;

        char *ref = spend_transcript(b.p, b.n, &o, DOGE__SPEND_SCALAR, 1, stop, NULL);
        errs += strstr(ref, "=> DOGE_OK") == NULL;
        for (const char *p = ref; (p = strstr(p, "\nD ")) != NULL; p++)
            diags++;
        for (const char *p = ref; (p = strstr(p, "R ")) != NULL; p++)
            rowsn++;
        for (int v = 0; v < nvariants; v++) {
            unsigned threads[2] = {1, 2 + (unsigned)below(&g, below(&g, 8) ? 4 : 15)};
            for (int t = 0; t < 2; t++) {
                if (variants[v] == DOGE__SPEND_SCALAR && threads[t] == 1)
                    continue;
                size_t chunk = (size_t[]){0, 64, 128, 192, 1024}[below(&g, 5)];
                char *got = spend_transcript_chunk(b.p, b.n, &o, variants[v], threads[t], stop,
                                                   chunk, NULL);
                int ok = (partial && threads[t] > 1) ? spend_same_result(ref, got) : strcmp(ref, got) == 0;
                if (!ok) {
                    FILE *f = fopen("spend_csv_diff_failure.csv", "wb");
                    if (f) {
                        fwrite(b.p, 1, b.n, f);
                        fclose(f);
                    }
                    fail_msg("case %u (seed %llu): variant %d, %u threads, chunk %zu, strict %d, "
                             "stop %llu differs from the scalar scan (input saved as "
                             "spend_csv_diff_failure.csv)\n--- scalar\n%s\n--- got\n%s",
                             c, (unsigned long long)seed, variants[v], threads[t], chunk, o.strict,
                             (unsigned long long)stop, ref, got);
                }
                free(got);
            }
        }
        free(ref);
    }
    free(b.p);
    print_message("%u cases, %d scanners: %zu rows, %zu diagnostics, %zu failed scans\n", ncases,
                  nvariants, rowsn, diags, errs);
    /* the generator must reach the interesting paths */
    assert_true(rowsn > ncases);
    assert_true(diags > ncases / 10);
    assert_true(errs > 0);
}

static unsigned ncases(unsigned full)
{
    const char *s = getenv("DOGE_SANITIZED");
    return s && *s && strcmp(s, "0") != 0 ? full / 8 : full;
}

static void test_random_files(void **state)
{
    (void)state;
    run_cases(ncases(3000), 20250224);
}

static void test_random_files_second_seed(void **state)
{
    (void)state;
    run_cases(ncases(1500), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_files),
        cmocka_unit_test(test_random_files_second_seed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
