/*
 * tile.c — C2SP tlog-tiles for the ledger: tile coordinates (height 8),
 * canonical tile and entry-bundle paths and their strict parser (the HTTP
 * server feeds it request paths, so anything but the canonical form is
 * refused), which tiles a tree consists of, tile data built from stored
 * hashes, stored hashes recomputed from tile data, and the uint16
 * length-prefixed entry bundles. Everything works in caller buffers; nothing
 * allocates.
 */
#include "doge/tile.h"
#include "internal.h"

#include <stdio.h>
#include <string.h>

#define HS DOGE_MERKLE_HASH_SIZE
#define H DOGE_TILE_HEIGHT
#define W DOGE_TILE_WIDTH

/* The largest tile number: keeps n*256 + 256 within int64_t. */
#define TILE_N_MAX ((INT64_MAX - W) / W)

int doge_tile_check(const doge_tile *t)
{
    if (t == NULL)
        return doge__error_set(DOGE_EINVAL, "tile: NULL argument");
    if (t->level < DOGE_TILE_LEVEL_ENTRIES || t->level > DOGE_TILE_LEVEL_MAX)
        return doge__error_set(DOGE_EINVAL, "tile: level %d out of range", t->level);
    if (t->n < 0 || t->n > TILE_N_MAX)
        return doge__error_set(DOGE_EINVAL, "tile: number %lld out of range", (long long)t->n);
    if (t->width < 1 || t->width > W)
        return doge__error_set(DOGE_EINVAL, "tile: width %d out of range", t->width);
    return DOGE_OK;
}

/* The number of tree-level-8L hashes in a tree of size records. */
static int64_t level_hashes(int level, int64_t size)
{
    int shift = H * (level < 0 ? 0 : level);
    return shift >= 63 ? 0 : size >> shift;
}

/* ---- paths ------------------------------------------------------------------ */

