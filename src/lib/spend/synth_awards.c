/*
 * synth_awards.c — the synthetic award file (doge/spend_synth.h): tables of
 * agencies (weighted by their share of rows), offices and recipients (a
 * Zipf-weighted pool, so a few recipients get most awards, plus one-off
 * recipients), background awards drawn one at a time (log-normal amounts
 * around $25,000 with sigma 2.3 in natural log, so first digits follow
 * Benford's law; durations log-uniform from 30 days to 5 years; modifications
 * that fund, exercise options, de-obligate and close out), the planted awards
 * of synth_plant.c and synth_receipts.c interleaved at random rows, and one
 * CSV row per action with all of the download's columns. Background awards
 * are clean by construction: base actions just under a purchase threshold go
 * to a one-off recipient, positive actions stay inside the period of
 * performance, obligations stay under the potential value, descriptions and
 * amounts to the cent make accidental duplicates vanishingly rare, and each
 * agency's competition codes are chosen so that its non-competed share stays
 * under 30% (or, for the one agency planted for that rule, above 75%).
 */
#include "doge/date.h"
#include "doge/money.h"
#include "internal.h"
#include "spend/sg_internal.h"
#include "spend/spend_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- randomness ----------------------------------------------------------- */

double doge__sg_unit(sg *g) { return doge_synth_rng_unit(&g->rng); }
uint64_t doge__sg_below(sg *g, uint64_t n) { return doge_synth_rng_below(&g->rng, n); }

double doge__sg_normal(sg *g)
{
    double u1 = doge__sg_unit(g), u2 = doge__sg_unit(g);
    if (u1 < 1e-300)
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

int64_t doge__sg_lognormal_cents(sg *g, double median, double sigma)
{
    double d = median * exp(sigma * doge__sg_normal(g));
    if (d < 1)
        d = 1 + doge__sg_unit(g) * 9;
    if (d > 2e9)
        d = 2e9 * (0.5 + 0.5 * doge__sg_unit(g));
    return (int64_t)(d * 100.0);
}

int64_t doge__sg_between(sg *g, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)doge__sg_below(g, (uint64_t)(hi - lo) + 1);
}

int doge__sg_in_band(int64_t c)
{
    return (c >= DOGE_SPEND_MICRO_PURCHASE * 8 / 10 && c < DOGE_SPEND_MICRO_PURCHASE) ||
           (c >= DOGE_SPEND_SIMPLIFIED * 8 / 10 && c < DOGE_SPEND_SIMPLIFIED);
}

int doge__sg_strdup(sg *g, const char *s, const char **out)
{
    return doge_arena_strdup(g->arena, s, (char **)out);
}

/* ---- recipients ------------------------------------------------------------ */

static const char uei_chars[] = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";

int doge__sg_new_recipient(sg *g, uint32_t *out)
{
    if (g->nrecips == g->caprecips) {
        uint32_t nc = g->caprecips ? g->caprecips * 2 : 4096;
        sg_recipient *r = realloc(g->recips, nc * sizeof *r);
        if (!r)
            return doge__error_oom();
        g->recips = r;
        g->caprecips = nc;
    }
    sg_recipient *r = &g->recips[g->nrecips];
    uint64_t total = (uint64_t)doge__sg_nwords_a * (uint64_t)doge__sg_nwords_g *
                     (uint64_t)doge__sg_nwords_b;
    char name[160], norm[256];
    for (;;) {
        uint64_t seq = g->name_seq++;
        uint64_t idx = (seq * 7919 + 13) % total, round = seq / total;
        int a = (int)(idx % (uint64_t)doge__sg_nwords_a);
        idx /= (uint64_t)doge__sg_nwords_a;
        int gg = (int)(idx % (uint64_t)doge__sg_nwords_g);
        int b = (int)(idx / (uint64_t)doge__sg_nwords_g);
        const char *suffix = doge__sg_suffixes[seq % (uint64_t)doge__sg_nsuffixes];
        char num[24] = "";
        if (round)
            snprintf(num, sizeof num, " %" PRIu64, round + 1);
        snprintf(name, sizeof name, "%s%s%s %s%s%s%s", doge__sg_words_a[a],
                 doge__sg_words_g[gg] ? " " : "", doge__sg_words_g[gg] ? doge__sg_words_g[gg] : "",
                 doge__sg_words_b[b], num, *suffix ? " " : "", suffix);
        size_t nl = doge_spend_name_normalize(name, strlen(name), norm, sizeof norm);
        doge_map_value *slot;
        int inserted, rc = doge_map_upsert(g->names, norm, nl, &slot, &inserted);
        if (rc)
            return rc;
        if (inserted)
            break;
    }
    int rc = doge__sg_strdup(g, name, &r->name);
    if (rc)
        return rc;
    r->uei[0] = uei_chars[doge__sg_below(g, 24 + 9)]; /* a letter or 1..9 */
    if (r->uei[0] == '0')
        r->uei[0] = '1';
    for (int i = 1; i < 12; i++)
        r->uei[i] = uei_chars[doge__sg_below(g, sizeof uei_chars - 1)];
    r->uei[12] = '\0';
    r->state = (uint16_t)doge__sg_below(g, (uint64_t)doge__sg_nstates);
    *out = g->nrecips++;
    return DOGE_OK;
}

const char *doge__sg_recipient_name(const sg *g, uint32_t r) { return g->recips[r].name; }

