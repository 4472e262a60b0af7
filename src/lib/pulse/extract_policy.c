/*
 * extract_policy.c — the policy scan of a bullet: links, classification
 * markings and SSN-like numbers, found left to right as non-overlapping
 * spans, and the redacted copy with each span replaced by "[REDACTED]".
 *
 * Rules (each is a span of the text):
 * - link: "http://", "https://", "ftp://" or "www." (any case) after a
 *   non-alphanumeric, up to whitespace or <>"; trailing .,;:!?'" and an
 *   unbalanced ')' or ']' are left out of the span.
 * - SSN-like: ddd-dd-dddd not touching another digit or a "-digit", so a
 *   phone number (ddd-ddd-dddd) or a longer case number is not one.
 * - classification: markings are written in capitals (ISOO marking guide),
 *   so the ordinary words "confidential", "Secret Service" are not flagged.
 *   Flagged: a capitals token containing "//" ("SECRET//NOFORN", "TS//SCI",
 *   "U//FOUO", "CUI//SP-PRVCY", "//NOFORN"); a portion marking "(S)",
 *   "(TS)", "(C)", "(CUI)" or "(X//Y)" (not "(U)"); the whole words "TOP
 *   SECRET", "SECRET", "CONFIDENTIAL", "CUI", "NOFORN", "FOUO", "ORCON",
 *   "PROPIN", "RELIDO", "IMCON" in capitals. In a shouted text (four or more
 *   words, at least 60% of letters capitals) the bare words SECRET and
 *   CONFIDENTIAL are not taken as markings: there they are just shouting.
 */
#include "extract_internal.h"

#include <string.h>

#define REDACTED "[REDACTED]"
#define REDACTED_LEN (sizeof REDACTED - 1)

static int upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* A marking-token character: capitals, digits, '/', '-'. */
static int mark_ch(unsigned char c)
{
    return upper(c) || doge__x_digit(c) || c == '/' || c == '-';
}

static int shouting(const char *s, size_t n)
{
    size_t up = 0, low = 0, words = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int letter = 0;
        if (upper(c))
            up++, letter = 1;
        else if (c >= 'a' && c <= 'z')
            low++, letter = 1;
        if (letter && !in)
            words++;
        in = letter;
    }
    return words >= 4 && up * 10 >= (up + low) * 6;
}

/* A link starting at i: its end, or 0. */
static size_t link_at(const char *s, size_t n, size_t i)
{
    if (n - i < 5)
        return 0;
    unsigned char c1 = (unsigned char)(s[i + 1] | 0x20);
    if (c1 != 't' && c1 != 'w')
        return 0;
    size_t k = doge__x_prefix_ci(s + i, n - i, "https://");
    if (!k)
        k = doge__x_prefix_ci(s + i, n - i, "http://");
    if (!k)
        k = doge__x_prefix_ci(s + i, n - i, "ftp://");
    if (!k) {
        k = doge__x_prefix_ci(s + i, n - i, "www.");
        if (k && (i + k >= n || !doge__x_alnum((unsigned char)s[i + k])))
            k = 0;
    }
    if (!k || i + k >= n)
        return 0;
    size_t e = i + k;
    int paren = 0, bracket = 0;
    while (e < n) {
        unsigned char c = (unsigned char)s[e];
        if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == '"' || doge__x_ws(s + e, n - e))
            break;
        paren += c == '(' ? 1 : c == ')' ? -1 : 0;
        bracket += c == '[' ? 1 : c == ']' ? -1 : 0;
        e++;
    }
    while (e > i + k) {
        unsigned char c = (unsigned char)s[e - 1];
        if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' ||
            c == '"') {
            e--;
        } else if (c == ')' && paren < 0) {
            paren++;
            e--;
        } else if (c == ']' && bracket < 0) {
            bracket++;
            e--;
        } else {
            break;
        }
    }
    return e > i + k ? e : 0;
}

