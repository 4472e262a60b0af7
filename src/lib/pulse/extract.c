/*
 * extract.c — the pulse reply extractor's core: splits a decoded body into
 * logical lines (unwrapping format=flowed), marks what is not the reply,
 * decides whether the reply is a marked list or one item per line, joins
 * wrapped items, and builds the result in the extractor's arena. The line
 * rules it applies live in extract_rules.c, the request matcher in
 * extract_request.c, the auto-reply test in extract_auto.c and the policy
 * scan in extract_policy.c.
 *
 * The passes, in order:
 *
 * 1. Lines. CRLF and LF ends; a leading BOM is skipped; trailing whitespace
 *    (NBSP included) is dropped. Plain text: a line's '>' prefix ("> > "
 *    too) gives its quote depth. format=flowed (RFC 3676): the quote depth is
 *    the run of '>', one space after it is space-stuffing and is removed, and
 *    a line ending in a space (other than the "-- " delimiter) continues on
 *    the next line of the same depth; with DelSp=yes that space is deleted.
 * 2. Structure, top to bottom, with three states: reply, signature (after a
 *    "-- ", a sign-off, "Sent from my ..." or a disclaimer: lines are
 *    stripped until a quoted block starts; a sign-off with no reply text
 *    above it and reply text below, "Thanks!" then the list, opens the reply
 *    and is stripped like a greeting), and cut (after an Outlook header
 *    block, "-----Original Message-----", a Lotus Notes "HR ---02/22/2025
 *    04:47:17 PM---" line, or an "On ... wrote:" that is not followed by
 *    '>' lines: everything below is the quoted message). '>'
 *    lines are always stripped and end the signature state, so a
 *    bottom-posted reply under a quote is kept. A forwarded message
 *    ("---------- Forwarded message ---------", or an Outlook block whose
 *    Subject is "FW:") under at most a short note ("FYI", "Forgot to cc
 *    you, see below.") is the reply being passed on: only its separator and
 *    header lines are stripped. In the reply state each line is checked for
 *    an external-sender warning, a classification banner and a copy of the
 *    request (see extract_request.c).
 * 3. Out-of-office: the remaining text is scored (extract_auto.c); an
 *    auto-reply has no bullets. In a marked list of two or more items only
 *    an unmarked line with an explicit phrase counts ("Automatic reply:
 *    ..."): a list may mention leave and a return date, and a bullet may be
 *    about an auto-reply rule.
 * 4. Edges of the reply: a greeting on the first line; at the end a
 *    signature without a delimiter (a name line followed by title or contact
 *    lines, a lone name line after a blank line, or "-Jane" / "~Jane"); an
 *    introduction on the first two lines ("Here are my bullets:", any line
 *    ending in ':'), closing remarks at the end ("Let me know if ...").
 * 5. Items. If any remaining line starts with a list marker the reply is a
 *    marked list: each marked line starts a bullet and unmarked lines are
 *    kept only as continuations (others are prose around the list).
 *    Otherwise every line is an item, except headings ending in ':'.
 *    A line continues the item above it (no blank line between, no marker
 *    of its own) when:
 *    - marked list: it is indented deeper than the item's first line; or it
 *      starts with a small letter and the line above does not end a
 *      sentence (. ! ?); or the line above looks hard-wrapped and does not
 *      end a sentence or with ':'; or the item's marker had no text yet;
 *    - one item per line: the line above looks hard-wrapped and either this
 *      line starts with a small letter, or the line above ends on a word a
 *      line cannot end on ("the", "of", "and", a comma ...), or it does not
 *      end a sentence (nor with ':' or ';') and the reply shows it was
 *      hard-wrapped (some break above is certainly a wrap by the first two
 *      tests).
 *    "Looks hard-wrapped": the body is not format=flowed, no reply line is
 *    wider than 80 columns (lines with a 30+ column token, such as a link,
 *    do not count), and the line above plus a space plus this line's first
 *    word would not have fit in the wrap width, taken as the widest reply
 *    line but at least 66 columns (the narrowest common client setting).
 *    Joined lines are separated by one space; text is otherwise kept as
 *    written.
 * 6. Policy flags and redacted text per bullet (extract_policy.c).
 */
#include "extract_internal.h"
#include "doge/arena.h"

#include <stdlib.h>
#include <string.h>

struct doge_extract {
    doge_arena *arena;
    doge__xreq req;
    doge_extract_result res;
};

/* One run's working state. */
struct run {
    doge_extract *x;
    doge__xline *L;
    size_t n;          /* logical lines */
    uint32_t phys;     /* physical lines */
    int flowed;
    unsigned banner;   /* flags from classification banners */
    size_t parsed;     /* lines before this one are parsed (no longer raw) */
    size_t wrap;       /* hard-wrap width, 0 when the body is not hard-wrapped */
    int wrapped_prose; /* some line break is certainly a hard wrap */
    uint32_t *ci;      /* the lines left after structure(), in order */
    size_t nci;
    doge_extract_bullet *bullets;
    size_t count;
};

