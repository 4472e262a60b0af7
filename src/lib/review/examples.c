/*
 * examples.c — the labelled bullets the classifier learns from: the reader
 * of the "category<TAB>text" format (one bullet a line, '#' comments and
 * blank lines skipped, CRLF accepted, surrounding spaces trimmed; every
 * error names file:line), the copy of data/review/bullets.tsv embedded in
 * the library at build time (parsed once per process), and the fingerprint
 * of a set that a model records so evaluation can tell it was given the
 * set the model was trained from.
 */
#include "id/id_internal.h"
#include "internal.h"
#include "review/review_internal.h"
#include "util/snippet.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The longest bullet text accepted, and the largest labelled file. */
#define TEXT_MAX 4096
#define FILE_MAX ((size_t)64 << 20)

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int doge__review_examples_parse(const char *data, size_t len, const char *label,
                                doge_review_example **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    /* First pass: count lines and text bytes for one block. */
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    size_t block = lines * sizeof(doge_review_example) + len + lines;
    doge_review_example *ex = malloc(block ? block : 1);
    if (!ex)
        return doge__error_oom();
    char *texts = (char *)(ex + lines);
    size_t count = 0, lineno = 0;
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a UTF-8 byte order mark */
    char snip[DOGE__SNIPPET_SIZE];
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *next = nl ? nl + 1 : end;
        lineno++;
        const char *s = p, *e = le;
        p = next;
        while (s < e && is_space(*s) && *s != '\t')
            s++;
        if (s == e || *s == '#')
            continue;
        const char *tab = memchr(s, '\t', (size_t)(e - s));
        const char *t = tab ? tab + 1 : e;
        while (e > t && is_space(e[-1]))
            e--;
        if (!doge__utf8_valid(s, (size_t)(e - s))) {
            free(ex);
            return doge__error_set(DOGE_EINVAL, "%s:%zu: not valid UTF-8", label, lineno);
        }
        if (!tab) {
            free(ex);
            return doge__error_set(DOGE_EINVAL,
                                   "%s:%zu: no tab between the category and the text in '%s'",
                                   label, lineno, doge__util_snippet(snip, sizeof snip, s,
                                                                     (size_t)(e - s)));
        }
        char name[64];
        size_t nlen = (size_t)(tab - s);
        while (nlen && is_space(s[nlen - 1]))
            nlen--;
        int cat = -1;
        if (nlen < sizeof name) {
            memcpy(name, s, nlen);
            name[nlen] = '\0';
            for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
                if (strcmp(doge_review_category_name(c), name) == 0)
                    cat = c;
        }
        if (cat < 0) {
            free(ex);
            return doge__error_set(DOGE_EINVAL,
                                   "%s:%zu: unknown category '%s' (docs/review.md lists the %d "
                                   "categories)",
                                   label, lineno, doge__util_snippet(snip, sizeof snip, s, nlen),
                                   DOGE_REVIEW_NCATEGORIES);
        }
        while (t < e && is_space(*t))
            t++;
        if (t == e) {
            free(ex);
            return doge__error_set(DOGE_EINVAL, "%s:%zu: empty text after the category '%s'",
                                   label, lineno, name);
        }
        if ((size_t)(e - t) > TEXT_MAX) {
            free(ex);
            return doge__error_set(DOGE_EINVAL, "%s:%zu: text longer than %d bytes", label,
                                   lineno, TEXT_MAX);
        }
        if (memchr(t, '\t', (size_t)(e - t))) {
            free(ex);
            return doge__error_set(DOGE_EINVAL, "%s:%zu: a second tab in the text", label,
                                   lineno);
        }
        memcpy(texts, t, (size_t)(e - t));
        ex[count].text = texts;
        ex[count].category = cat;
        texts += e - t;
        *texts++ = '\0';
        count++;
    }
    if (count == 0) {
        free(ex);
        return doge__error_set(DOGE_EINVAL, "%s: no labelled bullets", label);
    }
    *out = ex;
    *n = count;
    return DOGE_OK;
}

int doge_review_examples_read(const char *path, doge_review_example **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char *data;
    size_t len;
    int rc = doge__file_read(path, FILE_MAX, &data, &len);
    if (rc != DOGE_OK)
        return rc;
    rc = doge__review_examples_parse(data, len, path, out, n);
    free(data);
    return rc;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static doge_review_example *builtin;
static size_t builtin_n;
static int builtin_rc;
static char builtin_msg[256];

static void builtin_parse(void)
{
    builtin_rc = doge__review_examples_parse((const char *)doge__review_bullets_tsv,
                                             doge__review_bullets_tsv_len,
                                             "data/review/bullets.tsv (built in)", &builtin,
                                             &builtin_n);
    if (builtin_rc != DOGE_OK)
        snprintf(builtin_msg, sizeof builtin_msg, "%s", doge_error_last());
}

int doge_review_builtin_examples(const doge_review_example **out, size_t *n)
{
    pthread_once(&builtin_once, builtin_parse);
    if (builtin_rc != DOGE_OK) {
        *out = NULL;
        *n = 0;
        return doge__error_set(builtin_rc, "%s", builtin_msg);
    }
    *out = builtin;
    *n = builtin_n;
    return DOGE_OK;
}

uint64_t doge_review_examples_hash(const doge_review_example *ex, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        const char *name = doge_review_category_name(ex[i].category);
        for (const char *s = name ? name : "?"; *s; s++)
            h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
        h = (h ^ '\t') * 0x100000001b3ull;
        for (const char *s = ex[i].text ? ex[i].text : ""; *s; s++)
            h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
        h = (h ^ '\n') * 0x100000001b3ull;
    }
    return h;
}
