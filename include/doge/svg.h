/*
 * doge/svg.h — small, dependency-free SVG charts for doge's self-contained
 * HTML reports (spend audit, receipts, pulse): a bar chart with one or more
 * series (grouped bars, optionally the last series drawn as markers, e.g.
 * Benford's expected frequencies over the observed bars), vertical or
 * horizontal, with category labels, value labels and a legend; and a
 * histogram that bins raw values into a bar chart. Output is one <svg>
 * element with a viewBox (it scales with the page), role="img", a <title>
 * and a <desc> for screen readers, and every piece of text XML-escaped.
 * Nothing is fetched from the network and no script is used.
 *
 * Ownership: every function appends to a caller-owned doge_buf; labels,
 * series names, values and colours stay the caller's and are only read
 * during the call.
 */
#ifndef DOGE_SVG_H
#define DOGE_SVG_H

#include "doge/buf.h"
#include "doge/common.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most categories and series a chart takes (more is DOGE_EINVAL). */
#define DOGE_SVG_MAX_CATEGORIES 1000
#define DOGE_SVG_MAX_SERIES 8

/* Writes a value label: the text for v into out (cap bytes, NUL-ended). */
typedef void (*doge_svg_format_fn)(double v, char *out, size_t cap, void *ctx);

/* One series: n values (n = the chart's category count), a name for the
 * legend and a CSS colour ("#1f77b4"; NULL: a default palette colour). */
typedef struct doge_svg_series {
    const char *name;
    const double *values;
    const char *color;
} doge_svg_series;

/* Chart options. */
#define DOGE_SVG_HORIZONTAL 1u   /* bars grow to the right (long labels) */
#define DOGE_SVG_LAST_MARKERS 2u /* draw the last series as markers, not bars */
#define DOGE_SVG_NO_VALUES 4u    /* no value labels on the bars */

typedef struct doge_svg_chart {
    const char *title;          /* <title> and heading (required) */
    const char *desc;           /* <desc>: what the chart shows (required) */
    const char *const *labels;  /* ncategories category labels */
    size_t ncategories;
    const doge_svg_series *series;
    size_t nseries;             /* 1..DOGE_SVG_MAX_SERIES */
    unsigned flags;             /* DOGE_SVG_* */
    unsigned width, height;     /* viewBox size (0: 720 x a size that fits) */
    doge_svg_format_fn format;  /* value labels and axis (NULL: "%g") */
    void *format_ctx;
} doge_svg_chart;

/* Appends the chart as one <svg> element. Negative values are drawn from
 * zero downwards (vertical) or leftwards (horizontal); NaN and infinities
 * are DOGE_EINVAL. */
DOGE_EXTERN int doge_svg_bar_chart(doge_buf *out, const doge_svg_chart *chart);

/* Appends a histogram of n values in nbins equal bins between the smallest
 * and largest value (1..DOGE_SVG_MAX_CATEGORIES bins), labelled with each
 * bin's lower bound through format; title and desc as for bar charts. */
DOGE_EXTERN int doge_svg_histogram(doge_buf *out, const char *title, const char *desc,
                                   const double *values, size_t n, size_t nbins,
                                   const char *color, doge_svg_format_fn format,
                                   void *format_ctx);

/* Appends len bytes of text escaped for XML and HTML text and attribute
 * values (& < > " ' become entities; bytes below 0x20 other than tab and
 * newline are dropped, since XML 1.0 cannot carry them). */
DOGE_EXTERN int doge_svg_escape(doge_buf *out, const char *text, size_t len);

#ifdef __cplusplus
}
#endif
#endif
