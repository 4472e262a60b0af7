/*
 * log_index.c — the ledger's stored-hash index and right edge. The index,
 * DIR/.doge/hashes, is a flat file of every stored hash of the committed
 * tree in stored-hash-index order (32 bytes each,
 * doge_merkle_stored_hash_count(size) of them), mapped read-only, so proofs
 * and tree heads read any committed hash in O(1) instead of recomputing it
 * from tile data. It is a cache, not part of the C2SP tlog-tiles layout: a
 * static server of DIR must not serve it (serve no dot-files), every hash in
 * it follows from the tiles, and nothing that must be trusted reads it (open
 * checks the tiles' right edge against the checkpoint, commits build tiles
 * from tiles, doge_ledger_verify recomputes everything and checks this file
 * against it). A commit appends the batch's hashes and fdatasyncs them
 * before it writes the checkpoint, so after a crash the file holds at least
 * what the checkpoint needs; a writable open cuts what lies beyond and
 * rebuilds a file that is short, missing, unreadable or disagrees with the
 * right edge, from the level-0 tiles in one streaming pass (temp file,
 * fsync, rename). A read-only open never writes: it uses the file when it is
 * long enough and agrees with the right edge, else reads the tiles. The file
 * must not be cut in place while a ledger has it mapped (a read past the
 * end of a mapped file is SIGBUS); doge itself only replaces it by rename or
 * cuts hashes beyond every checkpoint. Also here: the right edge (the full
 * subtrees of the tree's size) that appends and commits hash from.
 */
#include "internal.h"
#include "ledger_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HS DOGE_MERKLE_HASH_SIZE
#define MAP_ROUND ((size_t)1 << 20)   /* mappings grow in MiB steps */
#define REBUILD_BUF 2048              /* hashes written per write() */

/* ---- the right edge ------------------------------------------------------ */

size_t doge__ledger_edge_indexes(int64_t size, int64_t idx[64])
{
    size_t k = 0;
    for (int b = 62; b >= 0; b--)
        if ((size >> b) & 1)
            idx[k++] = doge_merkle_stored_hash_index(b, (size >> b) - 1);
    return k;
}

int doge__ledger_edge_push(uint8_t (*edge)[HS], int64_t n, const uint8_t *leaf, uint8_t *out,
                           size_t *count)
{
    uint8_t h[HS];
    memcpy(h, leaf, HS);
    memcpy(out, h, HS);
    int k = 0;
    /* Each trailing 1 bit of n is a full subtree on the edge that record n
     * completes into one of the next level. */
    while ((n >> k) & 1) {
        int rc = doge_merkle_node_hash(edge[k], h, h);
        if (rc)
            return rc;
        k++;
        memcpy(out + (size_t)k * HS, h, HS);
    }
    memcpy(edge[k], h, HS);
    *count = (size_t)k + 1;
    return DOGE_OK;
}

int doge__ledger_edge_root(const uint8_t (*edge)[HS], int64_t size, uint8_t out[HS])
{
    if (size == 0) {
        doge_merkle_empty_root(out);
        return DOGE_OK;
    }
    int b = __builtin_ctzll((unsigned long long)size);
    uint8_t h[HS];
    memcpy(h, edge[b], HS);
    for (b++; b < 63; b++) {
        if (!((size >> b) & 1))
            continue;
        int rc = doge_merkle_node_hash(edge[b], h, h);
        if (rc)
            return rc;
    }
    memcpy(out, h, HS);
    return DOGE_OK;
}

/* ---- the index file ------------------------------------------------------ */

int doge__ledger_index_path(const doge_ledger *l, char *buf, size_t cap)
{
    if ((size_t)snprintf(buf, cap, "%s/.doge/hashes", l->dir) >= cap)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", l->dir);
    return DOGE_OK;
}

static int folder_path(const doge_ledger *l, char *buf, size_t cap)
{
    if ((size_t)snprintf(buf, cap, "%s/.doge", l->dir) >= cap)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", l->dir);
    return DOGE_OK;
}

static void unmap(doge_ledger *l)
{
    if (l->idx_map)
        munmap(l->idx_map, l->idx_map_len);
    l->idx_map = NULL;
    l->idx_map_len = 0;
}

void doge__ledger_index_close(doge_ledger *l)
{
    unmap(l);
    if (l->idx_fd >= 0)
        close(l->idx_fd);
    l->idx_fd = -1;
    l->idx_count = 0;
    l->idx_serve = 0;
}

