/*
 * receipt_send.c — sends the receipts that ingest wrote to the outbox
 * (outbox/new/receipt.*) to their respondents over SMTP, at most once. The
 * Maildir itself holds the state: before anything leaves, a batch is moved
 * from new/ to cur/ under NAME:2, (claimed, durable: the folders are
 * fsynced); then 250 renames it NAME:2,P (passed on), a 5xx refusal
 * NAME:2,F (flagged for a human), a failure before the end of the data
 * back to new/NAME (retried by the next run), and anything in doubt stays
 * NAME:2, — never re-sent by itself, counted as unknown. A crash after the
 * claim leaves the claimed receipts in doubt, never sent twice.
 */
#include "internal.h"
#include "pulse_internal.h"
#include "doge/progress.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 500

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in outbox/new that are receipts, sorted (malloc'd). */
static int list_new(const char *dir, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? DOGE_OK : doge__error_set(DOGE_EIO, "%s: %s", dir, strerror(errno));
    char **v = NULL;
    size_t len = 0, cap = 0;
    int rc = DOGE_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "receipt.", 8) != 0)
            continue;
        if (len == cap) {
            size_t nc = cap ? cap * 2 : 256;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                rc = doge__error_oom();
                break;
            }
            v = nv;
            cap = nc;
        }
        if (!(v[len] = strdup(e->d_name))) {
            rc = doge__error_oom();
            break;
        }
        len++;
    }
    closedir(d);
    if (rc) {
        for (size_t i = 0; i < len; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    if (len)
        qsort(v, len, sizeof *v, cmp_str);
    *out = v;
    *n = len;
    return DOGE_OK;
}

static size_t count_suffix(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    size_t n = 0, sl = strlen(suffix);
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, "receipt.", 8) == 0 && l > sl &&
            strcmp(e->d_name + l - sl, suffix) == 0)
            n++;
    }
    closedir(d);
    return n;
}

/* The address of the receipt's "To: <addr>" header. */
static int rcpt_of(const char *msg, size_t len, const char *name, char *out, size_t cap)
{
    for (const char *p = msg; p < msg + len;) {
        const char *eol = memchr(p, '\n', (size_t)(msg + len - p));
        if (!eol || eol == p || (eol == p + 1 && *p == '\r'))
            break; /* end of the header */
        if (strncmp(p, "To: <", 5) == 0) {
            const char *a = p + 5, *z = memchr(a, '>', (size_t)(eol - a));
            if (z && z > a && (size_t)(z - a) < cap) {
                memcpy(out, a, (size_t)(z - a));
                out[z - a] = '\0';
                return DOGE_OK;
            }
        }
        p = eol + 1;
    }
    return doge__error_set(DOGE_EINVAL, "outbox/new/%s: no 'To: <address>' header", name);
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", dir, strerror(errno));
    int rc = fsync(fd) == 0 ? DOGE_OK : doge__error_set(DOGE_EIO, "%s: fsync: %s", dir,
                                                         strerror(errno));
    close(fd);
    return rc;
}

static int join(char *out, size_t cap, const char *dir, const char *name)
{
    int k = snprintf(out, cap, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= cap)
        return doge__error_set(DOGE_ELIMIT, "%s/%s: path too long", dir, name);
    return DOGE_OK;
}

static int move(const char *from_dir, const char *from, const char *to_dir, const char *to)
{
    char a[PATH_MAX], b[PATH_MAX];
    int rc;
    if ((rc = join(a, sizeof a, from_dir, from)) || (rc = join(b, sizeof b, to_dir, to)))
        return rc;
    if (rename(a, b) != 0)
        return doge__error_set(DOGE_EIO, "%s: %s", a, strerror(errno));
    return DOGE_OK;
}

