/*
 * test_tile.c — C2SP tlog-tiles (doge/tile.h): tile and entry-bundle paths
 * (known encodings, random round trips, and a list of non-canonical or
 * hostile paths that must be refused), which tiles make up a tree (the
 * spec's 70,000-entry example and incremental growth), tile data built from
 * stored hashes matching the spec's MTH definition, stored hashes, tree
 * heads and proofs recomputed from tile data alone, and entry bundles
 * (round trips, strict bounds, random garbage).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "merkle_testutil.h"

static void expect_path(int level, int64_t n, int width, const char *want)
{
    doge_tile t = {.level = level, .n = n, .width = width}, back;
    char buf[DOGE_TILE_PATH_MAX];
    size_t len;
    assert_int_equal(doge_tile_path(&t, buf, sizeof buf, &len), DOGE_OK);
    assert_string_equal(buf, want);
    assert_int_equal(len, strlen(want));
    assert_int_equal(doge_tile_parse_path(want, strlen(want), &back), DOGE_OK);
    assert_int_equal(back.level, level);
    assert_int_equal(back.n, n);
    assert_int_equal(back.width, width);
}

static void test_path_known(void **state)
{
    (void)state;
    expect_path(0, 0, 256, "tile/0/000");
    expect_path(0, 1234067, 256, "tile/0/x001/x234/067");
    expect_path(1, 1234067, 1, "tile/1/x001/x234/067.p/1");
    expect_path(2, 999, 255, "tile/2/999.p/255");
    expect_path(3, 1000, 256, "tile/3/x001/000");
    expect_path(63, 5, 16, "tile/63/005.p/16");
    expect_path(DOGE_TILE_LEVEL_ENTRIES, 0, 256, "tile/entries/000");
    expect_path(DOGE_TILE_LEVEL_ENTRIES, 123456789, 17, "tile/entries/x123/x456/789.p/17");
    /* The largest tile number still fits the buffer. */
    int64_t nmax = (INT64_MAX - 256) / 256;
    doge_tile t = {.level = DOGE_TILE_LEVEL_ENTRIES, .n = nmax, .width = 255}, back;
    char buf[DOGE_TILE_PATH_MAX];
    size_t len;
    assert_int_equal(doge_tile_path(&t, buf, sizeof buf, &len), DOGE_OK);
    assert_int_equal(doge_tile_parse_path(buf, len, &back), DOGE_OK);
    assert_int_equal(back.n, nmax);
    t.n = nmax + 1;
    assert_int_equal(doge_tile_path(&t, buf, sizeof buf, &len), DOGE_EINVAL);
    /* Small buffers and bad tiles. */
    t = (doge_tile){.level = 0, .n = 1234067, .width = 1};
    assert_int_equal(doge_tile_path(&t, buf, 24, &len), DOGE_ELIMIT);
    assert_int_equal(doge_tile_path(&t, buf, 25, &len), DOGE_OK);
    assert_string_equal(buf, "tile/0/x001/x234/067.p/1");
    doge_tile bad[] = {{-2, 0, 256}, {64, 0, 256}, {0, -1, 256}, {0, 0, 0}, {0, 0, 257}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(doge_tile_check(&bad[i]), DOGE_EINVAL);
        assert_int_equal(doge_tile_path(&bad[i], buf, sizeof buf, &len), DOGE_EINVAL);
    }
}

