/*
 * synth_receipts.c — savings claims in the doge.gov receipts layout for the
 * synthetic award file, each with the awards it refers to planted in the
 * file and its expected verification in RECEIPTS.truth.csv ("id,status,
 * flags,verified"). Contract files get contract and lease claims, assistance
 * files grant claims. Every claim is built so that exactly the expected
 * rule applies: clean claims (FPDS link, USAspending link, bare PIID), an
 * award that is not in the file, claims above what was left and above the
 * value (the ceiling counted), an award that had ended before its
 * close-out, one award claimed twice, a value 1000 times the record's,
 * placeholder ids ("0000000000", "N/A", the vendor's name), a de-obligation
 * without termination, a value cut by a later modification, one PIID in two
 * agencies, a vehicle claimed beside its orders, three awards of one
 * multiple-award vehicle sharing a ceiling, and leases (annual rent over a
 * long and a short remaining term, and one without a lease number). The
 * amounts are computed with the verifier's own integer formulas.
 */
#include "doge/date.h"
#include "doge/money.h"
#include "internal.h"
#include "spend/sg_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct claim {
    doge_spend_claim_type type;
    const char *award_id, *link, *agency, *recipient, *description, *location;
    int64_t value, savings;
    int32_t date;
    /* expected */
    doge_spend_status status;
    unsigned flags;
    int64_t verified;
} claim;

/* ---- output --------------------------------------------------------------------- */

static int jstr(doge_buf *b, const char *s)
{
    int rc = doge_buf_append_char(b, '"');
    for (const char *p = s ? s : ""; rc == DOGE_OK && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            rc = doge_buf_printf(b, "\\%c", c);
        else if (c < 0x20)
            rc = doge_buf_printf(b, "\\u%04x", c);
        else
            rc = doge_buf_append_char(b, (char)c);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_char(b, '"');
    return rc;
}

static const char *dollars(int64_t cents, char *buf)
{
    doge_money_format(cents, 0, buf, DOGE_MONEY_STRLEN);
    return buf;
}

static int add_claim(sg *g, const claim *c)
{
    int t = (int)c->type - 1;
    doge_buf *b = &g->receipts_json[t];
    char v[DOGE_MONEY_STRLEN], s[DOGE_MONEY_STRLEN], d[16] = "";
    int y, m, dd;
    if (c->date != DOGE_SPEND_NO_DATE) {
        doge_date_to_ymd(c->date, &y, &m, &dd);
        if (c->type == DOGE_SPEND_CLAIM_CONTRACT)
            snprintf(d, sizeof d, "%d/%d/%04d", m, dd, y);
        else
            snprintf(d, sizeof d, "%04d-%02d-%02d", y, m, dd);
    }
    int rc = doge_buf_append_str(b, g->nclaims[t] ? ",\n    {" : "\n    {");
    if (c->type == DOGE_SPEND_CLAIM_CONTRACT) {
        if (rc == DOGE_OK && (rc = doge_buf_append_str(b, "\"piid\": ")) == DOGE_OK)
            rc = jstr(b, c->award_id);
        if (rc == DOGE_OK && (rc = doge_buf_append_str(b, ", \"agency\": ")) == DOGE_OK)
            rc = jstr(b, c->agency);
        if (rc == DOGE_OK && (rc = doge_buf_append_str(b, ", \"vendor\": ")) == DOGE_OK)
            rc = jstr(b, c->recipient);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"value\": %s, \"description\": ", dollars(c->value, v));
        if (rc == DOGE_OK)
            rc = jstr(b, c->description);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"fpds_status\": \"TERMINATED\", \"fpds_link\": ");
        if (rc == DOGE_OK)
            rc = jstr(b, c->link);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"deleted_date\": \"%s\", \"savings\": %s}", d,
                                 dollars(c->savings, s));
    } else if (c->type == DOGE_SPEND_CLAIM_GRANT) {
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, "\"date\": \"%s\", \"agency\": ", d);
        if (rc == DOGE_OK)
            rc = jstr(b, c->agency);
        if (rc == DOGE_OK && (rc = doge_buf_append_str(b, ", \"recipient\": ")) == DOGE_OK)
            rc = jstr(b, c->recipient);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"value\": %s, \"savings\": %s, \"link\": ",
                                 dollars(c->value, v), dollars(c->savings, s));
        if (rc == DOGE_OK)
            rc = jstr(b, c->link);
        if (rc == DOGE_OK && c->award_id) {
            if ((rc = doge_buf_append_str(b, ", \"fain\": ")) == DOGE_OK)
                rc = jstr(b, c->award_id);
        }
        if (rc == DOGE_OK && (rc = doge_buf_append_str(b, ", \"description\": ")) == DOGE_OK)
            rc = jstr(b, c->description);
        if (rc == DOGE_OK)
            rc = doge_buf_append_char(b, '}');
    } else {
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, "\"date\": \"%s\", \"location\": ", d);
        if (rc == DOGE_OK)
            rc = jstr(b, c->location);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"sq_ft\": %d, \"description\": ",
                                 5000 + (int)doge__sg_below(g, 90000));
        if (rc == DOGE_OK)
            rc = jstr(b, c->description);
        if (rc == DOGE_OK)
            rc = doge_buf_printf(b, ", \"value\": %s, \"savings\": %s, \"agency\": ",
                                 dollars(c->value, v), dollars(c->savings, s));
        if (rc == DOGE_OK)
            rc = jstr(b, c->agency);
        if (rc == DOGE_OK && c->award_id) {
            if ((rc = doge_buf_append_str(b, ", \"lease_number\": ")) == DOGE_OK)
                rc = jstr(b, c->award_id);
        }
        if (rc == DOGE_OK)
            rc = doge_buf_append_char(b, '}');
    }
    g->nclaims[t]++;
    /* CSV: the same claim. */
    static const char *const tn[] = {"contract", "grant", "lease"};
    doge_csv w;
    doge_csv_init_buf(&w, &g->receipts_csv, DOGE_CSV_LF);
    const char *row[] = {tn[t], c->agency, c->description, dollars(c->value, v),
                         dollars(c->savings, s), c->award_id ? c->award_id : "",
                         c->link ? c->link : "", d, c->recipient};
    if (rc == DOGE_OK)
        rc = doge_csv_row(&w, row, 9);
    /* Truth. */
    char flags[400];
    doge_spend_flags_format(c->flags, flags, sizeof flags);
    if (rc == DOGE_OK)
        rc = doge_buf_printf(&g->receipts_truth, "%s-%zu,%s,%s,%s\n", tn[t], g->nclaims[t],
                             doge_spend_status_name((int)c->status), flags,
                             dollars(c->verified, v));
    g->claims++;
    return rc;
}

