/*
 * spend_util.c — small helpers the spend files share: dollar and date text
 * for evidence lines, field comparisons, the order of modification numbers
 * (P00009 before P00010, numeric runs compared by value), the
 * extent-competed classification, recipient-name normalisation for the
 * exclusion match, and the rule names.
 */
#include "doge/date.h"
#include "doge/money.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *doge__spend_usd(int64_t cents, char *out)
{
    if (doge_money_format(cents, DOGE_MONEY_US, out, DOGE_MONEY_STRLEN) != DOGE_OK)
        snprintf(out, DOGE_MONEY_STRLEN, "?");
    return out;
}

const char *doge__spend_day(int32_t days, char *out)
{
    if (days == DOGE_SPEND_NO_DATE || doge_date_format(days, out, 16) != DOGE_OK)
        snprintf(out, 16, "none");
    return out;
}

int doge__spend_is(const doge_spend_field *f, const char *s)
{
    size_t n = strlen(s);
    return f->len == n && memcmp(f->data, s, n) == 0;
}

int doge__spend_is_base_mod(const doge_spend_field *f)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] != '0')
            return 0;
    return 1;
}

int doge__spend_mod_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    while (i < alen && j < blen) {
        unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[j];
        if (isdigit(ca) && isdigit(cb)) {
            while (i < alen && a[i] == '0')
                i++;
            while (j < blen && b[j] == '0')
                j++;
            size_t si = i, sj = j;
            while (i < alen && isdigit((unsigned char)a[i]))
                i++;
            while (j < blen && isdigit((unsigned char)b[j]))
                j++;
            size_t la = i - si, lb = j - sj;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(a + si, b + sj, la);
            if (c)
                return c < 0 ? -1 : 1;
            continue;
        }
        if (ca != cb)
            return ca < cb ? -1 : 1;
        i++;
        j++;
    }
    if (i < alen)
        return 1;
    if (j < blen)
        return -1;
    return 0;
}

int doge__spend_noncompeted(const doge_spend_field *code)
{
    /* FPDS extent competed: A full and open, B not available for
     * competition, C not competed, D full and open after exclusion of
     * sources, E follow-on to competed action, F competed under SAP, G not
     * competed under SAP, CDO competitive delivery order, NDO non-competitive
     * delivery order. */
    if (code->len == 1) {
        switch (code->data[0]) {
        case 'A': case 'D': case 'E': case 'F': return 0;
        case 'B': case 'C': case 'G': return 1;
        default: return -1;
        }
    }
    if (doge__spend_is(code, "CDO"))
        return 0;
    if (doge__spend_is(code, "NDO"))
        return 1;
    return -1;
}

static const char *const suffixes[] = {
    "INC", "INCORPORATED", "LLC", "LLP", "LP", "LTD", "LIMITED", "CORP", "CORPORATION",
    "CO", "COMPANY", "PLLC", "PC", "PLC", "GMBH", "SA",
};

static int is_suffix(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (strlen(suffixes[i]) == n && memcmp(suffixes[i], w, n) == 0)
            return 1;
    return 0;
}

size_t doge_spend_name_normalize(const char *name, size_t len, char *out, size_t cap)
{
    if (cap == 0)
        return 0;
    size_t n = 0;
    int space = 1; /* drop leading spaces */
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '.' || c == '\'')
            continue; /* "L.L.C." -> "LLC", "O'Brien" -> "OBRIEN" */
        if (c < 0x80 && !isalnum(c) && c != '&') { /* "AT&T" stays one word */
            if (!space) {
                out[n++] = ' ';
                space = 1;
            }
            continue;
        }
        out[n++] = (char)(c < 0x80 ? toupper(c) : c);
        space = 0;
    }
    while (n > 0 && out[n - 1] == ' ')
        n--;
    /* Drop trailing corporate suffixes ("ACME WIDGETS CO INC" -> "ACME
     * WIDGETS"), keeping at least one word, and a leading "THE". */
    for (;;) {
        size_t w = n;
        while (w > 0 && out[w - 1] != ' ')
            w--;
        if (w == 0 || !is_suffix(out + w, n - w))
            break;
        n = w - 1;
    }
    if (n > 4 && memcmp(out, "THE ", 4) == 0) {
        memmove(out, out + 4, n - 4);
        n -= 4;
    }
    out[n] = '\0';
    return n;
}

static const char *const rule_names[] = {NULL,       "over_potential", "after_end",
                                         "duplicate", "split",          "excluded",
                                         "benford",   "noncompeted"};
static const char *const rule_titles[] = {NULL,
                                          "obligated above potential value",
                                          "actions after the period of performance",
                                          "likely duplicate payments",
                                          "split purchases under a threshold",
                                          "recipient on the exclusion list",
                                          "first digits against Benford's law",
                                          "non-competed dollar share"};

const char *doge_spend_rule_name(int rule)
{
    return rule >= 1 && rule <= DOGE_SPEND_RULES ? rule_names[rule] : NULL;
}

const char *doge_spend_rule_title(int rule)
{
    return rule >= 1 && rule <= DOGE_SPEND_RULES ? rule_titles[rule] : NULL;
}
