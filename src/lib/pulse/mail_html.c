/*
 * mail_html.c — renders the HTML of an HTML-only mail as plain text, the way
 * a reader sees it, so bullet extraction can work on it: one pass over the
 * markup (no DOM), whitespace collapsed as browsers do except in <pre>,
 * <script>, <style>, <title>, <template> and <head> dropped, comments and
 * Outlook's <![if ...]> markers skipped (their content is kept, so Outlook's
 * "·" list bullets survive), block elements starting new lines, list items
 * marked ("• " in <ul>, "N. " in <ol>, two spaces of indent a nesting level),
 * table cells separated by a tab, blockquote lines prefixed with "> ", and
 * character references decoded (the HTML 4 Latin-1, special and symbol sets,
 * a few HTML5 names, and numeric references with the windows-1252 rule for
 * 128..159). A final pass turns no-break spaces into spaces, trims trailing
 * blanks, keeps at most one empty line in a row and ends with one newline.
 */
#include "mail_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* ---- character references ------------------------------------------------ */

static const char *const latin1_names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",
    "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",
    "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",  "para",   "middot",
    "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",
    "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",
    "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

static const struct named {
    const char *name;
    uint32_t cp;
} other_names[] = {
    {"quot", 34},      {"amp", 38},       {"apos", 39},     {"lt", 60},        {"gt", 62},
    {"Tab", 9},        {"NewLine", 10},   {"OElig", 338},   {"oelig", 339},    {"Scaron", 352},
    {"scaron", 353},   {"Yuml", 376},     {"fnof", 402},    {"circ", 710},     {"tilde", 732},
    {"ensp", 8194},    {"emsp", 8195},    {"thinsp", 8201}, {"zwnj", 8204},    {"zwj", 8205},
    {"lrm", 8206},     {"rlm", 8207},     {"ndash", 8211},  {"mdash", 8212},   {"lsquo", 8216},
    {"rsquo", 8217},   {"sbquo", 8218},   {"ldquo", 8220},  {"rdquo", 8221},   {"bdquo", 8222},
    {"dagger", 8224},  {"Dagger", 8225},  {"bull", 8226},   {"hellip", 8230},  {"permil", 8240},
    {"prime", 8242},   {"Prime", 8243},   {"lsaquo", 8249}, {"rsaquo", 8250},  {"oline", 8254},
    {"frasl", 8260},   {"euro", 8364},    {"trade", 8482},  {"larr", 8592},    {"uarr", 8593},
    {"rarr", 8594},    {"darr", 8595},    {"harr", 8596},   {"lArr", 8656},    {"rArr", 8658},
    {"hArr", 8660},    {"minus", 8722},   {"lowast", 8727}, {"radic", 8730},   {"infin", 8734},
    {"sim", 8764},     {"asymp", 8776},   {"ne", 8800},     {"equiv", 8801},   {"le", 8804},
    {"ge", 8805},      {"sdot", 8901},    {"loz", 9674},    {"spades", 9824},  {"clubs", 9827},
    {"hearts", 9829},  {"diams", 9830},   {"starf", 9733},  {"star", 9734},    {"check", 10003},
    {"cross", 10007},  {"half", 189},     {"alpha", 945},   {"beta", 946},     {"gamma", 947},
    {"delta", 948},    {"mu", 956},       {"pi", 960},      {"sigma", 963},    {"Delta", 916},
    {"Omega", 937},    {"nbsp", 160},     {"dash", 8208},   {"verbar", 124},   {"ast", 42},
    {"colon", 58},     {"comma", 44},     {"period", 46},   {"excl", 33},      {"quest", 63},
    {"num", 35},       {"percnt", 37},    {"lpar", 40},     {"rpar", 41},      {"sol", 47},
};

