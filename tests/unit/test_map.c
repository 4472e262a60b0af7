/*
 * test_map.c — doge_map: put/get/replace/delete on pointer and integer
 * values, binary and empty keys, key copying, upsert counters, iteration,
 * clear, a randomized run against a brute-force model (exercising growth and
 * backward-shift deletion in long probe runs), the entry and key-byte caps
 * (DOGE_ELIMIT naming the key), and properties of the hash.
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

#define K(s) (s), strlen(s)

static void test_basic(void **state)
{
    (void)state;
    doge_map *m;
    int a = 1, b = 2;
    void *v;
    assert_ok(doge_map_new(&m, 0, 0));
    assert_int_equal(doge_map_count(m), 0);
    assert_int_equal(doge_map_get(m, K("x"), &v), 0); /* empty table */
    assert_ok(doge_map_put(m, K("alpha"), &a));
    assert_ok(doge_map_put(m, K("beta"), &b));
    assert_int_equal(doge_map_count(m), 2);
    assert_int_equal(doge_map_get(m, K("alpha"), &v), 1);
    assert_ptr_equal(v, &a);
    assert_int_equal(doge_map_get(m, K("beta"), NULL), 1);
    doge_error_clear();
    assert_int_equal(doge_map_get(m, K("gamma"), &v), 0);
    assert_string_equal(doge_error_last(), ""); /* a miss is not an error */
    assert_int_equal(doge_map_get(m, "alph", 4, &v), 0);
    assert_int_equal(doge_map_get(m, "alphaa", 6, &v), 0);
    assert_ok(doge_map_put(m, K("alpha"), &b)); /* replace */
    assert_int_equal(doge_map_count(m), 2);
    assert_int_equal(doge_map_get(m, K("alpha"), &v), 1);
    assert_ptr_equal(v, &b);
    assert_int_equal(doge_map_delete(m, K("alpha")), 1);
    assert_int_equal(doge_map_delete(m, K("alpha")), 0);
    assert_int_equal(doge_map_get(m, K("alpha"), &v), 0);
    assert_int_equal(doge_map_count(m), 1);
    doge_map_free(m);
    doge_map_free(NULL);
}

static void test_keys(void **state)
{
    (void)state;
    doge_map *m;
    uint64_t v;
    assert_ok(doge_map_new(&m, 0, 0));
    /* Keys are copied: the caller's buffer may change afterwards. */
    char buf[16];
    strcpy(buf, "award-1");
    assert_ok(doge_map_put_u64(m, buf, 7, 100));
    strcpy(buf, "award-2");
    assert_ok(doge_map_put_u64(m, buf, 7, 200));
    assert_int_equal(doge_map_get_u64(m, K("award-1"), &v), 1);
    assert_int_equal(v, 100);
    /* Binary keys with NULs, and prefixes of each other. */
    assert_ok(doge_map_put_u64(m, "a\0b", 3, 1));
    assert_ok(doge_map_put_u64(m, "a\0c", 3, 2));
    assert_ok(doge_map_put_u64(m, "a", 1, 3));
    assert_ok(doge_map_put_u64(m, "a\0", 2, 4));
    assert_int_equal(doge_map_get_u64(m, "a\0b", 3, &v), 1);
    assert_int_equal(v, 1);
    assert_int_equal(doge_map_get_u64(m, "a\0", 2, &v), 1);
    assert_int_equal(v, 4);
    /* The empty key is a key like any other. */
    assert_int_equal(doge_map_get_u64(m, NULL, 0, &v), 0);
    assert_ok(doge_map_put_u64(m, NULL, 0, 99));
    assert_int_equal(doge_map_get_u64(m, "", 0, &v), 1);
    assert_int_equal(v, 99);
    assert_int_equal(doge_map_delete(m, NULL, 0), 1);
    assert_int_equal(doge_map_get_u64(m, "", 0, &v), 0);
    /* Full 64-bit values. */
    assert_ok(doge_map_put_u64(m, K("max"), UINT64_MAX));
    assert_int_equal(doge_map_get_u64(m, K("max"), &v), 1);
    assert_true(v == UINT64_MAX);
    assert_error(doge_map_put_u64(m, NULL, 3, 1), DOGE_EINVAL, "map: NULL key of 3 bytes");
    assert_int_equal(doge_map_get_u64(m, NULL, 3, &v), 0);
    assert_int_equal(doge_map_delete(m, NULL, 3), 0);
    doge_map_free(m);
}

