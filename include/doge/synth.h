/*
 * doge/synth.h — synthetic data for tests, demos and benchmarks, generated
 * deterministically from a seed with doge's own PRNG (xoshiro256**, seeded
 * through splitmix64), so the same seed gives the same bytes on every
 * platform and nothing depends on rand() or the clock.
 *
 * doge_synth_workforce() writes a roster CSV that doge_roster_import()
 * accepts: columns employee_id, name, email, department, manager_id, aliases,
 * title, location, LF row ends. Names are drawn from embedded, diverse
 * first- and last-name lists (José, Zoë, Siobhán, O'Brien, García-López,
 * Nguyễn, ...) with common names more likely, so that first.last collisions
 * happen and are numbered (first.last2). Addresses are first.last[N]@DOMAIN,
 * the name folded to lowercase ASCII (accents dropped, apostrophes and
 * spaces removed, hyphens kept), DOMAIN the department's (usda.gov, va.gov,
 * ...; the suffix is an option: use a reserved one such as "gov.example"
 * whenever synthetic mail could leave the machine, since the default
 * addresses look like, and may be, real ones). About one employee in ten
 * has an alias (jgarcia-lopez@..., or first.m.last@... with a middle
 * initial). Department sizes follow a jittered Zipf law (exponent 1.2), so
 * a few departments hold most people, and take real-sounding federal
 * department and agency names (then generated "Office of ..." names past the
 * embedded list). Each department is a tree built breadth first with a
 * span of control drawn from 5 to 15, so its depth grows with the log of
 * its size; its head has no manager, or, for a component agency (FEMA,
 * IRS, ...) whose parent department is also generated, the parent's head.
 * Employee ids are E0000001, E0000002, ... in file order (eight digits from
 * ten million employees).
 *
 * Ownership: the caller owns the FILE* given to doge_synth_workforce() (it
 * is written, never closed) and the option strings; doge_synth_workforce_
 * file() creates path through a temporary file renamed into place.
 */
#ifndef DOGE_SYNTH_H
#define DOGE_SYNTH_H

#include "doge/common.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The PRNG: xoshiro256** (Blackman and Vigna), seeded with splitmix64. */
typedef struct doge_synth_rng {
    uint64_t s[4];
} doge_synth_rng;

/* Seeds r from seed (any value, 0 included). */
DOGE_EXTERN void doge_synth_rng_seed(doge_synth_rng *r, uint64_t seed);

/* The next 64 random bits. */
DOGE_EXTERN uint64_t doge_synth_rng_next(doge_synth_rng *r);

/* A uniform integer in [0, n) without modulo bias (0 when n is 0). */
DOGE_EXTERN uint64_t doge_synth_rng_below(doge_synth_rng *r, uint64_t n);

/* A uniform double in [0, 1) with 53 random bits. */
DOGE_EXTERN double doge_synth_rng_unit(doge_synth_rng *r);

/* The most employees and departments a workforce may have. */
#define DOGE_SYNTH_MAX_EMPLOYEES 10000000
#define DOGE_SYNTH_MAX_DEPARTMENTS 400

typedef struct doge_synth_workforce_opts {
    int64_t employees;         /* 1 .. DOGE_SYNTH_MAX_EMPLOYEES */
    int departments;           /* 1 .. DOGE_SYNTH_MAX_DEPARTMENTS, at most employees */
    uint64_t seed;
    const char *domain_suffix; /* NULL: "gov" (usda.gov); e.g. "gov.example" */
    unsigned progress;         /* DOGE_PROGRESS_* flags for the bar on stderr */
    int no_progress;           /* 1: no progress bar at all */
} doge_synth_workforce_opts;

typedef struct doge_synth_workforce_result {
    int64_t employees, departments;
    int64_t largest_department;  /* employees in the largest */
    int64_t managers;            /* employees with at least one direct report */
    int64_t aliases;             /* alias addresses written */
    int64_t max_depth;           /* longest manager chain (a top is 1) */
    uint64_t bytes;              /* bytes written */
} doge_synth_workforce_result;

/* Writes the workforce as CSV to out. res may be NULL. DOGE_EINVAL naming
 * the bad option, DOGE_EIO when writing fails. */
DOGE_EXTERN int doge_synth_workforce(const doge_synth_workforce_opts *o, FILE *out,
                                     doge_synth_workforce_result *res);

/* The same into the file at path ("-": standard output), written to a
 * temporary file in the same folder and renamed over path when complete. */
DOGE_EXTERN int doge_synth_workforce_file(const doge_synth_workforce_opts *o, const char *path,
                                          doge_synth_workforce_result *res);

#ifdef __cplusplus
}
#endif
#endif
