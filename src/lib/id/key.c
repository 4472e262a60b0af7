/*
 * key.c — Ed25519 signers and verifiers in the Go note / C2SP signed-note key
 * text formats (see doge/id.h): generation from OS randomness, strict
 * parsing, formatting, key IDs, and raw Ed25519 sign/verify through OpenSSL
 * libcrypto's EVP interface. Private key material is wiped on free and never
 * echoed in error messages.
 */
#include "doge/id.h"
#include "id_internal.h"
#include "internal.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct doge_signer {
    char *name;
    doge_key_type type;
    uint32_t hash;
    uint8_t seed[DOGE_ED25519_SEED_SIZE];
    uint8_t pub[DOGE_ED25519_PUBLIC_SIZE];
    EVP_PKEY *pkey;
};

struct doge_verifier {
    char *name;
    doge_key_type type;
    uint32_t hash;
    uint8_t pub[DOGE_ED25519_PUBLIC_SIZE];
    EVP_PKEY *pkey;
};

#define KEY_TEXT_MAX 4096 /* longest key text we look at */

static int type_known(int type)
{
    return type == DOGE_KEY_ED25519 || type == DOGE_KEY_COSIGNATURE_V1;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int doge_key_name_check(const char *name)
{
    if (!name)
        return doge__error_set(DOGE_EINVAL, "key name is NULL");
    const char *why;
    size_t len = strlen(name);
    if (!doge__key_name_valid(name, len, &why))
        return doge__error_set(DOGE_EINVAL, "key name '%.200s' %s", name, why);
    return DOGE_OK;
}

/* Parses exactly 8 lowercase hex digits. */
static int parse_hash(const char *s, size_t len, uint32_t *out)
{
    if (len != 8)
        return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < 8; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        v = v << 4 | (uint32_t)d;
    }
    *out = v;
    return 0;
}

/* ---- signers ------------------------------------------------------------ */

int doge_signer_new(doge_signer **out, const char *name, doge_key_type type,
                    const uint8_t seed[DOGE_ED25519_SEED_SIZE])
{
    if (!out || !seed)
        return doge__error_set(DOGE_EINVAL, "doge_signer_new: NULL argument");
    *out = NULL;
    int rc = doge_key_name_check(name);
    if (rc)
        return rc;
    if (!type_known((int)type))
        return doge__error_set(DOGE_EINVAL, "key '%.200s': unknown key type 0x%02x", name,
                               (unsigned)type);
    doge_signer *s = calloc(1, sizeof *s);
    if (!s)
        return doge__error_oom();
    s->type = type;
    memcpy(s->seed, seed, sizeof s->seed);
    s->name = dup_n(name, strlen(name));
    if (!s->name) {
        doge_signer_free(s);
        return doge__error_oom();
    }
    s->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, s->seed, sizeof s->seed);
    size_t publen = sizeof s->pub;
    if (!s->pkey || EVP_PKEY_get_raw_public_key(s->pkey, s->pub, &publen) != 1 ||
        publen != sizeof s->pub) {
        doge_signer_free(s);
        return doge__error_set(DOGE_ECRYPTO, "key '%.200s': libcrypto could not load the Ed25519 seed",
                               name);
    }
    rc = doge__key_hash(s->name, strlen(s->name), (uint8_t)type, s->pub, sizeof s->pub, &s->hash);
    if (rc) {
        doge_signer_free(s);
        return rc;
    }
    *out = s;
    return DOGE_OK;
}

int doge_signer_generate(doge_signer **out, const char *name, doge_key_type type)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "doge_signer_generate: NULL argument");
    *out = NULL;
    int rc = doge_key_name_check(name);
    if (rc)
        return rc;
    uint8_t seed[DOGE_ED25519_SEED_SIZE];
    size_t got = 0;
    while (got < sizeof seed) {
        ssize_t n = getrandom(seed + got, sizeof seed - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            OPENSSL_cleanse(seed, sizeof seed);
            return doge__error_set(DOGE_EIO, "getrandom failed: %s", strerror(e));
        }
        got += (size_t)n;
    }
    rc = doge_signer_new(out, name, type, seed);
    OPENSSL_cleanse(seed, sizeof seed);
    return rc;
}

