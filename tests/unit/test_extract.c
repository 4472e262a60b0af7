/*
 * test_extract.c — the pulse bullet extractor: the hand-checked corpus under
 * tests/resources/mail/extract/ (every NNN-name.txt against its
 * NNN-name.expected, exactly: bullets, per-bullet flags and redacted text,
 * reply flags, auto-reply and the set of stripped kinds; the format is in
 * that folder's README.md), then one test per rule (markers, flowed text,
 * wrapping, quote blocks, signatures, banners, policy flags, auto-replies,
 * request copies), the explanation text, argument errors, and a throughput
 * sanity run that extracts the corpus many times without timing anything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "internal.h"
#include "pulse/extract_internal.h"
#include "util_assert.h"

#define CORPUS DOGE_SOURCE_DIR "/tests/resources/mail/extract"

/* ---- corpus ------------------------------------------------------------ */

struct want_bullet {
    char *text;
    char *redacted; /* NULL: no flags */
    unsigned flags;
};

struct want {
    unsigned run_flags;
    int auto_reply;
    unsigned flags;
    unsigned stripped;
    struct want_bullet b[64];
    size_t count;
};

static char *slurp(const char *path, size_t *len)
{
    char *data = NULL;
    if (doge__file_read(path, (size_t)1 << 20, &data, len) != DOGE_OK)
        return NULL;
    return data;
}

static unsigned flag_bit(const char *name, size_t n)
{
    for (unsigned f = 1; f <= DOGE_EXTRACT_FLAG_SSN; f <<= 1)
        if (strlen(doge_extract_flag_name(f)) == n && !memcmp(doge_extract_flag_name(f), name, n))
            return f;
    fail_msg("unknown flag name '%.*s'", (int)n, name);
    return 0;
}

static unsigned strip_bit(const char *name, size_t n)
{
    for (unsigned k = 1; k <= DOGE_EXTRACT_STRIP_AUTO_REPLY; k <<= 1)
        if (strlen(doge_extract_strip_name(k)) == n && !memcmp(doge_extract_strip_name(k), name, n))
            return k;
    fail_msg("unknown strip kind '%.*s'", (int)n, name);
    return 0;
}

/* Words of s (up to end) mapped through bit() and OR-ed. */
static unsigned words(const char *s, const char *end, unsigned (*bit)(const char *, size_t))
{
    unsigned v = 0;
    while (s < end) {
        while (s < end && (*s == ' ' || *s == ','))
            s++;
        const char *e = s;
        while (e < end && *e != ' ' && *e != ',')
            e++;
        if (e > s)
            v |= bit(s, (size_t)(e - s));
        s = e;
    }
    return v;
}

static void parse_want(char *text, struct want *w)
{
    memset(w, 0, sizeof *w);
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *end = line + strlen(line);
        if (line[0] == '#') {
            if (!strcmp(line, "#flowed"))
                w->run_flags |= DOGE_EXTRACT_FLOWED;
            else if (!strcmp(line, "#delsp"))
                w->run_flags |= DOGE_EXTRACT_DELSP;
            else if (!strcmp(line, "#auto-reply"))
                w->auto_reply = 1;
            else if (!strncmp(line, "#flags:", 7))
                w->flags = words(line + 7, end, flag_bit);
            else if (!strncmp(line, "#stripped:", 10))
                w->stripped = words(line + 10, end, strip_bit);
            else
                fail_msg("unknown header line '%s'", line);
        } else if (!strncmp(line, "=> [", 4)) {
            assert_true(w->count > 0);
            char *close = strchr(line, ']');
            assert_non_null(close);
            w->b[w->count - 1].flags = words(line + 4, close, flag_bit);
            w->b[w->count - 1].redacted = close[1] == ' ' ? close + 2 : close + 1;
        } else if (line[0]) {
            assert_true(w->count < sizeof w->b / sizeof w->b[0]);
            w->b[w->count++].text = line[0] == '\\' ? line + 1 : line;
        }
        line = nl ? nl + 1 : NULL;
    }
}

