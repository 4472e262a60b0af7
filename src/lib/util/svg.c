/*
 * svg.c — the SVG bar chart and histogram of doge/svg.h. The chart is laid
 * out in a fixed coordinate system (the viewBox) with a value axis that
 * starts at zero or below and ends at a "nice" round step (1, 2 or 5 times a
 * power of ten) above the largest value, gridlines at each step, grouped
 * bars per category, optional markers joined by a line for the last series,
 * a legend when there is more than one series, and category labels turned
 * 45 degrees when there are many. Coordinates are printed with two decimals
 * so the same input always gives the same bytes.
 */
#include "doge/svg.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
                                      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};

int doge_svg_escape(doge_buf *out, const char *text, size_t len)
{
    size_t run = 0;
    int rc;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *ent = NULL;
        switch (c) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n')
                ent = "";
        }
        if (!ent)
            continue;
        if ((rc = doge_buf_append(out, text + run, i - run)) ||
            (rc = doge_buf_append_str(out, ent)))
            return rc;
        run = i + 1;
    }
    return doge_buf_append(out, text + run, len - run);
}

static int esc(doge_buf *out, const char *s) { return doge_svg_escape(out, s, s ? strlen(s) : 0); }

static void default_format(double v, char *out, size_t cap, void *ctx)
{
    (void)ctx;
    snprintf(out, cap, "%g", v);
}

/* A round step (1, 2 or 5 times a power of ten) near span/5. */
static double nice_step(double span)
{
    double raw = span / 5.0;
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;
    double s = m <= 1.0 ? 1.0 : m <= 2.0 ? 2.0 : m <= 5.0 ? 5.0 : 10.0;
    return s * p;
}

typedef struct layout {
    double w, h, left, right, top, bottom; /* viewBox and plot margins */
    double lo, hi, step;                   /* value axis */
    size_t nbars;                          /* series drawn as bars */
    int horizontal, markers, rotate;
} layout;

/* Maps a value to the plot coordinate along the value axis. */
static double vpos(const layout *L, double v)
{
    double f = (v - L->lo) / (L->hi - L->lo);
    if (L->horizontal)
        return L->left + f * (L->w - L->left - L->right);
    return L->h - L->bottom - f * (L->h - L->top - L->bottom);
}

static int check_chart(const doge_svg_chart *c)
{
    if (!c || !c->title || !c->desc || !c->series)
        return doge__error_set(DOGE_EINVAL, "svg: a chart needs a title, a description and series");
    if (c->ncategories == 0 || c->ncategories > DOGE_SVG_MAX_CATEGORIES)
        return doge__error_set(DOGE_EINVAL, "svg: %zu categories (1 to %d)", c->ncategories,
                               DOGE_SVG_MAX_CATEGORIES);
    if (c->nseries == 0 || c->nseries > DOGE_SVG_MAX_SERIES)
        return doge__error_set(DOGE_EINVAL, "svg: %zu series (1 to %d)", c->nseries,
                               DOGE_SVG_MAX_SERIES);
    if ((c->flags & DOGE_SVG_LAST_MARKERS) && c->nseries < 2)
        return doge__error_set(DOGE_EINVAL, "svg: markers need a second series");
    for (size_t s = 0; s < c->nseries; s++) {
        if (!c->series[s].values)
            return doge__error_set(DOGE_EINVAL, "svg: series %zu has no values", s);
        for (size_t i = 0; i < c->ncategories; i++)
            if (!isfinite(c->series[s].values[i]))
                return doge__error_set(DOGE_EINVAL, "svg: series %zu value %zu is not finite", s,
                                       i);
    }
    return DOGE_OK;
}

