/*
 * synth_rng.c — the deterministic PRNG every synthetic generator uses:
 * xoshiro256** 1.0 (David Blackman and Sebastiano Vigna, public domain),
 * its state filled by splitmix64 from one 64-bit seed, with an unbiased
 * bounded draw (rejection of the short top range) and 53-bit doubles.
 * Only integer arithmetic, so the stream is identical on every platform.
 */
#include "doge/synth.h"

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void doge_synth_rng_seed(doge_synth_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

uint64_t doge_synth_rng_next(doge_synth_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t doge_synth_rng_below(doge_synth_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
    for (;;) {
        uint64_t x = doge_synth_rng_next(r);
        if (x >= threshold)
            return x % n;
    }
}

double doge_synth_rng_unit(doge_synth_rng *r)
{
    return (double)(doge_synth_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
