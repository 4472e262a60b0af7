/*
 * test_policy.c — c2sp.org/tlog-policy, tested from the spec text: the
 * spec's example policy (X-witnesses 2-of-3, Y-witnesses any, X-and-Y all)
 * written with real generated keys and checked against a real signed
 * checkpoint carrying every one of the 64 subsets of the six witnesses'
 * cosignatures, each outcome compared with the quorum rule evaluated
 * independently here; 'quorum none'; a group mixing witnesses and groups;
 * names as opaque octets; every syntax rule the spec states refused with a
 * message naming the file and line; and checkpoints not signed by a policy
 * log, or whose origin is not the log key's name, refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util_assert.h"

#define ORIGIN "example.com/log"
#define NW 6

static doge_signer *log_signer, *other_log, *wsig[NW];
static char *log_vkey, *other_vkey, *wvkey[NW];
/* Policy names of the six witnesses, as in the spec's example. */
static const char *const wname[NW] = {"X1", "X2", "X3", "Y1", "Y2", "Y3"};

static void seed_of(uint8_t seed[32], int n)
{
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(n * 37 + i);
}

static int setup(void **state)
{
    (void)state;
    uint8_t seed[32];
    doge_verifier *v;
    seed_of(seed, 1);
    if (doge_signer_new(&log_signer, ORIGIN, DOGE_KEY_ED25519, seed) ||
        doge_signer_verifier(log_signer, &v) || doge_verifier_format(v, &log_vkey))
        return -1;
    doge_verifier_free(v);
    seed_of(seed, 2);
    if (doge_signer_new(&other_log, ORIGIN, DOGE_KEY_ED25519, seed) ||
        doge_signer_verifier(other_log, &v) || doge_verifier_format(v, &other_vkey))
        return -1;
    doge_verifier_free(v);
    for (int i = 0; i < NW; i++) {
        char name[64];
        /* Key names differ from policy names: policy names are local. */
        snprintf(name, sizeof name, "witness%d.example", i + 1);
        seed_of(seed, 10 + i);
        if (doge_signer_new(&wsig[i], name, DOGE_KEY_COSIGNATURE_V1, seed) ||
            doge_signer_verifier(wsig[i], &v) || doge_verifier_format(v, &wvkey[i]))
            return -1;
        doge_verifier_free(v);
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    doge_signer_free(log_signer);
    doge_signer_free(other_log);
    free(log_vkey);
    free(other_vkey);
    for (int i = 0; i < NW; i++) {
        doge_signer_free(wsig[i]);
        free(wvkey[i]);
    }
    return 0;
}

/* Appends printf-formatted text to a growing malloc'd string. */
static void cat(char **s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char add[4096];
    int n = vsnprintf(add, sizeof add, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof add);
    size_t old = *s ? strlen(*s) : 0;
    char *ns = realloc(*s, old + (size_t)n + 1);
    assert_non_null(ns);
    memcpy(ns + old, add, (size_t)n + 1);
    *s = ns;
}

/* The spec's example policy, keys filled in. */
static char *example_policy(void)
{
    char *p = NULL;
    cat(&p, "log %s\n\n", log_vkey);
    cat(&p, "witness X1 %s\nwitness X2 %s\nwitness X3 %s\n", wvkey[0], wvkey[1], wvkey[2]);
    cat(&p, "group X-witnesses 2 X1 X2 X3\n\n");
    cat(&p, "witness Y1 %s\nwitness Y2 %s\nwitness Y3 %s\n", wvkey[3], wvkey[4], wvkey[5]);
    cat(&p, "group Y-witnesses any Y1 Y2 Y3\n\n");
    cat(&p, "group X-and-Y all X-witnesses Y-witnesses\nquorum X-and-Y\n");
    return p;
}

static doge_policy *parse_ok(const char *text)
{
    doge_policy *p = NULL;
    assert_ok(doge_policy_parse(&p, text, strlen(text), "test.policy"));
    return p;
}

/* A checkpoint body for origin, signed by signer: *body and *note. */
static void signed_checkpoint(const doge_signer *signer, const char *origin, uint64_t size,
                              char **body, size_t *blen, char **note)
{
    uint8_t root[32];
    for (int i = 0; i < 32; i++)
        root[i] = (uint8_t)(size * 3 + (uint64_t)i);
    doge_checkpoint *cp;
    assert_ok(doge_checkpoint_new(&cp, origin, size, root));
    assert_ok(doge_checkpoint_format(cp, body, blen));
    doge_checkpoint_free(cp);
    size_t nl;
    assert_ok(doge_note_sign(note, &nl, *body, *blen, &signer, 1));
}

/* The spec's example quorum, evaluated independently of the library. */
static int example_quorum(unsigned mask)
{
    int x = 0, y = 0;
    for (int i = 0; i < 3; i++) {
        x += (mask >> i) & 1;
        y += (mask >> (3 + i)) & 1;
    }
    return x >= 2 && y >= 1;
}

static int popcount(unsigned m)
{
    int n = 0;
    for (; m; m >>= 1)
        n += (int)(m & 1);
    return n;
}

static void test_example_policy_every_subset(void **state)
{
    (void)state;
    char *text = example_policy();
    doge_policy *p = parse_ok(text);
    free(text);
    assert_int_equal(doge_policy_log_count(p), 1);
    assert_string_equal(doge_verifier_name(doge_policy_log(p, 0)), ORIGIN);
    assert_null(doge_policy_log(p, 1));
    assert_int_equal(doge_policy_witness_count(p), NW);
    for (size_t i = 0; i < NW; i++) {
        assert_string_equal(doge_policy_witness_name(p, i), wname[i]);
        assert_memory_equal(doge_verifier_public_key(doge_policy_witness(p, i)),
                            doge_signer_public_key(wsig[i]), 32);
    }
    assert_null(doge_policy_witness(p, NW));
    assert_null(doge_policy_witness_name(p, NW));

    char *body, *note;
    size_t blen;
    signed_checkpoint(log_signer, ORIGIN, 12345, &body, &blen, &note);
    char *cos[NW];
    for (int i = 0; i < NW; i++)
        assert_ok(doge_cosignature_sign(&cos[i], NULL, wsig[i], body, blen, 1700000000 + (uint64_t)i));

    int accepted = 0;
    for (unsigned mask = 0; mask < (1u << NW); mask++) {
        char *msg = NULL;
        cat(&msg, "%s", note);
        for (int i = 0; i < NW; i++)
            if (mask & (1u << i))
                cat(&msg, "%s", cos[i]);
        doge_checkpoint *cp = NULL;
        size_t n = 99;
        doge_error_clear();
        int rc = doge_policy_check(p, msg, strlen(msg), &cp, &n);
        if (example_quorum(mask)) {
            if (rc != DOGE_OK)
                fail_msg("subset 0x%02x: %s", mask, doge_error_last());
            assert_int_equal(n, (size_t)popcount(mask));
            assert_non_null(cp);
            assert_int_equal(doge_checkpoint_size(cp), 12345);
            assert_string_equal(doge_checkpoint_origin(cp), ORIGIN);
            doge_checkpoint_free(cp);
            accepted++;
        } else {
            if (rc != DOGE_EVERIFY)
                fail_msg("subset 0x%02x: accepted or wrong code %s", mask, doge_error_name(rc));
            assert_message_has("quorum 'X-and-Y'");
            assert_null(cp);
        }
        free(msg);
    }
    /* (3 + 1) X-subsets with >= 2 times 7 non-empty Y-subsets. */
    assert_int_equal(accepted, 4 * 7);

    /* A witness cosigning twice (two timestamps) still counts once. */
    char *again;
    assert_ok(doge_cosignature_sign(&again, NULL, wsig[0], body, blen, 1800000000));
    char *msg = NULL;
    cat(&msg, "%s%s%s%s", note, cos[0], again, cos[3]);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY, "quorum");
    free(msg);
    msg = NULL;
    size_t twice = 0;
    cat(&msg, "%s%s%s%s%s", note, cos[0], again, cos[1], cos[3]);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, &twice));
    assert_int_equal(twice, 3); /* distinct witnesses, not signature lines */
    free(msg);
    msg = NULL;

    /* A cosignature by a key the policy does not know is ignored. */
    doge_signer *stranger;
    uint8_t seed[32];
    seed_of(seed, 99);
    assert_ok(doge_signer_new(&stranger, "stranger.example", DOGE_KEY_COSIGNATURE_V1, seed));
    char *scos;
    assert_ok(doge_cosignature_sign(&scos, NULL, stranger, body, blen, 1));
    cat(&msg, "%s%s%s%s", note, cos[0], scos, cos[3]);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY, "quorum");
    free(msg);
    msg = NULL;
    size_t n = 0;
    cat(&msg, "%s%s%s%s%s", note, cos[0], scos, cos[1], cos[3]);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, &n));
    assert_int_equal(n, 3); /* the stranger is not counted */
    free(msg);
    msg = NULL;

    /* A policy witness's cosignature of another checkpoint does not count. */
    char *body2, *note2;
    size_t blen2;
    signed_checkpoint(log_signer, ORIGIN, 12346, &body2, &blen2, &note2);
    cat(&msg, "%s%s%s%s", note2, cos[0], cos[1], cos[3]);
    assert_int_not_equal(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_OK);
    free(msg);
    free(body2);
    free(note2);

    free(scos);
    doge_signer_free(stranger);
    free(again);
    for (int i = 0; i < NW; i++)
        free(cos[i]);
    free(body);
    free(note);
    doge_policy_free(p);
}

