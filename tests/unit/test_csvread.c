/*
 * test_csvread.c — the streaming RFC 4180 reader: quoted fields, doubled
 * quotes, CR and LF inside quotes, CRLF and LF rows, the byte-order mark,
 * empty lines and empty fields, physical line numbers and byte offsets,
 * header lookup (trimmed, case-insensitive, duplicates and gaps refused),
 * rows that straddle buffer refills (memory and FILE* sources, checked
 * against the writer's own output), the row-size cap at its exact edge, and
 * every malformed input named with file, line and byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static doge_csvread *open_str(const char *text, size_t max_row)
{
    doge_csvread *r;
    assert_ok(doge_csvread_open_mem(&r, text, strlen(text), "t.csv", max_row));
    return r;
}

static void assert_field(doge_csvread *r, size_t i, const char *want)
{
    doge_csvread_field f = doge_csvread_get(r, i);
    if (f.len != strlen(want) || memcmp(f.data, want, f.len) != 0)
        fail_msg("field %zu is \"%.*s\", want \"%s\"", i, (int)f.len, f.data, want);
    assert_int_equal(f.data[f.len], '\0');
}

static void test_basic_rows(void **state)
{
    (void)state;
    doge_csvread *r = open_str("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n\"\",,z\n", 0);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), 3);
    assert_field(r, 0, "a");
    assert_field(r, 2, "c");
    assert_int_equal(doge_csvread_line(r), 1);
    assert_int_equal(doge_csvread_offset(r), 0);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_field(r, 0, "1");
    assert_field(r, 1, "x,y");
    assert_field(r, 2, "say \"hi\"");
    assert_int_equal(doge_csvread_line(r), 2);
    assert_int_equal(doge_csvread_offset(r), 7);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), 3);
    assert_field(r, 0, "");
    assert_field(r, 1, "");
    assert_field(r, 2, "z");
    assert_field(r, 7, ""); /* past the end: empty */
    assert_int_equal(doge_csvread_next(r), 0);
    assert_int_equal(doge_csvread_next(r), 0); /* stays at the end */
    doge_csvread_free(r);
}

static void test_embedded_newlines_and_lines(void **state)
{
    (void)state;
    /* Row 2 spans lines 2-4; an empty line (5) is skipped; row 3 is on 6. */
    const char *text = "h1,h2\n\"two\nlines\",\"cr\r\nlf\"\n\nlast,\"\"\"q\"\"\"";
    doge_csvread *r = open_str(text, 0);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_line(r), 2);
    assert_field(r, 0, "two\nlines");
    assert_field(r, 1, "cr\r\nlf");
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_line(r), 6);
    assert_int_equal(doge_csvread_offset(r), (uint64_t)(strstr(text, "last") - text));
    assert_field(r, 0, "last");
    assert_field(r, 1, "\"q\"");
    assert_int_equal(doge_csvread_next(r), 0);
    assert_int_equal(doge_csvread_consumed(r), strlen(text));
    doge_csvread_free(r);
}

static void test_bom_empty_lines_and_trailing_cr(void **state)
{
    (void)state;
    doge_csvread *r = open_str("\xEF\xBB\xBFid,name\r\n\r\n\n1,Zoë\r", 0);
    assert_ok(doge_csvread_read_header(r));
    assert_string_equal(doge_csvread_column_name(r, 0), "id");
    assert_int_equal(doge_csvread_offset(r), 3); /* offsets count the BOM */
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_line(r), 4);
    assert_field(r, 1, "Zoë");
    assert_int_equal(doge_csvread_next(r), 0);
    doge_csvread_free(r);
    /* A lone field and a lone empty quoted field. */
    r = open_str("x\n\"\"\n,\n", 0);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), 1);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), 1);
    assert_field(r, 0, "");
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), 2);
    assert_int_equal(doge_csvread_next(r), 0);
    doge_csvread_free(r);
    /* Nothing at all, and only blank lines. */
    r = open_str("", 0);
    assert_int_equal(doge_csvread_next(r), 0);
    doge_csvread_free(r);
    r = open_str("\n\r\n\n", 0);
    assert_int_equal(doge_csvread_next(r), 0);
    doge_csvread_free(r);
}

