/*
 * ledger_crash_driver.c — the program tests/scripts/ledger_crash.sh kills.
 * "ledger_crash_driver run DIR [MAX]" opens the log in DIR (creating it if
 * needed) with a fixed key, prints "open <size>", and loops: append a random
 * batch of 1..2000 entries, each "entry <i>" for its index i, commit, then
 * print "ack <size>" and flush, so every size printed is one the log has
 * acknowledged; it stops by itself only once the log holds MAX entries
 * (default: never) or, as a guard against a driver orphaned by a stopped
 * test, after 120 s. "ledger_crash_driver verify DIR" checks what a killed
 * run left: the log opens read-only, passes doge_ledger_verify and every
 * entry 0..size-1 reads back as "entry <i>"; then it opens writable (which
 * removes a crashed batch's leftovers), passes doge_ledger_verify again and
 * has the same size and root. Both times the stored-hash index .doge/hashes
 * must hold every stored hash of the tree (verify checks each). It prints "size <n>" and exits 0, or names
 * what is wrong on stderr and exits 1. A folder with no checkpoint (killed
 * before the first create finished) is "size 0".
 */
#include "doge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ORIGIN "crash.example.gov/log"

static doge_signer *signer;
static doge_verifier *verifier;

static int fail(const char *what, const char *dir)
{
    fprintf(stderr, "ledger_crash_driver: %s: %s: %s\n", dir, what, doge_error_last());
    return 1;
}

static int keys(void)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(0xA5 ^ i);
    if (doge_signer_new(&signer, ORIGIN, DOGE_KEY_ED25519, seed) != DOGE_OK ||
        doge_signer_verifier(signer, &verifier) != DOGE_OK) {
        fprintf(stderr, "ledger_crash_driver: keys: %s\n", doge_error_last());
        return 1;
    }
    return 0;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int run(const char *dir, int64_t max)
{
    int rc = doge_ledger_create(dir, signer, ORIGIN);
    if (rc != DOGE_OK && rc != DOGE_EEXISTS)
        return fail("create", dir);
    doge_ledger *l;
    if (doge_ledger_open(&l, dir, verifier, signer) != DOGE_OK)
        return fail("open", dir);
    doge_ledger_set_batch_max(l, 1 << 20);
    /* A guard against a driver orphaned by a stopped test: SIGALRM ends it. */
    alarm(120);
    printf("open %lld\n", (long long)doge_ledger_size(l));
    fflush(stdout);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t s = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_sec;
    s = s ? s : 1;
    while (max <= 0 || doge_ledger_size(l) < max) {
        int64_t batch = 1 + (int64_t)(rnd(&s) % 2000);
        if (max > 0 && batch > max - doge_ledger_size(l))
            batch = max - doge_ledger_size(l);
        for (int64_t k = 0; k < batch; k++) {
            char buf[40];
            int64_t want = doge_ledger_size(l) + k, idx;
            int len = snprintf(buf, sizeof buf, "entry %lld", (long long)want);
            if (doge_ledger_append(l, buf, (size_t)len, &idx) != DOGE_OK)
                return fail("append", dir);
            if (idx != want) {
                fprintf(stderr, "ledger_crash_driver: append gave index %lld, want %lld\n",
                        (long long)idx, (long long)want);
                return 1;
            }
        }
        if (doge_ledger_commit(l) != DOGE_OK)
            return fail("commit", dir);
        printf("ack %lld\n", (long long)doge_ledger_size(l));
        fflush(stdout);
    }
    doge_ledger_free(l);
    doge_signer_free(signer);
    doge_verifier_free(verifier);
    return 0;
}

/* Opens (writable when writer is set), verifies, and with entries set reads
 * back every entry; *size and root get the result. */
static int check(const char *dir, const doge_signer *writer, int entries, int64_t *size,
                 uint8_t root[32])
{
    const char *mode = writer ? "writable" : "read-only";
    doge_ledger *l;
    char what[64];
    snprintf(what, sizeof what, "open %s", mode);
    if (doge_ledger_open(&l, dir, verifier, writer) != DOGE_OK)
        return fail(what, dir);
    doge_ledger_report rep;
    snprintf(what, sizeof what, "verify (%s)", mode);
    if (doge_ledger_verify(l, NULL, 0, &rep) != DOGE_OK) {
        doge_ledger_free(l);
        return fail(what, dir);
    }
    *size = doge_ledger_size(l);
    memcpy(root, doge_ledger_root(l), 32);
    /* Every commit fsyncs the batch's hashes into the stored-hash index
     * before its checkpoint, so a killed run leaves it complete. */
    if (rep.index_hashes != doge_merkle_stored_hash_count(*size)) {
        fprintf(stderr,
                "ledger_crash_driver: %s: the hash index holds %lld checked hashes (%s), the tree "
                "of size %lld needs %lld\n",
                dir, (long long)rep.index_hashes, mode, (long long)*size,
                (long long)doge_merkle_stored_hash_count(*size));
        doge_ledger_free(l);
        return 1;
    }
    for (int64_t i = 0; entries && i < *size; i++) {
        uint8_t *data;
        size_t len;
        char want[40];
        int wl = snprintf(want, sizeof want, "entry %lld", (long long)i);
        if (doge_ledger_get(l, i, &data, &len) != DOGE_OK) {
            doge_ledger_free(l);
            snprintf(what, sizeof what, "get %lld (%s)", (long long)i, mode);
            return fail(what, dir);
        }
        int ok = len == (size_t)wl && memcmp(data, want, len) == 0;
        if (!ok)
            fprintf(stderr, "ledger_crash_driver: %s: entry %lld reads \"%.*s\", want \"%s\"\n",
                    dir, (long long)i, (int)(len > 60 ? 60 : len), (const char *)data, want);
        free(data);
        if (!ok) {
            doge_ledger_free(l);
            return 1;
        }
    }
    doge_ledger_free(l);
    return 0;
}

static int verify(const char *dir)
{
    char cp[4096];
    struct stat sb;
    snprintf(cp, sizeof cp, "%s/checkpoint", dir);
    if (stat(cp, &sb) != 0 && errno == ENOENT) {
        printf("size 0 (no checkpoint yet)\n");
        doge_signer_free(signer);
        doge_verifier_free(verifier);
        return 0;
    }
    int64_t ro_size, rw_size;
    uint8_t ro_root[32], rw_root[32];
    int rc = check(dir, NULL, 1, &ro_size, ro_root);
    if (rc == 0)
        rc = check(dir, signer, 0, &rw_size, rw_root);
    if (rc == 0 && (ro_size != rw_size || memcmp(ro_root, rw_root, 32) != 0)) {
        fprintf(stderr, "ledger_crash_driver: %s: read-only size %lld, writable size %lld\n", dir,
                (long long)ro_size, (long long)rw_size);
        rc = 1;
    }
    if (rc == 0)
        printf("size %lld\n", (long long)ro_size);
    doge_signer_free(signer);
    doge_verifier_free(verifier);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "verify") != 0)) {
        fprintf(stderr, "usage: ledger_crash_driver run DIR [MAX] | verify DIR\n");
        return 2;
    }
    if (keys())
        return 1;
    if (strcmp(argv[1], "run") == 0)
        return run(argv[2], argc > 3 ? atoll(argv[3]) : 0);
    return verify(argv[2]);
}
