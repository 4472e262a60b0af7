/*
 * test_spend_audit.c — the audit's seven rules on crafted typed records
 * (doge_spend_audit_add), each with rows that must be found and near misses
 * that must not: obligated above potential on the latest action only;
 * positive actions after the period of performance but not de-obligations
 * or zero-dollar actions; duplicates across awards (case and spacing of the
 * description ignored) but not within one award or with another
 * description; split purchases within 30 days under both thresholds but not
 * 45 days apart, outside the band or at another office; exclusions by UEI,
 * by normalised name when the list has no UEI, never before the active
 * date or against another UEI; Benford and non-competed share per agency;
 * and the same result whichever thread sees which row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "doge/spend.h"

static doge_spend_field F(const char *s)
{
    doge_spend_field f = {s, strlen(s)};
    return f;
}

static int32_t D(const char *s)
{
    int32_t d;
    if (doge_date_parse(s, strlen(s), &d) != DOGE_OK)
        fail_msg("bad date %s", s);
    return d;
}

/* A contract action: award key, mod, agency, office, recipient UEI and
 * name, amount (cents), date, period end, total obligated, potential. */
static doge_spend_txn T(const char *award, const char *mod, const char *agency,
                        const char *office, const char *uei, const char *name, int64_t amount,
                        const char *date, const char *end, int64_t total, int64_t potential)
{
    doge_spend_txn t;
    memset(&t, 0, sizeof t);
    t.kind = DOGE_SPEND_CONTRACTS;
    t.award_key = F(award);
    t.txn_key = F(award);
    t.piid = F(award);
    t.mod = F(mod);
    t.agency_code = F(agency);
    t.agency_name = F(strcmp(agency, "097") == 0 ? "Department of Defense" : "Other Agency");
    t.office_code = F(office);
    t.recipient_uei = F(uei);
    t.recipient_name = F(name);
    t.description = F("SERVICES");
    t.competed = F("A");
    t.action_type = F("C");
    t.idv_flag = F("AWARD");
    t.obligation = amount;
    t.total_obligated = total;
    t.current_value = potential;
    t.potential_value = potential;
    t.action_date = D(date);
    t.pop_start = D(date);
    t.pop_end = D(end);
    return t;
}

static doge_spend_audit *run(doge_spend_txn *t, size_t n, unsigned threads, const char *excl)
{
    doge_spend_audit_opts o;
    memset(&o, 0, sizeof o);
    o.threads = threads;
    o.exclusions = excl;
    o.no_progress = 1;
    doge_spend_audit *a;
    if (doge_spend_audit_new(&a, &o) != DOGE_OK)
        fail_msg("new: %s", doge_error_last());
    for (size_t i = 0; i < n; i++)
        if (doge_spend_audit_add(a, (unsigned)(i % threads), &t[i]) != DOGE_OK)
            fail_msg("add %zu: %s", i, doge_error_last());
    if (doge_spend_audit_finish(a) != DOGE_OK)
        fail_msg("finish: %s", doge_error_last());
    return a;
}

static const doge_spend_finding *find(doge_spend_audit *a, int rule, const char *key)
{
    const doge_spend_finding *f;
    size_t n = doge_spend_audit_findings(a, &f);
    for (size_t i = 0; i < n; i++)
        if (f[i].rule == rule && strcmp(f[i].key, key) == 0)
            return &f[i];
    return NULL;
}

static size_t count_rule(doge_spend_audit *a, int rule)
{
    const doge_spend_finding *f;
    size_t n = doge_spend_audit_findings(a, &f), k = 0;
    for (size_t i = 0; i < n; i++)
        k += f[i].rule == rule;
    return k;
}