/* A group whose members are a group, another group and a witness, with a
 * numeric threshold below n, and a quorum of one witness. */
static void test_mixed_groups(void **state)
{
    (void)state;
    char *text = NULL;
    for (int i = 0; i < NW; i++)
        cat(&text, "witness %s %s\n", wname[i], wvkey[i]);
    cat(&text, "log %s\n", log_vkey); /* log lines may come in any order */
    cat(&text, "group A 2 X1 X2 X3\ngroup B any Y1 Y2\ngroup Q 2 A B Y3\nquorum Q\n");
    doge_policy *p = parse_ok(text);
    free(text);

    char *body, *note;
    size_t blen;
    signed_checkpoint(log_signer, ORIGIN, 7, &body, &blen, &note);
    char *cos[NW];
    for (int i = 0; i < NW; i++)
        assert_ok(doge_cosignature_sign(&cos[i], NULL, wsig[i], body, blen, 5));
    for (unsigned mask = 0; mask < (1u << NW); mask++) {
        int a = popcount(mask & 7) >= 2, b = (mask & 0x18) != 0, y3 = (mask & 0x20) != 0;
        int want = a + b + y3 >= 2;
        char *msg = NULL;
        cat(&msg, "%s", note);
        for (int i = NW - 1; i >= 0; i--) /* order of signatures does not matter */
            if (mask & (1u << i))
                cat(&msg, "%s", cos[i]);
        int rc = doge_policy_check(p, msg, strlen(msg), NULL, NULL);
        if ((rc == DOGE_OK) != want)
            fail_msg("subset 0x%02x: got %s, want %s", mask, doge_error_name(rc),
                     want ? "accept" : "refuse");
        free(msg);
    }
    doge_policy_free(p);

    /* quorum <witness>: that witness's cosignature is required. */
    text = NULL;
    cat(&text, "log %s\nwitness W %s\nquorum W\n", log_vkey, wvkey[4]);
    p = parse_ok(text);
    free(text);
    char *msg = NULL;
    cat(&msg, "%s%s", note, cos[3]);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY, "quorum 'W'");
    free(msg);
    msg = NULL;
    cat(&msg, "%s%s", note, cos[4]);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, NULL));
    free(msg);
    doge_policy_free(p);

    for (int i = 0; i < NW; i++)
        free(cos[i]);
    free(body);
    free(note);
}

