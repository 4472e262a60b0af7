/*
 * review_internal.h — what the review classifier's source files share: the
 * in-place tokenizer's token record, the lexicon of specificity words, the
 * hashed feature extractor, the specificity scorer with its fixed weights,
 * and the model's in-memory layout (a presence bitmap with rank counts over
 * the 2^bits buckets, then one row of int16 weights per non-zero bucket).
 * Never installed. Nothing here allocates except training and loading.
 */
#ifndef DOGE_REVIEW_INTERNAL_H
#define DOGE_REVIEW_INTERNAL_H

#include "doge/review_model.h"

#include <stddef.h>
#include <stdint.h>

/* ---- tokens (tokenize.c) ---------------------------------------------------- */

/* A word of the text: a maximal run of ASCII letters, digits or non-ASCII
 * bytes (apostrophes inside a word are skipped). */
enum {
    DOGE__TOK_DIGIT = 1 << 0,   /* holds a digit */
    DOGE__TOK_NUMBER = 1 << 1,  /* digits only (commas/points inside a number included) */
    DOGE__TOK_CAP = 1 << 2,     /* starts with an ASCII capital */
    DOGE__TOK_ALLCAPS = 1 << 3, /* two or more letters, all capitals */
    DOGE__TOK_START = 1 << 4,   /* first word of the text or of a sentence */
    DOGE__TOK_DATE = 1 << 5,    /* part of a numeric date (2/14, 2025-02-14) or a year */
    DOGE__TOK_PERCENT = 1 << 6, /* a number followed by '%' */
    DOGE__TOK_MONEY = 1 << 7,   /* a number after '$' */
    DOGE__TOK_ALPHA = 1 << 8    /* holds a letter */
};

typedef struct doge__review_token {
    uint32_t off;    /* byte offset in the text */
    uint16_t len;    /* bytes (long words are cut at 0xffff) */
    uint16_t flags;  /* DOGE__TOK_* */
    uint64_t hash;   /* FNV-1a of the lower-cased word, each digit run folded to '0' */
    uint64_t prefix; /* the same over the first DOGE__REVIEW_PREFIX bytes; 0 if shorter */
} doge__review_token;

#define DOGE__REVIEW_PREFIX 5

/* Splits text into at most cap words (the rest is ignored); returns the
 * count. Writes only tok[]. */
size_t doge__review_tokenize(const char *text, size_t len, doge__review_token *tok, size_t cap);

/* The FNV-1a hash the tokenizer gives a lower-case word (for the lexicon). */
uint64_t doge__review_word_hash(const char *word, size_t len);

/* ---- lexicon (lexicon.c) ---------------------------------------------------- */

enum {
    DOGE__LEX_DATE = 1 << 0,    /* month or weekday names */
    DOGE__LEX_VERB = 1 << 1,    /* completed-action verbs */
    DOGE__LEX_PEOPLE = 1 << 2,  /* people served (veterans, taxpayers) */
    DOGE__LEX_CASES = 1 << 3,   /* units of casework (claims, calls) */
    DOGE__LEX_OUTCOME = 1 << 4, /* outcome words (reduced, saved) */
    DOGE__LEX_VAGUE = 1 << 5,   /* filler (various, stuff) */
    DOGE__LEX_DELIV = 1 << 6,   /* deliverable nouns (report, memo) */
    DOGE__LEX_SERVE = 1 << 7,   /* verbs of serving someone (assisted, helped) */
    DOGE__LEX_PERIOD = 1 << 8,  /* fiscal periods when followed by digits (fy, q) */
    DOGE__LEX_COMMON = 1 << 9,  /* words often capitalised that are not names */
    DOGE__LEX_NUMWORD = 1 << 10 /* spelled-out counts (twelve, dozen) */
};

/* The lexicon flags of a word by its doge__review_word_hash (0: none). */
unsigned doge__review_lex(uint64_t hash);

/* The words of the lexicon with the given flag, for the documentation and
 * tests: calls fn for each. */
void doge__review_lex_each(unsigned flag, void (*fn)(void *ctx, const char *word), void *ctx);

/* ---- specificity (specificity.c) -------------------------------------------- */

typedef struct doge__review_spec_feature {
    uint32_t bit;
    const char *name;
    float weight;
} doge__review_spec_feature;

/* The fixed table of specificity features and weights (8 rows) and the
 * intercept. */
extern const doge__review_spec_feature doge__review_spec_table[8];
#define DOGE__REVIEW_SPEC_INTERCEPT (-1.0f)

