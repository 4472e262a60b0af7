/*
 * extract_request.c — recognises lines copied from the campaign's request,
 * however they were quoted or re-wrapped. The request's subject and text are
 * cut into words (runs of letters and digits, lower-cased; punctuation and
 * whitespace ignored) and every word 1-, 2- and 3-gram goes into a hash set.
 * A reply line of three or more words is a request line when all its word
 * trigrams are in the set, or when it has five or more and at most one in
 * five is missing (an edited or typo'd copy), as long as its second word
 * is a request word and one of its first two trigrams is in the set (both
 * of which let most lines go after two or four words). A line of one or
 * two words cannot be judged alone; it is marked as a candidate when its
 * uni- or bigram is in the set, and extract.c takes it as part of the
 * request only next to a request line (the tail of a re-wrapped sentence:
 * "last week.").
 *
 * Ownership: the set is malloc'd by doge__x_req_build() and released by
 * doge__x_req_free(); the extractor owns it.
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

/* Bytes of the separator at u when it is one of the non-ASCII separators
 * (NBSP, middle dot, U+2000-U+207F: dashes, quotes, bullets), else 0. */
static size_t separator(const unsigned char *u, size_t n)
{
    if (u[0] == 0xC2 && n >= 2 && (u[1] == 0xA0 || u[1] == 0xB7))
        return 2;
    if (u[0] == 0xE2 && n >= 3 && (u[1] == 0x80 || u[1] == 0x81))
        return 3;
    return 0;
}

/* Hashes the next word of u from *i (a run of ASCII letters and digits and
 * other UTF-8, lower-cased); 0 at the end. */
static int next_word(const unsigned char *u, size_t n, size_t *i, uint64_t *out)
{
    size_t p = *i, k;
    while (p < n) {
        if (u[p] < 0x80) {
            if (doge__x_alnum(u[p]))
                break;
            p++;
        } else if ((k = separator(u + p, n - p)) != 0) {
            p += k;
        } else {
            break;
        }
    }
    if (p >= n) {
        *i = p;
        return 0;
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    while (p < n && (u[p] < 0x80 ? doge__x_alnum(u[p]) : !separator(u + p, n - p))) {
        h ^= (uint64_t)doge__x_lc(u[p]);
        h *= 0x100000001b3ULL;
        p++;
    }
    *i = p;
    *out = h;
    return 1;
}

/* Moves *i past the next word; 0 when there is none. */
static int skip_word(const unsigned char *u, size_t n, size_t *i)
{
    size_t p = *i, k;
    while (p < n) {
        if (u[p] < 0x80) {
            if (doge__x_alnum(u[p]))
                break;
            p++;
        } else if ((k = separator(u + p, n - p)) != 0) {
            p += k;
        } else {
            break;
        }
    }
    if (p >= n)
        return 0;
    while (p < n && (u[p] < 0x80 ? doge__x_alnum(u[p]) : !separator(u + p, n - p)))
        p++;
    *i = p;
    return 1;
}

/* Word hashes of s, at most max. */
static size_t words(const char *s, size_t n, uint64_t *out, size_t max)
{
    size_t count = 0, i = 0;
    while (count < max && next_word((const unsigned char *)s, n, &i, &out[count]))
        count++;
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
    const unsigned char *u = (const unsigned char *)s;
    uint64_t w[3] = {0, 0, 0};
    size_t k = 0, i = 0, t = 0, hit = 0;
    *short_hit = 0;
    if (!r->cap)
        return 0;
    /* Every trigram and bigram holding the second word misses when that
     * word is not in the request: then the line is not a copy, and the
     * first word need not even be hashed. */
    if (!skip_word(u, n, &i))
        return 0;
    if (next_word(u, n, &i, &w[1]) && !has(r, gram1(w[1])))
        return 0;
    i = 0;
    while (k < MAX_LINE_WORDS && next_word(u, n, &i, &w[k % 3])) {
        k++;
        if (k < 3)
            continue;
        t++;
        hit += (size_t)has(r, gram3(w[(k - 3) % 3], w[(k - 2) % 3], w[(k - 1) % 3]));
        if (t == 2 && hit == 0)
            return 0; /* a copy starts with request words */
    }
    if (k == 1)
        *short_hit = has(r, gram1(w[0]));
    if (k == 2)
        *short_hit = has(r, gram2(w[0], w[1]));
    if (k < 3)
        return 0;
    return hit == t || (t >= 5 && (t - hit) * 5 <= t);
}
