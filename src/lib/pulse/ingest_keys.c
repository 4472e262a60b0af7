/*
 * ingest_keys.c — the keys that make re-ingesting mail change nothing: for
 * every stored reply (pulse_reply row), the first 8 bytes of its content
 * hash, a 64-bit hash of its Message-ID and, for an accepted reply, a
 * 64-bit hash of its (week, employee). They are kept in the store as runs
 * (table pulse_reply_keys): each run a set of sorted (key, reply id) pairs
 * per kind, written by the ingest in the transaction of the batch whose
 * rows it covers, so that the runs always cover exactly the committed
 * replies. An ingest reads the runs into memory, answers "which replies may
 * have this key" by binary search in each run and a hash table of the keys
 * it added since its last run, and its caller confirms a candidate by
 * reading that one row by id.
 *
 * Why not SQLite indexes on content_hash and message_id (migrations 4-6 had
 * them): each random B-tree index cost 3.5-4.5 µs of the single writing
 * thread per inserted row on the bench machine (measured: 1.54M rows into
 * pulse_reply in 256,000-row transactions, 10.9 s of CPU for the table
 * alone, +7.0 s for a 16-character hash-prefix index, +4.2 s for the
 * Message-ID index), and every batch's commit rewrote most of their pages;
 * at 2.3M employees they were 15-20 s of the week's ingest. Sorting a
 * batch's keys and writing them as one blob costs about 0.1 µs a row. The
 * runs also replace the scan of every stored row that each ingest made to
 * build its filters.
 *
 * The key functions are part of the stored format: never change them.
 * Blob format: n pairs of 16 bytes, key then id, each 64-bit little-endian,
 * sorted by key then id.
 */
#include "doge/map.h"
#include "internal.h"
#include "pulse_internal.h"
#include "util/radix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MID_SEED 0x6d6964u
#define EMPLOYEE_SEED 0x656d70u
/* More runs than this at the end of an ingest: all are merged into one. */
#define RUNS_MAX 16

typedef struct {
    uint64_t key;
    int64_t id;
} pair;

typedef struct {
    pair *p;
    size_t n, cap;
} pairs;

typedef struct {
    int64_t run_id; /* its row in pulse_reply_keys */
    int64_t replies;
    pairs kind[DOGE__RKEY_KINDS];
} run;

struct doge__reply_keys {
    run *runs;
    size_t nruns, runs_cap;
    int64_t replies;                       /* covered by the runs */
    int64_t next_run_id;
    pairs pending[DOGE__RKEY_KINDS];       /* added since the last flush */
    int64_t pending_replies;
    /* the pending keys by key: open addressing, id 0 = empty; key and id
     * side by side (one cache miss a probe) */
    pair *table[DOGE__RKEY_KINDS];
    size_t hcap[DOGE__RKEY_KINDS];
};

/* ---- the key functions (stored: never change) ------------------------- */

int doge__rkey_hash(const char *hex, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        int c = hex[i], d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0)
            return 0;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 1;
}

uint64_t doge__rkey_mid(const char *mid) { return doge_map_hash(mid, strlen(mid), MID_SEED); }

uint64_t doge__rkey_employee(const char *week, const char *employee)
{
    char k[16 + 128 + 2];
    int n = snprintf(k, sizeof k, "%s\x1f%s", week, employee);
    return doge_map_hash(k, n > 0 ? (size_t)n : 0, EMPLOYEE_SEED);
}

/* ---- pairs -------------------------------------------------------------- */

static int pairs_push(pairs *a, uint64_t key, int64_t id)
{
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 1024;
        pair *np = realloc(a->p, nc * sizeof *np);
        if (!np)
            return doge__error_oom();
        a->p = np;
        a->cap = nc;
    }
    a->p[a->n].key = key;
    a->p[a->n].id = id;
    a->n++;
    return DOGE_OK;
}

