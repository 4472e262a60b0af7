/*
 * log_read.c — reading a committed log: entries by index, tree heads of
 * earlier sizes, inclusion and consistency proofs, the c2sp.org/tlog-proof@v1
 * text for an entry, the tlog-witness add-checkpoint request body, and
 * attaching witness cosignatures to the published checkpoint.
 */
#include "doge/checkpoint.h"
#include "doge/buf.h"
#include "doge/note.h"
#include "id/id_internal.h"
#include "internal.h"
#include "ledger_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HS DOGE_MERKLE_HASH_SIZE

static int check_size(const doge_ledger *l, int64_t size, const char *what)
{
    if (size < 0 || size > l->size)
        return doge__error_set(DOGE_ERANGE, "%s %lld is beyond the log's size %lld", what,
                               (long long)size, (long long)l->size);
    return DOGE_OK;
}

int doge_ledger_get(doge_ledger *l, int64_t index, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (index < 0 || index >= l->size)
        return doge__error_set(DOGE_ENOTFOUND, "entry %lld is not in the log (size %lld)",
                               (long long)index, (long long)l->size);
    int64_t tn = index / 256;
    int width = doge__ledger_tile_width(DOGE_TILE_LEVEL_ENTRIES, tn, l->size);
    uint8_t *bundle;
    size_t blen;
    int rc = doge__ledger_read_bundle(l, tn, width, &bundle, &blen);
    if (rc)
        return rc;
    doge_tile_entry ents[256];
    size_t count;
    rc = doge_tile_bundle_parse(bundle, blen, ents, 256, &count);
    if (rc == DOGE_OK && count != (size_t)width)
        rc = doge__error_set(DOGE_EVERIFY, "entry bundle %lld has %zu entries, expected %d",
                             (long long)tn, count, width);
    else if (rc == DOGE_EINVAL)
        rc = doge__ledger_bundle_corrupt(tn, width);
    if (rc == DOGE_OK) {
        /* The entry must hash to the leaf the tree holds (in its level-0
         * tile, not the index). */
        const doge_tile_entry *e = &ents[index % 256];
        uint8_t leaf[HS], stored[HS];
        int64_t si = doge_merkle_stored_hash_index(0, index);
        if ((rc = doge_merkle_leaf_hash(e->data, e->len, leaf)) == DOGE_OK &&
            (rc = doge__ledger_read_tile_hashes(l, &si, 1, stored)) == DOGE_OK) {
            if (memcmp(leaf, stored, HS) != 0) {
                rc = doge__error_set(DOGE_EVERIFY,
                                     "entry %lld does not hash to the leaf in tile 0/%lld",
                                     (long long)index, (long long)tn);
            } else if (!(*data = malloc(e->len ? e->len : 1))) {
                rc = doge__error_oom();
            } else {
                memcpy(*data, e->data, e->len);
                *len = e->len;
            }
        }
    }
    free(bundle);
    return rc;
}

int doge_ledger_tree_hash(doge_ledger *l, int64_t size, uint8_t out[32])
{
    int rc = check_size(l, size, "tree size");
    if (rc)
        return rc;
    return doge_merkle_tree_hash(size, doge__ledger_read_hashes, l, out);
}

int doge_ledger_prove_inclusion(doge_ledger *l, int64_t index, int64_t size, uint8_t *proof,
                                size_t cap, size_t *len)
{
    int rc = check_size(l, size, "tree size");
    if (rc)
        return rc;
    if (index < 0 || index >= size)
        return doge__error_set(DOGE_ERANGE, "entry %lld is not in the tree of size %lld",
                               (long long)index, (long long)size);
    return doge_merkle_prove_record(size, index, doge__ledger_read_hashes, l, proof, cap, len);
}

