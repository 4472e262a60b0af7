/*
 * test_buf.c — doge_buf: appends of every kind, growth across many
 * reallocations, appending a buffer to itself, reserve, reset, truncate,
 * detach, dispose, and the hard cap (DOGE_ELIMIT leaves the contents intact).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static void test_empty(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, DOGE_BUF_DEFAULT_MAX);
    assert_string_equal(doge_buf_cstr(&b), "");
    assert_ok(doge_buf_append(&b, NULL, 0));
    assert_null(b.data);
    doge_buf_reset(&b);
    doge_buf_truncate(&b, 0);
    doge_buf_dispose(&b);
    doge_buf_dispose(&b);
    doge_buf_dispose(NULL);
}

static void test_appends(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_append(&b, "ab", 2));
    assert_ok(doge_buf_append_str(&b, "cd"));
    assert_ok(doge_buf_append_char(&b, 'e'));
    assert_ok(doge_buf_printf(&b, "[%d|%s|%05.1f]", -42, "x", 3.14159));
    assert_ok(doge_buf_append(&b, "\0z", 2));
    assert_int_equal(b.len, 5 + 13 + 2);
    assert_memory_equal(b.data, "abcde[-42|x|003.1]\0z", 20);
    assert_int_equal(b.data[b.len], '\0');
    doge_buf_dispose(&b);
}

static void test_growth(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        assert_ok(doge_buf_printf(&b, "%d,", i % 10));
    assert_int_equal(b.len, 20000);
    assert_int_equal(strlen(doge_buf_cstr(&b)), 20000);
    for (size_t i = 0; i < 20000; i += 2) {
        assert_int_equal(b.data[i], '0' + (int)(i / 2 % 10));
        assert_int_equal(b.data[i + 1], ',');
    }
    /* One printf much larger than the free space. */
    char big[5000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_ok(doge_buf_printf(&b, "<%s>", big));
    assert_int_equal(b.len, 20000 + 5001);
    assert_int_equal(b.data[20000], '<');
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(b.data[b.len], '\0');
    doge_buf_dispose(&b);
}

static void test_self_append(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_append_str(&b, "abc"));
    for (int i = 0; i < 12; i++) /* doubles each time, forcing moves */
        assert_ok(doge_buf_append(&b, b.data, b.len));
    assert_int_equal(b.len, 3u << 12);
    for (size_t i = 0; i < b.len; i++)
        assert_int_equal(b.data[i], "abc"[i % 3]);
    /* A tail of itself. */
    doge_buf_reset(&b);
    assert_ok(doge_buf_append_str(&b, "hello world"));
    assert_ok(doge_buf_append(&b, b.data + 6, 5));
    assert_string_equal(doge_buf_cstr(&b), "hello worldworld");
    doge_buf_dispose(&b);
}

static void test_reserve_reset_truncate(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_buf_reserve(&b, 1000));
    assert_true(b.alloc >= 1001);
    char *before = b.data;
    for (int i = 0; i < 1000; i++)
        assert_ok(doge_buf_append_char(&b, 'x'));
    assert_ptr_equal(b.data, before); /* no reallocation after reserve */
    doge_buf_truncate(&b, 3);
    assert_string_equal(doge_buf_cstr(&b), "xxx");
    doge_buf_truncate(&b, 99); /* longer: no effect */
    assert_int_equal(b.len, 3);
    doge_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(doge_buf_cstr(&b), "");
    assert_ptr_equal(b.data, before); /* memory kept */
    doge_buf_dispose(&b);
}

static void test_detach(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 100);
    char *s;
    size_t n;
    assert_ok(doge_buf_detach(&b, &s, &n)); /* empty: "" */
    assert_string_equal(s, "");
    assert_int_equal(n, 0);
    free(s);
    assert_ok(doge_buf_printf(&b, "total=%d", 7));
    assert_ok(doge_buf_detach(&b, &s, &n));
    assert_string_equal(s, "total=7");
    assert_int_equal(n, 7);
    free(s);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100); /* cap survives */
    assert_ok(doge_buf_append_str(&b, "again"));
    assert_ok(doge_buf_detach(&b, &s, NULL));
    assert_string_equal(s, "again");
    free(s);
}

static void test_cap(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 10);
    assert_ok(doge_buf_append_str(&b, "0123456789"));
    assert_int_equal(b.alloc, 11); /* never allocates past cap + NUL */
    assert_error(doge_buf_append_char(&b, 'x'), DOGE_ELIMIT, "cap of 10 bytes");
    assert_error(doge_buf_append_str(&b, "y"), DOGE_ELIMIT, "adding 1 bytes to 10");
    assert_error(doge_buf_printf(&b, "%d", 5), DOGE_ELIMIT, "cap of 10 bytes");
    assert_string_equal(doge_buf_cstr(&b), "0123456789");
    doge_buf_truncate(&b, 4);
    /* printf that partly fits: must not leave a partial result */
    assert_error(doge_buf_printf(&b, "%s", "abcdefgh"), DOGE_ELIMIT, "cap of 10 bytes");
    assert_string_equal(doge_buf_cstr(&b), "0123");
    assert_int_equal(b.len, 4);
    assert_ok(doge_buf_printf(&b, "%s", "abcdef"));
    assert_string_equal(doge_buf_cstr(&b), "0123abcdef");
    assert_error(doge_buf_reserve(&b, SIZE_MAX), DOGE_ELIMIT, "cap of 10 bytes");
    doge_buf_dispose(&b);

    doge_buf big;
    doge_buf_init(&big, SIZE_MAX); /* clamped so len + NUL cannot overflow */
    assert_error(doge_buf_reserve(&big, SIZE_MAX), DOGE_ELIMIT, "would pass the cap");
    doge_buf_dispose(&big);
}

static void test_bad_args(void **state)
{
    (void)state;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_error(doge_buf_append_str(&b, NULL), DOGE_EINVAL, "buffer: NULL string");
    assert_error(doge_buf_append(&b, NULL, 5), DOGE_EINVAL, "NULL data of 5 bytes");
    assert_int_equal(b.len, 0);
    doge_buf_dispose(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_appends),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_self_append),
        cmocka_unit_test(test_reserve_reset_truncate),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