/* Names HTML accepts without the closing ';' (the common legacy ones). */
static const char *const legacy_names[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg"};

static long lookup(const char *name, size_t len, int html, uint32_t *cp)
{
    if (!html) {
        static const struct named xml[] = {
            {"quot", 34}, {"amp", 38}, {"apos", 39}, {"lt", 60}, {"gt", 62}};
        for (size_t i = 0; i < 5; i++)
            if (strlen(xml[i].name) == len && !memcmp(xml[i].name, name, len)) {
                *cp = xml[i].cp;
                return 1;
            }
        return 0;
    }
    for (size_t i = 0; i < 96; i++)
        if (strlen(latin1_names[i]) == len && !memcmp(latin1_names[i], name, len)) {
            *cp = 160 + (uint32_t)i;
            return 1;
        }
    for (size_t i = 0; i < sizeof other_names / sizeof *other_names; i++)
        if (strlen(other_names[i].name) == len && !memcmp(other_names[i].name, name, len)) {
            *cp = other_names[i].cp;
            return 1;
        }
    return 0;
}

long doge__mail_entity(doge_buf *out, const char *s, size_t n, int html)
{
    size_t i = 1;
    uint32_t cp = 0;
    if (n < 3 || s[0] != '&')
        return 0;
    if (s[1] == '#') {
        int hex = i + 1 < n && (s[2] == 'x' || s[2] == 'X');
        i = hex ? 3 : 2;
        size_t start = i;
        while (i < n && (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
            unsigned d = isdigit((unsigned char)s[i]) ? (unsigned)(s[i] - '0')
                                                      : (unsigned)(tolower((unsigned char)s[i]) - 'a' + 10);
            if (cp <= 0x10FFFF)
                cp = cp * (hex ? 16u : 10u) + d;
            i++;
        }
        if (i == start)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        else if (!html)
            return 0;
        if (cp >= 0x80 && cp < 0xA0)
            cp = doge__mail_cp1252((unsigned char)cp);
        int rc = doge__mail_put_cp(out, cp);
        return rc ? rc : (long)i;
    }
    while (i < n && i <= 33 && isalnum((unsigned char)s[i]))
        i++;
    size_t len = i - 1;
    if (len == 0)
        return 0;
    if (i < n && s[i] == ';') {
        if (!lookup(s + 1, len, html, &cp))
            return 0;
        int rc = doge__mail_put_cp(out, cp);
        return rc ? rc : (long)(i + 1);
    }
    if (!html)
        return 0;
    /* no ';': only the legacy names, and only when not followed by '=' */
    for (size_t k = 0; k < sizeof legacy_names / sizeof *legacy_names; k++) {
        size_t ln = strlen(legacy_names[k]);
        if (ln <= len && !memcmp(s + 1, legacy_names[k], ln) &&
            (ln == len ? (i >= n || s[i] != '=') : 1) &&
            (ln == len || !isalnum((unsigned char)s[1 + ln]))) {
            lookup(legacy_names[k], ln, 1, &cp);
            int rc = doge__mail_put_cp(out, cp);
            return rc ? rc : (long)(1 + ln);
        }
    }
    return 0;
}

/* ---- the renderer --------------------------------------------------------- */

#define MAX_LISTS 16

struct html {
    doge_buf *out;         /* raw rendering, cleaned up at the end */
    int space;             /* a collapsible space is pending */
    int pre;               /* <pre> depth */
    int quote;             /* <blockquote> depth */
    int lists;             /* list nesting depth */
    int ol[MAX_LISTS];     /* next number of each open list; 0 for <ul> */
    int cells;             /* cells so far in the current table row */
    int unclosed;          /* bit per skipped element whose end tag is known
                              to be missing, so hostile input stays linear */
    const char *marker;    /* pending list marker */
    char marker_buf[16];
    int marker_depth;
};

static int at_line_start(const struct html *h)
{
    return h->out->len == 0 || h->out->data[h->out->len - 1] == '\n';
}

static int line_prefix(struct html *h)
{
    int rc = DOGE_OK;
    for (int i = 0; rc == DOGE_OK && i < h->quote; i++)
        rc = doge_buf_append(h->out, "> ", 2);
    if (h->marker) {
        for (int i = 1; rc == DOGE_OK && i < h->marker_depth; i++)
            rc = doge_buf_append(h->out, "  ", 2);
        if (rc == DOGE_OK)
            rc = doge_buf_append_str(h->out, h->marker);
        h->marker = NULL;
    }
    return rc;
}

/* Emits visible text (no collapsible whitespace in it). */
static int put_text(struct html *h, const char *s, size_t n)
{
    int rc = DOGE_OK;
    if (at_line_start(h))
        rc = line_prefix(h);
    else if (h->space)
        rc = doge_buf_append_char(h->out, ' ');
    h->space = 0;
    return rc ? rc : doge_buf_append(h->out, s, n);
}

static int block_break(struct html *h)
{
    h->space = 0;
    if (at_line_start(h))
        return DOGE_OK;
    return doge_buf_append_char(h->out, '\n');
}

static int is_one_of(const char *name, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(name, *list))
            return 1;
    return 0;
}

static const char *const block_tags[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "table", "address",
    "center", "section", "article", "header", "footer", "nav", "aside", "main", "figure",
    "figcaption", "form", "fieldset", "hr", "html", "body", "caption", "tbody", "thead",
    "tfoot", "legend", "details", "summary", NULL};

/* Finds needle (lowercase) in s[0..n) without case; returns its offset or n. */
static size_t find_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (!strncasecmp(s + i, needle, k))
            return i;
    return n;
}

