/*
 * merkle_testutil.h — helpers shared by the Merkle and tile unit tests: an
 * in-memory stored-hash log with a hash-reader callback (counting its calls
 * and able to fail on demand), hex decoding, a deterministic PRNG, and an
 * independent recursive implementation of RFC 9162's MTH, PATH and PROOF
 * over an array of leaf hashes to check the library against. Include after
 * <cmocka.h>; everything is static inline.
 */
#ifndef DOGE_MERKLE_TESTUTIL_H
#define DOGE_MERKLE_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"

#define HSZ DOGE_MERKLE_HASH_SIZE

/* ---- deterministic PRNG (splitmix64) --------------------------------------- */

static inline uint64_t tu_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static inline int64_t tu_below(uint64_t *s, int64_t n)
{
    return (int64_t)(tu_rand(s) % (uint64_t)n);
}

/* ---- hex -------------------------------------------------------------------- */

static inline int tu_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes hex into out (room for cap bytes); returns the byte count. */
static inline size_t tu_unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++) {
        int hi = tu_hexval(hex[2 * i]), lo = tu_hexval(hex[2 * i + 1]);
        assert_true(hi >= 0 && lo >= 0);
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return n;
}

/* ---- in-memory stored-hash log ---------------------------------------------- */

typedef struct memtree {
    uint8_t *hashes;   /* stored hashes, nhash of them */
    int64_t nhash, cap;
    uint8_t *leaves;   /* leaf hashes, size of them (for the reference) */
    int64_t size, leafcap;
    int reads;         /* reader calls so far */
    int fail;          /* when set, the reader fails */
} memtree;

static inline int memtree_read(void *ctx, const int64_t *idx, size_t k, uint8_t *out)
{
    memtree *m = ctx;
    m->reads++;
    if (m->fail)
        return DOGE_EIO;
    for (size_t i = 0; i < k; i++) {
        if (idx[i] < 0 || idx[i] >= m->nhash)
            return DOGE_ENOTFOUND;
        memcpy(out + i * HSZ, m->hashes + idx[i] * HSZ, HSZ);
    }
    return DOGE_OK;
}

static inline void memtree_free(memtree *m)
{
    free(m->hashes);
    free(m->leaves);
    memset(m, 0, sizeof *m);
}

/* Appends a record whose leaf hash is lh. */
static inline void memtree_append_hash(memtree *m, const uint8_t lh[HSZ])
{
    uint8_t out[DOGE_MERKLE_MAX_PROOF * HSZ];
    size_t k = 0;
    assert_int_equal(doge_merkle_stored_hashes(m->size, lh, memtree_read, m, out,
                                               DOGE_MERKLE_MAX_PROOF, &k), DOGE_OK);
    assert_int_equal(doge_merkle_stored_hash_index(0, m->size), m->nhash);
    if (m->nhash + (int64_t)k > m->cap) {
        m->cap = m->cap ? m->cap * 2 : 1024;
        m->hashes = realloc(m->hashes, (size_t)m->cap * HSZ);
        assert_non_null(m->hashes);
    }
    if (m->size + 1 > m->leafcap) {
        m->leafcap = m->leafcap ? m->leafcap * 2 : 512;
        m->leaves = realloc(m->leaves, (size_t)m->leafcap * HSZ);
        assert_non_null(m->leaves);
    }
    memcpy(m->hashes + m->nhash * HSZ, out, k * HSZ);
    m->nhash += (int64_t)k;
    memcpy(m->leaves + m->size * HSZ, lh, HSZ);
    m->size++;
}

static inline void memtree_append(memtree *m, const void *data, size_t len)
{
    uint8_t lh[HSZ];
    assert_int_equal(doge_merkle_leaf_hash(data, len, lh), DOGE_OK);
    memtree_append_hash(m, lh);
}

/* ---- reference RFC 9162 over leaf hashes --------------------------------------- */

static inline int64_t ref_k(int64_t n) /* largest power of two < n, n >= 2 */
{
    int64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

/* MTH(D[lo:hi]) from leaf hashes, hi > lo. */
static inline void ref_mth(const uint8_t *leaves, int64_t lo, int64_t hi, uint8_t out[HSZ])
{
    if (hi - lo == 1) {
        memcpy(out, leaves + lo * HSZ, HSZ);
        return;
    }
    int64_t k = ref_k(hi - lo);
    uint8_t l[HSZ], r[HSZ];
    ref_mth(leaves, lo, lo + k, l);
    ref_mth(leaves, lo + k, hi, r);
    assert_int_equal(doge_merkle_node_hash(l, r, out), DOGE_OK);
}

/* PATH(m, D[lo:hi]) appended to out at *len. */
static inline void ref_path(const uint8_t *leaves, int64_t m, int64_t lo, int64_t hi, uint8_t *out,
                            size_t *len)
{
    if (hi - lo <= 1)
        return;
    int64_t k = ref_k(hi - lo);
    if (m < k) {
        ref_path(leaves, m, lo, lo + k, out, len);
        ref_mth(leaves, lo + k, hi, out + (*len)++ * HSZ);
    } else {
        ref_path(leaves, m - k, lo + k, hi, out, len);
        ref_mth(leaves, lo, lo + k, out + (*len)++ * HSZ);
    }
}

/* SUBPROOF(m, D[lo:hi], b) appended to out at *len. */
static inline void ref_subproof(const uint8_t *leaves, int64_t m, int64_t lo, int64_t hi, int b,
                                uint8_t *out, size_t *len)
{
    if (m == hi - lo) {
        if (!b)
            ref_mth(leaves, lo, hi, out + (*len)++ * HSZ);
        return;
    }
    int64_t k = ref_k(hi - lo);
    if (m <= k) {
        ref_subproof(leaves, m, lo, lo + k, b, out, len);
        ref_mth(leaves, lo + k, hi, out + (*len)++ * HSZ);
    } else {
        ref_subproof(leaves, m - k, lo + k, hi, 0, out, len);
        ref_mth(leaves, lo, lo + k, out + (*len)++ * HSZ);
    }
}

#endif
