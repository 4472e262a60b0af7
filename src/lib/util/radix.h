/*
 * radix.h — stable LSD radix sorts of 64-bit keys (util/radix.c), shared by
 * copy-paste clustering (review) and the ingest's de-duplication keys
 * (pulse/ingest_keys.c). The caller owns both buffers; the sorted result
 * ends in *keys and the two pointers may come back swapped.
 */
#ifndef DOGE_UTIL_RADIX_H
#define DOGE_UTIL_RADIX_H

#include <stddef.h>
#include <stdint.h>

/* Sorts n keys (stable LSD radix sort, 8-bit digits) on bits [lo_bit, 64):
 * the sorted result ends in *keys (the two buffers may be swapped; both hold
 * n entries). */
void doge__radix_u64(uint64_t **keys, uint64_t **tmp, size_t n, unsigned lo_bit);

/* A key and a payload, sorted on the key (stable: equal keys keep their
 * order). */
typedef struct doge__kv {
    uint64_t k, v;
} doge__kv;

void doge__radix_kv(doge__kv **keys, doge__kv **tmp, size_t n);

#endif
