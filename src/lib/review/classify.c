/*
 * classify.c — one bullet through the model: tokenize in place, find the
 * specificity bits, hash the features, add up each present bucket's int16
 * row into nine integer sums, scale by the model's scale and take the
 * softmax. Everything lives on the stack,
 * so classify allocates nothing and many threads may share one model.
 * Explain repeats the same steps and reports, as JSON, the probabilities,
 * the features that pushed the chosen category most with their weights
 * (their contribution to its score), and each specificity feature found
 * with the word that matched it and its fixed weight.
 */
#include "id/id_internal.h"
#include "internal.h"
#include "review/review_internal.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(DOGE__REVIEW_NCAT == 9, "run() sums nine categories by hand");

/* Features explain lists at most. */
#define EXPLAIN_TOP 12

typedef struct scored {
    size_t nt, nf;
    uint32_t spec;
    float probs[DOGE__REVIEW_NCAT];
    int best;
} scored;

static void run(const doge_review_model *m, const char *text, size_t len,
                doge__review_token *tok, doge__review_feat *f, int match[8], scored *s)
{
    s->nt = doge__review_tokenize(text, len, tok, DOGE_REVIEW_MAX_WORDS);
    s->spec = doge__review_spec_flags(tok, s->nt, match);
    s->nf = doge__review_features(tok, s->nt, s->spec, m->bits, f);
    /* Nine sums in registers (a loop over c would keep them in memory). */
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0;
    for (size_t i = 0; i < s->nf; i++) {
        const int16_t *r = doge__review_row(m, f[i].bucket);
        if (!r)
            continue;
        a0 += r[0], a1 += r[1], a2 += r[2], a3 += r[3], a4 += r[4];
        a5 += r[5], a6 += r[6], a7 += r[7], a8 += r[8];
    }
    const int32_t acc[DOGE__REVIEW_NCAT] = {a0, a1, a2, a3, a4, a5, a6, a7, a8};
    float k = (float)m->scale, mx = -INFINITY, sum = 0.0f;
    float z[DOGE__REVIEW_NCAT];
    for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
        z[c] = (float)acc[c] * k;
        if (z[c] > mx)
            mx = z[c];
    }
    for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
        z[c] = expf(z[c] - mx);
        sum += z[c];
    }
    s->best = 0;
    for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
        s->probs[c] = z[c] / sum;
        if (s->probs[c] > s->probs[s->best])
            s->best = c;
    }
}

int doge_review_classify(const doge_review_model *m, const char *text, size_t len,
                         doge_review_result *out)
{
    if (!m || !out || (!text && len))
        return doge__error_set(DOGE_EINVAL, "review classify: no model, text or result");
    doge__review_token tok[DOGE_REVIEW_MAX_WORDS];
    doge__review_feat f[DOGE__REVIEW_MAX_FEATS];
    scored s;
    run(m, text ? text : "", len, tok, f, NULL, &s);
    out->category = s.best;
    out->confidence = s.probs[s.best];
    memcpy(out->probs, s.probs, sizeof out->probs);
    out->spec_features = s.spec;
    out->specificity = doge__review_spec_score(s.spec);
    return DOGE_OK;
}

typedef struct contrib {
    char name[128];
    double weight;
} contrib;

static int by_weight(const void *a, const void *b)
{
    const contrib *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->name, y->name);
}

static double round4(double v)
{
    return round(v * 10000.0) / 10000.0;
}

int doge_review_explain(const doge_review_model *m, const char *text, size_t len, json_t **out)
{
    *out = NULL;
    if (!m || (!text && len))
        return doge__error_set(DOGE_EINVAL, "review explain: no model or text");
    if (!text)
        text = "";
    if (!doge__utf8_valid(text, len))
        return doge__error_set(DOGE_EINVAL, "review explain: the text is not valid UTF-8");
    doge__review_token tok[DOGE_REVIEW_MAX_WORDS];
    doge__review_feat f[DOGE__REVIEW_MAX_FEATS];
    int match[8];
    scored s;
    run(m, text, len, tok, f, match, &s);
    contrib *c = calloc(s.nf ? s.nf : 1, sizeof *c);
    if (!c)
        return doge__error_oom();
    /* Each feature's contribution to the chosen category, duplicates summed. */
    size_t nc = 0;
    for (size_t i = 0; i < s.nf; i++) {
        const int16_t *row = doge__review_row(m, f[i].bucket);
        if (!row || row[s.best] <= 0)
            continue; /* only what pushed toward the chosen category */
        char name[128];
        doge__review_feat_name(&f[i], text, tok, name, sizeof name);
        double w = (double)row[s.best] * m->scale;
        size_t j = 0;
        while (j < nc && strcmp(c[j].name, name) != 0)
            j++;
        if (j == nc) {
            memcpy(c[nc].name, name, sizeof name);
            c[nc++].weight = 0.0;
        }
        c[j].weight += w;
    }
    qsort(c, nc, sizeof *c, by_weight);
    json_t *o = json_object(), *probs = json_object(), *feats = json_array(),
           *ev = json_array();
    int bad = !o || !probs || !feats || !ev;
    bad |= json_object_set_new(o, "text", json_stringn(text, len)) != 0;
    bad |= json_object_set_new(o, "category",
                               json_string(doge_review_category_name(s.best))) != 0;
    bad |= json_object_set_new(o, "confidence", json_real(round4(s.probs[s.best]))) != 0;
    for (int k = 0; k < DOGE__REVIEW_NCAT; k++)
        bad |= json_object_set_new(probs, doge_review_category_name(k),
                                   json_real(round4(s.probs[k]))) != 0;
    bad |= json_object_set_new(o, "probs", probs) != 0;
    for (size_t j = 0; j < nc && j < EXPLAIN_TOP; j++) {
        json_t *e = json_object();
        bad |= !e;
        bad |= json_object_set_new(e, "feature", json_string(c[j].name)) != 0;
        bad |= json_object_set_new(e, "weight", json_real(round4(c[j].weight))) != 0;
        bad |= json_array_append_new(feats, e) != 0;
    }
    bad |= json_object_set_new(o, "features", feats) != 0;
    float spec = doge__review_spec_score(s.spec);
    bad |= json_object_set_new(o, "specificity", json_real(round4(spec))) != 0;
    bad |= json_object_set_new(o, "specificity_intercept",
                               json_real(DOGE__REVIEW_SPEC_INTERCEPT)) != 0;
    for (int b = 0; b < 8; b++) {
        const doge__review_spec_feature *sf = &doge__review_spec_table[b];
        if (!(s.spec & sf->bit))
            continue;
        json_t *e = json_object();
        bad |= !e;
        bad |= json_object_set_new(e, "feature", json_string(sf->name)) != 0;
        int t = match[b];
        json_t *matched = t >= 0 && (size_t)t < s.nt
                              ? json_stringn(text + tok[t].off, tok[t].len)
                              : json_string("");
        bad |= json_object_set_new(e, "matched", matched ? matched : json_string("")) != 0;
        bad |= json_object_set_new(e, "weight", json_real(round4(sf->weight))) != 0;
        bad |= json_array_append_new(ev, e) != 0;
    }
    bad |= json_object_set_new(o, "specificity_evidence", ev) != 0;
    free(c);
    if (bad) {
        json_decref(o);
        return doge__error_oom();
    }
    *out = o;
    return DOGE_OK;
}
