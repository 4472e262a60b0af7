/*
 * normalise.c — the text side of copy-paste detection. A reply's
 * normalised form is its lower-case words separated by single spaces
 * (punctuation and whitespace runs folded, digits kept, so "Closed 12
 * tickets." and "closed 12 tickets" are the same text). Shingling never
 * builds that form for an ASCII text: a branch-free pass marks the word
 * bytes in a bitmap, and each word is hashed in place with its letters
 * lower-cased by the hash itself; other texts are normalised first and go
 * through the same word hashing. The hashes of the last k words make the
 * hash of the k-gram (shingle) ending there, and all word hashes fold into a
 * hash of the whole normalised text. Also: sorting shingle hashes into a set
 * and the exact Jaccard similarity of two sets.
 */
#include "cluster_internal.h"
#include "doge/map.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ASCII bytes: the lower-case byte of a word byte, 0 for a separator. */
static const unsigned char fold[128] = {
    /* control bytes and punctuation are 0 */
    ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
    ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
    ['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f', ['G'] = 'g',
    ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l', ['M'] = 'm', ['N'] = 'n',
    ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r', ['S'] = 's', ['T'] = 't', ['U'] = 'u',
    ['V'] = 'v', ['W'] = 'w', ['X'] = 'x', ['Y'] = 'y', ['Z'] = 'z',
    ['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f', ['g'] = 'g',
    ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l', ['m'] = 'm', ['n'] = 'n',
    ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r', ['s'] = 's', ['t'] = 't', ['u'] = 'u',
    ['v'] = 'v', ['w'] = 'w', ['x'] = 'x', ['y'] = 'y', ['z'] = 'z',
};

static uint64_t rotl(uint64_t x, unsigned r)
{
    return r ? (x << r) | (x >> (64 - r)) : x;
}

#define LOWER8 0x2020202020202020ULL

static uint64_t ld64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

/* The low n bytes of the first and the second eight of 16, for n <= 16. */
static const uint64_t mask_lo[17] = {
    0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFF, 0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFF,
    ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL, ~0ULL};
static const uint64_t mask_hi[17] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF, 0xFFFFFFFFFF,
    0xFFFFFFFFFFFF, 0xFFFFFFFFFFFFFF, ~0ULL};

/* A word's 64-bit hash over its bytes with bit 0x20 set in each — the
 * lower case of an ASCII letter or digit, and what a normalised word already
 * is — so the original text and its normalised form hash alike. A word of
 * up to 16 bytes is two masked loads (from a copy when it ends within 16
 * bytes of the end of the text), a longer one eight bytes at a time. */
static uint64_t word_hash(const unsigned char *p, size_t n, const unsigned char *end,
                          uint64_t seed)
{
    uint64_t a, b;
    if (n <= 16) {
        if (end - p >= 16) {
            a = ld64(p);
            b = ld64(p + 8);
        } else {
            unsigned char tmp[16] = {0};
            memcpy(tmp, p, n);
            a = ld64(tmp);
            b = ld64(tmp + 8);
        }
        a = (a | LOWER8) & mask_lo[n];
        b = (b | LOWER8) & mask_hi[n];
    } else {
        a = seed;
        size_t i = 0;
        for (; i + 8 <= n; i += 8)
            a = rotl((a ^ (ld64(p + i) | LOWER8)) * 0x9E3779B97F4A7C15ULL, 31);
        b = ld64(p + n - 8) | LOWER8;
    }
    uint64_t h = (a ^ seed) * 0x9E3779B97F4A7C15ULL +
                 ((b + n) ^ 0x5851F42D4C957F2DULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ULL;
    return h ^ (h >> 29);
}

#define MAX_K 16
#define POLY 0x9E3779B97F4A7C15ULL

/* A bitmap of word bytes (bit i of bm[i / 64]) for an ASCII text: letters
 * and digits. Returns 0 when the text has a byte from 0x80. */
static int ascii_word_bits(const unsigned char *p, size_t len, uint64_t *bm)
{
    unsigned high = 0;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i x20 = _mm_set1_epi8(0x20), a0 = _mm_set1_epi8('a' - 1),
                  z1 = _mm_set1_epi8('z' + 1), d0 = _mm_set1_epi8('0' - 1),
                  d9 = _mm_set1_epi8('9' + 1);
    for (; i + 64 <= len; i += 64) {
        uint64_t m = 0;
        for (unsigned j = 0; j < 64; j += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i + j));
            __m128i l = _mm_or_si128(v, x20);
            __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l, a0), _mm_cmpgt_epi8(z1, l));
            __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, d0), _mm_cmpgt_epi8(d9, v));
            high |= (unsigned)_mm_movemask_epi8(v);
            m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(alpha, digit)) << j;
        }
        bm[i / 64] = m;
    }