static int on_tag(struct html *h, const char *name, int closing)
{
    int rc = DOGE_OK;
    if (!strcmp(name, "br")) {
        h->space = 0;
        return doge_buf_append_char(h->out, '\n');
    }
    if (!strcmp(name, "ul") || !strcmp(name, "ol")) {
        rc = block_break(h);
        if (!closing) {
            if (h->lists < MAX_LISTS)
                h->ol[h->lists] = name[0] == 'o' ? 1 : 0;
            h->lists++;
        } else if (h->lists > 0)
            h->lists--;
        h->marker = NULL;
        return rc;
    }
    if (!strcmp(name, "li")) {
        rc = block_break(h);
        if (!closing) {
            int d = h->lists > 0 ? h->lists : 1;
            int idx = (d <= MAX_LISTS ? d : MAX_LISTS) - 1;
            if (h->lists > 0 && h->ol[idx] > 0) {
                snprintf(h->marker_buf, sizeof h->marker_buf, "%d. ", h->ol[idx]);
                if (h->ol[idx] < 1000000)
                    h->ol[idx]++;
            } else
                snprintf(h->marker_buf, sizeof h->marker_buf, "\xE2\x80\xA2 ");
            h->marker = h->marker_buf;
            h->marker_depth = d;
        }
        return rc;
    }
    if (!strcmp(name, "tr")) {
        h->cells = 0;
        return block_break(h);
    }
    if (!strcmp(name, "td") || !strcmp(name, "th")) {
        if (!closing) {
            if (h->cells > 0 && !at_line_start(h))
                rc = doge_buf_append_char(h->out, '\t');
            h->cells++;
            h->space = 0;
        }
        return rc;
    }
    if (!strcmp(name, "blockquote")) {
        rc = block_break(h);
        if (!closing)
            h->quote++;
        else if (h->quote > 0)
            h->quote--;
        return rc;
    }
    if (!strcmp(name, "pre")) {
        rc = block_break(h);
        if (!closing)
            h->pre++;
        else if (h->pre > 0)
            h->pre--;
        return rc;
    }
    if (is_one_of(name, block_tags))
        return block_break(h);
    return DOGE_OK;
}

