/*
 * doge/spend_synth.h — synthetic USAspending.gov award data for tests,
 * demos and benchmarks: a transaction file with the real column names (the
 * contracts download's 297 columns, or assistance's 112) and realistic
 * shapes — agencies and recipients with long-tailed sizes, log-normal
 * amounts whose first digits follow Benford's law, awards with
 * modifications, option exercises, de-obligations and close-outs, IDVs with
 * task orders, descriptions with commas, quotes and the odd line break —
 * with planted waste patterns for every audit rule next to clean control
 * rows built to look like them without breaking the rule, and a
 * ground-truth CSV ("rule,key,class": class planted or clean) saying which
 * is which. Background rows are clean by construction (purchases just
 * under a threshold go to one-off recipients, positive actions stay within
 * the period of performance, obligations stay under the potential value,
 * per-agency competition is steered below the non-competed threshold).
 *
 * Optionally also: a SAM.gov exclusions extract (the public extract's
 * columns) holding the planted excluded parties and unrelated decoys; and a
 * savings-receipts file in the doge.gov layout (JSON as api.doge.gov serves
 * it, or CSV when the name ends in .csv) whose claims refer to awards in the
 * file, with the problems reporters found planted (not found, above what
 * was left, above the value, ended before the cancellation, claimed twice,
 * 1000x off, placeholder ids, not cancelled, value changed by a later
 * modification, a PIID in two agencies, vehicle ceilings, a shared
 * multiple-award ceiling, leases stated as annual rent) beside clean
 * claims, and its ground truth in RECEIPTS.truth.csv
 * ("id,status,flags,verified").
 *
 * Everything is drawn from doge_synth_rng, so the same options give the same
 * bytes. Ownership: paths stay the caller's; files are written through a
 * temporary name renamed into place.
 */
#ifndef DOGE_SPEND_SYNTH_H
#define DOGE_SPEND_SYNTH_H

#include "doge/common.h"
#include "doge/spend.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOGE_SPEND_SYNTH_MIN_ROWS 1000
#define DOGE_SPEND_SYNTH_MAX_ROWS 100000000ULL

typedef struct doge_spend_synth_opts {
    uint64_t rows;            /* transaction rows, exactly */
    doge_spend_kind kind;
    uint64_t seed;
    int fiscal_year;          /* 0: 2025 (October 2024 to September 2025) */
    const char *truth;        /* ground truth CSV, or NULL */
    const char *receipts;     /* receipts file (.csv: CSV, else JSON), or NULL */
    const char *exclusions;   /* SAM.gov exclusions extract, or NULL */
    unsigned progress;        /* DOGE_PROGRESS_* */
    int no_progress;
} doge_spend_synth_opts;

typedef struct doge_spend_synth_result {
    uint64_t rows, awards, bytes;
    uint64_t planted[DOGE_SPEND_RULES + 1]; /* truth rows per rule */
    uint64_t clean[DOGE_SPEND_RULES + 1];
    uint64_t claims;          /* receipts written */
    uint64_t exclusions;      /* exclusion records written */
} doge_spend_synth_result;

/* Writes the award file to path (and the optional files). DOGE_EINVAL
 * naming the bad option; DOGE_EIO naming the file that failed. */
DOGE_EXTERN int doge_spend_synth_awards(const doge_spend_synth_opts *o, const char *path,
                                        doge_spend_synth_result *res);

#ifdef __cplusplus
}
#endif
#endif