int doge_extract_new(doge_extract **out)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "extract: new: NULL argument");
    *out = NULL;
    doge_extract *x = calloc(1, sizeof *x);
    if (!x)
        return doge__error_oom();
    /* Working memory is 32 bytes a line (twice that while the line table
     * grows) and the body again for format=flowed: the cap leaves room for
     * the largest body of ordinary lines. */
    int rc = doge_arena_new(&x->arena, 0, DOGE_EXTRACT_MAX_BODY * 8);
    if (rc != DOGE_OK) {
        free(x);
        return rc;
    }
    *out = x;
    return DOGE_OK;
}

void doge_extract_free(doge_extract *x)
{
    if (!x)
        return;
    doge_arena_free(x->arena);
    doge__x_req_free(&x->req);
    free(x);
}

int doge_extract_set_request(doge_extract *x, const char *subject, const char *text, size_t len)
{
    if (!x || (!text && len))
        return doge__error_set(DOGE_EINVAL, "extract: set_request: NULL argument");
    size_t slen = subject ? strlen(subject) : 0;
    if (len > DOGE_EXTRACT_MAX_REQUEST || slen > DOGE_EXTRACT_MAX_REQUEST)
        return doge__error_set(DOGE_ELIMIT,
                               "extract: set_request: request of %zu bytes is over the %zu-byte cap",
                               len > slen ? len : slen, DOGE_EXTRACT_MAX_REQUEST);
    if (!subject && !text) {
        doge__x_req_free(&x->req);
        return DOGE_OK;
    }
    return doge__x_req_build(&x->req, subject, text, len);
}

/* ---- pass 1: lines ---------------------------------------------------- */

/* Sets s, n and indent of l from the text after its quote prefix. */
static void finish_line(doge__xline *l, const char *s, size_t n)
{
    size_t i = 0, indent = 0;
    n = doge__x_rtrim(s, n);
    while (i < n) {
        size_t w = doge__x_ws(s + i, n - i);
        if (!w)
            break;
        indent += s[i] == '\t' ? 4 : 1;
        i += w;
    }
    l->s = s + i;
    l->n = (uint32_t)(n - i);
    l->indent = (uint16_t)(indent > 65535 ? 65535 : indent);
}

static void plain_line(doge__xline *l, const char *s, size_t n)
{
    size_t i = 0;
    unsigned q = 0;
    while (i < n && s[i] == '>') {
        q++;
        i++;
        if (i + 1 < n && s[i] == ' ' && s[i + 1] == '>')
            i++;
    }
    if (q && i < n && s[i] == ' ')
        i++;
    l->quote = (uint8_t)(q > 255 ? 255 : q);
    finish_line(l, s + i, n - i);
}

/* Makes room for line n in r->L (capacity *cap), doubling as needed. */
static int line_room(struct run *r, size_t n, size_t *cap)
{
    if (n < *cap)
        return DOGE_OK;
    size_t want = *cap * 2;
    void *mem;
    int rc = doge_arena_alloc(r->x->arena, want * sizeof(doge__xline), 0, &mem);
    if (rc != DOGE_OK)
        return rc;
    memcpy(mem, r->L, n * sizeof(doge__xline));
    r->L = mem;
    *cap = want;
    return DOGE_OK;
}

static int split_lines(struct run *r, const char *body, size_t len, unsigned flags)
{
    /* One pass: room for lines of 32 bytes on average, grown if short. */
    size_t cap = len / 32 + 16;
    void *mem;
    int rc = doge_arena_alloc(r->x->arena, cap * sizeof(doge__xline), 0, &mem);
    if (rc != DOGE_OK)
        return rc;
    r->L = mem;
    char *buf = NULL;
    if (r->flowed) {
        rc = doge_arena_alloc(r->x->arena, len + 1, 1, &mem);
        if (rc != DOGE_OK)
            return rc;
        buf = mem;
    }
    size_t n = 0, o = 0;
    int open = 0; /* the last logical line continues (flowed) */
    uint32_t lineno = 0;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        lineno++;
        size_t ln = (size_t)(e - p);
        if (ln && p[ln - 1] == '\r')
            ln--;
        if ((rc = line_room(r, n, &cap)) != DOGE_OK)
            return rc;
        if (!r->flowed) {
            /* Parsed when structure() reaches it: most of a long body is
             * the quoted message under a cut, which needs no parsing. */
            doge__xline *l = &r->L[n++];
            memset(l, 0, sizeof *l);
            l->line = lineno;
            l->nphys = 1;
            l->s = p;
            l->n = (uint32_t)ln;
            l->aux = DOGE__X_AUX_RAW;
            p = next;
            continue;
        }
        /* RFC 3676: quote depth, space-stuffing, soft breaks. */
        size_t i = 0;
        unsigned q = 0;
        while (i < ln && p[i] == '>')
            q++, i++;
        if (i < ln && p[i] == ' ')
            i++;
        const char *c = p + i;
        size_t cl = ln - i;
        int sig = cl == 3 && memcmp(c, "-- ", 3) == 0;
        int soft = !sig && cl > 0 && c[cl - 1] == ' ';
        if (soft && (flags & DOGE_EXTRACT_DELSP))
            cl--;
        uint8_t depth = (uint8_t)(q > 255 ? 255 : q);
        doge__xline *l;
        if (open && r->L[n - 1].quote == depth && !sig) {
            l = &r->L[n - 1];
            l->nphys++;
        } else {
            if (open) /* a depth change ends a flowed paragraph */
                finish_line(&r->L[n - 1], r->L[n - 1].s, r->L[n - 1].n);
            l = &r->L[n++];
            memset(l, 0, sizeof *l);
            l->line = lineno;
            l->nphys = 1;
            l->quote = depth;
            l->s = buf + o;
            l->n = 0;
        }
        memcpy(buf + o, c, cl);
        o += cl;
        l->n += (uint32_t)cl;
        open = soft;
        if (!soft)
            finish_line(l, l->s, l->n);
        p = next;
    }
    if (open && n)
        finish_line(&r->L[n - 1], r->L[n - 1].s, r->L[n - 1].n);
    r->n = n;
    r->phys = lineno;
    return DOGE_OK;
}