int doge_ledger_prove_consistency(doge_ledger *l, int64_t m, int64_t n, uint8_t *proof, size_t cap,
                                  size_t *len)
{
    int rc;
    if ((rc = check_size(l, n, "tree size")))
        return rc;
    if (m < 0 || m > n)
        return doge__error_set(DOGE_ERANGE, "old size %lld must be between 0 and %lld",
                               (long long)m, (long long)n);
    if (m == 0 || m == n) {
        *len = 0; /* RFC 9162: nothing to prove from the empty tree or to itself */
        return DOGE_OK;
    }
    return doge_merkle_prove_tree(n, m, doge__ledger_read_hashes, l, proof, cap, len);
}

static int append_hashes(doge_buf *b, const uint8_t *hashes, size_t n)
{
    char line[DOGE__B64_LEN(HS) + 1];
    for (size_t i = 0; i < n; i++) {
        doge__b64_encode(line, hashes + i * HS, HS);
        int rc = doge_buf_printf(b, "%s\n", line);
        if (rc)
            return rc;
    }
    return DOGE_OK;
}

/* Verifies a signed checkpoint of this log (NULL: the current one) and that
 * its root is the tree's at its size; *size gets that size. */
static int checked_checkpoint(doge_ledger *l, const char **text, size_t *len, int64_t *size)
{
    if (!*text) {
        *text = l->checkpoint;
        *len = l->checkpoint_len;
    }
    doge_note *note = NULL;
    doge_checkpoint *cp = NULL;
    const doge_verifier *v = l->verifier;
    int rc = doge_note_parse(&note, *text, *len);
    if (rc == DOGE_OK)
        rc = doge_note_verify(note, &v, 1);
    if (rc == DOGE_OK) {
        size_t tl;
        const char *body = doge_note_text(note, &tl);
        rc = doge_checkpoint_parse(&cp, body, tl);
    }
    doge_note_free(note);
    if (rc)
        return doge__error_prefix("checkpoint");
    uint8_t root[HS];
    *size = (int64_t)doge_checkpoint_size(cp);
    if (strcmp(doge_checkpoint_origin(cp), l->origin) != 0) {
        rc = doge__error_set(DOGE_EVERIFY, "checkpoint origin '%s' is not this log's '%s'",
                             doge_checkpoint_origin(cp), l->origin);
    } else if ((rc = doge_ledger_tree_hash(l, *size, root)) == DOGE_OK &&
               memcmp(root, doge_checkpoint_root(cp), HS) != 0) {
        rc = doge__error_set(DOGE_EVERIFY,
                             "the checkpoint's root for size %lld does not match the log",
                             (long long)*size);
    }
    doge_checkpoint_free(cp);
    return rc;
}

/* The text both proof formats share: a header line, the proof hashes one
 * per line in base64, an empty line and the signed checkpoint verbatim.
 * index >= 0 gives a tlog-proof for that entry; else a consistency proof
 * from old_size as a tlog-witness request. */
static int proof_text(doge_ledger *l, int64_t index, int64_t old_size, const char *checkpoint,
                      size_t checkpoint_len, char **out, size_t *len)
{
    *out = NULL;
    int64_t size = 0;
    uint8_t proof[DOGE_MERKLE_MAX_PROOF * HS];
    size_t plen = 0;
    int rc = checked_checkpoint(l, &checkpoint, &checkpoint_len, &size);
    if (rc == DOGE_OK)
        rc = index >= 0 ? doge_ledger_prove_inclusion(l, index, size, proof,
                                                      DOGE_MERKLE_MAX_PROOF, &plen)
                        : doge_ledger_prove_consistency(l, old_size, size, proof,
                                                        DOGE_MERKLE_MAX_PROOF, &plen);
    if (rc)
        return rc;
    doge_buf b;
    doge_buf_init(&b, 2 * DOGE_NOTE_MAX_SIZE);
    rc = index >= 0
             ? doge_buf_printf(&b, "c2sp.org/tlog-proof@v1\nindex %lld\n", (long long)index)
             : doge_buf_printf(&b, "old %lld\n", (long long)old_size);
    if (rc || (rc = append_hashes(&b, proof, plen)) || (rc = doge_buf_append_char(&b, '\n')) ||
        (rc = doge_buf_append(&b, checkpoint, checkpoint_len)) ||
        (rc = doge_buf_detach(&b, out, len))) {
        doge_buf_dispose(&b);
        return rc;
    }
    return DOGE_OK;
}

