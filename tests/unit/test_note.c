/*
 * test_note.c — signed notes (doge/note.h): Go's sumdb/note published
 * vectors sign byte for byte and open; the C2SP signed-note example opens;
 * unknown signatures are kept but ignored, a failing known signature rejects
 * the note, and at least one known signature is required; every single-bit
 * flip anywhere in a signed note is rejected; malformed notes (Go's list and
 * more) are rejected; limits on size and signature count hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"

static const char PETER_SKEY[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char PETER_VKEY[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char ENOCH_VKEY[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
static const char TEXT[] = "If you think cryptography is the answer to your problem,\n"
                           "then you don't know what your problem is.\n";
static const char PETER_SIG[] =
    "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char ENOCH_SIG[] =
    "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

typedef struct {
    doge_signer *peter;
    doge_verifier *peter_v, *enoch_v;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || doge_signer_parse(&f->peter, PETER_SKEY) || doge_verifier_parse(&f->peter_v, PETER_VKEY) ||
        doge_verifier_parse(&f->enoch_v, ENOCH_VKEY))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    doge_signer_free(f->peter);
    doge_verifier_free(f->peter_v);
    doge_verifier_free(f->enoch_v);
    free(f);
    return 0;
}

/* Concatenates up to four strings into a malloc'd buffer. */
static char *cat(const char *a, const char *b, const char *c, const char *d)
{
    size_t n = strlen(a) + strlen(b ? b : "") + strlen(c ? c : "") + strlen(d ? d : "");
    char *s = malloc(n + 1);
    assert_non_null(s);
    strcpy(s, a);
    if (b)
        strcat(s, b);
    if (c)
        strcat(s, c);
    if (d)
        strcat(s, d);
    return s;
}

static void test_sign_go_vector(void **state)
{
    fixture *f = *state;
    char *msg = NULL;
    size_t len = 0;
    const doge_signer *signers[] = {f->peter};
    assert_int_equal(doge_note_sign(&msg, &len, TEXT, strlen(TEXT), signers, 1), DOGE_OK);
    char *want = cat(TEXT, "\n", PETER_SIG, NULL);
    assert_string_equal(msg, want);
    assert_int_equal(len, strlen(want));
    free(msg);

    char *line = NULL;
    assert_int_equal(doge_note_signature_line(&line, &len, f->peter, TEXT, strlen(TEXT)), DOGE_OK);
    assert_string_equal(line, PETER_SIG);
    free(line);
    free(want);

    /* Bad inputs. */
    assert_int_equal(doge_note_sign(&msg, &len, "abc", 3, signers, 1), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "newline"));
    assert_int_equal(doge_note_sign(&msg, &len, "", 0, signers, 1), DOGE_EINVAL);
    assert_int_equal(doge_note_sign(&msg, &len, "a\x01\n", 3, signers, 1), DOGE_EINVAL);
    assert_int_equal(doge_note_sign(&msg, &len, "a\xff\n", 3, signers, 1), DOGE_EINVAL);
    assert_int_equal(doge_note_sign(&msg, &len, TEXT, strlen(TEXT), signers, 0), DOGE_EINVAL);
    assert_null(msg);
    doge_signer *cosigner = NULL;
    assert_int_equal(doge_signer_generate(&cosigner, "w", DOGE_KEY_COSIGNATURE_V1), DOGE_OK);
    const doge_signer *bad[] = {cosigner};
    assert_int_equal(doge_note_sign(&msg, &len, TEXT, strlen(TEXT), bad, 1), DOGE_EINVAL);
    doge_signer_free(cosigner);
}