int doge__sg_receipts_write(sg *g, const char *path)
{
    size_t pl = strlen(path);
    int csv = pl > 4 && strcmp(path + pl - 4, ".csv") == 0;
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 30);
    int rc;
    if (csv) {
        rc = doge_buf_append_str(&b, "type,agency,description,value,savings,piid,link,date,"
                                     "recipient\n");
        if (rc == DOGE_OK)
            rc = doge_buf_append(&b, g->receipts_csv.data, g->receipts_csv.len);
    } else {
        rc = doge_buf_append_str(&b, "{\n  \"success\": true,\n  \"result\": {");
        static const char *const keys[] = {"contracts", "grants", "leases"};
        for (int t = 0; t < 3 && rc == DOGE_OK; t++)
            rc = doge_buf_printf(&b, "%s\n  \"%s\": [%s%s]", t ? "," : "", keys[t],
                                 doge_buf_cstr(&g->receipts_json[t]), g->nclaims[t] ? "\n  " : "");
        if (rc == DOGE_OK)
            rc = doge_buf_printf(&b, "\n  },\n  \"meta\": {\"total_results\": %llu, \"pages\": 1}\n}\n",
                                 (unsigned long long)g->claims);
    }
    if (rc == DOGE_OK)
        rc = doge__file_write_atomic(path, b.data, b.len, 0644);
    doge_buf_reset(&b);
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "id,status,flags,verified\n");
    if (rc == DOGE_OK)
        rc = doge_buf_append(&b, g->receipts_truth.data, g->receipts_truth.len);
    char tp[4200];
    if (rc == DOGE_OK) {
        snprintf(tp, sizeof tp, "%s.truth.csv", path);
        rc = doge__file_write_atomic(tp, b.data, b.len, 0644);
    }
    doge_buf_dispose(&b);
    return rc;
}

/* ---- awards ------------------------------------------------------------------------- */

typedef struct ti {
    int64_t v, p, ob, r; /* value, potential, obligated before, returned */
    int32_t d0, dt, end;
} ti;

static int64_t big_amount(sg *g)
{
    int64_t c = doge__sg_lognormal_cents(g, 2e6, 0.8);
    return c < 30000000 ? 30000000 + c : c;
}

static int agency(sg *g) { return g->plant_agency[doge__sg_below(g, 3)]; }

static const char *agency_name(int ag) { return doge__sg_agencies[ag].name; }
static const char *sub_code(const sg_award *a)
{
    return doge__sg_agencies[a->agency].sub_code[a->sub];
}

