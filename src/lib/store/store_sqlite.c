/*
 * store_sqlite.c — the SQLite backend of the store interface: one database
 * file in WAL mode with a busy timeout, foreign keys on and synchronous=NORMAL
 * (durable at checkpoint in WAL, the documented safe pairing). Errors carry
 * SQLite's message and the statement that failed.
 */
#include "internal.h"
#include "store_internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    doge_store base;
    sqlite3 *db;
    char *path;
} sqlite_store;

typedef struct {
    doge_stmt base;
    sqlite3_stmt *stmt;
    int refs; /* a text is bound without a copy: the next reset clears */
} sqlite_stmt;

static sqlite3 *db_of(doge_store *st) { return ((sqlite_store *)st)->db; }
static sqlite3_stmt *stmt_of(doge_stmt *s) { return ((sqlite_stmt *)s)->stmt; }

static int s_exec(doge_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db_of(st), sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = doge__error_set(DOGE_EDB, "%s: %s (in: %.200s)", ((sqlite_store *)st)->path,
                                 msg ? msg : "error", sql);
        sqlite3_free(msg);
        return rc;
    }
    return DOGE_OK;
}

static const doge__stmt_ops sqlite_stmt_ops;

static int s_prepare(doge_store *st, doge_stmt **out, const char *sql)
{
    *out = NULL;
    sqlite_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return doge__error_oom();
    if (sqlite3_prepare_v2(db_of(st), sql, -1, &s->stmt, NULL) != SQLITE_OK) {
        int rc = doge__error_set(DOGE_EDB, "%s: prepare: %s (in: %.200s)",
                                 ((sqlite_store *)st)->path, sqlite3_errmsg(db_of(st)), sql);
        free(s);
        return rc;
    }
    s->base.ops = &sqlite_stmt_ops;
    s->base.store = st;
    *out = &s->base;
    return DOGE_OK;
}

static int64_t s_changes(doge_store *st) { return sqlite3_changes64(db_of(st)); }

static void s_close(doge_store *st)
{
    sqlite_store *ss = (sqlite_store *)st;
    sqlite3_close_v2(ss->db);
    free(ss->path);
    free(ss);
}

/* BEGIN IMMEDIATE takes the write lock at once, so two writers wait at the
 * start instead of failing at their first write. */
static const doge__store_ops sqlite_ops = {"sqlite", "BEGIN IMMEDIATE", s_exec, s_prepare, s_changes, s_close};

static int bind_rc(doge_stmt *s, int rc, int idx)
{
    if (rc == SQLITE_OK)
        return DOGE_OK;
    return doge__error_set(DOGE_EDB, "bind parameter %d: %s", idx,
                           sqlite3_errmsg(db_of(s->store)));
}

static int st_bind_int64(doge_stmt *s, int idx, int64_t v)
{
    return bind_rc(s, sqlite3_bind_int64(stmt_of(s), idx, v), idx);
}
static int st_bind_text(doge_stmt *s, int idx, const char *t, size_t len)
{
    return bind_rc(s, sqlite3_bind_text64(stmt_of(s), idx, t, len, SQLITE_TRANSIENT, SQLITE_UTF8),
                   idx);
}
static int st_bind_text_ref(doge_stmt *s, int idx, const char *t, size_t len)
{
    ((sqlite_stmt *)s)->refs = 1;
    return bind_rc(s, sqlite3_bind_text64(stmt_of(s), idx, t, len, SQLITE_STATIC, SQLITE_UTF8),
                   idx);
}
static int st_bind_blob(doge_stmt *s, int idx, const void *d, size_t len)
{
    return bind_rc(s, sqlite3_bind_blob64(stmt_of(s), idx, d, len, SQLITE_TRANSIENT), idx);
}
static int st_bind_null(doge_stmt *s, int idx)
{
    return bind_rc(s, sqlite3_bind_null(stmt_of(s), idx), idx);
}
static int st_step(doge_stmt *s)
{
    int rc = sqlite3_step(stmt_of(s));
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return doge__error_set(DOGE_EDB, "%s: %s (in: %.200s)", ((sqlite_store *)s->store)->path,
                           sqlite3_errmsg(db_of(s->store)), sqlite3_sql(stmt_of(s)));
}
static int st_column_count(doge_stmt *s) { return sqlite3_column_count(stmt_of(s)); }
static int st_is_null(doge_stmt *s, int c) { return sqlite3_column_type(stmt_of(s), c) == SQLITE_NULL; }
static int64_t st_int64(doge_stmt *s, int c) { return sqlite3_column_int64(stmt_of(s), c); }
static const char *st_text(doge_stmt *s, int c)
{
    const unsigned char *t = sqlite3_column_text(stmt_of(s), c);
    return t ? (const char *)t : "";
}
static const void *st_blob(doge_stmt *s, int c) { return sqlite3_column_blob(stmt_of(s), c); }
static size_t st_bytes(doge_stmt *s, int c) { return (size_t)sqlite3_column_bytes(stmt_of(s), c); }
static int st_reset(doge_stmt *s)
{
    sqlite3_reset(stmt_of(s));
    if (((sqlite_stmt *)s)->refs) {
        sqlite3_clear_bindings(stmt_of(s));
        ((sqlite_stmt *)s)->refs = 0;
    }
    return DOGE_OK;
}
static void st_finalize(doge_stmt *s)
{
    sqlite3_finalize(stmt_of(s));
    free(s);
}

static const doge__stmt_ops sqlite_stmt_ops = {
    st_bind_int64, st_bind_text, st_bind_text_ref, st_bind_blob, st_bind_null, st_step,
    st_column_count, st_is_null, st_int64, st_text, st_blob, st_bytes, st_reset, st_finalize,
};

int doge__store_sqlite_open(doge_store **out, const char *path)
{
    *out = NULL;
    sqlite_store *ss = calloc(1, sizeof *ss);
    if (!ss || !(ss->path = strdup(path))) {
        free(ss);
        return doge__error_oom();
    }
    ss->base.ops = &sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &ss->db, flags, NULL) != SQLITE_OK) {
        int rc = doge__error_set(DOGE_EDB, "%s: cannot open database: %s", path,
                                 ss->db ? sqlite3_errmsg(ss->db) : "out of memory");
        sqlite3_close_v2(ss->db);
        free(ss->path);
        free(ss);
        return rc;
    }
    sqlite3_busy_timeout(ss->db, 10000);
    sqlite3_extended_result_codes(ss->db, 1);
    int rc = s_exec(&ss->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                                 "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;");
    if (rc != DOGE_OK) {
        s_close(&ss->base);
        return rc;
    }
    *out = &ss->base;
    return DOGE_OK;
}