static void set_request(doge_extract *x)
{
    size_t len;
    char *req = slurp(CORPUS "/request.txt", &len);
    assert_non_null(req);
    char *nl = strchr(req, '\n');
    assert_non_null(nl);
    *nl = '\0';
    assert_true(!strncmp(req, "Subject: ", 9));
    char *body = nl + 1;
    while (*body == '\n')
        body++;
    assert_ok(doge_extract_set_request(x, req + 9, body, strlen(body)));
    free(req);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus bodies' names (NNN-name), sorted; *count of them. */
static char **corpus_names(size_t *count)
{
    DIR *d = opendir(CORPUS);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") || !strcmp(e->d_name, "request.txt"))
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        assert_non_null(names);
        names[n] = strndup(e->d_name, l - 4);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static void print_result(const char *name, const doge_extract_result *r)
{
    doge_buf e;
    doge_buf_init(&e, 0);
    doge_extract_explain(r, &e);
    printf("  %s: got %zu bullets (auto-reply %d, flags 0x%x, stripped 0x%x): %s\n", name, r->count,
           r->auto_reply, r->flags, r->stripped_kinds, doge_buf_cstr(&e));
    for (size_t i = 0; i < r->count; i++) {
        printf("    [%s]\n", r->bullets[i].text);
        if (r->bullets[i].flags)
            printf("    => 0x%x [%s]\n", r->bullets[i].flags, r->bullets[i].redacted);
    }
    doge_buf_dispose(&e);
}

/* Checks one corpus message; returns the number of differences. */
static int check_one(doge_extract *x, const char *name)
{
    char path[512];
    size_t blen, wlen;
    snprintf(path, sizeof path, "%s/%s.txt", CORPUS, name);
    char *body = slurp(path, &blen);
    snprintf(path, sizeof path, "%s/%s.expected", CORPUS, name);
    char *wtext = slurp(path, &wlen);
    if (!body || !wtext)
        fail_msg("%s: missing .txt or .expected", name);
    struct want w;
    parse_want(wtext, &w);
    const doge_extract_result *r;
    assert_ok(doge_extract_run(x, body, blen, w.run_flags, &r));
    int diffs = 0;
    if (r->count != w.count) {
        printf("%s: %zu bullets, expected %zu\n", name, r->count, w.count);
        diffs++;
    }
    for (size_t i = 0; i < r->count && i < w.count; i++) {
        const doge_extract_bullet *b = &r->bullets[i];
        if (strcmp(b->text, w.b[i].text) != 0 || b->len != strlen(b->text)) {
            printf("%s: bullet %zu\n   got [%s]\n  want [%s]\n", name, i + 1, b->text, w.b[i].text);
            diffs++;
        }
        if (b->flags != w.b[i].flags) {
            printf("%s: bullet %zu flags 0x%x, expected 0x%x\n", name, i + 1, b->flags,
                   w.b[i].flags);
            diffs++;
        }
        const char *want_red = w.b[i].redacted ? w.b[i].redacted : w.b[i].text;
        if (strcmp(b->redacted, want_red) != 0 || b->redacted_len != strlen(b->redacted)) {
            printf("%s: bullet %zu redacted\n   got [%s]\n  want [%s]\n", name, i + 1, b->redacted,
                   want_red);
            diffs++;
        }
        if (!b->flags && b->redacted != b->text) {
            printf("%s: bullet %zu: unflagged bullet has a separate redacted copy\n", name, i + 1);
            diffs++;
        }
    }
    if (r->auto_reply != w.auto_reply || r->flags != w.flags || r->stripped_kinds != w.stripped) {
        printf("%s: auto-reply %d flags 0x%x stripped 0x%x, expected %d 0x%x 0x%x\n", name,
               r->auto_reply, r->flags, r->stripped_kinds, w.auto_reply, w.flags, w.stripped);
        diffs++;
    }
    if (diffs)
        print_result(name, r);
    free(body);
    free(wtext);
    return diffs;
}

static void test_corpus(void **state)
{
    (void)state;
    doge_extract *x;
    assert_ok(doge_extract_new(&x));
    set_request(x);
    size_t n;
    char **names = corpus_names(&n);
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        bad += check_one(x, names[i]) ? 1 : 0;
        free(names[i]);
    }
    free(names);
    doge_extract_free(x);
    printf("extract corpus: %zu messages, %d differ from their expectations\n", n, bad);
    assert_true(n >= 60);
    assert_int_equal(bad, 0);
}

/* ---- rules -------------------------------------------------------------- */

/* Runs body and checks its bullets, joined with '|', against want. */
static const doge_extract_result *check(doge_extract *x, const char *body, unsigned flags,
                                        const char *want)
{
    const doge_extract_result *r;
    assert_ok(doge_extract_run(x, body, strlen(body), flags, &r));
    doge_buf got;
    doge_buf_init(&got, 0);
    for (size_t i = 0; i < r->count; i++) {
        assert_ok(doge_buf_printf(&got, "%s%s", i ? "|" : "", r->bullets[i].text));
        assert_int_equal(r->bullets[i].len, strlen(r->bullets[i].text));
    }
    if (strcmp(doge_buf_cstr(&got), want) != 0)
        fail_msg("body:\n%s\n got [%s]\nwant [%s]", body, doge_buf_cstr(&got), want);
    doge_buf_dispose(&got);
    return r;
}

static doge_extract *new_x(void)
{
    doge_extract *x;
    assert_ok(doge_extract_new(&x));
    return x;
}

static void test_markers(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    r = check(x,
              "\xE2\x80\xA2 bullet\n\xC2\xB7 middot\n- dash\n* star\n\xE2\x80\x93 en\n"
              "\xE2\x80\x94 em\n+ plus\no  outlook\n\xE2\x9C\x85 check\n\xEF\x82\xB7 symbol\n"
              "-> arrow\n\xE3\x83\xBB katakana\n",
              0, "bullet|middot|dash|star|en|em|plus|outlook|check|symbol|arrow|katakana");
    assert_int_equal(r->style, DOGE_EXTRACT_STYLE_MARKERS);
    for (size_t i = 0; i < r->count; i++)
        assert_int_equal(r->bullets[i].marker, DOGE_EXTRACT_MARKER_SYMBOL);
    r = check(x, "1. one\n2) two\n(3) three\n10. ten\n4: four\n5.Five\n", 0,
              "one|two|three|ten|four|Five");
    for (size_t i = 0; i < r->count; i++)
        assert_int_equal(r->bullets[i].marker, DOGE_EXTRACT_MARKER_NUMBER);
    r = check(x, "a) alpha\n(b) beta\nc. gamma\nD) delta\n", 0, "alpha|beta|gamma|delta");
    for (size_t i = 0; i < r->count; i++)
        assert_int_equal(r->bullets[i].marker, DOGE_EXTRACT_MARKER_LETTER);
    /* Not markers: decimals, abbreviations, initials, emphasis, rules,
     * three-digit numbers, capital portion marks. */
    r = check(x,
              "1.5 FTE saved\ne.g. this\nJ. Smith reviewed it\n*Emphasis*\n**Bold**\n"
              "2025 budget closed\n(S) portion\n+5 hires\n",
              0,
              "1.5 FTE saved|e.g. this|J. Smith reviewed it|*Emphasis*|**Bold**|2025 budget "
              "closed|(S) portion|+5 hires");
    assert_int_equal(r->style, DOGE_EXTRACT_STYLE_LINES);
    assert_int_equal(r->bullets[0].marker, DOGE_EXTRACT_MARKER_NONE);
    /* Marker with the text on the next line; marker with nothing at all. */
    check(x, "\xE2\x80\xA2\nFirst thing\n-\n\n- Second thing\n", 0, "First thing|Second thing");
    /* Whitespace after a marker (tabs, NBSP) is not part of the text. */
    check(x, "-\tTabbed\n-\xC2\xA0\xC2\xA0Nbsp\n", 0, "Tabbed|Nbsp");
    doge_extract_free(x);
}

static void test_dash_rules(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    /* "-Fixed" is a bullet; "-- " (trailing space kept or not) a signature. */
    r = check(x, "-Fixed the intake queue\n-Closed 4 tickets\n-- \nJane Doe\nAnalyst\n", 0,
              "Fixed the intake queue|Closed 4 tickets");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNATURE);
    check(x, "- a thing\n--\nsig line\n", 0, "a thing");
    check(x, "-- Double dash item\n-- Another\n", 0, "Double dash item|Another");
    /* An indented "--" is not the delimiter; three dashes are a rule. */
    r = check(x, "- one\n---\n- two\n", 0, "one|two");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SEPARATOR);
    /* "-Jane" after a blank line ends the reply; next to the list it is an
     * item. */
    r = check(x, "- one\n- two\n\n-Jane\n", 0, "one|two");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNOFF);
    check(x, "- one\n- two\n-Jane\n", 0, "one|two|Jane");
    check(x, "Did one\nDid two\n~JD\n", 0, "Did one|Did two");
    doge_extract_free(x);
}

