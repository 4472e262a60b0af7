/*
 * csv_scalar.c — the scalar reference scanner of the USAspending CSV reader:
 * one byte at a time, it applies the row model of spend_csv_internal.h
 * (quote parity, separators and row ends outside quotes, malformed bytes of
 * kinds A, B and C) and hands each row to doge__spend_row_end. The SIMD
 * scanners must produce exactly what this one does; it is written for
 * clarity, not speed. Also here: the scalar quote and line-feed counter and
 * the search for the first row start after a thread's split point.
 */
#include "spend_csv_internal.h"

enum { PREV_FIELD_START, PREV_CLOSE_QUOTE, PREV_OTHER };

static void record(doge__spend_worker *w, uint64_t col, uint64_t start, uint64_t end)
{
    int32_t k = w->slot[col < w->nslot ? col : w->nslot];
    if (k >= 0) {
        w->span[2 * (size_t)k] = start;
        w->span[2 * (size_t)k + 1] = end;
    }
}

int doge__spend_scan_scalar(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line)
{
    const unsigned char *d = w->job->data;
    uint64_t len = w->job->len, p = from;
    while (p < len && p < to) {
        doge__spend_rawrow r = {.start = p, .line = line, .err = DOGE__SPEND_NONE};
        uint64_t col = 0, fstart = p;
        int inq = 0, prev = PREV_FIELD_START;
        for (;; p++) {
            if (p == len) {
                record(w, col, fstart, len);
                r.end = len;
                r.unclosed = inq;
                break;
            }
            unsigned char c = d[p];
            if (c == '"') {
                if (!inq) {
                    if (prev != PREV_FIELD_START && prev != PREV_CLOSE_QUOTE && r.err == DOGE__SPEND_NONE)
                        r.err = p; /* A */
                    inq = 1;
                    prev = PREV_OTHER;
                } else {
                    inq = 0;
                    prev = PREV_CLOSE_QUOTE;
                }
                continue;
            }
            if (inq) {
                if (c == '\n')
                    line++;
                continue;
            }
            if (prev == PREV_CLOSE_QUOTE && c != ',' && c != '\n' && c != '\r' &&
                r.err == DOGE__SPEND_NONE)
                r.err = p; /* B */
            if (c == ',') {
                record(w, col, fstart, p);
                col++;
                fstart = p + 1;
                prev = PREV_FIELD_START;
            } else if (c == '\n') {
                record(w, col, fstart, p);
                line++;
                r.end = p++;
                break;
            } else {
                if (c == '\r' && (p + 1 == len || d[p + 1] != '\n') && r.err == DOGE__SPEND_NONE)
                    r.err = p; /* C */
                prev = PREV_OTHER;
            }
        }
        r.nfields = col + 1;
        int rc = doge__spend_row_end(w, &r);
        if (rc)
            return rc;
    }
    return 0;
}

void doge__spend_count_scalar(const unsigned char *data, uint64_t from, uint64_t to,
                              uint64_t *quotes, uint64_t *lfs)
{
    uint64_t q = 0, n = 0;
    for (uint64_t i = from; i < to; i++) {
        q += data[i] == '"';
        n += data[i] == '\n';
    }
    *quotes = q;
    *lfs = n;
}

uint64_t doge__spend_next_row(const unsigned char *data, uint64_t len, uint64_t pos, int inq,
                              uint64_t *lfs)
{
    uint64_t n = 0;
    for (uint64_t i = pos; i < len; i++) {
        if (data[i] == '"') {
            inq = !inq;
        } else if (data[i] == '\n') {
            n++;
            if (!inq) {
                *lfs = n;
                return i + 1;
            }
        }
    }
    *lfs = n;
    return len;
}
