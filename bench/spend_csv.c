/*
 * bench/spend_csv.c — the speed of the USAspending CSV reader. Scans a
 * contracts-like file (the first argument, generated there and kept when it
 * does not exist; without one, generated in $TMPDIR and removed: about
 * BENCH_SPEND_CSV_MB megabytes, default 1024, with 100 columns named after
 * the USAspending prime-award contracts file, realistic widths, many empty
 * fields, and quoted descriptions holding commas, doubled quotes and line
 * breaks) selecting 15 columns, with the scalar reference and the SIMD
 * scanners, on 1 and 2 threads, from a warm page cache. Prints GB/s for each
 * (best of BENCH_SPEND_CSV_REPS runs, default 2), the GB per CPU-second of
 * that run (meaningful when other processes share the cores), and the
 * ratios against the scalar scan with the same thread count; a last line also parses the
 * money and date fields (doge_money_parse, doge_date_parse) in the callback,
 * through the public file entry point (mmap included).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doge.h"
#include "spend/spend_csv_internal.h"

static const char *columns[100] = {
    "contract_transaction_unique_key", "contract_award_unique_key", "award_id_piid",
    "modification_number", "transaction_number", "parent_award_agency_id",
    "parent_award_agency_name", "parent_award_id_piid", "parent_award_modification_number",
    "federal_action_obligation", "total_dollars_obligated", "total_outlayed_amount_for_overall_award",
    "base_and_exercised_options_value", "current_total_value_of_award",
    "base_and_all_options_value", "potential_total_value_of_award",
    "disaster_emergency_fund_codes_for_overall_award", "action_date", "action_date_fiscal_year",
    "period_of_performance_start_date", "period_of_performance_current_end_date",
    "period_of_performance_potential_end_date", "ordering_period_end_date", "solicitation_date",
    "awarding_agency_code", "awarding_agency_name", "awarding_sub_agency_code",
    "awarding_sub_agency_name", "awarding_office_code", "awarding_office_name",
    "funding_agency_code", "funding_agency_name", "funding_sub_agency_code",
    "funding_sub_agency_name", "funding_office_code", "funding_office_name",
    "treasury_accounts_funding_this_award", "federal_accounts_funding_this_award",
    "object_classes_funding_this_award", "program_activities_funding_this_award",
    "foreign_funding", "foreign_funding_description", "sam_exception",
    "sam_exception_description", "recipient_uei", "recipient_duns", "recipient_name",
    "recipient_name_raw", "recipient_doing_business_as_name", "cage_code",
    "recipient_parent_uei", "recipient_parent_duns", "recipient_parent_name",
    "recipient_parent_name_raw", "recipient_country_code", "recipient_country_name",
    "recipient_address_line_1", "recipient_address_line_2", "recipient_city_name",
    "prime_award_transaction_recipient_county_fips_code", "recipient_county_name",
    "prime_award_transaction_recipient_state_fips_code", "recipient_state_code",
    "recipient_state_name", "recipient_zip_4_code", "prime_award_transaction_recipient_cd_original",
    "prime_award_transaction_recipient_cd_current", "recipient_phone_number",
    "recipient_fax_number", "primary_place_of_performance_country_code",
    "primary_place_of_performance_country_name", "primary_place_of_performance_city_name",
    "primary_place_of_performance_county_name", "primary_place_of_performance_state_code",
    "primary_place_of_performance_state_name", "primary_place_of_performance_zip_4",
    "award_or_idv_flag", "award_type_code", "award_type", "idv_type_code", "idv_type",
    "type_of_contract_pricing_code", "type_of_contract_pricing", "transaction_description",
    "prime_award_base_transaction_description", "action_type_code", "action_type",
    "solicitation_identifier", "number_of_actions", "product_or_service_code",
    "product_or_service_code_description", "naics_code", "naics_description",
    "extent_competed_code", "extent_competed", "number_of_offers_received",
    "usaspending_permalink", "initial_report_date", "last_modified_date", "highly_compensated_officer_1_name"};

static const char *wanted[15] = {
    "contract_award_unique_key", "award_id_piid", "modification_number",
    "federal_action_obligation", "total_dollars_obligated", "current_total_value_of_award",
    "potential_total_value_of_award", "action_date", "period_of_performance_start_date",
    "period_of_performance_current_end_date", "period_of_performance_potential_end_date",
    "awarding_agency_name", "recipient_uei", "recipient_name", "naics_code"};

static const char *agencies[] = {"Department of Defense", "Department of Veterans Affairs",
                                 "General Services Administration",
                                 "Department of Health and Human Services",
                                 "National Aeronautics and Space Administration",
                                 "Department of Homeland Security"};
static const char *words[] = {"services", "support", "maintenance", "of", "the", "and",
                              "systems", "engineering", "IT", "lease", "facility", "repair",
                              "for", "program", "management", "equipment", "training"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds used by the whole process (all threads). */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The generator writes into a buffer with its own number formatting:
 * fprintf would make generation slower than the scans it feeds. */