static void modno(const sg *g, const sg_award *a, char *buf)
{
    if (g->kind == DOGE_SPEND_CONTRACTS)
        snprintf(buf, 16, "P%05d", a->ntx);
    else
        snprintf(buf, 16, "%d", a->ntx);
}

/* An award started early in the year, funded twice (60% and 10% of its
 * value), its period running 'days'. */
static int funded(sg *g, sg_award *a, int ag, char type, int32_t days, ti *t)
{
    uint32_t r;
    int rc = doge__sg_new_recipient(g, &r);
    if (rc)
        return rc;
    if ((rc = doge__sg_award_init(g, a, ag, doge__sg_office(g, ag), r, type)))
        return rc;
    a->fabricate = 0;
    t->v = big_amount(g);
    t->p = t->v + t->v / 10 * (2 + (int64_t)doge__sg_below(g, 9));
    t->d0 = g->fy_start + (int32_t)doge__sg_below(g, 100);
    t->end = t->d0 + days;
    t->dt = g->fy_start + 150 + (int32_t)doge__sg_below(g, 90);
    a->pop_start = t->d0;
    int64_t f0 = t->v * 6 / 10, f1 = t->v / 10;
    int contracts = g->kind == DOGE_SPEND_CONTRACTS;
    if (!contracts)
        t->p = t->v;
    doge__sg_add_tx(a, t->d0, "0", contracts ? "" : "A", f0, contracts ? t->v : 0,
                    contracts ? t->p : 0, t->end);
    char m[16];
    modno(g, a, m);
    doge__sg_add_tx(a, t->d0 + 30, m, contracts ? "C" : "B", f1, 0, 0, t->end);
    t->ob = f0 + f1;
    if (!contracts)
        t->v = t->p = t->ob;
    t->r = t->ob / 10 * (2 + (int64_t)doge__sg_below(g, 5));
    return DOGE_OK;
}

/* The cancelling action: the value and potential fall to what stays
 * obligated. */
static void cancel(sg *g, sg_award *a, const ti *t, const char *action, int32_t date,
                   const char *desc)
{
    int64_t cur = a->cur0, pot = a->pot0;
    for (int i = 0; i < a->ntx; i++) {
        cur += a->tx[i].d_cur;
        pot += a->tx[i].d_pot;
    }
    int64_t keep = t->ob - t->r;
    char m[16];
    modno(g, a, m);
    int contracts = g->kind == DOGE_SPEND_CONTRACTS;
    sg_tx *x = doge__sg_add_tx(a, date, m, action, -t->r, contracts ? keep - cur : 0,
                               contracts ? keep - pot : 0, t->end);
    x->desc = desc;
}

static void links(const sg *g, const sg_award *a, char *fpds, char *usa, size_t cap)
{
    char key[160];
    doge__sg_award_key(g, a, key, sizeof key);
    snprintf(fpds, cap,
             "https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp?agencyID=%s&PIID=%s"
             "&modNumber=&idvAgencyID=%s&idvPIID=%s&contractType=%s",
             sub_code(a), a->piid, a->parent_agency, a->parent_piid, a->idv ? "IDV" : "AWARD");
    snprintf(usa, cap, "https://www.usaspending.gov/award/%s", key);
}

static int keep_link(sg *g, const char *s, const char **out) { return doge__sg_strdup(g, s, out); }

static void base_claim(sg *g, claim *c, const sg_award *a, const ti *t, doge_spend_claim_type type)
{
    memset(c, 0, sizeof *c);
    c->type = type;
    c->agency = agency_name(a->agency);
    c->recipient = doge__sg_recipient_name(g, a->recip);
    c->description = a->desc;
    c->value = t->v;
    c->savings = t->r;
    c->date = t->dt;
    c->status = DOGE_SPEND_VERIFIED;
    c->verified = t->r;
}

/* A cancelled award of a planted agency and the claim quoting it as
 * verified: funded(), the cancelling action, the award's links and
 * base_claim(). 'ended' runs the award 100 days and dates the action 30
 * days after its end (a close-out after the end); otherwise 700 days. The
 * award is not queued yet. */
static int cancelled(sg *g, sg_award *a, ti *t, claim *c, doge_spend_claim_type type, int ended,
                     const char *action, const char *desc, char *fpds, char *usa, size_t cap)
{
    char kind = type == DOGE_SPEND_CLAIM_CONTRACT ? 'C' : 'G';
    int rc = funded(g, a, agency(g), kind, ended ? 100 : 700, t);
    if (rc)
        return rc;
    if (ended)
        t->dt = t->end + 30;
    cancel(g, a, t, action, t->dt, desc);
    links(g, a, fpds, usa, cap);
    base_claim(g, c, a, t, type);
    return DOGE_OK;
}

