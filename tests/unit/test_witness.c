/*
 * test_witness.c — the tlog-witness add-checkpoint decision on a real
 * SQLite store (migrated, in a temporary folder) and a real on-disk log,
 * with cases taken from the spec text: the first cosignature from old size
 * 0 (200, a tlog-cosignature that verifies), growth with a consistency
 * proof (200), a stale old size (409 with the latest cosigned size), an old
 * size above the checkpoint's (400), an unknown origin (404), no valid
 * signature of the log's key (403), a consistency proof that does not
 * verify (422), a different root at the same size (409), a non-empty proof
 * from size 0 (422), malformed bodies (400), and a witness key of the wrong
 * type (an error, not a decision). After every refusal the stored state
 * (doge_witness_latest) is checked to be what it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "doge/witness.h"
#include "util_assert.h"

#define ORIGIN "example.gov/ledger"
#define ORIGIN2 "example.gov/second"
#define NOW 1700000000u

static char dir[128], logdir[160], forkdir[160], log2dir[160], dbpath[160];
static doge_signer *log_signer, *log2_signer, *stranger, *witness;
static doge_verifier *log_v, *log2_v, *stranger_v, *witness_v;
static doge_store *st;
static doge_ledger *ledger;

static int new_key(doge_signer **s, doge_verifier **v, const char *name, doge_key_type type, int n)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(n * 11 + i);
    return doge_signer_new(s, name, type, seed) || doge_signer_verifier(*s, v) ? -1 : 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/doge-witness-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(logdir, sizeof logdir, "%s/log", dir);
    snprintf(forkdir, sizeof forkdir, "%s/fork", dir);
    snprintf(log2dir, sizeof log2dir, "%s/log2", dir);
    snprintf(dbpath, sizeof dbpath, "%s/witness.db", dir);
    if (new_key(&log_signer, &log_v, ORIGIN, DOGE_KEY_ED25519, 1) ||
        new_key(&log2_signer, &log2_v, ORIGIN2, DOGE_KEY_ED25519, 2) ||
        new_key(&stranger, &stranger_v, ORIGIN, DOGE_KEY_ED25519, 3) ||
        new_key(&witness, &witness_v, "witness.example/w1", DOGE_KEY_COSIGNATURE_V1, 4))
        return -1;
    if (doge_store_open(&st, dbpath) || doge_store_migrate(st, NULL, NULL))
        return -1;
    if (doge_ledger_create(logdir, log_signer, ORIGIN) ||
        doge_ledger_open(&ledger, logdir, log_v, log_signer))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    doge_ledger_free(ledger);
    doge_store_free(st);
    doge_signer_free(log_signer);
    doge_signer_free(log2_signer);
    doge_signer_free(stranger);
    doge_signer_free(witness);
    doge_verifier_free(log_v);
    doge_verifier_free(log2_v);
    doge_verifier_free(stranger_v);
    doge_verifier_free(witness_v);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The logs this witness follows. */
static doge_witness_log logs[2];

static void init_logs(void)
{
    logs[0].origin = ORIGIN;
    logs[0].key = log_v;
    logs[1].origin = ORIGIN2;
    logs[1].key = log2_v;
}

static void grow(doge_ledger *l, int n, const char *tag)
{
    for (int i = 0; i < n; i++) {
        char buf[64];
        int len = snprintf(buf, sizeof buf, "%s %lld", tag, (long long)doge_ledger_pending(l));
        assert_ok(doge_ledger_append(l, buf, (size_t)len, NULL));
    }
    assert_ok(doge_ledger_commit(l));
}

/* Sends body; returns the status (asserting the call itself succeeded). */
static int send(const char *body, size_t len, doge_witness_result *res)
{
    doge_error_clear();
    assert_ok(doge_witness_add_checkpoint(st, witness, logs, 2, body, len, NOW, res));
    return res->status;
}

static int send_text(const char *body)
{
    doge_witness_result res;
    int status = send(body, strlen(body), &res);
    assert_null(res.cosignature);
    doge_witness_result_dispose(&res);
    return status;
}

/* The request from old size m to the log's current checkpoint. */
static char *request(doge_ledger *l, int64_t m, size_t *len)
{
    char *body;
    assert_ok(doge_ledger_witness_request(l, m, NULL, 0, &body, len));
    return body;
}