static void test_flowed(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    /* Soft breaks join; space-stuffing is removed; a blank line ends. */
    r = check(x, "- Closed the first \nhalf of the queue\n- Wrote the memo. \n From here on \nit "
                 "is done\n",
              DOGE_EXTRACT_FLOWED,
              "Closed the first half of the queue|Wrote the memo. From here on it is done");
    assert_int_equal(r->bullets[0].line, 1);
    assert_int_equal(r->bullets[0].lines, 2);
    assert_int_equal(r->bullets[1].line, 3);
    assert_int_equal(r->bullets[1].lines, 3);
    /* Without the flag the same text is hard-wrapped plain text: the
     * space-stuffed line is indented, so it continues too. */
    check(x, "- Closed the first \nhalf of the queue\n", 0, "Closed the first half of the queue");
    /* "-- " is never a soft break; a quote-depth change ends a paragraph. */
    r = check(x, "- one \n-- \nsig \ntext\n", DOGE_EXTRACT_FLOWED, "one");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNATURE);
    r = check(x, "- kept \n> quoted \n> more\n", DOGE_EXTRACT_FLOWED, "kept");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_QUOTED);
    /* DelSp=yes deletes the soft-break space: words may be split. */
    check(x, "- Med \nicare  \nreview\n", DOGE_EXTRACT_FLOWED | DOGE_EXTRACT_DELSP,
          "Medicare review");
    /* A soft break on the last line, CRLF line ends. */
    check(x, "- last \r\n", DOGE_EXTRACT_FLOWED, "last");
    doge_extract_free(x);
}

static void test_continuations(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    /* Marked list: deeper indent, small letter after an unfinished line. */
    check(x, "- Reviewed the\n  Boeing AD\n- Inspected DFW,\nfound 2 issues\n- Done\n", 0,
          "Reviewed the Boeing AD|Inspected DFW, found 2 issues|Done");
    /* ... but not after a finished sentence, and not a capitalised line
     * under a short one (prose after the list). */
    check(x, "- Closed 4 cases.\nnext week: more\n- Two\nLet me add this\n", 0,
          "Closed 4 cases.|Two");
    /* Hard-wrapped at 76: a capitalised continuation joins when the line
     * above was full. */
    check(x,
          "- Migrated 140 mailboxes from the legacy Exchange 2016 servers to Exchange\n"
          "Online and decommissioned two hosts\n- Second\n",
          0, "Migrated 140 mailboxes from the legacy Exchange 2016 servers to Exchange Online and "
             "decommissioned two hosts|Second");
    /* Not when a line is wider than 80 columns: the client did not wrap. */
    check(x,
          "- Migrated 140 mailboxes from the legacy Exchange 2016 servers to the new Exchange\n"
          "Online and decommissioned two hosts\n"
          "- Something that is long enough to pass the eighty column mark without any wrap\n",
          0,
          "Migrated 140 mailboxes from the legacy Exchange 2016 servers to the new "
          "Exchange|Something that is long enough to pass the eighty column mark without any "
          "wrap");
    /* One item per line: a full line joins the next only with evidence. */
    check(x,
          "Completed the environmental assessment for the Yucca Mountain road repair\n"
          "Trained 3 new hires\n",
          0, "Completed the environmental assessment for the Yucca Mountain road repair|Trained 3 "
             "new hires");
    check(x,
          "Completed the environmental assessment for the Yucca Mountain road and the\n"
          "Trained 3 new hires\n",
          0, "Completed the environmental assessment for the Yucca Mountain road and the Trained 3 "
             "new hires");
    check(x,
          "Completed the environmental assessment for the Yucca Mountain road repair\n"
          "work and sent it to the Nevada field office for their review and sign-off.\n"
          "Briefed the Nevada field office manager on the contract in Carson City with\n"
          "Region staff\n",
          0, "Completed the environmental assessment for the Yucca Mountain road repair work and "
             "sent it to the Nevada field office for their review and sign-off.|Briefed the Nevada "
             "field office manager on the contract in Carson City with Region staff");
    /* Headings ending in ':' are not items. */
    check(x, "Projects:\nGrant closeout\nAudit prep\n", 0, "Grant closeout|Audit prep");
    doge_extract_free(x);
}

