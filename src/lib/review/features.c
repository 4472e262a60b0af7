/*
 * features.c — the classifier's hashed features of a tokenized bullet: a
 * bias, every word, every pair of neighbouring words, the first word, the
 * first five letters of every word of six or more letters (so "inspected",
 * "inspection" and "inspections" share one), the length class of the text
 * and one feature per specificity bit found. Each feature's 64-bit hash is
 * (already well mixed by the tokenizer) is salted by its kind and multiplied
 * by an odd constant, and the product's top bits pick one of 2^bits
 * buckets. Also the readable name of a feature for explain.
 */
#include "review/review_internal.h"

#include <stdio.h>
#include <string.h>

/* Salts per kind (arbitrary odd constants; changing one changes every
 * model, so the model file's version must change with them). */
static const uint64_t salts[] = {
    0x9e3779b97f4a7c15ull, /* bias */
    0xbf58476d1ce4e5b9ull, /* word */
    0x94d049bb133111ebull, /* bigram */
    0x2545f4914f6cdd1dull, /* first */
    0xd6e8feb86659fd93ull, /* prefix */
    0xa0761d6478bd642full, /* shape */
};

static inline uint32_t bucket(uint64_t h, unsigned kind, unsigned bits)
{
    return (uint32_t)(((h ^ salts[kind]) * 0xc4ceb9fe1a85ec53ull) >> (64 - bits));
}

static inline doge__review_feat feat(uint64_t h, unsigned kind, size_t a, unsigned bits)
{
    doge__review_feat f;
    f.bucket = bucket(h, kind, bits);
    f.kind = (uint16_t)kind;
    f.a = (uint16_t)a;
    return f;
}

size_t doge__review_features(const doge__review_token *t, size_t nt, uint32_t spec,
                             unsigned bits, doge__review_feat *out)
{
    size_t n = 0;
    out[n++] = feat(0, DOGE__FEAT_BIAS, 0, bits);
    for (size_t i = 0; i < nt; i++) {
        uint64_t h = t[i].hash;
        out[n++] = feat(h, DOGE__FEAT_WORD, i, bits);
        if (i == 0)
            out[n++] = feat(h, DOGE__FEAT_FIRST, i, bits);
        else
            out[n++] = feat(t[i - 1].hash * 0x9e3779b97f4a7c15ull + (h >> 7 | h << 57),
                            DOGE__FEAT_BIGRAM, i, bits);
        if (t[i].prefix)
            out[n++] = feat(t[i].prefix, DOGE__FEAT_PREFIX, i, bits);
    }
    unsigned shape = nt <= 1 ? DOGE__SHAPE_WORDS_1
                     : nt <= 3 ? DOGE__SHAPE_WORDS_2
                     : nt <= 7 ? DOGE__SHAPE_WORDS_4
                     : nt <= 15 ? DOGE__SHAPE_WORDS_8
                               : DOGE__SHAPE_WORDS_16;
    out[n++] = feat(shape, DOGE__FEAT_SHAPE, shape, bits);
    for (unsigned b = 0; b < 8; b++)
        if (spec & (1u << b))
            out[n++] = feat(DOGE__SHAPE_SPEC0 + b, DOGE__FEAT_SHAPE, DOGE__SHAPE_SPEC0 + b, bits);
    return n;
}

/* Appends the word as the features see it: lower case, apostrophes
 * dropped, each digit run as '#'. */
static size_t put_word(char *buf, size_t cap, size_t at, const char *text,
                       const doge__review_token *t, size_t limit)
{
    const unsigned char *s = (const unsigned char *)text + t->off;
    size_t emitted = 0;
    int in_digits = 0;
    for (size_t i = 0; i < t->len && at + 1 < cap && emitted < limit; i++) {
        unsigned char c = s[i];
        if (c >= '0' && c <= '9') {
            if (!in_digits) {
                buf[at++] = '#';
                emitted++;
            }
            in_digits = 1;
            continue;
        }
        if ((c == ',' || c == '.') && in_digits)
            continue;
        if (c == '\'')
            continue;
        if (c == 0xE2 && i + 2 < t->len && s[i + 1] == 0x80 && s[i + 2] == 0x99) {
            i += 2;
            continue;
        }
        in_digits = 0;
        buf[at++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        emitted++;
    }
    buf[at] = '\0';
    return at;
}

static const char *const shape_names[] = {"words_1", "words_2_3", "words_4_7", "words_8_15",
                                          "words_16_plus"};

const char *doge__review_feat_name(const doge__review_feat *f, const char *text,
                                   const doge__review_token *t, char *buf, size_t cap)
{
    size_t at;
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    switch (f->kind) {
    case DOGE__FEAT_BIAS:
        snprintf(buf, cap, "bias");
        break;
    case DOGE__FEAT_WORD:
        at = (size_t)snprintf(buf, cap, "w:");
        put_word(buf, cap, at, text, &t[f->a], (size_t)-1);
        break;
    case DOGE__FEAT_FIRST:
        at = (size_t)snprintf(buf, cap, "first:");
        put_word(buf, cap, at, text, &t[f->a], (size_t)-1);
        break;
    case DOGE__FEAT_BIGRAM:
        at = (size_t)snprintf(buf, cap, "b:");
        at = put_word(buf, cap, at, text, &t[f->a - 1], (size_t)-1);
        if (at + 1 < cap) {
            buf[at++] = ' ';
            buf[at] = '\0';
        }
        put_word(buf, cap, at, text, &t[f->a], (size_t)-1);
        break;
    case DOGE__FEAT_PREFIX:
        at = (size_t)snprintf(buf, cap, "p:");
        at = put_word(buf, cap, at, text, &t[f->a], DOGE__REVIEW_PREFIX);
        if (at + 1 < cap) {
            buf[at++] = '*';
            buf[at] = '\0';
        }
        break;
    case DOGE__FEAT_SHAPE:
        if (f->a < DOGE__SHAPE_SPEC0)
            snprintf(buf, cap, "shape:%s", shape_names[f->a]);
        else
            snprintf(buf, cap, "spec:%s",
                     doge_review_spec_name(1u << (f->a - DOGE__SHAPE_SPEC0)));
        break;
    default:
        snprintf(buf, cap, "?");
    }
    /* A name cut at cap must not end inside a UTF-8 sequence. */
    size_t n = strlen(buf), k = n;
    while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
        k--;
    if (k > 0 && (unsigned char)buf[k - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)buf[k - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (k - 1) < need)
            buf[k - 1] = '\0';
    }
    return buf;
}
