/*
 * fuzz_csvread.c — a libFuzzer target for the streaming CSV reader
 * (doge/csvread.h): the input's first byte picks the row cap (0, that is
 * the default, or 8 to 1024 bytes) and the rest is the file, read once with
 * the SIMD row search and once with the scalar state machine only; any
 * difference in rows, fields, lines, offsets or the final result and
 * message aborts with both printed. Built by -DDOGE_FUZZ=ON; run by
 * `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "util/csv_rowend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct text {
    char *p;
    size_t n, cap;
} text;

static void add(text *t, const void *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (!t->p)
            abort();
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static char *transcript(const uint8_t *in, size_t len, size_t max_row, int scalar)
{
    doge_csvread *r;
    text out = {0};
    add(&out, "", 0);
    if (doge_csvread_open_mem(&r, in, len, "f.csv", max_row) != DOGE_OK)
        abort();
    doge__csvread_set_scalar(r, scalar);
    int rc;
    char line[160];
    while ((rc = doge_csvread_next(r)) == 1) {
        int k = snprintf(line, sizeof line, "row %llu@%llu (%llu):",
                         (unsigned long long)doge_csvread_line(r),
                         (unsigned long long)doge_csvread_offset(r),
                         (unsigned long long)doge_csvread_consumed(r));
        add(&out, line, (size_t)k);
        for (size_t i = 0; i < doge_csvread_count(r); i++) {
            doge_csvread_field f = doge_csvread_get(r, i);
            add(&out, "|", 1);
            add(&out, f.data, f.len);
        }
        add(&out, "\n", 1);
    }
    int k = snprintf(line, sizeof line, "=> %d ", rc);
    add(&out, line, (size_t)k);
    if (rc)
        add(&out, doge_error_last(), strlen(doge_error_last()));
    doge_csvread_free(r);
    return out.p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max_row = data[0] < 128 ? 0 : 8 * (size_t)(data[0] - 127);
    char *a = transcript(data + 1, size - 1, max_row, 0);
    char *b = transcript(data + 1, size - 1, max_row, 1);
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "csvread: SIMD and scalar row search differ (max_row %zu)\n--- simd\n%s\n"
                        "--- scalar\n%s\n",
                max_row, a, b);
        abort();
    }
    free(a);
    free(b);
    return 0;
}
