/*
 * doge/merkle.h — RFC 9162 (RFC 6962) Merkle tree hashing for the doge
 * ledger: leaf and node hashes, the "stored hash" layout that lets a log keep
 * every full-subtree hash in one dense append-only sequence, tree heads,
 * inclusion ("record") proofs and consistency ("tree") proofs, generated from
 * stored hashes and verified exactly as RFC 9162 sections 2.1.3.2 and 2.1.4.2
 * describe. The shape follows Go's golang.org/x/mod/sumdb/tlog.
 *
 * A hash is 32 bytes (uint8_t[32]); a run of k hashes (a proof, the result
 * of a hash reader) is passed as a flat byte array of 32*k bytes, hash i at
 * offset 32*i, so tile data (concatenated hashes) can be used as is and
 * const-correct calls stay clean under -pedantic. Sizes and indexes are int64_t; a tree holds at most
 * DOGE_MERKLE_MAX_SIZE records. Nothing here allocates on the heap (with an
 * OpenSSL built without its low-level SHA-256 functions, except the one
 * SHA-256 context each thread creates on its first hash, freed when the
 * thread exits).
 *
 * Ownership: every pointer argument is borrowed for the duration of the call
 * only; outputs are written into caller-provided buffers of the stated
 * capacity. Nothing returned points into library memory.
 */
#ifndef DOGE_MERKLE_H
#define DOGE_MERKLE_H

#include "doge/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Size of a SHA-256 hash in bytes. */
#define DOGE_MERKLE_HASH_SIZE 32

/* The largest tree size (number of records) this module handles: 2^62. */
#define DOGE_MERKLE_MAX_SIZE ((int64_t)1 << 62)

/* Enough room for any inclusion or consistency proof of a tree of at most
 * DOGE_MERKLE_MAX_SIZE records, and for the hashes stored by one append. */
#define DOGE_MERKLE_MAX_PROOF 64

/*
 * A hash reader returns previously stored hashes by stored-hash index (see
 * doge_merkle_stored_hash_index). It must write exactly count hashes to out
 * (32*count bytes, the hash with index indexes[i] at out + 32*i) and return
 * DOGE_OK, or return a negative DOGE_E* code (ideally with the thread's last
 * error set). indexes and out are borrowed for the call; count is at most
 * 256 for the calls libdoge makes. ctx is the caller's, passed through.
 */
typedef int (*doge_merkle_hash_reader)(void *ctx, const int64_t *indexes, size_t count,
                                       uint8_t *out);

/* ---- hashing --------------------------------------------------------- */

/* out = SHA-256(0x00 || data[0..len)). data may be NULL when len is 0.
 * Returns DOGE_OK or DOGE_ECRYPTO. */
