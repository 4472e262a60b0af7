/*
 * test_progress.c — the progress bar with a fake clock and an in-memory
 * sink: exact rendered lines (count, percent, rate, ETA), the 100 ms redraw
 * throttle, unknown totals, long and unknown ETAs, the final line, padding
 * over a longer previous line, and that it stays silent when quiet or when
 * stderr is not a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "util_assert.h"

#define MS 1000000ULL
#define SEC 1000000000ULL

struct fake {
    uint64_t now;
};

static uint64_t fake_clock(void *ctx) { return ((struct fake *)ctx)->now; }

struct sink {
    FILE *f;
    char *data;
    size_t len;
};

static void sink_open(struct sink *s)
{
    s->data = NULL;
    s->len = 0;
    s->f = open_memstream(&s->data, &s->len);
    assert_non_null(s->f);
}

static const char *sink_text(struct sink *s)
{
    fflush(s->f);
    return s->data ? s->data : "";
}

static void sink_close(struct sink *s)
{
    fclose(s->f);
    free(s->data);
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

/* The text after the last '\r'. */
static const char *last_line(const char *s)
{
    const char *r = strrchr(s, '\r');
    return r ? r + 1 : s;
}

static doge_progress *make(const char *label, uint64_t total, struct fake *clk, struct sink *s)
{
    doge_progress *p = NULL;
    assert_ok(doge_progress_new(&p, label, total, 0));
    doge_progress_set_clock(p, fake_clock, clk);
    doge_progress_set_sink(p, s->f);
    assert_int_equal(doge_progress_enabled(p), 1);
    return p;
}

static void test_render_and_throttle(void **state)
{
    (void)state;
    struct fake clk = {5 * SEC};
    struct sink s;
    sink_open(&s);
    doge_progress *p = make("ingest", 10000, &clk, &s);

    doge_progress_update(p, 10); /* at the start: too soon to draw */
    assert_string_equal(sink_text(&s), "");
    clk.now += 1 * SEC;
    doge_progress_update(p, 1500);
    assert_string_equal(sink_text(&s),
                        "\ringest [###                 ]  15.0%  1500/10000  1500.0/s  ETA 0:05");
    clk.now += 50 * MS; /* within 100 ms of the last draw */
    doge_progress_update(p, 1600);
    assert_int_equal(count_char(sink_text(&s), '\r'), 1);
    clk.now += 60 * MS;
    doge_progress_update(p, 4500);
    assert_int_equal(count_char(sink_text(&s), '\r'), 2);
    assert_string_equal(last_line(sink_text(&s)),
                        "ingest [#########           ]  45.0%  4500/10000  4054.1/s  ETA 0:01");
    /* 1000 updates over one second draw about ten times. */
    for (int i = 0; i < 1000; i++) {
        clk.now += 1 * MS;
        doge_progress_update(p, 4500 + (uint64_t)i);
    }
    size_t draws = count_char(sink_text(&s), '\r') - 2;
    assert_true(draws >= 9 && draws <= 10);

    clk.now = 12 * SEC;
    doge_progress_update(p, 10000);
    doge_progress_finish(p);
    const char *text = sink_text(&s);
    assert_string_equal(last_line(text),
                        "ingest [####################] 100.0%  10000/10000  1428.6/s  in 0:07 \n");
    size_t before = strlen(text);
    doge_progress_update(p, 5); /* ignored after finish */
    doge_progress_finish(p);
    assert_int_equal(strlen(sink_text(&s)), before);
    doge_progress_free(p);
    assert_int_equal(strlen(sink_text(&s)), before); /* no extra newline */
    sink_close(&s);
}

