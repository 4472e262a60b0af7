/*
 * extract_internal.h — what the pulse extractor's source files share: the
 * logical-line record the core builds from a body, the line rules of
 * extract_rules.c (each answers one question about one line, such as "is
 * this an Outlook header block" or "is this a sign-off"), the request
 * matcher of extract_request.c, the auto-reply scorer and the policy scanner.
 * Not installed; names start with doge__x.
 *
 * Ownership: line records point into the body or into the extractor's arena
 * and live for one doge_extract_run(); no function here allocates.
 */
#ifndef DOGE_EXTRACT_INTERNAL_H
#define DOGE_EXTRACT_INTERNAL_H

#include "doge/extract.h"
#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* One logical line: a physical line, or with format=flowed a whole flowed
 * paragraph. s starts after the quote prefix and leading whitespace; n
 * excludes trailing whitespace, so a blank line has n == 0. */
typedef struct doge__xline {
    const char *s;
    uint32_t n;
    uint32_t line;   /* first physical line, 1-based */
    uint32_t nphys;  /* physical lines it spans */
    uint16_t indent; /* columns of leading whitespace (a tab counts 4) */
    uint16_t kind;   /* 0: reply text; else the DOGE_EXTRACT_STRIP_* bit */
    uint16_t mlen;   /* bytes of marker and the whitespace after it */
    uint16_t cols;   /* display columns with the indent (reply lines, for wrapping) */
    uint8_t quote;   /* '>' quote depth */
    uint8_t marker;  /* DOGE_EXTRACT_MARKER_* once markers are looked for */
    uint8_t aux;     /* DOGE__X_AUX_* */
} doge__xline;

#define DOGE__X_AUX_REQ_SHORT 1u /* a 1-2 word line whose words occur in the request */
#define DOGE__X_AUX_RAW 2u       /* s, n are still the raw line (see extract.c) */

/* ---- characters ----------------------------------------------------- */

#define DOGE__X_C_ALNUM 1u /* ASCII letter or digit */
#define DOGE__X_C_UPPER 2u /* A-Z */
#define DOGE__X_C_DIGIT 4u /* 0-9 */
#define DOGE__X_C_SPAN 8u  /* may start a policy span: h w f (any case), digits, capitals, ( / */

extern const unsigned char doge__x_cls[256];

static inline int doge__x_lc(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int doge__x_alnum(unsigned char c)
{
    return doge__x_cls[c] & DOGE__X_C_ALNUM;
}

static inline int doge__x_digit(unsigned char c)
{
    return doge__x_cls[c] & DOGE__X_C_DIGIT;
}

/* Bytes of horizontal whitespace at s (space, tab, NBSP U+00A0, U+3000,
 * zero-width space U+200B), 0 when none. */
static inline size_t doge__x_ws(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] == ' ' || u[0] == '\t' || u[0] == '\r' || u[0] == '\f' || u[0] == '\v')
        return 1;
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0x8B)
        return 3;
    return 0;
}

/* Length of s without trailing whitespace (as doge__x_ws). */
size_t doge__x_rtrim(const char *s, size_t n);

/* Display columns (code points) of n bytes of UTF-8. */
size_t doge__x_cols(const char *s, size_t n);

/* 1 when the first code point is an upper-case letter, or a letter of a
 * script without case (CJK, Arabic ...); 0 otherwise. */
int doge__x_upper_start(const char *s, size_t n);

/* 1 when the first code point is a lower-case letter. */
int doge__x_lower_start(const char *s, size_t n);

/* Length of lit when s starts with it, ignoring ASCII case; else 0. */
size_t doge__x_prefix_ci(const char *s, size_t n, const char *lit);

/* 1 when s contains lit, ignoring ASCII case (lit is lower-case). */
int doge__x_has_ci(const char *s, size_t n, const char *lit);

/* The first occurrence of the k bytes of needle in s, or NULL (memmem is
 * not in C11 or POSIX). */
