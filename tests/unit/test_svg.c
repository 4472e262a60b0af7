/*
 * test_svg.c — the SVG chart helper: output is well-formed XML (checked by a
 * small tag-balancing reader here), carries a viewBox, role="img", <title>
 * and <desc>, escapes every piece of text, draws one rect per bar plus the
 * background, markers for the last series, negative bars below zero, a
 * histogram whose bins add up to the input count, the same bytes for the
 * same input, and refuses bad charts without writing anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "doge/svg.h"

/* Tag balance and entity check: returns NULL when well formed, else why. */
static const char *well_formed(const char *s)
{
    static char why[128];
    char stack[64][32];
    int depth = 0, seen_root = 0;
    const char *p = s;
    while (*p) {
        if (*p == '&') {
            const char *semi = strchr(p, ';');
            if (!semi || semi - p > 6)
                return "bare ampersand";
            p = semi + 1;
            continue;
        }
        if (*p != '<') {
            if (*p == '>')
                return "bare >";
            p++;
            continue;
        }
        const char *end = strchr(p, '>');
        if (!end)
            return "unclosed tag";
        /* Quotes inside the tag must balance. */
        int q = 0;
        for (const char *k = p; k < end; k++)
            if (*k == '"')
                q ^= 1;
        if (q)
            return "unbalanced quote";
        if (p[1] == '/') {
            size_t n = (size_t)(end - p - 2);
            if (depth == 0 || strlen(stack[depth - 1]) != n ||
                strncmp(stack[depth - 1], p + 2, n) != 0) {
                snprintf(why, sizeof why, "mismatched close at %.20s", p);
                return why;
            }
            depth--;
        } else if (end[-1] != '/') {
            size_t n = strcspn(p + 1, " >");
            if (depth == 64 || n >= 32)
                return "too deep";
            memcpy(stack[depth], p + 1, n);
            stack[depth][n] = 0;
            depth++;
            seen_root = 1;
        }
        p = end + 1;
    }
    if (depth != 0)
        return "unclosed element";
    return seen_root ? NULL : "no element";
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void money_fmt(double v, char *out, size_t cap, void *ctx)
{
    (void)ctx;
    snprintf(out, cap, "$%.0f", v);
}

static void test_bar_chart(void **state)
{
    (void)state;
    const char *labels[] = {"Dept <A> & Co", "B \"quoted\"", "C"};
    double v1[] = {10, 25.5, 0}, v2[] = {5, 30, 2};
    doge_svg_series s[] = {{"claimed", v1, NULL}, {"verified", v2, "#2ca02c"}};
    doge_svg_chart c;
    memset(&c, 0, sizeof c);
    c.title = "Claimed vs verified <savings>";
    c.desc = "Per agency & total";
    c.labels = labels;
    c.ncategories = 3;
    c.series = s;
    c.nseries = 2;
    c.format = money_fmt;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_OK);
    const char *svg = doge_buf_cstr(&b);
    const char *why = well_formed(svg);
    if (why)
        fail_msg("not well formed: %s\n%s", why, svg);
    assert_non_null(strstr(svg, "viewBox=\"0 0 720 360\""));
    assert_non_null(strstr(svg, "role=\"img\""));
    assert_non_null(strstr(svg, "<title>Claimed vs verified &lt;savings&gt;</title>"));
    assert_non_null(strstr(svg, "<desc>Per agency &amp; total</desc>"));
    assert_non_null(strstr(svg, "Dept &lt;A&gt; &amp; Co"));
    assert_non_null(strstr(svg, "B &quot;quoted&quot;"));
    assert_null(strstr(svg, "<A>"));
    /* Background + 2 legend swatches + 6 bars. */
    assert_int_equal(count(svg, "<rect"), 1 + 2 + 6);
    assert_non_null(strstr(svg, "$30"));
    assert_non_null(strstr(svg, "#2ca02c"));
    assert_int_equal(count(svg, "http://"), 1); /* only the namespace URI */
    assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
    assert_int_equal(count(svg, "https://"), 0);
    /* The same input gives the same bytes. */
    doge_buf b2;
    doge_buf_init(&b2, 0);
    assert_int_equal(doge_svg_bar_chart(&b2, &c), DOGE_OK);
    assert_string_equal(doge_buf_cstr(&b2), svg);
    doge_buf_dispose(&b2);
    doge_buf_dispose(&b);
}