static size_t ssn_at(const char *s, size_t n, size_t i)
{
    static const char pat[] = "ddd-dd-dddd";
    if (i > 0) {
        unsigned char p = (unsigned char)s[i - 1];
        if (doge__x_digit(p) || (p == '-' && i > 1 && doge__x_digit((unsigned char)s[i - 2])))
            return 0;
    }
    if (n - i < 11)
        return 0;
    for (size_t k = 0; k < 11; k++) {
        unsigned char c = (unsigned char)s[i + k];
        if (pat[k] == 'd' ? !doge__x_digit(c) : c != '-')
            return 0;
    }
    size_t e = i + 11;
    if (e < n && (doge__x_digit((unsigned char)s[e]) ||
                  (s[e] == '-' && e + 1 < n && doge__x_digit((unsigned char)s[e + 1]))))
        return 0;
    return e;
}

/* The words that are markings on their own, in capitals. */
static int marking_word(const char *t, size_t wl)
{
    switch (wl) {
    case 3:
        return !memcmp(t, "CUI", 3);
    case 4:
        return !memcmp(t, "FOUO", 4);
    case 5:
        return !memcmp(t, "ORCON", 5) || !memcmp(t, "IMCON", 5);
    case 6:
        return !memcmp(t, "NOFORN", 6) || !memcmp(t, "PROPIN", 6) || !memcmp(t, "RELIDO", 6);
    default:
        return 0;
    }
}

/* A classification marking starting at i: its end, or 0. *shout is the
 * shouting() of the whole text, computed on first need (-1 until then). */
static size_t marking_at(const char *s, size_t n, size_t i, int *shout)
{
    unsigned char c = (unsigned char)s[i];
    if (i > 0 && (doge__x_alnum((unsigned char)s[i - 1]) || s[i - 1] == '/'))
        return 0;
    if (c == '(') {
        size_t e = i + 1;
        while (e < n && mark_ch((unsigned char)s[e]))
            e++;
        if (e >= n || s[e] != ')' || e == i + 1)
            return 0;
        const char *t = s + i + 1;
        size_t tl = e - i - 1;
        if (tl >= 4 && upper((unsigned char)t[0]) && doge__x_find(t, tl, "//", 2))
            return e + 1;
        if (doge__x_eq(t, tl, "S") || doge__x_eq(t, tl, "TS") || doge__x_eq(t, tl, "C") ||
            doge__x_eq(t, tl, "CUI") || doge__x_eq(t, tl, "S/NF") || doge__x_eq(t, tl, "TS/SCI"))
            return e + 1;
        return 0;
    }
    /* A capitals token with "//" joining capitals: "A//B", or "//NOFORN". */
    size_t e = i;
    int slash = 0;
    while (e < n && mark_ch((unsigned char)s[e]))
        slash |= s[e++] == '/';
    if (slash && e - i >= 3 && doge__x_find(s + i, e - i, "//", 2)) {
        for (size_t k = i; k + 2 < e; k++)
            if (s[k] == '/' && s[k + 1] == '/' && upper((unsigned char)s[k + 2]) &&
                (k > i || c == '/'))
                return e;
    }
    if (c == '/')
        return 0;
    /* A whole word in capitals. */
    size_t w = i;
    while (w < n && upper((unsigned char)s[w]))
        w++;
    size_t wl = w - i, end = w;
    if (wl < 3 || wl > 12 || (w < n && doge__x_alnum((unsigned char)s[w])))
        return 0;
    if (wl == 3 && !memcmp(s + i, "TOP", 3)) {
        if (n - w < 7 || s[w] != ' ' || memcmp(s + w + 1, "SECRET", 6) != 0 ||
            (w + 7 < n && doge__x_alnum((unsigned char)s[w + 7])))
            return 0;
        end = w + 7;
    } else if ((wl == 6 && !memcmp(s + i, "SECRET", 6)) ||
               (wl == 12 && !memcmp(s + i, "CONFIDENTIAL", 12))) {
        if (*shout < 0)
            *shout = shouting(s, n);
        if (*shout)
            return 0;
    } else if (!marking_word(s + i, wl)) {
        return 0;
    }
    /* Take an attached "//..." tail along. */
    if (end + 1 < n && s[end] == '/' && s[end + 1] == '/')
        while (end < n && mark_ch((unsigned char)s[end]))
            end++;
    return end;
}

