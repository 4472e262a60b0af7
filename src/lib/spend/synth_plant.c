/*
 * synth_plant.c — the planted waste patterns of the synthetic award file and
 * the clean control awards built to resemble them without breaking the
 * rule, each written to the ground truth as "rule,key,planted" or
 * "rule,key,clean":
 *   over_potential  obligated 133% of the potential value; controls: equal,
 *                   and over on the first action but raised by a later one;
 *   after_end       a funding action 5-40 days after the end; controls: a
 *                   close-out de-obligation and a zero-dollar change after it;
 *   duplicate       two awards (two agencies, or two offices) with one action
 *                   each of the same recipient, amount, date and description;
 *                   controls: another description, or the next day;
 *   split           2-4 base awards just under $10,000 or $250,000 from one
 *                   office to one recipient within 25 days; controls: 45 days
 *                   apart, one of them well under the band, two offices;
 *   excluded        awards to a party on the exclusion list while excluded,
 *                   matched by UEI or by a differently written name; controls:
 *                   before the exclusion began, after it ended, and the same
 *                   name under another UEI;
 *   benford         one agency's amounts are 60% made up (first digits even);
 *   noncompeted     one agency's competition codes are steered above 75%.
 * Rules 1, 4 and 7 need contract columns and are planted only in contract
 * files. Planted and control awards use one-off recipients and amounts
 * outside the threshold bands, so that they trip no other rule.
 */
#include "doge/date.h"
#include "internal.h"
#include "spend/sg_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int32_t day(sg *g, int32_t lo, int32_t hi)
{
    return g->fy_start + lo + (int32_t)doge__sg_below(g, (uint64_t)(hi - lo + 1));
}

/* An amount outside the threshold bands, at least $500. */
static int64_t plain_amount(sg *g)
{
    double median = g->kind == DOGE_SPEND_CONTRACTS ? 60000 : 250000;
    for (;;) {
        int64_t c = doge__sg_lognormal_cents(g, median, 1.2);
        if (c >= 50000 && !doge__sg_in_band(c))
            return c;
    }
}

static int agency(sg *g) { return g->plant_agency[doge__sg_below(g, 3)]; }

static int simple(sg *g, sg_award *a, int ag, uint32_t office, uint32_t recip, int32_t date,
                  int64_t fao, int64_t cur, int64_t pot, int32_t pop_end, char type)
{
    int rc = doge__sg_award_init(g, a, ag, office, recip, type);
    if (rc)
        return rc;
    a->fabricate = 0;
    a->pop_start = date;
    doge__sg_add_tx(a, date, "0", g->kind == DOGE_SPEND_CONTRACTS ? "" : "A", fao, cur, pot,
                    pop_end);
    return DOGE_OK;
}

static const char *mod_name(const sg *g, int n, char *buf)
{
    if (g->kind == DOGE_SPEND_CONTRACTS)
        snprintf(buf, 16, "P%05d", n);
    else
        snprintf(buf, 16, "%d", n);
    return buf;
}

static int record(sg *g, sg_award *a, int rule, int planted)
{
    char key[160];
    doge__sg_award_key(g, a, key, sizeof key);
    int rc = doge__sg_queue(g, a);
    if (rc == DOGE_OK && rule)
        rc = doge__sg_truth(g, rule, key, planted);
    return rc;
}

static char type_letter(const sg *g) { return g->kind == DOGE_SPEND_CONTRACTS ? 'P' : 'G'; }

/* ---- over potential ---------------------------------------------------------- */

static int over_potential(sg *g, int k)
{
    sg_award a;
    uint32_t r;
    int rc = DOGE_OK;
    for (int i = 0; i < k && rc == DOGE_OK; i++) {
        int ag = agency(g);
        int64_t f = plain_amount(g);
        int32_t d = day(g, 0, 300);
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f * 7 / 10, f * 3 / 4, d + 365,
                         'C')))
            return rc;
        rc = record(g, &a, DOGE_SPEND_RULE_OVER_POTENTIAL, 1);
    }
    for (int i = 0; i < k / 2 + 1 && rc == DOGE_OK; i++) {
        int ag = agency(g);
        int64_t f = plain_amount(g);
        int32_t d = day(g, 0, 300);
        /* Exactly at the potential value. */
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f, f, d + 365, 'C')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_OVER_POTENTIAL, 0)))
            return rc;
        /* Over on the first action, raised on the latest. */
        char m[16];
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f * 8 / 10, f * 8 / 10,
                         d + 365, 'C')))
            return rc;
        doge__sg_add_tx(&a, d + 20, mod_name(g, 1, m), "M", 0, f / 2, f / 2, d + 365);
        rc = record(g, &a, DOGE_SPEND_RULE_OVER_POTENTIAL, 0);
    }
    return rc;
}

