/*
 * doge/csvread.h — a streaming RFC 4180 CSV reader for imports (rosters,
 * award files): quoted fields, doubled quotes, CR and LF inside quotes, CRLF
 * or LF row ends, an optional UTF-8 byte-order mark, header-driven column
 * lookup by name, and zero-copy field views. The input is read in chunks into
 * one buffer that holds at least the current row; doge_csvread_next() splits
 * that row in place (quoted fields are unescaped where they stand), so a
 * field is a pointer and a length into the buffer, with no allocation per row
 * or per field. Rows are bounded (max_row bytes), so hostile input fails with
 * DOGE_ELIMIT instead of exhausting memory.
 *
 * Errors name the input, the physical line where the offending row starts
 * and the byte offset of the problem: "roster.csv:17: byte 1234: a double
 * quote inside an unquoted field". The reader is strict: a quote inside an
 * unquoted field, text after a closing quote, a carriage return that does
 * not end a row and a quoted field that never closes are errors, and no row
 * is returned after an error. Entirely empty lines are skipped (they still
 * count as lines). Fields are bytes; the reader does not check UTF-8.
 *
 * Row ends are found sixteen bytes at a time (SSE2 quote-parity search, as
 * in the USAspending scanner of doge/spend_csv.h), falling back to a scalar
 * state machine where the two could disagree; a differential test keeps
 * them in agreement.
 *
 * Ownership: the caller owns the doge_csvread made by one of the open
 * functions and releases it with doge_csvread_free(). A FILE* or memory
 * block given to open stays the caller's and must outlive the reader (it is
 * never closed or written); a path given to doge_csvread_open() is opened and
 * closed by the reader. Field views and their bytes belong to the reader and
 * are valid until the next doge_csvread_next() or doge_csvread_free(); each
 * field is also NUL-terminated where it stands. Column names read by
 * doge_csvread_read_header() are copied and live as long as the reader.
 */
#ifndef DOGE_CSVREAD_H
#define DOGE_CSVREAD_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The row size cap used when an open function is given 0: 1 MiB. */
#define DOGE_CSVREAD_DEFAULT_MAX_ROW ((size_t)1 << 20)
/* The most fields a row may have. */
#define DOGE_CSVREAD_MAX_FIELDS 4096

typedef struct doge_csvread doge_csvread;

/* A field of the current row: len bytes at data (NUL-terminated). */
typedef struct doge_csvread_field {
    const char *data;
    size_t len;
} doge_csvread_field;

/* Opens path ("-" is standard input) for reading rows of at most max_row
 * bytes each (0: the default). DOGE_ENOTFOUND, DOGE_EIO, DOGE_ENOMEM. */
DOGE_EXTERN int doge_csvread_open(doge_csvread **out, const char *path, size_t max_row);

/* Reads from the open stream f; name labels errors ("standard input"). */
DOGE_EXTERN int doge_csvread_open_stream(doge_csvread **out, FILE *f, const char *name,
                                         size_t max_row);

/* Reads the len bytes at data (copied chunk by chunk, never modified); name
 * labels errors. */
DOGE_EXTERN int doge_csvread_open_mem(doge_csvread **out, const void *data, size_t len,
                                      const char *name, size_t max_row);

/* Releases the reader (closing a file it opened). r may be NULL. */
DOGE_EXTERN void doge_csvread_free(doge_csvread *r);

/* Moves to the next row: 1 when there is one, 0 at the end of the input, a
 * negative code on error (DOGE_EINVAL malformed, DOGE_ELIMIT too long or too
 * many fields, DOGE_EIO). After 0 or an error it keeps returning the same. */
DOGE_EXTERN int doge_csvread_next(doge_csvread *r);

/* Fields in the current row (0 before the first row). */
DOGE_EXTERN size_t doge_csvread_count(const doge_csvread *r);

/* Field i of the current row; an empty field ("" and 0) when i is past the
 * end of the row. */
DOGE_EXTERN doge_csvread_field doge_csvread_get(const doge_csvread *r, size_t i);

/* Reads the next row as the header: column names are trimmed of spaces and
 * tabs and must be distinct, compared without regard to ASCII case.
 * DOGE_EINVAL "NAME: empty file: no header row" or naming the repeated or
 * empty column. Call it once, before the first doge_csvread_next(). */
DOGE_EXTERN int doge_csvread_read_header(doge_csvread *r);

/* Columns in the header (0 without one). */
DOGE_EXTERN size_t doge_csvread_columns(const doge_csvread *r);

/* The name of column i (trimmed, as written), or NULL past the end. */
DOGE_EXTERN const char *doge_csvread_column_name(const doge_csvread *r, size_t i);

/* The index of the column called name (ASCII case ignored), or -1. */
DOGE_EXTERN int doge_csvread_column(const doge_csvread *r, const char *name);

/* Looks up n required columns: idx[k] gets the index of names[k].
 * DOGE_EINVAL "NAME:LINE: missing required column 'x'" for the first absent
 * one (LINE is the header's line). */
DOGE_EXTERN int doge_csvread_require(const doge_csvread *r, const char *const *names, size_t n,
                                     int *idx);

/* The physical line (1-based) on which the current row starts; the header's
 * line right after doge_csvread_read_header(). */
DOGE_EXTERN uint64_t doge_csvread_line(const doge_csvread *r);

/* The byte offset in the input of the current row's first byte. */
DOGE_EXTERN uint64_t doge_csvread_offset(const doge_csvread *r);

/* Bytes of input consumed so far (for progress against a file size). */
DOGE_EXTERN uint64_t doge_csvread_consumed(const doge_csvread *r);

/* The label used in messages (the path, "standard input" or the name). */
DOGE_EXTERN const char *doge_csvread_name(const doge_csvread *r);

#ifdef __cplusplus
}
#endif
#endif
