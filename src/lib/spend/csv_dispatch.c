/*
 * csv_dispatch.c — picks the structural scanner of the USAspending CSV
 * reader: the scalar reference when asked for, else the best SIMD variant
 * this CPU runs.
 */
#include "spend_csv_internal.h"

doge__spend_kernel doge__spend_kernel_for(int variant)
{
    switch (variant) {
    case DOGE__SPEND_AUTO:
    case DOGE__SPEND_SCALAR: return doge__spend_scan_scalar;
    default: return NULL;
    }
}

doge__spend_counter doge__spend_counter_for(int variant)
{
    switch (variant) {
    case DOGE__SPEND_AUTO:
    case DOGE__SPEND_SCALAR: return doge__spend_count_scalar;
    default: return NULL;
    }
}
