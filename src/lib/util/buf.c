/*
 * buf.c — doge_buf, the bounded growable byte buffer: capacity doubles from
 * 64 bytes up to the cap given at init (plus one byte for the NUL that keeps
 * the contents a C string); every size computation is checked so a request
 * past the cap or past SIZE_MAX fails with DOGE_ELIMIT and leaves the buffer
 * as it was.
 */
#include "doge/buf.h"
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MIN_ALLOC 64

void doge_buf_init(doge_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    b->max = max ? max : DOGE_BUF_DEFAULT_MAX;
    if (b->max == SIZE_MAX)
        b->max = SIZE_MAX - 1; /* room for the NUL */
}

void doge_buf_dispose(doge_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
}

int doge_buf_reserve(doge_buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return doge__error_set(DOGE_ELIMIT,
                               "buffer: adding %zu bytes to %zu would pass the cap of %zu bytes",
                               extra, b->len, b->max);
    size_t need = b->len + extra + 1; /* cannot overflow: max < SIZE_MAX */
    if (need <= b->alloc)
        return DOGE_OK;
    size_t n = b->alloc ? b->alloc : BUF_MIN_ALLOC;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (n > b->max + 1)
        n = b->max + 1;
    char *p = realloc(b->data, n);
    if (!p)
        return doge__error_oom();
    if (!b->data)
        p[0] = '\0';
    b->data = p;
    b->alloc = n;
    return DOGE_OK;
}

int doge_buf_append(doge_buf *b, const void *data, size_t n)
{
    if (n == 0)
        return DOGE_OK;
    if (!data)
        return doge__error_set(DOGE_EINVAL, "buffer: NULL data of %zu bytes", n);
    /* data may point into b->data, which reserve may move. */
    const char *src = data;
    int inside = b->data && src >= b->data && src < b->data + b->alloc;
    size_t off = inside ? (size_t)(src - b->data) : 0;
    int rc = doge_buf_reserve(b, n);
    if (rc < 0)
        return rc;
    if (inside)
        src = b->data + off;
    memmove(b->data + b->len, src, n);
    b->len += n;
    b->data[b->len] = '\0';
    return DOGE_OK;
}

int doge_buf_append_str(doge_buf *b, const char *s)
{
    if (!s)
        return doge__error_set(DOGE_EINVAL, "buffer: NULL string");
    return doge_buf_append(b, s, strlen(s));
}

int doge_buf_append_char(doge_buf *b, char c)
{
    /* room already: no call to reserve (the MIME reader and the JSON
     * writers append a character at a time) */
    if (b->len + 2 <= b->alloc && b->len < b->max) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return DOGE_OK;
    }
    int rc = doge_buf_reserve(b, 1);
    if (rc < 0)
        return rc;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return DOGE_OK;
}

int doge_buf_vprintf(doge_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    size_t room = b->data ? b->alloc - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        if (b->data)
            b->data[b->len] = '\0';
        return doge__error_set(DOGE_EINVAL, "buffer: printf format '%s' failed", fmt);
    }
    if ((size_t)n < room) {
        va_end(ap2);
        b->len += (size_t)n;
        return DOGE_OK;
    }
    if (b->data)
        b->data[b->len] = '\0'; /* undo the truncated attempt */
    int rc = doge_buf_reserve(b, (size_t)n);
    if (rc < 0) {
        va_end(ap2);
        return rc;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return DOGE_OK;
}

int doge_buf_printf(doge_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = doge_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void doge_buf_reset(doge_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void doge_buf_truncate(doge_buf *b, size_t len)
{
    if (len >= b->len)
        return;
    b->len = len;
    b->data[len] = '\0';
}

const char *doge_buf_cstr(const doge_buf *b)
{
    return b->data ? b->data : "";
}

int doge_buf_detach(doge_buf *b, char **out, size_t *len)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (!p)
            return doge__error_oom();
        p[0] = '\0';
    } else if (b->alloc > b->len + 1) {
        char *q = realloc(p, b->len + 1); /* give back the slack */
        if (q)
            p = q;
    }
    *out = p;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = 0;
    b->alloc = 0;
    return DOGE_OK;
}
