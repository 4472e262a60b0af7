/*
 * eval.c — how well a model labels a set of examples: the confusion matrix
 * (truth by prediction), per-category precision, recall and F1 with their
 * support, accuracy, and the macro-F1 (the plain mean of the F1 of every
 * category that occurs in the truth or the predictions, so a small category
 * counts as much as a large one). A precision or recall with an empty
 * denominator is 0.
 */
#include "internal.h"
#include "review/review_internal.h"

#include <string.h>

int doge_review_evaluate(const doge_review_model *m, const doge_review_example *ex,
                         const size_t *idx, size_t n, doge_review_eval *out)
{
    memset(out, 0, sizeof *out);
    if (!m || (!ex && n))
        return doge__error_set(DOGE_EINVAL, "review evaluate: no model or examples");
    size_t correct = 0;
    for (size_t i = 0; i < n; i++) {
        const doge_review_example *e = &ex[idx ? idx[i] : i];
        if (e->category < 0 || e->category >= DOGE_REVIEW_NCATEGORIES || !e->text)
            return doge__error_set(DOGE_EINVAL, "review evaluate: example %zu is not valid",
                                   idx ? idx[i] : i);
        doge_review_result r;
        int rc = doge_review_classify(m, e->text, strlen(e->text), &r);
        if (rc != DOGE_OK)
            return rc;
        out->confusion[e->category][r.category]++;
        out->support[e->category]++;
        correct += r.category == e->category;
    }
    out->n = n;
    out->accuracy = n ? (double)correct / (double)n : 0.0;
    int classes = 0;
    double sum = 0.0;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++) {
        size_t tp = out->confusion[c][c], predicted = 0;
        for (int t = 0; t < DOGE_REVIEW_NCATEGORIES; t++)
            predicted += out->confusion[t][c];
        out->precision[c] = predicted ? (double)tp / (double)predicted : 0.0;
        out->recall[c] = out->support[c] ? (double)tp / (double)out->support[c] : 0.0;
        double p = out->precision[c], r = out->recall[c];
        out->f1[c] = p + r > 0 ? 2 * p * r / (p + r) : 0.0;
        if (out->support[c] || predicted) {
            classes++;
            sum += out->f1[c];
        }
    }
    out->macro_f1 = classes ? sum / classes : 0.0;
    return DOGE_OK;
}
