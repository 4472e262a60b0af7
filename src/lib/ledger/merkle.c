/*
 * merkle.c — RFC 9162 Merkle tree hashing for the ledger: SHA-256 leaf and
 * node hashes through OpenSSL's SHA256_Init/Update/Final on a stack context
 * (deprecated in OpenSSL 3 but present unless it is built without them: the
 * provider dispatch of EVP costs about 110 ns on top of the 140 ns a 65-byte
 * node hash takes, which proofs and appends feel), else through EVP (one
 * fetched EVP_MD for the process and one reused EVP_MD_CTX per thread,
 * because per-call EVP setup costs several times the hash itself), the
 * stored-hash index arithmetic, tree heads, and
 * generation and RFC-exact verification of inclusion and consistency proofs.
 * Proof generation walks the tree iteratively, collects the stored-hash
 * indexes it needs, fetches them with a single reader call and assembles the
 * proof on the stack: no heap allocation on any path after a thread's first
 * hash.
 */
/* The low-level SHA-256 functions are deprecated in OpenSSL 3: keep their
 * declarations without the deprecation attribute. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "doge/merkle.h"
#include "internal.h"

#include <openssl/evp.h>
#include <openssl/opensslconf.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <string.h>

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define DOGE_SHA_LOWLEVEL 1
#endif

#define HS DOGE_MERKLE_HASH_SIZE

/* Room for the stored-hash indexes one proof needs: at most one subtree
 * that is not full (popcount <= 62 hashes) plus one hash per other level. */
#define MAX_PROOF_INDEXES (2 * DOGE_MERKLE_MAX_PROOF)

/* ---- SHA-256 ------------------------------------------------------------ */

#ifdef DOGE_SHA_LOWLEVEL

/* out = SHA-256(a || b). */
static int sha256_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[HS])
{
    SHA256_CTX c;
    if (SHA256_Init(&c) != 1 || SHA256_Update(&c, a, alen) != 1 ||
        (blen > 0 && SHA256_Update(&c, b, blen) != 1) || SHA256_Final(out, &c) != 1)
        return doge__error_set(DOGE_ECRYPTO, "SHA-256: OpenSSL digest failed");
    return DOGE_OK;
}

#else

static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha_md;          /* fetched once, kept for the process */
static pthread_key_t sha_key;   /* frees each thread's context at exit */
static int sha_ready;
static _Thread_local EVP_MD_CTX *sha_ctx;

static void sha_ctx_destroy(void *p)
{
    EVP_MD_CTX_free(p);
    sha_ctx = NULL;
}

static void sha_init_once(void)
{
    sha_md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (sha_md == NULL)
        return;
    if (pthread_key_create(&sha_key, sha_ctx_destroy) != 0) {
        EVP_MD_free(sha_md);
        sha_md = NULL;
        return;
    }
    sha_ready = 1;
}

static EVP_MD_CTX *sha_context(void)
{
    if (sha_ctx != NULL)
        return sha_ctx;
    if (pthread_once(&sha_once, sha_init_once) != 0 || !sha_ready)
        return NULL;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (c == NULL)
        return NULL;
    if (pthread_setspecific(sha_key, c) != 0) {
        EVP_MD_CTX_free(c);
        return NULL;
    }
    sha_ctx = c;
    return c;
}

/* out = SHA-256(a || b). */
static int sha256_2(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[HS])
{
    EVP_MD_CTX *c = sha_context();
    if (c == NULL)
        return doge__error_set(DOGE_ECRYPTO, "SHA-256: cannot set up an OpenSSL digest context");
    if (EVP_DigestInit_ex2(c, sha_md, NULL) != 1 || EVP_DigestUpdate(c, a, alen) != 1 ||
        (blen > 0 && EVP_DigestUpdate(c, b, blen) != 1) || EVP_DigestFinal_ex(c, out, NULL) != 1)
        return doge__error_set(DOGE_ECRYPTO, "SHA-256: OpenSSL digest failed");
    return DOGE_OK;
}

#endif

int doge_merkle_leaf_hash(const void *data, size_t len, uint8_t out[HS])
{
    static const uint8_t prefix = 0x00;
    if (out == NULL || (data == NULL && len > 0))
        return doge__error_set(DOGE_EINVAL, "merkle leaf hash: NULL argument");
    return sha256_2(&prefix, 1, data, len, out);
}

