/*
 * test_spend_receipts.c — savings-claim verification, one test per rule a
 * careful auditor applies, on crafted award records: the value from the
 * latest modification, the three tiers with only de-obligations counted,
 * only terminations and close-outs as cancellations, the award keyed on
 * agency + PIID + parent (a PIID repeated across agencies), a vehicle's
 * ceiling never added to its orders, a shared multiple-award ceiling counted
 * once, verified savings within [0, value] and never above the claim,
 * placeholder ids unverifiable, leases as annual rent over the remaining
 * term; also claims made twice, 1000x off, ended before, not found; FPDS
 * and USAspending link parsing; and the JSON and CSV receipts layouts.
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

/* One contract action of award piid/agency (parent "" when none). */
static doge_spend_txn C(const char *key, const char *piid, const char *agency, const char *mod,
                        const char *action, const char *date, int64_t fao, int64_t total,
                        int64_t cur, int64_t pot, const char *start, const char *end)
{
    doge_spend_txn t;
    memset(&t, 0, sizeof t);
    t.kind = DOGE_SPEND_CONTRACTS;
    t.award_key = F(key);
    t.txn_key = F(key);
    t.piid = F(piid);
    t.sub_agency_code = F(agency);
    t.agency_code = F("097");
    t.agency_name = F("Department of Defense");
    t.mod = F(mod);
    t.action_type = F(action);
    t.action_date = D(date);
    t.obligation = fao;
    t.total_obligated = total;
    t.current_value = cur;
    t.potential_value = pot;
    t.pop_start = D(start);
    t.pop_end = D(end);
    t.recipient_name = F("ACME WIDGETS LLC");
    t.idv_flag = F("AWARD");
    t.parent_piid = F("");
    t.parent_agency = F("");
    t.multiple = F("");
    t.solicitation = F("");
    t.description = F("");
    return t;
}

static doge_spend_receipts *claims(void)
{
    doge_spend_receipts *r;
    assert_int_equal(doge_spend_receipts_new(&r), DOGE_OK);
    return r;
}

static void add(doge_spend_receipts *r, doge_spend_claim_type type, const char *id,
                const char *link, int64_t value, int64_t savings, const char *date)
{
    doge_spend_claim c;
    memset(&c, 0, sizeof c);
    c.type = type;
    c.award_id = id;
    c.link = link;
    c.value = value;
    c.savings = savings;
    c.date = date ? D(date) : DOGE_SPEND_NO_DATE;
    c.agency = "Department of Defense";
    c.recipient = "ACME WIDGETS LLC";
    assert_int_equal(doge_spend_receipts_add(r, &c), DOGE_OK);
}

static const doge_spend_verification *run(doge_spend_receipts *r, const doge_spend_txn *t,
                                          size_t n)
{
    if (doge_spend_receipts_verify_txns(r, t, n) != DOGE_OK)
        fail_msg("verify: %s", doge_error_last());
    const doge_spend_verification *v;
    doge_spend_receipts_results(r, &v);
    return v;
}

#define K1 "CONT_AWD_W91_2100_-NONE-_-NONE-"

/* A $1,000 award ($1,500 with options), $700 obligated, terminated on
 * 2025-03-01 returning $300. */
static void terminated(doge_spend_txn *t)
{
    t[0] = C(K1, "W91", "2100", "0", "", "2024-11-01", 60000, 40000, 100000, 150000, "2024-11-01",
             "2026-10-31");
    t[1] = C(K1, "W91", "2100", "P00001", "C", "2024-12-01", 10000, 40000, 100000, 150000,
             "2024-11-01", "2026-10-31");
    t[2] = C(K1, "W91", "2100", "P00002", "F", "2025-03-01", -30000, 40000, 40000, 40000,
             "2024-11-01", "2026-10-31");
}

