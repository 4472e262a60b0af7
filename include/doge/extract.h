/*
 * doge/extract.h — pulse reply extraction: turns the decoded UTF-8 text of one
 * reply to the weekly "approx. 5 bullets of what you accomplished last week"
 * request into the list of bullets the employee wrote. It strips what is not
 * the reply (the quoted request, "On ... wrote:" and Outlook "From: ... Sent:"
 * blocks, "-----Original Message-----", '>' lines, signatures, sign-offs,
 * "Sent from my iPhone", disclaimers, classification banners, greetings),
 * unwraps format=flowed text (RFC 3676) and hard-wrapped bullets, recognises
 * out-of-office text, and flags links, classification markings and SSN-like
 * numbers in each bullet with a redacted copy of its text. Every stripped
 * region is reported with its kind and line numbers so a reviewer can see why
 * a line is not a bullet. The rules are described where they are applied in
 * src/lib/pulse/extract*.c and summarised in tests/resources/mail/extract/
 * README.md.
 *
 * Ownership: the caller owns the doge_extract made by doge_extract_new() and
 * releases it with doge_extract_free(). A result returned by
 * doge_extract_run(), and every bullet text, redacted text and span it points
 * to, belongs to the extractor: it stays valid until the next
 * doge_extract_run() or doge_extract_free() on that extractor. The body
 * passed to doge_extract_run() is only read during the call. One extractor is
 * used by one thread at a time; use one per thread. Steady-state runs on
 * bodies of a few KiB allocate nothing (one arena, reset per reply).
 */
#ifndef DOGE_EXTRACT_H
#define DOGE_EXTRACT_H

#include "doge/buf.h"
#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest body doge_extract_run() accepts (DOGE_ELIMIT above): 8 MiB. */
#define DOGE_EXTRACT_MAX_BODY ((size_t)8 << 20)
/* Largest request text doge_extract_set_request() accepts: 64 KiB. */
#define DOGE_EXTRACT_MAX_REQUEST ((size_t)64 << 10)

/* doge_extract_run() flags: how the text part was sent. */
#define DOGE_EXTRACT_FLOWED 1u /* Content-Type ...; format=flowed */
#define DOGE_EXTRACT_DELSP 2u  /* ...; delsp=yes (only with FLOWED) */

/* Policy flags of a bullet (and, OR-ed, of a reply). */
#define DOGE_EXTRACT_FLAG_LINK 1u           /* http://, https://, ftp:// or www. */
#define DOGE_EXTRACT_FLAG_CLASSIFICATION 2u /* a classification or CUI marking */
#define DOGE_EXTRACT_FLAG_SSN 4u            /* an SSN-like ddd-dd-dddd number */

/* What a stripped span was (one bit each; a result ORs them in
 * stripped_kinds). */
#define DOGE_EXTRACT_STRIP_REQUEST 0x0001u     /* a copy of the request, found by its text */
#define DOGE_EXTRACT_STRIP_ATTRIBUTION 0x0002u /* "On ... wrote:" (and an unquoted copy under it) */
#define DOGE_EXTRACT_STRIP_OUTLOOK 0x0004u     /* Outlook "From: ... Sent: ..." and all below */
#define DOGE_EXTRACT_STRIP_ORIGINAL 0x0008u    /* "-----Original Message-----", forwards, below */
#define DOGE_EXTRACT_STRIP_QUOTED 0x0010u      /* '>' quoted lines */
#define DOGE_EXTRACT_STRIP_SIGNATURE 0x0020u   /* after "-- ", or a name/contact block */
#define DOGE_EXTRACT_STRIP_SIGNOFF 0x0040u     /* "Thanks,\nName", "V/r", "-Jane" and below */
#define DOGE_EXTRACT_STRIP_MOBILE 0x0080u      /* "Sent from my iPhone" and below */
#define DOGE_EXTRACT_STRIP_DISCLAIMER 0x0100u  /* legal notices, external-sender banners */
#define DOGE_EXTRACT_STRIP_BANNER 0x0200u      /* a line that is only a classification banner */
#define DOGE_EXTRACT_STRIP_GREETING 0x0400u    /* "Hi Jane," on the first line */
#define DOGE_EXTRACT_STRIP_PROSE 0x0800u       /* text that is not a list item: intro, outro,
                                                * headings, lines around a marked list */
#define DOGE_EXTRACT_STRIP_SEPARATOR 0x1000u   /* rules ("_____") and inline-image placeholders */
#define DOGE_EXTRACT_STRIP_AUTO_REPLY 0x2000u  /* the text of an out-of-office reply */

/* How a bullet was marked. */
#define DOGE_EXTRACT_MARKER_NONE 0   /* one item per line: no marker */
#define DOGE_EXTRACT_MARKER_SYMBOL 1 /* •, ·, -, *, –, —, +, ▪, ✓ ... */
#define DOGE_EXTRACT_MARKER_NUMBER 2 /* 1.  1)  (1)  1: */
#define DOGE_EXTRACT_MARKER_LETTER 3 /* a)  (a)  a.  A) */