static void test_quorum_none(void **state)
{
    (void)state;
    char *text = NULL;
    cat(&text, "log %s\nquorum none\n", log_vkey);
    doge_policy *p = parse_ok(text);
    free(text);
    assert_int_equal(doge_policy_witness_count(p), 0);
    char *body, *note;
    size_t blen, n = 99;
    signed_checkpoint(log_signer, ORIGIN, 0, &body, &blen, &note);
    doge_checkpoint *cp;
    assert_ok(doge_policy_check(p, note, strlen(note), &cp, &n));
    assert_int_equal(n, 0);
    assert_int_equal(doge_checkpoint_size(cp), 0);
    doge_checkpoint_free(cp);
    /* The log's signature is still required. */
    char *bad;
    size_t bl;
    assert_ok(doge_note_sign(&bad, &bl, body, blen, (const doge_signer *const *)&other_log, 1));
    assert_error(doge_policy_check(p, bad, bl, NULL, NULL), DOGE_EVERIFY, "");
    free(bad);
    doge_policy_free(p);

    /* With witnesses listed but 'quorum none', cosignatures are counted. */
    text = NULL;
    cat(&text, "log %s\nwitness X1 %s\nquorum none\n", log_vkey, wvkey[0]);
    p = parse_ok(text);
    free(text);
    char *cos, *msg = NULL;
    assert_ok(doge_cosignature_sign(&cos, NULL, wsig[0], body, blen, 9));
    cat(&msg, "%s%s", note, cos);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, &n));
    assert_int_equal(n, 1);
    free(msg);
    free(cos);
    free(body);
    free(note);
    doge_policy_free(p);
}