/* ---- after the end ------------------------------------------------------------- */

static int after_end(sg *g, int k)
{
    sg_award a;
    uint32_t r;
    char m[16];
    int rc = DOGE_OK;
    int contracts = g->kind == DOGE_SPEND_CONTRACTS;
    for (int i = 0; i < k && rc == DOGE_OK; i++) {
        int ag = agency(g);
        int64_t f = plain_amount(g);
        int32_t d = day(g, 0, 200), end = d + 60;
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f * 3 / 2, f * 3 / 2, end,
                         type_letter(g))))
            return rc;
        sg_tx *t = doge__sg_add_tx(&a, end + 5 + (int32_t)doge__sg_below(g, 36), mod_name(g, 1, m),
                                   contracts ? "C" : "B", f / 4, 0, 0, end);
        t->desc = "ADDITIONAL FUNDING";
        rc = record(g, &a, DOGE_SPEND_RULE_AFTER_END, 1);
    }
    for (int i = 0; i < k / 2 + 1 && rc == DOGE_OK; i++) {
        int ag = agency(g);
        int64_t f = plain_amount(g);
        int32_t d = day(g, 0, 200), end = d + 60;
        /* A close-out de-obligation after the end. */
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f, f, end, type_letter(g))))
            return rc;
        sg_tx *t = doge__sg_add_tx(&a, end + 10, mod_name(g, 1, m), contracts ? "K" : "D", -f / 10,
                                   0, 0, end);
        t->desc = "CLOSEOUT";
        if ((rc = record(g, &a, DOGE_SPEND_RULE_AFTER_END, 0)))
            return rc;
        /* A zero-dollar change after the end. */
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = simple(g, &a, ag, doge__sg_office(g, ag), r, d, f, f, f, end, type_letter(g))))
            return rc;
        t = doge__sg_add_tx(&a, end + 20, mod_name(g, 1, m), contracts ? "M" : "C", 0, 0, 0, end);
        t->desc = "ADMINISTRATIVE CHANGE";
        rc = record(g, &a, DOGE_SPEND_RULE_AFTER_END, 0);
    }
    return rc;
}

/* ---- duplicates ------------------------------------------------------------------ */

static const char *some_desc(sg *g)
{
    if (g->kind == DOGE_SPEND_CONTRACTS)
        return doge__sg_products[doge__sg_below(g, (uint64_t)doge__sg_nproducts)]
            .desc[doge__sg_below(g, 4)];
    return doge__sg_programs[doge__sg_below(g, (uint64_t)doge__sg_nprograms)]
        .desc[doge__sg_below(g, 3)];
}

/* Two single-action awards of one recipient; the second differs by
 * day_shift days and, when other_desc, by description. */
static int pair(sg *g, int planted, int32_t day_shift, int other_desc)
{
    sg_award a;
    uint32_t r;
    int rc = doge__sg_new_recipient(g, &r);
    if (rc)
        return rc;
    int64_t f = plain_amount(g);
    int32_t d = day(g, 0, 330);
    const char *desc = some_desc(g), *desc2 = desc;
    while (other_desc && desc2 == desc)
        desc2 = some_desc(g);
    int ag1 = g->plant_agency[0], ag2 = g->plant_agency[1 + doge__sg_below(g, 2)];
    if (doge__sg_unit(g) < 0.3)
        ag2 = ag1; /* same agency, another office */
    uint32_t o1 = doge__sg_office(g, ag1), o2 = doge__sg_office(g, ag2);
    if ((rc = simple(g, &a, ag1, o1, r, d, f, f, f, d + 200, type_letter(g))))
        return rc;
    a.desc = desc;
    if ((rc = record(g, &a, DOGE_SPEND_RULE_DUPLICATE, planted)))
        return rc;
    if ((rc = simple(g, &a, ag2, o2, r, d + day_shift, f, f, f, d + 200, type_letter(g))))
        return rc;
    a.desc = desc2;
    return record(g, &a, DOGE_SPEND_RULE_DUPLICATE, planted);
}

