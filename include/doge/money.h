/*
 * doge/money.h — amounts of US dollars as int64_t cents: parsing the forms
 * found in award data and receipts, and formatting them back. Money is never
 * a double in doge; sums of cents are exact.
 *
 * Accepted text (surrounding spaces and tabs are ignored):
 *   [+|-][$]digits[.digits]   "1234.56", "-0.5", "+3", "$1,234.56", ".5"
 *   ([$]digits[.digits])      "(1,234.56)": accounting style, negative
 * Thousands separators are optional but, when used, must split the whole
 * number part into groups of exactly three digits after a first group of
 * one to three ("1,234,567"; not "1,23" or "1234,567"). A decimal point must
 * be followed by at least one digit. More than two decimals are rounded to
 * the cent half-to-even ("0.125" -> 12, "0.135" -> 14, "0.1251" -> 13).
 * Exponents ("1e3") are rejected: amounts in the sources are never written
 * that way, so an exponent means a column was mangled by a spreadsheet.
 * Anything else is DOGE_EINVAL naming the text and the offset of the first
 * bad byte; a value beyond int64_t cents is DOGE_ERANGE naming the text.
 *
 * Ownership: nothing here allocates. Text is read from an (s, len) view that
 * need not be NUL-terminated; output goes to a caller-provided array.
 */
#ifndef DOGE_MONEY_H
#define DOGE_MONEY_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Format flags. */
#define DOGE_MONEY_DOLLAR 1u /* prefix "$": "$1234.56", "-$0.50" */
#define DOGE_MONEY_GROUP 2u  /* thousands separators: "1,234.56" */
#define DOGE_MONEY_PARENS 4u /* negatives as "(1.00)" instead of "-1.00" */
#define DOGE_MONEY_US (DOGE_MONEY_DOLLAR | DOGE_MONEY_GROUP) /* "$1,234.56" */

/* An output array of this size holds any formatted amount with any flags
 * ("($92,233,720,368,547,758.08)" is 29 bytes with the NUL). */
#define DOGE_MONEY_STRLEN 32

/* Parses an amount into cents (see above for the accepted forms). */
DOGE_EXTERN int doge_money_parse(const char *s, size_t len, int64_t *cents);

/* Writes cents as "1234.56" / "-0.50", changed by DOGE_MONEY_* flags, into
 * out (NUL-terminated). DOGE_ELIMIT when cap is too small. */
DOGE_EXTERN int doge_money_format(int64_t cents, unsigned flags, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