static void test_over_potential(void **state)
{
    (void)state;
    doge_spend_txn t[] = {
        /* Over: 120 obligated, potential 100 on the latest action. */
        T("OVER", "0", "097", "W1", "U1", "A", 10000, "2024-01-01", "2024-12-31", 12000, 12000),
        T("OVER", "P00001", "097", "W1", "U1", "A", 2000, "2024-02-01", "2024-12-31", 12000, 10000),
        /* Equal is not over. */
        T("EQUAL", "0", "097", "W1", "U1", "A", 100, "2024-01-01", "2024-12-31", 10000, 10000),
        /* Over only on the first action: the latest raised the potential. */
        T("RAISED", "0", "097", "W1", "U1", "A", 100, "2024-01-01", "2024-12-31", 8000, 5000),
        T("RAISED", "P00002", "097", "W1", "U1", "A", 100, "2024-03-01", "2024-12-31", 8000, 9000),
        /* Same date: P00010 is later than P00009. */
        T("MODORDER", "P00010", "097", "W1", "U1", "A", 100, "2024-03-01", "2024-12-31", 900, 800),
        T("MODORDER", "P00009", "097", "W1", "U1", "A", 100, "2024-03-01", "2024-12-31", 900, 1000),
    };
    doge_spend_txn idv = T("IDV1", "0", "097", "W1", "U1", "A", 0, "2024-01-01", "2024-12-31",
                           500, 100);
    idv.idv_flag = F("IDV");
    doge_spend_txn all[8];
    memcpy(all, t, sizeof t);
    all[7] = idv;
    for (unsigned threads = 1; threads <= 3; threads++) {
        doge_spend_audit *a = run(all, 8, threads, NULL);
        const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_OVER_POTENTIAL, "OVER");
        assert_non_null(f);
        assert_int_equal(f->amount, 12000);
        assert_int_equal(f->limit, 10000);
        assert_non_null(strstr(f->evidence, "P00001"));
        assert_non_null(find(a, DOGE_SPEND_RULE_OVER_POTENTIAL, "MODORDER"));
        assert_int_equal(count_rule(a, DOGE_SPEND_RULE_OVER_POTENTIAL), 2);
        doge_spend_audit_free(a);
    }
}

static void test_after_end(void **state)
{
    (void)state;
    doge_spend_txn t[] = {
        T("LATE", "0", "097", "W1", "U1", "A", 5000, "2024-01-01", "2024-03-31", 9000, 9000),
        T("LATE", "P01", "097", "W1", "U1", "A", 4000, "2024-05-01", "2024-03-31", 9000, 9000),
        T("LATE", "P02", "097", "W1", "U1", "A", 100, "2024-04-15", "2024-03-31", 9000, 9000),
        /* De-obligation and a zero-dollar close-out after the end: normal. */
        T("CLOSE", "0", "097", "W1", "U1", "A", 5000, "2024-01-01", "2024-03-31", 4000, 9000),
        T("CLOSE", "P01", "097", "W1", "U1", "A", -1000, "2024-06-01", "2024-03-31", 4000, 9000),
        T("CLOSE", "P02", "097", "W1", "U1", "A", 0, "2024-07-01", "2024-03-31", 4000, 9000),
        /* On the last day is inside. */
        T("EDGE", "0", "097", "W1", "U1", "A", 5000, "2024-03-31", "2024-03-31", 5000, 9000),
    };
    doge_spend_audit *a = run(t, 7, 2, NULL);
    const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_AFTER_END, "LATE");
    assert_non_null(f);
    assert_int_equal(f->amount, 4100);
    assert_non_null(strstr(f->evidence, "2 actions"));
    assert_non_null(strstr(f->evidence, "first on 2024-04-15"));
    assert_int_equal(count_rule(a, DOGE_SPEND_RULE_AFTER_END), 1);
    doge_spend_audit_free(a);
}

