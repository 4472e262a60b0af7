/*
 * csv_rowend.h — internal CSV helpers shared by the streaming reader
 * (csvread.c): the SIMD search for the line feed that ends a row (every
 * double quote toggles an in-quotes state, as in the USAspending scanner),
 * and a switch that makes a reader use its scalar row search only, so that
 * a differential test can compare the two. Not installed.
 */
#ifndef DOGE_UTIL_CSV_ROWEND_H
#define DOGE_UTIL_CSV_ROWEND_H

#include <stddef.h>
#include <stdint.h>

#include "doge/csvread.h"

/* The index in b[0, n) of the first line feed outside quotes, b[0] being
 * outside quotes and every quote toggling, or n when there is none; *lfs
 * gets the line feeds before that index, and *plain is 0 when a quote
 * before it opens quotes where no field starts (not at b[0], after a comma
 * or after a quote). Sixteen bytes at a time (SSE2 on x86-64). */
size_t doge__csv_row_end(const char *b, size_t n, uint64_t *lfs, int *plain);

/* on: the reader r finds rows with its scalar state machine only. */
void doge__csvread_set_scalar(doge_csvread *r, int on);

#endif
