/*
 * test_ini.c — the doge.conf reader: sections, comments, quoting and escapes,
 * inline comments, CRLF and a BOM, the global section, typed getters with
 * defaults, reading from a file, and every kind of bad line, whose message
 * must name file:line and quote the line (or the key and the bad value).
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

static const char sample[] =
    "\xEF\xBB\xBF# doge.conf\n"
    "workspace = /srv/doge\n"
    "; a comment\n"
    "\n"
    "[smtp]\n"
    "  host   =   mail.example.gov   \n"
    "port = 587\r\n"
    "tls = Yes\n"
    "from = \"DOGE <pulse@example.gov>\"  # who sends\n"
    "subject = \"What did you do last week?\\n\\t\\\"five bullets\\\" \\\\ thanks\"\n"
    "raw = 'C:\\path\\no\\escapes'\n"
    "url = https://example.gov/a#frag\n"
    "note = keep; this # too ;drop\n"
    "empty =\n"
    "quoted_empty = \"\"\n"
    "equals = a=b=c\n"
    "\t[ spend ]   ; trailing comment\n"
    "max_rows = -12\n"
    "big = 9223372036854775807\n"
    "small = -9223372036854775808\n"
    "flag = off\n"
    "[smtp]\n"
    "timeout = 30\n"
    "[pulse.weekly]\n"
    "port = 25\n";

static doge_ini *load_sample(void)
{
    doge_ini *ini = NULL;
    assert_ok(doge_ini_new(&ini, "doge.conf", sample, sizeof sample - 1));
    return ini;
}

static void test_values(void **state)
{
    (void)state;
    doge_ini *ini = load_sample();
    assert_string_equal(doge_ini_get(ini, NULL, "workspace", NULL), "/srv/doge");
    assert_string_equal(doge_ini_get(ini, "", "workspace", NULL), "/srv/doge");
    assert_string_equal(doge_ini_get(ini, "smtp", "host", NULL), "mail.example.gov");
    assert_string_equal(doge_ini_get(ini, "smtp", "port", NULL), "587");
    assert_string_equal(doge_ini_get(ini, "smtp", "from", NULL), "DOGE <pulse@example.gov>");
    assert_string_equal(doge_ini_get(ini, "smtp", "subject", NULL),
                        "What did you do last week?\n\t\"five bullets\" \\ thanks");
    assert_string_equal(doge_ini_get(ini, "smtp", "raw", NULL), "C:\\path\\no\\escapes");
    assert_string_equal(doge_ini_get(ini, "smtp", "url", NULL), "https://example.gov/a#frag");
    assert_string_equal(doge_ini_get(ini, "smtp", "note", NULL), "keep; this");
    assert_string_equal(doge_ini_get(ini, "smtp", "empty", "dflt"), "");
    assert_string_equal(doge_ini_get(ini, "smtp", "quoted_empty", "dflt"), "");
    assert_string_equal(doge_ini_get(ini, "smtp", "equals", NULL), "a=b=c");
    assert_string_equal(doge_ini_get(ini, "smtp", "timeout", NULL), "30"); /* reopened */
    assert_string_equal(doge_ini_get(ini, "pulse.weekly", "port", NULL), "25");
    assert_string_equal(doge_ini_get(ini, "smtp", "nope", "dflt"), "dflt");
    assert_null(doge_ini_get(ini, "nosection", "port", NULL));
    assert_null(doge_ini_get(ini, "smtp", NULL, NULL));
    assert_null(doge_ini_get(ini, "SMTP", "port", NULL)); /* case-sensitive */
    assert_int_equal(doge_ini_has(ini, "smtp", "empty"), 1);
    assert_int_equal(doge_ini_has(ini, "smtp", "absent"), 0);
    assert_int_equal(doge_ini_has(ini, "spend", "workspace"), 0);
    doge_ini_free(ini);
    doge_ini_free(NULL);
}