static void test_path_roundtrip(void **state)
{
    (void)state;
    uint64_t seed = 99;
    for (int i = 0; i < 20000; i++) {
        doge_tile t, back;
        t.level = (int)tu_below(&seed, 65) - 1;
        int digits = 1 + (int)tu_below(&seed, 16);
        int64_t lim = 1;
        for (int d = 0; d < digits; d++)
            lim *= 10;
        t.n = tu_below(&seed, lim);
        t.width = (i & 1) ? 256 : 1 + (int)tu_below(&seed, 256);
        char buf[DOGE_TILE_PATH_MAX];
        size_t len;
        assert_int_equal(doge_tile_path(&t, buf, sizeof buf, &len), DOGE_OK);
        assert_int_equal(doge_tile_parse_path(buf, len, &back), DOGE_OK);
        assert_int_equal(back.level, t.level);
        assert_int_equal(back.n, t.n);
        assert_int_equal(back.width, t.width);
        /* Any single-byte change, truncation or extension is refused or
         * names another tile whose canonical path is exactly the changed
         * string. */
        char mut[DOGE_TILE_PATH_MAX + 1];
        memcpy(mut, buf, len);
        size_t pos = (size_t)tu_below(&seed, (int64_t)len);
        static const char alphabet[] = "0123456789x./pentries-+ \\%";
        mut[pos] = alphabet[tu_below(&seed, (int64_t)sizeof alphabet - 1)];
        doge_tile other;
        if (doge_tile_parse_path(mut, len, &other) == DOGE_OK) {
            char canon[DOGE_TILE_PATH_MAX];
            size_t clen;
            assert_int_equal(doge_tile_path(&other, canon, sizeof canon, &clen), DOGE_OK);
            assert_int_equal(clen, len);
            assert_memory_equal(canon, mut, len);
        }
        size_t cut = (size_t)tu_below(&seed, (int64_t)len);
        if (doge_tile_parse_path(buf, cut, &other) == DOGE_OK) {
            char canon[DOGE_TILE_PATH_MAX];
            size_t clen;
            assert_int_equal(doge_tile_path(&other, canon, sizeof canon, &clen), DOGE_OK);
            assert_int_equal(clen, cut);
            assert_memory_equal(canon, buf, cut);
        }
        mut[pos] = buf[pos];
        mut[len] = '0';
        if (doge_tile_parse_path(mut, len + 1, &other) == DOGE_OK) {
            char canon[DOGE_TILE_PATH_MAX];
            size_t clen;
            assert_int_equal(doge_tile_path(&other, canon, sizeof canon, &clen), DOGE_OK);
            assert_int_equal(clen, len + 1);
            assert_memory_equal(canon, mut, len + 1);
        }
    }
}

static void test_path_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "t", "tile", "tile/", "tile/0", "tile/0/", "tile//000", "/tile/0/000", "tile/0/000/",
        "TILE/0/000", "tiles/0/000", "tile/0/00", "tile/0/0000", "tile/0/0", "tile/00/000",
        "tile/01/000", "tile/64/000", "tile/100/000", "tile/-1/000", "tile/+1/000", "tile/ 1/000",
        "tile/1 /000", "tile/0/x000/123", "tile/0/x000/x001/123", "tile/0/x001", "tile/0/x001/",
        "tile/0/001/002", "tile/0/x1/000", "tile/0/x0001/000", "tile/0/X001/000", "tile/0/xx01/000",
        "tile/0/x001/x234/067/", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/300",
        "tile/0/000.p/01", "tile/0/000.p/", "tile/0/000.p", "tile/0/000.p/1/", "tile/0/000.p/1x",
        "tile/0/000.P/1", "tile/0/000.q/1", "tile/0/000p/1", "tile/0/000.p/-1", "tile/0/000.p/+1",
        "tile/0/../000", "tile/../0/000", "tile/0/./000", "tile/0/000/..", "tile/0/x001/../000",
        "tile/entries/../0/000", "tile/entries", "tile/entries/", "tile/entries/0", "tile/entry/000",
        "tile/data/000", "tile/8/0/000", "tile/0/+12", "tile/0/ 12", "tile/0/12 ", "tile/0/1a2",
        "tile/0/000\\", "tile/0\\000", "tile/0/%30%30%30", "tile/0/000?x=1", "tile/0/000#",
        "tile/0/x036/x028/x797/x018/x963/x969/000", "tile/0/x999/x999/x999/x999/x999/x999/999",
        "tile/0/000.p/255/x", "tile/entries/x001/x234/067.p/1/",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        doge_tile t;
        int rc = doge_tile_parse_path(bad[i], strlen(bad[i]), &t);
        if (rc != DOGE_EINVAL)
            fail_msg("path \"%s\" gave %s, want DOGE_EINVAL", bad[i], doge_error_name(rc));
    }
    /* An embedded NUL, and a valid path followed by more bytes. */
    doge_tile t;
    assert_int_equal(doge_tile_parse_path("tile/0/000\0", 11, &t), DOGE_EINVAL);
    assert_int_equal(doge_tile_parse_path("tile/0/000/x", 12, &t), DOGE_EINVAL);
    assert_int_equal(doge_tile_parse_path("tile/0/000", 10, &t), DOGE_OK);
    assert_int_equal(doge_tile_parse_path("tile/0/000", 9, &t), DOGE_EINVAL);
    /* Too long for any tile. */
    char longp[200];
    memset(longp, 'x', sizeof longp);
    assert_int_equal(doge_tile_parse_path(longp, sizeof longp, &t), DOGE_EINVAL);
    assert_int_equal(doge_tile_parse_path(NULL, 0, &t), DOGE_EINVAL);
}