static void test_markers_and_horizontal(void **state)
{
    (void)state;
    const char *labels[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double obs[9], exp_[9];
    for (int d = 1; d <= 9; d++) {
        exp_[d - 1] = log10(1.0 + 1.0 / d);
        obs[d - 1] = 1.0 / 9.0;
    }
    doge_svg_series s[] = {{"observed", obs, NULL}, {"Benford", exp_, "#d62728"}};
    doge_svg_chart c;
    memset(&c, 0, sizeof c);
    c.title = "First digits";
    c.desc = "Observed first-digit frequencies against Benford's law";
    c.labels = labels;
    c.ncategories = 9;
    c.series = s;
    c.nseries = 2;
    c.flags = DOGE_SVG_LAST_MARKERS;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_OK);
    const char *svg = doge_buf_cstr(&b);
    assert_null(well_formed(svg));
    assert_int_equal(count(svg, "<circle"), 9 + 1); /* markers + legend */
    assert_int_equal(count(svg, "<polyline"), 1);
    assert_int_equal(count(svg, "<rect"), 1 + 1 + 9); /* background, legend, bars */
    doge_buf_reset(&b);
    /* Horizontal with a negative value: the bar lies left of the zero line. */
    const char *names[] = {"Department of Defense", "NASA"};
    double v[] = {-50, 100};
    doge_svg_series one = {"net", v, NULL};
    memset(&c, 0, sizeof c);
    c.title = "Net";
    c.desc = "Net obligations";
    c.labels = names;
    c.ncategories = 2;
    c.series = &one;
    c.nseries = 1;
    c.flags = DOGE_SVG_HORIZONTAL | DOGE_SVG_NO_VALUES;
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_OK);
    svg = doge_buf_cstr(&b);
    assert_null(well_formed(svg));
    assert_non_null(strstr(svg, "Department of Defense"));
    assert_int_equal(count(svg, "<rect"), 1 + 2);
    doge_buf_dispose(&b);
}

static void test_histogram(void **state)
{
    (void)state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = i % 10; /* ten of each 0..9 */
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_int_equal(doge_svg_histogram(&b, "Spread", "Values in 5 bins", v, 100, 5, NULL, NULL,
                                        NULL),
                     DOGE_OK);
    const char *svg = doge_buf_cstr(&b);
    assert_null(well_formed(svg));
    /* Each bin holds two values of ten each: 20 per bin, five bins. */
    assert_int_equal(count(svg, ": 20</title>"), 5);
    doge_buf_reset(&b);
    /* All equal: one bin. */
    double same[3] = {7, 7, 7};
    assert_int_equal(doge_svg_histogram(&b, "One", "d", same, 3, 10, NULL, NULL, NULL), DOGE_OK);
    assert_int_equal(count(doge_buf_cstr(&b), ": 3</title>"), 1);
    doge_buf_dispose(&b);
}

static void test_refusals(void **state)
{
    (void)state;
    double v[1] = {NAN};
    const char *l[1] = {"x"};
    doge_svg_series s = {"s", v, NULL};
    doge_svg_chart c;
    memset(&c, 0, sizeof c);
    c.title = "t";
    c.desc = "d";
    c.labels = l;
    c.ncategories = 1;
    c.series = &s;
    c.nseries = 1;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_int_equal(doge_buf_append_str(&b, "keep"), DOGE_OK);
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "not finite"));
    v[0] = 1;
    c.ncategories = 0;
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_EINVAL);
    c.ncategories = 1;
    c.flags = DOGE_SVG_LAST_MARKERS;
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_EINVAL);
    c.flags = 0;
    c.title = NULL;
    assert_int_equal(doge_svg_bar_chart(&b, &c), DOGE_EINVAL);
    assert_string_equal(doge_buf_cstr(&b), "keep");
    /* Escaping drops control bytes XML cannot carry. */
    doge_buf_reset(&b);
    assert_int_equal(doge_svg_escape(&b, "a\x01" "b'c", 5), DOGE_OK);
    assert_string_equal(doge_buf_cstr(&b), "ab&#39;c");
    doge_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bar_chart),
        cmocka_unit_test(test_markers_and_horizontal),
        cmocka_unit_test(test_histogram),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
