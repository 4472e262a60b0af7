/*
 * mail_charset.c — turns the bytes of a mail text part into clean UTF-8 for
 * the mail parser. The common labels (utf-8, us-ascii, iso-8859-1,
 * windows-1252) and undeclared text are handled here without iconv:
 * iso-8859-1 and us-ascii are read as windows-1252 (the WHATWG rule, because
 * mailers label windows-1252 text as latin1 all the time), undeclared or
 * us-ascii 8-bit text is UTF-8 when it validates and windows-1252 otherwise.
 * Every other charset goes through GMime's iconv wrapper, which knows the
 * aliases mail uses (ks_c_5601-1987, x-mac-roman, ...). Output always has LF
 * line ends (CRLF and lone CR become LF) and no NUL (U+FFFD instead), so it
 * can be used as a C string.
 */
#include "mail_internal.h"
#include "util/utf8.h"

#include <gmime/gmime.h>

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* windows-1252 0x80..0x9F; 0xFFFD marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

/* Notes stop being added past this many bytes. */
#define NOTES_MAX 2048

uint32_t doge__mail_cp1252(unsigned char c)
{
    if (c >= 0x80 && c < 0xA0)
        return cp1252_high[c - 0x80];
    return c;
}

int doge__mail_note(doge_buf *notes, const char *fmt, ...)
{
    if (!notes)
        return DOGE_OK;
    if (notes->len >= NOTES_MAX) { /* hostile input: keep the list short */
        if (notes->data[notes->len - 1] == '.')
            return DOGE_OK;
        return doge_buf_append(notes, "; ...", 5);
    }
    char note[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note, sizeof note, fmt, ap);
    va_end(ap);
    /* already noted? compare whole entries */
    const char *s = doge_buf_cstr(notes);
    size_t nl = strlen(note);
    for (const char *p = s; (p = strstr(p, note)) != NULL; p++) {
        int starts = p == s || (p >= s + 2 && p[-2] == ';' && p[-1] == ' ');
        int ends = p[nl] == '\0' || p[nl] == ';';
        if (starts && ends)
            return DOGE_OK;
    }
    int rc = DOGE_OK;
    if (notes->len)
        rc = doge_buf_append(notes, "; ", 2);
    if (rc == DOGE_OK)
        rc = doge_buf_append(notes, note, nl);
    return rc;
}

int doge__mail_put_cp(doge_buf *out, uint32_t cp)
{
    char u[4];
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80)
        return doge_buf_append_char(out, (char)cp);
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return doge_buf_append(out, u, 2);
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        return doge_buf_append(out, u, 3);
    }
    u[0] = (char)(0xF0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    return doge_buf_append(out, u, 4);
}


int doge__mail_utf8_valid(const char *s, size_t len)
{
    return doge__utf8_check((const unsigned char *)s, len) == len;
}

/* Appends UTF-8 text, normalising line ends and NUL; invalid sequences
 * become U+FFFD one byte at a time. *bad counts them. */
static int put_utf8(doge_buf *out, const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: start of pending clean bytes */
    int rc = doge_buf_reserve(out, len);
    while (rc == DOGE_OK && i < len) {
        i += doge__ascii_run(p + i, len - i, DOGE__RUN_NUL_CR);
        if (i == len)
            break;
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x80) {
            i++;
            continue;
        }
        size_t k = c < 0x80 ? 1 : doge__utf8_seq(p + i, len - i);
        if (k > 1) {
            i += k;
            continue;
        }
        if (c != '\r' && c != '\0' && k == 1) { /* other controls pass */
            i++;
            continue;
        }
        rc = doge_buf_append(out, s + run, i - run);
        if (rc != DOGE_OK)
            break;
        if (c == '\r') {
            rc = doge_buf_append_char(out, '\n');
            if (i + 1 < len && p[i + 1] == '\n')
                i++;
        } else {
            if (c != '\0' && bad)
                (*bad)++;
            rc = doge__mail_put_cp(out, 0xFFFD);
        }
        i++;
        run = i;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append(out, s + run, len - run);
    return rc;
}

static int put_cp1252(doge_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    int rc = doge_buf_reserve(out, len);
    for (size_t i = 0; rc == DOGE_OK && i < len; i++) {
        unsigned char c = p[i];
        if (c == '\r') {
            rc = doge_buf_append_char(out, '\n');
            if (i + 1 < len && p[i + 1] == '\n')
                i++;
        } else if (c == '\0')
            rc = doge__mail_put_cp(out, 0xFFFD);
        else if (c < 0x80)
            rc = doge_buf_append_char(out, (char)c);
        else
            rc = doge__mail_put_cp(out, doge__mail_cp1252(c));
    }
    return rc;
}

enum cs_kind { CS_AUTO, CS_UTF8, CS_CP1252, CS_OTHER };