static int pair_cmp(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Sorts a by key then id. The pairs of a batch come in id order, so a
 * stable radix sort by key alone (util/radix.c) gives that order: glibc's
 * qsort() of a 2.3M-employee week's keys was 4% of the storing thread.
 * Pairs not in id order go to qsort(). */
static int sort_pairs(pairs *a)
{
    size_t n = a->n;
    int ordered = 1;
    for (size_t i = 1; i < n && ordered; i++)
        ordered = a->p[i - 1].id <= a->p[i].id;
    if (!ordered || n < 1024) {
        qsort(a->p, n, sizeof(pair), pair_cmp);
        return DOGE_OK;
    }
    doge__kv *kv = malloc(2 * n * sizeof *kv);
    if (!kv)
        return doge__error_oom();
    for (size_t i = 0; i < n; i++)
        kv[i] = (doge__kv){a->p[i].key, (uint64_t)a->p[i].id};
    doge__kv *sorted = kv, *tmp = kv + n;
    doge__radix_kv(&sorted, &tmp, n);
    for (size_t i = 0; i < n; i++) {
        a->p[i].key = sorted[i].k;
        a->p[i].id = (int64_t)sorted[i].v;
    }
    free(kv);
    return DOGE_OK;
}

static void put_le64(uint8_t *d, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        d[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *s)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | s[i];
    return v;
}

static int encode(const pairs *a, uint8_t **out, size_t *len)
{
    *len = a->n * 16;
    *out = malloc(*len ? *len : 1);
    if (!*out)
        return doge__error_oom();
    for (size_t i = 0; i < a->n; i++) {
        put_le64(*out + 16 * i, a->p[i].key);
        put_le64(*out + 16 * i + 8, (uint64_t)a->p[i].id);
    }
    return DOGE_OK;
}

static int decode(const void *blob, size_t len, pairs *a)
{
    if (len % 16)
        return doge__error_set(DOGE_EDB, "pulse_reply_keys: a run of %zu bytes", len);
    a->n = a->cap = len / 16;
    a->p = malloc((a->n ? a->n : 1) * sizeof *a->p);
    if (!a->p)
        return doge__error_oom();
    const uint8_t *s = blob;
    for (size_t i = 0; i < a->n; i++) {
        a->p[i].key = get_le64(s + 16 * i);
        a->p[i].id = (int64_t)get_le64(s + 16 * i + 8);
        if (i && pair_cmp(&a->p[i - 1], &a->p[i]) > 0)
            return doge__error_set(DOGE_EDB, "pulse_reply_keys: a run out of order");
    }
    return DOGE_OK;
}

/* The merge of two sorted arrays into out (sorted). */
static int merge2(const pairs *a, const pairs *b, pairs *out)
{
    out->n = 0;
    out->cap = a->n + b->n;
    out->p = malloc((out->cap ? out->cap : 1) * sizeof *out->p);
    if (!out->p)
        return doge__error_oom();
    size_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && pair_cmp(&a->p[i], &b->p[j]) <= 0))
            out->p[out->n++] = a->p[i++];
        else
            out->p[out->n++] = b->p[j++];
    }
    return DOGE_OK;
}

static void run_dispose(run *r)
{
    for (int k = 0; k < DOGE__RKEY_KINDS; k++)
        free(r->kind[k].p);
}

/* ---- the pending keys' hash table ------------------------------------- */

static size_t slot_of(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

static int table_put(doge__reply_keys *k, int kind, uint64_t key, int64_t id)
{
    if ((k->pending[kind].n + 1) * 2 > k->hcap[kind]) {
        size_t nc = k->hcap[kind] ? k->hcap[kind] * 2 : 4096;
        pair *nt = calloc(nc, sizeof *nt);
        if (!nt)
            return doge__error_oom();
        for (size_t i = 0; i < k->hcap[kind]; i++) {
            const pair *e = &k->table[kind][i];
            if (!e->id)
                continue;
            size_t s = slot_of(e->key, nc);
            while (nt[s].id)
                s = (s + 1) & (nc - 1);
            nt[s] = *e;
        }
        free(k->table[kind]);
        k->table[kind] = nt;
        k->hcap[kind] = nc;
    }
    pair *t = k->table[kind];
    size_t s = slot_of(key, k->hcap[kind]);
    while (t[s].id)
        s = (s + 1) & (k->hcap[kind] - 1);
    t[s].key = key;
    t[s].id = id;
    return DOGE_OK;
}

/* ---- loading ------------------------------------------------------------ */

static int add_run(doge__reply_keys *k, run *r)
{
    if (k->nruns == k->runs_cap) {
        size_t nc = k->runs_cap ? k->runs_cap * 2 : 16;
        run *nr = realloc(k->runs, nc * sizeof *nr);
        if (!nr)
            return doge__error_oom();
        k->runs = nr;
        k->runs_cap = nc;
    }
    k->runs[k->nruns++] = *r;
    k->replies += r->replies;
    if (r->run_id >= k->next_run_id)
        k->next_run_id = r->run_id + 1;
    return DOGE_OK;
}

static int load_runs(doge__reply_keys *k, doge_store *st)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT id, replies, hashes, mids, employees FROM pulse_reply_keys"
                                " ORDER BY id");
    if (rc)
        return rc;
    while ((rc = doge_stmt_step(s)) == 1) {
        run r;
        memset(&r, 0, sizeof r);
        r.run_id = doge_stmt_int64(s, 0);
        r.replies = doge_stmt_int64(s, 1);
        for (int kind = 0; kind < DOGE__RKEY_KINDS && rc >= 0; kind++)
            rc = decode(doge_stmt_blob(s, 2 + kind), doge_stmt_bytes(s, 2 + kind), &r.kind[kind]);
        if (rc < 0 || (rc = add_run(k, &r)) < 0) {
            run_dispose(&r);
            break;
        }
    }
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

