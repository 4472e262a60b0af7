/*
 * test_ledger.c — the on-disk log in a real folder: create, append in
 * batches, commit, reopen, read entries back, prove inclusion and
 * consistency against the signed roots, verify the whole log, and detect a
 * flipped bit in a tile, an entry bundle or the checkpoint; leftovers of a
 * crashed batch are removed on reopen; a malformed entry bundle is a
 * verification failure; oversized entries are refused. The stored-hash index
 * .doge/hashes: it holds exactly the tree's stored hashes (checked against
 * an in-memory tree); deleted, it is rebuilt by a writable open and never
 * written by a read-only one (which proves from the tiles); cut short or
 * extended with junk (what a crash could leave) it is rebuilt or cut;
 * corrupted, proofs served from it fail doge_merkle_check_record and
 * doge_merkle_check_tree against the signed root, doge_ledger_verify names
 * it (and the ledger then proves from the tiles), and a writer's commits
 * stay correct.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doge.h"

static char dir[128];
static doge_signer *signer;
static doge_verifier *verifier;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/doge-ledger-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)i;
    if (doge_signer_new(&signer, "example.gov/log", DOGE_KEY_ED25519, seed) != DOGE_OK)
        return -1;
    return doge_signer_verifier(signer, &verifier) == DOGE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    doge_signer_free(signer);
    doge_verifier_free(verifier);
    return system(cmd) == 0 ? 0 : -1;
}

static void entry_text(int64_t i, char *buf, size_t cap, size_t *len)
{
    *len = (size_t)snprintf(buf, cap, "entry %lld %s", (long long)i, i % 7 ? "reply" : "finding");
}

static void flip_byte(const char *path, long off)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, off, SEEK_SET);
    int c = fgetc(f);
    fseek(f, off, SEEK_SET);
    fputc(c ^ 0x01, f);
    fclose(f);
}

static void test_append_reopen_prove_verify(void **state)
{
    (void)state;
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_OK);
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_EEXISTS);
    doge_ledger *l;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_int_equal(doge_ledger_size(l), 0);
    assert_string_equal(doge_ledger_origin(l), "example.gov/log");
    /* Batches of uneven sizes cross tile boundaries at every level-0 edge. */
    const int64_t total = 70000;
    int64_t sizes[64];
    uint8_t roots[64][32];
    int nsizes = 0;
    int64_t next = 0;
    const int64_t batches[] = {1, 2, 253, 256, 1000, 1, 300, 65536 - 1813, 1, 2200};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0] && next < total; b++) {
        for (int64_t i = 0; i < batches[b] && next < total; i++, next++) {
            char buf[64];
            size_t len;
            int64_t idx;
            entry_text(next, buf, sizeof buf, &len);
            assert_int_equal(doge_ledger_append(l, buf, len, &idx), DOGE_OK);
            assert_int_equal(idx, next);
        }
        assert_int_equal(doge_ledger_pending(l), batches[b]);
        assert_int_equal(doge_ledger_commit(l), DOGE_OK);
        assert_int_equal(doge_ledger_size(l), next);
        sizes[nsizes] = next;
        memcpy(roots[nsizes++], doge_ledger_root(l), 32);
    }
    doge_ledger_free(l);

    /* Reopen read-only: same size and root; entries and proofs check. */
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_size(l), next);
    assert_memory_equal(doge_ledger_root(l), roots[nsizes - 1], 32);
    for (int s = 0; s < nsizes; s++) {
        uint8_t h[32];
        assert_int_equal(doge_ledger_tree_hash(l, sizes[s], h), DOGE_OK);
        assert_memory_equal(h, roots[s], 32);
    }
    for (int64_t i = 0; i < next; i += 997) {
        uint8_t *data;
        size_t len;
        char want[64];
        size_t wlen;
        entry_text(i, want, sizeof want, &wlen);
        assert_int_equal(doge_ledger_get(l, i, &data, &len), DOGE_OK);
        assert_int_equal(len, wlen);
        assert_memory_equal(data, want, len);
        uint8_t leaf[32], proof[64 * 32];
        size_t plen;
        doge_merkle_leaf_hash(data, len, leaf);
        free(data);
        for (int s = 0; s < nsizes; s++) {
            if (i >= sizes[s])
                continue;
            assert_int_equal(doge_ledger_prove_inclusion(l, i, sizes[s], proof, 64, &plen), DOGE_OK);
            assert_int_equal(doge_merkle_check_record(proof, plen, sizes[s], roots[s], i, leaf),
                             DOGE_OK);
        }
    }
    for (int a = 0; a < nsizes; a++)
        for (int b = a; b < nsizes; b++) {
            uint8_t proof[64 * 32];
            size_t plen;
            assert_int_equal(doge_ledger_prove_consistency(l, sizes[a], sizes[b], proof, 64, &plen),
                             DOGE_OK);
            assert_int_equal(
                doge_merkle_check_tree(proof, plen, sizes[b], roots[b], sizes[a], roots[a]),
                DOGE_OK);
        }
    uint8_t *data;
    size_t len;
    assert_int_equal(doge_ledger_get(l, next, &data, &len), DOGE_ENOTFOUND);
    assert_int_equal(doge_ledger_append(l, "x", 1, NULL), DOGE_EINVAL);
    doge_ledger_report rep;
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    assert_int_equal(rep.size, next);
    assert_int_equal(rep.bundles, (next + 255) / 256);
    assert_int_equal(rep.signatures, 1);
    doge_ledger_free(l);

    /* A flipped bit in a level-1 tile, a bundle, or the checkpoint is caught. */
    char path[256];
    snprintf(path, sizeof path, "%s/tile/1/000", dir);
    flip_byte(path, 100);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), "tile/1/000"));
    doge_ledger_free(l);
    flip_byte(path, 100);

    snprintf(path, sizeof path, "%s/tile/entries/005", dir);
    flip_byte(path, 40);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_int_equal(doge_ledger_get(l, 5 * 256 + 2, &data, &len), DOGE_EVERIFY);
    doge_ledger_free(l);
    flip_byte(path, 40);

    snprintf(path, sizeof path, "%s/checkpoint", dir);
    flip_byte(path, 20);
    assert_int_not_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    flip_byte(path, 20);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    doge_ledger_free(l);
}

