/*
 * doge/token.h — bearer tokens for doge serve's API: `doge token new`
 * makes a random token for a role (admin, reviewer, department), shows it
 * once and keeps only its SHA-256 in the store (the api_token table), so a
 * copy of the database does not let anyone call the API; tokens are listed
 * without their secret and revoked by id. The server checks a presented
 * token by hashing it and looking the hash up.
 *
 * Ownership: the store is borrowed; doge_token_list() returns a malloc'd
 * array the caller frees with free().
 */
#ifndef DOGE_TOKEN_H
#define DOGE_TOKEN_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Roles, as bit flags so that a route can allow several. */
enum {
    DOGE_TOKEN_ADMIN = 1,
    DOGE_TOKEN_REVIEWER = 2,
    DOGE_TOKEN_DEPARTMENT = 4
};

/* "doge_" and 64 lowercase hex digits (256 random bits). */
#define DOGE_TOKEN_LEN 69

/* The role named s ("admin", "reviewer", "department"); DOGE_EINVAL else. */
DOGE_EXTERN int doge_token_role_parse(const char *s, int *role);

/* The name of a role ("admin", ...), "unknown" for anything else. Static. */
DOGE_EXTERN const char *doge_token_role_name(int role);

/* Makes a token for role with a label name (may be ""), stores its hash and
 * writes the token itself, NUL-terminated, to out; *id (may be NULL) gets
 * its id for doge_token_revoke(). */
DOGE_EXTERN int doge_token_new(doge_store *st, int role, const char *name,
                               char out[DOGE_TOKEN_LEN + 1], int64_t *id);

/* The role of a presented token (len bytes): DOGE_OK and *role when it was
 * issued and not revoked, DOGE_ENOTFOUND when not. */
DOGE_EXTERN int doge_token_check(doge_store *st, const char *token, size_t len, int *role);

typedef struct doge_token_info {
    int64_t id;
    int role;
    char name[128];
    char sha256_prefix[13]; /* the first 12 hex digits of its hash, to tell tokens apart */
    int64_t created_at;     /* unix seconds */
    int64_t revoked_at;     /* 0 while valid */
} doge_token_info;

/* Every token ever issued, oldest first. */
DOGE_EXTERN int doge_token_list(doge_store *st, doge_token_info **out, size_t *n);

/* Revokes token id (at unix time now); DOGE_ENOTFOUND when there is no such
 * valid token. */
DOGE_EXTERN int doge_token_revoke(doge_store *st, int64_t id, int64_t now);

#ifdef __cplusplus
}
#endif
#endif