typedef struct wbuf {
    char *p;
    size_t n;
    FILE *f;
} wbuf;

#define WBUF_CAP (1u << 20)

static void w_flush(wbuf *b)
{
    fwrite(b->p, 1, b->n, b->f);
    b->n = 0;
}

static void w_str(wbuf *b, const char *s)
{
    size_t n = strlen(s);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void w_ch(wbuf *b, char c) { b->p[b->n++] = c; }

/* v in decimal, at least width digits. */
static void w_num(wbuf *b, uint64_t v, int width)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k < width)
        tmp[k++] = '0';
    while (k)
        b->p[b->n++] = tmp[--k];
}

enum kind { K_KEY, K_PIID, K_MONEY, K_DATE, K_AGENCY, K_DESC, K_NAME, K_UEI, K_LINK, K_CODE, K_OTHER };

static enum kind kind_of(int col)
{
    const char *name = columns[col];
    if (strstr(name, "unique_key"))
        return K_KEY;
    if (strstr(name, "piid"))
        return K_PIID;
    if (strstr(name, "amount") || strstr(name, "obligat") || strstr(name, "value"))
        return K_MONEY;
    if (strstr(name, "date"))
        return K_DATE;
    if (strstr(name, "agency_name") || strstr(name, "office_name"))
        return K_AGENCY;
    if (strstr(name, "description"))
        return K_DESC;
    if (strstr(name, "recipient_name") || strstr(name, "parent_name"))
        return K_NAME;
    if (strstr(name, "uei"))
        return K_UEI;
    if (strstr(name, "permalink"))
        return K_LINK;
    if (strstr(name, "code"))
        return K_CODE;
    return K_OTHER;
}

static void put_text(wbuf *b, doge_synth_rng *g, int quoted, unsigned nwords)
{
    if (quoted)
        w_ch(b, '"');
    for (unsigned i = 0; i < nwords; i++) {
        if (i)
            w_ch(b, ' ');
        w_str(b, words[doge_synth_rng_below(g, sizeof words / sizeof words[0])]);
        if (quoted) {
            uint64_t r = doge_synth_rng_below(g, 40);
            if (r == 0)
                w_ch(b, ',');
            else if (r == 1)
                w_str(b, " \"\"ARRA\"\"");
            else if (r == 2)
                w_ch(b, '\n');
        }
    }
    if (quoted)
        w_ch(b, '"');
}

