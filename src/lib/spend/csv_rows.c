/*
 * csv_rows.c — what happens to each row a structural scanner finds, shared
 * by all scanners so that they differ only in how they find rows: empty
 * lines are skipped; a malformed row (bytes of kinds A, B, C, an unclosed
 * quote, a field count other than the header's, a used field that is not
 * UTF-8) becomes a diagnostic "file:line: byte N: what" and is skipped (or
 * stops the scan when strict); otherwise the wanted fields are cut out of
 * their raw spans (the CR of a CRLF row end dropped, quotes removed,
 * doubled quotes undoubled into the thread's scratch buffer) and the row
 * goes to the caller's callback. The stop point shared by the threads keeps
 * the earliest row that stopped the scan, so every row before it is always
 * delivered whatever the thread count.
 */
#include "spend_csv_internal.h"
#include "util/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t doge__spend_row_problem(const doge__spend_job *job, const doge__spend_rawrow *r,
                                 char *what, size_t cap)
{
    const unsigned char *d = job->data;
    if (r->err != DOGE__SPEND_NONE) {
        unsigned char c = d[r->err];
        if (c == '"')
            snprintf(what, cap, "a double quote inside an unquoted field (quote the whole field "
                                "and double the quote)");
        else if (c == '\r')
            snprintf(what, cap, "a carriage return outside quotes that does not end the row");
        else if (c >= 0x20 && c < 0x7f)
            snprintf(what, cap, "unexpected '%c' after a closing quote", c);
        else
            snprintf(what, cap, "unexpected byte 0x%02x after a closing quote", c);
        return r->err;
    }
    uint64_t q = r->end;
    while (q > r->start && d[q - 1] != '"')
        q--;
    snprintf(what, cap, "a quoted field is never closed (the input ends inside quotes)");
    return q > r->start ? q - 1 : r->start;
}

/* Records a stop at row offset `row` unless an earlier one is known. */
static void stop_at(doge__spend_job *job, uint64_t row, int rc, const char *msg)
{
    if (row < job->stop_off) {
        job->stop_off = row;
        job->stop_rc = rc;
        snprintf(job->stop_msg, sizeof job->stop_msg, "%s", msg);
        atomic_store(&job->stop_at, row);
    }
}

static int bad(doge__spend_worker *w, const doge__spend_rawrow *r, uint64_t off, const char *what)
{
    doge__spend_job *job = w->job;
    const doge_spend_csv_opts *o = job->opts;
    w->bad_rows++;
    if (!o->on_diag && !o->strict)
        return 0;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s:%" PRIu64 ": byte %" PRIu64 ": %s", job->name, r->line, off,
             what);
    pthread_mutex_lock(&job->lock);
    if (o->on_diag)
        o->on_diag(o->ctx, job->name, r->line, off, msg);
    if (o->strict)
        stop_at(job, r->start, DOGE_EINVAL, msg);
    pthread_mutex_unlock(&job->lock);
    return o->strict;
}

static int grow_scratch(doge__spend_worker *w, size_t need)
{
    if (need <= w->scratch_cap)
        return 0;
    size_t cap = w->scratch_cap ? w->scratch_cap : 256;
    while (cap < need)
        cap *= 2;
    char *s = realloc(w->scratch, cap);
    if (!s)
        return -1;
    w->scratch = s;
    w->scratch_cap = cap;
    return 0;
}

int doge__spend_row_end(doge__spend_worker *w, const doge__spend_rawrow *r)
{
    doge__spend_job *job = w->job;
    const unsigned char *d = job->data;
    if (r->err == DOGE__SPEND_NONE && !r->unclosed && r->nfields == 1 &&
        (r->end == r->start || (r->end == r->start + 1 && d[r->start] == '\r')))
        return 0; /* an empty line */
    if (w->header) {
        w->first = *r;
        w->found = 1;
        return 1;
    }
    if (r->start > atomic_load_explicit(&job->stop_at, memory_order_relaxed))
        return 1;
    char what[256];
    if (r->err != DOGE__SPEND_NONE || r->unclosed) {
        uint64_t off = doge__spend_row_problem(job, r, what, sizeof what);
        return bad(w, r, off, what);
    }
    if (r->nfields != job->nfile) {
        snprintf(what, sizeof what, "the row has %" PRIu64 " field%s, the header has %zu",
                 r->nfields, r->nfields == 1 ? "" : "s", job->nfile);
        return bad(w, r, r->start, what);
    }

    size_t need = 0, badk = 0;
    uint64_t badoff = DOGE__SPEND_NONE;
    for (size_t k = 0; k < w->nwanted; k++) {
        w->quoted[k] = 0;
        if (!job->present[k])
            continue;
        uint64_t s = w->span[2 * k], e = w->span[2 * k + 1];
        if (e == r->end && e > s && d[e - 1] == '\r')
            e--;
        size_t ok = r->ascii ? (size_t)(e - s) : doge__utf8_check(d + s, (size_t)(e - s));
        if (ok < e - s && s + ok < badoff) {
            badoff = s + ok;
            badk = k;
        }
        if (e > s && d[s] == '"') {
            s++;
            e--;
            if (memchr(d + s, '"', (size_t)(e - s))) {
                w->quoted[k] = 1;
                need += (size_t)(e - s);
            }
        }
        w->span[2 * k] = s;
        w->span[2 * k + 1] = e;
    }
    if (badoff != DOGE__SPEND_NONE) {
        snprintf(what, sizeof what, "column '%.100s' is not valid UTF-8",
                 job->opts->columns[badk]);
        return bad(w, r, badoff, what);
    }
    if (grow_scratch(w, need)) {
        pthread_mutex_lock(&job->lock);
        stop_at(job, r->start, DOGE_ENOMEM, "out of memory");
        pthread_mutex_unlock(&job->lock);
        return 1;
    }
    char *out = w->scratch;
    for (size_t k = 0; k < w->nwanted; k++) {
        if (!job->present[k]) {
            w->fields[k].data = "";
            w->fields[k].len = 0;
            continue;
        }
        const char *s = (const char *)d + w->span[2 * k];
        size_t n = (size_t)(w->span[2 * k + 1] - w->span[2 * k]);
        if (!w->quoted[k]) {
            w->fields[k].data = s;
            w->fields[k].len = n;
            continue;
        }
        char *o = out;
        for (size_t i = 0; i < n; i++) {
            *o++ = s[i];
            if (s[i] == '"')
                i++; /* the second of a doubled quote */
        }
        w->fields[k].data = out;
        w->fields[k].len = (size_t)(o - out);
        out = o;
    }
    w->rows++;
    const doge_spend_csv_opts *o = job->opts;
    if (!o->on_row)
        return 0;
    doge_spend_row row = {.fields = w->fields,
                          .nfields = w->nwanted,
                          .line = r->line,
                          .offset = r->start,
                          .thread = w->thread};
    int rc = o->on_row(o->ctx, &row);
    if (rc) {
        pthread_mutex_lock(&job->lock);
        stop_at(job, r->start, rc, "");
        pthread_mutex_unlock(&job->lock);
    }
    return rc;
}