static void test_header(void **state)
{
    (void)state;
    doge_csvread *r = open_str(" Employee_ID ,\tEmail,name\n1,a@b.c,Ann\n", 0);
    assert_ok(doge_csvread_read_header(r));
    assert_int_equal(doge_csvread_columns(r), 3);
    assert_string_equal(doge_csvread_column_name(r, 0), "Employee_ID");
    assert_null(doge_csvread_column_name(r, 3));
    assert_int_equal(doge_csvread_column(r, "employee_id"), 0);
    assert_int_equal(doge_csvread_column(r, "EMAIL"), 1);
    assert_int_equal(doge_csvread_column(r, "manager_id"), -1);
    const char *names[] = {"name", "email"};
    int idx[2];
    assert_ok(doge_csvread_require(r, names, 2, idx));
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 1);
    const char *missing[] = {"email", "department"};
    assert_error(doge_csvread_require(r, missing, 2, idx), DOGE_EINVAL,
                 "t.csv:1: missing required column 'department'");
    assert_error(doge_csvread_read_header(r), DOGE_EINVAL, "already read");
    assert_int_equal(doge_csvread_next(r), 1);
    assert_field(r, 2, "Ann");
    doge_csvread_free(r);

    r = open_str("a,b,A\n", 0);
    assert_error(doge_csvread_read_header(r), DOGE_EINVAL,
                 "t.csv:1: column 'A' appears twice in the header (columns 1 and 3)");
    doge_csvread_free(r);
    r = open_str("\n\na,,c\n", 0);
    assert_error(doge_csvread_read_header(r), DOGE_EINVAL, "t.csv:3: column 2 of the header has no name");
    doge_csvread_free(r);
    r = open_str("", 0);
    assert_error(doge_csvread_read_header(r), DOGE_EINVAL, "t.csv: empty file: no header row");
    doge_csvread_free(r);
}

/* Each malformed input fails with the line of its row and the byte of the
 * problem, and keeps failing. */
static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
        int code;
    } cases[] = {
        {"a,b\nx,y\"z\n", "t.csv:2: byte 7: a double quote inside an unquoted field", DOGE_EINVAL},
        {"a,b\n\"x\"y,z\n", "t.csv:2: byte 7: unexpected 'y' after a closing quote", DOGE_EINVAL},
        {"a\n\"x\" \n", "t.csv:2: byte 5: unexpected ' ' after a closing quote", DOGE_EINVAL},
        {"a,b\n1,2\n\"open,3\n4,5\n",
         "t.csv:3: byte 8: a quoted field is never closed (the input ends inside quotes)",
         DOGE_EINVAL},
        {"a,b\nx\ry,z\n",
         "t.csv:2: byte 5: a carriage return outside quotes that does not end the row",
         DOGE_EINVAL},
        {"a\n\"multi\nline\"\nb\"c\n", "t.csv:4: byte 16: a double quote inside an unquoted field",
         DOGE_EINVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        doge_csvread *r = open_str(cases[i].text, 0);
        int rc;
        doge_error_clear();
        while ((rc = doge_csvread_next(r)) == 1)
            ;
        if (rc != cases[i].code || !strstr(doge_error_last(), cases[i].want))
            fail_msg("case %zu: got %s \"%s\", want \"%s\"", i, doge_error_name(rc),
                     doge_error_last(), cases[i].want);
        doge_error_clear();
        assert_int_equal(doge_csvread_next(r), cases[i].code); /* sticky, same message */
        assert_message_has(cases[i].want);
        doge_csvread_free(r);
    }
}

