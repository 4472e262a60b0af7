/*
 * doge/spend_csv.h — the fast reader for USAspending.gov bulk award CSVs
 * (and any large RFC 4180 file): a SIMD structural scanner (quotes, commas,
 * row ends found 32 or 64 bytes at a time with a carried in-quote mask) with
 * a scalar reference scanner that a differential test and a fuzzer keep in
 * agreement; the file is memory-mapped and split across threads at row
 * boundaries; only the columns asked for are materialised; no allocation
 * per row. Header-driven: columns are found by name in the first row
 * (order-free, extra columns ignored), and a missing required column is an
 * error naming it and the file.
 *
 * A malformed row (a quote inside an unquoted field, text after a closing
 * quote, a carriage return that does not end a row, a quoted field that
 * never closes, a row with a different number of fields than the header,
 * bytes that are not UTF-8 in a used column) is a diagnostic with file,
 * line and byte offset given to the diagnostic callback; the row is skipped
 * and the scan goes on, unless strict is set, in which case the scan stops
 * with DOGE_EINVAL at the first one. Rows end at a line feed outside quotes
 * (a CR before it is dropped); every double quote opens or closes quotes,
 * so a stray quote makes the malformed row run on to the next quote. Empty
 * lines are skipped (they still count as lines); a UTF-8 byte-order mark
 * before the header is ignored; header names are trimmed of spaces and tabs
 * and matched without regard to ASCII case.
 *
 * Stopping (a callback's non-zero value, or strict): the scan returns the
 * value of the earliest row (by offset) that stopped it, and every row
 * before that one has been delivered; with several threads, rows after it
 * may have been delivered too. stats->rows counts every on_row call.
 *
 * Ownership: field views passed to the row callback point into the mapped
 * file (or, for quoted fields with doubled quotes, into a per-thread scratch
 * buffer) and are valid only during that callback. The callback runs on the
 * scanning threads: it is given the thread number so the caller can keep
 * one accumulator per thread and merge at the end. Column name arrays stay
 * the caller's.
 */
#ifndef DOGE_SPEND_CSV_H
#define DOGE_SPEND_CSV_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A field view (not NUL-terminated). */
typedef struct doge_spend_field {
    const char *data;
    size_t len;
} doge_spend_field;

/* One data row: fields[i] is the i-th column asked for (empty when an
 * optional column is absent from the file). */
typedef struct doge_spend_row {
    const doge_spend_field *fields;
    size_t nfields;
    uint64_t line;    /* physical line where the row starts (1 = header) */
    uint64_t offset;  /* byte offset of the row in the file */
    unsigned thread;  /* which scanning thread (0..threads-1) */
} doge_spend_row;

/* Returns 0 to go on, non-zero to stop the scan (that value is returned by
 * doge_spend_csv_scan after all threads stop). */
typedef int (*doge_spend_row_fn)(void *ctx, const doge_spend_row *row);

/* A diagnostic: "file:line: byte N: what" in message. Called under a lock. */
typedef void (*doge_spend_diag_fn)(void *ctx, const char *file, uint64_t line,
                                   uint64_t offset, const char *message);

typedef struct doge_spend_csv_opts {
    const char *const *columns;  /* names wanted, in the order rows get them */
    size_t ncolumns;
    const unsigned char *required; /* per column: 1 = must be in the header (NULL: all) */
    unsigned threads;            /* default 1 */
    int strict;                  /* stop at the first malformed row */
    int scalar;                  /* use the scalar reference scanner only */
    doge_spend_row_fn on_row;
    doge_spend_diag_fn on_diag;  /* NULL: diagnostics are counted only */
    void *ctx;
} doge_spend_csv_opts;

typedef struct doge_spend_csv_stats {
    uint64_t bytes;
    uint64_t rows;       /* data rows given to on_row */
    uint64_t bad_rows;   /* rows skipped with a diagnostic */
} doge_spend_csv_stats;

/* Scans path. DOGE_ENOTFOUND/DOGE_EIO for the file, DOGE_EINVAL for a
 * missing required column or (strict) a malformed row, or the callback's
 * non-zero value. stats may be NULL. */
DOGE_EXTERN int doge_spend_csv_scan(const char *path, const doge_spend_csv_opts *opts,
                                    doge_spend_csv_stats *stats);

/* The same over a memory block (name labels diagnostics). */
DOGE_EXTERN int doge_spend_csv_scan_mem(const void *data, size_t len, const char *name,
                                        const doge_spend_csv_opts *opts,
                                        doge_spend_csv_stats *stats);

#ifdef __cplusplus
}
#endif
#endif