static void test_tiers(void **state)
{
    (void)state;
    doge_spend_txn t[3];
    terminated(t);
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 30000, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 3);
    assert_int_equal(v->status, DOGE_SPEND_VERIFIED);
    assert_int_equal(v->flags, 0);
    assert_int_equal(v->value, 100000);        /* before the termination cut it */
    assert_int_equal(v->potential, 150000);
    assert_int_equal(v->obligated, 70000);
    assert_int_equal(v->deobligated, 30000);   /* tier 1: counted */
    assert_int_equal(v->unexercised, 50000);   /* tier 2: reported only */
    assert_int_equal(v->never_ordered, 30000); /* tier 3: reported only */
    assert_int_equal(v->left, 60000);
    assert_int_equal(v->verified, 30000);
    assert_string_equal(v->award_key, K1);
    assert_non_null(strstr(v->evidence, "terminated (action F"));
    doge_spend_receipts_free(r);
    /* Claiming the options or the unobligated value counts none of it. */
    r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 150000, 110000, "2025-03-01");
    v = run(r, t, 3);
    assert_int_equal(v->status, DOGE_SPEND_OVERSTATED);
    assert_int_equal(v->verified, 30000);
    assert_int_equal(v->flags, DOGE_SPEND_F_ABOVE_VALUE | DOGE_SPEND_F_ABOVE_REMAINING);
    doge_spend_receipts_free(r);
}

static void test_latest_modification(void **state)
{
    (void)state;
    /* First action: value $10; a later modification cuts it to $4. */
    doge_spend_txn t[4] = {
        C(K1, "W91", "2100", "0", "", "2024-11-01", 300, 200, 1000, 1000, "2024-11-01", "2026-01-01"),
        C(K1, "W91", "2100", "P00001", "C", "2024-11-20", 50, 200, 1000, 1000, "2024-11-01", "2026-01-01"),
        C(K1, "W91", "2100", "P00002", "B", "2024-12-10", 0, 200, 400, 400, "2024-11-01", "2026-01-01"),
        C(K1, "W91", "2100", "P00003", "F", "2025-02-01", -150, 200, 200, 200, "2024-11-01", "2026-01-01"),
    };
    doge_spend_receipts *r = claims();
    /* $6 claimed: within the first value, above the latest. */
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 1000, 600, "2025-02-01");
    const doge_spend_verification *v = run(r, t, 4);
    assert_int_equal(v->value, 400);
    assert_true(v->flags & DOGE_SPEND_F_ABOVE_VALUE);
    assert_int_equal(v->verified, 150);
    assert_non_null(strstr(v->evidence, "modification P00002"));
    doge_spend_receipts_free(r);
}

static void test_only_termination_counts(void **state)
{
    (void)state;
    doge_spend_txn t[3];
    terminated(t);
    /* A funding de-obligation (which leaves the value alone) is not a
     * cancellation. */
    t[2].action_type = F("C");
    t[2].current_value = 100000;
    t[2].potential_value = 150000;
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 30000, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 3);
    assert_int_equal(v->status, DOGE_SPEND_UNSUPPORTED);
    assert_int_equal(v->flags, DOGE_SPEND_F_NOT_CANCELLED);
    assert_int_equal(v->verified, 0);
    assert_int_equal(v->deobligated, 0);
    assert_non_null(strstr(v->evidence, "no termination or close-out"));
    doge_spend_receipts_free(r);
    /* Close-out (K), default (E), cause (X), cancellation (N) count. */
    terminated(t);
    const char *ok[] = {"K", "E", "X", "N", "F"};
    for (int i = 0; i < 5; i++) {
        t[2].action_type = F(ok[i]);
        r = claims();
        add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 30000, "2025-03-01");
        v = run(r, t, 3);
        assert_int_equal(v->status, DOGE_SPEND_VERIFIED);
        doge_spend_receipts_free(r);
    }
    /* Assistance: D (adjustment to completed project), or a revision that
     * says it terminates; a plain revision does not. */
    doge_spend_txn g[2];
    g[0] = C("ASST_NON_F1_7529", "F1", "7529", "0", "A", "2024-11-01", 10000, 7000, 0, 0,
             "2024-11-01", "2026-01-01");
    g[1] = C("ASST_NON_F1_7529", "F1", "7529", "1", "C", "2025-02-01", -3000, 7000, 0, 0,
             "2024-11-01", "2026-01-01");
    g[0].kind = g[1].kind = DOGE_SPEND_ASSISTANCE;
    const char *desc[] = {"REDUCE FUNDING", "Terminated for convenience"};
    for (int i = 0; i < 2; i++) {
        g[1].description = F(desc[i]);
        r = claims();
        add(r, DOGE_SPEND_CLAIM_GRANT, NULL, "https://www.usaspending.gov/award/ASST_NON_F1_7529",
            10000, 3000, "2025-02-01");
        v = run(r, g, 2);
        assert_int_equal(v->value, 10000);
        assert_int_equal(v->verified, i ? 3000 : 0);
        assert_int_equal(v->flags, i ? 0u : DOGE_SPEND_F_NOT_CANCELLED);
        doge_spend_receipts_free(r);
    }
    g[1].action_type = F("D");
    g[1].description = F("");
    r = claims();
    add(r, DOGE_SPEND_CLAIM_GRANT, "F1", NULL, 10000, 3000, "2025-02-01");
    v = run(r, g, 2);
    assert_int_equal(v->status, DOGE_SPEND_VERIFIED);
    doge_spend_receipts_free(r);
}

