/*
 * csvread.c — the streaming RFC 4180 reader behind doge/csvread.h. Input is
 * read in chunks into one buffer of max_row + CHUNK bytes. A row is taken in
 * two passes: find_row() finds the line feed that ends the row outside
 * quotes, refilling and compacting the buffer as needed and counting line
 * feeds inside quotes — sixteen bytes at a time with the quote-parity search
 * of csv_rowend.c, or, where that could disagree (a quote opening where no
 * field starts, a row over the cap, the end of the input), with a scalar
 * four-state machine (field start, unquoted, quoted, quote seen inside
 * quotes); split_row() then cuts that row into fields in place, unescaping
 * quoted fields where they stand and writing a NUL after each, and reports
 * malformed fields with their byte offset.
 */
#include "doge/csvread.h"
#include "csv_rowend.h"
#include "internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Bytes read per refill beyond the row cap. */
#define CHUNK ((size_t)64 << 10)

enum { S_START, S_UNQUOTED, S_QUOTED, S_QUOTE_SEEN };

struct doge_csvread {
    char *name;
    FILE *file;
    int own_file;
    const unsigned char *mem;
    size_t mem_len, mem_pos;

    char *buf;       /* cap + 1 bytes, so a NUL fits after the last byte */
    size_t cap;      /* max_row + CHUNK */
    size_t pos;      /* start of the unconsumed bytes */
    size_t fill;     /* end of the bytes read */
    uint64_t base;   /* input offset of buf[0] */
    size_t max_row;
    int eof;         /* the source is exhausted */
    int started;     /* the byte-order mark was looked for */
    int scalar;      /* find rows with the state machine only (tests) */
    int status;      /* 0 reading, 1 at the end, < 0 the error that stopped it */
    char *errmsg;    /* the message of that error, repeated on later calls */

    uint64_t next_line; /* the line on which the next row starts */
    uint64_t row_line;  /* the line on which the current row started */
    uint64_t row_off;   /* the input offset of the current row */

    doge_csvread_field *fields;
    size_t nfields, fields_cap;

    char **cols; /* header names (one block, cols[0] owns it) */
    size_t ncols;
    uint64_t header_line;
};

static int fail(doge_csvread *r, int code, uint64_t line, uint64_t off, const char *what)
{
    r->row_line = line;
    r->nfields = 0;
    doge__error_set(code, "%s:%" PRIu64 ": byte %" PRIu64 ": %s", r->name, line, off, what);
    free(r->errmsg);
    r->errmsg = strdup(doge_error_last());
    r->status = code;
    return code;
}

static int reader_new(doge_csvread **out, const char *name, size_t max_row)
{
    *out = NULL;
    doge_csvread *r = calloc(1, sizeof *r);
    if (!r)
        return doge__error_oom();
    r->max_row = max_row ? max_row : DOGE_CSVREAD_DEFAULT_MAX_ROW;
    if (r->max_row > SIZE_MAX / 2) {
        free(r);
        return doge__error_set(DOGE_EINVAL, "%s: row cap %zu is too large", name, max_row);
    }
    r->cap = r->max_row + CHUNK;
    r->name = strdup(name);
    r->buf = malloc(r->cap + 1);
    r->fields_cap = 16;
    r->fields = malloc(r->fields_cap * sizeof *r->fields);
    if (!r->name || !r->buf || !r->fields) {
        doge_csvread_free(r);
        return doge__error_oom();
    }
    r->next_line = 1;
    *out = r;
    return DOGE_OK;
}

int doge_csvread_open_stream(doge_csvread **out, FILE *f, const char *name, size_t max_row)
{
    if (!f)
        return doge__error_set(DOGE_EINVAL, "csvread: no stream");
    int rc = reader_new(out, name ? name : "<stream>", max_row);
    if (rc == DOGE_OK)
        (*out)->file = f;
    return rc;
}

int doge_csvread_open_mem(doge_csvread **out, const void *data, size_t len, const char *name,
                          size_t max_row)
{
    if (!data && len)
        return doge__error_set(DOGE_EINVAL, "csvread: no data");
    int rc = reader_new(out, name ? name : "<memory>", max_row);
    if (rc == DOGE_OK) {
        (*out)->mem = data ? data : (const void *)"";
        (*out)->mem_len = len;
    }
    return rc;
}