static void test_duplicates(void **state)
{
    (void)state;
    doge_spend_txn t[8] = {
        T("DUP-A", "0", "097", "W1", "U9", "Vendor", 777777, "2024-02-02", "2024-12-31", 777777, 777777),
        T("DUP-B", "0", "075", "N1", "U9", "Vendor", 777777, "2024-02-02", "2024-12-31", 777777, 777777),
        /* Same award twice: not a duplicate across awards. */
        T("SELF", "0", "097", "W1", "U8", "Other", 5555, "2024-02-02", "2024-12-31", 5555, 5555),
        T("SELF", "P1", "097", "W1", "U8", "Other", 5555, "2024-02-02", "2024-12-31", 5555, 5555),
        /* Same amount, date and recipient but another description. */
        T("DESC-A", "0", "097", "W1", "U7", "Third", 4444, "2024-02-03", "2024-12-31", 4444, 4444),
        T("DESC-B", "0", "097", "W1", "U7", "Third", 4444, "2024-02-03", "2024-12-31", 4444, 4444),
    };
    t[1].description = F("  services ");
    t[5].description = F("SUPPLIES");
    /* Two identical de-obligations are not duplicate payments. */
    t[6] = T("DEOB-A", "P1", "097", "W1", "U6", "Fourth", -1234, "2024-02-04", "2024-12-31", 0, 9999);
    t[7] = T("DEOB-B", "P1", "075", "W2", "U6", "Fourth", -1234, "2024-02-04", "2024-12-31", 0, 9999);
    for (unsigned threads = 1; threads <= 2; threads++) {
        doge_spend_audit *a = run(t, 8, threads, NULL);
        const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_DUPLICATE, "DUP-A");
        assert_non_null(f);
        assert_non_null(strstr(f->evidence, "DUP-B"));
        assert_int_equal(f->amount, 777777);
        f = find(a, DOGE_SPEND_RULE_DUPLICATE, "DUP-B");
        assert_non_null(f);
        assert_non_null(strstr(f->evidence, "DUP-A"));
        assert_int_equal(count_rule(a, DOGE_SPEND_RULE_DUPLICATE), 2);
        doge_spend_audit_free(a);
    }
}

static void test_split(void **state)
{
    (void)state;
    doge_spend_txn t[] = {
        /* Three micro-purchases of $9,000 within 20 days: split. */
        T("S1", "0", "097", "W9", "U1", "Split Co", 900000, "2024-03-01", "2024-12-31", 900000, 900000),
        T("S2", "0", "097", "W9", "U1", "Split Co", 900000, "2024-03-10", "2024-12-31", 900000, 900000),
        T("S3", "0", "097", "W9", "U1", "Split Co", 900000, "2024-03-21", "2024-12-31", 900000, 900000),
        /* 45 days apart: not split. */
        T("F1", "0", "097", "W9", "U2", "Far Co", 900000, "2024-03-01", "2024-12-31", 900000, 900000),
        T("F2", "0", "097", "W9", "U2", "Far Co", 900000, "2024-04-15", "2024-12-31", 900000, 900000),
        /* One in the band, one well below: not split. */
        T("B1", "0", "097", "W9", "U3", "Band Co", 950000, "2024-03-01", "2024-12-31", 950000, 950000),
        T("B2", "0", "097", "W9", "U3", "Band Co", 300000, "2024-03-05", "2024-12-31", 300000, 300000),
        /* Two offices: not split. */
        T("O1", "0", "097", "W9", "U4", "Office Co", 900000, "2024-03-01", "2024-12-31", 900000, 900000),
        T("O2", "0", "097", "W8", "U4", "Office Co", 900000, "2024-03-02", "2024-12-31", 900000, 900000),
        /* Simplified acquisition: two of $240,000 and $230,000. */
        T("L1", "0", "097", "W9", "U5", "Large Co", 24000000, "2024-05-01", "2024-12-31", 24000000, 24000000),
        T("L2", "0", "097", "W9", "U5", "Large Co", 23000000, "2024-05-30", "2024-12-31", 23000000, 23000000),
        /* Exactly at the threshold is not under it. */
        T("X1", "0", "097", "W9", "U6", "Exact Co", 1000000, "2024-05-01", "2024-12-31", 1000000, 1000000),
        T("X2", "0", "097", "W9", "U6", "Exact Co", 900000, "2024-05-02", "2024-12-31", 900000, 900000),
    };
    doge_spend_audit *a = run(t, 13, 2, NULL);
    for (int i = 1; i <= 3; i++) {
        char k[4] = {'S', (char)('0' + i), 0};
        const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_SPLIT, k);
        assert_non_null(f);
        assert_int_equal(f->limit, 1000000);
        assert_non_null(strstr(f->evidence, "3 awards by office W9"));
        assert_non_null(strstr(f->evidence, "$27,000.00"));
    }
    const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_SPLIT, "L2");
    assert_non_null(f);
    assert_int_equal(f->limit, 25000000);
    assert_non_null(strstr(f->evidence, "simplified acquisition"));
    assert_non_null(find(a, DOGE_SPEND_RULE_SPLIT, "L1"));
    assert_int_equal(count_rule(a, DOGE_SPEND_RULE_SPLIT), 5);
    doge_spend_audit_free(a);
}