static void test_quote_blocks(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    /* "On ... wrote:" over '>' lines: only those are stripped. */
    r = check(x, "- top\n\nOn Mon, Feb 24, 2025 at 9:01 AM HR <hr@opm.gov> wrote:\n> q\n\n- bottom\n",
              0, "top|bottom");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_ATTRIBUTION | DOGE_EXTRACT_STRIP_QUOTED);
    /* ... over an unquoted copy: everything below goes. */
    r = check(x, "- top\nOn Mon, Feb 24, 2025 at 9:01 AM HR <hr@opm.gov> wrote:\n\n- copy\n", 0,
              "top");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_ATTRIBUTION);
    /* A sentence starting "On" and ending "wrote:" with no date or address is
     * text. */
    check(x, "On review the team wrote:\n- fine\n", 0, "fine");
    /* Outlook block: needs Sent/Date and To/Subject after From. */
    r = check(x, "- a\nFrom: HR <hr@opm.gov>\nSent: Monday\nTo: me\n- b\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_OUTLOOK);
    check(x, "From: the field office\n- a\n- b\n", 0, "a|b");
    r = check(x, "- a\n----- Original Message -----\n- b\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_ORIGINAL);
    r = check(x, "- a\nHR ---02/22/2025 04:47:17 PM---Please reply to this email\n- b\n", 0,
              "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_ORIGINAL);
    /* A forward under a short note is the reply; under bullets it is a quote. */
    r = check(x,
              "FYI\n\nBegin forwarded message:\n\nFrom: Me <me@x.gov>\nDate: Monday\n"
              "Subject: Re: What did you do last week?\nTo: HR <hr@opm.gov>\n\n- a\n- b\n",
              0, "a|b");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_PROSE | DOGE_EXTRACT_STRIP_ORIGINAL);
    check(x,
          "- mine\n\n---------- Forwarded message ---------\nFrom: Me <me@x.gov>\n"
          "Date: Monday\n\n- theirs\n",
          0, "mine");
    r = check(x,
              "From: Me <me@x.gov>\nSent: Monday\nTo: Boss\nSubject: FW: What did you do last "
              "week?\n\n- a\n",
              0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_ORIGINAL);
    /* '>' depth and "> > " spacing; a lone '>' line. */
    r = check(x, "> > deep\n>\n>>> deeper\n- kept\n", 0, "kept");
    assert_int_equal(r->spans[0].first_line, 1);
    assert_int_equal(r->spans[0].lines, 3);
    doge_extract_free(x);
}

static void test_signatures(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    r = check(x, "- a\nSent from my iPhone\n- not a bullet any more\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_MOBILE);
    const char *signoffs[] = {"Thanks,",       "Thank you!",      "V/r",      "v/r,",
                              "R/",            "Best regards,",   "Cheers",   "Respectfully,",
                              "Thanks, Ana",   "Thanks - J. Ortiz", "Saludos,", "Have a great weekend!",
                              "Very respectfully,"};
    for (size_t i = 0; i < sizeof signoffs / sizeof signoffs[0]; i++) {
        char body[200];
        snprintf(body, sizeof body, "- one\n- two\n%s\nName Here\n- three\n", signoffs[i]);
        r = check(x, body, 0, "one|two");
        assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNOFF);
    }
    /* A sign-off above the reply opens it; above only a name it closes an
     * empty reply. */
    r = check(x, "Thanks!\nHere are mine:\n- one\n- two\n", 0, "one|two");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_GREETING | DOGE_EXTRACT_STRIP_PROSE);
    r = check(x, "Thank you\n\n1. one\n", 0, "one");
    r = check(x, "Thanks,\nJane\n", 0, "");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNOFF);
    /* Words that only start like a sign-off. */
    check(x, "Thanksgiving travel approved\nBest practices guide published\n"
             "Thanks to the team, we closed 40 cases\n",
          0,
          "Thanksgiving travel approved|Best practices guide published|Thanks to the team, we "
          "closed 40 cases");
    /* A signature block without a delimiter: name, title, phone. */
    r = check(x, "Did one\nDid two\n\nDana Whitfield\nProgram Manager\n(301) 555-0162\n", 0,
              "Did one|Did two");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNATURE);
    assert_int_equal(r->spans[0].first_line, 4);
    assert_int_equal(r->spans[0].lines, 3);
    /* A lone name after a blank line, in one-item-per-line replies. */
    r = check(x, "Did one\nDid two\n\nZo\xC3\xAB Kowalczyk\n", 0, "Did one|Did two");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_SIGNOFF);
    /* ... but a reply that is only a name-like line keeps it. */
    check(x, "Annual Leave\n", 0, "Annual Leave");
    /* Disclaimers need a heading or two legal words. */
    r = check(x, "- a\n\nDISCLAIMER:\nAnything.\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_DISCLAIMER);
    check(x, "This email migration moved 300 confidential mailboxes\nClosed 2 tickets\n", 0,
          "This email migration moved 300 confidential mailboxes|Closed 2 tickets");
    r = check(x, "[EXTERNAL]\nHi Jo,\n- a\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_DISCLAIMER | DOGE_EXTRACT_STRIP_GREETING);
    doge_extract_free(x);
}

static void test_greetings_and_prose(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    const char *greetings[] = {"Hi Jane,", "Hello,", "Good morning Ms. Ortiz,", "Hi all -",
                               "Team,", "Ma'am,", "Hey team \xF0\x9F\x91\x8B", "Dear HR,"};
    for (size_t i = 0; i < sizeof greetings / sizeof greetings[0]; i++) {
        char body[200];
        snprintf(body, sizeof body, "%s\nClosed 4 cases\nWrote the memo\n", greetings[i]);
        r = check(x, body, 0, "Closed 4 cases|Wrote the memo");
        assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_GREETING);
    }
    /* A greeting word followed by the reply itself is the reply. */
    check(x, "Hi, I closed 12 cases\n", 0, "Hi, I closed 12 cases");
    check(x, "Morning huddles with the CBP port team\n", 0,
          "Morning huddles with the CBP port team");
    /* Intro and closing remarks around one-per-line items. */
    r = check(x, "As requested, my list\nClosed 4 cases\nLet me know if you need more.\n", 0,
              "Closed 4 cases");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_PROSE);
    doge_extract_free(x);
}

