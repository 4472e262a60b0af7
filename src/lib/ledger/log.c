/*
 * log.c — the on-disk transparency log: create, open (checkpoint check,
 * writer lock, removal of what a crashed batch left beyond the checkpoint,
 * root check of the tiles' right edge, the stored-hash index), batched
 * append (hashing at append time from the right edge kept in memory into an
 * in-memory overlay of stored hashes) and the durable commit (tiles and
 * bundles first, each temp+rename, made durable with their folders by one
 * syncfs() on Linux (elsewhere each file and folder is fsynced), then the
 * batch's hashes appended to the index and fdatasynced, then the signed
 * checkpoint). One syncfs() instead of an fsync per file: a 64,000-entry
 * batch writes about 500 files, and at 7-14 ms an fsync on the bench
 * machine the per-file fsyncs took 3-4.5 s per batch (23 s of a 123 s
 * ingest of 440,000 replies); syncfs() takes one flush. Files written before the sync
 * but not yet durable when the machine stops are beyond the checkpoint,
 * where open removes what a crashed batch left. Hash tiles are read back
 * through a small direct-mapped cache; committed hashes are served from the
 * index when it holds them.
 */
#ifdef __linux__
#define _GNU_SOURCE /* syncfs */
#endif
#include "doge/checkpoint.h"
#include "doge/note.h"
#include "internal.h"
#include "ledger_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define HS DOGE_MERKLE_HASH_SIZE

int doge__ledger_tile_width(int level, int64_t n, int64_t size)
{
    int shift = level <= 0 ? 0 : 8 * level;
    if (shift >= 63)
        return 0;
    int64_t count = size >> shift; /* hashes (or entries) at this tile level */
    if (n > (count >> 8))
        return 0;
    int64_t w = count - n * 256;
    if (w <= 0)
        return 0;
    return w >= 256 ? 256 : (int)w;
}

static int path_of(const doge_ledger *l, const doge_tile *t, char *buf, size_t cap)
{
    char rel[DOGE_TILE_PATH_MAX];
    int rc = doge_tile_path(t, rel, sizeof rel, NULL);
    if (rc)
        return rc;
    if ((size_t)snprintf(buf, cap, "%s/%s", l->dir, rel) >= cap)
        return doge__error_set(DOGE_ELIMIT, "%s/%s: path too long", l->dir, rel);
    return DOGE_OK;
}

/* ---- tile cache --------------------------------------------------------- */

static size_t slot_of(int level, int64_t n, int width)
{
    uint64_t h = (uint64_t)n * 0x9E3779B97F4A7C15ull ^ (uint64_t)(level + 2) * 0xC2B2AE3D27D4EB4Full ^
                 (uint64_t)width;
    return (size_t)((h ^ (h >> 29)) % DOGE__LEDGER_CACHE_SLOTS);
}

static int cache_put(doge_ledger *l, const doge_tile *t, const uint8_t *data)
{
    doge__tile_slot *s = &l->cache[slot_of(t->level, t->n, t->width)];
    if (!s->data && !(s->data = malloc(DOGE_TILE_DATA_MAX)))
        return doge__error_oom();
    memcpy(s->data, data, (size_t)t->width * HS);
    s->level = t->level;
    s->n = t->n;
    s->width = t->width;
    return DOGE_OK;
}

static const uint8_t *cache_get(doge_ledger *l, const doge_tile *t)
{
    doge__tile_slot *s = &l->cache[slot_of(t->level, t->n, t->width)];
    if (s->data && s->level == t->level && s->n == t->n && s->width == t->width)
        return s->data;
    return NULL;
}

