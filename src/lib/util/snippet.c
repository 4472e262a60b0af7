/*
 * snippet.c — quotes bad input for error messages: copies printable ASCII and
 * valid UTF-8 sequences as they are, escapes control bytes and invalid UTF-8
 * as \n, \r, \t or \xNN, and cuts long text with "..." so a message always
 * names the text at fault in a readable, bounded form.
 */
#include "util/snippet.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence starting at p (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t need;
    unsigned char c = p[0];
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 4;
    else
        return 0;
    if (n < need)
        return 0;
    for (size_t i = 1; i < need; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xE0 && p[1] < 0xA0)
        return 0; /* overlong */
    if (c == 0xED && p[1] > 0x9F)
        return 0; /* surrogate */
    if (c == 0xF0 && p[1] < 0x90)
        return 0; /* overlong */
    if (c == 0xF4 && p[1] > 0x8F)
        return 0; /* beyond U+10FFFF */
    return need;
}

/* Escape for one byte that is not copied verbatim; writes at most 5 bytes. */
static size_t escape_byte(char *out, unsigned char c)
{
    switch (c) {
    case '\n': memcpy(out, "\\n", 3); return 2;
    case '\r': memcpy(out, "\\r", 3); return 2;
    case '\t': memcpy(out, "\\t", 3); return 2;
    default: snprintf(out, 5, "\\x%02x", c); return 4;
    }
}

const char *doge__util_char(char dst[8], unsigned char c)
{
    if (c >= 0x20 && c < 0x7F) {
        dst[0] = (char)c;
        dst[1] = '\0';
    } else {
        escape_byte(dst, c);
    }
    return dst;
}

const char *doge__util_snippet(char *dst, size_t cap, const void *s, size_t len)
{
    const unsigned char *p = s;
    size_t o = 0, i = 0;
    if (cap == 0)
        return dst;
    if (cap < 8) {
        dst[0] = '\0';
        return dst;
    }
    while (i < len && i < DOGE__SNIPPET_MAX) {
        unsigned char c = p[i];
        size_t take = 1, need;
        char tmp[8];
        const char *src;
        if (c >= 0x20 && c < 0x7F) {
            tmp[0] = (char)c;
            need = 1;
            src = tmp;
        } else if (c >= 0x80 && (take = utf8_len(p + i, len - i)) > 0) {
            need = take;
            src = (const char *)p + i;
        } else {
            take = 1;
            need = escape_byte(tmp, c);
            src = tmp;
        }
        if (o + need + 4 > cap)
            break; /* keep room for "..." and the NUL */
        memcpy(dst + o, src, need);
        o += need;
        i += take;
    }
    if (i < len) {
        memcpy(dst + o, "...", 3);
        o += 3;
    }
    dst[o] = '\0';
    return dst;
}
