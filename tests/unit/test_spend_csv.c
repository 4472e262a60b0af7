/*
 * test_spend_csv.c — the USAspending CSV reader (doge/spend_csv.h) on
 * hand-written files: RFC 4180 corner cases (empty and quoted-empty fields,
 * doubled quotes, quoted commas, CR, LF and CRLF inside quotes, a last row
 * without a row end, a trailing empty field), Excel-style files (CRLF, a
 * byte-order mark, "=""0123""" text, header names with spaces), header
 * mapping (reordered and extra columns, case, missing required and optional
 * columns, duplicates), every kind of malformed row as a diagnostic with
 * file, line and byte (ragged rows, stray quotes, text after a closing
 * quote, a lone CR, bytes that are not UTF-8 in a used column, an unclosed
 * quote at the end) while the scan goes on, strict mode, a callback that
 * stops the scan, line numbers across embedded newlines, the file entry
 * point, and a larger file read with 1 to 4 threads. Every case is checked
 * with every scanner this CPU has and with 1 to 4 threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "doge.h"
#include "spend_csv_testutil.h"
#include "util_assert.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int variants[3];
static int nvariants;

static int setup(void **state)
{
    (void)state;
    int all[3] = {DOGE__SPEND_SCALAR, DOGE__SPEND_SSE2, DOGE__SPEND_AVX2};
    nvariants = 0;
    for (int i = 0; i < 3; i++)
        if (doge__spend_kernel_for(all[i]))
            variants[nvariants++] = all[i];
    return 0;
}

/* Scans csv with every scanner and 1..4 threads; each transcript must be
 * want (only the result when strict or stopping with several threads). */
static void check_opts(const char *csv, size_t len, const doge_spend_csv_opts *o, uint64_t stop,
                       const char *want)
{
    for (int v = 0; v < nvariants; v++) {
        for (unsigned t = 1; t <= 4; t++) {
            char *got = spend_transcript(csv, len, o, variants[v], t, stop, NULL);
            int partial = (o->strict || stop != UINT64_MAX) && t > 1;
            if (partial ? !spend_same_result(got, want) : strcmp(got, want) != 0)
                fail_msg("scanner %d, %u threads:\n--- got\n%s\n--- want\n%s", variants[v], t,
                         got, want);
            free(got);
        }
    }
}

static void check(const char *csv, const char *const *cols, size_t n, const char *want)
{
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = n};
    check_opts(csv, strlen(csv), &o, UINT64_MAX, want);
}

static void test_rfc4180(void **state)
{
    (void)state;
    const char *cols[] = {"a", "b", "c"};
    check("a,b,c\n"
          ",,\n"                        /* empty fields */
          "\"\",\"\",\"\"\n"            /* quoted empty */
          "\"x\"\"y\",\"\"\"\",\"\"\"\"\"\"\n" /* doubled quotes */
          "\"1,2\",\",\",\",,\"\n"      /* quoted commas */
          "\"l\nf\",\"c\rr\",\"cr\r\nlf\"\n" /* LF, CR, CRLF inside quotes */
          "p,q,\n"                      /* a trailing empty field */
          "x,y,z",                      /* no row end at the end */
          cols, 3,
          "R 2 6 |  |  | \n"
          "R 3 9 |  |  | \n"
          "R 4 18 | x\"y | \" | \"\"\n"
          "R 5 37 | 1,2 | , | ,,\n"
          "R 6 52 | l\\x0af | c\\x0dr | cr\\x0d\\x0alf\n"
          "R 9 73 | p | q | \n"
          "R 10 78 | x | y | z\n"
          "=> DOGE_OK [] rows 7 bad 0");
}

static void test_excel_style(void **state)
{
    (void)state;
    const char *cols[] = {"Award ID", "Amount"};
    /* a byte-order mark, CRLF rows, names with spaces, "=""0123""" text */
    check("\xef\xbb\xbf Award ID ,Amount\r\n"
          "\"=\"\"0123\"\"\",12.50\r\n"
          "AB-1,\"1,000.00\"\r\n"
          "\r\n"
          "=\"0123\",5\r\n",
          cols, 2,
          "R 2 22 | =\"0123\" | 12.50\n"
          "R 3 41 | AB-1 | 1,000.00\n"
          "D 5 61 t.csv:5: byte 61: a double quote inside an unquoted field (quote the whole field "
          "and double the quote)\n"
          "=> DOGE_OK [] rows 2 bad 1");
}

