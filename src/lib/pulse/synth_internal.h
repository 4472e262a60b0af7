/*
 * synth_internal.h — the text makers the synthetic reply generator uses;
 * randomness comes from doge_synth_rng (doge/synth.h). Never installed.
 */
#ifndef DOGE_SYNTH_INTERNAL_H
#define DOGE_SYNTH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "doge/synth.h"

/* One realistic bullet of federal work (no marker); returns its length. */
int doge__synth_bullet(doge_synth_rng *s, char *out, size_t cap);

/* An out-of-office text mentioning until. */
int doge__synth_out_of_office(doge_synth_rng *s, const char *until, char *out, size_t cap);

#endif