int doge_ledger_tlog_proof(doge_ledger *l, int64_t index, const char *checkpoint,
                           size_t checkpoint_len, char **out, size_t *len)
{
    if (index < 0)
        return doge__error_set(DOGE_ERANGE, "entry index %lld is negative", (long long)index);
    return proof_text(l, index, 0, checkpoint, checkpoint_len, out, len);
}

int doge_ledger_witness_request(doge_ledger *l, int64_t m, const char *checkpoint,
                                size_t checkpoint_len, char **out, size_t *len)
{
    return proof_text(l, -1, m, checkpoint, checkpoint_len, out, len);
}

int doge_ledger_cosign_add(doge_ledger *l, const char *lines, size_t len,
                           const doge_verifier *const *witnesses, size_t n, size_t *added)
{
    if (added)
        *added = 0;
    if (!l->signer)
        return doge__error_set(DOGE_EINVAL, "%s: the log is open read-only", l->dir);
    /* The checkpoint body: the note text of the current checkpoint. */
    doge_note *note;
    int rc = doge_note_parse(&note, l->checkpoint, l->checkpoint_len);
    if (rc)
        return rc;
    size_t body_len;
    const char *body = doge_note_text(note, &body_len);
    doge_buf b;
    doge_buf_init(&b, DOGE_NOTE_MAX_SIZE);
    size_t count = 0, pos = 0, lineno = 0;
    if ((rc = doge_buf_append(&b, l->checkpoint, l->checkpoint_len)))
        goto done;
    while (pos < len) {
        const char *line = lines + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) + 1 : len - pos;
        pos += ll;
        lineno++;
        if (ll == 1 && line[0] == '\n')
            continue;
        if (!nl) {
            rc = doge__error_set(DOGE_EINVAL, "cosignature line %zu does not end with a newline",
                                 lineno);
            goto done;
        }
        int ok = 0;
        for (size_t i = 0; i < n && !ok; i++) {
            uint64_t ts;
            if (doge_cosignature_verify(witnesses[i], body, body_len, line, ll, &ts) == DOGE_OK)
                ok = 1;
        }
        if (!ok) {
            rc = doge__error_set(DOGE_EVERIFY,
                                 "cosignature line %zu is not a valid cosignature of the current "
                                 "checkpoint (size %lld) by a known witness",
                                 lineno, (long long)l->size);
            goto done;
        }
        /* Skip a line the checkpoint already carries. */
        int dup = 0;
        for (size_t off = 0; off + ll <= l->checkpoint_len && !dup; off++)
            dup = (off == 0 || l->checkpoint[off - 1] == '\n') &&
                  memcmp(l->checkpoint + off, line, ll) == 0;
        if (dup)
            continue;
        if ((rc = doge_buf_append(&b, line, ll)))
            goto done;
        count++;
    }
    if (count) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/checkpoint", l->dir) >= sizeof path) {
            rc = doge__error_set(DOGE_ELIMIT, "%s: path too long", l->dir);
            goto done;
        }
        /* The result must still be a well-formed note. */
        doge_note *check;
        if ((rc = doge_note_parse(&check, b.data, b.len)))
            goto done;
        doge_note_free(check);
        if ((rc = doge__file_write_atomic(path, b.data, b.len, 0644)))
            goto done;
        char *text;
        size_t tlen;
        if ((rc = doge_buf_detach(&b, &text, &tlen)))
            goto done;
        free(l->checkpoint);
        l->checkpoint = text;
        l->checkpoint_len = tlen;
        if (l->archive && (rc = doge__ledger_archive(l)))
            goto done;
    }
    if (added)
        *added = count;
    rc = DOGE_OK;
done:
    doge_buf_dispose(&b);
    doge_note_free(note);
    return rc;
}
