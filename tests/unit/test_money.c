/*
 * test_money.c — dollar amounts as cents: every accepted form, half-to-even
 * rounding of extra decimals, the exact int64_t limits, formatting with and
 * without dollar sign, separators and parentheses, round trips, and bad
 * input whose messages must name the text and the offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static void check(const char *text, int64_t want)
{
    int64_t got = 0;
    int rc = doge_money_parse(text, strlen(text), &got);
    if (rc != DOGE_OK)
        fail_msg("'%s': %s", text, doge_error_last());
    if (got != want)
        fail_msg("'%s': got %lld, want %lld", text, (long long)got, (long long)want);
}

static void test_parse_forms(void **state)
{
    (void)state;
    check("1234.56", 123456);
    check("-0.5", -50);
    check("$1,234.56", 123456);
    check("(1,234.56)", -123456);
    check("+3", 300);
    check("0", 0);
    check("-0", 0);
    check("-0.00", 0);
    check("(0)", 0);
    check("007", 700);
    check(".5", 50);
    check("-.05", -5);
    check("  42  ", 4200);
    check("\t-$1.00\t", -100);
    check("($0.01)", -1);
    check("$0", 0);
    check("1,234,567.89", 123456789);
    check("999,999", 99999900);
    check("12", 1200);
    check("12.3", 1230);
    check("1000000", 100000000);
    check("0.01", 1);
}

static void test_rounding(void **state)
{
    (void)state;
    check("0.125", 12);  /* tie, 12 is even: stays */
    check("0.135", 14);  /* tie, 13 is odd: up */
    check("0.1251", 13); /* above the tie: up */
    check("0.1250000", 12);
    check("0.12500001", 13);
    check("0.124999", 12);
    check("0.145", 14);
    check("0.155", 16);
    check("0.995", 100); /* carries into dollars */
    check("0.985", 98);
    check("9.999", 1000);
    check("-0.125", -12);
    check("-0.135", -14);
    check("(0.135)", -14);
    check("0.005", 0);
    check("0.0051", 1);
    check("0.015", 2);
}

static void test_limits(void **state)
{
    (void)state;
    check("92233720368547758.07", INT64_MAX);
    check("$92,233,720,368,547,758.07", INT64_MAX);
    check("-92233720368547758.08", INT64_MIN);
    check("(92,233,720,368,547,758.08)", INT64_MIN);
    check("92233720368547758.065", INT64_MAX - 1);  /* tie to even 06 */
    check("92233720368547758.0649", INT64_MAX - 1); /* below the tie: 06 */
    check("92233720368547758.0651", INT64_MAX);     /* above the tie: 07 */
    check("-92233720368547758.085", INT64_MIN);     /* tie, 08 even */
    int64_t c = 5;
#define RANGE(text, want)                                                                          \
    assert_error(doge_money_parse(text, strlen(text), &c), DOGE_ERANGE, want)
    RANGE("92233720368547758.08",
          "money '92233720368547758.08': out of range (beyond 92233720368547758.07)");
    RANGE("92233720368547758.075", "money '92233720368547758.075': out of range");
    RANGE("-92233720368547758.09", "out of range (beyond -92233720368547758.08)");
    RANGE("-92233720368547758.0851", "money '-92233720368547758.0851': out of range");
    RANGE("92233720368547759", "money '92233720368547759'");
    RANGE("99999999999999999999999999999999", "money '99999999999999999999999999999999'");
    RANGE("1,000,000,000,000,000,000,000", "out of range");
#undef RANGE
    assert_int_equal(c, 5);
}

