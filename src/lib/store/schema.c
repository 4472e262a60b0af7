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
    /* PULSE: the weekly campaigns, their requests and the mail that came back. */
    "CREATE TABLE pulse_campaign ("
    " week TEXT PRIMARY KEY,"
    " deadline BIGINT NOT NULL,"
    " domain TEXT NOT NULL,"
    " opened_at BIGINT NOT NULL,"
    " template TEXT NOT NULL);"
    "CREATE TABLE pulse_request ("
    " week TEXT NOT NULL,"
    " employee_id TEXT NOT NULL,"
    " token TEXT NOT NULL UNIQUE,"
    " email TEXT NOT NULL,"
    " department TEXT NOT NULL,"
    " manager_id TEXT,"
    " state TEXT NOT NULL,"
    " detail TEXT,"
    " sent_at BIGINT,"
    " PRIMARY KEY (week, employee_id));"
    "CREATE INDEX pulse_request_state ON pulse_request (week, state);"
    "CREATE INDEX pulse_request_email ON pulse_request (email);"
    "CREATE TABLE pulse_reply ("
    " id BIGINT PRIMARY KEY,"
    " week TEXT,"
    " employee_id TEXT,"
    " kind TEXT NOT NULL,"
    " matched_by TEXT,"
    " message_id TEXT,"
    " content_hash TEXT NOT NULL UNIQUE,"
    " source TEXT,"
    " sent_at BIGINT,"
    " ingested_at BIGINT NOT NULL,"
    " on_time INTEGER NOT NULL DEFAULT 0,"
    " bullet_count INTEGER NOT NULL DEFAULT 0,"
    " manager_cc INTEGER NOT NULL DEFAULT 0,"
    " flags TEXT NOT NULL DEFAULT '',"
    " bullets TEXT NOT NULL DEFAULT '[]',"
    " note TEXT NOT NULL DEFAULT '',"
    " superseded INTEGER NOT NULL DEFAULT 0,"
    " ledger_index BIGINT);"
    "CREATE INDEX pulse_reply_employee ON pulse_reply (week, employee_id);"
    "CREATE INDEX pulse_reply_message ON pulse_reply (message_id);",
};

const int doge__store_migration_count =
    (int)(sizeof doge__store_migrations / sizeof doge__store_migrations[0]);