static void test_crash_leftovers_cleaned(void **state)
{
    (void)state;
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_OK);
    doge_ledger *l;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    for (int i = 0; i < 300; i++)
        assert_int_equal(doge_ledger_append(l, "abc", 3, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_commit(l), DOGE_OK);
    doge_ledger_free(l);
    /* What a batch that died before its checkpoint leaves behind. */
    char path[256], cmd[512];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && mkdir -p tile/0/001.p tile/entries/001.p && "
             "printf x > tile/0/001.p/99 && printf x > tile/entries/001.p/99 && "
             "printf x > tile/0/002; "
             "mkdir -p tile/entries/002.p && printf x > tile/entries/002.p/7 && "
             "printf x > checkpoint.tmp.123 && printf x > tile/0/001.p/44.tmp.9",
             dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_int_equal(doge_ledger_size(l), 300);
    snprintf(path, sizeof path, "%s/tile/0/001.p/99", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/tile/0/002", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/tile/entries/002.p", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/checkpoint.tmp.123", dir);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/tile/0/001.p/44", dir);
    assert_int_equal(access(path, F_OK), 0); /* the real partial stays */
    /* And appending goes on from there. */
    for (int i = 0; i < 300; i++)
        assert_int_equal(doge_ledger_append(l, "def", 3, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_commit(l), DOGE_OK);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, NULL), DOGE_OK);
    doge_ledger_free(l);
}

/* A flipped bit in an entry's length prefix makes the bundle malformed
 * rather than merely different: that is tampering too, so verify and get
 * must say DOGE_EVERIFY (naming the file), not DOGE_EINVAL (bad input). */
static void test_malformed_bundle_is_verify_failure(void **state)
{
    (void)state;
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_OK);
    doge_ledger *l;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    for (int64_t i = 0; i < 300; i++) {
        char buf[64];
        size_t len;
        entry_text(i, buf, sizeof buf, &len);
        assert_int_equal(doge_ledger_append(l, buf, len, NULL), DOGE_OK);
    }
    assert_int_equal(doge_ledger_commit(l), DOGE_OK);
    doge_ledger_free(l);
    char path[256];
    snprintf(path, sizeof path, "%s/tile/entries/000", dir);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    int c = fgetc(f); /* the high byte of entry 0's length: 0 -> 0x80 (32768+ bytes) */
    assert_int_equal(c, 0);
    rewind(f);
    fputc(0x80, f);
    fclose(f);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    doge_ledger_report rep;
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), "tile/entries/000"));
    uint8_t *data;
    size_t len;
    assert_int_equal(doge_ledger_get(l, 3, &data, &len), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), "tile/entries/000"));
    assert_int_equal(doge_ledger_get(l, 299, &data, &len), DOGE_OK); /* another bundle */
    free(data);
    doge_ledger_free(l);
}

