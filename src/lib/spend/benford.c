/*
 * benford.c — the first-digit test (Nigrini, "Benford's Law", 2012): the
 * expected share of each first digit, the first significant digit of an
 * amount in whole dollars (amounts under $10 are left out, as Nigrini
 * advises for accounting data), the mean absolute deviation of observed
 * shares from the expected ones over digits 1 to 9, and Nigrini's
 * conformity bands for first digits (0.006, 0.012, 0.015).
 */
#include "doge/spend.h"

#include <math.h>

double doge_spend_benford_expected(int d)
{
    return d >= 1 && d <= 9 ? log10(1.0 + 1.0 / d) : 0.0;
}

int doge_spend_first_digit(int64_t cents)
{
    uint64_t v = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    v /= 100; /* whole dollars */
    if (v < 10)
        return 0;
    while (v >= 10)
        v /= 10;
    return (int)v;
}

double doge_spend_benford_mad(const uint64_t counts[10])
{
    uint64_t n = 0;
    for (int d = 1; d <= 9; d++)
        n += counts[d];
    if (n == 0)
        return -1.0;
    double sum = 0;
    for (int d = 1; d <= 9; d++)
        sum += fabs((double)counts[d] / (double)n - doge_spend_benford_expected(d));
    return sum / 9.0;
}

const char *doge_spend_benford_band(double mad)
{
    if (mad < 0)
        return "no amounts";
    if (mad <= 0.006)
        return "close conformity";
    if (mad <= 0.012)
        return "acceptable conformity";
    if (mad <= 0.015)
        return "marginally acceptable conformity";
    return "nonconformity";
}
