/*
 * extract_request.c — recognises lines copied from the campaign's request,
 * however they were quoted or re-wrapped. The request's subject and text are
 * cut into words (runs of letters and digits, lower-cased; punctuation and
 * whitespace ignored) and every word 1-, 2- and 3-gram goes into a hash set.
 * A reply line of three or more words is a request line when all its word
 * trigrams are in the set, or when it has five or more and at most one in
 * five is missing (an edited or typo'd copy). A line of one or two words
 * cannot be judged alone; it is marked as a candidate when its uni- or
 * bigram is in the set, and extract.c takes it as part of the request only
 * next to a request line (the tail of a re-wrapped sentence: "last week.").
 */
#include "extract_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LINE_WORDS 64

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x ? x : 1;
}

/* A word byte: ASCII letters and digits and UTF-8 outside the punctuation
 * blocks (NBSP, U+2000-U+206F: dashes, quotes, bullets). */
static size_t word_byte(const unsigned char *u, size_t n)
{
    if (u[0] < 0x80)
        return doge__x_alnum(u[0]) ? 1 : 0;
    if (u[0] == 0xC2 && n >= 2 && (u[1] == 0xA0 || u[1] == 0xB7))
        return 0;
    if (u[0] == 0xE2 && n >= 2 && (u[1] == 0x80 || u[1] == 0x81))
        return 0;
    return 1;
}

/* Word hashes of s, at most max. */
static size_t words(const char *s, size_t n, uint64_t *out, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t count = 0, i = 0;
    while (i < n && count < max) {
        while (i < n && !word_byte(u + i, n - i)) {
            /* Skip a whole multi-byte separator. */
            if (u[i] >= 0xC0)
                i += (u[i] >= 0xF0) ? 4 : (u[i] >= 0xE0) ? 3 : 2;
            else
                i++;
        }
        if (i >= n)
            break;
        uint64_t h = 0xcbf29ce484222325ULL;
        while (i < n && word_byte(u + i, n - i)) {
            h ^= (uint64_t)doge__x_lc(u[i]);
            h *= 0x100000001b3ULL;
            i++;
        }
        out[count++] = h;
    }
    return count;
}

static uint64_t gram1(uint64_t a)
{
    return mix(a ^ 0x1111);
}

static uint64_t gram2(uint64_t a, uint64_t b)
{
    return mix(a * 3 + mix(b) + 0x2222);
}

static uint64_t gram3(uint64_t a, uint64_t b, uint64_t c)
{
    return mix(a * 5 + mix(b) * 3 + mix(mix(c)) + 0x3333);
}

static void put(doge__xreq *r, uint64_t h)
{
    size_t m = r->cap - 1, i = (size_t)h & m;
    while (r->slots[i] && r->slots[i] != h)
        i = (i + 1) & m;
    if (!r->slots[i]) {
        r->slots[i] = h;
        r->count++;
    }
}

static int has(const doge__xreq *r, uint64_t h)
{
    size_t m = r->cap - 1, i = (size_t)h & m;
    while (r->slots[i]) {
        if (r->slots[i] == h)
            return 1;
        i = (i + 1) & m;
    }
    return 0;
}

static void put_all(doge__xreq *r, const uint64_t *w, size_t k)
{
    for (size_t i = 0; i < k; i++) {
        put(r, gram1(w[i]));
        if (i + 1 < k)
            put(r, gram2(w[i], w[i + 1]));
        if (i + 2 < k)
            put(r, gram3(w[i], w[i + 1], w[i + 2]));
    }
}

void doge__x_req_free(doge__xreq *r)
{
    free(r->slots);
    memset(r, 0, sizeof *r);
}

int doge__x_req_build(doge__xreq *r, const char *subject, const char *text, size_t len)
{
    size_t slen = subject ? strlen(subject) : 0;
    if (!text)
        len = 0;
    size_t maxw = (slen + len) / 2 + 2;
    uint64_t *w = malloc(maxw * sizeof *w);
    if (!w)
        return doge__error_oom();
    size_t ks = words(subject ? subject : "", slen, w, maxw);
    size_t kt = words(text ? text : "", len, w + ks, maxw - ks);
    size_t cap = 64;
    while (cap < (ks + kt) * 3 * 2)
        cap <<= 1;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots) {
        free(w);
        return doge__error_oom();
    }
    doge__x_req_free(r);
    r->slots = slots;
    r->cap = cap;
    put_all(r, w, ks);
    put_all(r, w + ks, kt);
    free(w);
    if (ks + kt == 0)
        doge__x_req_free(r);
    return DOGE_OK;
}

int doge__x_req_line(const doge__xreq *r, const char *s, size_t n, int *short_hit)
{
    uint64_t w[MAX_LINE_WORDS];
    *short_hit = 0;
    if (!r->cap)
        return 0;
    size_t k = words(s, n, w, MAX_LINE_WORDS);
    if (k == 1) {
        *short_hit = has(r, gram1(w[0]));
        return 0;
    }
    if (k == 2) {
        *short_hit = has(r, gram2(w[0], w[1]));
        return 0;
    }
    if (k == 0)
        return 0;
    size_t t = k - 2, hit = 0;
    for (size_t i = 0; i < t; i++)
        hit += (size_t)has(r, gram3(w[i], w[i + 1], w[i + 2]));
    return hit == t || (t >= 5 && (t - hit) * 5 <= t);
}
