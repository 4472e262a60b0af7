/*
 * test_ingest_keys.c — the replies' de-duplication keys (ingest_keys.c):
 * built from the rows when the runs do not cover them (a workspace from
 * before migration 7, or runs lost), every stored reply found by each of
 * its keys, keys added during an ingest found before and after their run is
 * written, runs merged into one past sixteen, shared keys giving every id,
 * and a damaged run refused with the table named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "internal.h"
#include "pulse/pulse_internal.h"
#include "util_assert.h"

typedef struct {
    char dir[64];
    doge_workspace *ws;
    doge_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/doge-ingest-keys-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    char ws[128];
    snprintf(ws, sizeof ws, "%s/ws", f->dir);
    if (doge_workspace_init(ws) || doge_workspace_open(&f->ws, ws))
        return -1;
    f->st = doge_workspace_store(f->ws);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    doge_workspace_free(f->ws);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static void row_hash(int64_t id, char out[65])
{
    uint8_t h[32];
    for (int i = 0; i < 32; i++)
        h[i] = (uint8_t)((uint64_t)id * 2654435761u >> (i % 4 * 8)) ^ (uint8_t)(i * 7);
    doge__hex(h, 32, out);
}

static void row_mid(int64_t id, char *out, size_t cap) { snprintf(out, cap, "m%lld@x", (long long)id); }

static void row_employee(int64_t id, char *out, size_t cap)
{
    snprintf(out, cap, "E%05lld", (long long)(id % 997));
}

/* Stores replies first..last as pulse_reply rows (every third an
 * auto-reply, without an employee key). */
static void insert_rows(doge_store *st, int64_t first, int64_t last)
{
    doge_stmt *s;
    assert_ok(doge_store_prepare(st, &s,
                                 "INSERT INTO pulse_reply (id, week, employee_id, kind, message_id,"
                                 " content_hash, ingested_at) VALUES (?, '2025-W08', ?, ?, ?, ?, 0)"));
    for (int64_t id = first; id <= last; id++) {
        char hash[65], mid[32], emp[16];
        row_hash(id, hash);
        row_mid(id, mid, sizeof mid);
        row_employee(id, emp, sizeof emp);
        doge_stmt_reset(s);
        doge_stmt_bind_int64(s, 1, id);
        doge_stmt_bind_text(s, 2, emp, -1);
        doge_stmt_bind_text(s, 3, id % 3 ? "reply" : "auto-reply", -1);
        doge_stmt_bind_text(s, 4, mid, -1);
        doge_stmt_bind_text(s, 5, hash, -1);
        assert_int_equal(doge_stmt_step(s), 0);
    }
    doge_stmt_free(s);
}

