/*
 * schema.c — the workspace database's forward migrations, oldest first. A
 * migration is never edited once released; a change is a new migration. SQL
 * here is portable between SQLite and PostgreSQL (BIGINT, TEXT, BLOB-as-bytes
 * columns are declared BLOB for SQLite; the PostgreSQL backend maps BLOB to
 * BYTEA when it creates tables).
 */
#include "store_internal.h"

const char *const doge__store_migrations[] = {
    /* 1: workspace metadata. */
    "CREATE TABLE meta ("
    " key TEXT PRIMARY KEY,"
    " value TEXT NOT NULL);",
    /* 2: the ledger's archive of signed checkpoints, and a witness's state
     * per log origin (the last checkpoint it cosigned). */
    "CREATE TABLE ledger_checkpoint ("
    " size BIGINT PRIMARY KEY,"
    " checkpoint TEXT NOT NULL,"
    " created_at BIGINT NOT NULL);"
    "CREATE TABLE witness_log ("
    " origin TEXT PRIMARY KEY,"
    " size BIGINT NOT NULL,"
    " root BLOB NOT NULL,"
    " checkpoint TEXT NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE TABLE witness_trust ("
    " origin TEXT NOT NULL,"
    " vkey TEXT NOT NULL,"
    " PRIMARY KEY (origin, vkey));",
};

const int doge__store_migration_count =
    (int)(sizeof doge__store_migrations / sizeof doge__store_migrations[0]);
