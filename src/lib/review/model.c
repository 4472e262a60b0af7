/*
 * model.c — the classifier model in memory: the training options with their
 * defaults, and the compact lookup that classify reads. Of the 2^bits
 * feature buckets only those with a non-zero weight are kept: a presence
 * bit per bucket, in blocks of 64 that also hold the count of rows before
 * them (64 KiB at 18 bits), and one row of nine int16 weights (one per
 * category, times the model's scale) per present bucket, in bucket order.
 * A bucket's row is one bit test and one popcount away, and the whole
 * model stays small enough to live in the processor's caches.
 */
#include "internal.h"
#include "review/review_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int doge__review_opts_resolve(const doge_review_train_opts *opts, doge_review_train_opts *out)
{
    doge_review_train_opts o;
    memset(&o, 0, sizeof o);
    if (opts)
        o = *opts;
    if (o.seed == 0)
        o.seed = 1;
    if (o.epochs == 0)
        o.epochs = 30;
    if (o.l2 == 0.0)
        o.l2 = 1e-4;
    if (o.learn_rate == 0.0)
        o.learn_rate = 0.5;
    if (o.hash_bits == 0)
        o.hash_bits = 18;
    if (o.epochs < 1 || o.epochs > 1000)
        return doge__error_set(DOGE_EINVAL, "epochs %d out of range (1..1000)", o.epochs);
    if (!(o.l2 > 0.0 && o.l2 < 1.0))
        return doge__error_set(DOGE_EINVAL, "L2 penalty %g out of range (0..1)", o.l2);
    if (!(o.learn_rate > 0.0 && o.learn_rate <= 10.0))
        return doge__error_set(DOGE_EINVAL, "learning rate %g out of range (0..10]", o.learn_rate);
    if (o.hash_bits < 12 || o.hash_bits > 24)
        return doge__error_set(DOGE_EINVAL, "hash bits %u out of range (12..24)", o.hash_bits);
    if (!(o.test_share >= 0.0 && o.test_share < 1.0))
        return doge__error_set(DOGE_EINVAL, "test share %g out of range [0..1)", o.test_share);
    *out = o;
    return DOGE_OK;
}

int doge__review_model_alloc(doge_review_model *m, size_t nrows)
{
    size_t words = ((size_t)1 << m->bits) / 64;
    m->blocks = calloc(words, sizeof *m->blocks);
    m->rows = malloc((nrows ? nrows : 1) * DOGE__REVIEW_NCAT * sizeof *m->rows);
    if (!m->blocks || !m->rows)
        return doge__error_oom();
    m->nrows = nrows;
    return DOGE_OK;
}

void doge__review_model_index(doge_review_model *m)
{
    size_t words = ((size_t)1 << m->bits) / 64;
    uint64_t r = 0;
    for (size_t i = 0; i < words; i++) {
        m->blocks[i].rank = r;
        r += doge__review_popcount(m->blocks[i].bits);
    }
}

int doge__review_model_from_dense(doge_review_model *m, const float *w)
{
    size_t buckets = (size_t)1 << m->bits;
    double maxabs = 0.0;
    for (size_t i = 0; i < buckets * DOGE__REVIEW_NCAT; i++) {
        double a = fabs((double)w[i]);
        if (a > maxabs)
            maxabs = a;
    }
    m->scale = maxabs > 0.0 ? maxabs / 32767.0 : 1.0;
    /* Count the buckets whose quantised row is not all zero. */
    size_t nrows = 0;
    for (size_t b = 0; b < buckets; b++) {
        for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
            if (lrint((double)w[b * DOGE__REVIEW_NCAT + c] / m->scale) != 0) {
                nrows++;
                break;
            }
        }
    }
    int rc = doge__review_model_alloc(m, nrows);
    if (rc != DOGE_OK)
        return rc;
    size_t r = 0, nonzero = 0;
    for (size_t b = 0; b < buckets; b++) {
        int16_t q[DOGE__REVIEW_NCAT];
        int any = 0;
        for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
            long v = lrint((double)w[b * DOGE__REVIEW_NCAT + c] / m->scale);
            if (v > 32767)
                v = 32767;
            if (v < -32767)
                v = -32767;
            q[c] = (int16_t)v;
            any |= v != 0;
            nonzero += v != 0;
        }
        if (!any)
            continue;
        m->blocks[b >> 6].bits |= (uint64_t)1 << (b & 63);
        memcpy(m->rows + r * DOGE__REVIEW_NCAT, q, sizeof q);
        r++;
    }
    doge__review_model_index(m);
    m->info.rows = nrows;
    m->info.weights = nonzero;
    return DOGE_OK;
}

void doge_review_model_free(doge_review_model *m)
{
    if (!m)
        return;
    free(m->blocks);
    free(m->rows);
    free(m);
}

void doge_review_model_get_info(const doge_review_model *m, doge_review_model_info *out)
{
    *out = m->info;
}

int doge_review_model_heldout(const doge_review_model *m, const doge_review_example *ex, size_t n,
                              size_t **idx, size_t *n_idx)
{
    *idx = NULL;
    *n_idx = 0;
    uint64_t h = doge_review_examples_hash(ex, n);
    if (n != m->info.data_count || h != m->info.data_hash)
        return doge__error_set(DOGE_EINVAL,
                               "the model was trained from another labelled set (%zu bullets, "
                               "hash %016llx; this one has %zu, hash %016llx)",
                               m->info.data_count, (unsigned long long)m->info.data_hash, n,
                               (unsigned long long)h);
    if (m->info.opts.test_share <= 0.0) {
        *idx = malloc(sizeof **idx);
        return *idx ? DOGE_OK : doge__error_oom();
    }
    size_t *tr, ntr;
    int rc = doge_review_split(ex, n, m->info.opts.seed, m->info.opts.test_share, &tr, &ntr, idx,
                               n_idx);
    free(tr);
    return rc;
}
