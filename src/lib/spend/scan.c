/*
 * scan.c — typed rows over the fast CSV reader (doge/spend_csv.h): reads a
 * file's kind from its header, asks the reader for that kind's columns, and
 * turns each row's field views into a doge_spend_txn on the scanning thread
 * (no allocation per row). Rows whose money or dates do not parse become
 * diagnostics in the reader's "file:line: byte N: why" form; every
 * diagnostic, the reader's and ours, goes to the caller under one lock.
 * Fields the caller marks as unneeded are not asked for at all, so the
 * reader skips them like any other unused column. A progress bar counts
 * bytes: each thread adds the distance between its
 * consecutive rows to a shared counter every few thousand rows, and thread 0
 * redraws.
 */
#include "doge/date.h"
#include "doge/progress.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PROGRESS_EVERY 4096

typedef struct per_thread {
    uint64_t last_offset, pending, rows;
    int started;
    char pad[64 - 3 * sizeof(uint64_t) - sizeof(int)];
} per_thread;

typedef struct scan_ctx {
    const doge__spend_scan *o;
    const char *path;
    doge_spend_kind kind;
    size_t map[DOGE_SPEND_TXN_FIELDS]; /* logical field -> asked column, or SIZE_MAX */
    pthread_mutex_t lock;
    per_thread th[64];
    _Atomic uint64_t done;
    _Atomic uint64_t bad_values;
    doge_progress *progress;
    int stop_code;
    char stop_msg[600];
} scan_ctx;

static void diag(void *vctx, const char *file, uint64_t line, uint64_t offset, const char *msg)
{
    scan_ctx *c = vctx;
    if (!c->o->on_diag)
        return;
    pthread_mutex_lock(&c->lock);
    c->o->on_diag(c->o->diag_ctx, file, line, offset, msg);
    pthread_mutex_unlock(&c->lock);
}

static int on_row(void *vctx, const doge_spend_row *row)
{
    scan_ctx *c = vctx;
    const doge__spend_scan *o = c->o;
    doge_spend_field f[DOGE_SPEND_TXN_FIELDS];
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++) {
        if (c->map[i] == SIZE_MAX) {
            f[i].data = "";
            f[i].len = 0;
        } else {
            f[i] = row->fields[c->map[i]];
        }
    }
    unsigned t = row->thread < 64 ? row->thread : 63;
    if (c->progress) {
        per_thread *p = &c->th[t];
        if (p->started)
            p->pending += row->offset - p->last_offset;
        p->started = 1;
        p->last_offset = row->offset;
        if (++p->rows % PROGRESS_EVERY == 0) {
            uint64_t d = atomic_fetch_add(&c->done, p->pending) + p->pending;
            p->pending = 0;
            if (t == 0)
                doge_progress_update(c->progress, d);
        }
    }
    if (o->filter && !o->filter(o->ctx, c->kind, f))
        return 0;
    doge_spend_txn txn;
    char err[400];
    if (doge_spend_txn_parse(c->kind, f, &txn, err, sizeof err) != DOGE_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s:%" PRIu64 ": byte %" PRIu64 ": %s", c->path, row->line,
                 row->offset, err);
        atomic_fetch_add(&c->bad_values, 1);
        diag(c, c->path, row->line, row->offset, msg);
        if (o->strict) {
            pthread_mutex_lock(&c->lock);
            if (!c->stop_code) {
                c->stop_code = DOGE_EINVAL;
                snprintf(c->stop_msg, sizeof c->stop_msg, "%s", msg);
            }
            pthread_mutex_unlock(&c->lock);
            return DOGE_EINVAL;
        }
        return 0;
    }
    txn.line = row->line;
    txn.offset = row->offset;
    return o->on_txn(o->ctx, row->thread, &txn);
}

int doge__spend_scan_file(const char *path, const doge__spend_scan *o, doge__spend_scan_stats *st)
{
    memset(st, 0, sizeof *st);
    scan_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return doge__error_oom();
    int rc = doge_spend_file_kind(path, &c->kind);
    if (rc) {
        free(c);
        return rc;
    }
    c->o = o;
    c->path = path;
    const char *const *names = doge_spend_txn_columns(c->kind);
    const unsigned char *req = doge_spend_txn_required(c->kind);
    const char *cols[DOGE_SPEND_TXN_FIELDS];
    unsigned char creq[DOGE_SPEND_TXN_FIELDS];
    size_t n = 0;
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++) {
        if (!names[i] || (o->skip & (1u << i))) {
            c->map[i] = SIZE_MAX;
            continue;
        }
        c->map[i] = n;
        cols[n] = names[i];
        creq[n] = req[i];
        n++;
    }
    pthread_mutex_init(&c->lock, NULL);
    if (!o->no_progress && !(o->progress & DOGE_PROGRESS_QUIET)) {
        struct stat sb;
        uint64_t size = stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
        if (doge_progress_new(&c->progress, o->label ? o->label : "scan", size, o->progress) ==
                DOGE_OK &&
            !doge_progress_enabled(c->progress)) {
            doge_progress_free(c->progress);
            c->progress = NULL;
        }
    }
    doge_spend_csv_opts so;
    memset(&so, 0, sizeof so);
    so.columns = cols;
    so.ncolumns = n;
    so.required = creq;
    so.threads = o->threads ? o->threads : 1;
    if (so.threads > 64)
        so.threads = 64;
    so.strict = o->strict;
    so.on_row = on_row;
    so.on_diag = diag;
    so.ctx = c;
    doge_spend_csv_stats cs;
    memset(&cs, 0, sizeof cs);
    rc = doge_spend_csv_scan(path, &so, &cs);
    if (c->progress) {
        doge_progress_update(c->progress, cs.bytes);
        doge_progress_finish(c->progress);
        doge_progress_free(c->progress);
    }
    if (rc > 0)
        rc = DOGE_ERROR;
    if (rc && c->stop_code)
        rc = doge__error_set(c->stop_code, "%s", c->stop_msg);
    st->bytes = cs.bytes;
    st->rows = cs.rows - (c->bad_values <= cs.rows ? c->bad_values : cs.rows);
    st->bad_rows = cs.bad_rows + c->bad_values;
    st->kind = c->kind;
    pthread_mutex_destroy(&c->lock);
    free(c);
    return rc;
}
