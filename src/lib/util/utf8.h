/*
 * utf8.h — strict UTF-8 (util/utf8.c: no overlong forms, no surrogates,
 * nothing past U+10FFFF, as jansson takes it) and a scan over the ASCII
 * bytes that need no work, eight at a time, shared by the USAspending
 * reader, the mail reader's charset code and the ledger records' JSON.
 * Nothing here allocates or keeps a pointer.
 */
#ifndef DOGE_UTIL_UTF8_H
#define DOGE_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The length of the valid sequence at s[0, n) (1 for an ASCII byte), or 0. */
size_t doge__utf8_seq(const unsigned char *s, size_t n);

/* The offset of the first byte of s[0, len) that is not UTF-8, or len. */
size_t doge__utf8_check(const unsigned char *s, size_t len);

/* Bytes doge__ascii_run() also stops at, besides every byte >= 0x80. */
enum {
    DOGE__RUN_NUL_CR = 1, /* NUL and CR */
    DOGE__RUN_JSON = 2    /* what JSON escapes: below 0x20, '"' and '\\' */
};

/* The length of the run at p[0, n) of ASCII bytes not in stop, looked at
 * eight at a time: it ends at or before the first other byte, which the
 * caller looks at byte by byte. Text is mostly such bytes; byte by byte,
 * the mail reader's passes over bodies were 2-3% of an ingest worker and
 * JSON quoting 2.7%. */
static inline size_t doge__ascii_run(const unsigned char *p, size_t n, unsigned stop)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, t, hit = 0;
        memcpy(&x, p + i, 8);
        if (x & high)
            break;
        /* (y - ones) & ~y & high: some byte of y is zero */
        if (stop & DOGE__RUN_NUL_CR) {
            t = x ^ (ones * '\r');
            hit |= ((x - ones) & ~x & high) | ((t - ones) & ~t & high);
        }
        if (stop & DOGE__RUN_JSON) {
            hit |= (x - ones * 0x20) & ~x & high; /* a byte below 0x20 */
            t = x ^ (ones * '"');
            hit |= (t - ones) & ~t & high;
            t = x ^ (ones * '\\');
            hit |= (t - ones) & ~t & high;
        }
        if (hit)
            break;
    }
    return i;
}

#endif
