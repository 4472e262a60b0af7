/*
 * extract_rules.c — the line rules of the pulse extractor: small predicates,
 * each answering one question about one line of a reply (is it a list
 * marker, an "On ... wrote:" attribution, an Outlook header block, a
 * sign-off, a disclaimer, a classification banner, a greeting, a name, a
 * contact line ...). They look only at the line (and, for blocks, at the few
 * lines after it), fail fast on the first byte, and never allocate. Phrase
 * lists are sorted by first byte and searched at word starts behind small
 * filters over the first three and five bytes (doge__x_table_scan), which
 * are built once per process. The order in which extract.c applies the
 * rules, and why, is described there.
 */
#define _GNU_SOURCE /* memmem */
#include "extract_internal.h"

#include <pthread.h>
#include <string.h>

/* ---- characters ------------------------------------------------------- */

/* Byte classes (DOGE__X_C_*), generated for ASCII; bytes from 0x80 have
 * none. */
const unsigned char doge__x_cls[256] = {
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  8,  0,  0,  0,  0,  0,  0,  8,
    13, 13, 13, 13, 13, 13, 13, 13, 13, 13,  0,  0,  0,  0,  0,  0,
     0, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,
    11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11,  0,  0,  0,  0,  0,
     0,  1,  1,  1,  1,  1,  9,  1,  9,  1,  1,  1,  1,  1,  1,  1,
     1,  1,  1,  1,  1,  1,  1,  9,  1,  1,  1,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
     0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0};

size_t doge__x_rtrim(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    while (n > 0) {
        unsigned char c = u[n - 1];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
            n--;
        else if (n >= 2 && c == 0xA0 && u[n - 2] == 0xC2)
            n -= 2;
        else if (n >= 3 && c == 0x80 && u[n - 2] == 0x80 && u[n - 3] == 0xE3)
            n -= 3;
        else if (n >= 3 && c == 0x8B && u[n - 2] == 0x80 && u[n - 3] == 0xE2)
            n -= 3;
        else
            break;
    }
    return n;
}

size_t doge__x_cols(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* The first code point of s (U+FFFD for a malformed sequence), 0 if empty. */
static uint32_t first_cp(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return u[0];
    if ((u[0] & 0xE0) == 0xC0 && n >= 2)
        return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    if ((u[0] & 0xF0) == 0xE0 && n >= 3)
        return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
    if ((u[0] & 0xF8) == 0xF0 && n >= 4)
        return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
               ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
    return 0xFFFD;
}

/* Latin Extended-A alternates capital/small, with a shift in two runs. */
static int ext_a_upper(uint32_t cp)
{
    if (cp == 0x130 || cp == 0x178)
        return 1;
    if (cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F)
        return 0;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return cp & 1;
    return !(cp & 1);
}

/* Scripts without letter case: Hebrew to Sinhala, Thai, kana, CJK, Hangul. */
static int caseless_letter(uint32_t cp)
{
    return (cp >= 0x0590 && cp <= 0x0DFF) || (cp >= 0x0E00 && cp <= 0x0E7F) ||
           (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF);
}

int doge__x_upper_start(const char *s, size_t n)
{
    uint32_t cp = first_cp(s, n);
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x17F)
        return ext_a_upper(cp);
    if (cp >= 0x391 && cp <= 0x3A9)
        return 1;
    if (cp >= 0x400 && cp <= 0x42F)
        return 1;
    return caseless_letter(cp);
}

int doge__x_lower_start(const char *s, size_t n)
{
    uint32_t cp = first_cp(s, n);
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    if (cp >= 0xDF && cp <= 0xFF)
        return cp != 0xF7;
    if (cp >= 0x100 && cp <= 0x17F)
        return !ext_a_upper(cp);
    return (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F);
}

size_t doge__x_prefix_ci(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; lit[i]; i++)
        if (i >= n || doge__x_lc((unsigned char)s[i]) != (unsigned char)lit[i])
            return 0;
    return i;
}

int doge__x_has_ci(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    if (k == 0)
        return 1;
    unsigned char c0 = (unsigned char)lit[0];
    for (size_t i = 0; i + k <= n; i++)
        if (doge__x_lc((unsigned char)s[i]) == c0 && doge__x_prefix_ci(s + i, n - i, lit))
            return 1;
    return 0;
}

const char *doge__x_find(const char *s, size_t n, const char *needle, size_t k)
{
    if (k == 0)
        return s;
    /* memmem (glibc: a two-way search that skips by byte pairs) instead of
     * memchr on the first byte and memcmp on the rest, which stopped at
     * every 'a', 'o' or 'i' of the text: 24 out-of-office phrases over a
     * 430-byte reply took 16-18 µs that way and take 3-6 µs now (the
     * phrase search was 3% of ingest time). */
    return memmem(s, n, needle, k);
}

int doge__x_eq(const char *s, size_t n, const char *lit)
{
    for (size_t i = 0; i < n; i++)
        if (lit[i] == '\0' || lit[i] != s[i])
            return 0;
    return lit[n] == '\0';
}

/* 1 when s starts with one of list (lower-case literals) at a word end. */
static int starts_with_any(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t k = doge__x_prefix_ci(s, n, list[i]);
        if (k && (k == n || !doge__x_alnum((unsigned char)s[k]) ||
                  !doge__x_alnum((unsigned char)list[i][k - 1])))
            return 1;
    }
    return 0;
}

/* The phrase at index k of a table whose elements start with one. */
#define PHRASE(base, stride, k) (*(const char *const *)((const char *)(base) + (k) * (stride)))

/* The first index in the table (sorted by first byte) whose phrase starts
 * with byte c. */
