/*
 * spend_csv_internal.h — what the pieces of the USAspending CSV reader
 * (doge/spend_csv.h) share: the scan job (mapped bytes, header mapping, the
 * stop point and lock shared by all threads), the per-thread worker (field
 * spans, field views, unquoting scratch, counters), the raw row a structural
 * scanner hands to the row checker, and the scanners themselves (a scalar
 * reference and SIMD variants that must agree with it byte for byte).
 *
 * The row model every scanner implements: every double quote toggles an
 * in-quotes state; a comma outside quotes ends a field and a line feed
 * outside quotes ends a row (a carriage return right before it is dropped).
 * Malformed bytes, found outside quotes, are:
 *   A  a quote that opens quotes where no field starts (not after a row
 *      start, a separator or a closing quote),
 *   B  after a closing quote, a byte other than a quote, comma, LF or CR,
 *   C  a carriage return that is not followed by a line feed;
 * and a row that reaches the end of the input inside quotes is unclosed.
 * The kind of a malformed byte follows from the byte itself (quote: A,
 * CR: C, else B), so a scanner reports only its offset.
 *
 * Ownership: the job owns its slot and name arrays; each worker owns its
 * arrays and scratch; everything is freed by the scan entry point.
 */
#ifndef DOGE_SPEND_CSV_INTERNAL_H
#define DOGE_SPEND_CSV_INTERNAL_H

#include "doge/spend_csv.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#define DOGE__SPEND_NONE UINT64_MAX
/* Most columns a header may have. */
#define DOGE__SPEND_MAX_COLUMNS 65536
/* Bytes a SIMD scanner indexes before it cuts the rows found (a multiple
 * of 64; tests pass smaller ones), and the row ends it keeps meanwhile. */
#define DOGE__SPEND_CHUNK 16384
#define DOGE__SPEND_MAX_EOLS 512
/* Most scanning threads. */
#define DOGE__SPEND_MAX_THREADS 64

/* Which structural scanner runs. */
enum doge__spend_variant {
    DOGE__SPEND_AUTO = 0,
    DOGE__SPEND_SCALAR,
    DOGE__SPEND_SSE2,
    DOGE__SPEND_AVX2
};

typedef struct doge__spend_job {
    const unsigned char *data;
    uint64_t len;
    const char *name;
    const doge_spend_csv_opts *opts;
    uint64_t chunk;        /* DOGE__SPEND_CHUNK, or what a test asked for */
    size_t nfile;          /* columns in the header */
    int32_t *slot;         /* nfile + 1: file column -> wanted index, or -1 */
    int64_t *wanted_col;   /* per wanted column: its file column, or -1 */
    unsigned char *present; /* per wanted column: found in the header */
    uint64_t data_start;   /* first byte after the header row */
    uint64_t data_line;    /* the line that starts there */

    pthread_mutex_t lock;  /* diagnostics and the stop point */
    _Atomic uint64_t stop_at; /* rows starting after this are not delivered */
    uint64_t stop_off;     /* the row that stopped the scan (NONE: none) */
    int stop_rc;           /* its code: DOGE_EINVAL (strict) or the callback's */
    char stop_msg[1024];
} doge__spend_job;

/* A row as a scanner found it: [start, end) with end at the row's line feed
 * or at the end of the input. */
typedef struct doge__spend_rawrow {
    uint64_t start, end;
    uint64_t line;
    uint64_t nfields;
    uint64_t err;     /* first malformed byte (A, B or C), or NONE */
    int unclosed;     /* the row reached the end of the input inside quotes */
    int ascii;        /* the row is known to hold only ASCII bytes */
} doge__spend_rawrow;

/* A row end a SIMD scanner found, kept until the rows are cut. */
typedef struct doge__spend_eol {
    uint64_t idx;       /* its place among the structural positions */
    uint64_t pos;       /* its byte offset */
    uint64_t err;       /* the first malformed byte of its row, or NONE */
    uint64_t next_line; /* the line of the row after it */
    uint64_t ascii;     /* its row holds only ASCII bytes */
} doge__spend_eol;