static void test_banners(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r;
    r = check(x, "UNCLASSIFIED\n- a\nUNCLASSIFIED\n", 0, "a");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_BANNER);
    assert_int_equal(r->flags, 0);
    r = check(x, "CUI\n- a\n", 0, "a");
    assert_int_equal(r->flags, DOGE_EXTRACT_FLAG_CLASSIFICATION);
    assert_int_equal(r->bullets[0].flags, 0);
    r = check(x, "Classification: SECRET//NOFORN\n- a\n", 0, "a");
    assert_int_equal(r->flags, DOGE_EXTRACT_FLAG_CLASSIFICATION);
    /* Capitals that are not only banner words are text. */
    r = check(x, "COMPLETED SECRET SANTA SIGNUP\nSECRET\n", 0, "COMPLETED SECRET SANTA SIGNUP");
    assert_int_equal(r->flags, DOGE_EXTRACT_FLAG_CLASSIFICATION); /* the banner line */
    assert_int_equal(r->bullets[0].flags, 0);
    doge_extract_free(x);
}

/* Scans text and checks the flags and the redacted text. */
static void policy(const char *text, unsigned want_flags, const char *want_redacted)
{
    unsigned flags;
    doge_buf b;
    doge_buf_init(&b, 0);
    assert_ok(doge_extract_scan_policy(text, strlen(text), &flags, &b));
    if (flags != want_flags || strcmp(doge_buf_cstr(&b), want_redacted) != 0)
        fail_msg("policy(\"%s\"): flags 0x%x [%s], want 0x%x [%s]", text, flags,
                 doge_buf_cstr(&b), want_flags, want_redacted);
    doge_buf_dispose(&b);
}