static size_t lower_bound(const void *base, size_t stride, size_t count, unsigned char c)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((unsigned char)PHRASE(base, stride, mid)[0] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Filter hashes of the first three and the first five bytes (lower-case). */
static inline unsigned hash3(const char *s)
{
    return ((unsigned)doge__x_lc((unsigned char)s[0]) * 1369u +
            (unsigned)doge__x_lc((unsigned char)s[1]) * 37u +
            (unsigned)doge__x_lc((unsigned char)s[2])) & 4095u;
}

static inline unsigned hash5(const char *s)
{
    unsigned h = 0;
    for (int k = 0; k < 5; k++)
        h = h * 131u + (unsigned)doge__x_lc((unsigned char)s[k]);
    return (h ^ h >> 12) & 4095u;
}

static inline int has_bit(const uint64_t *bloom, unsigned h)
{
    return (int)(bloom[h / 64] >> (h % 64) & 1);
}

void doge__x_table_init(doge__xtable *t)
{
    memset(t->bloom, 0, sizeof t->bloom);
    memset(t->bloom5, 0, sizeof t->bloom5);
    int five = 1;
    for (size_t k = 0; k < t->count; k++) {
        const char *p = PHRASE(t->base, t->stride, k);
        size_t len = strlen(p);
        if (len < 3)
            return; /* no filter: every word start is looked up */
        unsigned h = hash3(p);
        t->bloom[h / 64] |= (uint64_t)1 << (h % 64);
        if (len < 5)
            five = 0;
        else
            h = hash5(p), t->bloom5[h / 64] |= (uint64_t)1 << (h % 64);
    }
    t->five = five;
    t->ready = 1;
}

/* The length of the first phrase of list (sorted by first byte) that s
 * starts with, ignoring case; 0 when none. */
static size_t bucket_prefix(const char *const *list, size_t count, const char *s, size_t n)
{
    if (n < 2)
        return 0;
    unsigned char c = (unsigned char)doge__x_lc((unsigned char)s[0]);
    unsigned char c1 = (unsigned char)doge__x_lc((unsigned char)s[1]);
    for (size_t k = lower_bound(list, sizeof *list, count, c);
         k < count && (unsigned char)list[k][0] == c; k++) {
        if ((unsigned char)list[k][1] != c1)
            continue;
        size_t m = doge__x_prefix_ci(s, n, list[k]);
        if (m)
            return m;
    }
    return 0;
}

int doge__x_table_scan(const doge__xtable *t, const char *s, size_t n, uint64_t *bits)
{
    int found = 0;
    size_t i = 0;
    while (i < n) {
        /* i is a word start: the first byte, or one after a non-alnum. */
        unsigned char c0 = (unsigned char)s[i];
        size_t next = i + 1;
        if (doge__x_alnum(c0))
            while (next < n && doge__x_alnum((unsigned char)s[next]))
                next++;
        if (c0 == ' ') {
            i = next;
            continue;
        }
        if (t->ready) {
            if (n - i < 3 || (t->five && n - i < 5))
                break;
            if (!has_bit(t->bloom, hash3(s + i)) ||
                (t->five && !has_bit(t->bloom5, hash5(s + i)))) {
                i = next;
                continue;
            }
        }
        unsigned char c = (unsigned char)doge__x_lc(c0);
        unsigned char c1 = i + 1 < n ? (unsigned char)doge__x_lc((unsigned char)s[i + 1]) : 0;
        for (size_t k = lower_bound(t->base, t->stride, t->count, c);
             k < t->count && (unsigned char)PHRASE(t->base, t->stride, k)[0] == c; k++) {
            const char *p = PHRASE(t->base, t->stride, k);
            if ((p[1] && (unsigned char)p[1] != c1) || !doge__x_prefix_ci(s + i, n - i, p))
                continue;
            if (!bits)
                return 1;
            bits[k / 64] |= (uint64_t)1 << (k % 64);
            found = 1;
        }
        i = next;
    }
    return found;
}

int doge__x_table_sorted(const doge__xtable *t)
{
    for (size_t i = 0; i < t->count; i++) {
        for (const char *p = PHRASE(t->base, t->stride, i); *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                return 0;
        if (i > 0 && (unsigned char)PHRASE(t->base, t->stride, i - 1)[0] >
                         (unsigned char)PHRASE(t->base, t->stride, i)[0])
            return 0;
    }
    return t->count <= 64 * DOGE__X_TABLE_WORDS;
}

/* The phrase tables below are indexed once per process (pthread_once, in
 * tables() at the end of this file); until then, or if that failed, a
 * table is scanned without its filter. */
static void tables(void);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- list markers ----------------------------------------------------- */

/* Bullet symbols other than ASCII: UTF-8 of •, ·, –, —, ‣, ⁃, ◦, ▪, ▫, ■,
 * □, ●, ○, ►, ▶, ➢, ➤, ➜, →, ✓, ✔, ✅, ☑, ◆, ◇, ❖, ∙, the Symbol and
 * Wingdings private-use bullets Outlook leaves in text (U+F0B7, U+F0A7,
 * U+F0A8, U+F0D8), 🔹, 🔸, 👉, and the katakana middle dot ・. */
static const char *const SYMBOLS[] = {
    "\xE2\x80\xA2", "\xC2\xB7",     "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA3",
    "\xE2\x81\x83", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x96\xAB", "\xE2\x96\xA0",
    "\xE2\x96\xA1", "\xE2\x97\x8F", "\xE2\x97\x8B", "\xE2\x96\xBA", "\xE2\x96\xB6",
    "\xE2\x9E\xA2", "\xE2\x9E\xA4", "\xE2\x9E\x9C", "\xE2\x86\x92", "\xE2\x9C\x93",
    "\xE2\x9C\x94", "\xE2\x9C\x85", "\xE2\x98\x91", "\xE2\x97\x86", "\xE2\x97\x87",
    "\xE2\x9D\x96", "\xE2\x88\x99", "\xEF\x82\xB7", "\xEF\x82\xA7", "\xEF\x82\xA8",
    "\xEF\x83\x98", "\xF0\x9F\x94\xB9", "\xF0\x9F\x94\xB8", "\xF0\x9F\x91\x89",
    "\xE3\x83\xBB"};

static size_t symbol_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c == 0xC2 ? 2 : (c == 0xE2 || c == 0xE3 || c == 0xEF) ? 3 : c == 0xF0 ? 4 : 0;
    if (!k || n < k)
        return 0;
    for (size_t i = 0; i < COUNT(SYMBOLS); i++)
        if (SYMBOLS[i][0] == s[0] && memcmp(s, SYMBOLS[i], k) == 0 && SYMBOLS[i][k] == '\0')
            return k;
    return 0;
}

static int alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

int doge__x_marker(const char *s, size_t n, size_t *mlen)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t k = 0;
    int kind = DOGE_EXTRACT_MARKER_SYMBOL;
    *mlen = 0;
    if (n == 0)
        return 0;
    unsigned char c = u[0];
    if (c == '-') {
        /* "-", "--" and "->"; "-Fixed" (no space) is a marker too. "--"
         * alone is the signature delimiter, three or more dashes a rule. */
        k = n > 1 && u[1] == '-' ? 2 : 1;
        if (k < n && u[k] == '-')
            return 0;
        if (k == 2 && n == 2)
            return 0;
        if (k == 1 && n > 1 && u[1] == '>')
            k = 2;
    } else if (c == '*') {
        /* "**bold**" and "*emphasis*" (HTML turned to text) are not markers. */
        if (n > 1 && u[1] == '*')
            return 0;
        if (n > 2 && !doge__x_ws(s + 1, n - 1) && u[n - 1] == '*')
            return 0;
        k = 1;
    } else if (c == '+' || c == '=') {
        k = c == '=' ? 2 : 1;
        if (c == '=' && (n < 2 || u[1] != '>'))
            return 0;
        if (k >= n || !doge__x_ws(s + k, n - k))
            return 0;
    } else if (c == 'o' && n > 2 && (u[1] == '\t' || (u[1] == ' ' && u[2] == ' '))) {
        k = 1; /* Outlook's second-level bullet */
    } else if (c >= 0x80) {
        k = symbol_len(s, n);
        if (!k)
            return 0;
        if (n - k >= 3 && u[k] == 0xEF && u[k + 1] == 0xB8 && u[k + 2] == 0x8F)
            k += 3; /* emoji variation selector */
    } else if (doge__x_digit(c)) {
        size_t d = n > 1 && doge__x_digit(u[1]) ? 2 : 1;
        if (d >= n || doge__x_digit(u[d]))
            return 0;
        if (u[d] == '.' || u[d] == ')') {
            k = d + 1;
            /* "1. x", "1)", "1.Fixed" — not "1.5" or "3.2%". */
            if (k < n && !doge__x_ws(s + k, n - k) && !alpha(u[k]) && u[k] != '(' && u[k] != '"')
                return 0;
        } else if (u[d] == ':') {
            k = d + 1;
            if (k < n && !doge__x_ws(s + k, n - k))
                return 0;
        } else {
            return 0;
        }
        kind = DOGE_EXTRACT_MARKER_NUMBER;
    } else if (c == '(') {
        if (n >= 3 && doge__x_digit(u[1])) {
            size_t d = doge__x_digit(u[2]) ? 3 : 2;
            if (d >= n || u[d] != ')')
                return 0;
            k = d + 1;
            kind = DOGE_EXTRACT_MARKER_NUMBER;
        } else if (n >= 3 && u[1] >= 'a' && u[1] <= 'z' && u[2] == ')') {
            k = 3;
            kind = DOGE_EXTRACT_MARKER_LETTER;
        } else {
            return 0;
        }
        if (k < n && !doge__x_ws(s + k, n - k))
            return 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        /* "a)", "a.", "A)": lower-case with ')' or '.', capitals only with
         * ')' so that initials ("J. Smith") are not markers; a space must
         * follow so that "e.g." and "i.e." are not either. */
        if (n < 2 || !(u[1] == ')' || (u[1] == '.' && c >= 'a')))
            return 0;
        k = 2;
        if (k < n && !doge__x_ws(s + k, n - k))
            return 0;
        if (k == n && u[1] == '.')
            return 0;
        kind = DOGE_EXTRACT_MARKER_LETTER;
    } else {
        return 0;
    }
    while (k < n) {
        size_t w = doge__x_ws(s + k, n - k);
        if (!w)
            break;
        k += w;
    }
    *mlen = k;
    return kind;
}