/* ---- the stored-hash index ------------------------------------------------ */

typedef struct {
    uint8_t *hashes;
    int64_t n; /* stored hashes */
    int64_t size;
} memtree;

static int memtree_read(void *ctx, const int64_t *idx, size_t k, uint8_t *out)
{
    const memtree *t = ctx;
    for (size_t i = 0; i < k; i++) {
        if (idx[i] < 0 || idx[i] >= t->n)
            return DOGE_ENOTFOUND;
        memcpy(out + i * 32, t->hashes + idx[i] * 32, 32);
    }
    return DOGE_OK;
}

/* The tree of entries 0..size-1 (entry_text), in memory: what the index of
 * a log of them must hold, and roots computed without the log. */
static void memtree_build(memtree *t, int64_t size)
{
    t->hashes = malloc((size_t)doge_merkle_stored_hash_count(size) * 32 + 1);
    assert_non_null(t->hashes);
    t->n = 0;
    t->size = size;
    for (int64_t i = 0; i < size; i++) {
        char buf[64];
        size_t len, k;
        uint8_t leaf[32];
        entry_text(i, buf, sizeof buf, &len);
        assert_int_equal(doge_merkle_leaf_hash(buf, len, leaf), DOGE_OK);
        assert_int_equal(doge_merkle_stored_hashes(i, leaf, memtree_read, t,
                                                   t->hashes + t->n * 32, 64, &k),
                         DOGE_OK);
        t->n += (int64_t)k;
    }
    assert_int_equal(t->n, doge_merkle_stored_hash_count(size));
}

/* Appends entries [from, to) in batches of batch, committing each. */
static void fill(doge_ledger *l, int64_t from, int64_t to, int64_t batch)
{
    for (int64_t i = from; i < to; i++) {
        char buf[64];
        size_t len;
        entry_text(i, buf, sizeof buf, &len);
        assert_int_equal(doge_ledger_append(l, buf, len, NULL), DOGE_OK);
        if ((i + 1 - from) % batch == 0)
            assert_int_equal(doge_ledger_commit(l), DOGE_OK);
    }
    assert_int_equal(doge_ledger_commit(l), DOGE_OK);
}

static void index_path(char *buf, size_t cap) { snprintf(buf, cap, "%s/.doge/hashes", dir); }