static uint32_t pick_pool(sg *g)
{
    double u = doge__sg_unit(g) * g->pool_cdf[g->pool - 1];
    uint32_t lo = 0, hi = g->pool - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (g->pool_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- agencies and offices ------------------------------------------------- */

static int pick_agency(sg *g)
{
    double u = doge__sg_unit(g) * g->agency_cdf[doge__sg_nagencies - 1];
    for (int i = 0; i < doge__sg_nagencies; i++)
        if (u < g->agency_cdf[i])
            return i;
    return doge__sg_nagencies - 1;
}

static double weight(const sg *g, int i)
{
    return g->kind == DOGE_SPEND_ASSISTANCE ? doge__sg_agencies[i].weight_a
                                            : doge__sg_agencies[i].weight_c;
}

uint32_t doge__sg_office(sg *g, int agency)
{
    /* A few offices do most of an agency's buying. */
    uint32_t n = g->office_count[agency];
    double u = doge__sg_unit(g);
    uint32_t k = (uint32_t)((double)n * u * u);
    return g->office_first[agency] + (k < n ? k : n - 1);
}

static int nsubs(int agency)
{
    int n = 0;
    while (n < 3 && doge__sg_agencies[agency].sub_code[n])
        n++;
    return n;
}

static int make_offices(sg *g)
{
    uint32_t total = 0, count[SG_MAX_AGENCIES];
    for (int i = 0; i < doge__sg_nagencies; i++) {
        count[i] = 3 + (uint32_t)(weight(g, i) * 2.5);
        total += count[i];
    }
    g->offices = calloc(total, sizeof *g->offices);
    g->office_serial = calloc(total, sizeof *g->office_serial);
    if (!g->offices || !g->office_serial)
        return doge__error_oom();
    doge_map *seen;
    int rc = doge_map_new(&seen, 0, 0);
    if (rc)
        return rc;
    static const char alnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    for (int i = 0; i < doge__sg_nagencies; i++) {
        g->office_first[i] = g->noffices;
        g->office_count[i] = count[i];
        int subs = nsubs(i);
        for (uint32_t k = 0; k < count[i]; k++) {
            sg_office *o = &g->offices[g->noffices];
            o->agency = i;
            o->sub = (int)(k % (uint32_t)subs);
            for (;;) {
                const char *p = doge__sg_agencies[i].prefix[o->sub];
                size_t pl = strlen(p);
                memcpy(o->code, p, pl);
                for (size_t j = pl; j < 6; j++)
                    o->code[j] = alnum[doge__sg_below(g, sizeof alnum - 1)];
                o->code[6] = '\0';
                int inserted;
                doge_map_value *slot;
                if ((rc = doge_map_upsert(seen, o->code, 6, &slot, &inserted))) {
                    doge_map_free(seen);
                    return rc;
                }
                if (inserted)
                    break;
            }
            /* Numbering starts somewhere in the year's run, so the first
             * (planted) awards do not stand out as 0001s. */
            g->office_serial[g->noffices] = (uint32_t)doge__sg_below(g, 300);
            g->noffices++;
        }
    }
    doge_map_free(seen);
    return DOGE_OK;
}

/* ---- the award model ------------------------------------------------------ */

int doge__sg_award_init(sg *g, sg_award *a, int agency, uint32_t office, uint32_t recip,
                        char type)
{
    memset(a, 0, sizeof *a);
    a->agency = agency;
    a->office = office;
    a->sub = g->offices[office].sub;
    a->recip = recip;
    uint32_t serial = ++g->office_serial[office];
    snprintf(a->piid, sizeof a->piid, "%s%02d%c%04u", g->offices[office].code, g->fy % 100, type,
             serial);
    if (g->kind == DOGE_SPEND_CONTRACTS) {
        a->product = (int)doge__sg_below(g, (uint64_t)doge__sg_nproducts);
        a->desc = doge__sg_products[a->product].desc[doge__sg_below(g, 4)];
        snprintf(a->award_type, sizeof a->award_type, "%c",
                 type == 'F' ? 'C' : type == 'P' ? 'B' : type == 'A' ? 'A' : 'D');
    } else {
        a->product = (int)doge__sg_below(g, (uint64_t)doge__sg_nprograms);
        a->desc = doge__sg_programs[a->product].desc[doge__sg_below(g, 3)];
        snprintf(a->award_type, sizeof a->award_type, "%s",
                 (const char *[]){"02", "03", "04", "05", "04", "04"}[doge__sg_below(g, 6)]);
    }
    a->fabricate = agency == g->benford_agency;
    return DOGE_OK;
}

sg_tx *doge__sg_add_tx(sg_award *a, int32_t date, const char *mod, const char *action, int64_t fao,
                       int64_t d_cur, int64_t d_pot, int32_t pop_end)
{
    if (a->ntx >= SG_MAX_TX)
        return NULL;
    sg_tx *t = &a->tx[a->ntx++];
    memset(t, 0, sizeof *t);
    t->date = date;
    t->pop_end = pop_end;
    t->fao = fao;
    t->d_cur = d_cur;
    t->d_pot = d_pot;
    snprintf(t->mod, sizeof t->mod, "%s", mod);
    snprintf(t->action, sizeof t->action, "%s", action);
    return t;
}

static const char *const competed_codes[] = {"A", "A", "A", "A", "D", "E", "F", "F"};
static const char *const noncompeted_codes[] = {"C", "C", "B", "G", "G"};

void doge__sg_finish(sg *g, sg_award *a)
{
    int64_t cur = a->cur0, pot = a->pot0, pos = 0;
    for (int i = 0; i < a->ntx; i++) {
        sg_tx *t = &a->tx[i];
        cur += t->d_cur;
        pot += t->d_pot;
        t->cur = cur;
        t->pot = pot;
        if (t->fao > 0) {
            pos += t->fao;
            if (doge_spend_first_digit(t->fao))
                g->digits_n[a->agency]++;
        }
    }
    if (g->kind != DOGE_SPEND_CONTRACTS)
        return;
    int ag = a->agency;
    if (!a->preset_competed && pos > 0) {
        int nc;
        int64_t known = g->competed[ag] + g->noncompeted[ag];
        if (ag == g->noncompeted_agency) {
            double share = known ? (double)g->noncompeted[ag] / (double)known : 0;
            nc = !(share >= 0.85 && (double)pos < 0.1 * (double)known);
        } else {
            double after = (double)(g->noncompeted[ag] + pos) / (double)(known + pos);
            nc = after <= 0.30 && doge__sg_unit(g) < 0.5;
        }
        int task = a->parent_piid[0] != '\0';
        if (nc)
            snprintf(a->competed, sizeof a->competed, "%s",
                     task ? "NDO" : noncompeted_codes[doge__sg_below(g, 5)]);
        else
            snprintf(a->competed, sizeof a->competed, "%s",
                     task ? "CDO" : competed_codes[doge__sg_below(g, 8)]);
    }
    doge_spend_field f = {a->competed, strlen(a->competed)};
    int cls = doge__spend_noncompeted(&f);
    if (cls == 1)
        g->noncompeted[ag] += pos;
    else if (cls == 0)
        g->competed[ag] += pos;
}

int doge__sg_queue(sg *g, const sg_award *a)
{
    if (g->nqueue == g->capqueue) {
        size_t nc = g->capqueue ? g->capqueue * 2 : 64;
        sg_award **q = realloc(g->queue, nc * sizeof *q);
        if (!q)
            return doge__error_oom();
        g->queue = q;
        g->capqueue = nc;
    }
    sg_award *c = malloc(sizeof *c);
    if (!c)
        return doge__error_oom();
    *c = *a;
    g->queue[g->nqueue++] = c;
    g->queue_rows += (uint64_t)a->ntx;
    return DOGE_OK;
}

int doge__sg_truth(sg *g, int rule, const char *key, int planted)
{
    if (planted)
        g->planted[rule]++;
    else
        g->clean[rule]++;
    return doge_buf_printf(&g->truth, "%s,%s,%s\n", doge_spend_rule_name(rule), key,
                           planted ? "planted" : "clean");
}

int doge__sg_add_exclusion(sg *g, const sg_excl *e)
{
    if (g->nexcl == g->capexcl) {
        size_t nc = g->capexcl ? g->capexcl * 2 : 64;
        sg_excl *x = realloc(g->excl, nc * sizeof *x);
        if (!x)
            return doge__error_oom();
        g->excl = x;
        g->capexcl = nc;
    }
    g->excl[g->nexcl++] = *e;
    return DOGE_OK;
}

void doge__sg_award_key(const sg *g, const sg_award *a, char *out, size_t cap)
{
    const char *sub = doge__sg_agencies[a->agency].sub_code[a->sub];
    if (g->kind == DOGE_SPEND_ASSISTANCE)
        snprintf(out, cap, "ASST_NON_%s_%s", a->piid, sub);
    else if (a->idv)
        snprintf(out, cap, "CONT_IDV_%s_%s", a->piid, sub);
    else
        snprintf(out, cap, "CONT_AWD_%s_%s_%s_%s", a->piid, sub,
                 a->parent_piid[0] ? a->parent_piid : "-NONE-",
                 a->parent_agency[0] ? a->parent_agency : "-NONE-");
}

/* ---- background awards ------------------------------------------------------ */

static int64_t amount(sg *g, const sg_award *a, double median, double sigma)
{
    if (a->fabricate && doge__sg_unit(g) < 0.6) {
        /* Made-up figures: first digits spread evenly, not as Benford. */
        double d = 1 + (double)doge__sg_below(g, 9) + doge__sg_unit(g);
        double e = pow(10.0, 2 + (double)doge__sg_below(g, 4));
        return (int64_t)(d * e * 100.0);
    }
    return doge__sg_lognormal_cents(g, median, sigma);
}

/* Descriptions of modifications, by kind; the funding ones name the
 * contract line and the PIID, as many real ones do, so that two awards'
 * routine actions are not mistaken for one duplicated payment. */
static const char *const funding_desc[] = {"INCREMENTAL FUNDING", "FUNDING ACTION",
                                           "ADD FUNDS", "PROVIDE \"ON-SITE\" SUPPORT, FUNDING"};
static const char *const admin_desc[] = {"ADMINISTRATIVE CHANGE", "CHANGE CONTRACTING OFFICER",
                                         "UPDATE ACCOUNTING DATA", "CHANGE ORDER, NO COST"};

static void describe(sg_tx *t, const char *what, const sg_award *a, int line)
{
    snprintf(t->descbuf, sizeof t->descbuf, "%s, CLIN %04d, %s", what, line, a->piid);
}

static int background(sg *g, sg_award *a, int maxtx)
{
    int ag = pick_agency(g);
    uint32_t recip = pick_pool(g);
    int contracts = g->kind == DOGE_SPEND_CONTRACTS;
    double u = doge__sg_unit(g);
    char type = contracts ? (u < 0.45 ? 'P' : u < 0.75 ? 'F' : u < 0.85 ? 'A' : 'C') : 'G';
    uint32_t office = doge__sg_office(g, ag);
    doge__sg_award_init(g, a, ag, office, recip, type);
    if (type == 'F' || type == 'A') {
        /* An order under a vehicle of the same office. */
        snprintf(a->parent_piid, sizeof a->parent_piid, "%s%02dD%04u", g->offices[office].code,
                 (g->fy - 1 - (int)doge__sg_below(g, 4)) % 100, 1 + (unsigned)doge__sg_below(g, 400));
        snprintf(a->parent_agency, sizeof a->parent_agency, "%s",
                 doge__sg_agencies[ag].sub_code[a->sub]);
        a->parent_multiple = doge__sg_unit(g) < 0.6 ? 'M' : 'S';
    }
    double median = contracts ? 25000 : 150000;
    int older = doge__sg_unit(g) < 0.15;
    int32_t span = g->fy_end - g->fy_start;
    int32_t duration = (int32_t)exp(log(30.0) + doge__sg_unit(g) * (log(1825.0) - log(30.0)));
    int64_t base = amount(g, a, median, 2.3);
    int64_t cum = 0;
    int32_t start, pop_end, first_mod;
    if (older) {
        start = g->fy_start - 30 - (int32_t)doge__sg_below(g, 700);
        pop_end = start + duration;
        a->pop_start = start;
        a->prior = base;
        a->cur0 = base + base / 10 * (int64_t)doge__sg_below(g, 3);
        a->pot0 = a->cur0 + a->cur0 / 4 * (int64_t)doge__sg_below(g, 6);
        cum = base;
        first_mod = g->fy_start;
    } else {
        start = g->fy_start + (int32_t)doge__sg_below(g, (uint64_t)span - 5);
        pop_end = start + duration;
        a->pop_start = start;
        int64_t cur = base + base / 20 * (int64_t)doge__sg_below(g, 6);
        int64_t pot = cur + cur / 4 * (int64_t)doge__sg_below(g, 7);
        if (contracts && doge__sg_in_band(base)) {
            /* Just under a threshold: a one-off recipient, never a split. */
            int rc = doge__sg_new_recipient(g, &a->recip);
            if (rc)
                return rc;
        }
        doge__sg_add_tx(a, start, "0", contracts ? "" : "A", base, cur, pot, pop_end);
        cum = base;
        first_mod = start + 1;
    }
    /* Modifications, dated in order inside the period and the year. */
    int k = 0;
    while (k < 8 && doge__sg_unit(g) < 0.55)
        k++;
    int32_t last = pop_end < g->fy_end ? pop_end : g->fy_end;
    int32_t d = first_mod;
    int seq = older ? 3 + (int)doge__sg_below(g, 5) : 1;
    for (int i = 0; i < k && a->ntx < maxtx && d <= last; i++) {
        /* Spread out: up to four months apart, not piled up at the end. */
        int32_t gap = last - d < 120 ? last - d : 120;
        d += 1 + (int32_t)doge__sg_below(g, (uint64_t)(gap > 0 ? gap : 0) + 1);
        if (d > last)
            break;
        char mod[16];
        if (contracts)
            snprintf(mod, sizeof mod, "P%05d", seq++);
        else
            snprintf(mod, sizeof mod, "%d", seq++);
        double r = doge__sg_unit(g);
        int line = 1 + (int)doge__sg_below(g, 9);
        sg_tx *t;
        if (r < 0.45) { /* funding */
            int64_t f = amount(g, a, (double)base / 100.0 * 0.3, 1.0);
            t = doge__sg_add_tx(a, d, mod, contracts ? "C" : "B", f, 0, 0, pop_end);
            describe(t, funding_desc[doge__sg_below(g, 4)], a, line);
            cum += f;
        } else if (r < 0.60 && contracts) { /* option exercised and funded */
            int64_t f = amount(g, a, (double)base / 100.0 * 0.5, 0.8);
            t = doge__sg_add_tx(a, d, mod, "G", f, f, 0, pop_end);
            describe(t, "EXERCISE OPTION", a, line);
            cum += f;
        } else if (r < 0.80) { /* administrative */
            t = doge__sg_add_tx(a, d, mod, contracts ? "M" : "C", 0, 0, 0, pop_end);
            if (doge__sg_unit(g) < 0.7)
                t->desc = admin_desc[doge__sg_below(g, 4)];
        } else { /* de-obligation */
            int64_t f = cum / 10 * (1 + (int64_t)doge__sg_below(g, 3));
            t = doge__sg_add_tx(a, d, mod, "C", -f, 0, 0, pop_end);
            describe(t, "DE-OBLIGATE EXCESS FUNDS", a, line);
            cum -= f;
        }
    }
    /* A close-out after the end, inside the year: never new money. */
    if (pop_end < g->fy_end && a->ntx < maxtx && doge__sg_unit(g) < 0.3) {
        int32_t cd = pop_end + 1 + (int32_t)doge__sg_below(g, (uint64_t)(g->fy_end - pop_end));
        if (cd > (a->ntx ? a->tx[a->ntx - 1].date : g->fy_start) && cd >= g->fy_start) {
            char mod[16];
            if (contracts)
                snprintf(mod, sizeof mod, "P%05d", seq++);
            else
                snprintf(mod, sizeof mod, "%d", seq++);
            int64_t f = cum > 0 ? cum / 50 : 0;
            sg_tx *t = doge__sg_add_tx(a, cd, mod, contracts ? "K" : "D", -f, 0, 0, pop_end);
            if (t)
                snprintf(t->descbuf, sizeof t->descbuf, "CLOSEOUT %s", a->piid);
            cum -= f;
        }
    }
    if (a->ntx == 0) {
        /* An older award with no action this year: one administrative one. */
        int32_t dd = g->fy_start + (int32_t)doge__sg_below(g, (uint64_t)span);
        doge__sg_add_tx(a, dd, contracts ? "P00002" : "2", contracts ? "M" : "C", 0, 0, 0,
                        pop_end < dd ? dd + 30 : pop_end);
    }
    /* Values never below what was obligated: raise the first values. */
    int64_t run = a->prior, maxcum = a->prior, cur = a->cur0, pot = a->pot0;
    for (int i = 0; i < a->ntx; i++) {
        run += a->tx[i].fao;
        maxcum = run > maxcum ? run : maxcum;
        cur += a->tx[i].d_cur;
        pot += a->tx[i].d_pot;
    }
    int64_t add_cur = maxcum > cur ? maxcum - cur : 0;
    int64_t add_pot = cur + add_cur > pot ? cur + add_cur - pot : 0;
    if (older) {
        a->cur0 += add_cur;
        a->pot0 += add_pot;
    } else {
        a->tx[0].d_cur += add_cur;
        a->tx[0].d_pot += add_pot;
    }
    if (doge__sg_unit(g) < 0.002 && a->ntx)
        a->tx[0].desc = "REPAIR AND MAINTENANCE\nPERIOD OF PERFORMANCE PER ATTACHMENT 1";
    return DOGE_OK;
}

/* ---- rows ---------------------------------------------------------------------- */

enum {
    R_EMPTY, R_FLAG, R_CODE, R_CODE_DESC, R_ZERO, R_TXN_KEY, R_AWARD_KEY, R_PIID, R_MOD,
    R_TXN_NUMBER, R_PARENT_AGENCY_ID, R_PARENT_AGENCY_NAME, R_PARENT_PIID, R_PARENT_MOD, R_FAO,
    R_TOTAL_OBL, R_OUTLAYS, R_D_CUR, R_CUR, R_D_POT, R_POT, R_ACTION_DATE, R_FY, R_POP_START,
    R_POP_END, R_POP_POT_END, R_ORDERING_END, R_SOLICIT_DATE, R_AG_CODE, R_AG_NAME, R_SUB_CODE,
    R_SUB_NAME, R_OFFICE_CODE, R_OFFICE_NAME, R_TAS, R_FED_ACCT, R_OBJ_CLASS, R_PROG_ACT, R_UEI,
    R_RECIP_NAME, R_CAGE, R_COUNTRY_CODE, R_COUNTRY_NAME, R_ADDR1, R_CITY, R_STATE_CODE,
    R_STATE_NAME, R_ZIP, R_CD, R_PHONE, R_IDV_FLAG, R_AWARD_TYPE_CODE, R_AWARD_TYPE,
    R_IDV_TYPE_CODE, R_IDV_TYPE, R_MULT_CODE, R_MULT, R_PRICING_CODE, R_PRICING, R_DESC,
    R_BASE_DESC, R_ACTION_CODE, R_ACTION, R_SOLICITATION, R_ONE, R_PSC, R_PSC_DESC, R_NAICS,
    R_NAICS_DESC, R_COMPETED_CODE, R_COMPETED, R_OFFERS, R_PARENT_TYPE_CODE, R_PARENT_TYPE,
    R_PARENT_MULT_CODE, R_PARENT_MULT, R_BIZ_SIZE, R_BIZ_SIZE_CODE, R_ORG_TYPE, R_PERMALINK,
    R_INITIAL_REPORT, R_LAST_MODIFIED, R_CFDA, R_CFDA_TITLE, R_ASSIST_TYPE_CODE, R_ASSIST_TYPE,
    R_BIZ_TYPES_CODE, R_BIZ_TYPES, R_RECORD_TYPE_CODE, R_RECORD_TYPE, R_POP_SCOPE, R_POP_CODE,
    R_FOREIGN_FUNDING, R_USA
};

static const struct {
    const char *name;
    uint8_t role;
} named_roles[] = {
    {"contract_transaction_unique_key", R_TXN_KEY}, {"assistance_transaction_unique_key", R_TXN_KEY},
    {"contract_award_unique_key", R_AWARD_KEY}, {"assistance_award_unique_key", R_AWARD_KEY},
    {"award_id_piid", R_PIID}, {"award_id_fain", R_PIID}, {"modification_number", R_MOD},
    {"transaction_number", R_TXN_NUMBER}, {"parent_award_agency_id", R_PARENT_AGENCY_ID},
    {"parent_award_agency_name", R_PARENT_AGENCY_NAME}, {"parent_award_id_piid", R_PARENT_PIID},
    {"parent_award_modification_number", R_PARENT_MOD}, {"federal_action_obligation", R_FAO},
    {"total_dollars_obligated", R_TOTAL_OBL}, {"total_obligated_amount", R_TOTAL_OBL},
    {"generated_pragmatic_obligations", R_FAO},
    {"total_outlayed_amount_for_overall_award", R_OUTLAYS},
    {"base_and_exercised_options_value", R_D_CUR}, {"current_total_value_of_award", R_CUR},
    {"base_and_all_options_value", R_D_POT}, {"potential_total_value_of_award", R_POT},
    {"action_date", R_ACTION_DATE}, {"action_date_fiscal_year", R_FY},
    {"period_of_performance_start_date", R_POP_START},
    {"period_of_performance_current_end_date", R_POP_END},
    {"period_of_performance_potential_end_date", R_POP_POT_END},
    {"ordering_period_end_date", R_ORDERING_END}, {"solicitation_date", R_SOLICIT_DATE},
    {"awarding_agency_code", R_AG_CODE}, {"funding_agency_code", R_AG_CODE},
    {"awarding_agency_name", R_AG_NAME}, {"funding_agency_name", R_AG_NAME},
    {"awarding_sub_agency_code", R_SUB_CODE}, {"funding_sub_agency_code", R_SUB_CODE},
    {"awarding_sub_agency_name", R_SUB_NAME}, {"funding_sub_agency_name", R_SUB_NAME},
    {"awarding_office_code", R_OFFICE_CODE}, {"funding_office_code", R_OFFICE_CODE},
    {"awarding_office_name", R_OFFICE_NAME}, {"funding_office_name", R_OFFICE_NAME},
    {"treasury_accounts_funding_this_award", R_TAS},
    {"federal_accounts_funding_this_award", R_FED_ACCT},
    {"object_classes_funding_this_award", R_OBJ_CLASS},
    {"program_activities_funding_this_award", R_PROG_ACT}, {"recipient_uei", R_UEI},
    {"recipient_parent_uei", R_UEI}, {"recipient_name", R_RECIP_NAME},
    {"recipient_name_raw", R_RECIP_NAME}, {"recipient_parent_name", R_RECIP_NAME},
    {"recipient_parent_name_raw", R_RECIP_NAME}, {"cage_code", R_CAGE},
    {"recipient_country_code", R_COUNTRY_CODE}, {"recipient_country_name", R_COUNTRY_NAME},
    {"primary_place_of_performance_country_code", R_COUNTRY_CODE},
    {"primary_place_of_performance_country_name", R_COUNTRY_NAME},
    {"recipient_address_line_1", R_ADDR1}, {"recipient_city_name", R_CITY},
    {"primary_place_of_performance_city_name", R_CITY}, {"recipient_state_code", R_STATE_CODE},
    {"primary_place_of_performance_state_code", R_STATE_CODE},
    {"recipient_state_name", R_STATE_NAME}, {"primary_place_of_performance_state_name", R_STATE_NAME},
    {"recipient_zip_4_code", R_ZIP}, {"recipient_zip_code", R_ZIP},
    {"primary_place_of_performance_zip_4", R_ZIP},
    {"prime_award_transaction_recipient_cd_original", R_CD},
    {"prime_award_transaction_recipient_cd_current", R_CD},
    {"prime_award_transaction_place_of_performance_cd_original", R_CD},
    {"prime_award_transaction_place_of_performance_cd_current", R_CD},
    {"recipient_phone_number", R_PHONE}, {"recipient_fax_number", R_PHONE},
    {"award_or_idv_flag", R_IDV_FLAG}, {"award_type_code", R_AWARD_TYPE_CODE},
    {"award_type", R_AWARD_TYPE}, {"idv_type_code", R_IDV_TYPE_CODE}, {"idv_type", R_IDV_TYPE},
    {"multiple_or_single_award_idv_code", R_MULT_CODE}, {"multiple_or_single_award_idv", R_MULT},
    {"type_of_contract_pricing_code", R_PRICING_CODE}, {"type_of_contract_pricing", R_PRICING},
    {"transaction_description", R_DESC}, {"prime_award_base_transaction_description", R_BASE_DESC},
    {"action_type_code", R_ACTION_CODE}, {"action_type", R_ACTION},
    {"action_type_description", R_ACTION}, {"solicitation_identifier", R_SOLICITATION},
    {"number_of_actions", R_ONE}, {"product_or_service_code", R_PSC},
    {"product_or_service_code_description", R_PSC_DESC}, {"naics_code", R_NAICS},
    {"naics_description", R_NAICS_DESC}, {"extent_competed_code", R_COMPETED_CODE},
    {"extent_competed", R_COMPETED}, {"number_of_offers_received", R_OFFERS},
    {"parent_award_type_code", R_PARENT_TYPE_CODE}, {"parent_award_type", R_PARENT_TYPE},
    {"parent_award_single_or_multiple_code", R_PARENT_MULT_CODE},
    {"parent_award_single_or_multiple", R_PARENT_MULT},
    {"contracting_officers_determination_of_business_size", R_BIZ_SIZE},
    {"contracting_officers_determination_of_business_size_code", R_BIZ_SIZE_CODE},
    {"organizational_type", R_ORG_TYPE}, {"usaspending_permalink", R_PERMALINK},
    {"initial_report_date", R_INITIAL_REPORT}, {"last_modified_date", R_LAST_MODIFIED},
    {"cfda_number", R_CFDA}, {"cfda_title", R_CFDA_TITLE},
    {"assistance_type_code", R_ASSIST_TYPE_CODE}, {"assistance_type_description", R_ASSIST_TYPE},
    {"business_types_code", R_BIZ_TYPES_CODE}, {"business_types_description", R_BIZ_TYPES},
    {"record_type_code", R_RECORD_TYPE_CODE}, {"record_type_description", R_RECORD_TYPE},
    {"primary_place_of_performance_scope", R_POP_SCOPE},
    {"primary_place_of_performance_code", R_POP_CODE}, {"foreign_funding", R_FOREIGN_FUNDING},
    {"domestic_or_foreign_entity_code", R_USA}, {"country_of_product_or_service_origin_code", R_USA},
};

static uint8_t role_of(const char *name, int in_flags)
{
    for (size_t i = 0; i < sizeof named_roles / sizeof named_roles[0]; i++)
        if (strcmp(named_roles[i].name, name) == 0)
            return named_roles[i].role;
    size_t n = strlen(name);
    if (strstr(name, "highly_compensated") || strstr(name, "COVID") || strstr(name, "IIJA"))
        return strstr(name, "amount") ? R_ZERO : R_EMPTY;
    if (in_flags)
        return R_FLAG;
    if (n > 5 && strcmp(name + n - 5, "_code") == 0)
        return R_CODE;
    if (strstr(name, "amount") || strstr(name, "value") || strstr(name, "cost"))
        return R_ZERO;
    return R_CODE_DESC;
}

static int assign_roles(sg *g)
{
    int n = 0;
    while (g->cols[n])
        n++;
    g->ncols = n;
    g->role = calloc((size_t)n, 1);
    if (!g->role)
        return doge__error_oom();
    int in_flags = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(g->cols[i], "alaskan_native_corporation_owned_firm") == 0)
            in_flags = 1;
        g->role[i] = role_of(g->cols[i], in_flags);
        if (strcmp(g->cols[i], "sba_certified_8a_joint_venture") == 0)
            in_flags = 0;
    }
    return DOGE_OK;
}

