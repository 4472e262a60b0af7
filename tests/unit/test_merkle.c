/*
 * test_merkle.c — RFC 9162 Merkle hashing and proofs (doge/merkle.h): the
 * RFC 6962 / Certificate Transparency reference leaves, roots, subtree
 * hashes and proofs; the stored-hash index layout; every transparency-dev
 * merkle probe under DOGE_SHARED_DIR/vectors/merkle-probes giving its
 * expected verdict; proofs checked against an independent recursive RFC
 * implementation for every pair of small sizes; and a property test that
 * appends 100,000 random records and checks that sampled inclusion and
 * consistency proofs between random sizes verify while every tampering
 * (a flipped bit, another index or size, extra or missing hashes) fails;
 * and hashing from several threads at once. Set DOGE_TEST_SEED to replay
 * another random sequence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "doge.h"
#include "merkle_testutil.h"

/* ---- RFC 6962 reference data (transparency-dev/merkle testonly/constants.go
 * and proof/verify_test.go, the Certificate Transparency test tree) ---------- */

static const char *const ref_leaves[8] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
};

static const char *const ref_roots[9] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* Hashes of every full subtree of the 8-leaf tree, by level. */
static const char *const ref_nodes[4][8] = {
    {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
     "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
     "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
     "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
     "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
     "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
     "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
     "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"},
    {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
     "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
     "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
     "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"},
    {"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
     "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"},
    {"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"},
};

struct ref_proof {
    int64_t a, b; /* inclusion: index, size; consistency: size1, size2 */
    int len;
    const char *hashes[3];
};

