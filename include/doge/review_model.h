/*
 * doge/review_model.h — the explainable per-bullet classifier of the review
 * pillar: a category from a fixed, documented taxonomy (docs/review.md) and a
 * specificity score in [0,1], each with the evidence that drove it.
 *
 * Category: multinomial logistic regression over hashed features (lower-cased
 * word unigrams and bigrams, plus a few shape features such as "has a
 * number"), trained deterministically for a seed from a labelled set. The
 * project ships its labelled set (data/review/bullets.tsv, embedded into the
 * library at build time, so training works without a source tree).
 * Specificity: a small, documented linear score over observable features of
 * the text (a number or count, a named deliverable or proper noun, a
 * completed-action verb, a date, people served, an outcome), squashed to
 * [0,1]; its weights are fixed in the code and printed by explain.
 *
 * Ownership: a doge_review_model made by train or load belongs to the caller
 * and is released with doge_review_model_free() (NULL is fine). A model is
 * read-only after it is made: doge_review_classify() may be called from many
 * threads at once on one model, allocates nothing, and writes only *out.
 * JSON made by doge_review_explain() belongs to the caller (json_decref).
 * Example arrays passed to train stay the caller's.
 */
#ifndef DOGE_REVIEW_MODEL_H
#define DOGE_REVIEW_MODEL_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The taxonomy (docs/review.md explains each with examples). The numeric
 * values are stored in the database and the model file: append only. */
typedef enum doge_review_category {
    DOGE_REVIEW_MISSION = 0,      /* mission_delivery */
    DOGE_REVIEW_SERVICE = 1,      /* service_to_public */
    DOGE_REVIEW_OVERSIGHT = 2,    /* oversight_compliance */
    DOGE_REVIEW_COORDINATION = 3, /* coordination_meetings */
    DOGE_REVIEW_ADMIN = 4,        /* administrative */
    DOGE_REVIEW_IT_OPS = 5,       /* it_operations */
    DOGE_REVIEW_TRAINING = 6,     /* training_development */
    DOGE_REVIEW_LEAVE = 7,        /* leave_absence */
    DOGE_REVIEW_UNSPECIFIED = 8,  /* unspecified */
    DOGE_REVIEW_NCATEGORIES = 9
} doge_review_category;

/* The stable snake_case name of a category ("mission_delivery"), or NULL. */
DOGE_EXTERN const char *doge_review_category_name(int category);
/* A category from its name; DOGE_EINVAL for an unknown name. */
DOGE_EXTERN int doge_review_category_parse(const char *name, int *category);

/* A labelled bullet. */
typedef struct doge_review_example {
    const char *text;
    int category;
} doge_review_example;

/* Training options; zero-initialised fields take the defaults shown. */
typedef struct doge_review_train_opts {
    uint64_t seed;      /* shuffling and the split: default 1 */
    int epochs;         /* default 30 */
    double l2;          /* L2 penalty: default 1e-4 */
    double learn_rate;  /* initial SGD step: default 0.5 */
    unsigned hash_bits; /* feature space 2^bits: 12..24, default 18 */
    double test_share;  /* held-out share in [0,1): default 0 (train on all) */
} doge_review_train_opts;

/* The workspace file `doge review train` writes and the other review
 * commands load, relative to the workspace folder. */
#define DOGE_REVIEW_MODEL_FILE "review/model.bin"

typedef struct doge_review_model doge_review_model;

/* The labelled set shipped with doge (embedded copy of
 * data/review/bullets.tsv): *out points at static storage, *n examples. */
DOGE_EXTERN int doge_review_builtin_examples(const doge_review_example **out, size_t *n);

/* Reads a labelled TSV file ("category<TAB>text" per line, '#' comments);
 * errors name file:line. *out is malloc'd (texts in the same block): free()
 * it. */
DOGE_EXTERN int doge_review_examples_read(const char *path, doge_review_example **out,
                                          size_t *n);

/* Splits examples deterministically for seed into train and held-out test
 * parts (test_share in (0,1), stratified by category). idx_train/idx_test
 * are malloc'd index arrays: free() them. */
DOGE_EXTERN int doge_review_split(const doge_review_example *ex, size_t n, uint64_t seed,
                                  double test_share, size_t **idx_train, size_t *n_train,
                                  size_t **idx_test, size_t *n_test);

/* A 64-bit fingerprint of a labelled set (categories and texts, in order):
 * the model records the one it was trained from. */
DOGE_EXTERN uint64_t doge_review_examples_hash(const doge_review_example *ex, size_t n);

/* Trains a model (opts may be NULL: all defaults). With opts->test_share
 * > 0 it first splits the examples (doge_review_split with opts->seed) and
 * trains on the training part only; the model records the set's hash and
 * size, the seed and the share, so doge_review_model_heldout() re-creates
 * the same held-out part later. Deterministic: the same examples and
 * options give the same model, byte for byte once saved. */
DOGE_EXTERN int doge_review_model_train(doge_review_model **out,
                                        const doge_review_example *ex, size_t n,
                                        const doge_review_train_opts *opts);

