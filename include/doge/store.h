/*
 * doge/store.h — the one interface through which every pillar reaches the
 * workspace database. SQL is portable (ANSI types, '?' placeholders, no
 * backend-specific functions), so that a PostgreSQL backend can be placed
 * behind the same calls for deployments that outgrow one machine. The
 * embedded default is SQLite (one file, WAL journal).
 *
 * Ownership: doge_store_open() returns a store the caller frees with
 * doge_store_free(); doge_store_prepare() returns a statement the caller frees
 * with doge_stmt_free() before freeing the store. Text and blob pointers read
 * from a statement belong to it and stay valid until the next step, reset or
 * free of that statement. Bound text and blobs are copied.
 *
 * A store is used by one thread at a time.
 */
#ifndef DOGE_STORE_H
#define DOGE_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_store doge_store;
typedef struct doge_stmt doge_stmt;

/* Opens (creating if needed) the store at url: "sqlite:PATH" or a plain PATH
 * (SQLite), or "postgres://..." / "postgresql://..." (PostgreSQL; returns
 * DOGE_EINVAL saying so when this build has no PostgreSQL backend). */
DOGE_EXTERN int doge_store_open(doge_store **out, const char *url);

/* Closes the store; accepts NULL. */
DOGE_EXTERN void doge_store_free(doge_store *st);

/* The backend's name: "sqlite" or "postgres". Static storage. */
DOGE_EXTERN const char *doge_store_backend(const doge_store *st);

/* Runs one or more ';'-separated statements without parameters. */
DOGE_EXTERN int doge_store_exec(doge_store *st, const char *sql);

/* Transactions. begin starts a write transaction; nesting is an error. */
DOGE_EXTERN int doge_store_begin(doge_store *st);
DOGE_EXTERN int doge_store_commit(doge_store *st);
DOGE_EXTERN int doge_store_rollback(doge_store *st);

/* Applies every forward migration not yet applied, in order, each in its own
 * transaction, recording it in the schema_version table. *from and *to (either
 * may be NULL) receive the versions before and after. */
DOGE_EXTERN int doge_store_migrate(doge_store *st, int *from, int *to);

/* The highest applied schema version (0 for an empty store). */
DOGE_EXTERN int doge_store_schema_version(doge_store *st, int *version);

/* The newest schema version this build knows. */
DOGE_EXTERN int doge_store_schema_latest(void);

/* Prepares one statement with "?" placeholders ("?NNN" to reuse one
 * parameter by number; a PostgreSQL backend maps both to $N). */
DOGE_EXTERN int doge_store_prepare(doge_store *st, doge_stmt **out, const char *sql);

/* Binds parameter idx (1-based). len < 0 means NUL-terminated text. */
DOGE_EXTERN int doge_stmt_bind_int64(doge_stmt *s, int idx, int64_t v);
DOGE_EXTERN int doge_stmt_bind_text(doge_stmt *s, int idx, const char *text, ptrdiff_t len);
DOGE_EXTERN int doge_stmt_bind_blob(doge_stmt *s, int idx, const void *data, size_t len);
DOGE_EXTERN int doge_stmt_bind_null(doge_stmt *s, int idx);

/* Binds text without a copy: the caller keeps text alive and unchanged
 * until the statement is next reset or freed. A reset clears every binding
 * of the statement that had such a bound text (bind them all again before
 * the next step). For a hot insert: bind_text copies each value (on the
 * 2.3M-reply ingest the copies were 10% of the storing thread). */
DOGE_EXTERN int doge_stmt_bind_text_ref(doge_stmt *s, int idx, const char *text, ptrdiff_t len);

/* Steps: 1 when a row is available, 0 when done, a negative code on error. */
DOGE_EXTERN int doge_stmt_step(doge_stmt *s);

/* Column readers for the current row (col is 0-based). */
DOGE_EXTERN int doge_stmt_column_count(doge_stmt *s);
DOGE_EXTERN int doge_stmt_is_null(doge_stmt *s, int col);
DOGE_EXTERN int64_t doge_stmt_int64(doge_stmt *s, int col);
DOGE_EXTERN const char *doge_stmt_text(doge_stmt *s, int col); /* "" for NULL */
DOGE_EXTERN const void *doge_stmt_blob(doge_stmt *s, int col);
DOGE_EXTERN size_t doge_stmt_bytes(doge_stmt *s, int col);

/* Rows changed by the last completed INSERT/UPDATE/DELETE of this store. */
DOGE_EXTERN int64_t doge_store_changes(doge_store *st);

/* Resets a statement for re-execution; bindings are kept. */
DOGE_EXTERN int doge_stmt_reset(doge_stmt *s);

/* Finalizes a statement; accepts NULL. */
DOGE_EXTERN void doge_stmt_free(doge_stmt *s);

/* One-shot helpers: run sql with one optional text parameter (NULL for none)
 * and read the first column of the first row. DOGE_ENOTFOUND when no row. */
DOGE_EXTERN int doge_store_query_int64(doge_store *st, const char *sql, const char *param,
                                       int64_t *out);

#ifdef __cplusplus
}
#endif
#endif