static int read_exact(const char *path, uint8_t *buf, size_t want, size_t *got)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? DOGE_ENOTFOUND
                               : doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    size_t n = 0;
    while (n < want + 1) {
        ssize_t r = read(fd, buf + n, want + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *got = n;
    return DOGE_OK;
}

int doge__ledger_tile_data(doge_ledger *l, const doge_tile *t, const uint8_t **data)
{
    const uint8_t *hit = cache_get(l, t);
    if (hit) {
        *data = hit;
        return DOGE_OK;
    }
    uint8_t buf[DOGE_TILE_DATA_MAX + 1];
    char path[PATH_MAX];
    size_t got = 0;
    int rc = path_of(l, t, path, sizeof path);
    if (rc)
        return rc;
    rc = read_exact(path, buf, (size_t)t->width * HS, &got);
    if (rc == DOGE_ENOTFOUND && t->width < 256) {
        /* A partial tile may be gone once its full tile exists: use a prefix. */
        doge_tile full = *t;
        full.width = 256;
        if ((rc = path_of(l, &full, path, sizeof path)))
            return rc;
        rc = read_exact(path, buf, DOGE_TILE_DATA_MAX, &got);
        if (rc == DOGE_OK && got == DOGE_TILE_DATA_MAX)
            got = (size_t)t->width * HS;
    }
    if (rc == DOGE_ENOTFOUND)
        return doge__error_set(DOGE_EVERIFY, "%s: tile missing from the log", path);
    if (rc)
        return rc;
    if (got != (size_t)t->width * HS)
        return doge__error_set(DOGE_EVERIFY, "%s: tile has %zu bytes, expected %zu", path, got,
                               (size_t)t->width * HS);
    if ((rc = cache_put(l, t, buf)))
        return rc;
    *data = cache_get(l, t);
    return DOGE_OK;
}

static int read_hashes(doge_ledger *l, int use_index, const int64_t *indexes, size_t count,
                       uint8_t *out)
{
    for (size_t i = 0; i < count; i++) {
        int64_t idx = indexes[i];
        if (use_index && idx >= 0 && idx < l->idx_count) {
            memcpy(out + i * HS, l->idx_map + (size_t)idx * HS, HS);
            continue;
        }
        if (idx >= l->overlay_base && (uint64_t)(idx - l->overlay_base) < l->overlay_len) {
            memcpy(out + i * HS, l->overlay + (size_t)(idx - l->overlay_base) * HS, HS);
            continue;
        }
        doge_tile t;
        int rc = doge_tile_for_index(idx, &t);
        if (rc)
            return rc;
        int w = doge__ledger_tile_width(t.level, t.n, l->size);
        if (w < t.width)
            return doge__error_set(DOGE_ENOTFOUND, "stored hash %lld is not in the tree of size %lld",
                                   (long long)idx, (long long)l->size);
        t.width = w;
        const uint8_t *data;
        if ((rc = doge__ledger_tile_data(l, &t, &data)))
            return rc;
        if ((rc = doge_tile_hash_from_data(&t, data, (size_t)w * HS, idx, out + i * HS)))
            return rc;
    }
    return DOGE_OK;
}

int doge__ledger_read_hashes(void *ctx, const int64_t *indexes, size_t count, uint8_t *out)
{
    doge_ledger *l = ctx;
    return read_hashes(l, l->idx_serve, indexes, count, out);
}

int doge__ledger_read_tile_hashes(void *ctx, const int64_t *indexes, size_t count, uint8_t *out)
{
    return read_hashes(ctx, 0, indexes, count, out);
}

int doge__ledger_read_bundle(doge_ledger *l, int64_t tn, int width, uint8_t **data, size_t *len)
{
    doge_tile t = {DOGE_TILE_LEVEL_ENTRIES, tn, width};
    char path[PATH_MAX];
    int rc = path_of(l, &t, path, sizeof path);
    if (rc)
        return rc;
    rc = doge__file_read(path, (size_t)256 * (2 + DOGE_LEDGER_ENTRY_MAX), (char **)data, len);
    if (rc == DOGE_ENOTFOUND && width < 256) {
        /* Fall back to the full bundle, cut to width entries. */
        t.width = 256;
        char full[PATH_MAX];
        if ((rc = path_of(l, &t, full, sizeof full)))
            return rc;
        rc = doge__file_read(full, (size_t)256 * (2 + DOGE_LEDGER_ENTRY_MAX), (char **)data, len);
        if (rc == DOGE_OK) {
            size_t off = 0;
            for (int i = 0; i < width && off + 2 <= *len; i++)
                off += 2 + ((size_t)(*data)[off] << 8 | (*data)[off + 1]);
            if (off <= *len)
                *len = off;
        }
    }
    if (rc == DOGE_ENOTFOUND)
        return doge__error_set(DOGE_EVERIFY, "%s: entry bundle missing from the log", path);
    return rc;
}

int doge__ledger_bundle_corrupt(int64_t tn, int width)
{
    char why[512], rel[DOGE_TILE_PATH_MAX];
    doge_tile t = {DOGE_TILE_LEVEL_ENTRIES, tn, width};
    snprintf(why, sizeof why, "%s", doge_error_last());
    if (doge_tile_path(&t, rel, sizeof rel, NULL) != DOGE_OK)
        snprintf(rel, sizeof rel, "entry bundle %lld", (long long)tn);
    return doge__error_set(DOGE_EVERIFY, "%s: malformed entry bundle: %s", rel, why);
}

/* ---- create / open ------------------------------------------------------ */

static int sign_checkpoint(const doge_signer *signer, const char *origin, int64_t size,
                           const uint8_t root[32], char **out, size_t *len)
{
    doge_checkpoint *cp;
    char *body = NULL;
    size_t blen;
    int rc = doge_checkpoint_new(&cp, origin, (uint64_t)size, root);
    if (rc)
        return rc;
    rc = doge_checkpoint_format(cp, &body, &blen);
    doge_checkpoint_free(cp);
    if (rc)
        return rc;
    rc = doge_note_sign(out, len, body, blen, &signer, 1);
    free(body);
    return rc;
}

static int checkpoint_path(const char *dir, char *buf, size_t cap)
{
    if ((size_t)snprintf(buf, cap, "%s/checkpoint", dir) >= cap)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", dir);
    return DOGE_OK;
}

int doge_ledger_create(const char *dir, const doge_signer *signer, const char *origin)
{
    char path[PATH_MAX];
    int rc;
    if (!signer)
        return doge__error_set(DOGE_EINVAL, "ledger: a signing key is needed to create a log");
    if (doge_signer_type(signer) != DOGE_KEY_ED25519)
        return doge__error_set(DOGE_EINVAL, "ledger: key '%s' is not an Ed25519 signing key",
                               doge_signer_name(signer));
    if ((rc = checkpoint_path(dir, path, sizeof path)))
        return rc;
    if (access(path, F_OK) == 0)
        return doge__error_set(DOGE_EEXISTS, "%s: a log already exists here", path);
    if ((rc = doge__mkdirs(dir, 0755)))
        return rc;
    uint8_t root[32];
    doge_merkle_empty_root(root);
    char *note;
    size_t nlen;
    if ((rc = sign_checkpoint(signer, origin, 0, root, &note, &nlen)))
        return rc;
    rc = doge__file_write_atomic(path, note, nlen, 0644);
    free(note);
    return rc;
}

/* Removes tmp files in folder dir. */
static void remove_tmp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp.") &&
            (size_t)snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < sizeof p)
            unlink(p);
    closedir(d);
}