/* The stored state must be exactly (size, root). */
static void expect_state(const char *origin, int64_t size, const uint8_t root[32])
{
    int64_t got = -1;
    uint8_t r[32];
    assert_ok(doge_witness_latest(st, origin, &got, r));
    assert_int_equal(got, size);
    assert_memory_equal(r, root, 32);
}

/* The checkpoint body (note text) of a request body. */
static void checkpoint_body(const char *req, size_t len, char **body, size_t *blen)
{
    const char *cp = strstr(req, "\n\n");
    assert_non_null(cp);
    cp += 2;
    doge_note *note;
    assert_ok(doge_note_parse(&note, cp, len - (size_t)(cp - req)));
    const char *t = doge_note_text(note, blen);
    *body = malloc(*blen + 1);
    memcpy(*body, t, *blen + 1);
    doge_note_free(note);
}

static void test_add_checkpoint(void **state)
{
    (void)state;
    init_logs();
    int64_t size0 = 0;
    uint8_t root0[32];
    assert_int_equal(doge_witness_latest(st, ORIGIN, &size0, root0), DOGE_ENOTFOUND);

    /* First contact: old 0, no proof. */
    grow(ledger, 5, "a");
    size_t len;
    char *req = request(ledger, 0, &len);
    assert_memory_equal(req, "old 0\n\n", 7);
    doge_witness_result res;
    assert_int_equal(send(req, len, &res), 200);
    assert_non_null(res.cosignature);
    assert_int_equal(strlen(res.cosignature), res.cosignature_len);
    assert_memory_equal(res.cosignature, "\xe2\x80\x94 witness.example/w1 ", 23);
    assert_int_equal(res.cosignature[res.cosignature_len - 1], '\n');
    char *body;
    size_t blen;
    checkpoint_body(req, len, &body, &blen);
    uint64_t ts = 0;
    assert_ok(doge_cosignature_verify(witness_v, body, blen, res.cosignature, res.cosignature_len,
                                      &ts));
    assert_int_equal(ts, NOW);
    /* The response joined to the checkpoint verifies as a note (the spec's
     * suggested client check), and attaches to the log. */
    const char *cp = strstr(req, "\n\n") + 2;
    size_t cpl = len - (size_t)(cp - req);
    char *joined = malloc(cpl + res.cosignature_len);
    memcpy(joined, cp, cpl);
    memcpy(joined + cpl, res.cosignature, res.cosignature_len);
    doge_note *note;
    const doge_verifier *known[] = {witness_v};
    assert_ok(doge_note_open(&note, joined, cpl + res.cosignature_len, known, 1));
    assert_int_equal(doge_note_verified_count(note), 1);
    doge_note_free(note);
    free(joined);
    size_t added = 0;
    assert_ok(doge_ledger_cosign_add(ledger, res.cosignature, res.cosignature_len, known, 1,
                                     &added));
    assert_int_equal(added, 1);
    doge_witness_result_dispose(&res);
    assert_null(res.cosignature);
    expect_state(ORIGIN, 5, doge_ledger_root(ledger));
    free(body);
    free(req);

    /* The same checkpoint again (old == size, same root): cosigned again. */
    req = request(ledger, 5, &len);
    assert_memory_equal(req, "old 5\n\n", 7);
    assert_int_equal(send(req, len, &res), 200);
    doge_witness_result_dispose(&res);
    free(req);

    /* Growth with a consistency proof. */
    uint8_t root5[32];
    memcpy(root5, doge_ledger_root(ledger), 32);
    char *stale = request(ledger, 0, &len); /* kept for the stale test */
    size_t stale_len = len;
    grow(ledger, 8, "b");
    req = request(ledger, 5, &len);
    assert_int_equal(send(req, len, &res), 200);
    checkpoint_body(req, len, &body, &blen);
    assert_ok(doge_cosignature_verify(witness_v, body, blen, res.cosignature, res.cosignature_len,
                                      NULL));
    free(body);
    doge_witness_result_dispose(&res);
    free(req);
    expect_state(ORIGIN, 13, doge_ledger_root(ledger));
    uint8_t root13[32];
    memcpy(root13, doge_ledger_root(ledger), 32);

    /* Stale old sizes: 409 with the latest cosigned size; nothing changes. */
    assert_int_equal(send(stale, stale_len, &res), 409);
    assert_int_equal(res.latest_size, 13);
    assert_null(res.cosignature);
    expect_state(ORIGIN, 13, root13);
    free(stale);
    grow(ledger, 3, "c");
    for (int64_t m = 0; m < 16; m++) {
        if (m == 13)
            continue;
        req = request(ledger, m, &len);
        assert_int_equal(send(req, len, &res), 409);
        assert_int_equal(res.latest_size, 13);
        assert_null(res.cosignature);
        free(req);
    }
    expect_state(ORIGIN, 13, root13);

    /* Two requests built from the same state (the spec's race): the larger
     * goes first, then the smaller one must not roll the state back. */
    char *to16 = request(ledger, 13, &len);
    size_t to16_len = len;
    assert_int_equal(send(to16, to16_len, &res), 200);
    doge_witness_result_dispose(&res);
    expect_state(ORIGIN, 16, doge_ledger_root(ledger));
    char *again = request(ledger, 13, &len);
    assert_int_equal(send(again, len, &res), 409);
    assert_int_equal(res.latest_size, 16);
    free(again);
    free(to16);
    uint8_t root16[32];
    memcpy(root16, doge_ledger_root(ledger), 32);

    /* old > checkpoint size: 400; a rollback to an older checkpoint too. */
    req = request(ledger, 16, &len);
    char *t = malloc(len + 8);
    snprintf(t, len + 8, "old 17%s", req + 6);
    assert_int_equal(send_text(t), 400);
    assert_message_has("above");
    free(t);
    free(req);
    expect_state(ORIGIN, 16, root16);
    /* A rollback: the log's own signed checkpoint of size 5 (the same body
     * as the one cosigned earlier, signed again by the log's key). */
    char *cp5, *b5;
    size_t cp5_len, b5l;
    doge_checkpoint *c;
    assert_ok(doge_checkpoint_new(&c, ORIGIN, 5, root5));
    assert_ok(doge_checkpoint_format(c, &b5, &b5l));
    doge_checkpoint_free(c);
    assert_ok(doge_note_sign(&cp5, &cp5_len, b5, b5l, (const doge_signer *const *)&log_signer, 1));
    free(b5);
    t = malloc(cp5_len + 16);
    snprintf(t, cp5_len + 16, "old 16\n\n%s", cp5);
    assert_int_equal(send_text(t), 400);
    /* With the right old size it is not a rollback but a stale request. */
    snprintf(t, cp5_len + 16, "old 5\n\n%s", cp5);
    assert_int_equal(send_text(t), 409);
    free(t);
    expect_state(ORIGIN, 16, root16);

    /* Same size, different root: a fork, signed by the log's own key. */
    doge_ledger *fork;
    assert_ok(doge_ledger_create(forkdir, log_signer, ORIGIN));
    assert_ok(doge_ledger_open(&fork, forkdir, log_v, log_signer));
    grow(fork, 16, "fork");
    assert_int_equal(doge_ledger_size(fork), 16);
    assert_memory_not_equal(doge_ledger_root(fork), root16, 32);
    req = request(fork, 16, &len);
    assert_int_equal(send(req, len, &res), 409);
    assert_int_equal(res.latest_size, 16);
    assert_null(res.cosignature);
    free(req);
    expect_state(ORIGIN, 16, root16);
    /* The fork grown past the witness's size: its consistency proof from
     * 16 does not lead from the cosigned root, 422. */
    grow(fork, 4, "fork");
    req = request(fork, 16, &len);
    assert_int_equal(send(req, len, &res), 422);
    assert_null(res.cosignature);
    free(req);
    expect_state(ORIGIN, 16, root16);
    doge_ledger_free(fork);

    /* Wrong proofs from the right size: 422. */
    grow(ledger, 21, "d"); /* 37 */
    req = request(ledger, 16, &len);
    char *h1 = strchr(req, '\n') + 1;
    size_t nlines = 0;
    for (char *q = h1; *q != '\n'; q = strchr(q, '\n') + 1)
        nlines++;
    assert_true(nlines >= 2);
    t = malloc(len + 46);
    /* A flipped hash. */
    memcpy(t, req, len + 1);
    t[(size_t)(h1 - req) + 7] = t[(size_t)(h1 - req) + 7] == 'A' ? 'B' : 'A';
    assert_int_equal(send_text(t), 422);
    /* A dropped hash. */
    size_t off = (size_t)(h1 - req);
    memcpy(t, req, off);
    memcpy(t + off, req + off + 45, len - off - 45 + 1);
    assert_int_equal(send_text(t), 422);
    /* An added hash. */
    memcpy(t, req, off);
    memcpy(t + off, req + off, 45);
    memcpy(t + off + 45, req + off, len - off + 1);
    assert_int_equal(send_text(t), 422);
    /* No proof at all. */
    char *blank = strstr(req, "\n\n");
    snprintf(t, len + 46, "old 16\n%s", blank + 1);
    assert_int_equal(send_text(t), 422);
    /* A proof between other sizes (15 to 37). */
    free(t);
    t = request(ledger, 15, &len);
    t[5] = '6'; /* "old 15" -> "old 16" */
    assert_int_equal(send_text(t), 422);
    free(t);
    expect_state(ORIGIN, 16, root16);
    /* The real one is accepted. */
    assert_int_equal(send(req, strlen(req), &res), 200);
    doge_witness_result_dispose(&res);
    free(req);
    expect_state(ORIGIN, 37, doge_ledger_root(ledger));
    free(cp5);
}