static const char *const filler_codes[] = {"N", "X", "A", "D", "NONE", "Z", "B", "S", "2", "Y"};
static const char *const filler_desc[] = {
    "NO",           "NOT APPLICABLE", "YES",   "NONE",      "NOT REQUIRED",
    "NOT OBTAINED", "TRANSACTION USES GOVERNMENT-WIDE RATES", "NO SET ASIDE USED.", "U.S. OWNED BUSINESS",
    "SMALL BUSINESS",
};

static const char *day_text(int32_t d, char *buf)
{
    if (doge_date_format(d, buf, DOGE_DATE_STRLEN) != DOGE_OK)
        buf[0] = '\0';
    return buf;
}

static int field(sg *g, const char *s) { return doge_csv_field_str(&g->csv, s); }

static int emit_row(sg *g, const sg_award *a, int i, const char *award_key, uint64_t bits)
{
    const sg_tx *t = &a->tx[i];
    const sg_agency_def *ag = &doge__sg_agencies[a->agency];
    const sg_recipient *r = &g->recips[a->recip];
    const char *const *st = doge__sg_states[r->state];
    int contracts = g->kind == DOGE_SPEND_CONTRACTS;
    char b[512], d1[16];
    int rc = 0, run_ok = 1;
    int64_t total = a->prior;
    for (int k = 0; k < a->ntx; k++)
        total += a->tx[k].fao;
    for (int c = 0; c < g->ncols && rc == 0; c++) {
        uint8_t role = g->role[c];
        switch (role) {
        case R_EMPTY: rc = doge_csv_field(&g->csv, "", 0); break;
        case R_FLAG: rc = field(g, (bits >> (c & 63)) & (bits >> ((c + 17) & 63)) & 1 ? "t" : "f"); break;
        case R_CODE: rc = field(g, filler_codes[(bits >> (c % 40)) % 10]); break;
        case R_CODE_DESC: rc = field(g, filler_desc[(bits >> ((c + 3) % 40)) % 10]); break;
        case R_ZERO: rc = field(g, (c + (int)bits) & 1 ? "0.0" : ""); break;
        case R_TXN_KEY:
            if (contracts)
                snprintf(b, sizeof b, "%s_%s_%s_%s_%s_0", ag->sub_code[a->sub],
                         a->parent_agency[0] ? a->parent_agency : "-NONE-", a->piid, t->mod,
                         a->parent_piid[0] ? a->parent_piid : "-NONE-");
            else
                snprintf(b, sizeof b, "%s_%s_-NONE-_%s_%s", ag->sub_code[a->sub], a->piid,
                         doge__sg_programs[a->product].cfda, t->mod);
            rc = field(g, b);
            break;
        case R_AWARD_KEY: rc = field(g, award_key); break;
        case R_PIID: rc = field(g, a->piid); break;
        case R_MOD: rc = field(g, t->mod); break;
        case R_TXN_NUMBER: rc = field(g, "0"); break;
        case R_PARENT_AGENCY_ID: rc = field(g, a->parent_agency); break;
        case R_PARENT_AGENCY_NAME: rc = field(g, a->parent_agency[0] ? ag->sub_name[a->sub] : ""); break;
        case R_PARENT_PIID: rc = field(g, a->parent_piid); break;
        case R_PARENT_MOD: rc = field(g, a->parent_piid[0] ? "P00001" : ""); break;
        case R_FAO: rc = doge_csv_field_cents(&g->csv, t->fao); break;
        case R_TOTAL_OBL: rc = doge_csv_field_cents(&g->csv, total); break;
        case R_OUTLAYS: rc = doge_csv_field_cents(&g->csv, total > 0 ? total / 100 * (int64_t)(bits % 90) : 0); break;
        case R_D_CUR: rc = doge_csv_field_cents(&g->csv, t->d_cur); break;
        case R_CUR: rc = doge_csv_field_cents(&g->csv, t->cur); break;
        case R_D_POT: rc = doge_csv_field_cents(&g->csv, t->d_pot); break;
        case R_POT: rc = doge_csv_field_cents(&g->csv, t->pot); break;
        case R_ACTION_DATE: rc = field(g, day_text(t->date, d1)); break;
        case R_FY: {
            int y, m, d;
            doge_date_to_ymd(t->date, &y, &m, &d);
            rc = doge_csv_field_i64(&g->csv, m >= 10 ? y + 1 : y);
            break;
        }
        case R_POP_START: rc = field(g, day_text(a->pop_start, d1)); break;
        case R_POP_END: rc = field(g, day_text(t->pop_end, d1)); break;
        case R_POP_POT_END: rc = field(g, contracts ? day_text(t->pop_end + (int32_t)(bits % 700), d1) : ""); break;
        case R_ORDERING_END: rc = field(g, a->idv ? day_text(t->pop_end, d1) : ""); break;
        case R_SOLICIT_DATE: rc = field(g, (bits & 3) ? "" : day_text(a->pop_start - 40, d1)); break;
        case R_AG_CODE: rc = field(g, ag->code); break;
        case R_AG_NAME: rc = field(g, ag->name); break;
        case R_SUB_CODE: rc = field(g, ag->sub_code[a->sub]); break;
        case R_SUB_NAME: rc = field(g, ag->sub_name[a->sub]); break;
        case R_OFFICE_CODE: rc = field(g, g->offices[a->office].code); break;
        case R_OFFICE_NAME:
            snprintf(b, sizeof b, "%s CONTRACTING OFFICE %s", ag->sub_name[a->sub],
                     g->offices[a->office].code);
            rc = field(g, b);
            break;
        case R_TAS:
            snprintf(b, sizeof b, "%s-X-%04u-000", ag->code, (unsigned)(bits % 9000) + 100);
            rc = field(g, b);
            break;
        case R_FED_ACCT:
            snprintf(b, sizeof b, "%s-%04u", ag->code, (unsigned)(bits % 9000) + 100);
            rc = field(g, b);
            break;
        case R_OBJ_CLASS: rc = field(g, contracts ? "25.2: Other services from non-Federal sources" : "41.0: Grants, subsidies, and contributions"); break;
        case R_PROG_ACT: rc = field(g, (bits & 4) ? "0001: PROGRAM OPERATIONS" : ""); break;
        case R_UEI: rc = field(g, r->uei); break;
        case R_RECIP_NAME: rc = field(g, r->name); break;
        case R_CAGE:
            snprintf(b, sizeof b, "%c%04u", 'A' + (int)(a->recip % 26), (unsigned)(a->recip % 10000));
            rc = field(g, b);
            break;
        case R_COUNTRY_CODE: rc = field(g, "USA"); break;
        case R_COUNTRY_NAME: rc = field(g, "UNITED STATES"); break;
        case R_USA: rc = field(g, (bits & 8) ? "A" : "USA"); break;
        case R_ADDR1:
            snprintf(b, sizeof b, "%u %s AVE STE %u", 100 + a->recip % 9000,
                     doge__sg_words_a[a->recip % (uint32_t)doge__sg_nwords_a], 100 + a->recip % 400);
            rc = field(g, b);
            break;
        case R_CITY: rc = field(g, st[2]); break;
        case R_STATE_CODE: rc = field(g, st[0]); break;
        case R_STATE_NAME: rc = field(g, st[1]); break;
        case R_ZIP:
            snprintf(b, sizeof b, "%05u%04u", 20000 + r->state * 3001 % 70000, a->recip % 10000);
            rc = field(g, b);
            break;
        case R_CD:
            snprintf(b, sizeof b, "%s-%02u", st[0], 1 + a->recip % 9);
            rc = field(g, b);
            break;
        case R_PHONE:
            snprintf(b, sizeof b, "%03u%07u", 200 + a->recip % 700, a->recip * 37 % 10000000);
            rc = field(g, b);
            break;
        case R_IDV_FLAG: rc = field(g, a->idv ? "IDV" : "AWARD"); break;
        case R_AWARD_TYPE_CODE: rc = field(g, a->idv ? "" : a->award_type); break;
        case R_AWARD_TYPE: {
            static const char *const names[] = {"BPA CALL", "PURCHASE ORDER", "DELIVERY ORDER",
                                                "DEFINITIVE CONTRACT"};
            rc = field(g, a->idv ? "" : names[(a->award_type[0] - 'A') & 3]);
            break;
        }
        case R_IDV_TYPE_CODE: rc = field(g, a->idv ? a->award_type : ""); break;
        case R_IDV_TYPE: rc = field(g, a->idv ? "IDC" : ""); break;
        case R_MULT_CODE: rc = field(g, a->idv ? (a->multiple == 'M' ? "M" : "S") : ""); break;
        case R_MULT: rc = field(g, a->idv ? (a->multiple == 'M' ? "MULTIPLE AWARD" : "SINGLE AWARD") : ""); break;
        case R_PRICING_CODE: rc = field(g, (bits & 16) ? "J" : "Y"); break;
        case R_PRICING: rc = field(g, (bits & 16) ? "FIRM FIXED PRICE" : "TIME AND MATERIALS"); break;
        case R_DESC: rc = field(g, t->descbuf[0] ? t->descbuf : t->desc ? t->desc : a->desc); break;
        case R_BASE_DESC: rc = field(g, a->desc); break;
        case R_ACTION_CODE: rc = field(g, t->action); break;
        case R_ACTION: {
            const char *x = t->action;
            const char *txt = !*x ? ""
                              : contracts
                                  ? (*x == 'C'   ? "FUNDING ONLY ACTION"
                                     : *x == 'G' ? "EXERCISE AN OPTION"
                                     : *x == 'M' ? "OTHER ADMINISTRATIVE ACTION"
                                     : *x == 'K' ? "CLOSE OUT"
                                     : *x == 'F' ? "TERMINATE FOR CONVENIENCE (COMPLETE OR PARTIAL)"
                                     : *x == 'E' ? "TERMINATE FOR DEFAULT (COMPLETE OR PARTIAL)"
                                     : *x == 'B' ? "SUPPLEMENTAL AGREEMENT FOR WORK WITHIN SCOPE"
                                                 : "OTHER")
                                  : (*x == 'A'   ? "NEW"
                                     : *x == 'B' ? "CONTINUATION"
                                     : *x == 'C' ? "REVISION"
                                     : *x == 'D' ? "ADJUSTMENT TO COMPLETED PROJECT"
                                                 : "OTHER");
            rc = field(g, txt);
            break;
        }
        case R_SOLICITATION: rc = field(g, a->solicitation); break;
        case R_ONE: rc = field(g, "1"); break;
        case R_PSC: rc = field(g, a->lease ? "X1AA" : doge__sg_products[a->product].psc); break;
        case R_PSC_DESC: rc = field(g, a->lease ? "LEASE/RENTAL OF OFFICE BUILDINGS" : doge__sg_products[a->product].psc_desc); break;
        case R_NAICS: rc = field(g, a->lease ? "531120" : doge__sg_products[a->product].naics); break;
        case R_NAICS_DESC: rc = field(g, a->lease ? "LESSORS OF NONRESIDENTIAL BUILDINGS (EXCEPT MINIWAREHOUSES)" : doge__sg_products[a->product].naics_desc); break;
        case R_COMPETED_CODE: rc = field(g, a->competed); break;
        case R_COMPETED: {
            const char *x = a->competed;
            rc = field(g, !*x ? ""
                          : strcmp(x, "A") == 0 ? "FULL AND OPEN COMPETITION"
                          : strcmp(x, "B") == 0 ? "NOT AVAILABLE FOR COMPETITION"
                          : strcmp(x, "C") == 0 ? "NOT COMPETED"
                          : strcmp(x, "D") == 0 ? "FULL AND OPEN COMPETITION AFTER EXCLUSION OF SOURCES"
                          : strcmp(x, "E") == 0 ? "FOLLOW ON TO COMPETED ACTION"
                          : strcmp(x, "F") == 0 ? "COMPETED UNDER SAP"
                          : strcmp(x, "G") == 0 ? "NOT COMPETED UNDER SAP"
                          : strcmp(x, "CDO") == 0 ? "COMPETITIVE DELIVERY ORDER"
                                                  : "NON-COMPETITIVE DELIVERY ORDER");
            break;
        }
        case R_OFFERS: rc = doge_csv_field_i64(&g->csv, 1 + (int64_t)(bits % 7)); break;
        case R_PARENT_TYPE_CODE: rc = field(g, a->parent_piid[0] ? "B" : ""); break;
        case R_PARENT_TYPE: rc = field(g, a->parent_piid[0] ? "IDC" : ""); break;
        case R_PARENT_MULT_CODE: rc = field(g, a->parent_multiple == 'M' ? "M" : a->parent_multiple == 'S' ? "S" : ""); break;
        case R_PARENT_MULT: rc = field(g, a->parent_multiple == 'M' ? "MULTIPLE AWARD" : a->parent_multiple == 'S' ? "SINGLE AWARD" : ""); break;
        case R_BIZ_SIZE: rc = field(g, (bits & 32) ? "SMALL BUSINESS" : "OTHER THAN SMALL BUSINESS"); break;
        case R_BIZ_SIZE_CODE: rc = field(g, (bits & 32) ? "S" : "O"); break;
        case R_ORG_TYPE: rc = field(g, "CORPORATE NOT TAX EXEMPT"); break;
        case R_PERMALINK:
            snprintf(b, sizeof b, "https://www.usaspending.gov/award/%s/", award_key);
            rc = field(g, b);
            break;
        case R_INITIAL_REPORT: rc = field(g, day_text(t->date + 2, d1)); break;
        case R_LAST_MODIFIED:
            snprintf(b, sizeof b, "%s %02u:%02u:%02u", day_text(t->date + 3, d1),
                     (unsigned)(bits % 24), (unsigned)(bits / 24 % 60), (unsigned)(bits / 1440 % 60));
            rc = field(g, b);
            break;
        case R_CFDA: rc = field(g, doge__sg_programs[a->product].cfda); break;
        case R_CFDA_TITLE: rc = field(g, doge__sg_programs[a->product].title); break;
        case R_ASSIST_TYPE_CODE: rc = field(g, a->award_type); break;
        case R_ASSIST_TYPE:
            rc = field(g, strcmp(a->award_type, "02") == 0   ? "BLOCK GRANT (A)"
                          : strcmp(a->award_type, "03") == 0 ? "FORMULA GRANT (A)"
                          : strcmp(a->award_type, "05") == 0 ? "COOPERATIVE AGREEMENT (B)"
                                                             : "PROJECT GRANT (B)");
            break;
        case R_BIZ_TYPES_CODE: rc = field(g, (bits & 64) ? "H" : "A"); break;
        case R_BIZ_TYPES: rc = field(g, (bits & 64) ? "PUBLIC/STATE CONTROLLED INSTITUTION OF HIGHER EDUCATION" : "STATE GOVERNMENT"); break;
        case R_RECORD_TYPE_CODE: rc = field(g, "2"); break;
        case R_RECORD_TYPE: rc = field(g, "NON-AGGREGATE RECORD"); break;
        case R_POP_SCOPE: rc = field(g, "SINGLE ZIP CODE"); break;
        case R_POP_CODE:
            snprintf(b, sizeof b, "%s%05u", st[0], a->recip % 100000);
            rc = field(g, b);
            break;
        case R_FOREIGN_FUNDING: rc = field(g, "X"); break;
        default: rc = doge_csv_field(&g->csv, "", 0); run_ok = 0; break;
        }
    }
    (void)run_ok;
    if (rc == 0)
        rc = doge_csv_end_row(&g->csv);
    return rc;
}