int doge_csvread_open(doge_csvread **out, const char *path, size_t max_row)
{
    *out = NULL;
    if (!path)
        return doge__error_set(DOGE_EINVAL, "csvread: no path");
    if (strcmp(path, "-") == 0)
        return doge_csvread_open_stream(out, stdin, "standard input", max_row);
    FILE *f = fopen(path, "rb");
    if (!f)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", path,
                               strerror(errno));
    int rc = reader_new(out, path, max_row);
    if (rc) {
        fclose(f);
        return rc;
    }
    (*out)->file = f;
    (*out)->own_file = 1;
    return DOGE_OK;
}

void doge_csvread_free(doge_csvread *r)
{
    if (!r)
        return;
    if (r->own_file && r->file)
        fclose(r->file);
    free(r->name);
    free(r->buf);
    free(r->errmsg);
    free(r->fields);
    if (r->cols)
        free(r->cols[0]);
    free(r->cols);
    free(r);
}

/* Moves the unconsumed bytes to the front and reads more behind them.
 * Returns DOGE_OK (r->eof set when nothing more came) or an I/O error. */
static int refill(doge_csvread *r)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->fill - r->pos);
        r->base += r->pos;
        r->fill -= r->pos;
        r->pos = 0;
    }
    size_t room = r->cap - r->fill, got;
    if (room == 0)
        return DOGE_OK;
    if (r->mem) {
        got = r->mem_len - r->mem_pos < room ? r->mem_len - r->mem_pos : room;
        memcpy(r->buf + r->fill, r->mem + r->mem_pos, got);
        r->mem_pos += got;
    } else {
        got = fread(r->buf + r->fill, 1, room, r->file);
        if (got == 0 && ferror(r->file))
            return fail(r, DOGE_EIO, r->next_line, r->base + r->fill, strerror(errno ? errno : EIO));
    }
    r->fill += got;
    if (got == 0)
        r->eof = 1;
    return DOGE_OK;
}

/* Finds the end of the row starting at r->pos: *end gets the index of its
 * line feed (or r->fill at the end of the input) and *inner the line feeds
 * inside quotes. Returns 1, 0 when no bytes are left, or an error. */
static int find_row_scalar(doge_csvread *r, size_t *end, uint64_t *inner)
{
    int st = S_START, rc;
    uint64_t nl = 0;
    size_t i = r->pos;
    for (;;) {
        const char *b = r->buf;
        size_t n = r->fill;
        while (i < n) {
            switch (st) {
            case S_START:
                if (b[i] == '"')
                    st = S_QUOTED;
                else if (b[i] == '\n')
                    goto found;
                else if (b[i] != ',')
                    st = S_UNQUOTED;
                i++;
                break;
            case S_UNQUOTED:
                while (i < n && b[i] != ',' && b[i] != '\n')
                    i++;
                if (i < n) {
                    if (b[i] == '\n')
                        goto found;
                    st = S_START;
                    i++;
                }
                break;
            case S_QUOTED:
                while (i < n && b[i] != '"') {
                    if (b[i] == '\n')
                        nl++;
                    i++;
                }
                if (i < n) {
                    st = S_QUOTE_SEEN;
                    i++;
                }
                break;
            default: /* S_QUOTE_SEEN */
                if (b[i] == '"')
                    st = S_QUOTED;
                else if (b[i] == ',')
                    st = S_START;
                else if (b[i] == '\n')
                    goto found;
                else
                    st = S_UNQUOTED;
                i++;
                break;
            }
        }
        if (i - r->pos > r->max_row)
            break;
        if (r->eof) {
            if (i == r->pos)
                return 0;
            if (st == S_QUOTED)
                return fail(r, DOGE_EINVAL, r->next_line, r->base + r->pos,
                            "a quoted field is never closed (the input ends inside quotes)");
            *end = i;
            *inner = nl;
            return 1;
        }
        size_t off = i - r->pos;
        if ((rc = refill(r)) != DOGE_OK)
            return rc;
        i = r->pos + off;
    }
    {
        char what[96];
        snprintf(what, sizeof what, "row longer than %zu bytes", r->max_row);
        return fail(r, DOGE_ELIMIT, r->next_line, r->base + r->pos, what);
    }
found:
    if (i + 1 - r->pos > r->max_row) {
        char what[96];
        snprintf(what, sizeof what, "row longer than %zu bytes", r->max_row);
        return fail(r, DOGE_ELIMIT, r->next_line, r->base + r->pos, what);
    }
    *end = i;
    *inner = nl;
    return 1;
}

