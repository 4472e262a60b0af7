/*
 * test_synth.c — the synthetic workforce: the PRNG against values computed
 * by an independent implementation, determinism (same seed, same bytes;
 * another seed, other bytes; the file writer agrees with the stream
 * writer), and the shape of what it writes, read back with the CSV reader:
 * a long tail of department sizes, one head per department, every manager
 * present, no cycles, spans of 5 to 15, depth growing with size, unique
 * valid addresses on the department's domain, aliases, diverse names; and
 * that doge_roster_import() accepts it with the same figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "util_assert.h"

static void test_rng(void **state)
{
    (void)state;
    doge_synth_rng r;
    /* Reference values from a separate Python implementation of
     * splitmix64 seeding and xoshiro256**. */
    doge_synth_rng_seed(&r, 0);
    assert_true(doge_synth_rng_next(&r) == 0x99ec5f36cb75f2b4ULL);
    assert_true(doge_synth_rng_next(&r) == 0xbf6e1f784956452aULL);
    assert_true(doge_synth_rng_next(&r) == 0x1a5f849d4933e6e0ULL);
    doge_synth_rng_seed(&r, 42);
    assert_true(doge_synth_rng_next(&r) == 0x15780b2e0c2ec716ULL);
    assert_true(doge_synth_rng_next(&r) == 0x6104d9866d113a7eULL);
    assert_true(doge_synth_rng_next(&r) == 0xae17533239e499a1ULL);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint64_t v = doge_synth_rng_below(&r, 7);
        assert_true(v < 7);
        seen[v]++;
        double u = doge_synth_rng_unit(&r);
        assert_true(u >= 0.0 && u < 1.0);
    }
    for (int i = 0; i < 7; i++)
        assert_true(seen[i] > 800 && seen[i] < 1200);
    assert_int_equal(doge_synth_rng_below(&r, 0), 0);
    assert_int_equal(doge_synth_rng_below(&r, 1), 0);
}

static char *generate(int64_t n, int d, uint64_t seed, const char *suffix, size_t *len,
                      doge_synth_workforce_result *res)
{
    char *data = NULL;
    FILE *f = open_memstream(&data, len);
    assert_non_null(f);
    doge_synth_workforce_opts o;
    memset(&o, 0, sizeof o);
    o.employees = n;
    o.departments = d;
    o.seed = seed;
    o.domain_suffix = suffix;
    o.no_progress = 1;
    assert_ok(doge_synth_workforce(&o, f, res));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(res->bytes, *len);
    return data;
}

static void test_determinism(void **state)
{
    (void)state;
    size_t la, lb, lc;
    doge_synth_workforce_result ra, rb, rc;
    char *a = generate(20000, 12, 5, NULL, &la, &ra);
    char *b = generate(20000, 12, 5, NULL, &lb, &rb);
    char *c = generate(20000, 12, 6, NULL, &lc, &rc);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_memory_equal(&ra, &rb, sizeof ra);
    assert_true(la != lc || memcmp(a, c, la) != 0);
    /* The file writer produces the same bytes and leaves no temporary. */
    char dir[] = "/tmp/doge-test-synth.XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/w.csv", dir);
    doge_synth_workforce_opts o;
    memset(&o, 0, sizeof o);
    o.employees = 20000;
    o.departments = 12;
    o.seed = 5;
    o.no_progress = 1;
    assert_ok(doge_synth_workforce_file(&o, path, &rb));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *d = malloc(la + 1);
    assert_int_equal(fread(d, 1, la + 1, f), la);
    fclose(f);
    assert_memory_equal(a, d, la);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "test \"$(ls '%s')\" = w.csv", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(a);
    free(b);
    free(c);
    free(d);
}

static void test_options(void **state)
{
    (void)state;
    doge_synth_workforce_opts o;
    memset(&o, 0, sizeof o);
    o.departments = 5;
    o.no_progress = 1;
    assert_error(doge_synth_workforce(&o, stdout, NULL), DOGE_EINVAL,
                 "--employees 0 is out of range (1 to 10000000)");
    o.employees = 4;
    assert_error(doge_synth_workforce(&o, stdout, NULL), DOGE_EINVAL,
                 "5 departments need at least as many employees (got 4)");
    o.employees = 100;
    o.departments = 401;
    assert_error(doge_synth_workforce(&o, stdout, NULL), DOGE_EINVAL,
                 "--departments 401 is out of range (1 to 400)");
    o.departments = 5;
    o.domain_suffix = "not a suffix";
    assert_error(doge_synth_workforce(&o, stdout, NULL), DOGE_EINVAL,
                 "--domain-suffix 'not a suffix' is not a domain suffix");
    o.domain_suffix = NULL;
    assert_error(doge_synth_workforce_file(&o, "/nonexistent/dir/w.csv", NULL), DOGE_EIO,
                 "/nonexistent/dir/w.csv");
}

/* One employee as read back. */
struct emp {
    char id[12], mgr[12];
    int dept;
    int64_t mgr_idx;
};

