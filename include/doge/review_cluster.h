/*
 * doge/review_cluster.h — copy-paste detection across a week of replies.
 * Each document (a reply's bullets joined by newlines) is normalised
 * (lower case, punctuation and whitespace runs folded, digits kept), then:
 * exact duplicates by a hash of the normalised text (confirmed byte for
 * byte); then MinHash signatures over word shingles (default 128 hashes,
 * word 3-grams) of one document per exact group, with LSH banding (default
 * 32 bands of 4 rows); the documents sharing a band are paired when their
 * one-byte MinHash sketches agree well enough to be worth a look (a bucket
 * of more than 32 documents compares each with a few leaders instead of all
 * pairs), and every such candidate pair is confirmed by the true Jaccard
 * similarity of its shingle sets; confirmed pairs (Jaccard >= threshold,
 * default 0.8) and exact groups are joined into clusters (union-find).
 * A document with no words is never clustered; one with fewer than
 * min_words words is matched exactly only. Deterministic for a seed,
 * whatever the thread count (on a given byte order).
 *
 * Ownership: the caller owns the doge_review_dedup made by
 * doge_review_dedup_new() and releases it with doge_review_dedup_free()
 * (NULL is fine). Texts and group labels given to add are copied as given
 * into the object's own arena (run normalises them). Cluster views returned
 * by doge_review_dedup_cluster() point into the object and stay valid until
 * it is freed.
 * Adding is single-threaded (it only copies); doge_review_dedup_run() does
 * the normalisation, signatures, banding and confirmation on opts.threads
 * threads.
 */
#ifndef DOGE_REVIEW_CLUSTER_H
#define DOGE_REVIEW_CLUSTER_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every field left 0 takes its default. */
typedef struct doge_review_dedup_opts {
    unsigned hashes;    /* MinHash functions: default 128 (at most 4096) */
    unsigned bands;     /* LSH bands: default 32 (hashes must be bands*rows) */
    unsigned shingle;   /* words per shingle: default 3 (at most 16) */
    double threshold;   /* Jaccard to confirm a pair: default 0.8 (in (0, 1]) */
    uint64_t seed;      /* hash seeds: default 1 */
    unsigned threads;   /* for run: default 1 (at most 256) */
    size_t min_words;   /* documents with fewer words are exact-matched only: default 6 */
} doge_review_dedup_opts;

typedef struct doge_review_dedup doge_review_dedup;

/* opts may be NULL (all defaults). */
DOGE_EXTERN int doge_review_dedup_new(doge_review_dedup **out, const doge_review_dedup_opts *opts);
DOGE_EXTERN void doge_review_dedup_free(doge_review_dedup *d);

/* Adds one document under a caller's id (e.g. the reply id) and a group
 * label (e.g. the department; NULL is ""; copied); text may be NULL when len
 * is 0. DOGE_ELIMIT past 16 MiB of text or 2^32 - 1 documents; DOGE_EINVAL
 * after run. Not thread-safe. */
DOGE_EXTERN int doge_review_dedup_add(doge_review_dedup *d, int64_t id, const char *group,
                                      const char *text, size_t len);

/* Finds the clusters (of size >= 2). Call once, after all adds
 * (DOGE_EINVAL the second time). DOGE_ENOMEM. */
DOGE_EXTERN int doge_review_dedup_run(doge_review_dedup *d);

/* A cluster: its member ids (sorted), how many members are exact copies of
 * the representative after normalisation (the representative included), the
 * distinct groups (departments) involved (sorted), the lowest true Jaccard
 * similarity between a member and the representative (1 for exact copies;
 * a member joined through another member may be below the threshold), and
 * the representative's text as added (the member with the lowest id). */
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

/* Clusters found by run, largest first (ties: lowest representative id).
 * doge_review_dedup_cluster: DOGE_EINVAL before run, DOGE_ERANGE for i >=
 * the count. */
DOGE_EXTERN size_t doge_review_dedup_count(const doge_review_dedup *d);
DOGE_EXTERN int doge_review_dedup_cluster(const doge_review_dedup *d, size_t i,
                                          doge_review_cluster *out);

/* Statistics of the last run (for benchmarks and --json). */
typedef struct doge_review_dedup_stats {
    size_t documents;
    size_t exact_groups;      /* sets of >= 2 identical (non-empty) normalised texts */
    size_t candidate_pairs;   /* distinct pairs that shared an LSH band and whose sketches
                                 estimate a Jaccard within a safety margin of the threshold */
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