/* ---- pass 2: structure ------------------------------------------------ */

static int content(const doge__xline *l)
{
    return l->kind == 0 && l->n > 0;
}

/* Marks lines [from, to) with kind. */
static void mark(struct run *r, size_t from, size_t to, unsigned kind)
{
    for (size_t i = from; i < to && i < r->n; i++)
        r->L[i].kind = (uint16_t)kind;
}

/* Parses the raw lines before line upto (quote depth, whitespace). */
static void parse_upto(struct run *r, size_t upto)
{
    if (upto > r->n)
        upto = r->n;
    for (size_t j = r->parsed; j < upto; j++) {
        doge__xline *l = &r->L[j];
        if (l->aux & DOGE__X_AUX_RAW) {
            l->aux &= (uint8_t)~DOGE__X_AUX_RAW;
            plain_line(l, l->s, l->n);
        }
    }
    if (upto > r->parsed)
        r->parsed = upto;
}

/* Parses the paragraph from line i (up to max lines): the rules that read
 * a whole paragraph (disclaimers, external warnings, forwarded headers)
 * stop at a blank or quoted line. */
static void parse_paragraph(struct run *r, size_t i, size_t max)
{
    size_t end = i + max < r->n ? i + max : r->n;
    for (size_t j = i + 1; j < end; j++) {
        if (j >= r->parsed)
            parse_upto(r, j + 1);
        if (r->L[j].n == 0 || r->L[j].quote)
            return;
    }
}

/* 1 when the reply text above line i is at most a short note ("FYI",
 * "Forgot to cc you, see below.", a greeting): then a forwarded message
 * under it is the reply being passed on, not a quote. */
static int only_note_above(const struct run *r, size_t i)
{
    size_t lines = 0;
    for (size_t j = 0; j < i; j++) {
        const doge__xline *l = &r->L[j];
        if (!content(l))
            continue;
        size_t ml;
        if (++lines > 3 || doge__x_marker(l->s, l->n, &ml))
            return 0;
        if (l->n > 40 && !doge__x_intro(l->s, l->n) && !doge__x_greeting(l->s, l->n))
            return 0;
    }
    return 1;
}

/* At a forwarded message under at most a short note: strips the
 * separator (if any) and the header lines after it and returns the index
 * of the last line stripped; else returns SIZE_MAX and the caller cuts. */
static size_t forwarded(struct run *r, size_t i, int outlook)
{
    doge__xline *L = r->L;
    size_t j = i + (outlook ? 0 : 1), fw = !outlook;
    if (!only_note_above(r, i))
        return SIZE_MAX;
    while (!outlook && j < r->n && (parse_upto(r, j + 1), L[j].n == 0 && !L[j].quote))
        j++;
    if (j >= r->n || (parse_upto(r, j + 1), !doge__x_header_line(&L[j]))) {
        if (!fw)
            return SIZE_MAX;
        mark(r, i, i + 1, DOGE_EXTRACT_STRIP_ORIGINAL);
        return i;
    }
    size_t e = j;
    while (e < r->n && (parse_upto(r, e + 1), L[e].n > 0 && !L[e].quote)) {
        fw |= (size_t)doge__x_forward_subject(&L[e]);
        e++;
    }
    if (!fw)
        return SIZE_MAX;
    mark(r, i, e, DOGE_EXTRACT_STRIP_ORIGINAL);
    return e - 1;
}

/* 1 when the sign-off phrase on line i, with no reply text above it, opens
 * the reply ("Thanks!" then the list) rather than closing an empty one
 * ("Thanks," then a name): the next line is reply text, not a name, title
 * or contact line. */
static int opener(struct run *r, size_t i)
{
    size_t j = i + 1, ml;
    while (j < r->n && j < i + 8 && (parse_upto(r, j + 1), r->L[j].n == 0))
        j++;
    if (j >= r->n || j >= i + 8 || r->L[j].quote)
        return 0;
    const doge__xline *l = &r->L[j];
    if (doge__x_marker(l->s, l->n, &ml))
        return 1;
    return !doge__x_name_like(l->s, l->n) && !doge__x_contact(l->s, l->n) &&
           !doge__x_title_like(l->s, l->n) && !doge__x_signoff(l->s, l->n);
}

