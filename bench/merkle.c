/*
 * bench/merkle.c — measures the ledger's Merkle hot paths on one core, in
 * memory: appends of 200-byte entries (leaf hash, stored hashes, storing
 * them), tree heads, and inclusion and consistency proof generation and
 * verification in a tree of 10 million entries (override with argv[1]).
 * Prints one line per measurement; the targets are >= 1M appends/s and
 * <= 10 us per proof.
 */
#include "doge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HS DOGE_MERKLE_HASH_SIZE

struct store {
    uint8_t *hashes;
    int64_t n;
};

static int store_read(void *ctx, const int64_t *idx, size_t k, uint8_t *out)
{
    const struct store *s = ctx;
    for (size_t i = 0; i < k; i++) {
        if (idx[i] < 0 || idx[i] >= s->n)
            return DOGE_ENOTFOUND;
        memcpy(out + i * HS, s->hashes + idx[i] * HS, HS);
    }
    return DOGE_OK;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_merkle: %s: %s\n", what, doge_error_last());
    return 1;
}

int main(int argc, char **argv)
{
    int64_t size = argc > 1 ? atoll(argv[1]) : 10000000;
    if (size < 2)
        size = 2;
    struct store s;
    s.n = 0;
    s.hashes = malloc((size_t)doge_merkle_stored_hash_count(size) * HS);
    if (s.hashes == NULL)
        return fail("malloc");
    uint8_t entry[200], leaf[HS], out[DOGE_MERKLE_MAX_PROOF * HS];
    memset(entry, 'e', sizeof entry);
    double t0 = now();
    for (int64_t i = 0; i < size; i++) {
        size_t k;
        memcpy(entry, &i, sizeof i);
        if (doge_merkle_leaf_hash(entry, sizeof entry, leaf) != DOGE_OK ||
            doge_merkle_stored_hashes(i, leaf, store_read, &s, out, DOGE_MERKLE_MAX_PROOF, &k) != DOGE_OK)
            return fail("append");
        memcpy(s.hashes + s.n * HS, out, k * HS);
        s.n += (int64_t)k;
    }
    double t1 = now();
    printf("append: %lld entries of 200 bytes in %.2f s = %.2f M appends/s\n", (long long)size,
           t1 - t0, (double)size / (t1 - t0) / 1e6);

    enum { REPS = 20000 };
    uint64_t seed = 88172645463325252ULL;
    uint8_t th[HS], h[HS];
    if (doge_merkle_tree_hash(size, store_read, &s, th) != DOGE_OK)
        return fail("tree hash");
    t0 = now();
    for (int i = 0; i < REPS; i++)
        if (doge_merkle_tree_hash(size - (int64_t)(rnd(&seed) % 1000), store_read, &s, h) != DOGE_OK)
            return fail("tree hash");
    t1 = now();
    printf("tree hash at ~%lld: %.2f us\n", (long long)size, (t1 - t0) / REPS * 1e6);

    /* Inclusion proofs in the full tree. */
    double gen = 0, ver = 0;
    for (int i = 0; i < REPS; i++) {
        int64_t n = (int64_t)(rnd(&seed) % (uint64_t)size);
        size_t len;
        double a = now();
        if (doge_merkle_prove_record(size, n, store_read, &s, out, DOGE_MERKLE_MAX_PROOF, &len) != DOGE_OK)
            return fail("prove record");
        double b = now();
        memcpy(entry, &n, sizeof n);
        if (doge_merkle_leaf_hash(entry, sizeof entry, leaf) != DOGE_OK ||
            doge_merkle_check_record(out, len, size, th, n, leaf) != DOGE_OK)
            return fail("check record");
        ver += now() - b;
        gen += b - a;
    }
    printf("inclusion proof at %lld: generate %.2f us, verify %.2f us\n", (long long)size,
           gen / REPS * 1e6, ver / REPS * 1e6);

    /* Consistency proofs from random old sizes to the full tree. */
    gen = ver = 0;
    for (int i = 0; i < REPS; i++) {
        int64_t n = 1 + (int64_t)(rnd(&seed) % (uint64_t)size);
        size_t len;
        uint8_t oh[HS];
        if (doge_merkle_tree_hash(n, store_read, &s, oh) != DOGE_OK)
            return fail("tree hash");
        double a = now();
        if (doge_merkle_prove_tree(size, n, store_read, &s, out, DOGE_MERKLE_MAX_PROOF, &len) != DOGE_OK)
            return fail("prove tree");
        double b = now();
        if (doge_merkle_check_tree(out, len, size, th, n, oh) != DOGE_OK)
            return fail("check tree");
        ver += now() - b;
        gen += b - a;
    }
    printf("consistency proof at %lld: generate %.2f us, verify %.2f us\n", (long long)size,
           gen / REPS * 1e6, ver / REPS * 1e6);
    free(s.hashes);
    return 0;
}
