/*
 * witness_ws.c — a department witness's setup as its workspace holds it:
 * the logs it follows (the witness_trust table: origin and verifier key,
 * added by `doge witness add-log`) loaded into a doge_witness_logs set that
 * doge_witness_add_checkpoint() takes, and its cosignature key (the one
 * cosignature/v1 private key in keys/, or the one named). `doge witness
 * cosign` and doge serve's POST /witness/add-checkpoint both use them.
 */
#include "doge/keystore.h"
#include "doge/witness.h"
#include "doge/workspace.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define LOGS_MAX 64

struct doge_witness_logs {
    doge_witness_log logs[LOGS_MAX];
    doge_verifier *owned[LOGS_MAX];
    size_t n;
};

int doge_witness_logs_new(doge_witness_logs **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? DOGE_OK : doge__error_oom();
}

void doge_witness_logs_free(doge_witness_logs *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        doge_verifier_free(l->owned[i]);
        free((char *)l->logs[i].origin);
    }
    free(l);
}

int doge_witness_logs_add(doge_witness_logs *l, const char *origin, doge_verifier *key)
{
    if (l->n == LOGS_MAX) {
        doge_verifier_free(key);
        return doge__error_set(DOGE_ELIMIT, "more than %d followed log keys", LOGS_MAX);
    }
    char *o = strdup(origin);
    if (!o) {
        doge_verifier_free(key);
        return doge__error_oom();
    }
    l->owned[l->n] = key;
    l->logs[l->n].key = key;
    l->logs[l->n].origin = o;
    l->n++;
    return DOGE_OK;
}

const doge_witness_log *doge_witness_logs_get(const doge_witness_logs *l, size_t *n)
{
    *n = l->n;
    return l->logs;
}

int doge_witness_logs_load(doge_witness_logs **out, doge_workspace *ws)
{
    doge_witness_logs *l;
    int rc = doge_witness_logs_new(&l);
    if (rc)
        return rc;
    doge_stmt *s;
    if ((rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                 "SELECT origin, vkey FROM witness_trust ORDER BY origin"))) {
        doge_witness_logs_free(l);
        return rc;
    }
    while ((rc = doge_stmt_step(s)) == 1) {
        doge_verifier *v;
        if ((rc = doge_verifier_parse(&v, doge_stmt_text(s, 1))) ||
            (rc = doge_witness_logs_add(l, doge_stmt_text(s, 0), v)))
            break;
    }
    doge_stmt_free(s);
    if (rc < 0) {
        doge_witness_logs_free(l);
        return rc;
    }
    *out = l;
    return DOGE_OK;
}

int doge_witness_signer_load(doge_workspace *ws, const char *name, doge_signer **out)
{
    *out = NULL;
    if (name)
        return doge_keystore_load_signer(ws, name, out);
    doge_key_info *keys;
    size_t n, found = 0;
    const char *pick = NULL;
    int rc = doge_keystore_list(ws, &keys, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (keys[i].type == DOGE_KEY_COSIGNATURE_V1 && keys[i].has_private) {
            found++;
            pick = keys[i].name;
        }
    if (found == 1)
        rc = doge_keystore_load_signer(ws, pick, out);
    else
        rc = doge__error_set(found ? DOGE_EINVAL : DOGE_ENOTFOUND,
                             found ? "keys/ holds several witness keys: choose one with --key NAME"
                                   : "keys/ holds no witness key: make one with 'doge id new NAME "
                                     "--witness'");
    doge_keystore_list_free(keys, n);
    return rc;
}