#endif
    unsigned char hb = 0;
    for (; i + 64 <= len; i += 64) {
        uint64_t m = 0;
        for (unsigned j = 0; j < 64; j++) {
            unsigned char c = p[i + j];
            hb |= c;
            m |= (uint64_t)(fold[c & 0x7F] != 0) << j;
        }
        bm[i / 64] = m;
    }
    if (i < len) {
        uint64_t m = 0;
        for (unsigned j = 0; i + j < len; j++) {
            unsigned char c = p[i + j];
            hb |= c;
            m |= (uint64_t)(fold[c & 0x7F] != 0) << j;
        }
        bm[i / 64] = m;
    }
    return !high && !(hb & 0x80);
}

/* The same for a normalised text: every byte but the space. */
static void norm_word_bits(const unsigned char *p, size_t len, uint64_t *bm)
{
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        uint64_t m = 0;
        for (unsigned j = 0; j < 64; j++)
            m |= (uint64_t)(p[i + j] != ' ') << j;
        bm[i / 64] = m;
    }
    if (i < len) {
        uint64_t m = 0;
        for (unsigned j = 0; i + j < len; j++)
            m |= (uint64_t)(p[i + j] != ' ') << j;
        bm[i / 64] = m;
    }
}

/* Hashes the words the bitmap marks in p[0..len). A shingle's hash is the
 * polynomial sum of its k word hashes (oldest times POLY^(k-1), newest
 * times 1), rolled along the text with one multiply-subtract per word, and
 * the high half of one multiply by a constant. */
static void hash_words(const unsigned char *p, size_t len, const uint64_t *bm, unsigned k,
                       uint64_t seed, uint32_t *sh, doge__review_text *out)
{
    uint64_t ring[MAX_K] = {0}, whole = seed, roll = 0, top = 1;
    for (unsigned j = 1; j < k; j++)
        top *= POLY;
    unsigned pos = 0;
    size_t seen = 0, nsh = 0, start = 0, blocks = (len + 63) / 64;
    uint64_t carry = 0; /* the last bit of the previous block */
    int in_word = 0;
    /* The set bits of m ^ (m << 1 | carry) are where a word starts or ends. */
    for (size_t bi = 0; bi <= blocks; bi++) {
        uint64_t m = bi < blocks ? bm[bi] : 0;
        if (bi + 1 == blocks && len % 64)
            m &= (1ULL << (len % 64)) - 1;
        uint64_t t = m ^ (m << 1 | carry);
        carry = m >> 63;
        while (t) {
            size_t at = bi * 64 + (size_t)__builtin_ctzll(t);
            t &= t - 1;
            if (!in_word) {
                start = at;
                in_word = 1;
                continue;
            }
            in_word = 0;
            uint64_t h = word_hash(p + start, at - start, p + len, seed);
            whole = (rotl(whole, 29) ^ h) * 0xD6E8FEB86659FD93ULL;
            roll = (roll - ring[pos] * top) * POLY + h; /* ring[pos]: the word leaving */
            ring[pos] = h;
            pos = pos + 1 == k ? 0 : pos + 1;
            if (++seen >= k)
                sh[nsh++] = (uint32_t)(((roll ^ seed) * 0x9FB21C651E98DF25ULL) >> 32);
        }
    }
    if (seen && seen < k)
        sh[nsh++] = (uint32_t)(((roll ^ seed) * 0x9FB21C651E98DF25ULL) >> 32);
    out->words = seen;
    out->nsh = nsh;
    out->hash = doge__review_mix64(whole ^ seen);
}

