/*
 * audit_report.c — an audit's outputs: the findings as CSV, the whole
 * result (totals, per-rule and per-agency figures, findings) as JSON in
 * doge's canonical pretty form, a self-contained HTML report with SVG charts
 * (findings by rule, by agency, each flagged agency's first digits against
 * Benford's law, non-competed shares), and the canonical ledger record of a
 * finding (compact JSON with sorted keys, as jansson writes it).
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

int doge_spend_audit_write_csv(const doge_spend_audit *a, FILE *f)
{
    doge_csv w;
    doge_csv_init_file(&w, f, DOGE_CSV_LF);
    static const char *const head[] = {"rule", "key", "agency_code", "agency_name", "recipient",
                                       "amount", "limit", "score", "evidence"};
    int rc = doge_csv_row(&w, head, 9);
    for (size_t i = 0; i < a->nfindings && rc == DOGE_OK; i++) {
        const doge_spend_finding *x = &a->findings[i];
        char score[32];
        snprintf(score, sizeof score, "%.4f", x->score);
        if ((rc = doge_csv_field_str(&w, doge_spend_rule_name(x->rule))) ||
            (rc = doge_csv_field_str(&w, x->key)) || (rc = doge_csv_field_str(&w, x->agency_code)) ||
            (rc = doge_csv_field_str(&w, x->agency_name)) ||
            (rc = doge_csv_field_str(&w, x->recipient)) ||
            (rc = doge_csv_field_cents(&w, x->amount)) || (rc = doge_csv_field_cents(&w, x->limit)) ||
            (rc = doge_csv_field_str(&w, x->score ? score : "")) ||
            (rc = doge_csv_field_str(&w, x->evidence)))
            break;
        rc = doge_csv_end_row(&w);
    }
    if (rc == DOGE_OK && fflush(f) != 0)
        rc = doge__error_set(DOGE_EIO, "writing the findings failed");
    return rc;
}

static json_t *finding_json(const doge_spend_finding *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(doge_spend_rule_name(x->rule)));
    json_object_set_new(o, "key", json_string(x->key));
    json_object_set_new(o, "agency_code", json_string(x->agency_code));
    json_object_set_new(o, "agency_name", json_string(x->agency_name));
    if (*x->recipient)
        json_object_set_new(o, "recipient", json_string(x->recipient));
    json_object_set_new(o, "amount_cents", json_integer(x->amount));
    if (x->limit)
        json_object_set_new(o, "limit_cents", json_integer(x->limit));
    if (x->score)
        json_object_set_new(o, "score", json_real(x->score));
    json_object_set_new(o, "evidence", json_string(x->evidence));
    return o;
}

int doge_spend_audit_write_json(const doge_spend_audit *a, FILE *f)
{
    json_t *root = json_object(), *tot = json_object(), *rules = json_array(),
           *ags = json_array(), *fs = json_array();
    const doge_spend_audit_totals *t = &a->totals;
    json_object_set_new(tot, "files", json_integer((json_int_t)t->files));
    json_object_set_new(tot, "bytes", json_integer((json_int_t)t->bytes));
    json_object_set_new(tot, "rows", json_integer((json_int_t)t->rows));
    json_object_set_new(tot, "bad_rows", json_integer((json_int_t)t->bad_rows));
    json_object_set_new(tot, "awards", json_integer((json_int_t)t->awards));
    json_object_set_new(tot, "exclusion_records", json_integer((json_int_t)t->exclusion_records));
    json_object_set_new(tot, "findings", json_integer((json_int_t)a->nfindings));
    json_object_set_new(tot, "seconds", json_real(t->seconds));
    json_object_set_new(tot, "finish_seconds", json_real(t->finish_seconds));
    for (int r = 1; r <= DOGE_SPEND_RULES; r++) {
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(doge_spend_rule_name(r)));
        json_object_set_new(o, "title", json_string(doge_spend_rule_title(r)));
        json_object_set_new(o, "findings", json_integer((json_int_t)t->findings[r]));
        json_object_set_new(o, "amount_cents", json_integer(t->finding_amount[r]));
        json_array_append_new(rules, o);
    }
    for (size_t i = 0; i < a->nagency_out; i++) {
        const doge_spend_agency *g = &a->agencies[i];
        json_t *o = json_object(), *per = json_object(), *dig = json_array();
        json_object_set_new(o, "code", json_string(g->code));
        json_object_set_new(o, "name", json_string(g->name));
        json_object_set_new(o, "rows", json_integer((json_int_t)g->rows));
        json_object_set_new(o, "obligated_cents", json_integer(g->obligated));
        json_object_set_new(o, "deobligated_cents", json_integer(g->deobligated));
        for (int r = 1; r <= DOGE_SPEND_RULES; r++)
            if (g->findings[r])
                json_object_set_new(per, doge_spend_rule_name(r),
                                    json_integer((json_int_t)g->findings[r]));
        json_object_set_new(o, "findings", per);
        for (int d = 1; d <= 9; d++)
            json_array_append_new(dig, json_integer((json_int_t)g->digits[d]));
        json_object_set_new(o, "first_digits", dig);
        json_object_set_new(o, "benford_n", json_integer((json_int_t)g->benford_n));
        json_object_set_new(o, "benford_mad", g->mad >= 0 ? json_real(g->mad) : json_null());
        json_object_set_new(o, "benford_band", json_string(g->band));
        json_object_set_new(o, "competed_cents", json_integer(g->competed));
        json_object_set_new(o, "noncompeted_cents", json_integer(g->noncompeted));
        json_object_set_new(o, "noncompeted_share", g->noncompeted_share >= 0
                                                        ? json_real(g->noncompeted_share)
                                                        : json_null());
        json_array_append_new(ags, o);
    }
    for (size_t i = 0; i < a->nfindings; i++)
        json_array_append_new(fs, finding_json(&a->findings[i]));
    json_object_set_new(root, "totals", tot);
    json_object_set_new(root, "rules", rules);
    json_object_set_new(root, "agencies", ags);
    json_object_set_new(root, "findings", fs);
    int rc = doge_json_dump(f, root);
    json_decref(root);
    return rc;
}

int doge_spend_finding_record(const doge_spend_finding *x, const char *run, doge_buf *out)
{
    return doge__spend_record(finding_json(x), "spend.finding", run, out);
}

/* ---- HTML ----------------------------------------------------------------------- */

