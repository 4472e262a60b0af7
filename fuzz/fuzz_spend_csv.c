/*
 * fuzz_spend_csv.c — a libFuzzer target for the USAspending CSV reader: the
 * input's first byte picks the thread count and strict mode, the second the
 * wanted columns among a, b, c and d (all optional), and the rest is the CSV
 * file. It is scanned by the scalar reference with one thread, by every
 * SIMD scanner this CPU has with one thread, and by one scanner (picked by
 * the first byte) with 2 to 5 threads and a SIMD chunk of 64 to 1024 bytes
 * (picked by the second byte); any
 * difference in rows, fields, diagnostics, stats or result aborts with both
 * transcripts printed. (Strict scans with several threads are compared by
 * result only: which rows after the stop point other threads delivered is
 * not fixed.) Built by -DDOGE_FUZZ=ON; run by `make fuzz`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/spend_csv_testutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const char *all[] = {"a", "b", "c", "d"};
    static const unsigned char optional[4] = {0, 0, 0, 0};
    const char *cols[4];
    size_t n = 0;
    for (int i = 0; i < 4; i++)
        if (data[1] >> i & 1)
            cols[n++] = all[i];
    unsigned threads = 2 + (data[0] & 3);
    doge_spend_csv_opts o = {.columns = cols, .ncolumns = n, .required = optional,
                             .strict = data[0] >> 7};
    const uint8_t *csv = data + 2;
    size = size - 2;
    /* the scanners read the bytes in place: give them an exact-size copy so
     * that AddressSanitizer sees any read past the end */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, csv, size);
    char *ref = spend_transcript(copy, size, &o, DOGE__SPEND_SCALAR, 1, UINT64_MAX, NULL);
    /* every SIMD scanner with one thread; one scanner (picked by the first
     * byte) with several: threads cost more than the scans */
    int variants[3] = {DOGE__SPEND_SCALAR, DOGE__SPEND_SSE2, DOGE__SPEND_AVX2};
    int threaded = variants[(data[0] >> 2 & 3) % 3];
    for (int v = 0; v < 3; v++) {
        if (!doge__spend_kernel_for(variants[v]))
            continue;
        for (unsigned t = 1; t <= threads; t += threads - 1) {
            if ((variants[v] == DOGE__SPEND_SCALAR && t == 1) || (t > 1 && variants[v] != threaded))
                continue;
            size_t chunk = t > 1 ? 64 * (size_t)(1 + (data[1] >> 4)) : 0;
            char *got = spend_transcript_chunk(copy, size, &o, variants[v], t, UINT64_MAX, chunk,
                                               NULL);
            int ok = o.strict && t > 1 ? spend_same_result(ref, got) : strcmp(ref, got) == 0;
            if (!ok) {
                fprintf(stderr, "spend csv: scanner %d with %u threads differs from the scalar "
                                "scan\n--- scalar\n%s\n--- got\n%s\n",
                        variants[v], t, ref, got);
                abort();
            }
            free(got);
        }
    }
    free(ref);
    free(copy);
    return 0;
}