static enum cs_kind classify(const char *cs)
{
    static const char *const auto_names[] = {"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us",
                                             "us", "unknown-8bit", "x-unknown", "8bit",
                                             "default", "none"};
    static const char *const utf8_names[] = {"utf-8", "utf8", "x-utf-8", "unicode-1-1-utf-8"};
    static const char *const cp1252_names[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
        "cp819", "ibm819", "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252",
        "cp-1252", "win-1252", "ansi", "iso-8859-1-windows-3.1-latin-1"};
    if (!cs || !*cs)
        return CS_AUTO;
    for (size_t i = 0; i < sizeof auto_names / sizeof *auto_names; i++)
        if (!strcasecmp(cs, auto_names[i]))
            return CS_AUTO;
    for (size_t i = 0; i < sizeof utf8_names / sizeof *utf8_names; i++)
        if (!strcasecmp(cs, utf8_names[i]))
            return CS_UTF8;
    for (size_t i = 0; i < sizeof cp1252_names / sizeof *cp1252_names; i++)
        if (!strcasecmp(cs, cp1252_names[i]))
            return CS_CP1252;
    return CS_OTHER;
}

/* Undeclared: UTF-8 if it validates, else windows-1252. */
static int put_auto(doge_buf *out, const char *in, size_t len)
{
    if (doge__mail_utf8_valid(in, len))
        return put_utf8(out, in, len, NULL);
    return put_cp1252(out, in, len);
}

/* Converts with iconv; returns DOGE_ENOTFOUND (no message) when the charset
 * is unknown to iconv so the caller can fall back. */
static int put_iconv(doge_buf *out, const char *charset, const char *in, size_t len,
                     doge_buf *notes)
{
    iconv_t cd = g_mime_iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return DOGE_ENOTFOUND;
    size_t cap = len * 2 + 64, used = 0, bad = 0;
    char *buf = malloc(cap);
    if (!buf) {
        g_mime_iconv_close(cd);
        return doge__error_oom();
    }
    char *inp = (char *)in;
    size_t inleft = len;
    int rc = DOGE_OK, flushing = 0;
    for (;;) {
        if (cap - used < 16) {
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = doge__error_oom();
                break;
            }
            buf = nb;
            cap = ncap;
        }
        char *outp = buf + used;
        size_t outleft = cap - used - 8; /* room for a U+FFFD */
        size_t r = flushing ? iconv(cd, NULL, NULL, &outp, &outleft)
                            : iconv(cd, &inp, &inleft, &outp, &outleft);
        int err = errno;
        used = (size_t)(outp - buf);
        if (r != (size_t)-1) {
            if (flushing)
                break;
            flushing = 1; /* return a stateful encoding to its initial state */
            continue;
        }
        if (err == E2BIG) {
            size_t ncap = cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = doge__error_oom();
                break;
            }
            buf = nb;
            cap = ncap;
        } else if (err == EILSEQ || err == EINVAL) {
            memcpy(buf + used, "\xEF\xBF\xBD", 3);
            used += 3;
            bad++;
            if (err == EINVAL || flushing) { /* truncated sequence at the end */
                inleft = 0;
                if (flushing)
                    break;
            } else {
                inp++;
                inleft--;
            }
        } else {
            rc = doge__error_set(DOGE_ERROR, "mail: iconv from %s failed: %s", charset,
                                 strerror(err));
            break;
        }
    }
    g_mime_iconv_close(cd);
    if (rc == DOGE_OK)
        rc = put_utf8(out, buf, used, NULL);
    free(buf);
    if (rc == DOGE_OK && bad)
        rc = doge__mail_note(notes, "bytes invalid in charset %s replaced", charset);
    return rc;
}

int doge__mail_to_utf8(doge_buf *out, const char *charset, const char *in, size_t len,
                       doge_buf *notes)
{
    if (len == 0)
        return DOGE_OK;
    switch (classify(charset)) {
    case CS_AUTO:
        return put_auto(out, in, len);
    case CS_CP1252:
        return put_cp1252(out, in, len);
    case CS_UTF8: {
        /* count valid multi-byte sequences and invalid bytes */
        const unsigned char *p = (const unsigned char *)in;
        size_t multi = 0, invalid = 0;
        for (size_t i = 0; i < len;) {
            i += doge__ascii_run(p + i, len - i, 0);
            if (i == len)
                break;
            if (p[i] < 0x80) {
                i++;
                continue;
            }
            size_t k = doge__utf8_seq(p + i, len - i);
            if (k) {
                multi++;
                i += k;
            } else {
                invalid++;
                i++;
            }
        }
        if (invalid && !multi) {
            int rc = doge__mail_note(notes, "text labelled utf-8 is not UTF-8 (read as "
                                            "windows-1252)");
            return rc ? rc : put_cp1252(out, in, len);
        }
        size_t bad = 0;
        int rc = put_utf8(out, in, len, &bad);
        if (rc == DOGE_OK && bad)
            rc = doge__mail_note(notes, "invalid UTF-8 replaced");
        return rc;
    }
    case CS_OTHER:
        break;
    }
    int rc = put_iconv(out, charset, in, len, notes);
    if (rc != DOGE_ENOTFOUND)
        return rc;
    rc = doge__mail_note(notes, "unknown charset \"%.60s\" (read as UTF-8 or windows-1252)",
                         charset);
    return rc ? rc : put_auto(out, in, len);
}
