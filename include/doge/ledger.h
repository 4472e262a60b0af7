/*
 * doge/ledger.h — doge's tamper-evident log: an append-only Merkle tree
 * (RFC 9162 hashing) stored on disk as the static C2SP tlog-tiles layout
 * (DIR/checkpoint, DIR/tile/<L>/<N>[.p/<W>], DIR/tile/entries/<N>[.p/<W>]),
 * with a signed-note checkpoint (tlog-checkpoint) signed by the log's
 * Ed25519 key, and tlog-proof output for offline verification.
 *
 * Appends are batched: doge_ledger_append() hashes the entry and returns its
 * index at once; the entry is acknowledged (durable, part of a signed
 * checkpoint) only when doge_ledger_commit() returns DOGE_OK. A commit writes
 * every new tile and entry bundle (temporary file, rename), makes them and
 * their folders durable (one syncfs() on Linux, else an fsync of each file
 * and folder), and writes the checkpoint last (temporary file, fsync,
 * rename). A crash at any instant leaves a log that reopens at its last
 * checkpoint; files a crashed batch left beyond it are removed on the next
 * writable open.
 *
 * One writer per folder (an exclusive lock on the folder, held from open to
 * free); readers need no lock.
 *
 * Besides the public layout the folder holds DIR/.doge/hashes, the
 * stored-hash index: every stored hash of the committed tree (32 bytes each,
 * in doge_merkle_stored_hash_index order), so proofs and tree heads read any
 * hash in O(1) instead of recomputing it from tiles. It is a private cache,
 * not part of tlog-tiles: whatever serves DIR statically must not serve
 * dot-files (.doge/). A commit appends to it and fsyncs it before writing
 * the checkpoint; a writable open cuts hashes beyond the checkpoint and
 * rebuilds it from the tiles when it is missing, short or does not match the
 * tiles' right edge (deleting it is always safe); a read-only open never
 * writes it and reads the tiles instead when it is unusable. Nothing trusted
 * depends on it: a wrong hash in it yields proofs that fail
 * doge_merkle_check_record / doge_merkle_check_tree against the signed root,
 * and doge_ledger_verify checks it hash by hash. It is mapped into memory:
 * do not cut it in place while a ledger is open on the folder.
 *
 * Ownership: doge_ledger_open() returns a ledger freed with
 * doge_ledger_free(). The signer passed to open is borrowed and must outlive
 * the ledger; the verifier is copied. Every char ** / uint8_t ** output is
 * malloc'd and owned by the caller (free()).
 */
#ifndef DOGE_LEDGER_H
#define DOGE_LEDGER_H

#include "common.h"
#include "id.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_ledger doge_ledger;

/* The largest entry, in bytes (uint16 length prefix in entry bundles). */
#define DOGE_LEDGER_ENTRY_MAX 65535

/* Creates an empty log in dir (created if missing): a signed checkpoint of
 * size 0 for origin. DOGE_EEXISTS when dir already holds a checkpoint. */
DOGE_EXTERN int doge_ledger_create(const char *dir, const doge_signer *signer,
                                   const char *origin);

/* Opens the log in dir. log_key verifies the checkpoint (required). With a
 * signer (the private half of log_key) the log is writable: it takes the
 * folder's writer lock, removes what a crashed batch left and accepts
 * appends; with signer NULL it is read-only. The tree is checked against the
 * checkpoint's root on open. */
DOGE_EXTERN int doge_ledger_open(doge_ledger **out, const char *dir, const doge_verifier *log_key,
                                 const doge_signer *signer);

/* Closes without committing pending appends (they are discarded); NULL ok. */
DOGE_EXTERN void doge_ledger_free(doge_ledger *l);

/* Entries in the last signed checkpoint (acknowledged). */
DOGE_EXTERN int64_t doge_ledger_size(const doge_ledger *l);

/* Appended entries not yet committed. */
DOGE_EXTERN int64_t doge_ledger_pending(const doge_ledger *l);

/* The log's origin line. Borrowed. */
DOGE_EXTERN const char *doge_ledger_origin(const doge_ledger *l);

/* The root hash of the last signed checkpoint (32 bytes, borrowed). */
DOGE_EXTERN const uint8_t *doge_ledger_root(const doge_ledger *l);

/* Appends one entry (at most DOGE_LEDGER_ENTRY_MAX bytes; larger is
 * DOGE_ELIMIT: log a hash of the record instead) and sets *index (may be
 * NULL). Pending until the next commit; when the batch limit is reached the
 * batch is committed first. */
DOGE_EXTERN int doge_ledger_append(doge_ledger *l, const void *data, size_t len, int64_t *index);

/* Sets the most entries held pending before append commits by itself
 * (default 65536; at least 1). */
DOGE_EXTERN void doge_ledger_set_batch_max(doge_ledger *l, int64_t max);

/* Makes every pending entry durable and signs a new checkpoint. */
DOGE_EXTERN int doge_ledger_commit(doge_ledger *l);

/* The current checkpoint file as published (signed note with any witness
 * cosignatures). */
DOGE_EXTERN int doge_ledger_checkpoint(doge_ledger *l, char **out, size_t *len);

/* Reads committed entry index into *data (*len bytes). */
DOGE_EXTERN int doge_ledger_get(doge_ledger *l, int64_t index, uint8_t **data, size_t *len);