static void structure(struct run *r)
{
    doge__xline *L = r->L;
    size_t n = r->n, shorts = 0;
    unsigned sig = 0, cut = 0;
    int text = 0; /* a line of reply text was seen */
    for (size_t i = 0; i < n; i++) {
        doge__xline *l = &L[i];
        if (cut) {
            l->kind = (uint16_t)cut;
            if (l->aux & DOGE__X_AUX_RAW) /* only blank or not matters now */
                l->n = (uint32_t)doge__x_rtrim(l->s, l->n);
            continue;
        }
        /* Most rules look at most 8 lines ahead; paragraph rules parse
         * their paragraph below. */
        if (i + 9 > r->parsed)
            parse_upto(r, i + 9);
        if (l->quote) {
            l->kind = DOGE_EXTRACT_STRIP_QUOTED;
            sig = 0;
            continue;
        }
        if (l->n == 0) {
            l->kind = (uint16_t)sig;
            continue;
        }
        size_t k = doge__x_attribution(L, i, n);
        if (k) {
            size_t j = i + k;
            while (j < n && (parse_upto(r, j + 1), L[j].n == 0 && !L[j].quote))
                j++;
            if (j < n && L[j].quote) {
                mark(r, i, j, DOGE_EXTRACT_STRIP_ATTRIBUTION);
                i = j - 1;
                sig = 0;
            } else {
                cut = DOGE_EXTRACT_STRIP_ATTRIBUTION;
                mark(r, i, i + k, cut);
                i += k - 1;
            }
            continue;
        }
        if (doge__x_original(l->s, l->n)) {
            if (doge__x_forward(l->s, l->n))
                parse_paragraph(r, i + 2, 30);
            size_t e = doge__x_forward(l->s, l->n) ? forwarded(r, i, 0) : SIZE_MAX;
            if (e != SIZE_MAX) {
                i = e;
                sig = 0;
            } else {
                cut = l->kind = DOGE_EXTRACT_STRIP_ORIGINAL;
            }
            continue;
        }
        if (doge__x_outlook_header(L, i, n)) {
            parse_paragraph(r, i, 30);
            size_t e = forwarded(r, i, 1);
            if (e != SIZE_MAX) {
                i = e;
                sig = 0;
            } else {
                cut = l->kind = DOGE_EXTRACT_STRIP_OUTLOOK;
            }
            continue;
        }
        if (doge__x_sig_delim(l)) {
            sig = l->kind = DOGE_EXTRACT_STRIP_SIGNATURE;
            continue;
        }
        if (doge__x_separator(l->s, l->n) || doge__x_image(l->s, l->n)) {
            l->kind = (uint16_t)(sig ? sig : DOGE_EXTRACT_STRIP_SEPARATOR);
            continue;
        }
        if (doge__x_mobile(l->s, l->n)) {
            sig = l->kind = DOGE_EXTRACT_STRIP_MOBILE;
            continue;
        }
        parse_paragraph(r, i, 31);
        if (doge__x_external(L, i, n)) {
            /* The warning's paragraph; a bare "[EXTERNAL]" tag is one line. */
            size_t e = i + 1, ml;
            if (l->n > 12)
                while (e < r->parsed && L[e].n > 0 && !L[e].quote &&
                       !doge__x_marker(L[e].s, L[e].n, &ml) && !doge__x_greeting(L[e].s, L[e].n))
                    e++;
            mark(r, i, e, DOGE_EXTRACT_STRIP_DISCLAIMER);
            i = e - 1;
            continue;
        }
        if (doge__x_disclaimer(L, i, n)) {
            sig = l->kind = DOGE_EXTRACT_STRIP_DISCLAIMER;
            continue;
        }
        if (sig) {
            l->kind = (uint16_t)sig;
            continue;
        }
        if (doge__x_signoff(l->s, l->n)) {
            if (text || !opener(r, i))
                sig = l->kind = DOGE_EXTRACT_STRIP_SIGNOFF;
            else
                l->kind = DOGE_EXTRACT_STRIP_GREETING;
            continue;
        }
        if (doge__x_lotus_header(l->s, l->n)) {
            cut = l->kind = DOGE_EXTRACT_STRIP_ORIGINAL;
            continue;
        }
        unsigned bf;
        if (doge__x_banner(l->s, l->n, &bf)) {
            l->kind = DOGE_EXTRACT_STRIP_BANNER;
            r->banner |= bf;
            continue;
        }
        if (r->x->req.cap) {
            int short_hit;
            if (doge__x_req_line(&r->x->req, l->s, l->n, &short_hit))
                l->kind = DOGE_EXTRACT_STRIP_REQUEST;
            else if (short_hit)
                l->aux |= DOGE__X_AUX_REQ_SHORT, shorts++;
        }
        text |= l->kind == 0;
    }
    /* Short lines next to request lines are the tails of its sentences. */
    if (shorts) {
        for (int pass = 0; pass < 2; pass++)
            for (size_t j = 0; j < n; j++) {
                size_t i = pass ? n - 1 - j : j;
                doge__xline *l = &L[i];
                if (!content(l) || !(l->aux & DOGE__X_AUX_REQ_SHORT))
                    continue;
                if ((i > 0 && L[i - 1].n > 0 && L[i - 1].kind == DOGE_EXTRACT_STRIP_REQUEST) ||
                    (i + 1 < n && L[i + 1].n > 0 && L[i + 1].kind == DOGE_EXTRACT_STRIP_REQUEST))
                    l->kind = DOGE_EXTRACT_STRIP_REQUEST;
            }
    }
}

