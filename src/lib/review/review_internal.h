/*
 * review_internal.h — what the review classifier's source files share: the
 * in-place tokenizer's token record, the lexicon of specificity words, the
 * hashed feature extractor, the specificity scorer with its fixed weights,
 * and the model's in-memory layout (a presence bit per bucket with rank
 * counts over the 2^bits buckets, then one row of int16 weights per
 * non-zero bucket).
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
    uint64_t hash;   /* of the lower-cased word, each digit run folded to '0' */
    uint64_t prefix; /* the same over the first DOGE__REVIEW_PREFIX bytes; 0 if shorter */
} doge__review_token;

#define DOGE__REVIEW_PREFIX 5

/* Splits text into at most cap words (the rest is ignored); returns the
 * count. Writes only tok[]. */
size_t doge__review_tokenize(const char *text, size_t len, doge__review_token *tok, size_t cap);

/* The hash the tokenizer gives a word (for the lexicon). */
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

/* The lexicon's table, built on first use (thread-safe): a 1 KiB filter
 * with one bit per word hash (most words are in no list, and the filter
 * stays in the first-level cache), then the word hashes by open addressing
 * (0: an empty slot) and each slot's flags. Look words up with
 * doge__review_lex_find. */
#define DOGE__REVIEW_LEX_SLOTS 2048u /* a power of two, about 4 times the words listed */
#define DOGE__REVIEW_LEX_FILTER 8192u /* bits */

typedef struct doge__review_lex_table {
    uint64_t filter[DOGE__REVIEW_LEX_FILTER / 64];
    uint64_t hash[DOGE__REVIEW_LEX_SLOTS];
    uint16_t flags[DOGE__REVIEW_LEX_SLOTS];
    uint64_t hash_n, hash_a; /* the words "n" and "a", for "N/A" */
} doge__review_lex_table_t;

const doge__review_lex_table_t *doge__review_lex_table(void);

/* The lexicon flags of a word by its doge__review_word_hash (0: none). */
static inline unsigned doge__review_lex_find(const doge__review_lex_table_t *t, uint64_t hash)
{
    uint32_t f = (uint32_t)hash & (DOGE__REVIEW_LEX_FILTER - 1);
    if (!(t->filter[f >> 6] & ((uint64_t)1 << (f & 63))))
        return 0;
    for (uint32_t i = (uint32_t)(hash >> 40) & (DOGE__REVIEW_LEX_SLOTS - 1);;
         i = (i + 1) & (DOGE__REVIEW_LEX_SLOTS - 1)) {
        if (t->hash[i] == hash)
            return t->flags[i];
        if (t->hash[i] == 0)
            return 0;
    }
}

/* The same, building the table first if needed. */
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

/* 64 buckets: which hold a row, and how many rows come before them (side
 * by side, so that a lookup touches one cache line). */
typedef struct doge__review_block {
    uint64_t bits;
    uint64_t rank;
} doge__review_block;

struct doge_review_model {
    doge_review_model_info info; /* opts (defaults filled), data hash, counts */
    unsigned bits;
    double scale;               /* weight = q * scale */
    doge__review_block *blocks; /* 2^bits / 64 */
    int16_t *rows;              /* rows x DOGE__REVIEW_NCAT */
    size_t nrows;
};

/* Builds the lookup from a dense float table (2^bits x NCAT), quantising
 * to int16; sets info.weights and info.rows. */
int doge__review_model_from_dense(doge_review_model *m, const float *w);

/* Allocates the blocks of m (bits set) and rows for nrows. */
int doge__review_model_alloc(doge_review_model *m, size_t nrows);

/* Fills each block's rank from the bits. */
void doge__review_model_index(doge_review_model *m);

/* Bits set in x: the SWAR count, inline (the portable build has no
 * popcount instruction and __builtin_popcountll becomes a library call). */
static inline unsigned doge__review_popcount(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* The row of a bucket, or NULL when it holds no weight. */
static inline const int16_t *doge__review_row(const doge_review_model *m, uint32_t b)
{
    const doge__review_block *k = &m->blocks[b >> 6];
    uint64_t word = k->bits, bit = (uint64_t)1 << (b & 63);
    if (!(word & bit))
        return NULL;
    size_t r = (size_t)k->rank + doge__review_popcount(word & (bit - 1));
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
