/*
 * text.c — the byte-level text rules under the note formats: strict standard
 * base64 (RFC 4648 section 4, padded, canonical), UTF-8 validation, the
 * signed-note key-name rules, the note key ID (SHA-256 of name, newline, type
 * byte and key, first four bytes), the tlog-cosignature v1 signed message and
 * big-endian integer helpers. See id_internal.h for each contract.
 */
#include "id_internal.h"
#include "internal.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t doge__b64_encode(char *out, const void *in, size_t len)
{
    const uint8_t *p = in;
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        out[o++] = b64_alphabet[v >> 18 & 63];
        out[o++] = b64_alphabet[v >> 12 & 63];
        out[o++] = b64_alphabet[v >> 6 & 63];
        out[o++] = b64_alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        out[o++] = b64_alphabet[v >> 18 & 63];
        out[o++] = b64_alphabet[v >> 12 & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
        out[o++] = b64_alphabet[v >> 18 & 63];
        out[o++] = b64_alphabet[v >> 12 & 63];
        out[o++] = b64_alphabet[v >> 6 & 63];
        out[o++] = '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int doge__b64_decode(uint8_t *out, size_t *out_len, const char *in, size_t len)
{
    if (len % 4 != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int last = i + 4 == len;
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)in[i + (size_t)k];
            if (c == '=' && last && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad) /* a data character after '=' */
                return -1;
            v[k] = b64_value(c);
            if (v[k] < 0)
                return -1;
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if (pad == 2 && (w & 0xffff) != 0)
            return -1; /* non-zero unused bits: not canonical */
        if (pad == 1 && (w & 0xff) != 0)
            return -1;
        out[o++] = (uint8_t)(w >> 16);
        if (pad < 2)
            out[o++] = (uint8_t)(w >> 8);
        if (pad < 1)
            out[o++] = (uint8_t)w;
    }
    *out_len = o;
    return 0;
}

/* Decodes one UTF-8 sequence at s[i..len); returns its length (0 if invalid)
 * and the code point in *cp. */
static size_t utf8_next(const unsigned char *s, size_t i, size_t len, uint32_t *cp)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len - i < n)
        return 0;
    for (size_t k = 1; k < n; k++) {
        unsigned char d = s[i + k];
        if ((d & 0xc0) != 0x80)
            return 0;
        v = v << 6 | (d & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

int doge__utf8_valid(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_next(u, i, len, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

int doge__note_text_valid(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *u = (const unsigned char *)s;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_next(u, i, len, &cp);
        if (n == 0 || (cp < 0x20 && cp != '\n')) {
            if (bad_at)
                *bad_at = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

/* The Unicode White_Space code points (those Go's unicode.IsSpace reports). */
static int is_unicode_space(uint32_t cp)
{
    switch (cp) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20:
    case 0x85: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202f: case 0x205f: case 0x3000:
        return 1;
    default:
        return cp >= 0x2000 && cp <= 0x200a;
    }
}

int doge__key_name_valid(const char *name, size_t len, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (len == 0) {
        *why = "is empty";
        return 0;
    }
    const unsigned char *u = (const unsigned char *)name;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_next(u, i, len, &cp);
        if (n == 0) {
            *why = "is not valid UTF-8";
            return 0;
        }
        if (cp == '+') {
            *why = "contains '+'";
            return 0;
        }
        if (is_unicode_space(cp)) {
            *why = "contains a space";
            return 0;
        }
        if (cp < 0x20) {
            *why = "contains a control character";
            return 0;
        }
        i += n;
    }
    return 1;
}

int doge__key_hash(const char *name, size_t name_len, uint8_t type,
                   const uint8_t *key, size_t key_len, uint32_t *out)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return doge__error_oom();
    int ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(ctx, name, name_len) == 1 &&
             EVP_DigestUpdate(ctx, "\n", 1) == 1 &&
             EVP_DigestUpdate(ctx, &type, 1) == 1 &&
             EVP_DigestUpdate(ctx, key, key_len) == 1 &&
             EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return doge__error_set(DOGE_ECRYPTO, "SHA-256 of the key ID failed in libcrypto");
    *out = doge__get_be32(md);
    return DOGE_OK;
}

int doge__cosignature_message(uint8_t **out, size_t *out_len, const char *body,
                              size_t body_len, uint64_t timestamp)
{
    if (timestamp > DOGE__COSIG_MAX_TIME)
        return doge__error_set(DOGE_ERANGE,
                               "cosignature timestamp %llu exceeds 2^63 - 1",
                               (unsigned long long)timestamp);
    char head[64];
    int n = snprintf(head, sizeof head, "cosignature/v1\ntime %llu\n",
                     (unsigned long long)timestamp);
    if (n < 0 || (size_t)n >= sizeof head)
        return doge__error_set(DOGE_ERROR, "cosignature header did not fit");
    if (body_len > SIZE_MAX - (size_t)n)
        return doge__error_set(DOGE_ERANGE, "cosigned body is too large");
    uint8_t *m = malloc((size_t)n + body_len + 1);
    if (!m)
        return doge__error_oom();
    memcpy(m, head, (size_t)n);
    if (body_len)
        memcpy(m + n, body, body_len);
    *out = m;
    *out_len = (size_t)n + body_len;
    return DOGE_OK;
}

void doge__put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void doge__put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--) {
        p[i] = (uint8_t)v;
        v >>= 8;
    }
}

uint32_t doge__get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t doge__get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}