/* ---- pass 4: edges ---------------------------------------------------- */

static int content_before(const struct run *r, size_t i)
{
    for (size_t q = 0; q < r->nci && r->ci[q] < i; q++)
        if (content(&r->L[r->ci[q]]))
            return 1;
    return 0;
}

static int sig_line(const doge__xline *l)
{
    return l->marker == 0 && (doge__x_contact(l->s, l->n) || doge__x_title_like(l->s, l->n));
}

/* A dash or tilde directly before a name: "-Jane", "~JD", "—Maria". */
static int dash_name(const doge__xline *l)
{
    unsigned char c = (unsigned char)l->s[0];
    int dash = c == '-' || c == '~' || (c == 0xE2 && l->n > 3);
    if (!dash || l->n < 2)
        return 0;
    size_t k = c == 0xE2 ? 3 : 1;
    if (c == 0xE2 && !((unsigned char)l->s[1] == 0x80 &&
                       ((unsigned char)l->s[2] == 0x93 || (unsigned char)l->s[2] == 0x94)))
        return 0;
    if (doge__x_ws(l->s + k, l->n - k))
        return 0;
    return doge__x_name_like(l->s + k, l->n - k);
}

static void edges(struct run *r)
{
    doge__xline *L = r->L;
    size_t first = r->n, last = r->n;
    for (size_t q = 0; q < r->nci && first == r->n; q++)
        if (content(&L[r->ci[q]]))
            first = r->ci[q];
    if (first == r->n)
        return;
    if (doge__x_greeting(L[first].s, L[first].n))
        L[first].kind = DOGE_EXTRACT_STRIP_GREETING;

    /* A signature without a delimiter, at the end. */
    for (size_t q = r->nci; q-- > 0 && last == r->n;)
        if (content(&L[r->ci[q]]))
            last = r->ci[q];
    if (last < r->n && content_before(r, last)) {
        size_t p0 = last;
        while (p0 > 0 && content(&L[p0 - 1]) && L[p0 - 1].marker == 0)
            p0--;
        int separated = p0 == 0 || L[p0 - 1].n == 0 || L[p0 - 1].kind != 0;
        size_t k = last + 1;
        while (k > p0 && sig_line(&L[k - 1]))
            k--;
        /* Lines k..last are title or contact lines. */
        if (k <= last) {
            if (k > p0 && doge__x_name_like(L[k - 1].s, L[k - 1].n) && L[k - 1].marker == 0 &&
                content_before(r, k - 1))
                mark(r, k - 1, last + 1, DOGE_EXTRACT_STRIP_SIGNATURE);
            else if (k == p0 && separated && content_before(r, p0))
                mark(r, p0, last + 1, DOGE_EXTRACT_STRIP_SIGNATURE);
        } else if (dash_name(&L[last]) && (separated || L[last].s[0] == '~')) {
            L[last].kind = DOGE_EXTRACT_STRIP_SIGNOFF;
        } else if (p0 == last && separated && L[last].marker == 0 &&
                   doge__x_name_like(L[last].s, L[last].n)) {
            L[last].kind = DOGE_EXTRACT_STRIP_SIGNOFF;
        }
    }

    /* Introduction and closing remarks. */
    size_t seen = 0;
    for (size_t q = 0; q < r->nci && seen < 2; q++) {
        size_t i = r->ci[q];
        if (!content(&L[i]))
            continue;
        if (L[i].marker || !doge__x_intro(L[i].s, L[i].n))
            break;
        L[i].kind = DOGE_EXTRACT_STRIP_PROSE;
        seen++;
    }
    for (size_t q = r->nci; q-- > 0;) {
        size_t i = r->ci[q];
        if (!content(&L[i]))
            continue;
        if (L[i].marker || !doge__x_outro(L[i].s, L[i].n))
            break;
        L[i].kind = DOGE_EXTRACT_STRIP_PROSE;
    }
}

/* ---- pass 5: items ---------------------------------------------------- */

static int ends_sentence(const char *s, size_t n)
{
    while (n > 0) {
        unsigned char c = (unsigned char)s[n - 1];
        if (c == ')' || c == '"' || c == '\'' || c == ']') {
            n--;
            continue;
        }
        /* closing curly quotes ” ’ */
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
            (c == 0x9D || c == 0x99)) {
            n -= 3;
            continue;
        }
        return c == '.' || c == '!' || c == '?';
    }
    return 0;
}

static int looks_wrapped(const struct run *r, doge__xline *prev, const doge__xline *cur);

static size_t first_word_cols(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ' ' && s[i] != '\t')
        i++;
    return doge__x_cols(s, i);
}

