/*
 * test_proof.c — c2sp.org/tlog-proof@v1 end to end on a real log: a ledger
 * in a temporary folder, its checkpoint cosigned by two witness keys and
 * the cosignatures attached, tlog-proofs made for every entry, then parsed
 * and verified against a tlog-policy. Derived from the spec text: every
 * entry verifies; a wrong entry, a changed index, a dropped, added or
 * flipped proof hash do not; the magic line, the index line (decimal, no
 * leading zeros), the optional second-line 'extra' (accepted, returned, but
 * not trusted: it changes nothing in verification) and the empty line before
 * the checkpoint are enforced; a checkpoint signed by another key or short
 * of the policy's witness quorum is refused.
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
#include "util_assert.h"

#define ORIGIN "example.gov/ledger"
#define N 37 /* entries: not a power of two, so proofs of several lengths */

static char dir[128], dir2[160];
static doge_signer *log_signer, *w1, *w2, *w3, *forger;
static doge_verifier *log_v, *w1_v, *w2_v, *forger_v;
static char *log_vkey, *w1_vkey, *w2_vkey, *w3_vkey, *forger_vkey;
static doge_ledger *ledger;
static char *early_cp; /* the signed checkpoint at size 5, no cosignatures */
static size_t early_len;

static void entry(int i, char *buf, size_t cap, size_t *len)
{
    *len = (size_t)snprintf(buf, cap, "entry %d: %s", i, i % 3 ? "receipt" : "finding");
}