/* The next flagged span at or after *pos: its flag (0 when none). */
static unsigned next_span(const char *s, size_t n, size_t from, int *shout, size_t *a, size_t *b)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = from; i < n; i++) {
        unsigned char c = u[i], cls = doge__x_cls[c];
        if (!(cls & DOGE__X_C_SPAN))
            continue;
        size_t e;
        if (cls & DOGE__X_C_DIGIT) {
            if ((e = ssn_at(s, n, i)) != 0) {
                *a = i;
                *b = e;
                return DOGE_EXTRACT_FLAG_SSN;
            }
            continue;
        }
        if (i > 0 && doge__x_alnum(u[i - 1]))
            continue; /* links and markings start words */
        if ((c | 0x20) == 'h' || (c | 0x20) == 'w' || (c | 0x20) == 'f') {
            if ((e = link_at(s, n, i)) != 0) {
                *a = i;
                *b = e;
                return DOGE_EXTRACT_FLAG_LINK;
            }
            if (!(cls & DOGE__X_C_UPPER))
                continue;
        }
        if ((e = marking_at(s, n, i, shout)) != 0) {
            *a = i;
            *b = e;
            return DOGE_EXTRACT_FLAG_CLASSIFICATION;
        }
    }
    return 0;
}

unsigned doge__x_policy_measure(const char *s, size_t n, size_t *spans, size_t *redacted_len)
{
    int shout = -1;
    unsigned flags = 0;
    size_t pos = 0, count = 0, out = 0, a, b;
    unsigned f;
    while ((f = next_span(s, n, pos, &shout, &a, &b)) != 0) {
        flags |= f;
        out += a - pos;
        /* Adjacent spans ("TOP SECRET//SI" split oddly) share one mark. */
        if (!(count > 0 && a == pos))
            out += REDACTED_LEN, count++;
        pos = b;
    }
    out += n - pos;
    *spans = count;
    *redacted_len = out;
    return flags;
}

void doge__x_policy_redact(const char *s, size_t n, char *out)
{
    int shout = -1;
    size_t pos = 0, a, b, o = 0, count = 0;
    while (next_span(s, n, pos, &shout, &a, &b) != 0) {
        memcpy(out + o, s + pos, a - pos);
        o += a - pos;
        if (!(count > 0 && a == pos)) {
            memcpy(out + o, REDACTED, REDACTED_LEN);
            o += REDACTED_LEN;
            count++;
        }
        pos = b;
    }
    memcpy(out + o, s + pos, n - pos);
    o += n - pos;
    out[o] = '\0';
}

int doge_extract_scan_policy(const char *text, size_t len, unsigned *flags, doge_buf *redacted)
{
    if (!flags || (!text && len))
        return doge__error_set(DOGE_EINVAL, "extract: scan_policy: NULL argument");
    *flags = 0;
    if (!text)
        text = "";
    size_t spans, rlen;
    unsigned f = doge__x_policy_measure(text, len, &spans, &rlen);
    if (redacted && f) {
        size_t before = redacted->len, pos = 0, a, b, count = 0;
        int shout = -1, rc = DOGE_OK;
        while (rc == DOGE_OK && next_span(text, len, pos, &shout, &a, &b) != 0) {
            rc = doge_buf_append(redacted, text + pos, a - pos);
            if (rc == DOGE_OK && !(count > 0 && a == pos)) {
                rc = doge_buf_append(redacted, REDACTED, REDACTED_LEN);
                count++;
            }
            pos = b;
        }
        if (rc == DOGE_OK)
            rc = doge_buf_append(redacted, text + pos, len - pos);
        if (rc != DOGE_OK) {
            doge_buf_truncate(redacted, before);
            return doge__error_prefix("extract: scan_policy");
        }
    } else if (redacted) {
        if (doge_buf_append(redacted, text, len) != DOGE_OK)
            return doge__error_prefix("extract: scan_policy");
    }
    *flags = f;
    return DOGE_OK;
}
