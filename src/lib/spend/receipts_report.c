/*
 * receipts_report.c — a receipts verification's outputs: one CSV row per
 * claim, the whole result (totals, per-agency figures, verifications) as
 * JSON, a self-contained HTML report with SVG charts (claimed against
 * verified per agency, claims by status, the three tiers), and the
 * canonical ledger record of one verification.
 */
#include "doge/csv.h"
#include "doge/json.h"
#include "doge/money.h"
#include "doge/svg.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {NULL, "contract", "grant", "lease"};

int doge_spend_receipts_write_csv(const doge_spend_receipts *r, FILE *f)
{
    doge_csv w;
    doge_csv_init_file(&w, f, DOGE_CSV_LF);
    static const char *const head[] = {
        "id",       "type",        "agency",      "award_key",   "status",
        "flags",    "claimed",     "verified",    "value",       "deobligated",
        "unexercised_options", "never_ordered", "left",      "evidence"};
    int rc = doge_csv_row(&w, head, 14);
    for (size_t i = 0; i < r->nresults && rc == DOGE_OK; i++) {
        const doge_spend_verification *v = &r->results[i];
        char flags[400];
        doge_spend_flags_format(v->flags, flags, sizeof flags);
        if ((rc = doge_csv_field_str(&w, v->claim->id)) ||
            (rc = doge_csv_field_str(&w, type_names[v->claim->type])) ||
            (rc = doge_csv_field_str(&w, v->claim->agency)) ||
            (rc = doge_csv_field_str(&w, v->award_key)) ||
            (rc = doge_csv_field_str(&w, doge_spend_status_name(v->status))) ||
            (rc = doge_csv_field_str(&w, flags)) ||
            (rc = doge_csv_field_cents(&w, v->claim->savings)) ||
            (rc = doge_csv_field_cents(&w, v->verified)) || (rc = doge_csv_field_cents(&w, v->value)) ||
            (rc = doge_csv_field_cents(&w, v->deobligated)) ||
            (rc = doge_csv_field_cents(&w, v->unexercised)) ||
            (rc = doge_csv_field_cents(&w, v->never_ordered)) ||
            (rc = doge_csv_field_cents(&w, v->left)) || (rc = doge_csv_field_str(&w, v->evidence)))
            break;
        rc = doge_csv_end_row(&w);
    }
    if (rc == DOGE_OK && fflush(f) != 0)
        rc = doge__error_set(DOGE_EIO, "writing the verifications failed");
    return rc;
}

static json_t *verification_json(const doge_spend_verification *v)
{
    json_t *o = json_object(), *fl = json_array();
    json_object_set_new(o, "claim_id", json_string(v->claim->id));
    json_object_set_new(o, "type", json_string(type_names[v->claim->type]));
    json_object_set_new(o, "agency", json_string(v->claim->agency));
    if (v->award_key)
        json_object_set_new(o, "award_key", json_string(v->award_key));
    if (v->ref.piid[0])
        json_object_set_new(o, "award_id", json_string(v->ref.piid));
    json_object_set_new(o, "status", json_string(doge_spend_status_name(v->status)));
    for (unsigned b = 0; b < DOGE_SPEND_FLAGS; b++)
        if (v->flags & (1u << b))
            json_array_append_new(fl, json_string(doge_spend_flag_name(b)));
    json_object_set_new(o, "flags", fl);
    json_object_set_new(o, "claimed_cents", json_integer(v->claim->savings));
    json_object_set_new(o, "claimed_value_cents", json_integer(v->claim->value));
    json_object_set_new(o, "verified_cents", json_integer(v->verified));
    if (v->award_key) {
        json_object_set_new(o, "value_cents", json_integer(v->value));
        json_object_set_new(o, "potential_cents", json_integer(v->potential));
        json_object_set_new(o, "obligated_cents", json_integer(v->obligated));
        json_object_set_new(o, "deobligated_cents", json_integer(v->deobligated));
        json_object_set_new(o, "unexercised_options_cents", json_integer(v->unexercised));
        json_object_set_new(o, "never_ordered_cents", json_integer(v->never_ordered));
        json_object_set_new(o, "left_cents", json_integer(v->left));
        if (v->annual)
            json_object_set_new(o, "annual_rent_cents", json_integer(v->annual));
    }
    json_object_set_new(o, "evidence", json_string(v->evidence));
    return o;
}

