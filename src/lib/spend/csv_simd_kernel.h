/*
 * csv_simd_kernel.h — the body of the SIMD structural scanners, included by
 * csv_sse2.c and csv_avx2.c after they define:
 *   SIMD_ATTR              function attributes (a target, or nothing)
 *   SIMD_KERNEL            the scanner's name
 *   simd_classify(p, m)    64 bytes at p -> bit masks of quotes, commas,
 *                          line feeds and carriage returns
 *   simd_prefix_xor(x)     bit i = xor of bits 0..i of x
 *   simd_popcount(x)       set bits in x
 * Each 64-byte block gives the in-quotes mask (prefix xor of the quote bits,
 * xored with the state carried from the block before), the separators and
 * row ends outside quotes, and the malformed bytes of kinds A, B and C
 * (spend_csv_internal.h), computed with whole-block bit operations and one
 * carried bit each for "the byte before was a boundary" and "... was a
 * closing quote", plus one byte of look-ahead for a CR at bit 63. The set
 * bits are then walked in order, recording the spans of wanted columns and
 * handing each row to doge__spend_row_end exactly as the scalar reference
 * does. The last partial block is copied into a zeroed 64-byte buffer.
 * Nothing here allocates.
 */

SIMD_ATTR int SIMD_KERNEL(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line)
{
    const unsigned char *d = w->job->data;
    const uint64_t len = w->job->len;
    if (from >= to || from >= len)
        return 0;
    const int32_t *slot = w->slot;
    const uint64_t nslot = w->nslot;
    uint64_t *span = w->span;
    doge__spend_rawrow r = {.start = from, .line = line, .err = DOGE__SPEND_NONE};
    uint64_t col = 0, fstart = from, lfs = 0;
    uint64_t inq = 0, fs_carry = 1, close_carry = 0;
    unsigned char tail[64];

    for (uint64_t base = from; base < len; base += 64) {
        uint64_t n = len - base, valid = ~(uint64_t)0;
        doge__spend_blk m;
        if (n >= 64) {
            simd_classify(d + base, &m);
        } else {
            memset(tail, 0, sizeof tail);
            memcpy(tail, d + base, (size_t)n);
            simd_classify(tail, &m);
            valid = ((uint64_t)1 << n) - 1;
        }
        uint64_t next_lf = n > 64 && d[base + 64] == '\n';
        uint64_t x = simd_prefix_xor(m.q) ^ inq;
        inq = (uint64_t)((int64_t)x >> 63);
        uint64_t close = m.q & ~x;
        uint64_t eol = m.lf & ~x;
        uint64_t st = (m.comma & ~x) | eol;
        uint64_t bound = st | close;
        uint64_t err = (m.q & x & ~((bound << 1) | fs_carry)) /* A */
                       | (((close << 1) | close_carry) & ~(m.q | m.comma | m.lf | m.cr) &
                          valid)                                  /* B */
                       | (m.cr & ~x & ~((m.lf >> 1) | (next_lf << 63))); /* C */
        fs_carry = bound >> 63;
        close_carry = close >> 63;

        uint64_t bits = st | err;
        while (bits) {
            unsigned b = (unsigned)__builtin_ctzll(bits);
            bits &= bits - 1;
            uint64_t pos = base + b;
            if ((err >> b) & 1) {
                if (r.err == DOGE__SPEND_NONE)
                    r.err = pos;
                continue;
            }
            int32_t k = slot[col < nslot ? col : nslot];
            if (k >= 0) {
                span[2 * (size_t)k] = fstart;
                span[2 * (size_t)k + 1] = pos;
            }
            col++;
            fstart = pos + 1;
            if ((eol >> b) & 1) {
                r.end = pos;
                r.nfields = col;
                int rc = doge__spend_row_end(w, &r);
                if (rc)
                    return rc;
                r.start = pos + 1;
                r.line = line + lfs + simd_popcount(m.lf & ((((uint64_t)2) << b) - 1));
                r.err = DOGE__SPEND_NONE;
                col = 0;
                if (r.start >= to)
                    return 0;
            }
        }
        if (m.lf)
            lfs += simd_popcount(m.lf);
    }
    if (r.start >= len)
        return 0;
    int32_t k = slot[col < nslot ? col : nslot];
    if (k >= 0) {
        span[2 * (size_t)k] = fstart;
        span[2 * (size_t)k + 1] = len;
    }
    r.end = len;
    r.nfields = col + 1;
    r.unclosed = inq != 0;
    return doge__spend_row_end(w, &r);
}