static void test_parse_errors(void **state)
{
    (void)state;
    int64_t c = 5;
#define BAD(text, want) assert_error(doge_money_parse(text, strlen(text), &c), DOGE_EINVAL, want)
    BAD("12.3.4", "money '12.3.4': expected the end after the decimals; unexpected '.' at offset 4");
    BAD("1e3", "money '1e3': exponents are not accepted; unexpected 'e' at offset 1");
    BAD("1.5E+3", "exponents are not accepted; unexpected 'E' at offset 3");
    BAD("", "money '': empty");
    BAD("   ", "money '   ': empty");
    BAD("abc", "money 'abc': expected a digit; unexpected 'a' at offset 0");
    BAD("-", "money '-': expected a digit; ends at offset 1");
    BAD("$", "money '$': expected a digit; ends at offset 1");
    BAD("5.", "money '5.': expected a digit after '.'; ends at offset 2");
    BAD("5.x", "expected a digit after '.'; unexpected 'x' at offset 2");
    BAD("1,23", "money '1,23': thousands group at offset 2 has 2 digits, not 3");
    BAD("1,2345", "thousands group at offset 2 has 4 digits, not 3");
    BAD("1,234,56.00", "thousands group at offset 6 has 2 digits, not 3");
    BAD("1234,567", "money '1234,567': thousands separators must split groups of three digits; "
                    "unexpected ',' at offset 4");
    BAD("1,2345,678", "unexpected ',' at offset 6");
    BAD(",123", "expected a digit before ','; unexpected ',' at offset 0");
    BAD("1,,234", "expected a digit before ','; unexpected ',' at offset 2");
    BAD("1,", "thousands group at offset 2 has 0 digits, not 3");
    BAD("(1.00", "money '(1.00': '(' at offset 0 has no matching ')'");
    BAD("1.00)", "unexpected ')' at offset 4");
    BAD("(-1)", "money '(-1)': expected a digit; unexpected '-' at offset 1");
    BAD("()", "unexpected ')' at offset 1");
    BAD("$-1", "unexpected '-' at offset 1");
    BAD("--1", "unexpected '-' at offset 1");
    BAD("+-1", "unexpected '-' at offset 1");
    BAD("1 000", "money '1 000': expected a digit, ',' or '.'; unexpected ' ' at offset 1");
    BAD("0x10", "unexpected 'x' at offset 1");
    BAD("12 USD", "unexpected ' ' at offset 2");
    BAD("1.2.3", "unexpected '.' at offset 3");
    BAD("1\n", "money '1\\n': expected a digit, ',' or '.'; unexpected '\\n' at offset 1");
    BAD("  7x", "unexpected 'x' at offset 3"); /* offsets count the leading spaces */
    BAD("\xe2\x88\x92" "5", "money '\xe2\x88\x92" "5': expected a digit; unexpected '\\xe2' at offset 0");
    BAD("1.5e", "exponents are not accepted");
#undef BAD
    assert_int_equal(c, 5);
    /* A long bad text is shortened in the message. */
    char longtext[300];
    memset(longtext, '1', sizeof longtext);
    longtext[250] = 'x';
    assert_error(doge_money_parse(longtext, sizeof longtext, &c), DOGE_EINVAL,
                 "...': expected a digit, ',' or '.'; unexpected 'x' at offset 250");
    /* Views need not be NUL-terminated. */
    assert_ok(doge_money_parse("12.34xyz", 5, &c));
    assert_int_equal(c, 1234);
}

static void fmt(int64_t cents, unsigned flags, const char *want)
{
    char out[DOGE_MONEY_STRLEN];
    assert_ok(doge_money_format(cents, flags, out, sizeof out));
    assert_string_equal(out, want);
}

static void test_format(void **state)
{
    (void)state;
    fmt(123456, 0, "1234.56");
    fmt(-50, 0, "-0.50");
    fmt(0, 0, "0.00");
    fmt(5, 0, "0.05");
    fmt(-5, 0, "-0.05");
    fmt(100, 0, "1.00");
    fmt(123456, DOGE_MONEY_US, "$1,234.56");
    fmt(-123456, DOGE_MONEY_US, "-$1,234.56");
    fmt(-123456, DOGE_MONEY_US | DOGE_MONEY_PARENS, "($1,234.56)");
    fmt(-123456, DOGE_MONEY_PARENS, "(1234.56)");
    fmt(123456, DOGE_MONEY_PARENS, "1234.56");
    fmt(99999, DOGE_MONEY_US, "$999.99");
    fmt(100000, DOGE_MONEY_US, "$1,000.00");
    fmt(100000000, DOGE_MONEY_GROUP, "1,000,000.00");
    fmt(12345678900, DOGE_MONEY_DOLLAR, "$123456789.00");
    fmt(INT64_MAX, 0, "92233720368547758.07");
    fmt(INT64_MIN, 0, "-92233720368547758.08");
    fmt(INT64_MIN, DOGE_MONEY_US, "-$92,233,720,368,547,758.08");
    fmt(INT64_MIN, DOGE_MONEY_US | DOGE_MONEY_PARENS, "($92,233,720,368,547,758.08)");
    char out[8];
    assert_error(doge_money_format(123456, DOGE_MONEY_US, out, sizeof out), DOGE_ELIMIT,
                 "money: output buffer of 8 bytes is too small for '$1,234.56'");
    assert_string_equal(out, "");
    assert_ok(doge_money_format(123456, 0, out, sizeof out)); /* "1234.56" fits exactly */
    assert_string_equal(out, "1234.56");
}

static void test_round_trip(void **state)
{
    (void)state;
    static const unsigned flags[] = {0, DOGE_MONEY_US, DOGE_MONEY_GROUP, DOGE_MONEY_DOLLAR,
                                     DOGE_MONEY_US | DOGE_MONEY_PARENS};
    int64_t v = 1;
    for (int i = 0; i < 2000; i++) {
        int64_t vals[2] = {v, -v};
        for (int s = 0; s < 2; s++)
            for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
                char out[DOGE_MONEY_STRLEN];
                int64_t back;
                assert_ok(doge_money_format(vals[s], flags[f], out, sizeof out));
                assert_ok(doge_money_parse(out, strlen(out), &back));
                if (back != vals[s])
                    fail_msg("%lld -> '%s' -> %lld", (long long)vals[s], out, (long long)back);
            }
        /* Grow roughly geometrically through the whole range. */
        v = v > INT64_MAX / 3 * 2 ? v / 7 + 3 : v + v / 2 + 1 + i;
    }
    char out[DOGE_MONEY_STRLEN];
    int64_t back;
    assert_ok(doge_money_format(INT64_MIN, DOGE_MONEY_US | DOGE_MONEY_PARENS, out, sizeof out));
    assert_ok(doge_money_parse(out, strlen(out), &back));
    assert_true(back == INT64_MIN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_rounding),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