static int flush_rows(sg *g, int force)
{
    if (g->row.len == 0 || (!force && g->row.len < ((size_t)4 << 20)))
        return DOGE_OK;
    if (fwrite(g->row.data, 1, g->row.len, g->out) != g->row.len)
        return doge__error_set(DOGE_EIO, "synth awards: write failed");
    g->bytes += g->row.len;
    doge_buf_reset(&g->row);
    return DOGE_OK;
}

static int emit(sg *g, sg_award *a)
{
    doge__sg_finish(g, a);
    char key[160];
    doge__sg_award_key(g, a, key, sizeof key);
    uint64_t bits = doge_synth_rng_next(&g->rng);
    int rc = DOGE_OK;
    for (int i = 0; i < a->ntx && rc == DOGE_OK; i++)
        rc = emit_row(g, a, i, key, bits ^ ((uint64_t)i * 0x9E3779B97F4A7C15ULL));
    g->rows += (uint64_t)a->ntx;
    g->awards++;
    if (rc == DOGE_OK)
        rc = flush_rows(g, 0);
    if (g->progress && (g->awards & 1023) == 0)
        doge_progress_update(g->progress, g->rows);
    return rc;
}

/* ---- files ---------------------------------------------------------------------- */

static int write_exclusions(sg *g, const char *path)
{
    static const char *const cols[] = {
        "Classification", "Name", "Prefix", "First", "Middle", "Last", "Suffix", "Address 1",
        "Address 2", "Address 3", "Address 4", "City", "State / Province", "Country", "Zip Code",
        "Open Data Flag", "Blank (Deprecated)", "Unique Entity ID", "Exclusion Program",
        "Excluding Agency", "CT Code", "Exclusion Type", "Additional Comments", "Active Date",
        "Termination Date", "Record Status", "Cross-Reference", "SAM Number", "CAGE", "NPI",
        "Creation_Date"};
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 30);
    doge_csv w;
    doge_csv_init_buf(&w, &b, 0);
    int rc = doge_csv_row(&w, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; i < g->nexcl && rc == DOGE_OK; i++) {
        const sg_excl *e = &g->excl[i];
        char active[16], end[16], sam[24];
        int y, m, d;
        doge_date_to_ymd(e->active, &y, &m, &d);
        snprintf(active, sizeof active, "%02d/%02d/%04d", m, d, y);
        if (e->end == INT32_MAX) {
            snprintf(end, sizeof end, "Indefinite");
        } else {
            doge_date_to_ymd(e->end, &y, &m, &d);
            snprintf(end, sizeof end, "%02d/%02d/%04d", m, d, y);
        }
        snprintf(sam, sizeof sam, "S4MR%07zu", 3000000 + i * 7);
        const char *row[] = {e->classification, e->name, "", e->first ? e->first : "", "",
                             e->last ? e->last : "", "", "100 MAIN ST", "", "", "", "ARLINGTON",
                             "VA", "USA", "22201", "Y", "", e->uei, e->program, e->agency, "",
                             e->type, "", active, end, "Active", "", sam, "", "", active};
        rc = doge_csv_row(&w, row, sizeof row / sizeof row[0]);
    }
    if (rc == DOGE_OK)
        rc = doge__file_write_atomic(path, b.data, b.len, 0644);
    doge_buf_dispose(&b);
    return rc;
}

