/*
 * proof.c — parses and verifies c2sp.org/tlog-proof@v1 texts: the entry's
 * leaf hash and inclusion proof are checked against the root of the carried
 * checkpoint, and the checkpoint against a tlog-policy.
 */
#include "doge/proof.h"
#include "doge/checkpoint.h"
#include "doge/merkle.h"
#include "id/id_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define HS DOGE_MERKLE_HASH_SIZE

struct doge_proof {
    int64_t index;
    uint8_t hashes[DOGE_MERKLE_MAX_PROOF * HS];
    size_t nhashes;
    uint8_t *extra;
    size_t extra_len;
    char *checkpoint;
    size_t checkpoint_len;
};

static const char magic[] = "c2sp.org/tlog-proof@v1";

static int parse_decimal(const char *s, size_t len, int64_t *out)
{
    if (len == 0 || len > 18 || (s[0] == '0' && len > 1))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int doge_proof_parse(doge_proof **out, const char *text, size_t len)
{
    *out = NULL;
    doge_proof *p = calloc(1, sizeof *p);
    if (!p)
        return doge__error_oom();
    size_t pos = 0, lineno = 0;
    int rc = DOGE_OK, state = 0; /* 0 magic, 1 extra/index, 2 hashes */
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        lineno++;
        if (!nl) {
            rc = doge__error_set(DOGE_EINVAL, "tlog-proof line %zu: no newline before the end",
                                 lineno);
            goto fail;
        }
        size_t ll = (size_t)(nl - line);
        pos += ll + 1;
        if (state == 0) {
            if (ll != sizeof magic - 1 || memcmp(line, magic, ll) != 0) {
                rc = doge__error_set(DOGE_EINVAL, "tlog-proof line 1: expected '%s'", magic);
                goto fail;
            }
            state = 1;
        } else if (state == 1 && lineno == 2 && ll > 6 && memcmp(line, "extra ", 6) == 0) {
            size_t b64 = ll - 6;
            if (!(p->extra = malloc(b64 / 4 * 3 + 1)) ||
                doge__b64_decode(p->extra, &p->extra_len, line + 6, b64) != 0) {
                rc = p->extra ? doge__error_set(DOGE_EINVAL,
                                                "tlog-proof line 2: extra data is not base64")
                              : doge__error_oom();
                goto fail;
            }
        } else if (state == 1) {
            if (ll < 7 || memcmp(line, "index ", 6) != 0 ||
                parse_decimal(line + 6, ll - 6, &p->index) != 0) {
                rc = doge__error_set(DOGE_EINVAL,
                                     "tlog-proof line %zu: expected 'index N' (decimal, no leading "
                                     "zeros)",
                                     lineno);
                goto fail;
            }
            state = 2;
        } else if (ll == 0) {
            /* The rest is the checkpoint, verbatim. */
            p->checkpoint_len = len - pos;
            if (!(p->checkpoint = malloc(p->checkpoint_len + 1))) {
                rc = doge__error_oom();
                goto fail;
            }
            memcpy(p->checkpoint, text + pos, p->checkpoint_len);
            p->checkpoint[p->checkpoint_len] = '\0';
            *out = p;
            return DOGE_OK;
        } else {
            size_t got;
            uint8_t h[HS + 3];
            if (p->nhashes == DOGE_MERKLE_MAX_PROOF) {
                rc = doge__error_set(DOGE_EINVAL, "tlog-proof line %zu: more than %d proof hashes",
                                     lineno, DOGE_MERKLE_MAX_PROOF);
                goto fail;
            }
            if (ll != DOGE__B64_LEN(HS) || doge__b64_decode(h, &got, line, ll) != 0 || got != HS) {
                rc = doge__error_set(DOGE_EINVAL,
                                     "tlog-proof line %zu: not a base64 SHA-256 hash", lineno);
                goto fail;
            }
            memcpy(p->hashes + p->nhashes++ * HS, h, HS);
        }
    }
    rc = doge__error_set(DOGE_EINVAL, "tlog-proof: %s",
                         state < 2 ? "ends before its index line"
                                   : "no empty line and checkpoint after the proof hashes");
fail:
    doge_proof_free(p);
    return rc;
}

void doge_proof_free(doge_proof *p)
{
    if (!p)
        return;
    free(p->extra);
    free(p->checkpoint);
    free(p);
}

int64_t doge_proof_index(const doge_proof *p) { return p->index; }
size_t doge_proof_hash_count(const doge_proof *p) { return p->nhashes; }
const char *doge_proof_checkpoint(const doge_proof *p, size_t *len)
{
    if (len)
        *len = p->checkpoint_len;
    return p->checkpoint;
}
const uint8_t *doge_proof_extra(const doge_proof *p, size_t *len)
{
    if (len)
        *len = p->extra_len;
    return p->extra;
}

int doge_proof_verify(const doge_proof *p, const void *entry, size_t len, const doge_policy *policy,
                      int64_t *size, size_t *cosigners)
{
    doge_checkpoint *cp;
    size_t ncos = 0;
    int rc = doge_policy_check(policy, p->checkpoint, p->checkpoint_len, &cp, &ncos);
    if (rc)
        return doge__error_prefix("tlog-proof checkpoint");
    int64_t tsize = (int64_t)doge_checkpoint_size(cp);
    uint8_t leaf[HS];
    if ((rc = doge_merkle_leaf_hash(entry, len, leaf)) == DOGE_OK &&
        doge_merkle_check_record(p->hashes, p->nhashes, tsize, doge_checkpoint_root(cp), p->index,
                                 leaf) != DOGE_OK)
        rc = doge__error_set(DOGE_EVERIFY,
                             "tlog-proof: the entry is not at index %lld of the tree of size %lld "
                             "signed by '%s'",
                             (long long)p->index, (long long)tsize, doge_checkpoint_origin(cp));
    doge_checkpoint_free(cp);
    if (rc == DOGE_OK) {
        if (size)
            *size = tsize;
        if (cosigners)
            *cosigners = ncos;
    }
    return rc;
}
