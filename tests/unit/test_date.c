/*
 * test_date.c — dates, ISO weeks and timestamps: day numbers checked against
 * a calendar odometer over every day of years 0000..9999 (and against values
 * from Python's datetime), leap years, weekdays, ISO week edge cases around
 * New Year and 53-week years, RFC 3339 timestamps with offsets, and bad input
 * whose messages must name the text, the expectation and the offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static int32_t ymd(int y, int m, int d)
{
    int32_t days = 0;
    assert_ok(doge_date_from_ymd(y, m, d, &days));
    return days;
}

static int32_t parse(const char *s)
{
    int32_t days = 0;
    assert_ok(doge_date_parse(s, strlen(s), &days));
    return days;
}

static void test_known_days(void **state)
{
    (void)state;
    /* Reference values from Python: (date - date(1970, 1, 1)).days */
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 3, 1), 11017);
    assert_int_equal(ymd(2025, 2, 24), 20143);
    assert_int_equal(ymd(2024, 2, 29), 19782);
    assert_int_equal(ymd(1900, 3, 1), -25508);
    assert_int_equal(ymd(1, 1, 1), -719162);
    assert_int_equal(ymd(0, 1, 1), -719528);
    assert_int_equal(ymd(9999, 12, 31), 2932896);
    assert_int_equal(parse("2025-02-24"), 20143);
    int y, m, d;
    doge_date_to_ymd(-25508, &y, &m, &d);
    assert_int_equal(y, 1900);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
    /* Far outside 0..9999 the math still works (no overflow). */
    doge_date_to_ymd(INT32_MAX, &y, &m, &d);
    assert_true(y > 5000000);
    doge_date_to_ymd(INT32_MIN, &y, &m, &d);
    assert_true(y < -5000000);
}