static void test_award_key(void **state)
{
    (void)state;
    /* One PIID in the Army (2100) and at NIH (7529). */
    doge_spend_txn t[6];
    terminated(t);
    terminated(t + 3);
    for (int i = 3; i < 6; i++) {
        t[i].award_key = F("CONT_AWD_W91_7529_-NONE-_-NONE-");
        t[i].sub_agency_code = F("7529");
        t[i].agency_name = F("Department of Health and Human Services");
        t[i].recipient_name = F("OTHER VENDOR INC");
        t[i].obligation *= 2;
    }
    doge_spend_receipts *r = claims();
    /* The FPDS link names the agency. */
    add(r, DOGE_SPEND_CLAIM_CONTRACT, NULL,
        "https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp?agencyID=7529&PIID=W91&modNumber="
        "&idvAgencyID=&idvPIID=&contractType=AWARD",
        100000, 60000, "2025-03-01");
    /* A bare PIID: the claim's agency name decides. */
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 30000, "2025-03-01");
    /* A bare PIID with neither agency nor recipient matching: ambiguous. */
    doge_spend_claim c;
    memset(&c, 0, sizeof c);
    c.type = DOGE_SPEND_CLAIM_CONTRACT;
    c.award_id = "W91";
    c.agency = "Department of Magic";
    c.recipient = "NOBODY";
    c.savings = 1;
    assert_int_equal(doge_spend_receipts_add(r, &c), DOGE_OK);
    /* A parent that does not match: not found. */
    add(r, DOGE_SPEND_CLAIM_CONTRACT, NULL,
        "https://www.usaspending.gov/award/CONT_AWD_W91_2100_GS35F_4732", 100000, 1,
        "2025-03-01");
    const doge_spend_verification *v = run(r, t, 6);
    assert_string_equal(v[0].award_key, "CONT_AWD_W91_7529_-NONE-_-NONE-");
    assert_int_equal(v[0].verified, 60000);
    assert_string_equal(v[1].award_key, K1);
    assert_int_equal(v[1].verified, 30000);
    assert_int_equal(v[2].status, DOGE_SPEND_UNVERIFIABLE);
    assert_int_equal(v[2].flags, DOGE_SPEND_F_AMBIGUOUS);
    assert_non_null(strstr(v[2].evidence, "names 2 awards"));
    assert_int_equal(v[3].status, DOGE_SPEND_NOT_FOUND);
    doge_spend_receipts_free(r);
}

