/*
 * doge/policy.h — c2sp.org/tlog-policy: which logs and witnesses a verifier
 * trusts and the quorum of witness cosignatures a checkpoint needs. Used to
 * check tlog-proofs offline (doge ledger verify-proof) and by witnesses.
 *
 * Ownership: doge_policy_parse() returns a policy the caller frees with
 * doge_policy_free(); verifiers it hands out are borrowed from it. On success
 * doge_policy_check() gives the caller a checkpoint to free with
 * doge_checkpoint_free().
 */
#ifndef DOGE_POLICY_H
#define DOGE_POLICY_H

#include "common.h"
#include "checkpoint.h"
#include "id.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_policy doge_policy;

/* Limits: more than these is refused (the spec asks for at least 32 each). */
#define DOGE_POLICY_MAX_LOGS 64
#define DOGE_POLICY_MAX_WITNESSES 256
#define DOGE_POLICY_MAX_GROUPS 256

/* Parses policy text; filename (may be NULL) names it in errors, which give
 * the line number and the offending item. */
DOGE_EXTERN int doge_policy_parse(doge_policy **out, const char *text, size_t len,
                                  const char *filename);

/* Frees; accepts NULL. */
DOGE_EXTERN void doge_policy_free(doge_policy *p);

/* The logs (borrowed). */
DOGE_EXTERN size_t doge_policy_log_count(const doge_policy *p);
DOGE_EXTERN const doge_verifier *doge_policy_log(const doge_policy *p, size_t i);

/* The witnesses (borrowed) and their policy names. */
DOGE_EXTERN size_t doge_policy_witness_count(const doge_policy *p);
DOGE_EXTERN const doge_verifier *doge_policy_witness(const doge_policy *p, size_t i);
DOGE_EXTERN const char *doge_policy_witness_name(const doge_policy *p, size_t i);

/* Checks a signed checkpoint (note text with signature lines) against the
 * policy: signed by one of the logs (whose key name is the origin), every
 * known signature valid, and the quorum of witness cosignatures met. On
 * success *out (if not NULL) is the parsed checkpoint and *cosigners (if not
 * NULL) the number of distinct policy witnesses whose cosignature verified.
 * DOGE_EVERIFY, naming what is missing, when the quorum is not met. */
DOGE_EXTERN int doge_policy_check(const doge_policy *p, const char *note, size_t len,
                                  doge_checkpoint **out, size_t *cosigners);

#ifdef __cplusplus
}
#endif
#endif