void doge__csvread_set_scalar(doge_csvread *r, int on) { r->scalar = on; }

/* find_row_scalar's answer, found first with the SIMD search (quote
 * parity). The two agree on a row unless a quote opens quotes where no
 * field starts (the state machine ignores quotes inside unquoted fields,
 * parity does not), so such a row, a row over the size cap and the end of
 * the input are left to the state machine. */
static int find_row(doge_csvread *r, size_t *end, uint64_t *inner)
{
    while (!r->scalar) {
        uint64_t nl;
        int plain;
        size_t e = r->pos + doge__csv_row_end(r->buf + r->pos, r->fill - r->pos, &nl, &plain);
        if (!plain)
            break;
        if (e < r->fill) {
            if (e + 1 - r->pos > r->max_row)
                break;
            *end = e;
            *inner = nl;
            return 1;
        }
        if (r->eof || r->fill - r->pos > r->max_row)
            break;
        size_t had = r->fill - r->pos;
        int rc = refill(r);
        if (rc)
            return rc;
        if (r->fill - r->pos == had && !r->eof)
            break;
    }
    return find_row_scalar(r, end, inner);
}

static int add_field(doge_csvread *r, const char *data, size_t len)
{
    if (r->nfields == r->fields_cap) {
        if (r->fields_cap >= DOGE_CSVREAD_MAX_FIELDS) {
            char what[64];
            snprintf(what, sizeof what, "more than %d fields", DOGE_CSVREAD_MAX_FIELDS);
            return fail(r, DOGE_ELIMIT, r->row_line, r->row_off, what);
        }
        size_t ncap = r->fields_cap * 2;
        doge_csvread_field *nf = realloc(r->fields, ncap * sizeof *nf);
        if (!nf)
            return fail(r, DOGE_ENOMEM, r->row_line, r->row_off, "out of memory");
        r->fields = nf;
        r->fields_cap = ncap;
    }
    r->fields[r->nfields].data = data;
    r->fields[r->nfields].len = len;
    r->nfields++;
    return DOGE_OK;
}

/* Splits buf[r->pos, end) into fields in place. */
static int split_row(doge_csvread *r, size_t end)
{
    char *p = r->buf + r->pos, *e = r->buf + end;
    int rc;
    r->nfields = 0;
    for (;;) {
        if (p < e && *p == '"') {
            char *w = p, *q = p + 1;
            for (;;) {
                char *qq = memchr(q, '"', (size_t)(e - q));
                if (!qq)
                    return fail(r, DOGE_EINVAL, r->row_line, r->base + (uint64_t)(p - r->buf),
                                "a quoted field is never closed");
                size_t n = (size_t)(qq - q);
                memmove(w, q, n);
                w += n;
                if (qq + 1 < e && qq[1] == '"') {
                    *w++ = '"';
                    q = qq + 2;
                    continue;
                }
                q = qq + 1;
                break;
            }
            if (q < e && *q != ',') {
                char what[96];
                unsigned char c = (unsigned char)*q;
                if (c >= 0x20 && c < 0x7f)
                    snprintf(what, sizeof what, "unexpected '%c' after a closing quote", c);
                else
                    snprintf(what, sizeof what, "unexpected byte 0x%02x after a closing quote", c);
                return fail(r, DOGE_EINVAL, r->row_line, r->base + (uint64_t)(q - r->buf), what);
            }
            *w = '\0';
            if ((rc = add_field(r, p, (size_t)(w - p))))
                return rc;
            if (q == e)
                return DOGE_OK;
            p = q + 1;
        } else {
            char *q = p;
            while (q < e && *q != ',') {
                if (*q == '"')
                    return fail(r, DOGE_EINVAL, r->row_line, r->base + (uint64_t)(q - r->buf),
                                "a double quote inside an unquoted field (quote the whole field "
                                "and double the quote)");
                if (*q == '\r')
                    return fail(r, DOGE_EINVAL, r->row_line, r->base + (uint64_t)(q - r->buf),
                                "a carriage return outside quotes that does not end the row");
                q++;
            }
            int last = q == e;
            *q = '\0';
            if ((rc = add_field(r, p, (size_t)(q - p))))
                return rc;
            if (last)
                return DOGE_OK;
            p = q + 1;
        }
    }
}

