/*
 * test_ledger_property.c — a randomized property test of the on-disk log in
 * a real folder: up to 100,000 entries of random lengths (0..300 bytes, a
 * few up to 65535) appended in random batches of 1..5000, committed after
 * each batch (the writer sometimes closed and reopened in between), each
 * committed root checked against an independent in-memory Merkle model.
 * Then random inclusion proofs (any committed size above the index) and
 * consistency proofs (between any two committed sizes) must verify, and must
 * fail once any bit of any proof hash is flipped; entries read back must
 * equal what was appended; and a flipped bit in a random hash tile, a random
 * entry bundle, the checkpoint or the stored-hash index .doge/hashes (one at
 * a time, restored after) must be rejected by doge_ledger_verify (or by
 * open, which checks the root and the checkpoint's signature); the index
 * file must always hold exactly the tree's stored hashes. The PRNG seed is printed and can be set with
 * DOGE_TEST_SEED; DOGE_SANITIZED=1 (the ASan build) uses fewer entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doge.h"
#include "doge/tile.h"
#include "util_assert.h"

#define HS DOGE_MERKLE_HASH_SIZE
#define MAX_COMMITS 4096

static char dir[128];
static doge_signer *signer;
static doge_verifier *verifier;

/* ---- the PRNG (splitmix64: tiny, seedable, good enough for sampling) ---- */

static uint64_t rng_state;

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rnd(void)
{
    rng_state += 0x9E3779B97F4A7C15ull;
    return mix(rng_state);
}

/* Uniform in [0, n). */
static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }

/* ---- entries: content is a function of (seed, index); lengths remembered -- */

static uint64_t content_seed;
static uint32_t *lens; /* per entry */
static uint8_t (*leaves)[HS]; /* per entry, the expected leaf hash */

static void content(int64_t i, uint8_t *buf)
{
    uint64_t s = mix(content_seed ^ mix((uint64_t)i + 1));
    for (uint32_t k = 0; k < lens[i]; k += 8) {
        s += 0x9E3779B97F4A7C15ull;
        uint64_t v = mix(s);
        uint32_t n = lens[i] - k < 8 ? lens[i] - k : 8;
        memcpy(buf + k, &v, n);
    }
}

static uint32_t random_len(void)
{
    /* About one entry in 3000 is large; the rest are 0..300 bytes. */
    if (below(3000) == 0)
        return (uint32_t)(301 + below(DOGE_LEDGER_ENTRY_MAX - 300));
    return (uint32_t)below(301);
}

/* ---- an independent Merkle model: the compact range of the prefix ------- */

typedef struct {
    uint8_t hash[64][HS];
    int height[64];
    int n;
} model;

static void model_push(model *m, const uint8_t leaf[HS])
{
    memcpy(m->hash[m->n], leaf, HS);
    m->height[m->n++] = 0;
    while (m->n >= 2 && m->height[m->n - 1] == m->height[m->n - 2]) {
        assert_ok(doge_merkle_node_hash(m->hash[m->n - 2], m->hash[m->n - 1], m->hash[m->n - 2]));
        m->height[m->n - 2]++;
        m->n--;
    }
}

/* RFC 9162 MTH of the prefix: the perfect subtrees folded from the right. */
static void model_root(const model *m, uint8_t out[HS])
{
    if (m->n == 0) {
        doge_merkle_empty_root(out);
        return;
    }
    memcpy(out, m->hash[m->n - 1], HS);
    for (int k = m->n - 2; k >= 0; k--)
        assert_ok(doge_merkle_node_hash(m->hash[k], out, out));
}

/* ---- files -------------------------------------------------------------- */

typedef struct {
    char **paths;
    size_t n, cap;
} pathlist;

static void pathlist_add(pathlist *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->paths = realloc(p->paths, p->cap * sizeof *p->paths);
        assert_non_null(p->paths);
    }
    p->paths[p->n] = strdup(s);
    assert_non_null(p->paths[p->n]);
    p->n++;
}

static void pathlist_free(pathlist *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->paths[i]);
    free(p->paths);
}

