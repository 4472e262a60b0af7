/*
 * map.c — doge_map, the open-addressing hash map, and doge_map_hash, its
 * wyhash-style hash. Slots hold the full 64-bit hash (so growing never
 * rehashes and most mismatches are rejected without a memcmp), a pointer to
 * the key bytes in the map's arena (NULL marks an empty slot) and the value.
 * Deletion shifts later members of the probe run back, so lookups never see
 * tombstones and the load factor stays honest.
 */
#include "doge/map.h"
#include "doge/arena.h"
#include "internal.h"
#include "util/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the hash ----------------------------------------------------------- */

static const uint64_t secret[4] = {0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL,
                                   0x8ebc6af09c88c6e3ULL, 0x589965cc75374cc3ULL};

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
}

static uint64_t rd32(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* 64x64 -> 128-bit multiply: *a gets the low half, *b the high half. */
static void mum(uint64_t *a, uint64_t *b)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    u128 r = (u128)*a * *b;
    *a = (uint64_t)r;
    *b = (uint64_t)(r >> 64);
#else
    uint64_t ha = *a >> 32, hb = *b >> 32, la = (uint32_t)*a, lb = (uint32_t)*b;
    uint64_t rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb;
    uint64_t t = rl + (rm0 << 32), c = t < rl;
    uint64_t lo = t + (rm1 << 32);
    c += lo < t;
    *a = lo;
    *b = rh + (rm0 >> 32) + (rm1 >> 32) + c;
#endif
}

static uint64_t mix(uint64_t a, uint64_t b)
{
    mum(&a, &b);
    return a ^ b;
}

uint64_t doge_map_hash(const void *key, size_t len, uint64_t seed)
{
    const unsigned char *p = key;
    uint64_t a, b;
    seed ^= mix(seed ^ secret[0], secret[1]);
    if (len <= 16) {
        if (len >= 4) {
            size_t q = (len >> 3) << 2;
            a = rd32(p) << 32 | rd32(p + q);
            b = rd32(p + len - 4) << 32 | rd32(p + len - 4 - q);
        } else if (len > 0) {
            a = (uint64_t)p[0] << 16 | (uint64_t)p[len >> 1] << 8 | p[len - 1];
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = len;
        if (i > 48) {
            uint64_t s1 = seed, s2 = seed;
            do {
                seed = mix(rd64(p) ^ secret[1], rd64(p + 8) ^ seed);
                s1 = mix(rd64(p + 16) ^ secret[2], rd64(p + 24) ^ s1);
                s2 = mix(rd64(p + 32) ^ secret[3], rd64(p + 40) ^ s2);
                p += 48;
                i -= 48;
            } while (i > 48);
            seed ^= s1 ^ s2;
        }
        while (i > 16) {
            seed = mix(rd64(p) ^ secret[1], rd64(p + 8) ^ seed);
            i -= 16;
            p += 16;
        }
        a = rd64(p + i - 16);
        b = rd64(p + i - 8);
    }
    a ^= secret[1];
    b ^= seed;
    mum(&a, &b);
    return mix(a ^ secret[0] ^ (uint64_t)len, b ^ secret[1]);
}

/* ---- the table ---------------------------------------------------------- */

#define MAP_SEED 0x646f67652d6d6170ULL /* "doge-map" */
#define MAP_MIN_CAP 16

struct slot {
    uint64_t hash;
    const unsigned char *key; /* NULL: empty slot */
    size_t klen;
    doge_map_value value;
};

struct doge_map {
    struct slot *slots;
    size_t cap; /* 0 or a power of two */
    size_t count;
    size_t max_entries;
    doge_arena *keys;
};

static const unsigned char empty_key[1];

int doge_map_new(doge_map **out, size_t max_entries, size_t max_key_bytes)
{
    *out = NULL;
    doge_map *m = calloc(1, sizeof *m);
    if (!m)
        return doge__error_oom();
    int rc = doge_arena_new(&m->keys, 0, max_key_bytes);
    if (rc < 0) {
        free(m);
        return rc;
    }
    m->max_entries = max_entries ? max_entries : DOGE_MAP_DEFAULT_MAX_ENTRIES;
    *out = m;
    return DOGE_OK;
}

void doge_map_free(doge_map *m)
{
    if (!m)
        return;
    free(m->slots);
    doge_arena_free(m->keys);
    free(m);
}

static struct slot *find(const doge_map *m, const void *key, size_t klen, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct slot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->klen == klen && (klen == 0 || memcmp(s->key, key, klen) == 0))
            return s;
    }
}

static struct slot *empty_slot(struct slot *slots, size_t cap, uint64_t h)
{
    size_t mask = cap - 1, i = (size_t)h & mask;
    while (slots[i].key)
        i = (i + 1) & mask;
    return &slots[i];
}