static void test_policy(void **state)
{
    (void)state;
    const unsigned L = DOGE_EXTRACT_FLAG_LINK, C = DOGE_EXTRACT_FLAG_CLASSIFICATION,
                   S = DOGE_EXTRACT_FLAG_SSN;
    policy("see https://x.gov/a?b=1.", L, "see [REDACTED].");
    policy("(http://x.gov/wiki/Foo_(bar)) done", L, "([REDACTED]) done");
    policy("WWW.USA.GOV and ftp://files.x.gov", L, "[REDACTED] and [REDACTED]");
    policy("grants.gov, www. alone, shttp://no, awww.x", 0, "grants.gov, www. alone, shttp://no, awww.x");
    policy("SSN 078-05-1120, phone 202-555-0142", S, "SSN [REDACTED], phone 202-555-0142");
    policy("1078-05-1120 078-05-11201 2-078-05-1120 078-05-1120-1 x078-05-1120", S,
           "1078-05-1120 078-05-11201 2-078-05-1120 078-05-1120-1 x[REDACTED]");
    policy("SECRET//NOFORN draft; //NOFORN tag; TS//SCI", C,
           "[REDACTED] draft; [REDACTED] tag; [REDACTED]");
    policy("(S) item (TS) (C) (CUI) (S//NF) but not (U) or (s)", C,
           "[REDACTED] item [REDACTED] [REDACTED] [REDACTED] [REDACTED] but not (U) or (s)");
    policy("TOP SECRET//SI courier, CUI memo, NOFORN, FOUO", C,
           "[REDACTED] courier, [REDACTED] memo, [REDACTED], [REDACTED]");
    policy("confidential review, Secret Service, top secret santa, CONFIDENTIALITY", 0,
           "confidential review, Secret Service, top secret santa, CONFIDENTIALITY");
    policy("this one is CONFIDENTIAL", C, "this one is [REDACTED]");
    /* Shouting: bare SECRET and CONFIDENTIAL are not markings, CUI is. */
    policy("COMPLETED THE SECRET SANTA SIGNUP", 0, "COMPLETED THE SECRET SANTA SIGNUP");
    policy("SENT THE CUI MEMO TO LEGAL TODAY", C, "SENT THE [REDACTED] MEMO TO LEGAL TODAY");
    policy("SECRET", C, "[REDACTED]");
    policy("mixed https://a.gov 123-45-6789 SECRET", L | S | C, "mixed [REDACTED] [REDACTED] [REDACTED]");
    policy("", 0, "");
    unsigned flags;
    assert_ok(doge_extract_scan_policy("x CUI", 5, &flags, NULL));
    assert_int_equal(flags, C);
    assert_error(doge_extract_scan_policy(NULL, 3, &flags, NULL), DOGE_EINVAL, "scan_policy");
    assert_error(doge_extract_scan_policy("x", 1, NULL, NULL), DOGE_EINVAL, "scan_policy");
    /* A capped buffer that cannot take the text is left as it was. */
    doge_buf small;
    doge_buf_init(&small, 8);
    assert_ok(doge_buf_append_str(&small, "abc"));
    assert_error(doge_extract_scan_policy("see https://x.gov now", 21, &flags, &small), DOGE_ELIMIT,
                 "scan_policy");
    assert_string_equal(doge_buf_cstr(&small), "abc");
    doge_buf_dispose(&small);

    /* In a run, flags are per bullet and OR-ed into the reply. */
    doge_extract *x = new_x();
    const doge_extract_result *r =
        check(x, "- SSN 078-05-1120\n- plain\n- see www.x.gov\n", 0,
              "SSN 078-05-1120|plain|see www.x.gov");
    assert_int_equal(r->bullets[0].flags, S);
    assert_string_equal(r->bullets[0].redacted, "SSN [REDACTED]");
    assert_int_equal(r->bullets[0].redacted_len, strlen("SSN [REDACTED]"));
    assert_ptr_equal(r->bullets[1].redacted, r->bullets[1].text);
    assert_int_equal(r->flags, S | L);
    doge_extract_free(x);
}

