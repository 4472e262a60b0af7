/*
 * candidates.c — LSH banding without a hash table: for each band, the
 * (band hash, document) keys of every signed document are radix-sorted on
 * the hash, and each run of equal hashes is a bucket. Sharing one band is
 * weak evidence when many replies share stock phrases, so a pair of a bucket
 * is kept only when the documents' one-byte MinHash sketches agree on at
 * least `lower` of their positions (an estimate of the Jaccard similarity
 * a few standard deviations below the threshold: a pair that passes the
 * threshold is all but never lost, a pair that merely shares phrases is
 * dropped before it is stored). A bucket of at most DOGE__REVIEW_BUCKET_CAP
 * documents checks all its pairs; a bigger one (boilerplate, a template
 * pasted by thousands) checks each document against at most
 * DOGE__REVIEW_LEADERS leaders — earlier documents that matched no leader
 * — so its cost grows linearly. Bands are shared out between threads; each
 * thread sorts and de-duplicates its pairs, then the parts are joined,
 * sorted and de-duplicated again, so the result does not depend on the
 * thread count.
 */
#include "cluster_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Keys looked ahead for sketches to fetch. */
#define PREFETCH 16

/* The first cache line of a sketch: most pairs are decided by its first
 * 32 bytes. */
static void prefetch(const uint8_t *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

typedef struct {
    uint64_t *v;
    size_t n, cap;
    int failed;
} pairvec;

typedef struct {
    const doge__review_candidate_in *in;
    pairvec *out; /* one per part */
} job;

static int push(pairvec *p, uint64_t x)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        uint64_t *v = realloc(p->v, cap * sizeof *v);
        if (!v)
            return -1;
        p->v = v;
        p->cap = cap;
    }
    p->v[p->n++] = x;
    return 0;
}

/* Sorts p->v (tmp holds as many) and keeps one of each value. */
static void sort_unique(pairvec *p, uint64_t *tmp)
{
    uint64_t *k = p->v, *t = tmp;
    doge__radix_u64(&k, &t, p->n, 0);
    if (k != p->v)
        memcpy(p->v, k, p->n * sizeof *k);
    size_t u = 0;
    for (size_t i = 0; i < p->n; i++)
        if (u == 0 || p->v[i] != p->v[u - 1])
            p->v[u++] = p->v[i];
    p->n = u;
}

/* Equal bytes among len (a multiple of 16, or any length on the portable
 * path) of a and b. */
#if defined(__SSE2__)
static unsigned agree_bytes(const uint8_t *a, const uint8_t *b, unsigned len)
{
    __m128i acc = _mm_setzero_si128();
    unsigned i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, y)); /* +1 per equal byte; <= 255/16 rounds */
    }
    __m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
    unsigned same = (unsigned)_mm_cvtsi128_si32(sum) + (unsigned)_mm_extract_epi16(sum, 4);
    for (; i < len; i++)
        same += a[i] == b[i];
    return same;
}
#else
static unsigned agree_bytes(const uint8_t *a, const uint8_t *b, unsigned len)
{
    const uint64_t lo7 = 0x7F7F7F7F7F7F7F7FULL;
    unsigned same = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        x ^= y; /* a zero byte where they agree */
        uint64_t z = ~(((x & lo7) + lo7) | x | lo7); /* 0x80 in each zero byte */
        same += (unsigned)(((z >> 7) * 0x0101010101010101ULL) >> 56);
    }
    for (; i < len; i++)
        same += a[i] == b[i];
    return same;
}
#endif

unsigned doge__review_sketch_agree(const uint8_t *a, const uint8_t *b, unsigned len)
{
    unsigned same = 0;
    for (unsigned i = 0; i < len; i += 240) /* the SSE2 counters hold 15 rounds */
        same += agree_bytes(a + i, b + i, len - i < 240 ? len - i : 240);
    return same;
}

/* Whether a and b agree on at least lower of len bytes. Most pairs of a
 * bucket are far from it: the first 32 bytes (of len >= 128) decide those,
 * rejecting when they agree on 8 fewer than a quarter of lower — for a pair
 * that truly reaches lower, a deficit of 6 to 7 standard deviations. */
static int close_enough(const uint8_t *a, const uint8_t *b, unsigned len, unsigned lower)
{
    unsigned head = 0;
    if (len >= 128) {
        head = agree_bytes(a, b, 32);
        if (head + 8 < lower / 4)
            return 0;
        return head + doge__review_sketch_agree(a + 32, b + 32, len - 32) >= lower;
    }
    return doge__review_sketch_agree(a, b, len) >= lower;
}

