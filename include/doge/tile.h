/*
 * doge/tile.h — C2SP tlog-tiles for the doge ledger: the tile coordinates of
 * a tree (height 8, so a full tile holds 256 hashes), tile and entry-bundle
 * paths ("tile/<L>/<N>[.p/<W>]", "tile/entries/<N>[.p/<W>]") with strict
 * parsing for serving untrusted request paths, tile data built from stored
 * hashes and stored hashes read back out of tile data, and entry bundles
 * (each entry a big-endian uint16 length and its bytes). The shape follows
 * Go's golang.org/x/mod/sumdb/tlog Tile, TileForIndex, HashFromTile,
 * ReadTileData and NewTiles.
 *
 * Ownership: every pointer argument is borrowed for the duration of the call
 * only; outputs go to caller-provided buffers. The entry views written by
 * doge_tile_bundle_parse point into the caller's bundle buffer and are valid
 * as long as that buffer is.
 */
#ifndef DOGE_TILE_H
#define DOGE_TILE_H

#include "doge/common.h"
#include "doge/merkle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Tile height: a tile spans 8 levels of the tree. */
#define DOGE_TILE_HEIGHT 8
/* Hashes (or entries) in a full tile (or bundle): 2^8. */
#define DOGE_TILE_WIDTH 256
/* Bytes of a full hash tile: 256 * 32. */
#define DOGE_TILE_DATA_MAX (DOGE_TILE_WIDTH * DOGE_MERKLE_HASH_SIZE)
/* The level value that denotes an entry bundle rather than a hash tile. */
#define DOGE_TILE_LEVEL_ENTRIES (-1)
/* The highest hash tile level a path may name (C2SP: 0..63). */
#define DOGE_TILE_LEVEL_MAX 63
/* Buffer size that holds any tile path and its NUL. */
#define DOGE_TILE_PATH_MAX 64
/* The largest entry in a bundle. */
#define DOGE_TILE_ENTRY_MAX 65535

/*
 * A tile's coordinates. level is 0..63 for hash tiles (level L holds the
 * hashes at tree level 8L) or DOGE_TILE_LEVEL_ENTRIES for an entry bundle;
 * n >= 0 is the tile's number within its level; width is 1..256, 256 being
 * a full tile and anything less a partial one. The tile covers tree level
 * 8L hashes [n*256, n*256 + width).
 */
typedef struct doge_tile {
    int level;
    int64_t n;
    int width;
} doge_tile;

/* An entry of a bundle: a view of len bytes at data (borrowed). */
typedef struct doge_tile_entry {
    const uint8_t *data;
    size_t len;
} doge_tile_entry;

/* DOGE_OK when t is well formed (level, n, width in range and the tile's
 * first index representable), else DOGE_EINVAL. */
DOGE_EXTERN int doge_tile_check(const doge_tile *t);

/*
 * Writes t's path, NUL-terminated, to buf (capacity cap;
 * DOGE_TILE_PATH_MAX always suffices): "tile/<L>/<N>" or
 * "tile/entries/<N>", plus ".p/<W>" when width < 256, with N in
 * three-digit groups, all but the last prefixed "x" (1234067 ->
 * "x001/x234/067"). *len (may be NULL) gets the length without the NUL.
 * Returns DOGE_OK, DOGE_EINVAL (bad tile), DOGE_ELIMIT (cap too small).
 */
DOGE_EXTERN int doge_tile_path(const doge_tile *t, char *buf, size_t cap, size_t *len);

/*
 * Parses a tile or entry-bundle path of len bytes (no NUL needed) into *out.
 * Strict: accepts only the canonical form doge_tile_path writes, so "..",
 * empty or extra elements, leading zeros, an "x" on the last group or a
 * missing one elsewhere, a group that is not exactly three digits, W = 0,
 * W >= 256, L > 63 and an N that overflows are all DOGE_EINVAL.
 */
