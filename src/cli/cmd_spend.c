/*
 * cmd_spend.c — `doge spend`: `audit FILE...` runs the seven waste rules of
 * doge/spend.h over USAspending.gov transaction files, and `receipts verify
 * RECEIPTS --awards FILE...` checks claimed savings against the award
 * record. Both print a summary (or --json, --csv), write a self-contained
 * HTML report on --html OUT, print malformed rows to stderr as
 * "file:line: byte N: why" (the first 100, then a count) and go on unless
 * --strict, and append one canonical JSON entry per finding or verification
 * to the workspace's ledger unless --no-ledger (the ledger is opened before
 * the scan so a missing one fails at once). With a workspace, the latest
 * result is also kept as reports/spend-audit.json or spend-receipts.json
 * (what `doge serve` shows).
 */
#include "cli.h"
#include "doge.h"
#include "doge/spend.h"
#include "internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_FILES 256
#define MAX_DIAGS 100

typedef struct diag_state {
    unsigned long long printed, total;
} diag_state;

static void on_diag(void *ctx, const char *file, uint64_t line, uint64_t offset, const char *msg)
{
    (void)file;
    (void)line;
    (void)offset;
    diag_state *d = ctx;
    d->total++;
    if (d->printed < MAX_DIAGS) {
        fprintf(stderr, "%s\n", msg);
        d->printed++;
    }
}

static void diag_summary(const diag_state *d)
{
    if (d->total > d->printed)
        fprintf(stderr, "doge: %llu more malformed rows not shown (%llu in all)\n",
                d->total - d->printed, d->total);
}

/* Options shared by both subcommands. */
typedef struct spend_args {
    const char *files[MAX_FILES];
    size_t nfiles;
    const char *awards[MAX_FILES];
    size_t nawards;
    const char *exclusions, *html;
    unsigned threads;
    int strict, csv, no_ledger;
} spend_args;

static int parse(const doge_cmd *cmd, const char *sub, int argc, char **argv, int first,
                 spend_args *a, int receipts)
{
    memset(a, 0, sizeof *a);
    a->threads = 1;
    int in_awards = 0, dashdash = 0;
    for (int i = first; i < argc; i++) {
        const char *s = argv[i];
        if (!dashdash && strcmp(s, "--") == 0) {
            dashdash = 1;
            continue;
        }
        if (!dashdash && s[0] == '-' && s[1] != '\0') {
            in_awards = 0;
            const char *val = NULL;
            const char *eq = strchr(s, '=');
            char name[64];
            size_t nl = eq ? (size_t)(eq - s) : strlen(s);
            snprintf(name, sizeof name, "%.*s", (int)(nl < 63 ? nl : 63), s);
            int takes = strcmp(name, "--threads") == 0 || strcmp(name, "--html") == 0 ||
                        (!receipts && strcmp(name, "--exclusions") == 0) ||
                        (receipts && strcmp(name, "--awards") == 0);
            if (takes) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else
                    return doge_cli_usage_error(cmd, "%s: option %s needs a value", sub, name);
            } else if (eq) {
                return doge_cli_usage_error(cmd, "%s: unknown option '%s'", sub, s);
            }
            if (strcmp(name, "--threads") == 0) {
                char *end;
                errno = 0;
                long t = strtol(val, &end, 10);
                if (*end || errno || t < 1 || t > 64)
                    return doge_cli_usage_error(cmd, "%s: --threads '%s' is not 1 to 64", sub, val);
                a->threads = (unsigned)t;
            } else if (strcmp(name, "--html") == 0) {
                a->html = val;
            } else if (strcmp(name, "--exclusions") == 0) {
                a->exclusions = val;
            } else if (strcmp(name, "--awards") == 0) {
                if (a->nawards == MAX_FILES)
                    return doge_cli_usage_error(cmd, "%s: more than %d award files", sub, MAX_FILES);
                a->awards[a->nawards++] = val;
                in_awards = 1;
            } else if (strcmp(s, "--strict") == 0) {
                a->strict = 1;
            } else if (strcmp(s, "--csv") == 0) {
                a->csv = 1;
            } else if (strcmp(s, "--no-ledger") == 0) {
                a->no_ledger = 1;
            } else {
                return doge_cli_usage_error(cmd, "%s: unknown option '%s'", sub, s);
            }
            continue;
        }
        /* Positional: award files (audit), the receipts file then more award
         * files after --awards (receipts). */
        if (receipts && in_awards) {
            if (a->nawards == MAX_FILES)
                return doge_cli_usage_error(cmd, "%s: more than %d award files", sub, MAX_FILES);
            a->awards[a->nawards++] = s;
            continue;
        }
        if (a->nfiles == MAX_FILES)
            return doge_cli_usage_error(cmd, "%s: more than %d files", sub, MAX_FILES);
        a->files[a->nfiles++] = s;
    }
    return DOGE_EXIT_OK;
}