static void test_vehicle_ceiling(void **state)
{
    (void)state;
    /* A $100 ceiling; two orders worth $7 and $5 after termination. */
    doge_spend_txn t[8];
    t[0] = C("CONT_IDV_V1_2100", "V1", "2100", "0", "", "2024-10-15", 0, 0, 10000, 10000,
             "2024-10-15", "2029-10-14");
    t[1] = C("CONT_IDV_V1_2100", "V1", "2100", "P00001", "F", "2025-03-01", 0, 0, 10000, 10000,
             "2024-10-15", "2029-10-14");
    t[0].idv_flag = t[1].idv_flag = F("IDV");
    t[0].multiple = t[1].multiple = F("S");
    const char *ok[2] = {"CONT_AWD_O1_2100_V1_2100", "CONT_AWD_O2_2100_V1_2100"};
    const char *op[2] = {"O1", "O2"};
    for (int i = 0; i < 2; i++) {
        doge_spend_txn *o = t + 2 + 3 * i;
        terminated(o);
        for (int k = 0; k < 3; k++) {
            o[k].award_key = F(ok[i]);
            o[k].piid = F(op[i]);
            o[k].parent_piid = F("V1");
            o[k].parent_agency = F("2100");
        }
        o[2].current_value = i ? 500 : 700;
    }
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, NULL,
        "https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp?agencyID=2100&PIID=V1"
        "&contractType=IDV",
        10000, 10000, "2025-03-01");
    add(r, DOGE_SPEND_CLAIM_CONTRACT, NULL,
        "https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp?agencyID=2100&PIID=O1"
        "&idvAgencyID=2100&idvPIID=V1",
        100000, 30000, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 8);
    assert_int_equal(v[0].flags, DOGE_SPEND_F_VEHICLE);
    assert_int_equal(v[0].verified, 0);
    assert_int_equal(v[0].status, DOGE_SPEND_UNSUPPORTED);
    /* Ceiling minus its orders, not ceiling plus orders. */
    assert_int_equal(v[0].never_ordered, 10000 - 700 - 500);
    assert_int_equal(v[1].verified, 30000);
    assert_int_equal(v[1].status, DOGE_SPEND_VERIFIED);
    doge_spend_receipts_free(r);
}

static void test_shared_ceiling(void **state)
{
    (void)state;
    doge_spend_txn t[6];
    const char *keys[3] = {"CONT_IDV_M1_4732", "CONT_IDV_M2_4732", "CONT_IDV_M3_4732"};
    const char *piids[3] = {"M1", "M2", "M3"};
    for (int i = 0; i < 3; i++) {
        t[2 * i] = C(keys[i], piids[i], "4732", "0", "", "2024-10-15", 0, 0, 500000, 500000,
                     "2024-10-15", "2029-10-14");
        t[2 * i + 1] = C(keys[i], piids[i], "4732", "P00001", "F", "2025-03-01", 0, 0, 500000,
                         500000, "2024-10-15", "2029-10-14");
        for (int k = 0; k < 2; k++) {
            t[2 * i + k].idv_flag = F("IDV");
            t[2 * i + k].multiple = F("M");
            t[2 * i + k].solicitation = F("47QTCA25R0001");
        }
    }
    doge_spend_receipts *r = claims();
    for (int i = 0; i < 3; i++)
        add(r, DOGE_SPEND_CLAIM_CONTRACT, piids[i], NULL, 500000, 500000, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 6);
    assert_int_equal(v[0].flags, DOGE_SPEND_F_VEHICLE);
    assert_int_equal(v[0].never_ordered, 500000);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(v[i].flags, DOGE_SPEND_F_VEHICLE | DOGE_SPEND_F_SHARED_CEILING);
        assert_int_equal(v[i].never_ordered, 0);
    }
    const doge_spend_receipt_agency *g;
    assert_int_equal(doge_spend_receipts_agencies(r, &g), 1);
    assert_int_equal(g[0].never_ordered, 500000); /* counted once */
    assert_int_equal(g[0].verified, 0);
    doge_spend_receipts_free(r);
}

