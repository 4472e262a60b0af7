/*
 * radix.c — stable LSD radix sorts of 64-bit keys, used instead of hash
 * tables and qsort() by copy-paste clustering and by the ingest's
 * de-duplication keys: 8-bit digits, every digit's histogram counted in
 * one read pass, digits on which all keys agree skipped, each other digit
 * one stable scatter between the two buffers. Band buckets (hash in the
 * high 32 bits, document in the low) sort on the high half only; candidate
 * pairs, (text hash, document) records and (key, reply id) pairs on the
 * whole key.
 */
#include "util/radix.h"

#include <string.h>

#define DIGITS 8

void doge__radix_u64(uint64_t **keys, uint64_t **tmp, size_t n, unsigned lo_bit)
{
    if (n < 2 || lo_bit >= 64)
        return;
    unsigned nd = (64 - lo_bit + 7) / 8;
    static const size_t zero[256];
    size_t count[DIGITS][256];
    for (unsigned d = 0; d < nd; d++)
        memcpy(count[d], zero, sizeof zero);
    const uint64_t *k = *keys;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = k[i] >> lo_bit;
        for (unsigned d = 0; d < nd; d++)
            count[d][(v >> (8 * d)) & 255]++;
    }
    uint64_t *src = *keys, *dst = *tmp;
    for (unsigned d = 0; d < nd; d++) {
        size_t *c = count[d], sum = 0;
        unsigned shift = lo_bit + 8 * d;
        if (c[(src[0] >> shift) & 255] == n)
            continue; /* every key has this digit */
        for (unsigned j = 0; j < 256; j++) {
            size_t t = c[j];
            c[j] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t v = src[i];
            dst[c[(v >> shift) & 255]++] = v;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    *keys = src;
    *tmp = dst;
}

void doge__radix_kv(doge__kv **keys, doge__kv **tmp, size_t n)
{
    if (n < 2)
        return;
    static const size_t zero[256];
    size_t count[DIGITS][256];
    for (unsigned d = 0; d < DIGITS; d++)
        memcpy(count[d], zero, sizeof zero);
    const doge__kv *k = *keys;
    for (size_t i = 0; i < n; i++)
        for (unsigned d = 0; d < DIGITS; d++)
            count[d][(k[i].k >> (8 * d)) & 255]++;
    doge__kv *src = *keys, *dst = *tmp;
    for (unsigned d = 0; d < DIGITS; d++) {
        size_t *c = count[d], sum = 0;
        unsigned shift = 8 * d;
        if (c[(src[0].k >> shift) & 255] == n)
            continue;
        for (unsigned j = 0; j < 256; j++) {
            size_t t = c[j];
            c[j] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].k >> shift) & 255]++] = src[i];
        doge__kv *t = src;
        src = dst;
        dst = t;
    }
    *keys = src;
    *tmp = dst;
}