/* How the reply was laid out. */
#define DOGE_EXTRACT_STYLE_EMPTY 0   /* no bullets */
#define DOGE_EXTRACT_STYLE_MARKERS 1 /* a marked list: only marked items count */
#define DOGE_EXTRACT_STYLE_LINES 2   /* no markers: one item per line */

typedef struct doge_extract doge_extract;

/* One bullet. text and redacted are NUL-terminated; redacted == text when
 * flags is 0. */
typedef struct doge_extract_bullet {
    const char *text;    /* exact text: marker and surrounding whitespace removed,
                          * wrapped lines joined with one space */
    size_t len;
    const char *redacted; /* text with every flagged span replaced by "[REDACTED]" */
    size_t redacted_len;
    unsigned flags;       /* DOGE_EXTRACT_FLAG_* */
    int marker;           /* DOGE_EXTRACT_MARKER_* */
    uint32_t line;        /* first line in the body (1-based) */
    uint32_t lines;       /* body lines it spans */
} doge_extract_bullet;

/* One stripped region: body lines first_line .. first_line + lines - 1. */
typedef struct doge_extract_span {
    unsigned kind; /* one DOGE_EXTRACT_STRIP_* bit */
    uint32_t first_line;
    uint32_t lines;
} doge_extract_span;

typedef struct doge_extract_result {
    const doge_extract_bullet *bullets;
    size_t count;
    const doge_extract_span *spans; /* in line order */
    size_t span_count;
    unsigned stripped_kinds; /* OR of spans' kinds */
    unsigned flags;          /* OR of the bullets' flags, plus CLASSIFICATION for a banner */
    int auto_reply;          /* 1 when the text reads as an out-of-office reply (no bullets) */
    int style;               /* DOGE_EXTRACT_STYLE_* */
    uint32_t lines;          /* lines in the body */
} doge_extract_result;

/* Creates an extractor (no request set). */
DOGE_EXTERN int doge_extract_new(doge_extract **out);

/* Releases x and its last result. x may be NULL. */
DOGE_EXTERN void doge_extract_free(doge_extract *x);

/* Tells x the campaign's request so that copies of it in replies (quoted,
 * re-wrapped or pasted without any header) are recognised and stripped.
 * subject may be NULL; text is the request body as sent, or at least its
 * first line (len bytes, need not be NUL-terminated). Both NULL clears it.
 * The text is copied. DOGE_ELIMIT past DOGE_EXTRACT_MAX_REQUEST. */
DOGE_EXTERN int doge_extract_set_request(doge_extract *x, const char *subject, const char *text,
                                         size_t len);

/* Extracts the bullets of one reply body (len bytes of UTF-8 text, LF or
 * CRLF line ends; need not be NUL-terminated; NULL only with len 0). flags is
 * a mix of DOGE_EXTRACT_FLOWED and DOGE_EXTRACT_DELSP. *out points to the
 * result owned by x (see Ownership). DOGE_EINVAL for bad arguments,
 * DOGE_ELIMIT past DOGE_EXTRACT_MAX_BODY or when the working memory (about
 * 32 bytes a line) would pass 64 MiB (two million lines), DOGE_ENOMEM. x
 * stays usable after a failure. */
DOGE_EXTERN int doge_extract_run(doge_extract *x, const char *body, size_t len, unsigned flags,
                                 const doge_extract_result **out);

/* 1 when the text (len bytes; '>' quoted lines ignored; the first KiB of
 * it, whitespace collapsed) reads as an English out-of-office or automatic
 * reply, else 0 (also for NULL). doge_extract_run() applies the same test
 * to what is left of a reply after stripping, except that in a marked list
 * of two or more items only an unmarked line with an explicit phrase
 * ("Automatic reply: ...") counts. */
DOGE_EXTERN int doge_extract_is_auto_reply_text(const char *text, size_t len);

/* Scans len bytes of text for the policy flags and, when redacted is not
 * NULL, appends the text with every flagged span replaced by "[REDACTED]".
 * *flags gets the DOGE_EXTRACT_FLAG_* found. For attachment text and other
 * callers; doge_extract_run() applies the same scan to each bullet. */
DOGE_EXTERN int doge_extract_scan_policy(const char *text, size_t len, unsigned *flags,
                                         doge_buf *redacted);

/* Short constant names: "quoted", "signature", ... for one strip bit;
 * "link", "classification", "ssn" for one flag bit; "?" when unknown. */
DOGE_EXTERN const char *doge_extract_strip_name(unsigned kind);
DOGE_EXTERN const char *doge_extract_flag_name(unsigned flag);

/* Appends a one-line explanation of what r stripped, in line order, e.g.
 * "greeting line 1; signature lines 8-10; quoted lines 12-30" ("nothing
 * stripped" when there was nothing). */
DOGE_EXTERN int doge_extract_explain(const doge_extract_result *r, doge_buf *out);

#ifdef __cplusplus
}
#endif
#endif
