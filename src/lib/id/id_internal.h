/*
 * id_internal.h — helpers shared by the identity, signed-note and checkpoint
 * sources (src/lib/id/) and usable by other libdoge modules: strict standard
 * base64 with padding, UTF-8 and key-name validation, the note key ID
 * (key hash), and the tlog-cosignature v1 signed message. Not installed.
 */
#ifndef DOGE_ID_INTERNAL_H
#define DOGE_ID_INTERNAL_H

#include "doge/id.h"

#include <stddef.h>
#include <stdint.h>

/* The number of base64 characters (with padding) for n bytes. */
#define DOGE__B64_LEN(n) ((((n) + 2) / 3) * 4)

/* Encodes len bytes as standard base64 with padding into out, which must
 * hold DOGE__B64_LEN(len) + 1 bytes; NUL-terminates; returns the length. */
size_t doge__b64_encode(char *out, const void *in, size_t len);

/* Decodes exactly len characters of standard, padded, canonical base64
 * (no whitespace, no missing or extra padding, unused bits zero) into out,
 * which must hold len / 4 * 3 bytes. Returns 0 and sets *out_len, or -1 when
 * the text is not canonical base64 (no error message is set). */
int doge__b64_decode(uint8_t *out, size_t *out_len, const char *in, size_t len);

/* Reports whether s[0..len) is valid UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF). */
int doge__utf8_valid(const char *s, size_t len);

/* Reports whether s[0..len) is valid UTF-8 with no ASCII control character
 * other than newline, as signed-note requires of a whole note. On failure
 * *bad_at (if not NULL) is the byte offset of the first bad character. */
int doge__note_text_valid(const char *s, size_t len, size_t *bad_at);

/* Reports whether name[0..len) is a valid key name per signed-note: non-empty
 * valid UTF-8 with no Unicode space, no '+' and no ASCII control character.
 * On failure *why (if not NULL) is a short static reason. */
int doge__key_name_valid(const char *name, size_t len, const char **why);

/* SHA-256(name || "\n" || type || key)[:4] as a big-endian uint32. Returns
 * DOGE_OK or DOGE_ECRYPTO (message set). */
int doge__key_hash(const char *name, size_t name_len, uint8_t type,
                   const uint8_t *key, size_t key_len, uint32_t *out);

/* The tlog-cosignature v1 (Ed25519) signed message:
 * "cosignature/v1\ntime <timestamp>\n" || body. *out is malloc'd and owned by
 * the caller. Fails with DOGE_ERANGE when timestamp exceeds 2^63 - 1. */
int doge__cosignature_message(uint8_t **out, size_t *out_len, const char *body,
                              size_t body_len, uint64_t timestamp);

/* Largest timestamp a cosignature may carry (2^63 - 1). */
#define DOGE__COSIG_MAX_TIME UINT64_C(0x7fffffffffffffff)

/* Big-endian helpers. */
void doge__put_be32(uint8_t *p, uint32_t v);
void doge__put_be64(uint8_t *p, uint64_t v);
uint32_t doge__get_be32(const uint8_t *p);
uint64_t doge__get_be64(const uint8_t *p);

#endif