static void plan(const doge_svg_chart *c, layout *L)
{
    memset(L, 0, sizeof *L);
    L->horizontal = (c->flags & DOGE_SVG_HORIZONTAL) != 0;
    L->markers = (c->flags & DOGE_SVG_LAST_MARKERS) != 0;
    L->nbars = c->nseries - (L->markers ? 1 : 0);
    double lo = 0, hi = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->ncategories; i++) {
            double v = c->series[s].values[i];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
    if (hi - lo <= 0)
        hi = lo + 1;
    L->step = nice_step(hi - lo);
    L->lo = lo < 0 ? -ceil(-lo / L->step) * L->step : 0;
    L->hi = ceil(hi / L->step) * L->step;
    if (L->hi <= L->lo)
        L->hi = L->lo + L->step;
    L->top = c->nseries > 1 ? 56 : 36;
    L->w = c->width ? c->width : 720;
    if (L->horizontal) {
        size_t longest = 0;
        for (size_t i = 0; i < c->ncategories; i++) {
            size_t n = c->labels && c->labels[i] ? strlen(c->labels[i]) : 0;
            longest = n > longest ? n : longest;
        }
        L->left = 12 + 6.2 * (double)(longest > 45 ? 45 : longest);
        if (L->left < 60)
            L->left = 60;
        L->right = 70;
        L->bottom = 30;
        double band = 10 + 14.0 * (double)(L->nbars ? L->nbars : 1);
        L->h = c->height ? c->height : L->top + L->bottom + band * (double)c->ncategories;
    } else {
        L->rotate = c->ncategories > 12;
        L->left = 70;
        L->right = 16;
        L->bottom = L->rotate ? 110 : 40;
        L->h = c->height ? c->height : 360;
    }
}

/* Draws the value axis: gridlines and tick labels. */
static int axis(doge_buf *o, const doge_svg_chart *c, const layout *L)
{
    char t[64];
    int rc = 0;
    doge_svg_format_fn fmt = c->format ? c->format : default_format;
    int ticks = (int)floor((L->hi - L->lo) / L->step + 0.5);
    for (int k = 0; k <= ticks && rc == 0; k++) {
        double v = L->lo + L->step * k;
        if (fabs(v) < L->step * 1e-9)
            v = 0;
        double p = vpos(L, v);
        fmt(v, t, sizeof t, c->format_ctx);
        if (L->horizontal)
            rc = doge_buf_printf(o,
                                 "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                                 "stroke=\"#ddd\"/><text x=\"%.2f\" y=\"%.2f\" "
                                 "text-anchor=\"middle\" font-size=\"10\">",
                                 p, L->top, p, L->h - L->bottom, p, L->h - L->bottom + 14);
        else
            rc = doge_buf_printf(o,
                                 "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                                 "stroke=\"#ddd\"/><text x=\"%.2f\" y=\"%.2f\" "
                                 "text-anchor=\"end\" font-size=\"10\">",
                                 L->left, p, L->w - L->right, p, L->left - 6, p + 3.5);
        if (rc == 0 && (rc = esc(o, t)) == 0)
            rc = doge_buf_append_str(o, "</text>");
    }
    if (rc == 0) {
        double z = vpos(L, 0);
        if (L->horizontal)
            rc = doge_buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                                    "stroke=\"#333\"/>",
                                 z, L->top, z, L->h - L->bottom);
        else
            rc = doge_buf_printf(o, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
                                    "stroke=\"#333\"/>",
                                 L->left, z, L->w - L->right, z);
    }
    return rc;
}

static int legend(doge_buf *o, const doge_svg_chart *c, const layout *L)
{
    double x = L->left;
    int rc = 0;
    for (size_t s = 0; s < c->nseries && rc == 0; s++) {
        const char *col = c->series[s].color ? c->series[s].color : palette[s];
        int marker = L->markers && s == c->nseries - 1;
        if (marker)
            rc = doge_buf_printf(o, "<circle cx=\"%.2f\" cy=\"40\" r=\"4\" fill=\"", x + 5);
        else
            rc = doge_buf_printf(o, "<rect x=\"%.2f\" y=\"34\" width=\"12\" height=\"12\" fill=\"",
                                 x);
        if (rc == 0 && (rc = esc(o, col)) == 0)
            rc = doge_buf_printf(o, "\"/><text x=\"%.2f\" y=\"44\" font-size=\"11\">", x + 16);
        const char *name = c->series[s].name ? c->series[s].name : "";
        if (rc == 0 && (rc = esc(o, name)) == 0)
            rc = doge_buf_append_str(o, "</text>");
        x += 30 + 6.5 * (double)strlen(name);
    }
    return rc;
}