static void test_verified_bounds(void **state)
{
    (void)state;
    doge_spend_txn t[3];
    terminated(t);
    /* A record that de-obligates more than the value (a data error): the
     * verified saving stays within [0, value]. */
    t[2].obligation = -500000;
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 900000, "2025-03-01");
    /* A claim below what was returned: never more than the claim. */
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 100, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 3);
    assert_int_equal(v[0].verified, 100000);
    assert_int_equal(v[0].status, DOGE_SPEND_OVERSTATED);
    /* The second claim is the same award: claimed twice, nothing verified. */
    assert_int_equal(v[1].verified, 0);
    assert_int_equal(v[1].flags & DOGE_SPEND_F_DUPLICATE, DOGE_SPEND_F_DUPLICATE);
    assert_non_null(strstr(v[1].evidence, "already claimed by contract-1"));
    doge_spend_receipts_free(r);
    terminated(t);
    r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 100, "2025-03-01");
    v = run(r, t, 3);
    assert_int_equal(v[0].verified, 100);
    assert_int_equal(v[0].status, DOGE_SPEND_VERIFIED);
    doge_spend_receipts_free(r);
}

static void test_placeholders(void **state)
{
    (void)state;
    const char *bad[] = {"0000000000", "N/A", "n/a", "", "ACME WIDGETS LLC", "ACME", "---0---",
                         "NONE", "TBD",
                         "A123456789012345678901234567890123456789012345678901234567890"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (!doge_spend_award_id_placeholder(bad[i], "ACME WIDGETS LLC"))
            fail_msg("'%s' should be a placeholder", bad[i]);
    const char *good[] = {"W912DY25C0042", "GS-35F-0119Y", "1R01AI123456-01", "75N95023C00031"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (doge_spend_award_id_placeholder(good[i], "ACME WIDGETS LLC"))
            fail_msg("'%s' should not be a placeholder", good[i]);
    assert_true(doge_spend_award_id_placeholder("W91X1", "w91x1")); /* the vendor's "name" */
    doge_spend_txn t[3];
    terminated(t);
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "0000000000", "", 100000, 30000, "2025-03-01");
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "ACME WIDGETS LLC", NULL, 100000, 30000, "2025-03-01");
    add(r, DOGE_SPEND_CLAIM_CONTRACT, NULL, "https://www.usaspending.gov/award/12345678", 1, 1,
        NULL);
    const doge_spend_verification *v = run(r, t, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(v[i].status, DOGE_SPEND_UNVERIFIABLE);
        assert_int_equal(v[i].flags, DOGE_SPEND_F_PLACEHOLDER);
        assert_int_equal(v[i].verified, 0);
    }
    assert_non_null(strstr(v[2].evidence, "not a generated"));
    doge_spend_receipts_free(r);
}

static void test_lease(void **state)
{
    (void)state;
    /* A ten-year lease (3652 days) worth $100,000: $9,995.07 a year. */
    const char *key = "CONT_AWD_GS11P_4740_-NONE-_-NONE-";
    doge_spend_txn t[2] = {
        C(key, "GS11P", "4740", "P00021", "C", "2024-11-01", 999507, 4000000, 10000000, 10000000,
          "2018-01-01", "2028-01-01"),
        C(key, "GS11P", "4740", "P00022", "F", "2025-03-01", -300000, 4000000, 10000000, 10000000,
          "2018-01-01", "2028-01-01"),
    };
    int32_t term = D("2028-01-01") - D("2018-01-01");
    int64_t annual = (int64_t)10000000 * 365 / term;
    int64_t left = annual * (D("2028-01-01") - D("2025-03-01")) / 365;
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_LEASE, "GS11P", NULL, annual, left, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 2);
    assert_int_equal(v->annual, annual);
    assert_int_equal(v->left, left);
    assert_int_equal(v->status, DOGE_SPEND_VERIFIED);
    assert_int_equal(v->verified, left);
    doge_spend_receipts_free(r);
    /* Five years claimed with under three left: capped at the rent left. */
    r = claims();
    add(r, DOGE_SPEND_CLAIM_LEASE, "GS11P", NULL, annual, annual * 5, "2025-03-01");
    v = run(r, t, 2);
    assert_int_equal(v->flags, DOGE_SPEND_F_LEASE_TERM | DOGE_SPEND_F_ABOVE_REMAINING);
    assert_int_equal(v->verified, left);
    doge_spend_receipts_free(r);
    /* The value stated 1000x the annual rent. */
    r = claims();
    add(r, DOGE_SPEND_CLAIM_LEASE, "GS11P", NULL, annual * 1000, 100, "2025-03-01");
    v = run(r, t, 2);
    assert_int_equal(v->flags, DOGE_SPEND_F_OFF_BY_1000);
    doge_spend_receipts_free(r);
}