static void test_upsert_and_iterate(void **state)
{
    (void)state;
    doge_map *m;
    assert_ok(doge_map_new(&m, 0, 0));
    static const char *const words[] = {"doge", "much", "wow", "doge", "such", "wow", "doge"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        doge_map_value *slot;
        int inserted;
        assert_ok(doge_map_upsert(m, K(words[i]), &slot, &inserted));
        if (inserted)
            assert_int_equal(slot->u64, 0);
        slot->u64 += 1;
    }
    assert_int_equal(doge_map_count(m), 4);
    uint64_t v;
    assert_int_equal(doge_map_get_u64(m, K("doge"), &v), 1);
    assert_int_equal(v, 3);
    assert_int_equal(doge_map_get_u64(m, K("wow"), &v), 1);
    assert_int_equal(v, 2);

    doge_map_iter it;
    const void *key;
    size_t klen, seen = 0;
    uint64_t total = 0;
    doge_map_value *val;
    doge_map_iter_init(&it, m);
    while (doge_map_iter_next(&it, &key, &klen, &val)) {
        seen++;
        total += val->u64;
        val->u64 *= 10; /* values may change during a walk */
        assert_true(klen >= 3 && klen <= 4);
    }
    assert_int_equal(seen, 4);
    assert_int_equal(total, 7);
    assert_int_equal(doge_map_iter_next(&it, NULL, NULL, NULL), 0); /* stays at end */
    assert_int_equal(doge_map_get_u64(m, K("doge"), &v), 1);
    assert_int_equal(v, 30);

    doge_map_clear(m);
    assert_int_equal(doge_map_count(m), 0);
    assert_int_equal(doge_map_get_u64(m, K("doge"), &v), 0);
    doge_map_iter_init(&it, m);
    assert_int_equal(doge_map_iter_next(&it, NULL, NULL, NULL), 0);
    assert_ok(doge_map_put_u64(m, K("again"), 5));
    assert_int_equal(doge_map_count(m), 1);

    doge_map *empty;
    assert_ok(doge_map_new(&empty, 0, 0));
    doge_map_iter_init(&it, empty);
    assert_int_equal(doge_map_iter_next(&it, NULL, NULL, NULL), 0);
    doge_map_clear(empty);
    doge_map_free(empty);
    doge_map_free(m);
}

/* xorshift64*: a deterministic stream for the randomized test. */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void test_against_model(void **state)
{
    (void)state;
    enum { NKEYS = 3000, OPS = 200000 };
    static uint64_t model[NKEYS];
    static int present[NKEYS];
    memset(present, 0, sizeof present);
    doge_map *m;
    assert_ok(doge_map_new(&m, 0, 0));
    uint64_t seed = 0x1234567;
    size_t count = 0;
    char key[32];
    for (int op = 0; op < OPS; op++) {
        uint64_t r = rnd(&seed);
        int k = (int)(r % NKEYS);
        size_t klen = (size_t)snprintf(key, sizeof key, "k%d", k);
        switch ((r >> 32) % 4) {
        case 0:
        case 1:
            assert_ok(doge_map_put_u64(m, key, klen, r));
            if (!present[k])
                count++;
            present[k] = 1;
            model[k] = r;
            break;
        case 2:
            assert_int_equal(doge_map_delete(m, key, klen), present[k]);
            if (present[k])
                count--;
            present[k] = 0;
            break;
        default: {
            uint64_t v = 0;
            assert_int_equal(doge_map_get_u64(m, key, klen, &v), present[k]);
            if (present[k])
                assert_true(v == model[k]);
        }
        }
        assert_int_equal(doge_map_count(m), count);
    }
    for (int k = 0; k < NKEYS; k++) {
        size_t klen = (size_t)snprintf(key, sizeof key, "k%d", k);
        uint64_t v = 0;
        assert_int_equal(doge_map_get_u64(m, key, klen, &v), present[k]);
        if (present[k])
            assert_true(v == model[k]);
    }
    /* The walk sees exactly the present keys. */
    doge_map_iter it;
    const void *kp;
    size_t kl, walked = 0;
    doge_map_iter_init(&it, m);
    while (doge_map_iter_next(&it, &kp, &kl, NULL)) {
        char tmp[32];
        memcpy(tmp, kp, kl);
        tmp[kl] = '\0';
        int k = atoi(tmp + 1);
        assert_true(present[k]);
        walked++;
    }
    assert_int_equal(walked, count);
    doge_map_free(m);
}

static void test_many(void **state)
{
    (void)state;
    enum { N = 200000 };
    doge_map *m;
    assert_ok(doge_map_new(&m, 0, 0));
    char key[32];
    for (uint64_t i = 0; i < N; i++) {
        size_t n = (size_t)snprintf(key, sizeof key, "CONT_AWD_%08llu", (unsigned long long)i);
        assert_ok(doge_map_put_u64(m, key, n, i * 3));
    }
    assert_int_equal(doge_map_count(m), N);
    for (uint64_t i = 0; i < N; i += 2) {
        size_t n = (size_t)snprintf(key, sizeof key, "CONT_AWD_%08llu", (unsigned long long)i);
        assert_int_equal(doge_map_delete(m, key, n), 1);
    }
    for (uint64_t i = 0; i < N; i++) {
        size_t n = (size_t)snprintf(key, sizeof key, "CONT_AWD_%08llu", (unsigned long long)i);
        uint64_t v;
        assert_int_equal(doge_map_get_u64(m, key, n, &v), (int)(i % 2));
        if (i % 2)
            assert_true(v == i * 3);
    }
    assert_int_equal(doge_map_count(m), N / 2);
    doge_map_free(m);
}

