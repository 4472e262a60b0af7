/*
 * ledger_internal.h — the state of an open ledger shared by the ledger's
 * source files: log.c (open, recovery, append, commit), log_index.c (the
 * stored-hash index sidecar DIR/.doge/hashes), log_read.c (entries, proofs,
 * tlog-proof, witness requests, cosignatures) and log_verify.c (full
 * re-verification). Never installed.
 */
#ifndef DOGE_LEDGER_INTERNAL_H
#define DOGE_LEDGER_INTERNAL_H

#include "doge/ledger.h"
#include "doge/merkle.h"
#include "doge/tile.h"

#include <stdint.h>

#define DOGE__LEDGER_CACHE_SLOTS 1024

typedef struct {
    int level; /* -2 when empty */
    int64_t n;
    int width;
    uint8_t *data; /* width * 32 bytes */
} doge__tile_slot;

struct doge_ledger {
    char *dir;
    int lockfd; /* the folder, flock'ed by a writer; -1 read-only */
    const doge_signer *signer;
    doge_signer *owned_signer; /* freed with the ledger (workspace opens) */
    doge_verifier *verifier;
    struct doge_store *archive; /* borrowed: where signed checkpoints are kept */
    char *origin;
    int64_t size; /* committed */
    uint8_t root[32];
    char *checkpoint; /* the checkpoint file's bytes */
    size_t checkpoint_len;

    /* Stored hashes of pending entries, from stored index overlay_base on. */
    int64_t overlay_base;
    uint8_t *overlay;
    size_t overlay_len, overlay_cap; /* in hashes */

    /* Pending entries, bundle-encoded (uint16 length + bytes), and offsets. */
    uint8_t *pend;
    size_t pend_len, pend_cap;
    size_t *pend_off;
    int64_t npend, pend_off_cap, batch_max;

    /* The committed entries of the partial level-0 tile, bundle-encoded. */
    uint8_t *tail;
    size_t tail_len;

    /* The right edge of the tree of size + npend entries: edge[k] is the
     * hash of its full subtree at level k when bit k of that size is set.
     * Appends hash from it alone; commit takes the new root from it. */
    uint8_t edge[64][DOGE_MERKLE_HASH_SIZE];

    /* The stored-hash index DIR/.doge/hashes (log_index.c): stored hash i at
     * byte 32*i, mapped read-only. idx_fd is -1 when there is none; the
     * reader serves hashes [0, idx_count) from idx_map only when idx_serve
     * is set (cleared when verify finds the file wrong). */
    int idx_fd;
    uint8_t *idx_map;
    size_t idx_map_len;
    int64_t idx_count;
    int idx_serve;

    doge__tile_slot cache[DOGE__LEDGER_CACHE_SLOTS];
};

/* The hash reader over the committed tree and the pending overlay; ctx is
 * the ledger. Committed hashes come from the index when it holds them (O(1),
 * a copy out of the mapping), else from the tiles on disk through the cache
 * (hashes between tile levels recomputed). For proofs and tree heads. */
int doge__ledger_read_hashes(void *ctx, const int64_t *indexes, size_t count, uint8_t *out);

/* The same reader without the index: the overlay and the tiles only. For
 * whatever must not trust the index: the root check on open, the tiles a
 * commit writes, the leaf check of doge_ledger_get, verification. */
int doge__ledger_read_tile_hashes(void *ctx, const int64_t *indexes, size_t count, uint8_t *out);

/* The stored-hash indexes of the right edge of the tree of size entries
 * (its full subtrees, largest first) into idx[64]; returns their number,
 * which is popcount(size). */
size_t doge__ledger_edge_indexes(int64_t size, int64_t idx[64]);

/* Appends record n, whose leaf hash is leaf, to the right edge edge[64] of
 * the tree of n entries: writes the stored hashes of record n (the leaf and
 * every subtree it completes, in stored-hash order) to out (64 hashes of
 * room) and their number to *count, and leaves edge as the tree of n + 1. */
int doge__ledger_edge_push(uint8_t (*edge)[DOGE_MERKLE_HASH_SIZE], int64_t n, const uint8_t *leaf,
                           uint8_t *out, size_t *count);

/* The root hash of the tree of size entries from its right edge. */
int doge__ledger_edge_root(const uint8_t (*edge)[DOGE_MERKLE_HASH_SIZE], int64_t size,
                           uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/* ---- the stored-hash index (log_index.c) ---- */

/* The index file's path (DIR/.doge/hashes) into buf. */
int doge__ledger_index_path(const doge_ledger *l, char *buf, size_t cap);

/* Sets up the index for the committed tree, whose right edge (checked
 * against the checkpoint) is l->edge. Writable: a file longer than
 * doge_merkle_stored_hash_count(size) hashes is cut to it; one shorter,
 * missing, unreadable or disagreeing with the right edge is rebuilt from the
 * level-0 tiles in one streaming pass (temp file, fsync, rename). Read-only:
 * a file that holds the tree's hashes and agrees with the right edge is
 * used; anything else is ignored (the reader falls back to the tiles) and
 * nothing is written. */
int doge__ledger_index_open(doge_ledger *l);

/* Writes the stored hashes [from, from + n) of a batch being committed to
 * the index and fdatasyncs it (before the checkpoint is written). */
int doge__ledger_index_write(doge_ledger *l, int64_t from, const uint8_t *hashes, size_t n);

/* After a commit: the index now holds count hashes (remaps when needed). */
int doge__ledger_index_grow(doge_ledger *l, int64_t count);

/* Unmaps and closes the index. */
void doge__ledger_index_close(doge_ledger *l);

/* Reads tile t as present in the committed tree of size `size` (the partial
 * of that width, else the prefix of the full tile), through the cache.
 * *data is borrowed from the cache until the next call. */
int doge__ledger_tile_data(doge_ledger *l, const doge_tile *t, const uint8_t **data);

/* Reads the entry bundle covering entry tile tn at the committed size into
 * a malloc'd buffer. */
int doge__ledger_read_bundle(doge_ledger *l, int64_t tn, int width, uint8_t **data, size_t *len);

/* Turns the last error, a parse failure of the entry bundle tn of width
 * `width` read from disk, into DOGE_EVERIFY naming the bundle's file: a
 * malformed bundle is a log that does not match, not bad input. */
int doge__ledger_bundle_corrupt(int64_t tn, int width);

/* The width of tile n at level (DOGE_TILE_LEVEL_ENTRIES for bundles) in the
 * tree of `size` entries: 0 when the tile is beyond it. */
int doge__ledger_tile_width(int level, int64_t n, int64_t size);

/* Stores the current checkpoint in l->archive (ledger_checkpoint table). */
int doge__ledger_archive(doge_ledger *l);

#endif
