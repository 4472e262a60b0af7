/*
 * model_ws.c — the workspace's review model: review/model.bin, loaded when
 * present; when missing, trained from the built-in labelled set's training
 * split (seed 1, a fifth held out — the defaults of `doge review train`)
 * and saved, so a fresh workspace reviews its first week without a manual
 * step and the same model is used until someone retrains.
 */
#include "internal.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int doge__review_model_path(doge_workspace *ws, char *out, size_t cap)
{
    return doge_workspace_path(ws, DOGE_REVIEW_MODEL_FILE, out, cap);
}

int doge_review_workspace_model(doge_workspace *ws, doge_review_model **out, int *trained)
{
    char path[4096];
    int rc = doge__review_model_path(ws, path, sizeof path);
    if (rc)
        return rc;
    if (trained)
        *trained = 0;
    struct stat sb;
    if (stat(path, &sb) == 0)
        return doge_review_model_load(out, path);

    const doge_review_example *ex;
    size_t n;
    if ((rc = doge_review_builtin_examples(&ex, &n)))
        return rc;
    doge_review_train_opts o = {.seed = 1, .test_share = 0.2};
    doge_review_model *m = NULL;
    rc = doge_review_model_train(&m, ex, n, &o);
    if (rc == DOGE_OK)
        rc = doge_review_model_save(m, path);
    if (rc) {
        doge_review_model_free(m);
        return rc;
    }
    if (trained)
        *trained = 1;
    *out = m;
    return DOGE_OK;
}
