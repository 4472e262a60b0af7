/*
 * test_csvread_simd.c — the streaming CSV reader's SIMD row search against
 * its scalar state machine: seeded random files (quoted fields with commas,
 * doubled quotes, CR, LF and CRLF, stray quotes, text after closing quotes,
 * lone CRs, empty lines, a byte-order mark, unclosed quotes at the end, rows
 * longer than the reader's refill chunk, small row caps) are read twice,
 * once with doge__csvread_set_scalar(); every row, field, line, offset,
 * consumed count, and the final result and message must be the same. Also
 * the search itself on hand-made blocks. DOGE_SANITIZED=1 runs fewer cases.
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
#include "util/csv_rowend.h"

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void add(text *t, const void *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void adds(text *t, const char *s) { add(t, s, strlen(s)); }

/* Everything a reader returns, as text. */
static char *transcript(const text *in, size_t max_row, int scalar)
{
    doge_csvread *r;
    text out = {0};
    adds(&out, "");
    if (doge_csvread_open_mem(&r, in->p, in->n, "t.csv", max_row) != DOGE_OK)
        fail_msg("open: %s", doge_error_last());
    doge__csvread_set_scalar(r, scalar);
    int rc;
    char line[160];
    while ((rc = doge_csvread_next(r)) == 1) {
        snprintf(line, sizeof line, "row %llu@%llu (%llu):",
                 (unsigned long long)doge_csvread_line(r), (unsigned long long)doge_csvread_offset(r),
                 (unsigned long long)doge_csvread_consumed(r));
        adds(&out, line);
        for (size_t i = 0; i < doge_csvread_count(r); i++) {
            doge_csvread_field f = doge_csvread_get(r, i);
            adds(&out, "|");
            add(&out, f.data, f.len);
        }
        adds(&out, "\n");
    }
    snprintf(line, sizeof line, "=> %d ", rc);
    adds(&out, line);
    adds(&out, rc ? doge_error_last() : "");
    doge_csvread_free(r);
    return out.p;
}

static void gen(doge_synth_rng *g, text *t)
{
    static const char *clean[] = {"",      "a",     "bc",         "12.50",          "\"q\"",
                                  "\"x,y\"", "\"l\nf\"", "\"d\"\"q\"", "\"\"", "\xc3\xa9 x",
                                  "\"cr\r\nlf\""};
    static const char *dirty[] = {"\r", "\"", "x\"y", "\"c\"z", "\"open"};
    static const char *ends[] = {"\n", "\r\n", "\n\n", "\r\n\r\n"};
    t->n = 0;
    adds(t, "");
    if (doge_synth_rng_below(g, 8) == 0)
        adds(t, "\xef\xbb\xbf");
    int messy = doge_synth_rng_below(g, 2) == 0;
    size_t rows = doge_synth_rng_below(g, 10) == 0 ? 2000 + doge_synth_rng_below(g, 4000)
                                                    : doge_synth_rng_below(g, 20);
    for (size_t r = 0; r < rows; r++) {
        size_t nf = 1 + doge_synth_rng_below(g, 8);
        for (size_t f = 0; f < nf; f++) {
            if (f)
                adds(t, ",");
            if (messy && doge_synth_rng_below(g, 100) == 0)
                adds(t, dirty[doge_synth_rng_below(g, 5)]);
            else
                adds(t, clean[doge_synth_rng_below(g, 11)]);
            if (doge_synth_rng_below(g, 300) == 0) { /* a long field */
                size_t m = 100 + doge_synth_rng_below(g, 3000);
                for (size_t j = 0; j < m; j++)
                    add(t, "w", 1);
            }
        }
        if (r + 1 < rows || doge_synth_rng_below(g, 2))
            adds(t, ends[doge_synth_rng_below(g, 4)]);
    }
}

static void test_random(void **state)
{
    (void)state;
    const char *s = getenv("DOGE_SANITIZED");
    unsigned cases = s && *s && strcmp(s, "0") != 0 ? 300 : 3000;
    doge_synth_rng g;
    doge_synth_rng_seed(&g, 4181);
    text in = {0};
    size_t errors = 0, rows = 0;
    for (unsigned c = 0; c < cases; c++) {
        gen(&g, &in);
        size_t caps[] = {0, 0, 0, 16, 64, 200, 5000};
        size_t max_row = caps[doge_synth_rng_below(&g, 7)];
        char *a = transcript(&in, max_row, 0), *b = transcript(&in, max_row, 1);
        if (strcmp(a, b) != 0)
            fail_msg("case %u (max_row %zu, %zu bytes): SIMD and scalar differ\n--- simd\n%.3000s\n"
                     "--- scalar\n%.3000s",
                     c, max_row, in.n, a, b);
        errors += strstr(a, "=> 0 ") == NULL;
        for (const char *p = a; (p = strstr(p, "row ")) != NULL; p++)
            rows++;
        free(a);
        free(b);
    }
    free(in.p);
    print_message("%u cases: %zu rows, %zu ended in an error\n", cases, rows, errors);
    assert_true(errors > cases / 10 && errors < cases);
    assert_true(rows > cases);
}

static void test_row_end(void **state)
{
    (void)state;
    uint64_t lfs;
    int plain;
    const char *s = "\"a\nb\",\"c\"\"d\",e,\"f\ng\"\nnext\n";
    assert_int_equal(doge__csv_row_end(s, strlen(s), &lfs, &plain), 20);
    assert_int_equal(lfs, 2);
    assert_int_equal(plain, 1);
    s = "0123456789abcdef0123456789abcdef,x\"y\n\"\n"; /* a quote inside an unquoted field */
    assert_int_equal(doge__csv_row_end(s, strlen(s), &lfs, &plain), 38);
    assert_int_equal(lfs, 1);
    assert_int_equal(plain, 0);
    s = "0123456789abcde,\"0123456789abcdef\"\"\",\"z\"";
    assert_int_equal(doge__csv_row_end(s, strlen(s), &lfs, &plain), strlen(s));
    assert_int_equal(lfs, 0);
    assert_int_equal(plain, 1);
    s = "0123456789abcdef\"\n\"\n"; /* the quote opens at a block start, after 'f' */
    assert_int_equal(doge__csv_row_end(s, strlen(s), &lfs, &plain), 19);
    assert_int_equal(plain, 0);
}

/* Rows where a quote opens inside an unquoted field: the state machine and
 * quote parity end the row in different places, so the reader must leave
 * them to the state machine (here the difference shows as the row cap). */
static void test_stray_quote_rows(void **state)
{
    (void)state;
    text in = {0};
    adds(&in, "a\"b,\"c\n");
    for (int i = 0; i < 100; i++)
        adds(&in, "w");
    adds(&in, "\"\nz\n");
    for (size_t cap = 0; cap <= 200; cap += 8) {
        char *a = transcript(&in, cap, 0), *b = transcript(&in, cap, 1);
        if (strcmp(a, b) != 0)
            fail_msg("max_row %zu: SIMD and scalar differ\n--- simd\n%s\n--- scalar\n%s", cap, a, b);
        free(a);
        free(b);
    }
    char *a = transcript(&in, 32, 0);
    assert_non_null(strstr(a, "row longer than 32 bytes"));
    free(a);
    free(in.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_end),
        cmocka_unit_test(test_stray_quote_rows),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