/* Maps at least bytes (> 0) of the index, with room to grow: the mapping
 * may reach past the end of the file, whose bytes are never read. */
static int map_at_least(doge_ledger *l, size_t bytes, const char *path)
{
    if (l->idx_map && l->idx_map_len >= bytes)
        return DOGE_OK;
    size_t want = bytes + bytes / 2;
    want = (want + MAP_ROUND - 1) / MAP_ROUND * MAP_ROUND;
    void *p = mmap(NULL, want, PROT_READ, MAP_SHARED, l->idx_fd, 0);
    if (p == MAP_FAILED)
        return doge__error_set(DOGE_EIO, "%s: mmap: %s", path, strerror(errno));
    unmap(l);
    l->idx_map = p;
    l->idx_map_len = want;
    return DOGE_OK;
}

/* Maps the index (fd set, at least need hashes long) and checks it against
 * the right edge: DOGE_OK and serving, DOGE_EVERIFY when it disagrees, or
 * another error. */
static int adopt(doge_ledger *l, int64_t need, const char *path)
{
    if (need > 0) {
        int rc = map_at_least(l, (size_t)need * HS, path);
        if (rc)
            return rc;
        for (int b = 62; b >= 0; b--) {
            if (!((l->size >> b) & 1))
                continue;
            int64_t si = doge_merkle_stored_hash_index(b, (l->size >> b) - 1);
            if (memcmp(l->idx_map + (size_t)si * HS, l->edge[b], HS) != 0)
                return doge__error_set(DOGE_EVERIFY,
                                       "%s: stored hash %lld does not match the tiles", path,
                                       (long long)si);
        }
    }
    l->idx_count = need;
    l->idx_serve = 1;
    return DOGE_OK;
}

static int write_all(int fd, const uint8_t *p, size_t len, off_t off, const char *path)
{
    while (len) {
        ssize_t w = off >= 0 ? pwrite(fd, p, len, off) : write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
        p += w;
        len -= (size_t)w;
        if (off >= 0)
            off += w;
    }
    return DOGE_OK;
}

/* Removes temporary files a crashed rebuild left in DIR/.doge. */
static void remove_tmp(const char *folder)
{
    DIR *d = opendir(folder);
    if (!d)
        return;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "hashes.tmp.", 11) == 0 &&
            (size_t)snprintf(p, sizeof p, "%s/%s", folder, e->d_name) < sizeof p)
            unlink(p);
    closedir(d);
}

/* Writes every stored hash of the committed tree, from the level-0 tiles,
 * to the temporary file fd; the result must give the checkpoint's root. */
static int rebuild_into(doge_ledger *l, int fd, const char *tmp, const char *path)
{
    uint8_t (*edge)[HS] = malloc(64 * HS);
    uint8_t *buf = malloc((REBUILD_BUF + 64) * HS);
    int rc = DOGE_OK;
    if (!edge || !buf) {
        rc = doge__error_oom();
        goto done;
    }
    size_t used = 0;
    int64_t written = 0, ntiles = (l->size + 255) / 256;
    for (int64_t tn = 0; tn < ntiles && rc == DOGE_OK; tn++) {
        doge_tile t = {0, tn, doge__ledger_tile_width(0, tn, l->size)};
        const uint8_t *data;
        if ((rc = doge__ledger_tile_data(l, &t, &data)))
            break;
        for (int j = 0; j < t.width && rc == DOGE_OK; j++) {
            size_t c;
            rc = doge__ledger_edge_push(edge, tn * 256 + j, data + (size_t)j * HS,
                                        buf + used * HS, &c);
            used += c;
            if (rc == DOGE_OK && used >= REBUILD_BUF) {
                rc = write_all(fd, buf, used * HS, -1, tmp);
                written += (int64_t)used;
                used = 0;
            }
        }
    }
    if (rc == DOGE_OK && used) {
        rc = write_all(fd, buf, used * HS, -1, tmp);
        written += (int64_t)used;
    }
    if (rc)
        goto done;
    uint8_t root[HS];
    if ((rc = doge__ledger_edge_root((const uint8_t(*)[HS])edge, l->size, root)))
        goto done;
    if (written != doge_merkle_stored_hash_count(l->size) || memcmp(root, l->root, HS) != 0)
        rc = doge__error_set(DOGE_EVERIFY,
                             "%s: cannot rebuild the hash index: the level-0 tiles do not give "
                             "the checkpoint's root for size %lld (run doge ledger verify)",
                             path, (long long)l->size);
done:
    free(edge);
    free(buf);
    return rc;
}