static void parent_of(const char *path, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", path);
    char *s = strrchr(buf, '/');
    if (s)
        *s = '\0';
}

/* Removes the ".p/" folder of a tile, or only its widths above keep. */
static int prune_partials(const char *full_path, int keep, int *removed)
{
    char pdir[PATH_MAX];
    if ((size_t)snprintf(pdir, sizeof pdir, "%s.p", full_path) >= sizeof pdir)
        return DOGE_OK;
    DIR *d = opendir(pdir);
    if (!d)
        return DOGE_OK;
    struct dirent *e;
    int left = 0;
    char p[PATH_MAX];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int w = atoi(e->d_name);
        if ((size_t)snprintf(p, sizeof p, "%s/%s", pdir, e->d_name) >= sizeof p)
            continue;
        if (strstr(e->d_name, ".tmp.") || w > keep) {
            if (unlink(p) == 0)
                (*removed)++;
        } else {
            left++;
        }
    }
    closedir(d);
    if (!left)
        rmdir(pdir);
    else
        doge__fsync_dir(pdir);
    return DOGE_OK;
}

/* Removes every tile and bundle beyond the tree of l->size that a crashed
 * batch may have left, and stray temporary files on the right edge. */
static int recover(doge_ledger *l)
{
    int removed = 0;
    char path[PATH_MAX], dir[PATH_MAX];
    remove_tmp_files(l->dir);
    for (int level = DOGE_TILE_LEVEL_ENTRIES; level <= DOGE_TILE_LEVEL_MAX; level++) {
        int shift = level <= 0 ? 0 : 8 * level;
        if (shift >= 63)
            break;
        int64_t edge = (l->size >> shift) >> 8; /* index of the edge tile */
        int any = 0;
        for (int64_t n = edge;; n++) {
            doge_tile t = {level, n, 256};
            int rc = path_of(l, &t, path, sizeof path);
            if (rc)
                return rc;
            parent_of(path, dir, sizeof dir);
            remove_tmp_files(dir);
            int w = doge__ledger_tile_width(level, n, l->size);
            struct stat sb;
            int full_exists = stat(path, &sb) == 0;
            char pdir[PATH_MAX];
            if ((size_t)snprintf(pdir, sizeof pdir, "%s.p", path) >= sizeof pdir)
                return doge__error_set(DOGE_ELIMIT, "%s: path too long", path);
            int pexists = stat(pdir, &sb) == 0;
            if (!full_exists && !pexists && n > edge)
                break;
            any |= full_exists || pexists;
            if (full_exists && w < 256) {
                if (unlink(path) == 0)
                    removed++;
            }
            if (pexists) {
                remove_tmp_files(pdir);
                prune_partials(path, w == 256 ? 255 : w, &removed);
            }
            if (full_exists || pexists)
                doge__fsync_dir(dir);
        }
        if (level > 0 && (l->size >> shift) == 0 && !any)
            break;
    }
    (void)removed;
    return DOGE_OK;
}

