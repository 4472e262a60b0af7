/*
 * bench/ledger.c — measures the on-disk ledger (doge/ledger.h) on one core
 * with 200-byte entries: (a) appends into an in-memory batch before any
 * fsync (doge_ledger_append alone, 2M entries, one batch), (b) durable
 * appends in batches of 1,000 (append + commit, each commit fsyncs its tiles,
 * bundles, folders, the stored-hash index and the checkpoint; 200k entries),
 * (c) microseconds per inclusion proof and per consistency proof (generate
 * from the stored-hash index .doge/hashes + verify) in a log of 10M entries
 * built in a temporary folder and reopened read-only (and inclusion proofs
 * within one level-0 tile), and (d) the same log without its index: proofs
 * from the tiles alone (read-only open; 2,000 of them, hashes between tile
 * levels recomputed from the tile below) and the writable open that rebuilds
 * the index from the tiles. argv[1] overrides the proof log's size (and caps
 * the other two counts), e.g. `bench_ledger 1000000` for a quicker run; the folder is made
 * under $TMPDIR (else /tmp) and removed at the end. Each figure is printed
 * with its target (>= 1M appends/s before fsync, <= 10 us per proof) and the
 * baseline: Tessera reports about 10k entries/s on POSIX storage with 7
 * cores.
 */
#include "doge.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define HS DOGE_MERKLE_HASH_SIZE
#define ENTRY_LEN 200
#define TESSERA_POSIX 10000.0 /* entries/s, Tessera's POSIX storage, 7 cores */
#define TARGET_APPENDS 1e6    /* appends/s before fsync */
#define TARGET_PROOF_US 10.0  /* per proof */

static doge_signer *signer;
static doge_verifier *verifier;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_ledger: %s: %s\n", what, doge_error_last());
    return 1;
}

/* Entry i: 200 bytes, its index in the first 8, the rest 'e'. */
static void entry(int64_t i, uint8_t buf[ENTRY_LEN])
{
    memset(buf, 'e', ENTRY_LEN);
    memcpy(buf, &i, sizeof i);
}

/* Removes path and, for a folder, everything under it. */
static void rm_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            char sub[4096];
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub)
                rm_tree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void print_rate(const char *what, int64_t n, double secs, int with_target)
{
    double rate = (double)n / secs;
    printf("%s: %lld entries in %.2f s = %.0f appends/s", what, (long long)n, secs, rate);
    if (with_target)
        printf(" | target >= %.0fM/s: %s", TARGET_APPENDS / 1e6,
               rate >= TARGET_APPENDS ? "met" : "NOT met");
    printf(" | ratio vs Tessera POSIX (10k/s): %.1fx\n", rate / TESSERA_POSIX);
}

static void print_proof(const char *what, int64_t size, int reps, double gen, double ver)
{
    double g = gen / reps * 1e6, v = ver / reps * 1e6;
    printf("%s at %lld entries: %.2f us (generate %.2f + verify %.2f), %d random proofs"
           " | target <= %.0f us: %s\n",
           what, (long long)size, g + v, g, v, reps, TARGET_PROOF_US,
           g + v <= TARGET_PROOF_US ? "met" : "NOT met");
}

/* Appends entries [from, to) to l, committing every `batch` entries. */
static int fill(doge_ledger *l, int64_t from, int64_t to, int64_t batch)
{
    uint8_t buf[ENTRY_LEN];
    for (int64_t i = from; i < to; i++) {
        entry(i, buf);
        if (doge_ledger_append(l, buf, sizeof buf, NULL) != DOGE_OK)
            return fail("append");
        if ((i + 1 - from) % batch == 0 && doge_ledger_commit(l) != DOGE_OK)
            return fail("commit");
    }
    return doge_ledger_commit(l) == DOGE_OK ? 0 : fail("commit");
}