static void test_exclusions(void **state)
{
    (void)state;
    char path[] = "/tmp/doge-excl-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("Classification,Name,Prefix,First,Middle,Last,Suffix,Unique Entity ID,Exclusion Program,"
          "Excluding Agency,Exclusion Type,Active Date,Termination Date\n"
          "Firm,BAD ACTOR LLC,,,,,,BADUEI000001,Reciprocal,HHS,Ineligible (Proceedings Completed),"
          "03/01/2024,Indefinite\n"
          "Firm,\"Acme Widgets, Inc.\",,,,,,,Procurement,GSA,Prohibition/Restriction,"
          "01/01/2024,12/31/2024\n"
          "Firm,SAME NAME CORP,,,,,,OTHERUEI0001,Procurement,DOD,Ineligible (Proceedings Pending),"
          "01/01/2020,\n"
          "Individual,,,John,Q,Public,,,Reciprocal,OPM,Ineligible (Proceedings Completed),"
          "01/01/2020,Indefinite\n",
          f);
    fclose(f);
    doge_spend_txn t[] = {
        T("E1", "0", "097", "W1", "BADUEI000001", "Renamed Vendor", 5000, "2024-04-01", "2024-12-31", 5000, 5000),
        /* Before the active date: not flagged. */
        T("E2", "0", "097", "W1", "BADUEI000001", "Renamed Vendor", 5000, "2024-02-01", "2024-12-31", 5000, 5000),
        /* By name: the list has no UEI for Acme. */
        T("E3", "0", "097", "W1", "ACMEUEI00001", "ACME WIDGETS INC", 7000, "2024-06-01", "2024-12-31", 7000, 7000),
        /* After Acme's exclusion ended: not flagged. */
        T("E4", "0", "097", "W1", "ACMEUEI00001", "ACME WIDGETS INC", 7000, "2025-01-02", "2025-12-31", 7000, 7000),
        /* Same name as an excluded firm with another UEI: not flagged. */
        T("E5", "0", "097", "W1", "GOODUEI00001", "Same Name Corp.", 7000, "2024-06-01", "2024-12-31", 7000, 7000),
        /* An individual by name, recipient without UEI. */
        T("E6", "0", "097", "W1", "", "JOHN Q. PUBLIC", 100, "2024-06-01", "2024-12-31", 100, 100),
    };
    doge_spend_audit *a = run(t, 6, 2, path);
    const doge_spend_finding *x = find(a, DOGE_SPEND_RULE_EXCLUDED, "E1");
    assert_non_null(x);
    assert_non_null(strstr(x->evidence, "BADUEI000001"));
    assert_non_null(strstr(x->evidence, "by HHS"));
    assert_non_null(find(a, DOGE_SPEND_RULE_EXCLUDED, "E3"));
    assert_non_null(find(a, DOGE_SPEND_RULE_EXCLUDED, "E6"));
    assert_int_equal(count_rule(a, DOGE_SPEND_RULE_EXCLUDED), 3);
    doge_spend_audit_totals tot;
    doge_spend_audit_totals_get(a, &tot);
    assert_int_equal(tot.exclusion_records, 4);
    doge_spend_audit_free(a);
    /* A malformed date names the file, line and column. */
    f = fopen(path, "w");
    fputs("Name,Unique Entity ID,Active Date,Termination Date\nX,,13/45/2024,\n", f);
    fclose(f);
    doge_spend_audit_opts o;
    memset(&o, 0, sizeof o);
    o.exclusions = path;
    assert_int_equal(doge_spend_audit_new(&a, &o), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), ":2: column 'Active Date'"));
    f = fopen(path, "w");
    fputs("Name,Active Date,Termination Date\n", f);
    fclose(f);
    assert_int_equal(doge_spend_audit_new(&a, &o), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "Unique Entity ID"));
    unlink(path);
}