static void test_auto_reply(void **state)
{
    (void)state;
    const char *yes[] = {
        "Automatic reply: What did you do last week?",
        "I am out of the office until March 3 with limited access to email.",
        "I\xE2\x80\x99m currently on annual leave and will respond when I return.",
        ("Thank you for your email. I will be out of the office on travel\nuntil Monday. For "
         "urgent matters please contact my deputy."),
        "I am no longer with the agency. Please direct questions to the front office.",
        "This is an automated response.",
        "On leave; I am out; please contact Jo.",
    };
    const char *no[] = {
        "I was out of the office on annual leave last week.",
        "- Covered for a colleague who is out of the office\n- Closed 4 cases",
        "Processed leave requests for the office",
        "I'm currently on a detail to OMB.",
        "",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (!doge_extract_is_auto_reply_text(yes[i], strlen(yes[i])))
            fail_msg("not taken as an auto-reply: %s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (doge_extract_is_auto_reply_text(no[i], strlen(no[i])))
            fail_msg("taken as an auto-reply: %s", no[i]);
    assert_int_equal(doge_extract_is_auto_reply_text(NULL, 5), 0);
    /* Quoted lines do not count. */
    const char *q = "> I am out of the office until March 3 with limited access to email.\nDone";
    assert_int_equal(doge_extract_is_auto_reply_text(q, strlen(q)), 0);

    doge_extract *x = new_x();
    const doge_extract_result *r =
        check(x, "I am out of the office until March 3 with limited access to email.\n\n"
                 "Thanks,\nAl\n",
              0, "");
    assert_int_equal(r->auto_reply, 1);
    assert_int_equal(r->style, DOGE_EXTRACT_STYLE_EMPTY);
    assert_true(r->stripped_kinds & DOGE_EXTRACT_STRIP_AUTO_REPLY);
    /* A real list that mentions leave and a return date is not one. */
    r = check(x, "- I am on annual leave until Wednesday\n- I will return to close the audit\n", 0,
              "I am on annual leave until Wednesday|I will return to close the audit");
    assert_int_equal(r->auto_reply, 0);
    doge_extract_free(x);
}

static void test_request(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const char *req = "Please reply to this email with approx. 5 bullets of what you "
                      "accomplished last week and cc your manager.";
    const char *body = "Please reply to this email with approx. 5 bullets of what you\n"
                       "accomplished last week\nand cc your manager.\n\nClosed 4 cases\n"
                       "What did you do last week?\n";
    check(x, body, 0,
          "Please reply to this email with approx. 5 bullets of what you accomplished last "
          "week|and cc your manager.|Closed 4 cases|What did you do last week?");
    assert_ok(doge_extract_set_request(x, "What did you do last week?", req, strlen(req)));
    const doge_extract_result *r = check(x, body, 0, "Closed 4 cases");
    assert_int_equal(r->stripped_kinds, DOGE_EXTRACT_STRIP_REQUEST);
    /* A short line that happens to be in the request counts only next to a
     * request line. */
    check(x, "last week\nClosed 4 cases\n", 0, "last week|Closed 4 cases");
    /* An edited copy (one word changed in a long line) still matches. */
    check(x,
          "Pls reply to this email with approx. 5 bullets of what you accomplished last week and "
          "cc your manager.\n- Closed 4 cases\n",
          0, "Closed 4 cases");
    /* Clearing the request. */
    assert_ok(doge_extract_set_request(x, NULL, NULL, 0));
    check(x, "What did you do last week?\n", 0, "What did you do last week?");
    assert_ok(doge_extract_set_request(x, "", "", 0));
    check(x, "What did you do last week?\n", 0, "What did you do last week?");
    assert_error(doge_extract_set_request(x, NULL, NULL, 5), DOGE_EINVAL, "set_request");
    assert_error(doge_extract_set_request(x, NULL, req, DOGE_EXTRACT_MAX_REQUEST + 1), DOGE_ELIMIT,
                 "cap");
    doge_extract_free(x);
}

static void test_spans_and_explain(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r =
        check(x, "Hi Jane,\n\n- one\n- two\n\nThanks,\nKaren\n\nOn Mon, Feb 24, 2025 at 9:01 AM "
                 "HR <hr@opm.gov> wrote:\n\n> q1\n>\n> q2\n",
              0, "one|two");
    assert_int_equal(r->lines, 13);
    assert_int_equal(r->bullets[1].line, 4);
    assert_int_equal(r->bullets[1].lines, 1);
    doge_buf e;
    doge_buf_init(&e, 0);
    assert_ok(doge_extract_explain(r, &e));
    assert_string_equal(doge_buf_cstr(&e),
                        "greeting line 1; sign-off lines 6-7; \"On ... wrote:\" quote line 9; "
                        "'>' quoted text lines 11-13");
    doge_buf_reset(&e);
    r = check(x, "", 0, "");
    assert_int_equal(r->lines, 0);
    assert_int_equal(r->style, DOGE_EXTRACT_STYLE_EMPTY);
    assert_ok(doge_extract_explain(r, &e));
    assert_string_equal(doge_buf_cstr(&e), "nothing stripped");
    assert_string_equal(doge_extract_strip_name(DOGE_EXTRACT_STRIP_OUTLOOK), "outlook");
    assert_string_equal(doge_extract_strip_name(3), "?");
    assert_string_equal(doge_extract_flag_name(DOGE_EXTRACT_FLAG_SSN), "ssn");
    assert_string_equal(doge_extract_flag_name(0), "?");
    doge_buf_dispose(&e);
    doge_buf small;
    doge_buf_init(&small, 4);
    r = check(x, "Hi,\n- a\n", 0, "a");
    assert_error(doge_extract_explain(r, &small), DOGE_ELIMIT, "explain");
    assert_int_equal(small.len, 0);
    doge_buf_dispose(&small);
    assert_error(doge_extract_explain(NULL, &e), DOGE_EINVAL, "explain");
    doge_extract_free(x);
}

static void test_errors_and_edges(void **state)
{
    (void)state;
    doge_extract *x = new_x();
    const doge_extract_result *r = NULL;
    assert_error(doge_extract_new(NULL), DOGE_EINVAL, "new");
    assert_error(doge_extract_run(NULL, "a", 1, 0, &r), DOGE_EINVAL, "run");
    assert_error(doge_extract_run(x, NULL, 1, 0, &r), DOGE_EINVAL, "run");
    assert_error(doge_extract_run(x, "a", 1, 0, NULL), DOGE_EINVAL, "run");
    assert_error(doge_extract_run(x, "a", 1, 8, &r), DOGE_EINVAL, "flags");
    assert_error(doge_extract_run(x, "a", DOGE_EXTRACT_MAX_BODY + 1, 0, &r), DOGE_ELIMIT, "cap");
    assert_ok(doge_extract_run(x, NULL, 0, 0, &r));
    assert_int_equal(r->count, 0);
    doge_extract_free(NULL);
    /* A BOM, NUL bytes, bare CR and invalid UTF-8 are taken as they come. */
    check(x, "\xEF\xBB\xBF- one\n- t\xFFwo\r\n", 0, "one|t\xFFwo");
    const char nul[] = "- a\0b\n- c\n";
    assert_ok(doge_extract_run(x, nul, sizeof nul - 1, 0, &r));
    assert_int_equal(r->count, 2);
    assert_int_equal(r->bullets[0].len, 3);
    assert_memory_equal(r->bullets[0].text, "a\0b", 3);
    /* No trailing newline; only blank lines. */
    check(x, "- last", 0, "last");
    check(x, "\n\n \t\n", 0, "");
    /* Two million empty lines pass the working-memory cap; the extractor
     * stays usable. */
    size_t many = (size_t)2100000;
    char *nls = malloc(many);
    assert_non_null(nls);
    memset(nls, '\n', many);
    assert_error(doge_extract_run(x, nls, many, 0, &r), DOGE_ELIMIT, "extract: run");
    free(nls);
    check(x, "- after\n", 0, "after");
    /* A big body: 20,000 bullets. */
    doge_buf big;
    doge_buf_init(&big, 0);
    for (int i = 0; i < 20000; i++)
        assert_ok(doge_buf_printf(&big, "- item %d\n", i));
    assert_ok(doge_extract_run(x, big.data, big.len, 0, &r));
    assert_int_equal(r->count, 20000);
    assert_string_equal(r->bullets[19999].text, "item 19999");
    doge_buf_dispose(&big);
    doge_extract_free(x);
}

/* Random bodies made of the pieces real mail is made of, and random bytes:
 * the extractor must not fail or break its own invariants. */
static void test_random_bodies(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "- ", "-", "--", "-- ", "* ", "\xE2\x80\xA2 ", "1. ", "(2) ", "a) ", "> ", ">> ", "\n",
        "\n", "\n\n", "\r\n", " ", "  ", "\t", "Thanks,", "From: HR <hr@opm.gov>", "Sent: Mon",
        "To: x", "Subject: FW: y", "On Mon, Feb 24, 2025 HR <a@b.gov> wrote:",
        "-----Original Message-----", "Sent from my iPhone", "CUI", "UNCLASSIFIED", "SECRET//NOFORN",
        "https://x.gov/a", "www.", "078-05-1120", "Hi Jane,", "Closed 4 cases", "reviewed the",
        "Office of the CIO", "(202) 555-0142", "I am out of the office", "DISCLAIMER:",
        "\xC2\xA0", "\xF0\x9F\x8E\x89", "\xE2\x80", "\xFF", "________", "[cid:image001.png]",
        "Please reply to this email with approx. 5 bullets", "last week", ":", "(S)", "~JD"};
    doge_extract *x = new_x();
    const char *req = "Please reply to this email with approx. 5 bullets of what you accomplished "
                      "last week and cc your manager.";
    assert_ok(doge_extract_set_request(x, "What did you do last week?", req, strlen(req)));
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    char body[4096];
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = 0;
        int npieces = 1 + (int)(seed % 120);
        for (int p = 0; p < npieces; p++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if (iter % 5 == 4) { /* raw bytes */
                if (len < sizeof body)
                    body[len++] = (char)(seed >> 24);
                continue;
            }
            const char *s = pieces[seed % (sizeof pieces / sizeof pieces[0])];
            size_t k = strlen(s);
            if (len + k > sizeof body)
                break;
            memcpy(body + len, s, k);
            len += k;
        }
        unsigned flags = (unsigned)(seed >> 40) & 3u;
        const doge_extract_result *r;
        assert_ok(doge_extract_run(x, body, len, flags, &r));
        for (size_t i = 0; i < r->count; i++) {
            const doge_extract_bullet *b = &r->bullets[i];
            assert_true(b->len > 0);
            assert_int_equal(b->text[b->len], '\0');
            assert_int_equal(b->redacted[b->redacted_len], '\0');
            assert_null(memchr(b->text, '\n', b->len));
            assert_true(b->text[0] != ' ' && b->text[b->len - 1] != ' ');
            assert_true(b->line >= 1 && b->line + b->lines - 1 <= r->lines);
            assert_true(b->flags ? b->redacted != b->text : b->redacted == b->text);
            assert_true((r->flags & b->flags) == b->flags);
        }
        uint32_t end = 0;
        for (size_t i = 0; i < r->span_count; i++) {
            assert_true(r->spans[i].first_line > end);
            end = r->spans[i].first_line + r->spans[i].lines - 1;
            assert_true(end <= r->lines);
            assert_true(r->stripped_kinds & r->spans[i].kind);
        }
        if (r->auto_reply)
            assert_int_equal(r->count, 0);
    }
    doge_extract_free(x);
}