static void drop_runs(doge__reply_keys *k)
{
    for (size_t i = 0; i < k->nruns; i++)
        run_dispose(&k->runs[i]);
    k->nruns = 0;
    k->replies = 0;
}

static int write_run(doge_store *st, const run *r)
{
    uint8_t *blob[DOGE__RKEY_KINDS] = {0};
    size_t len[DOGE__RKEY_KINDS];
    int rc = DOGE_OK;
    for (int kind = 0; kind < DOGE__RKEY_KINDS && rc == DOGE_OK; kind++)
        rc = encode(&r->kind[kind], &blob[kind], &len[kind]);
    doge_stmt *s = NULL;
    if (rc == DOGE_OK)
        rc = doge_store_prepare(st, &s,
                                "INSERT INTO pulse_reply_keys (id, replies, hashes, mids, employees)"
                                " VALUES (?, ?, ?, ?, ?)");
    if (rc == DOGE_OK) {
        doge_stmt_bind_int64(s, 1, r->run_id);
        doge_stmt_bind_int64(s, 2, r->replies);
        for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++)
            doge_stmt_bind_blob(s, 3 + kind, blob[kind], len[kind]);
        rc = doge_stmt_step(s);
        rc = rc < 0 ? rc : DOGE_OK;
    }
    doge_stmt_free(s);
    for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++)
        free(blob[kind]);
    return rc;
}

/* Rebuilds the runs from every stored reply: one run, in its own
 * transaction (a workspace from before migration 7, or rows the runs do
 * not account for). */
static int rebuild(doge__reply_keys *k, doge_store *st)
{
    drop_runs(k);
    run r;
    memset(&r, 0, sizeof r);
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT id, content_hash, COALESCE(message_id, ''), kind,"
                                " COALESCE(week, ''), COALESCE(employee_id, '') FROM pulse_reply");
    if (rc)
        return rc;
    while ((rc = doge_stmt_step(s)) == 1) {
        int64_t id = doge_stmt_int64(s, 0);
        uint64_t key;
        r.replies++;
        if (doge__rkey_hash(doge_stmt_text(s, 1), &key) &&
            (rc = pairs_push(&r.kind[DOGE__RKEY_HASH], key, id)))
            break;
        const char *mid = doge_stmt_text(s, 2);
        if (*mid && (rc = pairs_push(&r.kind[DOGE__RKEY_MID], doge__rkey_mid(mid), id)))
            break;
        if (!strcmp(doge_stmt_text(s, 3), "reply") &&
            (rc = pairs_push(&r.kind[DOGE__RKEY_EMPLOYEE],
                             doge__rkey_employee(doge_stmt_text(s, 4), doge_stmt_text(s, 5)), id)))
            break;
    }
    doge_stmt_free(s);
    if (rc < 0) {
        run_dispose(&r);
        return rc;
    }
    for (int kind = 0; kind < DOGE__RKEY_KINDS && rc >= 0; kind++)
        rc = sort_pairs(&r.kind[kind]);
    if (rc < 0) {
        run_dispose(&r);
        return rc;
    }
    r.run_id = 1;
    if ((rc = doge_store_begin(st)))
        goto fail;
    if ((rc = doge_store_exec(st, "DELETE FROM pulse_reply_keys")) ||
        (r.replies && (rc = write_run(st, &r)))) {
        doge_store_rollback(st);
        goto fail;
    }
    if ((rc = doge_store_commit(st)))
        goto fail;
    k->next_run_id = 1;
    if (!r.replies) {
        run_dispose(&r);
        return DOGE_OK;
    }
    if ((rc = add_run(k, &r)) == DOGE_OK)
        return DOGE_OK;
fail:
    run_dispose(&r);
    return rc;
}

int doge__reply_keys_open(doge_store *st, doge__reply_keys **out)
{
    *out = NULL;
    doge__reply_keys *k = calloc(1, sizeof *k);
    if (!k)
        return doge__error_oom();
    k->next_run_id = 1;
    int64_t rows = 0;
    int rc = load_runs(k, st);
    if (rc == DOGE_OK)
        rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_reply", NULL, &rows);
    if (rc == DOGE_OK && rows != k->replies)
        rc = rebuild(k, st);
    if (rc) {
        doge__reply_keys_free(k);
        return doge__error_prefix("pulse_reply_keys");
    }
    *out = k;
    return DOGE_OK;
}

void doge__reply_keys_free(doge__reply_keys *k)
{
    if (!k)
        return;
    drop_runs(k);
    free(k->runs);
    for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++) {
        free(k->pending[kind].p);
        free(k->table[kind]);
    }
    free(k);
}