int main(int argc, char **argv)
{
    int64_t size = argc > 1 ? atoll(argv[1]) : 10000000;
    if (size < 1000)
        size = 1000;
    int64_t mem_n = size < 2000000 ? size : 2000000;
    int64_t durable_n = size < 200000 ? size : 200000;
    const char *tmp = getenv("TMPDIR");
    char dir[4096], big[4200], small[4200];
    snprintf(dir, sizeof dir, "%s/doge-bench-ledger-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("bench_ledger: mkdtemp");
        return 1;
    }
    snprintf(big, sizeof big, "%s/big", dir);
    snprintf(small, sizeof small, "%s/durable", dir);
    uint8_t seed[32] = {1, 2, 3, 4, 5, 6, 7, 8};
    if (doge_signer_new(&signer, "bench.example.gov/log", DOGE_KEY_ED25519, seed) != DOGE_OK ||
        doge_signer_verifier(signer, &verifier) != DOGE_OK)
        return fail("keys");
    printf("bench_ledger: 200-byte entries, one core, logs in %s\n", dir);
    int rc = 1;
    doge_ledger *l = NULL;
    uint8_t buf[ENTRY_LEN];

    /* (a) In-memory batch: doge_ledger_append alone, nothing fsynced yet. */
    if (doge_ledger_create(big, signer, "bench.example.gov/log") != DOGE_OK ||
        doge_ledger_open(&l, big, verifier, signer) != DOGE_OK) {
        fail("create");
        goto out;
    }
    doge_ledger_set_batch_max(l, mem_n + 1);
    double t0 = now();
    for (int64_t i = 0; i < mem_n; i++) {
        entry(i, buf);
        if (doge_ledger_append(l, buf, sizeof buf, NULL) != DOGE_OK) {
            fail("append");
            goto out;
        }
    }
    double t1 = now();
    print_rate("append, in-memory batch before fsync", mem_n, t1 - t0, 1);
    if (doge_ledger_commit(l) != DOGE_OK) {
        fail("commit");
        goto out;
    }
    double t2 = now();
    printf("  commit of that batch (%lld entries, one checkpoint): %.2f s; append + commit = "
           "%.0f entries/s | ratio vs Tessera POSIX (10k/s): %.1fx\n",
           (long long)mem_n, t2 - t1, (double)mem_n / (t2 - t0),
           (double)mem_n / (t2 - t0) / TESSERA_POSIX);

    /* (b) Durable batches of 1,000: append + commit. */
    doge_ledger *d = NULL;
    if (doge_ledger_create(small, signer, "bench.example.gov/log") != DOGE_OK ||
        doge_ledger_open(&d, small, verifier, signer) != DOGE_OK) {
        fail("create");
        goto out;
    }
    t0 = now();
    if (fill(d, 0, durable_n, 1000)) {
        doge_ledger_free(d);
        goto out;
    }
    t1 = now();
    doge_ledger_free(d);
    print_rate("append, durable batches of 1,000 (append + commit, fsync)", durable_n, t1 - t0, 0);

    /* (c) The proof log: grow the first log to size in batches of 1M. */
    if (size > mem_n) {
        doge_ledger_set_batch_max(l, 1000001);
        t0 = now();
        if (fill(l, mem_n, size, 1000000))
            goto out;
        t1 = now();
        printf("  proof log grown to %lld entries in %.1f s (batches of 1M)\n", (long long)size,
               t1 - t0);
    }
    doge_ledger_free(l);
    l = NULL;
    if (doge_ledger_open(&l, big, verifier, NULL) != DOGE_OK) {
        fail("reopen read-only");
        goto out;
    }
    if (doge_ledger_size(l) != size) {
        fprintf(stderr, "bench_ledger: reopened size %lld, want %lld\n",
                (long long)doge_ledger_size(l), (long long)size);
        goto out;
    }
    uint8_t root[HS], proof[DOGE_MERKLE_MAX_PROOF * HS], leaf[HS], old[HS];
    memcpy(root, doge_ledger_root(l), HS);
    enum { REPS = 20000 };
    uint64_t s = 88172645463325252ULL;
    double gen = 0, ver = 0;
    /* Twice: the first pass pays the first touch of the index's pages in
     * this process (minor faults; a fresh process proving once pays a few
     * dozen), the second is what a long-running reader sees. */
    for (int pass = 0; pass < 2; pass++) {
        gen = ver = 0;
        for (int i = 0; i < REPS; i++) {
            int64_t n = (int64_t)(rnd(&s) % (uint64_t)size);
            size_t len;
            double a = now();
            if (doge_ledger_prove_inclusion(l, n, size, proof, DOGE_MERKLE_MAX_PROOF, &len) !=
                DOGE_OK) {
                fail("prove inclusion");
                goto out;
            }
            double b = now();
            entry(n, buf);
            if (doge_merkle_leaf_hash(buf, sizeof buf, leaf) != DOGE_OK ||
                doge_merkle_check_record(proof, len, size, root, n, leaf) != DOGE_OK) {
                fail("check inclusion");
                goto out;
            }
            ver += now() - b;
            gen += b - a;
        }
        print_proof(pass ? "  inclusion proof, again (index pages mapped)"
                         : "inclusion proof (first touch of the index in this process)",
                    size, REPS, gen, ver);
    }

    /* The same within one level-0 tile (the proofs share most hashes). */
    gen = ver = 0;
    int64_t base = (int64_t)(rnd(&s) % (uint64_t)(size / 256)) * 256;
    for (int i = 0; i < REPS; i++) {
        int64_t n = base + (int64_t)(rnd(&s) % 256);
        size_t len;
        double a = now();
        if (doge_ledger_prove_inclusion(l, n, size, proof, DOGE_MERKLE_MAX_PROOF, &len) !=
            DOGE_OK) {
            fail("prove inclusion");
            goto out;
        }
        double b = now();
        entry(n, buf);
        if (doge_merkle_leaf_hash(buf, sizeof buf, leaf) != DOGE_OK ||
            doge_merkle_check_record(proof, len, size, root, n, leaf) != DOGE_OK) {
            fail("check inclusion");
            goto out;
        }
        ver += now() - b;
        gen += b - a;
    }
    print_proof("  inclusion proof, within one level-0 tile", size, REPS, gen, ver);

    gen = ver = 0;
    for (int i = 0; i < REPS; i++) {
        int64_t m = 1 + (int64_t)(rnd(&s) % (uint64_t)size);
        size_t len;
        if (doge_ledger_tree_hash(l, m, old) != DOGE_OK) {
            fail("tree hash");
            goto out;
        }
        double a = now();
        if (doge_ledger_prove_consistency(l, m, size, proof, DOGE_MERKLE_MAX_PROOF, &len) !=
            DOGE_OK) {
            fail("prove consistency");
            goto out;
        }
        double b = now();
        if (doge_merkle_check_tree(proof, len, size, root, m, old) != DOGE_OK) {
            fail("check consistency");
            goto out;
        }
        ver += now() - b;
        gen += b - a;
    }
    print_proof("consistency proof", size, REPS, gen, ver);

    /* (d) Without the index: read-only proves from the tiles; a writable
     * open rebuilds it. */
    doge_ledger_free(l);
    l = NULL;
    char idx[4300];
    snprintf(idx, sizeof idx, "%s/.doge/hashes", big);
    if (unlink(idx) != 0) {
        perror("bench_ledger: unlink the index");
        goto out;
    }
    if (doge_ledger_open(&l, big, verifier, NULL) != DOGE_OK) {
        fail("reopen read-only without the index");
        goto out;
    }
    enum { TILE_REPS = 2000 };
    gen = ver = 0;
    for (int i = 0; i < TILE_REPS; i++) {
        int64_t n = (int64_t)(rnd(&s) % (uint64_t)size);
        size_t len;
        double a = now();
        if (doge_ledger_prove_inclusion(l, n, size, proof, DOGE_MERKLE_MAX_PROOF, &len) !=
            DOGE_OK) {
            fail("prove inclusion");
            goto out;
        }
        double b = now();
        entry(n, buf);
        if (doge_merkle_leaf_hash(buf, sizeof buf, leaf) != DOGE_OK ||
            doge_merkle_check_record(proof, len, size, root, n, leaf) != DOGE_OK) {
            fail("check inclusion");
            goto out;
        }
        ver += now() - b;
        gen += b - a;
    }
    print_proof("  inclusion proof without the index (from the tiles)", size, TILE_REPS, gen, ver);
    doge_ledger_free(l);
    l = NULL;
    t0 = now();
    if (doge_ledger_open(&l, big, verifier, signer) != DOGE_OK) {
        fail("reopen writable (rebuilding the index)");
        goto out;
    }
    t1 = now();
    printf("  writable open rebuilding the index from the tiles (%lld entries): %.2f s\n",
           (long long)size, t1 - t0);
    rc = 0;
out:
    doge_ledger_free(l);
    doge_signer_free(signer);
    doge_verifier_free(verifier);
    rm_tree(dir);
    return rc;
}