/* ---- quoted-message boundaries ---------------------------------------- */

int doge__x_sig_delim(const doge__xline *l)
{
    return l->indent == 0 && l->n == 2 && l->s[0] == '-' && l->s[1] == '-';
}

static int ends_attribution(const char *s, size_t n)
{
    static const char *const ENDS[] = {"wrote:", "a \303\251crit :", "a \303\251crit:",
                                       "escribi\xC3\xB3:", "schrieb:", "ha scritto:", "skrev:"};
    for (size_t i = 0; i < COUNT(ENDS); i++) {
        size_t k = strlen(ENDS[i]);
        if (n >= k && memcmp(s + n - k, ENDS[i], k) == 0)
            return 1;
    }
    return 0;
}

/* "On Mon, Feb 24, 2025 at 9:01 AM HR <hr@opm.gov> wrote:" (Gmail wraps it
 * onto two or three lines), Apple's "On Feb 24, 2025, at 9:01 AM, HR
 * <hr@opm.gov> wrote:", or "HR <hr@opm.gov> wrote:" on one line. The "On"
 * form must hold a digit or '@' (a date or an address), so a sentence that
 * happens to start with "On" and end with "wrote:" is not taken. */
size_t doge__x_attribution(const doge__xline *lines, size_t i, size_t n)
{
    const doge__xline *l = &lines[i];
    if (l->quote || l->n < 6)
        return 0;
    int on = memcmp(l->s, "On ", 3) == 0 || memcmp(l->s, "Le ", 3) == 0 ||
             memcmp(l->s, "El ", 3) == 0 || memcmp(l->s, "Am ", 3) == 0;
    if (!on && l->s[l->n - 1] != ':')
        return 0;
    int evidence = 0;
    size_t total = 0;
    for (size_t k = 0; k < 3 && i + k < n; k++) {
        const doge__xline *m = &lines[i + k];
        if (m->quote || m->n == 0 || (k > 0 && !on))
            break;
        total += m->n;
        if (total > 400)
            break;
        for (size_t j = 0; j < m->n && !evidence; j++)
            evidence = doge__x_digit((unsigned char)m->s[j]) || m->s[j] == '@';
        if (ends_attribution(m->s, m->n)) {
            if (on)
                return evidence ? k + 1 : 0;
            return memchr(m->s, '@', m->n) ? 1 : 0;
        }
    }
    return 0;
}