static int load_tail(doge_ledger *l)
{
    free(l->tail);
    l->tail = NULL;
    l->tail_len = 0;
    int w = (int)(l->size % 256);
    if (w == 0)
        return DOGE_OK;
    uint8_t *data;
    size_t len;
    int rc = doge__ledger_read_bundle(l, l->size / 256, w, &data, &len);
    if (rc)
        return rc;
    doge_tile_entry ents[256];
    size_t count;
    if ((rc = doge_tile_bundle_parse(data, len, ents, 256, &count)) || count != (size_t)w) {
        free(data);
        return rc ? doge__error_prefix("%s: entry bundle %lld", l->dir, (long long)(l->size / 256))
                  : doge__error_set(DOGE_EVERIFY, "%s: entry bundle %lld has %zu entries, expected %d",
                                    l->dir, (long long)(l->size / 256), count, w);
    }
    l->tail = data;
    l->tail_len = len;
    return DOGE_OK;
}

static int load_checkpoint(doge_ledger *l)
{
    char path[PATH_MAX];
    int rc = checkpoint_path(l->dir, path, sizeof path);
    if (rc)
        return rc;
    char *text;
    size_t len;
    if ((rc = doge__file_read(path, DOGE_NOTE_MAX_SIZE, &text, &len))) {
        if (rc == DOGE_ENOTFOUND)
            return doge__error_set(DOGE_ENOTFOUND, "%s: no log here (no checkpoint)", l->dir);
        return rc;
    }
    doge_note *note;
    const doge_verifier *v = l->verifier;
    if ((rc = doge_note_parse(&note, text, len)) == DOGE_OK)
        rc = doge_note_verify(note, &v, 1);
    if (rc) {
        free(text);
        doge_note_free(note);
        return doge__error_prefix("%s", path);
    }
    size_t tl;
    const char *body = doge_note_text(note, &tl);
    doge_checkpoint *cp;
    rc = doge_checkpoint_parse(&cp, body, tl);
    doge_note_free(note);
    if (rc) {
        free(text);
        return doge__error_prefix("%s", path);
    }
    free(l->origin);
    l->origin = strdup(doge_checkpoint_origin(cp));
    l->size = (int64_t)doge_checkpoint_size(cp);
    memcpy(l->root, doge_checkpoint_root(cp), 32);
    doge_checkpoint_free(cp);
    free(l->checkpoint);
    l->checkpoint = text;
    l->checkpoint_len = len;
    return l->origin ? DOGE_OK : doge__error_oom();
}