static long index_size(void)
{
    char path[256];
    struct stat sb;
    index_path(path, sizeof path);
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* The index file holds exactly the stored hashes of t. */
static void assert_index_is(const memtree *t)
{
    char path[256];
    index_path(path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t want = (size_t)t->n * 32;
    uint8_t *got = malloc(want + 1);
    assert_non_null(got);
    size_t n = fread(got, 1, want + 1, f);
    fclose(f);
    assert_int_equal(n, want);
    assert_memory_equal(got, t->hashes, want);
    free(got);
}

/* Inclusion proofs of a spread of entries and consistency proofs from a
 * spread of sizes, made by l, check against roots computed from t. */
static void assert_proofs_check(doge_ledger *l, const memtree *t)
{
    uint8_t root[32], old[32], leaf[32], proof[64 * 32];
    size_t plen;
    assert_int_equal(doge_merkle_tree_hash(t->size, memtree_read, (void *)t, root), DOGE_OK);
    assert_memory_equal(doge_ledger_root(l), root, 32);
    for (int64_t i = 0; i < t->size; i += 1 + t->size / 40) {
        char buf[64];
        size_t len;
        entry_text(i, buf, sizeof buf, &len);
        doge_merkle_leaf_hash(buf, len, leaf);
        assert_int_equal(doge_ledger_prove_inclusion(l, i, t->size, proof, 64, &plen), DOGE_OK);
        assert_int_equal(doge_merkle_check_record(proof, plen, t->size, root, i, leaf), DOGE_OK);
        int64_t m = i + 1;
        assert_int_equal(doge_merkle_tree_hash(m, memtree_read, (void *)t, old), DOGE_OK);
        assert_int_equal(doge_ledger_prove_consistency(l, m, t->size, proof, 64, &plen), DOGE_OK);
        assert_int_equal(doge_merkle_check_tree(proof, plen, t->size, root, m, old), DOGE_OK);
        uint8_t h[32];
        assert_int_equal(doge_ledger_tree_hash(l, m, h), DOGE_OK);
        assert_memory_equal(h, old, 32);
    }
}

static void make_log(int64_t size)
{
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_OK);
    doge_ledger *l;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    fill(l, 0, size, 777);
    doge_ledger_free(l);
}

static void test_index_rebuilt_when_deleted(void **state)
{
    (void)state;
    const int64_t size = 3000;
    memtree t;
    memtree_build(&t, size);
    make_log(size);
    assert_index_is(&t);
    char path[256];
    index_path(path, sizeof path);
    assert_int_equal(unlink(path), 0);

    /* Read-only: proves from the tiles and writes nothing. */
    doge_ledger *l;
    doge_ledger_report rep;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    assert_int_equal(rep.index_hashes, 0);
    doge_ledger_free(l);
    assert_int_not_equal(access(path, F_OK), 0);

    /* Writable: rebuilt from the tiles. */
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_index_is(&t);
    assert_proofs_check(l, &t);
    doge_ledger_free(l);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    assert_int_equal(rep.index_hashes, t.n);
    doge_ledger_free(l);

    /* The whole .doge folder gone, and a log of size 0, rebuild too. */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -r '%s/.doge'", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_index_is(&t);
    doge_ledger_free(l);
    free(t.hashes);
}

static void test_index_crash_lengths(void **state)
{
    (void)state;
    const int64_t size = 3000, more = 3500;
    memtree t, t2;
    memtree_build(&t, size);
    memtree_build(&t2, more);
    make_log(size);
    char path[256], cmd[512];
    index_path(path, sizeof path);
    long full = (long)t.n * 32;
    assert_int_equal(index_size(), full);

    /* Hashes of a batch whose checkpoint never came (here: junk, not even
     * whole hashes): read-only ignores them, writable cuts them. */
    snprintf(cmd, sizeof cmd, "head -c 77 /dev/urandom >> '%s'", path);
    assert_int_equal(system(cmd), 0);
    doge_ledger *l;
    doge_ledger_report rep;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    assert_int_equal(rep.index_hashes, t.n);
    doge_ledger_free(l);
    assert_int_equal(index_size(), full + 77);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_int_equal(index_size(), full);
    fill(l, size, more, 300);
    assert_index_is(&t2);
    assert_proofs_check(l, &t2);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    doge_ledger_free(l);

    /* Short: read-only proves from the tiles and leaves it; verify names
     * it; writable rebuilds it. Also a stray temporary file of a rebuild. */
    full = (long)t2.n * 32;
    assert_int_equal(truncate(path, full - 96), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t2);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), ".doge/hashes"));
    doge_ledger_free(l);
    assert_int_equal(index_size(), full - 96);
    snprintf(cmd, sizeof cmd, "printf x > '%s.tmp.999'", path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_index_is(&t2);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    doge_ledger_free(l);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp.999", path);
    assert_int_not_equal(access(tmp, F_OK), 0);

    /* Empty. */
    assert_int_equal(truncate(path, 0), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t2);
    doge_ledger_free(l);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_index_is(&t2);
    doge_ledger_free(l);
    free(t.hashes);
    free(t2.hashes);
}

static void flip_index_hash(int64_t stored_index)
{
    char path[256];
    index_path(path, sizeof path);
    flip_byte(path, (long)stored_index * 32 + 5);
}

