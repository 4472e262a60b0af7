/*
 * doge/csv.h — a CSV writer for reports and exports, following RFC 4180: a
 * field is quoted when it holds a comma, a double quote, CR or LF, quotes
 * inside are doubled, and records end with CRLF (or LF on request). A row
 * whose only field is empty is written as "" so that it is not read back as
 * a blank line. Fields are appended one by one (text, integers, doubles,
 * cents, dates) and a row is closed with doge_csv_end_row(), or written whole
 * with doge_csv_row().
 *
 * Ownership: a doge_csv is a plain struct the caller places (usually on the
 * stack) and sets up with doge_csv_init_buf() or doge_csv_init_file(); it
 * owns nothing, so there is no dispose. The destination doge_buf or FILE*
 * stays owned by the caller and must outlive the writer. When writing into a
 * doge_buf, a field that fails (e.g. DOGE_ELIMIT) leaves the buffer as it was
 * before that field.
 */
#ifndef DOGE_CSV_H
#define DOGE_CSV_H

#include "doge/buf.h"
#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Init flags. */
#define DOGE_CSV_LF 1u /* end records with "\n" instead of RFC 4180's "\r\n" */

typedef struct doge_csv {
    doge_buf *buf;   /* destination when writing into a buffer, else NULL */
    FILE *file;      /* destination when writing to a stream, else NULL */
    unsigned flags;  /* DOGE_CSV_* */
    size_t fields;   /* fields written in the current row */
    int first_empty; /* the current row's first field was empty */
    uint64_t rows;   /* rows ended so far */
} doge_csv;

/* Sets up a writer appending to buf. */
DOGE_EXTERN void doge_csv_init_buf(doge_csv *w, doge_buf *buf, unsigned flags);

/* Sets up a writer writing to f (I/O failures are DOGE_EIO). */
DOGE_EXTERN void doge_csv_init_file(doge_csv *w, FILE *f, unsigned flags);

/* Appends a field of len bytes (s may be NULL when len is 0). */
DOGE_EXTERN int doge_csv_field(doge_csv *w, const char *s, size_t len);

/* Appends a C-string field; NULL writes an empty field. */
DOGE_EXTERN int doge_csv_field_str(doge_csv *w, const char *s);

/* Appends an integer field in decimal. */
DOGE_EXTERN int doge_csv_field_i64(doge_csv *w, int64_t v);
DOGE_EXTERN int doge_csv_field_u64(doge_csv *w, uint64_t v);

/* Appends the shortest decimal text that reads back as exactly v ("0.1",
 * "1e+21"). DOGE_EINVAL for NaN and infinities. */
DOGE_EXTERN int doge_csv_field_double(doge_csv *w, double v);

/* Appends cents as a plain amount: "1234.56", "-0.50". */
DOGE_EXTERN int doge_csv_field_cents(doge_csv *w, int64_t cents);

/* Appends a day number as "YYYY-MM-DD" (DOGE_ERANGE outside 0000..9999). */
DOGE_EXTERN int doge_csv_field_date(doge_csv *w, int32_t days);

/* Ends the current row. DOGE_EINVAL for a row with no fields. */
DOGE_EXTERN int doge_csv_end_row(doge_csv *w);

/* Appends n C-string fields (NULL entries are empty fields) and ends the
 * row. With a doge_buf destination a failure leaves the buffer and the
 * writer as they were before the call. */
DOGE_EXTERN int doge_csv_row(doge_csv *w, const char *const *fields, size_t n);

#ifdef __cplusplus
}
#endif
#endif
