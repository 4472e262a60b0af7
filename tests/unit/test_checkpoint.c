/*
 * test_checkpoint.c — tlog-checkpoint bodies and tlog-cosignature v1
 * (doge/checkpoint.h): exact parse/format round trips, strict rejections
 * naming the line at fault, a real published checkpoint cosigned by a
 * public witness (0x04 key) verifying both as a note and as a cosignature
 * line, a cosignature vector computed independently (Python cryptography)
 * reproduced byte for byte, and rejection of every tampering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "id/id_internal.h"

#define DASH "\xe2\x80\x94 "

/* C2SP tlog-checkpoint / tlog-cosignature example body. */
static const char SOFA[] = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

/* A real checkpoint of the arche2025h1 staging CT log (published by
 * transparency.dev), with its log signature (0x01), an RFC 6962 STH
 * signature (0x05) and cosignatures from four public witnesses (0x04);
 * quoted in the tests of a public tlog client. */
static const char ARCHE_BODY[] = "arche2025h1.staging.ct.transparency.dev\n"
                                 "1432088532\n"
                                 "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n";
static const char ARCHE_SIGS[] =
    DASH "arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=\n"
    DASH "arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
    DASH "transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n"
    DASH "witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
    DASH "remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"
    DASH "witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";
static const char ARCHE_VKEY[] =
    "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
static const char REMORA_VKEY[] = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";
static const char REMORA_LINE[] =
    DASH "remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n";
#define REMORA_TIME UINT64_C(1779573024)

/* Computed independently with Python's cryptography package: witness seed
 * 0x01..0x20, name witness.example/w1, time 1679315147, body SOFA. */
static const char W1_SKEY[] =
    "PRIVATE+KEY+witness.example/w1+468d99bb+BAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g";
static const char W1_VKEY[] = "witness.example/w1+468d99bb+BHm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk";
static const char W1_LINE[] =
    DASH "witness.example/w1 Ro2ZuwAAAABkGFDLQB2dbiQ7rPMIDjq/twq5Ixt42T+awjiYS4+fxrnLnI31x5abVjZlhDVvZAcRRLyAiG4oQlhTgi4DsxiPwiDaDg==\n";
#define W1_TIME UINT64_C(1679315147)

