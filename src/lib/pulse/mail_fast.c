/*
 * mail_fast.c — a hand-written reader for the plain messages that make up
 * almost all of a week's replies, so that doge_mail_parse() does not need
 * GMime for them. Measured reason (bench/pulse.sh on the 2-core bench
 * machine): GMime builds a GObject tree per message and parses about 15,000
 * to 17,500 messages/s on one core, and doge_mail_parse() over it reached
 * 10,800/s, so the 2.3M-employee week (2.03M replies) needed about 190 s of
 * parsing alone against a 60 s target for everything; with this reader
 * doge_mail_parse() does the same mbox at 73,000-76,000 messages/s
 * (bench_mbox_gmime prints both rates).
 *
 * It reads only what it can read exactly as the GMime path does: a header
 * section of well-formed "Name: value" lines (folding allowed), one leaf
 * part or one level of multipart/alternative, multipart/mixed or
 * multipart/report (a bounce: message/delivery-status and
 * text/rfc822-headers parts) whose parts are leaves, the transfer encodings
 * 7bit, 8bit, binary, quoted-printable and base64 (GMime's own decoding
 * rules: "=\n" soft breaks, bad "=" sequences kept literally, base64 up to
 * the first "="), parameters as plain tokens or quoted strings, address
 * lists of plain mailboxes, message ids of the form <dot-atom@dot-atom>,
 * and RFC 5322 dates with a numeric zone. Anything else (a comment, a
 * group, an encoded-word, RFC 2231 parameters, a nested multipart, a
 * message part other than a report's delivery status, S/MIME, a CR, a NUL,
 * a duplicated header that GMime would resolve, invalid base64, a cut-off
 * message...) makes it decline (DOGE__FM_DECLINE) and the caller uses
 * GMime. tests/unit/test_mail_fast.c checks that whatever it accepts gives
 * the same doge_mail as GMime.
 *
 * Ownership: doge__fm views the message it was given (which must outlive
 * it) and owns the decoded content in fm->decoded.
 */
#include "doge/mail.h"
#include "mail_internal.h"

#include <string.h>
#include <strings.h>

/* ---- characters ------------------------------------------------------------- */

/* Character classes (one table lookup): RFC 5322 atext, RFC 2045 token
 * characters (both counting bytes past 0x7F in, as GMime does; callers
 * check the text is valid UTF-8), blanks and line ends, what an address
 * list may not hold here ("()[]:;\\" and NUL: comments, literals, groups,
 * escapes), and 8-bit bytes. */
enum { C_ATEXT = 1, C_TTOKEN = 2, C_LWSP = 4, C_NOADDR = 8, C_8BIT = 16 };
static const unsigned char cclass[256] = {
     8,  0,  0,  0,  0,  0,  0,  0,  0,  4,  4,  0,  0,  4,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     4,  3,  0,  3,  3,  3,  3,  3,  8,  8,  3,  3,  0,  3,  2,  1,
     3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  8,  8,  0,  1,  0,  1,
     0,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,
     3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  8,  8,  8,  3,  3,
     3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,
     3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  0,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
    19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19, 19,
};

static int is_lwsp(unsigned char c) { return cclass[c] & C_LWSP; }
static int is_atext(unsigned char c) { return cclass[c] & C_ATEXT; }
static int is_ttoken(unsigned char c) { return cclass[c] & C_TTOKEN; }

static int has_encoded_word(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '=' && s[i + 1] == '?')
            return 1;
    return 0;
}

static int ci_prefix(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncasecmp(s, prefix, k) == 0;
}