static void test_ended_before_and_off(void **state)
{
    (void)state;
    doge_spend_txn t[3];
    terminated(t);
    for (int i = 0; i < 3; i++)
        t[i].pop_end = D("2025-01-31");
    doge_spend_receipts *r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000, 30000, "2025-03-01");
    const doge_spend_verification *v = run(r, t, 3);
    assert_int_equal(v->flags, DOGE_SPEND_F_ENDED_BEFORE);
    assert_int_equal(v->verified, 0);
    doge_spend_receipts_free(r);
    terminated(t);
    r = claims();
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "W91", NULL, 100000 * 1000, 30000, "2025-03-01");
    add(r, DOGE_SPEND_CLAIM_CONTRACT, "X999", NULL, 1, 1, "2025-03-01");
    v = run(r, t, 3);
    assert_int_equal(v[0].flags, DOGE_SPEND_F_OFF_BY_1000);
    assert_int_equal(v[0].status, DOGE_SPEND_VERIFIED);
    assert_int_equal(v[1].status, DOGE_SPEND_NOT_FOUND);
    doge_spend_receipts_free(r);
}

static void test_links(void **state)
{
    (void)state;
    doge_spend_award_ref ref;
    assert_int_equal(doge_spend_link_parse("https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp"
                                           "?agencyID=7529&PIID=75N95023C00031&modNumber=P00004"
                                           "&idvAgencyID=4732&idvPIID=GS%2D35F%2D0119Y"
                                           "&contractType=AWARD",
                                           &ref),
                     DOGE_OK);
    assert_string_equal(ref.piid, "75N95023C00031");
    assert_string_equal(ref.agency, "7529");
    assert_string_equal(ref.parent_piid, "GS-35F-0119Y");
    assert_string_equal(ref.parent_agency, "4732");
    assert_int_equal(doge_spend_link_parse("https://www.fpds.gov/ezsearch/fpdsportal?q=PIID%3A%22"
                                           "W912DY25C0042%22+AGENCY_CODE%3A%222100%22",
                                           &ref),
                     DOGE_OK);
    assert_string_equal(ref.piid, "W912DY25C0042");
    assert_int_equal(doge_spend_link_parse(
                         "https://www.usaspending.gov/award/CONT_AWD_W912DY25C0042_2100_-NONE-_-NONE-/",
                         &ref),
                     DOGE_OK);
    assert_string_equal(ref.piid, "W912DY25C0042");
    assert_string_equal(ref.agency, "2100");
    assert_string_equal(ref.parent_piid, "");
    assert_int_equal(doge_spend_link_parse(
                         "https://www.usaspending.gov/award/CONT_AWD_O1_2100_GS35F0119Y_4732",
                         &ref),
                     DOGE_OK);
    assert_string_equal(ref.parent_piid, "GS35F0119Y");
    assert_string_equal(ref.parent_agency, "4732");
    assert_int_equal(doge_spend_link_parse("https://www.usaspending.gov/award/CONT_IDV_V1_2100",
                                           &ref),
                     DOGE_OK);
    assert_string_equal(ref.piid, "V1");
    assert_int_equal(doge_spend_link_parse(
                         "https://www.usaspending.gov/award/ASST_NON_1R01AI123456-01_7529", &ref),
                     DOGE_OK);
    assert_string_equal(ref.piid, "1R01AI123456-01");
    assert_int_equal(ref.assistance, 1);
    assert_int_equal(doge_spend_link_parse("https://www.usaspending.gov/award/12345678", &ref),
                     DOGE_EINVAL);
    assert_int_equal(doge_spend_link_parse("https://example.com/x?PIID=1", &ref), DOGE_EINVAL);
    assert_int_equal(doge_spend_link_parse("https://www.fpds.gov/ezsearch/x?agencyID=1", &ref),
                     DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "without a PIID"));
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load(void **state)
{
    (void)state;
    char path[] = "/tmp/doge-receipts-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    put_file(path, "{\"success\": true, \"result\": {\"contracts\": [{\"piid\": \"W91\", \"agency\": "
                "\"DoD\", \"vendor\": \"ACME\", \"value\": 8000000.5, \"description\": \"x\", "
                "\"fpds_status\": \"TERMINATED\", \"fpds_link\": \"\", \"deleted_date\": "
                "\"3/4/2025\", \"savings\": \"$1,000.25\"}], \"grants\": [{\"date\": "
                "\"2025-02-10\", \"agency\": \"NIH\", \"recipient\": \"U\", \"value\": 100, "
                "\"savings\": 50, \"link\": \"https://www.usaspending.gov/award/ASST_NON_F_7529\", "
                "\"description\": \"g\"}], \"leases\": [{\"date\": \"2025-03-01\", \"location\": "
                "\"X\", \"sq_ft\": 100, \"description\": \"l\", \"value\": 12000, \"savings\": "
                "6000, \"agency\": \"GSA\"}]}}");
    doge_spend_receipts *r;
    assert_int_equal(doge_spend_receipts_load(&r, path), DOGE_OK);
    const doge_spend_claim *c;
    assert_int_equal(doge_spend_receipts_claims(r, &c), 3);
    assert_string_equal(c[0].id, "contract-1");
    assert_int_equal(c[0].value, 800000050);
    assert_int_equal(c[0].savings, 100025);
    assert_int_equal(c[0].date, D("2025-03-04"));
    assert_string_equal(c[0].award_id, "W91");
    assert_string_equal(c[1].id, "grant-1");
    assert_int_equal(c[1].type, DOGE_SPEND_CLAIM_GRANT);
    assert_non_null(strstr(c[1].link, "ASST_NON_F_7529"));
    assert_string_equal(c[2].id, "lease-1");
    assert_int_equal(c[2].savings, 600000);
    doge_spend_receipts_free(r);
    put_file(path, "{\"contracts\": [{\"piid\": \"W91\", \"value\": 1}]}");
    assert_int_equal(doge_spend_receipts_load(&r, path), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "missing required field 'savings'"));
    put_file(path, "{\"contracts\": [{\"piid\": \"W91\", \"savings\": 1, \"deleted_date\": \"soon\"}]}");
    assert_int_equal(doge_spend_receipts_load(&r, path), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "claim contract-1: date"));
    put_file(path, "type,agency,value,savings,piid,link,date,vendor\n"
                "contract,DoD,\"1,000\",500,W91,,2025-03-01,ACME\n"
                "lease,GSA,100,50,GS11P,,3/1/2025,LANDLORD\n");
    assert_int_equal(doge_spend_receipts_load(&r, path), DOGE_OK);
    assert_int_equal(doge_spend_receipts_claims(r, &c), 2);
    assert_int_equal(c[0].value, 100000);
    assert_int_equal(c[1].type, DOGE_SPEND_CLAIM_LEASE);
    assert_string_equal(c[1].id, "lease-1");
    doge_spend_receipts_free(r);
    put_file(path, "type,agency,value,piid\ncontract,DoD,1,W91\n");
    assert_int_equal(doge_spend_receipts_load(&r, path), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "missing required column 'savings'"));
    unlink(path);
    assert_int_equal(doge_spend_receipts_load(&r, "/nonexistent/receipts.json"), DOGE_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_latest_modification),
        cmocka_unit_test(test_only_termination_counts),
        cmocka_unit_test(test_award_key),
        cmocka_unit_test(test_vehicle_ceiling),
        cmocka_unit_test(test_shared_ceiling),
        cmocka_unit_test(test_verified_bounds),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_lease),
        cmocka_unit_test(test_ended_before_and_off),
        cmocka_unit_test(test_links),
        cmocka_unit_test(test_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
