/*
 * deliver.c — hands a week's requests over, resumably and at most once.
 * Maildir (the workspace outbox): each message is written to tmp/ and
 * renamed into new/ under a name derived from its token, a batch is made
 * durable with one syncfs() and a folder fsync, then marked sent in one
 * transaction; after a crash, a pending request whose file is already in
 * new/ or cur/ is marked sent without writing it again. SMTP (libcurl): a
 * batch is marked 'sending' before the first byte goes out; 250 marks it
 * sent, a 5xx refusal of the recipient or the message 'refused', a failure
 * before the end of the message went out (no connection, TLS, AUTH, 4xx) puts
 * it back to pending and fails the run, anything else leaves it 'sending' —
 * unknown, never re-sent by itself.
 */
#define _GNU_SOURCE /* syncfs */
#include "doge/progress.h"
#include "internal.h"
#include "pulse_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 2000

typedef struct {
    char token[DOGE__PULSE_TOKEN_LEN + 1];
    char email[320];
    int state; /* result: 0 pending, 1 sent, 2 refused, 3 unknown */
    char detail[160];
} req;

static int load_batch(doge_store *st, const char *week, const char *state, req *out, size_t cap,
                      size_t *n)
{
    doge_stmt *s;
    *n = 0;
    int rc = doge_store_prepare(st, &s,
                                "SELECT token, email FROM pulse_request WHERE week = ? AND state = ?"
                                " ORDER BY token LIMIT ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    doge_stmt_bind_text(s, 2, state, -1);
    doge_stmt_bind_int64(s, 3, (int64_t)cap);
    while ((rc = doge_stmt_step(s)) == 1) {
        req *r = &out[(*n)++];
        memset(r, 0, sizeof *r);
        snprintf(r->token, sizeof r->token, "%s", doge_stmt_text(s, 0));
        snprintf(r->email, sizeof r->email, "%s", doge_stmt_text(s, 1));
    }
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

static int mark(doge_store *st, const req *r, size_t n, int only_state, const char *state)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "UPDATE pulse_request SET state = ?, detail = ?, sent_at = ?"
                                " WHERE token = ?");
    if (rc)
        return rc;
    int64_t now = (int64_t)time(NULL);
    for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
        if (only_state >= 0 && r[i].state != only_state)
            continue;
        doge_stmt_reset(s);
        doge_stmt_bind_text(s, 1, state, -1);
        doge_stmt_bind_text(s, 2, r[i].detail[0] ? r[i].detail : NULL, -1);
        doge_stmt_bind_int64(s, 3, now);
        doge_stmt_bind_text(s, 4, r[i].token, -1);
        rc = doge_stmt_step(s) < 0 ? DOGE_EDB : DOGE_OK;
    }
    doge_stmt_free(s);
    return rc;
}

static int count_state(doge_store *st, const char *week, const char *state, int64_t *n)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT COUNT(*) FROM pulse_request WHERE week = ? AND state = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    doge_stmt_bind_text(s, 2, state, -1);
    rc = doge_stmt_step(s);
    *n = rc == 1 ? doge_stmt_int64(s, 0) : 0;
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

/* ---- Maildir ------------------------------------------------------------ */

static void maildir_name(char *buf, size_t cap, const char *week, const char *token)
{
    snprintf(buf, cap, "%s.%s.doge", week, token);
}

/* Whether the message is already in new/ or cur/ (a reader may have moved it
 * to cur/ and added ":2,FLAGS"). */
static int maildir_has(const char *outbox, const char *name)
{
    static const char *const forms[] = {"%s/new/%s", "%s/cur/%s:2,", "%s/cur/%s"};
    char p[PATH_MAX];
    struct stat sb;
    for (size_t i = 0; i < 3; i++) {
        int n = snprintf(p, sizeof p, forms[i], outbox, name);
        if (n > 0 && (size_t)n < sizeof p && stat(p, &sb) == 0)
            return 1;
    }
    return 0;
}

static int write_tmp(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    if (close(fd) != 0)
        return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    return DOGE_OK;
}

