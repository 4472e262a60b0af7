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

/* ---- main -------------------------------------------------------------- */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