static int ci_equal(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_lwsp((unsigned char)(*s)[0])) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_lwsp((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* ---- header sections ---------------------------------------------------------- */

/* Reads the header lines at s[*pos..n) up to and past the empty line that
 * ends them. Lines must be "name:value" with a name of printable ASCII and
 * no space, or continuation lines; in a part's section a line starting with
 * "--" declines (it may be a boundary). On success *pos is the start of the
 * content. */
static int scan_headers(const char *s, size_t n, size_t *pos, doge__fm_header *h, size_t *nh,
                        size_t max, int top)
{
    size_t p = *pos, count = 0;
    for (;;) {
        if (p >= n)
            return DOGE__FM_DECLINE; /* no empty line: cut off */
        const char *nl = memchr(s + p, '\n', n - p);
        if (!nl)
            return DOGE__FM_DECLINE;
        size_t e = (size_t)(nl - s);
        if (e == p) { /* the empty line */
            *pos = e + 1;
            *nh = count;
            return DOGE_OK;
        }
        if (memchr(s + p, '\0', e - p))
            return DOGE__FM_DECLINE;
        if (s[p] == ' ' || s[p] == '\t') {
            if (!count)
                return DOGE__FM_DECLINE;
            h[count - 1].raw_len = e + 1 - (size_t)(h[count - 1].raw - s);
            p = e + 1;
            continue;
        }
        if (!top && e - p >= 2 && s[p] == '-' && s[p + 1] == '-')
            return DOGE__FM_DECLINE;
        size_t k = p;
        while (k < e && s[k] > 0x20 && s[k] < 0x7f && s[k] != ':')
            k++;
        if (k == p || k == e || s[k] != ':')
            return DOGE__FM_DECLINE;
        if (count == max)
            return DOGE__FM_DECLINE;
        h[count].name = s + p;
        h[count].name_len = k - p;
        h[count].raw = s + k + 1;
        h[count].raw_len = e - k;
        count++;
        p = e + 1;
    }
}

/* ---- Content-Type and Content-Disposition -------------------------------------- */

struct params {
    const char *names[6];
    char *values[6];
    size_t caps[6];
    int *have[6];
    size_t count;
};

/* Stores one parameter value (unquoted) when its name is one we want. */
static int param_store(struct params *ps, const char *name, size_t nl, const char *v, size_t vl)
{
    for (size_t i = 0; i < ps->count; i++) {
        if (!ci_equal(name, nl, ps->names[i]))
            continue;
        if (*ps->have[i] || vl >= ps->caps[i] || memchr(v, '\0', vl))
            return DOGE__FM_DECLINE; /* duplicated, or too long to keep */
        if (!doge__mail_utf8_valid(v, vl) || has_encoded_word(v, vl))
            return DOGE__FM_DECLINE; /* GMime would re-decode it */
        memcpy(ps->values[i], v, vl);
        ps->values[i][vl] = '\0';
        *ps->have[i] = 1;
    }
    return DOGE_OK;
}

/* Parses "; name=value" parameters at s[0..n) the way GMime's loose
 * parameter parser reads plain ones: a token value runs to the next ';'
 * (trailing blanks dropped), a quoted value ends at its quote. */
static int parse_params(const char *s, size_t n, struct params *ps)
{
    size_t i = 0;
    for (;;) {
        while (i < n && is_lwsp((unsigned char)s[i]))
            i++;
        if (i == n)
            return DOGE_OK;
        size_t ns = i;
        while (i < n && is_ttoken((unsigned char)s[i]) && s[i] != '*')
            i++;
        size_t nl = i - ns;
        if (!nl || (s[ns] & 0x80))
            return DOGE__FM_DECLINE;
        while (i < n && is_lwsp((unsigned char)s[i]))
            i++;
        if (i == n || s[i] != '=')
            return DOGE__FM_DECLINE;
        i++;
        while (i < n && is_lwsp((unsigned char)s[i]))
            i++;
        const char *v;
        size_t vl;
        if (i < n && s[i] == '"') {
            size_t q = ++i;
            while (i < n && s[i] != '"') {
                if (s[i] == '\\')
                    return DOGE__FM_DECLINE;
                i++;
            }
            if (i == n)
                return DOGE__FM_DECLINE;
            v = s + q;
            vl = i - q;
            i++;
            while (i < n && is_lwsp((unsigned char)s[i]))
                i++;
            if (i < n && s[i] != ';')
                return DOGE__FM_DECLINE;
        } else {
            size_t q = i;
            while (i < n && s[i] != ';') {
                if (s[i] == '(' || s[i] == '"')
                    return DOGE__FM_DECLINE;
                i++;
            }
            v = s + q;
            vl = i - q;
            while (vl && is_lwsp((unsigned char)v[vl - 1]))
                vl--;
            if (!vl)
                return DOGE__FM_DECLINE;
        }
        int rc = param_store(ps, s + ns, nl, v, vl);
        if (rc != DOGE_OK)
            return rc;
        if (i == n)
            return DOGE_OK;
        i++; /* the ';' */
    }
}

struct ctype {
    char type[128]; /* "type/subtype", lowercased */
    char charset[64], format[32], delsp[32], boundary[200], name[256], report_type[64];
    int has_charset, has_format, has_delsp, has_boundary, has_name, has_report_type;
};

static int parse_ctype(const char *s, size_t n, struct ctype *ct)
{
    size_t i = 0;
    while (i < n && is_lwsp((unsigned char)s[i]))
        i++;
    size_t ts = i;
    while (i < n && is_ttoken((unsigned char)s[i]))
        i++;
    size_t tl = i - ts;
    if (!tl || i == n || s[i] != '/')
        return DOGE__FM_DECLINE;
    size_t ss = ++i;
    while (i < n && is_ttoken((unsigned char)s[i]))
        i++;
    size_t sl = i - ss;
    if (!sl || tl + sl + 2 > sizeof ct->type)
        return DOGE__FM_DECLINE;
    for (size_t k = 0; k < tl + sl + 1; k++) {
        char c = s[ts + k];
        ct->type[k] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    ct->type[tl + sl + 1] = '\0';
    for (size_t k = 0; ct->type[k]; k++)
        if ((unsigned char)ct->type[k] >= 0x80)
            return DOGE__FM_DECLINE;
    while (i < n && is_lwsp((unsigned char)s[i]))
        i++;
    if (i == n)
        return DOGE_OK;
    if (s[i] != ';')
        return DOGE__FM_DECLINE;
    i++;
    struct params ps = {
        {"charset", "format", "delsp", "boundary", "name", "report-type"},
        {ct->charset, ct->format, ct->delsp, ct->boundary, ct->name, ct->report_type},
        {sizeof ct->charset, sizeof ct->format, sizeof ct->delsp, sizeof ct->boundary,
         sizeof ct->name, sizeof ct->report_type},
        {&ct->has_charset, &ct->has_format, &ct->has_delsp, &ct->has_boundary, &ct->has_name,
         &ct->has_report_type},
        6};
    return parse_params(s + i, n - i, &ps);
}

/* Content-Disposition: the value before ';' (trimmed) and the filename. */
static int parse_disposition(const char *s, size_t n, doge__fm_part *p)
{
    const char *semi = memchr(s, ';', n);
    const char *v = s;
    size_t vl = semi ? (size_t)(semi - s) : n;
    trim(&v, &vl);
    if (memchr(v, '(', vl) || memchr(v, '"', vl))
        return DOGE__FM_DECLINE;
    if (ci_equal(v, vl, "attachment"))
        p->disposition = DOGE__FM_DISP_ATTACHMENT;
    else if (ci_equal(v, vl, "inline"))
        p->disposition = DOGE__FM_DISP_INLINE;
    else
        p->disposition = DOGE__FM_DISP_OTHER;
    if (!semi)
        return DOGE_OK;
    int have_fn = 0;
    struct params ps = {{"filename"}, {p->filename}, {sizeof p->filename}, {&have_fn}, 1};
    int rc = parse_params(semi + 1, n - (size_t)(semi + 1 - s), &ps);
    if (rc == DOGE_OK && have_fn)
        p->has_filename = 1;
    return rc;
}

/* ---- transfer encodings --------------------------------------------------------- */

static int hexval(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Quoted-printable as GMime decodes it: "=XX" (either case) is a byte, "=\n"
 * and "=\r\n" are soft breaks, any other "=" sequence is kept as it is and a
 * trailing "=" or "=X" is dropped. */
static int qp_decode(doge_buf *out, const unsigned char *in, size_t len)
{
    int rc = doge_buf_reserve(out, len);
    if (rc != DOGE_OK)
        return rc;
    unsigned char *o = (unsigned char *)out->data + out->len;
    size_t i = 0;
    while (i < len) {
        const unsigned char *eq = memchr(in + i, '=', len - i);
        size_t run = eq ? (size_t)(eq - in) - i : len - i;
        memcpy(o, in + i, run);
        o += run;
        i += run;
        if (!eq)
            break;
        i++; /* '=' */
        if (i >= len)
            break;
        unsigned char a = in[i++];
        if (a == '\n')
            continue;
        if (i >= len)
            break;
        unsigned char b = in[i++];
        if (hexval(a) >= 0 && hexval(b) >= 0)
            *o++ = (unsigned char)(hexval(a) << 4 | hexval(b));
        else if (!(a == '\r' && b == '\n')) {
            *o++ = '=';
            *o++ = a;
            *o++ = b;
        }
    }
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return DOGE_OK;
}

/* Base64 symbols' values; -2 for '=', -3 for blanks and line ends, -1 for
 * anything else. */
static const signed char b64_rank[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -3, -3, -1, -1, -3, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -2, -1, -1,
    -1,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/* Base64 as GMime decodes it (characters outside the alphabet skipped, the
 * first '=' ends the data), for input the GMime path would not call
 * invalid: only the alphabet, '=' and blanks, and not one symbol more than a
 * multiple of four. Declines otherwise. */
static int b64_decode(doge_buf *out, const unsigned char *in, size_t len)
{
    int rc = doge_buf_reserve(out, len / 4 * 3 + 3);
    if (rc != DOGE_OK)
        return rc;
    unsigned char *o = (unsigned char *)out->data + out->len;
    uint32_t saved = 0;
    int k = 0, ended = 0;
    size_t sym = 0;
    for (size_t i = 0; i < len; i++) {
        int r = b64_rank[in[i]];
        if (r >= 0) {
            sym++;
            if (ended)
                continue; /* counted, as GMime's check counts it, not decoded */
            saved = saved << 6 | (uint32_t)r;
            if (++k == 4) {
                *o++ = (unsigned char)(saved >> 16);
                *o++ = (unsigned char)(saved >> 8);
                *o++ = (unsigned char)saved;
                saved = 0;
                k = 0;
            }
        } else if (r == -1)
            return DOGE__FM_DECLINE; /* the GMime path notes invalid base64 */
        else if (r == -2 && !ended) {
            if (k > 1) {
                saved <<= 6 * (4 - k);
                *o++ = (unsigned char)(saved >> 16);
                if (k > 2)
                    *o++ = (unsigned char)(saved >> 8);
            }
            ended = 1;
        }
    }
    if (sym % 4 == 1)
        return DOGE__FM_DECLINE;
    out->len = (size_t)((char *)o - out->data);
    out->data[out->len] = '\0';
    return DOGE_OK;
}

enum { CTE_NONE, CTE_QP, CTE_B64 };

static int parse_cte(const char *s, size_t n, int *cte)
{
    trim(&s, &n);
    if (ci_equal(s, n, "7bit") || ci_equal(s, n, "8bit") || ci_equal(s, n, "binary"))
        *cte = CTE_NONE;
    else if (ci_equal(s, n, "quoted-printable"))
        *cte = CTE_QP;
    else if (ci_equal(s, n, "base64"))
        *cte = CTE_B64;
    else
        return DOGE__FM_DECLINE;
    return DOGE_OK;
}

/* ---- parts ---------------------------------------------------------------------- */

/* The Content-* facts of one part from its header lines. Declines on
 * anything this reader does not handle exactly. */
static int read_part(const doge__fm_header *h, size_t nh, doge__fm_part *p, struct ctype *ct,
                     int *cte)
{
    int seen_ct = 0, seen_cte = 0, seen_cd = 0;
    memset(ct, 0, sizeof *ct);
    memset(p, 0, sizeof *p);
    *cte = CTE_NONE;
    for (size_t i = 0; i < nh; i++) {
        const doge__fm_header *x = &h[i];
        if (x->name_len < 12 || (x->name[0] | 0x20) != 'c')
            continue; /* not Content-Type (the shortest of the three) */
        int kind = ci_equal(x->name, x->name_len, "Content-Type")                ? 1
                   : ci_equal(x->name, x->name_len, "Content-Transfer-Encoding") ? 2
                   : ci_equal(x->name, x->name_len, "Content-Disposition")       ? 3
                                                                                 : 0;
        if (!kind)
            continue;
        /* GMime reads these from the unfolded, RFC 2047-decoded value */
        char v[1024];
        size_t vl = 0;
        const char *r = x->raw;
        size_t rl = x->raw_len;
        trim(&r, &rl);
        for (size_t k = 0; k < rl; k++)
            if (r[k] != '\n' && r[k] != '\r') {
                if (vl == sizeof v)
                    return DOGE__FM_DECLINE;
                v[vl++] = r[k];
            }
        if (!doge__fm_text_ok(v, vl))
            return DOGE__FM_DECLINE;
        int rc;
        if (kind == 1) {
            if (seen_ct++)
                return DOGE__FM_DECLINE;
            rc = parse_ctype(v, vl, ct);
        } else if (kind == 2) {
            if (seen_cte++)
                return DOGE__FM_DECLINE;
            rc = parse_cte(v, vl, cte);
        } else {
            if (seen_cd++)
                return DOGE__FM_DECLINE;
            rc = parse_disposition(v, vl, p);
        }
        if (rc != DOGE_OK)
            return rc;
    }
    if (!seen_ct)
        strcpy(ct->type, "text/plain");
    const char *t = ct->type;
    /* message parts are GMime message objects (but the reports of a DSN,
     * which GMime reads as plain parts) */
    if ((!strncmp(t, "message/", 8) && strcmp(t, "message/delivery-status") != 0 &&
         strcmp(t, "message/global-delivery-status") != 0) ||
        !strcmp(t, "application/pkcs7-mime") || !strcmp(t, "application/x-pkcs7-mime"))
        return DOGE__FM_DECLINE;
    memcpy(p->type, ct->type, sizeof p->type);
    if (ct->has_charset) {
        memcpy(p->charset, ct->charset, sizeof p->charset);
        p->has_charset = 1;
    }
    if (ct->has_format) {
        memcpy(p->format, ct->format, sizeof p->format);
        p->has_format = 1;
    }
    if (ct->has_delsp) {
        memcpy(p->delsp, ct->delsp, sizeof p->delsp);
        p->has_delsp = 1;
    }
    if (!p->has_filename && ct->has_name) {
        memcpy(p->filename, ct->name, sizeof ct->name < sizeof p->filename ? sizeof ct->name
                                                                          : sizeof p->filename);
        p->has_filename = 1;
    }
    return DOGE_OK;
}

/* Decodes a leaf's content s[0..n) into the part (offset into fm->decoded
 * when it needed decoding; fixed up at the end). */
static int decode_leaf(doge__fm *fm, doge__fm_part *p, int cte, const char *s, size_t n)
{
    if (cte == CTE_NONE) {
        p->data = s;
        p->len = n;
        p->decoded_at = (size_t)-1;
        return DOGE_OK;
    }
    size_t before = fm->decoded.len;
    int rc = cte == CTE_QP ? qp_decode(&fm->decoded, (const unsigned char *)s, n)
                           : b64_decode(&fm->decoded, (const unsigned char *)s, n);
    if (rc != DOGE_OK)
        return rc;
    p->decoded_at = before;
    p->len = fm->decoded.len - before;
    return DOGE_OK;
}

/* Where the line starting at s[p] ends (its '\n', or n). */
static size_t line_end(const char *s, size_t n, size_t p)
{
    const char *nl = memchr(s + p, '\n', n - p);
    return nl ? (size_t)(nl - s) : n;
}

enum { LINE_TEXT, LINE_BOUNDARY, LINE_FINAL };

static int classify(const char *s, size_t p, size_t e, const char *delim, size_t dl, int *kind)
{
    *kind = LINE_TEXT;
    if (e - p < dl || memcmp(s + p, delim, dl) != 0)
        return DOGE_OK;
    if (e - p == dl)
        *kind = LINE_BOUNDARY;
    else if (e - p == dl + 2 && s[p + dl] == '-' && s[p + dl + 1] == '-')
        *kind = LINE_FINAL;
    else
        return DOGE__FM_DECLINE; /* GMime's lenient reading would be needed */
    return DOGE_OK;
}

static int read_multipart(doge__fm *fm, const char *s, size_t n, size_t pos, const char *boundary)
{
    char delim[210];
    size_t dl = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
    if (dl >= sizeof delim - 2)
        return DOGE__FM_DECLINE;
    /* the prologue, up to the first boundary line */
    int kind = LINE_TEXT, rc;
    size_t p = pos, e = pos;
    while (p < n) {
        e = line_end(s, n, p);
        if ((rc = classify(s, p, e, delim, dl, &kind)) != DOGE_OK)
            return rc;
        if (kind != LINE_TEXT)
            break;
        p = e + 1;
    }
    if (kind != LINE_BOUNDARY)
        return DOGE__FM_DECLINE; /* no parts, or no boundary at all */
    while (kind == LINE_BOUNDARY) {
        if (e >= n || fm->nparts == DOGE__FM_MAX_PARTS)
            return DOGE__FM_DECLINE;
        size_t hp = e + 1, nh;
        doge__fm_header h[DOGE__FM_MAX_PART_HEADERS];
        if ((rc = scan_headers(s, n, &hp, h, &nh, DOGE__FM_MAX_PART_HEADERS, 0)) != DOGE_OK)
            return rc;
        doge__fm_part *part = &fm->parts[fm->nparts];
        struct ctype ct;
        int cte;
        if ((rc = read_part(h, nh, part, &ct, &cte)) != DOGE_OK)
            return rc;
        if (!strncmp(part->type, "multipart/", 10))
            return DOGE__FM_DECLINE;
        /* the content, up to the next boundary line */
        size_t cs = hp;
        kind = LINE_TEXT;
        p = hp;
        while (p < n) {
            e = line_end(s, n, p);
            if ((rc = classify(s, p, e, delim, dl, &kind)) != DOGE_OK)
                return rc;
            if (kind != LINE_TEXT)
                break;
            p = e + 1;
        }
        if (kind == LINE_TEXT)
            return DOGE__FM_DECLINE; /* cut off: no closing boundary */
        size_t ce = p > cs ? p - 1 : cs; /* the last LF belongs to the boundary */
        if ((rc = decode_leaf(fm, part, cte, s + cs, ce - cs)) != DOGE_OK)
            return rc;
        fm->nparts++;
    }
    return DOGE_OK;
}

void doge__fm_init(doge__fm *fm)
{
    memset(fm, 0, sizeof *fm);
    doge_buf_init(&fm->decoded, DOGE_MAIL_MAX_SIZE);
}

void doge__fm_dispose(doge__fm *fm)
{
    if (fm)
        doge_buf_dispose(&fm->decoded);
}

int doge__fm_read(doge__fm *fm, const char *s, size_t n)
{
    fm->nheaders = 0;
    fm->nparts = 0;
    fm->multipart = 0;
    fm->has_report_type = 0;
    doge_buf_reset(&fm->decoded);
    if (memchr(s, '\r', n))
        return DOGE__FM_DECLINE; /* GMime's CR handling is not reproduced */
    size_t pos = 0, nh;
    doge__fm_header h[DOGE__FM_MAX_HEADERS];
    int rc = scan_headers(s, n, &pos, h, &nh, DOGE__FM_MAX_HEADERS, 1);
    if (rc != DOGE_OK)
        return rc;
    /* GMime's order: the message's own headers, then its part's Content-* */
    size_t ncontent = 0;
    unsigned char is_content[DOGE__FM_MAX_HEADERS];
    for (size_t i = 0; i < nh; i++)
        is_content[i] = (unsigned char)ci_prefix(h[i].name, h[i].name_len, "Content-");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nh; i++)
            if (is_content[i] == pass) {
                fm->headers[fm->nheaders++] = h[i];
                ncontent += (size_t)pass;
            }
    const doge__fm_header *content = fm->headers + (fm->nheaders - ncontent);
    doge__fm_part top;
    struct ctype ct;
    int cte;
    if ((rc = read_part(content, ncontent, &top, &ct, &cte)) != DOGE_OK)
        return rc;
    if (!strncmp(ct.type, "multipart/", 10)) {
        if (!strcmp(ct.type, "multipart/alternative"))
            fm->multipart = 1;
        else if (!strcmp(ct.type, "multipart/mixed"))
            fm->multipart = 2;
        else if (!strcmp(ct.type, "multipart/report")) {
            fm->multipart = 3;
            memcpy(fm->report_type, ct.report_type, sizeof fm->report_type);
            fm->has_report_type = ct.has_report_type;
        } else
            return DOGE__FM_DECLINE;
        if (!ct.has_boundary || !ct.boundary[0] || cte != CTE_NONE)
            return DOGE__FM_DECLINE;
        rc = read_multipart(fm, s, n, pos, ct.boundary);
    } else {
        fm->parts[0] = top;
        rc = decode_leaf(fm, &fm->parts[0], cte, s + pos, n - pos);
        if (rc == DOGE_OK)
            fm->nparts = 1;
    }
    if (rc != DOGE_OK)
        return rc;
    for (size_t i = 0; i < fm->nparts; i++)
        if (fm->parts[i].decoded_at != (size_t)-1)
            fm->parts[i].data = fm->decoded.len ? fm->decoded.data + fm->parts[i].decoded_at : "";
    return DOGE_OK;
}

/* ---- header values ----------------------------------------------------------------- */

/* A dot-atom at s[*i..n): atoms of atext separated by single dots. */
static int dot_atom(const char *s, size_t n, size_t *i)
{
    size_t p = *i;
    for (;;) {
        size_t a = p;
        while (p < n && is_atext((unsigned char)s[p]))
            p++;
        if (p == a)
            return 0;
        if (p < n && s[p] == '.' && p + 1 < n && is_atext((unsigned char)s[p + 1])) {
            p++;
            continue;
        }
        break;
    }
    *i = p;
    return 1;
}

/* local@domain at s[*i..n); declines on IDN ("xn--") labels, which GMime
 * decodes. */
static int addr_spec(const char *s, size_t n, size_t *i, size_t *start, size_t *len)
{
    size_t p = *i;
    *start = p;
    if (!dot_atom(s, n, &p) || p >= n || s[p] != '@')
        return 0;
    size_t d = ++p;
    if (!dot_atom(s, n, &p))
        return 0;
    for (size_t k = d; k < p; k++)
        if ((k == d || s[k - 1] == '.') && p - k >= 4 && !strncasecmp(s + k, "xn--", 4))
            return 0;
    *len = p - *start;
    *i = p;
    return 1;
}

static void skip_lwsp(const char *s, size_t n, size_t *i)
{
    while (*i < n && is_lwsp((unsigned char)s[*i]))
        (*i)++;
}

/* One encoded-word's payload decoded (B or Q) into out; DOGE__FM_DECLINE
 * for a payload GMime would read differently (bad base64, a "=" not
 * followed by two hex digits) or bytes that are not valid UTF-8. *padded
 * tells whether a base64 payload ended in "=" padding. */
static int decode_word(doge_buf *out, char enc, const char *p, size_t n, int *padded)
{
    size_t start = out->len;
    int rc = doge_buf_reserve(out, n);
    if (rc != DOGE_OK)
        return rc;
    *padded = 0;
    if (enc == 'B') {
        if (n % 4 != 0)
            return DOGE__FM_DECLINE;
        for (size_t i = 0; i < n; i++) {
            int r = b64_rank[(unsigned char)p[i]];
            if (r == -2 && i >= n - 2 && (i == n - 1 || p[n - 1] == '='))
                *padded = 1;
            else if (r < 0)
                return DOGE__FM_DECLINE;
        }
        if ((rc = b64_decode(out, (const unsigned char *)p, n)) != DOGE_OK)
            return rc;
    } else {
        char *o = out->data + out->len;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c == '=') {
                if (i + 2 >= n || hexval((unsigned char)p[i + 1]) < 0 ||
                    hexval((unsigned char)p[i + 2]) < 0)
                    return DOGE__FM_DECLINE;
                *o++ = (char)(hexval((unsigned char)p[i + 1]) << 4 | hexval((unsigned char)p[i + 2]));
                i += 2;
            } else if (c == '_')
                *o++ = ' ';
            else if (c <= 0x20 || c == 0x7f || c == '?')
                return DOGE__FM_DECLINE; /* (8-bit bytes pass as they are, as in GMime) */
            else
                *o++ = (char)c;
        }
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
    }
    if (memchr(out->data + start, '\0', out->len - start) ||
        !doge__mail_utf8_valid(out->data + start, out->len - start))
        return DOGE__FM_DECLINE;
    return DOGE_OK;
}

int doge__fm_decode_words(const char *s, size_t n, doge_buf *out)
{
    int prev = 0;      /* the previous word was encoded: 'B' or 'Q' */
    int prev_pad = 0;  /* ... and (base64) padded */
    size_t i = 0;
    while (i < n) {
        size_t ws = i;
        while (i < n && is_lwsp((unsigned char)s[i]))
            i++;
        size_t w = i;
        while (i < n && !is_lwsp((unsigned char)s[i]))
            i++;
        const char *word = s + w;
        size_t wl = i - w;
        int rc;
        if (wl >= 2 && word[0] == '=' && word[1] == '?') {
            /* =?utf-8?B|Q?payload?= and nothing else in the word */
            const char *q = memchr(word + 2, '?', wl - 2);
            if (!q || (size_t)(q - word) != 7 || strncasecmp(word + 2, "utf-8", 5) != 0 ||
                (size_t)(q - word) + 4 > wl || q[2] != '?' || word[wl - 2] != '?' ||
                word[wl - 1] != '=')
                return DOGE__FM_DECLINE;
            char enc = (char)(q[1] & ~0x20);
            const char *payload = q + 3;
            size_t pl = (size_t)(word + wl - 2 - payload);
            if ((enc != 'B' && enc != 'Q') || wl < 7 || pl == 0 || (q + 3 > word + wl - 2))
                return DOGE__FM_DECLINE;
            /* GMime decodes a run of base64 words as one stream: padding
             * inside the run would end it early */
            if (prev == 'B' && enc == 'B' && prev_pad)
                return DOGE__FM_DECLINE;
            if (!prev && (rc = doge_buf_append(out, s + ws, w - ws)) != DOGE_OK)
                return rc; /* blanks between encoded words are dropped */
            int pad;
            if ((rc = decode_word(out, enc, payload, pl, &pad)) != DOGE_OK)
                return rc;
            prev = enc;
            prev_pad = pad;
        } else {
            for (size_t k = 0; k + 1 < wl; k++)
                if (word[k] == '=' && word[k + 1] == '?')
                    return DOGE__FM_DECLINE; /* GMime splits the word there */
            if ((rc = doge_buf_append(out, s + ws, i - ws)) != DOGE_OK)
                return rc;
            prev = 0;
        }
    }
    return DOGE_OK;
}

/* Appends "addr\0name\0" for one mailbox; the name as GMime gives it for a
 * phrase of atoms and quoted strings: quotes removed, blanks at the ends
 * trimmed, inner blanks (line breaks of folding included) kept. */
static int put_mailbox(doge_buf *out, const char *addr, size_t al, const char *name, size_t nl)
{
    int rc = doge_buf_reserve(out, al + nl + 2);
    if (rc != DOGE_OK)
        return rc;
    memcpy(out->data + out->len, addr, al);
    out->len += al;
    out->data[out->len++] = '\0';
    /* quotes removed, encoded-words decoded, then g_strstrip: ASCII white
     * space off both ends */
    size_t mark = out->len, words = 0;
    for (size_t k = 0; k < nl; k++)
        if (name[k] != '"') {
            words += name[k] == '=' && k + 1 < nl && name[k + 1] == '?';
            out->data[out->len++] = name[k];
        }
    if (words) {
        doge_buf unquoted;
        doge_buf_init(&unquoted, 0);
        rc = doge_buf_append(&unquoted, out->data + mark, out->len - mark);
        out->len = mark;
        if (rc == DOGE_OK)
            rc = doge__fm_decode_words(unquoted.data, unquoted.len, out);
        doge_buf_dispose(&unquoted);
        if (rc == DOGE_OK)
            rc = doge_buf_reserve(out, 2);
        if (rc != DOGE_OK)
            return rc;
    }
    size_t a = mark, b = out->len;
    while (a < b && (out->data[a] == ' ' || (out->data[a] >= '\t' && out->data[a] <= '\r')))
        a++;
    while (b > a &&
           (out->data[b - 1] == ' ' || (out->data[b - 1] >= '\t' && out->data[b - 1] <= '\r')))
        b--;
    memmove(out->data + mark, out->data + a, b - a);
    out->len = mark + (b - a);
    out->data[out->len++] = '\0';
    out->data[out->len] = '\0';
    return DOGE_OK;
}

int doge__fm_addresses(const char *s, size_t n, doge_buf *out, size_t *count)
{
    *count = 0;
    unsigned all = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned c = cclass[(unsigned char)s[k]];
        if (c & C_NOADDR)
            return DOGE__FM_DECLINE; /* comments, literals, groups, escapes, NUL */
        all |= c;
    }
    if ((all & C_8BIT) && !doge__mail_utf8_valid(s, n))
        return DOGE__FM_DECLINE;
    size_t i = 0;
    skip_lwsp(s, n, &i);
    if (i == n)
        return DOGE_OK;
    for (;;) {
        size_t as, al, save = i;
        int rc;
        if (addr_spec(s, n, &i, &as, &al) && !has_encoded_word(s + as, al)) {
            /* a bare address, then ',' or the end */
            skip_lwsp(s, n, &i);
            if (i < n && s[i] != ',')
                return DOGE__FM_DECLINE;
            rc = put_mailbox(out, s + as, al, "", 0);
        } else {
            /* phrase <addr-spec> */
            i = save;
            size_t ps = i, pe = i;
            while (i < n && s[i] != '<') {
                if (s[i] == '"') {
                    const char *q = memchr(s + i + 1, '"', n - i - 1);
                    if (!q)
                        return DOGE__FM_DECLINE;
                    i = (size_t)(q - s) + 1;
                } else if (is_atext((unsigned char)s[i])) {
                    while (i < n && is_atext((unsigned char)s[i]))
                        i++;
                } else
                    return DOGE__FM_DECLINE; /* ',', '@', '>', a leading '.' */
                pe = i;
                /* dots after a word belong to the phrase ("Jane Q. Public") */
                skip_lwsp(s, n, &i);
                while (i < n && s[i] == '.') {
                    pe = ++i;
                    skip_lwsp(s, n, &i);
                }
                if (i < n && s[i] != '<' && s[i] != '"' && !is_atext((unsigned char)s[i]))
                    return DOGE__FM_DECLINE;
                if (i < n && s[i] != '<' && i == pe && s[pe - 1] != '.')
                    return DOGE__FM_DECLINE; /* words not separated by blanks or dots */
            }
            if (i == n || s[i] != '<')
                return DOGE__FM_DECLINE;
            i++;
            if (!addr_spec(s, n, &i, &as, &al) || i >= n || s[i] != '>' ||
                has_encoded_word(s + as, al))
                return DOGE__FM_DECLINE;
            i++;
            skip_lwsp(s, n, &i);
            if (i < n && s[i] != ',')
                return DOGE__FM_DECLINE;
            rc = put_mailbox(out, s + as, al, s + ps, pe - ps);
        }
        if (rc != DOGE_OK)
            return rc;
        (*count)++;
        if (i == n)
            return DOGE_OK;
        i++; /* ',' */
        skip_lwsp(s, n, &i);
        if (i == n || s[i] == ',')
            return DOGE__FM_DECLINE; /* an empty entry */
    }
}

int doge__fm_next_msgid(const char *s, size_t n, size_t *pos, const char **id, size_t *len)
{
    size_t i = *pos;
    *id = NULL;
    *len = 0;
    skip_lwsp(s, n, &i);
    *pos = i;
    if (i == n)
        return DOGE_OK;
    if (s[i] != '<')
        return DOGE__FM_DECLINE;
    i++;
    size_t as, al;
    if (!addr_spec(s, n, &i, &as, &al) || i >= n || s[i] != '>')
        return DOGE__FM_DECLINE;
    for (size_t k = as; k < as + al; k++)
        if ((unsigned char)s[k] >= 0x80)
            return DOGE__FM_DECLINE;
    *id = s + as;
    *len = al;
    *pos = i + 1;
    return DOGE_OK;
}

static int digits(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && s[*i] >= '0' && s[*i] <= '9') {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    if (k < min || (*i < n && s[*i] >= '0' && s[*i] <= '9'))
        return 0;
    *out = v;
    return 1;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int doge__fm_date(const char *s, size_t n, int64_t *out)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    trim(&s, &n);
    size_t i = 0;
    if (n >= 5 && s[3] == ',' && s[4] == ' ') {
        int ok = 0;
        for (int d = 0; d < 7; d++)
            ok |= !strncasecmp(s, days[d], 3);
        if (!ok)
            return DOGE__FM_DECLINE;
        i = 5;
    }
    int day, month = 0, year, hh, mm, ss = 0, zh, zm;
    if (!digits(s, n, &i, 1, 2, &day) || i >= n || s[i++] != ' ' || i + 4 > n)
        return DOGE__FM_DECLINE;
    for (int m = 0; m < 12 && !month; m++)
        if (!strncasecmp(s + i, months[m], 3) && s[i + 3] == ' ')
            month = m + 1;
    if (!month)
        return DOGE__FM_DECLINE;
    i += 4;
    if (!digits(s, n, &i, 4, 4, &year) || i >= n || s[i++] != ' ' ||
        !digits(s, n, &i, 1, 2, &hh) || i >= n || s[i++] != ':' ||
        !digits(s, n, &i, 2, 2, &mm))
        return DOGE__FM_DECLINE;
    if (i < n && s[i] == ':' && (i++, !digits(s, n, &i, 2, 2, &ss)))
        return DOGE__FM_DECLINE;
    if (i + 6 > n || s[i] != ' ' || (s[i + 1] != '+' && s[i + 1] != '-'))
        return DOGE__FM_DECLINE;
    int neg = s[i + 1] == '-';
    i += 2;
    int zone;
    if (!digits(s, n, &i, 4, 4, &zone))
        return DOGE__FM_DECLINE;
    zh = zone / 100;
    zm = zone % 100;
    if (i < n) { /* a trailing comment such as "(UTC)" */
        if (s[i] != ' ' || i + 3 > n || s[i + 1] != '(' || s[n - 1] != ')')
            return DOGE__FM_DECLINE;
        for (size_t k = i + 2; k + 1 < n; k++)
            if (s[k] == '(' || s[k] == ')' || s[k] == ' ')
                return DOGE__FM_DECLINE;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int dim = mdays[month - 1] + (month == 2 && leap);
    if (year < 1970 || day < 1 || day > dim || hh > 23 || mm > 59 || ss > 59 || zh > 23 ||
        zm > 59)
        return DOGE__FM_DECLINE;
    int64_t t = days_from_civil(year, month, day) * 86400 + hh * 3600 + mm * 60 + ss;
    int64_t off = (int64_t)zh * 3600 + zm * 60;
    *out = neg ? t + off : t - off;
    return DOGE_OK;
}

int doge__fm_text_ok(const char *s, size_t n)
{
    return !memchr(s, '\0', n) && doge__mail_utf8_valid(s, n) && !has_encoded_word(s, n);
}