static int deliver_maildir(doge_workspace *ws, const char *week, doge_progress *prog,
                           doge_pulse_delivery *res, req *batch, doge_stmt *render)
{
    doge_store *st = doge_workspace_store(ws);
    char outbox[PATH_MAX];
    int rc = doge_workspace_path(ws, "outbox", outbox, sizeof outbox);
    if (rc)
        return rc;
    int dirfd = open(outbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", outbox, strerror(errno));
    uint64_t done = 0;
    for (;;) {
        size_t n;
        if ((rc = load_batch(st, week, "pending", batch, BATCH, &n)) || n == 0)
            break;
        for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
            char name[128], rel[192], tmp[PATH_MAX], dst[PATH_MAX];
            maildir_name(name, sizeof name, week, batch[i].token);
            if (maildir_has(outbox, name)) {
                batch[i].state = 1;
                res->recovered++;
                continue;
            }
            char *msg;
            size_t len;
            if ((rc = doge__pulse_render_with(ws, render, batch[i].token, &msg, &len)))
                break;
            snprintf(rel, sizeof rel, "outbox/tmp/%.100s", name);
            rc = doge_workspace_path(ws, rel, tmp, sizeof tmp);
            snprintf(rel, sizeof rel, "outbox/new/%.100s", name);
            if (rc == DOGE_OK)
                rc = doge_workspace_path(ws, rel, dst, sizeof dst);
            if (rc == DOGE_OK)
                rc = write_tmp(tmp, msg, len);
            free(msg);
            if (rc == DOGE_OK && rename(tmp, dst) != 0)
                rc = doge__error_set(DOGE_EIO, "%s: %s", dst, strerror(errno));
            batch[i].state = 1;
            res->delivered++;
        }
        /* Durable first (every file and the new/ folder), then recorded. */
        if (rc == DOGE_OK && syncfs(dirfd) != 0)
            rc = doge__error_set(DOGE_EIO, "%s: syncfs: %s", outbox, strerror(errno));
        char newdir[PATH_MAX];
        if (rc == DOGE_OK && (rc = doge_workspace_path(ws, "outbox/new", newdir, sizeof newdir)) ==
                                 DOGE_OK)
            rc = doge__fsync_dir(newdir);
        if (rc == DOGE_OK && (rc = doge_store_begin(st)) == DOGE_OK) {
            rc = mark(st, batch, n, 1, "sent");
            rc = rc ? (doge_store_rollback(st), rc) : doge_store_commit(st);
        }
        done += n;
        doge_progress_update(prog, done);
        if (rc)
            break;
    }
    close(dirfd);
    return rc;
}

/* ---- SMTP --------------------------------------------------------------- */

