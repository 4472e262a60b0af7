/*
 * store.c — the backend-independent half of the store interface: URL
 * dispatch to a backend, transactions, forward migrations with a
 * schema_version table, and thin wrappers over the backend's statement
 * operations.
 */
#include "internal.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int doge_store_open(doge_store **out, const char *url)
{
    *out = NULL;
    if (!url || !*url)
        return doge__error_set(DOGE_EINVAL, "store: empty location");
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0)
        return doge__error_set(DOGE_EINVAL,
                               "store '%s': this build of doge has no PostgreSQL backend yet; "
                               "use a SQLite path",
                               url);
    if (strncmp(url, "sqlite:", 7) == 0)
        url += 7;
    return doge__store_sqlite_open(out, url);
}

void doge_store_free(doge_store *st)
{
    if (st)
        st->ops->close(st);
}

const char *doge_store_backend(const doge_store *st) { return st->ops->name; }

int doge_store_exec(doge_store *st, const char *sql) { return st->ops->exec(st, sql); }

int doge_store_begin(doge_store *st)
{
    if (st->in_tx)
        return doge__error_set(DOGE_EINVAL, "store: a transaction is already open");
    int rc = st->ops->exec(st, st->ops->begin_sql);
    if (rc == DOGE_OK)
        st->in_tx = 1;
    return rc;
}

int doge_store_commit(doge_store *st)
{
    if (!st->in_tx)
        return doge__error_set(DOGE_EINVAL, "store: commit without a transaction");
    int rc = st->ops->exec(st, "COMMIT");
    if (rc == DOGE_OK)
        st->in_tx = 0;
    return rc;
}

int doge_store_rollback(doge_store *st)
{
    if (!st->in_tx)
        return DOGE_OK;
    st->in_tx = 0;
    return st->ops->exec(st, "ROLLBACK");
}

int doge_store_prepare(doge_store *st, doge_stmt **out, const char *sql)
{
    return st->ops->prepare(st, out, sql);
}

int doge_stmt_bind_int64(doge_stmt *s, int idx, int64_t v) { return s->ops->bind_int64(s, idx, v); }
int doge_stmt_bind_text(doge_stmt *s, int idx, const char *text, ptrdiff_t len)
{
    if (!text)
        return s->ops->bind_null(s, idx);
    return s->ops->bind_text(s, idx, text, len < 0 ? strlen(text) : (size_t)len);
}
int doge_stmt_bind_text_ref(doge_stmt *s, int idx, const char *text, ptrdiff_t len)
{
    if (!text)
        return s->ops->bind_null(s, idx);
    return s->ops->bind_text_ref(s, idx, text, len < 0 ? strlen(text) : (size_t)len);
}
int doge_stmt_bind_blob(doge_stmt *s, int idx, const void *data, size_t len)
{
    return s->ops->bind_blob(s, idx, data, len);
}
int doge_stmt_bind_null(doge_stmt *s, int idx) { return s->ops->bind_null(s, idx); }
int doge_stmt_step(doge_stmt *s) { return s->ops->step(s); }
int doge_stmt_column_count(doge_stmt *s) { return s->ops->column_count(s); }
int doge_stmt_is_null(doge_stmt *s, int col) { return s->ops->is_null(s, col); }
int64_t doge_stmt_int64(doge_stmt *s, int col) { return s->ops->int64(s, col); }
const char *doge_stmt_text(doge_stmt *s, int col) { return s->ops->text(s, col); }
const void *doge_stmt_blob(doge_stmt *s, int col) { return s->ops->blob(s, col); }
size_t doge_stmt_bytes(doge_stmt *s, int col) { return s->ops->bytes(s, col); }
int doge_stmt_reset(doge_stmt *s) { return s->ops->reset(s); }
int64_t doge_store_changes(doge_store *st) { return st->ops->changes(st); }

void doge_stmt_free(doge_stmt *s)
{
    if (s)
        s->ops->finalize(s);
}

int doge_store_query_int64(doge_store *st, const char *sql, const char *param, int64_t *out)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s, sql);
    if (rc)
        return rc;
    if (param && (rc = doge_stmt_bind_text(s, 1, param, -1)) != DOGE_OK) {
        doge_stmt_free(s);
        return rc;
    }
    rc = doge_stmt_step(s);
    if (rc == 1) {
        *out = doge_stmt_int64(s, 0);
        rc = DOGE_OK;
    } else if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND, "store: no row for: %.200s", sql);
    }
    doge_stmt_free(s);
    return rc;
}

int doge_store_schema_latest(void) { return doge__store_migration_count; }

int doge_store_schema_version(doge_store *st, int *version)
{
    int rc = doge_store_exec(st, "CREATE TABLE IF NOT EXISTS schema_version ("
                                 " version INTEGER PRIMARY KEY,"
                                 " applied_at BIGINT NOT NULL)");
    if (rc)
        return rc;
    int64_t v = 0;
    rc = doge_store_query_int64(st, "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL,
                                &v);
    if (rc)
        return rc;
    *version = (int)v;
    return DOGE_OK;
}

int doge_store_migrate(doge_store *st, int *from, int *to)
{
    int v;
    int rc = doge_store_schema_version(st, &v);
    if (rc)
        return rc;
    if (from)
        *from = v;
    if (v > doge__store_migration_count)
        return doge__error_set(DOGE_EDB,
                               "store: schema version %d is newer than this doge knows (%d); "
                               "upgrade doge",
                               v, doge__store_migration_count);
    for (int i = v; i < doge__store_migration_count; i++) {
        if ((rc = doge_store_begin(st)))
            return rc;
        rc = doge_store_exec(st, doge__store_migrations[i]);
        if (rc == DOGE_OK) {
            doge_stmt *s;
            rc = doge_store_prepare(st, &s,
                                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)");
            if (rc == DOGE_OK) {
                doge_stmt_bind_int64(s, 1, i + 1);
                doge_stmt_bind_int64(s, 2, (int64_t)time(NULL));
                rc = doge_stmt_step(s) < 0 ? DOGE_EDB : DOGE_OK;
                doge_stmt_free(s);
            }
        }
        if (rc == DOGE_OK)
            rc = doge_store_commit(st);
        if (rc) {
            doge__error_prefix("store: migration %d", i + 1);
            doge_store_rollback(st);
            return rc;
        }
    }
    if (to)
        *to = doge__store_migration_count;
    return DOGE_OK;
}