static void test_open_go_vectors(void **state)
{
    fixture *f = *state;
    char *msg = cat(TEXT, "\n", PETER_SIG, ENOCH_SIG);
    size_t len = strlen(msg);
    doge_note *n = NULL;

    /* One verified, one kept unverified. */
    const doge_verifier *peter_only[] = {f->peter_v};
    assert_int_equal(doge_note_open(&n, msg, len, peter_only, 1), DOGE_OK);
    size_t tl = 0;
    assert_string_equal(doge_note_text(n, &tl), TEXT);
    assert_int_equal(tl, strlen(TEXT));
    assert_int_equal(doge_note_sig_count(n), 2);
    assert_int_equal(doge_note_verified_count(n), 1);
    const doge_note_sig *s0 = doge_note_sig_at(n, 0), *s1 = doge_note_sig_at(n, 1);
    assert_string_equal(s0->name, "PeterNeumann");
    assert_int_equal(s0->key_hash, 0xc74f20a3u);
    assert_ptr_equal(s0->verifier, f->peter_v);
    assert_int_equal(s0->signature_len, 64);
    assert_int_equal(s0->timestamp, 0);
    assert_string_equal(s0->base64, "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
    assert_string_equal(s1->name, "EnochRoot");
    assert_int_equal(s1->key_hash, 0xaf0cfe78u);
    assert_null(s1->verifier);
    assert_null(doge_note_sig_at(n, 2));
    char *back = NULL;
    size_t bl = 0;
    assert_int_equal(doge_note_format(n, &back, &bl), DOGE_OK);
    assert_string_equal(back, msg);
    assert_int_equal(bl, len);
    free(back);
    doge_note_free(n);

    /* Both verified. */
    const doge_verifier *both[] = {f->peter_v, f->enoch_v};
    assert_int_equal(doge_note_open(&n, msg, len, both, 2), DOGE_OK);
    assert_int_equal(doge_note_verified_count(n), 2);
    assert_ptr_equal(doge_note_sig_at(n, 1)->verifier, f->enoch_v);
    doge_note_free(n);

    /* Neither known: rejected, but parse alone keeps both. */
    n = (doge_note *)1;
    assert_int_equal(doge_note_open(&n, msg, len, NULL, 0), DOGE_EVERIFY);
    assert_null(n);
    assert_int_equal(doge_note_parse(&n, msg, len), DOGE_OK);
    assert_int_equal(doge_note_sig_count(n), 2);
    assert_int_equal(doge_note_verified_count(n), 0);
    assert_int_equal(doge_note_verify(n, both, 2), DOGE_OK);
    assert_int_equal(doge_note_verified_count(n), 2);
    doge_note_free(n);

    /* Duplicated known verifier (the same key twice) is fine. */
    const doge_verifier *dup[] = {f->enoch_v, f->peter_v, f->enoch_v};
    assert_int_equal(doge_note_open(&n, msg, len, dup, 3), DOGE_OK);
    doge_note_free(n);
    free(msg);
}

static void test_c2sp_example(void **state)
{
    (void)state;
    const char *msg = "This is an example message.\n\n"
                      "\xe2\x80\x94 example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
    doge_verifier *v = NULL;
    assert_int_equal(doge_verifier_parse(&v, "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"),
                     DOGE_OK);
    const doge_verifier *known[] = {v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_OK);
    assert_string_equal(doge_note_text(n, NULL), "This is an example message.\n");
    doge_note_free(n);
    doge_verifier_free(v);
}

static void test_invalid_signature(void **state)
{
    fixture *f = *state;
    /* Go: "ABCD" spliced into Peter's signature. */
    char sig[256];
    memcpy(sig, PETER_SIG, 60);
    memcpy(sig + 60, "ABCD", 4);
    strcpy(sig + 64, PETER_SIG + 60);
    char *msg = cat(TEXT, "\n", sig, NULL);
    const doge_verifier *known[] = {f->peter_v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), "PeterNeumann+c74f20a3"));
    free(msg);
    /* A valid signature does not excuse a bad one by the same known key. */
    msg = cat(TEXT, "\n", PETER_SIG, sig);
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_EVERIFY);
    assert_null(n);
    free(msg);
    /* A too-short signature under a known key ID fails verification. */
    msg = cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08go/Y=\n", NULL);
    assert_int_equal(doge_note_parse(&n, msg, strlen(msg)), DOGE_OK);
    assert_int_equal(doge_note_sig_at(n, 0)->signature_len, 1);
    assert_int_equal(doge_note_verify(n, known, 1), DOGE_EVERIFY);
    assert_int_equal(doge_note_verified_count(n), 0);
    doge_note_free(n);
    n = NULL;
    free(msg);
    /* A known key signing another text: wrong key material for this text. */
    msg = cat("Another text.\n", "\n", PETER_SIG, NULL);
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_EVERIFY);
    free(msg);
}

static void test_duplicates(void **state)
{
    fixture *f = *state;
    char enoch_abcd[256];
    memcpy(enoch_abcd, ENOCH_SIG, 60);
    memcpy(enoch_abcd + 60, "ABCD", 4);
    strcpy(enoch_abcd + 64, ENOCH_SIG + 60);
    char *sigs = cat(PETER_SIG, PETER_SIG, ENOCH_SIG, ENOCH_SIG);
    char *msg = cat(TEXT, "\n", sigs, enoch_abcd);
    const doge_verifier *known[] = {f->peter_v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_OK);
    assert_int_equal(doge_note_sig_count(n), 3); /* identical lines kept once */
    assert_int_equal(doge_note_verified_count(n), 1);
    assert_string_equal(doge_note_sig_at(n, 0)->name, "PeterNeumann");
    assert_string_equal(doge_note_sig_at(n, 1)->name, "EnochRoot");
    assert_string_equal(doge_note_sig_at(n, 2)->name, "EnochRoot");
    assert_null(doge_note_sig_at(n, 2)->verifier);
    doge_note_free(n);
    free(msg);
    free(sigs);
}

