/*
 * log_verify.c — `doge ledger verify`: re-reads every entry bundle and hash
 * tile of the committed tree from disk, recomputes every leaf hash and every
 * tile's Merkle tree hash level by level (streaming: one 8 KiB buffer per
 * tile level), checks each tile file byte for byte, recomputes the root and
 * checks the checkpoint's signatures. It trusts nothing in the stored-hash
 * index DIR/.doge/hashes: it recomputes every stored hash from the entries
 * (from a right edge of its own) and checks the index against them, read
 * from the file afresh; a short or wrong index is DOGE_EVERIFY naming it
 * (after any tile or bundle problem, which is reported first), and this
 * ledger stops serving hashes from it. A missing index is no error (a
 * writable open rebuilds it).
 */
#include "doge/note.h"
#include "internal.h"
#include "ledger_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HS DOGE_MERKLE_HASH_SIZE
#define LEVELS 8 /* 256^8 = 2^64 entries */

typedef struct {
    doge_ledger *l;
    doge_ledger_report *rep;
    uint8_t (*buf)[256 * HS]; /* LEVELS buffers */
    int count[LEVELS];
    int64_t tn[LEVELS];
    uint8_t *file; /* DOGE_TILE_DATA_MAX + 1 scratch */

    /* The index check: the file read in order through buf. */
    int idx_fd;              /* -1: no index file */
    char idx_path[PATH_MAX];
    uint8_t *idx_buf;        /* IDX_BUF hashes */
    size_t idx_have, idx_at; /* hashes in buf, next one to compare */
    int64_t idx_pos;         /* stored-hash index of the next hash */
    int64_t idx_bad;         /* first mismatch, or -1 */
    int idx_short;           /* the file ended before the tree did */
    uint8_t (*edge)[HS];     /* the right edge of the leaves pushed so far */
} verifier_state;

#define IDX_BUF 2048

/* The Merkle tree hash of 256 hashes (a perfect subtree of height 8). */
static int tile_root(const uint8_t *hashes, uint8_t out[HS], int64_t *count)
{
    uint8_t a[128 * HS];
    const uint8_t *src = hashes;
    for (int n = 256; n > 1; n /= 2) {
        for (int i = 0; i < n / 2; i++) {
            int rc = doge_merkle_node_hash(src + (2 * i) * HS, src + (2 * i + 1) * HS, a + i * HS);
            if (rc)
                return rc;
            (*count)++;
        }
        src = a;
    }
    memcpy(out, a, HS);
    return DOGE_OK;
}

static int check_tile(verifier_state *s, int level, int64_t tn, int width, const uint8_t *want)
{
    doge_tile t = {level, tn, width};
    char rel[DOGE_TILE_PATH_MAX], path[PATH_MAX];
    int rc = doge_tile_path(&t, rel, sizeof rel, NULL);
    if (rc)
        return rc;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", s->l->dir, rel) >= sizeof path)
        return doge__error_set(DOGE_ELIMIT, "%s/%s: path too long", s->l->dir, rel);
    char *data;
    size_t len;
    rc = doge__file_read(path, DOGE_TILE_DATA_MAX, &data, &len);
    if (rc == DOGE_ENOTFOUND)
        return doge__error_set(DOGE_EVERIFY, "%s: tile missing", rel);
    if (rc)
        return rc;
    s->rep->tiles++;
    if (len != (size_t)width * HS || memcmp(data, want, len) != 0) {
        free(data);
        return doge__error_set(DOGE_EVERIFY,
                               "%s: tile does not match the hashes recomputed from the entries",
                               rel);
    }
    free(data);
    return DOGE_OK;
}

static int push(verifier_state *s, int level, const uint8_t hash[HS])
{
    if (level >= LEVELS)
        return doge__error_set(DOGE_ERANGE, "log too large to verify");
    memcpy(s->buf[level] + (size_t)s->count[level] * HS, hash, HS);
    if (++s->count[level] < 256)
        return DOGE_OK;
    int rc = check_tile(s, level, s->tn[level], 256, s->buf[level]);
    if (rc)
        return rc;
    uint8_t up[HS];
    if ((rc = tile_root(s->buf[level], up, &s->rep->hashes)))
        return rc;
    s->count[level] = 0;
    s->tn[level]++;
    return push(s, level + 1, up);
}

