/*
 * doge/witness.h — a department witness (c2sp.org/tlog-witness): it keeps,
 * per log origin, the last checkpoint it cosigned (in the workspace store,
 * updated by compare-and-swap inside one transaction), checks each new
 * checkpoint's log signature and its consistency proof from that size,
 * refuses forks and rollbacks, and returns a tlog-cosignature/v1 line.
 * doge serve's POST /witness/add-checkpoint and `doge witness cosign` both
 * call doge_witness_add_checkpoint().
 *
 * Ownership: the store, signer and log keys are borrowed for the call; the
 * result's cosignature is malloc'd and released with
 * doge_witness_result_dispose().
 */
#ifndef DOGE_WITNESS_H
#define DOGE_WITNESS_H

#include "common.h"
#include "id.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A log the witness follows: its origin line and one of its keys. */
typedef struct doge_witness_log {
    const char *origin;
    const doge_verifier *key;
} doge_witness_log;

typedef struct doge_witness_result {
    int status;              /* as tlog-witness: 200, 400, 403, 404, 409 or 422 */
    int64_t latest_size;     /* with 409: the size of the last cosigned checkpoint */
    char *cosignature;       /* with 200: the cosignature line(s), malloc'd */
    size_t cosignature_len;
} doge_witness_result;

/* Handles one add-checkpoint request body ("old N", consistency proof
 * lines, an empty line, the signed checkpoint), cosigning at unix time now.
 * Returns DOGE_OK when the request was decided (res->status says how; for a
 * refusal doge_error_last() says why), or a negative code when the witness
 * itself failed (store, crypto). */
DOGE_EXTERN int doge_witness_add_checkpoint(doge_store *st, const doge_signer *witness,
                                            const doge_witness_log *logs, size_t nlogs,
                                            const char *body, size_t len, uint64_t now,
                                            doge_witness_result *res);

/* Frees the result's cosignature; accepts a zeroed result. */
DOGE_EXTERN void doge_witness_result_dispose(doge_witness_result *res);

/* The last cosigned size and root for origin; DOGE_ENOTFOUND when none. */
DOGE_EXTERN int doge_witness_latest(doge_store *st, const char *origin, int64_t *size,
                                    uint8_t root[32]);

/* ---- a witness's workspace: the logs it follows and its key ------------- */

struct doge_workspace;

/* A set of followed logs (at most 64 keys); it owns its origins and keys. */
typedef struct doge_witness_logs doge_witness_logs;

DOGE_EXTERN int doge_witness_logs_new(doge_witness_logs **out);

/* Every log the workspace follows (`doge witness add-log`). */
DOGE_EXTERN int doge_witness_logs_load(doge_witness_logs **out, struct doge_workspace *ws);

/* Adds one log key (ownership of key passes to the set, also on failure). */
DOGE_EXTERN int doge_witness_logs_add(doge_witness_logs *l, const char *origin,
                                      doge_verifier *key);

/* The logs as doge_witness_add_checkpoint() takes them (borrowed). */
DOGE_EXTERN const doge_witness_log *doge_witness_logs_get(const doge_witness_logs *l, size_t *n);

/* Frees; accepts NULL. */
DOGE_EXTERN void doge_witness_logs_free(doge_witness_logs *l);

/* The workspace's witness key: the one named, or the only cosignature/v1
 * private key in keys/ (DOGE_ENOTFOUND when none, DOGE_EINVAL when several).
 * *out is freed with doge_signer_free(). */
DOGE_EXTERN int doge_witness_signer_load(struct doge_workspace *ws, const char *name,
                                         doge_signer **out);

/* ---- a log asking witnesses for cosignatures (tlog-witness client) ------- */

/* What one witness said to doge_witness_push(). */
typedef struct doge_witness_push_result {
    int status;          /* the last HTTP status (200 when cosigned), 0 when unreachable */
    int64_t old_size;    /* the old size of the request that decided */
    int64_t size;        /* the checkpoint's size */
    size_t added;        /* cosignatures attached to the checkpoint */
    int retries;         /* requests repeated after a 409 */
    char message[512];   /* why it failed, "" on success */
} doge_witness_push_result;

/* Sends the workspace log's current checkpoint to the witness at url (its
 * submission prefix: url + "/add-checkpoint", c2sp.org/tlog-witness) with
 * a consistency proof from the size the witness last cosigned (remembered
 * per witness URL in the store; 0 the first time; after a 409 the witness's
 * size from its text/x.tlog.size answer, then retried), verifies the
 * cosignatures it returns against the witness keys in keys/ and attaches
 * them to the checkpoint. Returns DOGE_OK when the witness cosigned,
 * DOGE_EVERIFY (with res saying why) when it refused or answered something
 * invalid, or another negative code for a local failure. timeout_s bounds
 * each request. */
DOGE_EXTERN int doge_witness_push(struct doge_workspace *ws, const char *url, long timeout_s,
                                  doge_witness_push_result *res);

#ifdef __cplusplus
}
#endif
#endif
