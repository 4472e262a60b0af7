/*
 * report_html.c — renders the week's report JSON (report.c) as one
 * self-contained HTML file: inline CSS, inline SVG charts, no scripts and
 * no network. Five charts, each an <svg class="chart" id="..."> whose data
 * marks carry a class a test can count: response rate by department
 * (rect.bar, one per department), category mix (rect.bar, one per
 * category), specificity distribution (rect.bar, one per bin), the largest
 * copy-paste clusters (rect.bar, one per cluster) and the week-over-week
 * response trend (circle.point, one per week). All text is HTML-escaped.
 */
#include "internal.h"
#include "pipeline.h"
#include "doge/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(doge_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '\n': doge_buf_append_str(b, " \xE2\x80\xA2 "); break; /* bullets joined: " • " */
        case '<': doge_buf_append_str(b, "&lt;"); break;
        case '>': doge_buf_append_str(b, "&gt;"); break;
        case '&': doge_buf_append_str(b, "&amp;"); break;
        case '"': doge_buf_append_str(b, "&quot;"); break;
        case '\'': doge_buf_append_str(b, "&#39;"); break;
        default: doge_buf_append_char(b, *s);
        }
    }
}

/* Shortens s to at most n bytes on a UTF-8 boundary, adding an ellipsis. */
static void esc_short(doge_buf *b, const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n) {
        esc(b, s);
        return;
    }
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    char tmp[512];
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    esc(b, tmp);
    doge_buf_append_str(b, "\xE2\x80\xA6");
}

typedef struct bar {
    const char *label;
    double value;     /* the bar's length */
    const char *text; /* printed at the bar's end */
} bar;

/* A horizontal bar chart: one row per bar, values against max. */
static void hbars(doge_buf *b, const char *id, const char *title, const bar *bars, size_t n,
                  double max)
{
    const int row = 22, left = 250, width = 720, plot = 290;
    int height = (int)n * row + 40;
    doge_buf_printf(b,
                    "<figure><figcaption>%s</figcaption>\n<svg class=\"chart\" id=\"%s\" "
                    "role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                    "xmlns=\"http://www.w3.org/2000/svg\"><title>",
                    title, id, width, height, width, height);
    esc(b, title);
    doge_buf_append_str(b, "</title>\n");
    for (size_t i = 0; i < n; i++) {
        int y = 10 + (int)i * row;
        double w = max > 0 ? bars[i].value / max * plot : 0;
        doge_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">",
                        left - 8, y + 15);
        esc_short(b, bars[i].label, 32);
        doge_buf_printf(b,
                        "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" "
                        "height=\"%d\"><title>",
                        left, y + 3, w < 0.5 && bars[i].value > 0 ? 0.5 : w, row - 6);
        esc(b, bars[i].label);
        doge_buf_append_str(b, ": ");
        esc(b, bars[i].text);
        doge_buf_printf(b, "</title></rect><text x=\"%.1f\" y=\"%d\" class=\"value\">", left + w + 6,
                        y + 15);
        esc(b, bars[i].text);
        doge_buf_append_str(b, "</text>\n");
    }
    doge_buf_append_str(b, "</svg></figure>\n");
}

static void response_chart(doge_buf *b, json_t *report)
{
    json_t *deps = json_object_get(json_object_get(report, "response"), "departments");
    size_t n = json_array_size(deps);
    bar *bars = calloc(n ? n : 1, sizeof *bars);
    char (*texts)[48] = calloc(n ? n : 1, sizeof *texts);
    if (!bars || !texts) {
        free(bars);
        free(texts);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_array_get(deps, i);
        double rate = json_real_value(json_object_get(d, "rate"));
        snprintf(texts[i], sizeof texts[i], "%.1f%% of %lld", rate * 100,
                 (long long)json_integer_value(json_object_get(d, "expected")));
        bars[i] = (bar){json_string_value(json_object_get(d, "department")), rate, texts[i]};
    }
    hbars(b, "response", "Response rate by department", bars, n, 1.0);
    free(bars);
    free(texts);
}

static void category_chart(doge_buf *b, json_t *report)
{
    json_t *mix = json_object_get(report, "categories");
    size_t n = json_array_size(mix);
    bar bars[16];
    char texts[16][48];
    if (n > 16)
        n = 16;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(mix, i);
        double share = json_real_value(json_object_get(c, "share"));
        snprintf(texts[i], sizeof texts[i], "%.1f%% (%lld)", share * 100,
                 (long long)json_integer_value(json_object_get(c, "bullets")));
        bars[i] = (bar){json_string_value(json_object_get(c, "category")), share, texts[i]};
        if (share > max)
            max = share;
    }
    hbars(b, "categories", "Category mix of all bullets", bars, n, max);
}