static int charts(doge_buf *b, const doge_spend_audit *a)
{
    int rc;
    /* Findings by rule. */
    const char *labels[DOGE_SPEND_RULES];
    double counts[DOGE_SPEND_RULES];
    for (int r = 1; r <= DOGE_SPEND_RULES; r++) {
        labels[r - 1] = doge_spend_rule_name(r);
        counts[r - 1] = (double)a->totals.findings[r];
    }
    doge_svg_series s1 = {"findings", counts, "#d62728"};
    doge_svg_chart c;
    memset(&c, 0, sizeof c);
    c.title = "Findings by rule";
    c.desc = "Number of findings for each of the seven audit rules";
    c.labels = labels;
    c.ncategories = DOGE_SPEND_RULES;
    c.series = &s1;
    c.nseries = 1;
    c.flags = DOGE_SVG_HORIZONTAL;
    if ((rc = doge__spend_html_figure(b, "<h2>Findings by rule</h2>", &c)))
        return rc;
    /* Findings by agency (agencies with findings). */
    size_t n = a->nagency_out;
    const char **al = calloc(n ? n : 1, sizeof *al);
    double *av = calloc(n ? n : 1, sizeof *av), *share = calloc(n ? n : 1, sizeof *share);
    const char **sl = calloc(n ? n : 1, sizeof *sl);
    if (!al || !av || !share || !sl) {
        free(al);
        free(av);
        free(share);
        free(sl);
        return doge__error_oom();
    }
    size_t k = 0, ks = 0;
    for (size_t i = 0; i < n; i++) {
        const doge_spend_agency *g = &a->agencies[i];
        uint64_t tot = 0;
        for (int r = 1; r <= DOGE_SPEND_RULES; r++)
            tot += g->findings[r];
        if (tot) {
            al[k] = g->name;
            av[k++] = (double)tot;
        }
        if (g->noncompeted_share >= 0) {
            sl[ks] = g->name;
            share[ks++] = 100.0 * g->noncompeted_share;
        }
    }
    rc = DOGE_OK;
    if (k) {
        doge_svg_series s2 = {"findings", av, "#1f77b4"};
        memset(&c, 0, sizeof c);
        c.title = "Findings by agency";
        c.desc = "Number of findings per awarding agency, all rules together";
        c.labels = al;
        c.ncategories = k;
        c.series = &s2;
        c.nseries = 1;
        c.flags = DOGE_SVG_HORIZONTAL;
        rc = doge__spend_html_figure(b, "<h2>Findings by agency</h2>", &c);
    }
    if (rc == DOGE_OK && ks) {
        doge_svg_series s3 = {"non-competed %", share, "#ff7f0e"};
        memset(&c, 0, sizeof c);
        c.title = "Non-competed share of contract dollars (%)";
        c.desc = "Per agency, the percentage of positive contract obligations with a "
                 "non-competed extent-competed code; above 50% is a finding";
        c.labels = sl;
        c.ncategories = ks;
        c.series = &s3;
        c.nseries = 1;
        c.flags = DOGE_SVG_HORIZONTAL;
        rc = doge__spend_html_figure(b, "<h2>Competition</h2>", &c);
    }
    free(al);
    free(av);
    free(share);
    free(sl);
    if (rc)
        return rc;
    /* Benford: each flagged agency, and the agency with the most amounts. */
    size_t big = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (big == SIZE_MAX || a->agencies[i].benford_n > a->agencies[big].benford_n)
            big = i;
    if ((rc = doge_buf_append_str(b, "<h2>First digits against Benford's law</h2>\n")))
        return rc;
    static const char *const digits[9] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
        const doge_spend_agency *g = &a->agencies[i];
        if (g->mad < 0 || (g->mad <= 0.015 && i != big))
            continue;
        double obs[9], expd[9];
        for (int d = 1; d <= 9; d++) {
            obs[d - 1] = (double)g->digits[d] / (double)g->benford_n;
            expd[d - 1] = doge_spend_benford_expected(d);
        }
        char title[300], desc[400];
        snprintf(title, sizeof title, "%s: MAD %.4f (%s)", g->name, g->mad, g->band);
        snprintf(desc, sizeof desc,
                 "Share of each first digit among %llu obligations of $10 or more (bars) against "
                 "Benford's expected share (line)",
                 (unsigned long long)g->benford_n);
        doge_svg_series s4[2] = {{"observed", obs, g->mad > 0.015 ? "#d62728" : "#2ca02c"},
                                 {"Benford", expd, "#333333"}};
        memset(&c, 0, sizeof c);
        c.title = title;
        c.desc = desc;
        c.labels = digits;
        c.ncategories = 9;
        c.series = s4;
        c.nseries = 2;
        c.flags = DOGE_SVG_LAST_MARKERS | DOGE_SVG_NO_VALUES;
        c.height = 300;
        rc = doge__spend_html_figure(b, "", &c);
    }
    return rc;
}

