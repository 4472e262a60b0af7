/*
 * bench/roster.c — measures the roster pipeline at national scale:
 * generating a synthetic workforce of 2,300,000 employees (override with
 * argv[1]) into a temporary folder, reading it back with the CSV reader
 * alone (the scan rate), importing it into a fresh workspace (validation,
 * then the store), and re-importing it after changes (about 1% joined, left
 * and moved). Prints one line per measurement; the target is a first import
 * in <= 60 s on two cores, with the bare CSV scan as the baseline ratio.
 */
#include "doge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what)
{
    fprintf(stderr, "bench_roster: %s: %s\n", what, doge_error_last());
    return 1;
}

/* Rewrites src into dst: every 100th employee who manages nobody is
 * removed (left), every 97th other employee is put directly under their
 * department's head (moved, unless already there), and n/100 new employees
 * are appended under the first head (joined). */
static int edit(const char *src, const char *dst, int64_t n)
{
    doge_map *managers;
    doge_csvread *r;
    int rc;
    if (doge_map_new(&managers, 0, 0))
        return -1;
    /* Pass 1: who manages someone. */
    if (doge_csvread_open(&r, src, 0) || doge_csvread_read_header(r))
        return -1;
    int mcol = doge_csvread_column(r, "manager_id"), dcol = doge_csvread_column(r, "department");
    while ((rc = doge_csvread_next(r)) == 1) {
        doge_csvread_field m = doge_csvread_get(r, (size_t)mcol);
        if (m.len && doge_map_put_u64(managers, m.data, m.len, 1))
            return -1;
    }
    doge_csvread_free(r);
    if (rc < 0)
        return -1;
    /* Pass 2: write the edited roster. */
    if (doge_csvread_open(&r, src, 0) || doge_csvread_read_header(r))
        return -1;
    FILE *f = fopen(dst, "wb");
    if (!f)
        return -1;
    doge_csv w;
    doge_csv_init_file(&w, f, DOGE_CSV_LF);
    size_t nc = doge_csvread_columns(r);
    for (size_t c = 0; c < nc; c++)
        doge_csv_field_str(&w, doge_csvread_column_name(r, c));
    doge_csv_end_row(&w);
    char head[32] = "", first_head[32] = "", dept[256] = "";
    int64_t row = 0;
    while ((rc = doge_csvread_next(r)) == 1) {
        row++;
        doge_csvread_field id = doge_csvread_get(r, 0), m = doge_csvread_get(r, (size_t)mcol);
        doge_csvread_field d = doge_csvread_get(r, (size_t)dcol);
        if (strlen(dept) != d.len || memcmp(dept, d.data, d.len) != 0) {
            snprintf(dept, sizeof dept, "%.*s", (int)d.len, d.data);
            snprintf(head, sizeof head, "%.*s", (int)id.len, id.data);
            if (!*first_head)
                snprintf(first_head, sizeof first_head, "%s", head);
        }
        if (row % 100 == 0 && !doge_map_get(managers, id.data, id.len, NULL))
            continue;
        int move = row % 97 == 0 && m.len && strcmp(head, id.data) != 0 &&
                   (strlen(head) != m.len || memcmp(head, m.data, m.len) != 0);
        for (size_t c = 0; c < nc; c++) {
            doge_csvread_field v = doge_csvread_get(r, c);
            if ((int)c == mcol && move)
                doge_csv_field_str(&w, head);
            else
                doge_csv_field(&w, v.data, v.len);
        }
        doge_csv_end_row(&w);
    }
    for (int64_t k = 1; rc == 0 && k <= n / 100; k++) {
        char nid[32], mail[64];
        snprintf(nid, sizeof nid, "N%07lld", (long long)k);
        snprintf(mail, sizeof mail, "new.hire%lld@opm.gov", (long long)k);
        const char *row2[] = {nid, "New Hire", mail, "Department of Defense", first_head, "",
                              "Program Analyst", "Washington, DC"};
        doge_csv_row(&w, row2, nc < 8 ? nc : 8);
    }
    doge_csvread_free(r);
    doge_map_free(managers);
    return fclose(f) == 0 && rc == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 2300000;
    if (n < 1000)
        n = 1000;
    char dir[] = "/tmp/doge-bench-roster.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char csv[256], ws_dir[256], cmd[600];
    snprintf(csv, sizeof csv, "%s/roster.csv", dir);
    snprintf(ws_dir, sizeof ws_dir, "%s/ws", dir);

    doge_synth_workforce_opts so;
    memset(&so, 0, sizeof so);
    so.employees = n;
    so.departments = 25;
    so.seed = 1;
    so.no_progress = 1;
    doge_synth_workforce_result sr;
    double t0 = now();
    if (doge_synth_workforce_file(&so, csv, &sr))
        return fail("synth");
    double t_synth = now() - t0;
    printf("synth workforce  %lld employees, %.1f MiB in %.2f s (%.0f rows/s)\n", (long long)n,
           (double)sr.bytes / 1048576.0, t_synth, (double)n / t_synth);

    /* The bare scan: every field of every row through the reader. */
    doge_csvread *r;
    if (doge_csvread_open(&r, csv, 0))
        return fail("csvread open");
    t0 = now();
    uint64_t fields = 0, rows = 0, bytes = 0;
    int rc;
    while ((rc = doge_csvread_next(r)) == 1) {
        rows++;
        fields += doge_csvread_count(r);
        bytes += doge_csvread_get(r, 0).len;
    }
    double t_scan = now() - t0;
    doge_csvread_free(r);
    if (rc < 0)
        return fail("csvread");
    printf("csvread scan     %llu rows, %llu fields in %.2f s (%.0f MiB/s, %.0f rows/s)\n",
           (unsigned long long)rows, (unsigned long long)fields, t_scan,
           (double)sr.bytes / 1048576.0 / t_scan, (double)rows / t_scan);

    if (doge_workspace_init(ws_dir))
        return fail("workspace init");
    doge_workspace *ws;
    if (doge_workspace_open(&ws, ws_dir))
        return fail("workspace open");
    doge_roster_import_opts io;
    memset(&io, 0, sizeof io);
    io.no_progress = 1;
    doge_roster_import_result res;
    t0 = now();
    if (doge_roster_import(doge_workspace_store(ws), csv, &io, &res))
        return fail("import");
    double t_imp = now() - t0;
    printf("roster import    %lld rows in %.2f s (read+validate %.2f s, store %.2f s): %.0f rows/s;"
           " %.1fx the bare scan time; target <= 60 s: %s\n",
           (long long)res.rows, t_imp, res.read_seconds, res.store_seconds,
           (double)res.rows / t_imp, t_imp / t_scan, t_imp <= 60.0 ? "met" : "MISSED");
    doge_roster_import_result_dispose(&res);

    char edited[300];
    snprintf(edited, sizeof edited, "%s/edited.csv", dir);
    if (edit(csv, edited, n))
        return fail("edit");
    t0 = now();
    rc = doge_roster_import(doge_workspace_store(ws), edited, &io, &res);
    double t_re = now() - t0;
    if (rc == DOGE_OK)
        printf("roster re-import %lld rows in %.2f s (read+validate %.2f s, store %.2f s): "
               "joined %lld, left %lld, moved %lld, unchanged %lld\n",
               (long long)res.rows, t_re, res.read_seconds, res.store_seconds,
               (long long)res.joined, (long long)res.left, (long long)res.moved,
               (long long)res.unchanged);
    else
        printf("roster re-import refused: %s\n", doge_error_last());
    doge_roster_import_result_dispose(&res);
    doge_workspace_free(ws);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_roster: could not remove %s\n", dir);
    return 0;
}