int doge_ledger_open(doge_ledger **out, const char *dir, const doge_verifier *log_key,
                     const doge_signer *signer)
{
    *out = NULL;
    if (!log_key)
        return doge__error_set(DOGE_EINVAL, "ledger: a log key is needed to open %s", dir);
    if (signer && memcmp(doge_signer_public_key(signer), doge_verifier_public_key(log_key), 32) != 0)
        return doge__error_set(DOGE_EINVAL, "ledger: signing key '%s' does not match log key '%s'",
                               doge_signer_name(signer), doge_verifier_name(log_key));
    doge_ledger *l = calloc(1, sizeof *l);
    if (!l)
        return doge__error_oom();
    l->lockfd = -1;
    l->idx_fd = -1;
    l->batch_max = 65536;
    for (size_t i = 0; i < DOGE__LEDGER_CACHE_SLOTS; i++)
        l->cache[i].level = -2;
    int rc;
    if (!(l->dir = strdup(dir))) {
        rc = doge__error_oom();
        goto fail;
    }
    if ((rc = doge_verifier_dup(log_key, &l->verifier)))
        goto fail;
    l->signer = signer;
    if (signer) {
        l->lockfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (l->lockfd < 0) {
            rc = doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", dir,
                                 strerror(errno));
            goto fail;
        }
        if (flock(l->lockfd, LOCK_EX) != 0) {
            rc = doge__error_set(DOGE_EIO, "%s: cannot lock the log: %s", dir, strerror(errno));
            goto fail;
        }
    }
    if ((rc = load_checkpoint(l)))
        goto fail;
    if (signer && (rc = recover(l)))
        goto fail;
    /* The right edge, from the tiles (never the index), must give the
     * checkpoint's root; appends hash from it and the index is checked
     * against it. */
    int64_t eidx[64];
    uint8_t ehash[64 * HS], root[32];
    size_t ek = doge__ledger_edge_indexes(l->size, eidx);
    rc = DOGE_OK;
    if (ek && (rc = doge__ledger_read_tile_hashes(l, eidx, ek, ehash)) == DOGE_OK) {
        /* Largest subtree first: the highest set bit of the size. */
        size_t j = 0;
        for (int bit = 62; bit >= 0; bit--)
            if ((l->size >> bit) & 1)
                memcpy(l->edge[bit], ehash + HS * j++, HS);
    }
    if (rc || (rc = doge__ledger_edge_root((const uint8_t(*)[HS])l->edge, l->size, root))) {
        doge__error_prefix("%s: cannot recompute the root of the tree of size %lld", dir,
                           (long long)l->size);
        goto fail;
    }
    if (memcmp(root, l->root, 32) != 0) {
        rc = doge__error_set(DOGE_EVERIFY,
                             "%s: the tiles do not match the checkpoint's root for size %lld", dir,
                             (long long)l->size);
        goto fail;
    }
    if ((rc = doge__ledger_index_open(l)))
        goto fail;
    l->overlay_base = doge_merkle_stored_hash_count(l->size);
    if (signer && (rc = load_tail(l)))
        goto fail;
    *out = l;
    return DOGE_OK;
fail:
    doge_ledger_free(l);
    return rc;
}

void doge_ledger_free(doge_ledger *l)
{
    if (!l)
        return;
    doge__ledger_index_close(l);
    if (l->lockfd >= 0)
        close(l->lockfd); /* releases the flock */
    for (size_t i = 0; i < DOGE__LEDGER_CACHE_SLOTS; i++)
        free(l->cache[i].data);
    doge_verifier_free(l->verifier);
    doge_signer_free(l->owned_signer);
    free(l->dir);
    free(l->origin);
    free(l->checkpoint);
    free(l->overlay);
    free(l->pend);
    free(l->pend_off);
    free(l->tail);
    free(l);
}

int64_t doge_ledger_size(const doge_ledger *l) { return l->size; }
int64_t doge_ledger_pending(const doge_ledger *l) { return l->npend; }
const char *doge_ledger_origin(const doge_ledger *l) { return l->origin; }
const uint8_t *doge_ledger_root(const doge_ledger *l) { return l->root; }
void doge_ledger_set_batch_max(doge_ledger *l, int64_t max) { l->batch_max = max < 1 ? 1 : max; }

int doge_ledger_checkpoint(doge_ledger *l, char **out, size_t *len)
{
    *out = malloc(l->checkpoint_len + 1);
    if (!*out)
        return doge__error_oom();
    memcpy(*out, l->checkpoint, l->checkpoint_len);
    (*out)[l->checkpoint_len] = '\0';
    if (len)
        *len = l->checkpoint_len;
    return DOGE_OK;
}