void doge__review_shingle_text(const char *s, size_t len, unsigned k, uint64_t seed, char *norm,
                               uint64_t *bits, uint32_t *sh, doge__review_text *out)
{
    const unsigned char *p = (const unsigned char *)s;
    k = k < 1 ? 1 : k > MAX_K ? MAX_K : k;
    if (ascii_word_bits(p, len, bits)) {
        hash_words(p, len, bits, k, seed, sh, out);
        return;
    }
    size_t words, n = doge__review_normalise(s, len, norm, &words);
    norm_word_bits((const unsigned char *)norm, n, bits);
    hash_words((const unsigned char *)norm, n, bits, k, seed, sh, out);
}

size_t doge__review_normalise(const char *s, size_t len, char *out, size_t *words)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char *o = (unsigned char *)out;
    size_t n = 0, w = 0, i = 0;
    int in_word = 0;
    while (i < len) {
        unsigned c = p[i] < 0x80 ? fold[p[i]] : 1; /* 1: look closer */
        unsigned char b0 = (unsigned char)c, b1 = 0;
        size_t step = 1;
        int word = c > 1;
        if (c == 1) {
            b0 = p[i];
            if (b0 == 0xC2 && i + 1 < len && p[i + 1] >= 0xA0 && p[i + 1] <= 0xBF) {
                step = 2; /* no-break space, ¡ ¢ £ § © « ® ° ± · » ¿ ... */
            } else if (b0 == 0xC3 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9E &&
                       p[i + 1] != 0x97) {
                word = 1; /* À..Þ (not ×) to à..þ */
                b1 = (unsigned char)(p[i + 1] + 0x20);
                step = 2;
            } else if (b0 == 0xE2 && i + 2 < len && p[i + 1] == 0x80 && p[i + 2] >= 0x90 &&
                       p[i + 2] <= 0xA7) {
                step = 3; /* dashes, curly quotes, bullets, ellipsis */
            } else {
                word = 1; /* any other byte from 0x80, UTF-8 or not: part of a word */
            }
        }
        if (word) {
            if (!in_word) {
                if (w)
                    o[n++] = ' ';
                w++;
                in_word = 1;
            }
            o[n++] = b0;
            if (b1)
                o[n++] = b1;
        } else {
            in_word = 0;
        }
        i += step;
    }
    *words = w;
    return n;
}

size_t doge__review_sort_unique(uint32_t *v, size_t n)
{
    /* Insertion sort below 24, else a shell sort: a reply has about sixty
     * shingles. */
    if (n < 24) {
        for (size_t a = 1; a < n; a++) {
            uint32_t x = v[a];
            size_t b = a;
            while (b > 0 && v[b - 1] > x) {
                v[b] = v[b - 1];
                b--;
            }
            v[b] = x;
        }
    } else {
        static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
        for (size_t g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
            size_t gap = gaps[g];
            for (size_t a = gap; a < n; a++) {
                uint32_t x = v[a];
                size_t b = a;
                while (b >= gap && v[b - gap] > x) {
                    v[b] = v[b - gap];
                    b -= gap;
                }
                v[b] = x;
            }
        }
    }
    size_t u = 0;
    for (size_t a = 0; a < n; a++)
        if (u == 0 || v[a] != v[u - 1])
            v[u++] = v[a];
    return u;
}

double doge__review_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    if (na == 0 && nb == 0)
        return 1.0;
    size_t i = 0, j = 0, inter = 0;
    while (i < na && j < nb) {
        uint32_t x = a[i], y = b[j];
        inter += x == y;
        i += x <= y;
        j += y <= x;
    }
    return (double)inter / (double)(na + nb - inter);
}