int doge_spend_receipts_write_json(const doge_spend_receipts *r, FILE *f)
{
    json_t *root = json_object(), *tot = json_object(), *ags = json_array(), *vs = json_array();
    int64_t claimed = 0, verified = 0;
    uint64_t st[6] = {0};
    for (size_t i = 0; i < r->nresults; i++) {
        claimed += r->results[i].claim->savings;
        verified += r->results[i].verified;
        st[r->results[i].status]++;
        json_array_append_new(vs, verification_json(&r->results[i]));
    }
    json_object_set_new(tot, "claims", json_integer((json_int_t)r->nresults));
    json_object_set_new(tot, "claimed_cents", json_integer(claimed));
    json_object_set_new(tot, "verified_cents", json_integer(verified));
    for (int s = 1; s <= 5; s++)
        json_object_set_new(tot, doge_spend_status_name(s), json_integer((json_int_t)st[s]));
    json_object_set_new(tot, "files", json_integer((json_int_t)r->files));
    json_object_set_new(tot, "bytes", json_integer((json_int_t)r->bytes));
    json_object_set_new(tot, "rows_kept", json_integer((json_int_t)r->rows_kept));
    for (size_t i = 0; i < r->nagencies; i++) {
        const doge_spend_receipt_agency *g = &r->agencies[i];
        json_t *o = json_object();
        json_object_set_new(o, "agency", json_string(g->agency));
        json_object_set_new(o, "claims", json_integer((json_int_t)g->claims));
        json_object_set_new(o, "verified_claims", json_integer((json_int_t)g->verified_claims));
        json_object_set_new(o, "claimed_cents", json_integer(g->claimed));
        json_object_set_new(o, "verified_cents", json_integer(g->verified));
        json_object_set_new(o, "deobligated_cents", json_integer(g->deobligated));
        json_object_set_new(o, "unexercised_options_cents", json_integer(g->unexercised));
        json_object_set_new(o, "never_ordered_cents", json_integer(g->never_ordered));
        json_array_append_new(ags, o);
    }
    json_object_set_new(root, "totals", tot);
    json_object_set_new(root, "agencies", ags);
    json_object_set_new(root, "verifications", vs);
    int rc = doge_json_dump(f, root);
    json_decref(root);
    return rc;
}

int doge_spend_verification_record(const doge_spend_verification *v, const char *run,
                                   doge_buf *out)
{
    return doge__spend_record(verification_json(v), "spend.receipt", run, out);
}