int doge_signer_parse(doge_signer **out, const char *text)
{
    static const char prefix[] = "PRIVATE+KEY+";
    if (!out || !text)
        return doge__error_set(DOGE_EINVAL, "doge_signer_parse: NULL argument");
    *out = NULL;
    size_t len = strnlen(text, KEY_TEXT_MAX + 1);
    if (len > KEY_TEXT_MAX)
        return doge__error_set(DOGE_EINVAL, "private key: longer than %d bytes", KEY_TEXT_MAX);
    if (strncmp(text, prefix, sizeof prefix - 1) != 0)
        return doge__error_set(DOGE_EINVAL, "private key: does not start with '%s'", prefix);
    const char *name = text + sizeof prefix - 1;
    const char *p1 = strchr(name, '+');
    if (!p1)
        return doge__error_set(DOGE_EINVAL,
                               "private key: expected PRIVATE+KEY+<name>+<key ID>+<key>");
    size_t name_len = (size_t)(p1 - name);
    const char *why;
    if (!doge__key_name_valid(name, name_len, &why))
        return doge__error_set(DOGE_EINVAL, "private key: name '%.*s' %s",
                               (int)(name_len > 200 ? 200 : name_len), name, why);
    const char *h = p1 + 1;
    const char *p2 = strchr(h, '+');
    uint32_t hash;
    if (!p2 || parse_hash(h, (size_t)(p2 - h), &hash) != 0)
        return doge__error_set(DOGE_EINVAL,
                               "private key '%.*s': key ID is not 8 lowercase hex digits",
                               (int)(name_len > 200 ? 200 : name_len), name);
    const char *k = p2 + 1;
    size_t klen = strlen(k);
    uint8_t raw[KEY_TEXT_MAX];
    size_t rawlen = 0;
    if (klen == 0 || doge__b64_decode(raw, &rawlen, k, klen) != 0) {
        OPENSSL_cleanse(raw, sizeof raw);
        return doge__error_set(DOGE_EINVAL, "private key '%.*s': key data is not canonical base64",
                               (int)(name_len > 200 ? 200 : name_len), name);
    }
    int rc;
    if (rawlen < 1 || !type_known(raw[0])) {
        rc = doge__error_set(DOGE_EINVAL, "private key '%.*s': unknown key type 0x%02x",
                             (int)(name_len > 200 ? 200 : name_len), name,
                             rawlen ? (unsigned)raw[0] : 0u);
    } else if (rawlen != 1 + DOGE_ED25519_SEED_SIZE) {
        rc = doge__error_set(DOGE_EINVAL,
                             "private key '%.*s': key data is %zu bytes, want %d",
                             (int)(name_len > 200 ? 200 : name_len), name, rawlen,
                             1 + DOGE_ED25519_SEED_SIZE);
    } else {
        char *nm = dup_n(name, name_len);
        if (!nm) {
            rc = doge__error_oom();
        } else {
            doge_signer *s = NULL;
            rc = doge_signer_new(&s, nm, (doge_key_type)raw[0], raw + 1);
            if (rc == DOGE_OK && s->hash != hash) {
                rc = doge__error_set(DOGE_EINVAL,
                                     "private key '%s': key ID %08x does not match the key (want %08x)",
                                     nm, (unsigned)hash, (unsigned)s->hash);
                doge_signer_free(s);
                s = NULL;
            }
            *out = s;
            free(nm);
        }
    }
    OPENSSL_cleanse(raw, sizeof raw);
    return rc;
}

int doge_signer_format(const doge_signer *s, char **out)
{
    if (!s || !out)
        return doge__error_set(DOGE_EINVAL, "doge_signer_format: NULL argument");
    uint8_t raw[1 + DOGE_ED25519_SEED_SIZE];
    char b64[DOGE__B64_LEN(sizeof raw) + 1];
    raw[0] = (uint8_t)s->type;
    memcpy(raw + 1, s->seed, DOGE_ED25519_SEED_SIZE);
    doge__b64_encode(b64, raw, sizeof raw);
    size_t n = strlen("PRIVATE+KEY+") + strlen(s->name) + 1 + 8 + 1 + strlen(b64) + 1;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "PRIVATE+KEY+%s+%08x+%s", s->name, (unsigned)s->hash, b64);
    OPENSSL_cleanse(raw, sizeof raw);
    OPENSSL_cleanse(b64, sizeof b64);
    if (!t)
        return doge__error_oom();
    *out = t;
    return DOGE_OK;
}

int doge_signer_verifier(const doge_signer *s, doge_verifier **out)
{
    if (!s || !out)
        return doge__error_set(DOGE_EINVAL, "doge_signer_verifier: NULL argument");
    return doge_verifier_new(out, s->name, s->type, s->pub);
}