static void bands_part(void *ctx, unsigned t, size_t lo, size_t hi)
{
    job *j = ctx;
    const doge__review_candidate_in *in = j->in;
    pairvec *out = &j->out[t];
    size_t m = in->m;
    if (lo == hi || m < 2)
        return;
    uint64_t *keys = malloc(m * sizeof *keys), *tmp = malloc(m * sizeof *tmp);
    if (!keys || !tmp) {
        out->failed = 1;
        goto done;
    }
    const unsigned H = in->sketch_len, lower = in->lower;
    for (size_t band = lo; band < hi && !out->failed; band++) {
        const uint32_t *bs = in->sig + band * in->stride;
        for (size_t i = 0; i < m; i++)
            keys[i] = (uint64_t)bs[in->docs[i]] << 32 | in->docs[i];
        uint64_t *k = keys, *tt = tmp;
        doge__radix_u64(&k, &tt, m, 32);
        /* Which keys open a bucket of two or more: their sketches are read,
         * so they are fetched ahead of use. */
        size_t s = 0, ahead = 0;
        while (s < m && !out->failed) {
            size_t e = s + 1;
            while (e < m && (k[e] >> 32) == (k[s] >> 32))
                e++;
            if (ahead < e)
                ahead = e;
            for (; ahead < m && ahead < e + PREFETCH; ahead++) {
                int shared = (ahead + 1 < m && (k[ahead + 1] >> 32) == (k[ahead] >> 32)) ||
                             (ahead > 0 && (k[ahead - 1] >> 32) == (k[ahead] >> 32));
                if (shared)
                    prefetch(in->sketch + (size_t)(uint32_t)k[ahead] * H);
            }
            if (e - s == 1) {
                s = e;
                continue;
            }
            if (e - s <= DOGE__REVIEW_BUCKET_CAP) {
                for (size_t x = s; x < e; x++) {
                    uint32_t a = (uint32_t)k[x];
                    const uint8_t *sa = in->sketch + (size_t)a * H;
                    for (size_t y = x + 1; y < e; y++) {
                        uint32_t b = (uint32_t)k[y];
                        if (close_enough(sa, in->sketch + (size_t)b * H, H, lower) &&
                            push(out, (uint64_t)a << 32 | b))
                            out->failed = 1;
                    }
                }
            } else {
                uint32_t lead[DOGE__REVIEW_LEADERS];
                unsigned nl = 0;
                for (size_t y = s; y < e; y++) {
                    uint32_t b = (uint32_t)k[y];
                    const uint8_t *sb = in->sketch + (size_t)b * H;
                    int matched = 0;
                    for (unsigned l = 0; l < nl; l++)
                        if (close_enough(in->sketch + (size_t)lead[l] * H, sb, H, lower)) {
                            matched = 1;
                            if (push(out, (uint64_t)lead[l] << 32 | b))
                                out->failed = 1;
                        }
                    if (!matched && nl < DOGE__REVIEW_LEADERS)
                        lead[nl++] = b;
                }
            }
            s = e;
        }
        /* Keep a thread's pairs compact between bands. */
        if (!out->failed && out->n > 2 * m) {
            uint64_t *t2 = malloc(out->n * sizeof *t2);
            if (!t2)
                out->failed = 1;
            else {
                sort_unique(out, t2);
                free(t2);
            }
        }
    }
    if (!out->failed && out->n) {
        uint64_t *t2 = out->n <= m ? tmp : malloc(out->n * sizeof *t2);
        if (!t2)
            out->failed = 1;
        else {
            sort_unique(out, t2);
            if (t2 != tmp)
                free(t2);
        }
    }
done:
    free(keys);
    free(tmp);
}

int doge__review_candidates(const doge__review_candidate_in *in, unsigned threads,
                            uint64_t **pairs, size_t *npairs)
{
    *pairs = NULL;
    *npairs = 0;
    if (threads < 1)
        threads = 1;
    if (threads > in->bands)
        threads = in->bands;
    pairvec *out = calloc(threads, sizeof *out);
    if (!out)
        return doge__error_oom();
    job j = {in, out};
    doge__review_parallel(threads, in->bands, bands_part, &j);
    int rc = DOGE_OK;
    size_t total = 0;
    for (unsigned t = 0; t < threads; t++) {
        if (out[t].failed)
            rc = DOGE_ENOMEM;
        total += out[t].n;
    }
    uint64_t *all = NULL, *tmp = NULL;
    if (rc == DOGE_OK && total) {
        all = malloc(total * sizeof *all);
        tmp = malloc(total * sizeof *tmp);
        if (!all || !tmp)
            rc = DOGE_ENOMEM;
    }
    if (rc == DOGE_OK && total) {
        size_t o = 0;
        for (unsigned t = 0; t < threads; t++) {
            memcpy(all + o, out[t].v, out[t].n * sizeof *all);
            o += out[t].n;
        }
        pairvec p = {all, total, total, 0};
        if (threads > 1)
            sort_unique(&p, tmp);
        *pairs = all;
        *npairs = p.n;
        all = NULL;
    }
    free(all);
    free(tmp);
    for (unsigned t = 0; t < threads; t++)
        free(out[t].v);
    free(out);
    if (rc == DOGE_ENOMEM)
        return doge__error_oom();
    return rc;
}