DOGE_EXTERN int doge_tile_parse_path(const char *path, size_t len, doge_tile *out);

/*
 * The hash tile of least width that holds the stored hash with the given
 * stored-hash index (see doge_merkle_stored_hash_index): hashes at tree
 * levels that are multiples of 8 are tile entries; those in between are
 * recomputed from the tile below. Returns DOGE_OK or DOGE_ERANGE.
 */
DOGE_EXTERN int doge_tile_for_index(int64_t index, doge_tile *out);

/*
 * The stored hash with the given index, computed from tile data (len bytes,
 * exactly t->width * 32) of tile t, which must be doge_tile_for_index(index)
 * or a wider tile at the same coordinates. Returns DOGE_OK, DOGE_EINVAL (bad
 * tile or data length, or index not in t), or DOGE_ECRYPTO.
 */
DOGE_EXTERN int doge_tile_hash_from_data(const doge_tile *t, const uint8_t *data, size_t len,
                                         int64_t index, uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/*
 * Builds hash tile t's data from stored hashes with one call to read
 * (t->width hashes): writes t->width * 32 bytes to out (capacity cap bytes;
 * DOGE_TILE_DATA_MAX always suffices) and that length to *len. Returns
 * DOGE_OK, DOGE_EINVAL (bad or entry tile), DOGE_ELIMIT, or the reader's
 * error.
 */
DOGE_EXTERN int doge_tile_read_data(const doge_tile *t, doge_merkle_hash_reader read, void *ctx,
                                    uint8_t *out, size_t cap, size_t *len);

/*
 * The hash tiles to publish when a tree grows from old_size to new_size
 * (0 <= old_size <= new_size <= DOGE_MERKLE_MAX_SIZE): every tile that is
 * new or wider, level by level, full tiles before the partial one. With
 * old_size 0 this is every tile of the tree of new_size. The entry bundles
 * to publish are the level-0 ones with level set to
 * DOGE_TILE_LEVEL_ENTRIES. Writes up to cap tiles to out (may be NULL when
 * cap is 0) and always sets *count to the total number. Returns DOGE_OK,
 * DOGE_EINVAL, or DOGE_ELIMIT when the total exceeds cap (out then holds
 * the first cap tiles).
 */
DOGE_EXTERN int doge_tile_new_tiles(int64_t old_size, int64_t new_size, doge_tile *out,
                                    size_t cap, size_t *count);

/*
 * DOGE_OK when tile t (hash tile or entry bundle, exactly this width) is
 * part of the tree of the given size, DOGE_ENOTFOUND when not (beyond the
 * tree, or a partial width the tree does not have), DOGE_EINVAL for a bad
 * tile or size.
 */
DOGE_EXTERN int doge_tile_in_tree(const doge_tile *t, int64_t size);

/*
 * Appends one entry (elen bytes, at most DOGE_TILE_ENTRY_MAX) to a bundle
 * being built in buf (capacity cap bytes, *len bytes used so far; *len is
 * advanced). Returns DOGE_OK, DOGE_EINVAL (NULL, or elen too large), or
 * DOGE_ELIMIT (no room; buf and *len unchanged).
 */
DOGE_EXTERN int doge_tile_bundle_append(uint8_t *buf, size_t cap, size_t *len,
                                        const void *entry, size_t elen);

/*
 * Splits a bundle (len bytes) into its entries: writes views into data to
 * out (capacity cap entries) and their number to *count. Strict: a
 * truncated length prefix or entry, an empty bundle, and more than
 * DOGE_TILE_WIDTH entries are DOGE_EINVAL; more entries than cap is
 * DOGE_ELIMIT. A bundle cut between two entries is still well formed, so a
 * reader of bundle t must also check that *count equals t.width.
 */
DOGE_EXTERN int doge_tile_bundle_parse(const uint8_t *data, size_t len, doge_tile_entry *out,
                                       size_t cap, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