static void test_typed(void **state)
{
    (void)state;
    doge_ini *ini = load_sample();
    int64_t n;
    int b;
    assert_ok(doge_ini_get_int(ini, "smtp", "port", 25, &n));
    assert_int_equal(n, 587);
    assert_ok(doge_ini_get_int(ini, "smtp", "missing", 25, &n));
    assert_int_equal(n, 25);
    assert_ok(doge_ini_get_int(ini, "spend", "max_rows", 0, &n));
    assert_int_equal(n, -12);
    assert_ok(doge_ini_get_int(ini, "spend", "big", 0, &n));
    assert_true(n == INT64_MAX);
    assert_ok(doge_ini_get_int(ini, "spend", "small", 0, &n));
    assert_true(n == INT64_MIN);
    assert_ok(doge_ini_get_bool(ini, "smtp", "tls", 0, &b));
    assert_int_equal(b, 1);
    assert_ok(doge_ini_get_bool(ini, "spend", "flag", 1, &b));
    assert_int_equal(b, 0);
    assert_ok(doge_ini_get_bool(ini, "spend", "missing", 1, &b));
    assert_int_equal(b, 1);
    assert_error(doge_ini_get_int(ini, "smtp", "host", 0, &n), DOGE_EINVAL,
                 "doge.conf:6: [smtp] host: expected an integer, got 'mail.example.gov'");
    assert_error(doge_ini_get_int(ini, "smtp", "empty", 0, &n), DOGE_EINVAL,
                 "doge.conf:14: [smtp] empty: expected an integer, got ''");
    assert_error(doge_ini_get_int(ini, NULL, "workspace", 0, &n), DOGE_EINVAL,
                 "doge.conf:2: workspace: expected an integer, got '/srv/doge'");
    assert_error(doge_ini_get_bool(ini, "smtp", "port", 0, &b), DOGE_EINVAL,
                 "doge.conf:7: [smtp] port: expected true/false, yes/no, on/off or 1/0, "
                 "got '587'");
    doge_ini_free(ini);

    static const char nums[] = "a = 25x\nb = 9223372036854775808\nc = -9223372036854775809\n"
                               "d = -\ne = 1 2\nf = 99999999999999999999x\ng = +7\n"
                               "t1 = TRUE\nt2 = on\nt3 = 1\nf1 = No\nf2 = 0\nf3 = false\n";
    assert_ok(doge_ini_new(&ini, "n.conf", nums, sizeof nums - 1));
    assert_error(doge_ini_get_int(ini, NULL, "a", 0, &n), DOGE_EINVAL,
                 "n.conf:1: a: expected an integer, got '25x'");
    assert_error(doge_ini_get_int(ini, NULL, "b", 0, &n), DOGE_ERANGE,
                 "n.conf:2: b: integer out of range for 64 bits, got '9223372036854775808'");
    assert_error(doge_ini_get_int(ini, NULL, "c", 0, &n), DOGE_ERANGE,
                 "got '-9223372036854775809'");
    assert_error(doge_ini_get_int(ini, NULL, "d", 0, &n), DOGE_EINVAL, "got '-'");
    assert_error(doge_ini_get_int(ini, NULL, "e", 0, &n), DOGE_EINVAL, "got '1 2'");
    assert_error(doge_ini_get_int(ini, NULL, "f", 0, &n), DOGE_EINVAL,
                 "expected an integer, got '99999999999999999999x'");
    assert_ok(doge_ini_get_int(ini, NULL, "g", 0, &n));
    assert_int_equal(n, 7);
    static const char *const yes[] = {"t1", "t2", "t3"}, *const no[] = {"f1", "f2", "f3"};
    for (int i = 0; i < 3; i++) {
        assert_ok(doge_ini_get_bool(ini, NULL, yes[i], 0, &b));
        assert_int_equal(b, 1);
        assert_ok(doge_ini_get_bool(ini, NULL, no[i], 1, &b));
        assert_int_equal(b, 0);
    }
    doge_ini_free(ini);
}