/* What a model records about how it was made. */
typedef struct doge_review_model_info {
    doge_review_train_opts opts; /* with the defaults filled in */
    uint64_t data_hash;          /* doge_review_examples_hash of the whole set */
    size_t data_count;           /* examples in the whole set */
    size_t train_count;          /* of which trained on */
    size_t weights;              /* non-zero weights stored */
    size_t rows;                 /* feature buckets with a non-zero weight */
} doge_review_model_info;

DOGE_EXTERN void doge_review_model_get_info(const doge_review_model *m,
                                            doge_review_model_info *out);

/* The held-out indices of the set the model was trained from (malloc'd
 * array, free() it; *n may be 0 when trained with no test share).
 * DOGE_EINVAL when ex/n is not that set (another hash or size). */
DOGE_EXTERN int doge_review_model_heldout(const doge_review_model *m,
                                          const doge_review_example *ex, size_t n,
                                          size_t **idx, size_t *n_idx);

/* Saves/loads the model file (a small binary file with a magic, version,
 * options, the training set's hash, the split and the non-zero weights;
 * docs/review.md gives the layout). Save creates missing parent folders
 * and replaces the file atomically. Load checks all of it: DOGE_ENOTFOUND
 * when the file does not exist, DOGE_EINVAL naming the file when it is
 * truncated, corrupt or of another version. */
DOGE_EXTERN int doge_review_model_save(const doge_review_model *m, const char *path);
DOGE_EXTERN int doge_review_model_load(doge_review_model **out, const char *path);
DOGE_EXTERN void doge_review_model_free(doge_review_model *m);

/* The outcome for one bullet. */
typedef struct doge_review_result {
    int category;                          /* argmax */
    float confidence;                      /* its probability */
    float probs[DOGE_REVIEW_NCATEGORIES];
    float specificity;                     /* [0,1] */
    uint32_t spec_features;                /* DOGE_REVIEW_SPEC_* bits found */
} doge_review_result;

/* Specificity features (bits of spec_features). */
#define DOGE_REVIEW_SPEC_NUMBER     (1u << 0) /* a number or count */
#define DOGE_REVIEW_SPEC_DATE       (1u << 1) /* a date or weekday */
#define DOGE_REVIEW_SPEC_DELIVERABLE (1u << 2) /* a named deliverable / proper noun / ID */
#define DOGE_REVIEW_SPEC_VERB       (1u << 3) /* a completed-action verb */
#define DOGE_REVIEW_SPEC_PEOPLE     (1u << 4) /* people or cases served */
#define DOGE_REVIEW_SPEC_OUTCOME    (1u << 5) /* an outcome or result */
#define DOGE_REVIEW_SPEC_VAGUE      (1u << 6) /* vague filler ("worked on stuff") */
#define DOGE_REVIEW_SPEC_SHORT      (1u << 7) /* too short to say anything */

/* The specificity of len bytes of text alone (no model needed): the score
 * in [0,1] and, when features is not NULL, the DOGE_REVIEW_SPEC_* bits
 * found. The same score doge_review_classify() gives. Allocation-free. */
DOGE_EXTERN float doge_review_specificity(const char *text, size_t len, uint32_t *features);

/* The stable name of one DOGE_REVIEW_SPEC_* bit ("number"), or NULL. */
DOGE_EXTERN const char *doge_review_spec_name(uint32_t bit);

/* Classifies len bytes of UTF-8 text. Thread-safe, allocation-free. Only
 * the first DOGE_REVIEW_MAX_WORDS words count. */
#define DOGE_REVIEW_MAX_WORDS 256
DOGE_EXTERN int doge_review_classify(const doge_review_model *m, const char *text, size_t len,
                                     doge_review_result *out);

/* The evidence for one bullet as JSON: {"text", "category", "confidence",
 * "probs":{name:p}, "features":[{"feature","weight"}...] (the terms that
 * pushed the chosen category most, with their weights), "specificity",
 * "specificity_evidence":[{"feature","matched","weight"}...]}. */
struct json_t;
DOGE_EXTERN int doge_review_explain(const doge_review_model *m, const char *text, size_t len,
                                    struct json_t **out);

/* Per-class precision/recall/F1, macro-F1 and the confusion matrix
 * (confusion[truth][predicted]) of the model on the examples ex[idx[i]]
 * for i < n (idx NULL: the first n examples). */
typedef struct doge_review_eval {
    size_t n;
    double accuracy;
    double macro_f1;
    double precision[DOGE_REVIEW_NCATEGORIES];
    double recall[DOGE_REVIEW_NCATEGORIES];
    double f1[DOGE_REVIEW_NCATEGORIES];
    size_t support[DOGE_REVIEW_NCATEGORIES];
    size_t confusion[DOGE_REVIEW_NCATEGORIES][DOGE_REVIEW_NCATEGORIES];
} doge_review_eval;

DOGE_EXTERN int doge_review_evaluate(const doge_review_model *m, const doge_review_example *ex,
                                     const size_t *idx, size_t n, doge_review_eval *out);

#ifdef __cplusplus
}
#endif
#endif