/* 404 for an unknown origin, 403 without a valid log signature; neither
 * creates or changes state. */
static void test_origin_and_signature(void **state)
{
    (void)state;
    init_logs();
    int64_t size;
    uint8_t root[32];
    assert_ok(doge_witness_latest(st, ORIGIN, &size, root));

    /* A log the witness does not follow. */
    doge_signer *other;
    doge_verifier *other_v;
    assert_int_equal(new_key(&other, &other_v, "example.gov/unknown", DOGE_KEY_ED25519, 7), 0);
    uint8_t r[32] = {1};
    doge_checkpoint *c;
    assert_ok(doge_checkpoint_new(&c, "example.gov/unknown", 3, r));
    char *b, *note, body[4096];
    size_t bl, nl;
    assert_ok(doge_checkpoint_format(c, &b, &bl));
    doge_checkpoint_free(c);
    assert_ok(doge_note_sign(&note, &nl, b, bl, (const doge_signer *const *)&other, 1));
    snprintf(body, sizeof body, "old 0\n\n%s", note);
    assert_int_equal(send_text(body), 404);
    assert_message_has("example.gov/unknown");
    int64_t s2;
    uint8_t r2[32];
    assert_int_equal(doge_witness_latest(st, "example.gov/unknown", &s2, r2), DOGE_ENOTFOUND);
    free(note);
    free(b);
    doge_signer_free(other);
    doge_verifier_free(other_v);

    /* The followed origin, signed by a stranger's key of the same name. */
    size_t len;
    char *req = request(ledger, size, &len);
    char *cp = strstr(req, "\n\n") + 2;
    doge_note *n;
    assert_ok(doge_note_parse(&n, cp, len - (size_t)(cp - req)));
    const char *text = doge_note_text(n, &bl);
    assert_ok(doge_note_sign(&note, &nl, text, bl, (const doge_signer *const *)&stranger, 1));
    snprintf(body, sizeof body, "old %lld\n\n%s", (long long)size, note);
    assert_int_equal(send_text(body), 403);
    free(note);
    /* The log's signature damaged. */
    snprintf(body, sizeof body, "%s", req);
    char *sig = strstr(body, "\n\xe2\x80\x94 " ORIGIN " ") + 5 + strlen(ORIGIN);
    sig[10] = sig[10] == 'A' ? 'B' : 'A';
    assert_int_equal(send_text(body), 403);
    /* Only the second log's key signs the first log's checkpoint. */
    assert_ok(doge_note_sign(&note, &nl, text, bl, (const doge_signer *const *)&log2_signer, 1));
    snprintf(body, sizeof body, "old %lld\n\n%s", (long long)size, note);
    assert_int_equal(send_text(body), 403);
    free(note);
    /* A signature by an unknown key next to the log's is ignored: 200. */
    char *line;
    size_t ll;
    assert_ok(doge_note_signature_line(&line, &ll, stranger, text, bl));
    (void)ll;
    /* The stranger's key has the log's name but another key ID. */
    snprintf(body, sizeof body, "%s%s", req, line);
    free(line);
    doge_note_free(n);
    assert_ok(doge_witness_latest(st, ORIGIN, &s2, r2));
    assert_int_equal(s2, size);
    assert_memory_equal(r2, root, 32);
    doge_witness_result res;
    assert_int_equal(send(body, strlen(body), &res), 200);
    doge_witness_result_dispose(&res);
    free(req);

    /* Several keys for one origin (rotation): either one's signature does. */
    doge_witness_log rot[2] = {{ORIGIN, stranger_v}, {ORIGIN, log_v}};
    req = request(ledger, size, &len);
    assert_ok(doge_witness_add_checkpoint(st, witness, rot, 2, req, len, NOW, &res));
    assert_int_equal(res.status, 200);
    doge_witness_result_dispose(&res);
    /* Not followed when only the other key is listed. */
    assert_ok(doge_witness_add_checkpoint(st, witness, rot, 1, req, len, NOW, &res));
    assert_int_equal(res.status, 403);
    assert_null(res.cosignature);
    free(req);
    expect_state(ORIGIN, size, root);
}