static int new_key(doge_signer **s, doge_verifier **v, char **vkey, const char *name,
                   doge_key_type type, int n)
{
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(n + i * 7);
    doge_verifier *tmp = NULL;
    if (doge_signer_new(s, name, type, seed) || doge_signer_verifier(*s, &tmp) ||
        doge_verifier_format(tmp, vkey))
        return -1;
    if (v)
        *v = tmp;
    else
        doge_verifier_free(tmp);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/doge-proof-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(dir2, sizeof dir2, "%s/forged", dir);
    if (new_key(&log_signer, &log_v, &log_vkey, ORIGIN, DOGE_KEY_ED25519, 1) ||
        new_key(&forger, &forger_v, &forger_vkey, ORIGIN, DOGE_KEY_ED25519, 2) ||
        new_key(&w1, &w1_v, &w1_vkey, "w1.example", DOGE_KEY_COSIGNATURE_V1, 3) ||
        new_key(&w2, &w2_v, &w2_vkey, "w2.example", DOGE_KEY_COSIGNATURE_V1, 4) ||
        new_key(&w3, NULL, &w3_vkey, "w3.example", DOGE_KEY_COSIGNATURE_V1, 5))
        return -1;

    /* The log: 5 entries committed (kept as an earlier checkpoint), then 32
     * more, and the final checkpoint cosigned by w1 and w2. */
    if (doge_ledger_create(dir, log_signer, ORIGIN) ||
        doge_ledger_open(&ledger, dir, log_v, log_signer))
        return -1;
    for (int i = 0; i < N; i++) {
        char buf[64];
        size_t len;
        int64_t idx;
        entry(i, buf, sizeof buf, &len);
        if (doge_ledger_append(ledger, buf, len, &idx) || idx != i)
            return -1;
        if (i == 4) {
            if (doge_ledger_commit(ledger) ||
                doge_ledger_checkpoint(ledger, &early_cp, &early_len))
                return -1;
        }
    }
    if (doge_ledger_commit(ledger) || doge_ledger_size(ledger) != N)
        return -1;
    char *cp;
    size_t cplen;
    doge_note *note;
    if (doge_ledger_checkpoint(ledger, &cp, &cplen) || doge_note_parse(&note, cp, cplen))
        return -1;
    size_t blen;
    const char *body = doge_note_text(note, &blen);
    char *c1, *c2, lines[1024];
    size_t l1, l2, added = 0;
    if (doge_cosignature_sign(&c1, &l1, w1, body, blen, 1700000001) ||
        doge_cosignature_sign(&c2, &l2, w2, body, blen, 1700000002))
        return -1;
    snprintf(lines, sizeof lines, "%s%s", c1, c2);
    const doge_verifier *ws[] = {w1_v, w2_v};
    int rc = doge_ledger_cosign_add(ledger, lines, strlen(lines), ws, 2, &added);
    free(c1);
    free(c2);
    doge_note_free(note);
    free(cp);
    return rc == DOGE_OK && added == 2 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    doge_ledger_free(ledger);
    doge_signer_free(log_signer);
    doge_signer_free(forger);
    doge_signer_free(w1);
    doge_signer_free(w2);
    doge_signer_free(w3);
    doge_verifier_free(log_v);
    doge_verifier_free(forger_v);
    doge_verifier_free(w1_v);
    doge_verifier_free(w2_v);
    free(log_vkey);
    free(forger_vkey);
    free(w1_vkey);
    free(w2_vkey);
    free(w3_vkey);
    free(early_cp);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static doge_policy *policy(const char *fmt, ...)
{
    char text[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    doge_policy *p;
    assert_ok(doge_policy_parse(&p, text, strlen(text), "test.policy"));
    return p;
}

/* The policy the log is made for: both witnesses must cosign. */
static doge_policy *both_policy(void)
{
    return policy("log %s\nwitness A %s\nwitness B %s\ngroup AB all A B\nquorum AB\n", log_vkey,
                  w1_vkey, w2_vkey);
}

static char *make_proof(int64_t index, size_t *len)
{
    char *out;
    assert_ok(doge_ledger_tlog_proof(ledger, index, NULL, 0, &out, len));
    return out;
}

/* Parses text and verifies entry i against pol; returns verify's code (or
 * parse's, when parsing fails). */
static int check(const char *text, size_t len, int i, const doge_policy *pol)
{
    doge_proof *p;
    int rc = doge_proof_parse(&p, text, len);
    if (rc)
        return rc;
    char buf[64];
    size_t el;
    entry(i, buf, sizeof buf, &el);
    rc = doge_proof_verify(p, buf, el, pol, NULL, NULL);
    doge_proof_free(p);
    return rc;
}

/* Replaces the first occurrence of from in s (len bytes) by to. */
static char *replace(const char *s, size_t len, const char *from, const char *to, size_t *out_len)
{
    const char *at = strstr(s, from);
    assert_non_null(at);
    size_t pre = (size_t)(at - s), fl = strlen(from), tl = strlen(to);
    char *r = malloc(len - fl + tl + 1);
    assert_non_null(r);
    memcpy(r, s, pre);
    memcpy(r + pre, to, tl);
    memcpy(r + pre + tl, at + fl, len - pre - fl);
    *out_len = len - fl + tl;
    r[*out_len] = '\0';
    return r;
}

/* The byte offset of line n (1-based) of s. */
static size_t line_at(const char *s, int n)
{
    size_t off = 0;
    for (int i = 1; i < n; i++)
        off = (size_t)(strchr(s + off, '\n') - s) + 1;
    return off;
}

static void test_every_entry_verifies(void **state)
{
    (void)state;
    doge_policy *pol = both_policy();
    for (int i = 0; i < N; i++) {
        size_t len;
        char *text = make_proof(i, &len);
        assert_int_equal(strlen(text), len);
        char head[64];
        snprintf(head, sizeof head, "c2sp.org/tlog-proof@v1\nindex %d\n", i);
        assert_memory_equal(text, head, strlen(head));
        doge_proof *p;
        assert_ok(doge_proof_parse(&p, text, len));
        assert_int_equal(doge_proof_index(p), i);
        assert_null(doge_proof_extra(p, NULL));
        /* RFC 6962 path length for leaf i of a 37-leaf tree. */
        size_t want_hashes = i < 32 ? 6 : i < 36 ? 4 : 2;
        assert_int_equal(doge_proof_hash_count(p), want_hashes);
        size_t cl;
        const char *cp = doge_proof_checkpoint(p, &cl);
        assert_non_null(strstr(cp, ORIGIN "\n37\n"));
        assert_non_null(strstr(cp, "\xe2\x80\x94 w1.example "));
        assert_non_null(strstr(cp, "\xe2\x80\x94 w2.example "));
        assert_int_equal(cl, strlen(cp));
        char buf[64];
        size_t el;
        int64_t size = 0;
        size_t cos = 0;
        entry(i, buf, sizeof buf, &el);
        assert_ok(doge_proof_verify(p, buf, el, pol, &size, &cos));
        assert_int_equal(size, N);
        assert_int_equal(cos, 2);
        /* Every other entry is refused at this index. */
        for (int j = 0; j < N; j += 5) {
            if (j == i)
                continue;
            entry(j, buf, sizeof buf, &el);
            assert_error(doge_proof_verify(p, buf, el, pol, NULL, NULL), DOGE_EVERIFY,
                         "not at index");
        }
        /* So is a one-byte change of the entry, and its prefix. */
        entry(i, buf, sizeof buf, &el);
        buf[el - 1] ^= 1;
        assert_int_equal(doge_proof_verify(p, buf, el, pol, NULL, NULL), DOGE_EVERIFY);
        buf[el - 1] ^= 1;
        assert_int_equal(doge_proof_verify(p, buf, el - 1, pol, NULL, NULL), DOGE_EVERIFY);
        doge_proof_free(p);
        free(text);
    }
    doge_policy_free(pol);
}

/* A proof against an earlier checkpoint of the log (size 5, uncosigned). */
static void test_earlier_checkpoint(void **state)
{
    (void)state;
    doge_policy *none = policy("log %s\nquorum none\n", log_vkey);
    doge_policy *both = both_policy();
    for (int i = 0; i < 5; i++) {
        char *text;
        size_t len;
        assert_ok(doge_ledger_tlog_proof(ledger, i, early_cp, early_len, &text, &len));
        doge_proof *p;
        assert_ok(doge_proof_parse(&p, text, len));
        char buf[64];
        size_t el;
        int64_t size = 0;
        entry(i, buf, sizeof buf, &el);
        assert_ok(doge_proof_verify(p, buf, el, none, &size, NULL));
        assert_int_equal(size, 5);
        /* No witness cosigned that checkpoint. */
        assert_error(doge_proof_verify(p, buf, el, both, NULL, NULL), DOGE_EVERIFY, "quorum");
        doge_proof_free(p);
        free(text);
    }
    char *text;
    size_t len;
    assert_int_not_equal(doge_ledger_tlog_proof(ledger, 5, early_cp, early_len, &text, &len),
                         DOGE_OK);
    doge_policy_free(none);
    doge_policy_free(both);
}

static void test_index_and_hashes_tampered(void **state)
{
    (void)state;
    doge_policy *pol = both_policy();
    size_t len, tl;
    char *text = make_proof(9, &len), *t;
    assert_ok(check(text, len, 9, pol));

    /* A changed index, for the same entry and for the entry at that index. */
    t = replace(text, len, "index 9\n", "index 8\n", &tl);
    assert_error(check(t, tl, 9, pol), DOGE_EVERIFY, "not at index 8");
    assert_int_equal(check(t, tl, 8, pol), DOGE_EVERIFY);
    free(t);
    t = replace(text, len, "index 9\n", "index 41\n", &tl);
    assert_int_equal(check(t, tl, 9, pol), DOGE_EVERIFY);
    free(t);
    t = replace(text, len, "index 9\n", "index 37\n", &tl); /* == tree size */
    assert_int_equal(check(t, tl, 9, pol), DOGE_EVERIFY);
    free(t);
    t = replace(text, len, "index 9\n", "index 999999999999999999\n", &tl);
    assert_int_equal(check(t, tl, 9, pol), DOGE_EVERIFY);
    free(t);

    /* Hash lines are lines 3..8. */
    size_t h1 = line_at(text, 3), h2 = line_at(text, 4), blank = line_at(text, 9);
    assert_int_equal(text[blank], '\n');
    assert_int_equal(h2 - h1, 45);
    /* Dropped: the first, the last. */
    t = malloc(len);
    memcpy(t, text, h1);
    memcpy(t + h1, text + h2, len - h2);
    assert_int_equal(check(t, len - 45, 9, pol), DOGE_EVERIFY);
    memcpy(t, text, blank - 45);
    memcpy(t + blank - 45, text + blank, len - blank);
    assert_int_equal(check(t, len - 45, 9, pol), DOGE_EVERIFY);
    free(t);
    /* Added: a repeat of the last hash, or a zero hash at the end. */
    t = malloc(len + 46);
    memcpy(t, text, blank);
    memcpy(t + blank, text + blank - 45, 45);
    memcpy(t + blank + 45, text + blank, len - blank);
    assert_int_equal(check(t, len + 45, 9, pol), DOGE_EVERIFY);
    memcpy(t + blank, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 45);
    assert_int_equal(check(t, len + 45, 9, pol), DOGE_EVERIFY);
    free(t);
    /* Flipped: one bit in each hash in turn (still canonical base64). */
    for (int line = 3; line <= 8; line++) {
        t = malloc(len + 1);
        memcpy(t, text, len + 1);
        size_t at = line_at(text, line) + 10;
        t[at] = t[at] == 'A' ? 'B' : 'A';
        assert_int_equal(check(t, len, 9, pol), DOGE_EVERIFY);
        free(t);
    }
    /* Two hashes swapped. */
    t = malloc(len + 1);
    memcpy(t, text, len + 1);
    memcpy(t + h1, text + h2, 44);
    memcpy(t + h2, text + h1, 44);
    assert_int_equal(check(t, len, 9, pol), DOGE_EVERIFY);
    free(t);
    /* A changed checkpoint (size) breaks the log's signature. */
    t = replace(text, len, "\n37\n", "\n38\n", &tl);
    assert_int_not_equal(check(t, tl, 9, pol), DOGE_OK);
    free(t);
    free(text);
    doge_policy_free(pol);
}

/* The spec's line rules. */
static void test_format(void **state)
{
    (void)state;
    doge_policy *pol = both_policy();
    size_t len, tl;
    char *text = make_proof(0, &len), *t;
    doge_proof *p = (doge_proof *)1;
    assert_ok(check(text, len, 0, pol));

    /* The magic line, exactly. */
    const char *magics[] = {"c2sp.org/tlog-proof@v2\n", "c2sp.org/tlog-proof\n",
                            "c2sp.org/tlog-proof@v1 \n", "C2SP.org/tlog-proof@v1\n",
                            "\n"};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        t = replace(text, len, "c2sp.org/tlog-proof@v1\n", magics[i], &tl);
        assert_error(doge_proof_parse(&p, t, tl), DOGE_EINVAL, "line 1");
        assert_null(p);
        free(t);
    }
    assert_error(doge_proof_parse(&p, text + 23, len - 23), DOGE_EINVAL, "line 1");
    assert_error(doge_proof_parse(&p, "", 0), DOGE_EINVAL, "");

    /* The index: decimal, no leading zeros, "0" itself is fine. */
    const char *bad_index[] = {"index 00\n", "index 01\n", "index -0\n", "index +0\n",
                               "index \n",   "index\n",    "index  0\n", "index 0 \n",
                               "index 0x0\n", "Index 0\n", "idx 0\n"};
    for (size_t i = 0; i < sizeof bad_index / sizeof bad_index[0]; i++) {
        t = replace(text, len, "index 0\n", bad_index[i], &tl);
        doge_error_clear();
        if (doge_proof_parse(&p, t, tl) != DOGE_EINVAL || !strstr(doge_error_last(), "line 2"))
            fail_msg("'%.*s' accepted or message \"%s\"", (int)strlen(bad_index[i]) - 1,
                     bad_index[i], doge_error_last());
        free(t);
    }
    /* A leading zero on a real index of the log. */
    char *t9 = make_proof(9, &tl);
    t = replace(t9, tl, "index 9\n", "index 09\n", &tl);
    assert_error(doge_proof_parse(&p, t, tl), DOGE_EINVAL, "no leading zeros");
    free(t);
    free(t9);

    /* The empty line before the checkpoint is required. */
    size_t blank = line_at(text, 9);
    assert_int_equal(text[blank], '\n');
    t = malloc(len);
    memcpy(t, text, blank);
    memcpy(t + blank, text + blank + 1, len - blank - 1);
    assert_error(doge_proof_parse(&p, t, len - 1), DOGE_EINVAL, "line 9");
    /* Cut after the hashes: no empty line, no checkpoint. */
    assert_error(doge_proof_parse(&p, text, blank), DOGE_EINVAL, "no empty line");
    /* Cut in the middle of a line. */
    assert_error(doge_proof_parse(&p, text, blank - 3), DOGE_EINVAL, "line 8");
    free(t);
    /* A hash line that is not one base64 SHA-256 hash. */
    size_t h = line_at(text, 5);
    t = malloc(len + 1);
    memcpy(t, text, len + 1);
    t[h + 43] = 'A'; /* padding replaced: 44 chars, not canonical */
    assert_error(doge_proof_parse(&p, t, len), DOGE_EINVAL, "line 5");
    memcpy(t, text, len + 1);
    t[h + 5] = '*';
    assert_error(doge_proof_parse(&p, t, len), DOGE_EINVAL, "line 5");
    free(t);
    t = replace(text, len, "=\n\n", "\n\n", &tl); /* the last hash unpadded */
    assert_error(doge_proof_parse(&p, t, tl), DOGE_EINVAL, "line 8");
    free(t);
    /* After the empty line, the checkpoint is taken verbatim and must verify. */
    t = replace(text, len, "\n\n" ORIGIN, "\n\n\n" ORIGIN, &tl);
    assert_ok(doge_proof_parse(&p, t, tl));
    assert_int_not_equal(doge_proof_verify(p, "entry 0: finding", 16, pol, NULL, NULL), DOGE_OK);
    doge_proof_free(p);
    free(t);
    free(text);
    doge_policy_free(pol);
}

/* 'extra': only as the second line, base64, returned, never trusted. */
static void test_extra(void **state)
{
    (void)state;
    doge_policy *pol = both_policy();
    size_t len, tl;
    char *text = make_proof(12, &len), *t;
    doge_proof *p;

    /* base64("age-v1.2.1-darwin-arm64.tar.gz") as extra data. */
    t = replace(text, len, "index 12\n", "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6\nindex 12\n",
                &tl);
    assert_ok(doge_proof_parse(&p, t, tl));
    size_t xl;
    const uint8_t *x = doge_proof_extra(p, &xl);
    assert_non_null(x);
    assert_int_equal(xl, 30);
    assert_memory_equal(x, "age-v1.2.1-darwin-arm64.tar.gz", 30);
    assert_int_equal(doge_proof_index(p), 12);
    char buf[64];
    size_t el;
    entry(12, buf, sizeof buf, &el);
    assert_ok(doge_proof_verify(p, buf, el, pol, NULL, NULL));
    /* The extra data is not authenticated: it cannot vouch for another entry. */
    assert_int_equal(doge_proof_verify(p, x, xl, pol, NULL, NULL), DOGE_EVERIFY);
    entry(13, buf, sizeof buf, &el);
    assert_int_equal(doge_proof_verify(p, buf, el, pol, NULL, NULL), DOGE_EVERIFY);
    doge_proof_free(p);
    free(t);

    /* Other extra data, same verdicts: it takes no part in verification. */
    const char *extras[] = {"extra AA==\n", "extra /////w==\n",
                            "extra ZW50cnkgMTM6IHJlY2VpcHQ=\n" /* "entry 13: receipt" */};
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
        char with[64];
        snprintf(with, sizeof with, "%sindex 12\n", extras[i]);
        t = replace(text, len, "index 12\n", with, &tl);
        assert_ok(check(t, tl, 12, pol));
        assert_int_equal(check(t, tl, 13, pol), DOGE_EVERIFY);
        free(t);
    }

    /* Not base64, not on line 2, twice, or without a space. */
    const char *bad[] = {"extra !!!!\nindex 12\n", "extra AA=\nindex 12\n",
                         "extra AB==\nindex 12\n" /* non-canonical: unused bits set */,
                         "index 12\nextra AA==\n", "extra AA==\nextra AA==\nindex 12\n",
                         "extraAA==\nindex 12\n", "extra\nindex 12\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = replace(text, len, "index 12\n", bad[i], &tl);
        doge_error_clear();
        if (doge_proof_parse(&p, t, tl) != DOGE_EINVAL)
            fail_msg("accepted:\n%.*s", (int)strlen(bad[i]), bad[i]);
        free(t);
    }
    free(text);
    doge_policy_free(pol);
}