static void test_eta_forms(void **state)
{
    (void)state;
    struct fake clk = {0};
    struct sink s;
    sink_open(&s);
    doge_progress *p = make("send", 100000, &clk, &s);
    clk.now = 200 * MS;
    doge_progress_update(p, 0); /* nothing done yet: no rate, no ETA */
    assert_string_equal(last_line(sink_text(&s)),
                        "send [                    ]   0.0%  0/100000  0.0/s  ETA --:--");
    clk.now = 10 * SEC;
    doge_progress_update(p, 10); /* 1/s: 99990 s left */
    assert_non_null(strstr(last_line(sink_text(&s)), "1.0/s  ETA 27:46:30"));
    clk.now = 1000 * SEC;
    doge_progress_update(p, 1); /* 0.001/s: far beyond 99 hours */
    assert_non_null(strstr(last_line(sink_text(&s)), "0.0/s  ETA >99h"));
    clk.now = 1001 * SEC;
    doge_progress_update(p, 200000); /* past the total: clamped */
    assert_non_null(strstr(last_line(sink_text(&s)), "] 100.0%  200000/100000"));
    assert_non_null(strstr(last_line(sink_text(&s)), "ETA 0:00"));
    doge_progress_free(p); /* unfinished: ends the line */
    const char *text = sink_text(&s);
    assert_int_equal(text[strlen(text) - 1], '\n');
    sink_close(&s);
}

static void test_unknown_total_and_padding(void **state)
{
    (void)state;
    struct fake clk = {0};
    struct sink s;
    sink_open(&s);
    doge_progress *p = make(NULL, 0, &clk, &s);
    clk.now = 2 * SEC;
    doge_progress_update(p, 123456);
    assert_string_equal(sink_text(&s), "\r123456  61728.0/s");
    clk.now = 4 * SEC;
    doge_progress_update(p, 7);
    /* The shorter line is padded to cover the longer one. */
    assert_string_equal(last_line(sink_text(&s)), "7  1.8/s         ");
    doge_progress_finish(p);
    assert_string_equal(last_line(sink_text(&s)), "7  1.8/s  in 0:04\n");
    doge_progress_free(p);
    sink_close(&s);
}

static void test_long_run_duration(void **state)
{
    (void)state;
    struct fake clk = {0};
    struct sink s;
    sink_open(&s);
    doge_progress *p = make("audit", 10, &clk, &s);
    clk.now = 3661 * SEC;
    doge_progress_update(p, 10);
    doge_progress_finish(p);
    assert_non_null(strstr(sink_text(&s), "in 1:01:01\n"));
    doge_progress_free(p);
    sink_close(&s);
}

static void test_disabled(void **state)
{
    (void)state;
    struct sink s;
    sink_open(&s);
    doge_progress *p;
    /* Quiet wins even over an explicit sink. */
    assert_ok(doge_progress_new(&p, "quiet", 10, DOGE_PROGRESS_QUIET | DOGE_PROGRESS_FORCE));
    assert_int_equal(doge_progress_enabled(p), 0);
    doge_progress_set_sink(p, s.f);
    assert_int_equal(doge_progress_enabled(p), 0);
    doge_progress_update(p, 5);
    doge_progress_finish(p);
    doge_progress_free(p);
    assert_string_equal(sink_text(&s), "");

    /* Default: on only when stderr is a terminal (never under ctest). */
    assert_ok(doge_progress_new(&p, "auto", 10, 0));
    assert_int_equal(doge_progress_enabled(p), isatty(STDERR_FILENO) ? 1 : 0);
    doge_progress_set_sink(p, NULL); /* NULL turns drawing off */
    assert_int_equal(doge_progress_enabled(p), 0);
    doge_progress_update(p, 5);
    doge_progress_free(p);

    assert_ok(doge_progress_new(&p, "forced", 10, DOGE_PROGRESS_FORCE));
    assert_int_equal(doge_progress_enabled(p), 1);
    doge_progress_set_sink(p, s.f); /* keep test output off stderr */
    doge_progress_set_clock(p, NULL, NULL); /* the real clock */
    doge_progress_finish(p);
    assert_non_null(strstr(sink_text(&s), "forced ["));
    assert_non_null(strstr(sink_text(&s), "0/10"));
    doge_progress_free(p);
    doge_progress_free(NULL);
    sink_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_and_throttle),
        cmocka_unit_test(test_eta_forms),
        cmocka_unit_test(test_unknown_total_and_padding),
        cmocka_unit_test(test_long_run_duration),
        cmocka_unit_test(test_disabled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
