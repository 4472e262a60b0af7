/*
 * bench/extract.c — measures pulse bullet extraction on one core: the
 * hand-written corpus under tests/resources/mail/extract/ (or the folder in
 * argv[1]) repeated to about 1,000,000 replies over one extractor, as ingest
 * runs it. It prints replies/s and MB/s twice: for the corpus as written,
 * and for the same replies grown to at least 2 KiB each by the quoted
 * Outlook copy of the request and a legal footer that real top-posted
 * replies carry. Rates are per second of the thread's CPU time (the wall
 * time is printed too: on a busy machine it is longer). The baseline is the
 * target of 100,000 replies/s (a 2.3-million-person week in 23 s on one
 * core).
 */
#include "doge.h"
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TARGET 100000.0

struct body {
    char *text;
    size_t len;
    unsigned flags;
};

static double now(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_extract: %s: %s\n", what, doge_error_last());
    return 1;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every NNN-name.txt of dir with the run flags its .expected names. */
static int load(const char *dir, struct body **out, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "bench_extract: cannot open %s (pass the corpus folder as argv[1])\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") || !strcmp(e->d_name, "request.txt"))
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            return fail("realloc");
        names = grown;
        names[n++] = strndup(e->d_name, l - 4);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    struct body *b = calloc(n ? n : 1, sizeof *b);
    if (!b)
        return fail("calloc");
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        char *exp;
        size_t elen;
        snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
        if (doge__file_read(path, (size_t)1 << 20, &b[i].text, &b[i].len) != DOGE_OK)
            return fail(path);
        snprintf(path, sizeof path, "%s/%s.expected", dir, names[i]);
        if (doge__file_read(path, (size_t)1 << 20, &exp, &elen) != DOGE_OK)
            return fail(path);
        if (strstr(exp, "#flowed\n"))
            b[i].flags |= DOGE_EXTRACT_FLOWED;
        if (strstr(exp, "#delsp\n"))
            b[i].flags |= DOGE_EXTRACT_DELSP;
        free(exp);
        free(names[i]);
    }
    free(names);
    *out = b;
    *count = n;
    return 0;
}

static const char TAIL[] =
    "\n\nJordan Lee\nManagement and Program Analyst\nOffice of the Chief Human Capital Officer\n"
    "U.S. Department of the Interior\n(202) 555-0100\n\n"
    "________________________________\n"
    "From: HR <hr@opm.gov>\nSent: Saturday, February 22, 2025 4:47 PM\n"
    "To: Lee, Jordan <jordan_lee@ios.doi.gov>\nSubject: What did you do last week?\n\n"
    "Please reply to this email with approx. 5 bullets of what you accomplished last week and "
    "cc your manager.\n\nPlease do not send any classified information, links, or attachments.\n\n"
    "Deadline is this Monday at 11:59pm EST.\n\n"
    "CONFIDENTIALITY NOTICE: This e-mail message, including any attachments, is for the sole use "
    "of the intended recipient(s) and may contain confidential and privileged information. Any "
    "unauthorized review, use, disclosure or distribution is prohibited. If you are not the "
    "intended recipient, please contact the sender by reply e-mail and destroy all copies of the "
    "original message.\n";

/* Each body followed by the tail until it is at least 2 KiB. */
static int grow(const struct body *in, size_t n, struct body **out)
{
    struct body *b = calloc(n ? n : 1, sizeof *b);
    if (!b)
        return fail("calloc");
    for (size_t i = 0; i < n; i++) {
        doge_buf t;
        doge_buf_init(&t, 0);
        if (doge_buf_append(&t, in[i].text, in[i].len) != DOGE_OK)
            return fail("grow");
        while (t.len < 2048)
            if (doge_buf_append(&t, TAIL, sizeof TAIL - 1) != DOGE_OK)
                return fail("grow");
        if (doge_buf_detach(&t, &b[i].text, &b[i].len) != DOGE_OK)
            return fail("grow");
        b[i].flags = in[i].flags;
    }
    *out = b;
    return 0;
}

static int run(doge_extract *x, const char *label, const struct body *b, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += b[i].len;
    size_t rounds = (1000000 + n - 1) / n, replies = 0, bullets = 0;
    const doge_extract_result *r;
    for (size_t i = 0; i < n; i++) /* warm up */
        if (doge_extract_run(x, b[i].text, b[i].len, b[i].flags, &r) != DOGE_OK)
            return fail("run");
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
    for (size_t k = 0; k < rounds; k++)
        for (size_t i = 0; i < n; i++) {
            if (doge_extract_run(x, b[i].text, b[i].len, b[i].flags, &r) != DOGE_OK)
                return fail("run");
            bullets += r->count;
            replies++;
        }
    double wall = now(CLOCK_MONOTONIC) - w0, cpu = now(CLOCK_THREAD_CPUTIME_ID) - c0;
    double rate = (double)replies / cpu;
    printf("extract %-20s %zu replies (avg %zu bytes, %zu bullets) in %.2f s CPU (%.2f s wall): "
           "%.0f replies/s, %.0f MB/s per core; %.2fx the %.0f replies/s target; 2.3M replies "
           "in %.1f s\n",
           label, replies, bytes / n, bullets, cpu, wall, rate,
           (double)bytes * (double)rounds / cpu / 1e6, rate / TARGET, TARGET, 2.3e6 / rate);
    return 0;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/resources/mail/extract";
    struct body *b = NULL, *big = NULL;
    size_t n = 0;
    if (load(dir, &b, &n) != 0)
        return 1;
    if (n == 0) {
        fprintf(stderr, "bench_extract: no bodies in %s\n", dir);
        return 1;
    }
    if (grow(b, n, &big) != 0)
        return 1;
    doge_extract *x;
    if (doge_extract_new(&x) != DOGE_OK)
        return fail("new");
    const char *req = "Please reply to this email with approx. 5 bullets of what you accomplished "
                      "last week and cc your manager.\n\nPlease do not send any classified "
                      "information, links, or attachments.\n\nDeadline is this Monday at 11:59pm "
                      "EST.\n";
    if (doge_extract_set_request(x, "What did you do last week?", req, strlen(req)) != DOGE_OK)
        return fail("set_request");
    int rc = run(x, "corpus as written:", b, n) || run(x, "grown to >= 2 KiB:", big, n);
    doge_extract_free(x);
    for (size_t i = 0; i < n; i++) {
        free(b[i].text);
        free(big[i].text);
    }
    free(b);
    free(big);
    return rc;
}