static void test_bom_header(void **state)
{
    (void)state;
    const char *cols[] = {"id"};
    check("\xef\xbb\xbfid,x\n7,8\n", cols, 1, "R 2 8 | 7\n=> DOGE_OK [] rows 1 bad 0");
    /* a quoted first name after the mark */
    check("\xef\xbb\xbf\"id\",x\n7,8\n", cols, 1, "R 2 10 | 7\n=> DOGE_OK [] rows 1 bad 0");
}

static void test_column_order(void **state)
{
    (void)state;
    const char *cols[] = {"award_id", "total_obligated_amount", "recipient_uei"};
    const char *want1 = "R 2 98 | A1 | 100.00 | U1\n=> DOGE_OK [] rows 1 bad 0";
    check("recipient_uei,extra1,award_id,extra2,total_obligated_amount,extra3,\"extra,4\"\n"
          "U1,x,A1,y,100.00,z,w\n",
          cols, 3, "R 2 77 | A1 | 100.00 | U1\n=> DOGE_OK [] rows 1 bad 0");
    check("TOTAL_OBLIGATED_AMOUNT,Award_ID,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,"
          "recipient_uei\n"
          "100.00,A1,,,,,,,,,,,,,,,,,,,,,,,,,,,U1\n",
          cols, 3, want1);
}

static void test_missing_columns(void **state)
{
    (void)state;
    const char *cols[] = {"a", "amount", "b"};
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = 3};
    const char *csv = "a,b\n1,2\n";
    assert_error(doge_spend_csv_scan_mem(csv, strlen(csv), "awards.csv", &o, NULL), DOGE_EINVAL,
                 "awards.csv:1: missing required column 'amount'");
    unsigned char req[] = {1, 0, 1};
    o.required = req;
    check_opts(csv, strlen(csv), &o, UINT64_MAX, "R 2 4 | 1 |  | 2\n=> DOGE_OK [] rows 1 bad 0");
    req[0] = 0;
    req[1] = 1;
    assert_error(doge_spend_csv_scan_mem(csv, strlen(csv), "awards.csv", &o, NULL), DOGE_EINVAL,
                 "missing required column 'amount'");

    const char *dup[] = {"a"};
    o = (doge_spend_csv_opts){.columns = dup, .ncolumns = 1};
    const char *twice = "\n\nx,A,y,a\n1,2,3,4\n";
    assert_error(doge_spend_csv_scan_mem(twice, strlen(twice), "d.csv", &o, NULL), DOGE_EINVAL,
                 "d.csv:3: column 'a' appears twice in the header (columns 2 and 4)");
    const char *asked[] = {"a", "A"};
    o = (doge_spend_csv_opts){.columns = asked, .ncolumns = 2};
    assert_error(doge_spend_csv_scan_mem(csv, strlen(csv), "d.csv", &o, NULL), DOGE_EINVAL,
                 "column 'A' is asked for twice");
    /* a duplicate among the columns not used is fine */
    o = (doge_spend_csv_opts){.columns = dup, .ncolumns = 1};
    check_opts("a,x,x\n1,2,3\n", 12, &o, UINT64_MAX, "R 2 6 | 1\n=> DOGE_OK [] rows 1 bad 0");
}

static void test_bad_header(void **state)
{
    (void)state;
    doge_spend_csv_opts o = {0};
    assert_error(doge_spend_csv_scan_mem("", 0, "e.csv", &o, NULL), DOGE_EINVAL,
                 "e.csv: empty file: no header row");
    assert_error(doge_spend_csv_scan_mem("\r\n\n", 3, "e.csv", &o, NULL), DOGE_EINVAL,
                 "e.csv: empty file: no header row");
    const char *h = "a,\"b\"c\n1,2\n";
    assert_error(doge_spend_csv_scan_mem(h, strlen(h), "h.csv", &o, NULL), DOGE_EINVAL,
                 "h.csv:1: byte 5: header: unexpected 'c' after a closing quote");
    h = "a,\"b\n";
    assert_error(doge_spend_csv_scan_mem(h, strlen(h), "h.csv", &o, NULL), DOGE_EINVAL,
                 "h.csv:1: byte 2: header: a quoted field is never closed");
    /* a header alone: no rows */
    const char *cols[] = {"a"};
    check("a", cols, 1, "=> DOGE_OK [] rows 0 bad 0");
    check("a\r\n", cols, 1, "=> DOGE_OK [] rows 0 bad 0");
}

