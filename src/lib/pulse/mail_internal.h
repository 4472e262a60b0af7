/*
 * mail_internal.h — what the mail parser's source files share and nothing
 * else uses: turning text in any charset into clean UTF-8, turning HTML into
 * plain text, reading the text of a .docx and the contents of a TNEF
 * (winmail.dat) attachment, and the list of problems noticed in a message.
 * None of these include GMime except through their .c files.
 *
 * Ownership: every function appends to a doge_buf the caller owns; nothing
 * here keeps a pointer to its input after it returns.
 */
#ifndef DOGE_MAIL_INTERNAL_H
#define DOGE_MAIL_INTERNAL_H

#include "doge/buf.h"
#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* Appends "; " (unless notes is empty) and a formatted note, unless the same
 * note is already there. Fails only on ENOMEM/ELIMIT. */
int doge__mail_note(doge_buf *notes, const char *fmt, ...) DOGE__PRINTF(2, 3);

/* Appends in[0..len) to out as UTF-8 with LF line ends and no NUL, reading
 * it in charset (NULL or "" when undeclared) by the rules in doge/mail.h.
 * Notes an unknown charset or undecodable bytes in notes (may be NULL). */
int doge__mail_to_utf8(doge_buf *out, const char *charset, const char *in, size_t len,
                       doge_buf *notes);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, surrogates or values past
 * U+10FFFF), else 0. */
int doge__mail_utf8_valid(const char *s, size_t len);

/* Appends the UTF-8 encoding of code point cp (U+FFFD for an invalid one). */
int doge__mail_put_cp(doge_buf *out, uint32_t cp);

/* The code point of the windows-1252 byte c (U+FFFD for its five holes). */
uint32_t doge__mail_cp1252(unsigned char c);

/* Appends the plain-text rendering of UTF-8 HTML (rules in doge/mail.h). */
int doge__mail_html_to_text(doge_buf *out, const char *html, size_t len);

/* Decodes one character reference starting at s[0] == '&' (s has n bytes):
 * on success appends its UTF-8 to out and returns the bytes consumed;
 * returns 0 when s does not start a known reference (the '&' is literal) and
 * a negative error code on allocation failure. html selects HTML's named
 * references; otherwise only XML's five are known. */
long doge__mail_entity(doge_buf *out, const char *s, size_t n, int html);

/* Appends the text of a .docx (a zip holding word/document.xml): one line a
 * paragraph, tabs and breaks kept, list paragraphs prefixed "• ". Returns
 * DOGE_EINVAL (with a message) when the bytes are not a readable docx, or
 * DOGE_ELIMIT when the document inflates past max bytes. */
int doge__mail_docx_text(doge_buf *out, const uint8_t *zip, size_t len, size_t max);

/* Inflates raw DEFLATE data (RFC 1951, as in zip entries) into out, at most
 * max bytes (DOGE_ELIMIT past it). Output stops where the data turns
 * corrupt; callers compare the length with the size they expect. */
int doge__mail_inflate(doge_buf *out, const uint8_t *in, size_t len, size_t max);

/* One file packed in a TNEF stream (views into the TNEF bytes). */
typedef struct doge__tnef_file {
    const char *name;    /* long file name when present, else the 8.3 title, else "" */
    const uint8_t *data; /* the file's bytes */
    size_t len;
} doge__tnef_file;

/* What a TNEF stream holds: the message's plain-text body (when it carries
 * one) and its attached files. Strings are malloc'd; release with
 * doge__mail_tnef_dispose(). */
typedef struct doge__tnef {
    char *body;           /* UTF-8 body text, NULL when none */
    size_t body_len;
    doge__tnef_file *files;
    size_t nfiles;
    char **names;         /* storage behind files[i].name */
} doge__tnef;

/* Reads a TNEF stream. DOGE_EINVAL (with a message) when the signature or
 * the structure is wrong; what was read before a structural error is kept
 * (the stream is truncated, say), so on DOGE_EINVAL t is still valid and
 * must be disposed. */
int doge__mail_tnef_read(doge__tnef *t, const uint8_t *data, size_t len);

/* Releases what doge__mail_tnef_read() allocated; t may be NULL. */
void doge__mail_tnef_dispose(doge__tnef *t);

#endif
