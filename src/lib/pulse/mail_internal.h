/*
 * mail_internal.h — what the mail parser's source files share and nothing
 * else uses: turning text in any charset into clean UTF-8, turning HTML into
 * plain text, reading the text of a .docx and the contents of a TNEF
 * (winmail.dat) attachment, the list of problems noticed in a message, and
 * the fast reader (mail_fast.c) that parses plain messages without GMime.
 * None of these include GMime except through their .c files.
 *
 * Ownership: every function appends to a doge_buf the caller owns; nothing
 * here keeps a pointer to its input after it returns, except the fast
 * reader's doge__fm, which views the message it read (see below).
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

/* doge_mail_parse() with a choice of reader: DOGE__MAIL_AUTO (the fast
 * reader, GMime when it declines), DOGE__MAIL_GMIME (GMime only, as before
 * the fast reader existed) or DOGE__MAIL_FAST (the fast reader only:
 * returns DOGE__FM_DECLINE with *out NULL when it declines). For tests and
 * benchmarks that compare the two. */
enum { DOGE__MAIL_AUTO, DOGE__MAIL_GMIME, DOGE__MAIL_FAST };
typedef struct doge_mail doge_mail;
int doge__mail_parse_mode(const void *bytes, size_t len, int mode, doge_mail **out);

/* 1 when m was read by the fast reader. */
int doge__mail_was_fast(const doge_mail *m);

/* ---- the fast reader (mail_fast.c) ----------------------------------------- */

/* What a fast-reader function returns when it leaves the message to GMime
 * (positive: not an error). */
#define DOGE__FM_DECLINE 1
#define DOGE__FM_MAX_HEADERS 96
#define DOGE__FM_MAX_PART_HEADERS 32
#define DOGE__FM_MAX_PARTS 16

/* One header line (views into the message). */
typedef struct doge__fm_header {
    const char *name;
    size_t name_len;
    const char *raw; /* the value after the colon: folding and the final LF kept */
    size_t raw_len;
} doge__fm_header;

enum { DOGE__FM_DISP_NONE, DOGE__FM_DISP_INLINE, DOGE__FM_DISP_ATTACHMENT, DOGE__FM_DISP_OTHER };

/* One leaf part: its Content-* facts and decoded content. */
typedef struct doge__fm_part {
    char type[128]; /* "type/subtype", lowercased; "text/plain" when undeclared */
    char charset[64], format[32], delsp[32], filename[256]; /* parameter values */
    int has_charset, has_format, has_delsp, has_filename;
    int disposition;       /* DOGE__FM_DISP_* */
    const char *data;      /* decoded content: a view into the message or fm->decoded */
    size_t len;
    size_t decoded_at;     /* offset in fm->decoded, or (size_t)-1 */
} doge__fm_part;

/* A message as the fast reader sees it. Initialise with doge__fm_init(),
 * release with doge__fm_dispose(); one doge__fm can read many messages. */
typedef struct doge__fm {
    doge__fm_header headers[DOGE__FM_MAX_HEADERS]; /* GMime's order: the
                                    message's headers, then its Content-* ones */
    size_t nheaders;
    int multipart;                 /* 0: one part; 1: multipart/alternative; 2: mixed;
                                      3: report */
    char report_type[64];          /* a report's report-type parameter */
    int has_report_type;
    doge__fm_part parts[DOGE__FM_MAX_PARTS];
    size_t nparts;
    doge_buf decoded;
} doge__fm;

void doge__fm_init(doge__fm *fm);
void doge__fm_dispose(doge__fm *fm);

/* Reads the structure of s[0..n) (LF line ends). DOGE_OK, DOGE__FM_DECLINE
 * or an error (ENOMEM, ELIMIT). fm views s afterwards. */
int doge__fm_read(doge__fm *fm, const char *s, size_t n);

/* Parses an address header value of plain mailboxes: appends "addr\0name\0"
 * per address to out (the name as GMime decodes it, before trimming and
 * clean-up) and sets *count. DOGE__FM_DECLINE for anything else. */
int doge__fm_addresses(const char *s, size_t n, doge_buf *out, size_t *count);

/* The next "<id>" of a message-id list at s[*pos..n): DOGE_OK with *id and
 * *len a view of the text between the brackets (*id NULL at the end of the
 * list), or DOGE__FM_DECLINE when the text is not a plain list of ids. */
int doge__fm_next_msgid(const char *s, size_t n, size_t *pos, const char **id, size_t *len);

/* An RFC 5322 date ("Mon, 24 Feb 2025 10:00:00 -0500", weekday and seconds
 * optional, a trailing "(UTC)" allowed) as unix seconds; DOGE__FM_DECLINE
 * for any other form. */
int doge__fm_date(const char *s, size_t n, int64_t *out);

/* 1 when s[0..n) is unstructured header text GMime would not change when
 * decoding: valid UTF-8, no NUL, no "=?". */
int doge__fm_text_ok(const char *s, size_t n);

/* Appends s[0..n) with its RFC 2047 encoded-words decoded as GMime decodes
 * them, for the plain case: UTF-8 words in B or Q, each a whole
 * blank-separated word (blanks between two of them are dropped), decoding
 * to valid UTF-8 without NUL. DOGE__FM_DECLINE for anything else. */
int doge__fm_decode_words(const char *s, size_t n, doge_buf *out);

#endif
