/*
 * tokenize.c — the review classifier's in-place tokenizer: one pass over a
 * bullet's bytes that finds its words without copying or allocating. A word
 * is a run of ASCII letters and digits and non-ASCII letters; apostrophes
 * inside a word are skipped ("didn't" is "didnt"), a number keeps its inner
 * commas and points ("1,200", "3.5") and every run of digits hashes as one
 * '0', so "FY2025" and "FY24" are the same word "fy0". Each word gets the
 * FNV-1a hash of its lower-cased form, the hash of its first five bytes (for
 * words of six or more letters), and shape flags: digits, capitals, sentence
 * start, part of a date, a percentage or an amount of money.
 */
#include "review/review_internal.h"

#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static inline int is_alpha(unsigned char c)
{
    return (unsigned char)((c | 0x20) - 'a') < 26;
}

static inline int is_digit(unsigned char c)
{
    return (unsigned char)(c - '0') < 10;
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

static inline int is_word_byte(const unsigned char *s, const unsigned char *end)
{
    unsigned char c = *s;
    if (c < 0x80)
        return is_alpha(c) || is_digit(c);
    return utf8_punct(s, end) == 0;
}

uint64_t doge__review_word_hash(const char *word, size_t len)
{
    uint64_t h = FNV_OFFSET;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = (h ^ c) * FNV_PRIME;
    }
    return h;
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
        while (p < end && !is_word_byte(p, end)) {
            unsigned char c = *p;
            if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '\n')
                sentence_start = 1;
            if (c >= 0x80) {
                size_t k = utf8_punct(p, end);
                p += k ? k : 1;
            } else {
                p++;
            }
        }
        if (p >= end)
            break;
        const unsigned char *start = p;
        uint64_t h = FNV_OFFSET, prefix = 0;
        size_t hashed = 0;
        unsigned flags = 0, letters = 0, lower = 0, digits = 0;
        int in_digits = 0;
        while (p < end) {
            unsigned char c = *p;
            if (is_digit(c)) {
                flags |= DOGE__TOK_DIGIT;
                digits++;
                if (!in_digits) {
                    h = (h ^ '0') * FNV_PRIME;
                    hashed++;
                    in_digits = 1;
                }
                p++;
                /* 1,200 and 3.5 stay one number. */
                if (p + 1 < end && (*p == ',' || *p == '.') && is_digit(p[1]))
                    p++;
            } else if (c < 0x80 && is_alpha(c)) {
                in_digits = 0;
                letters++;
                if (c >= 'A' && c <= 'Z')
                    c = (unsigned char)(c + 32);
                else
                    lower++;
                h = (h ^ c) * FNV_PRIME;
                hashed++;
                p++;
            } else if (c == '\'' && p + 1 < end && is_alpha(p[1]) && letters) {
                p++; /* didn't */
                continue;
            } else if (c >= 0x80 && is_rsquo(p, end) && p + 3 < end && is_alpha(p[3]) && letters) {
                p += 3; /* didn’t */
                continue;
            } else if (c >= 0x80 && utf8_punct(p, end) == 0) {
                in_digits = 0;
                letters++;
                lower++;
                h = (h ^ c) * FNV_PRIME;
                hashed++;
                p++;
            } else {
                break;
            }
            if (hashed == DOGE__REVIEW_PREFIX)
                prefix = h;
        }
        size_t wlen = (size_t)(p - start);
        doge__review_token *t = &tok[n++];
        t->off = (uint32_t)(start - base);
        t->len = (uint16_t)(wlen > 0xffff ? 0xffff : wlen);
        t->hash = h;
        t->prefix = (hashed > DOGE__REVIEW_PREFIX && !(flags & DOGE__TOK_DIGIT)) ? prefix : 0;
        if (letters)
            flags |= DOGE__TOK_ALPHA;
        if (digits && !letters)
            flags |= DOGE__TOK_NUMBER;
        if (start[0] >= 'A' && start[0] <= 'Z')
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
        sentence_start = 0;
    }
    return n;
}
