/*
 * minhash.c — MinHash band signatures. Each document's shingles are 32-bit
 * hashes; function i maps a shingle x to a_i * x + b_i (mod 2^32), a_i odd,
 * which is a permutation of the 32-bit values, so its minimum over a set is
 * a MinHash. One 64-bit hash per shingle (made once, in normalise.c) and 128
 * multiply-adds of 32 bits per shingle: the loop runs 8 lanes at a time where
 * the CPU has AVX2 (a clone of the kernel picked at load time) and 4 with
 * SSE2 otherwise. Only the bands' hashes are kept: the rows of a band are
 * mixed into one 32-bit value, and one byte of each minimum (a sketch from
 * which the pairs of a band's bucket estimate their similarity).
 */
#include "cluster_internal.h"
#include "doge/synth.h"
#include "internal.h"

#include <stdlib.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) ||                           \
    defined(__x86_64__) && defined(__clang__) && __clang_major__ >= 14
#define KERNEL_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define KERNEL_CLONES
#endif

int doge__review_minhash_init(doge__review_minhash *m, unsigned hashes, unsigned bands,
                              uint64_t seed)
{
    m->hashes = hashes;
    m->bands = bands;
    m->rows = hashes / bands;
    m->seed = seed;
    m->a = malloc(sizeof *m->a * hashes);
    m->b = malloc(sizeof *m->b * hashes);
    if (!m->a || !m->b) {
        doge__review_minhash_dispose(m);
        return doge__error_oom();
    }
    doge_synth_rng r;
    doge_synth_rng_seed(&r, seed ^ 0x6D696E68617368ULL);
    for (unsigned i = 0; i < hashes; i++) {
        uint64_t v = doge_synth_rng_next(&r);
        m->a[i] = (uint32_t)v | 1u;
        m->b[i] = (uint32_t)(v >> 32);
    }
    return DOGE_OK;
}

void doge__review_minhash_dispose(doge__review_minhash *m)
{
    free(m->a);
    free(m->b);
    m->a = m->b = NULL;
}

/* mins[i] = min over x in sh of a[i] * x + b[i], 32 lanes at a time kept in
 * registers while the shingles stream past. */
KERNEL_CLONES
static void kernel(const uint32_t *restrict a, const uint32_t *restrict b, unsigned hashes,
                   const uint32_t *restrict sh, size_t n, uint32_t *restrict mins)
{
    unsigned i0 = 0;
    for (; i0 + 32 <= hashes; i0 += 32) {
        uint32_t m[32], aa[32], bb[32];
        for (unsigned j = 0; j < 32; j++) {
            m[j] = UINT32_MAX;
            aa[j] = a[i0 + j];
            bb[j] = b[i0 + j];
        }
        for (size_t s = 0; s < n; s++) {
            uint32_t x = sh[s];
            for (unsigned j = 0; j < 32; j++) {
                uint32_t v = aa[j] * x + bb[j];
                m[j] = v < m[j] ? v : m[j];
            }
        }
        for (unsigned j = 0; j < 32; j++)
            mins[i0 + j] = m[j];
    }
    for (; i0 < hashes; i0++) {
        uint32_t m = UINT32_MAX;
        for (size_t s = 0; s < n; s++) {
            uint32_t v = a[i0] * sh[s] + b[i0];
            m = v < m ? v : m;
        }
        mins[i0] = m;
    }
}

void doge__review_minhash_bands(const doge__review_minhash *m, const uint32_t *sh, size_t n,
                                uint32_t *mins, uint32_t *out, size_t stride, uint8_t *sketch)
{
    kernel(m->a, m->b, m->hashes, sh, n, mins);
    for (unsigned i = 0; i < m->hashes; i++)
        sketch[i] = (uint8_t)((mins[i] * 0x9E3779B1u) >> 24);
    for (unsigned t = 0; t < m->bands; t++) {
        uint64_t h = m->seed + (uint64_t)(t + 1) * 0x9E3779B97F4A7C15ULL;
        const uint32_t *row = mins + (size_t)t * m->rows;
        for (unsigned j = 0; j < m->rows; j++)
            h = (((h << 23) | (h >> 41)) ^ row[j]) * 0xD6E8FEB86659FD93ULL;
        out[(size_t)t * stride] = (uint32_t)(doge__review_mix64(h) >> 32);
    }
}