static void test_parse_format_round_trip(void **state)
{
    (void)state;
    doge_checkpoint *c = NULL;
    assert_int_equal(doge_checkpoint_parse(&c, SOFA, strlen(SOFA)), DOGE_OK);
    assert_string_equal(doge_checkpoint_origin(c), "example.com/behind-the-sofa");
    assert_int_equal(doge_checkpoint_size(c), 20852163);
    assert_int_equal(doge_checkpoint_root(c)[0], 0x0a);
    assert_int_equal(doge_checkpoint_extension_count(c), 0);
    assert_null(doge_checkpoint_extension(c, 0));
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(doge_checkpoint_format(c, &out, &len), DOGE_OK);
    assert_string_equal(out, SOFA);
    assert_int_equal(len, strlen(SOFA));
    free(out);

    /* Built, not parsed, and with extensions. */
    doge_checkpoint *b = NULL;
    assert_int_equal(doge_checkpoint_new(&b, "example.com/behind-the-sofa", 20852163, doge_checkpoint_root(c)),
                     DOGE_OK);
    assert_int_equal(doge_checkpoint_format(b, &out, &len), DOGE_OK);
    assert_string_equal(out, SOFA);
    free(out);
    assert_int_equal(doge_checkpoint_add_extension(b, "ext one"), DOGE_OK);
    assert_int_equal(doge_checkpoint_add_extension(b, "\xe2\x98\x83 two"), DOGE_OK);
    assert_int_equal(doge_checkpoint_add_extension(b, ""), DOGE_EINVAL);
    assert_int_equal(doge_checkpoint_add_extension(b, "a\nb"), DOGE_EINVAL);
    assert_int_equal(doge_checkpoint_format(b, &out, &len), DOGE_OK);
    const char *want = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
                       "ext one\n\xe2\x98\x83 two\n";
    assert_string_equal(out, want);
    doge_checkpoint *p = NULL;
    assert_int_equal(doge_checkpoint_parse(&p, out, len), DOGE_OK);
    assert_int_equal(doge_checkpoint_extension_count(p), 2);
    assert_string_equal(doge_checkpoint_extension(p, 1), "\xe2\x98\x83 two");
    char *again = NULL;
    assert_int_equal(doge_checkpoint_format(p, &again, NULL), DOGE_OK);
    assert_string_equal(again, want);
    free(again);
    free(out);
    doge_checkpoint_free(p);
    doge_checkpoint_free(b);
    doge_checkpoint_free(c);

    /* Size 0 and the largest size. */
    uint8_t root[32] = {0};
    assert_int_equal(doge_checkpoint_new(&b, "o", 0, root), DOGE_OK);
    assert_int_equal(doge_checkpoint_format(b, &out, &len), DOGE_OK);
    assert_string_equal(out, "o\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    free(out);
    doge_checkpoint_free(b);
    const char *max = "o\n9223372036854775807\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    assert_int_equal(doge_checkpoint_parse(&c, max, strlen(max)), DOGE_OK);
    assert_int_equal(doge_checkpoint_size(c), UINT64_C(9223372036854775807));
    doge_checkpoint_free(c);
    assert_int_equal(doge_checkpoint_new(&b, "o", UINT64_C(9223372036854775808), root), DOGE_ERANGE);
    assert_int_equal(doge_checkpoint_new(&b, "", 1, root), DOGE_EINVAL);
    assert_int_equal(doge_checkpoint_new(&b, "a\nb", 1, root), DOGE_EINVAL);
    assert_null(b);
    doge_checkpoint_free(NULL);
}

static void test_strict_rejections(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        const char *msg;
    } bad[] = {
        {"example.com/log\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", DOGE_EINVAL, "newline"},
        {"example.com/log\n12\n", DOGE_EINVAL, "2 lines"},
        {"example.com/log\n", DOGE_EINVAL, "1 line,"},
        {"", DOGE_EINVAL, "newline"},
        {"\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "line 1: origin is empty"},
        {"o\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "line 2: size is empty"},
        {"o\nabc\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL,
         "checkpoint line 2: size 'abc' is not a decimal number"},
        {"o\n007\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "leading zero"},
        {"o\n00\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "leading zero"},
        {"o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "not a decimal"},
        {"o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "not a decimal"},
        {"o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "not a decimal"},
        {"o\n1 \nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "not a decimal"},
        {"o\n0x10\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "not a decimal"},
        {"o\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_ERANGE, "2^63"},
        {"o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_ERANGE, "2^63"},
        {"o\n1\n\n", DOGE_EINVAL, "line 3: root hash is empty"},
        {"o\n1\nnot base64!\n", DOGE_EINVAL, "line 3: root hash 'not base64!' is not canonical base64"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", DOGE_EINVAL, "not canonical base64"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", DOGE_EINVAL, "not canonical base64"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I= \n", DOGE_EINVAL, "not canonical base64"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n", DOGE_EINVAL, "is 30 bytes, want 32"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IAAAA=\n", DOGE_EINVAL, "is 35 bytes"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", DOGE_EINVAL, "line 4: extension line is empty"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n\nx\n", DOGE_EINVAL, "line 5"},
        {"o\r\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "line 1: invalid UTF-8 or a control"},
        {"o\xff\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", DOGE_EINVAL, "line 1: invalid UTF-8"},
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ne\txt\n", DOGE_EINVAL, "line 4"},
        /* A signed note is not a body. */
        {"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" DASH "o AAAAAAA=\n", DOGE_EINVAL, "line 4"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doge_checkpoint *c = NULL;
        int rc = doge_checkpoint_parse(&c, bad[i].text, strlen(bad[i].text));
        if (rc != bad[i].rc || !strstr(doge_error_last(), bad[i].msg))
            fail_msg("case %zu: rc %d, message '%s', want %d with '%s'", i, rc, doge_error_last(),
                     bad[i].rc, bad[i].msg);
        assert_null(c);
    }
    /* Too many extension lines. */
    size_t n = DOGE_CHECKPOINT_MAX_EXTENSIONS + 1;
    char *big = malloc(strlen(SOFA) + n * 4 + 1);
    assert_non_null(big);
    strcpy(big, SOFA);
    for (size_t i = 0; i < n; i++)
        strcat(big, "ext\n");
    doge_checkpoint *c = NULL;
    assert_int_equal(doge_checkpoint_parse(&c, big, strlen(big)), DOGE_ELIMIT);
    big[strlen(big) - 4] = '\0';
    assert_int_equal(doge_checkpoint_parse(&c, big, strlen(big)), DOGE_OK);
    assert_int_equal(doge_checkpoint_extension_count(c), DOGE_CHECKPOINT_MAX_EXTENSIONS);
    doge_checkpoint_free(c);
    free(big);
}

static void test_real_cosigned_checkpoint(void **state)
{
    (void)state;
    doge_verifier *log = NULL, *remora = NULL;
    assert_int_equal(doge_verifier_parse(&log, ARCHE_VKEY), DOGE_OK);
    assert_int_equal(doge_verifier_parse(&remora, REMORA_VKEY), DOGE_OK);
    size_t bl = strlen(ARCHE_BODY);
    char *msg = malloc(bl + 1 + strlen(ARCHE_SIGS) + 1);
    assert_non_null(msg);
    strcpy(msg, ARCHE_BODY);
    strcat(msg, "\n");
    strcat(msg, ARCHE_SIGS);
    size_t len = strlen(msg);

    const doge_verifier *both[] = {log, remora};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, len, both, 2), DOGE_OK);
    assert_int_equal(doge_note_sig_count(n), 6);
    assert_int_equal(doge_note_verified_count(n), 2);
    assert_null(doge_note_sig_at(n, 0)->verifier); /* the RFC 6962 STH signature (0x05) */
    assert_ptr_equal(doge_note_sig_at(n, 1)->verifier, log);
    assert_int_equal(doge_note_sig_at(n, 1)->timestamp, 0);
    assert_ptr_equal(doge_note_sig_at(n, 4)->verifier, remora);
    assert_int_equal(doge_note_sig_at(n, 4)->timestamp, REMORA_TIME);
    doge_checkpoint *c = NULL;
    size_t tl = 0;
    const char *text = doge_note_text(n, &tl);
    assert_int_equal(doge_checkpoint_parse(&c, text, tl), DOGE_OK);
    assert_string_equal(doge_checkpoint_origin(c), "arche2025h1.staging.ct.transparency.dev");
    assert_int_equal(doge_checkpoint_size(c), 1432088532);
    doge_checkpoint_free(c);
    doge_note_free(n);

    /* The witness alone suffices for the note layer. */
    const doge_verifier *w[] = {remora};
    assert_int_equal(doge_note_open(&n, msg, len, w, 1), DOGE_OK);
    doge_note_free(n);

    /* As a standalone cosignature line. */
    uint64_t ts = 0;
    assert_int_equal(doge_cosignature_verify(remora, ARCHE_BODY, bl, REMORA_LINE, strlen(REMORA_LINE), &ts),
                     DOGE_OK);
    assert_int_equal(ts, REMORA_TIME);
    assert_int_equal(doge_cosignature_verify(remora, ARCHE_BODY, bl, REMORA_LINE, strlen(REMORA_LINE) - 1, NULL),
                     DOGE_OK);

    /* A clobbered size fails for both keys. */
    const char *clobbered = "arche2025h1.staging.ct.transparency.dev\n42\n"
                            "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n";
    assert_int_equal(doge_cosignature_verify(remora, clobbered, strlen(clobbered), REMORA_LINE,
                                             strlen(REMORA_LINE), NULL),
                     DOGE_EVERIFY);
    char *bad = malloc(strlen(clobbered) + 1 + strlen(ARCHE_SIGS) + 1);
    assert_non_null(bad);
    strcpy(bad, clobbered);
    strcat(bad, "\n");
    strcat(bad, ARCHE_SIGS);
    const doge_verifier *lk[] = {log};
    assert_int_equal(doge_note_open(&n, bad, strlen(bad), lk, 1), DOGE_EVERIFY);
    assert_int_equal(doge_note_open(&n, bad, strlen(bad), w, 1), DOGE_EVERIFY);
    free(bad);

    /* Treating the witness key as a plain note key fails: another key ID. */
    doge_verifier *plain = NULL;
    assert_int_equal(doge_verifier_new(&plain, "remora.n621.de", DOGE_KEY_ED25519,
                                       doge_verifier_public_key(remora)), DOGE_OK);
    const doge_verifier *pk[] = {plain};
    assert_int_equal(doge_note_open(&n, msg, len, pk, 1), DOGE_EVERIFY);
    doge_verifier_free(plain);

    free(msg);
    doge_verifier_free(log);
    doge_verifier_free(remora);
}

static void test_independent_cosignature_vector(void **state)
{
    (void)state;
    doge_signer *w = NULL;
    doge_verifier *wv = NULL;
    char *text = NULL;
    assert_int_equal(doge_signer_parse(&w, W1_SKEY), DOGE_OK);
    assert_int_equal(doge_signer_type(w), DOGE_KEY_COSIGNATURE_V1);
    assert_int_equal(doge_signer_key_hash(w), 0x468d99bbu);
    assert_int_equal(doge_signer_format(w, &text), DOGE_OK);
    assert_string_equal(text, W1_SKEY);
    free(text);
    assert_int_equal(doge_signer_verifier(w, &wv), DOGE_OK);
    assert_int_equal(doge_verifier_format(wv, &text), DOGE_OK);
    assert_string_equal(text, W1_VKEY);
    free(text);
    uint8_t seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (uint8_t)(i + 1);
    doge_signer *w2 = NULL;
    assert_int_equal(doge_signer_new(&w2, "witness.example/w1", DOGE_KEY_COSIGNATURE_V1, seed), DOGE_OK);
    assert_int_equal(doge_signer_key_hash(w2), 0x468d99bbu);
    doge_signer_free(w2);

    char *line = NULL;
    size_t ll = 0;
    assert_int_equal(doge_cosignature_sign(&line, &ll, w, SOFA, strlen(SOFA), W1_TIME), DOGE_OK);
    assert_string_equal(line, W1_LINE);
    assert_int_equal(ll, strlen(W1_LINE));
    uint64_t ts = 0;
    assert_int_equal(doge_cosignature_verify(wv, SOFA, strlen(SOFA), line, ll, &ts), DOGE_OK);
    assert_int_equal(ts, W1_TIME);
    free(line);
    doge_verifier_free(wv);
    doge_signer_free(w);
}

static void test_cosignature_round_trip_and_tampering(void **state)
{
    (void)state;
    doge_signer *log = NULL, *w = NULL, *other = NULL;
    doge_verifier *logv = NULL, *wv = NULL, *otherv = NULL;
    assert_int_equal(doge_signer_generate(&log, "example.com/behind-the-sofa", DOGE_KEY_ED25519), DOGE_OK);
    assert_int_equal(doge_signer_generate(&w, "witness.example/w1", DOGE_KEY_COSIGNATURE_V1), DOGE_OK);
    assert_int_equal(doge_signer_generate(&other, "witness.example/w1", DOGE_KEY_COSIGNATURE_V1), DOGE_OK);
    assert_int_equal(doge_signer_verifier(log, &logv), DOGE_OK);
    assert_int_equal(doge_signer_verifier(w, &wv), DOGE_OK);
    assert_int_equal(doge_signer_verifier(other, &otherv), DOGE_OK);

    /* Log signs, witness cosigns, a client opens with both. */
    const char *body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension\n";
    size_t bl = strlen(body);
    char *note = NULL, *line = NULL;
    size_t nl = 0, ll = 0;
    const doge_signer *ls[] = {log};
    assert_int_equal(doge_note_sign(&note, &nl, body, bl, ls, 1), DOGE_OK);
    assert_int_equal(doge_cosignature_sign(&line, &ll, w, body, bl, W1_TIME), DOGE_OK);
    char *full = malloc(nl + ll + 1);
    assert_non_null(full);
    memcpy(full, note, nl);
    memcpy(full + nl, line, ll + 1);
    const doge_verifier *known[] = {logv, wv};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, full, nl + ll, known, 2), DOGE_OK);
    assert_int_equal(doge_note_verified_count(n), 2);
    assert_int_equal(doge_note_sig_at(n, 1)->timestamp, W1_TIME);
    doge_note_free(n);

    uint64_t ts = 0;
    assert_int_equal(doge_cosignature_verify(wv, body, bl, line, ll, &ts), DOGE_OK);
    assert_int_equal(ts, W1_TIME);

    /* Every bit flip of the line, and of the body, is rejected. */
    for (size_t i = 0; i < ll; i++) {
        for (int bit = 0; bit < 8; bit++) {
            line[i] ^= (char)(1 << bit);
            if (doge_cosignature_verify(wv, body, bl, line, ll, NULL) == DOGE_OK)
                fail_msg("line bit %d of byte %zu flipped: accepted", bit, i);
            line[i] ^= (char)(1 << bit);
        }
    }
    char *b2 = malloc(bl + 1);
    assert_non_null(b2);
    memcpy(b2, body, bl + 1);
    for (size_t i = 0; i < bl; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b2[i] ^= (char)(1 << bit);
            if (doge_cosignature_verify(wv, b2, bl, line, ll, NULL) == DOGE_OK)
                fail_msg("body bit %d of byte %zu flipped: accepted", bit, i);
            b2[i] ^= (char)(1 << bit);
        }
    }
    free(b2);

    /* A moved timestamp: re-sign at another time, splice the old signature. */
    char *later = NULL;
    assert_int_equal(doge_cosignature_sign(&later, NULL, w, body, bl, W1_TIME + 1), DOGE_OK);
    assert_int_not_equal(strcmp(later, line), 0);
    assert_int_equal(doge_cosignature_verify(wv, body, bl, later, strlen(later), &ts), DOGE_OK);
    assert_int_equal(ts, W1_TIME + 1);
    /* timestamp bytes are base64 chars [4+len(name)+1 ..]: swap the
     * signature halves between the two lines. */
    size_t prefix = strlen(DASH "witness.example/w1 ");
    char *spliced = strdup(line);
    assert_non_null(spliced);
    memcpy(spliced + prefix, later + prefix, 16); /* key ID + timestamp: 12 bytes = 16 chars */
    assert_int_equal(doge_cosignature_verify(wv, body, bl, spliced, ll, NULL), DOGE_EVERIFY);
    free(spliced);
    free(later);

    /* Wrong witness: same name, different key (different key ID). */
    assert_int_equal(doge_cosignature_verify(otherv, body, bl, line, ll, NULL), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "not by witness"));
    const doge_verifier *wrong[] = {logv, otherv};
    assert_int_equal(doge_note_open(&n, full, nl + ll, wrong, 2), DOGE_OK); /* log still signs */
    assert_int_equal(doge_note_verified_count(n), 1);
    doge_note_free(n);
    const doge_verifier *only_other[] = {otherv};
    assert_int_equal(doge_note_open(&n, full, nl + ll, only_other, 1), DOGE_EVERIFY);

    /* Type rules: cosign with a 0x04 key only, verify with a 0x04 key only. */
    char *x = NULL;
    assert_int_equal(doge_cosignature_sign(&x, NULL, log, body, bl, 1), DOGE_EINVAL);
    assert_int_equal(doge_cosignature_verify(logv, body, bl, line, ll, NULL), DOGE_EINVAL);
    /* Bodies must be checkpoints. */
    assert_int_equal(doge_cosignature_sign(&x, NULL, w, "hello\n", 6, 1), DOGE_EINVAL);
    assert_int_equal(doge_cosignature_sign(&x, NULL, w, body, bl - 1, 1), DOGE_EINVAL);
    assert_int_equal(doge_cosignature_verify(wv, note, nl, line, ll, NULL), DOGE_EINVAL);
    /* Timestamps above 2^63 - 1. */
    assert_int_equal(doge_cosignature_sign(&x, NULL, w, body, bl, UINT64_C(0x8000000000000000)), DOGE_ERANGE);
    assert_int_equal(doge_cosignature_sign(&x, NULL, w, body, bl, UINT64_C(0x7fffffffffffffff)), DOGE_OK);
    assert_int_equal(doge_cosignature_verify(wv, body, bl, x, strlen(x), &ts), DOGE_OK);
    assert_int_equal(ts, UINT64_C(0x7fffffffffffffff));
    free(x);
    /* Malformed lines. */
    assert_int_equal(doge_cosignature_verify(wv, body, bl, "", 0, NULL), DOGE_EINVAL);
    assert_int_equal(doge_cosignature_verify(wv, body, bl, "\n", 1, NULL), DOGE_EINVAL);
    char two[600];
    snprintf(two, sizeof two, "%s%s", line, line);
    assert_int_equal(doge_cosignature_verify(wv, body, bl, two, strlen(two), NULL), DOGE_EINVAL);
    assert_int_equal(doge_cosignature_verify(wv, body, bl, line + 4, ll - 4, NULL), DOGE_EINVAL);
    /* A plain 64-byte signature under the witness key ID is no cosignature. */
    char plain_line[300];
    {
        uint8_t raw[68];
        char b64[DOGE__B64_LEN(68) + 1];
        doge__put_be32(raw, doge_verifier_key_hash(wv));
        assert_int_equal(doge_signer_sign(w, body, bl, raw + 4), DOGE_OK);
        doge__b64_encode(b64, raw, sizeof raw);
        snprintf(plain_line, sizeof plain_line, DASH "witness.example/w1 %s\n", b64);
    }
    assert_int_equal(doge_cosignature_verify(wv, body, bl, plain_line, strlen(plain_line), NULL), DOGE_EVERIFY);

    /* A correctly signed timestamp of 2^63 is still refused (spec: MUST NOT
     * exceed 2^63 - 1). */
    {
        char msgbuf[512];
        int ml = snprintf(msgbuf, sizeof msgbuf, "cosignature/v1\ntime 9223372036854775808\n%s", body);
        uint8_t raw[76];
        char b64[DOGE__B64_LEN(76) + 1];
        doge__put_be32(raw, doge_verifier_key_hash(wv));
        doge__put_be64(raw + 4, UINT64_C(9223372036854775808));
        assert_int_equal(doge_signer_sign(w, msgbuf, (size_t)ml, raw + 12), DOGE_OK);
        assert_int_equal(doge_verifier_verify(wv, msgbuf, (size_t)ml, raw + 12, 64), DOGE_OK);
        doge__b64_encode(b64, raw, sizeof raw);
        char big[300];
        snprintf(big, sizeof big, DASH "witness.example/w1 %s\n", b64);
        assert_int_equal(doge_cosignature_verify(wv, body, bl, big, strlen(big), NULL), DOGE_EVERIFY);
        assert_non_null(strstr(doge_error_last(), "2^63"));
    }

    free(full);
    free(note);
    free(line);
    doge_verifier_free(logv);
    doge_verifier_free(wv);
    doge_verifier_free(otherv);
    doge_signer_free(log);
    doge_signer_free(w);
    doge_signer_free(other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_format_round_trip),
        cmocka_unit_test(test_strict_rejections),
        cmocka_unit_test(test_real_cosigned_checkpoint),
        cmocka_unit_test(test_independent_cosignature_vector),
        cmocka_unit_test(test_cosignature_round_trip_and_tampering),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
