/*
 * test_arena.c — doge_arena: alignment of every allocation, no overlap
 * between allocations, requests bigger than a chunk, the dup helpers, reset
 * and reuse, the hard cap on memory taken (never passed, DOGE_ELIMIT named),
 * and rejected arguments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

static void test_alignment(void **state)
{
    (void)state;
    doge_arena *a;
    assert_ok(doge_arena_new(&a, 1024, 0));
    static const size_t aligns[] = {1, 2, 4, 8, 16, 32, 64, 256, 4096};
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
            void *p;
            assert_ok(doge_arena_alloc(a, (size_t)round * 3 + 1, aligns[i], &p));
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % aligns[i], 0);
        }
        void *q;
        assert_ok(doge_arena_alloc(a, 5, 0, &q));
        assert_int_equal((uintptr_t)q % alignof(max_align_t), 0);
    }
    doge_arena_free(a);
}

static void test_no_overlap(void **state)
{
    (void)state;
    doge_arena *a;
    assert_ok(doge_arena_new(&a, 512, 0));
    enum { N = 2000 };
    unsigned char *ptrs[N];
    size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t)(i * 7919 % 97); /* 0..96, some zero */
        if (i % 250 == 0)
            sizes[i] = 3000; /* bigger than a chunk */
        void *p;
        assert_ok(doge_arena_alloc(a, sizes[i], (size_t)1 << (i % 5), &p));
        assert_non_null(p);
        ptrs[i] = p;
        memset(p, i & 0xff, sizes[i]);
    }
    for (int i = 0; i < N; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(ptrs[i][k], i & 0xff);
    assert_true(doge_arena_used(a) >= 12 * 3000);
    assert_true(doge_arena_reserved(a) >= doge_arena_used(a));
    doge_arena_free(a);
}

static void test_dups(void **state)
{
    (void)state;
    doge_arena *a;
    assert_ok(doge_arena_new(&a, 0, 0));
    char *s;
    assert_ok(doge_arena_strdup(a, "award 42", &s));
    assert_string_equal(s, "award 42");
    assert_ok(doge_arena_strdup(a, "", &s));
    assert_string_equal(s, "");
    const char view[] = {'a', 'b', 'c', 'd'}; /* no NUL: a field view */
    assert_ok(doge_arena_strndup(a, view, 3, &s));
    assert_string_equal(s, "abc");
    assert_ok(doge_arena_strndup(a, "xy\0zz", 5, &s)); /* stops at NUL */
    assert_string_equal(s, "xy");
    assert_ok(doge_arena_strndup(a, NULL, 0, &s));
    assert_string_equal(s, "");
    void *m;
    const int nums[3] = {1, -2, 3};
    assert_ok(doge_arena_memdup(a, nums, sizeof nums, &m));
    assert_memory_equal(m, nums, sizeof nums);
    assert_int_equal((uintptr_t)m % alignof(max_align_t), 0);
    assert_ok(doge_arena_memdup(a, NULL, 0, &m));
    assert_non_null(m);
    doge_arena_free(a);
}

static void test_reset(void **state)
{
    (void)state;
    doge_arena *a;
    assert_ok(doge_arena_new(&a, 4096, 0));
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 100; i++) {
            char *s;
            assert_ok(doge_arena_strdup(a, "a row's worth of text for the arena", &s));
        }
        void *big;
        assert_ok(doge_arena_alloc(a, 100000, 0, &big));
        memset(big, 1, 100000);
        assert_true(doge_arena_used(a) > 100000);
        doge_arena_reset(a);
        assert_int_equal(doge_arena_used(a), 0);
        assert_true(doge_arena_reserved(a) <= 4096 + 64); /* one chunk kept */
    }
    doge_arena_free(a);
}

static void test_cap(void **state)
{
    (void)state;
    doge_arena *a;
    assert_ok(doge_arena_new(&a, 1000, 4096));
    int rc = DOGE_OK, n = 0;
    while (rc == DOGE_OK && n < 10000) {
        void *p;
        rc = doge_arena_alloc(a, 100, 1, &p);
        assert_true(doge_arena_reserved(a) <= 4096);
        if (rc == DOGE_OK) {
            memset(p, 0, 100);
            n++;
        }
    }
    assert_int_equal(rc, DOGE_ELIMIT);
    assert_message_has("arena: allocating 100 bytes would pass the cap of 4096 bytes");
    assert_true(n >= 35); /* the cap is used, not wasted */
    assert_error(doge_arena_alloc(a, SIZE_MAX, 1, &(void *){0}), DOGE_ELIMIT,
                 "allocating 18446744073709551615 bytes");
    assert_error(doge_arena_alloc(a, SIZE_MAX - 8, 4096, &(void *){0}), DOGE_ELIMIT,
                 "cap of 4096 bytes");
    doge_arena_reset(a);
    void *p;
    assert_ok(doge_arena_alloc(a, 100, 1, &p)); /* usable again */
    doge_arena_free(a);

    /* A single request larger than the chunk but within the cap. */
    assert_ok(doge_arena_new(&a, 256, 8192));
    assert_ok(doge_arena_alloc(a, 6000, 0, &p));
    assert_error(doge_arena_alloc(a, 6000, 0, &p), DOGE_ELIMIT, "6000 bytes");
    doge_arena_free(a);
}

static void test_bad_args(void **state)
{
    (void)state;
    doge_arena *a = NULL;
    assert_error(doge_arena_new(&a, 0, 8), DOGE_EINVAL, "arena: cap of 8 bytes is too small");
    assert_null(a);
    assert_ok(doge_arena_new(&a, 0, 0));
    void *p = (void *)1;
    assert_error(doge_arena_alloc(a, 8, 3, &p), DOGE_EINVAL, "alignment 3 is not a power of two");
    assert_null(p);
    assert_error(doge_arena_alloc(a, 8, 8192, &p), DOGE_EINVAL, "alignment 8192");
    char *s = (char *)1;
    assert_error(doge_arena_strdup(a, NULL, &s), DOGE_EINVAL, "arena: NULL string");
    assert_null(s);
    assert_error(doge_arena_strndup(a, NULL, 4, &s), DOGE_EINVAL, "NULL string of 4 bytes");
    assert_ok(doge_arena_alloc(a, 0, 1, &p)); /* size 0 is fine */
    assert_non_null(p);
    doge_arena_free(a);
    doge_arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_no_overlap),
        cmocka_unit_test(test_dups),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
