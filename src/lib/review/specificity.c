/*
 * specificity.c — how specific a bullet is, from observable features of its
 * words: a number or count, a date (a month, weekday, fiscal period, numeric
 * date or year), a named deliverable (an acronym, a capitalised name inside
 * a sentence, an identifier mixing letters and digits, or a deliverable noun
 * such as "memo"), a completed-action verb, people or cases served (a count
 * followed within four words by people or casework, or a verb of serving
 * followed by people), an outcome (a result word, a percentage or an
 * amount of money); and against it vague filler and a text of fewer than
 * three words. The score is the logistic squash of a fixed linear sum: the
 * intercept plus the weight of every feature found (docs/review.md).
 */
#include "review/review_internal.h"

#include <math.h>
#include <stddef.h>

const doge__review_spec_feature doge__review_spec_table[8] = {
    {DOGE_REVIEW_SPEC_NUMBER, "number", 1.0f},
    {DOGE_REVIEW_SPEC_DATE, "date", 0.6f},
    {DOGE_REVIEW_SPEC_DELIVERABLE, "deliverable", 0.8f},
    {DOGE_REVIEW_SPEC_VERB, "completed_verb", 0.6f},
    {DOGE_REVIEW_SPEC_PEOPLE, "people_served", 0.9f},
    {DOGE_REVIEW_SPEC_OUTCOME, "outcome", 0.8f},
    {DOGE_REVIEW_SPEC_VAGUE, "vague", -1.6f},
    {DOGE_REVIEW_SPEC_SHORT, "short", -1.5f},
};

/* How many words after a count or a verb of serving people may follow. */
#define PEOPLE_WINDOW 4

static void set(uint32_t *bits, int match[8], int bit_index, size_t tok)
{
    uint32_t bit = 1u << bit_index;
    if (!(*bits & bit) && match)
        match[bit_index] = tok == (size_t)-1 ? -1 : (int)tok;
    *bits |= bit;
}

uint32_t doge__review_spec_flags(const doge__review_token *t, size_t nt, int match[8])
{
    uint32_t bits = 0;
    if (match)
        for (int i = 0; i < 8; i++)
            match[i] = -1;
    size_t count_at = (size_t)-1, serve_at = (size_t)-1;
    const doge__review_lex_table_t *table = doge__review_lex_table();
    const uint64_t h_n = table->hash_n, h_a = table->hash_a;
    for (size_t i = 0; i < nt; i++) {
        unsigned f = t[i].flags;
        unsigned lex = doge__review_lex_find(table, t[i].hash);
        int is_count = 0;
        if (f & DOGE__TOK_NUMBER) {
            if (f & DOGE__TOK_DATE) {
                set(&bits, match, 1, i);
            } else {
                set(&bits, match, 0, i);
                is_count = !(f & (DOGE__TOK_PERCENT | DOGE__TOK_MONEY));
            }
            if (f & (DOGE__TOK_PERCENT | DOGE__TOK_MONEY))
                set(&bits, match, 5, i);
        } else if (lex & DOGE__LEX_NUMWORD) {
            set(&bits, match, 0, i);
            is_count = 1;
        }
        if (lex & (DOGE__LEX_DATE | DOGE__LEX_PERIOD))
            set(&bits, match, 1, i);
        /* Deliverables: acronyms, names inside a sentence, identifiers. */
        if (lex & DOGE__LEX_DELIV)
            set(&bits, match, 2, i);
        else if (!(lex & (DOGE__LEX_COMMON | DOGE__LEX_PERIOD | DOGE__LEX_DATE))) {
            if ((f & DOGE__TOK_ALLCAPS) ||
                ((f & DOGE__TOK_CAP) && !(f & DOGE__TOK_START) && t[i].len > 1) ||
                ((f & DOGE__TOK_ALPHA) && (f & DOGE__TOK_DIGIT)))
                set(&bits, match, 2, i);
        }
        if (lex & DOGE__LEX_VERB)
            set(&bits, match, 3, i);
        if ((lex & (DOGE__LEX_PEOPLE | DOGE__LEX_CASES)) && count_at != (size_t)-1 &&
            i - count_at <= PEOPLE_WINDOW)
            set(&bits, match, 4, i);
        else if ((lex & DOGE__LEX_PEOPLE) && serve_at != (size_t)-1 && i - serve_at <= PEOPLE_WINDOW)
            set(&bits, match, 4, i);
        if (lex & DOGE__LEX_OUTCOME)
            set(&bits, match, 5, i);
        if (lex & DOGE__LEX_VAGUE)
            set(&bits, match, 6, i);
        /* "N/A" is two words, n and a. */
        if (t[i].hash == h_a && i > 0 && t[i - 1].hash == h_n && t[i - 1].len == 1 &&
            t[i].off == t[i - 1].off + 2)
            set(&bits, match, 6, i - 1);
        if (is_count)
            count_at = i;
        if (lex & DOGE__LEX_SERVE)
            serve_at = i;
    }
    if (nt < 3)
        set(&bits, match, 7, nt ? 0 : (size_t)-1);
    return bits;
}

float doge__review_spec_score(uint32_t bits)
{
    float z = DOGE__REVIEW_SPEC_INTERCEPT;
    for (int i = 0; i < 8; i++)
        if (bits & doge__review_spec_table[i].bit)
            z += doge__review_spec_table[i].weight;
    return 1.0f / (1.0f + expf(-z));
}

float doge_review_specificity(const char *text, size_t len, uint32_t *features)
{
    doge__review_token tok[DOGE_REVIEW_MAX_WORDS];
    size_t nt = text ? doge__review_tokenize(text, len, tok, DOGE_REVIEW_MAX_WORDS) : 0;
    uint32_t bits = doge__review_spec_flags(tok, nt, NULL);
    if (features)
        *features = bits;
    return doge__review_spec_score(bits);
}

const char *doge_review_spec_name(uint32_t bit)
{
    for (int i = 0; i < 8; i++)
        if (doge__review_spec_table[i].bit == bit)
            return doge__review_spec_table[i].name;
    return NULL;
}
