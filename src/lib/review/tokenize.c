/*
 * tokenize.c — the review classifier's in-place tokenizer: one pass over a
 * bullet's bytes that finds its words without copying or allocating. A word
 * is a run of ASCII letters and digits and non-ASCII letters; apostrophes
 * inside a word are skipped ("didn't" is "didnt"), a number keeps its inner
 * commas and points ("1,200", "3.5") and every run of digits hashes as one
 * '0', so "FY2025" and "FY24" are the same word "fy0". Each word gets the
 * 64-bit hash of its lower-cased form, the hash of its first five bytes (for
 * words of six or more letters), and shape flags: digits, capitals, sentence
 * start, part of a date, a percentage or an amount of money.
 */
#include "review/review_internal.h"

#include <string.h>

/* The word hash: the lower-cased bytes are packed eight to a 64-bit word
 * (little-endian: the first byte lowest) and each full word is folded in
 * with one multiply, then the byte count, so a byte costs a shift and an
 * or, and a word of letters only is read eight bytes at a time. */
#define SEED 0x9e3779b97f4a7c15ull
#define MUL 0xff51afd7ed558ccdull

static inline uint64_t fold(uint64_t h, uint64_t w)
{
    h = (h ^ w) * MUL;
    return h ^ (h >> 29);
}

static inline uint64_t finish_hash(uint64_t h, uint64_t w, size_t n)
{
    return fold(h, w ^ ((uint64_t)n << 56) ^ 0x80);
}

static inline uint64_t load_le64(const unsigned char *s)
{
    return (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)s[3] << 24 |
           (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 | (uint64_t)s[6] << 48 |
           (uint64_t)s[7] << 56;
}

uint64_t doge__review_word_hash(const char *word, size_t len)
{
    uint64_t h = SEED, w = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        w |= (uint64_t)c << (8 * (i & 7));
        if ((i & 7) == 7) {
            h = fold(h, w);
            w = 0;
        }
    }
    return finish_hash(h, w, len);
}

/* Byte classes (bits): what the tokenizer does with each byte. */
enum { K_LOW = 1, K_UP = 2, K_DIG = 4, K_APOS = 8, K_HIGH = 16, K_END = 32 };

#define S 0
#define E K_END
#define L K_LOW
#define U K_UP
#define D K_DIG
#define A K_APOS
#define H K_HIGH
static const unsigned char cls[256] = {
    /* 0x00 */ S, S, S, S, S, S, S, S, S, S, E, S, S, S, S, S,
    /* 0x10 */ S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
    /* 0x20  !"#$%&'()*+,-./ */ S, E, S, S, S, S, S, A, S, S, S, S, S, S, E, S,
    /* 0x30 0-9:;<=>? */ D, D, D, D, D, D, D, D, D, D, E, E, S, S, S, E,
    /* 0x40 @A-O */ S, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    /* 0x50 P-Z[\\]^_ */ U, U, U, U, U, U, U, U, U, U, U, S, S, S, S, S,
    /* 0x60 `a-o */ S, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
    /* 0x70 p-z{|}~ */ L, L, L, L, L, L, L, L, L, L, L, S, S, S, S, S,
    /* 0x80 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0x90 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xA0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xB0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xC0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xD0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xE0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
    /* 0xF0 */ H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H,
};
#undef S
#undef E
#undef L
#undef U
#undef D
#undef A
#undef H

#define K_LETTER (K_LOW | K_UP)

/* 0x80 in each byte of x that is an ASCII letter, 0 elsewhere (SWAR: after
 * folding case and clearing bit 7, byte b is a letter when b + 0x1f reaches
 * 0x80 and b + 0x05 does not; no sum carries into the next byte). */
static inline uint64_t letter_mask(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull;
    uint64_t y = (x | 0x2020202020202020ull) & 0x7f7f7f7f7f7f7f7full;
    return (y + 0x1f * ones) & ~(y + 0x05 * ones) & ~x & (0x80 * ones);
}

/* Length of a UTF-8 punctuation or space sequence at s (which starts with a
 * byte >= 0x80): U+00A0..U+00BF (no-break space, «, », ·), U+2000..U+206F
 * (general punctuation: dashes, quotes, bullets) and U+3000 (ideographic
 * space); 0 when the sequence is a letter. */