static int duplicates(sg *g, int k)
{
    int rc = DOGE_OK;
    for (int i = 0; i < k / 2 + 1 && rc == DOGE_OK; i++)
        rc = pair(g, 1, 0, 0);
    for (int i = 0; i < k / 4 + 1 && rc == DOGE_OK; i++) {
        if ((rc = pair(g, 0, 0, 1)))
            break;
        rc = pair(g, 0, 1, 0);
    }
    return rc;
}

/* ---- splits ------------------------------------------------------------------------ */

static int64_t in_band(sg *g, int64_t t)
{
    return doge__sg_between(g, t * 8 / 10 + 1, t - 1);
}

static int splits(sg *g, int k)
{
    sg_award a;
    uint32_t r;
    int rc = DOGE_OK;
    for (int c = 0; c < k / 2 + 1 && rc == DOGE_OK; c++) {
        int64_t t = c % 2 ? DOGE_SPEND_SIMPLIFIED : DOGE_SPEND_MICRO_PURCHASE;
        int ag = agency(g);
        uint32_t office = doge__sg_office(g, ag);
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        int n = 2 + (int)doge__sg_below(g, 3);
        int32_t d0 = day(g, 0, 300);
        int32_t offs[4];
        for (int i = 0; i < n; i++)
            offs[i] = (int32_t)doge__sg_below(g, 26);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (offs[j] < offs[i]) {
                    int32_t x = offs[i];
                    offs[i] = offs[j];
                    offs[j] = x;
                }
        for (int i = 0; i < n && rc == DOGE_OK; i++) {
            int64_t f = in_band(g, t);
            if ((rc = simple(g, &a, ag, office, r, d0 + offs[i], f, f, f, d0 + offs[i] + 90, 'P')))
                return rc;
            rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 1);
        }
    }
    for (int c = 0; c < k / 4 + 1 && rc == DOGE_OK; c++) {
        int64_t t = c % 2 ? DOGE_SPEND_SIMPLIFIED : DOGE_SPEND_MICRO_PURCHASE;
        int ag = agency(g);
        uint32_t office = doge__sg_office(g, ag), office2 = office;
        for (int tries = 0; tries < 50 && office2 == office; tries++)
            office2 = doge__sg_office(g, ag);
        if (office2 == office)
            office2 = g->office_first[ag] + (office - g->office_first[ag] + 1) % g->office_count[ag];
        int32_t d0 = day(g, 0, 250);
        /* 45 days apart. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        int64_t f = in_band(g, t);
        if ((rc = simple(g, &a, ag, office, r, d0, f, f, f, d0 + 90, 'P')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0)))
            return rc;
        f = in_band(g, t);
        if ((rc = simple(g, &a, ag, office, r, d0 + 45, f, f, f, d0 + 135, 'P')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0)))
            return rc;
        /* One well under the band. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        f = in_band(g, t);
        if ((rc = simple(g, &a, ag, office, r, d0, f, f, f, d0 + 90, 'P')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0)))
            return rc;
        f = t / 2 + (int64_t)doge__sg_below(g, 1000);
        if ((rc = simple(g, &a, ag, office, r, d0 + 5, f, f, f, d0 + 95, 'P')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0)))
            return rc;
        /* Two offices. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        f = in_band(g, t);
        if ((rc = simple(g, &a, ag, office, r, d0, f, f, f, d0 + 90, 'P')) ||
            (rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0)))
            return rc;
        f = in_band(g, t);
        if ((rc = simple(g, &a, ag, office2, r, d0 + 3, f, f, f, d0 + 93, 'P')))
            return rc;
        rc = record(g, &a, DOGE_SPEND_RULE_SPLIT, 0);
    }
    return rc;
}

/* ---- exclusions -------------------------------------------------------------------- */

static const char *const excl_agencies[] = {"HHS", "DOD", "GSA", "EPA", "DLA", "NAVY", "ARMY",
                                            "USDA", "DOE", "SBA"};
static const char *const excl_types[] = {"Ineligible (Proceedings Completed)",
                                         "Ineligible (Proceedings Pending)",
                                         "Prohibition/Restriction", "Voluntary Exclusion"};

static void fill_excl(sg *g, sg_excl *e)
{
    memset(e, 0, sizeof *e);
    e->classification = "Firm";
    e->program = doge__sg_unit(g) < 0.7 ? "Reciprocal" : "Procurement";
    e->agency = excl_agencies[doge__sg_below(g, 10)];
    e->type = excl_types[doge__sg_below(g, 4)];
    e->uei = "";
    e->name = "";
    e->end = INT32_MAX;
}

/* "APEX ATLANTIC SOLUTIONS LLC" -> "Apex Atlantic Solutions, L.L.C." */
static int variant(sg *g, const char *name, const char **out)
{
    char buf[200];
    size_t n = 0;
    int start = 1;
    const char *last = strrchr(name, ' ');
    const char *suffix = last ? last + 1 : "";
    const char *repl = NULL;
    if (strcmp(suffix, "LLC") == 0 || strcmp(suffix, "L.L.C.") == 0)
        repl = ", L.L.C.";
    else if (strcmp(suffix, "INC") == 0 || strcmp(suffix, "INC.") == 0)
        repl = ", Inc.";
    else if (strcmp(suffix, "CORP") == 0 || strcmp(suffix, "CORPORATION") == 0)
        repl = " Corp.";
    else if (strcmp(suffix, "CO") == 0)
        repl = " Co.";
    else if (strcmp(suffix, "LTD") == 0)
        repl = ", Ltd.";
    size_t stop = repl ? (size_t)(last - name) : strlen(name);
    for (size_t i = 0; i < stop && n < sizeof buf - 16; i++) {
        unsigned char c = (unsigned char)name[i];
        buf[n++] = (char)(start ? c : tolower(c));
        start = c == ' ';
    }
    buf[n] = '\0';
    if (repl)
        snprintf(buf + n, sizeof buf - n, "%s", repl);
    return doge__sg_strdup(g, buf, out);
}

static int excluded_award(sg *g, uint32_t r, int32_t date, int planted)
{
    sg_award a;
    int ag = agency(g);
    int64_t f = plain_amount(g);
    int rc = simple(g, &a, ag, doge__sg_office(g, ag), r, date, f, f, f, date + 180,
                    type_letter(g));
    if (rc == DOGE_OK)
        rc = record(g, &a, DOGE_SPEND_RULE_EXCLUDED, planted);
    return rc;
}

static int exclusions(sg *g, int k)
{
    int rc = DOGE_OK;
    uint32_t r;
    sg_excl e;
    for (int i = 0; i < k && rc == DOGE_OK; i++) {
        /* By UEI. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fill_excl(g, &e);
        e.name = g->recips[r].name;
        if ((rc = doge__sg_strdup(g, g->recips[r].uei, &e.uei)))
            return rc;
        e.active = g->fy_start + 60 + (int32_t)doge__sg_below(g, 60);
        if ((rc = doge__sg_add_exclusion(g, &e)) ||
            (rc = excluded_award(g, r, e.active + 10 + (int32_t)doge__sg_below(
                                                          g, (uint64_t)(g->fy_end - e.active - 200)),
                                 1)))
            return rc;
        /* By name: the list has no UEI and writes the name its own way. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fill_excl(g, &e);
        if ((rc = variant(g, g->recips[r].name, &e.name)))
            return rc;
        e.active = g->fy_start - 100;
        e.end = g->fy_end + 200;
        if ((rc = doge__sg_add_exclusion(g, &e)) || (rc = excluded_award(g, r, day(g, 0, 330), 1)))
            return rc;
    }
    for (int i = 0; i < k / 2 + 1 && rc == DOGE_OK; i++) {
        /* Before the exclusion began. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fill_excl(g, &e);
        e.name = g->recips[r].name;
        if ((rc = doge__sg_strdup(g, g->recips[r].uei, &e.uei)))
            return rc;
        e.active = g->fy_start + 200;
        if ((rc = doge__sg_add_exclusion(g, &e)) ||
            (rc = excluded_award(g, r, day(g, 20, 150), 0)))
            return rc;
        /* After it ended. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fill_excl(g, &e);
        e.name = g->recips[r].name;
        if ((rc = doge__sg_strdup(g, g->recips[r].uei, &e.uei)))
            return rc;
        e.active = g->fy_start - 400;
        e.end = g->fy_start + 20;
        if ((rc = doge__sg_add_exclusion(g, &e)) ||
            (rc = excluded_award(g, r, day(g, 60, 300), 0)))
            return rc;
        /* The same name under another UEI. */
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fill_excl(g, &e);
        e.name = g->recips[r].name;
        char other[13];
        static const char chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        do {
            for (int j = 0; j < 12; j++)
                other[j] = chars[doge__sg_below(g, 34)];
            other[12] = '\0';
            if (other[0] == '0')
                other[0] = 'Q';
        } while (strcmp(other, g->recips[r].uei) == 0);
        if ((rc = doge__sg_strdup(g, other, &e.uei)))
            return rc;
        e.active = g->fy_start - 30;
        if ((rc = doge__sg_add_exclusion(g, &e)) ||
            (rc = excluded_award(g, r, day(g, 0, 330), 0)))
            return rc;
    }
    return rc;
}

static int decoys(sg *g)
{
    uint64_t n = 50 + g->o->rows / 5000;
    if (n > 5000)
        n = 5000;
    static const char chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    int rc = DOGE_OK;
    for (uint64_t i = 0; i < n && rc == DOGE_OK; i++) {
        sg_excl e;
        fill_excl(g, &e);
        char buf[160];
        if (i % 3 == 0) {
            e.classification = "Individual";
            e.first = doge__sg_first_names[doge__sg_below(g, (uint64_t)doge__sg_nfirst)];
            e.last = doge__sg_last_names[doge__sg_below(g, (uint64_t)doge__sg_nlast)];
        } else {
            snprintf(buf, sizeof buf, "%s %s %s",
                     doge__sg_decoy_words[doge__sg_below(g, (uint64_t)doge__sg_ndecoy)],
                     doge__sg_decoy_words[doge__sg_below(g, (uint64_t)doge__sg_ndecoy)],
                     i % 2 ? "TRADING LLC" : "IMPORTS INC");
            if ((rc = doge__sg_strdup(g, buf, &e.name)))
                break;
            if (doge__sg_unit(g) < 0.7) {
                char u[13];
                for (int j = 0; j < 12; j++)
                    u[j] = chars[doge__sg_below(g, 34)];
                u[0] = 'Z';
                u[12] = '\0';
                if ((rc = doge__sg_strdup(g, u, &e.uei)))
                    break;
            }
        }
        e.active = g->fy_start - 2000 + (int32_t)doge__sg_below(g, 2300);
        if (doge__sg_unit(g) < 0.3)
            e.end = e.active + 365 * 3;
        rc = doge__sg_add_exclusion(g, &e);
    }
    return rc;
}

int doge__sg_plant(sg *g)
{
    int k = (int)(g->o->rows / 20000);
    k = k < 3 ? 3 : k > 40 ? 40 : k;
    int rc = DOGE_OK;
    if (g->kind == DOGE_SPEND_CONTRACTS) {
        if ((rc = over_potential(g, k)) || (rc = splits(g, k)))
            return rc;
    }
    if ((rc = after_end(g, k)) || (rc = duplicates(g, k)))
        return rc;
    if (g->o->exclusions)
        rc = exclusions(g, k);
    return rc;
}

int doge__sg_plant_finish(sg *g)
{
    int rc = DOGE_OK;
    for (int i = 0; i < doge__sg_nagencies && rc == DOGE_OK; i++)
        if (g->digits_n[i] >= DOGE_SPEND_BENFORD_MIN)
            rc = doge__sg_truth(g, DOGE_SPEND_RULE_BENFORD, doge__sg_agencies[i].code,
                                i == g->benford_agency);
    if (g->kind == DOGE_SPEND_CONTRACTS)
        for (int i = 0; i < doge__sg_nagencies && rc == DOGE_OK; i++)
            if (g->competed[i] + g->noncompeted[i] > 0)
                rc = doge__sg_truth(g, DOGE_SPEND_RULE_NONCOMPETED, doge__sg_agencies[i].code,
                                    i == g->noncompeted_agency);
    if (rc == DOGE_OK && g->o->exclusions)
        rc = decoys(g);
    return rc;
}
