/*
 * doge/buf.h — doge_buf, a bounded growable byte buffer: the one way libdoge
 * builds strings and byte blobs of unknown size (CSV rows, JSON bodies, mail
 * messages). It grows by doubling up to a hard cap chosen at init, so hostile
 * or runaway input fails with DOGE_ELIMIT instead of exhausting memory, and
 * it keeps its contents NUL-terminated so text can be used as a C string.
 *
 * Ownership: a doge_buf is a plain struct the caller places (usually on the
 * stack) and sets up with doge_buf_init(); the bytes it points to belong to
 * the buffer until doge_buf_detach() hands them to the caller (release with
 * free()) or doge_buf_dispose() releases them. data/len may be read directly
 * but must only be changed through these functions. Any append, reserve or
 * printf may move data, so pointers into it are valid only until the next
 * call that grows the buffer. On any failure the buffer is left unchanged.
 */
#ifndef DOGE_BUF_H
#define DOGE_BUF_H

#include "doge/common.h"

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DOGE_PRINTF
#if defined(__GNUC__)
#define DOGE_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DOGE_PRINTF(fmt, args)
#endif
#endif

/* The cap used when doge_buf_init() is given 0: 64 MiB. */
#define DOGE_BUF_DEFAULT_MAX ((size_t)64 << 20)

typedef struct doge_buf {
    char *data;   /* the bytes, NUL-terminated; NULL until something is added */
    size_t len;   /* bytes held, not counting the terminating NUL */
    size_t alloc; /* bytes allocated for data, counting the NUL */
    size_t max;   /* hard cap on len */
} doge_buf;

/* Sets up an empty buffer that may hold at most max bytes (0: the default
 * cap). Allocates nothing; cannot fail. */
DOGE_EXTERN void doge_buf_init(doge_buf *b, size_t max);

/* Releases the bytes and leaves b empty (with the same cap), ready for reuse
 * or to be dropped. b may be NULL; disposing twice is harmless. */
DOGE_EXTERN void doge_buf_dispose(doge_buf *b);

/* Makes room for extra more bytes without another allocation.
 * DOGE_ELIMIT when len + extra would pass the cap, DOGE_ENOMEM. */
DOGE_EXTERN int doge_buf_reserve(doge_buf *b, size_t extra);

/* Appends n bytes (data may point into b itself). */
DOGE_EXTERN int doge_buf_append(doge_buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string (DOGE_EINVAL for NULL). */
DOGE_EXTERN int doge_buf_append_str(doge_buf *b, const char *s);

/* Appends one byte. */
DOGE_EXTERN int doge_buf_append_char(doge_buf *b, char c);

/* Appends printf-formatted text. */
DOGE_EXTERN int doge_buf_printf(doge_buf *b, const char *fmt, ...) DOGE_PRINTF(2, 3);
DOGE_EXTERN int doge_buf_vprintf(doge_buf *b, const char *fmt, va_list ap) DOGE_PRINTF(2, 0);

/* Empties the buffer but keeps its memory for reuse. */
DOGE_EXTERN void doge_buf_reset(doge_buf *b);

/* Shortens the contents to len bytes (no effect when len >= b->len). */
DOGE_EXTERN void doge_buf_truncate(doge_buf *b, size_t len);

/* The contents as a C string: "" when nothing was added. Owned by b. */
DOGE_EXTERN const char *doge_buf_cstr(const doge_buf *b);

/* Hands the contents to the caller: *out is a malloc'd NUL-terminated copy
 * ("" when empty) that the caller releases with free(); *len (if len is not
 * NULL) gets its length. b is left empty with the same cap. */
DOGE_EXTERN int doge_buf_detach(doge_buf *b, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
