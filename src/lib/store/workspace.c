/*
 * workspace.c — creating and opening a doge workspace folder: the folder
 * layout, the default doge.conf, the store (migrated forward on open), and
 * the figures `doge status` shows.
 */
#include "doge/workspace.h"
#include "doge/checkpoint.h"
#include "doge/ini.h"
#include "doge/note.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct doge_workspace {
    char *dir;
    doge_store *store;
    doge_ini *conf;
};

static const char default_conf[] =
    "# doge.conf: the settings of this doge workspace (INI).\n"
    "# Relative paths are inside the workspace folder.\n"
    "\n"
    "[store]\n"
    "# sqlite:PATH is the embedded default.\n"
    "url = sqlite:doge.db\n";

static int join(char *buf, size_t cap, const char *dir, const char *rel)
{
    int n = snprintf(buf, cap, "%s/%s", dir, rel);
    if (n < 0 || (size_t)n >= cap)
        return doge__error_set(DOGE_ELIMIT, "path too long: %s/%s", dir, rel);
    return DOGE_OK;
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

int doge_workspace_init(const char *dir)
{
    char path[PATH_MAX];
    int rc;
    static const char *const subdirs[] = {"ledger", "keys", "outbox", "outbox/tmp", "outbox/new",
                                          "outbox/cur", "reports"};
    if ((rc = join(path, sizeof path, dir, "doge.conf")))
        return rc;
    if (is_file(path))
        return doge__error_set(DOGE_EEXISTS, "%s is already a doge workspace (it has doge.conf)",
                               dir);
    if ((rc = doge__mkdirs(dir, 0755)))
        return rc;
    for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
        char sub[PATH_MAX];
        if ((rc = join(sub, sizeof sub, dir, subdirs[i])) ||
            (rc = doge__mkdirs(sub, strcmp(subdirs[i], "keys") == 0 ? 0700 : 0755)))
            return rc;
    }
    /* The store first, doge.conf last: doge.conf marks a finished workspace. */
    char db[PATH_MAX];
    if ((rc = join(db, sizeof db, dir, "doge.db")))
        return rc;
    doge_store *st;
    if ((rc = doge_store_open(&st, db)))
        return rc;
    rc = doge_store_migrate(st, NULL, NULL);
    doge_store_free(st);
    if (rc)
        return rc;
    return doge__file_write_atomic(path, default_conf, sizeof default_conf - 1, 0644);
}

int doge_workspace_open(doge_workspace **out, const char *dir)
{
    char path[PATH_MAX];
    int rc;
    *out = NULL;
    if ((rc = join(path, sizeof path, dir, "doge.conf")))
        return rc;
    if (!is_file(path)) {
        struct stat sb;
        if (stat(dir, &sb) != 0)
            return doge__error_set(DOGE_ENOWORKSPACE,
                                   "no doge workspace at '%s': the folder does not exist "
                                   "(create one with 'doge init %s')",
                                   dir, dir);
        return doge__error_set(DOGE_ENOWORKSPACE,
                               "no doge workspace at '%s': it has no doge.conf (create one with "
                               "'doge init %s', or point to one with -C DIR or DOGE_HOME)",
                               dir, dir);
    }
    doge_workspace *ws = calloc(1, sizeof *ws);
    if (!ws || !(ws->dir = strdup(dir))) {
        free(ws);
        return doge__error_oom();
    }
    if ((rc = doge_ini_new_file(&ws->conf, path)))
        goto fail;
    if ((rc = doge_workspace_store_connect(ws, &ws->store)))
        goto fail;
    if ((rc = doge_store_migrate(ws->store, NULL, NULL)))
        goto fail;
    *out = ws;
    return DOGE_OK;
fail:
    doge_workspace_free(ws);
    return rc;
}

int doge_workspace_store_connect(const doge_workspace *ws, doge_store **out)
{
    const char *url = doge_ini_get(ws->conf, "store", "url", "sqlite:doge.db");
    if (strncmp(url, "sqlite:", 7) == 0 && url[7] != '/') {
        char db[PATH_MAX];
        int rc = join(db, sizeof db, ws->dir, url + 7);
        return rc ? rc : doge_store_open(out, db);
    }
    return doge_store_open(out, url);
}

void doge_workspace_free(doge_workspace *ws)
{
    if (!ws)
        return;
    doge_store_free(ws->store);
    doge_ini_free(ws->conf);
    free(ws->dir);
    free(ws);
}

const char *doge_workspace_dir(const doge_workspace *ws) { return ws->dir; }
doge_store *doge_workspace_store(doge_workspace *ws) { return ws->store; }

int doge_workspace_path(const doge_workspace *ws, const char *rel, char *buf, size_t cap)
{
    return join(buf, cap, ws->dir, rel);
}

const char *doge_workspace_config(const doge_workspace *ws, const char *section, const char *key,
                                  const char *def)
{
    return doge_ini_get(ws->conf, section, key, def);
}

static int64_t count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int64_t n = 0;
    struct dirent *e;
    size_t sl = suffix ? strlen(suffix) : 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t l = strlen(e->d_name);
        if (suffix && (l < sl || strcmp(e->d_name + l - sl, suffix) != 0))
            continue;
        n++;
    }
    closedir(d);
    return n;
}

int doge_workspace_stat(doge_workspace *ws, doge_workspace_status *st)
{
    char path[PATH_MAX];
    int rc;
    memset(st, 0, sizeof *st);
    st->dir = ws->dir;
    st->backend = doge_store_backend(ws->store);
    if ((rc = doge_store_schema_version(ws->store, &st->schema_version)))
        return rc;
    st->schema_latest = doge_store_schema_latest();
    if ((rc = join(path, sizeof path, ws->dir, "keys")))
        return rc;
    st->keys = count_files(path, ".key");
    if ((rc = join(path, sizeof path, ws->dir, "outbox/new")))
        return rc;
    st->outbox_messages = count_files(path, NULL);
    if ((rc = join(path, sizeof path, ws->dir, "outbox/cur")))
        return rc;
    st->outbox_messages += count_files(path, NULL);
    if ((rc = join(path, sizeof path, ws->dir, "reports")))
        return rc;
    st->reports = count_files(path, NULL);
    if ((rc = join(path, sizeof path, ws->dir, "ledger/checkpoint")))
        return rc;
    char *cp = NULL;
    size_t cplen = 0;
    if (doge__file_read(path, DOGE_NOTE_MAX_SIZE, &cp, &cplen) == DOGE_OK) {
        /* The checkpoint's origin and size, read with the tlog-checkpoint
         * parser (signatures are checked by the ledger, not here). */
        doge_note *note = NULL;
        doge_checkpoint *c = NULL;
        size_t tl = 0;
        const char *text = doge_note_parse(&note, cp, cplen) == DOGE_OK
                               ? doge_note_text(note, &tl)
                               : NULL;
        if (text && doge_checkpoint_parse(&c, text, tl) == DOGE_OK) {
            snprintf(st->ledger_origin, sizeof st->ledger_origin, "%s",
                     doge_checkpoint_origin(c));
            st->ledger_size = (int64_t)doge_checkpoint_size(c);
            st->ledger_initialized = 1;
        }
        doge_checkpoint_free(c);
        doge_note_free(note);
        free(cp);
    }
    doge_error_clear();
    return DOGE_OK;
}
