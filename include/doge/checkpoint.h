/*
 * doge/checkpoint.h — C2SP tlog-checkpoint v1 note bodies and C2SP
 * tlog-cosignature v1 Ed25519 cosignatures over them.
 *
 * A checkpoint body is the text of a signed note:
 *     <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]...
 * with a non-empty origin, the size in ASCII decimal with no leading zeros
 * (just "0" for the empty tree), the 32-byte root hash in canonical padded
 * base64, and optional non-empty extension lines. Parsing is strict and
 * formatting reproduces the parsed bytes exactly. Sizes above 2^63 - 1 are
 * refused (as int64-based implementations such as Go's tlog would).
 *
 * A cosignature is a note signature line by a witness key of type
 * DOGE_KEY_COSIGNATURE_V1 (key ID over type byte 0x04):
 *     — <witness name> base64(key ID(4) || timestamp(8, big endian) || Ed25519(64))
 * where the Ed25519 signature covers "cosignature/v1\ntime <timestamp>\n"
 * followed by the whole checkpoint body (signatures excluded). Timestamps
 * are POSIX seconds, at most 2^63 - 1. Cosignatures also verify through
 * doge_note_open() when the witness key is among the known verifiers.
 *
 * Ownership: a doge_checkpoint is owned by the caller and released with
 * doge_checkpoint_free() (NULL is fine); it owns copies of its strings, and
 * the pointers its accessors return live as long as it does. Buffers
 * returned through char ** are malloc'd, NUL-terminated and caller-owned
 * (free()).
 */
#ifndef DOGE_CHECKPOINT_H
#define DOGE_CHECKPOINT_H

#include "doge/common.h"
#include "doge/id.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DOGE_CHECKPOINT_HASH_SIZE 32
/* Most extension lines accepted or added. */
#define DOGE_CHECKPOINT_MAX_EXTENSIONS 64

/* A parsed or built checkpoint body. */
typedef struct doge_checkpoint doge_checkpoint;

/* Builds a checkpoint with no extension lines. origin must be non-empty
 * valid UTF-8 without control characters; size at most 2^63 - 1. */
DOGE_EXTERN int doge_checkpoint_new(doge_checkpoint **out, const char *origin, uint64_t size,
                                    const uint8_t root[DOGE_CHECKPOINT_HASH_SIZE]);

/* Appends an extension line (non-empty, no newline or other control
 * character, valid UTF-8; without its newline). */
DOGE_EXTERN int doge_checkpoint_add_extension(doge_checkpoint *c, const char *line);

/* Parses a checkpoint body of len bytes (the note text: it must end in '\n'
 * and carry no signatures or blank line). Errors name the line at fault,
 * e.g. "checkpoint line 2: size 'abc' is not a decimal number". */
DOGE_EXTERN int doge_checkpoint_parse(doge_checkpoint **out, const char *text, size_t len);

/* Writes the body into *out (*out_len bytes; caller-owned). */
DOGE_EXTERN int doge_checkpoint_format(const doge_checkpoint *c, char **out, size_t *out_len);

DOGE_EXTERN const char *doge_checkpoint_origin(const doge_checkpoint *c);
DOGE_EXTERN uint64_t doge_checkpoint_size(const doge_checkpoint *c);
/* The 32-byte root hash. */
DOGE_EXTERN const uint8_t *doge_checkpoint_root(const doge_checkpoint *c);
DOGE_EXTERN size_t doge_checkpoint_extension_count(const doge_checkpoint *c);
/* Extension line i (without its newline), or NULL past the end. */
DOGE_EXTERN const char *doge_checkpoint_extension(const doge_checkpoint *c, size_t i);

/* Frees c; NULL is fine. */
DOGE_EXTERN void doge_checkpoint_free(doge_checkpoint *c);

/* ---- tlog-cosignature v1 ------------------------------------------------ */

/* Cosigns a checkpoint body (body_len bytes; must parse as a checkpoint) at
 * timestamp with witness (type DOGE_KEY_COSIGNATURE_V1) and writes the
 * signature line "— <name> <base64>\n" into *line (caller-owned). */
DOGE_EXTERN int doge_cosignature_sign(char **line, size_t *line_len, const doge_signer *witness,
                                      const char *body, size_t body_len, uint64_t timestamp);

/* Verifies one cosignature line (line_len bytes, with or without its final
 * newline) by witness (type DOGE_KEY_COSIGNATURE_V1) over a checkpoint body.
 * DOGE_OK and *timestamp (if not NULL) on success; DOGE_EINVAL for a
 * malformed line or body, or a line of another key (name or key ID differ);
 * DOGE_EVERIFY when the signature does not verify. */
DOGE_EXTERN int doge_cosignature_verify(const doge_verifier *witness, const char *body,
                                        size_t body_len, const char *line, size_t line_len,
                                        uint64_t *timestamp);

#ifdef __cplusplus
}
#endif
#endif