/* The checkpoint must be signed by a policy log and meet the quorum. */
static void test_checkpoint_key_and_quorum(void **state)
{
    (void)state;
    /* Another log under the same origin name, a different key, the same
     * entries: its proofs are well-formed but not by the policy's log. */
    doge_ledger *other;
    assert_ok(doge_ledger_create(dir2, forger, ORIGIN));
    assert_ok(doge_ledger_open(&other, dir2, forger_v, forger));
    for (int i = 0; i < 6; i++) {
        char buf[64];
        size_t el;
        entry(i, buf, sizeof buf, &el);
        assert_ok(doge_ledger_append(other, buf, el, NULL));
    }
    assert_ok(doge_ledger_commit(other));
    char *text;
    size_t len;
    assert_ok(doge_ledger_tlog_proof(other, 3, NULL, 0, &text, &len));
    doge_policy *none = policy("log %s\nquorum none\n", log_vkey);
    doge_policy *theirs = policy("log %s\nquorum none\n", forger_vkey);
    assert_int_equal(check(text, len, 3, none), DOGE_EVERIFY);
    assert_ok(check(text, len, 3, theirs));
    free(text);
    doge_ledger_free(other);

    /* Quorum: the real proof carries w1 and w2. */
    text = make_proof(20, &len);
    doge_policy *both = both_policy();
    doge_policy *three = policy("log %s\nwitness A %s\nwitness B %s\nwitness C %s\n"
                                "group G all A B C\nquorum G\n",
                                log_vkey, w1_vkey, w2_vkey, w3_vkey);
    doge_policy *two_of_three = policy("log %s\nwitness A %s\nwitness B %s\nwitness C %s\n"
                                       "group G 2 A B C\nquorum G\n",
                                       log_vkey, w1_vkey, w2_vkey, w3_vkey);
    doge_policy *c_only = policy("log %s\nwitness C %s\nquorum C\n", log_vkey, w3_vkey);
    assert_ok(check(text, len, 20, both));
    assert_ok(check(text, len, 20, two_of_three));
    assert_ok(check(text, len, 20, none));
    assert_int_equal(check(text, len, 20, theirs), DOGE_EVERIFY);
    assert_error(check(text, len, 20, three), DOGE_EVERIFY, "quorum 'G'");
    assert_error(check(text, len, 20, c_only), DOGE_EVERIFY, "quorum 'C'");

    /* Strip w2's cosignature: one of two is not enough for 'all'. */
    char *w2line = strstr(text, "\xe2\x80\x94 w2.example ");
    assert_non_null(w2line);
    size_t off = (size_t)(w2line - text), ll = (size_t)(strchr(w2line, '\n') - w2line) + 1;
    char *t = malloc(len);
    memcpy(t, text, off);
    memcpy(t + off, text + off + ll, len - off - ll);
    assert_error(check(t, len - ll, 20, both), DOGE_EVERIFY, "quorum 'AB'");
    assert_error(check(t, len - ll, 20, two_of_three), DOGE_EVERIFY, "quorum 'G'");
    assert_ok(check(t, len - ll, 20, none));
    doge_proof *p;
    assert_ok(doge_proof_parse(&p, t, len - ll));
    char buf[64];
    size_t el, cos = 99;
    int64_t size = 0;
    entry(20, buf, sizeof buf, &el);
    assert_ok(doge_proof_verify(p, buf, el, none, &size, &cos));
    assert_int_equal(size, N);
    assert_int_equal(cos, 0); /* the policy 'none' lists no witnesses */
    doge_policy *a_only = policy("log %s\nwitness A %s\nquorum A\n", log_vkey, w1_vkey);
    assert_ok(doge_proof_verify(p, buf, el, a_only, &size, &cos));
    assert_int_equal(cos, 1);
    doge_policy_free(a_only);
    doge_proof_free(p);
    free(t);
    free(text);
    doge_policy_free(none);
    doge_policy_free(theirs);
    doge_policy_free(both);
    doge_policy_free(three);
    doge_policy_free(two_of_three);
    doge_policy_free(c_only);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_verifies),
        cmocka_unit_test(test_earlier_checkpoint),
        cmocka_unit_test(test_index_and_hashes_tampered),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_extra),
        cmocka_unit_test(test_checkpoint_key_and_quorum),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
