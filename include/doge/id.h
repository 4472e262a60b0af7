/*
 * doge/id.h — Ed25519 identities in the text formats of C2SP signed-note and
 * Go's golang.org/x/mod/sumdb/note: a signer (private key) written as
 * "PRIVATE+KEY+<name>+<key ID>+<base64(type || 32-byte seed)>" and a verifier
 * (public key, "vkey") written as "<name>+<key ID>+<base64(type || 32-byte
 * public key)>", where the key ID is the first four bytes of
 * SHA-256(name || "\n" || type || public key) as eight lowercase hex digits.
 * Two key types are supported: DOGE_KEY_ED25519 (0x01, plain note
 * signatures) and DOGE_KEY_COSIGNATURE_V1 (0x04, the timestamped Ed25519
 * checkpoint cosignatures of C2SP tlog-cosignature). This header gives the
 * keys and the raw Ed25519 primitive; doge/note.h and doge/checkpoint.h build
 * the note and cosignature formats on it.
 *
 * Key names must be non-empty, valid UTF-8, and contain no Unicode space, no
 * '+' and no ASCII control character. Parsing is strict: exact field layout,
 * lowercase hex, canonical padded base64, a known type byte, the right key
 * length and a key ID that matches the key.
 *
 * Ownership: doge_signer and doge_verifier objects are owned by the caller
 * and released with doge_signer_free() / doge_verifier_free() (both accept
 * NULL). Strings returned through char ** out-parameters are malloc'd and
 * owned by the caller (free()). Pointers returned by accessors (names, public
 * keys) belong to the object and live as long as it does. Objects are
 * immutable after construction, so one may be used from several threads.
 */
#ifndef DOGE_ID_H
#define DOGE_ID_H

#include "doge/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Signature type identifier bytes (C2SP signed-note "Signature types"). */
typedef enum doge_key_type {
    DOGE_KEY_ED25519 = 0x01,        /* Ed25519 over the note text */
    DOGE_KEY_COSIGNATURE_V1 = 0x04  /* tlog-cosignature v1, timestamped Ed25519 */
} doge_key_type;

#define DOGE_ED25519_SEED_SIZE 32
#define DOGE_ED25519_PUBLIC_SIZE 32
#define DOGE_ED25519_SIG_SIZE 64

/* A private signing key with its name and key ID. */
typedef struct doge_signer doge_signer;
/* A public verifier key with its name and key ID. */
typedef struct doge_verifier doge_verifier;

/* ---- signers ------------------------------------------------------------ */

/* Generates a new key of the given type named name from the operating
 * system's randomness (getrandom). */
DOGE_EXTERN int doge_signer_generate(doge_signer **out, const char *name, doge_key_type type);

/* Builds a signer from a 32-byte Ed25519 seed (the RFC 8032 private key). */
DOGE_EXTERN int doge_signer_new(doge_signer **out, const char *name, doge_key_type type,
                                const uint8_t seed[DOGE_ED25519_SEED_SIZE]);

/* Parses "PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>" (no
 * surrounding whitespace, no trailing newline). The key ID must match the
 * public key derived from the seed. */
DOGE_EXTERN int doge_signer_parse(doge_signer **out, const char *text);

/* Writes the private key text into *out (NUL-terminated, malloc'd, owned by
 * the caller; it is secret: wipe it before freeing where that matters). */
DOGE_EXTERN int doge_signer_format(const doge_signer *s, char **out);

/* Makes the matching verifier (same name, type and key ID) into *out. */
DOGE_EXTERN int doge_signer_verifier(const doge_signer *s, doge_verifier **out);

/* Signs len bytes of msg with raw Ed25519 (RFC 8032) into sig. This is the
 * primitive: it adds no domain separation, whatever the key type. */
DOGE_EXTERN int doge_signer_sign(const doge_signer *s, const void *msg, size_t len,
                                 uint8_t sig[DOGE_ED25519_SIG_SIZE]);

DOGE_EXTERN const char *doge_signer_name(const doge_signer *s);
DOGE_EXTERN uint32_t doge_signer_key_hash(const doge_signer *s);
DOGE_EXTERN doge_key_type doge_signer_type(const doge_signer *s);
/* The 32-byte Ed25519 public key. */
DOGE_EXTERN const uint8_t *doge_signer_public_key(const doge_signer *s);

/* Frees s and wipes its secret; NULL is fine. */
DOGE_EXTERN void doge_signer_free(doge_signer *s);

/* ---- verifiers ---------------------------------------------------------- */

/* Builds a verifier from a name, type and 32-byte Ed25519 public key; the key
 * ID is computed. */
DOGE_EXTERN int doge_verifier_new(doge_verifier **out, const char *name, doge_key_type type,
                                  const uint8_t pub[DOGE_ED25519_PUBLIC_SIZE]);

/* Parses a vkey "<name>+<hex key ID>+<base64(type || public key)>" (no
 * surrounding whitespace). The key ID must match the key. */
DOGE_EXTERN int doge_verifier_parse(doge_verifier **out, const char *text);

/* Writes the vkey text into *out (NUL-terminated, malloc'd, caller-owned). */
DOGE_EXTERN int doge_verifier_format(const doge_verifier *v, char **out);

/* Copies v into *out. */
DOGE_EXTERN int doge_verifier_dup(const doge_verifier *v, doge_verifier **out);

/* Checks a raw Ed25519 signature of len bytes of msg: DOGE_OK when it
 * verifies, DOGE_EVERIFY (message set) when it does not or sig_len is not
 * 64. No domain separation is applied, whatever the key type. */
DOGE_EXTERN int doge_verifier_verify(const doge_verifier *v, const void *msg, size_t len,
                                     const uint8_t *sig, size_t sig_len);

/* Reports whether a and b are the same key: same name, type and public key. */
DOGE_EXTERN int doge_verifier_equal(const doge_verifier *a, const doge_verifier *b);

DOGE_EXTERN const char *doge_verifier_name(const doge_verifier *v);
DOGE_EXTERN uint32_t doge_verifier_key_hash(const doge_verifier *v);
DOGE_EXTERN doge_key_type doge_verifier_type(const doge_verifier *v);
/* The 32-byte Ed25519 public key. */
DOGE_EXTERN const uint8_t *doge_verifier_public_key(const doge_verifier *v);

/* Frees v; NULL is fine. */
DOGE_EXTERN void doge_verifier_free(doge_verifier *v);

/* ---- names -------------------------------------------------------------- */

/* Checks that name is a valid key name: DOGE_OK, or DOGE_EINVAL with a
 * message naming the name and the rule it breaks. */
DOGE_EXTERN int doge_key_name_check(const char *name);

#ifdef __cplusplus
}
#endif
#endif