/* ---- append ------------------------------------------------------------- */

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return DOGE_OK;
    size_t nc = *cap ? *cap : 1024;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return doge__error_oom();
    *p = np;
    *cap = nc;
    return DOGE_OK;
}

int doge_ledger_append(doge_ledger *l, const void *data, size_t len, int64_t *index)
{
    if (!l->signer)
        return doge__error_set(DOGE_EINVAL, "%s: the log is open read-only", l->dir);
    if (len > DOGE_LEDGER_ENTRY_MAX)
        return doge__error_set(DOGE_ELIMIT,
                               "ledger entry of %zu bytes is larger than the %d-byte limit "
                               "(log a hash of the record instead)",
                               len, DOGE_LEDGER_ENTRY_MAX);
    int rc;
    if (l->npend >= l->batch_max && (rc = doge_ledger_commit(l)))
        return rc;
    int64_t n = l->size + l->npend;
    uint8_t leaf[HS];
    size_t count;
    if ((rc = doge_merkle_leaf_hash(data, len, leaf)))
        return rc;
    /* Room first: once the edge has moved on, the entry must be recorded. */
    size_t ocap = l->overlay_cap, pcap = l->pend_cap, fcap = (size_t)l->pend_off_cap;
    if ((rc = grow((void **)&l->overlay, &ocap, l->overlay_len + DOGE_MERKLE_MAX_PROOF, HS)) ||
        (rc = grow((void **)&l->pend, &pcap, l->pend_len + 2 + len, 1)) ||
        (rc = grow((void **)&l->pend_off, &fcap, (size_t)l->npend + 1, sizeof(size_t)))) {
        l->overlay_cap = ocap;
        l->pend_cap = pcap;
        l->pend_off_cap = (int64_t)fcap;
        return rc;
    }
    l->overlay_cap = ocap;
    l->pend_cap = pcap;
    l->pend_off_cap = (int64_t)fcap;
    /* The stored hashes of record n, from the right edge in memory (no
     * reader call), straight into the overlay. */
    if ((rc = doge__ledger_edge_push(l->edge, n, leaf, l->overlay + l->overlay_len * HS, &count)))
        return rc;
    l->overlay_len += count;
    l->pend_off[l->npend++] = l->pend_len;
    l->pend[l->pend_len] = (uint8_t)(len >> 8);
    l->pend[l->pend_len + 1] = (uint8_t)len;
    if (len)
        memcpy(l->pend + l->pend_len + 2, data, len);
    l->pend_len += 2 + len;
    if (index)
        *index = n;
    return DOGE_OK;
}

/* ---- commit ------------------------------------------------------------- */

typedef struct {
    char (*dirs)[PATH_MAX];
    size_t n, cap;
} dirset;

static int dirset_add(dirset *s, const char *path)
{
    char d[PATH_MAX];
    parent_of(path, d, sizeof d);
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->dirs[i], d) == 0)
            return DOGE_OK;
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 16;
        void *nd = realloc(s->dirs, nc * sizeof *s->dirs);
        if (!nd)
            return doge__error_oom();
        s->dirs = nd;
        s->cap = nc;
    }
    memcpy(s->dirs[s->n++], d, sizeof d);
    return DOGE_OK;
}

#ifdef __linux__
#define SYNC_LATER 1 /* one syncfs() makes the whole batch durable */
#else
#define SYNC_LATER 0
#endif

/* Writes data to path (temp, fsync unless SYNC_LATER, rename), creating
 * folders; the folders are synced later, all at once. */
static int write_file(dirset *dirs, const char *path, const void *data, size_t len)
{
    char tmp[PATH_MAX], d[PATH_MAX];
    parent_of(path, d, sizeof d);
    int rc = doge__mkdirs(d, 0755);
    if (rc)
        return rc;
    /* The folder (and those above it, see sync_dirs) is fsynced later. */
    if ((rc = dirset_add(dirs, path)))
        return rc;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", tmp, strerror(errno));
    const uint8_t *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return doge__error_set(DOGE_EIO, "%s: %s", tmp, strerror(e));
        }
        p += w;
        left -= (size_t)w;
    }
    if ((!SYNC_LATER && fsync(fd) != 0) || close(fd) != 0) {
        unlink(tmp);
        return doge__error_set(DOGE_EIO, "%s: %s", tmp, strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return doge__error_set(DOGE_EIO, "%s: rename: %s", path, strerror(e));
    }
    return DOGE_OK;
}

