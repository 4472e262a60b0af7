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

#ifdef __cplusplus
}
#endif
#endif
