/*
 * ledger_internal.h — the state of an open ledger shared by the ledger's
 * source files: log.c (open, recovery, append, commit), log_read.c (entries,
 * proofs, tlog-proof, witness requests, cosignatures) and log_verify.c
 * (full re-verification). Never installed.
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

    doge__tile_slot cache[DOGE__LEDGER_CACHE_SLOTS];
};

/* The hash reader over the committed tree (tiles on disk, through the
 * cache) and the pending overlay; ctx is the ledger. */
int doge__ledger_read_hashes(void *ctx, const int64_t *indexes, size_t count, uint8_t *out);

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
