/*
 * form.c — the strict text codecs of `doge serve`: the
 * application/x-www-form-urlencoded parser used for query strings and form
 * bodies (in place, '+' and %XX decoded, refusing bad escapes, %00, control
 * bytes other than tab, CR and LF, invalid UTF-8 and too many pairs, so that
 * handlers only ever see clean NUL-terminated UTF-8), and HTML escaping for
 * the pages the server writes.
 */
#include "server.h"

#include "doge/common.h"

#include <string.h>

static int hexval(int c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            k = 1, min = 0x80, c &= 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, min = 0x800, c &= 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, min = 0x10000, c &= 0x07;
        } else {
            return 0;
        }
        if (i + k >= n)
            return 0;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return 0;
            c = c << 6 | (s[i + j] & 0x3F);
        }
        if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            return 0;
        i += k + 1;
    }
    return 1;
}

/* Decodes s[0..n) in place; returns the decoded length or -1. */
static long decode(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            if (i + 2 >= n)
                return -1;
            int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (c == 0 || (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            return -1;
        s[o++] = (char)c;
    }
    if (!utf8_ok((const unsigned char *)s, o))
        return -1;
    s[o] = '\0';
    return (long)o;
}

int doge__srv_form_parse(char *text, size_t len, doge_srv_kv *out, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && text[end] != '&')
            end++;
        if (end > i) { /* empty pieces ("a=1&&b=2") are skipped */
            if (n == max)
                return -1;
            size_t eq = i;
            while (eq < end && text[eq] != '=')
                eq++;
            char *k = text + i, *v = text + (eq < end ? eq + 1 : end);
            size_t klen = eq - i, vlen = eq < end ? end - eq - 1 : 0;
            if (klen == 0)
                return -1;
            /* Decode the value first: the key's NUL lands on the '='. */
            long dv = decode(v, vlen);
            if (dv < 0)
                return -1;
            long dk = decode(k, klen);
            if (dk < 0)
                return -1;
            out[n].key = k;
            out[n].value = eq < end ? v : k + dk; /* no '=': "" */
            n++;
        }
        i = end + 1;
    }
    return (int)n;
}

const char *doge__srv_kv_get(const doge_srv_kv *kv, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(kv[i].key, key) == 0)
            return kv[i].value;
    return NULL;
}

int doge__srv_html_escape(doge_buf *b, const char *s)
{
    int rc = DOGE_OK;
    for (; *s && rc == DOGE_OK; s++) {
        switch (*s) {
        case '&': rc = doge_buf_append_str(b, "&amp;"); break;
        case '<': rc = doge_buf_append_str(b, "&lt;"); break;
        case '>': rc = doge_buf_append_str(b, "&gt;"); break;
        case '"': rc = doge_buf_append_str(b, "&quot;"); break;
        case '\'': rc = doge_buf_append_str(b, "&#39;"); break;
        default: rc = doge_buf_append_char(b, *s);
        }
    }
    return rc;
}