/* ---- tiles of a tree ---------------------------------------------------------- */

static void test_new_tiles(void **state)
{
    (void)state;
    /* The spec's example: a tree of 70,000 entries. */
    doge_tile tiles[400];
    size_t count;
    assert_int_equal(doge_tile_new_tiles(0, 70000, tiles, 400, &count), DOGE_OK);
    assert_int_equal(count, 277);
    for (int i = 0; i < 273; i++) {
        assert_int_equal(tiles[i].level, 0);
        assert_int_equal(tiles[i].n, i);
        assert_int_equal(tiles[i].width, 256);
    }
    const doge_tile rest[] = {{0, 273, 112}, {1, 0, 256}, {1, 1, 17}, {2, 0, 1}};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(tiles[273 + i].level, rest[i].level);
        assert_int_equal(tiles[273 + i].n, rest[i].n);
        assert_int_equal(tiles[273 + i].width, rest[i].width);
    }
    for (size_t i = 0; i < count; i++)
        assert_int_equal(doge_tile_in_tree(&tiles[i], 70000), DOGE_OK);
    /* "a tree of size 256 will be represented by a full level 0 tile and a
     * partial level 1 tile of width 1" */
    assert_int_equal(doge_tile_new_tiles(0, 256, tiles, 400, &count), DOGE_OK);
    assert_int_equal(count, 2);
    assert_true(tiles[0].level == 0 && tiles[0].n == 0 && tiles[0].width == 256);
    assert_true(tiles[1].level == 1 && tiles[1].n == 0 && tiles[1].width == 1);
    assert_int_equal(doge_tile_new_tiles(0, 0, tiles, 400, &count), DOGE_OK);
    assert_int_equal(count, 0);
    assert_int_equal(doge_tile_new_tiles(5, 5, tiles, 400, &count), DOGE_OK);
    assert_int_equal(count, 0);
    /* Counting only, and a short array. */
    assert_int_equal(doge_tile_new_tiles(0, 70000, NULL, 0, &count), DOGE_ELIMIT);
    assert_int_equal(count, 277);
    assert_int_equal(doge_tile_new_tiles(0, 70000, tiles, 10, &count), DOGE_ELIMIT);
    assert_int_equal(count, 277);
    assert_int_equal(doge_tile_new_tiles(6, 5, tiles, 400, &count), DOGE_EINVAL);
    assert_int_equal(doge_tile_new_tiles(-1, 5, tiles, 400, &count), DOGE_EINVAL);
    assert_int_equal(doge_tile_new_tiles(0, DOGE_MERKLE_MAX_SIZE + 1, tiles, 400, &count), DOGE_EINVAL);
    /* The largest tree: 2^54 full level-0 tiles, partial nothing; count only. */
    assert_int_equal(doge_tile_new_tiles(DOGE_MERKLE_MAX_SIZE - 1, DOGE_MERKLE_MAX_SIZE, NULL, 0, &count),
                     DOGE_ELIMIT);
    assert_int_equal(count, 8); /* one full tile per level 0..6, one partial at level 7 */

    /* Growing: new_tiles(old, new) is exactly the tiles of new that the tree
     * of old did not have (with that width). */
    uint64_t seed = 5;
    static doge_tile a[2000], b[2000], d[2000];
    for (int iter = 0; iter < 300; iter++) {
        int64_t old = tu_below(&seed, 200000), grow = tu_below(&seed, iter & 1 ? 300 : 70000);
        int64_t nw = old + grow;
        size_t na, nb, nd;
        assert_int_equal(doge_tile_new_tiles(0, old, a, 2000, &na), DOGE_OK);
        assert_int_equal(doge_tile_new_tiles(0, nw, b, 2000, &nb), DOGE_OK);
        assert_int_equal(doge_tile_new_tiles(old, nw, d, 2000, &nd), DOGE_OK);
        size_t k = 0;
        for (size_t i = 0; i < nb; i++) {
            int had = 0;
            for (size_t j = 0; j < na && !had; j++)
                had = a[j].level == b[i].level && a[j].n == b[i].n && a[j].width == b[i].width;
            if (had)
                continue;
            assert_true(k < nd);
            assert_true(d[k].level == b[i].level && d[k].n == b[i].n && d[k].width == b[i].width);
            k++;
        }
        assert_int_equal(k, nd);
    }
}

