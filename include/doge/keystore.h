/*
 * doge/keystore.h — the keys of a workspace, kept as text files in its keys/
 * folder: keys/FILE.key holds a private key ("PRIVATE+KEY+<name>+<key ID>+
 * <base64>" and a newline, mode 0600) and keys/FILE.pub its verifier key
 * ("<name>+<key ID>+<base64>" and a newline, mode 0644), in the formats of
 * doge/id.h. A key may have only a .pub (someone else's key, e.g. a witness
 * or another log, kept to verify with). Both key types are stored the same
 * way: DOGE_KEY_ED25519 keys sign notes and checkpoints, DOGE_KEY_COSIGNATURE_V1
 * keys (witnesses) cosign checkpoints; the private key is the Ed25519 seed
 * in both, and the type byte in the key text tells them apart.
 *
 * File names: FILE is the key name with every '/' replaced by '_', so an
 * origin-like name "doge.example/log" lives in keys/doge.example_log.key;
 * the real name stays inside the key text and is what every function here
 * compares. A name must be a valid key name (doge_key_name_check) and, as a
 * path, must not start or end with '/', hold an empty, "." or ".." part, or
 * start with '.'; its file name may be at most DOGE_KEYSTORE_FILE_MAX bytes.
 * Two names that differ only in '/' versus '_' ("a/b", "a_b") map to the
 * same files, so only one of them can be kept; loading by the other name
 * fails with DOGE_ENOTFOUND naming the key the file really holds.
 *
 * Saving never overwrites: the .key file is reserved with an exclusive
 * create before it is written, and an existing .key or .pub of the same
 * file name fails with DOGE_EEXISTS. Files are written with
 * doge__file_write_atomic (temp file, fsync, rename, fsync of keys/); a .key
 * is never visible half written. Reading tolerates trailing whitespace
 * (a final newline, a hand edit's "\r\n") after the key text.
 *
 * Ownership: signers and verifiers returned through ** out-parameters are the
 * caller's (doge_signer_free / doge_verifier_free). A doge_key_info filled
 * by doge_keystore_get owns its strings until doge_keystore_info_clear; the
 * array from doge_keystore_list is the caller's and is released with
 * doge_keystore_list_free. The workspace is borrowed for each call only.
 * Private key text read from or written to disk is wiped from memory after
 * use and never appears in error messages.
 */
#ifndef DOGE_KEYSTORE_H
#define DOGE_KEYSTORE_H

#include "doge/common.h"
#include "doge/id.h"
#include "doge/workspace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest file name stem (before ".key"/".pub") a key name may map to. */
#define DOGE_KEYSTORE_FILE_MAX 200

/* One key of the keys folder. */
typedef struct doge_key_info {
    char *name;         /* the key name, as inside the key text */
    char *file;         /* the file name stem in keys/ (see above) */
    doge_key_type type; /* DOGE_KEY_ED25519 or DOGE_KEY_COSIGNATURE_V1 */
    uint32_t key_hash;  /* the key ID */
    char *vkey;         /* the verifier key text */
    int has_private;    /* 1 when keys/<file>.key holds the private key */
} doge_key_info;

/* Maps a key name to its file name stem (without ".key"/".pub") in buf of
 * cap bytes. DOGE_EINVAL, naming the name and the rule, for names that are
 * not valid key names or would not make a safe file name; DOGE_ELIMIT when
 * buf is too small. */
DOGE_EXTERN int doge_keystore_file_name(const char *name, char *buf, size_t cap);

/* Saves signer s as keys/FILE.key (0600) and its verifier as keys/FILE.pub
 * (0644), creating keys/ (0700) if missing. DOGE_EEXISTS when either file
 * exists. If the .pub cannot be written the .key is removed again. */
DOGE_EXTERN int doge_keystore_save(const doge_workspace *ws, const doge_signer *s);

/* Saves only a verifier key as keys/FILE.pub (0644), for keys whose private
 * half lives elsewhere. DOGE_EEXISTS when FILE.key or FILE.pub exists. */
DOGE_EXTERN int doge_keystore_save_verifier(const doge_workspace *ws, const doge_verifier *v);

/* Loads the private key named name from keys/FILE.key into *out.
 * DOGE_ENOTFOUND (naming the key and the file) when there is no such
 * private key, including when only FILE.pub exists or the file holds a key
 * of another name; DOGE_EINVAL (naming the file) when it does not parse. */
DOGE_EXTERN int doge_keystore_load_signer(const doge_workspace *ws, const char *name,
                                          doge_signer **out);

/* Loads a verifier key into *out from ref, tried in this order:
 *   1. a key name in keys/ (FILE.pub, else the public half of FILE.key);
 *   2. a path to a regular file holding a verifier key text (a file holding
 *      a private key is refused: pass its .pub);
 *   3. a verifier key text "<name>+<key ID>+<base64>" itself.
 * ws may be NULL (no workspace at hand): then only 2 and 3 are tried.
 * DOGE_ENOTFOUND, naming ref, when it is none of these; DOGE_EINVAL when the
 * key found does not parse (the message names the file or the text). */
DOGE_EXTERN int doge_keystore_load_verifier(const doge_workspace *ws, const char *ref,
                                            doge_verifier **out);

/* Fills *out with the key named name. The .key and .pub, when both exist,
 * must be the same key. DOGE_ENOTFOUND when keys/ has no key of that name;
 * DOGE_EINVAL when its files do not parse or disagree. */
DOGE_EXTERN int doge_keystore_get(const doge_workspace *ws, const char *name, doge_key_info *out);

/* Lists every key in keys/ (one entry per file name stem with a .key or
 * .pub; hidden files and other files are ignored), sorted by name, into a
 * malloc'd array *out of *n entries (NULL and 0 when there are none or keys/
 * does not exist). Fails, naming the file, when a key file does not parse,
 * a .key and .pub disagree, or a file's name does not match the key it
 * holds. */
DOGE_EXTERN int doge_keystore_list(const doge_workspace *ws, doge_key_info **out, size_t *n);

/* The cosignature/v1 (witness) keys of keys/ as verifiers: a malloc'd
 * array *out of *n verifiers, released with doge_keystore_verifiers_free().
 * Keys that do not parse as verifiers are left out. */
DOGE_EXTERN int doge_keystore_witness_verifiers(const doge_workspace *ws, doge_verifier ***out,
                                                size_t *n);
DOGE_EXTERN void doge_keystore_verifiers_free(doge_verifier **v, size_t n);

/* Frees the strings of info and zeroes it; NULL is fine. */
DOGE_EXTERN void doge_keystore_info_clear(doge_key_info *info);

/* Frees an array from doge_keystore_list; NULL is fine. */
DOGE_EXTERN void doge_keystore_list_free(doge_key_info *list, size_t n);

/* "ed25519" or "cosignature/v1" (static), "unknown" for anything else. */
DOGE_EXTERN const char *doge_keystore_type_name(doge_key_type type);

#ifdef __cplusplus
}
#endif
#endif