/* "From:" (or "*From:*" after HTML-to-text) at the line start. */
static int header_is(const doge__xline *l, const char *name)
{
    const char *s = l->s;
    size_t n = l->n;
    for (int k = 0; k < 2 && n > 0 && s[0] == '*'; k++)
        s++, n--;
    return doge__x_prefix_ci(s, n, name) != 0;
}

int doge__x_outlook_header(const doge__xline *lines, size_t i, size_t n)
{
    const doge__xline *l = &lines[i];
    if (l->quote || l->n < 6 || (l->s[0] != 'F' && l->s[0] != 'f' && l->s[0] != '*') ||
        !header_is(l, "from:"))
        return 0;
    int sent = 0, to = 0;
    for (size_t k = i + 1; k < n && k <= i + 8; k++) {
        const doge__xline *m = &lines[k];
        if (m->quote)
            break;
        if (header_is(m, "sent:") || header_is(m, "date:"))
            sent = 1;
        else if (header_is(m, "to:") || header_is(m, "subject:") || header_is(m, "cc:"))
            to = 1;
        if (sent && to)
            return 1;
    }
    return 0;
}

int doge__x_lotus_header(const char *s, size_t n)
{
    if (n < 20)
        return 0;
    const char *p = doge__x_find(s, n, "---", 3);
    if (!p || p + 3 >= s + n || !doge__x_digit((unsigned char)p[3]))
        return 0;
    const char *q = doge__x_find(p + 3, (size_t)(s + n - p - 3), "M---", 4);
    return q && q - p < 40 && memchr(p, '/', (size_t)(q - p)) != NULL;
}

int doge__x_original(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == '-' || s[i] == ' ' || s[i] == '_' || s[i] == '='))
        i++;
    if (i == 0)
        return doge__x_prefix_ci(s, n, "begin forwarded message") != 0;
    size_t k = doge__x_prefix_ci(s + i, n - i, "original message");
    if (!k)
        k = doge__x_prefix_ci(s + i, n - i, "forwarded message");
    if (!k)
        return 0;
    for (i += k; i < n; i++)
        if (s[i] != '-' && s[i] != ' ' && s[i] != '_' && s[i] != '=')
            return 0;
    return 1;
}

int doge__x_forward(const char *s, size_t n)
{
    return doge__x_original(s, n) && doge__x_has_ci(s, n, "forward");
}

int doge__x_header_line(const doge__xline *l)
{
    static const char *const NAMES[] = {"from:", "sent:", "date:", "to:", "cc:", "subject:",
                                        "reply-to:", "importance:"};
    for (size_t i = 0; i < COUNT(NAMES); i++)
        if (header_is(l, NAMES[i]))
            return 1;
    return 0;
}

int doge__x_forward_subject(const doge__xline *l)
{
    if (!header_is(l, "subject:"))
        return 0;
    const char *s = l->s;
    size_t n = l->n;
    while (n > 0 && *s != ':')
        s++, n--;
    if (n > 0)
        s++, n--;
    while (n > 0 && (*s == ' ' || *s == '\t' || *s == '*'))
        s++, n--;
    return doge__x_prefix_ci(s, n, "fw:") || doge__x_prefix_ci(s, n, "fwd:");
}

int doge__x_separator(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n < 3)
        return 0;
    if (u[0] == '-' || u[0] == '_' || u[0] == '=' || u[0] == '*' || u[0] == '~' || u[0] == '#' ||
        u[0] == '.') {
        for (size_t i = 1; i < n; i++)
            if (u[i] != u[0])
                return 0;
        return 1;
    }
    /* A rule of em dashes or box-drawing lines. */
    if (n % 3 == 0 && u[0] == 0xE2 && (u[1] == 0x80 || u[1] == 0x94) && n >= 6) {
        for (size_t i = 3; i < n; i++)
            if (u[i] != u[i % 3])
                return 0;
        return 1;
    }
    return 0;
}

int doge__x_image(const char *s, size_t n)
{
    if (n < 5)
        return 0;
    if (s[0] == '[' && s[n - 1] == ']')
        return doge__x_prefix_ci(s, n, "[cid:") || doge__x_prefix_ci(s, n, "[image") ||
               doge__x_prefix_ci(s, n, "[inline image") || doge__x_prefix_ci(s, n, "[signature_");
    if (s[0] == '<' && s[n - 1] == '>' && !memchr(s, ' ', n))
        return doge__x_has_ci(s, n, ".png") || doge__x_has_ci(s, n, ".jpg") ||
               doge__x_has_ci(s, n, ".gif");
    return 0;
}