static void test_index_corrupt(void **state)
{
    (void)state;
    const int64_t size = 3000;
    memtree t, t2;
    memtree_build(&t, size);
    memtree_build(&t2, size + 10);
    make_log(size);
    uint8_t root[32], leaf0[32], proof[64 * 32];
    size_t plen;
    assert_int_equal(doge_merkle_tree_hash(size, memtree_read, &t, root), DOGE_OK);
    memcpy(leaf0, t.hashes, 32); /* the root of the tree of size 1 */

    /* Stored hashes 0 and 1 (the leaves of entries 0 and 1) are wrong in
     * the index; the right edge of 3000 is not among them, so open takes
     * the index. */
    flip_index_hash(0);
    flip_index_hash(1);
    doge_ledger *l;
    doge_ledger_report rep;
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    /* A proof served from a wrong hash fails against the signed root:
     * inclusion of entry 1 uses leaf 0 ... */
    char buf[64];
    size_t len;
    uint8_t leaf1[32];
    entry_text(1, buf, sizeof buf, &len);
    doge_merkle_leaf_hash(buf, len, leaf1);
    assert_int_equal(doge_ledger_prove_inclusion(l, 1, size, proof, 64, &plen), DOGE_OK);
    assert_int_equal(doge_merkle_check_record(proof, plen, size, root, 1, leaf1), DOGE_EVERIFY);
    /* ... and consistency from size 1 uses leaf 1. */
    assert_int_equal(doge_ledger_prove_consistency(l, 1, size, proof, 64, &plen), DOGE_OK);
    assert_int_equal(doge_merkle_check_tree(proof, plen, size, root, 1, leaf0), DOGE_EVERIFY);
    /* verify names the index and the first wrong hash; from then on this
     * ledger proves from the tiles. */
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), ".doge/hashes"));
    assert_non_null(strstr(doge_error_last(), "stored hash 0 "));
    assert_proofs_check(l, &t);
    doge_ledger_free(l);

    /* A writer on a wrong index still commits correct tiles: only the
     * index is reported, and once it is deleted and rebuilt all is well. */
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    fill(l, size, size + 10, 10);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), ".doge/hashes"));
    assert_proofs_check(l, &t2); /* from the tiles now */
    doge_ledger_free(l);
    char path[256];
    index_path(path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    assert_index_is(&t2);
    doge_ledger_free(l);

    /* A wrong hash on the right edge: open sees it; read-only proves from
     * the tiles, writable rebuilds. */
    int64_t edge0 = doge_merkle_stored_hash_index(11, 0); /* entries [0, 2048) */
    flip_index_hash(edge0);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, NULL), DOGE_OK);
    assert_proofs_check(l, &t2);
    doge_ledger_free(l);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_index_is(&t2);
    assert_int_equal(doge_ledger_verify(l, NULL, 0, &rep), DOGE_OK);
    doge_ledger_free(l);
    free(t.hashes);
    free(t2.hashes);
}

static void test_limits_and_keys(void **state)
{
    (void)state;
    assert_int_equal(doge_ledger_create(dir, signer, "example.gov/log"), DOGE_OK);
    doge_ledger *l;
    char *big = calloc(1, DOGE_LEDGER_ENTRY_MAX + 1);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, signer), DOGE_OK);
    assert_int_equal(doge_ledger_append(l, big, DOGE_LEDGER_ENTRY_MAX + 1, NULL), DOGE_ELIMIT);
    assert_non_null(strstr(doge_error_last(), "log a hash"));
    assert_int_equal(doge_ledger_append(l, big, DOGE_LEDGER_ENTRY_MAX, NULL), DOGE_OK);
    assert_int_equal(doge_ledger_append(l, "", 0, NULL), DOGE_OK);
    doge_ledger_set_batch_max(l, 1);
    assert_int_equal(doge_ledger_append(l, "z", 1, NULL), DOGE_OK); /* commits the first two */
    assert_int_equal(doge_ledger_size(l), 2);
    assert_int_equal(doge_ledger_commit(l), DOGE_OK);
    uint8_t *data;
    size_t len;
    assert_int_equal(doge_ledger_get(l, 0, &data, &len), DOGE_OK);
    assert_int_equal(len, DOGE_LEDGER_ENTRY_MAX);
    free(data);
    assert_int_equal(doge_ledger_get(l, 1, &data, &len), DOGE_OK);
    assert_int_equal(len, 0);
    free(data);
    doge_ledger_free(l);
    free(big);

    /* Another key cannot open or write it. */
    uint8_t seed[32] = {9};
    doge_signer *other;
    doge_verifier *ov;
    assert_int_equal(doge_signer_new(&other, "example.gov/log", DOGE_KEY_ED25519, seed), DOGE_OK);
    assert_int_equal(doge_signer_verifier(other, &ov), DOGE_OK);
    assert_int_not_equal(doge_ledger_open(&l, dir, ov, other), DOGE_OK);
    assert_int_equal(doge_ledger_open(&l, dir, verifier, other), DOGE_EINVAL);
    doge_signer_free(other);
    doge_verifier_free(ov);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append_reopen_prove_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_leftovers_cleaned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_bundle_is_verify_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_rebuilt_when_deleted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_crash_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_corrupt, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