/* Comments, blank and whitespace-only lines, leading and trailing spaces
 * and tabs, URLs; names are opaque octets ("K" is not the Kelvin sign). */
static void test_syntax_accepted(void **state)
{
    (void)state;
    char *text = NULL;
    cat(&text, "# a policy \xc3\xa9t\xc3\xa9\n");
    cat(&text, "  \t# indented comment\n");
    cat(&text, " \t \n\n");
    cat(&text, "\tlog  %s\thttps://log.example/api  \n", log_vkey);
    cat(&text, "witness K %s https://w1.example/\n", wvkey[0]);
    cat(&text, "witness \xe2\x84\xaa %s\n", wvkey[1]);
    cat(&text, "group   both\tall K \xe2\x84\xaa   \n");
    cat(&text, "quorum both\n");
    doge_policy *p = parse_ok(text);
    free(text);
    assert_int_equal(doge_policy_log_count(p), 1);
    assert_int_equal(doge_policy_witness_count(p), 2);
    assert_string_equal(doge_policy_witness_name(p, 0), "K");
    assert_string_equal(doge_policy_witness_name(p, 1), "\xe2\x84\xaa");

    char *body, *note, *c0, *c1, *msg = NULL;
    size_t blen;
    signed_checkpoint(log_signer, ORIGIN, 3, &body, &blen, &note);
    assert_ok(doge_cosignature_sign(&c0, NULL, wsig[0], body, blen, 1));
    assert_ok(doge_cosignature_sign(&c1, NULL, wsig[1], body, blen, 1));
    cat(&msg, "%s%s", note, c0);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY, "quorum");
    free(msg);
    msg = NULL;
    cat(&msg, "%s%s%s", note, c0, c1);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, NULL));
    free(msg);
    free(c0);
    free(c1);
    free(body);
    free(note);
    doge_policy_free(p);
}

/* text must be refused with DOGE_EINVAL and a message containing both
 * "test.policy:<line>:" and want. */