static int bars(doge_buf *o, const doge_svg_chart *c, const layout *L)
{
    char t[64];
    int rc = 0;
    doge_svg_format_fn fmt = c->format ? c->format : default_format;
    size_t n = c->ncategories;
    double span = L->horizontal ? L->h - L->top - L->bottom : L->w - L->left - L->right;
    double band = span / (double)n;
    double bw = L->nbars ? band * 0.8 / (double)L->nbars : 0;
    int values = !(c->flags & DOGE_SVG_NO_VALUES) && n * (L->nbars ? L->nbars : 1) <= 60;
    double z = vpos(L, 0);
    for (size_t i = 0; i < n && rc == 0; i++) {
        double b0 = (L->horizontal ? L->top : L->left) + band * (double)i + band * 0.1;
        for (size_t s = 0; s < L->nbars && rc == 0; s++) {
            double v = c->series[s].values[i];
            double p = vpos(L, v);
            double a = b0 + bw * (double)s;
            const char *col = c->series[s].color ? c->series[s].color : palette[s];
            if (L->horizontal)
                rc = doge_buf_printf(o, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                                        "height=\"%.2f\" fill=\"",
                                     p < z ? p : z, a, fabs(p - z), bw);
            else
                rc = doge_buf_printf(o, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                                        "height=\"%.2f\" fill=\"",
                                     a, p < z ? p : z, bw, fabs(p - z));
            if (rc == 0 && (rc = esc(o, col)) == 0)
                rc = doge_buf_append_str(o, "\"><title>");
            const char *lab = c->labels && c->labels[i] ? c->labels[i] : "";
            fmt(v, t, sizeof t, c->format_ctx);
            if (rc == 0 && (rc = esc(o, lab)) == 0 && (rc = doge_buf_append_str(o, ": ")) == 0 &&
                (rc = esc(o, t)) == 0)
                rc = doge_buf_append_str(o, "</title></rect>");
            if (rc == 0 && values) {
                if (L->horizontal)
                    rc = doge_buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\">",
                                         (p > z ? p : z) + 4, a + bw / 2 + 3.5);
                else
                    rc = doge_buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"10\" "
                                            "text-anchor=\"middle\">",
                                         a + bw / 2, (p < z ? p : z) - 3);
                if (rc == 0 && (rc = esc(o, t)) == 0)
                    rc = doge_buf_append_str(o, "</text>");
            }
        }
        /* The category label. */
        const char *lab = c->labels && c->labels[i] ? c->labels[i] : "";
        double mid = (L->horizontal ? L->top : L->left) + band * ((double)i + 0.5);
        if (rc == 0) {
            if (L->horizontal)
                rc = doge_buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" "
                                        "font-size=\"11\">",
                                     L->left - 6, mid + 4);
            else if (L->rotate)
                rc = doge_buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" "
                                        "font-size=\"11\" transform=\"rotate(-45 %.2f %.2f)\">",
                                     mid, L->h - L->bottom + 14, mid, L->h - L->bottom + 14);
            else
                rc = doge_buf_printf(o, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\" "
                                        "font-size=\"11\">",
                                     mid, L->h - L->bottom + 16);
        }
        if (rc == 0) {
            size_t ll = strlen(lab);
            rc = doge_svg_escape(o, lab, ll > 45 ? 45 : ll);
            if (rc == 0 && ll > 45)
                rc = doge_buf_append_str(o, "\xE2\x80\xA6");
            if (rc == 0)
                rc = doge_buf_append_str(o, "</text>");
        }
    }
    if (rc == 0 && L->markers) {
        const doge_svg_series *m = &c->series[c->nseries - 1];
        const char *col = m->color ? m->color : palette[c->nseries - 1];
        rc = doge_buf_append_str(o, "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"");
        if (rc == 0 && (rc = esc(o, col)) == 0)
            rc = doge_buf_append_str(o, "\" points=\"");
        for (size_t i = 0; i < n && rc == 0; i++) {
            double mid = (L->horizontal ? L->top : L->left) + band * ((double)i + 0.5);
            double p = vpos(L, m->values[i]);
            rc = L->horizontal ? doge_buf_printf(o, "%s%.2f,%.2f", i ? " " : "", p, mid)
                               : doge_buf_printf(o, "%s%.2f,%.2f", i ? " " : "", mid, p);
        }
        if (rc == 0)
            rc = doge_buf_append_str(o, "\"/>");
        for (size_t i = 0; i < n && rc == 0; i++) {
            double mid = (L->horizontal ? L->top : L->left) + band * ((double)i + 0.5);
            double p = vpos(L, m->values[i]);
            rc = doge_buf_printf(o, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"3.5\" fill=\"",
                                 L->horizontal ? p : mid, L->horizontal ? mid : p);
            if (rc == 0 && (rc = esc(o, col)) == 0)
                rc = doge_buf_append_str(o, "\"><title>");
            fmt(m->values[i], t, sizeof t, c->format_ctx);
            const char *lab = c->labels && c->labels[i] ? c->labels[i] : "";
            if (rc == 0 && (rc = esc(o, m->name ? m->name : "")) == 0 &&
                (rc = doge_buf_append_str(o, " ")) == 0 && (rc = esc(o, lab)) == 0 &&
                (rc = doge_buf_append_str(o, ": ")) == 0 && (rc = esc(o, t)) == 0)
                rc = doge_buf_append_str(o, "</title></circle>");
        }
    }
    return rc;
}

