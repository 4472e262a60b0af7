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
    /* 3: the roster (pulse): one row per employee ever imported (those who
     * left stay, inactive), every address (e-mail and aliases, lowercased)
     * of an active employee for sender lookup, one row per import and the
     * joined/left/moved changes each import found. An import row also
     * keeps the figures of the roster it made (the roster changes only by
     * import), departments as a JSON array of [name, employees] pairs,
     * largest first. No index on department:
     * it cost a fifth of a 2.3M-row import, and per-department queries
     * read the whole roster anyway. */
    "CREATE TABLE roster ("
    " employee_id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " email TEXT NOT NULL,"
    " department TEXT NOT NULL,"
    " manager_id TEXT,"
    " aliases TEXT NOT NULL,"
    " extra TEXT,"
    " active INTEGER NOT NULL,"
    " updated_at BIGINT NOT NULL);"
    "CREATE INDEX roster_manager ON roster (manager_id);"
    "CREATE TABLE roster_alias ("
    " email TEXT PRIMARY KEY,"
    " employee_id TEXT NOT NULL);"
    "CREATE TABLE roster_import ("
    " id BIGINT PRIMARY KEY,"
    " imported_at BIGINT NOT NULL,"
    " source TEXT NOT NULL,"
    " rows_read BIGINT NOT NULL,"
    " n_joined BIGINT NOT NULL,"
    " n_left BIGINT NOT NULL,"
    " n_moved BIGINT NOT NULL,"
    " n_updated BIGINT NOT NULL,"
    " n_unchanged BIGINT NOT NULL,"
    " n_active BIGINT NOT NULL,"
    " n_inactive BIGINT NOT NULL,"
    " n_addresses BIGINT NOT NULL,"
    " n_with_aliases BIGINT NOT NULL,"
    " n_managers BIGINT NOT NULL,"
    " n_tops BIGINT NOT NULL,"
    " max_span BIGINT NOT NULL,"
    " max_depth BIGINT NOT NULL,"
    " departments TEXT NOT NULL);"
    "CREATE TABLE roster_change ("
    " import_id BIGINT NOT NULL,"
    " employee_id TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " changed_at BIGINT NOT NULL,"
    " old_department TEXT,"
    " new_department TEXT,"
    " old_manager_id TEXT,"
    " new_manager_id TEXT,"
    " PRIMARY KEY (import_id, employee_id));"
    "CREATE INDEX roster_change_employee ON roster_change (employee_id);",
    /* 4: the weekly campaigns, their requests and the mail that came back. */
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
    /* 5: review — per reply the classifier's outcome per bullet and the
     * reviewer's note; the week's copy-paste clusters; and the human
     * decisions and appeals (each also a ledger entry). Specificity and
     * Jaccard are stored in thousandths (integers stay portable). */
    "CREATE TABLE review_reply ("
    " reply_id BIGINT PRIMARY KEY,"
    " week TEXT NOT NULL,"
    " employee_id TEXT,"
    " department TEXT NOT NULL DEFAULT '',"
    " bullet_count INTEGER NOT NULL,"
    " vague INTEGER NOT NULL,"
    " specificity INTEGER NOT NULL,"
    " top_category TEXT NOT NULL,"
    " bullets TEXT NOT NULL,"
    " cluster_id BIGINT,"
    " duplicate_of BIGINT,"
    " flags TEXT NOT NULL DEFAULT '',"
    " priority INTEGER NOT NULL,"
    " note TEXT NOT NULL,"
    " model TEXT NOT NULL,"
    " reviewed_at BIGINT NOT NULL);"
    "CREATE INDEX review_reply_week ON review_reply (week, department, priority);"
    "CREATE TABLE review_cluster ("
    " week TEXT NOT NULL,"
    " cluster_id BIGINT NOT NULL,"
    " size BIGINT NOT NULL,"
    " exact BIGINT NOT NULL,"
    " departments TEXT NOT NULL,"
    " min_jaccard INTEGER NOT NULL,"
    " representative BIGINT NOT NULL,"
    " text TEXT NOT NULL,"
    " PRIMARY KEY (week, cluster_id));"
    "CREATE TABLE review_decision ("
    " id BIGINT PRIMARY KEY,"
    " reply_id BIGINT NOT NULL,"
    " week TEXT NOT NULL,"
    " employee_id TEXT,"
    " kind TEXT NOT NULL,"
    " outcome TEXT,"
    " reason TEXT NOT NULL,"
    " by_id TEXT NOT NULL,"
    " at BIGINT NOT NULL,"
    " ledger_index BIGINT);"
    "CREATE INDEX review_decision_reply ON review_decision (reply_id, id);",
    /* 6 (serve): bearer tokens of doge serve's API, only
     * their SHA-256 kept (doge token new); and, for a log, the size each
     * witness URL last cosigned (doge witness push). */
    "CREATE TABLE api_token ("
    " id BIGINT PRIMARY KEY,"
    " token_sha256 TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " created_at BIGINT NOT NULL,"
    " revoked_at BIGINT);"
    "CREATE TABLE witness_peer ("
    " url TEXT PRIMARY KEY,"
    " size BIGINT NOT NULL,"
    " updated_at BIGINT NOT NULL);",
    /* 7: the replies' de-duplication keys move out of SQLite indexes into
     * runs of sorted keys (pulse_reply_keys, written by the ingest: see
     * src/lib/pulse/ingest_keys.c for the measured reason): content_hash
     * loses its UNIQUE index and message_id its index. The runs are built
     * from the rows by the first ingest after this migration. */
    "CREATE TABLE pulse_reply_v7 ("
    " id BIGINT PRIMARY KEY,"
    " week TEXT,"
    " employee_id TEXT,"
    " kind TEXT NOT NULL,"
    " matched_by TEXT,"
    " message_id TEXT,"
    " content_hash TEXT NOT NULL,"
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
    "INSERT INTO pulse_reply_v7 (id, week, employee_id, kind, matched_by, message_id,"
    " content_hash, source, sent_at, ingested_at, on_time, bullet_count, manager_cc, flags,"
    " bullets, note, superseded, ledger_index)"
    " SELECT id, week, employee_id, kind, matched_by, message_id,"
    " content_hash, source, sent_at, ingested_at, on_time, bullet_count, manager_cc, flags,"
    " bullets, note, superseded, ledger_index FROM pulse_reply;"
    "DROP TABLE pulse_reply;"
    "ALTER TABLE pulse_reply_v7 RENAME TO pulse_reply;"
    "CREATE INDEX pulse_reply_employee ON pulse_reply (week, employee_id);"
    "CREATE TABLE pulse_reply_keys ("
    " id BIGINT PRIMARY KEY,"
    " replies BIGINT NOT NULL,"
    " hashes BLOB NOT NULL,"
    " mids BLOB NOT NULL,"
    " employees BLOB NOT NULL);",
};

const int doge__store_migration_count =
    (int)(sizeof doge__store_migrations / sizeof doge__store_migrations[0]);