int doge_spend_audit_write_html(const doge_spend_audit *a, const char *path)
{
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 30);
    char m1[DOGE_MONEY_STRLEN], m2[DOGE_MONEY_STRLEN], t1[64], t2[64], t3[64];
    const doge_spend_audit_totals *t = &a->totals;
    int rc = doge__spend_html_head(&b, "doge spend audit");
    if (rc == DOGE_OK)
        rc = doge_buf_printf(&b,
                             "<p>%llu file(s), %llu rows (%llu malformed), %llu awards, %.1f MB "
                             "scanned in %.2f s; %zu findings; %llu exclusion records.</p>\n",
                             (unsigned long long)t->files, (unsigned long long)t->rows,
                             (unsigned long long)t->bad_rows, (unsigned long long)t->awards,
                             (double)t->bytes / 1e6, t->seconds, a->nfindings,
                             (unsigned long long)t->exclusion_records);
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "<h2>Rules</h2><table><tr><th>rule</th><th>what</th>"
                                     "<th>findings</th><th>amount</th></tr>\n");
    for (int r = 1; r <= DOGE_SPEND_RULES && rc == DOGE_OK; r++) {
        snprintf(t1, sizeof t1, "%llu", (unsigned long long)t->findings[r]);
        const char *cells[] = {doge_spend_rule_name(r), doge_spend_rule_title(r), t1,
                               doge__spend_usd(t->finding_amount[r], m1)};
        static const int num[] = {0, 0, 1, 1};
        rc = doge__spend_html_row(&b, cells, num, 4);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "</table>\n");
    if (rc == DOGE_OK)
        rc = charts(&b, a);
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "<h2>Agencies</h2><table><tr><th>code</th><th>agency</th>"
                                     "<th>rows</th><th>obligated</th><th>findings</th>"
                                     "<th>Benford MAD</th><th>band</th><th>non-competed</th></tr>\n");
    for (size_t i = 0; i < a->nagency_out && rc == DOGE_OK; i++) {
        const doge_spend_agency *g = &a->agencies[i];
        uint64_t tot = 0;
        for (int r = 1; r <= DOGE_SPEND_RULES; r++)
            tot += g->findings[r];
        snprintf(t1, sizeof t1, "%llu", (unsigned long long)g->rows);
        snprintf(t2, sizeof t2, "%llu", (unsigned long long)tot);
        if (g->mad >= 0)
            snprintf(t3, sizeof t3, "%.4f", g->mad);
        else
            snprintf(t3, sizeof t3, "-");
        char sh[32];
        if (g->noncompeted_share >= 0)
            snprintf(sh, sizeof sh, "%.1f%%", 100 * g->noncompeted_share);
        else
            snprintf(sh, sizeof sh, "-");
        const char *cells[] = {g->code, g->name, t1, doge__spend_usd(g->obligated, m1), t2,
                               t3, g->band, sh};
        static const int num[] = {0, 0, 1, 1, 1, 1, 0, 1};
        rc = doge__spend_html_row(&b, cells, num, 8);
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "</table>\n<h2>Findings</h2><table><tr><th>rule</th>"
                                     "<th>award or agency</th><th>agency</th><th>recipient</th>"
                                     "<th>amount</th><th>evidence</th></tr>\n");
    size_t shown = 0;
    for (size_t i = 0; i < a->nfindings && rc == DOGE_OK; i++) {
        if (shown >= 5000)
            break;
        const doge_spend_finding *x = &a->findings[i];
        const char *cells[] = {doge_spend_rule_name(x->rule), x->key, x->agency_name,
                               x->recipient, doge__spend_usd(x->amount, m2), x->evidence};
        static const int num[] = {0, 0, 0, 0, 1, 0};
        rc = doge__spend_html_row(&b, cells, num, 6);
        shown++;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(&b, "</table>\n");
    if (rc == DOGE_OK && shown < a->nfindings)
        rc = doge_buf_printf(&b, "<p class=\"muted\">%zu more findings: see the CSV or JSON "
                                 "output.</p>\n",
                             a->nfindings - shown);
    return doge__spend_html_finish(&b, rc, path);
}