static void refuse(const char *text, int line, const char *want)
{
    doge_policy *p = (doge_policy *)1;
    char where[64];
    if (line > 0)
        snprintf(where, sizeof where, "test.policy:%d:", line);
    else
        snprintf(where, sizeof where, "test.policy");
    doge_error_clear();
    int rc = doge_policy_parse(&p, text, strlen(text), "test.policy");
    if (rc != DOGE_EINVAL || !strstr(doge_error_last(), where) || !strstr(doge_error_last(), want))
        fail_msg("policy:\n%s\ngot %s \"%s\", want DOGE_EINVAL with \"%s\" and \"%s\"", text,
                 doge_error_name(rc), doge_error_last(), where, want);
    assert_null(p);
}

static void test_syntax_refused(void **state)
{
    (void)state;
    char *t = NULL;
#define CASE(line, want, ...)                                                                      \
    do {                                                                                           \
        t = NULL;                                                                                  \
        cat(&t, __VA_ARGS__);                                                                      \
        refuse(t, line, want);                                                                     \
        free(t);                                                                                   \
    } while (0)

    /* Unknown keywords (keywords are case-sensitive). */
    CASE(2, "'witnes'", "log %s\nwitnes X1 %s\nquorum none\n", log_vkey, wvkey[0]);
    CASE(1, "'Log'", "Log %s\nquorum none\n", log_vkey);
    CASE(2, "'threshold'", "log %s\nthreshold 2\nquorum none\n", log_vkey);

    /* A name used before its definition, by a group or by the quorum. */
    CASE(2, "'X2'", "witness X1 %s\ngroup G any X1 X2\nwitness X2 %s\nquorum G\n", wvkey[0],
         wvkey[1]);
    CASE(2, "'G'", "witness X1 %s\nquorum G\ngroup G any X1\n", wvkey[0]);
    CASE(1, "'nobody'", "quorum nobody\n");
    /* Circular definitions are impossible: a group cannot name itself. */
    CASE(2, "'G'", "witness X1 %s\ngroup G any X1 G\nquorum G\n", wvkey[0]);

    /* Duplicate names: witnesses and groups share one namespace. */
    CASE(2, "'X1'", "witness X1 %s\nwitness X1 %s\nquorum X1\n", wvkey[0], wvkey[1]);
    CASE(3, "'X1'", "witness X1 %s\nwitness X2 %s\ngroup X1 any X2\nquorum X1\n", wvkey[0],
         wvkey[1]);
    CASE(3, "'G'", "witness X1 %s\ngroup G any X1\ngroup G all X1\nquorum G\n", wvkey[0]);
    CASE(3, "'G'", "witness X1 %s\ngroup G any X1\nwitness G %s\nquorum G\n", wvkey[0], wvkey[1]);

    /* Duplicate keys, even under another name and key ID. */
    doge_verifier *renamed;
    char *renamed_w, *renamed_l;
    assert_ok(doge_verifier_new(&renamed, "another.name", DOGE_KEY_COSIGNATURE_V1,
                                doge_signer_public_key(wsig[0])));
    assert_ok(doge_verifier_format(renamed, &renamed_w));
    doge_verifier_free(renamed);
    assert_ok(doge_verifier_new(&renamed, "another.log", DOGE_KEY_ED25519,
                                doge_signer_public_key(log_signer)));
    assert_ok(doge_verifier_format(renamed, &renamed_l));
    doge_verifier_free(renamed);
    assert_string_not_equal(renamed_w, wvkey[0]);
    CASE(3, "duplicates", "witness X1 %s\n# same key\nwitness X2 %s\nquorum X1\n", wvkey[0],
         wvkey[0]);
    CASE(2, "duplicates", "witness X1 %s\nwitness X2 %s\nquorum X1\n", wvkey[0], renamed_w);
    CASE(2, "duplicates", "log %s\nlog %s\nquorum none\n", log_vkey, log_vkey);
    CASE(2, "duplicates", "log %s\nlog %s\nquorum none\n", log_vkey, renamed_l);
    free(renamed_w);
    free(renamed_l);

    /* A member listed twice, directly. */
    CASE(3, "'X1' is listed twice", "witness X1 %s\nwitness X2 %s\ngroup G 2 X1 X2 X1\nquorum G\n",
         wvkey[0], wvkey[1]);

    /* k out of range or not a decimal number; no members. */
    CASE(2, "threshold 0", "witness X1 %s\ngroup G 0 X1\nquorum G\n", wvkey[0]);
    CASE(3, "threshold 3", "witness X1 %s\nwitness X2 %s\ngroup G 3 X1 X2\nquorum G\n", wvkey[0],
         wvkey[1]);
    CASE(2, "'-1'", "witness X1 %s\ngroup G -1 X1\nquorum G\n", wvkey[0]);
    CASE(2, "'two'", "witness X1 %s\ngroup G two X1\nquorum G\n", wvkey[0]);
    CASE(2, "'0x1'", "witness X1 %s\ngroup G 0x1 X1\nquorum G\n", wvkey[0]);
    CASE(2, "'ALL'", "witness X1 %s\ngroup G ALL X1\nquorum G\n", wvkey[0]);
    CASE(2, "group", "witness X1 %s\ngroup G any\nquorum G\n", wvkey[0]);
    CASE(2, "group", "witness X1 %s\ngroup G\nquorum none\n", wvkey[0]);

    /* 'none' is predefined: not a member, not a witness or group name. */
    CASE(2, "'none'", "witness X1 %s\ngroup G any X1 none\nquorum G\n", wvkey[0]);
    CASE(1, "'none'", "witness none %s\nquorum none\n", wvkey[0]);
    CASE(2, "'none'", "witness X1 %s\ngroup none any X1\nquorum X1\n", wvkey[0]);

    /* Exactly one quorum line, with exactly one name. */
    CASE(0, "no quorum line", "log %s\nwitness X1 %s\n", log_vkey, wvkey[0]);
    CASE(0, "no quorum line", "%s", "");
    CASE(0, "no quorum line", "# quorum none\n");
    CASE(3, "second quorum", "witness X1 %s\nquorum X1\nquorum X1\n", wvkey[0]);
    CASE(3, "second quorum", "witness X1 %s\nquorum none\nquorum X1\n", wvkey[0]);
    CASE(1, "quorum", "quorum\n");
    CASE(1, "quorum", "quorum a b\n");

    /* Control characters other than tab and newline, even in comments. */
    CASE(1, "0x0d", "log %s\r\nquorum none\n", log_vkey);
    CASE(2, "0x0d", "log %s\nquorum none\r\n", log_vkey);
    CASE(1, "0x01", "# comment \x01\nquorum none\n");
    CASE(3, "0x7f", "log %s\n\n# \x7f\nquorum none\n", log_vkey);
    CASE(1, "0x0b", "quorum\vnone\n");
    CASE(1, "0x0c", "\fquorum none\n");
    t = malloc(32);
    memcpy(t, "quorum none\n#\0\n", 15);
    doge_policy *p = NULL;
    assert_error(doge_policy_parse(&p, t, 15, "test.policy"), DOGE_EINVAL, "test.policy:2:");
    assert_message_has("0x00");
    free(t);

    /* The wrong key type: a cosignature/v1 key as a log, an Ed25519 key as a
     * witness. */
    CASE(1, "not an Ed25519", "log %s\nquorum none\n", wvkey[0]);
    CASE(2, "not a cosignature/v1", "log %s\nwitness X1 %s\nquorum X1\n", log_vkey, other_vkey);
    /* A malformed vkey, and wrong field counts. */
    CASE(1, "log key", "log not-a-key\nquorum none\n");
    CASE(1, "'X1' key", "witness X1 %s+\nquorum X1\n", wvkey[0]);
    CASE(1, "expected 'log", "log\nquorum none\n");
    CASE(1, "expected 'log", "log %s https://a.example extra\nquorum none\n", log_vkey);
    CASE(1, "expected 'witness", "witness X1\nquorum none\n");
    CASE(1, "expected 'witness", "witness %s\nquorum none\n", wvkey[0]);
#undef CASE

    /* Without a filename, errors still name the line. */
    p = NULL;
    assert_error(doge_policy_parse(&p, "quorum none\nbogus\n", 18, NULL), DOGE_EINVAL, ":2:");
    assert_message_has("'bogus'");
}

