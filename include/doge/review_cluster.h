/*
 * doge/review_cluster.h — copy-paste detection across a week of replies.
 * Each document (a reply's bullets joined by newlines) is normalised
 * (lower case, punctuation and whitespace runs folded, digits kept), then:
 * exact duplicates by a hash of the normalised text; then MinHash signatures
 * over word shingles (default 128 hashes, word 3-grams) with LSH banding
 * (default 32 bands of 4 rows); every candidate pair that shares a band is
 * confirmed by its true Jaccard similarity of shingle sets, and confirmed
 * pairs (Jaccard >= threshold, default 0.8) are joined into clusters
 * (union-find). Deterministic for a seed, whatever the thread count.
 *
 * Ownership: the caller owns the doge_review_dedup made by
 * doge_review_dedup_new() and releases it with doge_review_dedup_free()
 * (NULL is fine). Texts given to add are copied (normalised) into the
 * object's own arenas. Cluster views returned by doge_review_dedup_cluster()
 * point into the object and stay valid until it is freed.
 * Adding is single-threaded (it only copies); doge_review_dedup_run() does
 * the signatures, banding and confirmation on opts.threads threads.
 */
#ifndef DOGE_REVIEW_CLUSTER_H
#define DOGE_REVIEW_CLUSTER_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_review_dedup_opts {
    unsigned hashes;    /* MinHash functions: default 128 */
    unsigned bands;     /* LSH bands: default 32 (hashes must be bands*rows) */
    unsigned shingle;   /* words per shingle: default 3 */
    double threshold;   /* Jaccard to confirm a pair: default 0.8 */
    uint64_t seed;      /* hash seeds: default 1 */
    unsigned threads;   /* for run: default 1 */
    size_t min_words;   /* documents with fewer words are exact-matched only: default 6 */
} doge_review_dedup_opts;

typedef struct doge_review_dedup doge_review_dedup;

/* opts may be NULL (all defaults). */
DOGE_EXTERN int doge_review_dedup_new(doge_review_dedup **out, const doge_review_dedup_opts *opts);
DOGE_EXTERN void doge_review_dedup_free(doge_review_dedup *d);

/* Adds one document under a caller's id (e.g. the reply id) and a group
 * label (e.g. the department; copied). Not thread-safe. */
DOGE_EXTERN int doge_review_dedup_add(doge_review_dedup *d, int64_t id, const char *group,
                                      const char *text, size_t len);

/* Finds the clusters (of size >= 2). Call once, after all adds. */
DOGE_EXTERN int doge_review_dedup_run(doge_review_dedup *d);

/* A cluster: its member ids (sorted), how many exact copies of the
 * representative there are, the groups (departments) involved, the lowest
 * confirmed Jaccard between a member and the representative, and the
 * representative's original text (the member with the lowest id). */
typedef struct doge_review_cluster {
    size_t size;
    const int64_t *ids;
    size_t exact;
    size_t ngroups;
    const char *const *groups;
    double min_jaccard;
    int64_t representative;
    const char *text;
} doge_review_cluster;

/* Clusters found by run, largest first (ties: lowest representative id). */
DOGE_EXTERN size_t doge_review_dedup_count(const doge_review_dedup *d);
DOGE_EXTERN int doge_review_dedup_cluster(const doge_review_dedup *d, size_t i,
                                          doge_review_cluster *out);

/* Statistics of the last run (for benchmarks and --json). */
typedef struct doge_review_dedup_stats {
    size_t documents;
    size_t exact_groups;      /* sets of >= 2 identical normalised texts */
    size_t candidate_pairs;   /* pairs that shared an LSH band */
    size_t confirmed_pairs;   /* of which Jaccard >= threshold */
    size_t clusters;
    size_t clustered_documents;
} doge_review_dedup_stats;

DOGE_EXTERN void doge_review_dedup_get_stats(const doge_review_dedup *d,
                                             doge_review_dedup_stats *out);

#ifdef __cplusplus
}
#endif
#endif
