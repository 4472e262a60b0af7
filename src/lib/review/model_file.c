/*
 * model_file.c — the classifier's model file (review/model.bin in a
 * workspace): a 96-byte little-endian header (magic "DOGERVM\n", version,
 * category count, the training options, the training set's hash and sizes,
 * the weight scale and the row count), then one record per feature bucket
 * with a non-zero weight (the bucket as a LEB128 delta from the previous
 * one, then the nine int16 weights zigzag-LEB128 coded), then a 64-bit
 * FNV-1a checksum of everything before it. Load checks every field, the
 * order of the buckets, the checksum and the exact length, and names the
 * file in every error. docs/review.md gives the layout.
 */
#include "internal.h"
#include "review/review_internal.h"

#include "doge/buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC "DOGERVM\n"
#define VERSION 1u
#define HEADER 96
#define MAX_FILE ((size_t)64 << 20)

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint64_t dbits(double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    return v;
}

static double bitsd(uint64_t v)
{
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static uint64_t checksum(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static int put_varint(doge_buf *b, uint32_t v)
{
    char tmp[5];
    size_t n = 0;
    do {
        uint8_t byte = (uint8_t)(v & 0x7f);
        v >>= 7;
        tmp[n++] = (char)(v ? byte | 0x80 : byte);
    } while (v);
    return doge_buf_append(b, tmp, n);
}

/* Reads a LEB128 value of at most 32 bits; 0 at a truncated or overlong
 * one. */
static int get_varint(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
    uint32_t v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
        if (*p >= end)
            return 0;
        uint8_t byte = *(*p)++;
        if (shift == 28 && (byte & 0x70))
            return 0;
        v |= (uint32_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *out = v;
            return 1;
        }
    }
    return 0;
}

int doge_review_model_save(const doge_review_model *m, const char *path)
{
    doge_buf b;
    doge_buf_init(&b, MAX_FILE);
    uint8_t h[HEADER];
    memset(h, 0, sizeof h);
    const doge_review_train_opts *o = &m->info.opts;
    memcpy(h, MAGIC, 8);
    put32(h + 8, VERSION);
    put32(h + 12, DOGE__REVIEW_NCAT);
    put32(h + 16, m->bits);
    put32(h + 20, (uint32_t)o->epochs);
    put64(h + 24, o->seed);
    put64(h + 32, dbits(o->l2));
    put64(h + 40, dbits(o->learn_rate));
    put64(h + 48, dbits(o->test_share));
    put64(h + 56, m->info.data_hash);
    put64(h + 64, (uint64_t)m->info.data_count);
    put64(h + 72, (uint64_t)m->info.train_count);
    put64(h + 80, dbits(m->scale));
    put32(h + 88, (uint32_t)m->nrows);
    int rc = doge_buf_append(&b, h, sizeof h);
    size_t words = ((size_t)1 << m->bits) / 64, r = 0;
    uint32_t prev = 0;
    for (size_t w = 0; w < words && rc == DOGE_OK; w++) {
        for (uint64_t bits = m->blocks[w].bits; bits && rc == DOGE_OK; bits &= bits - 1) {
            uint32_t bucket = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
            rc = put_varint(&b, bucket - prev);
            prev = bucket;
            const int16_t *row = m->rows + r++ * DOGE__REVIEW_NCAT;
            for (int c = 0; c < DOGE__REVIEW_NCAT && rc == DOGE_OK; c++) {
                int32_t v = row[c];
                rc = put_varint(&b, v < 0 ? ((uint32_t)-v << 1) - 1 : (uint32_t)v << 1);
            }
        }
    }
    if (rc == DOGE_OK) {
        uint8_t sum[8];
        put64(sum, checksum((const uint8_t *)b.data, b.len));
        rc = doge_buf_append(&b, sum, sizeof sum);
    }
    if (rc != DOGE_OK) {
        doge_buf_dispose(&b);
        return doge__error_prefix("%s", path);
    }
    /* Create the parent folder (review/ in a workspace). */
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char dir[4096];
        size_t dl = (size_t)(slash - path);
        if (dl >= sizeof dir) {
            doge_buf_dispose(&b);
            return doge__error_set(DOGE_ELIMIT, "%s: path too long", path);
        }
        memcpy(dir, path, dl);
        dir[dl] = '\0';
        rc = doge__mkdirs(dir, 0755);
    }
    if (rc == DOGE_OK)
        rc = doge__file_write_atomic(path, b.data, b.len, 0644);
    doge_buf_dispose(&b);
    return rc;
}

static int corrupt(const char *path, const char *what)
{
    return doge__error_set(DOGE_EINVAL, "%s: not a valid doge review model: %s (retrain with "
                                        "'doge review train')",
                           path, what);
}