/* Rebuilds the index from the tiles: temp file, fsync, rename, fsync. */
static int rebuild(doge_ledger *l, const char *path)
{
    char folder[PATH_MAX], tmp[PATH_MAX];
    int rc = folder_path(l, folder, sizeof folder);
    if (rc)
        return rc;
    int created = 0;
    if (mkdir(folder, 0755) == 0)
        created = 1;
    else if (errno != EEXIST)
        return doge__error_set(DOGE_EIO, "%s: %s", folder, strerror(errno));
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", tmp, strerror(errno));
    rc = rebuild_into(l, fd, tmp, path);
    if (rc == DOGE_OK && fsync(fd) != 0)
        rc = doge__error_set(DOGE_EIO, "%s: fsync: %s", tmp, strerror(errno));
    if (close(fd) != 0 && rc == DOGE_OK)
        rc = doge__error_set(DOGE_EIO, "%s: close: %s", tmp, strerror(errno));
    if (rc == DOGE_OK && rename(tmp, path) != 0)
        rc = doge__error_set(DOGE_EIO, "%s: rename: %s", path, strerror(errno));
    if (rc) {
        unlink(tmp);
        return rc;
    }
    if ((rc = doge__fsync_dir(folder)))
        return rc;
    return created ? doge__fsync_dir(l->dir) : DOGE_OK;
}

int doge__ledger_index_open(doge_ledger *l)
{
    char path[PATH_MAX], folder[PATH_MAX];
    int rc;
    if ((rc = doge__ledger_index_path(l, path, sizeof path)) ||
        (rc = folder_path(l, folder, sizeof folder)))
        return rc;
    int writable = l->signer != NULL;
    int64_t need = doge_merkle_stored_hash_count(l->size);
    off_t need_bytes = (off_t)need * HS;
    if (writable)
        remove_tmp(folder);
    for (int attempt = 0; attempt < 2; attempt++) {
        l->idx_fd = open(path, (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
        if (l->idx_fd >= 0) {
            struct stat sb;
            if (fstat(l->idx_fd, &sb) != 0) {
                rc = doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
            } else if (!S_ISREG(sb.st_mode) || sb.st_size < need_bytes) {
                rc = doge__error_set(DOGE_EVERIFY, "%s: holds %lld bytes, the tree needs %lld",
                                     path, (long long)sb.st_size, (long long)need_bytes);
            } else if (writable && sb.st_size > need_bytes &&
                       (ftruncate(l->idx_fd, need_bytes) != 0 || fsync(l->idx_fd) != 0)) {
                /* Hashes of a batch whose checkpoint was never written. */
                return doge__error_set(DOGE_EIO, "%s: cannot cut it to %lld bytes: %s", path,
                                       (long long)need_bytes, strerror(errno));
            } else {
                rc = adopt(l, need, path);
            }
            if (rc == DOGE_OK)
                return DOGE_OK;
            doge__ledger_index_close(l);
        }
        /* Read-only: use the tiles, write nothing. A second failure after a
         * rebuild is an error. */
        if (!writable)
            return DOGE_OK;
        if (attempt > 0)
            return doge__error_prefix("%s: the rebuilt hash index does not open", path);
        if ((rc = rebuild(l, path)))
            return rc;
    }
    return DOGE_OK;
}

int doge__ledger_index_write(doge_ledger *l, int64_t from, const uint8_t *hashes, size_t n)
{
    char path[PATH_MAX];
    int rc = doge__ledger_index_path(l, path, sizeof path);
    if (rc)
        return rc;
    if (l->idx_fd < 0)
        return doge__error_set(DOGE_ERROR, "%s: the hash index is not open for writing", path);
    if ((rc = write_all(l->idx_fd, hashes, n * HS, (off_t)from * HS, path)))
        return rc;
    if (fdatasync(l->idx_fd) != 0)
        return doge__error_set(DOGE_EIO, "%s: fdatasync: %s", path, strerror(errno));
    return DOGE_OK;
}

int doge__ledger_index_grow(doge_ledger *l, int64_t count)
{
    if (l->idx_fd < 0)
        return DOGE_OK;
    if (count > 0) {
        char path[PATH_MAX];
        int rc = doge__ledger_index_path(l, path, sizeof path);
        if (rc || (rc = map_at_least(l, (size_t)count * HS, path)))
            return rc;
    }
    l->idx_count = count;
    return DOGE_OK;
}
