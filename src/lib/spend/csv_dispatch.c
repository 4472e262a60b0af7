/*
 * csv_dispatch.c — picks the structural scanner of the USAspending CSV
 * reader: the scalar reference when asked for, else the best SIMD variant
 * this CPU runs (AVX2 when it has AVX2, PCLMUL, POPCNT and BMI1; SSE2 on
 * any other x86-64; the scalar scanner elsewhere). A variant this CPU or
 * build cannot run is NULL.
 */
#include "spend_csv_internal.h"

static int have_avx2(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
           __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
#else
    return 0;
#endif
}

static int resolve(int variant)
{
    if (variant != DOGE__SPEND_AUTO)
        return variant;
#if defined(__x86_64__)
    return have_avx2() ? DOGE__SPEND_AVX2 : DOGE__SPEND_SSE2;
#else
    return DOGE__SPEND_SCALAR;
#endif
}

doge__spend_kernel doge__spend_kernel_for(int variant)
{
    switch (resolve(variant)) {
    case DOGE__SPEND_SCALAR: return doge__spend_scan_scalar;
#if defined(__x86_64__)
    case DOGE__SPEND_SSE2: return doge__spend_scan_sse2;
    case DOGE__SPEND_AVX2: return have_avx2() ? doge__spend_scan_avx2 : NULL;
#endif
    default: return NULL;
    }
}

doge__spend_counter doge__spend_counter_for(int variant)
{
    switch (resolve(variant)) {
    case DOGE__SPEND_SCALAR: return doge__spend_count_scalar;
#if defined(__x86_64__)
    case DOGE__SPEND_SSE2: return doge__spend_count_sse2;
    case DOGE__SPEND_AVX2: return have_avx2() ? doge__spend_count_avx2 : NULL;
#endif
    default: return NULL;
    }
}