int doge_spend_receipts_write_html(const doge_spend_receipts *r, const char *path)
{
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 30);
    int64_t claimed = 0, verified = 0;
    double st[5] = {0};
    for (size_t i = 0; i < r->nresults; i++) {
        claimed += r->results[i].claim->savings;
        verified += r->results[i].verified;
        st[r->results[i].status - 1] += 1;
    }
    char m1[DOGE_MONEY_STRLEN], m2[DOGE_MONEY_STRLEN], m3[DOGE_MONEY_STRLEN],
        m4[DOGE_MONEY_STRLEN], m5[DOGE_MONEY_STRLEN], n1[32];
    int rc = doge__spend_html_head(&b, "doge spend receipts verification");
    if (rc == DOGE_OK)
        rc = doge_buf_printf(&b,
                             "<p>%zu claims: %s claimed, <b>%s verified</b> (money actually "
                             "de-obligated, or for leases the rent over the remaining term, never "
                             "more than claimed and never more than the award's value).</p>\n",
                             r->nresults, doge__spend_usd(claimed, m1),
                             doge__spend_usd(verified, m2));
    /* Claimed against verified per agency. */
    size_t n = r->nagencies;
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    double *cl = calloc(n ? n : 1, sizeof *cl), *ve = calloc(n ? n : 1, sizeof *ve);
    if (!labels || !cl || !ve) {
        free(labels);
        free(cl);
        free(ve);
        doge_buf_dispose(&b);
        return doge__error_oom();
    }
    for (size_t i = 0; i < n; i++) {
        labels[i] = r->agencies[i].agency;
        cl[i] = (double)r->agencies[i].claimed / 100.0;
        ve[i] = (double)r->agencies[i].verified / 100.0;
    }
    doge_svg_chart c;
    if (rc == DOGE_OK && n) {
        doge_svg_series s[2] = {{"claimed", cl, "#ff7f0e"}, {"verified", ve, "#2ca02c"}};
        memset(&c, 0, sizeof c);
        c.title = "Claimed against verified savings per agency";
        c.desc = "For each agency named by the claims, the savings claimed and the part the award "
                 "record supports";
        c.labels = labels;
        c.ncategories = n;
        c.series = s;
        c.nseries = 2;
        c.flags = DOGE_SVG_HORIZONTAL;
        c.format = doge__spend_svg_dollars;
        rc = doge__spend_html_figure(&b, "<h2>Claimed and verified</h2>", &c);
    }
    free(labels);
    free(cl);
    free(ve);
    if (rc == DOGE_OK) {
        static const char *const sl[5] = {"verified", "overstated", "unsupported", "not found",
                                          "unverifiable"};
        doge_svg_series s = {"claims", st, "#1f77b4"};
        memset(&c, 0, sizeof c);
        c.title = "Claims by status";
        c.desc = "How many claims the award record verifies in full, in part, not at all, could "
                 "not find, or cannot check";
        c.labels = sl;
        c.ncategories = 5;
        c.series = &s;
        c.nseries = 1;
        rc = doge__spend_html_figure(&b, "<h2>Status</h2>", &c);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "<h2>Agencies</h2><table><tr><th>agency</th><th>claims</th>"
                                     "<th>claimed</th><th>verified</th><th>de-obligated</th>"
                                     "<th>unexercised options</th><th>never ordered</th></tr>\n");
    for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
        const doge_spend_receipt_agency *g = &r->agencies[i];
        snprintf(n1, sizeof n1, "%llu", (unsigned long long)g->claims);
        const char *row[] = {g->agency,
                             n1,
                             doge__spend_usd(g->claimed, m1),
                             doge__spend_usd(g->verified, m2),
                             doge__spend_usd(g->deobligated, m3),
                             doge__spend_usd(g->unexercised, m4),
                             doge__spend_usd(g->never_ordered, m5)};
        static const int num[] = {0, 1, 1, 1, 1, 1, 1};
        rc = doge__spend_html_row(&b, row, num, 7);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "</table>\n<h2>Claims</h2><table><tr><th>claim</th>"
                                     "<th>award</th><th>status</th><th>flags</th><th>claimed</th>"
                                     "<th>verified</th><th>evidence</th></tr>\n");
    for (size_t i = 0; i < r->nresults && rc == DOGE_OK; i++) {
        const doge_spend_verification *v = &r->results[i];
        char flags[400];
        doge_spend_flags_format(v->flags, flags, sizeof flags);
        const char *row[] = {v->claim->id,
                             v->award_key ? v->award_key : v->ref.piid,
                             doge_spend_status_name(v->status),
                             flags,
                             doge__spend_usd(v->claim->savings, m1),
                             doge__spend_usd(v->verified, m2),
                             v->evidence};
        static const int num[] = {0, 0, 0, 0, 1, 1, 0};
        rc = doge__spend_html_row(&b, row, num, 7);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "</table>\n");
    return doge__spend_html_finish(&b, rc, path);
}