/* Makes the written files durable with their folders: one syncfs() of
 * the log's file system, or an fsync of every folder in the set and each
 * of its parents up to l->dir (the files were fsynced when written). */
static int sync_dirs(doge_ledger *l, dirset *s)
{
#if SYNC_LATER
    if (s->n == 0)
        return DOGE_OK;
    int fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", l->dir, strerror(errno));
    int rc = syncfs(fd) == 0 ? DOGE_OK
                             : doge__error_set(DOGE_EIO, "%s: syncfs: %s", l->dir, strerror(errno));
    close(fd);
    return rc;
#else
    size_t rootlen = strlen(l->dir);
    for (size_t i = 0; i < s->n; i++) {
        char d[PATH_MAX];
        snprintf(d, sizeof d, "%s", s->dirs[i]);
        for (;;) {
            int rc = doge__fsync_dir(d);
            if (rc)
                return rc;
            if (strlen(d) <= rootlen)
                break;
            char *slash = strrchr(d, '/');
            if (!slash)
                break;
            *slash = '\0';
            /* Stop below the root once a folder was synced by an earlier entry. */
            int seen = 0;
            for (size_t j = 0; j < i && !seen; j++)
                seen = strcmp(s->dirs[j], d) == 0;
            if (seen)
                break;
        }
    }
    return DOGE_OK;
#endif
}

/* The bytes of entry i (absolute index) as bundle-encoded, from the tail or
 * the pending batch. */
static const uint8_t *entry_at(const doge_ledger *l, int64_t i, size_t *enc_len)
{
    if (i >= l->size) {
        int64_t k = i - l->size;
        size_t off = l->pend_off[k];
        size_t end = k + 1 < l->npend ? l->pend_off[k + 1] : l->pend_len;
        *enc_len = end - off;
        return l->pend + off;
    }
    /* In the tail: walk it (at most 255 entries). */
    int64_t first = l->size / 256 * 256;
    size_t off = 0;
    for (int64_t j = first; j < i; j++)
        off += 2 + ((size_t)l->tail[off] << 8 | l->tail[off + 1]);
    *enc_len = 2 + ((size_t)l->tail[off] << 8 | l->tail[off + 1]);
    return l->tail + off;
}