static void test_caps(void **state)
{
    (void)state;
    doge_map *m;
    assert_ok(doge_map_new(&m, 3, 0));
    assert_ok(doge_map_put_u64(m, K("alpha"), 1));
    assert_ok(doge_map_put_u64(m, K("beta"), 2));
    assert_ok(doge_map_put_u64(m, K("gamma"), 3));
    assert_error(doge_map_put_u64(m, K("delta"), 4), DOGE_ELIMIT,
                 "map: adding key 'delta' would pass the cap of 3 entries");
    assert_ok(doge_map_put_u64(m, K("gamma"), 33)); /* replacing is fine */
    doge_map_value *slot;
    assert_error(doge_map_upsert(m, K("eps\n"), &slot, NULL), DOGE_ELIMIT, "key 'eps\\n'");
    assert_null(slot);
    assert_int_equal(doge_map_delete(m, K("alpha")), 1);
    assert_ok(doge_map_put_u64(m, K("delta"), 4));
    assert_int_equal(doge_map_count(m), 3);
    doge_map_free(m);

    /* Key bytes: a 1000-byte key cannot fit a 512-byte key arena. */
    assert_ok(doge_map_new(&m, 0, 512));
    char big[1000];
    memset(big, 'k', sizeof big);
    assert_error(doge_map_put_u64(m, big, sizeof big, 1), DOGE_ELIMIT,
                 "map: adding key 'kkkkkkkk");
    assert_message_has("...': arena: allocating 1000 bytes would pass the cap of 512 bytes");
    assert_int_equal(doge_map_count(m), 0);
    assert_ok(doge_map_put_u64(m, big, 100, 1));
    doge_map_free(m);
}

static void test_hash(void **state)
{
    (void)state;
    /* Pinned: the hash reads little-endian on every platform, so these hold
     * everywhere and iteration order is reproducible. */
    static const struct {
        const char *key;
        uint64_t hash;
    } pins[] = {
        {"", 0x0409638ee2bde459ULL},
        {"a", 0x28d2053309d28531ULL},
        {"abc", 0x02a4f1d7cb516c72ULL},
        {"abcd", 0x48dfe2b09ab52113ULL},
        {"CONT_AWD_0001", 0xf2e1c802d96e344dULL},
        {"0123456789abcdefX", 0x44f5d3290c3f87c2ULL},
        {"a key that is longer than forty-eight bytes, surely!!", 0x128954595fb17258ULL},
    };
    for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++)
        assert_true(doge_map_hash(pins[i].key, strlen(pins[i].key), 0) == pins[i].hash);
    assert_true(doge_map_hash("", 0, 0) == doge_map_hash(NULL, 0, 0));
    uint64_t h_abc = doge_map_hash("abc", 3, 0);
    assert_true(h_abc != doge_map_hash("abc", 3, 1));
    assert_true(h_abc != doge_map_hash("abd", 3, 0));
    assert_true(h_abc != doge_map_hash("abc\0", 4, 0));

    /* Every length 0..200 and every single-bit flip changes the hash. */
    unsigned char buf[200];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 31 + 7);
    for (size_t len = 1; len <= sizeof buf; len++) {
        uint64_t h = doge_map_hash(buf, len, 0);
        assert_true(h != doge_map_hash(buf, len - 1, 0));
        size_t byte = (len * 13) % len;
        buf[byte] ^= 0x10;
        assert_true(h != doge_map_hash(buf, len, 0));
        buf[byte] ^= 0x10;
        assert_true(h == doge_map_hash(buf, len, 0));
    }

    /* Low bits of sequential keys spread evenly over 64 buckets. */
    enum { KEYS = 64000, BUCKETS = 64 };
    int counts[BUCKETS] = {0};
    char key[32];
    for (int i = 0; i < KEYS; i++) {
        size_t n = (size_t)snprintf(key, sizeof key, "ASST_NON_%d", i);
        counts[doge_map_hash(key, n, 0) & (BUCKETS - 1)]++;
    }
    for (int b = 0; b < BUCKETS; b++) {
        assert_true(counts[b] > 1000 * 8 / 10);
        assert_true(counts[b] < 1000 * 12 / 10);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_upsert_and_iterate),
        cmocka_unit_test(test_against_model),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
