/*
 * cluster_internal.h — the pieces of copy-paste clustering
 * (doge/review_cluster.h) shared between its source files: text
 * normalisation and word shingles (normalise.c), MinHash band signatures
 * (minhash.c), LSD radix sorts (util/radix.c), LSH candidate pairs (candidates.c),
 * a fixed-split parallel loop (parallel.c) and the cluster assembly
 * (clusters.c). Never installed.
 *
 * Ownership: every function writes into buffers its caller owns and sized as
 * documented; none keeps a pointer after it returns.
 */
#ifndef DOGE_REVIEW_CLUSTER_INTERNAL_H
#define DOGE_REVIEW_CLUSTER_INTERNAL_H

#include "doge/arena.h"
#include "doge/map.h"
#include "doge/review_cluster.h"
#include "util/radix.h"

#include <stddef.h>
#include <stdint.h>

/* ---- dedup.c: the object -------------------------------------------------- */

/* One added document: the caller's id, its text as given (NUL-terminated
 * copy in the object's arena) and its group's index. */
typedef struct doge__review_doc {
    int64_t id;
    const char *text;
    uint32_t len;
    uint32_t group;
} doge__review_doc;

struct doge_review_dedup {
    doge_review_dedup_opts o;
    doge_arena *mem;            /* texts, group labels, cluster arrays */
    doge_map *group_index;      /* label -> index into group_names */
    const char **group_names;
    size_t ngroups, group_cap;
    doge__review_doc *docs;
    size_t n, cap;
    int ran;
    doge_review_cluster *clusters;
    size_t nclusters;
    doge_review_dedup_stats stats;
};

/* The per-document results of a run that clusters.c reads: the number of
 * words, the exact-duplicate head (the first document with the same
 * normalised text; itself for a head), the shingles (NULL and 0 for
 * documents with too few words; sorted and distinct for every document of
 * a candidate pair) and the union-find parents. */
typedef struct doge__review_work {
    uint32_t *words;
    uint32_t *primary;
    uint32_t **sh;
    uint32_t *nsh;
    uint32_t *parent;
} doge__review_work;

/* ---- clusters.c ----------------------------------------------------------- */

/* The root of x in the union-find forest (path halving). */
uint32_t doge__review_find(uint32_t *parent, uint32_t x);

/* Joins the sets of x and y; the lower root index becomes the root. */
void doge__review_union(uint32_t *parent, uint32_t x, uint32_t y);

/* Turns the forest into d->clusters (sets of at least two documents with
 * words), ordered largest first, and fills the cluster statistics.
 * DOGE_ENOMEM, DOGE_ELIMIT (the arena). */
int doge__review_build_clusters(doge_review_dedup *d, doge__review_work *w);

/* ---- normalise.c ---------------------------------------------------------- */

/* Normalises s[0..len) into out (which must hold len bytes; the result is
 * never longer): ASCII letters lower-cased, Latin-1 capitals in UTF-8
 * (À..Þ) lower-cased, digits and other non-ASCII bytes kept, every run of
 * ASCII punctuation, whitespace, control bytes and common Unicode
 * punctuation (U+00A0..U+00BF, U+2010..U+2027) folded into one space, no
 * leading or trailing space. Returns the length and sets *words. */
size_t doge__review_normalise(const char *s, size_t len, char *out, size_t *words);

/* What doge__review_shingle_text found in a text. */
typedef struct doge__review_text {
    size_t words;  /* in the normalised text */
    size_t nsh;    /* shingle hashes written */
    uint64_t hash; /* of the normalised text */
} doge__review_text;

/* The 32-bit hashes of the word k-grams (k from 1 to 16) of the normalised
 * form of s[0..len), in text order with repeats, into sh, which must hold
 * len / 2 + 2 entries (a text of fewer than k but at least one word is one
 * shingle), and a hash of the whole normalised text; the same for any two
 * texts with the same normalised form. An ASCII text is read in place;
 * another is normalised into norm (len bytes) first. bits is scratch of
 * len / 64 + 1 entries. seed varies every hash. */
void doge__review_shingle_text(const char *s, size_t len, unsigned k, uint64_t seed, char *norm,
                               uint64_t *bits, uint32_t *sh, doge__review_text *out);

/* Sorts v[0..n) and drops repeats; returns the new count. */
size_t doge__review_sort_unique(uint32_t *v, size_t n);

/* |A ∩ B| / |A ∪ B| of two sorted distinct arrays (1 when both are empty). */
double doge__review_jaccard(const uint32_t *a, size_t na, const uint32_t *b, size_t nb);

/* A 64-bit finaliser (murmur3 fmix64). */
static inline uint64_t doge__review_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* ---- minhash.c ------------------------------------------------------------ */

/* The MinHash functions: h_i(x) = a_i * x + b_i (mod 2^32), a_i odd, drawn
 * from the seed; bands of rows consecutive functions. */
typedef struct doge__review_minhash {
    unsigned hashes, bands, rows;
    uint64_t seed;
    uint32_t *a, *b; /* hashes entries each (malloc'd) */
} doge__review_minhash;

int doge__review_minhash_init(doge__review_minhash *m, unsigned hashes, unsigned bands,
                              uint64_t seed);
void doge__review_minhash_dispose(doge__review_minhash *m);

/* The bands' 32-bit hashes of the MinHash signature of the n shingles sh
 * (n >= 1): band t's hash goes to out[t * stride]; and the signature's
 * one-byte sketch (a hash of each minimum) to sketch[0..m->hashes). mins is
 * scratch of m->hashes entries. */
void doge__review_minhash_bands(const doge__review_minhash *m, const uint32_t *sh, size_t n,
                                uint32_t *mins, uint32_t *out, size_t stride, uint8_t *sketch);

/* ---- parallel.c ----------------------------------------------------------- */

/* Calls fn(ctx, t, lo, hi) for t in [0, threads) over a fixed split of
 * [0, n) into threads contiguous ranges, each on its own thread (range 0 on
 * the caller's); a range whose thread cannot be started runs on the caller's
 * after the others. fn reports failure through ctx. */
typedef void (*doge__review_range_fn)(void *ctx, unsigned t, size_t lo, size_t hi);
void doge__review_parallel(unsigned threads, size_t n, doge__review_range_fn fn, void *ctx);

/* ---- candidates.c --------------------------------------------------------- */

/* Buckets bigger than this check each member against a few leaders only. */
#define DOGE__REVIEW_BUCKET_CAP 32
#define DOGE__REVIEW_LEADERS 8

/* What candidate search reads: the signed documents docs[0..m) (indices
 * below 2^32, ascending); band t's hash of document i at sig[t * stride + i]
 * for t < bands; document i's one-byte MinHash sketch at
 * sketch[i * sketch_len]; and the fewest agreeing sketch bytes for a pair to
 * be kept. */
typedef struct doge__review_candidate_in {
    const uint32_t *sig;
    size_t stride;
    unsigned bands;
    const uint8_t *sketch;
    unsigned sketch_len;
    unsigned lower;
    const uint32_t *docs;
    size_t m;
} doge__review_candidate_in;

/* How many of the len bytes of a and b are equal. */
unsigned doge__review_sketch_agree(const uint8_t *a, const uint8_t *b, unsigned len);

/* The distinct candidate pairs (see candidates.c) as (uint64)lower index <<
 * 32 | higher index, sorted. *pairs is malloc'd (the caller frees it; NULL
 * when *npairs is 0). DOGE_ENOMEM. */
int doge__review_candidates(const doge__review_candidate_in *in, unsigned threads,
                            uint64_t **pairs, size_t *npairs);

#endif