/* Every regular file under dir/rel, as paths relative to dir. */
static void walk(const char *rel, pathlist *out)
{
    char full[512];
    snprintf(full, sizeof full, "%s/%s", dir, rel);
    DIR *d = opendir(full);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char sub[256], subfull[512];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name) >= sizeof sub ||
            (size_t)snprintf(subfull, sizeof subfull, "%s/%s", dir, sub) >= sizeof subfull)
            fail_msg("path too long under %s/%s", dir, rel);
        struct stat sb;
        assert_int_equal(stat(subfull, &sb), 0);
        if (S_ISDIR(sb.st_mode))
            walk(sub, out);
        else if (S_ISREG(sb.st_mode))
            pathlist_add(out, sub);
    }
    closedir(d);
}

/* Flips one bit of the file; returns the file's size. */
static long flip_bit(const char *rel, long byte, int bit)
{
    char full[512];
    snprintf(full, sizeof full, "%s/%s", dir, rel);
    int fd = open(full, O_RDWR);
    assert_true(fd >= 0);
    uint8_t c;
    assert_int_equal(pread(fd, &c, 1, byte), 1);
    c ^= (uint8_t)(1u << bit);
    assert_int_equal(pwrite(fd, &c, 1, byte), 1);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    close(fd);
    return (long)sb.st_size;
}

static long file_size(const char *rel)
{
    char full[512];
    struct stat sb;
    snprintf(full, sizeof full, "%s/%s", dir, rel);
    assert_int_equal(stat(full, &sb), 0);
    return (long)sb.st_size;
}

/* ---- setup -------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/doge-ledger-prop-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(i * 7 + 3);
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

static int env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* ---- the property ------------------------------------------------------- */

