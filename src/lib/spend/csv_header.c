/*
 * csv_header.c — the header row of a USAspending CSV: skips a UTF-8
 * byte-order mark and empty lines, splits the first row with the scalar
 * scanner (a malformed header is an error, not a diagnostic: nothing can be
 * read without it), trims names of spaces and tabs, and maps the wanted
 * columns to file columns by name, ignoring ASCII case, column order and
 * extra columns. A wanted column found twice, asked for twice, or required
 * and absent is DOGE_EINVAL naming the column, the file and the line.
 */
#include "spend_csv_internal.h"
#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int name_eq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* Maps the wanted columns given the header names (names[i], lens[i]). */
static int map_columns(doge__spend_job *job, uint64_t line, char **names, const size_t *lens)
{
    const doge_spend_csv_opts *o = job->opts;
    for (size_t i = 0; i <= job->nfile; i++)
        job->slot[i] = -1;
    for (size_t k = 0; k < o->ncolumns; k++) {
        const char *want = o->columns[k];
        if (!want || !*want)
            return doge__error_set(DOGE_EINVAL, "%s: wanted column %zu has no name", job->name,
                                   k + 1);
        for (size_t j = 0; j < k; j++)
            if (name_eq(want, strlen(want), o->columns[j]))
                return doge__error_set(DOGE_EINVAL, "%s: column '%s' is asked for twice",
                                       job->name, want);
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < job->nfile; i++) {
            if (!name_eq(names[i], lens[i], want))
                continue;
            if (at != SIZE_MAX)
                return doge__error_set(DOGE_EINVAL,
                                       "%s:%" PRIu64 ": column '%s' appears twice in the header "
                                       "(columns %zu and %zu)",
                                       job->name, line, want, at + 1, i + 1);
            at = i;
        }
        job->present[k] = at != SIZE_MAX;
        if (at != SIZE_MAX)
            job->slot[at] = (int32_t)k;
        else if (!o->required || o->required[k])
            return doge__error_set(DOGE_EINVAL, "%s:%" PRIu64 ": missing required column '%s'",
                                   job->name, line, want);
    }
    return DOGE_OK;
}

int doge__spend_header(doge__spend_job *job)
{
    const unsigned char *d = job->data;
    uint64_t len = job->len;
    uint64_t start = len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf ? 3 : 0;
    int32_t none = -1;
    doge__spend_worker w = {.job = job, .slot = &none, .header = 1};
    doge__spend_scan_scalar(&w, start, len, 1);
    if (!w.found)
        return doge__error_set(DOGE_EINVAL, "%s: empty file: no header row", job->name);
    doge__spend_rawrow r = w.first;
    if (r.err != DOGE__SPEND_NONE || r.unclosed) {
        char what[256];
        uint64_t off = doge__spend_row_problem(job, &r, what, sizeof what);
        return doge__error_set(DOGE_EINVAL, "%s:%" PRIu64 ": byte %" PRIu64 ": header: %s",
                               job->name, r.line, off, what);
    }
    if (r.nfields > DOGE__SPEND_MAX_COLUMNS)
        return doge__error_set(DOGE_ELIMIT, "%s:%" PRIu64 ": the header has more than %d columns",
                               job->name, r.line, DOGE__SPEND_MAX_COLUMNS);
    size_t n = (size_t)r.nfields;
    int32_t *ident = malloc((n + 1) * sizeof *ident);
    uint64_t *span = malloc(2 * n * sizeof *span);
    char **names = malloc(n * sizeof *names);
    size_t *lens = malloc(n * sizeof *lens);
    char *text = malloc((size_t)(r.end - r.start) + 1);
    job->slot = malloc((n + 1) * sizeof *job->slot);
    job->wanted_col = malloc((job->opts->ncolumns + 1) * sizeof *job->wanted_col);
    job->present = calloc(job->opts->ncolumns + 1, 1);
    int rc = DOGE_OK;
    if (!ident || !span || !names || !lens || !text || !job->slot || !job->wanted_col ||
        !job->present) {
        rc = doge__error_oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        ident[i] = (int32_t)i;
    ident[n] = -1;
    doge__spend_worker all = {.job = job, .slot = ident, .nslot = n, .span = span, .header = 1};
    doge__spend_scan_scalar(&all, r.start, r.start + 1, r.line);
    char *t = text;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = span[2 * i], e = span[2 * i + 1];
        if (e == r.end && e > s && d[e - 1] == '\r')
            e--;
        int q = e > s && d[s] == '"';
        if (q)
            s++, e--;
        names[i] = t;
        for (uint64_t k = s; k < e; k++) {
            *t++ = (char)d[k];
            if (q && d[k] == '"')
                k++;
        }
        while (t > names[i] && (t[-1] == ' ' || t[-1] == '\t'))
            t--;
        while (names[i] < t && (*names[i] == ' ' || *names[i] == '\t'))
            names[i]++;
        lens[i] = (size_t)(t - names[i]);
    }
    job->nfile = n;
    if ((rc = map_columns(job, r.line, names, lens)))
        goto done;
    for (size_t k = 0; k < job->opts->ncolumns; k++)
        job->wanted_col[k] = -1;
    for (size_t c = 0; c < n; c++)
        if (job->slot[c] >= 0)
            job->wanted_col[job->slot[c]] = (int64_t)c;
    job->data_start = r.end < len ? r.end + 1 : len;
    job->data_line = r.line;
    for (uint64_t k = r.start; k < job->data_start; k++)
        job->data_line += d[k] == '\n';
done:
    free(ident);
    free(span);
    free(names);
    free(lens);
    free(text);
    return rc;
}