const char *doge__x_find(const char *s, size_t n, const char *needle, size_t k);

/* A phrase table: count elements of stride bytes, each starting with its
 * phrase (a lower-case const char *), sorted by first byte; and filters
 * over the first three and five bytes of every phrase, built once by
 * doge__x_table_init() (ready then; until then the table is scanned
 * without it). */
#define DOGE__X_TABLE_WORDS 2 /* a table has at most 128 phrases */
typedef struct doge__xtable {
    const void *base;
    size_t stride;
    size_t count;
    int ready;          /* the filters are built */
    int five;           /* every phrase has five bytes or more: bloom5 is used */
    uint64_t bloom[64];  /* first three bytes */
    uint64_t bloom5[64]; /* first five bytes */
} doge__xtable;

#define DOGE__X_TABLE(arr) {(arr), sizeof(arr)[0], sizeof(arr) / sizeof(arr)[0], 0, 0, {0}, {0}}

void doge__x_table_init(doge__xtable *t);

/* Looks for the table's phrases at the word starts of s, ignoring case.
 * With bits NULL returns 1 at the first match; else sets bit k of bits
 * (DOGE__X_TABLE_WORDS words) for each phrase k found and returns 1 when
 * any was. */
int doge__x_table_scan(const doge__xtable *t, const char *s, size_t n, uint64_t *bits);

/* 1 when the table is lower-case, sorted by first byte and not too long. */
int doge__x_table_sorted(const doge__xtable *t);

/* 1 when every phrase list of the line rules is in the form
 * doge__x_table_scan() needs (for the unit tests). */
int doge__x_rules_check(void);

/* 1 when s is exactly lit. */
int doge__x_eq(const char *s, size_t n, const char *lit);

/* ---- line rules (extract_rules.c) -------------------------------------- */

/* The list marker at the start of s (after indentation): its kind
 * (DOGE_EXTRACT_MARKER_*, 0 for none) and in *mlen the bytes of the marker
 * and the whitespace after it. */
int doge__x_marker(const char *s, size_t n, size_t *mlen);

/* 1 for a signature delimiter: "-- " (or "--" once trailing space is gone). */
int doge__x_sig_delim(const doge__xline *l);

/* Lines (1-3) of an "On ... wrote:" attribution starting at lines[i]; 0. */
size_t doge__x_attribution(const doge__xline *lines, size_t i, size_t n);

/* 1 when lines[i] opens an Outlook header block ("From:" then "Sent:" or
 * "Date:" and "To:" or "Subject:" within the next lines). */
int doge__x_outlook_header(const doge__xline *lines, size_t i, size_t n);

/* 1 for "-----Original Message-----", "-------- Original message --------",
 * "---------- Forwarded message ---------", "Begin forwarded message:". */
int doge__x_original(const char *s, size_t n);

/* 1 for Lotus Notes' one-line quote header: "HR ---02/22/2025 04:47:17
 * PM---Please reply ...". */
int doge__x_lotus_header(const char *s, size_t n);

/* 1 for an original() line that introduces a forwarded message. */
int doge__x_forward(const char *s, size_t n);

/* 1 for a mail header line in a quote block ("From:", "Sent:", "To:" ...). */
int doge__x_header_line(const doge__xline *l);

/* 1 for a "Subject: FW: ..." or "Subject: Fwd: ..." header line. */
int doge__x_forward_subject(const doge__xline *l);

/* 1 for a rule of one repeated character ("_____", "=====", "-----"). */
int doge__x_separator(const char *s, size_t n);

/* 1 for an inline-image placeholder ("[cid:image001.png@...]", "[image: x]"). */
int doge__x_image(const char *s, size_t n);

/* 1 for "Sent from my iPhone" and other mobile-client footers. */
int doge__x_mobile(const char *s, size_t n);

/* 1 for a sign-off line ("Thanks,", "V/r", "Best regards, Ana"). */
int doge__x_signoff(const char *s, size_t n);

