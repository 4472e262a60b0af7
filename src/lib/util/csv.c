/*
 * csv.c — the RFC 4180 CSV writer. Every write goes through emit(), which
 * appends to the doge_buf or fwrite()s to the FILE*; for buffers each field
 * records the length before it and truncates back on failure, so a field is
 * either written whole or not at all.
 */
#include "doge/csv.h"
#include "doge/date.h"
#include "doge/money.h"
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void doge_csv_init_buf(doge_csv *w, doge_buf *buf, unsigned flags)
{
    memset(w, 0, sizeof *w);
    w->buf = buf;
    w->flags = flags;
}

void doge_csv_init_file(doge_csv *w, FILE *f, unsigned flags)
{
    memset(w, 0, sizeof *w);
    w->file = f;
    w->flags = flags;
}

static int emit(doge_csv *w, const char *p, size_t n)
{
    if (n == 0)
        return DOGE_OK;
    if (w->buf)
        return doge_buf_append(w->buf, p, n);
    if (!w->file)
        return doge__error_set(DOGE_EINVAL, "csv: writer has no destination");
    errno = 0;
    if (fwrite(p, 1, n, w->file) != n)
        return doge__error_set(DOGE_EIO, "csv: row %" PRIu64 ": write failed: %s", w->rows + 1,
                               errno ? strerror(errno) : "stream error");
    return DOGE_OK;
}

static int needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

static int write_field(doge_csv *w, const char *s, size_t len)
{
    int rc = DOGE_OK;
    if (w->fields > 0)
        rc = emit(w, ",", 1);
    if (rc == DOGE_OK && needs_quotes(s, len)) {
        rc = emit(w, "\"", 1);
        size_t from = 0;
        for (size_t i = 0; rc == DOGE_OK && i < len; i++) {
            if (s[i] == '"') {
                rc = emit(w, s + from, i + 1 - from); /* through the quote */
                from = i;                             /* write it again */
            }
        }
        if (rc == DOGE_OK)
            rc = emit(w, s + from, len - from);
        if (rc == DOGE_OK)
            rc = emit(w, "\"", 1);
    } else if (rc == DOGE_OK) {
        rc = emit(w, s, len);
    }
    return rc;
}

int doge_csv_field(doge_csv *w, const char *s, size_t len)
{
    if (!s && len)
        return doge__error_set(DOGE_EINVAL, "csv: row %" PRIu64 ", field %zu: NULL text of %zu bytes",
                               w->rows + 1, w->fields + 1, len);
    size_t mark = w->buf ? w->buf->len : 0;
    int rc = write_field(w, s ? s : "", len);
    if (rc < 0) {
        if (w->buf)
            doge_buf_truncate(w->buf, mark);
        return rc;
    }
    if (w->fields == 0)
        w->first_empty = len == 0;
    w->fields++;
    return DOGE_OK;
}

int doge_csv_field_str(doge_csv *w, const char *s)
{
    return doge_csv_field(w, s, s ? strlen(s) : 0);
}

int doge_csv_field_i64(doge_csv *w, int64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRId64, v);
    return doge_csv_field(w, t, (size_t)n);
}

int doge_csv_field_u64(doge_csv *w, uint64_t v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%" PRIu64, v);
    return doge_csv_field(w, t, (size_t)n);
}

int doge_csv_field_double(doge_csv *w, double v)
{
    if (!isfinite(v))
        return doge__error_set(DOGE_EINVAL, "csv: row %" PRIu64 ", field %zu: number '%s' is not "
                               "finite", w->rows + 1, w->fields + 1,
                               isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    char t[32];
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(t, sizeof t, "%.*g", prec, v);
        if (strtod(t, NULL) == v)
            break;
    }
    return doge_csv_field(w, t, (size_t)n);
}

int doge_csv_field_cents(doge_csv *w, int64_t cents)
{
    char t[DOGE_MONEY_STRLEN];
    int rc = doge_money_format(cents, 0, t, sizeof t);
    if (rc < 0)
        return rc;
    return doge_csv_field(w, t, strlen(t));
}

int doge_csv_field_date(doge_csv *w, int32_t days)
{
    char t[DOGE_DATE_STRLEN];
    int rc = doge_date_format(days, t, sizeof t);
    if (rc < 0)
        return doge__error_prefix("csv: row %" PRIu64 ", field %zu", w->rows + 1, w->fields + 1);
    return doge_csv_field(w, t, strlen(t));
}

int doge_csv_end_row(doge_csv *w)
{
    if (w->fields == 0)
        return doge__error_set(DOGE_EINVAL, "csv: row %" PRIu64 " has no fields", w->rows + 1);
    size_t mark = w->buf ? w->buf->len : 0;
    int rc = DOGE_OK;
    if (w->fields == 1 && w->first_empty)
        rc = emit(w, "\"\"", 2);
    if (rc == DOGE_OK)
        rc = (w->flags & DOGE_CSV_LF) ? emit(w, "\n", 1) : emit(w, "\r\n", 2);
    if (rc < 0) {
        if (w->buf)
            doge_buf_truncate(w->buf, mark);
        return rc;
    }
    w->fields = 0;
    w->first_empty = 0;
    w->rows++;
    return DOGE_OK;
}

int doge_csv_row(doge_csv *w, const char *const *fields, size_t n)
{
    size_t mark = w->buf ? w->buf->len : 0, had = w->fields;
    int first_empty = w->first_empty, rc = DOGE_OK;
    for (size_t i = 0; rc == DOGE_OK && i < n; i++)
        rc = doge_csv_field_str(w, fields[i]);
    if (rc == DOGE_OK)
        rc = doge_csv_end_row(w);
    if (rc < 0 && w->buf) {
        /* Leave the buffer as it was before the row. */
        doge_buf_truncate(w->buf, mark);
        w->fields = had;
        w->first_empty = first_empty;
    }
    return rc;
}