static int validate(const doge_spend_synth_opts *o)
{
    if (o->rows < DOGE_SPEND_SYNTH_MIN_ROWS || o->rows > DOGE_SPEND_SYNTH_MAX_ROWS)
        return doge__error_set(DOGE_EINVAL, "synth awards: --rows %" PRIu64 " (%d to %llu)",
                               o->rows, DOGE_SPEND_SYNTH_MIN_ROWS,
                               (unsigned long long)DOGE_SPEND_SYNTH_MAX_ROWS);
    if (o->kind != DOGE_SPEND_CONTRACTS && o->kind != DOGE_SPEND_ASSISTANCE)
        return doge__error_set(DOGE_EINVAL, "synth awards: kind must be contracts or assistance");
    if (o->fiscal_year && (o->fiscal_year < 2008 || o->fiscal_year > 2100))
        return doge__error_set(DOGE_EINVAL, "synth awards: fiscal year %d (2008 to 2100)",
                               o->fiscal_year);
    return DOGE_OK;
}

static void sg_free(sg *g)
{
    for (size_t i = 0; i < g->nqueue; i++)
        free(g->queue[i]);
    free(g->queue);
    free(g->offices);
    free(g->office_serial);
    free(g->recips);
    free(g->pool_cdf);
    free(g->role);
    free(g->excl);
    doge_map_free(g->names);
    doge_arena_free(g->arena);
    doge_buf_dispose(&g->row);
    doge_buf_dispose(&g->truth);
    for (int i = 0; i < 3; i++)
        doge_buf_dispose(&g->receipts_json[i]);
    doge_buf_dispose(&g->receipts_csv);
    doge_buf_dispose(&g->receipts_truth);
    doge_progress_free(g->progress);
}