/* The display columns of l with its indent (cached). */
static size_t line_cols(doge__xline *l)
{
    if (l->cols == 0) {
        size_t w = l->indent + doge__x_cols(l->s, l->n);
        l->cols = (uint16_t)(w > 65534 ? 65534 : w + (w == 0));
    }
    return l->cols;
}

static void wrap_width(struct run *r)
{
    size_t maxw = 0;
    r->wrap = 0;
    if (r->flowed)
        return;
    for (size_t q = 0; q < r->nci; q++) {
        doge__xline *l = &r->L[r->ci[q]];
        if (!content(l) || l->indent + l->n <= 66)
            continue; /* (bytes >= columns: it cannot pass 66 columns) */
        size_t w = line_cols(l);
        if (w > 80) {
            /* A long unbreakable token (a link) may pass any wrap width. */
            size_t run = 0, longest = 0;
            for (size_t j = 0; j < l->n; j++) {
                run = l->s[j] == ' ' ? 0 : run + 1;
                longest = run > longest ? run : longest;
            }
            if (longest >= 30)
                continue;
            return;
        }
        maxw = w > maxw ? w : maxw;
    }
    r->wrap = maxw > 66 ? maxw : 66;
}

/* Sets wrapped_prose when some unmarked line certainly continues the one
 * above: that one looks hard-wrapped and this one starts with a small
 * letter, or that one ends on a word a line cannot end on. */
static void wrap_evidence(struct run *r)
{
    for (size_t q = 0; q < r->nci && r->wrap; q++) {
        size_t i = r->ci[q];
        if (i == 0)
            continue;
        doge__xline *p = &r->L[i - 1];
        const doge__xline *c = &r->L[i];
        if (!content(p) || !content(c) || c->marker || !looks_wrapped(r, p, c) ||
            ends_sentence(p->s, p->n))
            continue;
        if (doge__x_lower_start(c->s, c->n) || doge__x_dangling(p->s, p->n)) {
            r->wrapped_prose = 1;
            return;
        }
    }
}

static int looks_wrapped(const struct run *r, doge__xline *prev, const doge__xline *cur)
{
    if (!r->wrap || prev->nphys > 1)
        return 0;
    return line_cols(prev) + 1 + first_word_cols(cur->s, cur->n) > r->wrap;
}

static int continues(const struct run *r, doge__xline *prev, const doge__xline *cur,
                     size_t item_indent, int listed)
{
    int wrapped = looks_wrapped(r, prev, cur);
    int lower = doge__x_lower_start(cur->s, cur->n);
    int ends = ends_sentence(prev->s, prev->n);
    char lastc = prev->s[prev->n - 1];
    if (listed) {
        if (cur->indent > item_indent)
            return 1;
        if (lower && !ends)
            return 1;
        return wrapped && !ends && lastc != ':';
    }
    if (!wrapped)
        return 0;
    if (lower)
        return 1;
    return !ends && lastc != ':' && lastc != ';' &&
           (r->wrapped_prose || doge__x_dangling(prev->s, prev->n));
}

struct item {
    size_t first, last;
    size_t indent;
    int has_text;
};

static int emit(struct run *r, const struct item *it)
{
    const doge__xline *L = r->L;
    size_t len = 0, pieces = 0;
    for (size_t i = it->first; i <= it->last; i++) {
        size_t skip = i == it->first ? L[i].mlen : 0;
        if (L[i].n > skip) {
            len += L[i].n - skip;
            pieces++;
        }
    }
    if (pieces == 0) {
        mark(r, it->first, it->last + 1, DOGE_EXTRACT_STRIP_PROSE);
        return DOGE_OK;
    }
    len += pieces - 1;
    void *mem;
    int rc = doge_arena_alloc(r->x->arena, len + 1, 1, &mem);
    if (rc != DOGE_OK)
        return rc;
    char *t = mem, *o = t;
    for (size_t i = it->first; i <= it->last; i++) {
        size_t skip = i == it->first ? L[i].mlen : 0;
        if (L[i].n <= skip)
            continue;
        if (o > t)
            *o++ = ' ';
        memcpy(o, L[i].s + skip, L[i].n - skip);
        o += L[i].n - skip;
    }
    *o = '\0';
    doge_extract_bullet *b = &r->bullets[r->count++];
    b->text = t;
    b->len = len;
    b->redacted = t;
    b->redacted_len = len;
    b->marker = L[it->first].marker;
    b->line = L[it->first].line;
    b->lines = L[it->last].line + L[it->last].nphys - L[it->first].line;
    size_t spans, rlen;
    b->flags = doge__x_policy_measure(t, len, &spans, &rlen);
    if (b->flags) {
        rc = doge_arena_alloc(r->x->arena, rlen + 1, 1, &mem);
        if (rc != DOGE_OK)
            return rc;
        doge__x_policy_redact(t, len, mem);
        b->redacted = mem;
        b->redacted_len = rlen;
    }
    return DOGE_OK;
}