/* 1 when lines[i] opens a legal or confidentiality disclaimer. */
int doge__x_disclaimer(const doge__xline *lines, size_t i, size_t n);

/* 1 when lines[i] opens an external-sender warning paragraph. */
int doge__x_external(const doge__xline *lines, size_t i, size_t n);

/* 1 when s is only a classification banner ("UNCLASSIFIED", "CUI",
 * "SECRET//NOFORN"); *flags gets DOGE_EXTRACT_FLAG_CLASSIFICATION unless it
 * marks the text unclassified. */
int doge__x_banner(const char *s, size_t n, unsigned *flags);

/* 1 for a greeting line ("Hi Jane,", "Good morning all!", "Team,"). */
int doge__x_greeting(const char *s, size_t n);

/* 1 for an introduction ("Here are my bullets:", "As requested, see below"). */
int doge__x_intro(const char *s, size_t n);

/* 1 for a closing remark ("Let me know if you have questions."). */
int doge__x_outro(const char *s, size_t n);

/* 1 when s (leading -, ~ and trailing . , removed) reads as a person's name:
 * 1-4 capitalised words or initials, name particles allowed, no digits. */
int doge__x_name_like(const char *s, size_t n);

/* 1 when s holds a phone number, an e-mail address or a "Cell:" style label. */
int doge__x_contact(const char *s, size_t n);

/* 1 when s reads as a job title or office in a signature ("Program
 * Analyst", "Office of the CIO | GSA"). */
int doge__x_title_like(const char *s, size_t n);

/* 1 when the last word of s is one a wrapped line may end on but a finished
 * item does not ("the", "of", "and", a trailing comma ...). */
int doge__x_dangling(const char *s, size_t n);

/* ---- auto-replies (extract_auto.c) ----------------------------------- */

/* The normalised text the auto-reply scorer reads is at most this long:
 * an out-of-office message says what it is in its first lines. */
#define DOGE__X_AUTO_WINDOW 1024

/* Appends n bytes of s to out (capacity cap, length *len) lower-cased, with
 * whitespace runs as one space and ’ as '. */
void doge__x_normalize(const char *s, size_t n, char *out, size_t cap, size_t *len);

/* 1 when normalised text reads as an out-of-office reply; listy is 1 when
 * the reply is a marked list of two or more items (then only an explicit
 * "automatic reply" phrase counts). */
int doge__x_auto_reply(const char *norm, size_t n, int listy);

/* 1 when s holds an explicit "automatic reply" phrase (any case). */
int doge__x_auto_explicit(const char *s, size_t n);

/* 1 when the auto-reply phrase tables are sorted (for the unit tests). */
int doge__x_auto_check(void);

/* ---- request copies (extract_request.c) ------------------------------ */

typedef struct doge__xreq {
    uint64_t *slots; /* open addressing; 0 is empty */
    size_t cap;      /* power of two, 0 when no request is set */
    size_t count;
} doge__xreq;

/* Builds the n-gram set of subject and text (either may be NULL). */
int doge__x_req_build(doge__xreq *r, const char *subject, const char *text, size_t len);

void doge__x_req_free(doge__xreq *r);

/* 1 when s is a line of the request; *short_hit is set to 1 for a 1-2 word
 * line whose words occur in the request (decided by its neighbours). */
int doge__x_req_line(const doge__xreq *r, const char *s, size_t n, int *short_hit);

/* ---- policy (extract_policy.c) --------------------------------------- */

/* Scans s: returns the DOGE_EXTRACT_FLAG_* found, *spans the number of
 * flagged spans and *redacted_len the length of the redacted text. */
unsigned doge__x_policy_measure(const char *s, size_t n, size_t *spans, size_t *redacted_len);

/* Writes the redacted text of s to out (room for the measured length + 1)
 * and NUL-terminates it. */
void doge__x_policy_redact(const char *s, size_t n, char *out);

#endif
