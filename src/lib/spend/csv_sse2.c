/*
 * csv_sse2.c — the SSE2 structural scanner of the USAspending CSV reader
 * (every x86-64 CPU has SSE2): four 16-byte compares per 64-byte block and
 * a shift-xor cascade for the in-quotes prefix xor and a SWAR bit count
 * (neither PCLMUL nor POPCNT assumed). The
 * loop itself is csv_simd_kernel.h. Also the SSE2 quote and line-feed
 * counter used to split a file across threads. Built on x86-64 only.
 */
#include "spend_csv_internal.h"

#if defined(__x86_64__)
#include <emmintrin.h>
#include <string.h>

#define SIMD_ATTR
#define SIMD_KERNEL doge__spend_scan_sse2

static inline uint64_t mask16(__m128i v, __m128i c)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c));
}

static inline void simd_classify(const unsigned char *p, doge__spend_blk *m)
{
    const __m128i q = _mm_set1_epi8('"'), c = _mm_set1_epi8(','), l = _mm_set1_epi8('\n'),
                  r = _mm_set1_epi8('\r');
    m->q = m->comma = m->lf = m->cr = m->hi = 0;
    for (int i = 0; i < 4; i++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
        m->q |= mask16(v, q) << (16 * i);
        m->comma |= mask16(v, c) << (16 * i);
        m->lf |= mask16(v, l) << (16 * i);
        m->cr |= mask16(v, r) << (16 * i);
        m->hi |= (uint64_t)(uint16_t)_mm_movemask_epi8(v) << (16 * i);
    }
}

static inline uint64_t simd_prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* Baseline x86-64 has no POPCNT instruction, and __builtin_popcountll
 * would call a libgcc function: count in the register instead. */
static inline uint64_t simd_popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (x * 0x0101010101010101ull) >> 56;
}

/* bsf is undefined on 0: the top bit keeps it defined (and changes
 * nothing when a lower bit is set) */
static inline uint64_t simd_tzcnt(uint64_t x)
{
    return (uint64_t)__builtin_ctzll(x | (uint64_t)1 << 63);
}

#include "csv_simd_kernel.h"

static uint64_t hsum(__m128i acc)
{
    __m128i s = _mm_sad_epu8(acc, _mm_setzero_si128());
    return (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
}

void doge__spend_count_sse2(const unsigned char *data, uint64_t from, uint64_t to,
                            uint64_t *quotes, uint64_t *lfs)
{
    const __m128i q = _mm_set1_epi8('"'), l = _mm_set1_epi8('\n');
    uint64_t nq = 0, nl = 0, i = from;
    while (to - i >= 16) {
        __m128i aq = _mm_setzero_si128(), al = _mm_setzero_si128();
        for (int k = 0; k < 255 && to - i >= 16; k++, i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
            aq = _mm_sub_epi8(aq, _mm_cmpeq_epi8(v, q));
            al = _mm_sub_epi8(al, _mm_cmpeq_epi8(v, l));
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