static int items(struct run *r, int listed)
{
    doge__xline *L = r->L;
    struct item it = {0, 0, 0, 0};
    int open = 0, rc;
    for (size_t q = 0; q < r->nci; q++) {
        size_t i = r->ci[q];
        doge__xline *l = &L[i];
        if (!content(l))
            continue;
        int adjacent = open && it.last + 1 == i;
        if (listed && l->marker) {
            if (open && (rc = emit(r, &it)) != DOGE_OK)
                return rc;
            it.first = it.last = i;
            it.indent = l->indent;
            it.has_text = l->n > l->mlen;
            open = 1;
            continue;
        }
        if (adjacent && (!it.has_text || continues(r, &L[i - 1], l, it.indent, listed))) {
            it.last = i;
            it.has_text = 1;
            continue;
        }
        if (open && (rc = emit(r, &it)) != DOGE_OK)
            return rc;
        open = 0;
        if (listed || l->s[l->n - 1] == ':') {
            l->kind = DOGE_EXTRACT_STRIP_PROSE;
            continue;
        }
        it.first = it.last = i;
        it.indent = l->indent;
        it.has_text = 1;
        open = 1;
    }
    if (open && (rc = emit(r, &it)) != DOGE_OK)
        return rc;
    return DOGE_OK;
}

/* ---- the result ------------------------------------------------------- */

static int spans(struct run *r)
{
    doge_extract_result *res = &r->x->res;
    void *mem;
    int rc = doge_arena_alloc(r->x->arena, (r->n ? r->n : 1) * sizeof(doge_extract_span), 0, &mem);
    if (rc != DOGE_OK)
        return rc;
    doge_extract_span *sp = mem;
    size_t count = 0;
    unsigned cur = 0; /* kind of the open span, 0 for none */
    for (size_t i = 0; i < r->n; i++) {
        const doge__xline *l = &r->L[i];
        if (l->n == 0)
            continue; /* blank lines neither open, extend nor close a span */
        if (l->kind == 0) {
            cur = 0;
            continue;
        }
        if (l->kind == cur) {
            doge_extract_span *s = &sp[count - 1];
            s->lines = l->line + l->nphys - s->first_line;
            continue;
        }
        cur = l->kind;
        sp[count].kind = cur;
        sp[count].first_line = l->line;
        sp[count].lines = l->nphys;
        count++;
        res->stripped_kinds |= cur;
    }
    res->spans = sp;
    res->span_count = count;
    return DOGE_OK;
}

int doge_extract_run(doge_extract *x, const char *body, size_t len, unsigned flags,
                     const doge_extract_result **out)
{
    if (!x || !out || (!body && len))
        return doge__error_set(DOGE_EINVAL, "extract: run: NULL argument");
    *out = NULL;
    if (flags & ~(DOGE_EXTRACT_FLOWED | DOGE_EXTRACT_DELSP))
        return doge__error_set(DOGE_EINVAL, "extract: run: unknown flags 0x%x", flags);
    if (len > DOGE_EXTRACT_MAX_BODY)
        return doge__error_set(DOGE_ELIMIT, "extract: run: body of %zu bytes is over the %zu-byte cap",
                               len, DOGE_EXTRACT_MAX_BODY);
    doge_arena_reset(x->arena);
    memset(&x->res, 0, sizeof x->res);
    if (!body)
        body = "";
    if (len >= 3 && memcmp(body, "\xEF\xBB\xBF", 3) == 0)
        body += 3, len -= 3;

    struct run r;
    memset(&r, 0, sizeof r);
    r.x = x;
    r.flowed = (flags & DOGE_EXTRACT_FLOWED) != 0;
    int rc = split_lines(&r, body, len, flags);
    if (rc != DOGE_OK)
        return doge__error_prefix("extract: run");
    x->res.lines = r.phys;
    structure(&r);

    /* The lines left, their markers, and the out-of-office test on them:
     * in a marked list of two or more items only an unmarked line with an
     * explicit phrase ("Automatic reply: ...") counts, as a bullet may well
     * be about an auto-reply rule; other text is normalised and scored. */
    void *mem;
    rc = doge_arena_alloc(x->arena, (r.n ? r.n : 1) * sizeof(uint32_t), 0, &mem);
    if (rc != DOGE_OK)
        return doge__error_prefix("extract: run");
    r.ci = mem;
    size_t marked = 0, left = 0;
    for (size_t i = 0; i < r.n; i++) {
        doge__xline *l = &r.L[i];
        if (!content(l))
            continue;
        r.ci[r.nci++] = (uint32_t)i;
        size_t ml;
        l->marker = (uint8_t)doge__x_marker(l->s, l->n, &ml);
        l->mlen = (uint16_t)(ml > 65535 ? 0 : ml);
        if (ml > 65535)
            l->marker = 0;
        marked += l->marker != 0;
        left++;
    }
    int auto_reply = 0;
    if (left && marked >= 2) {
        for (size_t q = 0; q < r.nci && !auto_reply; q++) {
            const doge__xline *l = &r.L[r.ci[q]];
            /* (the shortest explicit phrase, "autoreply", has 9 bytes) */
            auto_reply = !l->marker && l->n >= 9 && doge__x_auto_explicit(l->s, l->n);
        }
    } else if (left) {
        char norm[DOGE__X_AUTO_WINDOW];
        size_t nl = 0;
        for (size_t q = 0; q < r.nci && nl < sizeof norm; q++) {
            const doge__xline *l = &r.L[r.ci[q]];
            if (nl > 0)
                norm[nl++] = ' ';
            doge__x_normalize(l->s, l->n, norm, sizeof norm, &nl);
        }
        auto_reply = doge__x_auto_reply(norm, nl, 0);
    }
    if (auto_reply) {
        for (size_t q = 0; q < r.nci; q++)
            r.L[r.ci[q]].kind = DOGE_EXTRACT_STRIP_AUTO_REPLY;
        x->res.auto_reply = 1;
        left = 0;
    }
    if (left) {
        edges(&r);
        marked = 0;
        left = 0;
        for (size_t q = 0; q < r.nci; q++)
            if (content(&r.L[r.ci[q]])) {
                marked += r.L[r.ci[q]].marker != 0;
                left++;
            }
    }
    rc = doge_arena_alloc(x->arena, (left ? left : 1) * sizeof(doge_extract_bullet), 0, &mem);
    if (rc != DOGE_OK)
        return doge__error_prefix("extract: run");
    r.bullets = mem;
    if (left) {
        wrap_width(&r);
        wrap_evidence(&r);
        rc = items(&r, marked > 0);
        if (rc != DOGE_OK)
            return doge__error_prefix("extract: run");
    }
    if ((rc = spans(&r)) != DOGE_OK)
        return doge__error_prefix("extract: run");
    x->res.bullets = r.bullets;
    x->res.count = r.count;
    x->res.style = r.count == 0 ? DOGE_EXTRACT_STYLE_EMPTY
                   : marked > 0 ? DOGE_EXTRACT_STYLE_MARKERS
                                : DOGE_EXTRACT_STYLE_LINES;
    x->res.flags = r.banner;
    for (size_t i = 0; i < r.count; i++)
        x->res.flags |= r.bullets[i].flags;
    *out = &x->res;
    return DOGE_OK;
}