static void test_ledger_random_property(void **state)
{
    (void)state;
    uint64_t seed;
    const char *s = getenv("DOGE_TEST_SEED");
    if (s && *s)
        seed = strtoull(s, NULL, 0);
    else
        seed = mix((uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32));
    rng_state = seed;
    content_seed = mix(seed ^ 0x5EEDull);
    const int sanitized = env_flag("DOGE_SANITIZED");
    const int64_t total = sanitized ? 50000 : 100000;
    const int inclusion_samples = sanitized ? 1500 : 5000;
    const int consistency_samples = sanitized ? 1500 : 5000;
    const int get_samples = sanitized ? 500 : 3000;
    const int tamper_rounds = sanitized ? 2 : 3;
    printf("ledger property: seed %llu (set DOGE_TEST_SEED=%llu to repeat), %lld entries, in %s\n",
           (unsigned long long)seed, (unsigned long long)seed, (long long)total, dir);
    fflush(stdout);

    lens = calloc((size_t)total, sizeof *lens);
    leaves = calloc((size_t)total, sizeof *leaves);
    uint8_t *buf = malloc(DOGE_LEDGER_ENTRY_MAX + 1);
    model *m = calloc(1, sizeof *m);
    int64_t *sizes = calloc(MAX_COMMITS, sizeof *sizes);
    uint8_t(*roots)[HS] = calloc(MAX_COMMITS, sizeof *roots);
    assert_true(lens && leaves && buf && m && sizes && roots);

    /* A few entries of the extreme lengths whatever the seed. */
    int64_t forced_max = (int64_t)below((uint64_t)total);
    int64_t forced_empty = (int64_t)below((uint64_t)total);

    assert_ok(doge_ledger_create(dir, signer, "example.gov/log"));
    doge_ledger *l;
    assert_ok(doge_ledger_open(&l, dir, verifier, signer));
    int ncommits = 0;
    int64_t next = 0, reopens = 0, bytes = 0;
    while (next < total) {
        int64_t batch = 1 + (int64_t)below(5000);
        if (batch > total - next)
            batch = total - next;
        for (int64_t k = 0; k < batch; k++, next++) {
            lens[next] = next == forced_max     ? DOGE_LEDGER_ENTRY_MAX
                         : next == forced_empty ? 0
                                                : random_len();
            content(next, buf);
            int64_t idx = -1;
            assert_ok(doge_ledger_append(l, buf, lens[next], &idx));
            assert_int_equal(idx, next);
            assert_ok(doge_merkle_leaf_hash(buf, lens[next], leaves[next]));
            model_push(m, leaves[next]);
            bytes += lens[next];
        }
        assert_int_equal(doge_ledger_pending(l), batch);
        assert_ok(doge_ledger_commit(l));
        assert_int_equal(doge_ledger_pending(l), 0);
        assert_int_equal(doge_ledger_size(l), next);
        assert_true(ncommits < MAX_COMMITS);
        sizes[ncommits] = next;
        memcpy(roots[ncommits], doge_ledger_root(l), HS);
        uint8_t want[HS];
        model_root(m, want);
        assert_memory_equal(roots[ncommits], want, HS);
        ncommits++;
        /* Now and then the writer goes away and comes back (tail reload). */
        if (below(6) == 0) {
            doge_ledger_free(l);
            assert_ok(doge_ledger_open(&l, dir, verifier, signer));
            assert_int_equal(doge_ledger_size(l), next);
            assert_memory_equal(doge_ledger_root(l), roots[ncommits - 1], HS);
            reopens++;
        }
    }
    doge_ledger_free(l);
    printf("ledger property: %d commits, %lld reopens, %lld bytes\n", ncommits, (long long)reopens,
           (long long)bytes);

    /* Read-only: every committed size still has its root. */
    assert_ok(doge_ledger_open(&l, dir, verifier, NULL));
    assert_int_equal(doge_ledger_size(l), total);
    for (int c = 0; c < ncommits; c++) {
        uint8_t h[HS];
        assert_ok(doge_ledger_tree_hash(l, sizes[c], h));
        assert_memory_equal(h, roots[c], HS);
    }

    /* Inclusion: a random index, in any committed tree that holds it. */
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HS], bad[DOGE_MERKLE_MAX_PROOF * HS];
    int flipped = 0;
    for (int k = 0; k < inclusion_samples; k++) {
        int64_t idx = (int64_t)below((uint64_t)total);
        int first = 0; /* the first commit whose size exceeds idx */
        while (sizes[first] <= idx)
            first++;
        int c = first + (int)below((uint64_t)(ncommits - first));
        size_t plen = 0;
        assert_ok(doge_ledger_prove_inclusion(l, idx, sizes[c], proof, DOGE_MERKLE_MAX_PROOF, &plen));
        assert_ok(doge_merkle_check_record(proof, plen, sizes[c], roots[c], idx, leaves[idx]));
        if (plen == 0)
            continue; /* a tree of one entry: nothing to flip */
        memcpy(bad, proof, plen * HS);
        bad[below(plen * HS)] ^= (uint8_t)(1u << below(8));
        assert_int_equal(doge_merkle_check_record(bad, plen, sizes[c], roots[c], idx, leaves[idx]),
                         DOGE_EVERIFY);
        flipped++;
    }
    assert_true(flipped > 0);

    /* Consistency: between two random committed sizes m <= n. */
    flipped = 0;
    for (int k = 0; k < consistency_samples; k++) {
        int a = (int)below((uint64_t)ncommits), b = (int)below((uint64_t)ncommits);
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        size_t plen = 0;
        assert_ok(doge_ledger_prove_consistency(l, sizes[a], sizes[b], proof, DOGE_MERKLE_MAX_PROOF,
                                                &plen));
        assert_ok(doge_merkle_check_tree(proof, plen, sizes[b], roots[b], sizes[a], roots[a]));
        if (a == b) {
            assert_int_equal(plen, 0);
            continue;
        }
        assert_true(plen > 0);
        memcpy(bad, proof, plen * HS);
        bad[below(plen * HS)] ^= (uint8_t)(1u << below(8));
        assert_int_equal(doge_merkle_check_tree(bad, plen, sizes[b], roots[b], sizes[a], roots[a]),
                         DOGE_EVERIFY);
        flipped++;
    }
    if (ncommits > 1)
        assert_true(flipped > 0);

    /* Entries read back: a random sample, the ends, and every large one. */
    for (int64_t i = 0, k = 0; i < total; i++) {
        int pick = i == 0 || i == total - 1 || lens[i] > 300;
        if (!pick) {
            if (k >= get_samples || below((uint64_t)total) >= (uint64_t)get_samples)
                continue;
            k++;
        }
        uint8_t *data;
        size_t len;
        assert_ok(doge_ledger_get(l, i, &data, &len));
        assert_int_equal(len, lens[i]);
        content(i, buf);
        assert_memory_equal(data, buf, len);
        free(data);
    }
    uint8_t *none;
    size_t nlen;
    assert_int_equal(doge_ledger_get(l, total, &none, &nlen), DOGE_ENOTFOUND);

    /* The whole log verifies; with the model's roots matching every
     * commit, this also ties every stored entry to what was appended. */
    doge_ledger_report rep;
    assert_ok(doge_ledger_verify(l, NULL, 0, &rep));
    assert_int_equal(rep.size, total);
    assert_int_equal(rep.entries_bytes, bytes);
    assert_int_equal(rep.bundles, (total + 255) / 256);
    assert_int_equal(rep.signatures, 1);
    doge_ledger_free(l);

    /* Tampering: the hash tiles and entry bundles of the committed tree. */
    pathlist files = {0}, tiles = {0}, bundles = {0};
    walk("tile", &files);
    for (size_t i = 0; i < files.n; i++) {
        doge_tile t;
        if (doge_tile_parse_path(files.paths[i], strlen(files.paths[i]), &t) != DOGE_OK ||
            doge_tile_in_tree(&t, total) != DOGE_OK)
            continue; /* a partial of an earlier size, or not a tile */
        pathlist_add(t.level == DOGE_TILE_LEVEL_ENTRIES ? &bundles : &tiles, files.paths[i]);
    }
    assert_int_equal(bundles.n, (size_t)((total + 255) / 256));
    assert_true(tiles.n >= bundles.n);
    const char *checkpoint = "checkpoint", *index = ".doge/hashes";
    assert_int_equal(file_size(index), doge_merkle_stored_hash_count(total) * HS);
    for (int round = 0; round < tamper_rounds; round++) {
        const char *targets[4] = {tiles.paths[below(tiles.n)], bundles.paths[below(bundles.n)],
                                  checkpoint, index};
        for (int w = 0; w < 4; w++) {
            long size = file_size(targets[w]);
            assert_true(size > 0);
            long byte = (long)below((uint64_t)size);
            int bit = (int)below(8);
            flip_bit(targets[w], byte, bit);
            int rc = doge_ledger_open(&l, dir, verifier, NULL);
            if (w == 2) {
                if (rc == DOGE_OK)
                    fail_msg("checkpoint with bit %d of byte %ld flipped was accepted", bit, byte);
                int rc2 = doge_ledger_open(&l, dir, verifier, signer);
                if (rc2 == DOGE_OK)
                    fail_msg("checkpoint with bit %d of byte %ld flipped opened for writing", bit,
                             byte);
            } else {
                /* Open checks the root from the right edge; verify checks all. */
                if (rc == DOGE_OK) {
                    rc = doge_ledger_verify(l, NULL, 0, &rep);
                    doge_ledger_free(l);
                }
                if (rc != DOGE_EVERIFY)
                    fail_msg("%s with bit %d of byte %ld flipped: got %s (%s), want DOGE_EVERIFY",
                             targets[w], bit, byte, doge_error_name(rc), doge_error_last());
                /* The index is not checked on open beyond the right edge
                 * (a bad one there is ignored): verify names it. */
                if (w == 3 && !strstr(doge_error_last(), index))
                    fail_msg("index with bit %d of byte %ld flipped: verify said '%s'", bit, byte,
                             doge_error_last());
            }
            flip_bit(targets[w], byte, bit);
            assert_ok(doge_ledger_open(&l, dir, verifier, NULL));
            assert_ok(doge_ledger_verify(l, NULL, 0, &rep));
            assert_int_equal(rep.size, total);
            doge_ledger_free(l);
        }
    }
    /* The writer still opens and appends on top of the restored log. */
    assert_ok(doge_ledger_open(&l, dir, verifier, signer));
    assert_ok(doge_ledger_append(l, "after", 5, NULL));
    assert_ok(doge_ledger_commit(l));
    assert_int_equal(doge_ledger_size(l), total + 1);
    uint8_t h[HS];
    assert_ok(doge_ledger_tree_hash(l, total, h));
    assert_memory_equal(h, roots[ncommits - 1], HS);
    doge_ledger_free(l);

    pathlist_free(&files);
    pathlist_free(&tiles);
    pathlist_free(&bundles);
    free(lens);
    free(leaves);
    free(buf);
    free(m);
    free(sizes);
    free(roots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ledger_random_property, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
