/*
 * csv_simd_kernel.h — the body of the SIMD structural scanners, included by
 * csv_sse2.c and csv_avx2.c after they define:
 *   SIMD_ATTR              function attributes (a target, or nothing)
 *   SIMD_KERNEL            the scanner's name
 *   simd_classify(p, m)    64 bytes at p -> bit masks of quotes, commas,
 *                          line feeds, carriage returns and non-ASCII bytes
 *   simd_prefix_xor(x)     bit i = xor of bits 0..i of x
 *   simd_popcount(x)       set bits in x
 *   simd_tzcnt(x)          trailing zeros of x, any value (only used
 *                          when x != 0 matters)
 *
 * Stage 1, per 64-byte block: the in-quotes mask (prefix xor of the quote
 * bits, xored with the state carried from the block before), the
 * separators and row ends outside quotes, and the malformed bytes of kinds
 * A, B and C (spend_csv_internal.h), all with whole-block bit operations,
 * one carried bit each for "the byte before was a boundary" and "... was a
 * closing quote", and one byte of look-ahead for a CR at bit 63. The
 * positions of all separators and row ends are written to w->idx without
 * branches (eight per round, as simdjson does); each row end also records
 * its place in idx, its row's first malformed byte, the next row's line and
 * whether its row had any byte >= 0x80.
 *
 * Stage 2, every job->chunk bytes (or DOGE__SPEND_MAX_EOLS rows):
 * each row found is cut with direct lookups — wanted column c spans from
 * idx[first + c - 1] + 1 to idx[first + c] — and handed to
 * doge__spend_row_end exactly as the scalar reference hands it. The
 * positions of an unfinished row move to the front of idx; past the
 * header's column count only their number is kept, so a hostile row of
 * any length needs bounded memory. The last partial block is copied into a
 * zeroed 64-byte buffer. Nothing here allocates.
 */

/* Cuts the row whose structural positions are idx[first, first + n) (the
 * last being its row end, or all separators when the row ends the input)
 * into the wanted spans; only a row with the header's field count is cut. */
SIMD_ATTR static inline void simd_cut(doge__spend_worker *w, const uint64_t *idx, uint64_t first,
                                      uint64_t n, uint64_t start, uint64_t end)
{
    const int64_t *wc = w->job->wanted_col;
    uint64_t *span = w->span;
    for (size_t k = 0; k < w->nwanted; k++) {
        int64_t c = wc[k];
        if (c < 0)
            continue;
        span[2 * k] = c ? idx[first + (uint64_t)c - 1] + 1 : start;
        span[2 * k + 1] = (uint64_t)c < n ? idx[first + (uint64_t)c] : end;
    }
}

SIMD_ATTR int SIMD_KERNEL(doge__spend_worker *w, uint64_t from, uint64_t to, uint64_t line)
{
    const unsigned char *d = w->job->data;
    const uint64_t len = w->job->len;
    if (from >= to || from >= len)
        return 0;
    const uint64_t nslot = w->nslot;
    uint64_t *const idx = w->idx;
    doge__spend_eol *const eols = w->eols;
    uint64_t nidx = 0;      /* positions in idx */
    uint64_t first = 0;     /* idx entry of the current row's first position */
    uint64_t extra = 0;     /* positions of the current row no longer kept */
    uint64_t row_start = from, row_line = line, row_err = DOGE__SPEND_NONE, row_hi = 0;
    uint64_t lfs = 0;
    uint64_t inq = 0, fs_carry = 1, close_carry = 0;
    unsigned char tail[64];
    uint64_t base = from;

    for (;;) {
        uint64_t chunk_end = base + w->job->chunk;
        size_t neol = 0;
        for (; base < len && base < chunk_end && neol <= DOGE__SPEND_MAX_EOLS - 64; base += 64) {
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

            /* all positions, eight per round; entries past cnt are junk
             * that the next block overwrites */
            uint64_t *o = idx + nidx, bits = st, cnt = simd_popcount(st);
            for (uint64_t i = 0;; i += 8) {
                o[i + 0] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 1] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 2] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 3] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 4] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 5] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 6] = base + simd_tzcnt(bits), bits &= bits - 1;
                o[i + 7] = base + simd_tzcnt(bits), bits &= bits - 1;
                if (i + 8 >= cnt)
                    break;
            }

            uint64_t blk_hi = m.hi;
            if (__builtin_expect((eol | err) != 0, 0)) {
                uint64_t e = eol, errs = err;
                while (e) {
                    unsigned b = (unsigned)__builtin_ctzll(e);
                    e &= e - 1;
                    uint64_t through = (((uint64_t)2) << b) - 1;
                    if (row_err == DOGE__SPEND_NONE && (errs & through))
                        row_err = base + (uint64_t)__builtin_ctzll(errs & through);
                    errs &= ~through;
                    doge__spend_eol *rec = &eols[neol++];
                    rec->idx = nidx + simd_popcount(st & through) - 1;
                    rec->pos = base + b;
                    rec->err = row_err;
                    rec->next_line = line + lfs + simd_popcount(m.lf & through);
                    rec->ascii = !(row_hi | (blk_hi & through));
                    blk_hi &= ~through;
                    row_hi = 0;
                    row_err = DOGE__SPEND_NONE;
                }
                if (errs && row_err == DOGE__SPEND_NONE)
                    row_err = base + (uint64_t)__builtin_ctzll(errs);
            }
            row_hi |= blk_hi;
            nidx += cnt;
            if (m.lf)
                lfs += simd_popcount(m.lf);
        }

        /* stage 2: the rows that ended in this chunk */
        for (size_t i = 0; i < neol; i++) {
            const doge__spend_eol *rec = &eols[i];
            uint64_t nf = rec->idx - first + 1 + extra;
            if (nf == nslot)
                simd_cut(w, idx, first, nf, row_start, rec->pos);
            doge__spend_rawrow r = {.start = row_start,
                                    .end = rec->pos,
                                    .line = row_line,
                                    .nfields = nf,
                                    .err = rec->err,
                                    .ascii = (int)rec->ascii};
            int rc = doge__spend_row_end(w, &r);
            if (rc)
                return rc;
            row_start = rec->pos + 1;
            row_line = rec->next_line;
            first = rec->idx + 1;
            extra = 0;
            if (row_start >= to)
                return 0;
        }
        if (base >= len)
            break;
        /* keep the unfinished row's positions, at most nslot + 1 of them */
        uint64_t keep = nidx - first;
        if (keep > nslot + 1) {
            extra += keep - (nslot + 1);
            keep = nslot + 1;
        }
        memmove(idx, idx + first, (size_t)keep * sizeof *idx);
        nidx = keep;
        first = 0;
    }
    if (row_start >= len)
        return 0;
    uint64_t nf = nidx - first + 1 + extra; /* separators, then the last field */
    if (nf == nslot)
        simd_cut(w, idx, first, nf - 1, row_start, len);
    doge__spend_rawrow r = {.start = row_start,
                            .end = len,
                            .line = row_line,
                            .nfields = nf,
                            .err = row_err,
                            .unclosed = inq != 0,
                            .ascii = !row_hi};
    return doge__spend_row_end(w, &r);
}
