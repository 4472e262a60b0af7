/*
 * csv_rowend.c — finds the line feed that ends a CSV row, sixteen bytes at
 * a time: a quote mask and a line-feed mask per 16-byte block, the
 * in-quotes mask by prefix xor of the quote bits (a shift-xor cascade,
 * carried across blocks), and the first line feed outside quotes. Blocks
 * with neither quotes nor line feeds cost a compare and a test. It also
 * says whether any quote before that line feed opens quotes where no field
 * starts (not at the row start, after a comma or after a closing quote):
 * only then can a reader that ignores quotes inside unquoted fields (like
 * csvread's state machine) end the row elsewhere. The last bytes (and every
 * byte off x86-64) go through the same rules one at a time.
 */
#include "csv_rowend.h"

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

static size_t count_bits(unsigned x)
{
    size_t n = 0;
    for (; x; x &= x - 1)
        n++;
    return n;
}

size_t doge__csv_row_end(const char *b, size_t n, uint64_t *lfs, int *plain)
{
    size_t i = 0;
    uint64_t nl = 0;
    int in = 0;
    *plain = 1;
#if defined(__x86_64__)
    const __m128i quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'), comma = _mm_set1_epi8(',');
    unsigned inq = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote));
        unsigned l = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, lf));
        if (!(q | l))
            continue;
        unsigned x = q;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x = (x ^ inq) & 0xffff;
        unsigned e = l & ~x, upto = e ? (1u << __builtin_ctz(e)) - 1 : 0xffff;
        if (q & x & upto) { /* opening quotes: is a field starting there? */
            unsigned c = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma));
            unsigned first = i == 0 || b[i - 1] == ',' || b[i - 1] == '"';
            if (q & x & upto & ~(((c | q) << 1) | first))
                *plain = 0;
        }
        if (e) {
            *lfs = nl + count_bits(l & upto);
            return i + (size_t)__builtin_ctz(e);
        }
        nl += count_bits(l);
        inq = x & 0x8000 ? 0xffff : 0;
    }
    in = inq != 0;
#endif
    for (; i < n; i++) {
        if (b[i] == '"') {
            if (!in && i > 0 && b[i - 1] != ',' && b[i - 1] != '"')
                *plain = 0;
            in = !in;
        } else if (b[i] == '\n') {
            if (!in) {
                *lfs = nl;
                return i;
            }
            nl++;
        }
    }
    *lfs = nl;
    return n;
}