/* Runs the corpus many times over one extractor (as ingest does) and checks
 * the results stay the same; prints the number of replies, no timing. */
static void test_throughput_sanity(void **state)
{
    (void)state;
    size_t n;
    char **names = corpus_names(&n);
    char **bodies = calloc(n, sizeof *bodies);
    size_t *lens = calloc(n, sizeof *lens), *counts = calloc(n, sizeof *counts);
    assert_true(bodies && lens && counts);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.txt", CORPUS, names[i]);
        bodies[i] = slurp(path, &lens[i]);
        assert_non_null(bodies[i]);
    }
    doge_extract *x = new_x();
    set_request(x);
    size_t replies = 0, bullets = 0;
    for (int round = 0; round < 300; round++)
        for (size_t i = 0; i < n; i++) {
            const doge_extract_result *r;
            assert_ok(doge_extract_run(x, bodies[i], lens[i], 0, &r));
            if (round == 0)
                counts[i] = r->count;
            assert_int_equal(r->count, counts[i]);
            replies++;
            bullets += r->count;
        }
    printf("extract: %zu replies, %zu bullets extracted over one extractor\n", replies, bullets);
    doge_extract_free(x);
    for (size_t i = 0; i < n; i++) {
        free(bodies[i]);
        free(names[i]);
    }
    free(bodies);
    free(lens);
    free(counts);
    free(names);
}

/* The phrase tables must be sorted and lower-case for the binary search
 * and the filters to find every phrase. */
static void test_tables(void **state)
{
    (void)state;
    assert_true(doge__x_rules_check());
    assert_true(doge__x_auto_check());
}

/* ---- main -------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_markers),
        cmocka_unit_test(test_dash_rules),
        cmocka_unit_test(test_flowed),
        cmocka_unit_test(test_continuations),
        cmocka_unit_test(test_quote_blocks),
        cmocka_unit_test(test_signatures),
        cmocka_unit_test(test_greetings_and_prose),
        cmocka_unit_test(test_banners),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_auto_reply),
        cmocka_unit_test(test_request),
        cmocka_unit_test(test_spans_and_explain),
        cmocka_unit_test(test_errors_and_edges),
        cmocka_unit_test(test_random_bodies),
        cmocka_unit_test(test_throughput_sanity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