/* ---- signatures, sign-offs, disclaimers ------------------------------- */

static const char *const MOBILE[] = {
    "sent from my ",   "sent from outlook", "get outlook for",   "sent from yahoo",
    "sent from mail for windows",            "sent from the all new aol",
    "sent via the samsung",                  "sent from samsung", "sent with proton",
    "sent from gmail", "sent using ",       "sent from xfinity", "sent from workspace one",
    "sent from bluemail"};

int doge__x_mobile(const char *s, size_t n)
{
    if (n < 8 || n > 100 || (s[0] != 'S' && s[0] != 's' && s[0] != 'G' && s[0] != 'g'))
        return 0;
    for (size_t i = 0; i < COUNT(MOBILE); i++)
        if (doge__x_prefix_ci(s, n, MOBILE[i]))
            return 1;
    return 0;
}

/* Sign-off phrases (English, and the usual ones of colleagues writing in
 * Spanish, French, German, Portuguese, Italian), sorted by first byte;
 * within a letter a longer phrase comes before its prefix. */
static const char *const SIGNOFFS[] = {
    "all the best", "atentamente", "best regards", "best wishes", "best", "cheers", "cordially",
    "cordialement", "cordiali saluti", "danke", "gratefully", "gracias", "grazie",
    "have a great weekend", "have a great week", "have a good weekend", "have a good week",
    "have a great day", "have a nice day", "kind regards", "many thanks", "much appreciated",
    "merci", "mit freundlichen gr\303\274\303\237en", "obrigado", "obrigada", "regards",
    "respectfully submitted", "respectfully", "r/", "sincerely yours", "sincerely", "saludos",
    "thanks again", "thanks so much", "thanks very much", "thanks much", "thanks in advance",
    "thanks all", "thanks everyone", "thanks", "thank you so much", "thank you very much",
    "thank you again", "thank you in advance", "thank you", "thx", "tks", "ty", "take care",
    "un saludo", "very respectfully", "v/r/", "v/r", "vr", "warm regards", "warmest regards",
    "with regards", "with appreciation", "with gratitude", "yours truly"};

/* Skips sign-off punctuation and the separator before a name. */
static size_t skip_after_phrase(const char *s, size_t n, size_t k)
{
    while (k < n) {
        size_t w = doge__x_ws(s + k, n - k);
        if (w) {
            k += w;
            continue;
        }
        unsigned char c = (unsigned char)s[k];
        if (c == ',' || c == '.' || c == '!' || c == ';' || c == ':' || c == '-' || c == '~') {
            k++;
            continue;
        }
        if (n - k >= 3 && c == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
            ((unsigned char)s[k + 2] == 0x93 || (unsigned char)s[k + 2] == 0x94)) {
            k += 3;
            continue;
        }
        break;
    }
    return k;
}

/* A whole-line sign-off, optionally followed by a name on the same line
 * ("Thanks, Ana", "V/r - J. Ortiz"). */
int doge__x_signoff(const char *s, size_t n)
{
    if (n == 0 || n > 64)
        return 0;
    unsigned char c = (unsigned char)doge__x_lc((unsigned char)s[0]);
    unsigned char c1 = n > 1 ? (unsigned char)doge__x_lc((unsigned char)s[1]) : 0;
    for (size_t i = lower_bound(SIGNOFFS, sizeof SIGNOFFS[0], COUNT(SIGNOFFS), c);
         i < COUNT(SIGNOFFS) && (unsigned char)SIGNOFFS[i][0] == c; i++) {
        if ((unsigned char)SIGNOFFS[i][1] != c1)
            continue;
        size_t k = doge__x_prefix_ci(s, n, SIGNOFFS[i]);
        if (!k)
            continue;
        if (k < n && doge__x_alnum((unsigned char)s[k]) &&
            doge__x_alnum((unsigned char)SIGNOFFS[i][k - 1]))
            continue; /* "Thanksgiving", "Bestow" */
        size_t j = skip_after_phrase(s, n, k);
        if (j == n)
            return 1;
        if (j > k && doge__x_name_like(s + j, n - j))
            return 1;
        return 0;
    }
    return 0;
}

/* Headings that open a disclaimer on their own ("DISCLAIMER:"). */
static const char *const DISC_HEAD[] = {"confidential notice", "confidentiality note",
                                        "confidentiality notice", "confidentiality statement",
                                        "disclaimer", "legal notice"};

/* Openings of a disclaimer, sorted by first byte. */
static const char *const DISC_START[] = {
    "any views or opinions", "caution:", "confidential notice", "confidentiality note",
    "confidentiality notice", "confidentiality statement", "disclaimer", "if you are not the intended",
    "if you have received this", "important notice", "important:", "legal notice", "notice:",
    "pre-decisional", "predecisional", "privacy act", "the contents of this",
    "the information contained", "the information in this", "this communication",
    "this e-mail", "this email", "this is a u.s. government", "this message",
    "this transmission", "warning:"};

static const char *const DISC_WORDS[] = {
    "confidential", "delete", "deliberative", "disclosure", "dissemination", "exempt", "foia",
    "for official use only", "government information system", "intended for the", "intended only",
    "intended recipient", "intended solely", "legally", "may contain", "monitored",
    "notify the sender", "privacy act", "privileged", "prohibited", "sensitive",
    "u.s. government", "unauthorized"};
static doge__xtable T_DISC = DOGE__X_TABLE(DISC_WORDS);

/* A disclaimer: its first line opens with a disclaimer phrase and its
 * paragraph (to the next blank line) holds two or more of the words legal
 * notices use; or the line is only a "CONFIDENTIALITY NOTICE" style
 * heading. Two words, so that a bullet such as "This email migration moved
 * 300 confidential mailboxes" does not end the reply. */