/* cancelled() for a contract of 700 days terminated for convenience. */
static int contract(sg *g, sg_award *a, ti *t, claim *c, char *fpds, char *usa,
                    size_t cap)
{
    return cancelled(g, a, t, c, DOGE_SPEND_CLAIM_CONTRACT, 0, "F",
                     "TERMINATION FOR CONVENIENCE", fpds, usa, cap);
}

/* The grant cancelling actions. */
enum { GRANT_TERMINATED, GRANT_ADJUSTED, GRANT_REDUCED };

/* cancelled() for a grant, by one of the actions above. */
static int grant(sg *g, sg_award *a, ti *t, claim *c, int ended, int how, char *fpds, char *usa,
                 size_t cap)
{
    static const char *const action[] = {"C", "D", "C"};
    static const char *const desc[] = {"TERMINATED FOR CONVENIENCE OF THE GOVERNMENT",
                                       "ADJUSTMENT TO COMPLETED PROJECT",
                                       "REDUCE FUNDING PER BUDGET REVISION"};
    return cancelled(g, a, t, c, DOGE_SPEND_CLAIM_GRANT, ended, action[how], desc[how], fpds, usa,
                     cap);
}

/* Queue the award, keep 'link' as the claim's link and add the claim. */
static int publish(sg *g, const sg_award *a, claim *c, const char *link)
{
    int rc = doge__sg_queue(g, a);
    if (rc == DOGE_OK)
        rc = keep_link(g, link, &c->link);
    if (rc == DOGE_OK)
        rc = add_claim(g, c);
    return rc;
}

/* The claim is not supported by the award: 'flags' say why, nothing is
 * verified. */
static void unsupported(claim *c, unsigned flags)
{
    c->status = DOGE_SPEND_UNSUPPORTED;
    c->flags = flags;
    c->verified = 0;
}

/* A claim for no award in the file: the fields given, nothing verified. */
static void fixed_claim(claim *c, doge_spend_claim_type type, const char *agency_s,
                        const char *recipient, const char *description, int64_t value,
                        int64_t savings, int32_t date, doge_spend_status status, unsigned flags)
{
    memset(c, 0, sizeof *c);
    c->type = type;
    c->agency = agency_s;
    c->recipient = recipient;
    c->description = description;
    c->value = value;
    c->savings = savings;
    c->date = date;
    c->status = status;
    c->flags = flags;
}

/* How many clean claims of each kind: 3, one more per 100,000 rows, 30 at
 * the most. */
static uint64_t clean_count(const sg *g)
{
    uint64_t n = 3 + g->o->rows / 100000;
    return n > 30 ? 30 : n;
}

/* ---- contracts and leases ------------------------------------------------------------ */