int doge_merkle_node_hash(const uint8_t left[HS], const uint8_t right[HS], uint8_t out[HS])
{
    if (left == NULL || right == NULL || out == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle node hash: NULL argument");
    uint8_t buf[1 + 2 * HS];
    buf[0] = 0x01;
    memcpy(buf + 1, left, HS);
    memcpy(buf + 1 + HS, right, HS);
    return sha256_2(buf, sizeof buf, NULL, 0, out);
}

void doge_merkle_empty_root(uint8_t out[HS])
{
    static const uint8_t empty[HS] = {
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
        0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
        0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    };
    memcpy(out, empty, HS);
}

/* ---- bit arithmetic ------------------------------------------------------ */

static inline int popcount64(uint64_t x) { return __builtin_popcountll(x); }
static inline int ctz64(uint64_t x) { return x ? __builtin_ctzll(x) : 64; }
static inline int log2_floor(uint64_t x) { return 63 - __builtin_clzll(x); } /* x > 0 */

/* The largest power of two strictly less than x (x >= 2): RFC 9162's k. */
static inline int64_t split_point(int64_t x)
{
    return (int64_t)1 << log2_floor((uint64_t)x - 1);
}

/* ---- stored hashes -------------------------------------------------------- */

/* doge_merkle_stored_hash_index without argument checks. Level L's hash n is
 * stored right after level L-1's hash 2n+1, so it sits where level 0 hash
 * m = (n+1)*2^L - 1 would, plus L; and level 0 hash m sits at
 * m + m/2 + m/4 + ... = 2m - popcount(m). */
static inline int64_t shi(int level, int64_t n)
{
    uint64_t m = (((uint64_t)n + 1) << level) - 1;
    return (int64_t)(2 * m - (uint64_t)popcount64(m)) + level;
}

int64_t doge_merkle_stored_hash_index(int level, int64_t n)
{
    if (level < 0 || level > 62 || n < 0 || n >= (DOGE_MERKLE_MAX_SIZE >> level)) {
        doge__error_set(DOGE_ERANGE, "merkle stored hash index: level %d, n %lld out of range",
                        level, (long long)n);
        return -1;
    }
    return shi(level, n);
}

int64_t doge_merkle_stored_hash_count(int64_t n)
{
    if (n < 0 || n > DOGE_MERKLE_MAX_SIZE) {
        doge__error_set(DOGE_ERANGE, "merkle stored hash count: size %lld out of range",
                        (long long)n);
        return -1;
    }
    /* One hash per full subtree: n leaves, n/2 pairs, ... = 2n - popcount(n). */
    return (int64_t)(2 * (uint64_t)n - (uint64_t)popcount64((uint64_t)n));
}

int doge_merkle_split_stored_hash_index(int64_t index, int *level, int64_t *n)
{
    if (level == NULL || n == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle split stored hash index: NULL argument");
    /* The largest valid index is the last one of a tree of the maximum size. */
    if (index < 0 || index > INT64_MAX - 1)
        return doge__error_set(DOGE_ERANGE, "merkle stored hash index %lld out of range",
                               (long long)index);
    /* shi(0, m) <= 2m, so the record whose leaf precedes index is in
     * [index/2, index/2 + log2(index)]: walk forward from index/2. Each
     * record m adds 1 + ctz(m+1) hashes. */
    int64_t m = index / 2;
    int64_t at = shi(0, m);
    if (at > index)
        return doge__error_set(DOGE_ERROR, "merkle split stored hash index: bad arithmetic");
    for (;;) {
        int64_t next = at + 1 + ctz64((uint64_t)m + 1);
        if (next > index)
            break;
        m++;
        at = next;
    }
    int l = (int)(index - at);
    *level = l;
    *n = m >> l;
    return DOGE_OK;
}

int doge_merkle_stored_hashes(int64_t n, const uint8_t leaf_hash[HS],
                              doge_merkle_hash_reader read, void *ctx, uint8_t *out,
                              size_t cap, size_t *count)
{
    if (leaf_hash == NULL || out == NULL || count == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle stored hashes: NULL argument");
    if (n < 0 || n >= DOGE_MERKLE_MAX_SIZE)
        return doge__error_set(DOGE_EINVAL, "merkle stored hashes: record %lld out of range",
                               (long long)n);
    /* Each trailing 1 bit of n completes a subtree, whose left half is an
     * earlier stored hash. */
    int m = ctz64((uint64_t)n + 1);
    if ((size_t)m + 1 > cap)
        return doge__error_set(DOGE_ELIMIT, "merkle stored hashes: need room for %d hashes, have %zu",
                               m + 1, cap);
    uint8_t h[HS];
    memcpy(h, leaf_hash, HS);
    if (m > 0) {
        if (read == NULL)
            return doge__error_set(DOGE_EINVAL, "merkle stored hashes: NULL hash reader");
        int64_t indexes[64];
        uint8_t old[64 * HS];
        for (int i = 0; i < m; i++)
            indexes[m - 1 - i] = shi(i, (n >> i) - 1); /* n >> i is odd: sorted order */
        int rc = read(ctx, indexes, (size_t)m, old);
        if (rc != DOGE_OK)
            return rc < 0 ? rc : doge__error_set(DOGE_ERROR, "merkle hash reader failed");
        memcpy(out, h, HS);
        for (int i = 0; i < m; i++) {
            if ((rc = doge_merkle_node_hash(old + (size_t)(m - 1 - i) * HS, h, h)) != DOGE_OK)
                return rc;
            memcpy(out + (size_t)(i + 1) * HS, h, HS);
        }
    } else {
        memcpy(out, h, HS);
    }
    *count = (size_t)m + 1;
    return DOGE_OK;
}

/* ---- subtrees -------------------------------------------------------------- */

/* Appends to idx (at *k, capacity cap) the stored-hash indexes of the full
 * subtrees that make up records [lo, hi), largest first. lo must be aligned
 * to the first of them, which holds for every range RFC 9162 splits off. */
static int subtree_indexes(int64_t lo, int64_t hi, int64_t *idx, size_t cap, size_t *k)
{
    while (lo < hi) {
        int level = log2_floor((uint64_t)(hi - lo));
        int64_t size = (int64_t)1 << level;
        if ((lo & (size - 1)) != 0 || *k >= cap)
            return doge__error_set(DOGE_ERROR, "merkle: bad subtree arithmetic at [%lld, %lld)",
                                   (long long)lo, (long long)hi);
        idx[(*k)++] = shi(level, lo >> level);
        lo += size;
    }
    return DOGE_OK;
}

/* out = the hash of the subtree made of count consecutive full-subtree
 * hashes (largest first): they nest to the right. */
static int subtree_hash(const uint8_t *hashes, size_t count, uint8_t out[HS])
{
    uint8_t h[HS];
    memcpy(h, hashes + (count - 1) * HS, HS);
    for (size_t i = count - 1; i-- > 0;) {
        int rc = doge_merkle_node_hash(hashes + i * HS, h, h);
        if (rc != DOGE_OK)
            return rc;
    }
    memcpy(out, h, HS);
    return DOGE_OK;
}

static int call_reader(doge_merkle_hash_reader read, void *ctx, const int64_t *idx, size_t k,
                       uint8_t *out)
{
    if (read == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle: NULL hash reader");
    int rc = read(ctx, idx, k, out);
    if (rc != DOGE_OK)
        return rc < 0 ? rc : doge__error_set(DOGE_ERROR, "merkle hash reader failed");
    return DOGE_OK;
}

int doge_merkle_tree_hash(int64_t n, doge_merkle_hash_reader read, void *ctx, uint8_t out[HS])
{
    if (out == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle tree hash: NULL argument");
    if (n < 0 || n > DOGE_MERKLE_MAX_SIZE)
        return doge__error_set(DOGE_EINVAL, "merkle tree hash: size %lld out of range",
                               (long long)n);
    if (n == 0) {
        doge_merkle_empty_root(out);
        return DOGE_OK;
    }
    int64_t idx[64];
    uint8_t hashes[64 * HS];
    size_t k = 0;
    int rc = subtree_indexes(0, n, idx, 64, &k);
    if (rc == DOGE_OK)
        rc = call_reader(read, ctx, idx, k, hashes);
    if (rc == DOGE_OK)
        rc = subtree_hash(hashes, k, out);
    return rc;
}

/* A proof is a list of subtree ranges, recorded from the root downwards and
 * emitted in reverse (from the leaf upwards). */
struct ranges {
    int64_t lo[DOGE_MERKLE_MAX_PROOF], hi[DOGE_MERKLE_MAX_PROOF];
    size_t n;
};

/* Reads the hashes of the ranges with one reader call and writes the proof,
 * last range first. */
static int emit_proof(const struct ranges *r, doge_merkle_hash_reader read, void *ctx,
                      uint8_t *proof, size_t cap, size_t *len)
{
    if (r->n > cap)
        return doge__error_set(DOGE_ELIMIT, "merkle proof: need room for %zu hashes, have %zu",
                               r->n, cap);
    if (r->n == 0) {
        *len = 0;
        return DOGE_OK;
    }
    int64_t idx[MAX_PROOF_INDEXES];
    size_t start[DOGE_MERKLE_MAX_PROOF + 1];
    uint8_t hashes[MAX_PROOF_INDEXES * HS];
    size_t k = 0;
    int rc;
    for (size_t i = 0; i < r->n; i++) {
        start[i] = k;
        if ((rc = subtree_indexes(r->lo[i], r->hi[i], idx, MAX_PROOF_INDEXES, &k)) != DOGE_OK)
            return rc;
    }
    start[r->n] = k;
    if ((rc = call_reader(read, ctx, idx, k, hashes)) != DOGE_OK)
        return rc;
    for (size_t i = 0; i < r->n; i++) {
        size_t j = r->n - 1 - i;
        rc = subtree_hash(hashes + start[j] * HS, start[j + 1] - start[j], proof + i * HS);
        if (rc != DOGE_OK)
            return rc;
    }
    *len = r->n;
    return DOGE_OK;
}

static void ranges_add(struct ranges *r, int64_t lo, int64_t hi)
{
    r->lo[r->n] = lo;
    r->hi[r->n] = hi;
    r->n++;
}

int doge_merkle_prove_record(int64_t t, int64_t n, doge_merkle_hash_reader read, void *ctx,
                             uint8_t *proof, size_t cap, size_t *len)
{
    if (proof == NULL || len == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle prove record: NULL argument");
    if (t < 1 || t > DOGE_MERKLE_MAX_SIZE || n < 0 || n >= t)
        return doge__error_set(DOGE_EINVAL, "merkle prove record: record %lld not in a tree of size %lld",
                               (long long)n, (long long)t);
    /* RFC 9162 2.1.3.1: PATH(m, D[lo:hi]) descends towards m, taking the
     * hash of the other side at each split. */
    struct ranges r;
    r.n = 0;
    int64_t lo = 0, hi = t;
    while (hi - lo > 1) {
        int64_t k = split_point(hi - lo);
        if (n < lo + k) {
            ranges_add(&r, lo + k, hi);
            hi = lo + k;
        } else {
            ranges_add(&r, lo, lo + k);
            lo += k;
        }
    }
    return emit_proof(&r, read, ctx, proof, cap, len);
}

int doge_merkle_prove_tree(int64_t t, int64_t n, doge_merkle_hash_reader read, void *ctx,
                           uint8_t *proof, size_t cap, size_t *len)
{
    if (proof == NULL || len == NULL)
        return doge__error_set(DOGE_EINVAL, "merkle prove tree: NULL argument");
    if (t < 1 || t > DOGE_MERKLE_MAX_SIZE || n < 1 || n > t)
        return doge__error_set(DOGE_EINVAL, "merkle prove tree: no proof from size %lld to size %lld",
                               (long long)n, (long long)t);
    /* RFC 9162 2.1.4.1: SUBPROOF(m, D[lo:hi], b). */
    struct ranges r;
    r.n = 0;
    int64_t lo = 0, hi = t;
    for (;;) {
        if (n == hi) {
            if (lo != 0) /* b is false: the verifier does not know this subtree */
                ranges_add(&r, lo, hi);
            break;
        }
        int64_t k = split_point(hi - lo);
        if (n <= lo + k) {
            ranges_add(&r, lo + k, hi);
            hi = lo + k;
        } else {
            ranges_add(&r, lo, lo + k);
            lo += k;
        }
    }
    return emit_proof(&r, read, ctx, proof, cap, len);
}

/* ---- verification (RFC 9162 2.1.3.2 and 2.1.4.2) ----------------------------- */

int doge_merkle_check_record(const uint8_t *proof, size_t len, int64_t t, const uint8_t th[HS],
                             int64_t n, const uint8_t h[HS])
{
    if (th == NULL || h == NULL || (proof == NULL && len > 0))
        return doge__error_set(DOGE_EINVAL, "inclusion proof: NULL argument");
    if (t < 0 || n < 0)
        return doge__error_set(DOGE_EINVAL, "inclusion proof: negative size %lld or index %lld",
                               (long long)t, (long long)n);
    /* 1. */
    if (n >= t)
        return doge__error_set(DOGE_EVERIFY, "inclusion proof: index %lld is not below tree size %lld",
                               (long long)n, (long long)t);
    /* 2., 3. */
    uint64_t fn = (uint64_t)n, sn = (uint64_t)t - 1;
    uint8_t r[HS];
    memcpy(r, h, HS);
    /* 4. */
    for (size_t i = 0; i < len; i++) {
        const uint8_t *p = proof + i * HS;
        int rc;
        if (sn == 0) /* a. */
            return doge__error_set(DOGE_EVERIFY, "inclusion proof: %zu hashes is too long for index %lld of size %lld",
                                   len, (long long)n, (long long)t);
        if ((fn & 1) || fn == sn) { /* b. */
            if ((rc = doge_merkle_node_hash(p, r, r)) != DOGE_OK)
                return rc;
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            if ((rc = doge_merkle_node_hash(r, p, r)) != DOGE_OK)
                return rc;
        }
        fn >>= 1; /* c. */
        sn >>= 1;
    }
    /* 5. */
    if (sn != 0)
        return doge__error_set(DOGE_EVERIFY, "inclusion proof: %zu hashes is too short for index %lld of size %lld",
                               len, (long long)n, (long long)t);
    if (memcmp(r, th, HS) != 0)
        return doge__error_set(DOGE_EVERIFY, "inclusion proof: root hash mismatch for index %lld of size %lld",
                               (long long)n, (long long)t);
    return DOGE_OK;
}

int doge_merkle_check_tree(const uint8_t *proof, size_t len, int64_t t, const uint8_t th[HS],
                           int64_t n, const uint8_t h[HS])
{
    if (th == NULL || h == NULL || (proof == NULL && len > 0))
        return doge__error_set(DOGE_EINVAL, "consistency proof: NULL argument");
    if (t < 0 || n < 0)
        return doge__error_set(DOGE_EINVAL, "consistency proof: negative size %lld or %lld",
                               (long long)n, (long long)t);
    if (n == 0)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: the empty tree proves nothing");
    if (n > t)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: old size %lld is above new size %lld",
                               (long long)n, (long long)t);
    /* RFC 9162's algorithm is for 0 < first < second; for equal sizes the
     * proof (PROOF(m, D[m]), section 2.1.4.1) is empty and the roots must
     * match. */
    if (n == t) {
        if (len != 0)
            return doge__error_set(DOGE_EVERIFY, "consistency proof: sizes are equal (%lld) but the proof has %zu hashes",
                                   (long long)n, len);
        if (memcmp(h, th, HS) != 0)
            return doge__error_set(DOGE_EVERIFY, "consistency proof: sizes are equal (%lld) but the roots differ",
                                   (long long)n);
        return DOGE_OK;
    }
    /* 1. */
    if (len == 0)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: empty proof from size %lld to %lld",
                               (long long)n, (long long)t);
    /* 2. When first is a power of two, the path starts with first_hash
     * itself (prepended virtually: element 0 is h, then the proof). */
    int prepend = ((uint64_t)n & ((uint64_t)n - 1)) == 0;
    size_t plen = len + (size_t)prepend;
#define PATH(i) (prepend ? ((i) == 0 ? h : proof + ((i) - 1) * HS) : proof + (i) * HS)
    /* 3. */
    uint64_t fn = (uint64_t)n - 1, sn = (uint64_t)t - 1;
    /* 4. */
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    /* 5. */
    uint8_t fr[HS], sr[HS];
    memcpy(fr, PATH(0), HS);
    memcpy(sr, PATH(0), HS);
    /* 6. */
    for (size_t i = 1; i < plen; i++) {
        const uint8_t *c = PATH(i);
        int rc;
        if (sn == 0) /* a. */
            return doge__error_set(DOGE_EVERIFY, "consistency proof: %zu hashes is too long from size %lld to %lld",
                                   len, (long long)n, (long long)t);
        if ((fn & 1) || fn == sn) { /* b. */
            if ((rc = doge_merkle_node_hash(c, fr, fr)) != DOGE_OK ||
                (rc = doge_merkle_node_hash(c, sr, sr)) != DOGE_OK)
                return rc;
            if (!(fn & 1))
                while (!(fn & 1) && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            if ((rc = doge_merkle_node_hash(sr, c, sr)) != DOGE_OK)
                return rc;
        }
        fn >>= 1; /* c. */
        sn >>= 1;
    }
#undef PATH
    /* 7. */
    if (sn != 0)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: %zu hashes is too short from size %lld to %lld",
                               len, (long long)n, (long long)t);
    if (memcmp(fr, h, HS) != 0)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: old root mismatch at size %lld", (long long)n);
    if (memcmp(sr, th, HS) != 0)
        return doge__error_set(DOGE_EVERIFY, "consistency proof: new root mismatch at size %lld", (long long)t);
    return DOGE_OK;
}
