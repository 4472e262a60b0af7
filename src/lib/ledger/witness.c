/*
 * witness.c — the tlog-witness add-checkpoint decision: parse the request,
 * check the log's signature (unknown origin 404, no valid signature 403),
 * the old size (400 if above the new size, 409 if not the size last
 * cosigned), the consistency proof (422) or equal roots at equal sizes
 * (409), then record the new state and cosign, all inside one store
 * transaction so two racing requests cannot roll the state back.
 */
#include "doge/witness.h"
#include "doge/checkpoint.h"
#include "doge/merkle.h"
#include "doge/note.h"
#include "id/id_internal.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HS DOGE_MERKLE_HASH_SIZE

void doge_witness_result_dispose(doge_witness_result *res)
{
    if (!res)
        return;
    free(res->cosignature);
    res->cosignature = NULL;
    res->cosignature_len = 0;
}

int doge_witness_latest(doge_store *st, const char *origin, int64_t *size, uint8_t root[32])
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, "SELECT size, root FROM witness_log WHERE origin = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, origin, -1);
    rc = doge_stmt_step(s);
    if (rc == 1) {
        *size = doge_stmt_int64(s, 0);
        if (doge_stmt_bytes(s, 1) != HS) {
            rc = doge__error_set(DOGE_EDB, "witness state for '%s' has a bad root", origin);
        } else {
            memcpy(root, doge_stmt_blob(s, 1), HS);
            rc = DOGE_OK;
        }
    } else if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND, "this witness has cosigned nothing for '%s'", origin);
    }
    doge_stmt_free(s);
    return rc;
}

static int decide(doge_witness_result *res, int status, const char *fmt, const char *arg)
{
    /* arg may be doge_error_last() itself: copy it before the buffer is
     * rewritten (formatting a buffer into itself garbles the message). */
    char copy[1024];
    snprintf(copy, sizeof copy, "%s", arg);
    res->status = status;
    doge__error_set(DOGE_EVERIFY, fmt, copy);
    return DOGE_OK;
}

static int parse_old(const char *line, size_t ll, int64_t *old)
{
    if (ll < 5 || memcmp(line, "old ", 4) != 0)
        return -1;
    const char *s = line + 4;
    size_t n = ll - 4;
    if (n > 18 || (s[0] == '0' && n > 1))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *old = v;
    return 0;
}