int doge_signer_sign(const doge_signer *s, const void *msg, size_t len,
                     uint8_t sig[DOGE_ED25519_SIG_SIZE])
{
    if (!s || (!msg && len) || !sig)
        return doge__error_set(DOGE_EINVAL, "doge_signer_sign: NULL argument");
    static const uint8_t empty = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return doge__error_oom();
    size_t siglen = DOGE_ED25519_SIG_SIZE;
    int ok = EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->pkey) == 1 &&
             EVP_DigestSign(ctx, sig, &siglen, len ? msg : &empty, len) == 1 &&
             siglen == DOGE_ED25519_SIG_SIZE;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return doge__error_set(DOGE_ECRYPTO, "key '%s': Ed25519 signing failed in libcrypto",
                               s->name);
    return DOGE_OK;
}

const char *doge_signer_name(const doge_signer *s) { return s ? s->name : NULL; }
uint32_t doge_signer_key_hash(const doge_signer *s) { return s ? s->hash : 0; }
doge_key_type doge_signer_type(const doge_signer *s) { return s ? s->type : DOGE_KEY_ED25519; }
const uint8_t *doge_signer_public_key(const doge_signer *s) { return s ? s->pub : NULL; }

void doge_signer_free(doge_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->pkey);
    free(s->name);
    OPENSSL_cleanse(s, sizeof *s);
    free(s);
}

/* ---- verifiers ---------------------------------------------------------- */

int doge_verifier_new(doge_verifier **out, const char *name, doge_key_type type,
                      const uint8_t pub[DOGE_ED25519_PUBLIC_SIZE])
{
    if (!out || !pub)
        return doge__error_set(DOGE_EINVAL, "doge_verifier_new: NULL argument");
    *out = NULL;
    int rc = doge_key_name_check(name);
    if (rc)
        return rc;
    if (!type_known((int)type))
        return doge__error_set(DOGE_EINVAL, "verifier key '%.200s': unknown key type 0x%02x", name,
                               (unsigned)type);
    doge_verifier *v = calloc(1, sizeof *v);
    if (!v)
        return doge__error_oom();
    v->type = type;
    memcpy(v->pub, pub, sizeof v->pub);
    v->name = dup_n(name, strlen(name));
    if (!v->name) {
        doge_verifier_free(v);
        return doge__error_oom();
    }
    v->pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, v->pub, sizeof v->pub);
    if (!v->pkey) {
        doge_verifier_free(v);
        return doge__error_set(DOGE_ECRYPTO,
                               "verifier key '%.200s': libcrypto could not load the Ed25519 public key",
                               name);
    }
    rc = doge__key_hash(v->name, strlen(v->name), (uint8_t)type, v->pub, sizeof v->pub, &v->hash);
    if (rc) {
        doge_verifier_free(v);
        return rc;
    }
    *out = v;
    return DOGE_OK;
}

int doge_verifier_parse(doge_verifier **out, const char *text)
{
    if (!out || !text)
        return doge__error_set(DOGE_EINVAL, "doge_verifier_parse: NULL argument");
    *out = NULL;
    size_t len = strnlen(text, KEY_TEXT_MAX + 1);
    if (len > KEY_TEXT_MAX)
        return doge__error_set(DOGE_EINVAL, "verifier key: longer than %d bytes", KEY_TEXT_MAX);
    const char *p1 = strchr(text, '+');
    if (!p1)
        return doge__error_set(DOGE_EINVAL,
                               "verifier key '%.200s': expected <name>+<key ID>+<key>", text);
    size_t name_len = (size_t)(p1 - text);
    const char *why;
    if (!doge__key_name_valid(text, name_len, &why))
        return doge__error_set(DOGE_EINVAL, "verifier key '%.200s': name %s", text, why);
    const char *h = p1 + 1;
    const char *p2 = strchr(h, '+');
    uint32_t hash;
    if (!p2 || parse_hash(h, (size_t)(p2 - h), &hash) != 0)
        return doge__error_set(DOGE_EINVAL,
                               "verifier key '%.200s': key ID is not 8 lowercase hex digits", text);
    const char *k = p2 + 1;
    size_t klen = strlen(k);
    uint8_t raw[KEY_TEXT_MAX];
    size_t rawlen = 0;
    if (klen == 0 || doge__b64_decode(raw, &rawlen, k, klen) != 0)
        return doge__error_set(DOGE_EINVAL,
                               "verifier key '%.200s': key data '%.100s' is not canonical base64",
                               text, k);
    if (rawlen < 1 || !type_known(raw[0]))
        return doge__error_set(DOGE_EINVAL, "verifier key '%.200s': unknown key type 0x%02x", text,
                               rawlen ? (unsigned)raw[0] : 0u);
    if (rawlen != 1 + DOGE_ED25519_PUBLIC_SIZE)
        return doge__error_set(DOGE_EINVAL, "verifier key '%.200s': key data is %zu bytes, want %d",
                               text, rawlen, 1 + DOGE_ED25519_PUBLIC_SIZE);
    char *nm = dup_n(text, name_len);
    if (!nm)
        return doge__error_oom();
    doge_verifier *v = NULL;
    int rc = doge_verifier_new(&v, nm, (doge_key_type)raw[0], raw + 1);
    free(nm);
    if (rc)
        return rc;
    if (v->hash != hash) {
        rc = doge__error_set(DOGE_EINVAL,
                             "verifier key '%.200s': key ID %08x does not match the key (want %08x)",
                             text, (unsigned)hash, (unsigned)v->hash);
        doge_verifier_free(v);
        return rc;
    }
    *out = v;
    return DOGE_OK;
}