int doge__x_disclaimer(const doge__xline *lines, size_t i, size_t n)
{
    const doge__xline *l = &lines[i];
    if (l->n < 6 || l->quote)
        return 0;
    switch (doge__x_lc((unsigned char)l->s[0])) {
    case 'a': case 'c': case 'd': case 'i': case 'l': case 'n': case 'p': case 't': case 'w':
        break;
    default:
        return 0;
    }
    size_t k = bucket_prefix(DISC_START, COUNT(DISC_START), l->s, l->n);
    if (!k)
        return 0;
    for (size_t h = 0; h < COUNT(DISC_HEAD); h++)
        if (doge__x_prefix_ci(l->s, l->n, DISC_HEAD[h]) == k &&
            (k == l->n || (k + 1 == l->n && l->s[k] == ':')))
            return 1;
    uint64_t seen = 0;
    tables();
    for (size_t j = i; j < n && j < i + 30 && lines[j].n > 0 && !lines[j].quote; j++)
        doge__x_table_scan(&T_DISC, lines[j].s, lines[j].n, &seen);
    int hits = 0;
    for (; seen; seen &= seen - 1)
        hits++;
    return hits >= 2;
}

static const char *const EXT_START[] = {"caution", "[external", "external", "warning",
                                        "attention", "notice", "this email originated",
                                        "this message originated", "this e-mail originated"};
static const char *const EXT_WORDS[] = {
    "external email", "external sender", "from an external", "non-government",
    "originated from outside", "outside of the organization", "outside of your organization",
    "outside the agency", "outside the organization", "outside your organization"};
static doge__xtable T_EXT = DOGE__X_TABLE(EXT_WORDS);

/* The warning a mail gateway puts at the top: "CAUTION: This email
 * originated from outside of the organization ...". Only its paragraph is
 * stripped (it precedes the reply). */
int doge__x_external(const doge__xline *lines, size_t i, size_t n)
{
    const doge__xline *l = &lines[i];
    if (l->n < 8 || l->quote)
        return 0;
    switch (doge__x_lc((unsigned char)l->s[0])) {
    case 'c': case '[': case 'e': case 'w': case 'a': case 'n': case 't':
        break;
    default:
        return 0;
    }
    if (!starts_with_any(l->s, l->n, EXT_START, COUNT(EXT_START)))
        return 0;
    if (doge__x_prefix_ci(l->s, l->n, "[external]") && l->n <= 12)
        return 1;
    tables();
    for (size_t j = i; j < n && j < i + 8 && lines[j].n > 0 && !lines[j].quote; j++)
        if (doge__x_table_scan(&T_EXT, lines[j].s, lines[j].n, NULL))
            return 1;
    return 0;
}

/* ---- classification banners ------------------------------------------- */

/* Tokens a banner line may hold; the first group marks the text as
 * controlled or classified, the second does not on its own. */
static const char *const BANNER_FLAG[] = {
    "CONFIDENTIAL", "SECRET", "CUI",     "CONTROLLED", "FOUO",  "NOFORN", "NF",     "SCI",
    "TS",           "S",      "C",       "ORCON",      "PROPIN", "IMCON", "RELIDO", "SBU",
    "SENSITIVE",    "LES",    "OFFICIAL", "LIMDIS",    "EXDIS", "NODIS",  "PRVCY",  "PII",
    "LEI",          "HCS",    "SI",      "TK",         "PROPRIETARY"};
static const char *const BANNER_OTHER[] = {"UNCLASSIFIED", "U",   "TOP",  "FOR", "USE",
                                           "ONLY",         "REL", "TO",   "USA", "FVEY",
                                           "BUT",          "LAW", "ENFORCEMENT", "INFORMATION",
                                           "AND",          "GBR", "CAN",  "AUS", "NZL", "//"};
static const char *const BANNER_HEAD[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "CUI",
                                          "CONTROLLED", "TS"};

static int in_list(const char *t, size_t tl, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (doge__x_eq(t, tl, list[i]))
            return 1;
    return 0;
}

int doge__x_banner(const char *s, size_t n, unsigned *flags)
{
    *flags = 0;
    if (n < 1 || n > 100)
        return 0;
    /* Capitals from the start, or "Classification:". */
    unsigned char c0 = (unsigned char)s[0];
    if (!((c0 >= 'A' && c0 <= 'Z') || c0 == 'c') ||
        (n > 1 && s[1] >= 'a' && s[1] <= 'z' && !doge__x_prefix_ci(s, n, "classification:")))
        return 0;
    size_t i = doge__x_prefix_ci(s, n, "classification:");
    unsigned f = 0;
    int head = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '/' || s[i] == ','))
            i++;
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '/' && s[j] != ',')
            j++;
        if (j == i)
            break;
        const char *t = s + i;
        size_t tl = j - i;
        if (in_list(t, tl, BANNER_HEAD, COUNT(BANNER_HEAD)))
            head = 1;
        if (in_list(t, tl, BANNER_FLAG, COUNT(BANNER_FLAG)) || (tl > 3 && memcmp(t, "SP-", 3) == 0))
            f = DOGE_EXTRACT_FLAG_CLASSIFICATION;
        else if (!in_list(t, tl, BANNER_OTHER, COUNT(BANNER_OTHER)))
            return 0;
        i = j;
    }
    if (!head)
        return 0;
    *flags = f;
    return 1;
}

/* ---- greetings, introductions, closing remarks ------------------------ */

static const char *const GREET[] = {"good morning", "good afternoon", "good evening", "good day",
                                    "hello",        "hi",             "hey",          "dear",
                                    "greetings",    "morning",        "afternoon",    "hiya",
                                    "howdy",        "salutations"};
