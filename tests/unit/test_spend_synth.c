/*
 * test_spend_synth.c — the synthetic award generator: the header is the
 * download's (297 contract columns, 112 assistance columns) and every row
 * has as many fields, the row count is exactly what was asked, the same
 * options give the same bytes and another seed other bytes, the truth file
 * lists planted and clean keys that are award keys of the file, and bad
 * options are refused naming the option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "doge/csvread.h"
#include "doge/spend_synth.h"

static char dir[64];

static void path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static int count_row(void *ctx, const doge_spend_row *row)
{
    (void)row;
    __atomic_add_fetch((uint64_t *)ctx, 1, __ATOMIC_RELAXED);
    return 0;
}

static char *slurp(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    b[len] = 0;
    *n = (size_t)len;
    return b;
}

static void generate(doge_spend_kind kind, uint64_t seed, const char *out, const char *truth,
                     doge_spend_synth_result *res)
{
    doge_spend_synth_opts o;
    memset(&o, 0, sizeof o);
    o.rows = 3000;
    o.kind = kind;
    o.seed = seed;
    o.truth = truth;
    o.no_progress = 1;
    if (doge_spend_synth_awards(&o, out, res) != DOGE_OK)
        fail_msg("synth: %s", doge_error_last());
}

static void test_shape(void **state)
{
    (void)state;
    static const struct {
        doge_spend_kind kind;
        size_t columns;
    } kinds[] = {{DOGE_SPEND_CONTRACTS, 297}, {DOGE_SPEND_ASSISTANCE, 112}};
    for (int k = 0; k < 2; k++) {
        char out[128], truth[128];
        path(out, sizeof out, "a.csv");
        path(truth, sizeof truth, "a.truth.csv");
        doge_spend_synth_result res;
        generate(kinds[k].kind, 7, out, truth, &res);
        assert_int_equal(res.rows, 3000);
        doge_csvread *r;
        assert_int_equal(doge_csvread_open(&r, out, 0), DOGE_OK);
        assert_int_equal(doge_csvread_read_header(r), DOGE_OK);
        assert_int_equal(doge_csvread_columns(r), kinds[k].columns);
        uint64_t rows = 0;
        int rc;
        while ((rc = doge_csvread_next(r)) == 1) {
            assert_int_equal(doge_csvread_count(r), kinds[k].columns);
            rows++;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(rows, 3000);
        doge_csvread_free(r);
        /* The fast reader agrees, on two threads. */
        const char *cols[] = {kinds[k].kind == DOGE_SPEND_CONTRACTS ? "award_id_piid"
                                                                     : "award_id_fain"};
        doge_spend_csv_opts so;
        memset(&so, 0, sizeof so);
        so.columns = cols;
        so.ncolumns = 1;
        so.threads = 2;
        so.on_row = count_row;
        uint64_t n = 0;
        so.ctx = &n;
        doge_spend_csv_stats st;
        assert_int_equal(doge_spend_csv_scan(out, &so, &st), DOGE_OK);
        assert_int_equal(n, 3000);
        assert_int_equal(st.bad_rows, 0);
        /* Truth keys are award keys of the file. */
        size_t dl, tl;
        char *data = slurp(out, &dl), *t = slurp(truth, &tl);
        assert_true(strncmp(t, "rule,key,class\n", 15) == 0);
        size_t lines = 0;
        for (char *line = strchr(t, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
            char *c1 = strchr(line, ','), *c2 = strchr(c1 + 1, ',');
            *c2 = 0;
            if (strncmp(line, "benford", 7) != 0 && strncmp(line, "noncompeted", 11) != 0 &&
                !strstr(data, c1 + 1))
                fail_msg("truth key %s is not in the file", c1 + 1);
            *c2 = ',';
            lines++;
        }
        assert_true(lines > 10);
        free(data);
        free(t);
        unlink(out);
        unlink(truth);
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    char a[128], b[128], c[128];
    path(a, sizeof a, "x.csv");
    path(b, sizeof b, "y.csv");
    path(c, sizeof c, "z.csv");
    doge_spend_synth_result res;
    generate(DOGE_SPEND_CONTRACTS, 3, a, NULL, &res);
    generate(DOGE_SPEND_CONTRACTS, 3, b, NULL, &res);
    generate(DOGE_SPEND_CONTRACTS, 4, c, NULL, &res);
    size_t na, nb, nc;
    char *da = slurp(a, &na), *db = slurp(b, &nb), *dc = slurp(c, &nc);
    assert_true(na == nb && memcmp(da, db, na) == 0);
    assert_false(na == nc && memcmp(da, dc, na) == 0);
    free(da);
    free(db);
    free(dc);
    unlink(a);
    unlink(b);
    unlink(c);
}

static void test_refusals(void **state)
{
    (void)state;
    char out[128];
    path(out, sizeof out, "r.csv");
    doge_spend_synth_opts o;
    memset(&o, 0, sizeof o);
    o.rows = 10;
    o.kind = DOGE_SPEND_CONTRACTS;
    assert_int_equal(doge_spend_synth_awards(&o, out, NULL), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "--rows 10"));
    o.rows = 5000;
    o.kind = (doge_spend_kind)9;
    assert_int_equal(doge_spend_synth_awards(&o, out, NULL), DOGE_EINVAL);
    o.kind = DOGE_SPEND_ASSISTANCE;
    o.fiscal_year = 1900;
    assert_int_equal(doge_spend_synth_awards(&o, out, NULL), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "fiscal year 1900"));
    o.fiscal_year = 0;
    assert_int_equal(doge_spend_synth_awards(&o, "/nonexistent/dir/x.csv", NULL), DOGE_EIO);
    assert_int_equal(access(out, F_OK), -1);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/doge-synth-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