static void test_malformed_rows(void **state)
{
    (void)state;
    const char *cols[] = {"id", "name"};
    check("id,name,amt\n"
          "1,a,2\n"
          "2,b\n"                 /* too few */
          "3,c,4,5\n"             /* too many */
          "4,\"q\"x,6\n"          /* text after a closing quote */
          "5,d\re,7\n"            /* a lone CR */
          "6,\"e\",8\r\r\n"       /* a CR before the CRLF */
          "7,\xff,9\n"            /* not UTF-8 in a used column */
          "8,f,\xc3\n"            /* ... in a column not used: fine */
          "9,\"\xe2\x82\",9\n"    /* a cut sequence inside quotes */
          "10,\xed\xa0\x80,9\n"   /* a surrogate */
          "11,\xc0\xaf,9\n"       /* an overlong form */
          "12,g,10\n",
          cols, 2,
          "R 2 12 | 1 | a\n"
          "D 3 18 t.csv:3: byte 18: the row has 2 fields, the header has 3\n"
          "D 4 22 t.csv:4: byte 22: the row has 4 fields, the header has 3\n"
          "D 5 35 t.csv:5: byte 35: unexpected 'x' after a closing quote\n"
          "D 6 42 t.csv:6: byte 42: a carriage return outside quotes that does not end the row\n"
          "D 7 54 t.csv:7: byte 54: a carriage return outside quotes that does not end the row\n"
          "D 8 59 t.csv:8: byte 59: column 'name' is not valid UTF-8\n"
          "R 9 63 | 8 | f\n"
          "D 10 72 t.csv:10: byte 72: column 'name' is not valid UTF-8\n"
          "D 11 81 t.csv:11: byte 81: column 'name' is not valid UTF-8\n"
          "D 12 90 t.csv:12: byte 90: column 'name' is not valid UTF-8\n"
          "R 13 95 | 12 | g\n"
          "=> DOGE_OK [] rows 3 bad 9");
}

static void test_stray_quote_and_unclosed(void **state)
{
    (void)state;
    const char *cols[] = {"a", "b"};
    /* a stray quote opens quotes: the row runs on to the next quote */
    check("a,b\n1,x\"y\n2,3\n4,\"\n5,6\n", cols, 2,
          "D 2 7 t.csv:2: byte 7: a double quote inside an unquoted field (quote the whole field "
          "and double the quote)\n"
          "R 5 18 | 5 | 6\n"
          "=> DOGE_OK [] rows 1 bad 1");
    check("a,b\n1,2\n3,\"open\n4,5\n", cols, 2,
          "R 2 4 | 1 | 2\n"
          "D 3 10 t.csv:3: byte 10: a quoted field is never closed (the input ends inside "
          "quotes)\n"
          "=> DOGE_OK [] rows 1 bad 1");
}

static void test_line_numbers(void **state)
{
    (void)state;
    const char *cols[] = {"n", "t"};
    check("n,t\n"
          "1,\"two\nlines\"\n"
          "\n"
          "2,\"three\r\nlines\r\nhere\"\n"
          "3,x\n"
          "4,\"\n\n\"\n"
          "5,\"a\",\"b\nc\"\n"
          "6,y\n",
          cols, 2,
          "R 2 4 | 1 | two\\x0alines\n"
          "R 5 19 | 2 | three\\x0d\\x0alines\\x0d\\x0ahere\n"
          "R 8 42 | 3 | x\n"
          "R 9 46 | 4 | \\x0a\\x0a\n"
          "D 12 53 t.csv:12: byte 53: the row has 3 fields, the header has 2\n"
          "R 14 65 | 6 | y\n"
          "=> DOGE_OK [] rows 5 bad 1");
}

static void test_strict(void **state)
{
    (void)state;
    const char *cols[] = {"a"};
    const char *csv = "a,b\n1,2\n3\n4,5\n6\n";
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = 1, .strict = 1};
    check_opts(csv, strlen(csv), &o, UINT64_MAX,
               "R 2 4 | 1\n"
               "D 3 8 t.csv:3: byte 8: the row has 1 field, the header has 2\n"
               "=> DOGE_EINVAL [t.csv:3: byte 8: the row has 1 field, the header has 2] rows 1 "
               "bad 1");
    assert_error(doge_spend_csv_scan_mem(csv, strlen(csv), "s.csv", &o, NULL), DOGE_EINVAL,
                 "s.csv:3: byte 8: the row has 1 field, the header has 2");
    /* no callbacks at all: counted only */
    doge_spend_csv_stats st;
    o.strict = 0;
    assert_ok(doge_spend_csv_scan_mem(csv, strlen(csv), "s.csv", &o, &st));
    assert_int_equal(st.rows, 2);
    assert_int_equal(st.bad_rows, 2);
    assert_int_equal(st.bytes, strlen(csv));
}