int doge_pulse_send_receipts(doge_workspace *ws, const doge_pulse_smtp *smtp, int quiet,
                             doge_pulse_delivery *res)
{
    memset(res, 0, sizeof *res);
    if (!smtp || !smtp->url)
        return doge__error_set(DOGE_EINVAL, "receipts are sent over SMTP: give an smtp:// URL");
    char newd[PATH_MAX], curd[PATH_MAX];
    int rc;
    if ((rc = doge_workspace_path(ws, "outbox/new", newd, sizeof newd)) ||
        (rc = doge_workspace_path(ws, "outbox/cur", curd, sizeof curd)) ||
        (rc = doge__mkdirs(curd, 0700)))
        return rc;
    res->already = (int64_t)count_suffix(curd, ":2,P");
    char mail_from[330];
    if (smtp->mail_from) {
        snprintf(mail_from, sizeof mail_from, "<%s>", smtp->mail_from);
    } else {
        doge_stmt *s;
        snprintf(mail_from, sizeof mail_from, "<pulse-receipts@localhost>");
        if ((rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                     "SELECT domain FROM pulse_campaign ORDER BY week DESC")))
            return rc;
        if (doge_stmt_step(s) == 1)
            snprintf(mail_from, sizeof mail_from, "<pulse-receipts@%s>", doge_stmt_text(s, 0));
        doge_stmt_free(s);
    }
    char **names;
    size_t n;
    if ((rc = list_new(newd, &names, &n)))
        return rc;
    doge_progress *prog = NULL;
    if (!quiet && n)
        doge_progress_new(&prog, "receipts", n, 0);
    doge__smtp_item *items = calloc(BATCH, sizeof *items);
    char (*rcpts)[320] = calloc(BATCH, sizeof *rcpts);
    char **claimed = calloc(BATCH, sizeof *claimed);
    if (!items || !rcpts || !claimed)
        rc = doge__error_oom();
    uint64_t done = 0;
    for (size_t at = 0; rc == DOGE_OK && at < n; at += BATCH) {
        size_t k = n - at < BATCH ? n - at : BATCH;
        /* Read the batch, then claim it (new/ -> cur/NAME:2,) durably. */
        size_t m = 0;
        for (size_t i = 0; i < k && rc == DOGE_OK; i++) {
            char path[PATH_MAX];
            char *data;
            size_t len;
            if ((rc = join(path, sizeof path, newd, names[at + i])) ||
                (rc = doge__file_read(path, (size_t)16 << 20, &data, &len)))
                break;
            if ((rc = rcpt_of(data, len, names[at + i], rcpts[m], sizeof rcpts[m]))) {
                free(data);
                break;
            }
            items[m] = (doge__smtp_item){.rcpt = rcpts[m], .data = data, .len = len};
            claimed[m] = names[at + i];
            m++;
        }
        for (size_t i = 0; i < m && rc == DOGE_OK; i++) {
            char to[NAME_MAX + 1];
            snprintf(to, sizeof to, "%s:2,", claimed[i]);
            rc = move(newd, claimed[i], curd, to);
        }
        int claimed_ok = rc == DOGE_OK, send_rc = DOGE_OK;
        if (rc == DOGE_OK && (rc = sync_dir(curd)) == DOGE_OK && (rc = sync_dir(newd)) == DOGE_OK)
            send_rc = doge__pulse_smtp_send(smtp, mail_from, items, m);
        claimed_ok = claimed_ok && rc == DOGE_OK;
        if (rc == DOGE_OK)
            rc = send_rc;
        for (size_t i = 0; i < m; i++) {
            char from[NAME_MAX + 1], to[NAME_MAX + 1];
            snprintf(from, sizeof from, "%s:2,", claimed[i]);
            int r2 = DOGE_OK;
            if (claimed_ok) {
                switch (items[i].state) {
                case DOGE__SMTP_SENT:
                    snprintf(to, sizeof to, "%s:2,P", claimed[i]);
                    r2 = move(curd, from, curd, to);
                    res->delivered++;
                    break;
                case DOGE__SMTP_REFUSED:
                    snprintf(to, sizeof to, "%s:2,F", claimed[i]);
                    r2 = move(curd, from, curd, to);
                    res->refused++;
                    break;
                case DOGE__SMTP_NOT_SENT:
                    r2 = move(curd, from, newd, claimed[i]);
                    break;
                default:
                    res->unknown++;
                }
            }
            if (r2 && rc == DOGE_OK)
                rc = r2;
            free((char *)items[i].data);
        }
        if (rc == DOGE_OK)
            rc = sync_dir(curd);
        done += m;
        if (prog)
            doge_progress_update(prog, done);
    }
    if (prog)
        doge_progress_finish(prog);
    doge_progress_free(prog);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(items);
    free(rcpts);
    free(claimed);
    if (rc == DOGE_OK) {
        size_t left = 0;
        char **rest;
        if ((rc = list_new(newd, &rest, &left)) == DOGE_OK) {
            for (size_t i = 0; i < left; i++)
                free(rest[i]);
            free(rest);
            if (left)
                rc = doge__error_set(DOGE_EIO,
                                     "%s: %zu receipts not handed over (no connection, login "
                                     "refused or a temporary failure); 'doge pulse send "
                                     "--receipts' again retries them",
                                     smtp->url, left);
        }
    }
    return rc;
}