static int contract_claims(sg *g)
{
    sg_award a;
    ti t;
    claim c;
    char fpds[600], usa[400];
    int rc = DOGE_OK;
    uint64_t nclean = clean_count(g);
    /* Clean: FPDS link, USAspending link, bare PIID. */
    for (uint64_t i = 0; i < nclean && rc == DOGE_OK; i++) {
        if ((rc = contract(g, &a, &t, &c, fpds, usa, sizeof fpds)) ||
            (rc = doge__sg_queue(g, &a)))
            return rc;
        int form = (int)(i % 3);
        if (form == 2)
            rc = keep_link(g, a.piid, &c.award_id);
        else
            rc = keep_link(g, form == 0 ? fpds : usa, &c.link);
        if (rc == DOGE_OK && form == 0)
            rc = keep_link(g, a.piid, &c.award_id);
        if (rc == DOGE_OK)
            rc = add_claim(g, &c);
    }
    if (rc)
        return rc;
    /* Not in the file. */
    fixed_claim(&c, DOGE_SPEND_CLAIM_CONTRACT, agency_name(g->plant_agency[0]),
                "NOWHERE FOUND SERVICES LLC", "PROFESSIONAL SUPPORT SERVICES", 123456789,
                45678900, g->fy_start + 160, DOGE_SPEND_NOT_FOUND, DOGE_SPEND_F_NOT_FOUND);
    c.award_id = "ZZ999925C9999";
    c.link = "https://www.fpds.gov/ezsearch/jsp/viewLinkController.jsp?agencyID=9700&PIID="
             "ZZ999925C9999&modNumber=&idvAgencyID=&idvPIID=&contractType=AWARD";
    if ((rc = add_claim(g, &c)))
        return rc;
    /* Above what was left (but within the value). */
    if ((rc = contract(g, &a, &t, &c, fpds, usa, sizeof fpds)))
        return rc;
    int64_t left = t.v - (t.ob - t.r);
    c.savings = left + (t.ob - t.r) / 2;
    c.status = DOGE_SPEND_OVERSTATED;
    c.flags = DOGE_SPEND_F_ABOVE_REMAINING;
    if ((rc = publish(g, &a, &c, fpds)))
        return rc;
    /* The ceiling counted as savings. */
    if ((rc = contract(g, &a, &t, &c, fpds, usa, sizeof fpds)))
        return rc;
    c.value = t.p;
    c.savings = t.p;
    c.status = DOGE_SPEND_OVERSTATED;
    c.flags = DOGE_SPEND_F_ABOVE_VALUE | DOGE_SPEND_F_ABOVE_REMAINING;
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    /* Ended before the cancellation: a close-out after the end. */
    if ((rc = cancelled(g, &a, &t, &c, DOGE_SPEND_CLAIM_CONTRACT, 1, "K", "CLOSEOUT", fpds, usa,
                        sizeof fpds)))
        return rc;
    a.tx[a.ntx - 1].d_cur = a.tx[a.ntx - 1].d_pot = 0;
    unsupported(&c, DOGE_SPEND_F_ENDED_BEFORE);
    if ((rc = publish(g, &a, &c, fpds)))
        return rc;
    /* One award claimed twice (the second by its USAspending link). */
    if ((rc = contract(g, &a, &t, &c, fpds, usa, sizeof fpds)))
        return rc;
    if ((rc = publish(g, &a, &c, fpds)))
        return rc;
    c.link = NULL;
    unsupported(&c, DOGE_SPEND_F_DUPLICATE);
    if ((rc = keep_link(g, usa, &c.link)) || (rc = add_claim(g, &c)))
        return rc;
    /* A value 1000 times the record's ($8 million as $8 billion). */
    if ((rc = contract(g, &a, &t, &c, fpds, usa, sizeof fpds)))
        return rc;
    c.value = t.v * 1000;
    c.savings = t.r * 1000;
    c.status = DOGE_SPEND_OVERSTATED;
    c.flags = DOGE_SPEND_F_OFF_BY_1000 | DOGE_SPEND_F_ABOVE_VALUE | DOGE_SPEND_F_ABOVE_REMAINING;
    if ((rc = publish(g, &a, &c, fpds)))
        return rc;
    /* Placeholder ids. */
    static const char *const placeholders[] = {"0000000000", "N/A", NULL};
    for (int i = 0; i < 3; i++) {
        uint32_t r;
        if ((rc = doge__sg_new_recipient(g, &r)))
            return rc;
        fixed_claim(&c, DOGE_SPEND_CLAIM_CONTRACT, agency_name(g->plant_agency[i]),
                    doge__sg_recipient_name(g, r), "CONSULTING SERVICES", 250000000, 100000000,
                    g->fy_start + 170, DOGE_SPEND_UNVERIFIABLE, DOGE_SPEND_F_PLACEHOLDER);
        c.award_id = placeholders[i] ? placeholders[i] : c.recipient;
        c.link = "";
        if ((rc = add_claim(g, &c)))
            return rc;
    }
    /* De-obligated but never terminated. */
    if ((rc = funded(g, &a, agency(g), 'C', 700, &t)))
        return rc;
    {
        char m[16];
        modno(g, &a, m);
        sg_tx *x = doge__sg_add_tx(&a, t.dt, m, "C", -t.r, 0, 0, t.end);
        x->desc = "DE-OBLIGATE EXCESS FUNDS";
    }
    links(g, &a, fpds, usa, sizeof fpds);
    base_claim(g, &c, &a, &t, DOGE_SPEND_CLAIM_CONTRACT);
    unsupported(&c, DOGE_SPEND_F_NOT_CANCELLED);
    if ((rc = publish(g, &a, &c, fpds)))
        return rc;
    /* The value cut by a later modification: the claim quotes the first. */
    if ((rc = funded(g, &a, agency(g), 'C', 700, &t)))
        return rc;
    {
        /* funded(): base 60%, funding 10% of v0 on day 30; cut the value to
         * 75% on day 40, before any cancellation (day 150 or later). */
        int64_t v0 = t.v, v1 = t.v * 75 / 100;
        char m[16];
        modno(g, &a, m);
        sg_tx *x = doge__sg_add_tx(&a, t.d0 + 40, m, "B", 0, v1 - v0, v1 - t.p, t.end);
        x->desc = "DESCOPE: REDUCE VALUE";
        t.v = v1;
        t.p = v1;
        cancel(g, &a, &t, "F", t.dt, "TERMINATION FOR CONVENIENCE");
        links(g, &a, fpds, usa, sizeof fpds);
        base_claim(g, &c, &a, &t, DOGE_SPEND_CLAIM_CONTRACT);
        /* The first action's value claimed in full: above v1, the value on
         * the latest modification, though not above v0. */
        c.value = v0;
        c.savings = v0;
        c.status = DOGE_SPEND_OVERSTATED;
        c.flags = DOGE_SPEND_F_ABOVE_REMAINING | DOGE_SPEND_F_ABOVE_VALUE;
        if ((rc = publish(g, &a, &c, usa)))
            return rc;
    }
    /* One PIID in two agencies: resolved by the claim's agency, or not at
     * all. */
    {
        sg_award b;
        ti tb;
        int ag1 = g->plant_agency[0], ag2 = g->plant_agency[1];
        if ((rc = funded(g, &a, ag1, 'C', 700, &t)) || (rc = funded(g, &b, ag2, 'C', 700, &tb)))
            return rc;
        memcpy(b.piid, a.piid, sizeof b.piid);
        cancel(g, &a, &t, "F", t.dt, "TERMINATION FOR CONVENIENCE");
        cancel(g, &b, &tb, "F", tb.dt, "TERMINATION FOR CONVENIENCE");
        if ((rc = doge__sg_queue(g, &a)) || (rc = doge__sg_queue(g, &b)))
            return rc;
        base_claim(g, &c, &a, &t, DOGE_SPEND_CLAIM_CONTRACT);
        c.award_id = a.piid;
        if ((rc = keep_link(g, a.piid, &c.award_id)) || (rc = add_claim(g, &c)))
            return rc;
        base_claim(g, &c, &b, &tb, DOGE_SPEND_CLAIM_CONTRACT);
        c.agency = "";
        c.recipient = "";
        c.status = DOGE_SPEND_UNVERIFIABLE;
        c.flags = DOGE_SPEND_F_AMBIGUOUS;
        c.verified = 0;
        if ((rc = keep_link(g, b.piid, &c.award_id)) || (rc = add_claim(g, &c)))
            return rc;
    }
    /* A vehicle claimed at its ceiling beside two of its orders. */
    {
        sg_award v, o;
        ti tv, to;
        int ag = agency(g);
        uint32_t r;
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = doge__sg_award_init(g, &v, ag, doge__sg_office(g, ag), r, 'D')))
            return rc;
        v.idv = 1;
        v.multiple = 'S';
        snprintf(v.award_type, sizeof v.award_type, "B");
        v.fabricate = 0;
        tv.v = tv.p = big_amount(g) * 20;
        tv.d0 = g->fy_start + 5;
        tv.end = tv.d0 + 1800;
        tv.dt = g->fy_start + 200;
        tv.ob = tv.r = 0;
        v.pop_start = tv.d0;
        doge__sg_add_tx(&v, tv.d0, "0", "", 0, tv.v, tv.p, tv.end);
        doge__sg_add_tx(&v, tv.dt, "P00001", "F", 0, 0, 0, tv.end)->desc =
            "TERMINATION OF THE ORDERING PERIOD";
        if ((rc = doge__sg_queue(g, &v)))
            return rc;
        int64_t orders = 0;
        claim oc[2];
        for (int i = 0; i < 2; i++) {
            if ((rc = funded(g, &o, ag, 'F', 700, &to)))
                return rc;
            snprintf(o.parent_piid, sizeof o.parent_piid, "%s", v.piid);
            snprintf(o.parent_agency, sizeof o.parent_agency, "%s", sub_code(&v));
            o.parent_multiple = 'S';
            cancel(g, &o, &to, "F", to.dt, "TERMINATION FOR CONVENIENCE");
            /* The order's latest value: what stays obligated. */
            orders += to.ob - to.r;
            if ((rc = doge__sg_queue(g, &o)))
                return rc;
            links(g, &o, fpds, usa, sizeof fpds);
            base_claim(g, &oc[i], &o, &to, DOGE_SPEND_CLAIM_CONTRACT);
            if ((rc = keep_link(g, fpds, &oc[i].link)))
                return rc;
        }
        (void)orders;
        links(g, &v, fpds, usa, sizeof fpds);
        base_claim(g, &c, &v, &tv, DOGE_SPEND_CLAIM_CONTRACT);
        c.savings = tv.p;
        unsupported(&c, DOGE_SPEND_F_VEHICLE);
        if ((rc = keep_link(g, fpds, &c.link)) || (rc = add_claim(g, &c)) ||
            (rc = add_claim(g, &oc[0])) || (rc = add_claim(g, &oc[1])))
            return rc;
    }
    /* Three awards of one multiple-award vehicle sharing one ceiling. */
    {
        int ag = agency(g);
        uint32_t office = doge__sg_office(g, ag);
        int64_t ceiling = big_amount(g) * 50;
        char sol[40];
        snprintf(sol, sizeof sol, "%s%02dR%04u", g->offices[office].code, g->fy % 100,
                 (unsigned)doge__sg_below(g, 10000));
        for (int i = 0; i < 3; i++) {
            sg_award v;
            uint32_t r;
            if ((rc = doge__sg_new_recipient(g, &r)) ||
                (rc = doge__sg_award_init(g, &v, ag, office, r, 'D')))
                return rc;
            v.idv = 1;
            v.multiple = 'M';
            v.fabricate = 0;
            snprintf(v.award_type, sizeof v.award_type, "B");
            snprintf(v.solicitation, sizeof v.solicitation, "%s", sol);
            int32_t d0 = g->fy_start + 10 + i, dt = g->fy_start + 210;
            v.pop_start = d0;
            doge__sg_add_tx(&v, d0, "0", "", 0, ceiling, ceiling, d0 + 1825);
            doge__sg_add_tx(&v, dt, "P00001", "F", 0, 0, 0, d0 + 1825)->desc =
                "TERMINATION OF THE ORDERING PERIOD";
            if ((rc = doge__sg_queue(g, &v)))
                return rc;
            ti tv = {ceiling, ceiling, 0, 0, d0, dt, d0 + 1825};
            links(g, &v, fpds, usa, sizeof fpds);
            base_claim(g, &c, &v, &tv, DOGE_SPEND_CLAIM_CONTRACT);
            c.savings = ceiling;
            unsupported(&c, DOGE_SPEND_F_VEHICLE | (i ? DOGE_SPEND_F_SHARED_CEILING : 0));
            if ((rc = keep_link(g, usa, &c.link)) || (rc = add_claim(g, &c)))
                return rc;
        }
    }
    /* Leases: ten-year terms, the rent obligated a year at a time. */
    for (int i = 0; i < 3; i++) {
        sg_award l;
        int ag = g->plant_agency[i];
        uint32_t r;
        if ((rc = doge__sg_new_recipient(g, &r)) ||
            (rc = doge__sg_award_init(g, &l, ag, doge__sg_office(g, ag), r, 'L')))
            return rc;
        l.lease = 1;
        l.fabricate = 0;
        int32_t term = 3652;
        int32_t dt = g->fy_start + 160 + (int32_t)doge__sg_below(g, 60);
        /* Long left (clean), short left (over the term), no number. */
        int32_t end = i == 1 ? dt + 240 : dt + 2000 + (int32_t)doge__sg_below(g, 600);
        l.pop_start = end - term;
        int64_t rent = doge__sg_lognormal_cents(g, 800000, 0.6) + 20000000;
        int64_t total = rent * 10;
        l.prior = rent * 2;
        l.cur0 = total;
        l.pot0 = total;
        const char *city = doge__sg_states[doge__sg_below(g, (uint64_t)doge__sg_nstates)][2];
        char desc[120];
        snprintf(desc, sizeof desc, "LEASE OF OFFICE SPACE, %s", city);
        if ((rc = doge__sg_strdup(g, desc, &l.desc)))
            return rc;
        int32_t d0 = g->fy_start + 3 + (int32_t)doge__sg_below(g, 30);
        doge__sg_add_tx(&l, d0, "P00021", "C", rent, 0, 0, end)->desc = "ANNUAL RENT";
        doge__sg_add_tx(&l, dt, "P00022", "F", -rent / 3, 0, 0, end)->desc =
            "TERMINATION OF LEASE";
        if ((rc = doge__sg_queue(g, &l)))
            return rc;
        /* The verifier's arithmetic. */
        int64_t annual = total * 365 / term;
        int64_t rent_left = annual * (int64_t)(end - dt) / 365;
        memset(&c, 0, sizeof c);
        c.type = DOGE_SPEND_CLAIM_LEASE;
        c.agency = agency_name(ag);
        c.recipient = doge__sg_recipient_name(g, r);
        c.description = l.desc;
        c.location = city;
        c.value = annual;
        c.date = dt;
        if (i == 0) {
            c.savings = rent_left;
            c.status = DOGE_SPEND_VERIFIED;
            c.verified = rent_left;
            c.award_id = l.piid;
        } else if (i == 1) {
            c.savings = annual * 3;
            c.status = DOGE_SPEND_OVERSTATED;
            c.flags = DOGE_SPEND_F_LEASE_TERM | DOGE_SPEND_F_ABOVE_REMAINING;
            c.verified = rent_left;
            c.award_id = l.piid;
        } else {
            c.savings = annual;
            c.status = DOGE_SPEND_UNVERIFIABLE;
            c.flags = DOGE_SPEND_F_PLACEHOLDER;
        }
        if (c.award_id && (rc = keep_link(g, l.piid, &c.award_id)))
            return rc;
        if ((rc = add_claim(g, &c)))
            return rc;
    }
    return DOGE_OK;
}