/* The DOGE_REVIEW_SPEC_* bits of the tokens; when match is not NULL,
 * match[i] is the index of the first token that set bit i (-1: none). */
uint32_t doge__review_spec_flags(const doge__review_token *t, size_t nt, int match[8]);

/* The squashed score of a set of bits. */
float doge__review_spec_score(uint32_t bits);

/* ---- features (features.c) ------------------------------------------------- */

enum {
    DOGE__FEAT_BIAS = 0,
    DOGE__FEAT_WORD = 1,   /* a = token */
    DOGE__FEAT_BIGRAM = 2, /* a-1, a */
    DOGE__FEAT_FIRST = 3,  /* the first word */
    DOGE__FEAT_PREFIX = 4, /* the first DOGE__REVIEW_PREFIX bytes of a long word */
    DOGE__FEAT_SHAPE = 5   /* a = shape id (DOGE__SHAPE_*) */
};

enum {
    DOGE__SHAPE_WORDS_1 = 0, /* length classes: 1, 2-3, 4-7, 8-15, 16+ words */
    DOGE__SHAPE_WORDS_2,
    DOGE__SHAPE_WORDS_4,
    DOGE__SHAPE_WORDS_8,
    DOGE__SHAPE_WORDS_16,
    DOGE__SHAPE_SPEC0 /* + bit index of each DOGE_REVIEW_SPEC_* found */
};
#define DOGE__SHAPE_COUNT (DOGE__SHAPE_SPEC0 + 8)

typedef struct doge__review_feat {
    uint32_t bucket;
    uint16_t kind; /* DOGE__FEAT_* */
    uint16_t a;    /* token index or shape id */
} doge__review_feat;

/* Features per word at most, plus fixed ones: the bound for feature arrays. */
#define DOGE__REVIEW_MAX_FEATS (4 * DOGE_REVIEW_MAX_WORDS + 2 + DOGE__SHAPE_COUNT)

/* The features of tokenized text with its specificity bits into
 * out[DOGE__REVIEW_MAX_FEATS]; returns the count. */
size_t doge__review_features(const doge__review_token *t, size_t nt, uint32_t spec,
                             unsigned bits, doge__review_feat *out);

/* A readable name of a feature ("w:claims", "b:processed claims") into
 * buf; returns buf. */
const char *doge__review_feat_name(const doge__review_feat *f, const char *text,
                                   const doge__review_token *t, char *buf, size_t cap);

/* ---- the model (model.c, train.c, model_file.c) ----------------------------- */

#define DOGE__REVIEW_NCAT DOGE_REVIEW_NCATEGORIES

struct doge_review_model {
    doge_review_model_info info; /* opts (defaults filled), data hash, counts */
    unsigned bits;
    double scale;     /* weight = q * scale */
    uint64_t *bitmap; /* 2^bits presence bits */
    uint32_t *rank;   /* rows before each bitmap word */
    int16_t *rows;    /* rows x DOGE__REVIEW_NCAT */
    size_t nrows;
};

/* Builds the lookup from a dense float table (2^bits x NCAT), quantising
 * to int16; sets info.weights and info.rows. */
int doge__review_model_from_dense(doge_review_model *m, const float *w);

/* Allocates the bitmap and rank arrays of m (bits set) and rows for nrows. */
int doge__review_model_alloc(doge_review_model *m, size_t nrows);

/* Fills rank from bitmap. */
void doge__review_model_index(doge_review_model *m);

/* The row of a bucket, or NULL when it holds no weight. */
static inline const int16_t *doge__review_row(const doge_review_model *m, uint32_t b)
{
    uint64_t word = m->bitmap[b >> 6], bit = (uint64_t)1 << (b & 63);
    if (!(word & bit))
        return NULL;
    size_t r = m->rank[b >> 6] + (size_t)__builtin_popcountll(word & (bit - 1));
    return m->rows + r * DOGE__REVIEW_NCAT;
}

/* Fills the defaults of opts (NULL: all defaults) into *out and checks
 * the ranges. */
int doge__review_opts_resolve(const doge_review_train_opts *opts, doge_review_train_opts *out);

/* ---- the embedded labelled set (generated from data/review/bullets.tsv) ----- */

extern const unsigned char doge__review_bullets_tsv[];
extern const size_t doge__review_bullets_tsv_len;

/* Parses TSV text (label names errors "label:line") into a malloc'd block
 * of examples with the texts after them. */
int doge__review_examples_parse(const char *data, size_t len, const char *label,
                                doge_review_example **out, size_t *n);

#endif
