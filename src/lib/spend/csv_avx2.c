/*
 * csv_avx2.c — the AVX2 structural scanner of the USAspending CSV reader:
 * two 32-byte compares per 64-byte block and a carry-less multiply (PCLMUL)
 * by all-ones for the in-quotes prefix xor, compiled with target attributes
 * so that the rest of libdoge stays baseline x86-64; csv_dispatch.c runs it
 * only when the CPU has AVX2, PCLMUL, POPCNT and BMI1. The loop itself is
 * csv_simd_kernel.h. Also the AVX2 quote and line-feed counter. Built on
 * x86-64 only.
 */
#include "spend_csv_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

#define SIMD_ATTR __attribute__((target("avx2,pclmul,popcnt,bmi")))
#define SIMD_KERNEL doge__spend_scan_avx2

SIMD_ATTR static inline uint64_t mask32(__m256i v, __m256i c)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, c));
}

SIMD_ATTR static inline void simd_classify(const unsigned char *p, doge__spend_blk *m)
{
    const __m256i q = _mm256_set1_epi8('"'), c = _mm256_set1_epi8(','),
                  l = _mm256_set1_epi8('\n'), r = _mm256_set1_epi8('\r');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    m->q = mask32(lo, q) | mask32(hi, q) << 32;
    m->comma = mask32(lo, c) | mask32(hi, c) << 32;
    m->lf = mask32(lo, l) | mask32(hi, l) << 32;
    m->cr = mask32(lo, r) | mask32(hi, r) << 32;
    m->hi = (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) |
            (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

SIMD_ATTR static inline uint64_t simd_prefix_xor(uint64_t x)
{
    __m128i v = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xff), 0);
    return (uint64_t)_mm_cvtsi128_si64(v);
}

SIMD_ATTR static inline uint64_t simd_popcount(uint64_t x)
{
    return (uint64_t)__builtin_popcountll(x);
}

SIMD_ATTR static inline uint64_t simd_tzcnt(uint64_t x) { return (uint64_t)_tzcnt_u64(x); }

#include "csv_simd_kernel.h"

SIMD_ATTR static uint64_t hsum(__m256i acc)
{
    __m256i s = _mm256_sad_epu8(acc, _mm256_setzero_si256());
    return (uint64_t)_mm256_extract_epi64(s, 0) + (uint64_t)_mm256_extract_epi64(s, 1) +
           (uint64_t)_mm256_extract_epi64(s, 2) + (uint64_t)_mm256_extract_epi64(s, 3);
}

SIMD_ATTR void doge__spend_count_avx2(const unsigned char *data, uint64_t from, uint64_t to,
                                      uint64_t *quotes, uint64_t *lfs)
{
    const __m256i q = _mm256_set1_epi8('"'), l = _mm256_set1_epi8('\n');
    uint64_t nq = 0, nl = 0, i = from;
    while (to - i >= 32) {
        __m256i aq = _mm256_setzero_si256(), al = _mm256_setzero_si256();
        for (int k = 0; k < 255 && to - i >= 32; k++, i += 32) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(data + i));
            aq = _mm256_sub_epi8(aq, _mm256_cmpeq_epi8(v, q));
            al = _mm256_sub_epi8(al, _mm256_cmpeq_epi8(v, l));
        }
        nq += hsum(aq);
        nl += hsum(al);
    }
    uint64_t tq, tl;
    doge__spend_count_scalar(data, i, to, &tq, &tl);
    *quotes = nq + tq;
    *lfs = nl + tl;
}
#endif