int doge__mail_html_to_text(doge_buf *out, const char *s, size_t n)
{
    doge_buf raw, ent;
    doge_buf_init(&raw, out->max);
    doge_buf_init(&ent, 64);
    struct html h;
    memset(&h, 0, sizeof h);
    h.out = &raw;
    int rc = DOGE_OK;
    size_t i = 0;
    while (rc == DOGE_OK && i < n) {
        char c = s[i];
        if (c == '<') {
            size_t rest = n - i;
            if (rest >= 4 && !memcmp(s + i, "<!--", 4)) {
                size_t e = find_ci(s + i + 4, rest - 4, "-->");
                i += 4 + e + 3;
                continue;
            }
            if (rest >= 2 && (s[i + 1] == '!' || s[i + 1] == '?')) {
                const char *gt = memchr(s + i, '>', rest);
                i = gt ? (size_t)(gt - s) + 1 : n;
                continue;
            }
            size_t j = i + 1;
            int closing = 0;
            if (j < n && s[j] == '/') {
                closing = 1;
                j++;
            }
            if (j >= n || !isalpha((unsigned char)s[j])) {
                rc = put_text(&h, "<", 1);
                i++;
                continue;
            }
            char name[24];
            size_t k = 0;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == ':' || s[j] == '-' ||
                             s[j] == '_')) {
                if (k + 1 < sizeof name)
                    name[k++] = (char)tolower((unsigned char)s[j]);
                j++;
            }
            name[k] = '\0';
            /* to the closing '>', honouring quoted attribute values */
            char q = 0;
            while (j < n && (q || s[j] != '>')) {
                if (q && s[j] == q)
                    q = 0;
                else if (!q && (s[j] == '"' || s[j] == '\'') && j > 0 &&
                         (s[j - 1] == '=' || isspace((unsigned char)s[j - 1])))
                    q = s[j];
                j++;
            }
            if (j >= n)
                break; /* a tag cut off at the end: drop it */
            int selfclose = s[j - 1] == '/';
            i = j + 1;
            static const char *const skipped[] = {"script", "style", "template", "title",
                                                  "head"};
            int sk = -1;
            for (int k2 = 0; !closing && !selfclose && k2 < 5; k2++)
                if (!strcmp(name, skipped[k2]))
                    sk = k2;
            if (sk >= 0) {
                /* title and head: when never closed, ignore the tag itself */
                int lenient = sk >= 3;
                if (lenient && (h.unclosed & (1 << sk)))
                    continue;
                char endtag[32];
                snprintf(endtag, sizeof endtag, "</%s", name);
                size_t e = find_ci(s + i, n - i, endtag);
                if (sk == 4) {
                    size_t b = find_ci(s + i, n - i, "<body");
                    if (b < e)
                        e = b;
                }
                if (e == n - i && lenient) {
                    h.unclosed |= 1 << sk;
                    continue;
                }
                i += e;
                if (i < n && s[i + 1] == '/') { /* skip the end tag too */
                    const char *gt = memchr(s + i, '>', n - i);
                    i = gt ? (size_t)(gt - s) + 1 : n;
                }
                continue;
            }
            rc = on_tag(&h, name, closing);
            continue;
        }
        if (c == '&') {
            doge_buf_reset(&ent);
            long used = doge__mail_entity(&ent, s + i, n - i, 1);
            if (used < 0) {
                rc = (int)used;
                break;
            }
            if (used == 0) {
                rc = put_text(&h, "&", 1);
                i++;
            } else {
                rc = h.pre && ent.len == 1 && ent.data[0] == '\n' ? doge_buf_append_char(&raw, '\n')
                                                                  : put_text(&h, ent.data, ent.len);
                i += (size_t)used;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            if (h.pre) {
                if (c == '\r')
                    ;
                else if (c == '\n')
                    rc = doge_buf_append_char(&raw, '\n');
                else
                    rc = put_text(&h, &c, 1);
            } else
                h.space = 1;
            i++;
            continue;
        }
        /* a run of ordinary text */
        size_t j = i;
        while (j < n && s[j] != '<' && s[j] != '&' && s[j] != ' ' && s[j] != '\t' &&
               s[j] != '\n' && s[j] != '\r' && s[j] != '\f')
            j++;
        rc = put_text(&h, s + i, j - i);
        i = j;
    }
    doge_buf_dispose(&ent);

    /* clean-up: no-break spaces, trailing blanks, runs of empty lines */
    doge_buf line;
    doge_buf_init(&line, out->max);
    const char *p = doge_buf_cstr(&raw), *end = p + raw.len;
    int blank = 0, started = 0;
    while (rc == DOGE_OK && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        doge_buf_reset(&line);
        for (const char *q = p; rc == DOGE_OK && q < eol; q++) {
            if ((unsigned char)q[0] == 0xC2 && q + 1 < eol && (unsigned char)q[1] == 0xA0) {
                rc = doge_buf_append_char(&line, ' ');
                q++;
            } else
                rc = doge_buf_append_char(&line, *q);
        }
        size_t keep = line.len;
        while (keep > 0 && (line.data[keep - 1] == ' ' || line.data[keep - 1] == '\t'))
            keep--;
        p = eol < end ? eol + 1 : end;
        if (keep == 0) {
            blank = started;
            continue;
        }
        if (rc == DOGE_OK && blank)
            rc = doge_buf_append_char(out, '\n');
        if (rc == DOGE_OK)
            rc = doge_buf_append(out, line.data, keep);
        if (rc == DOGE_OK)
            rc = doge_buf_append_char(out, '\n');
        blank = 0;
        started = 1;
    }
    doge_buf_dispose(&line);
    doge_buf_dispose(&raw);
    return rc;
}