static void test_in_tree(void **state)
{
    (void)state;
    doge_tile t = {0, 0, 256};
    assert_int_equal(doge_tile_in_tree(&t, 256), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, 255), DOGE_ENOTFOUND);
    t.width = 255;
    assert_int_equal(doge_tile_in_tree(&t, 255), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, 256), DOGE_ENOTFOUND);
    assert_int_equal(doge_tile_in_tree(&t, 254), DOGE_ENOTFOUND);
    t = (doge_tile){DOGE_TILE_LEVEL_ENTRIES, 1, 3};
    assert_int_equal(doge_tile_in_tree(&t, 259), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, 260), DOGE_ENOTFOUND);
    t = (doge_tile){1, 0, 1};
    assert_int_equal(doge_tile_in_tree(&t, 256), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, 511), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, 512), DOGE_ENOTFOUND);
    assert_int_equal(doge_tile_in_tree(&t, 255), DOGE_ENOTFOUND);
    t = (doge_tile){63, 0, 1};
    assert_int_equal(doge_tile_in_tree(&t, DOGE_MERKLE_MAX_SIZE), DOGE_ENOTFOUND);
    t = (doge_tile){7, 0, 64};
    assert_int_equal(doge_tile_in_tree(&t, DOGE_MERKLE_MAX_SIZE), DOGE_OK);
    assert_int_equal(doge_tile_in_tree(&t, -1), DOGE_EINVAL);
    t.width = 0;
    assert_int_equal(doge_tile_in_tree(&t, 5), DOGE_EINVAL);
}

static void test_tile_for_index(void **state)
{
    (void)state;
    doge_tile t;
    /* Leaf hashes live in level-0 tiles at their own position. */
    for (int64_t n = 0; n < 3000; n += 7) {
        assert_int_equal(doge_tile_for_index(doge_merkle_stored_hash_index(0, n), &t), DOGE_OK);
        assert_true(t.level == 0 && t.n == n / 256 && t.width == (int)(n % 256) + 1);
    }
    /* Level-8 hashes are level-1 tile entries. */
    assert_int_equal(doge_tile_for_index(doge_merkle_stored_hash_index(8, 300), &t), DOGE_OK);
    assert_true(t.level == 1 && t.n == 1 && t.width == 45);
    /* A level-3 hash is recomputed from 8 entries of a level-0 tile. */
    assert_int_equal(doge_tile_for_index(doge_merkle_stored_hash_index(3, 33), &t), DOGE_OK);
    assert_true(t.level == 0 && t.n == 1 && t.width == 16);
    assert_int_equal(doge_tile_for_index(doge_merkle_stored_hash_index(62, 0), &t), DOGE_OK);
    assert_true(t.level == 7 && t.n == 0 && t.width == 64);
    assert_int_equal(doge_tile_for_index(-1, &t), DOGE_ERANGE);
}

