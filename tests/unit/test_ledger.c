/*
 * test_ledger.c — the on-disk log in a real folder: create, append in
 * batches, commit, reopen, read entries back, prove inclusion and
 * consistency against the signed roots, verify the whole log, and detect a
 * flipped bit in a tile, an entry bundle or the checkpoint; leftovers of a
 * crashed batch are removed on reopen; a malformed entry bundle is a
 * verification failure; oversized entries are refused.
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