static int deliver_smtp(doge_workspace *ws, const char *week, const doge_pulse_smtp *smtp,
                        doge_progress *prog, doge_pulse_delivery *res, req *batch,
                        doge_stmt *render)
{
    doge_store *st = doge_workspace_store(ws);
    char mail_from[330] = "";
    int rc = DOGE_OK;
    if (smtp->mail_from) {
        snprintf(mail_from, sizeof mail_from, "<%s>", smtp->mail_from);
    } else {
        doge_stmt *s;
        if ((rc = doge_store_prepare(st, &s, "SELECT domain FROM pulse_campaign WHERE week = ?")))
            return rc;
        doge_stmt_bind_text(s, 1, week, -1);
        if (doge_stmt_step(s) == 1)
            snprintf(mail_from, sizeof mail_from, "<pulse@%s>", doge_stmt_text(s, 0));
        doge_stmt_free(s);
    }
    char **msgs = calloc(BATCH, sizeof *msgs);
    doge__smtp_item *items = calloc(BATCH, sizeof *items);
    if (!msgs || !items) {
        free(msgs);
        free(items);
        return doge__error_oom();
    }
    uint64_t done = 0;
    /* 4xx retries stay pending; stop when a whole pass sends nothing. */
    int64_t before_pass = -1;
    for (;;) {
        size_t n;
        if ((rc = load_batch(st, week, "pending", batch, BATCH, &n)) || n == 0)
            break;
        for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
            rc = doge__pulse_render_with(ws, render, batch[i].token, &msgs[i], &items[i].len);
            items[i].rcpt = batch[i].email;
            items[i].data = msgs[i];
        }
        /* Mark the batch 'sending' before anything leaves. */
        for (size_t i = 0; i < n; i++)
            batch[i].state = 3;
        if (rc == DOGE_OK && (rc = doge_store_begin(st)) == DOGE_OK) {
            rc = mark(st, batch, n, -1, "sending");
            rc = rc ? (doge_store_rollback(st), rc) : doge_store_commit(st);
        }
        if (rc == DOGE_OK && (rc = doge__pulse_smtp_send(smtp, mail_from, items, n)) == DOGE_OK) {
            for (size_t i = 0; i < n; i++) {
                batch[i].state = items[i].state;
                memcpy(batch[i].detail, items[i].detail, sizeof batch[i].detail);
            }
        }
        if (rc == DOGE_OK && (rc = doge_store_begin(st)) == DOGE_OK) {
            rc = mark(st, batch, n, 1, "sent");
            rc = rc ? rc : mark(st, batch, n, 2, "refused");
            rc = rc ? rc : mark(st, batch, n, 0, "pending");
            rc = rc ? rc : mark(st, batch, n, 3, "sending"); /* keeps why it is in doubt */
            rc = rc ? (doge_store_rollback(st), rc) : doge_store_commit(st);
        }
        int64_t sent_now = 0;
        for (size_t i = 0; i < n; i++) {
            free(msgs[i]);
            msgs[i] = NULL;
            res->delivered += batch[i].state == 1;
            res->refused += batch[i].state == 2;
            res->unknown += batch[i].state == 3;
            sent_now += batch[i].state != 0;
        }
        done += (uint64_t)sent_now;
        doge_progress_update(prog, done);
        if (rc)
            break;
        if (sent_now == 0) {
            if (before_pass == 0)
                break;
            before_pass = 0;
            sleep(1); /* a temporary refusal of the whole batch: one more pass */
        } else {
            before_pass = sent_now;
        }
    }
    free(msgs);
    free(items);
    /* Requests left pending (server down, login refused, 4xx) fail the run. */
    int64_t left = 0;
    if (rc == DOGE_OK && (rc = count_state(st, week, "pending", &left)) == DOGE_OK && left > 0) {
        char why[160] = "";
        doge_stmt *s;
        if (doge_store_prepare(st, &s,
                               "SELECT detail FROM pulse_request WHERE week = ? AND state = 'pending'"
                               " AND detail IS NOT NULL LIMIT 1") == DOGE_OK) {
            doge_stmt_bind_text(s, 1, week, -1);
            if (doge_stmt_step(s) == 1)
                snprintf(why, sizeof why, "%s", doge_stmt_text(s, 0));
            doge_stmt_free(s);
        }
        rc = doge__error_set(DOGE_EIO,
                             "%s: %lld requests not handed over (%s); "
                             "'doge pulse send' again retries them",
                             smtp->url, (long long)left, why[0] ? why : "no reply");
    }
    return rc;
}

int doge_pulse_deliver(doge_workspace *ws, const char *week, const doge_pulse_smtp *smtp, int quiet,
                       doge_pulse_delivery *res)
{
    memset(res, 0, sizeof *res);
    doge_store *st = doge_workspace_store(ws);
    int64_t campaigns = 0, pending = 0;
    int rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?", week,
                                    &campaigns);
    if (rc)
        return rc;
    if (!campaigns)
        return doge__error_set(DOGE_ENOTFOUND,
                               "no campaign for %s (open one with 'doge pulse open --week %s')",
                               week, week);
    if ((rc = count_state(st, week, "sent", &res->already)) ||
        (rc = count_state(st, week, "pending", &pending)))
        return rc;
    /* one statement renders every request (it was prepared per message) */
    doge_stmt *render;
    if ((rc = doge__pulse_render_prepare(ws, &render)))
        return rc;
    req *batch = calloc(BATCH, sizeof *batch);
    if (!batch) {
        doge_stmt_free(render);
        return doge__error_oom();
    }
    doge_progress *prog = NULL;
    doge_progress_new(&prog, smtp && smtp->url ? "smtp" : "outbox", (uint64_t)pending,
                      quiet ? DOGE_PROGRESS_QUIET : 0);
    if (smtp && smtp->url)
        rc = deliver_smtp(ws, week, smtp, prog, res, batch, render);
    else
        rc = deliver_maildir(ws, week, prog, res, batch, render);
    doge_progress_finish(prog);
    doge_progress_free(prog);
    free(batch);
    doge_stmt_free(render);
    if (rc == DOGE_OK) {
        int64_t unknown = 0;
        if ((rc = count_state(st, week, "sending", &unknown)) == DOGE_OK)
            res->unknown = unknown;
    }
    return rc;
}
