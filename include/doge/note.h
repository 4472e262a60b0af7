/*
 * doge/note.h — C2SP signed-note v1 (the format of Go's
 * golang.org/x/mod/sumdb/note): a UTF-8 text ending in a newline, a blank
 * line, then one or more signature lines "— <key name> <base64(4-byte key ID
 * || signature)>\n" (the dash is U+2014 EM DASH). This module signs texts,
 * parses notes, and verifies them against a caller's list of known verifier
 * keys: signatures whose (name, key ID) match no known key are kept but not
 * trusted; every signature that matches a known key must verify, or the note
 * is rejected; and at least one must match and verify. Known keys of type
 * DOGE_KEY_ED25519 check Ed25519 over the note text; known keys of type
 * DOGE_KEY_COSIGNATURE_V1 check tlog-cosignature v1 (timestamp || Ed25519
 * over "cosignature/v1\ntime <t>\n" || text).
 *
 * Limits: a note may be at most DOGE_NOTE_MAX_SIZE bytes and carry at most
 * DOGE_NOTE_MAX_SIGS signature lines (the spec requires accepting 16).
 * Identical repeated signature lines are kept once.
 *
 * Ownership: a doge_note is owned by the caller and released with
 * doge_note_free() (NULL is fine). It owns copies of the text and the
 * signatures; the doge_note_sig views and strings it hands out live as long
 * as the note. A sig's verifier field points at the caller's verifier that
 * verified it and is valid only while the caller keeps that verifier alive.
 * Buffers returned through char ** are malloc'd, NUL-terminated and owned by
 * the caller (free()).
 */
#ifndef DOGE_NOTE_H
#define DOGE_NOTE_H

#include "doge/common.h"
#include "doge/id.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest note accepted, in bytes. */
#define DOGE_NOTE_MAX_SIZE (1024 * 1024)
/* Most signature lines accepted in one note. */
#define DOGE_NOTE_MAX_SIGS 100

/* A parsed note: its text and its signature lines. */
typedef struct doge_note doge_note;

/* One signature line of a note (a read-only view owned by the note). */
typedef struct doge_note_sig {
    const char *name;              /* key name */
    uint32_t key_hash;             /* the key ID (first 4 bytes, big endian) */
    const char *base64;            /* base64(key ID || signature) as on the line */
    const uint8_t *signature;      /* the decoded bytes after the key ID */
    size_t signature_len;
    const doge_verifier *verifier; /* the known key that verified it, or NULL */
    uint64_t timestamp;            /* cosignature time if verified by a
                                      DOGE_KEY_COSIGNATURE_V1 key, else 0 */
} doge_note_sig;

/* Signs text (text_len bytes; must be valid UTF-8 with no control character
 * but newline and must end in '\n') with each of the n signers, which must
 * be of type DOGE_KEY_ED25519, and writes the signed note into *out
 * (*out_len bytes, NUL-terminated; caller-owned). */
DOGE_EXTERN int doge_note_sign(char **out, size_t *out_len, const char *text, size_t text_len,
                               const doge_signer *const *signers, size_t n);

/* Writes the one signature line "— <name> <base64>\n" of signer (type
 * DOGE_KEY_ED25519) over text into *out (caller-owned). Appending such lines
 * to a signed note adds signatures. */
DOGE_EXTERN int doge_note_signature_line(char **out, size_t *out_len, const doge_signer *signer,
                                         const char *text, size_t text_len);

/* Parses a signed note without verifying anything: every signature is
 * unverified and the text MUST NOT be trusted yet. Malformed notes (bad
 * UTF-8, control characters, no blank line before the signatures, a bad
 * signature line, bad base64, a missing final newline) fail with
 * DOGE_EINVAL; oversized ones with DOGE_ELIMIT. */
DOGE_EXTERN int doge_note_parse(doge_note **out, const char *msg, size_t len);

/* Verifies a parsed note against n known verifiers (none may be NULL).
 * Returns DOGE_OK when at least one known key signed and all signatures of
 * known keys verify; DOGE_EVERIFY when a known key's signature fails or no
 * known key signed; DOGE_EINVAL when a signature matches two different known
 * keys. Marks the verified signatures (verifier, timestamp fields); on
 * failure no signature stays marked. */
DOGE_EXTERN int doge_note_verify(doge_note *note, const doge_verifier *const *known, size_t n);

/* doge_note_parse then doge_note_verify; *out is set only on success. */
DOGE_EXTERN int doge_note_open(doge_note **out, const char *msg, size_t len,
                               const doge_verifier *const *known, size_t n);

/* The note text (including its final newline, without the blank line);
 * NUL-terminated; *len (if not NULL) gets its length. */
DOGE_EXTERN const char *doge_note_text(const doge_note *note, size_t *len);

/* The number of signature lines kept (identical repeats dropped). */
DOGE_EXTERN size_t doge_note_sig_count(const doge_note *note);

/* Signature line i (0-based, in note order), or NULL past the end. */
DOGE_EXTERN const doge_note_sig *doge_note_sig_at(const doge_note *note, size_t i);

/* The number of signatures verified by doge_note_verify(). */
DOGE_EXTERN size_t doge_note_verified_count(const doge_note *note);

/* Writes the note back out (text, blank line, kept signature lines in
 * order) into *out (caller-owned). */
DOGE_EXTERN int doge_note_format(const doge_note *note, char **out, size_t *out_len);

/* Frees note; NULL is fine. */
DOGE_EXTERN void doge_note_free(doge_note *note);

#ifdef __cplusplus
}
#endif
#endif
