/*
 * test_csv.c — the RFC 4180 writer: quoting of commas, quotes, CR and LF,
 * typed fields (integers, doubles, cents, dates), the lone-empty-field row,
 * LF line ends, writing to a FILE*, all-or-nothing fields and rows in a
 * capped buffer, and rejected input named in the message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static void test_quoting(void **state)
{
    (void)state;
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 0);
    doge_csv_init_buf(&w, &b, 0);
    const char *row[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", "", NULL,
                         " spaced ", "\"", "crlf\r\n"};
    assert_ok(doge_csv_row(&w, row, sizeof row / sizeof row[0]));
    assert_string_equal(doge_buf_cstr(&b), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                                           "\"cr\rhere\",,, spaced ,\"\"\"\",\"crlf\r\n\"\r\n");
    assert_int_equal(w.rows, 1);
    doge_buf_reset(&b);
    assert_ok(doge_csv_field(&w, "ab\0c", 4)); /* bytes, NUL included */
    assert_ok(doge_csv_field(&w, NULL, 0));
    assert_ok(doge_csv_end_row(&w));
    assert_memory_equal(b.data, "ab\0c,\r\n", 7);
    doge_buf_dispose(&b);
}

static void test_typed_fields(void **state)
{
    (void)state;
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 0);
    doge_csv_init_buf(&w, &b, DOGE_CSV_LF);
    assert_ok(doge_csv_field_i64(&w, INT64_MIN));
    assert_ok(doge_csv_field_u64(&w, UINT64_MAX));
    assert_ok(doge_csv_field_cents(&w, -50));
    assert_ok(doge_csv_field_cents(&w, 123456789));
    assert_ok(doge_csv_field_date(&w, 20143));
    assert_ok(doge_csv_end_row(&w));
    assert_ok(doge_csv_field_double(&w, 0.1));
    assert_ok(doge_csv_field_double(&w, 3.0));
    assert_ok(doge_csv_field_double(&w, -2.5));
    assert_ok(doge_csv_field_double(&w, 1e21));
    assert_ok(doge_csv_field_double(&w, 1.0 / 3.0));
    assert_ok(doge_csv_field_double(&w, 5e-324));
    assert_ok(doge_csv_end_row(&w));
    assert_string_equal(doge_buf_cstr(&b),
                        "-9223372036854775808,18446744073709551615,-0.50,1234567.89,2025-02-24\n"
                        "0.1,3,-2.5,1e+21,0.3333333333333333,5e-324\n");
    /* Doubles read back exactly. */
    assert_true(strtod(strrchr(b.data, ',') + 1, NULL) == 5e-324);
    assert_true(strtod(strstr(b.data, "0.333"), NULL) == 1.0 / 3.0);
    doge_buf_dispose(&b);
}

static void test_empty_rows(void **state)
{
    (void)state;
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 0);
    doge_csv_init_buf(&w, &b, 0);
    assert_ok(doge_csv_field_str(&w, ""));
    assert_ok(doge_csv_end_row(&w)); /* not a blank line */
    assert_ok(doge_csv_field_str(&w, NULL));
    assert_ok(doge_csv_field_str(&w, NULL));
    assert_ok(doge_csv_end_row(&w));
    assert_ok(doge_csv_field_str(&w, "x"));
    assert_ok(doge_csv_end_row(&w));
    assert_string_equal(doge_buf_cstr(&b), "\"\"\r\n,\r\nx\r\n");
    assert_error(doge_csv_end_row(&w), DOGE_EINVAL, "csv: row 4 has no fields");
    assert_error(doge_csv_row(&w, NULL, 0), DOGE_EINVAL, "csv: row 4 has no fields");
    assert_int_equal(w.rows, 3);
    doge_buf_dispose(&b);
}

static void test_bad_input(void **state)
{
    (void)state;
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 0);
    doge_csv_init_buf(&w, &b, 0);
    assert_ok(doge_csv_field_str(&w, "a"));
    assert_error(doge_csv_field_double(&w, NAN), DOGE_EINVAL,
                 "csv: row 1, field 2: number 'nan' is not finite");
    assert_error(doge_csv_field_double(&w, -INFINITY), DOGE_EINVAL, "number '-inf'");
    assert_error(doge_csv_field_double(&w, INFINITY), DOGE_EINVAL, "number 'inf'");
    assert_error(doge_csv_field(&w, NULL, 3), DOGE_EINVAL,
                 "csv: row 1, field 2: NULL text of 3 bytes");
    assert_error(doge_csv_field_date(&w, INT32_MAX), DOGE_ERANGE,
                 "csv: row 1, field 2: date 2147483647");
    assert_string_equal(doge_buf_cstr(&b), "a"); /* nothing half-written */
    doge_buf_dispose(&b);
}

static void test_capped_buffer(void **state)
{
    (void)state;
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 16);
    doge_csv_init_buf(&w, &b, 0);
    assert_ok(doge_csv_field_str(&w, "0123456789"));
    assert_error(doge_csv_field_str(&w, "a,bc"), DOGE_ELIMIT, "cap of 16 bytes");
    assert_string_equal(doge_buf_cstr(&b), "0123456789"); /* field rolled back */
    assert_ok(doge_csv_field_str(&w, "ab"));
    assert_ok(doge_csv_end_row(&w));
    assert_string_equal(doge_buf_cstr(&b), "0123456789,ab\r\n");
    const char *row[] = {"x"};
    assert_error(doge_csv_row(&w, row, 1), DOGE_ELIMIT, "cap of 16 bytes");
    assert_string_equal(doge_buf_cstr(&b), "0123456789,ab\r\n"); /* row rolled back */
    assert_int_equal(w.fields, 0);
    assert_int_equal(w.rows, 1);
    doge_buf_dispose(&b);
}

static void test_file(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    doge_csv w;
    doge_csv_init_file(&w, f, 0);
    const char *header[] = {"award_id", "recipient", "amount"};
    assert_ok(doge_csv_row(&w, header, 3));
    assert_ok(doge_csv_field_str(&w, "CONT_AWD_1"));
    assert_ok(doge_csv_field_str(&w, "Acme, Inc. \"East\""));
    assert_ok(doge_csv_field_cents(&w, 100000050));
    assert_ok(doge_csv_end_row(&w));
    assert_int_equal(fflush(f), 0);
    rewind(f);
    char got[256];
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    assert_string_equal(got, "award_id,recipient,amount\r\n"
                             "CONT_AWD_1,\"Acme, Inc. \"\"East\"\"\",1000000.50\r\n");
    fclose(f);

    /* A stream that cannot be written. */
    f = fopen("/dev/null", "r");
    assert_non_null(f);
    doge_csv_init_file(&w, f, 0);
    assert_error(doge_csv_field_str(&w, "x"), DOGE_EIO, "csv: row 1: write failed");
    fclose(f);

    /* A writer set up with no destination. */
    doge_csv_init_file(&w, NULL, 0);
    assert_error(doge_csv_field_str(&w, "x"), DOGE_EINVAL, "csv: writer has no destination");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_typed_fields),
        cmocka_unit_test(test_empty_rows),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_capped_buffer),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