/* Reads the next stored hash of the index into *h; 0 at its end. */
static int index_next(verifier_state *s, const uint8_t **h)
{
    if (s->idx_at == s->idx_have) {
        size_t got = 0;
        while (got < (size_t)IDX_BUF * HS) {
            ssize_t r = read(s->idx_fd, s->idx_buf + got, (size_t)IDX_BUF * HS - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return doge__error_set(DOGE_EIO, "%s: %s", s->idx_path, strerror(errno));
            if (r == 0)
                break;
            got += (size_t)r;
        }
        s->idx_have = got / HS;
        s->idx_at = 0;
        if (s->idx_have == 0)
            return 0;
    }
    *h = s->idx_buf + s->idx_at++ * HS;
    return 1;
}

/* Recomputes the stored hashes of record n (leaf hash leaf) and compares
 * them with the index's next ones. */
static int index_check(verifier_state *s, int64_t n, const uint8_t leaf[HS])
{
    uint8_t hashes[64 * HS];
    size_t count;
    int rc = doge__ledger_edge_push(s->edge, n, leaf, hashes, &count);
    if (rc)
        return rc;
    s->rep->hashes += (int64_t)count - 1;
    for (size_t i = 0; i < count && s->idx_fd >= 0 && !s->idx_short; i++) {
        const uint8_t *h = NULL;
        if ((rc = index_next(s, &h)) < 0)
            return rc;
        if (rc == 0) {
            s->idx_short = 1;
            break;
        }
        if (s->idx_bad < 0 && memcmp(h, hashes + i * HS, HS) != 0)
            s->idx_bad = s->idx_pos;
        s->idx_pos++;
        s->rep->index_hashes++;
    }
    return DOGE_OK;
}

int doge_ledger_verify(doge_ledger *l, const doge_verifier *const *witnesses, size_t n,
                       doge_ledger_report *rep)
{
    doge_ledger_report local;
    if (!rep)
        rep = &local;
    memset(rep, 0, sizeof *rep);
    rep->size = l->size;

    /* Signatures: the log's, and every given witness's cosignature. */
    const doge_verifier **known = calloc(n + 1, sizeof *known);
    if (!known)
        return doge__error_oom();
    known[0] = l->verifier;
    for (size_t i = 0; i < n; i++)
        known[i + 1] = witnesses[i];
    doge_note *note;
    int rc = doge_note_parse(&note, l->checkpoint, l->checkpoint_len);
    if (rc == DOGE_OK && (rc = doge_note_verify(note, known, n + 1)) == DOGE_OK) {
        rep->signatures = doge_note_verified_count(note);
        rep->unknown_signatures = doge_note_sig_count(note) - rep->signatures;
    }
    doge_note_free(note);
    free(known);
    if (rc)
        return doge__error_prefix("%s/checkpoint", l->dir);

    /* Forget cached tiles: everything is read again from disk. */
    for (size_t i = 0; i < DOGE__LEDGER_CACHE_SLOTS; i++)
        l->cache[i].level = -2;

    verifier_state s = {0};
    s.l = l;
    s.rep = rep;
    s.idx_fd = -1;
    s.idx_bad = -1;
    if ((rc = doge__ledger_index_path(l, s.idx_path, sizeof s.idx_path)))
        return rc;
    s.buf = malloc(LEVELS * sizeof *s.buf);
    s.idx_buf = malloc((size_t)IDX_BUF * HS);
    s.edge = malloc(64 * HS);
    if (!s.buf || !s.idx_buf || !s.edge) {
        free(s.buf);
        free(s.idx_buf);
        free(s.edge);
        return doge__error_oom();
    }
    s.idx_fd = open(s.idx_path, O_RDONLY | O_CLOEXEC);
    if (s.idx_fd < 0 && errno != ENOENT) {
        rc = doge__error_set(DOGE_EVERIFY, "%s: cannot read the hash index: %s", s.idx_path,
                             strerror(errno));
        free(s.buf);
        free(s.idx_buf);
        free(s.edge);
        return rc;
    }
    int64_t nbundles = (l->size + 255) / 256;
    for (int64_t tn = 0; tn < nbundles && rc == DOGE_OK; tn++) {
        int width = doge__ledger_tile_width(DOGE_TILE_LEVEL_ENTRIES, tn, l->size);
        uint8_t *bundle;
        size_t blen, count;
        doge_tile_entry ents[256];
        if ((rc = doge__ledger_read_bundle(l, tn, width, &bundle, &blen)))
            break;
        rep->bundles++;
        rc = doge_tile_bundle_parse(bundle, blen, ents, 256, &count);
        if (rc == DOGE_OK && count != (size_t)width)
            rc = doge__error_set(DOGE_EVERIFY, "entry bundle %lld has %zu entries, expected %d",
                                 (long long)tn, count, width);
        else if (rc == DOGE_EINVAL)
            rc = doge__ledger_bundle_corrupt(tn, width);
        else if (rc)
            doge__error_prefix("entry bundle %lld", (long long)tn);
        for (size_t i = 0; i < count && rc == DOGE_OK; i++) {
            uint8_t leaf[HS];
            rep->entries_bytes += (int64_t)ents[i].len;
            if ((rc = doge_merkle_leaf_hash(ents[i].data, ents[i].len, leaf)) == DOGE_OK) {
                rep->hashes++;
                if ((rc = index_check(&s, tn * 256 + (int64_t)i, leaf)) == DOGE_OK)
                    rc = push(&s, 0, leaf);
            }
        }
        free(bundle);
    }
    /* The partial tiles on the right edge. */
    for (int level = 0; level < LEVELS && rc == DOGE_OK; level++) {
        int want = doge__ledger_tile_width(level, s.tn[level], l->size);
        if (s.count[level] != (want == 256 ? 0 : want)) {
            rc = doge__error_set(DOGE_EVERIFY, "level %d holds %d hashes at its edge, expected %d",
                                 level, s.count[level], want);
            break;
        }
        if (s.count[level] > 0)
            rc = check_tile(&s, level, s.tn[level], s.count[level], s.buf[level]);
    }
    free(s.buf);
    free(s.idx_buf);
    free(s.edge);
    if (s.idx_fd >= 0)
        close(s.idx_fd);
    if (rc)
        return rc;
    uint8_t root[HS];
    if ((rc = doge_merkle_tree_hash(l->size, doge__ledger_read_tile_hashes, l, root)))
        return rc;
    if (memcmp(root, l->root, HS) != 0)
        return doge__error_set(DOGE_EVERIFY,
                               "%s/checkpoint: root hash does not match the tree recomputed from "
                               "the entries",
                               l->dir);
    /* The tiles and entries are right; now the index. */
    if (s.idx_short || s.idx_bad >= 0) {
        l->idx_serve = 0; /* proofs from here on come from the tiles */
        if (s.idx_short)
            return doge__error_set(DOGE_EVERIFY,
                                   "%s: the hash index holds %lld stored hashes, the tree of size "
                                   "%lld needs %lld (it is a cache of the tiles: delete it and "
                                   "the next writable open rebuilds it)",
                                   s.idx_path, (long long)s.idx_pos, (long long)l->size,
                                   (long long)doge_merkle_stored_hash_count(l->size));
        return doge__error_set(DOGE_EVERIFY,
                               "%s: stored hash %lld does not match the one recomputed from the "
                               "entries (the hash index is a cache of the tiles: delete it and "
                               "the next writable open rebuilds it)",
                               s.idx_path, (long long)s.idx_bad);
    }
    return DOGE_OK;
}