/* The root hash of the tree of the first size entries (size <= committed). */
DOGE_EXTERN int doge_ledger_tree_hash(doge_ledger *l, int64_t size, uint8_t out[32]);

/* Inclusion proof of entry index in the tree of size entries: writes up to
 * cap hashes (32 bytes each) to proof and their count to *len. 64 always
 * suffices. */
DOGE_EXTERN int doge_ledger_prove_inclusion(doge_ledger *l, int64_t index, int64_t size,
                                            uint8_t *proof, size_t cap, size_t *len);

/* Consistency proof between the trees of sizes m <= n (both <= committed). */
DOGE_EXTERN int doge_ledger_prove_consistency(doge_ledger *l, int64_t m, int64_t n, uint8_t *proof,
                                              size_t cap, size_t *len);

/* A c2sp.org/tlog-proof@v1 for entry index against a signed checkpoint
 * (checkpoint NULL: the current one; else a signed checkpoint of this log
 * for an earlier size, whose root is checked against the tree). */
DOGE_EXTERN int doge_ledger_tlog_proof(doge_ledger *l, int64_t index, const char *checkpoint,
                                       size_t checkpoint_len, char **out, size_t *len);

/* A tlog-witness add-checkpoint request body: "old M", the consistency proof
 * from m to the checkpoint's size, an empty line and the signed checkpoint
 * (checkpoint NULL: the current one; else a signed checkpoint of this log,
 * whose root is checked against the tree). */
DOGE_EXTERN int doge_ledger_witness_request(doge_ledger *l, int64_t m, const char *checkpoint,
                                            size_t checkpoint_len, char **out, size_t *len);

/* Attaches witness cosignature lines ("— name base64\n", as a witness
 * returns them) to the current checkpoint. Each line must be a valid
 * cosignature of the current checkpoint by one of the n witness keys;
 * lines already present are skipped. *added (may be NULL) counts new ones. */
DOGE_EXTERN int doge_ledger_cosign_add(doge_ledger *l, const char *lines, size_t len,
                                       const doge_verifier *const *witnesses, size_t n,
                                       size_t *added);

/* What doge_ledger_verify() checked. */
typedef struct doge_ledger_report {
    int64_t size;           /* entries checked */
    int64_t entries_bytes;  /* their total size */
    int64_t bundles;        /* entry bundles read */
    int64_t tiles;          /* hash tiles read (full and partial) */
    int64_t hashes;         /* hashes recomputed */
    size_t signatures;      /* checkpoint signatures verified */
    size_t unknown_signatures; /* signature lines by keys not given */
    int64_t index_hashes;   /* stored hashes of DIR/.doge/hashes checked (0: none there) */
} doge_ledger_report;

/* Re-reads every entry bundle and hash tile of the committed tree,
 * recomputes every hash and the root, and checks the checkpoint's
 * signatures: the log's, and the cosignatures of the n witnesses given.
 * DOGE_EVERIFY names the first file that does not match. Then checks the
 * stored-hash index DIR/.doge/hashes, when there is one, against the
 * recomputed hashes: a short or wrong index is DOGE_EVERIFY naming it, and
 * this ledger stops reading hashes from it (delete it to have the next
 * writable open rebuild it). */
DOGE_EXTERN int doge_ledger_verify(doge_ledger *l, const doge_verifier *const *witnesses, size_t n,
                                   doge_ledger_report *report);

/* ---- the workspace's ledger -------------------------------------------- */

struct doge_workspace;

/* Creates the workspace's log in its ledger/ folder, signed by the key named
 * key_name in keys/ (an Ed25519 key; doge_keystore), with origin (NULL: the
 * key name), and records the key name in the store. */
DOGE_EXTERN int doge_ledger_init_workspace(struct doge_workspace *ws, const char *key_name,
                                           const char *origin);

/* Opens the workspace's log, writable (loads the private key) or read-only.
 * Every checkpoint it signs is also kept in the workspace store, so proofs
 * against earlier checkpoints can be made later. DOGE_ENOTFOUND, saying how
 * to create one, when the workspace has no log. */
DOGE_EXTERN int doge_ledger_open_workspace(doge_ledger **out, struct doge_workspace *ws,
                                           int writable);

/* Where a log archives each checkpoint it signs (the ledger_checkpoint
 * table of a workspace store; borrowed). doge_ledger_open_workspace() sets
 * the workspace's store, and doge_ledger_commit() archives into it. A log
 * committed on another thread than the one using that store sets NULL and
 * archives the checkpoints from the store's thread with
 * doge_ledger_archive_checkpoint(). */
struct doge_store;
DOGE_EXTERN void doge_ledger_set_archive(doge_ledger *l, struct doge_store *st);

/* Archives checkpoint (len bytes, as doge_ledger_checkpoint() gives it), the
 * signed checkpoint of a log of size entries, into st. */
DOGE_EXTERN int doge_ledger_archive_checkpoint(struct doge_store *st, int64_t size,
                                               const char *checkpoint, size_t len);

/* A signed checkpoint of the workspace's log for exactly size entries, from
 * the store's archive (malloc'd). DOGE_ENOTFOUND when none was signed. */
DOGE_EXTERN int doge_ledger_archived_checkpoint(struct doge_workspace *ws, int64_t size,
                                                char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
