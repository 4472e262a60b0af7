/*
 * doge/map.h — doge_map, an open-addressing hash map from byte-string keys to
 * a pointer or a 64-bit integer: the per-thread counting and lookup table of
 * the hot paths (awards by key, replies by address, bullets by hash). Keys are
 * arbitrary bytes (NULs allowed) and are copied into an arena the map owns, so
 * callers may pass short-lived views. Linear probing over a power-of-two
 * table, grown at 3/4 load, with backward-shift deletion (no tombstones).
 *
 * The hash is a wyhash-style function (after Wang Yi's public-domain wyhash
 * v4): it mixes eight bytes per step through a 64x64->128-bit multiply, which
 * is several times faster than byte-at-a-time FNV-1a on the 20-60 byte keys
 * doge sees and spreads entropy into the low bits the power-of-two mask uses.
 * It reads input as little-endian so hashes, and hence iteration order, are
 * the same on every platform; it is not bit-compatible with upstream wyhash
 * and is not a cryptographic hash. The seed is fixed so runs are
 * reproducible; callers hashing attacker-chosen keys in bulk should rely on
 * the entry cap (DOGE_ELIMIT) rather than on the hash for protection.
 *
 * Ownership: the caller owns the doge_map made by doge_map_new() and
 * releases it with doge_map_free(). Keys are copied into the map and belong
 * to it until doge_map_clear() or doge_map_free(); key pointers handed out by
 * the iterator stay valid until then (deleting an entry does not release its
 * key bytes). Values are stored as given: the map never frees what a pointer
 * value points to. A value slot pointer from doge_map_upsert() or the
 * iterator is valid until the next put, upsert, delete or clear.
 */
#ifndef DOGE_MAP_H
#define DOGE_MAP_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Entry cap used when doge_map_new() is given 0: 16,777,216. */
#define DOGE_MAP_DEFAULT_MAX_ENTRIES ((size_t)1 << 24)

typedef struct doge_map doge_map;

/* A stored value: a pointer or an integer (read the member you stored). */
typedef union doge_map_value {
    void *ptr;
    uint64_t u64;
} doge_map_value;

/* Walks every entry once, in table order (unspecified but deterministic for
 * a given sequence of operations). The map must not gain or lose entries
 * during a walk; changing values through the slot pointer is fine. */
typedef struct doge_map_iter {
    const struct doge_map *map;
    size_t next;
} doge_map_iter;

/* Creates an empty map holding at most max_entries entries (0: the default)
 * whose copied keys take at most max_key_bytes bytes (0: the arena default,
 * 1 GiB). Nothing is allocated until the first insert. */
DOGE_EXTERN int doge_map_new(doge_map **out, size_t max_entries, size_t max_key_bytes);

/* Releases the map and its keys. m may be NULL. */
DOGE_EXTERN void doge_map_free(doge_map *m);

/* Inserts key -> value or replaces the value of an existing key.
 * DOGE_ELIMIT when a new key would pass a cap, DOGE_ENOMEM. */
DOGE_EXTERN int doge_map_put(doge_map *m, const void *key, size_t klen, void *value);
DOGE_EXTERN int doge_map_put_u64(doge_map *m, const void *key, size_t klen, uint64_t value);

/* Finds or inserts key and points *slot at its value, so a counter is one
 * call: `(*slot)->u64 += n`. A new entry's value is zero (u64 0, ptr NULL);
 * *inserted (if not NULL) is 1 for a new entry, else 0. */
DOGE_EXTERN int doge_map_upsert(doge_map *m, const void *key, size_t klen, doge_map_value **slot,
                                int *inserted);

/* Looks key up: returns 1 and sets *value (if not NULL) when present, 0 when
 * absent. A miss is not an error and leaves doge_error_last() alone. */
DOGE_EXTERN int doge_map_get(const doge_map *m, const void *key, size_t klen, void **value);
DOGE_EXTERN int doge_map_get_u64(const doge_map *m, const void *key, size_t klen,
                                 uint64_t *value);

/* Removes key: returns 1 when it was present, 0 when absent. */
DOGE_EXTERN int doge_map_delete(doge_map *m, const void *key, size_t klen);

/* Number of entries. */
DOGE_EXTERN size_t doge_map_count(const doge_map *m);

/* Removes every entry and releases the key bytes; keeps the table. */
DOGE_EXTERN void doge_map_clear(doge_map *m);

/* Starts a walk over m. */
DOGE_EXTERN void doge_map_iter_init(doge_map_iter *it, const doge_map *m);

/* Moves to the next entry: returns 1 and fills the non-NULL outputs (key
 * bytes owned by the map, key length, value slot), or 0 at the end. */
DOGE_EXTERN int doge_map_iter_next(doge_map_iter *it, const void **key, size_t *klen,
                                   doge_map_value **value);

/* The map's 64-bit hash of len bytes (key may be NULL when len is 0). */
DOGE_EXTERN uint64_t doge_map_hash(const void *key, size_t len, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
