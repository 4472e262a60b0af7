/*
 * money.c — parsing and formatting of dollar amounts held as int64_t cents.
 * The parser is a single left-to-right pass over the bytes that accumulates
 * the magnitude in uint64_t (noting overflow instead of wrapping), keeps the
 * first two decimals, the third as the rounding digit and whether anything
 * non-zero follows (the sticky bit for half-to-even), then applies the sign
 * with the asymmetric int64_t range in mind (INT64_MIN cents is accepted).
 */
#include "doge/money.h"
#include "internal.h"
#include "util/snippet.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct scan {
    const char *s;
    size_t len;
};

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int bad_at(const struct scan *t, size_t at, const char *why)
{
    char q[DOGE__SNIPPET_SIZE], ch[8];
    doge__util_snippet(q, sizeof q, t->s, t->len);
    if (at >= t->len)
        return doge__error_set(DOGE_EINVAL, "money '%s': %s; ends at offset %zu", q, why, at);
    return doge__error_set(DOGE_EINVAL, "money '%s': %s; unexpected '%s' at offset %zu", q, why,
                           doge__util_char(ch, (unsigned char)t->s[at]), at);
}

/* Adds digit to *mag; sets *over when the result passes UINT64_MAX. */
static void push_digit(uint64_t *mag, int digit, int *over)
{
    if (*mag > (UINT64_MAX - (uint64_t)digit) / 10) {
        *over = 1;
        return;
    }
    *mag = *mag * 10 + (uint64_t)digit;
}

int doge_money_parse(const char *s, size_t len, int64_t *cents)
{
    struct scan t = {s, len};
    char q[DOGE__SNIPPET_SIZE];
    size_t i = 0, end = len;
    while (i < end && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (i == end)
        return doge__error_set(DOGE_EINVAL, "money '%s': empty",
                               doge__util_snippet(q, sizeof q, s, len));

    int neg = 0;
    if (s[i] == '(') {
        if (s[end - 1] != ')')
            return doge__error_set(DOGE_EINVAL, "money '%s': '(' at offset %zu has no matching ')'",
                                   doge__util_snippet(q, sizeof q, s, len), i);
        neg = 1;
        i++;
        end--;
    } else if (s[i] == '-' || s[i] == '+') {
        neg = s[i] == '-';
        i++;
    }
    if (i < end && s[i] == '$')
        i++;

    /* Whole dollars, with optional thousands separators. */
    uint64_t mag = 0;
    int over = 0;
    size_t run = 0, start = i;
    int grouped = 0;
    for (; i < end; i++) {
        if (is_digit(s[i])) {
            push_digit(&mag, s[i] - '0', &over);
            run++;
        } else if (s[i] == ',') {
            if (run == 0)
                return bad_at(&t, i, "expected a digit before ','");
            if (grouped ? run != 3 : run > 3)
                return bad_at(&t, i, "thousands separators must split groups of three digits");
            grouped = 1;
            run = 0;
        } else {
            break;
        }
    }
    if (grouped && run != 3) {
        size_t at = i - run; /* first digit of the short or long group */
        char why[96];
        snprintf(why, sizeof why, "thousands group at offset %zu has %zu digits, not 3", at, run);
        return doge__error_set(DOGE_EINVAL, "money '%s': %s",
                               doge__util_snippet(q, sizeof q, s, len), why);
    }
    size_t int_digits = i > start ? i - start : 0;

    /* Cents, then the rounding digit and the sticky bit. */
    int frac[2] = {0, 0}, round_digit = 0, sticky = 0;
    size_t nfrac = 0;
    if (i < end && s[i] == '.') {
        i++;
        for (; i < end && is_digit(s[i]); i++, nfrac++) {
            int d = s[i] - '0';
            if (nfrac < 2)
                frac[nfrac] = d;
            else if (nfrac == 2)
                round_digit = d;
            else if (d)
                sticky = 1;
        }
        if (nfrac == 0)
            return bad_at(&t, i, "expected a digit after '.'");
    } else if (int_digits == 0) {
        return bad_at(&t, i, "expected a digit");
    }
    if (i < end) {
        if (s[i] == 'e' || s[i] == 'E')
            return bad_at(&t, i, "exponents are not accepted");
        return bad_at(&t, i, nfrac ? "expected the end after the decimals"
                                   : "expected a digit, ',' or '.'");
    }

    /* mag * 100 + cents, rounded half to even, within int64_t. */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t c = 0;
    if (!over && mag <= (limit - 99) / 100) {
        c = mag * 100 + (uint64_t)(frac[0] * 10 + frac[1]);
        if (round_digit > 5 || (round_digit == 5 && (sticky || (c & 1))))
            c++;
    } else if (!over && mag <= limit / 100) {
        /* Near the limit: add with checks. */
        uint64_t base = mag * 100, add = (uint64_t)(frac[0] * 10 + frac[1]);
        if (add > limit - base) {
            over = 1;
        } else {
            c = base + add;
            if (round_digit > 5 || (round_digit == 5 && (sticky || (c & 1)))) {
                if (c == limit)
                    over = 1;
                else
                    c++;
            }
        }
    } else {
        over = 1;
    }
    if (over)
        return doge__error_set(DOGE_ERANGE,
                               "money '%s': out of range (beyond %s92233720368547758.%s)",
                               doge__util_snippet(q, sizeof q, s, len), neg ? "-" : "",
                               neg ? "08" : "07");
    if (neg)
        *cents = c == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)c;
    else
        *cents = (int64_t)c;
    return DOGE_OK;
}

int doge_money_format(int64_t cents, unsigned flags, char *out, size_t cap)
{
    char tmp[DOGE_MONEY_STRLEN], digits[24];
    int neg = cents < 0;
    uint64_t mag = neg ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
    uint64_t whole = mag / 100;
    unsigned frac = (unsigned)(mag % 100);

    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);

    size_t o = 0;
    if (neg)
        tmp[o++] = (flags & DOGE_MONEY_PARENS) ? '(' : '-';
    if (flags & DOGE_MONEY_DOLLAR)
        tmp[o++] = '$';
    for (size_t k = nd; k-- > 0;) {
        tmp[o++] = digits[k];
        if ((flags & DOGE_MONEY_GROUP) && k > 0 && k % 3 == 0)
            tmp[o++] = ',';
    }
    tmp[o++] = '.';
    tmp[o++] = (char)('0' + frac / 10);
    tmp[o++] = (char)('0' + frac % 10);
    if (neg && (flags & DOGE_MONEY_PARENS))
        tmp[o++] = ')';
    tmp[o] = '\0';
    if (o + 1 > cap) {
        if (cap)
            out[0] = '\0';
        return doge__error_set(DOGE_ELIMIT,
                               "money: output buffer of %zu bytes is too small for '%s'", cap,
                               tmp);
    }
    memcpy(out, tmp, o + 1);
    return DOGE_OK;
}