static void put_field(wbuf *b, doge_synth_rng *g, int col, enum kind k, uint64_t row)
{
    switch (k) {
    case K_KEY:
        w_str(b, col == 0 ? "CONT_AWD_FA8650" : "CONT_AWD_N00019");
        w_num(b, row / 3, 6);
        w_str(b, "_9700_-NONE-_-NONE-");
        if (col == 0) {
            w_ch(b, '_');
            w_num(b, row % 3, 1);
        }
        break;
    case K_PIID:
        w_str(b, "FA8650");
        w_num(b, doge_synth_rng_below(g, 30), 2);
        w_ch(b, 'C');
        w_num(b, row % 10000, 4);
        break;
    case K_MONEY: {
        uint64_t c = doge_synth_rng_below(g, 2000000000ull);
        if (doge_synth_rng_below(g, 10) == 0) {
            w_ch(b, '-');
            c /= 10;
        }
        w_num(b, c / 100, 1);
        w_ch(b, '.');
        w_num(b, c % 100, 2);
        break;
    }
    case K_DATE:
        if (doge_synth_rng_below(g, 8)) {
            w_num(b, 2010 + doge_synth_rng_below(g, 15), 4);
            w_ch(b, '-');
            w_num(b, 1 + doge_synth_rng_below(g, 12), 2);
            w_ch(b, '-');
            w_num(b, 1 + doge_synth_rng_below(g, 28), 2);
        }
        break;
    case K_AGENCY:
        w_str(b, agencies[doge_synth_rng_below(g, sizeof agencies / sizeof agencies[0])]);
        break;
    case K_DESC: put_text(b, g, 1, 4 + (unsigned)doge_synth_rng_below(g, 20)); break;
    case K_NAME:
        w_str(b, "\"ACME ");
        w_str(b, words[doge_synth_rng_below(g, 17)]);
        w_str(b, ", INC.\"");
        break;
    case K_UEI:
        w_ch(b, 'K');
        w_num(b, doge_synth_rng_below(g, 100000000000ull), 11);
        break;
    case K_LINK:
        w_str(b, "https://www.usaspending.gov/award/CONT_AWD_");
        w_num(b, row, 6);
        w_ch(b, '/');
        break;
    case K_CODE:
        if (doge_synth_rng_below(g, 4))
            w_num(b, doge_synth_rng_below(g, 1000000), 1);
        break;
    case K_OTHER:
        if (doge_synth_rng_below(g, 3) == 0)
            put_text(b, g, 0, 1 + (unsigned)doge_synth_rng_below(g, 3));
        break;
    }
}

static int generate(const char *path, uint64_t bytes)
{
    wbuf b = {.p = malloc(WBUF_CAP + 65536), .f = fopen(path, "wb")};
    if (!b.f || !b.p)
        return -1;
    enum kind kinds[100];
    for (int c = 0; c < 100; c++) {
        kinds[c] = kind_of(c);
        if (c)
            w_ch(&b, ',');
        w_str(&b, columns[c]);
    }
    w_str(&b, "\r\n");
    doge_synth_rng g;
    doge_synth_rng_seed(&g, 42);
    uint64_t written = 0;
    for (uint64_t row = 0; written + b.n < bytes; row++) {
        for (int c = 0; c < 100; c++) {
            if (c)
                w_ch(&b, ',');
            put_field(&b, &g, c, kinds[c], row);
        }
        w_str(&b, "\r\n");
        if (b.n > WBUF_CAP) {
            written += b.n;
            w_flush(&b);
        }
    }
    w_flush(&b);
    free(b.p);
    return fclose(b.f);
}

typedef struct acc {
    uint64_t bytes[64];
    int64_t cents[64];
    int64_t days[64];
    uint64_t pad[8];
} acc;

static int on_row_touch(void *ctx, const doge_spend_row *row)
{
    acc *a = ctx;
    uint64_t n = 0;
    for (size_t i = 0; i < row->nfields; i++)
        n += row->fields[i].len + (row->fields[i].len ? (unsigned char)row->fields[i].data[0] : 0);
    a->bytes[row->thread] += n;
    return 0;
}

static int on_row_parse(void *ctx, const doge_spend_row *row)
{
    acc *a = ctx;
    for (size_t i = 3; i <= 6; i++) {
        int64_t c;
        if (doge_money_parse(row->fields[i].data, row->fields[i].len, &c) == 0)
            a->cents[row->thread] += c;
    }
    for (size_t i = 7; i <= 10; i++) {
        int32_t d;
        if (row->fields[i].len && doge_date_parse(row->fields[i].data, row->fields[i].len, &d) == 0)
            a->days[row->thread] += d;
    }
    return 0;
}

/* GB/s of wall time (best run); *per_cpu gets GB per CPU-second of that
 * run, which stays meaningful when other processes share the cores. */