static void bad(const char *text, int code, const char *want)
{
    doge_ini *ini = (doge_ini *)1;
    assert_error(doge_ini_new(&ini, "doge.conf", text, strlen(text)), code, want);
    assert_null(ini);
}

static void test_errors(void **state)
{
    (void)state;
    bad("[a]\nx = 1\n\n# c\n\n\nfoo\n", DOGE_EINVAL,
        "doge.conf:7: expected 'key = value', got 'foo'");
    bad("[smtp]\nport = 25\nhost = a\nport = 26\n", DOGE_EINVAL,
        "doge.conf:4: duplicate key 'port' in [smtp] (first set on line 2): 'port = 26'");
    bad("[smtp]\nport = 25\n[spend]\n[smtp]\nport=26\n", DOGE_EINVAL,
        "doge.conf:5: duplicate key 'port' in [smtp] (first set on line 2)");
    bad("x = 1\nx = 2\n", DOGE_EINVAL,
        "doge.conf:2: duplicate key 'x' in the global section (first set on line 1): 'x = 2'");
    bad("[smtp\n", DOGE_EINVAL, "doge.conf:1: expected '[section]', got '[smtp'");
    bad("[smtp] x = 1\n", DOGE_EINVAL, "doge.conf:1: expected '[section]', got '[smtp] x = 1'");
    bad("[a b]\n", DOGE_EINVAL, "doge.conf:1: bad section name");
    bad("[a b]\n", DOGE_EINVAL, "in '[a b]'");
    bad("[]\n", DOGE_EINVAL, "doge.conf:1: bad section name");
    bad("\n = 5\n", DOGE_EINVAL, "doge.conf:2: missing key before '=' in ' = 5'");
    bad("a b = 5\n", DOGE_EINVAL, "doge.conf:1: bad key (letters, digits, '.', '-', '_'; at "
                                  "most 128) in 'a b = 5'");
    bad("k\xc3\xa9y = 5\n", DOGE_EINVAL, "bad key");
    bad("name = \"abc\n", DOGE_EINVAL, "doge.conf:1: unterminated quoted value in 'name = \"abc'");
    bad("name = 'abc\n", DOGE_EINVAL, "unterminated quoted value");
    bad("name = \"a\\qb\"\n", DOGE_EINVAL,
        "doge.conf:1: unknown escape after '\\' in 'name = \"a\\qb\"'");
    bad("name = \"abc\\\"\n", DOGE_EINVAL, "unterminated quoted value");
    bad("name = \"abc\" def\n", DOGE_EINVAL,
        "doge.conf:1: unexpected text after the closing quote in 'name = \"abc\" def'");
    bad("ok = 1\r\nbad line\r\n", DOGE_EINVAL, "doge.conf:2: expected 'key = value', got 'bad line'");
    bad("bell\a = 1\n", DOGE_EINVAL, "in 'bell\\x07 = 1'");
    static const char nul[] = "a = 1\nb = x\0y\n";
    doge_ini *ini = NULL;
    assert_error(doge_ini_new(&ini, "doge.conf", nul, sizeof nul - 1), DOGE_EINVAL,
                 "doge.conf:2: NUL byte in 'b = x\\x00y'");
    char longline[400];
    memset(longline, 'z', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    bad(longline, DOGE_EINVAL, "doge.conf:1: expected 'key = value', got 'zzzzzzzz");
    assert_message_has("zzz...'");
    char longkey[200];
    memset(longkey, 'k', 129);
    strcpy(longkey + 129, " = 1");
    bad(longkey, DOGE_EINVAL, "doge.conf:1: bad key");
    assert_error(doge_ini_new(&ini, NULL, "oops", 4), DOGE_EINVAL,
                 "<string>:1: expected 'key = value', got 'oops'");
    assert_error(doge_ini_new(&ini, "x.conf", NULL, 4), DOGE_EINVAL, "x.conf: NULL text");
    assert_error(doge_ini_new(&ini, "huge.conf", "", DOGE_INI_MAX_BYTES + 1), DOGE_ELIMIT,
                 "huge.conf: 1048577 bytes is more than the limit of 1048576");
}

static void test_key_cap(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    for (int i = 1; i <= DOGE_INI_MAX_KEYS; i++)
        assert_ok(doge_buf_printf(&b, "k%d = %d\n", i, i));
    doge_ini *ini;
    assert_ok(doge_ini_new(&ini, "many.conf", b.data, b.len));
    int64_t n;
    assert_ok(doge_ini_get_int(ini, NULL, "k10000", 0, &n));
    assert_int_equal(n, 10000);
    doge_ini_free(ini);
    assert_ok(doge_buf_append_str(&b, "[s]\nlast = 1\n"));
    assert_error(doge_ini_new(&ini, "many.conf", b.data, b.len), DOGE_ELIMIT,
                 "many.conf:10002: more than 10000 keys at 'last = 1'");
    doge_buf_dispose(&b);
}

static void test_edge_inputs(void **state)
{
    (void)state;
    doge_ini *ini;
    assert_ok(doge_ini_new(&ini, "empty.conf", NULL, 0));
    assert_int_equal(doge_ini_has(ini, NULL, "x"), 0);
    doge_ini_free(ini);
    assert_ok(doge_ini_new(&ini, "x.conf", "a=1", 3)); /* no final newline */
    assert_string_equal(doge_ini_get(ini, NULL, "a", NULL), "1");
    doge_ini_free(ini);
    assert_ok(doge_ini_new(&ini, "x.conf", "a = 1\nb = 2", 6)); /* a view: line 1 only */
    assert_int_equal(doge_ini_has(ini, NULL, "b"), 0);
    doge_ini_free(ini);
    assert_error(doge_ini_new(&ini, "x.conf", "a = 1\nb = 2", 7), DOGE_EINVAL,
                 "x.conf:2: expected 'key = value', got 'b'");
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/doge-ini-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char text[] = "[store]\npath = doge.db\nbusy_ms = 5000\n\n[pulse]\noops\n";
    assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    doge_ini *ini = NULL;
    doge_error_clear();
    int rc = doge_ini_new_file(&ini, path);
    assert_int_equal(rc, DOGE_EINVAL);
    char want[128];
    snprintf(want, sizeof want, "%s:6: expected 'key = value', got 'oops'", path);
    assert_message_is(want);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fputs("oops = fixed\n", f);
    fclose(f);
    assert_error(doge_ini_new_file(&ini, path), DOGE_EINVAL, ":6: expected 'key = value'");
    f = fopen(path, "w");
    fputs("[store]\npath = doge.db\nbusy_ms = 5000\n", f);
    fclose(f);
    assert_ok(doge_ini_new_file(&ini, path));
    int64_t ms;
    assert_ok(doge_ini_get_int(ini, "store", "busy_ms", 0, &ms));
    assert_int_equal(ms, 5000);
    doge_ini_free(ini);
    /* Past the size cap. */
    f = fopen(path, "w");
    for (size_t i = 0; i < DOGE_INI_MAX_BYTES / 8; i++)
        fputs("# 45678\n", f);
    fclose(f);
    assert_ok(doge_ini_new_file(&ini, path)); /* exactly 1 MiB */
    doge_ini_free(ini);
    f = fopen(path, "a");
    fputc('\n', f);
    fclose(f);
    snprintf(want, sizeof want, "%s: larger than 1048576 bytes", path);
    assert_error(doge_ini_new_file(&ini, path), DOGE_ELIMIT, want);
    unlink(path);
    assert_error(doge_ini_new_file(&ini, path), DOGE_ENOTFOUND, path);
    assert_null(ini);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_typed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_key_cap),
        cmocka_unit_test(test_edge_inputs),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