static int check_file(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return doge_cli_failf("%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return doge_cli_failf("%s: is a folder, not a file", path);
    return DOGE_EXIT_OK;
}

static void run_id(char *out, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Keeps the latest result in the workspace (reports/NAME, written whole
 * or not at all) for `doge serve`'s /api/spend routes and the dashboard. */
static int keep_latest(doge_workspace *ws, const char *name, void *obj,
                       int (*write)(void *obj, FILE *f))
{
    char rel[128], path[4096], dir[4096];
    snprintf(rel, sizeof rel, "reports/%s", name);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return doge_cli_failf("out of memory");
    int rc = write(obj, f);
    if (fclose(f) != 0 && rc == DOGE_OK)
        rc = DOGE_EIO;
    if (rc == DOGE_OK && (rc = doge_workspace_path(ws, "reports", dir, sizeof dir)) == DOGE_OK &&
        (rc = doge__mkdirs(dir, 0755)) == DOGE_OK &&
        (rc = doge_workspace_path(ws, rel, path, sizeof path)) == DOGE_OK)
        rc = doge__file_write_atomic(path, text, len, 0644);
    free(text);
    return rc == DOGE_OK ? DOGE_EXIT_OK : doge_cli_fail();
}

static int write_audit(void *obj, FILE *f) { return doge_spend_audit_write_json(obj, f); }
static int write_receipts(void *obj, FILE *f) { return doge_spend_receipts_write_json(obj, f); }

/* What audit and receipts verify write once the run is done: each result's
 * ledger record, the HTML report, the latest result in the workspace, and
 * the JSON or CSV on stdout. */
typedef struct spend_outputs {
    void *obj;                                     /* the audit or receipts */
    const void *items;                             /* its findings or verifications */
    size_t n;                                      /* how many */
    int (*record)(const void *items, size_t i, const char *run, doge_buf *out);
    int (*html)(void *obj, const char *path);
    int (*json)(void *obj, FILE *f);
    int (*csv)(void *obj, FILE *f);
    const char *latest;                            /* its name under reports/ */
} spend_outputs;

static int audit_record(const void *items, size_t i, const char *run, doge_buf *out)
{
    return doge_spend_finding_record(&((const doge_spend_finding *)items)[i], run, out);
}
static int audit_html(void *obj, const char *path) { return doge_spend_audit_write_html(obj, path); }
static int audit_csv(void *obj, FILE *f) { return doge_spend_audit_write_csv(obj, f); }
static int receipts_record(const void *items, size_t i, const char *run, doge_buf *out)
{
    return doge_spend_verification_record(&((const doge_spend_verification *)items)[i], run, out);
}
static int receipts_html(void *obj, const char *path)
{
    return doge_spend_receipts_write_html(obj, path);
}
static int receipts_csv(void *obj, FILE *f) { return doge_spend_receipts_write_csv(obj, f); }

/* Writes 'o' (the ledger 'l' and the workspace 'ws' when open); sets
 * *first to the first ledger entry (-1 without one) and *text when the
 * caller is to print its text summary. Returns the exit status so far. */
static int write_outputs(const doge_cli *cli, const spend_args *a, const spend_outputs *o,
                         doge_ledger *l, doge_workspace *ws, const char *run, int64_t *first,
                         int *text)
{
    int rc;
    *first = -1;
    *text = 0;
    if (l) {
        doge_buf rec;
        doge_buf_init(&rec, DOGE_LEDGER_ENTRY_MAX * 2);
        int lrc = DOGE_OK;
        for (size_t i = 0; i < o->n && lrc == DOGE_OK; i++) {
            int64_t idx;
            lrc = o->record(o->items, i, run, &rec);
            if (lrc == DOGE_OK)
                lrc = doge_ledger_append(l, rec.data, rec.len, &idx);
            if (lrc == DOGE_OK && *first < 0)
                *first = idx;
        }
        if (lrc == DOGE_OK)
            lrc = doge_ledger_commit(l);
        doge_buf_dispose(&rec);
        if (lrc != DOGE_OK)
            return doge_cli_fail();
    }
    if (a->html && o->html(o->obj, a->html) != DOGE_OK)
        return doge_cli_fail();
    if (ws && (rc = keep_latest(ws, o->latest, o->obj, o->json)))
        return rc;
    if (cli->json) {
        if (o->json(o->obj, stdout) != DOGE_OK)
            return doge_cli_fail();
    } else if (a->csv) {
        if (o->csv(o->obj, stdout) != DOGE_OK)
            return doge_cli_fail();
    } else {
        *text = 1;
    }
    return DOGE_EXIT_OK;
}

static int open_ledger(doge_cli *cli, doge_workspace **ws, doge_ledger **l)
{
    int rc = doge_cli_open_workspace(cli, ws);
    if (rc) {
        fprintf(stderr, "doge: (use --no-ledger to run without a workspace)\n");
        return rc;
    }
    if (doge_ledger_open_workspace(l, *ws, 1) != DOGE_OK) {
        doge_workspace_free(*ws);
        *ws = NULL;
        rc = doge_cli_fail();
        fprintf(stderr, "doge: (use --no-ledger to run without a ledger)\n");
        return rc;
    }
    return DOGE_EXIT_OK;
}

/* ---- audit ------------------------------------------------------------------------ */

static void usd(int64_t cents, char *out) { doge_money_format(cents, DOGE_MONEY_US, out, DOGE_MONEY_STRLEN); }

static void print_audit(const doge_spend_audit *a, unsigned threads)
{
    doge_spend_audit_totals t;
    doge_spend_audit_totals_get(a, &t);
    const doge_spend_finding *f;
    size_t nf = doge_spend_audit_findings(a, &f);
    const doge_spend_agency *g;
    size_t ng = doge_spend_audit_agencies(a, &g);
    char m[DOGE_MONEY_STRLEN];
    double gbs = t.seconds > 0 ? (double)t.bytes / 1e9 / t.seconds : 0;
    printf("audited %llu file%s: %llu rows (%llu malformed), %llu awards, %.1f MB in %.2f s "
           "(%.2f GB/s, %u thread%s) and the rules in %.2f s; %llu exclusion records\n",
           (unsigned long long)t.files, t.files == 1 ? "" : "s", (unsigned long long)t.rows,
           (unsigned long long)t.bad_rows, (unsigned long long)t.awards, (double)t.bytes / 1e6,
           t.seconds, gbs, threads, threads == 1 ? "" : "s", t.finish_seconds,
           (unsigned long long)t.exclusion_records);
    printf("\nfindings by rule:\n");
    for (int r = 1; r <= DOGE_SPEND_RULES; r++) {
        usd(t.finding_amount[r], m);
        printf("  %d %-15s %-42s %6llu  %s\n", r, doge_spend_rule_name(r),
               doge_spend_rule_title(r), (unsigned long long)t.findings[r], m);
    }
    printf("\nagencies:\n");
    for (size_t i = 0; i < ng; i++) {
        uint64_t tot = 0;
        for (int r = 1; r <= DOGE_SPEND_RULES; r++)
            tot += g[i].findings[r];
        usd(g[i].obligated, m);
        char mad[32] = "-", nc[32] = "-";
        if (g[i].mad >= 0)
            snprintf(mad, sizeof mad, "%.4f", g[i].mad);
        if (g[i].noncompeted_share >= 0)
            snprintf(nc, sizeof nc, "%.1f%%", 100 * g[i].noncompeted_share);
        printf("  %-4s %-46.46s rows %8llu  obligated %20s  findings %5llu  MAD %s (%s)  "
               "non-competed %s\n",
               g[i].code, g[i].name, (unsigned long long)g[i].rows, m, (unsigned long long)tot,
               mad, g[i].band, nc);
    }
    printf("\nfindings (up to 5 per rule; --csv or --json for all %zu):\n", nf);
    int shown[DOGE_SPEND_RULES + 1] = {0};
    for (size_t i = 0; i < nf; i++) {
        if (shown[f[i].rule]++ >= 5)
            continue;
        printf("  %-14s %s (%s): %s\n", doge_spend_rule_name(f[i].rule), f[i].key,
               f[i].agency_name, f[i].evidence);
    }
}

static int run_audit(doge_cli *cli, int argc, char **argv)
{
    const doge_cmd *cmd = &doge_cmd_spend;
    spend_args a;
    int rc = parse(cmd, "audit", argc, argv, 2, &a, 0);
    if (rc)
        return rc;
    if (a.nfiles == 0)
        return doge_cli_usage_error(cmd, "audit: needs at least one award file");
    if (cli->json && a.csv)
        return doge_cli_usage_error(cmd, "audit: --json and --csv exclude each other");
    for (size_t i = 0; i < a.nfiles; i++)
        if ((rc = check_file(a.files[i])))
            return rc;
    if (a.exclusions && (rc = check_file(a.exclusions)))
        return rc;
    doge_workspace *ws = NULL;
    doge_ledger *l = NULL;
    if (!a.no_ledger && (rc = open_ledger(cli, &ws, &l)))
        return rc;
    char run[32];
    run_id(run, sizeof run);
    diag_state ds = {0, 0};
    doge_spend_audit_opts o;
    memset(&o, 0, sizeof o);
    o.threads = a.threads;
    o.strict = a.strict;
    o.exclusions = a.exclusions;
    o.on_diag = on_diag;
    o.diag_ctx = &ds;
    o.progress = cli->quiet ? DOGE_PROGRESS_QUIET : 0;
    doge_spend_audit *au = NULL;
    if (doge_spend_audit_new(&au, &o) != DOGE_OK) {
        rc = doge_cli_fail();
        goto done;
    }
    for (size_t i = 0; i < a.nfiles; i++)
        if (doge_spend_audit_file(au, a.files[i]) != DOGE_OK) {
            diag_summary(&ds);
            rc = doge_cli_fail();
            goto done;
        }
    diag_summary(&ds);
    if (doge_spend_audit_finish(au) != DOGE_OK) {
        rc = doge_cli_fail();
        goto done;
    }
    const doge_spend_finding *f;
    size_t nf = doge_spend_audit_findings(au, &f);
    int64_t first;
    int text;
    spend_outputs out = {au, f, nf, audit_record, audit_html, write_audit, audit_csv,
                         "spend-audit.json"};
    if ((rc = write_outputs(cli, &a, &out, l, ws, run, &first, &text)))
        goto done;
    if (text) {
        print_audit(au, a.threads);
        if (l)
            printf("\nledger: %zu finding%s appended%s (entries %lld..%lld), size %lld\n", nf,
                   nf == 1 ? "" : "s", "", (long long)first, (long long)(first + (int64_t)nf - 1),
                   (long long)doge_ledger_size(l));
        if (a.html)
            printf("report: %s\n", a.html);
    }
done:
    doge_spend_audit_free(au);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

/* ---- receipts ------------------------------------------------------------------------ */

static void print_receipts(const doge_spend_receipts *r)
{
    const doge_spend_verification *v;
    size_t n = doge_spend_receipts_results(r, &v);
    const doge_spend_receipt_agency *g;
    size_t ng = doge_spend_receipts_agencies(r, &g);
    int64_t claimed = 0, verified = 0;
    unsigned long long st[6] = {0};
    for (size_t i = 0; i < n; i++) {
        claimed += v[i].claim->savings;
        verified += v[i].verified;
        st[v[i].status]++;
    }
    char m1[DOGE_MONEY_STRLEN], m2[DOGE_MONEY_STRLEN], m3[DOGE_MONEY_STRLEN],
        m4[DOGE_MONEY_STRLEN], m5[DOGE_MONEY_STRLEN];
    usd(claimed, m1);
    usd(verified, m2);
    printf("verified %zu claims: claimed %s, verified %s (%.1f%%)\n", n, m1, m2,
           claimed > 0 ? 100.0 * (double)verified / (double)claimed : 0.0);
    printf("status: verified %llu, overstated %llu, unsupported %llu, not found %llu, "
           "unverifiable %llu\n",
           st[1], st[2], st[3], st[4], st[5]);
    printf("\nby agency:\n");
    for (size_t i = 0; i < ng; i++) {
        usd(g[i].claimed, m1);
        usd(g[i].verified, m2);
        usd(g[i].deobligated, m3);
        usd(g[i].unexercised, m4);
        usd(g[i].never_ordered, m5);
        printf("  %-46.46s claims %4llu  claimed %18s  verified %18s  de-obligated %18s  "
               "unexercised %18s  never ordered %18s\n",
               g[i].agency, (unsigned long long)g[i].claims, m1, m2, m3, m4, m5);
    }
    printf("\nclaims:\n");
    for (size_t i = 0; i < n; i++) {
        char flags[400];
        doge_spend_flags_format(v[i].flags, flags, sizeof flags);
        usd(v[i].verified, m1);
        usd(v[i].claim->savings, m2);
        printf("  %-12s %-12s %16s of %16s  %s%s%s\n", v[i].claim->id,
               doge_spend_status_name(v[i].status), m1, m2,
               v[i].award_key ? v[i].award_key : "-", *flags ? "  flags: " : "", flags);
    }
}

static int run_receipts(doge_cli *cli, int argc, char **argv)
{
    const doge_cmd *cmd = &doge_cmd_spend;
    if (argc < 3 || strcmp(argv[2], "verify") != 0)
        return doge_cli_usage_error(cmd, "receipts: the subcommand is 'verify'");
    spend_args a;
    int rc = parse(cmd, "receipts verify", argc, argv, 3, &a, 1);
    if (rc)
        return rc;
    if (a.nfiles != 1)
        return doge_cli_usage_error(cmd, "receipts verify: needs exactly one RECEIPTS file");
    if (a.nawards == 0)
        return doge_cli_usage_error(cmd, "receipts verify: needs --awards FILE...");
    if (cli->json && a.csv)
        return doge_cli_usage_error(cmd, "receipts verify: --json and --csv exclude each other");
    if ((rc = check_file(a.files[0])))
        return rc;
    for (size_t i = 0; i < a.nawards; i++)
        if ((rc = check_file(a.awards[i])))
            return rc;
    doge_workspace *ws = NULL;
    doge_ledger *l = NULL;
    if (!a.no_ledger && (rc = open_ledger(cli, &ws, &l)))
        return rc;
    char run[32];
    run_id(run, sizeof run);
    doge_spend_receipts *r = NULL;
    diag_state ds = {0, 0};
    if (doge_spend_receipts_load(&r, a.files[0]) != DOGE_OK) {
        rc = doge_cli_fail();
        goto done;
    }
    doge_spend_audit_opts o;
    memset(&o, 0, sizeof o);
    o.threads = a.threads;
    o.strict = a.strict;
    o.on_diag = on_diag;
    o.diag_ctx = &ds;
    o.progress = cli->quiet ? DOGE_PROGRESS_QUIET : 0;
    if (doge_spend_receipts_verify(r, a.awards, a.nawards, &o) != DOGE_OK) {
        diag_summary(&ds);
        rc = doge_cli_fail();
        goto done;
    }
    diag_summary(&ds);
    const doge_spend_verification *v;
    size_t n = doge_spend_receipts_results(r, &v);
    int64_t first;
    int text;
    spend_outputs out = {r, v, n, receipts_record, receipts_html, write_receipts, receipts_csv,
                         "spend-receipts.json"};
    if ((rc = write_outputs(cli, &a, &out, l, ws, run, &first, &text)))
        goto done;
    if (text) {
        print_receipts(r);
        if (l)
            printf("\nledger: %zu verification%s appended, size %lld\n", n, n == 1 ? "" : "s",
                   (long long)doge_ledger_size(l));
        if (a.html)
            printf("report: %s\n", a.html);
    }
done:
    doge_spend_receipts_free(r);
    doge_ledger_free(l);
    doge_workspace_free(ws);
    return rc;
}

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_spend, "needs a subcommand: audit or receipts");
    if (strcmp(argv[1], "audit") == 0)
        return run_audit(cli, argc, argv);
    if (strcmp(argv[1], "receipts") == 0)
        return run_receipts(cli, argc, argv);
    return doge_cli_usage_error(&doge_cmd_spend, "unknown subcommand '%s'", argv[1]);
}

const doge_cmd doge_cmd_spend = {
    "spend", "audit USAspending award data; verify claimed savings",
    "Usage: doge spend audit FILE... [--exclusions FILE] [--threads N] [--strict]\n"
    "                        [--csv] [--html OUT] [--no-ledger]\n"
    "       doge spend receipts verify RECEIPTS --awards FILE... [--threads N] [--strict]\n"
    "                        [--csv] [--html OUT] [--no-ledger]\n\n"
    "audit     reads USAspending.gov bulk transaction CSVs (contracts or assistance,\n"
    "          found by their header) and reports, per award or agency:\n"
    "            over_potential  obligated above the potential value (latest action)\n"
    "            after_end       new money after the period of performance ended\n"
    "            duplicate       obligations of the same recipient, amount, date and\n"
    "                            description in different awards\n"
    "            split           awards by one office to one recipient within 30 days,\n"
    "                            each just under $10,000 or $250,000, summing over\n"
    "            excluded        recipients on the SAM.gov exclusion list (--exclusions,\n"
    "                            the public extract; by UEI, else normalised name)\n"
    "            benford         first-digit mean absolute deviation per agency\n"
    "                            (Nigrini's bands; nonconformity above 0.015)\n"
    "            noncompeted     non-competed share of contract dollars above 50%\n"
    "          with totals by agency and rule. Malformed rows go to stderr as\n"
    "          file:line: byte N: why, and the run goes on (--strict stops).\n\n"
    "receipts verify\n"
    "          checks each claim of a doge.gov-style receipts file (JSON or CSV:\n"
    "          agency, description, value, savings, piid or link, date, vendor)\n"
    "          against the award files: the award by agency + PIID + parent (or\n"
    "          its FPDS/USAspending link), its termination or close-out, the value\n"
    "          on its latest modification, and three tiers (de-obligated,\n"
    "          unexercised options, ceiling never ordered) of which only the\n"
    "          first counts as savings. Flags: not found, placeholder id, above\n"
    "          what was left, above the value, ended before, claimed twice, 1000x\n"
    "          off, not cancelled, lease beyond its term, vehicle ceilings.\n\n"
    "Options: --threads N scanning threads (default 1); --csv all findings or\n"
    "verifications as CSV (--json: everything as JSON); --html OUT a self-contained\n"
    "report with SVG charts; --no-ledger do not append one ledger entry per\n"
    "finding or verification to the workspace's ledger (which otherwise must\n"
    "exist: doge ledger init).\n",
    run,
};