static double run(const void *map, size_t len, int variant, unsigned threads, int reps,
                  uint64_t *rows, double *per_cpu)
{
    double best = 1e30, best_cpu = 1e30;
    for (int r = 0; r < reps; r++) {
        acc a;
        memset(&a, 0, sizeof a);
        doge_spend_csv_opts o = {.columns = wanted, .ncolumns = 15, .threads = threads,
                                 .on_row = on_row_touch, .ctx = &a};
        doge_spend_csv_stats st;
        double t0 = now(), c0 = cpu();
        int rc = doge__spend_scan_variant(map, len, "bench.csv", &o, &st, variant, 0);
        double t = now() - t0, c = cpu() - c0;
        if (rc) {
            fprintf(stderr, "bench: %s\n", doge_error_last());
            exit(1);
        }
        *rows = st.rows;
        if (t < best) {
            best = t;
            best_cpu = c;
        }
    }
    *per_cpu = (double)len / best_cpu / 1e9;
    return (double)len / best / 1e9;
}

int main(int argc, char **argv)
{
    char tmp[4096];
    const char *path = argc > 1 ? argv[1] : NULL;
    const char *mb = getenv("BENCH_SPEND_CSV_MB");
    const char *rs = getenv("BENCH_SPEND_CSV_REPS");
    int reps = rs && atoi(rs) > 0 ? atoi(rs) : 2;
    uint64_t bytes = (uint64_t)(mb ? atoll(mb) : 1024) << 20;
    if (!path) {
        const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
        snprintf(tmp, sizeof tmp, "%s/doge_bench_spend_%ld.csv", dir, (long)getpid());
        path = tmp;
    }
    if (path == tmp || access(path, F_OK) != 0) {
        double t0 = now();
        if (generate(path, bytes) != 0) {
            fprintf(stderr, "bench: cannot write %s\n", path);
            return 1;
        }
        printf("generated %s (%.2f GB) in %.1f s\n", path, (double)bytes / 1e9, now() - t0);
    }
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        return 1;
    }
    size_t len = (size_t)st.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        fprintf(stderr, "bench: cannot map %s\n", path);
        return 1;
    }
    uint64_t rows = 0, sum = 0;
    for (size_t i = 0; i < len; i += 4096) /* warm the page cache and the mapping */
        sum += ((const unsigned char *)map)[i];
    printf("file %s: %.2f GB, 100 columns, 15 read (page sum %" PRIu64 ")\n", path,
           (double)len / 1e9, sum & 1);

    int simd[2] = {DOGE__SPEND_SSE2, DOGE__SPEND_AVX2};
    const char *simd_name[2] = {"sse2", "avx2"};
    for (unsigned threads = 1; threads <= 2; threads++) {
        double base_cpu, g_cpu;
        double base = run(map, len, DOGE__SPEND_SCALAR, threads, reps, &rows, &base_cpu);
        printf("scalar  %u thread%s: %6.2f GB/s (%.2f GB per CPU-second; %" PRIu64 " rows)\n",
               threads, threads > 1 ? "s" : " ", base, base_cpu, rows);
        for (int v = 0; v < 2; v++) {
            if (!doge__spend_kernel_for(simd[v]))
                continue;
            double g = run(map, len, simd[v], threads, reps, &rows, &g_cpu);
            printf("%-7s %u thread%s: %6.2f GB/s (%.2f GB per CPU-second)  %.2fx scalar\n",
                   simd_name[v], threads, threads > 1 ? "s" : " ", g, g_cpu, g / base);
        }
    }
    munmap(map, len);

    /* end to end through the file entry point, parsing money and dates */
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        acc a;
        memset(&a, 0, sizeof a);
        doge_spend_csv_opts o = {.columns = wanted, .ncolumns = 15, .threads = 2,
                                 .on_row = on_row_parse, .ctx = &a};
        doge_spend_csv_stats s;
        double t0 = now();
        if (doge_spend_csv_scan(path, &o, &s) != 0) {
            fprintf(stderr, "bench: %s\n", doge_error_last());
            return 1;
        }
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    printf("file scan + money/date parsing, 2 threads (best SIMD): %.2f GB/s\n",
           (double)len / best / 1e9);
    if (path == tmp)
        unlink(tmp);
    return 0;
}