/* A checkpoint must be signed by a policy log whose key name is its origin. */
static void test_log_signature_and_origin(void **state)
{
    (void)state;
    char *text = NULL;
    cat(&text, "log %s\nwitness X1 %s\nquorum X1\n", log_vkey, wvkey[0]);
    doge_policy *p = parse_ok(text);
    free(text);

    /* Signed by another key of the same name, cosigned by the witness. */
    char *body, *note, *cos, *msg = NULL;
    size_t blen;
    signed_checkpoint(other_log, ORIGIN, 10, &body, &blen, &note);
    assert_ok(doge_cosignature_sign(&cos, NULL, wsig[0], body, blen, 1));
    cat(&msg, "%s%s", note, cos);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY,
                 "no valid signature of a log in the policy");
    free(msg);
    msg = NULL;
    /* Both the log and the stranger sign: the policy log's signature counts. */
    char *line;
    size_t ll;
    assert_ok(doge_note_signature_line(&line, &ll, log_signer, body, blen));
    cat(&msg, "%s%s%s", note, line, cos);
    assert_ok(doge_policy_check(p, msg, strlen(msg), NULL, NULL));
    free(msg);
    msg = NULL;
    free(line);
    free(body);
    free(note);
    free(cos);

    /* The policy log's key signs a checkpoint for another origin. */
    signed_checkpoint(log_signer, "example.com/other-log", 10, &body, &blen, &note);
    assert_ok(doge_cosignature_sign(&cos, NULL, wsig[0], body, blen, 1));
    cat(&msg, "%s%s", note, cos);
    assert_error(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY,
                 "'example.com/other-log'");
    free(msg);
    msg = NULL;
    free(body);
    free(note);
    free(cos);

    /* A tampered log signature is refused, not ignored. */
    signed_checkpoint(log_signer, ORIGIN, 10, &body, &blen, &note);
    assert_ok(doge_cosignature_sign(&cos, NULL, wsig[0], body, blen, 1));
    cat(&msg, "%s%s", note, cos);
    char *sig = strstr(msg, "\n\n\xe2\x80\x94 ") + 4 + strlen(ORIGIN) + 4;
    *sig = *sig == 'A' ? 'B' : 'A';
    assert_int_not_equal(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_OK);
    free(msg);
    msg = NULL;
    /* Only cosignatures, no log signature at all. */
    cat(&msg, "%s\n%s", body, cos);
    assert_int_equal(doge_policy_check(p, msg, strlen(msg), NULL, NULL), DOGE_EVERIFY);
    free(msg);
    msg = NULL;
    /* Not a signed note. */
    assert_int_not_equal(doge_policy_check(p, body, blen, NULL, NULL), DOGE_OK);
    doge_policy_free(p);

    /* Every listed log is accepted: two logs, signed by the second. */
    text = NULL;
    cat(&text, "log %s\nlog %s\nquorum none\n", other_vkey, log_vkey);
    p = parse_ok(text);
    free(text);
    assert_int_equal(doge_policy_log_count(p), 2);
    assert_ok(doge_policy_check(p, note, strlen(note), NULL, NULL));
    doge_policy_free(p);
    free(body);
    free(note);
    free(cos);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_policy_every_subset),
        cmocka_unit_test(test_mixed_groups),
        cmocka_unit_test(test_quorum_none),
        cmocka_unit_test(test_syntax_accepted),
        cmocka_unit_test(test_syntax_refused),
        cmocka_unit_test(test_log_signature_and_origin),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