static int setup(sg *g)
{
    int rc;
    if ((rc = doge_arena_new(&g->arena, 0, 0)) || (rc = doge_map_new(&g->names, 0, 0)))
        return rc;
    g->fy = g->o->fiscal_year ? g->o->fiscal_year : 2025;
    if ((rc = doge_date_from_ymd(g->fy - 1, 10, 1, &g->fy_start)) ||
        (rc = doge_date_from_ymd(g->fy, 9, 30, &g->fy_end)))
        return rc;
    /* Agencies: cumulative weights; the 2nd and 3rd largest are planted for
     * Benford and competition, the 1st and 4th/5th take planted awards. */
    double acc = 0;
    int order[SG_MAX_AGENCIES] = {0};
    for (int i = 0; i < doge__sg_nagencies; i++) {
        acc += weight(g, i);
        g->agency_cdf[i] = acc;
        order[i] = i;
    }
    for (int i = 0; i < doge__sg_nagencies; i++)
        for (int j = i + 1; j < doge__sg_nagencies; j++)
            if (weight(g, order[j]) > weight(g, order[i])) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    g->benford_agency = order[1];
    g->noncompeted_agency = g->kind == DOGE_SPEND_CONTRACTS ? order[2] : -1;
    g->plant_agency[0] = order[0];
    g->plant_agency[1] = order[3];
    g->plant_agency[2] = order[4];
    if ((rc = make_offices(g)))
        return rc;
    /* Recipients: a Zipf-weighted pool. */
    uint64_t pool = g->o->rows / 25;
    pool = pool < 500 ? 500 : pool > 150000 ? 150000 : pool;
    g->pool = (uint32_t)pool;
    g->pool_cdf = malloc(pool * sizeof *g->pool_cdf);
    if (!g->pool_cdf)
        return doge__error_oom();
    acc = 0;
    for (uint32_t i = 0; i < g->pool; i++) {
        uint32_t r;
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        acc += 1.0 / pow((double)i + 1.0, 1.05);
        g->pool_cdf[i] = acc;
    }
    g->cols = g->kind == DOGE_SPEND_CONTRACTS ? doge__sg_contract_columns
                                              : doge__sg_assistance_columns;
    if ((rc = assign_roles(g)))
        return rc;
    doge_buf_init(&g->row, (size_t)64 << 20);
    doge_buf_init(&g->truth, (size_t)1 << 30);
    for (int i = 0; i < 3; i++)
        doge_buf_init(&g->receipts_json[i], (size_t)1 << 30);
    doge_buf_init(&g->receipts_csv, (size_t)1 << 30);
    doge_buf_init(&g->receipts_truth, (size_t)1 << 30);
    doge_csv_init_buf(&g->csv, &g->row, DOGE_CSV_LF);
    return DOGE_OK;
}