DOGE_EXTERN int doge_merkle_leaf_hash(const void *data, size_t len,
                                      uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/* out = SHA-256(0x01 || left || right). out may alias left or right.
 * Returns DOGE_OK, DOGE_EINVAL (a NULL pointer) or DOGE_ECRYPTO. */
DOGE_EXTERN int doge_merkle_node_hash(const uint8_t left[DOGE_MERKLE_HASH_SIZE],
                                      const uint8_t right[DOGE_MERKLE_HASH_SIZE],
                                      uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/* out = the root of the empty tree, SHA-256 of the empty string
 * (e3b0c442...b855), as RFC 9162 section 2.1.1 defines. Cannot fail. */
DOGE_EXTERN void doge_merkle_empty_root(uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/* ---- stored hashes --------------------------------------------------- */

/*
 * The stored-hash index of the hash of the n'th full subtree at the given
 * level (level 0 = leaves; the subtree covers records [n*2^level,
 * (n+1)*2^level)). The order is the one of Crosby and Wallach, section 3.3:
 * appending record n stores its leaf hash and then the hashes of every
 * subtree it completes, so the stored hashes form one append-only sequence.
 * Returns the index (>= 0), or -1 when level is outside 0..62, n < 0, or the
 * subtree would end beyond DOGE_MERKLE_MAX_SIZE records (then the thread's
 * last error is set to DOGE_ERANGE).
 */
DOGE_EXTERN int64_t doge_merkle_stored_hash_index(int level, int64_t n);

/* The inverse of doge_merkle_stored_hash_index: *level and *n from index.
 * Returns DOGE_OK, or DOGE_ERANGE when index is negative or too large. */
DOGE_EXTERN int doge_merkle_split_stored_hash_index(int64_t index, int *level, int64_t *n);

/* The number of stored hashes of a tree of n records (2n - popcount(n)), or
 * -1 when n is outside 0..DOGE_MERKLE_MAX_SIZE (last error DOGE_ERANGE). */
DOGE_EXTERN int64_t doge_merkle_stored_hash_count(int64_t n);

/*
 * The hashes to store when appending record n (0-based) whose leaf hash is
 * leaf_hash: the leaf hash followed by one hash per subtree the record
 * completes (1 + trailing ones of n, at most DOGE_MERKLE_MAX_PROOF). They go
 * at stored-hash indexes doge_merkle_stored_hash_index(0, n) onward. Reads
 * the needed earlier hashes with one call to read (none when n is even).
 * Writes them to out (capacity cap hashes, 32*cap bytes) and their number to *count.
 * Returns DOGE_OK, DOGE_EINVAL (bad n or NULL), DOGE_ELIMIT (cap too small),
 * the reader's error, or DOGE_ECRYPTO.
 */
DOGE_EXTERN int doge_merkle_stored_hashes(int64_t n, const uint8_t leaf_hash[DOGE_MERKLE_HASH_SIZE],
                                          doge_merkle_hash_reader read, void *ctx,
                                          uint8_t *out, size_t cap,
                                          size_t *count);

/* ---- tree hashes and proofs ------------------------------------------ */

/*
 * out = the root hash (RFC 9162 MTH) of the tree of the first n records,
 * reading at most 62 stored hashes with one call to read. n == 0 gives the
 * empty root. Returns DOGE_OK, DOGE_EINVAL (n out of range), the reader's
 * error, or DOGE_ECRYPTO.
 */
DOGE_EXTERN int doge_merkle_tree_hash(int64_t n, doge_merkle_hash_reader read, void *ctx,
                                      uint8_t out[DOGE_MERKLE_HASH_SIZE]);

/*
 * The inclusion proof (RFC 9162 PATH, the "audit path") that the tree of size
 * t contains record n (0 <= n < t), ordered from the leaf upwards. Reads the
 * needed stored hashes with one call to read. Writes the proof to proof
 * (capacity cap hashes, 32*cap bytes; DOGE_MERKLE_MAX_PROOF always suffices) and its
 * length to *len. Returns DOGE_OK, DOGE_EINVAL, DOGE_ELIMIT, the reader's
 * error, or DOGE_ECRYPTO.
 */
DOGE_EXTERN int doge_merkle_prove_record(int64_t t, int64_t n, doge_merkle_hash_reader read,
                                         void *ctx, uint8_t *proof,
                                         size_t cap, size_t *len);

/*
 * Verifies that proof (len hashes, 32*len bytes) proves that the tree of
 * size t with root hash th contains, at index n, the record whose leaf hash is h, following
 * RFC 9162 section 2.1.3.2. Returns DOGE_OK when it does; DOGE_EVERIFY when
 * it does not (n >= t, t == 0, a proof of the wrong length, a root
 * mismatch); DOGE_EINVAL for a negative size or index or a NULL pointer with
 * len > 0; DOGE_ECRYPTO if hashing failed. Allocation-free.
 */
DOGE_EXTERN int doge_merkle_check_record(const uint8_t *proof, size_t len,
                                         int64_t t, const uint8_t th[DOGE_MERKLE_HASH_SIZE],
                                         int64_t n, const uint8_t h[DOGE_MERKLE_HASH_SIZE]);

/*
 * The consistency proof (RFC 9162 PROOF) that the tree of size t contains
 * the tree of size n (1 <= n <= t) as a prefix. Empty when n == t. Reads the
 * needed stored hashes with one call to read. Writes to proof (capacity cap hashes;
 * DOGE_MERKLE_MAX_PROOF always suffices) and the length to *len. Returns
 * DOGE_OK, DOGE_EINVAL, DOGE_ELIMIT, the reader's error, or DOGE_ECRYPTO.
 */
DOGE_EXTERN int doge_merkle_prove_tree(int64_t t, int64_t n, doge_merkle_hash_reader read,
                                       void *ctx, uint8_t *proof,
                                       size_t cap, size_t *len);

/*
 * Verifies that proof (len hashes, 32*len bytes) proves that the tree of
 * size t with root th contains as a prefix the tree of size n with root h, following RFC 9162
 * section 2.1.4.2. When n == t the proof must be empty and th must equal h.
 * A tree of size 0 has nothing to be consistent with: n == 0 is rejected.
 * Returns DOGE_OK when it does; DOGE_EVERIFY when it does not (n == 0,
 * n > t, a proof of the wrong length, a root mismatch); DOGE_EINVAL for a
 * negative size or a NULL pointer with len > 0; DOGE_ECRYPTO if hashing
 * failed. Allocation-free.
 */
DOGE_EXTERN int doge_merkle_check_tree(const uint8_t *proof, size_t len,
                                       int64_t t, const uint8_t th[DOGE_MERKLE_HASH_SIZE],
                                       int64_t n, const uint8_t h[DOGE_MERKLE_HASH_SIZE]);

#ifdef __cplusplus
}
#endif
#endif