static const char *const ADDRESS[] = {"all", "team", "everyone", "folks", "ma'am", "sir", "boss",
                                      "hr", "y'all"};

static size_t words_in(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = s[i] == ' ' || s[i] == '\t';
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

static const char *const ADDRESS_WORDS[] = {"all", "team", "everyone", "everybody", "folks",
                                             "there", "guys", "y'all", "ma'am", "sir", "and",
                                             "or", "boss", "again", "both", "friends",
                                             "colleagues", "hr"};

/* 1 when every word of s reads as part of an address: a capitalised word
 * ("Ms.", "Ortiz", "HR"), one of ADDRESS_WORDS, or no letters at all (a
 * dash, an emoji). */
static int address_words(const char *s, size_t n)
{
    size_t words = 0;
    for (size_t p = 0; p < n;) {
        while (p < n && (s[p] == ' ' || s[p] == ',' || s[p] == '\t'))
            p++;
        size_t q = p;
        while (q < n && s[q] != ' ' && s[q] != ',' && s[q] != '\t')
            q++;
        if (q == p)
            break;
        size_t e = q;
        while (e > p && (s[e - 1] == '!' || s[e - 1] == '.' || s[e - 1] == ':' ||
                         s[e - 1] == '-' || s[e - 1] == ';'))
            e--;
        int ok = e == p || doge__x_upper_start(s + p, e - p) ||
                 !(doge__x_alnum((unsigned char)s[p]) || doge__x_lower_start(s + p, e - p));
        for (size_t k = 0; !ok && k < COUNT(ADDRESS_WORDS); k++)
            ok = doge__x_prefix_ci(s + p, e - p, ADDRESS_WORDS[k]) == e - p;
        for (size_t k = p; k < e; k++)
            if (doge__x_digit((unsigned char)s[k]))
                ok = 0;
        if (!ok || ++words > 3)
            return 0;
        p = q;
    }
    return 1;
}

/* A greeting: a greeting word and at most three more words that address
 * someone ("Good morning Ms. Ortiz,", "Hi all -", "Hey team"), or a bare
 * address ending in a comma ("Team,", "Jane,"). "Hi, done already" and
 * "Hi, I closed 12 cases" are not greetings: they are the reply. */
int doge__x_greeting(const char *s, size_t n)
{
    if (n == 0 || n > 60)
        return 0;
    for (size_t i = 0; i < COUNT(GREET); i++) {
        size_t k = doge__x_prefix_ci(s, n, GREET[i]);
        if (!k || (k < n && doge__x_alnum((unsigned char)s[k])))
            continue;
        return address_words(s + k, n - k);
    }
    if (s[n - 1] == ',' && n <= 32) {
        size_t e = n - 1;
        for (size_t i = 0; i < COUNT(ADDRESS); i++)
            if (doge__x_prefix_ci(s, e, ADDRESS[i]) == e)
                return 1;
        return words_in(s, e) <= 3 && doge__x_name_like(s, e);
    }
    return 0;
}

static const char *const INTRO[] = {
    "apologies for the", "are below", "as follows", "as requested", "below are", "below is",
    "below you", "below:", "following are", "here are", "here is", "here's", "here\xE2\x80\x99s", "heres ", "hope all",
    "hope everyone", "hope this finds", "hope you", "hope your", "i hope", "in response to",
    "is below", "listed below", "my 5 ", "my accomplishments", "my bullets", "my five",
    "my update", "my weekly", "per request", "per the request", "per your request", "please find",
    "please see", "reply to your", "replying to", "responding to", "see below",
    "sorry for the delay", "sorry for the late", "what i accomplished", "what i did last"};
static doge__xtable T_INTRO = DOGE__X_TABLE(INTRO);

int doge__x_intro(const char *s, size_t n)
{
    if (n == 0 || n > 160)
        return 0;
    if (s[n - 1] == ':')
        return 1;
    tables();
    return doge__x_table_scan(&T_INTRO, s, n, NULL);
}

static const char *const OUTRO[] = {
    "additional detail", "any questions", "anything else", "feel free", "further information",
    "happy to answer", "happy to discuss", "happy to provide", "have a good", "have a great",
    "have a nice", "hope this helps", "if you need", "let me know", "more detail",
    "please advise", "reach out", "should you need", "thank you for", "thanks for"};
static doge__xtable T_OUTRO = DOGE__X_TABLE(OUTRO);

int doge__x_outro(const char *s, size_t n)
{
    if (n == 0 || n > 200)
        return 0;
    tables();
    return doge__x_table_scan(&T_OUTRO, s, n, NULL);
}

/* ---- names, contact lines, titles ------------------------------------- */

static const char *const PARTICLES[] = {"de", "la", "del", "van", "von", "der", "da", "di",
                                        "du", "le", "bin", "al", "y", "e", "dos", "das", "ten",
                                        "ter", "st.", "el"};

int doge__x_name_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t w = doge__x_ws(s + i, n - i);
        if (w)
            i += w;
        else if (s[i] == '-' || s[i] == '~')
            i++;
        else if (n - i >= 3 && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x93 || (unsigned char)s[i + 2] == 0x94))
            i += 3;
        else
            break;
    }
    while (n > i && (s[n - 1] == '.' || s[n - 1] == ','))
        n--;
    if (n <= i || n - i > 48)
        return 0;
    size_t words = 0;
    for (size_t p = i; p < n;) {
        size_t q = p;
        while (q < n && s[q] != ' ')
            q++;
        const char *w = s + p;
        size_t wl = q - p;
        for (size_t k = 0; k < wl; k++) {
            unsigned char c = (unsigned char)w[k];
            if (doge__x_digit(c) || c == '@' || c == ':' || c == '/' || c == '|' || c == '(' ||
                c == ')' || c == '!' || c == '?' || c == ';' || c == '&' || c == '+')
                return 0;
        }
        if (wl > 20)
            return 0;
        int particle = 0;
        for (size_t k = 0; k < COUNT(PARTICLES) && words > 0; k++)
            if (doge__x_eq(w, wl, PARTICLES[k]))
                particle = 1;
        if (!particle && !doge__x_upper_start(w, wl))
            return 0;
        words++;
        p = q;
        while (p < n && s[p] == ' ')
            p++;
    }
    return words >= 1 && words <= 4;
}