int doge_verifier_format(const doge_verifier *v, char **out)
{
    if (!v || !out)
        return doge__error_set(DOGE_EINVAL, "doge_verifier_format: NULL argument");
    uint8_t raw[1 + DOGE_ED25519_PUBLIC_SIZE];
    char b64[DOGE__B64_LEN(sizeof raw) + 1];
    raw[0] = (uint8_t)v->type;
    memcpy(raw + 1, v->pub, DOGE_ED25519_PUBLIC_SIZE);
    doge__b64_encode(b64, raw, sizeof raw);
    size_t n = strlen(v->name) + 1 + 8 + 1 + strlen(b64) + 1;
    char *t = malloc(n);
    if (!t)
        return doge__error_oom();
    snprintf(t, n, "%s+%08x+%s", v->name, (unsigned)v->hash, b64);
    *out = t;
    return DOGE_OK;
}

int doge_verifier_dup(const doge_verifier *v, doge_verifier **out)
{
    if (!v || !out)
        return doge__error_set(DOGE_EINVAL, "doge_verifier_dup: NULL argument");
    return doge_verifier_new(out, v->name, v->type, v->pub);
}

int doge_verifier_verify(const doge_verifier *v, const void *msg, size_t len,
                         const uint8_t *sig, size_t sig_len)
{
    if (!v || (!msg && len) || (!sig && sig_len))
        return doge__error_set(DOGE_EINVAL, "doge_verifier_verify: NULL argument");
    if (sig_len != DOGE_ED25519_SIG_SIZE)
        return doge__error_set(DOGE_EVERIFY, "key '%s+%08x': signature is %zu bytes, want %d",
                               v->name, (unsigned)v->hash, sig_len, DOGE_ED25519_SIG_SIZE);
    static const uint8_t empty = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return doge__error_oom();
    int rc;
    if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, v->pkey) != 1) {
        rc = doge__error_set(DOGE_ECRYPTO, "key '%s+%08x': libcrypto could not start verification",
                             v->name, (unsigned)v->hash);
    } else if (EVP_DigestVerify(ctx, sig, sig_len, len ? msg : &empty, len) == 1) {
        rc = DOGE_OK;
    } else {
        rc = doge__error_set(DOGE_EVERIFY, "key '%s+%08x': signature does not verify", v->name,
                             (unsigned)v->hash);
    }
    EVP_MD_CTX_free(ctx);
    return rc;
}

int doge_verifier_equal(const doge_verifier *a, const doge_verifier *b)
{
    if (!a || !b)
        return a == b;
    return a->type == b->type && strcmp(a->name, b->name) == 0 &&
           memcmp(a->pub, b->pub, sizeof a->pub) == 0;
}

const char *doge_verifier_name(const doge_verifier *v) { return v ? v->name : NULL; }
uint32_t doge_verifier_key_hash(const doge_verifier *v) { return v ? v->hash : 0; }
doge_key_type doge_verifier_type(const doge_verifier *v) { return v ? v->type : DOGE_KEY_ED25519; }
const uint8_t *doge_verifier_public_key(const doge_verifier *v) { return v ? v->pub : NULL; }

void doge_verifier_free(doge_verifier *v)
{
    if (!v)
        return;
    EVP_PKEY_free(v->pkey);
    free(v->name);
    free(v);
}