typedef struct doge__spend_worker {
    doge__spend_job *job;
    unsigned thread;
    const int32_t *slot;   /* nslot + 1 entries, slot[nslot] == -1 */
    size_t nslot;
    uint64_t *span;        /* 2 per wanted column: raw [start, end) */
    size_t nwanted;
    doge_spend_field *fields;
    unsigned char *quoted; /* per wanted column: has doubled quotes */
    char *scratch;
    size_t scratch_cap;
    int header;            /* header mode: keep the first row and stop */
    doge__spend_rawrow first;
    int found;
    uint64_t *idx;         /* SIMD: structural positions, nslot + CHUNK + 130 */
    doge__spend_eol *eols; /* SIMD: DOGE__SPEND_MAX_EOLS */
    uint64_t rows, bad_rows;
} doge__spend_worker;

/* The bytes of interest in a 64-byte block, one bit per byte. */
typedef struct doge__spend_blk {
    uint64_t q, comma, lf, cr, hi; /* hi: bytes >= 0x80 */
} doge__spend_blk;

/* A structural scanner: delivers the rows starting in [from, to) (from is a
 * row start, `line` its line) to doge__spend_row_end. Returns 0, or the
 * non-zero value that stopped it. */
typedef int (*doge__spend_kernel)(doge__spend_worker *w, uint64_t from, uint64_t to,
                                  uint64_t line);

/* Counts quotes and line feeds in data[from, to). */
typedef void (*doge__spend_counter)(const unsigned char *data, uint64_t from, uint64_t to,
                                    uint64_t *quotes, uint64_t *lfs);

int doge__spend_scan_scalar(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line);
int doge__spend_scan_sse2(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line);
int doge__spend_scan_avx2(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line);
void doge__spend_count_sse2(const unsigned char *data, uint64_t from, uint64_t to,
                            uint64_t *quotes, uint64_t *lfs);
void doge__spend_count_avx2(const unsigned char *data, uint64_t from, uint64_t to,
                            uint64_t *quotes, uint64_t *lfs);
void doge__spend_count_scalar(const unsigned char *data, uint64_t from, uint64_t to,
                              uint64_t *quotes, uint64_t *lfs);

/* The scanner and counter for a variant; NULL when this CPU or build lacks
 * it. DOGE__SPEND_AUTO picks the best available. */
doge__spend_kernel doge__spend_kernel_for(int variant);
doge__spend_counter doge__spend_counter_for(int variant);

/* Checks a raw row, builds its field views and calls on_row (or reports a
 * diagnostic). Non-zero stops the scanner. */
int doge__spend_row_end(doge__spend_worker *w, const doge__spend_rawrow *r);

/* What is wrong with a raw row that has a malformed byte or is unclosed:
 * writes the text into what and returns the byte offset it names. */
uint64_t doge__spend_row_problem(const doge__spend_job *job, const doge__spend_rawrow *r,
                                 char *what, size_t cap);

/* Reads the header (after an optional byte-order mark), maps the wanted
 * columns and sets job->nfile, slot, present, data_start and data_line. */
int doge__spend_header(doge__spend_job *job);

/* The first row start at or after pos, where the in-quotes state at pos is
 * inq; *lfs gets the line feeds skipped. len when there is none. */
uint64_t doge__spend_next_row(const unsigned char *data, uint64_t len, uint64_t pos, int inq,
                              uint64_t *lfs);

/* doge_spend_csv_scan_mem with a chosen scanner and SIMD chunk size (0:
 * DOGE__SPEND_CHUNK; else rounded up to a multiple of 64): tests compare
 * them. */
int doge__spend_scan_variant(const void *data, size_t len, const char *name,
                             const doge_spend_csv_opts *opts, doge_spend_csv_stats *stats,
                             int variant, size_t chunk);

#endif
