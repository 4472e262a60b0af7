/*
 * train.c — trains the classifier: multinomial logistic regression over the
 * hashed features, by stochastic gradient descent on the cross-entropy with
 * an L2 penalty. Every example's features are hashed once; each of `epochs`
 * passes visits the training examples in an order shuffled by the seed, and
 * the step size follows Bottou's schedule lr / (1 + lr * l2 * t). The L2
 * decay is exact and cheap: the weights are kept as w = s * v and a decay
 * step only multiplies s. Every feature present has the value 1 (a word
 * twice counts twice), so a category's score is the plain sum of its
 * weights, which is what explain shows. The result is quantised into the
 * compact model (model.c). Deterministic for the examples and options.
 */
#include "internal.h"
#include "review/review_internal.h"

#include "doge/synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NCAT DOGE__REVIEW_NCAT

typedef struct hashed {
    uint32_t *buckets; /* all examples' features, back to back */
    size_t *start;     /* example i: buckets[start[i] .. start[i+1]) */
} hashed;

static int hash_all(const doge_review_example *ex, const size_t *idx, size_t n, unsigned bits,
                    hashed *h)
{
    doge__review_token tok[DOGE_REVIEW_MAX_WORDS];
    doge__review_feat f[DOGE__REVIEW_MAX_FEATS];
    size_t total = 0, cap = n * 32 + 64;
    h->start = malloc((n + 1) * sizeof *h->start);
    h->buckets = malloc(cap * sizeof *h->buckets);
    if (!h->start || !h->buckets)
        return doge__error_oom();
    for (size_t i = 0; i < n; i++) {
        const char *text = ex[idx[i]].text;
        size_t len = strlen(text);
        size_t nt = doge__review_tokenize(text, len, tok, DOGE_REVIEW_MAX_WORDS);
        uint32_t spec = doge__review_spec_flags(tok, nt, NULL);
        size_t nf = doge__review_features(tok, nt, spec, bits, f);
        if (total + nf > cap) {
            size_t ncap = (total + nf) * 2;
            uint32_t *nb = realloc(h->buckets, ncap * sizeof *nb);
            if (!nb)
                return doge__error_oom();
            h->buckets = nb;
            cap = ncap;
        }
        h->start[i] = total;
        for (size_t k = 0; k < nf; k++)
            h->buckets[total++] = f[k].bucket;
    }
    h->start[n] = total;
    return DOGE_OK;
}

/* Softmax of z in place. */
static void softmax(double *z)
{
    double mx = z[0], sum = 0.0;
    for (int c = 1; c < NCAT; c++)
        if (z[c] > mx)
            mx = z[c];
    for (int c = 0; c < NCAT; c++) {
        z[c] = exp(z[c] - mx);
        sum += z[c];
    }
    for (int c = 0; c < NCAT; c++)
        z[c] /= sum;
}

static int sgd(const doge_review_example *ex, const size_t *idx, size_t n, const hashed *h,
               const doge_review_train_opts *o, float *v)
{
    size_t buckets = (size_t)1 << o->hash_bits;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return doge__error_oom();
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    doge_synth_rng rng;
    doge_synth_rng_seed(&rng, o->seed ^ 0x5eed5eed5eed5eedull);
    double s = 1.0, t = 0.0;
    for (int e = 0; e < o->epochs; e++) {
        for (size_t i = n; i > 1; i--) {
            size_t j = (size_t)doge_synth_rng_below(&rng, i);
            size_t tmp = order[i - 1];
            order[i - 1] = order[j];
            order[j] = tmp;
        }
        for (size_t k = 0; k < n; k++) {
            size_t i = order[k];
            const uint32_t *b = h->buckets + h->start[i];
            size_t nf = h->start[i + 1] - h->start[i];
            double z[NCAT] = {0};
            for (size_t f = 0; f < nf; f++) {
                const float *row = v + (size_t)b[f] * NCAT;
                for (int c = 0; c < NCAT; c++)
                    z[c] += row[c];
            }
            for (int c = 0; c < NCAT; c++)
                z[c] *= s;
            softmax(z);
            z[ex[idx[i]].category] -= 1.0; /* the gradient per unit feature value */
            double lr = o->learn_rate / (1.0 + o->learn_rate * o->l2 * t);
            t += 1.0;
            s *= 1.0 - lr * o->l2;
            double step = lr / s;
            for (size_t f = 0; f < nf; f++) {
                float *row = v + (size_t)b[f] * NCAT;
                for (int c = 0; c < NCAT; c++)
                    row[c] -= (float)(step * z[c]);
            }
            if (s < 1e-6) {
                for (size_t q = 0; q < buckets * NCAT; q++)
                    v[q] = (float)(v[q] * s);
                s = 1.0;
            }
        }
    }
    for (size_t q = 0; q < buckets * NCAT; q++)
        v[q] = (float)(v[q] * s);
    free(order);
    return DOGE_OK;
}

int doge_review_model_train(doge_review_model **out, const doge_review_example *ex, size_t n,
                            const doge_review_train_opts *opts)
{
    *out = NULL;
    doge_review_train_opts o;
    int rc = doge__review_opts_resolve(opts, &o);
    if (rc != DOGE_OK)
        return rc;
    if (n == 0)
        return doge__error_set(DOGE_EINVAL, "no examples to train on");
    for (size_t i = 0; i < n; i++) {
        if (ex[i].category < 0 || ex[i].category >= DOGE_REVIEW_NCATEGORIES)
            return doge__error_set(DOGE_EINVAL, "example %zu: category %d out of range", i,
                                   ex[i].category);
        if (!ex[i].text)
            return doge__error_set(DOGE_EINVAL, "example %zu: no text", i);
    }
    size_t *idx = NULL, *test = NULL, ntrain = n, ntest = 0;
    if (o.test_share > 0.0) {
        rc = doge_review_split(ex, n, o.seed, o.test_share, &idx, &ntrain, &test, &ntest);
        if (rc != DOGE_OK)
            return rc;
        free(test);
    } else {
        idx = malloc(n * sizeof *idx);
        if (!idx)
            return doge__error_oom();
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
    }
    doge_review_model *m = calloc(1, sizeof *m);
    size_t buckets = (size_t)1 << o.hash_bits;
    float *v = calloc(buckets * NCAT, sizeof *v);
    hashed h = {NULL, NULL};
    if (!m || !v) {
        rc = doge__error_oom();
        goto done;
    }
    m->bits = o.hash_bits;
    m->info.opts = o;
    m->info.data_hash = doge_review_examples_hash(ex, n);
    m->info.data_count = n;
    m->info.train_count = ntrain;
    rc = hash_all(ex, idx, ntrain, o.hash_bits, &h);
    if (rc != DOGE_OK)
        goto done;
    rc = sgd(ex, idx, ntrain, &h, &o, v);
    if (rc == DOGE_OK)
        rc = doge__review_model_from_dense(m, v);
done:
    free(h.buckets);
    free(h.start);
    free(v);
    free(idx);
    if (rc != DOGE_OK) {
        doge_review_model_free(m);
        return rc;
    }
    *out = m;
    return DOGE_OK;
}
