/*
 * test_error.c — the thread-local last-error state: set, read, prefix, clear,
 * names, and that each thread keeps its own message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "doge.h"
#include "internal.h"

static void test_set_and_read(void **state)
{
    (void)state;
    doge_error_clear();
    assert_string_equal(doge_error_last(), "");
    assert_int_equal(doge_error_code(), DOGE_OK);
    int rc = doge__error_set(DOGE_EINVAL, "%s:%d: field '%s': bad", "a.csv", 7, "amount");
    assert_int_equal(rc, DOGE_EINVAL);
    assert_string_equal(doge_error_last(), "a.csv:7: field 'amount': bad");
    doge__error_prefix("reading %s", "roster");
    assert_string_equal(doge_error_last(), "reading roster: a.csv:7: field 'amount': bad");
    assert_string_equal(doge_error_name(DOGE_EINVAL), "DOGE_EINVAL");
    assert_string_equal(doge_error_name(12345), "DOGE_UNKNOWN");
    doge_error_clear();
    assert_string_equal(doge_error_last(), "");
}

static void *thread_main(void *arg)
{
    (void)arg;
    doge__error_set(DOGE_EIO, "thread message");
    return strcmp(doge_error_last(), "thread message") == 0 ? (void *)1 : NULL;
}

static void test_thread_local(void **state)
{
    (void)state;
    doge__error_set(DOGE_EVERIFY, "main message");
    pthread_t t;
    void *ok = NULL;
    assert_int_equal(pthread_create(&t, NULL, thread_main, NULL), 0);
    pthread_join(t, &ok);
    assert_non_null(ok);
    assert_string_equal(doge_error_last(), "main message");
    assert_int_equal(doge_error_code(), DOGE_EVERIFY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_and_read),
        cmocka_unit_test(test_thread_local),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