/* ---- names and explanations ------------------------------------------- */

static const struct {
    unsigned kind;
    const char *name;
    const char *label;
} KINDS[] = {
    {DOGE_EXTRACT_STRIP_REQUEST, "request", "copy of the request"},
    {DOGE_EXTRACT_STRIP_ATTRIBUTION, "attribution", "\"On ... wrote:\" quote"},
    {DOGE_EXTRACT_STRIP_OUTLOOK, "outlook", "Outlook \"From: ... Sent:\" quote"},
    {DOGE_EXTRACT_STRIP_ORIGINAL, "original", "original or forwarded message"},
    {DOGE_EXTRACT_STRIP_QUOTED, "quoted", "'>' quoted text"},
    {DOGE_EXTRACT_STRIP_SIGNATURE, "signature", "signature"},
    {DOGE_EXTRACT_STRIP_SIGNOFF, "signoff", "sign-off"},
    {DOGE_EXTRACT_STRIP_MOBILE, "mobile", "\"Sent from my ...\" footer"},
    {DOGE_EXTRACT_STRIP_DISCLAIMER, "disclaimer", "disclaimer"},
    {DOGE_EXTRACT_STRIP_BANNER, "banner", "classification banner"},
    {DOGE_EXTRACT_STRIP_GREETING, "greeting", "greeting"},
    {DOGE_EXTRACT_STRIP_PROSE, "prose", "text outside the list"},
    {DOGE_EXTRACT_STRIP_SEPARATOR, "separator", "separator"},
    {DOGE_EXTRACT_STRIP_AUTO_REPLY, "auto-reply", "out-of-office text"},
};

const char *doge_extract_strip_name(unsigned kind)
{
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (KINDS[i].kind == kind)
            return KINDS[i].name;
    return "?";
}

const char *doge_extract_flag_name(unsigned flag)
{
    switch (flag) {
    case DOGE_EXTRACT_FLAG_LINK:
        return "link";
    case DOGE_EXTRACT_FLAG_CLASSIFICATION:
        return "classification";
    case DOGE_EXTRACT_FLAG_SSN:
        return "ssn";
    default:
        return "?";
    }
}

int doge_extract_explain(const doge_extract_result *r, doge_buf *out)
{
    if (!r || !out)
        return doge__error_set(DOGE_EINVAL, "extract: explain: NULL argument");
    size_t before = out->len;
    int rc = DOGE_OK;
    if (r->span_count == 0)
        rc = doge_buf_append_str(out, "nothing stripped");
    for (size_t i = 0; i < r->span_count && rc == DOGE_OK; i++) {
        const doge_extract_span *s = &r->spans[i];
        const char *label = "?";
        for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++)
            if (KINDS[k].kind == s->kind)
                label = KINDS[k].label;
        if (s->lines <= 1)
            rc = doge_buf_printf(out, "%s%s line %u", i ? "; " : "", label, (unsigned)s->first_line);
        else
            rc = doge_buf_printf(out, "%s%s lines %u-%u", i ? "; " : "", label,
                                 (unsigned)s->first_line,
                                 (unsigned)(s->first_line + s->lines - 1));
    }
    if (rc != DOGE_OK) {
        doge_buf_truncate(out, before);
        return doge__error_prefix("extract: explain");
    }
    return DOGE_OK;
}