#define N_SHAPE 60000
#define D_SHAPE 20

static int64_t index_of(const char *id)
{
    return id[0] == 'E' ? atoll(id + 1) - 1 : -1;
}

static int64_t depth_of(const struct emp *e, int64_t i)
{
    int64_t d = 1;
    while (e[i].mgr_idx >= 0) {
        i = e[i].mgr_idx;
        if (++d > 1000)
            fail_msg("a manager chain longer than 1000: a cycle");
    }
    return d;
}

static void test_shape(void **state)
{
    (void)state;
    size_t len;
    doge_synth_workforce_result res;
    char *data = generate(N_SHAPE, D_SHAPE, 2025, NULL, &len, &res);
    assert_int_equal(res.employees, N_SHAPE);
    assert_int_equal(res.departments, D_SHAPE);
    doge_csvread *r;
    assert_ok(doge_csvread_open_mem(&r, data, len, "synth", 0));
    assert_ok(doge_csvread_read_header(r));
    static const char *const cols[] = {"employee_id", "name",    "email", "department",
                                       "manager_id",  "aliases", "title", "location"};
    assert_int_equal(doge_csvread_columns(r), 8);
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(doge_csvread_column_name(r, i), cols[i]);

    struct emp *e = calloc(N_SHAPE, sizeof *e);
    char dnames[D_SHAPE][96], domains[D_SHAPE][64];
    int64_t sizes[D_SHAPE] = {0};
    int nd = 0, accented = 0, apostrophe = 0, hyphen = 0, jose = 0;
    int64_t with_alias = 0, alias_count = 0;
    doge_map *addrs;
    assert_ok(doge_map_new(&addrs, 0, 0));
    int64_t n = 0;
    while (doge_csvread_next(r) == 1) {
        assert_true(n < N_SHAPE);
        struct emp *x = &e[n];
        doge_csvread_field id = doge_csvread_get(r, 0), name = doge_csvread_get(r, 1);
        doge_csvread_field email = doge_csvread_get(r, 2), dept = doge_csvread_get(r, 3);
        doge_csvread_field mgr = doge_csvread_get(r, 4), al = doge_csvread_get(r, 5);
        char want[24];
        snprintf(want, sizeof want, "E%07lld", (long long)n + 1);
        assert_string_equal(id.data, want); /* sequential ids */
        snprintf(x->id, sizeof x->id, "%s", id.data);
        snprintf(x->mgr, sizeof x->mgr, "%s", mgr.data);
        int di = nd - 1;
        if (nd == 0 || strcmp(dnames[nd - 1], dept.data) != 0) {
            for (int k = 0; k < nd; k++)
                assert_string_not_equal(dnames[k], dept.data); /* departments are contiguous */
            assert_true(nd < D_SHAPE);
            snprintf(dnames[nd], sizeof dnames[nd], "%s", dept.data);
            const char *at = strchr(email.data, '@');
            assert_non_null(at);
            snprintf(domains[nd], sizeof domains[nd], "%s", at + 1);
            for (int k = 0; k < nd; k++)
                assert_string_not_equal(domains[k], domains[nd]);
            di = nd++;
        }
        x->dept = di;
        sizes[di]++;
        /* Addresses: valid, on the department's domain, unique in any case. */
        assert_true(doge_roster_valid_address(email.data, (ptrdiff_t)email.len));
        const char *at = strchr(email.data, '@');
        assert_string_equal(at + 1, domains[di]);
        for (const char *p = email.data; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
        int inserted;
        doge_map_value *slot;
        assert_ok(doge_map_upsert(addrs, email.data, email.len, &slot, &inserted));
        assert_true(inserted);
        if (al.len) {
            with_alias++;
            char buf[256];
            snprintf(buf, sizeof buf, "%s", al.data);
            for (char *tok = strtok(buf, ";"); tok; tok = strtok(NULL, ";")) {
                assert_true(doge_roster_valid_address(tok, -1));
                assert_string_equal(strchr(tok, '@') + 1, domains[di]);
                assert_ok(doge_map_upsert(addrs, tok, strlen(tok), &slot, &inserted));
                assert_true(inserted);
                alias_count++;
            }
        }
        for (const char *p = name.data; *p; p++) {
            accented |= (unsigned char)*p >= 0x80;
            apostrophe |= *p == '\'';
        }
        const char *sp = strrchr(name.data, ' ');
        hyphen |= sp && strchr(sp, '-') != NULL;
        if (strncmp(name.data, "José ", 6) == 0) {
            jose = 1;
            assert_int_equal(strncmp(email.data, "jose.", 5), 0);
        }
        n++;
    }
    assert_int_equal(n, N_SHAPE);
    assert_int_equal(nd, D_SHAPE);
    assert_true(accented && apostrophe && hyphen && jose);
    assert_int_equal(alias_count, res.aliases);
    assert_true(with_alias > N_SHAPE / 20 && with_alias < N_SHAPE / 5);

    /* A long tail: sizes fall, a few departments hold most people. */
    for (int k = 1; k < nd; k++)
        assert_true(sizes[k] <= sizes[k - 1]);
    assert_int_equal(sizes[0], res.largest_department);
    assert_true(sizes[0] * 100 > N_SHAPE * 30);
    assert_true((sizes[0] + sizes[1] + sizes[2]) * 100 > N_SHAPE * 55);
    assert_true(sizes[nd - 1] * 100 < N_SHAPE * 2);
    assert_true(sizes[0] > 20 * sizes[nd - 1]);

    /* Managers exist, chains end, one head per department. */
    int64_t *span = calloc(N_SHAPE, sizeof *span);
    int heads[D_SHAPE] = {0};
    for (int64_t i = 0; i < n; i++) {
        e[i].mgr_idx = e[i].mgr[0] ? index_of(e[i].mgr) : -1;
        if (e[i].mgr[0]) {
            assert_true(e[i].mgr_idx >= 0 && e[i].mgr_idx < n);
            assert_string_equal(e[e[i].mgr_idx].id, e[i].mgr);
        }
        if (e[i].mgr_idx < 0 || e[e[i].mgr_idx].dept != e[i].dept) {
            heads[e[i].dept]++;
            /* A component agency's head reports to its parent's head. */
            int64_t m = e[i].mgr_idx;
            if (m >= 0)
                assert_true(e[m].mgr_idx < 0 || e[e[m].mgr_idx].dept != e[m].dept);
        } else {
            span[e[i].mgr_idx]++;
        }
    }
    for (int k = 0; k < nd; k++)
        assert_int_equal(heads[k], 1);
    int64_t managers = 0, short_spans = 0, max_depth = 0;
    for (int64_t i = 0; i < n; i++) {
        if (span[i]) {
            managers++;
            assert_true(span[i] <= 15);
            short_spans += span[i] < 5;
        }
        int64_t dd = depth_of(e, i);
        if (dd > max_depth)
            max_depth = dd;
    }
    assert_true(short_spans <= nd); /* only each department's last manager */
    assert_int_equal(managers, res.managers);
    assert_int_equal(max_depth, res.max_depth);
    /* Depth grows with size: the largest department is deeper than the
     * smallest (within-department depth, from its head). */
    int64_t deep_first = 0, deep_last = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t dd = 1, j = i;
        while (e[j].mgr_idx >= 0 && e[e[j].mgr_idx].dept == e[j].dept)
            j = e[j].mgr_idx, dd++;
        if (e[i].dept == 0 && dd > deep_first)
            deep_first = dd;
        if (e[i].dept == nd - 1 && dd > deep_last)
            deep_last = dd;
    }
    assert_true(deep_first > deep_last);
    assert_true(deep_first >= 4);

    /* The roster import takes it as it is. */
    doge_store *st;
    assert_ok(doge_store_open(&st, ":memory:"));
    assert_ok(doge_store_migrate(st, NULL, NULL));
    doge_csvread *r2;
    assert_ok(doge_csvread_open_mem(&r2, data, len, "synth.csv", 0));
    doge_roster_import_opts io;
    memset(&io, 0, sizeof io);
    io.no_progress = 1;
    doge_roster_import_result ir;
    assert_ok(doge_roster_import_reader(st, r2, &io, &ir));
    assert_int_equal(ir.joined, N_SHAPE);
    doge_roster_import_result_dispose(&ir);
    doge_csvread_free(r2);
    doge_roster_stats s;
    assert_ok(doge_roster_stats_get(st, &s));
    assert_int_equal(s.active, N_SHAPE);
    assert_int_equal(s.departments, D_SHAPE);
    assert_int_equal(s.addresses, N_SHAPE + res.aliases);
    assert_int_equal(s.max_depth, res.max_depth);
    assert_int_equal(s.by_department[0].employees, sizes[0]);
    assert_string_equal(s.by_department[0].name, dnames[0]);
    doge_roster_stats_dispose(&s);
    doge_store_free(st);

    doge_map_free(addrs);
    doge_csvread_free(r);
    free(span);
    free(e);
    free(data);
}

static void test_domain_suffix(void **state)
{
    (void)state;
    size_t len;
    doge_synth_workforce_result res;
    char *data = generate(500, 30, 9, "gov.example", &len, &res);
    doge_csvread *r;
    assert_ok(doge_csvread_open_mem(&r, data, len, "synth", 0));
    assert_ok(doge_csvread_read_header(r));
    int64_t rows = 0;
    while (doge_csvread_next(r) == 1) {
        doge_csvread_field f = doge_csvread_get(r, 2);
        assert_true(f.len > 12 && strcmp(f.data + f.len - 12, ".gov.example") == 0);
        rows++;
    }
    assert_int_equal(rows, 500);
    doge_csvread_free(r);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng),   cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_options), cmocka_unit_test(test_shape),
        cmocka_unit_test(test_domain_suffix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