static void test_malformed(void **state)
{
    fixture *f = *state;
    char peter_nonl[256];
    strcpy(peter_nonl, PETER_SIG);
    peter_nonl[strlen(peter_nonl) - 1] = '\0';
    char *bad[] = {
        cat(TEXT, NULL, NULL, NULL),
        cat(TEXT, "\n", NULL, NULL),
        cat(TEXT, "\n", peter_nonl, NULL),
        cat("\x01", TEXT, "\n", PETER_SIG),
        cat("\xff", TEXT, "\n", PETER_SIG),
        cat(TEXT, "\n", "\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", NULL),
        cat(TEXT, "\n", PETER_SIG, "Unexpected line.\n"),
        /* more: a hyphen instead of the em dash, no space after the dash,
         * a missing signature, unpadded or non-canonical base64, a
         * too-short signature, CR line endings, a tab, trailing space */
        cat(TEXT, "\n", "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann \n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAN=\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08g\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\r\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann\tx08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", NULL),
        cat(TEXT, "\n", "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM= \n", NULL),
        cat(TEXT, "\n", PETER_SIG, "\n"),
        cat("", "", "", ""),
        cat("\n", PETER_SIG, NULL, NULL),
    };
    const doge_verifier *known[] = {f->peter_v};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doge_note *n = NULL;
        int rc = doge_note_open(&n, bad[i], strlen(bad[i]), known, 1);
        if (rc != DOGE_EINVAL)
            fail_msg("malformed note %zu: rc %d (%s)", i, rc, doge_error_last());
        assert_null(n);
        assert_int_equal(doge_note_parse(&n, bad[i], strlen(bad[i])), DOGE_EINVAL);
        free(bad[i]);
    }
    /* Error messages name the line. */
    char *msg = cat(TEXT, "\n", PETER_SIG, "Unexpected line.\n");
    doge_note *n = NULL;
    assert_int_equal(doge_note_parse(&n, msg, strlen(msg)), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "note line 5"));
    free(msg);
    /* An embedded NUL is a control character. */
    char nul[] = "a\0b\n\n";
    assert_int_equal(doge_note_parse(&n, nul, sizeof nul - 1), DOGE_EINVAL);
}

/* Every single-bit flip of a signed note is rejected. */
static void test_every_bit_flip_rejected(void **state)
{
    fixture *f = *state;
    char *msg = cat(TEXT, "\n", PETER_SIG, NULL);
    size_t len = strlen(msg);
    const doge_verifier *known[] = {f->peter_v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, len, known, 1), DOGE_OK);
    doge_note_free(n);
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            msg[i] ^= (char)(1 << bit);
            n = NULL;
            int rc = doge_note_open(&n, msg, len, known, 1);
            if (rc == DOGE_OK)
                fail_msg("bit %d of byte %zu flipped: accepted", bit, i);
            assert_null(n);
            msg[i] ^= (char)(1 << bit);
        }
    }
    free(msg);
}

static void test_wrong_key(void **state)
{
    fixture *f = *state;
    char *msg = cat(TEXT, "\n", PETER_SIG, NULL);
    doge_note *n = NULL;
    const doge_verifier *enoch[] = {f->enoch_v};
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), enoch, 1), DOGE_EVERIFY);
    assert_non_null(strstr(doge_error_last(), "no signature"));
    /* Same name, another key: a different key ID, so the line is unknown. */
    doge_signer *impostor = NULL;
    doge_verifier *iv = NULL;
    assert_int_equal(doge_signer_generate(&impostor, "PeterNeumann", DOGE_KEY_ED25519), DOGE_OK);
    assert_int_equal(doge_signer_verifier(impostor, &iv), DOGE_OK);
    const doge_verifier *known[] = {iv};
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_EVERIFY);
    /* Peter's key with another type is another key too. */
    doge_verifier *peter4 = NULL;
    assert_int_equal(doge_verifier_new(&peter4, "PeterNeumann", DOGE_KEY_COSIGNATURE_V1,
                                       doge_verifier_public_key(f->peter_v)), DOGE_OK);
    const doge_verifier *k4[] = {peter4};
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), k4, 1), DOGE_EVERIFY);
    doge_verifier_free(peter4);
    doge_verifier_free(iv);
    doge_signer_free(impostor);
    free(msg);
}