/* A second log, never cosigned: a non-empty proof from 0 is refused. */
static void test_second_log(void **state)
{
    (void)state;
    init_logs();
    doge_ledger *l2;
    assert_ok(doge_ledger_create(log2dir, log2_signer, ORIGIN2));
    assert_ok(doge_ledger_open(&l2, log2dir, log2_v, log2_signer));
    grow(l2, 4, "second");
    size_t len;
    char *req = request(l2, 0, &len);
    char *t = malloc(len + 46);
    snprintf(t, len + 46, "old 0\n%s\n%s", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", req + 6);
    assert_int_equal(send_text(t), 422);
    int64_t s;
    uint8_t r[32];
    assert_int_equal(doge_witness_latest(st, ORIGIN2, &s, r), DOGE_ENOTFOUND);
    /* A stale-looking old size with no state: the witness's size is 0. */
    free(t);
    size_t tl;
    t = request(l2, 2, &tl);
    doge_witness_result res;
    assert_int_equal(send(t, tl, &res), 409);
    assert_int_equal(res.latest_size, 0);
    free(t);
    assert_int_equal(doge_witness_latest(st, ORIGIN2, &s, r), DOGE_ENOTFOUND);
    /* The proper first request. */
    assert_int_equal(send(req, len, &res), 200);
    doge_witness_result_dispose(&res);
    expect_state(ORIGIN2, 4, doge_ledger_root(l2));
    /* State is per origin: the first log's is untouched by the second's. */
    assert_ok(doge_witness_latest(st, ORIGIN, &s, r));
    assert_memory_equal(r, doge_ledger_root(ledger), 32);
    free(req);
    doge_ledger_free(l2);
}

/* Malformed request bodies: 400, no state change. */
static void test_malformed(void **state)
{
    (void)state;
    init_logs();
    int64_t size;
    uint8_t root[32];
    assert_ok(doge_witness_latest(st, ORIGIN, &size, root));
    grow(ledger, 2, "e");
    size_t len;
    char *req = request(ledger, size, &len);
    char *after_old = strchr(req, '\n') + 1;
    char *blank = strstr(req, "\n\n") + 1;
    const char *cp = blank + 1;
    char *t = malloc(len + 70 * 45);

    /* The old size line. */
    const char *olds[] = {"", "old\n", "old \n", "old  5\n", "old 05\n", "old -1\n", "old +1\n",
                          "Old 5\n", "new 5\n", "old 5 \n", " old 5\n", "old 0x5\n", "old 5\r\n",
                          "old 99999999999999999999\n"};
    for (size_t i = 0; i < sizeof olds / sizeof olds[0]; i++) {
        sprintf(t, "%s%s", olds[i], after_old);
        int status = send_text(t);
        if (status != 400)
            fail_msg("old line '%s': status %d", olds[i], status);
    }
    /* The real size with a leading zero. */
    sprintf(t, "old 0%lld\n%s", (long long)size, after_old);
    assert_int_equal(send_text(t), 400);
    sprintf(t, "old 00\n\n%s", cp);
    assert_int_equal(send_text(t), 400);

    /* More than 63 proof lines; 63 is parsed (and then does not verify). */
    for (int nproof = 62; nproof <= 65; nproof++) {
        char *w = t + sprintf(t, "old %lld\n", (long long)size);
        for (int i = 0; i < nproof; i++)
            w += sprintf(w, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
        sprintf(w, "\n%s", cp);
        int status = send_text(t);
        if (status != (nproof <= 63 ? 422 : 400))
            fail_msg("%d proof lines: status %d", nproof, status);
        if (nproof > 63)
            assert_message_has("63");
    }

    /* No empty line: the checkpoint right after the proof. */
    memcpy(t, req, (size_t)(blank - req));
    strcpy(t + (blank - req), cp);
    assert_int_equal(send_text(t), 400);
    sprintf(t, "old %lld\n%s", (long long)size, cp);
    assert_int_equal(send_text(t), 400);
    /* Nothing after the old line, or only the old line without newline. */
    sprintf(t, "old %lld\n", (long long)size);
    assert_int_equal(send_text(t), 400);
    sprintf(t, "old %lld", (long long)size);
    assert_int_equal(send_text(t), 400);
    assert_int_equal(send_text(""), 400);

    /* Proof lines that are not one base64 SHA-256 hash each. */
    const char *bad[] = {"!7DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", /* not base64 */
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",  /* unpadded */
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=", /* non-canonical */
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= ",
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuA==", /* 31 bytes */
                         "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFUAAAA=", /* 33 bytes */
                         "not a hash at all"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t pre = (size_t)(after_old - req);
        memcpy(t, req, pre);
        sprintf(t + pre, "%s\n%s", bad[i], after_old);
        int status = send_text(t);
        if (status != 400)
            fail_msg("proof line '%s': status %d", bad[i], status);
    }

    /* A checkpoint that is not a signed note, or whose body is not a
     * checkpoint (signed by the log all the same). */
    sprintf(t, "old %lld\n\n%s", (long long)size, "example.gov/ledger\n18\n");
    assert_int_equal(send_text(t), 400);
    {
        char *note;
        size_t nl;
        const char *notcp = ORIGIN "\nseventeen\nAAAA\n";
        assert_ok(doge_note_sign(&note, &nl, notcp, strlen(notcp),
                                 (const doge_signer *const *)&log_signer, 1));
        sprintf(t, "old %lld\n\n%s", (long long)size, note);
        free(note);
        assert_int_equal(send_text(t), 400);
        /* The reason is kept: the checkpoint parser's message. */
        assert_message_has("checkpoint line 2");
    }
    /* The checkpoint cut short (no final newline). */
    memcpy(t, req, len - 1);
    t[len - 1] = '\0';
    assert_int_equal(send_text(t), 400);

    free(t);
    expect_state(ORIGIN, size, root);
    /* The well-formed request still goes through. */
    doge_witness_result res;
    assert_int_equal(send(req, len, &res), 200);
    doge_witness_result_dispose(&res);
    free(req);
}

/* The witness key must be a cosignature/v1 key: otherwise an error, not a
 * decision, and nothing is stored. */
static void test_wrong_key_type(void **state)
{
    (void)state;
    init_logs();
    int64_t size;
    uint8_t root[32];
    assert_ok(doge_witness_latest(st, ORIGIN, &size, root));
    grow(ledger, 1, "f");
    size_t len;
    char *req = request(ledger, size, &len);
    doge_witness_result res;
    res.status = 12345;
    assert_error(doge_witness_add_checkpoint(st, log_signer, logs, 2, req, len, NOW, &res),
                 DOGE_EINVAL, "not a cosignature/v1 key");
    assert_int_not_equal(res.status, 200);
    assert_null(res.cosignature);
    expect_state(ORIGIN, size, root);
    /* The right key takes the same request. */
    assert_int_equal(send(req, len, &res), 200);
    doge_witness_result_dispose(&res);
    free(req);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* In order: each continues from the state the one before left. */
        cmocka_unit_test(test_add_checkpoint),
        cmocka_unit_test(test_origin_and_signature),
        cmocka_unit_test(test_second_log),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_wrong_key_type),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
