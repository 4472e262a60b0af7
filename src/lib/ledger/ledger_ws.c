/*
 * ledger_ws.c — the workspace's own ledger: ledger/ in the workspace folder,
 * signed by the key recorded in the store's meta table at `doge ledger
 * init`, with every signed checkpoint archived in the store
 * (ledger_checkpoint) so proofs against earlier sizes stay possible.
 */
#include "doge/keystore.h"
#include "doge/ledger.h"
#include "doge/workspace.h"
#include "internal.h"
#include "ledger_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int meta_get(doge_store *st, const char *key, char *buf, size_t cap)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, "SELECT value FROM meta WHERE key = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, key, -1);
    rc = doge_stmt_step(s);
    if (rc == 1) {
        snprintf(buf, cap, "%s", doge_stmt_text(s, 0));
        rc = DOGE_OK;
    } else if (rc == 0) {
        rc = DOGE_ENOTFOUND;
    }
    doge_stmt_free(s);
    return rc;
}

static int meta_set(doge_store *st, const char *key, const char *value)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "INSERT INTO meta (key, value) VALUES (?, ?)"
                                " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, key, -1);
    doge_stmt_bind_text(s, 2, value, -1);
    rc = doge_stmt_step(s) < 0 ? DOGE_EDB : DOGE_OK;
    doge_stmt_free(s);
    return rc;
}

int doge_ledger_archive_checkpoint(doge_store *st, int64_t size, const char *checkpoint,
                                   size_t len)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "INSERT INTO ledger_checkpoint (size, checkpoint, created_at)"
                                " VALUES (?, ?, ?) ON CONFLICT (size) DO UPDATE"
                                " SET checkpoint = excluded.checkpoint");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, size);
    doge_stmt_bind_text(s, 2, checkpoint, (ptrdiff_t)len);
    doge_stmt_bind_int64(s, 3, (int64_t)time(NULL));
    rc = doge_stmt_step(s) < 0 ? DOGE_EDB : DOGE_OK;
    doge_stmt_free(s);
    return rc;
}

int doge__ledger_archive(doge_ledger *l)
{
    return doge_ledger_archive_checkpoint(l->archive, l->size, l->checkpoint, l->checkpoint_len);
}

void doge_ledger_set_archive(doge_ledger *l, doge_store *st)
{
    l->archive = st;
}

static int ledger_dir(struct doge_workspace *ws, char *buf, size_t cap)
{
    return doge_workspace_path(ws, "ledger", buf, cap);
}

int doge_ledger_init_workspace(struct doge_workspace *ws, const char *key_name, const char *origin)
{
    char dir[PATH_MAX], existing[256];
    doge_store *st = doge_workspace_store(ws);
    int rc = meta_get(st, "ledger.key", existing, sizeof existing);
    if (rc == DOGE_OK)
        return doge__error_set(DOGE_EEXISTS, "%s already has a ledger (signed by key '%s')",
                               doge_workspace_dir(ws), existing);
    if (rc != DOGE_ENOTFOUND)
        return rc;
    doge_signer *signer;
    if ((rc = doge_keystore_load_signer(ws, key_name, &signer)))
        return rc;
    if ((rc = ledger_dir(ws, dir, sizeof dir)) == DOGE_OK)
        rc = doge_ledger_create(dir, signer, origin ? origin : doge_signer_name(signer));
    doge_signer_free(signer);
    if (rc == DOGE_OK)
        rc = meta_set(st, "ledger.key", key_name);
    if (rc == DOGE_OK) {
        doge_ledger *l;
        if ((rc = doge_ledger_open_workspace(&l, ws, 0)) == DOGE_OK) {
            l->archive = st;
            rc = doge__ledger_archive(l);
            doge_ledger_free(l);
        }
    }
    return rc;
}

int doge_ledger_open_workspace(doge_ledger **out, struct doge_workspace *ws, int writable)
{
    *out = NULL;
    char dir[PATH_MAX], key[256];
    doge_store *st = doge_workspace_store(ws);
    int rc = meta_get(st, "ledger.key", key, sizeof key);
    if (rc == DOGE_ENOTFOUND)
        return doge__error_set(DOGE_ENOTFOUND,
                               "%s has no ledger yet (create one with 'doge id new NAME' and "
                               "'doge ledger init --key NAME')",
                               doge_workspace_dir(ws));
    if (rc || (rc = ledger_dir(ws, dir, sizeof dir)))
        return rc;
    doge_signer *signer = NULL;
    doge_verifier *v = NULL;
    if (writable) {
        if ((rc = doge_keystore_load_signer(ws, key, &signer)) ||
            (rc = doge_signer_verifier(signer, &v))) {
            doge_signer_free(signer);
            return rc;
        }
    } else if ((rc = doge_keystore_load_verifier(ws, key, &v))) {
        return rc;
    }
    rc = doge_ledger_open(out, dir, v, signer);
    doge_verifier_free(v);
    if (rc) {
        doge_signer_free(signer);
        return rc;
    }
    (*out)->owned_signer = signer;
    (*out)->archive = st;
    return DOGE_OK;
}

int doge_ledger_archived_checkpoint(struct doge_workspace *ws, int64_t size, char **out,
                                    size_t *len)
{
    *out = NULL;
    doge_stmt *s;
    int rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                "SELECT checkpoint FROM ledger_checkpoint WHERE size = ?");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, size);
    rc = doge_stmt_step(s);
    if (rc == 1) {
        const char *t = doge_stmt_text(s, 0);
        size_t n = doge_stmt_bytes(s, 0);
        if (!(*out = malloc(n + 1))) {
            rc = doge__error_oom();
        } else {
            memcpy(*out, t, n);
            (*out)[n] = '\0';
            if (len)
                *len = n;
            rc = DOGE_OK;
        }
    } else if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND,
                             "no signed checkpoint of size %lld was kept for this ledger",
                             (long long)size);
    }
    doge_stmt_free(s);
    return rc;
}