int doge_csvread_next(doge_csvread *r)
{
    int rc;
    if (r->status) {
        if (r->status < 0 && r->errmsg)
            doge__error_set(r->status, "%s", r->errmsg);
        return r->status < 0 ? r->status : 0;
    }
    if (!r->started) {
        r->started = 1;
        while (r->fill < 3 && !r->eof)
            if ((rc = refill(r)) != DOGE_OK)
                return rc;
        if (r->fill >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
            r->pos = 3;
    }
    for (;;) {
        size_t end = 0;
        uint64_t inner = 0;
        r->nfields = 0;
        rc = find_row(r, &end, &inner);
        if (rc <= 0) {
            if (rc == 0)
                r->status = 1;
            return rc;
        }
        size_t next = end < r->fill ? end + 1 : end; /* past the line feed */
        size_t stop = end;
        if (stop > r->pos && r->buf[stop - 1] == '\r')
            stop--;
        r->row_line = r->next_line;
        r->row_off = r->base + r->pos;
        r->next_line += 1 + inner;
        if (stop == r->pos) { /* an empty line */
            r->pos = next;
            continue;
        }
        rc = split_row(r, stop);
        r->pos = next;
        return rc == DOGE_OK ? 1 : rc;
    }
}

size_t doge_csvread_count(const doge_csvread *r) { return r->nfields; }

doge_csvread_field doge_csvread_get(const doge_csvread *r, size_t i)
{
    if (i < r->nfields)
        return r->fields[i];
    doge_csvread_field empty = {"", 0};
    return empty;
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            return 0;
    }
}

int doge_csvread_read_header(doge_csvread *r)
{
    if (r->cols)
        return doge__error_set(DOGE_EINVAL, "%s: the header was already read", r->name);
    int rc = doge_csvread_next(r);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return doge__error_set(DOGE_EINVAL, "%s: empty file: no header row", r->name);
    size_t total = 0;
    for (size_t i = 0; i < r->nfields; i++)
        total += r->fields[i].len + 1;
    char **cols = malloc(r->nfields * sizeof *cols);
    char *mem = malloc(total);
    if (!cols || !mem) {
        free(cols);
        free(mem);
        return doge__error_oom();
    }
    char *w = mem;
    for (size_t i = 0; i < r->nfields; i++) {
        const char *s = r->fields[i].data;
        size_t n = r->fields[i].len;
        while (n && (*s == ' ' || *s == '\t'))
            s++, n--;
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        memcpy(w, s, n);
        w[n] = '\0';
        cols[i] = w;
        w += n + 1;
    }
    r->cols = cols;
    r->ncols = r->nfields;
    r->header_line = r->row_line;
    for (size_t i = 0; i < r->ncols; i++) {
        if (!*cols[i])
            return doge__error_set(DOGE_EINVAL, "%s:%" PRIu64 ": column %zu of the header has no name",
                                   r->name, r->header_line, i + 1);
        for (size_t j = 0; j < i; j++)
            if (ascii_casecmp(cols[i], cols[j]) == 0)
                return doge__error_set(DOGE_EINVAL,
                                       "%s:%" PRIu64 ": column '%s' appears twice in the header "
                                       "(columns %zu and %zu)",
                                       r->name, r->header_line, cols[i], j + 1, i + 1);
    }
    return DOGE_OK;
}

size_t doge_csvread_columns(const doge_csvread *r) { return r->ncols; }

const char *doge_csvread_column_name(const doge_csvread *r, size_t i)
{
    return i < r->ncols ? r->cols[i] : NULL;
}

int doge_csvread_column(const doge_csvread *r, const char *name)
{
    for (size_t i = 0; i < r->ncols; i++)
        if (ascii_casecmp(r->cols[i], name) == 0)
            return (int)i;
    return -1;
}

int doge_csvread_require(const doge_csvread *r, const char *const *names, size_t n, int *idx)
{
    for (size_t k = 0; k < n; k++) {
        idx[k] = doge_csvread_column(r, names[k]);
        if (idx[k] < 0)
            return doge__error_set(DOGE_EINVAL, "%s:%" PRIu64 ": missing required column '%s'",
                                   r->name, r->header_line ? r->header_line : 1, names[k]);
    }
    return DOGE_OK;
}

uint64_t doge_csvread_line(const doge_csvread *r) { return r->row_line; }
uint64_t doge_csvread_offset(const doge_csvread *r) { return r->row_off; }
uint64_t doge_csvread_consumed(const doge_csvread *r) { return r->base + r->pos; }
const char *doge_csvread_name(const doge_csvread *r) { return r->name; }
