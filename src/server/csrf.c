/*
 * csrf.c — cross-site request forgery protection of the reply form. The
 * form page sets a random nonce as a SameSite=Strict, HttpOnly cookie and
 * puts HMAC-SHA256(key, pulse token "." nonce) in a hidden field; a POST
 * must bring the cookie, the field, and a field that matches them for its
 * own pulse token (so a token cannot be replayed for another employee), and
 * when the browser says where it comes from (Origin, Sec-Fetch-Site), that
 * must be this server. The key is 32 random bytes kept in the workspace
 * store (meta 'serve.csrf_key'), made on the first start.
 */
#include "server.h"

#include "internal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void to_hex(const uint8_t *h, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[2 * n] = '\0';
}

static int from_hex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < 2 * n; i++) {
        int c = s[i], v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            out[i / 2] = (uint8_t)(v << 4);
        else
            out[i / 2] |= (uint8_t)v;
    }
    return 0;
}

int doge__srv_csrf_load(doge_srv *srv, doge_workspace *ws)
{
    doge_store *st = doge_workspace_store(ws);
    uint8_t key[32];
    char hex[65];
    if (RAND_bytes(key, sizeof key) != 1)
        return doge__error_set(DOGE_ECRYPTO, "serve: no random bytes");
    to_hex(key, sizeof key, hex);
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "INSERT INTO meta (key, value) VALUES ('serve.csrf_key', ?)"
                                " ON CONFLICT (key) DO NOTHING");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, hex, -1);
    rc = doge_stmt_step(s);
    doge_stmt_free(s);
    if (rc < 0 || (rc = doge_store_prepare(st, &s, "SELECT value FROM meta WHERE key = "
                                                    "'serve.csrf_key'")))
        return rc;
    rc = doge_stmt_step(s);
    if (rc == 1)
        rc = from_hex(doge_stmt_text(s, 0), srv->csrf_key, sizeof srv->csrf_key) == 0
                 ? DOGE_OK
                 : doge__error_set(DOGE_EDB, "serve: the stored CSRF key is malformed");
    else if (rc == 0)
        rc = doge__error_set(DOGE_EDB, "serve: no CSRF key stored");
    doge_stmt_free(s);
    OPENSSL_cleanse(key, sizeof key);
    return rc;
}

static int mac(const doge_srv *srv, const char *token, const char *nonce, char out[65])
{
    char msg[256];
    uint8_t h[32];
    unsigned hl = 0;
    int n = snprintf(msg, sizeof msg, "pulse-form.%s.%s", token, nonce);
    if (n < 0 || (size_t)n >= sizeof msg ||
        !HMAC(EVP_sha256(), srv->csrf_key, sizeof srv->csrf_key, (const unsigned char *)msg,
              (size_t)n, h, &hl) ||
        hl != 32)
        return -1;
    to_hex(h, 32, out);
    return 0;
}

int doge__srv_csrf_make(const doge_srv *srv, const char *token, char nonce[33], char field[65])
{
    uint8_t r[16];
    if (RAND_bytes(r, sizeof r) != 1)
        return -1;
    to_hex(r, sizeof r, nonce);
    return mac(srv, token, nonce, field);
}

/* The value of cookie name in a Cookie header ("" when absent). */
static void cookie_value(const char *h, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *p = h; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl < cap) {
                memcpy(out, p + nl + 1, vl);
                out[vl] = '\0';
            }
            return;
        }
        p = end;
    }
}

/* Origin of a URL: scheme://host[:port], into out. */
static void origin_of(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    const char *end = p ? strchr(p + 3, '/') : NULL;
    size_t len = end ? (size_t)(end - url) : strlen(url);
    snprintf(out, cap, "%.*s", (int)len, url);
}

const char *doge__srv_csrf_check(const doge_srv *srv, const doge_srv_req *req, const char *token,
                                 const char *field)
{
    const char *site = req->header(req->header_cls, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
        return "the form was sent from another site";
    const char *origin = req->header(req->header_cls, "Origin");
    if (origin) {
        const char *host = req->header(req->header_cls, "Host");
        char mine[512] = "", pub[512] = "";
        if (host)
            snprintf(mine, sizeof mine, "http://%s", host);
        if (srv->public_url)
            origin_of(srv->public_url, pub, sizeof pub);
        if (strcmp(origin, mine) != 0 && (!*pub || strcasecmp(origin, pub) != 0))
            return "the form was sent from another origin";
    }
    const char *cookies = req->header(req->header_cls, "Cookie");
    char nonce[64], want[65];
    cookie_value(cookies, "doge_csrf", nonce, sizeof nonce);
    if (!*nonce || !field || strlen(field) != 64)
        return "the form's security check is missing: open the link from the mail again";
    if (mac(srv, token, nonce, want) != 0 || CRYPTO_memcmp(want, field, 64) != 0)
        return "the form's security check does not match: open the link from the mail again";
    return NULL;
}