static int has_id(const doge__reply_keys *k, int kind, uint64_t key, int64_t id)
{
    int64_t ids[8];
    size_t n = doge__reply_keys_find(k, kind, key, ids, 8);
    for (size_t i = 0; i < n && i < 8; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* The three keys of row id (its employee key is only an accepted reply's:
 * rows with id % 3 == 0 are not). */
static void row_keys(int64_t id, uint64_t key[DOGE__RKEY_KINDS])
{
    char hash[65], mid[32], emp[16];
    row_hash(id, hash);
    row_mid(id, mid, sizeof mid);
    row_employee(id, emp, sizeof emp);
    assert_true(doge__rkey_hash(hash, &key[DOGE__RKEY_HASH]));
    key[DOGE__RKEY_MID] = doge__rkey_mid(mid);
    key[DOGE__RKEY_EMPLOYEE] = doge__rkey_employee("2025-W08", emp);
}

static void assert_found(const doge__reply_keys *k, int64_t first, int64_t last)
{
    for (int64_t id = first; id <= last; id++) {
        uint64_t key[DOGE__RKEY_KINDS];
        row_keys(id, key);
        assert_true(has_id(k, DOGE__RKEY_HASH, key[DOGE__RKEY_HASH], id));
        assert_true(has_id(k, DOGE__RKEY_MID, key[DOGE__RKEY_MID], id));
        assert_int_equal(has_id(k, DOGE__RKEY_EMPLOYEE, key[DOGE__RKEY_EMPLOYEE], id),
                         id % 3 != 0);
    }
}

/* What an ingest does for a stored row. */
static void add_row(doge__reply_keys *k, int64_t id)
{
    uint64_t key[DOGE__RKEY_KINDS];
    row_keys(id, key);
    assert_ok(doge__reply_keys_add(k, DOGE__RKEY_HASH, key[DOGE__RKEY_HASH], id));
    assert_ok(doge__reply_keys_add(k, DOGE__RKEY_MID, key[DOGE__RKEY_MID], id));
    if (id % 3)
        assert_ok(doge__reply_keys_add(k, DOGE__RKEY_EMPLOYEE, key[DOGE__RKEY_EMPLOYEE], id));
    doge__reply_keys_added_reply(k);
}

static int64_t runs(doge_store *st)
{
    int64_t n = -1;
    assert_ok(doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_reply_keys", NULL, &n));
    return n;
}

static void test_rebuild_and_find(void **state)
{
    fixture *f = *state;
    doge__reply_keys *k = NULL;
    assert_ok(doge__reply_keys_open(f->st, &k)); /* empty store: nothing */
    assert_int_equal(doge__reply_keys_count(k), 0);
    assert_int_equal(runs(f->st), 0);
    doge__reply_keys_free(k);

    insert_rows(f->st, 1, 3000); /* rows the runs do not cover */
    assert_ok(doge__reply_keys_open(f->st, &k));
    assert_int_equal(doge__reply_keys_count(k), 3000);
    assert_int_equal(runs(f->st), 1);
    assert_found(k, 1, 3000);
    int64_t ids[4];
    assert_int_equal(doge__reply_keys_find(k, DOGE__RKEY_MID, doge__rkey_mid("m3001@x"), ids, 4), 0);
    uint64_t bad;
    assert_false(doge__rkey_hash("not-hex-at-all-here", &bad));
    doge__reply_keys_free(k);

    /* the runs lost: rebuilt again */
    assert_ok(doge_store_exec(f->st, "DELETE FROM pulse_reply_keys"));
    assert_ok(doge__reply_keys_open(f->st, &k));
    assert_int_equal(doge__reply_keys_count(k), 3000);
    assert_found(k, 1, 3000);
    doge__reply_keys_free(k);
}

static void test_add_flush_compact(void **state)
{
    fixture *f = *state;
    insert_rows(f->st, 1, 500);
    doge__reply_keys *k = NULL;
    assert_ok(doge__reply_keys_open(f->st, &k));
    /* a batch: rows and their keys, found before the run is written */
    assert_ok(doge_store_begin(f->st));
    insert_rows(f->st, 501, 800);
    for (int64_t id = 501; id <= 800; id++)
        add_row(k, id);
    assert_found(k, 1, 800);
    assert_ok(doge__reply_keys_flush(k, f->st));
    assert_ok(doge_store_commit(f->st));
    assert_int_equal(runs(f->st), 2);
    assert_found(k, 1, 800);
    assert_ok(doge__reply_keys_flush(k, f->st)); /* nothing added: no run */
    assert_int_equal(runs(f->st), 2);
    /* sixteen more small batches: past sixteen runs they merge into one */
    for (int64_t b = 0; b < 16; b++) {
        assert_ok(doge_store_begin(f->st));
        insert_rows(f->st, 801 + b * 10, 810 + b * 10);
        for (int64_t id = 801 + b * 10; id <= 810 + b * 10; id++)
            add_row(k, id);
        assert_ok(doge__reply_keys_flush(k, f->st));
        assert_ok(doge_store_commit(f->st));
    }
    assert_int_equal(runs(f->st), 18);
    assert_ok(doge__reply_keys_compact(k, f->st));
    assert_int_equal(runs(f->st), 1);
    assert_int_equal(doge__reply_keys_count(k), 960);
    assert_found(k, 1, 960);
    doge__reply_keys_free(k);
    /* what was written reads back the same, without a rebuild */
    assert_ok(doge__reply_keys_open(f->st, &k));
    assert_int_equal(runs(f->st), 1);
    assert_int_equal(doge__reply_keys_count(k), 960);
    assert_found(k, 1, 960);
    doge__reply_keys_free(k);
}

static void test_shared_key(void **state)
{
    fixture *f = *state;
    doge__reply_keys *k = NULL;
    assert_ok(doge__reply_keys_open(f->st, &k));
    for (int64_t id = 1; id <= 20; id++)
        assert_ok(doge__reply_keys_add(k, DOGE__RKEY_HASH, 42, id));
    int64_t ids[32];
    assert_int_equal(doge__reply_keys_find(k, DOGE__RKEY_HASH, 42, ids, 32), 20);
    assert_int_equal(doge__reply_keys_find(k, DOGE__RKEY_HASH, 42, ids, 4), 20); /* 4 written */
    assert_int_equal(doge__reply_keys_find(k, DOGE__RKEY_HASH, 43, ids, 32), 0);
    doge__reply_keys_free(k);
}

/* A batch past 1,024 keys (the radix sort's size): its run reads back in
 * order (doge__reply_keys_open checks it), and keys shared by many replies
 * give their ids in order. */
static void test_big_batch(void **state)
{
    fixture *f = *state;
    doge__reply_keys *k = NULL;
    assert_ok(doge__reply_keys_open(f->st, &k));
    assert_ok(doge_store_begin(f->st));
    insert_rows(f->st, 1, 5000);
    for (int64_t id = 1; id <= 5000; id++) {
        add_row(k, id);
        /* a shared key of the kind (week, employee): 7 keys, 5000 ids */
        assert_ok(doge__reply_keys_add(k, DOGE__RKEY_EMPLOYEE, (uint64_t)(id % 7) << 56, id));
    }
    assert_ok(doge__reply_keys_flush(k, f->st));
    assert_ok(doge_store_commit(f->st));
    doge__reply_keys_free(k);
    assert_ok(doge__reply_keys_open(f->st, &k));
    assert_int_equal(doge__reply_keys_count(k), 5000);
    assert_found(k, 1, 5000);
    int64_t ids[1000];
    assert_int_equal(doge__reply_keys_find(k, DOGE__RKEY_EMPLOYEE, (uint64_t)3 << 56, ids, 1000),
                     714);
    for (size_t i = 0; i < 714; i++)
        assert_int_equal(ids[i], 3 + 7 * (int64_t)i);
    doge__reply_keys_free(k);
}

static void test_damaged_run(void **state)
{
    fixture *f = *state;
    insert_rows(f->st, 1, 1);
    assert_ok(doge_store_exec(f->st, "INSERT INTO pulse_reply_keys (id, replies, hashes, mids,"
                                     " employees) VALUES (1, 1, x'0102', x'', x'')"));
    doge__reply_keys *k = NULL;
    assert_int_equal(doge__reply_keys_open(f->st, &k), DOGE_EDB);
    assert_null(k);
    assert_non_null(strstr(doge_error_last(), "pulse_reply_keys"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rebuild_and_find, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_flush_compact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_big_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_damaged_run, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
