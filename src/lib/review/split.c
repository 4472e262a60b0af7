/*
 * split.c — the deterministic, stratified train/test split of a labelled
 * set: the indices of each category are shuffled (Fisher-Yates with the
 * project's xoshiro256** seeded from the seed and the category) and the
 * first round(count * share) of them, at least one when the category has
 * two or more examples and never all of them, are held out. Both index
 * lists come back sorted, so the split depends only on the set, the seed
 * and the share.
 */
#include "internal.h"
#include "review/review_internal.h"

#include "doge/synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

int doge_review_split(const doge_review_example *ex, size_t n, uint64_t seed, double test_share,
                      size_t **idx_train, size_t *n_train, size_t **idx_test, size_t *n_test)
{
    *idx_train = *idx_test = NULL;
    *n_train = *n_test = 0;
    if (!(test_share > 0.0 && test_share < 1.0))
        return doge__error_set(DOGE_EINVAL, "test share %g is not between 0 and 1", test_share);
    for (size_t i = 0; i < n; i++)
        if (ex[i].category < 0 || ex[i].category >= DOGE_REVIEW_NCATEGORIES)
            return doge__error_set(DOGE_EINVAL, "example %zu: category %d out of range", i,
                                   ex[i].category);
    size_t *tr = malloc((n ? n : 1) * sizeof *tr), *te = malloc((n ? n : 1) * sizeof *te),
           *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tr || !te || !tmp) {
        free(tr);
        free(te);
        free(tmp);
        return doge__error_oom();
    }
    size_t ntr = 0, nte = 0;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (ex[i].category == c)
                tmp[k++] = i;
        doge_synth_rng rng;
        doge_synth_rng_seed(&rng, seed * 0x9e3779b97f4a7c15ull + (uint64_t)c + 1);
        for (size_t i = k; i > 1; i--) {
            size_t j = (size_t)doge_synth_rng_below(&rng, i);
            size_t t = tmp[i - 1];
            tmp[i - 1] = tmp[j];
            tmp[j] = t;
        }
        size_t hold = (size_t)floor((double)k * test_share + 0.5);
        if (hold == 0 && k >= 2)
            hold = 1;
        if (hold >= k && k > 0)
            hold = k - 1;
        for (size_t i = 0; i < k; i++) {
            if (i < hold)
                te[nte++] = tmp[i];
            else
                tr[ntr++] = tmp[i];
        }
    }
    free(tmp);
    qsort(tr, ntr, sizeof *tr, cmp_size);
    qsort(te, nte, sizeof *te, cmp_size);
    *idx_train = tr;
    *n_train = ntr;
    *idx_test = te;
    *n_test = nte;
    return DOGE_OK;
}