static const struct ref_proof ref_inclusion[] = {
    {0, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {5, 8, 3, {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
               "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 3, 1, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {1, 5, 3, {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {0, 1, 0, {NULL}},
};

static const struct ref_proof ref_consistency[] = {
    {1, 8, 3, {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
               "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6, 8, 3, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
               "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2, 5, 2, {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
               "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6, 7, 3, {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
               "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
               "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {1, 1, 0, {NULL}},
};

static void hex32(const char *hex, uint8_t out[HSZ])
{
    assert_int_equal(tu_unhex(hex, out, HSZ), HSZ);
}

static void build_reference_tree(memtree *m)
{
    memset(m, 0, sizeof *m);
    for (int i = 0; i < 8; i++) {
        uint8_t data[16];
        size_t len = tu_unhex(ref_leaves[i], data, sizeof data);
        memtree_append(m, data, len);
    }
}

static void test_reference_roots(void **state)
{
    (void)state;
    memtree m;
    build_reference_tree(&m);
    uint8_t want[HSZ], got[HSZ];
    for (int64_t n = 0; n <= 8; n++) {
        hex32(ref_roots[n], want);
        m.reads = 0;
        assert_int_equal(doge_merkle_tree_hash(n, memtree_read, &m, got), DOGE_OK);
        assert_memory_equal(got, want, HSZ);
        assert_true(m.reads == (n > 0)); /* one reader call, none for the empty tree */
    }
    doge_merkle_empty_root(got);
    hex32(ref_roots[0], want);
    assert_memory_equal(got, want, HSZ);
    /* Every full subtree hash sits at its stored-hash index. */
    for (int level = 0; level < 4; level++)
        for (int64_t n = 0; n < (8 >> level); n++) {
            int64_t idx = doge_merkle_stored_hash_index(level, n);
            assert_true(idx >= 0 && idx < m.nhash);
            hex32(ref_nodes[level][n], want);
            assert_memory_equal(m.hashes + idx * HSZ, want, HSZ);
        }
    assert_int_equal(m.nhash, 15);
    memtree_free(&m);
}

static void test_reference_proofs(void **state)
{
    (void)state;
    memtree m;
    build_reference_tree(&m);
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HSZ], want[3 * HSZ], th[HSZ], h[HSZ];
    size_t len;
    for (size_t i = 0; i < sizeof ref_inclusion / sizeof ref_inclusion[0]; i++) {
        const struct ref_proof *p = &ref_inclusion[i];
        for (int j = 0; j < p->len; j++)
            hex32(p->hashes[j], want + j * HSZ);
        m.reads = 0;
        assert_int_equal(doge_merkle_prove_record(p->b, p->a, memtree_read, &m, proof,
                                                  DOGE_MERKLE_MAX_PROOF, &len), DOGE_OK);
        assert_int_equal(len, p->len);
        assert_true(m.reads <= 1);
        if (len)
            assert_memory_equal(proof, want, len * HSZ);
        hex32(ref_roots[p->b], th);
        hex32(ref_nodes[0][p->a], h);
        assert_int_equal(doge_merkle_check_record(want, (size_t)p->len, p->b, th, p->a, h), DOGE_OK);
    }
    for (size_t i = 0; i < sizeof ref_consistency / sizeof ref_consistency[0]; i++) {
        const struct ref_proof *p = &ref_consistency[i];
        for (int j = 0; j < p->len; j++)
            hex32(p->hashes[j], want + j * HSZ);
        assert_int_equal(doge_merkle_prove_tree(p->b, p->a, memtree_read, &m, proof,
                                                DOGE_MERKLE_MAX_PROOF, &len), DOGE_OK);
        assert_int_equal(len, p->len);
        if (len)
            assert_memory_equal(proof, want, len * HSZ);
        hex32(ref_roots[p->b], th);
        hex32(ref_roots[p->a], h);
        assert_int_equal(doge_merkle_check_tree(want, (size_t)p->len, p->b, th, p->a, h), DOGE_OK);
    }
    memtree_free(&m);
}

/* ---- stored hash layout --------------------------------------------------------- */

static void test_stored_hash_index(void **state)
{
    (void)state;
    /* leaf0, leaf1, (1,0), leaf2, leaf3, (1,1), (2,0), leaf4, ... */
    static const int64_t want[][3] = {
        {0, 0, 0}, {0, 1, 1}, {1, 0, 2}, {0, 2, 3}, {0, 3, 4}, {1, 1, 5},
        {2, 0, 6}, {0, 4, 7}, {0, 5, 8}, {1, 2, 9}, {0, 6, 10}, {0, 7, 11},
        {1, 3, 12}, {2, 1, 13}, {3, 0, 14},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(doge_merkle_stored_hash_index((int)want[i][0], want[i][1]), want[i][2]);
    /* Round trips, and the count identity, over small and huge values. */
    int64_t index = 0;
    for (int64_t n = 0; n < 5000; n++) {
        assert_int_equal(doge_merkle_stored_hash_count(n), index);
        int64_t adds = 1;
        for (int64_t x = n; x & 1; x >>= 1)
            adds++;
        for (int64_t j = 0; j < adds; j++, index++) {
            int level;
            int64_t k;
            assert_int_equal(doge_merkle_split_stored_hash_index(index, &level, &k), DOGE_OK);
            assert_int_equal(doge_merkle_stored_hash_index(level, k), index);
            assert_int_equal(level, j);
            assert_int_equal(k, n >> level);
        }
    }
    uint64_t seed = 42;
    for (int i = 0; i < 100000; i++) {
        int level = (int)tu_below(&seed, 63);
        int64_t lim = DOGE_MERKLE_MAX_SIZE >> level, n = tu_below(&seed, lim);
        int64_t x = doge_merkle_stored_hash_index(level, n);
        assert_true(x >= 0);
        int l2;
        int64_t n2;
        assert_int_equal(doge_merkle_split_stored_hash_index(x, &l2, &n2), DOGE_OK);
        assert_int_equal(l2, level);
        assert_int_equal(n2, n);
    }
    /* The very last hash of the largest tree is its root. */
    int64_t last = doge_merkle_stored_hash_count(DOGE_MERKLE_MAX_SIZE) - 1;
    assert_int_equal(last, INT64_MAX - 1);
    assert_int_equal(doge_merkle_stored_hash_index(62, 0), last);
    int level;
    int64_t k;
    assert_int_equal(doge_merkle_split_stored_hash_index(last, &level, &k), DOGE_OK);
    assert_int_equal(level, 62);
    assert_int_equal(k, 0);
    /* Out of range. */
    assert_int_equal(doge_merkle_stored_hash_index(-1, 0), -1);
    assert_int_equal(doge_error_code(), DOGE_ERANGE);
    assert_int_equal(doge_merkle_stored_hash_index(63, 0), -1);
    assert_int_equal(doge_merkle_stored_hash_index(0, -1), -1);
    assert_int_equal(doge_merkle_stored_hash_index(0, DOGE_MERKLE_MAX_SIZE), -1);
    assert_int_equal(doge_merkle_stored_hash_index(1, DOGE_MERKLE_MAX_SIZE / 2), -1);
    assert_int_equal(doge_merkle_stored_hash_count(-1), -1);
    assert_int_equal(doge_merkle_stored_hash_count(DOGE_MERKLE_MAX_SIZE + 1), -1);
    assert_int_equal(doge_merkle_split_stored_hash_index(-1, &level, &k), DOGE_ERANGE);
    assert_int_equal(doge_merkle_split_stored_hash_index(INT64_MAX, &level, &k), DOGE_ERANGE);
}

static void test_stored_hashes_and_errors(void **state)
{
    (void)state;
    memtree m;
    memset(&m, 0, sizeof m);
    uint8_t h[HSZ], out[DOGE_MERKLE_MAX_PROOF * HSZ], root[HSZ];
    size_t k;
    for (int i = 0; i < 7; i++)
        memtree_append(&m, &i, sizeof i);
    /* Record 7 completes three subtrees: 4 hashes, 3 read in one call. */
    assert_int_equal(doge_merkle_leaf_hash("x", 1, h), DOGE_OK);
    m.reads = 0;
    assert_int_equal(doge_merkle_stored_hashes(7, h, memtree_read, &m, out, 4, &k), DOGE_OK);
    assert_int_equal(k, 4);
    assert_int_equal(m.reads, 1);
    assert_memory_equal(out, h, HSZ);
    assert_int_equal(doge_merkle_stored_hashes(7, h, memtree_read, &m, out, 3, &k), DOGE_ELIMIT);
    /* Even records need no reader at all. */
    assert_int_equal(doge_merkle_stored_hashes(6, h, NULL, NULL, out, 1, &k), DOGE_OK);
    assert_int_equal(k, 1);
    assert_int_equal(doge_merkle_stored_hashes(-1, h, memtree_read, &m, out, 4, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_stored_hashes(DOGE_MERKLE_MAX_SIZE, h, memtree_read, &m, out, 64, &k),
                     DOGE_EINVAL);
    /* Reader failures propagate. */
    m.fail = 1;
    assert_int_equal(doge_merkle_stored_hashes(7, h, memtree_read, &m, out, 4, &k), DOGE_EIO);
    assert_int_equal(doge_merkle_tree_hash(7, memtree_read, &m, root), DOGE_EIO);
    assert_int_equal(doge_merkle_prove_record(7, 3, memtree_read, &m, out, 64, &k), DOGE_EIO);
    assert_int_equal(doge_merkle_prove_tree(7, 3, memtree_read, &m, out, 64, &k), DOGE_EIO);
    m.fail = 0;
    /* Bad arguments. */
    assert_int_equal(doge_merkle_tree_hash(-1, memtree_read, &m, root), DOGE_EINVAL);
    assert_int_equal(doge_merkle_tree_hash(7, NULL, &m, root), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_record(7, 7, memtree_read, &m, out, 64, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_record(7, -1, memtree_read, &m, out, 64, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_record(0, 0, memtree_read, &m, out, 64, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_tree(7, 0, memtree_read, &m, out, 64, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_tree(7, 8, memtree_read, &m, out, 64, &k), DOGE_EINVAL);
    assert_int_equal(doge_merkle_prove_record(7, 0, memtree_read, &m, out, 2, &k), DOGE_ELIMIT);
    assert_int_equal(doge_merkle_prove_tree(7, 3, memtree_read, &m, out, 1, &k), DOGE_ELIMIT);
    assert_int_equal(doge_merkle_check_record(NULL, 1, 7, root, 0, h), DOGE_EINVAL);
    assert_int_equal(doge_merkle_check_record(out, 0, -1, root, 0, h), DOGE_EINVAL);
    assert_int_equal(doge_merkle_check_tree(out, 0, 7, root, -1, h), DOGE_EINVAL);
    assert_int_equal(doge_merkle_check_tree(NULL, 2, 7, root, 3, h), DOGE_EINVAL);
    assert_int_equal(doge_merkle_leaf_hash(NULL, 1, h), DOGE_EINVAL);
    assert_int_equal(doge_merkle_leaf_hash(NULL, 0, h), DOGE_OK);
    memtree_free(&m);
}

/* Verifying the right proof shape against a huge tree neither overflows nor
 * accepts random hashes; the wrong shape is a length error. */
static void test_huge_sizes(void **state)
{
    (void)state;
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HSZ], th[HSZ], h[HSZ];
    uint64_t seed = 7;
    for (size_t i = 0; i < sizeof proof; i++)
        proof[i] = (uint8_t)tu_rand(&seed);
    memset(th, 1, HSZ);
    memset(h, 2, HSZ);
    int64_t t = INT64_MAX;
    assert_int_equal(doge_merkle_check_record(proof, 63, t, th, t - 1, h), DOGE_EVERIFY);
    assert_int_equal(doge_merkle_check_record(proof, 64, t, th, 0, h), DOGE_EVERIFY);
    assert_int_equal(doge_merkle_check_tree(proof, 64, t, th, t - 1, h), DOGE_EVERIFY);
    assert_int_equal(doge_merkle_check_tree(proof, 64, t, th, 1, h), DOGE_EVERIFY);
    assert_int_equal(doge_merkle_check_tree(proof, 64, t, th, (int64_t)1 << 62, h), DOGE_EVERIFY);
}

/* ---- merkle probes ------------------------------------------------------------ */

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Standard base64 with padding; returns the decoded length or -1. */
static int b64decode(const char *s, uint8_t *out, size_t cap)
{
    size_t n = strlen(s), k = 0;
    if (n % 4 != 0)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int v[4], pad = 0;
        for (int j = 0; j < 4; j++) {
            if (s[i + j] == '=' && i + 4 == n && j >= 2) {
                v[j] = 0;
                pad++;
            } else if (pad || (v[j] = b64val((unsigned char)s[i + j])) < 0) {
                return -1;
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        for (int j = 0; j < 3 - pad; j++) {
            if (k >= cap)
                return -1;
            out[k++] = (uint8_t)(w >> (16 - 8 * j));
        }
    }
    return (int)k;
}

/*
 * A probe's hash as the 32-byte value the API takes. The probes also carry
 * values of other lengths ("", "WrongLeaf", "don't care 1"). A leaf hash of
 * the wrong length cannot be passed at all (doge_merkle_check_record takes
 * 32 bytes), so the probe is rejected before verification, as the
 * transparency-dev verifier rejects it. Roots and proof hashes of another
 * length are zero-padded: equality between two such values is preserved
 * (the probes rely on "don't care" roots comparing equal to themselves) and
 * none can equal a real hash, so the verifier decides.
 */
static int probe_hash(json_t *v, uint8_t out[HSZ], int *malformed)
{
    uint8_t buf[64];
    const char *s = json_string_value(v);
    assert_non_null(s);
    int n = b64decode(s, buf, sizeof buf);
    assert_true(n >= 0);
    memset(out, 0, HSZ);
    memcpy(out, buf, (size_t)(n < HSZ ? n : HSZ));
    *malformed = n != HSZ;
    return n;
}

struct probe_stats {
    int files, accepted, rejected, by_harness;
};

/*
 * A probe's size or index, read from the raw JSON text because jansson keeps
 * integers in json_int_t and some probes hold 2^64 - 1 (an index of 0 minus
 * one in uint64 arithmetic). The API takes int64_t; a value above INT64_MAX
 * is passed as its two's-complement int64_t (negative), which the verifier
 * rejects with DOGE_EINVAL, as a C caller converting a uint64_t would see.
 */
static int64_t probe_int(const char *text, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(text, pat);
    assert_non_null(p);
    p += strlen(pat);
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    assert_true(*p >= '0' && *p <= '9');
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    assert_int_equal(errno, 0);
    assert_true(end > p);
    return (int64_t)(uint64_t)v;
}

static void run_probe(const char *path, int consistency, struct probe_stats *st)
{
    json_error_t jerr;
    char *text = NULL;
    size_t tlen;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    text = malloc(1 << 16);
    assert_non_null(text);
    tlen = fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    text[tlen] = '\0';
    json_t *j = json_loads(text, JSON_DECODE_INT_AS_REAL, &jerr);
    if (j == NULL)
        fail_msg("%s: %s", path, jerr.text);
    json_t *want_err = json_object_get(j, "wantErr");
    assert_true(json_is_boolean(want_err));
    json_t *proof_j = json_object_get(j, "proof");
    size_t plen = json_is_array(proof_j) ? json_array_size(proof_j) : 0;
    assert_true(json_is_null(proof_j) || json_is_array(proof_j));
    assert_true(plen <= DOGE_MERKLE_MAX_PROOF);
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HSZ];
    int bad;
    for (size_t i = 0; i < plen; i++)
        probe_hash(json_array_get(proof_j, i), proof + i * HSZ, &bad);
    int rc;
    if (consistency) {
        uint8_t r1[HSZ], r2[HSZ];
        probe_hash(json_object_get(j, "root1"), r1, &bad);
        probe_hash(json_object_get(j, "root2"), r2, &bad);
        rc = doge_merkle_check_tree(proof, plen, probe_int(text, "size2"), r2,
                                    probe_int(text, "size1"), r1);
    } else {
        uint8_t root[HSZ], leaf[HSZ];
        int leaf_bad;
        probe_hash(json_object_get(j, "root"), root, &bad);
        probe_hash(json_object_get(j, "leafHash"), leaf, &leaf_bad);
        if (leaf_bad) {
            rc = DOGE_EINVAL;
            st->by_harness++;
        } else {
            rc = doge_merkle_check_record(proof, plen, probe_int(text, "treeSize"), root,
                                          probe_int(text, "leafIdx"), leaf);
        }
    }
    int wanted_err = json_is_true(want_err);
    if (wanted_err != (rc != DOGE_OK))
        fail_msg("%s: want %s, got %s (%s)", path, wanted_err ? "rejection" : "acceptance",
                 doge_error_name(rc), doge_error_last());
    if (rc == DOGE_OK)
        st->accepted++;
    else
        st->rejected++;
    st->files++;
    json_decref(j);
    free(text);
}

static void run_probe_dir(const char *dir, int consistency, struct probe_stats *st)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        assert_int_equal(stat(path, &sb), 0);
        size_t nl = strlen(e->d_name);
        if (S_ISDIR(sb.st_mode))
            run_probe_dir(path, consistency, st);
        else if (nl > 5 && strcmp(e->d_name + nl - 5, ".json") == 0)
            run_probe(path, consistency, st);
    }
    closedir(d);
}

static void test_probes(void **state)
{
    (void)state;
    const char *base = DOGE_SHARED_DIR "/vectors/merkle-probes";
    struct stat sb;
    if (stat(base, &sb) != 0) {
        printf("SKIP: %s not found; merkle probes not run\n", base);
        skip();
    }
    struct probe_stats inc = {0}, con = {0};
    run_probe_dir(DOGE_SHARED_DIR "/vectors/merkle-probes/inclusion", 0, &inc);
    run_probe_dir(DOGE_SHARED_DIR "/vectors/merkle-probes/consistency", 1, &con);
    printf("merkle probes: inclusion %d files (%d accepted, %d rejected, %d of them for a "
           "leaf hash that is not 32 bytes); consistency %d files (%d accepted, %d rejected)\n",
           inc.files, inc.accepted, inc.rejected, inc.by_harness, con.files, con.accepted,
           con.rejected);
    assert_true(inc.files > 50 && con.files > 50);
    assert_true(inc.accepted > 0 && con.accepted > 0);
}

/* ---- exhaustive small trees ------------------------------------------------------ */

static void flip_all_bits_rejected(uint8_t *proof, size_t len, int consistency, int64_t t,
                                   const uint8_t *th, int64_t n, const uint8_t *h)
{
    for (size_t i = 0; i < len * HSZ * 8; i++) {
        proof[i / 8] ^= (uint8_t)(1u << (i % 8));
        int rc = consistency ? doge_merkle_check_tree(proof, len, t, th, n, h)
                             : doge_merkle_check_record(proof, len, t, th, n, h);
        proof[i / 8] ^= (uint8_t)(1u << (i % 8));
        if (rc != DOGE_EVERIFY)
            fail_msg("%s t=%lld n=%lld: flipped bit %zu accepted", consistency ? "consistency" : "inclusion",
                     (long long)t, (long long)n, i);
    }
}

/* For every 1 <= t <= 70: every inclusion proof and every consistency proof
 * equals the recursive RFC definition, verifies, and fails for every other
 * index or old size (with that size's true root), every other new size
 * (with its true root), a truncated or extended proof, swapped roots, and -
 * for t <= 24 - a flip of any single bit of the proof. */
static void test_exhaustive_small(void **state)
{
    (void)state;
    enum { N = 70, FLIP_N = 24 };
    memtree m;
    memset(&m, 0, sizeof m);
    uint8_t roots[N + 2][HSZ];
    doge_merkle_empty_root(roots[0]);
    for (int i = 0; i <= N; i++) {
        char rec[32];
        int len = snprintf(rec, sizeof rec, "record %d", i);
        memtree_append(&m, rec, (size_t)len);
        assert_int_equal(doge_merkle_tree_hash(m.size, memtree_read, &m, roots[m.size]), DOGE_OK);
        uint8_t ref[HSZ];
        ref_mth(m.leaves, 0, m.size, ref);
        assert_memory_equal(ref, roots[m.size], HSZ);
    }
    uint8_t proof[(DOGE_MERKLE_MAX_PROOF + 1) * HSZ], ref[DOGE_MERKLE_MAX_PROOF * HSZ];
    size_t len, rlen;
    for (int64_t t = 1; t <= N; t++) {
        for (int64_t n = 0; n < t; n++) {
            const uint8_t *h = m.leaves + n * HSZ;
            assert_int_equal(doge_merkle_prove_record(t, n, memtree_read, &m, proof, DOGE_MERKLE_MAX_PROOF, &len),
                             DOGE_OK);
            rlen = 0;
            ref_path(m.leaves, n, 0, t, ref, &rlen);
            assert_int_equal(len, rlen);
            if (len)
                assert_memory_equal(proof, ref, len * HSZ);
            assert_int_equal(doge_merkle_check_record(proof, len, t, roots[t], n, h), DOGE_OK);
            for (int64_t n2 = 0; n2 <= t + 1; n2++)
                if (n2 != n)
                    assert_int_equal(doge_merkle_check_record(proof, len, t, roots[t], n2, h), DOGE_EVERIFY);
            for (int64_t t2 = 1; t2 <= N; t2++)
                if (t2 != t)
                    assert_int_equal(doge_merkle_check_record(proof, len, t2, roots[t2], n, h), DOGE_EVERIFY);
            if (len) {
                assert_int_equal(doge_merkle_check_record(proof, len - 1, t, roots[t], n, h), DOGE_EVERIFY);
                assert_int_equal(doge_merkle_check_record(proof + HSZ, len - 1, t, roots[t], n, h), DOGE_EVERIFY);
            }
            memcpy(proof + len * HSZ, roots[t], HSZ);
            assert_int_equal(doge_merkle_check_record(proof, len + 1, t, roots[t], n, h), DOGE_EVERIFY);
            uint8_t wrong[HSZ];
            memcpy(wrong, h, HSZ);
            wrong[31] ^= 1;
            assert_int_equal(doge_merkle_check_record(proof, len, t, roots[t], n, wrong), DOGE_EVERIFY);
            if (t <= FLIP_N)
                flip_all_bits_rejected(proof, len, 0, t, roots[t], n, h);
        }
        for (int64_t n = 1; n <= t; n++) {
            assert_int_equal(doge_merkle_prove_tree(t, n, memtree_read, &m, proof, DOGE_MERKLE_MAX_PROOF, &len),
                             DOGE_OK);
            rlen = 0;
            ref_subproof(m.leaves, n, 0, t, 1, ref, &rlen);
            assert_int_equal(len, rlen);
            if (len)
                assert_memory_equal(proof, ref, len * HSZ);
            assert_int_equal(doge_merkle_check_tree(proof, len, t, roots[t], n, roots[n]), DOGE_OK);
            for (int64_t n2 = 0; n2 <= N; n2++)
                if (n2 != n)
                    assert_int_equal(doge_merkle_check_tree(proof, len, t, roots[t], n2, roots[n2]), DOGE_EVERIFY);
            for (int64_t t2 = 0; t2 <= N; t2++)
                if (t2 != t)
                    assert_int_equal(doge_merkle_check_tree(proof, len, t2, roots[t2], n, roots[n]), DOGE_EVERIFY);
            if (n != t) {
                assert_int_equal(doge_merkle_check_tree(proof, len, t, roots[n], n, roots[t]), DOGE_EVERIFY);
                assert_int_equal(doge_merkle_check_tree(proof, len - 1, t, roots[t], n, roots[n]), DOGE_EVERIFY);
                assert_int_equal(doge_merkle_check_tree(proof + HSZ, len - 1, t, roots[t], n, roots[n]), DOGE_EVERIFY);
            }
            memcpy(proof + len * HSZ, roots[n], HSZ);
            assert_int_equal(doge_merkle_check_tree(proof, len + 1, t, roots[t], n, roots[n]), DOGE_EVERIFY);
            if (t <= FLIP_N)
                flip_all_bits_rejected(proof, len, 1, t, roots[t], n, roots[n]);
        }
    }
    memtree_free(&m);
}

/* ---- property test: 100,000 random appends ---------------------------------------- */

static uint64_t test_seed(void)
{
    const char *s = getenv("DOGE_TEST_SEED");
    return s && *s ? strtoull(s, NULL, 0) : 0x646f6765ULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Applies one random tampering to a valid proof (len hashes) for (t, n) -
 * a flipped bit, another index or old size, another tree size with that
 * size's true root, a dropped hash, or an extra hash - and asserts that the
 * result fails to verify. */
static void tamper_and_expect_reject(uint64_t *seed, int consistency, const uint8_t *proof,
                                     size_t len, int64_t t, int64_t n, const uint8_t (*roots)[HSZ],
                                     const uint8_t *leaf, int64_t size)
{
    uint8_t p[(DOGE_MERKLE_MAX_PROOF + 1) * HSZ];
    memcpy(p, proof, len * HSZ);
    size_t l = len;
    int64_t t2 = t, n2 = n;
    int kind = (int)tu_below(seed, 5);
    switch (kind) {
    case 0: /* flip a random bit (when there is a hash to flip) */
        if (len == 0)
            kind = 4;
        else
            p[tu_below(seed, (int64_t)(len * HSZ))] ^= (uint8_t)(1u << tu_below(seed, 8));
        break;
    case 1: /* another index / old size */
        do
            n2 = consistency ? 1 + tu_below(seed, t) : tu_below(seed, t);
        while (n2 == n && t > 1);
        if (n2 == n)
            kind = 4;
        break;
    case 2: /* another tree size, with its true root */
        do
            t2 = (consistency ? n : n + 1) + tu_below(seed, size - (consistency ? n : n + 1) + 1);
        while (t2 == t && size > (consistency ? n : n + 1));
        if (t2 == t)
            kind = 4;
        break;
    case 3: /* drop a hash */
        if (len == 0)
            kind = 4;
        else
            l--;
        break;
    default:
        break;
    }
    if (kind == 4) /* an extra hash */
        memcpy(p + l++ * HSZ, roots[t], HSZ);
    int rc = consistency ? doge_merkle_check_tree(p, l, t2, roots[t2], n2, roots[n2])
                         : doge_merkle_check_record(p, l, t2, roots[t2], n2, leaf);
    if (rc != DOGE_EVERIFY)
        fail_msg("%s t=%lld n=%lld tampering %d (t2=%lld n2=%lld len %zu->%zu) accepted",
                 consistency ? "consistency" : "inclusion", (long long)t, (long long)n, kind,
                 (long long)t2, (long long)n2, len, l);
}

static void test_property_random(void **state)
{
    (void)state;
    enum { SIZE = 100000, SAMPLES = 4000 };
    uint64_t seed = test_seed();
    printf("property test seed %#llx (set DOGE_TEST_SEED to replay)\n", (unsigned long long)seed);
    double t0 = now_s();
    memtree m;
    memset(&m, 0, sizeof m);
    uint8_t (*roots)[HSZ] = malloc((size_t)(SIZE + 1) * HSZ);
    assert_non_null(roots);
    doge_merkle_empty_root(roots[0]);
    uint8_t rec[200];
    while (m.size < SIZE) {
        size_t len = (size_t)tu_below(&seed, sizeof rec + 1);
        for (size_t i = 0; i < len; i++)
            rec[i] = (uint8_t)tu_rand(&seed);
        memtree_append(&m, rec, len);
        assert_int_equal(doge_merkle_tree_hash(m.size, memtree_read, &m, roots[m.size]), DOGE_OK);
    }
    assert_int_equal(m.nhash, doge_merkle_stored_hash_count(SIZE));
    /* The stored hashes agree with the definition at a few sizes. */
    for (int64_t t = SIZE - 3; t <= SIZE; t++) {
        uint8_t ref[HSZ];
        ref_mth(m.leaves, 0, t, ref);
        assert_memory_equal(ref, roots[t], HSZ);
    }
    double t1 = now_s();
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HSZ];
    size_t len;
    for (int i = 0; i < SAMPLES; i++) {
        /* Bias half the sizes to small trees, where the shapes vary most. */
        int64_t lim = (i & 1) ? SIZE : 1 + tu_below(&seed, 300);
        int64_t t = 1 + tu_below(&seed, lim), n = tu_below(&seed, t);
        assert_int_equal(doge_merkle_prove_record(t, n, memtree_read, &m, proof, DOGE_MERKLE_MAX_PROOF, &len),
                         DOGE_OK);
        const uint8_t *leaf = m.leaves + n * HSZ;
        if (doge_merkle_check_record(proof, len, t, roots[t], n, leaf) != DOGE_OK)
            fail_msg("inclusion t=%lld n=%lld: %s", (long long)t, (long long)n, doge_error_last());
        for (int j = 0; j < 4; j++)
            tamper_and_expect_reject(&seed, 0, proof, len, t, n, (const uint8_t (*)[HSZ])roots,
                                     leaf, SIZE);

        t = 1 + tu_below(&seed, lim);
        n = 1 + tu_below(&seed, t);
        assert_int_equal(doge_merkle_prove_tree(t, n, memtree_read, &m, proof, DOGE_MERKLE_MAX_PROOF, &len),
                         DOGE_OK);
        if (doge_merkle_check_tree(proof, len, t, roots[t], n, roots[n]) != DOGE_OK)
            fail_msg("consistency %lld -> %lld: %s", (long long)n, (long long)t, doge_error_last());
        for (int j = 0; j < 4; j++)
            tamper_and_expect_reject(&seed, 1, proof, len, t, n, (const uint8_t (*)[HSZ])roots,
                                     NULL, SIZE);
    }
    printf("property test: %d appends with tree heads in %.2f s; %d inclusion and %d consistency "
           "proofs, each verified and tampered 4 ways, in %.2f s\n",
           SIZE, t1 - t0, SAMPLES, SAMPLES, now_s() - t1);
    free(roots);
    memtree_free(&m);
}

/* ---- threads ------------------------------------------------------------------- */

/* Each thread hashes with its own OpenSSL context (created on first use and
 * freed at thread exit, which the leak checker of the ASan build verifies). */
static void *thread_tree(void *arg)
{
    uint8_t *root = arg;
    memtree m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < 3000; i++)
        memtree_append(&m, &i, sizeof i);
    int rc = doge_merkle_tree_hash(m.size, memtree_read, &m, root);
    memtree_free(&m);
    return rc == DOGE_OK ? root : NULL;
}

static void test_threads(void **state)
{
    (void)state;
    enum { T = 6 };
    uint8_t want[HSZ], got[T][HSZ];
    assert_non_null(thread_tree(want));
    pthread_t th[T];
    for (int i = 0; i < T; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_tree, got[i]), 0);
    for (int i = 0; i < T; i++) {
        void *ret;
        assert_int_equal(pthread_join(th[i], &ret), 0);
        assert_non_null(ret);
        assert_memory_equal(got[i], want, HSZ);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_roots),
        cmocka_unit_test(test_reference_proofs),
        cmocka_unit_test(test_stored_hash_index),
        cmocka_unit_test(test_stored_hashes_and_errors),
        cmocka_unit_test(test_huge_sizes),
        cmocka_unit_test(test_probes),
        cmocka_unit_test(test_exhaustive_small),
        cmocka_unit_test(test_property_random),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
