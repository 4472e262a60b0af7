/*
 * synth_internal.h — the deterministic PRNG and text makers shared by the
 * synthetic data generators. Never installed.
 */
#ifndef DOGE_SYNTH_INTERNAL_H
#define DOGE_SYNTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* splitmix64: the next 64 random bits of state *s. */
uint64_t doge__synth_next(uint64_t *s);

/* A uniform number below n. */
uint32_t doge__synth_below(uint64_t *s, uint32_t n);

/* One realistic bullet of federal work (no marker); returns its length. */
int doge__synth_bullet(uint64_t *s, char *out, size_t cap);

/* An out-of-office text mentioning until. */
int doge__synth_out_of_office(uint64_t *s, const char *until, char *out, size_t cap);

#endif
