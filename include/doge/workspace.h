/*
 * doge/workspace.h — a doge workspace: one folder holding doge.conf (INI),
 * doge.db (the store, SQLite in WAL mode by default), ledger/ (the C2SP
 * tlog-tiles layout, servable as static files), keys/, outbox/ and reports/.
 * doge.conf marks the folder as a workspace.
 *
 * Ownership: doge_workspace_open() returns a workspace the caller frees with
 * doge_workspace_free(); the store and strings it hands out are borrowed and
 * live as long as the workspace.
 */
#ifndef DOGE_WORKSPACE_H
#define DOGE_WORKSPACE_H

#include "common.h"
#include "store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct doge_workspace doge_workspace;

/* Creates a workspace in dir (created if missing; it may exist and hold other
 * files). DOGE_EEXISTS when dir already is a workspace. */
DOGE_EXTERN int doge_workspace_init(const char *dir);

/* Opens the workspace in dir, migrating its store forward. Returns
 * DOGE_ENOWORKSPACE, naming dir, when dir has no doge.conf. */
DOGE_EXTERN int doge_workspace_open(doge_workspace **out, const char *dir);

/* Closes; accepts NULL. */
DOGE_EXTERN void doge_workspace_free(doge_workspace *ws);

/* The workspace folder as given to open. */
DOGE_EXTERN const char *doge_workspace_dir(const doge_workspace *ws);

/* The workspace's store (borrowed). */
DOGE_EXTERN doge_store *doge_workspace_store(doge_workspace *ws);

/* Opens another connection to the workspace's store, for another thread
 * (a store is used by one thread at a time); the caller frees it with
 * doge_store_free() before the workspace. No migration is run. */
DOGE_EXTERN int doge_workspace_store_connect(const doge_workspace *ws, doge_store **out);

/* Joins the workspace folder and rel into buf ("DIR/rel"). DOGE_ELIMIT when
 * buf is too small. */
DOGE_EXTERN int doge_workspace_path(const doge_workspace *ws, const char *rel, char *buf,
                                    size_t cap);

/* A value from doge.conf ([section] key = value), or def when absent. The
 * string is borrowed from the workspace. */
DOGE_EXTERN const char *doge_workspace_config(const doge_workspace *ws, const char *section,
                                              const char *key, const char *def);

/* What a workspace holds, for `doge status`. */
typedef struct doge_workspace_status {
    const char *dir;         /* borrowed */
    const char *backend;     /* "sqlite", ... (static) */
    int schema_version;      /* applied */
    int schema_latest;       /* known to this build */
    int64_t keys;            /* private keys in keys/ */
    int64_t outbox_messages; /* messages in outbox/ (Maildir new/ and cur/) */
    int64_t reports;         /* files in reports/ */
    int64_t ledger_size;     /* entries in the ledger's checkpoint, 0 without one */
    int ledger_initialized;  /* 1 when ledger/checkpoint exists */
    char ledger_origin[256]; /* the checkpoint's origin line, "" without one */
} doge_workspace_status;

/* Fills *st for the open workspace. */
DOGE_EXTERN int doge_workspace_stat(doge_workspace *ws, doge_workspace_status *st);

#ifdef __cplusplus
}
#endif
#endif