static void test_name_normalize(void **state)
{
    (void)state;
    char out[256];
    doge_spend_name_normalize("Acme Widgets, Inc.", 18, out, sizeof out);
    assert_string_equal(out, "ACME WIDGETS");
    doge_spend_name_normalize("The Acme Co. L.L.C.", 19, out, sizeof out);
    assert_string_equal(out, "ACME");
    doge_spend_name_normalize("  o'brien   & sons  ltd ", 24, out, sizeof out);
    assert_string_equal(out, "OBRIEN & SONS");
    doge_spend_name_normalize("INC", 3, out, sizeof out);
    assert_string_equal(out, "INC");
}

/* n amounts whose first digits follow Benford exactly (10^u, u spread). */
static void benford_rows(doge_spend_txn *t, size_t n, const char *agency, char (*keys)[16],
                         int uniform)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(keys[i], 16, "%s-%zu", agency, i);
        double u = (double)(i + 0.5) / (double)n;
        double dollars;
        if (uniform)
            dollars = (double)(1 + i % 9) * 1000.0 + 17;
        else
            dollars = pow(10.0, 2.0 + 3.0 * u);
        t[i] = T(keys[i], "0", agency, "OF", "U", "R", (int64_t)(dollars * 100), "2024-01-01",
                 "2024-12-31", 1, 1);
        t[i].competed = F(i % 10 < (strcmp(agency, "075") == 0 ? 6 : 3) ? "C" : "A");
        if (i % 10 == 9)
            t[i].competed = F("");
        t[i].description = F(keys[i]);
    }
}

static void test_benford_and_competition(void **state)
{
    (void)state;
    size_t n = 2000;
    doge_spend_txn *t = calloc(2 * n, sizeof *t);
    char(*keys)[16] = calloc(2 * n, 16);
    benford_rows(t, n, "097", keys, 0);
    benford_rows(t + n, n, "075", keys + n, 1);
    doge_spend_audit *a = run(t, 2 * n, 2, NULL);
    const doge_spend_agency *g;
    size_t na = doge_spend_audit_agencies(a, &g);
    assert_int_equal(na, 2);
    assert_string_equal(g[0].code, "075");
    assert_string_equal(g[1].code, "097");
    assert_true(g[1].mad >= 0 && g[1].mad < 0.006);
    assert_string_equal(g[1].band, "close conformity");
    /* Uniform digits: MAD = sum |1/9 - p_d| / 9. */
    double want = 0;
    for (int d = 1; d <= 9; d++)
        want += fabs(1.0 / 9.0 - doge_spend_benford_expected(d));
    want /= 9;
    assert_true(fabs(g[0].mad - want) < 1e-3);
    const doge_spend_finding *f = find(a, DOGE_SPEND_RULE_BENFORD, "075");
    assert_non_null(f);
    assert_true(fabs(f->score - want) < 1e-3);
    assert_null(find(a, DOGE_SPEND_RULE_BENFORD, "097"));
    /* 6 of 9 coded rows not competed in 075 (by count; amounts repeat every
     * 9 rows so dollars differ), 3 of 9 in 097. */
    assert_true(g[0].noncompeted_share > 0.5);
    assert_true(g[1].noncompeted_share < 0.5);
    assert_non_null(find(a, DOGE_SPEND_RULE_NONCOMPETED, "075"));
    assert_null(find(a, DOGE_SPEND_RULE_NONCOMPETED, "097"));
    assert_int_equal(g[0].findings[DOGE_SPEND_RULE_BENFORD], 1);
    doge_spend_audit_free(a);
    free(t);
    free(keys);
}