static void test_row_cap(void **state)
{
    (void)state;
    /* max_row counts the row with its line end: "abcdefg\n" is 8 bytes. */
    doge_csvread *r = open_str("abcdefg\nabcdefgh\n", 8);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_field(r, 0, "abcdefg");
    assert_error(doge_csvread_next(r), DOGE_ELIMIT, "t.csv:2: byte 8: row longer than 8 bytes");
    doge_csvread_free(r);
    /* A runaway quoted field stops at the cap, not at the end of memory. */
    size_t n = 300000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'x', n);
    big[0] = '"';
    big[n] = '\0';
    r = open_str(big, 1000);
    assert_error(doge_csvread_next(r), DOGE_ELIMIT, "t.csv:1: byte 0: row longer than 1000 bytes");
    doge_csvread_free(r);
    /* Too many fields. */
    memset(big, ',', DOGE_CSVREAD_MAX_FIELDS);
    big[DOGE_CSVREAD_MAX_FIELDS] = '\0';
    r = open_str(big, 0);
    assert_error(doge_csvread_next(r), DOGE_ELIMIT, "more than 4096 fields");
    doge_csvread_free(r);
    big[DOGE_CSVREAD_MAX_FIELDS - 1] = '\0'; /* exactly 4096 fields is fine */
    r = open_str(big, 0);
    assert_int_equal(doge_csvread_next(r), 1);
    assert_int_equal(doge_csvread_count(r), DOGE_CSVREAD_MAX_FIELDS);
    doge_csvread_free(r);
    free(big);
}

/* Thousands of rows with awkward fields, written by doge_csv, read back
 * through refills of a small buffer: every field must come back exact. */
static void make_field(char *out, size_t cap, unsigned i, unsigned j)
{
    static const char *const bits[] = {"plain", "with,comma", "q\"uote", "two\nlines",
                                       "crlf\r\ninside", "", " spaced ", "\"\"", "Zoë O'Brien"};
    snprintf(out, cap, "%u-%s-%u", i, bits[(i * 7 + j) % 9], j);
    if ((i + j) % 13 == 0)
        out[0] = '\0';
}

static void check_roundtrip(int use_file)
{
    doge_buf b;
    doge_csv w;
    doge_buf_init(&b, 0);
    doge_csv_init_buf(&w, &b, (use_file ? DOGE_CSV_LF : 0));
    const unsigned rows = 20000, cols = 5;
    char f[64];
    for (unsigned i = 0; i < rows; i++) {
        for (unsigned j = 0; j < cols; j++) {
            make_field(f, sizeof f, i, j);
            assert_ok(doge_csv_field_str(&w, f));
        }
        assert_ok(doge_csv_end_row(&w));
    }
    doge_csvread *r;
    FILE *fp = NULL;
    if (use_file) {
        fp = tmpfile();
        assert_non_null(fp);
        assert_int_equal(fwrite(b.data, 1, b.len, fp), b.len);
        rewind(fp);
        assert_ok(doge_csvread_open_stream(&r, fp, "tmp", 256));
    } else {
        assert_ok(doge_csvread_open_mem(&r, b.data, b.len, "mem", 256));
    }
    uint64_t line = 1;
    for (unsigned i = 0; i < rows; i++) {
        assert_int_equal(doge_csvread_next(r), 1);
        assert_int_equal(doge_csvread_count(r), cols);
        assert_int_equal(doge_csvread_line(r), line);
        for (unsigned j = 0; j < cols; j++) {
            make_field(f, sizeof f, i, j);
            assert_field(r, j, f);
            for (const char *p = f; *p; p++)
                line += *p == '\n';
        }
        line++;
    }
    assert_int_equal(doge_csvread_next(r), 0);
    assert_int_equal(doge_csvread_consumed(r), b.len);
    doge_csvread_free(r);
    if (fp)
        fclose(fp);
    doge_buf_dispose(&b);
}

static void test_roundtrip_memory(void **state)
{
    (void)state;
    check_roundtrip(0);
}

static void test_roundtrip_stream(void **state)
{
    (void)state;
    check_roundtrip(1);
}

static void test_open_errors(void **state)
{
    (void)state;
    doge_csvread *r;
    assert_error(doge_csvread_open(&r, "/nonexistent/roster.csv", 0), DOGE_ENOTFOUND,
                 "/nonexistent/roster.csv: No such file or directory");
    assert_error(doge_csvread_open(&r, NULL, 0), DOGE_EINVAL, "no path");
    doge_csvread_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_rows),
        cmocka_unit_test(test_embedded_newlines_and_lines),
        cmocka_unit_test(test_bom_empty_lines_and_trailing_cr),
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_row_cap),
        cmocka_unit_test(test_roundtrip_memory),
        cmocka_unit_test(test_roundtrip_stream),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