/* Every day of 0000-01-01..9999-12-31, checked against an odometer. */
static void test_every_day(void **state)
{
    (void)state;
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, m = 1, d = 1, wd = 6; /* 0000-01-01 was a Saturday */
    char text[DOGE_DATE_STRLEN], want[48];
    for (int32_t days = -719528; days <= 2932896; days++) {
        int yy, mm, dd;
        doge_date_to_ymd(days, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d)
            fail_msg("day %ld: got %d-%d-%d, want %d-%d-%d", (long)days, yy, mm, dd, y, m, d);
        if (doge_date_weekday(days) != wd)
            fail_msg("day %ld: weekday %d, want %d", (long)days, doge_date_weekday(days), wd);
        if (d == 1 || d == 28 || days % 97 == 0) { /* a sample: format and parse */
            int32_t back;
            assert_ok(doge_date_format(days, text, sizeof text));
            snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
            assert_string_equal(text, want);
            assert_ok(doge_date_parse(text, 10, &back));
            assert_int_equal(back, days);
            assert_ok(doge_date_from_ymd(y, m, d, &back));
            assert_int_equal(back, days);
        }
        wd = wd % 7 + 1;
        int leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
        if (++d > dim[m - 1] + (m == 2 && leap)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 10000);
}

static void test_leap_and_range_errors(void **state)
{
    (void)state;
    int32_t days;
    assert_int_equal(ymd(2000, 2, 29), 11016);
    assert_error(doge_date_from_ymd(1900, 2, 29, &days), DOGE_EINVAL,
                 "date '1900-02-29': day 29 out of range for February 1900");
    assert_error(doge_date_from_ymd(2025, 2, 29, &days), DOGE_EINVAL,
                 "day 29 out of range for February 2025");
    assert_error(doge_date_from_ymd(2025, 4, 31, &days), DOGE_EINVAL,
                 "date '2025-04-31': day 31 out of range for April 2025");
    assert_error(doge_date_from_ymd(2025, 13, 1, &days), DOGE_EINVAL,
                 "date '2025-13-01': month 13 out of range 1..12");
    assert_error(doge_date_from_ymd(10000, 1, 1, &days), DOGE_EINVAL,
                 "date '10000-01-01': year 10000 out of range 0..9999");
    assert_error(doge_date_from_ymd(-1, 1, 1, &days), DOGE_EINVAL,
                 "year -1 out of range 0..9999");
}

static void test_parse_errors(void **state)
{
    (void)state;
    int32_t days = 12345;
#define BAD(text, want) assert_error(doge_date_parse(text, strlen(text), &days), DOGE_EINVAL, want)
    BAD("2025-02-30", "date '2025-02-30': day 30 out of range for February 2025");
    BAD("2025-00-10", "date '2025-00-10': month 0 out of range 1..12");
    BAD("2025-01-00", "date '2025-01-00': day 0 out of range for January 2025");
    BAD("2025-2-3", "date '2025-2-3': expected YYYY-MM-DD; unexpected '-' at offset 6");
    BAD("2025-02", "date '2025-02': expected YYYY-MM-DD; ends at offset 7");
    BAD("", "date '': expected YYYY-MM-DD; empty");
    BAD("2025-02-24x", "date '2025-02-24x': expected YYYY-MM-DD; unexpected 'x' at offset 10");
    BAD("2025/02/24", "unexpected '/' at offset 4");
    BAD(" 2025-02-24", "unexpected ' ' at offset 0");
    BAD("2025-02-24\n", "date '2025-02-24\\n': expected YYYY-MM-DD; unexpected '\\n' at offset 10");
    BAD("25-02-24", "unexpected '-' at offset 2");
    BAD("+2025-02-24", "unexpected '+' at offset 0");
    BAD("2025-02-2\xc3\xa9", "unexpected '\\xc3' at offset 9");
#undef BAD
    assert_int_equal(days, 12345); /* untouched on failure */
    /* A view need not be NUL-terminated. */
    assert_ok(doge_date_parse("2025-02-24T10:00Z", 10, &days));
    assert_int_equal(days, 20143);
}

static void test_format_errors(void **state)
{
    (void)state;
    char out[DOGE_DATE_STRLEN];
    assert_error(doge_date_format(INT32_MAX, out, sizeof out), DOGE_ERANGE,
                 "date 2147483647 (days since 1970-01-01): year 5881580 out of range 0..9999");
    assert_error(doge_date_format(-719529, out, sizeof out), DOGE_ERANGE, "year -1 out of range");
    assert_error(doge_date_format(0, out, 10), DOGE_ELIMIT,
                 "date: output buffer of 10 bytes is too small (need 11)");
    assert_ok(doge_date_format(-1, out, sizeof out));
    assert_string_equal(out, "1969-12-31");
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(doge_date_weekday(0), 4);               /* Thursday */
    assert_int_equal(doge_date_weekday(parse("2025-02-24")), 1); /* Monday */
    assert_int_equal(doge_date_weekday(parse("2000-01-01")), 6);
    assert_int_equal(doge_date_weekday(parse("1969-12-28")), 7);
    assert_int_equal(doge_date_weekday(INT32_MIN), doge_date_weekday(INT32_MIN + 7));
    assert_true(doge_date_weekday(INT32_MAX) >= 1 && doge_date_weekday(INT32_MAX) <= 7);
}

static void check_week_of(const char *date, int want_year, int want_week)
{
    int y, w;
    doge_date_week_of(parse(date), &y, &w);
    if (y != want_year || w != want_week)
        fail_msg("%s: got %d-W%02d, want %d-W%02d", date, y, w, want_year, want_week);
}

static void test_iso_weeks(void **state)
{
    (void)state;
    /* From Python's date.isocalendar(). */
    check_week_of("2025-02-24", 2025, 9);
    check_week_of("2025-02-17", 2025, 8);
    check_week_of("2021-01-03", 2020, 53);
    check_week_of("2020-12-31", 2020, 53);
    check_week_of("2024-12-30", 2025, 1);
    check_week_of("2027-01-01", 2026, 53);
    check_week_of("2008-12-29", 2009, 1);
    check_week_of("2010-01-03", 2009, 53);
    check_week_of("9999-12-31", 9999, 52);
    check_week_of("0000-01-01", -1, 52); /* ISO year -1 */

    static const int long_years[] = {1992, 1998, 2004, 2009, 2015, 2020, 2026, 2032, 2037};
    size_t li = 0;
    for (int y = 1990; y <= 2040; y++) {
        int want = li < sizeof long_years / sizeof long_years[0] && long_years[li] == y ? 53 : 52;
        if (want == 53)
            li++;
        assert_int_equal(doge_date_weeks_in_year(y), want);
    }

    int32_t monday;
    assert_ok(doge_date_week_monday(2025, 8, &monday));
    assert_int_equal(monday, parse("2025-02-17"));
    assert_ok(doge_date_week_monday(2020, 53, &monday));
    assert_int_equal(monday, parse("2020-12-28"));
    assert_ok(doge_date_week_monday(2026, 1, &monday));
    assert_int_equal(monday, parse("2025-12-29"));
    assert_ok(doge_date_week_monday(2015, 53, &monday));
    assert_int_equal(monday + 6, parse("2016-01-03"));
    assert_error(doge_date_week_monday(2025, 53, &monday), DOGE_EINVAL,
                 "week '2025-W53': week 53 out of range 1..52 for 2025");
    assert_error(doge_date_week_monday(2025, 0, &monday), DOGE_EINVAL, "week 0 out of range");
    assert_error(doge_date_week_monday(12000, 1, &monday), DOGE_EINVAL,
                 "year 12000 out of range 0..9999");

    /* Self-consistency over 1900..2100: each date lies in its week, and week
     * numbers step by one each Monday, wrapping after the year's last week. */
    int py = 0, pw = 0;
    for (int32_t d = parse("1900-01-01"); d <= parse("2100-12-31"); d++) {
        int y, w;
        doge_date_week_of(d, &y, &w);
        assert_ok(doge_date_week_monday(y, w, &monday));
        assert_true(monday <= d && d < monday + 7);
        assert_int_equal(d - monday + 1, doge_date_weekday(d));
        if (doge_date_weekday(d) == 1 && py) {
            if (pw == doge_date_weeks_in_year(py)) {
                assert_int_equal(y, py + 1);
                assert_int_equal(w, 1);
            } else {
                assert_int_equal(y, py);
                assert_int_equal(w, pw + 1);
            }
        }
        py = y;
        pw = w;
    }
}

static void test_week_text(void **state)
{
    (void)state;
    int y = 0, w = 0;
    char out[DOGE_DATE_WEEK_STRLEN];
    assert_ok(doge_date_week_parse("2025-W08", 8, &y, &w));
    assert_int_equal(y, 2025);
    assert_int_equal(w, 8);
    assert_ok(doge_date_week_format(y, w, out, sizeof out));
    assert_string_equal(out, "2025-W08");
    assert_ok(doge_date_week_parse("2020-W53", 8, &y, &w));
    assert_ok(doge_date_week_format(2026, 53, out, sizeof out));
    assert_string_equal(out, "2026-W53");
#define BAD(text, want)                                                                            \
    assert_error(doge_date_week_parse(text, strlen(text), &y, &w), DOGE_EINVAL, want)
    BAD("2025-W53", "week '2025-W53': week 53 out of range 1..52 for 2025");
    BAD("2025-W00", "week '2025-W00': week 0 out of range 1..52 for 2025");
    BAD("2025-W8", "week '2025-W8': expected YYYY-Www; ends at offset 7");
    BAD("2025W08", "week '2025W08': expected YYYY-Www; unexpected 'W' at offset 4");
    BAD("2025-w08", "unexpected 'w' at offset 5");
    BAD("2025-W081", "unexpected '1' at offset 8");
    BAD("", "week '': expected YYYY-Www; empty");
#undef BAD
    assert_error(doge_date_week_format(2025, 53, out, sizeof out), DOGE_EINVAL,
                 "week '2025-W53'");
    assert_error(doge_date_week_format(2025, 1, out, 8), DOGE_ELIMIT, "need 9");
}

static int64_t ts(const char *s)
{
    int64_t t = 0;
    assert_ok(doge_date_timestamp_parse(s, strlen(s), &t));
    return t;
}

static void test_timestamps(void **state)
{
    (void)state;
    /* From Python: int(datetime.fromisoformat(s).timestamp()). */
    assert_int_equal(ts("2025-02-24T23:59-05:00"), 1740459540);
    assert_int_equal(ts("2025-02-24T23:59:30Z"), 1740441570);
    assert_int_equal(ts("2025-02-24T23:59:30+05:30"), 1740421770);
    assert_int_equal(ts("2025-02-24t23:59:30z"), 1740441570);
    assert_int_equal(ts("2025-02-24T23:59:30.999999Z"), 1740441570);
    assert_int_equal(ts("2025-02-24T23:59:30-00:00"), 1740441570);
    assert_int_equal(ts("1969-12-31T23:59:59Z"), -1);
    assert_int_equal(ts("1969-12-31T23:59:59.5Z"), -1); /* fraction rounds to the past */
    assert_int_equal(ts("1970-01-01T00:00Z"), 0);
    assert_int_equal(ts("9999-12-31T23:59:59Z"), 253402300799LL);
    assert_int_equal(ts("0001-01-01T00:00:00Z"), -62135596800LL);
    assert_int_equal(ts("0000-01-01T00:00:00+23:59"), -62167219200LL - 86340);
    assert_int_equal(ts("2024-02-29T12:00:00+14:00"), ts("2024-02-28T22:00:00Z"));

    char out[DOGE_DATE_TIMESTAMP_STRLEN];
    assert_ok(doge_date_timestamp_format(0, out, sizeof out));
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    assert_ok(doge_date_timestamp_format(-1, out, sizeof out));
    assert_string_equal(out, "1969-12-31T23:59:59Z");
    assert_ok(doge_date_timestamp_format(1740459540, out, sizeof out));
    assert_string_equal(out, "2025-02-25T04:59:00Z");
    assert_ok(doge_date_timestamp_format(253402300799LL, out, sizeof out));
    assert_string_equal(out, "9999-12-31T23:59:59Z");
    for (int64_t t = -62167219200LL; t < 253402300799LL; t += 86399LL * 37 + 13) {
        assert_ok(doge_date_timestamp_format(t, out, sizeof out));
        assert_int_equal(ts(out), t);
    }
    assert_error(doge_date_timestamp_format(INT64_MAX, out, sizeof out), DOGE_ERANGE,
                 "timestamp 9223372036854775807: year out of range 0..9999");
    assert_error(doge_date_timestamp_format(INT64_MIN, out, sizeof out), DOGE_ERANGE,
                 "timestamp -9223372036854775808");
    assert_error(doge_date_timestamp_format(253402300800LL, out, sizeof out), DOGE_ERANGE,
                 "year out of range");
    assert_error(doge_date_timestamp_format(0, out, 20), DOGE_ELIMIT, "need 21");

    int32_t day;
    assert_ok(doge_date_from_unix(-1, &day));
    assert_int_equal(day, -1);
    assert_ok(doge_date_from_unix(86399, &day));
    assert_int_equal(day, 0);
    assert_ok(doge_date_from_unix(1740459540, &day));
    assert_int_equal(day, parse("2025-02-25"));
    assert_error(doge_date_from_unix(INT64_MAX, &day), DOGE_ERANGE,
                 "timestamp 9223372036854775807: day number out of range");
    assert_error(doge_date_from_unix(INT64_MIN, &day), DOGE_ERANGE, "out of range");
}

static void test_timestamp_errors(void **state)
{
    (void)state;
    int64_t t = 77;
#define BAD(text, want)                                                                            \
    assert_error(doge_date_timestamp_parse(text, strlen(text), &t), DOGE_EINVAL, want)
    BAD("2025-02-24T23:59", "timestamp '2025-02-24T23:59': missing UTC offset ('Z' or +HH:MM) "
                            "at offset 16");
    BAD("2025-02-24T23:59:30", "missing UTC offset ('Z' or +HH:MM) at offset 19");
    BAD("2025-02-24 23:59Z", "timestamp '2025-02-24 23:59Z': expected YYYY-MM-DDTHH:MM[:SS] then "
                             "'Z' or +HH:MM; unexpected ' ' at offset 10");
    BAD("2025-02-24", "timestamp '2025-02-24': expected");
    BAD("2025-02-24", "ends at offset 10");
    BAD("2025-02-24T24:00Z", "timestamp '2025-02-24T24:00Z': hour 24 out of range 0..23");
    BAD("2025-02-24T23:60Z", "minute 60 out of range 0..59");
    BAD("2016-12-31T23:59:60Z", "timestamp '2016-12-31T23:59:60Z': second 60 (a leap second) "
                                "is not supported");
    BAD("2025-02-24T23:59:61Z", "second 61 out of range 0..59");
    BAD("2025-02-24T23:59+05:3", "ends at offset 21");
    BAD("2025-02-24T23:59+0530", "unexpected '3' at offset 19");
    BAD("2025-02-24T23:59+24:00", "offset hour 24 out of range 0..23");
    BAD("2025-02-24T23:59+05:60", "offset minute 60 out of range 0..59");
    BAD("2025-02-24T23:59:30.Z", "unexpected 'Z' at offset 20");
    BAD("2025-02-24T23:59ZZ", "unexpected 'Z' at offset 17");
    BAD("2025-02-24T23:59 Z", "unexpected ' ' at offset 16");
    BAD("2025-02-30T00:00Z", "timestamp '2025-02-30T00:00Z': day 30 out of range for February");
    BAD("2025-02-24T9:00Z", "unexpected ':' at offset 12");
    BAD("", "timestamp '': expected");
#undef BAD
    assert_int_equal(t, 77);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_leap_and_range_errors),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format_errors),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_iso_weeks),
        cmocka_unit_test(test_week_text),
        cmocka_unit_test(test_timestamps),
        cmocka_unit_test(test_timestamp_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
