/*
 * spend_csv_testutil.h — a transcript of one USAspending CSV scan, for the
 * parser tests, the differential test and the fuzzer: every row delivered
 * ("R line offset | field | field ...", bytes outside printable ASCII
 * escaped) and every diagnostic ("D line offset message"), sorted by offset
 * so that scans with any number of threads compare equal, then the return
 * code, the error message and the stats. Rows are collected per thread (the
 * callback runs on the scanning threads) and merged at the end.
 *
 * Ownership: spend_transcript() returns a malloc'd string the caller frees;
 * everything else lives inside the call. Static functions only (each test
 * or fuzz program includes this once).
 */
#ifndef DOGE_TEST_SPEND_CSV_TESTUTIL_H
#define DOGE_TEST_SPEND_CSV_TESTUTIL_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "spend/spend_csv_internal.h"

typedef struct spend_entry {
    uint64_t off;
    int kind; /* 0 diagnostic, 1 row (a diagnostic and a row never share an offset) */
    char *text;
} spend_entry;

typedef struct spend_list {
    spend_entry *e;
    size_t n, cap;
} spend_list;

#define SPEND_MAX_TEST_THREADS 16

typedef struct spend_collect {
    spend_list rows[SPEND_MAX_TEST_THREADS];
    spend_list diags;
    uint64_t stop_offset; /* on_row returns 7 for the row at this offset */
    int bad_thread;       /* a row came with a thread number out of range */
} spend_collect;

static void spend_list_add(spend_list *l, uint64_t off, int kind, char *text)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->e = realloc(l->e, l->cap * sizeof *l->e);
        if (!l->e)
            abort();
    }
    l->e[l->n].off = off;
    l->e[l->n].kind = kind;
    l->e[l->n].text = text;
    l->n++;
}

/* Appends data[0, n) to a growing string, escaping what is not printable. */
static void spend_str_add(char **s, size_t *len, size_t *cap, const char *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        unsigned char c = (unsigned char)data[i];
        size_t k;
        if (c >= 0x20 && c < 0x7f && c != '\\')
            tmp[0] = (char)c, k = 1;
        else
            k = (size_t)snprintf(tmp, sizeof tmp, "\\x%02x", c);
        if (*len + k + 1 > *cap) {
            *cap = (*cap + k + 1) * 2;
            *s = realloc(*s, *cap);
            if (!*s)
                abort();
        }
        memcpy(*s + *len, tmp, k);
        *len += k;
        (*s)[*len] = '\0';
    }
}

/* Appends data[0, n) as it is. */
static void spend_str_raw(char **s, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *s = realloc(*s, *cap);
        if (!*s)
            abort();
    }
    memcpy(*s + *len, data, n);
    *len += n;
    (*s)[*len] = '\0';
}

static int spend_on_row(void *ctx, const doge_spend_row *row)
{
    spend_collect *c = ctx;
    if (row->thread >= SPEND_MAX_TEST_THREADS) {
        c->bad_thread = 1;
        return 9;
    }
    char head[64];
    int hn = snprintf(head, sizeof head, "R %" PRIu64 " %" PRIu64, row->line, row->offset);
    char *s = NULL;
    size_t len = 0, cap = 0;
    spend_str_add(&s, &len, &cap, head, (size_t)hn);
    for (size_t i = 0; i < row->nfields; i++) {
        spend_str_add(&s, &len, &cap, " | ", 3);
        spend_str_add(&s, &len, &cap, row->fields[i].data, row->fields[i].len);
    }
    spend_list_add(&c->rows[row->thread], row->offset, 1, s);
    return row->offset == c->stop_offset ? 7 : 0;
}

static void spend_on_diag(void *ctx, const char *file, uint64_t line, uint64_t offset,
                          const char *message)
{
    spend_collect *c = ctx;
    char head[64];
    int hn = snprintf(head, sizeof head, "D %" PRIu64 " %" PRIu64 " ", line, offset);
    char *s = NULL;
    size_t len = 0, cap = 0;
    spend_str_add(&s, &len, &cap, head, (size_t)hn);
    spend_str_add(&s, &len, &cap, message, strlen(message));
    (void)file;
    spend_list_add(&c->diags, offset, 0, s);
}

static int spend_entry_cmp(const void *a, const void *b)
{
    const spend_entry *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return strcmp(x->text, y->text);
}

/* Scans data with the given scanner, thread count and SIMD chunk size (0:
 * the default); opts supplies the columns, required flags and strict (its
 * callbacks are replaced). */
static char *spend_transcript_chunk(const void *data, size_t len, const doge_spend_csv_opts *base,
                                    int variant, unsigned threads, uint64_t stop_offset,
                                    size_t chunk, int *rc_out)
{
    spend_collect c;
    memset(&c, 0, sizeof c);
    c.stop_offset = stop_offset;
    doge_spend_csv_opts o = *base;
    o.threads = threads;
    o.on_row = spend_on_row;
    o.on_diag = spend_on_diag;
    o.ctx = &c;
    doge_spend_csv_stats st;
    doge_error_clear();
    int rc = doge__spend_scan_variant(data, len, "t.csv", &o, &st, variant, chunk);
    if (rc_out)
        *rc_out = rc;
    spend_list all = {0};
    for (size_t t = 0; t < SPEND_MAX_TEST_THREADS; t++) {
        for (size_t i = 0; i < c.rows[t].n; i++)
            spend_list_add(&all, c.rows[t].e[i].off, 1, c.rows[t].e[i].text);
        free(c.rows[t].e);
    }
    for (size_t i = 0; i < c.diags.n; i++)
        spend_list_add(&all, c.diags.e[i].off, 0, c.diags.e[i].text);
    free(c.diags.e);
    if (all.n)
        qsort(all.e, all.n, sizeof *all.e, spend_entry_cmp);
    char *s = NULL;
    size_t slen = 0, cap = 0;
    spend_str_raw(&s, &slen, &cap, "", 0);
    for (size_t i = 0; i < all.n; i++) {
        spend_str_raw(&s, &slen, &cap, all.e[i].text, strlen(all.e[i].text));
        spend_str_raw(&s, &slen, &cap, "\n", 1);
        free(all.e[i].text);
    }
    free(all.e);
    char tail[1200];
    int tn = snprintf(tail, sizeof tail, "=> %s [%s] rows %" PRIu64 " bad %" PRIu64 "%s",
                      doge_error_name(rc), rc ? doge_error_last() : "", st.rows, st.bad_rows,
                      c.bad_thread ? " BAD THREAD NUMBER" : "");
    if (tn < 0 || (size_t)tn >= sizeof tail)
        tn = (int)sizeof tail - 1;
    spend_str_raw(&s, &slen, &cap, tail, (size_t)tn);
    return s;
}

static char *spend_transcript(const void *data, size_t len, const doge_spend_csv_opts *base,
                              int variant, unsigned threads, uint64_t stop_offset, int *rc_out)
{
    return spend_transcript_chunk(data, len, base, variant, threads, stop_offset, 0, rc_out);
}

/* Whether two transcripts end with the same result and message (the last
 * line; entry lines never hold a raw newline). */
static int spend_same_result(const char *a, const char *b)
{
    const char *la = strrchr(a, '\n'), *lb = strrchr(b, '\n');
    la = la ? la + 1 : a;
    lb = lb ? lb + 1 : b;
    const char *ea = strstr(la, "] rows"), *eb = strstr(lb, "] rows");
    size_t na = ea ? (size_t)(ea - la) : strlen(la), nb = eb ? (size_t)(eb - lb) : strlen(lb);
    return na == nb && memcmp(la, lb, na) == 0;
}

#endif