int doge_svg_bar_chart(doge_buf *out, const doge_svg_chart *c)
{
    int rc = check_chart(c);
    if (rc)
        return rc;
    layout L;
    plan(c, &L);
    size_t mark = out->len;
    rc = doge_buf_printf(out,
                         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                         "role=\"img\" font-family=\"sans-serif\" style=\"max-width:100%%;"
                         "height:auto\"><title>",
                         L.w, L.h);
    if (rc == 0 && (rc = esc(out, c->title)) == 0 &&
        (rc = doge_buf_append_str(out, "</title><desc>")) == 0 && (rc = esc(out, c->desc)) == 0)
        rc = doge_buf_printf(out,
                             "</desc><rect width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>"
                             "<text x=\"%.2f\" y=\"20\" font-size=\"14\" font-weight=\"bold\">",
                             L.w, L.h, L.left);
    if (rc == 0 && (rc = esc(out, c->title)) == 0)
        rc = doge_buf_append_str(out, "</text>");
    if (rc == 0 && c->nseries > 1)
        rc = legend(out, c, &L);
    if (rc == 0)
        rc = axis(out, c, &L);
    if (rc == 0)
        rc = bars(out, c, &L);
    if (rc == 0)
        rc = doge_buf_append_str(out, "</svg>\n");
    if (rc)
        doge_buf_truncate(out, mark);
    return rc;
}

int doge_svg_histogram(doge_buf *out, const char *title, const char *desc, const double *values,
                       size_t n, size_t nbins, const char *color, doge_svg_format_fn format,
                       void *format_ctx)
{
    if (nbins == 0 || nbins > DOGE_SVG_MAX_CATEGORIES)
        return doge__error_set(DOGE_EINVAL, "svg: %zu bins (1 to %d)", nbins,
                               DOGE_SVG_MAX_CATEGORIES);
    if (n > 0 && !values)
        return doge__error_set(DOGE_EINVAL, "svg: a histogram of no values");
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values[i]))
            return doge__error_set(DOGE_EINVAL, "svg: histogram value %zu is not finite", i);
        if (i == 0 || values[i] < lo)
            lo = values[i];
        if (i == 0 || values[i] > hi)
            hi = values[i];
    }
    if (hi <= lo)
        nbins = 1;
    double *counts = calloc(nbins, sizeof *counts);
    char *text = calloc(nbins, 32);
    const char **labels = calloc(nbins, sizeof *labels);
    int rc;
    if (!counts || !text || !labels) {
        rc = doge__error_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = hi > lo ? (size_t)((values[i] - lo) / (hi - lo) * (double)nbins) : 0;
        counts[b < nbins ? b : nbins - 1] += 1;
    }
    doge_svg_format_fn fmt = format ? format : default_format;
    for (size_t b = 0; b < nbins; b++) {
        fmt(lo + (hi - lo) * (double)b / (double)nbins, text + 32 * b, 32, format_ctx);
        labels[b] = text + 32 * b;
    }
    doge_svg_series s = {"count", counts, color};
    doge_svg_chart c;
    memset(&c, 0, sizeof c);
    c.title = title;
    c.desc = desc;
    c.labels = labels;
    c.ncategories = nbins;
    c.series = &s;
    c.nseries = 1;
    rc = doge_svg_bar_chart(out, &c);
done:
    free(counts);
    free(text);
    free(labels);
    return rc;
}