static void specificity_chart(doge_buf *b, json_t *report)
{
    json_t *h = json_object_get(json_object_get(report, "specificity"), "histogram");
    size_t n = json_array_size(h);
    const int width = 640, height = 240, left = 50, bottom = 200, plot_h = 170;
    int64_t max = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v = json_integer_value(json_object_get(json_array_get(h, i), "bullets"));
        if (v > max)
            max = v;
    }
    doge_buf_printf(b,
                    "<figure><figcaption>Specificity of bullets (0 = vague, 1 = "
                    "specific)</figcaption>\n<svg class=\"chart\" id=\"specificity\" role=\"img\" "
                    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
                    "xmlns=\"http://www.w3.org/2000/svg\"><title>Specificity "
                    "distribution</title>\n<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                    "y2=\"%d\"/>\n",
                    width, height, width, height, left, bottom, width - 10, bottom);
    double bw = n ? (double)(width - left - 20) / (double)n : 0;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(h, i);
        int64_t v = json_integer_value(json_object_get(e, "bullets"));
        double from = json_real_value(json_object_get(e, "from"));
        double to = json_real_value(json_object_get(e, "to"));
        double bh = max ? (double)v / (double)max * plot_h : 0;
        double x = left + (double)i * bw;
        doge_buf_printf(b,
                        "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\"><title>%.1f–%.1f: %lld bullets</title></rect>"
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                        "class=\"label\">%.1f</text>\n",
                        x + 2, bottom - bh, bw - 4, bh, from, to, (long long)v, x + bw / 2,
                        bottom + 16, from);
    }
    doge_buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"label\">max %lld</text>", left, 14,
                    (long long)max);
    doge_buf_append_str(b, "</svg></figure>\n");
}

static void cluster_chart(doge_buf *b, json_t *report)
{
    json_t *cl = json_object_get(report, "clusters");
    size_t n = json_array_size(cl);
    bar *bars = calloc(n ? n : 1, sizeof *bars);
    char (*texts)[96] = calloc(n ? n : 1, sizeof *texts);
    if (!bars || !texts) {
        free(bars);
        free(texts);
        return;
    }
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *c = json_array_get(cl, i);
        double size = (double)json_integer_value(json_object_get(c, "size"));
        size_t nd = json_array_size(json_object_get(c, "departments"));
        snprintf(texts[i], sizeof texts[i], "%lld replies, %zu department%s",
                 (long long)size, nd, nd == 1 ? "" : "s");
        bars[i] = (bar){json_string_value(json_object_get(c, "text")), size, texts[i]};
        if (size > max)
            max = size;
    }
    if (n)
        hbars(b, "clusters", "Largest copy-paste clusters", bars, n, max);
    else
        doge_buf_append_str(b, "<figure><figcaption>Largest copy-paste clusters</figcaption>"
                               "<svg class=\"chart\" id=\"clusters\" role=\"img\" viewBox=\"0 0 "
                               "640 40\" width=\"640\" height=\"40\" "
                               "xmlns=\"http://www.w3.org/2000/svg\"><title>No copy-paste "
                               "clusters</title><text x=\"10\" y=\"25\">No copy-paste clusters "
                               "this week.</text></svg></figure>\n");
    free(bars);
    free(texts);
}

static void trend_chart(doge_buf *b, json_t *report)
{
    json_t *t = json_object_get(report, "trend");
    size_t n = json_array_size(t);
    const int width = 640, height = 240, left = 50, right = 20, top = 20, bottom = 200;
    doge_buf_printf(b,
                    "<figure><figcaption>Response rate, week over week</figcaption>\n<svg "
                    "class=\"chart\" id=\"trend\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"%d\" "
                    "height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"><title>Response rate "
                    "trend</title>\n<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
                    "y2=\"%d\"/><text x=\"4\" y=\"%d\" class=\"label\">100%%</text><text "
                    "x=\"4\" y=\"%d\" class=\"label\">0%%</text>\n",
                    width, height, width, height, left, bottom, width - right, bottom, top + 4,
                    bottom);
    double step = n > 1 ? (double)(width - left - right - 20) / (double)(n - 1) : 0;
    doge_buf_append_str(b, "<polyline class=\"line\" points=\"");
    for (size_t i = 0; i < n; i++) {
        double rate = json_real_value(json_object_get(json_array_get(t, i), "rate"));
        doge_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", left + 10 + (double)i * step,
                        bottom - rate * (bottom - top));
    }
    doge_buf_append_str(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(t, i);
        double rate = json_real_value(json_object_get(e, "rate"));
        double x = left + 10 + (double)i * step;
        doge_buf_printf(b, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>", x,
                        bottom - rate * (bottom - top));
        esc(b, json_string_value(json_object_get(e, "week")));
        doge_buf_printf(b, ": %.1f%%</title></circle><text x=\"%.1f\" y=\"%d\" "
                           "text-anchor=\"middle\" class=\"label\">",
                        rate * 100, x, bottom + 16);
        esc(b, json_string_value(json_object_get(e, "week")));
        doge_buf_append_str(b, "</text>\n");
    }
    doge_buf_append_str(b, "</svg></figure>\n");
}