/* A hash reader that answers from tile data only. */
struct tileset {
    doge_tile tiles[400];
    uint8_t *data[400];
    size_t count;
    int64_t size;
};

static int tileset_read(void *ctx, const int64_t *idx, size_t k, uint8_t *out)
{
    struct tileset *ts = ctx;
    for (size_t i = 0; i < k; i++) {
        doge_tile want;
        int rc = doge_tile_for_index(idx[i], &want);
        if (rc != DOGE_OK)
            return rc;
        size_t j = 0;
        while (j < ts->count && !(ts->tiles[j].level == want.level && ts->tiles[j].n == want.n))
            j++;
        if (j == ts->count)
            return DOGE_ENOTFOUND;
        rc = doge_tile_hash_from_data(&ts->tiles[j], ts->data[j], (size_t)ts->tiles[j].width * HSZ,
                                      idx[i], out + i * HSZ);
        if (rc != DOGE_OK)
            return rc;
    }
    return DOGE_OK;
}

static void test_tile_data(void **state)
{
    (void)state;
    enum { SIZE = 70000 };
    memtree m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < SIZE; i++)
        memtree_append(&m, &i, sizeof i);
    static struct tileset ts;
    memset(&ts, 0, sizeof ts);
    ts.size = SIZE;
    assert_int_equal(doge_tile_new_tiles(0, SIZE, ts.tiles, 400, &ts.count), DOGE_OK);
    for (size_t i = 0; i < ts.count; i++) {
        ts.data[i] = malloc(DOGE_TILE_DATA_MAX);
        assert_non_null(ts.data[i]);
        size_t len;
        m.reads = 0;
        assert_int_equal(doge_tile_read_data(&ts.tiles[i], memtree_read, &m, ts.data[i],
                                             DOGE_TILE_DATA_MAX, &len), DOGE_OK);
        assert_int_equal(m.reads, 1);
        assert_int_equal(len, (size_t)ts.tiles[i].width * HSZ);
    }
    /* The spec's definition: hash i of tile n at level l is
     * MTH(D[(n*256 + i) * 256^l : (n*256 + i + 1) * 256^l]). */
    for (size_t i = 0; i < ts.count; i++) {
        const doge_tile *t = &ts.tiles[i];
        int64_t span = (int64_t)1 << (8 * t->level);
        for (int j = 0; j < t->width; j += (t->level == 0 ? 37 : 1)) {
            int64_t lo = (t->n * 256 + j) * span;
            uint8_t want[HSZ];
            ref_mth(m.leaves, lo, lo + span, want);
            assert_memory_equal(ts.data[i] + (size_t)j * HSZ, want, HSZ);
        }
    }
    /* Tree heads and proofs from the tiles alone equal those from the
     * stored hashes. */
    uint64_t seed = 11;
    uint8_t a[DOGE_MERKLE_MAX_PROOF * HSZ], b[DOGE_MERKLE_MAX_PROOF * HSZ];
    size_t la, lb;
    for (int i = 0; i < 600; i++) {
        int64_t t = i == 0 ? SIZE : 1 + tu_below(&seed, SIZE), n = tu_below(&seed, t);
        assert_int_equal(doge_merkle_tree_hash(t, memtree_read, &m, a), DOGE_OK);
        assert_int_equal(doge_merkle_tree_hash(t, tileset_read, &ts, b), DOGE_OK);
        assert_memory_equal(a, b, HSZ);
        assert_int_equal(doge_merkle_prove_record(t, n, memtree_read, &m, a, 64, &la), DOGE_OK);
        assert_int_equal(doge_merkle_prove_record(t, n, tileset_read, &ts, b, 64, &lb), DOGE_OK);
        assert_int_equal(la, lb);
        assert_memory_equal(a, b, la * HSZ);
        assert_int_equal(doge_merkle_prove_tree(t, n + 1, memtree_read, &m, a, 64, &la), DOGE_OK);
        assert_int_equal(doge_merkle_prove_tree(t, n + 1, tileset_read, &ts, b, 64, &lb), DOGE_OK);
        assert_int_equal(la, lb);
        if (la)
            assert_memory_equal(a, b, la * HSZ);
    }
    /* Every stored hash of the tree can be read back from the tiles. */
    for (int64_t x = 0; x < m.nhash; x += 13) {
        uint8_t h[HSZ];
        assert_int_equal(tileset_read(&ts, &x, 1, h), DOGE_OK);
        assert_memory_equal(h, m.hashes + x * HSZ, HSZ);
    }

    /* hash_from_data refuses what it cannot answer. */
    uint8_t h[HSZ];
    const doge_tile *t0 = &ts.tiles[0]; /* level 0, n 0, full */
    int64_t x300 = doge_merkle_stored_hash_index(0, 300);
    assert_int_equal(doge_tile_hash_from_data(t0, ts.data[0], DOGE_TILE_DATA_MAX, x300, h), DOGE_EINVAL);
    assert_int_equal(doge_tile_hash_from_data(t0, ts.data[0], DOGE_TILE_DATA_MAX - 1, 0, h), DOGE_EINVAL);
    doge_tile narrow = {0, 0, 10};
    assert_int_equal(doge_tile_hash_from_data(&narrow, ts.data[0], 10 * HSZ,
                                              doge_merkle_stored_hash_index(0, 9), h), DOGE_OK);
    assert_memory_equal(h, m.leaves + 9 * HSZ, HSZ);
    assert_int_equal(doge_tile_hash_from_data(&narrow, ts.data[0], 10 * HSZ,
                                              doge_merkle_stored_hash_index(0, 10), h), DOGE_EINVAL);
    assert_int_equal(doge_tile_hash_from_data(&narrow, ts.data[0], 10 * HSZ,
                                              doge_merkle_stored_hash_index(4, 0), h), DOGE_EINVAL);
    doge_tile ent = {DOGE_TILE_LEVEL_ENTRIES, 0, 256};
    size_t len;
    assert_int_equal(doge_tile_hash_from_data(&ent, ts.data[0], DOGE_TILE_DATA_MAX, 0, h), DOGE_EINVAL);
    assert_int_equal(doge_tile_read_data(&ent, memtree_read, &m, ts.data[0], DOGE_TILE_DATA_MAX, &len),
                     DOGE_EINVAL);
    assert_int_equal(doge_tile_read_data(t0, memtree_read, &m, ts.data[0], DOGE_TILE_DATA_MAX - 1, &len),
                     DOGE_ELIMIT);
    doge_tile far = {63, 0, 1};
    assert_int_equal(doge_tile_read_data(&far, memtree_read, &m, ts.data[0], DOGE_TILE_DATA_MAX, &len),
                     DOGE_ERANGE);
    m.fail = 1;
    assert_int_equal(doge_tile_read_data(t0, memtree_read, &m, ts.data[0], DOGE_TILE_DATA_MAX, &len),
                     DOGE_EIO);
    for (size_t i = 0; i < ts.count; i++)
        free(ts.data[i]);
    memtree_free(&m);
}