int doge_ledger_commit(doge_ledger *l)
{
    if (!l->signer)
        return doge__error_set(DOGE_EINVAL, "%s: the log is open read-only", l->dir);
    if (l->npend == 0)
        return DOGE_OK;
    int64_t old = l->size, new_size = l->size + l->npend;
    size_t ntiles = 0;
    int rc = doge_tile_new_tiles(old, new_size, NULL, 0, &ntiles);
    if (rc && rc != DOGE_ELIMIT)
        return rc;
    doge_tile *tiles = malloc((ntiles ? ntiles : 1) * sizeof *tiles);
    uint8_t *bundle = malloc((size_t)256 * (2 + DOGE_LEDGER_ENTRY_MAX));
    uint8_t *data = malloc(DOGE_TILE_DATA_MAX);
    dirset dirs = {0};
    char *note = NULL;
    size_t note_len = 0;
    if (!tiles || !bundle || !data) {
        rc = doge__error_oom();
        goto done;
    }
    if ((rc = doge_tile_new_tiles(old, new_size, tiles, ntiles, &ntiles)))
        goto done;
    char path[PATH_MAX];
    for (size_t i = 0; i < ntiles; i++) {
        const doge_tile *t = &tiles[i];
        size_t len = 0;
        /* The tile's hashes come from the overlay and the committed tiles
         * (not the index: a bad index must not reach the published tiles). */
        if ((rc = path_of(l, t, path, sizeof path)) ||
            (rc = doge_tile_read_data(t, doge__ledger_read_tile_hashes, l, data,
                                      DOGE_TILE_DATA_MAX, &len)) ||
            (rc = write_file(&dirs, path, data, len)))
            goto done;
        if (t->level != 0)
            continue;
        /* Each level-0 tile has its entry bundle of the same width. */
        doge_tile bt = {DOGE_TILE_LEVEL_ENTRIES, t->n, t->width};
        len = 0;
        for (int64_t e = t->n * 256; e < t->n * 256 + t->width; e++) {
            size_t el;
            const uint8_t *enc = entry_at(l, e, &el);
            memcpy(bundle + len, enc, el);
            len += el;
        }
        if ((rc = path_of(l, &bt, path, sizeof path)) ||
            (rc = write_file(&dirs, path, bundle, len)))
            goto done;
    }
    if ((rc = sync_dirs(l, &dirs)))
        goto done;
    /* The batch's stored hashes go to the index, durably, before the
     * checkpoint: a checkpoint never needs more than the index holds. */
    int64_t new_count = doge_merkle_stored_hash_count(new_size);
    if (l->overlay_base + (int64_t)l->overlay_len != new_count) {
        rc = doge__error_set(DOGE_ERROR, "%s: the batch holds %zu stored hashes from %lld, "
                             "the tree of size %lld needs %lld", l->dir, l->overlay_len,
                             (long long)l->overlay_base, (long long)new_size,
                             (long long)new_count);
        goto done;
    }
    if ((rc = doge__ledger_index_write(l, l->overlay_base, l->overlay, l->overlay_len)))
        goto done;
    uint8_t root[HS];
    if ((rc = doge__ledger_edge_root((const uint8_t(*)[HS])l->edge, new_size, root)))
        goto done;
    if ((rc = sign_checkpoint(l->signer, l->origin, new_size, root, &note, &note_len)))
        goto done;
    if ((rc = checkpoint_path(l->dir, path, sizeof path)) ||
        (rc = doge__file_write_atomic(path, note, note_len, 0644)))
        goto done;
    /* Acknowledged. Now the in-memory state follows. */
    int64_t tail_start = new_size / 256 * 256;
    size_t tail_len = 0;
    for (int64_t e = tail_start; e < new_size; e++) {
        size_t el;
        const uint8_t *enc = entry_at(l, e, &el);
        memcpy(bundle + tail_len, enc, el);
        tail_len += el;
    }
    uint8_t *tail = tail_len ? malloc(tail_len) : NULL;
    if (tail_len && !tail) {
        rc = doge__error_oom();
        goto done;
    }
    if (tail_len)
        memcpy(tail, bundle, tail_len);
    free(l->tail);
    l->tail = tail;
    l->tail_len = tail_len;
    /* Tiles just written go into the cache (they are read back next). */
    for (size_t i = 0; i < ntiles; i++) {
        size_t len;
        if (doge_tile_read_data(&tiles[i], doge__ledger_read_tile_hashes, l, data,
                                DOGE_TILE_DATA_MAX, &len) == DOGE_OK)
            cache_put(l, &tiles[i], data);
    }
    l->size = new_size;
    memcpy(l->root, root, HS);
    free(l->checkpoint);
    l->checkpoint = note;
    l->checkpoint_len = note_len;
    note = NULL;
    l->npend = 0;
    l->pend_len = 0;
    l->overlay_len = 0;
    l->overlay_base = new_count;
    if ((rc = doge__ledger_index_grow(l, new_count)) != DOGE_OK) {
        doge__error_prefix("the batch is durable, but the hash index cannot be mapped");
        goto done;
    }
    if (l->archive && (rc = doge__ledger_archive(l)) != DOGE_OK) {
        doge__error_prefix("the batch is durable, but archiving its checkpoint failed");
        goto done;
    }
    /* Partial tiles are no longer needed once their full tile exists. */
    for (size_t i = 0; i < ntiles; i++) {
        if (tiles[i].width != 256)
            continue;
        int removed = 0;
        doge_tile bt = {DOGE_TILE_LEVEL_ENTRIES, tiles[i].n, 256};
        if (path_of(l, &tiles[i], path, sizeof path) == DOGE_OK)
            prune_partials(path, 0, &removed);
        if (tiles[i].level == 0 && path_of(l, &bt, path, sizeof path) == DOGE_OK)
            prune_partials(path, 0, &removed);
    }
    rc = DOGE_OK;
done:
    free(tiles);
    free(bundle);
    free(data);
    free(dirs.dirs);
    free(note);
    return rc;
}
