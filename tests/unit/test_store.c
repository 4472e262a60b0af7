/*
 * test_store.c — the store interface on a real SQLite file: open, WAL mode,
 * forward migrations and their idempotence, prepared statements with every
 * bind type, transactions with rollback, clear errors for bad SQL, and the
 * PostgreSQL URL naming what this build lacks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "doge/store.h"

static char dbdir[64];
static char dbpath[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dbdir, sizeof dbdir, "/tmp/doge-store-XXXXXX");
    if (!mkdtemp(dbdir))
        return -1;
    snprintf(dbpath, sizeof dbpath, "%s/t.db", dbdir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dbdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_migrate(void **state)
{
    (void)state;
    doge_store *st;
    assert_int_equal(doge_store_open(&st, dbpath), DOGE_OK);
    assert_string_equal(doge_store_backend(st), "sqlite");
    int from = -1, to = -1, v = -1;
    assert_int_equal(doge_store_migrate(st, &from, &to), DOGE_OK);
    assert_int_equal(from, 0);
    assert_int_equal(to, doge_store_schema_latest());
    assert_int_equal(doge_store_migrate(st, &from, &to), DOGE_OK);
    assert_int_equal(from, doge_store_schema_latest());
    assert_int_equal(doge_store_schema_version(st, &v), DOGE_OK);
    assert_int_equal(v, doge_store_schema_latest());
    int64_t mode = 0;
    doge_stmt *s;
    assert_int_equal(doge_store_prepare(st, &s, "PRAGMA journal_mode"), DOGE_OK);
    assert_int_equal(doge_stmt_step(s), 1);
    assert_string_equal(doge_stmt_text(s, 0), "wal");
    doge_stmt_free(s);
    (void)mode;
    doge_store_free(st);

    /* A store from a newer doge is refused with a clear message. */
    assert_int_equal(doge_store_open(&st, dbpath), DOGE_OK);
    assert_int_equal(doge_store_exec(st, "INSERT INTO schema_version VALUES (999, 0)"), DOGE_OK);
    assert_int_equal(doge_store_migrate(st, NULL, NULL), DOGE_EDB);
    assert_non_null(strstr(doge_error_last(), "schema version 999 is newer"));
    doge_store_free(st);
}