static void test_benford_functions(void **state)
{
    (void)state;
    assert_int_equal(doge_spend_first_digit(999), 0);     /* $9.99: left out */
    assert_int_equal(doge_spend_first_digit(1000), 1);    /* $10 */
    assert_int_equal(doge_spend_first_digit(-45678), 4);  /* -$456.78 */
    assert_int_equal(doge_spend_first_digit(987654321), 9);
    uint64_t c[10] = {0};
    c[1] = 100;
    double mad = doge_spend_benford_mad(c);
    /* All ones: (1 - p1) + sum of the other p = 2 (1 - p1), over 9. */
    assert_true(fabs(mad - 2 * (1 - log10(2.0)) / 9) < 1e-12);
    assert_string_equal(doge_spend_benford_band(0.005), "close conformity");
    assert_string_equal(doge_spend_benford_band(0.010), "acceptable conformity");
    assert_string_equal(doge_spend_benford_band(0.014), "marginally acceptable conformity");
    assert_string_equal(doge_spend_benford_band(0.02), "nonconformity");
    uint64_t z[10] = {0};
    assert_true(doge_spend_benford_mad(z) < 0);
}

static void test_txn_parse(void **state)
{
    (void)state;
    const char *const *cols = doge_spend_txn_columns(DOGE_SPEND_CONTRACTS);
    doge_spend_field f[DOGE_SPEND_TXN_FIELDS];
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++)
        f[i] = F("");
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++) {
        if (strcmp(cols[i], "contract_award_unique_key") == 0)
            f[i] = F("CONT_AWD_X_9700_-NONE-_-NONE-");
        if (strcmp(cols[i], "federal_action_obligation") == 0)
            f[i] = F("-1234.5");
        if (strcmp(cols[i], "action_date") == 0)
            f[i] = F("2024-02-29 00:00:00");
    }
    doge_spend_txn t;
    char err[256];
    assert_int_equal(doge_spend_txn_parse(DOGE_SPEND_CONTRACTS, f, &t, err, sizeof err), DOGE_OK);
    assert_int_equal(t.obligation, -123450);
    assert_int_equal(t.action_date, D("2024-02-29"));
    assert_int_equal(t.pop_end, DOGE_SPEND_NO_DATE);
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++)
        if (strcmp(cols[i], "potential_total_value_of_award") == 0)
            f[i] = F("1e6");
    assert_int_equal(doge_spend_txn_parse(DOGE_SPEND_CONTRACTS, f, &t, err, sizeof err),
                     DOGE_EINVAL);
    assert_non_null(strstr(err, "column 'potential_total_value_of_award'"));
    const char *const *acols = doge_spend_txn_columns(DOGE_SPEND_ASSISTANCE);
    assert_string_equal(acols[2], "award_id_fain");
    assert_null(acols[20]);
}

/* Four threads, three of them idle, and a record with nothing but its
 * award key (NULL views, no dates): no crash, no finding. */
static void test_sparse(void **state)
{
    (void)state;
    doge_spend_txn t;
    memset(&t, 0, sizeof t);
    t.kind = DOGE_SPEND_CONTRACTS;
    t.award_key = F("ONLY");
    t.action_date = t.pop_start = t.pop_end = DOGE_SPEND_NO_DATE;
    doge_spend_audit *a = run(&t, 1, 4, NULL);
    const doge_spend_finding *f;
    assert_int_equal(doge_spend_audit_findings(a, &f), 0);
    doge_spend_audit_totals tot;
    doge_spend_audit_totals_get(a, &tot);
    assert_int_equal(tot.awards, 1);
    doge_spend_audit_free(a);
    /* No rows at all. */
    a = run(NULL, 0, 2, NULL);
    assert_int_equal(doge_spend_audit_findings(a, &f), 0);
    doge_spend_audit_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_over_potential),  cmocka_unit_test(test_after_end),
        cmocka_unit_test(test_duplicates),      cmocka_unit_test(test_split),
        cmocka_unit_test(test_exclusions),      cmocka_unit_test(test_name_normalize),
        cmocka_unit_test(test_benford_and_competition),
        cmocka_unit_test(test_benford_functions), cmocka_unit_test(test_txn_parse),
        cmocka_unit_test(test_sparse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
