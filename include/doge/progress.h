/*
 * doge/progress.h — a one-line progress bar for long jobs (ingesting award
 * files, sending a workforce's worth of mail): label, bar, percent, count,
 * rate per second and ETA, redrawn in place with '\r' at most ten times a
 * second. It is off unless stderr is a terminal (so logs and pipes stay
 * clean) or when DOGE_PROGRESS_QUIET is passed; doge_progress_set_sink()
 * forces it on towards any FILE*, and doge_progress_set_clock() replaces the
 * monotonic clock, so tests can check the exact text.
 *
 * A line looks like (total known):
 *   ingest [#########           ]  45.0%  4500/10000  1500.0/s  ETA 0:04
 * and, after doge_progress_finish():
 *   ingest [####################] 100.0%  10000/10000  1492.5/s  in 0:07
 * With total 0 (unknown) the bar, percent and ETA are left out.
 *
 * Ownership: the caller owns the doge_progress made by doge_progress_new()
 * and releases it with doge_progress_free(); the label is copied. A sink
 * set with doge_progress_set_sink() stays owned by the caller and must
 * outlive the progress bar; it is never closed.
 */
#ifndef DOGE_PROGRESS_H
#define DOGE_PROGRESS_H

#include "doge/common.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for doge_progress_new(). */
#define DOGE_PROGRESS_QUIET 1u /* never draw (e.g. for --quiet) */
#define DOGE_PROGRESS_FORCE 2u /* draw on stderr even when it is not a TTY */

/* Minimum time between two redraws, in nanoseconds (100 ms). */
#define DOGE_PROGRESS_INTERVAL_NS 100000000ULL

/* A monotonic clock in nanoseconds. */
typedef uint64_t (*doge_progress_clock)(void *ctx);

typedef struct doge_progress doge_progress;

/* Creates a progress bar for total units of work (0: unknown) that draws on
 * stderr when it is a TTY or DOGE_PROGRESS_FORCE is set, and never with
 * DOGE_PROGRESS_QUIET. The clock starts now. DOGE_ENOMEM. */
DOGE_EXTERN int doge_progress_new(doge_progress **out, const char *label, uint64_t total,
                                  unsigned flags);

/* Draws on sink instead of stderr and turns drawing on whatever sink is
 * (unless DOGE_PROGRESS_QUIET was given); NULL turns drawing off. */
DOGE_EXTERN void doge_progress_set_sink(doge_progress *p, FILE *sink);

/* Replaces the clock (NULL: back to CLOCK_MONOTONIC) and restarts the
 * elapsed time from its current reading. */
DOGE_EXTERN void doge_progress_set_clock(doge_progress *p, doge_progress_clock clock, void *ctx);

/* 1 when the bar will draw, else 0. */
DOGE_EXTERN int doge_progress_enabled(const doge_progress *p);

/* Records that done units are finished; redraws when the last draw is at
 * least DOGE_PROGRESS_INTERVAL_NS old. Cheap when nothing is drawn. */
DOGE_EXTERN void doge_progress_update(doge_progress *p, uint64_t done);

/* Draws the final line (count, average rate, elapsed time) and a newline.
 * Later updates are ignored. */
DOGE_EXTERN void doge_progress_finish(doge_progress *p);

/* Ends an unfinished line with a newline and releases p (may be NULL). */
DOGE_EXTERN void doge_progress_free(doge_progress *p);

#ifdef __cplusplus
}
#endif
#endif