/* ---- entry bundles -------------------------------------------------------------- */

static void test_bundle(void **state)
{
    (void)state;
    enum { CAP = 256 * (2 + 300) + 2 + 65535 };
    uint8_t *buf = malloc(CAP), *big = malloc(65536);
    assert_non_null(buf);
    assert_non_null(big);
    for (size_t i = 0; i < 65536; i++)
        big[i] = (uint8_t)(i * 7);
    size_t len = 0;
    assert_int_equal(doge_tile_bundle_append(buf, CAP, &len, "", 0), DOGE_OK);
    assert_int_equal(doge_tile_bundle_append(buf, CAP, &len, "a", 1), DOGE_OK);
    assert_int_equal(doge_tile_bundle_append(buf, CAP, &len, big, 65535), DOGE_OK);
    assert_int_equal(doge_tile_bundle_append(buf, CAP, &len, big, 65536), DOGE_EINVAL);
    assert_int_equal(len, 2 + 3 + 2 + 65535);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[1], 0);
    assert_int_equal(buf[2], 0);
    assert_int_equal(buf[3], 1);
    assert_int_equal(buf[4], 'a');
    assert_int_equal(buf[5], 0xff);
    assert_int_equal(buf[6], 0xff);
    doge_tile_entry e[256];
    size_t count;
    assert_int_equal(doge_tile_bundle_parse(buf, len, e, 256, &count), DOGE_OK);
    assert_int_equal(count, 3);
    assert_int_equal(e[0].len, 0);
    assert_int_equal(e[1].len, 1);
    assert_int_equal(e[1].data[0], 'a');
    assert_int_equal(e[2].len, 65535);
    assert_memory_equal(e[2].data, big, 65535);
    assert_int_equal(doge_tile_bundle_parse(buf, len, e, 2, &count), DOGE_ELIMIT);
    /* A truncation is refused unless it falls between entries, where it is
     * a shorter bundle (so readers compare the count with the width). */
    for (size_t cut = 0; cut < len; cut += (cut < 16 ? 1 : 4093)) {
        int rc = doge_tile_bundle_parse(buf, cut, e, 256, &count);
        if (cut == 2 || cut == 5) {
            assert_int_equal(rc, DOGE_OK);
            assert_int_equal(count, cut == 2 ? 1 : 2);
        } else {
            assert_int_equal(rc, DOGE_EINVAL);
        }
    }
    /* Room runs out: the bundle is left unchanged. */
    uint8_t small[10];
    size_t sl = 0;
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "abcd", 4), DOGE_OK);
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "ab", 2), DOGE_OK);
    assert_int_equal(sl, 10);
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "", 0), DOGE_ELIMIT);
    assert_int_equal(sl, 10);
    sl = 9;
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "", 0), DOGE_ELIMIT);
    sl = 8;
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "x", 1), DOGE_ELIMIT);
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "", 0), DOGE_OK);
    assert_int_equal(sl, 10);
    sl = 11;
    assert_int_equal(doge_tile_bundle_append(small, sizeof small, &sl, "", 0), DOGE_ELIMIT);
    /* A full bundle of 256 entries parses; 257 do not. */
    len = 0;
    for (int i = 0; i < 257; i++) {
        char rec[32];
        int n = snprintf(rec, sizeof rec, "entry %d", i);
        assert_int_equal(doge_tile_bundle_append(buf, CAP, &len, rec, (size_t)n), DOGE_OK);
        if (i == 255) {
            assert_int_equal(doge_tile_bundle_parse(buf, len, e, 256, &count), DOGE_OK);
            assert_int_equal(count, 256);
            assert_int_equal(e[255].len, 9);
            assert_memory_equal(e[255].data, "entry 255", 9);
        }
    }
    assert_int_equal(doge_tile_bundle_parse(buf, len, e, 256, &count), DOGE_EINVAL);
    assert_int_equal(doge_tile_bundle_parse(buf, 0, e, 256, &count), DOGE_EINVAL);
    /* Random bytes: either a consistent split or a refusal, never a read
     * out of bounds (the ASan build checks). */
    uint64_t seed = 3;
    for (int i = 0; i < 20000; i++) {
        size_t n = 1 + (size_t)tu_below(&seed, 64);
        uint8_t *junk = malloc(n);
        assert_non_null(junk);
        for (size_t j = 0; j < n; j++)
            junk[j] = (uint8_t)(tu_below(&seed, 4) == 0 ? 0 : tu_rand(&seed) % 12);
        if (doge_tile_bundle_parse(junk, n, e, 256, &count) == DOGE_OK) {
            size_t total = 0;
            for (size_t j = 0; j < count; j++) {
                assert_ptr_equal(e[j].data, junk + total + 2);
                total += 2 + e[j].len;
            }
            assert_int_equal(total, n);
        }
        free(junk);
    }
    free(buf);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_known),
        cmocka_unit_test(test_path_roundtrip),
        cmocka_unit_test(test_path_rejects),
        cmocka_unit_test(test_new_tiles),
        cmocka_unit_test(test_in_tree),
        cmocka_unit_test(test_tile_for_index),
        cmocka_unit_test(test_tile_data),
        cmocka_unit_test(test_bundle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