int doge_witness_add_checkpoint(doge_store *st, const doge_signer *witness,
                                const doge_witness_log *logs, size_t nlogs, const char *body,
                                size_t len, uint64_t now, doge_witness_result *res)
{
    memset(res, 0, sizeof *res);
    if (doge_signer_type(witness) != DOGE_KEY_COSIGNATURE_V1)
        return doge__error_set(DOGE_EINVAL, "witness key '%s' is not a cosignature/v1 key",
                               doge_signer_name(witness));
    /* The request: "old N\n", up to 63 hashes, "\n", the checkpoint. */
    uint8_t proof[63 * HS];
    size_t nproof = 0, pos = 0;
    int64_t old = -1;
    const char *nl = memchr(body, '\n', len);
    if (!nl || parse_old(body, (size_t)(nl - body), &old) != 0)
        return decide(res, 400, "%s", "request: the first line must be 'old N'");
    pos = (size_t)(nl - body) + 1;
    for (;;) {
        nl = pos < len ? memchr(body + pos, '\n', len - pos) : NULL;
        if (!nl)
            return decide(res, 400, "%s", "request: no empty line before the checkpoint");
        size_t ll = (size_t)(nl - (body + pos));
        if (ll == 0) {
            pos++;
            break;
        }
        size_t got;
        uint8_t h[HS + 3];
        if (nproof == 63)
            return decide(res, 400, "%s", "request: more than 63 consistency proof lines");
        if (ll != DOGE__B64_LEN(HS) || doge__b64_decode(h, &got, body + pos, ll) != 0 || got != HS)
            return decide(res, 400, "%s", "request: a proof line is not a base64 SHA-256 hash");
        memcpy(proof + nproof++ * HS, h, HS);
        pos += ll + 1;
    }
    const char *note_text = body + pos;
    size_t note_len = len - pos;
    doge_note *note = NULL;
    doge_checkpoint *cp = NULL;
    if (doge_note_parse(&note, note_text, note_len) != DOGE_OK)
        return decide(res, 400, "request: %s", doge_error_last());
    size_t blen;
    const char *cbody = doge_note_text(note, &blen);
    if (doge_checkpoint_parse(&cp, cbody, blen) != DOGE_OK) {
        doge_note_free(note);
        return decide(res, 400, "request: %s", doge_error_last());
    }
    const char *origin = doge_checkpoint_origin(cp);
    const doge_verifier *keys[64];
    size_t nkeys = 0;
    for (size_t i = 0; i < nlogs && nkeys < 64; i++)
        if (strcmp(logs[i].origin, origin) == 0)
            keys[nkeys++] = logs[i].key;
    int rc = DOGE_OK;
    int64_t size = (int64_t)doge_checkpoint_size(cp);
    if (nkeys == 0) {
        rc = decide(res, 404, "this witness does not follow the log '%s'", origin);
        goto done;
    }
    if (doge_note_verify(note, keys, nkeys) != DOGE_OK) {
        rc = decide(res, 403, "checkpoint for '%s' carries no valid signature of the log's key",
                    origin);
        goto done;
    }
    if (old > size) {
        rc = decide(res, 400, "request: old size is above the checkpoint's size (%s)", origin);
        goto done;
    }
    if ((rc = doge_store_begin(st)))
        goto done;
    int64_t last = 0;
    uint8_t last_root[HS];
    int have = 1;
    rc = doge_witness_latest(st, origin, &last, last_root);
    if (rc == DOGE_ENOTFOUND) {
        have = 0;
        last = 0;
        rc = DOGE_OK;
    }
    if (rc)
        goto rollback;
    if (old != last) {
        res->latest_size = last;
        decide(res, 409, "old size does not match the last cosigned size for '%s'", origin);
        goto rollback;
    }
    const uint8_t *root = doge_checkpoint_root(cp);
    if (old == 0 && nproof != 0) {
        decide(res, 422, "request: the consistency proof must be empty from size 0 (%s)", origin);
        goto rollback;
    }
    if (have && old == size) {
        if (memcmp(root, last_root, HS) != 0 || nproof != 0) {
            res->latest_size = last;
            decide(res, 409, "a different tree of the same size: '%s' has forked", origin);
            goto rollback;
        }
    } else if (have && old > 0 &&
               doge_merkle_check_tree(proof, nproof, size, root, old, last_root) != DOGE_OK) {
        decide(res, 422, "the consistency proof from the last cosigned size does not verify (%s)",
               origin);
        goto rollback;
    }
    /* Record, then cosign, then commit: persisted before anyone sees it. */
    doge_stmt *s;
    const char *sql = have ? "UPDATE witness_log SET size = ?, root = ?, checkpoint = ?,"
                             " updated_at = ? WHERE origin = ? AND size = ?"
                           : "INSERT INTO witness_log (size, root, checkpoint, updated_at, origin)"
                             " VALUES (?, ?, ?, ?, ?)";
    if ((rc = doge_store_prepare(st, &s, sql)))
        goto rollback;
    doge_stmt_bind_int64(s, 1, size);
    doge_stmt_bind_blob(s, 2, root, HS);
    doge_stmt_bind_text(s, 3, note_text, (ptrdiff_t)note_len);
    doge_stmt_bind_int64(s, 4, (int64_t)now);
    doge_stmt_bind_text(s, 5, origin, -1);
    if (have)
        doge_stmt_bind_int64(s, 6, last);
    rc = doge_stmt_step(s);
    doge_stmt_free(s);
    if (rc < 0)
        goto rollback;
    if (doge_store_changes(st) != 1) {
        rc = doge__error_set(DOGE_ECONFLICT, "witness state for '%s' changed underneath", origin);
        goto rollback;
    }
    if ((rc = doge_cosignature_sign(&res->cosignature, &res->cosignature_len, witness, cbody, blen,
                                    now)))
        goto rollback;
    if ((rc = doge_store_commit(st))) {
        doge_witness_result_dispose(res);
        goto rollback;
    }
    res->status = 200;
    rc = DOGE_OK;
    goto done;
rollback:
    doge_store_rollback(st);
done:
    doge_checkpoint_free(cp);
    doge_note_free(note);
    return rc;
}