int doge_tile_path(const doge_tile *t, char *buf, size_t cap, size_t *len)
{
    int rc = doge_tile_check(t);
    if (rc != DOGE_OK)
        return rc;
    if (buf == NULL)
        return doge__error_set(DOGE_EINVAL, "tile path: NULL buffer");
    char tmp[DOGE_TILE_PATH_MAX];
    size_t k = 0;
    int w;
    if (t->level == DOGE_TILE_LEVEL_ENTRIES)
        w = snprintf(tmp, sizeof tmp, "tile/entries/");
    else
        w = snprintf(tmp, sizeof tmp, "tile/%d/", t->level);
    k = (size_t)w;
    /* N in base 1000, most significant group first. */
    int groups[8], g = 0;
    int64_t n = t->n;
    do {
        groups[g++] = (int)(n % 1000);
        n /= 1000;
    } while (n > 0);
    while (g-- > 1)
        k += (size_t)snprintf(tmp + k, sizeof tmp - k, "x%03d/", groups[g]);
    k += (size_t)snprintf(tmp + k, sizeof tmp - k, "%03d", groups[0]);
    if (t->width < W)
        k += (size_t)snprintf(tmp + k, sizeof tmp - k, ".p/%d", t->width);
    if (k + 1 > cap)
        return doge__error_set(DOGE_ELIMIT, "tile path: needs %zu bytes, buffer has %zu", k + 1, cap);
    memcpy(buf, tmp, k + 1);
    if (len != NULL)
        *len = k;
    return DOGE_OK;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Parses a canonical decimal (no sign, no leading zeros) of 1..maxdigits
 * digits at s[*i], advancing *i. Returns -1 when there is none. */
static int parse_small(const char *s, size_t len, size_t *i, int maxdigits)
{
    size_t j = *i;
    int v = 0, d = 0;
    while (j < len && is_digit(s[j]) && d < maxdigits + 1) {
        v = v * 10 + (s[j] - '0');
        j++;
        d++;
    }
    if (d == 0 || d > maxdigits || (d > 1 && s[*i] == '0'))
        return -1;
    *i = j;
    return v;
}

static int bad_path(const char *path, size_t len, const char *why)
{
    int shown = len > 80 ? 80 : (int)len;
    return doge__error_set(DOGE_EINVAL, "malformed tile path \"%.*s%s\": %s", shown, path,
                           len > 80 ? "..." : "", why);
}

int doge_tile_parse_path(const char *path, size_t len, doge_tile *out)
{
    if (path == NULL || out == NULL)
        return doge__error_set(DOGE_EINVAL, "tile path: NULL argument");
    if (len >= DOGE_TILE_PATH_MAX)
        return bad_path(path, len, "too long");
    static const char prefix[] = "tile/";
    size_t i = sizeof prefix - 1;
    if (len < i || memcmp(path, prefix, i) != 0)
        return bad_path(path, len, "does not start with tile/");
    doge_tile t;
    static const char entries[] = "entries/";
    if (len - i >= sizeof entries - 1 && memcmp(path + i, entries, sizeof entries - 1) == 0) {
        t.level = DOGE_TILE_LEVEL_ENTRIES;
        i += sizeof entries - 1;
    } else {
        int l = parse_small(path, len, &i, 2);
        if (l < 0 || l > DOGE_TILE_LEVEL_MAX)
            return bad_path(path, len, "level is not a decimal 0..63");
        if (i >= len || path[i] != '/')
            return bad_path(path, len, "level not followed by /");
        i++;
        t.level = l;
    }
    /* N: "xDDD/" groups, then a last "DDD". */
    int64_t n = 0;
    for (;;) {
        int x = i < len && path[i] == 'x';
        if (x)
            i++;
        if (len - i < 3 || !is_digit(path[i]) || !is_digit(path[i + 1]) || !is_digit(path[i + 2]))
            return bad_path(path, len, "number group is not three digits");
        int d = (path[i] - '0') * 100 + (path[i + 1] - '0') * 10 + (path[i + 2] - '0');
        i += 3;
        if (n > (TILE_N_MAX - d) / 1000)
            return bad_path(path, len, "tile number too large");
        n = n * 1000 + d;
        if (!x)
            break;
        if (i >= len || path[i] != '/')
            return bad_path(path, len, "x group not followed by /");
        i++;
    }
    t.n = n;
    t.width = W;
    if (i < len) {
        if (len - i < 3 || memcmp(path + i, ".p/", 3) != 0)
            return bad_path(path, len, "unexpected text after the tile number");
        i += 3;
        int w = parse_small(path, len, &i, 3);
        if (w < 1 || w >= W)
            return bad_path(path, len, "partial width is not a decimal 1..255");
        if (i != len)
            return bad_path(path, len, "unexpected text after the width");
        t.width = w;
    }
    /* Belt and braces: only the canonical spelling of t is accepted. */
    char canon[DOGE_TILE_PATH_MAX];
    size_t clen;
    if (doge_tile_path(&t, canon, sizeof canon, &clen) != DOGE_OK || clen != len ||
        memcmp(canon, path, len) != 0)
        return bad_path(path, len, "not in canonical form");
    *out = t;
    return DOGE_OK;
}

/* ---- tiles and stored hashes -------------------------------------------------- */

/* Like doge_tile_for_index, also giving the range [start, end) of hashes in
 * the tile data whose subtree hash is the stored hash. */
static int tile_for_index(int64_t index, doge_tile *t, int *start, int *end)
{
    int level;
    int64_t n;
    int rc = doge_merkle_split_stored_hash_index(index, &level, &n);
    if (rc != DOGE_OK)
        return rc;
    t->level = level / H;
    int in = level - t->level * H;       /* level within the tile, 0..7 */
    t->n = (n << in) >> H;               /* in tile-entry units, then tiles */
    int64_t k = n - ((t->n << H) >> in); /* the hash's number within the tile at its level */
    t->width = (int)((k + 1) << in);
    *start = (int)(k << in);
    *end = (int)((k + 1) << in);
    return DOGE_OK;
}

int doge_tile_for_index(int64_t index, doge_tile *out)
{
    int start, end;
    if (out == NULL)
        return doge__error_set(DOGE_EINVAL, "tile for index: NULL argument");
    return tile_for_index(index, out, &start, &end);
}

int doge_tile_hash_from_data(const doge_tile *t, const uint8_t *data, size_t len, int64_t index,
                             uint8_t out[HS])
{
    int rc = doge_tile_check(t);
    if (rc != DOGE_OK)
        return rc;
    if (data == NULL || out == NULL)
        return doge__error_set(DOGE_EINVAL, "tile hash: NULL argument");
    if (t->level == DOGE_TILE_LEVEL_ENTRIES)
        return doge__error_set(DOGE_EINVAL, "tile hash: an entry bundle holds no hashes");
    if (len != (size_t)t->width * HS)
        return doge__error_set(DOGE_EINVAL, "tile hash: %zu bytes of data for a tile of width %d",
                               len, t->width);
    doge_tile t1;
    int start, end;
    if ((rc = tile_for_index(index, &t1, &start, &end)) != DOGE_OK)
        return rc;
    if (t1.level != t->level || t1.n != t->n || t1.width > t->width)
        return doge__error_set(DOGE_EINVAL, "tile hash: stored hash %lld is not in tile %d/%lld width %d",
                               (long long)index, t->level, (long long)t->n, t->width);
    /* The stored hash is the subtree hash of the 2^k hashes [start, end). */
    uint8_t buf[(W / 2) * HS];
    int count = end - start;
    if (count == 1) {
        memcpy(out, data + (size_t)start * HS, HS);
        return DOGE_OK;
    }
    const uint8_t *src = data + (size_t)start * HS;
    for (; count > 1; count /= 2) {
        for (int j = 0; j < count / 2; j++) {
            rc = doge_merkle_node_hash(src + (size_t)(2 * j) * HS, src + (size_t)(2 * j + 1) * HS,
                                       buf + (size_t)j * HS);
            if (rc != DOGE_OK)
                return rc;
        }
        src = buf;
    }
    memcpy(out, buf, HS);
    return DOGE_OK;
}

int doge_tile_read_data(const doge_tile *t, doge_merkle_hash_reader read, void *ctx, uint8_t *out,
                        size_t cap, size_t *len)
{
    int rc = doge_tile_check(t);
    if (rc != DOGE_OK)
        return rc;
    if (read == NULL || out == NULL || len == NULL)
        return doge__error_set(DOGE_EINVAL, "tile read data: NULL argument");
    if (t->level == DOGE_TILE_LEVEL_ENTRIES)
        return doge__error_set(DOGE_EINVAL, "tile read data: an entry bundle holds no hashes");
    size_t need = (size_t)t->width * HS;
    if (need > cap)
        return doge__error_set(DOGE_ELIMIT, "tile read data: needs %zu bytes, buffer has %zu", need, cap);
    int64_t indexes[W];
    for (int i = 0; i < t->width; i++) {
        int64_t x = t->level * H > 62 ? -1 : doge_merkle_stored_hash_index(t->level * H, t->n * W + i);
        if (x < 0)
            return doge__error_set(DOGE_ERANGE, "tile read data: tile %d/%lld is beyond any tree",
                                   t->level, (long long)t->n);
        indexes[i] = x;
    }
    rc = read(ctx, indexes, (size_t)t->width, out);
    if (rc != DOGE_OK)
        return rc < 0 ? rc : doge__error_set(DOGE_ERROR, "tile read data: hash reader failed");
    *len = need;
    return DOGE_OK;
}

int doge_tile_new_tiles(int64_t old_size, int64_t new_size, doge_tile *out, size_t cap,
                        size_t *count)
{
    if (count == NULL || (out == NULL && cap > 0))
        return doge__error_set(DOGE_EINVAL, "new tiles: NULL argument");
    if (old_size < 0 || new_size > DOGE_MERKLE_MAX_SIZE || old_size > new_size)
        return doge__error_set(DOGE_EINVAL, "new tiles: bad sizes %lld -> %lld",
                               (long long)old_size, (long long)new_size);
    size_t k = 0;
    for (int level = 0; level_hashes(level, new_size) > 0; level++) {
        int64_t old_n = level_hashes(level, old_size), new_n = level_hashes(level, new_size);
        if (old_n == new_n)
            continue;
        for (int64_t n = old_n / W; n < new_n / W; n++, k++)
            if (k < cap)
                out[k] = (doge_tile){.level = level, .n = n, .width = W};
        int64_t n = new_n / W;
        int w = (int)(new_n - n * W);
        if (w > 0) {
            if (k < cap)
                out[k] = (doge_tile){.level = level, .n = n, .width = w};
            k++;
        }
    }
    *count = k;
    if (k > cap)
        return doge__error_set(DOGE_ELIMIT, "new tiles: %zu tiles, room for %zu", k, cap);
    return DOGE_OK;
}

int doge_tile_in_tree(const doge_tile *t, int64_t size)
{
    int rc = doge_tile_check(t);
    if (rc != DOGE_OK)
        return rc;
    if (size < 0 || size > DOGE_MERKLE_MAX_SIZE)
        return doge__error_set(DOGE_EINVAL, "tile in tree: size %lld out of range", (long long)size);
    int64_t have = level_hashes(t->level, size);
    int ok = t->width == W ? t->n < have / W : t->n == have / W && t->width == (int)(have % W);
    if (!ok)
        return doge__error_set(DOGE_ENOTFOUND, "tile %d/%lld width %d is not in the tree of size %lld",
                               t->level, (long long)t->n, t->width, (long long)size);
    return DOGE_OK;
}

/* ---- entry bundles ------------------------------------------------------------- */

int doge_tile_bundle_append(uint8_t *buf, size_t cap, size_t *len, const void *entry, size_t elen)
{
    if (buf == NULL || len == NULL || (entry == NULL && elen > 0))
        return doge__error_set(DOGE_EINVAL, "bundle append: NULL argument");
    if (elen > DOGE_TILE_ENTRY_MAX)
        return doge__error_set(DOGE_EINVAL, "bundle append: entry of %zu bytes exceeds %d",
                               elen, DOGE_TILE_ENTRY_MAX);
    if (*len > cap || cap - *len < 2 || cap - *len - 2 < elen)
        return doge__error_set(DOGE_ELIMIT, "bundle append: no room for %zu more bytes", elen + 2);
    buf[*len] = (uint8_t)(elen >> 8);
    buf[*len + 1] = (uint8_t)elen;
    if (elen > 0)
        memcpy(buf + *len + 2, entry, elen);
    *len += 2 + elen;
    return DOGE_OK;
}

int doge_tile_bundle_parse(const uint8_t *data, size_t len, doge_tile_entry *out, size_t cap,
                           size_t *count)
{
    if ((data == NULL && len > 0) || count == NULL || (out == NULL && cap > 0))
        return doge__error_set(DOGE_EINVAL, "bundle parse: NULL argument");
    if (len == 0)
        return doge__error_set(DOGE_EINVAL, "bundle parse: empty bundle");
    size_t off = 0, k = 0;
    while (off < len) {
        if (len - off < 2)
            return doge__error_set(DOGE_EINVAL, "bundle parse: truncated length at byte %zu", off);
        size_t elen = (size_t)data[off] << 8 | data[off + 1];
        off += 2;
        if (len - off < elen)
            return doge__error_set(DOGE_EINVAL, "bundle parse: entry %zu of %zu bytes at byte %zu runs past the end (%zu bytes)",
                                   k, elen, off - 2, len);
        if (k >= W)
            return doge__error_set(DOGE_EINVAL, "bundle parse: more than %d entries", W);
        if (k >= cap)
            return doge__error_set(DOGE_ELIMIT, "bundle parse: more than %zu entries", cap);
        out[k].data = data + off;
        out[k].len = elen;
        k++;
        off += elen;
    }
    *count = k;
    return DOGE_OK;
}
