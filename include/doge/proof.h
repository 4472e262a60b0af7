/*
 * doge/proof.h — c2sp.org/tlog-proof@v1: an offline-verifiable proof that an
 * entry is in a transparency log, made of the entry's index, its inclusion
 * proof and the log's signed (and witness-cosigned) checkpoint. Checked
 * against a tlog-policy (doge/policy.h).
 *
 * Ownership: doge_proof_parse() returns a proof freed with doge_proof_free();
 * strings and hashes it hands out are borrowed from it.
 */
#ifndef DOGE_PROOF_H
#define DOGE_PROOF_H

#include "common.h"
#include "policy.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_proof doge_proof;

/* Parses proof text strictly (first line "c2sp.org/tlog-proof@v1", optional
 * "extra <base64>", "index <N>", base64 hashes, an empty line, the signed
 * checkpoint). Errors name the line. */
DOGE_EXTERN int doge_proof_parse(doge_proof **out, const char *text, size_t len);

/* Frees; accepts NULL. */
DOGE_EXTERN void doge_proof_free(doge_proof *p);

DOGE_EXTERN int64_t doge_proof_index(const doge_proof *p);
DOGE_EXTERN size_t doge_proof_hash_count(const doge_proof *p);
/* The signed checkpoint as carried in the proof (borrowed). */
DOGE_EXTERN const char *doge_proof_checkpoint(const doge_proof *p, size_t *len);
/* The unauthenticated extra data, or NULL (borrowed). */
DOGE_EXTERN const uint8_t *doge_proof_extra(const doge_proof *p, size_t *len);

/* Verifies that entry (len bytes) is at the proof's index in the log whose
 * checkpoint the proof carries, and that the checkpoint satisfies policy
 * (log signature, witness quorum). *size and *cosigners (may be NULL) get the
 * checkpoint's tree size and the number of policy witnesses that cosigned.
 * DOGE_EVERIFY names what failed. */
DOGE_EXTERN int doge_proof_verify(const doge_proof *p, const void *entry, size_t len,
                                  const doge_policy *policy, int64_t *size, size_t *cosigners);

#ifdef __cplusplus
}
#endif
#endif