/* ---- grants ------------------------------------------------------------------------- */

static int grant_claims(sg *g)
{
    sg_award a;
    ti t;
    claim c;
    char fpds[600], usa[400];
    int rc = DOGE_OK;
    uint64_t nclean = clean_count(g);
    for (uint64_t i = 0; i < nclean && rc == DOGE_OK; i++) {
        /* A terminated grant: a revision saying so, or a close-out. */
        int how = i % 2 ? GRANT_ADJUSTED : GRANT_TERMINATED;
        if ((rc = grant(g, &a, &t, &c, 0, how, fpds, usa, sizeof fpds)))
            return rc;
        if ((rc = doge__sg_queue(g, &a)) || (rc = keep_link(g, usa, &c.link)))
            return rc;
        if (i % 3 == 2) {
            c.link = "";
            rc = keep_link(g, a.piid, &c.award_id);
        }
        if (rc == DOGE_OK)
            rc = add_claim(g, &c);
    }
    if (rc)
        return rc;
    fixed_claim(&c, DOGE_SPEND_CLAIM_GRANT, agency_name(g->plant_agency[0]),
                "UNIVERSITY OF NOWHERE", "RESEARCH GRANT", 50000000, 20000000, g->fy_start + 170,
                DOGE_SPEND_NOT_FOUND, DOGE_SPEND_F_NOT_FOUND);
    c.link = "https://www.usaspending.gov/award/ASST_NON_ZZ9999999_7529";
    if ((rc = add_claim(g, &c)))
        return rc;
    static const char *const placeholders[] = {"0000000000", "N/A"};
    for (int i = 0; i < 2; i++) {
        fixed_claim(&c, DOGE_SPEND_CLAIM_GRANT, agency_name(g->plant_agency[i]),
                    "COMMUNITY ACTION PARTNERSHIP", "COMMUNITY GRANT", 30000000, 10000000,
                    g->fy_start + 175, DOGE_SPEND_UNVERIFIABLE, DOGE_SPEND_F_PLACEHOLDER);
        c.award_id = placeholders[i];
        c.link = "";
        if ((rc = add_claim(g, &c)))
            return rc;
    }
    /* Claimed twice. */
    if ((rc = grant(g, &a, &t, &c, 0, GRANT_TERMINATED, fpds, usa, sizeof fpds)))
        return rc;
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    unsupported(&c, DOGE_SPEND_F_DUPLICATE);
    if ((rc = add_claim(g, &c)))
        return rc;
    /* A value 1000 times the record's. */
    if ((rc = grant(g, &a, &t, &c, 0, GRANT_TERMINATED, fpds, usa, sizeof fpds)))
        return rc;
    c.value = t.v * 1000;
    c.savings = t.r * 1000;
    c.status = DOGE_SPEND_OVERSTATED;
    c.flags = DOGE_SPEND_F_OFF_BY_1000 | DOGE_SPEND_F_ABOVE_VALUE | DOGE_SPEND_F_ABOVE_REMAINING;
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    /* Ended before the close-out. */
    if ((rc = grant(g, &a, &t, &c, 1, GRANT_ADJUSTED, fpds, usa, sizeof fpds)))
        return rc;
    unsupported(&c, DOGE_SPEND_F_ENDED_BEFORE);
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    /* Reduced, never terminated. */
    if ((rc = grant(g, &a, &t, &c, 0, GRANT_REDUCED, fpds, usa, sizeof fpds)))
        return rc;
    unsupported(&c, DOGE_SPEND_F_NOT_CANCELLED);
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    /* Above the value. */
    if ((rc = grant(g, &a, &t, &c, 0, GRANT_ADJUSTED, fpds, usa, sizeof fpds)))
        return rc;
    c.savings = t.v + t.v / 2;
    c.status = DOGE_SPEND_OVERSTATED;
    c.flags = DOGE_SPEND_F_ABOVE_VALUE | DOGE_SPEND_F_ABOVE_REMAINING;
    if ((rc = publish(g, &a, &c, usa)))
        return rc;
    return DOGE_OK;
}

int doge__sg_receipts(sg *g)
{
    return g->kind == DOGE_SPEND_CONTRACTS ? contract_claims(g) : grant_claims(g);
}