static void test_statements(void **state)
{
    (void)state;
    doge_store *st;
    assert_int_equal(doge_store_open(&st, dbpath), DOGE_OK);
    assert_int_equal(doge_store_exec(st, "CREATE TABLE t (i BIGINT, s TEXT, b BLOB)"), DOGE_OK);
    doge_stmt *s;
    assert_int_equal(doge_store_prepare(st, &s, "INSERT INTO t VALUES (?, ?, ?)"), DOGE_OK);
    for (int i = 0; i < 3; i++) {
        char text[16];
        unsigned char blob[3] = {0, (unsigned char)i, 0xff};
        snprintf(text, sizeof text, "row%d", i);
        assert_int_equal(doge_stmt_bind_int64(s, 1, INT64_MAX - i), DOGE_OK);
        assert_int_equal(doge_stmt_bind_text(s, 2, text, -1), DOGE_OK);
        assert_int_equal(doge_stmt_bind_blob(s, 3, blob, sizeof blob), DOGE_OK);
        assert_int_equal(doge_stmt_step(s), 0);
        assert_int_equal(doge_store_changes(st), 1);
        doge_stmt_reset(s);
    }
    doge_stmt_bind_null(s, 1);
    doge_stmt_bind_text(s, 2, NULL, -1);
    doge_stmt_bind_null(s, 3);
    assert_int_equal(doge_stmt_step(s), 0);
    doge_stmt_free(s);

    assert_int_equal(doge_store_prepare(st, &s, "SELECT i, s, b FROM t ORDER BY rowid"), DOGE_OK);
    assert_int_equal(doge_stmt_column_count(s), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(doge_stmt_step(s), 1);
        assert_true(doge_stmt_int64(s, 0) == INT64_MAX - i);
        char text[16];
        snprintf(text, sizeof text, "row%d", i);
        assert_string_equal(doge_stmt_text(s, 1), text);
        assert_int_equal(doge_stmt_bytes(s, 2), 3);
        assert_int_equal(((const unsigned char *)doge_stmt_blob(s, 2))[1], i);
    }
    assert_int_equal(doge_stmt_step(s), 1);
    assert_true(doge_stmt_is_null(s, 0));
    assert_string_equal(doge_stmt_text(s, 1), "");
    assert_int_equal(doge_stmt_step(s), 0);
    doge_stmt_free(s);

    int64_t n = 0;
    assert_int_equal(doge_store_query_int64(st, "SELECT COUNT(*) FROM t WHERE s = ?", "row1", &n),
                     DOGE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(doge_store_query_int64(st, "SELECT i FROM t WHERE s = ?", "nope", &n),
                     DOGE_ENOTFOUND);

    /* Transactions: rollback discards, commit keeps, nesting refused. */
    assert_int_equal(doge_store_begin(st), DOGE_OK);
    assert_int_equal(doge_store_begin(st), DOGE_EINVAL);
    assert_int_equal(doge_store_exec(st, "DELETE FROM t"), DOGE_OK);
    assert_int_equal(doge_store_rollback(st), DOGE_OK);
    assert_int_equal(doge_store_query_int64(st, "SELECT COUNT(*) FROM t", NULL, &n), DOGE_OK);
    assert_int_equal(n, 4);
    assert_int_equal(doge_store_begin(st), DOGE_OK);
    assert_int_equal(doge_store_exec(st, "DELETE FROM t WHERE i IS NULL"), DOGE_OK);
    assert_int_equal(doge_store_commit(st), DOGE_OK);
    assert_int_equal(doge_store_query_int64(st, "SELECT COUNT(*) FROM t", NULL, &n), DOGE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(doge_store_commit(st), DOGE_EINVAL);

    /* Bad SQL names the statement. */
    assert_int_equal(doge_store_exec(st, "SELEC nonsense"), DOGE_EDB);
    assert_non_null(strstr(doge_error_last(), "SELEC nonsense"));
    assert_int_equal(doge_store_prepare(st, &s, "SELECT * FROM missing_table"), DOGE_EDB);
    assert_non_null(strstr(doge_error_last(), "missing_table"));
    doge_store_free(st);
}

/* A text bound without a copy is stored as bound; a reset clears the
 * statement's bindings (a stale pointer is never read), while a copied
 * binding survives a reset. */
static void test_bind_ref(void **state)
{
    (void)state;
    doge_store *st;
    assert_int_equal(doge_store_open(&st, dbpath), DOGE_OK);
    assert_int_equal(doge_store_exec(st, "CREATE TABLE t (a TEXT, b TEXT)"), DOGE_OK);
    doge_stmt *s;
    assert_int_equal(doge_store_prepare(st, &s, "INSERT INTO t VALUES (?, ?)"), DOGE_OK);
    char text[16] = "first-ref";
    assert_int_equal(doge_stmt_bind_text_ref(s, 1, text, 5), DOGE_OK);
    assert_int_equal(doge_stmt_bind_text(s, 2, "copied", -1), DOGE_OK);
    assert_int_equal(doge_stmt_step(s), 0);
    assert_int_equal(doge_stmt_reset(s), DOGE_OK);
    memset(text, 'x', sizeof text - 1); /* the caller's buffer changes */
    assert_int_equal(doge_stmt_step(s), 0); /* both bindings cleared: NULL, NULL */
    assert_int_equal(doge_stmt_reset(s), DOGE_OK);
    assert_int_equal(doge_stmt_bind_text(s, 1, "copy", -1), DOGE_OK);
    assert_int_equal(doge_stmt_bind_text(s, 2, "kept", -1), DOGE_OK);
    assert_int_equal(doge_stmt_step(s), 0);
    assert_int_equal(doge_stmt_reset(s), DOGE_OK);
    assert_int_equal(doge_stmt_step(s), 0); /* copies are kept over a reset */
    assert_int_equal(doge_stmt_reset(s), DOGE_OK);
    assert_int_equal(doge_stmt_bind_text_ref(s, 1, NULL, -1), DOGE_OK);
    assert_int_equal(doge_stmt_step(s), 0);
    doge_stmt_free(s);
    int64_t n = -1;
    assert_int_equal(
        doge_store_query_int64(st, "SELECT COUNT(*) FROM t WHERE a = 'first' AND b = 'copied'",
                               NULL, &n),
        DOGE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(doge_store_query_int64(
                         st, "SELECT COUNT(*) FROM t WHERE a IS NULL AND b IS NULL", NULL, &n),
                     DOGE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(doge_store_query_int64(
                         st, "SELECT COUNT(*) FROM t WHERE a = 'copy' AND b = 'kept'", NULL, &n),
                     DOGE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(doge_store_query_int64(
                         st, "SELECT COUNT(*) FROM t WHERE a IS NULL AND b = 'kept'", NULL, &n),
                     DOGE_OK);
    assert_int_equal(n, 1);
    doge_store_free(st);
}

static void test_open_errors(void **state)
{
    (void)state;
    doge_store *st;
    assert_int_equal(doge_store_open(&st, "postgres://localhost/doge"), DOGE_EINVAL);
    assert_non_null(strstr(doge_error_last(), "no PostgreSQL backend"));
    assert_null(st);
    assert_int_equal(doge_store_open(&st, "/nonexistent-folder/x/y.db"), DOGE_EDB);
    assert_non_null(strstr(doge_error_last(), "/nonexistent-folder/x/y.db"));
    assert_int_equal(doge_store_open(&st, ""), DOGE_EINVAL);
    doge_store_free(NULL);
    doge_stmt_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bind_ref, setup, teardown),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