static void cluster_table(doge_buf *b, json_t *report)
{
    json_t *cl = json_object_get(report, "clusters");
    if (!json_array_size(cl))
        return;
    doge_buf_append_str(b, "<table><thead><tr><th>Size</th><th>Exact copies</th>"
                           "<th>Departments</th><th>Min. Jaccard</th><th>Representative "
                           "reply</th></tr></thead><tbody>\n");
    size_t i;
    json_t *c;
    json_array_foreach(cl, i, c) {
        doge_buf_printf(b, "<tr><td>%lld</td><td>%lld</td><td>",
                        (long long)json_integer_value(json_object_get(c, "size")),
                        (long long)json_integer_value(json_object_get(c, "exact")));
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(c, "departments"), k, d) {
            if (k)
                doge_buf_append_str(b, ", ");
            esc(b, json_string_value(d));
        }
        doge_buf_printf(b, "</td><td>%.2f</td><td>#%lld: <q>",
                        json_real_value(json_object_get(c, "min_jaccard")),
                        (long long)json_integer_value(json_object_get(c, "representative")));
        esc_short(b, json_string_value(json_object_get(c, "text")), 300);
        doge_buf_append_str(b, "</q></td></tr>\n");
    }
    doge_buf_append_str(b, "</tbody></table>\n");
}

int doge_review_report_html(const json_t *report_c, char **out, size_t *len)
{
    json_t *report = (json_t *)report_c; /* read only; jansson's getters are not const */
    doge_buf b;
    doge_buf_init(&b, (size_t)256 << 20);
    const char *week = json_string_value(json_object_get(report, "week"));
    json_t *total = json_object_get(json_object_get(report, "response"), "total");
    json_t *rev = json_object_get(report, "review");
    json_t *q = json_object_get(report, "queue");
    doge_buf_append_str(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                            "<title>doge pulse report ");
    esc(&b, week);
    doge_buf_append_str(
        &b, "</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1b1b1b}"
            "h1{font-size:1.5em}figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:"
            ".3em}.bar{fill:#2b6cb0}#clusters .bar{fill:#c05621}.label,.value{font-size:12px;"
            "fill:#333}.axis{stroke:#888}.line{fill:none;stroke:#2f855a;stroke-width:2}.point{"
            "fill:#2f855a}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:"
            "4px 8px;text-align:left;vertical-align:top}.kpi{display:inline-block;margin-right:"
            "2em}.kpi b{display:block;font-size:1.6em}</style></head><body>\n<h1>Weekly check-in "
            "report: ");
    esc(&b, week);
    doge_buf_append_str(&b, "</h1>\n<p>Generated ");
    esc(&b, json_string_value(json_object_get(report, "generated_at")));
    doge_buf_append_str(&b, " by doge. Review results inform a human reviewer; nothing here "
                            "acts on an employee.</p>\n<section id=\"summary\">");
    double rate = json_real_value(json_object_get(total, "rate"));
    doge_buf_printf(&b,
                    "<span class=\"kpi\"><b>%lld</b>expected</span><span class=\"kpi\"><b>%lld"
                    "</b>replied (%.1f%%)</span><span class=\"kpi\"><b>%lld</b>bullets "
                    "reviewed</span><span class=\"kpi\"><b>%.2f</b>mean specificity</span><span "
                    "class=\"kpi\"><b>%lld</b>vague replies</span><span class=\"kpi\"><b>%lld</b>"
                    "in the review queue</span>",
                    (long long)json_integer_value(json_object_get(total, "expected")),
                    (long long)json_integer_value(json_object_get(total, "replied")), rate * 100,
                    (long long)json_integer_value(json_object_get(rev, "bullets")),
                    json_real_value(json_object_get(json_object_get(report, "specificity"),
                                                    "mean")),
                    (long long)json_integer_value(json_object_get(rev, "vague")),
                    (long long)json_integer_value(json_object_get(q, "needs_review")));
    doge_buf_append_str(&b, "</section>\n");
    response_chart(&b, report);
    category_chart(&b, report);
    specificity_chart(&b, report);
    cluster_chart(&b, report);
    cluster_table(&b, report);
    trend_chart(&b, report);
    doge_buf_append_str(&b, "</body></html>\n");
    int rc = doge_buf_detach(&b, out, len);
    doge_buf_dispose(&b);
    return rc;
}