/* Interleaving: each planted award gets a random target row. */
typedef struct slot_t {
    uint64_t at;
    sg_award *a;
} slot_t;

static int slot_cmp(const void *x, const void *y)
{
    const slot_t *a = x, *b = y;
    return a->at < b->at ? -1 : a->at > b->at;
}

int doge_spend_synth_awards(const doge_spend_synth_opts *o, const char *path,
                            doge_spend_synth_result *res)
{
    int rc = validate(o);
    if (rc)
        return rc;
    sg g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.kind = o->kind;
    doge_synth_rng_seed(&g.rng, o->seed ^ (o->kind == DOGE_SPEND_ASSISTANCE ? 0xA55157ULL : 0));
    char tmp[4200];
    slot_t *slots = NULL;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp) {
        rc = doge__error_set(DOGE_EINVAL, "synth awards: path too long");
        goto done;
    }
    if ((rc = setup(&g)))
        goto done;
    if ((rc = doge__sg_plant(&g)))
        goto done;
    if (o->receipts && (rc = doge__sg_receipts(&g)))
        goto done;
    if (g.queue_rows + 1 > o->rows) {
        rc = doge__error_set(DOGE_EINVAL,
                             "synth awards: --rows %" PRIu64 " is too few for the %" PRIu64
                             " planted rows",
                             o->rows, g.queue_rows);
        goto done;
    }
    slots = malloc((g.nqueue ? g.nqueue : 1) * sizeof *slots);
    if (!slots) {
        rc = doge__error_oom();
        goto done;
    }
    for (size_t i = 0; i < g.nqueue; i++) {
        slots[i].at = doge__sg_below(&g, o->rows);
        slots[i].a = g.queue[i];
    }
    qsort(slots, g.nqueue, sizeof *slots, slot_cmp);
    g.out = fopen(tmp, "wb");
    if (!g.out) {
        rc = doge__error_set(DOGE_EIO, "%s: cannot create: %s", tmp, strerror(errno));
        goto done;
    }
    if (!o->no_progress && doge_progress_new(&g.progress, "synth awards", o->rows, o->progress) !=
                               DOGE_OK)
        g.progress = NULL;
    for (int c = 0; c < g.ncols && rc == DOGE_OK; c++)
        rc = doge_csv_field_str(&g.csv, g.cols[c]);
    if (rc == DOGE_OK)
        rc = doge_csv_end_row(&g.csv);
    size_t qi = 0;
    uint64_t queued_left = g.queue_rows;
    sg_award a;
    while (rc == DOGE_OK && (g.rows < o->rows || qi < g.nqueue)) {
        if (qi < g.nqueue && (g.rows >= slots[qi].at || g.rows + queued_left >= o->rows)) {
            queued_left -= (uint64_t)slots[qi].a->ntx;
            rc = emit(&g, slots[qi].a);
            qi++;
            continue;
        }
        uint64_t budget = o->rows - g.rows - queued_left;
        if ((rc = background(&g, &a, budget < SG_MAX_TX ? (int)budget : SG_MAX_TX)))
            break;
        rc = emit(&g, &a);
    }
    if (rc == DOGE_OK)
        rc = flush_rows(&g, 1);
    if (rc == DOGE_OK && (fflush(g.out) != 0 || fsync(fileno(g.out)) != 0))
        rc = doge__error_set(DOGE_EIO, "%s: write failed: %s", tmp, strerror(errno));
    if (fclose(g.out) != 0 && rc == DOGE_OK)
        rc = doge__error_set(DOGE_EIO, "%s: write failed: %s", tmp, strerror(errno));
    g.out = NULL;
    if (rc == DOGE_OK && rename(tmp, path) != 0)
        rc = doge__error_set(DOGE_EIO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (rc)
        unlink(tmp);
    if (g.progress) {
        doge_progress_update(g.progress, g.rows);
        doge_progress_finish(g.progress);
    }
    if (rc == DOGE_OK)
        rc = doge__sg_plant_finish(&g);
    if (rc == DOGE_OK && o->truth) {
        doge_buf all;
        doge_buf_init(&all, (size_t)1 << 30);
        rc = doge_buf_append_str(&all, "rule,key,class\n");
        if (rc == DOGE_OK)
            rc = doge_buf_append(&all, g.truth.data, g.truth.len);
        if (rc == DOGE_OK)
            rc = doge__file_write_atomic(o->truth, all.data, all.len, 0644);
        doge_buf_dispose(&all);
    }
    if (rc == DOGE_OK && o->exclusions)
        rc = write_exclusions(&g, o->exclusions);
    if (rc == DOGE_OK && o->receipts)
        rc = doge__sg_receipts_write(&g, o->receipts);
    if (rc == DOGE_OK && res) {
        memset(res, 0, sizeof *res);
        res->rows = g.rows;
        res->awards = g.awards;
        res->bytes = g.bytes;
        memcpy(res->planted, g.planted, sizeof res->planted);
        memcpy(res->clean, g.clean, sizeof res->clean);
        res->claims = g.claims;
        res->exclusions = o->exclusions ? g.nexcl : 0;
    }
done:
    if (g.out) {
        fclose(g.out);
        unlink(tmp);
    }
    free(slots);
    sg_free(&g);
    return rc;
}