static void test_callback_stops(void **state)
{
    (void)state;
    const char *cols[] = {"a"};
    const char *csv = "a\n1\n2\n3\n4\n";
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = 1};
    /* spend_on_row returns 7 for the row at offset 6 ("3"), which is counted */
    check_opts(csv, strlen(csv), &o, 6,
               "R 2 2 | 1\nR 3 4 | 2\nR 4 6 | 3\n=> DOGE_UNKNOWN [] rows 3 bad 0");
    char *t = spend_transcript(csv, strlen(csv), &o, DOGE__SPEND_AUTO, 1, 4, NULL);
    assert_non_null(strstr(t, "=> DOGE_UNKNOWN [] rows 2"));
    free(t);
    int rc = 0;
    for (unsigned th = 1; th <= 4; th++) {
        t = spend_transcript(csv, strlen(csv), &o, DOGE__SPEND_AUTO, th, 6, &rc);
        assert_int_equal(rc, 7);
        assert_non_null(strstr(t, "R 2 2 | 1\nR 3 4 | 2\n")); /* every row before it */
        free(t);
    }
}

static void test_file(void **state)
{
    (void)state;
    const char *cols[] = {"b"};
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = 1, .threads = 2};
    assert_error(doge_spend_csv_scan("/nonexistent/x.csv", &o, NULL), DOGE_ENOTFOUND,
                 "/nonexistent/x.csv");
    char path[] = "/tmp/spend_csv_test_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *csv = "a,b\n1,\"x\ny\"\n2,z\n";
    assert_int_equal(write(fd, csv, strlen(csv)), (ssize_t)strlen(csv));
    close(fd);
    doge_spend_csv_stats st;
    assert_ok(doge_spend_csv_scan(path, &o, &st));
    assert_int_equal(st.rows, 2);
    assert_int_equal(st.bytes, strlen(csv));
    fd = open(path, O_WRONLY | O_TRUNC);
    close(fd);
    assert_error(doge_spend_csv_scan(path, &o, NULL), DOGE_EINVAL, "empty file: no header row");
    unlink(path);
}

/* A larger file with quoted newlines everywhere: 1 to 4 threads and every
 * scanner give the same rows as the scalar scan with one thread. */
static void test_threads_large(void **state)
{
    (void)state;
    size_t cap = 1 << 20, n = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    n += (size_t)snprintf(csv + n, cap - n, "id,note,amount,date\r\n");
    for (int i = 0; n + 200 < cap; i++) {
        if (i % 97 == 5)
            n += (size_t)snprintf(csv + n, cap - n, "%d,short\r\n", i); /* ragged */
        else
            n += (size_t)snprintf(csv + n, cap - n,
                                  "%d,\"note %d, \"\"quoted\"\"\nsecond line\",%d.%02d,2024-%02d-%02d\r\n",
                                  i, i, i * 7, i % 100, 1 + i % 12, 1 + i % 28);
    }
    const char *cols[] = {"date", "id", "note", "amount"};
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = 4};
    char *ref = spend_transcript(csv, n, &o, DOGE__SPEND_SCALAR, 1, UINT64_MAX, NULL);
    assert_non_null(strstr(ref, "R 4 73 | 2024-02-02 | 1 | note 1, \"quoted\"\\x0asecond line | 7.01\n"));
    for (int v = 0; v < nvariants; v++)
        for (unsigned t = 1; t <= 4; t++) {
            char *got = spend_transcript(csv, n, &o, variants[v], t, UINT64_MAX, NULL);
            if (strcmp(ref, got) != 0)
                fail_msg("scanner %d with %u threads differs", variants[v], t);
            free(got);
        }
    free(ref);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4180),
        cmocka_unit_test(test_excel_style),
        cmocka_unit_test(test_bom_header),
        cmocka_unit_test(test_column_order),
        cmocka_unit_test(test_missing_columns),
        cmocka_unit_test(test_bad_header),
        cmocka_unit_test(test_malformed_rows),
        cmocka_unit_test(test_stray_quote_and_unclosed),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_threads_large),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