static int grow(doge_map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : MAP_MIN_CAP;
    if (m->cap > SIZE_MAX / 2 || ncap > SIZE_MAX / sizeof(struct slot))
        return doge__error_set(DOGE_ELIMIT, "map: table of %zu slots cannot grow", m->cap);
    struct slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return doge__error_oom();
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *empty_slot(ns, ncap, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return DOGE_OK;
}

static int insert(doge_map *m, const void *key, size_t klen, struct slot **out, int *inserted)
{
    if (!key && klen)
        return doge__error_set(DOGE_EINVAL, "map: NULL key of %zu bytes", klen);
    uint64_t h = doge_map_hash(key, klen, MAP_SEED);
    struct slot *s = find(m, key, klen, h);
    if (s) {
        *out = s;
        if (inserted)
            *inserted = 0;
        return DOGE_OK;
    }
    char q[DOGE__SNIPPET_SIZE];
    if (m->count >= m->max_entries)
        return doge__error_set(DOGE_ELIMIT, "map: adding key '%s' would pass the cap of %zu entries",
                               doge__util_snippet(q, sizeof q, key, klen), m->max_entries);
    if (m->count + 1 > m->cap - m->cap / 4) {
        int rc = grow(m);
        if (rc < 0)
            return rc;
    }
    const unsigned char *copy = empty_key;
    if (klen) {
        void *p;
        int rc = doge_arena_alloc(m->keys, klen, 1, &p);
        if (rc < 0)
            return doge__error_prefix("map: adding key '%s'",
                                      doge__util_snippet(q, sizeof q, key, klen));
        memcpy(p, key, klen);
        copy = p;
    }
    s = empty_slot(m->slots, m->cap, h);
    s->hash = h;
    s->key = copy;
    s->klen = klen;
    memset(&s->value, 0, sizeof s->value);
    m->count++;
    *out = s;
    if (inserted)
        *inserted = 1;
    return DOGE_OK;
}

int doge_map_put(doge_map *m, const void *key, size_t klen, void *value)
{
    struct slot *s;
    int rc = insert(m, key, klen, &s, NULL);
    if (rc == DOGE_OK)
        s->value.ptr = value;
    return rc;
}

int doge_map_put_u64(doge_map *m, const void *key, size_t klen, uint64_t value)
{
    struct slot *s;
    int rc = insert(m, key, klen, &s, NULL);
    if (rc == DOGE_OK)
        s->value.u64 = value;
    return rc;
}

int doge_map_upsert(doge_map *m, const void *key, size_t klen, doge_map_value **slot,
                    int *inserted)
{
    struct slot *s;
    *slot = NULL;
    int rc = insert(m, key, klen, &s, inserted);
    if (rc == DOGE_OK)
        *slot = &s->value;
    return rc;
}

int doge_map_get(const doge_map *m, const void *key, size_t klen, void **value)
{
    if (!key && klen)
        return 0;
    struct slot *s = find(m, key, klen, doge_map_hash(key, klen, MAP_SEED));
    if (!s)
        return 0;
    if (value)
        *value = s->value.ptr;
    return 1;
}

int doge_map_get_u64(const doge_map *m, const void *key, size_t klen, uint64_t *value)
{
    if (!key && klen)
        return 0;
    struct slot *s = find(m, key, klen, doge_map_hash(key, klen, MAP_SEED));
    if (!s)
        return 0;
    if (value)
        *value = s->value.u64;
    return 1;
}

int doge_map_delete(doge_map *m, const void *key, size_t klen)
{
    if (!key && klen)
        return 0;
    struct slot *s = find(m, key, klen, doge_map_hash(key, klen, MAP_SEED));
    if (!s)
        return 0;
    size_t mask = m->cap - 1, hole = (size_t)(s - m->slots);
    for (size_t j = (hole + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = (size_t)m->slots[j].hash & mask;
        /* Entry j may fill the hole unless its home lies cyclically in
         * (hole, j]: then moving it before its home would hide it. */
        int stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!stays) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
    }
    memset(&m->slots[hole], 0, sizeof m->slots[hole]);
    m->count--;
    return 1;
}

size_t doge_map_count(const doge_map *m) { return m->count; }

void doge_map_clear(doge_map *m)
{
    if (m->cap)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->count = 0;
    doge_arena_reset(m->keys);
}

void doge_map_iter_init(doge_map_iter *it, const doge_map *m)
{
    it->map = m;
    it->next = 0;
}

int doge_map_iter_next(doge_map_iter *it, const void **key, size_t *klen, doge_map_value **value)
{
    const doge_map *m = it->map;
    while (it->next < m->cap) {
        struct slot *s = &m->slots[it->next++];
        if (!s->key)
            continue;
        if (key)
            *key = s->key;
        if (klen)
            *klen = s->klen;
        if (value)
            *value = &s->value;
        return 1;
    }
    return 0;
}