static void test_multi_sign_round_trip(void **state)
{
    fixture *f = *state;
    /* Texts with blank lines inside: the last blank line separates. */
    const char *text = "line one\n\nline three\n\n";
    doge_signer *enoch = NULL;
    doge_verifier *ev = NULL;
    assert_int_equal(doge_signer_generate(&enoch, "EnochRoot", DOGE_KEY_ED25519), DOGE_OK);
    assert_int_equal(doge_signer_verifier(enoch, &ev), DOGE_OK);
    const doge_signer *signers[] = {f->peter, enoch};
    char *msg = NULL;
    size_t len = 0;
    assert_int_equal(doge_note_sign(&msg, &len, text, strlen(text), signers, 2), DOGE_OK);
    const doge_verifier *known[] = {ev, f->peter_v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, len, known, 2), DOGE_OK);
    assert_string_equal(doge_note_text(n, NULL), text);
    assert_int_equal(doge_note_verified_count(n), 2);
    doge_note_free(n);

    /* Appending a signature line adds a signature. */
    doge_signer *third = NULL;
    doge_verifier *tv = NULL;
    assert_int_equal(doge_signer_generate(&third, "example.com/third", DOGE_KEY_ED25519), DOGE_OK);
    assert_int_equal(doge_signer_verifier(third, &tv), DOGE_OK);
    char *line = NULL;
    size_t ll = 0;
    assert_int_equal(doge_note_signature_line(&line, &ll, third, text, strlen(text)), DOGE_OK);
    char *more = cat(msg, line, NULL, NULL);
    const doge_verifier *only_third[] = {tv};
    assert_int_equal(doge_note_open(&n, more, strlen(more), only_third, 1), DOGE_OK);
    assert_int_equal(doge_note_sig_count(n), 3);
    assert_ptr_equal(doge_note_sig_at(n, 2)->verifier, tv);
    doge_note_free(n);
    free(more);
    free(line);
    free(msg);
    doge_verifier_free(tv);
    doge_signer_free(third);
    doge_verifier_free(ev);
    doge_signer_free(enoch);
}

static void test_limits(void **state)
{
    fixture *f = *state;
    /* Go: 101 signatures is too many (repeats count). */
    size_t sl = strlen(PETER_SIG);
    char *msg = malloc(strlen(TEXT) + 1 + 101 * sl + 1);
    assert_non_null(msg);
    strcpy(msg, TEXT);
    strcat(msg, "\n");
    for (int i = 0; i < 101; i++)
        strcat(msg, PETER_SIG);
    const doge_verifier *known[] = {f->peter_v};
    doge_note *n = NULL;
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_ELIMIT);
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), NULL, 0), DOGE_ELIMIT);
    /* 100 is within the limit. */
    msg[strlen(msg) - sl] = '\0';
    assert_int_equal(doge_note_open(&n, msg, strlen(msg), known, 1), DOGE_OK);
    assert_int_equal(doge_note_sig_count(n), 1);
    doge_note_free(n);
    free(msg);

    /* The spec's minimum: 16 signatures by 16 keys all verify. */
    doge_signer *s[16];
    doge_verifier *v[16];
    for (int i = 0; i < 16; i++) {
        char name[32];
        snprintf(name, sizeof name, "example.com/k%d", i);
        assert_int_equal(doge_signer_generate(&s[i], name, DOGE_KEY_ED25519), DOGE_OK);
        assert_int_equal(doge_signer_verifier(s[i], &v[i]), DOGE_OK);
    }
    size_t len = 0;
    assert_int_equal(doge_note_sign(&msg, &len, TEXT, strlen(TEXT), (const doge_signer *const *)s, 16),
                     DOGE_OK);
    assert_int_equal(doge_note_open(&n, msg, len, (const doge_verifier *const *)v, 16), DOGE_OK);
    assert_int_equal(doge_note_verified_count(n), 16);
    doge_note_free(n);
    free(msg);
    for (int i = 0; i < 16; i++) {
        doge_signer_free(s[i]);
        doge_verifier_free(v[i]);
    }

    /* Oversized notes and texts. */
    size_t big = DOGE_NOTE_MAX_SIZE + 1;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'a', big);
    huge[big - 1] = '\n';
    huge[big] = '\0';
    assert_int_equal(doge_note_parse(&n, huge, big), DOGE_ELIMIT);
    const doge_signer *signers[] = {f->peter};
    assert_int_equal(doge_note_sign(&msg, &len, huge, big, signers, 1), DOGE_ELIMIT);
    free(huge);
    doge_note_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_go_vector),
        cmocka_unit_test(test_open_go_vectors),
        cmocka_unit_test(test_c2sp_example),
        cmocka_unit_test(test_invalid_signature),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_every_bit_flip_rejected),
        cmocka_unit_test(test_wrong_key),
        cmocka_unit_test(test_multi_sign_round_trip),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