int64_t doge__reply_keys_count(const doge__reply_keys *k) { return k->replies + k->pending_replies; }

void doge__reply_keys_each(const doge__reply_keys *k, int kind,
                           void (*fn)(void *ctx, uint64_t key, int64_t id), void *ctx)
{
    for (size_t i = k->nruns; i-- > 0;) /* newest first */
        for (size_t j = 0; j < k->runs[i].kind[kind].n; j++)
            fn(ctx, k->runs[i].kind[kind].p[j].key, k->runs[i].kind[kind].p[j].id);
}

/* ---- looking up and adding ---------------------------------------------- */

size_t doge__reply_keys_find(const doge__reply_keys *k, int kind, uint64_t key, int64_t *ids,
                             size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < k->nruns; i++) {
        const pairs *a = &k->runs[i].kind[kind];
        size_t lo = 0, hi = a->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (a->p[mid].key < key)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < a->n && a->p[lo].key == key; lo++, n++)
            if (n < max)
                ids[n] = a->p[lo].id;
    }
    if (k->hcap[kind]) {
        const pair *t = k->table[kind];
        size_t s = slot_of(key, k->hcap[kind]);
        for (; t[s].id; s = (s + 1) & (k->hcap[kind] - 1))
            if (t[s].key == key) {
                if (n < max)
                    ids[n] = t[s].id;
                n++;
            }
    }
    return n;
}

void doge__reply_keys_prefetch(const doge__reply_keys *k, int kind, uint64_t key)
{
    if (k->hcap[kind])
        __builtin_prefetch(&k->table[kind][slot_of(key, k->hcap[kind])], 1);
}

int doge__reply_keys_add(doge__reply_keys *k, int kind, uint64_t key, int64_t id)
{
    int rc = pairs_push(&k->pending[kind], key, id);
    if (rc == DOGE_OK)
        rc = table_put(k, kind, key, id);
    return rc;
}

void doge__reply_keys_added_reply(doge__reply_keys *k) { k->pending_replies++; }

int doge__reply_keys_flush(doge__reply_keys *k, doge_store *st)
{
    if (!k->pending_replies)
        return DOGE_OK;
    run r;
    memset(&r, 0, sizeof r);
    r.run_id = k->next_run_id;
    r.replies = k->pending_replies;
    int rc = DOGE_OK;
    for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++) {
        r.kind[kind] = k->pending[kind];
        if (rc == DOGE_OK)
            rc = sort_pairs(&r.kind[kind]); /* pending keeps the pairs on a failure */
    }
    if (rc == DOGE_OK)
        rc = write_run(st, &r);
    if (rc == DOGE_OK)
        rc = add_run(k, &r);
    if (rc) {
        /* the pending keys stay pending (the caller rolls back and stops) */
        return rc;
    }
    for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++) {
        memset(&k->pending[kind], 0, sizeof k->pending[kind]);
        if (k->hcap[kind])
            memset(k->table[kind], 0, k->hcap[kind] * sizeof *k->table[kind]);
    }
    k->pending_replies = 0;
    return DOGE_OK;
}

int doge__reply_keys_compact(doge__reply_keys *k, doge_store *st)
{
    if (k->nruns <= RUNS_MAX)
        return DOGE_OK;
    /* pairwise merges, neighbours first, until one run is left */
    run *rs = k->runs;
    size_t n = k->nruns;
    while (n > 1) {
        size_t m = 0;
        for (size_t i = 0; i < n; i += 2) {
            if (i + 1 == n) {
                rs[m++] = rs[i];
                continue;
            }
            run out;
            memset(&out, 0, sizeof out);
            out.run_id = rs[i + 1].run_id;
            out.replies = rs[i].replies + rs[i + 1].replies;
            for (int kind = 0; kind < DOGE__RKEY_KINDS; kind++) {
                int rc = merge2(&rs[i].kind[kind], &rs[i + 1].kind[kind], &out.kind[kind]);
                if (rc) {
                    run_dispose(&out);
                    /* what is not merged yet stays as it was: k->runs[0..m)
                     * merged, the rest as read */
                    for (size_t j = i; j < n; j++)
                        rs[m++] = rs[j];
                    k->nruns = m;
                    return rc;
                }
            }
            run_dispose(&rs[i]);
            run_dispose(&rs[i + 1]);
            rs[m++] = out;
        }
        n = m;
    }
    k->nruns = 1;
    int rc = doge_store_begin(st);
    if (rc)
        return rc;
    if ((rc = doge_store_exec(st, "DELETE FROM pulse_reply_keys")) || (rc = write_run(st, &rs[0]))) {
        doge_store_rollback(st);
        return rc;
    }
    return doge_store_commit(st);
}
