/*
 * store_internal.h — the backend operations table behind doge/store.h. The
 * SQLite backend (store_sqlite.c) is the embedded default; a PostgreSQL
 * backend fills the same table. Never installed.
 */
#ifndef DOGE_STORE_INTERNAL_H
#define DOGE_STORE_INTERNAL_H

#include "doge/store.h"

typedef struct doge__store_ops {
    const char *name;
    const char *begin_sql; /* how a write transaction starts on this backend */
    int (*exec)(doge_store *st, const char *sql);
    int (*prepare)(doge_store *st, doge_stmt **out, const char *sql);
    int64_t (*changes)(doge_store *st);
    void (*close)(doge_store *st);
} doge__store_ops;

typedef struct doge__stmt_ops {
    int (*bind_int64)(doge_stmt *s, int idx, int64_t v);
    int (*bind_text)(doge_stmt *s, int idx, const char *text, size_t len);
    /* text stays valid until the next reset (which clears the bindings) */
    int (*bind_text_ref)(doge_stmt *s, int idx, const char *text, size_t len);
    int (*bind_blob)(doge_stmt *s, int idx, const void *data, size_t len);
    int (*bind_null)(doge_stmt *s, int idx);
    int (*step)(doge_stmt *s);
    int (*column_count)(doge_stmt *s);
    int (*is_null)(doge_stmt *s, int col);
    int64_t (*int64)(doge_stmt *s, int col);
    const char *(*text)(doge_stmt *s, int col);
    const void *(*blob)(doge_stmt *s, int col);
    size_t (*bytes)(doge_stmt *s, int col);
    int (*reset)(doge_stmt *s);
    void (*finalize)(doge_stmt *s);
} doge__stmt_ops;

struct doge_store {
    const doge__store_ops *ops;
    int in_tx;
};

struct doge_stmt {
    const doge__stmt_ops *ops;
    doge_store *store;
};

int doge__store_sqlite_open(doge_store **out, const char *path);

/* The forward migrations, oldest first (schema.c). */
extern const char *const doge__store_migrations[];
extern const int doge__store_migration_count;

#endif
