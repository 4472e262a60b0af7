/*
 * token.c — bearer tokens for the API of doge serve: 256 random bits shown
 * once as "doge_" + hex, stored only as their SHA-256 (hex) with a role and
 * a label in the api_token table; checked by hashing what a client presents
 * and looking that up; listed without secrets; revoked by id.
 */
#include "doge/token.h"
#include "internal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
    const char *name;
    int role;
} roles[] = {{"admin", DOGE_TOKEN_ADMIN},
             {"reviewer", DOGE_TOKEN_REVIEWER},
             {"department", DOGE_TOKEN_DEPARTMENT}};

int doge_token_role_parse(const char *s, int *role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (s && strcmp(s, roles[i].name) == 0) {
            *role = roles[i].role;
            return DOGE_OK;
        }
    return doge__error_set(DOGE_EINVAL, "unknown role '%s' (admin, reviewer or department)",
                           s ? s : "");
}

const char *doge_token_role_name(int role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (roles[i].role == role)
            return roles[i].name;
    return "unknown";
}

static void hex(const uint8_t *h, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hash_token(const char *token, size_t len, char out[65])
{
    uint8_t h[32];
    if (EVP_Digest(token, len, h, NULL, EVP_sha256(), NULL) != 1)
        return doge__error_set(DOGE_ECRYPTO, "token: SHA-256 failed");
    hex(h, 32, out);
    return DOGE_OK;
}

int doge_token_new(doge_store *st, int role, const char *name, char out[DOGE_TOKEN_LEN + 1],
                   int64_t *id)
{
    if (strcmp(doge_token_role_name(role), "unknown") == 0)
        return doge__error_set(DOGE_EINVAL, "token: unknown role %d", role);
    if (!name)
        name = "";
    if (strlen(name) >= sizeof ((doge_token_info *)0)->name)
        return doge__error_set(DOGE_EINVAL, "token: the name is longer than 127 bytes");
    uint8_t raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return doge__error_set(DOGE_ECRYPTO, "token: no random bytes");
    memcpy(out, "doge_", 5);
    hex(raw, sizeof raw, out + 5);
    OPENSSL_cleanse(raw, sizeof raw);
    char h[65];
    int64_t next = 0;
    int rc = hash_token(out, DOGE_TOKEN_LEN, h);
    if (rc || (rc = doge_store_begin(st)))
        return rc;
    doge_stmt *s = NULL;
    if ((rc = doge_store_query_int64(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM api_token", NULL,
                                     &next)) ||
        (rc = doge_store_prepare(st, &s,
                                 "INSERT INTO api_token (id, token_sha256, role, name, created_at)"
                                 " VALUES (?, ?, ?, ?, ?)")))
        goto fail;
    doge_stmt_bind_int64(s, 1, next);
    doge_stmt_bind_text(s, 2, h, -1);
    doge_stmt_bind_text(s, 3, doge_token_role_name(role), -1);
    doge_stmt_bind_text(s, 4, name, -1);
    doge_stmt_bind_int64(s, 5, (int64_t)time(NULL));
    if ((rc = doge_stmt_step(s)) < 0)
        goto fail;
    doge_stmt_free(s);
    s = NULL;
    if ((rc = doge_store_commit(st)))
        goto fail;
    if (id)
        *id = next;
    return DOGE_OK;
fail:
    doge_stmt_free(s);
    doge_store_rollback(st);
    OPENSSL_cleanse(out, DOGE_TOKEN_LEN + 1);
    return rc;
}

int doge_token_check(doge_store *st, const char *token, size_t len, int *role)
{
    *role = 0;
    if (len != DOGE_TOKEN_LEN || memcmp(token, "doge_", 5) != 0)
        return doge__error_set(DOGE_ENOTFOUND, "not a doge token");
    char h[65];
    int rc = hash_token(token, len, h);
    doge_stmt *s;
    if (rc || (rc = doge_store_prepare(st, &s,
                                       "SELECT role FROM api_token WHERE token_sha256 = ?"
                                       " AND revoked_at IS NULL")))
        return rc;
    doge_stmt_bind_text(s, 1, h, -1);
    rc = doge_stmt_step(s);
    if (rc == 1)
        rc = doge_token_role_parse(doge_stmt_text(s, 0), role);
    else if (rc == 0)
        rc = doge__error_set(DOGE_ENOTFOUND, "no such token (never issued, or revoked)");
    doge_stmt_free(s);
    return rc;
}

int doge_token_list(doge_store *st, doge_token_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT id, role, name, token_sha256, created_at,"
                                " COALESCE(revoked_at, 0) FROM api_token ORDER BY id");
    if (rc)
        return rc;
    size_t cap = 0;
    doge_token_info *v = NULL;
    while ((rc = doge_stmt_step(s)) == 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            doge_token_info *nv = realloc(v, cap * sizeof *nv);
            if (!nv) {
                rc = doge__error_oom();
                break;
            }
            v = nv;
        }
        doge_token_info *t = &v[(*n)++];
        memset(t, 0, sizeof *t);
        t->id = doge_stmt_int64(s, 0);
        if (doge_token_role_parse(doge_stmt_text(s, 1), &t->role) != DOGE_OK)
            t->role = 0;
        snprintf(t->name, sizeof t->name, "%s", doge_stmt_text(s, 2));
        snprintf(t->sha256_prefix, sizeof t->sha256_prefix, "%s", doge_stmt_text(s, 3));
        t->created_at = doge_stmt_int64(s, 4);
        t->revoked_at = doge_stmt_int64(s, 5);
    }
    doge_stmt_free(s);
    if (rc < 0) {
        free(v);
        *n = 0;
        return rc;
    }
    *out = v;
    return DOGE_OK;
}

int doge_token_revoke(doge_store *st, int64_t id, int64_t now)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "UPDATE api_token SET revoked_at = ? WHERE id = ?"
                                " AND revoked_at IS NULL");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, now);
    doge_stmt_bind_int64(s, 2, id);
    rc = doge_stmt_step(s);
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    if (doge_store_changes(st) != 1)
        return doge__error_set(DOGE_ENOTFOUND, "no valid token with id %lld", (long long)id);
    return DOGE_OK;
}