static const char *const CONTACT_LABELS[] = {"office:", "cell:", "mobile:", "phone:", "tel:",
                                             "desk:", "fax:", "o:", "c:", "m:", "p:", "t:",
                                             "email:", "e-mail:", "teams:"};

int doge__x_contact(const char *s, size_t n)
{
    if (n == 0 || n > 120)
        return 0;
    /* A label ends within the first eight bytes. */
    const char *colon = memchr(s, ':', n < 8 ? n : 8);
    for (size_t i = 0; colon && i < COUNT(CONTACT_LABELS); i++)
        if (doge__x_prefix_ci(s, n, CONTACT_LABELS[i]))
            return 1;
    if (doge__x_prefix_ci(s, n, "www."))
        return 1;
    /* An e-mail address. */
    const char *at = memchr(s, '@', n);
    if (at && at > s && doge__x_alnum((unsigned char)at[-1]) && at + 1 < s + n &&
        memchr(at, '.', (size_t)(s + n - at)))
        return 1;
    /* Ten or more digits within a phone-shaped run. */
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += doge__x_digit((unsigned char)s[i]) != 0;
    for (size_t i = 0; i < n && total >= 10; i++) {
        if (!doge__x_digit((unsigned char)s[i]) && s[i] != '(' && s[i] != '+')
            continue;
        size_t digits = 0, j = i;
        while (j < n && j < i + 22) {
            unsigned char c = (unsigned char)s[j];
            if (doge__x_digit(c))
                digits++;
            else if (c != ' ' && c != '(' && c != ')' && c != '-' && c != '.' && c != '+')
                break;
            j++;
        }
        if (digits >= 10)
            return 1;
        i = j;
    }
    return 0;
}

static const char *const TITLE_WORDS[] = {
    "(he/him)", "(she/her)", "(they/them)", "acting", "administration", "adviser",
    "advisor", "agency", "analyst", "assistant", "attorney", "branch", "bureau", "center",
    "chief", "clerk", "commissioner", "contracting", "coordinator", "counsel", "department",
    "deputy", "director", "district", "division", "engineer", "gs-", "headquarters", "inspector",
    "lead,", "liaison", "manager", "office", "officer", "program", "pronouns", "ranger", "region",
    "scientist", "secretary", "section", "service", "specialist", "supervisor", "team lead",
    "technician", "u.s."};
static doge__xtable T_TITLE = DOGE__X_TABLE(TITLE_WORDS);

/* A signature title line: short, no sentence end, no past-tense verb first
 * ("Supported the Office of ..." is an item, "Program Analyst" a title),
 * and holding a title or office word. */
int doge__x_title_like(const char *s, size_t n)
{
    if (n == 0 || n > 80 || s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?')
        return 0;
    size_t w = 0;
    while (w < n && s[w] != ' ' && s[w] != ',')
        w++;
    if (w > 3 && s[w - 2] == 'e' && s[w - 1] == 'd')
        return 0;
    tables();
    return memchr(s, '|', n) != NULL || doge__x_table_scan(&T_TITLE, s, n, NULL);
}

static const char *const DANGLING[] = {
    "a",    "an",   "the",  "of",    "to",   "and",  "or",   "for",  "with", "in",
    "on",   "at",   "by",   "from",  "as",   "into", "onto", "via",  "per",  "our",
    "my",   "its",  "their", "his",  "her",  "your", "this", "that", "these", "those",
    "which", "who", "including", "across", "between", "about", "over", "under", "after",
    "before", "during", "than", "&", "-", "+", "/", "were", "was", "is", "are", "be",
    "will", "has", "have", "had", "both", "each", "all", "new"};

int doge__x_dangling(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[n - 1];
    if (c == ',' || c == '-' || c == '/' || c == '&' || c == '(' || c == '+')
        return 1;
    size_t b = n;
    while (b > 0 && s[b - 1] != ' ')
        b--;
    const char *w = s + b;
    size_t wl = n - b;
    if (wl > 9)
        return 0;
    char low[10];
    for (size_t i = 0; i < wl; i++)
        low[i] = (char)doge__x_lc((unsigned char)w[i]);
    for (size_t i = 0; i < COUNT(DANGLING); i++)
        if (doge__x_eq(low, wl, DANGLING[i]))
            return 1;
    return 0;
}

int doge__x_rules_check(void)
{
    tables();
    doge__xtable signoffs = DOGE__X_TABLE(SIGNOFFS), starts = DOGE__X_TABLE(DISC_START);
    return doge__x_table_sorted(&T_INTRO) && doge__x_table_sorted(&T_OUTRO) &&
           doge__x_table_sorted(&T_TITLE) && doge__x_table_sorted(&T_DISC) &&
           doge__x_table_sorted(&T_EXT) && doge__x_table_sorted(&signoffs) &&
           doge__x_table_sorted(&starts) && T_INTRO.ready &&
           T_OUTRO.ready && T_TITLE.ready && T_DISC.ready && T_EXT.ready;
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
    doge__x_table_init(&T_INTRO);
    doge__x_table_init(&T_OUTRO);
    doge__x_table_init(&T_TITLE);
    doge__x_table_init(&T_DISC);
    doge__x_table_init(&T_EXT);
}

static void tables(void)
{
    (void)pthread_once(&tables_once, tables_init);
}