static inline size_t utf8_punct(const unsigned char *s, const unsigned char *end)
{
    if (s[0] == 0xC2 && s + 1 < end && s[1] >= 0xA0 && s[1] <= 0xBF)
        return 2;
    if (s[0] == 0xE2 && s + 2 < end && (s[1] == 0x80 || s[1] == 0x81))
        return 3;
    if (s[0] == 0xE3 && s + 2 < end && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

/* Reports whether s starts a right single quote (U+2019) used as an
 * apostrophe. */
static inline int is_rsquo(const unsigned char *s, const unsigned char *end)
{
    return s + 2 < end && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99;
}

/* The general word reader, for words with digits, apostrophes or non-ASCII
 * letters: hashes from p to the word's end, which it returns. */
static const unsigned char *slow_word(const unsigned char *p, const unsigned char *end,
                                      doge__review_token *t, unsigned *flags_out,
                                      unsigned *letters_out, unsigned *lower_out)
{
    uint64_t h = SEED, w = 0, prefix = 0;
    size_t hashed = 0;
    unsigned flags = 0, letters = 0, lower = 0;
    int in_digits = 0;
    while (p < end) {
        unsigned char c = *p, b;
        unsigned k = cls[c];
        if (k & K_LETTER) {
            lower += (k & K_LOW) != 0;
            letters++;
            in_digits = 0;
            b = (unsigned char)(c | 0x20);
            p++;
        } else if (k & K_DIG) {
            flags |= DOGE__TOK_DIGIT;
            p++;
            /* 1,200 and 3.5 stay one number. */
            if (p + 1 < end && (*p == ',' || *p == '.') && (cls[p[1]] & K_DIG))
                p++;
            if (in_digits)
                continue;
            in_digits = 1;
            b = '0';
        } else if ((k & K_APOS) && letters && p + 1 < end && (cls[p[1]] & K_LETTER)) {
            p++; /* didn't */
            continue;
        } else if (k & K_HIGH) {
            if (letters && is_rsquo(p, end) && p + 3 < end && (cls[p[3]] & K_LETTER)) {
                p += 3; /* didn’t */
                continue;
            }
            if (utf8_punct(p, end))
                break;
            lower++;
            letters++;
            in_digits = 0;
            b = c;
            p++;
        } else {
            break;
        }
        w |= (uint64_t)b << (8 * (hashed & 7));
        hashed++;
        if (hashed == DOGE__REVIEW_PREFIX)
            prefix = finish_hash(h, w, hashed);
        if ((hashed & 7) == 0) {
            h = fold(h, w);
            w = 0;
        }
    }
    t->hash = finish_hash(h, w, hashed);
    t->prefix = (hashed > DOGE__REVIEW_PREFIX && !(flags & DOGE__TOK_DIGIT)) ? prefix : 0;
    *flags_out = flags;
    *letters_out = letters;
    *lower_out = lower;
    return p;
}

/* Fills the rest of the token that ends at p: offset, length, flags and
 * the dates it forms with the word before. */
static void finish(doge__review_token *tok, size_t n, const unsigned char *base,
                   const unsigned char *start, const unsigned char *p, const unsigned char *end,
                   unsigned flags, unsigned letters, unsigned lower, int sentence_start)
{
    doge__review_token *t = &tok[n - 1];
    size_t wlen = (size_t)(p - start);
    t->off = (uint32_t)(start - base);
    t->len = (uint16_t)(wlen > 0xffff ? 0xffff : wlen);
    if (letters)
        flags |= DOGE__TOK_ALPHA;
    else if (flags & DOGE__TOK_DIGIT)
        flags |= DOGE__TOK_NUMBER;
    if (cls[start[0]] & K_UP)
        flags |= DOGE__TOK_CAP;
    if (letters >= 2 && lower == 0)
        flags |= DOGE__TOK_ALLCAPS;
    if (sentence_start)
        flags |= DOGE__TOK_START;
    if (flags & DOGE__TOK_NUMBER) {
        if (p < end && *p == '%')
            flags |= DOGE__TOK_PERCENT;
        if (start > base && start[-1] == '$')
            flags |= DOGE__TOK_MONEY;
        /* A year 1990..2039 standing alone. */
        if (wlen == 4 && (start[0] == '1' || start[0] == '2')) {
            int y = (start[0] - '0') * 1000 + (start[1] - '0') * 100 + (start[2] - '0') * 10 +
                    (start[3] - '0');
            if (y >= 1990 && y <= 2039)
                flags |= DOGE__TOK_DATE;
        }
        /* 2/14, 2/14/2025, 2025-02-14: the number before '/' or an ISO '-'. */
        if (n >= 2) {
            doge__review_token *prev = &tok[n - 2];
            const unsigned char *pe = base + prev->off + prev->len;
            if ((prev->flags & DOGE__TOK_NUMBER) && pe + 1 == start &&
                (*pe == '/' || (*pe == '-' && (prev->flags & DOGE__TOK_DATE)))) {
                flags |= DOGE__TOK_DATE;
                prev->flags |= DOGE__TOK_DATE;
            }
        }
    }
    t->flags = (uint16_t)flags;
}

size_t doge__review_tokenize(const char *text, size_t len, doge__review_token *tok, size_t cap)
{
    if (len > UINT32_MAX)
        len = UINT32_MAX; /* offsets are 32-bit; only the first words count anyway */
    const unsigned char *base = (const unsigned char *)text, *p = base, *end = base + len;
    size_t n = 0;
    int sentence_start = 1;
    while (p < end && n < cap) {
        /* Skip to the next word, noting sentence ends on the way. */
        for (; p < end; p++) {
            unsigned k = cls[*p];
            if (k & (K_LETTER | K_DIG))
                break;
            if (k & K_HIGH) {
                size_t skip = utf8_punct(p, end);
                if (!skip)
                    break;
                p += skip - 1;
            } else if (k & K_END) {
                sentence_start = 1;
            }
        }
        if (p >= end)
            break;
        const unsigned char *start = p, *q = p;
        doge__review_token *t = &tok[n++];
        unsigned flags = 0, letters, lower, seen = 0;
        /* The common word: ASCII letters only, found and hashed eight bytes
         * at a time. */
        uint64_t lower_bits = 0;
        for (;;) {
            if (q + 8 > end) {
                while (q < end && (cls[*q] & K_LETTER))
                    seen |= cls[*q++];
                break;
            }
            uint64_t x = load_le64(q), lm = letter_mask(x);
            uint64_t other = ~lm & 0x8080808080808080ull;
            if (other) {
                unsigned k = (unsigned)__builtin_ctzll(other) / 8; /* letters before it */
                lower_bits |= lm & (x << 2) & ((((uint64_t)1) << (8 * k)) - 1);
                q += k;
                break;
            }
            lower_bits |= lm & (x << 2); /* bit 5 (lower case) to bit 7 */
            q += 8;
        }
        if (lower_bits)
            seen |= K_LOW;
        if (q > p && (q == end || !(cls[*q] & (K_DIG | K_APOS | K_HIGH)))) {
            size_t wl = (size_t)(q - p), i = 0;
            uint64_t h = SEED, w = 0;
            for (; i + 8 <= wl; i += 8)
                h = fold(h, load_le64(p + i) | 0x2020202020202020ull);
            if (i < wl && p + i + 8 <= end) /* the tail in one load, masked */
                w = (load_le64(p + i) | 0x2020202020202020ull) &
                    (((uint64_t)1 << (8 * (wl - i))) - 1);
            else
                for (size_t j = 0; i + j < wl; j++)
                    w |= (uint64_t)(p[i + j] | 0x20) << (8 * j);
            t->hash = finish_hash(h, w, wl);
            t->prefix = 0;
            if (wl > DOGE__REVIEW_PREFIX) {
                uint64_t first = wl >= 8 ? load_le64(p) | 0x2020202020202020ull : w;
                t->prefix = finish_hash(SEED, first & 0xffffffffffull, DOGE__REVIEW_PREFIX);
            }
            letters = (unsigned)wl;
            lower = (seen & K_LOW) ? 1 : 0;
            p = q;
        } else {
            p = slow_word(p, end, t, &flags, &letters, &lower);
        }
        finish(tok, n, base, start, p, end, flags, letters, lower, sentence_start);
        sentence_start = 0;
    }
    return n;
}