int doge_review_model_load(doge_review_model **out, const char *path)
{
    *out = NULL;
    char *data;
    size_t len;
    int rc = doge__file_read(path, MAX_FILE, &data, &len);
    if (rc != DOGE_OK)
        return rc;
    const uint8_t *d = (const uint8_t *)data;
    doge_review_model *m = NULL;
    char what[160];
    if (len < 8 || memcmp(d, MAGIC, 8) != 0) {
        rc = corrupt(path, "no DOGERVM magic at the start");
        goto fail;
    }
    if (len < HEADER + 8) {
        snprintf(what, sizeof what, "truncated (%zu bytes, the header alone is %d)", len,
                 HEADER + 8);
        rc = corrupt(path, what);
        goto fail;
    }
    if (get32(d + 8) != VERSION) {
        snprintf(what, sizeof what, "version %u (this doge reads version %u)", get32(d + 8),
                 VERSION);
        rc = corrupt(path, what);
        goto fail;
    }
    if (checksum(d, len - 8) != get64(d + len - 8)) {
        rc = corrupt(path, "checksum mismatch (truncated or corrupt)");
        goto fail;
    }
    if (get32(d + 12) != DOGE__REVIEW_NCAT) {
        snprintf(what, sizeof what, "%u categories (this doge has %d)", get32(d + 12),
                 DOGE__REVIEW_NCAT);
        rc = corrupt(path, what);
        goto fail;
    }
    doge_review_train_opts o;
    memset(&o, 0, sizeof o);
    o.hash_bits = get32(d + 16);
    o.epochs = (int)get32(d + 20);
    o.seed = get64(d + 24);
    o.l2 = bitsd(get64(d + 32));
    o.learn_rate = bitsd(get64(d + 40));
    o.test_share = bitsd(get64(d + 48));
    doge_review_train_opts checked;
    if (o.seed == 0 || o.hash_bits == 0 || o.epochs <= 0 || !(o.l2 > 0) || !(o.learn_rate > 0) ||
        doge__review_opts_resolve(&o, &checked) != DOGE_OK) {
        rc = corrupt(path, "training options out of range");
        goto fail;
    }
    m = calloc(1, sizeof *m);
    if (!m) {
        rc = doge__error_oom();
        goto fail;
    }
    m->bits = o.hash_bits;
    m->info.opts = o;
    m->info.data_hash = get64(d + 56);
    uint64_t data_count = get64(d + 64), train_count = get64(d + 72);
    m->scale = bitsd(get64(d + 80));
    uint32_t nrows = get32(d + 88);
    if (train_count > data_count || data_count > ((uint64_t)1 << 40) || !(m->scale > 0) ||
        !isfinite(m->scale) || nrows > ((uint32_t)1 << m->bits) || get32(d + 92) != 0 ||
        (uint64_t)nrows * (1 + DOGE__REVIEW_NCAT) > len - HEADER - 8) {
        rc = corrupt(path, "header fields out of range");
        goto fail;
    }
    m->info.data_count = (size_t)data_count;
    m->info.train_count = (size_t)train_count;
    rc = doge__review_model_alloc(m, nrows);
    if (rc != DOGE_OK)
        goto fail;
    const uint8_t *p = d + HEADER, *end = d + len - 8;
    uint32_t bucket = 0;
    size_t nonzero = 0;
    for (uint32_t r = 0; r < nrows; r++) {
        uint32_t delta;
        if (!get_varint(&p, end, &delta) || (r > 0 && delta == 0) ||
            (uint64_t)bucket + delta >= ((uint64_t)1 << m->bits)) {
            snprintf(what, sizeof what, "row %u: bad bucket", r);
            rc = corrupt(path, what);
            goto fail;
        }
        bucket += delta;
        m->blocks[bucket >> 6].bits |= (uint64_t)1 << (bucket & 63);
        int any = 0;
        for (int c = 0; c < DOGE__REVIEW_NCAT; c++) {
            uint32_t z;
            if (!get_varint(&p, end, &z) || z > 65534) {
                snprintf(what, sizeof what, "row %u: bad weight", r);
                rc = corrupt(path, what);
                goto fail;
            }
            int32_t v = (z & 1) ? -(int32_t)((z + 1) >> 1) : (int32_t)(z >> 1);
            m->rows[(size_t)r * DOGE__REVIEW_NCAT + c] = (int16_t)v;
            any |= v != 0;
            nonzero += v != 0;
        }
        if (!any) {
            snprintf(what, sizeof what, "row %u: all weights zero", r);
            rc = corrupt(path, what);
            goto fail;
        }
    }
    if (p != end) {
        rc = corrupt(path, "bytes left after the last row");
        goto fail;
    }
    doge__review_model_index(m);
    m->info.rows = nrows;
    m->info.weights = nonzero;
    free(data);
    *out = m;
    return DOGE_OK;
fail:
    free(data);
    doge_review_model_free(m);
    return rc;
}
