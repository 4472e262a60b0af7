/*
 * cmd_synth.c — `doge synth`: deterministic synthetic data for tests, demos
 * and benchmarks. Each kind of data is one entry of the subcommand table
 * below (name, one-line summary, runner); a runner parses its own options
 * with the shared option reader here. `workforce` writes a roster CSV (see
 * doge/synth.h); more kinds are added as more table entries.
 */
#include "cli.h"
#include "doge.h"
#include "doge/pulse.h"
#include "doge/spend_synth.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct synth_sub {
    const char *name;
    const char *summary;
    int (*run)(doge_cli *cli, int argc, char **argv); /* argv[0] is the subcommand */
} synth_sub;

/* One option a subcommand accepts: its long name (and short one, or 0) and
 * where its value goes (every option here takes a value). */
typedef struct synth_opt {
    const char *name;
    char short_name;
    const char **value;
} synth_opt;

/* Reads "--name VALUE", "--name=VALUE" and "-x VALUE" options into opts;
 * positional arguments are refused. */
static int read_options(const char *sub, int argc, char **argv, const synth_opt *opts, size_t n)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq = NULL;
        const synth_opt *o = NULL;
        for (size_t k = 0; k < n && !o; k++) {
            size_t nl = strlen(opts[k].name);
            if (strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, opts[k].name, nl) == 0 &&
                (arg[2 + nl] == '\0' || arg[2 + nl] == '=')) {
                o = &opts[k];
                eq = arg[2 + nl] == '=' ? arg + 3 + nl : NULL;
            } else if (opts[k].short_name && arg[0] == '-' && arg[1] == opts[k].short_name &&
                       arg[2] == '\0') {
                o = &opts[k];
            }
        }
        if (!o) {
            if (arg[0] == '-' && arg[1] != '\0')
                return doge_cli_usage_error(&doge_cmd_synth, "%s: unknown option '%s'", sub, arg);
            return doge_cli_usage_error(&doge_cmd_synth, "%s: unexpected argument '%s'", sub, arg);
        }
        if (eq) {
            *o->value = eq;
        } else {
            if (i + 1 >= argc)
                return doge_cli_usage_error(&doge_cmd_synth, "%s: option %s needs a value", sub,
                                            arg);
            *o->value = argv[++i];
        }
    }
    return DOGE_EXIT_OK;
}

static int parse_u64(const char *sub, const char *what, const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || s[0] == '+')
        return doge_cli_usage_error(&doge_cmd_synth, "%s: %s '%s' is not a non-negative whole "
                                                     "number",
                                    sub, what, s);
    *out = v;
    return DOGE_EXIT_OK;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- workforce ------------------------------------------------------------- */

static int run_workforce(doge_cli *cli, int argc, char **argv)
{
    const char *employees = NULL, *departments = "20", *seed = "1", *out = NULL, *suffix = NULL;
    const synth_opt opts[] = {
        {"employees", 'n', &employees}, {"departments", 'd', &departments},
        {"seed", 's', &seed},           {"output", 'o', &out},
        {"domain-suffix", 0, &suffix},
    };
    int rc = read_options("workforce", argc, argv, opts, sizeof opts / sizeof opts[0]);
    if (rc)
        return rc;
    if (!employees)
        return doge_cli_usage_error(&doge_cmd_synth, "workforce: missing --employees N");
    if (!out)
        return doge_cli_usage_error(&doge_cmd_synth,
                                    "workforce: missing -o FILE (use '-o -' for standard output)");
    uint64_t n, d, s;
    if ((rc = parse_u64("workforce", "--employees", employees, &n)) ||
        (rc = parse_u64("workforce", "--departments", departments, &d)) ||
        (rc = parse_u64("workforce", "--seed", seed, &s)))
        return rc;
    doge_synth_workforce_opts o;
    memset(&o, 0, sizeof o);
    o.employees = n > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)n;
    o.departments = d > 1000000 ? 1000000 : (int)d;
    o.seed = s;
    o.domain_suffix = suffix;
    o.progress = cli->quiet ? DOGE_PROGRESS_QUIET : 0;
    o.no_progress = strcmp(out, "-") == 0; /* keep the terminal for the data */
    doge_synth_workforce_result res;
    double t0 = now_seconds();
    if (doge_synth_workforce_file(&o, out, &res) != DOGE_OK)
        return doge_cli_fail();
    double secs = now_seconds() - t0;
    if (strcmp(out, "-") == 0)
        return DOGE_EXIT_OK;
    if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "file", json_string(out));
        json_object_set_new(j, "seed", json_integer((json_int_t)s));
        json_object_set_new(j, "employees", json_integer(res.employees));
        json_object_set_new(j, "departments", json_integer(res.departments));
        json_object_set_new(j, "largest_department", json_integer(res.largest_department));
        json_object_set_new(j, "managers", json_integer(res.managers));
        json_object_set_new(j, "aliases", json_integer(res.aliases));
        json_object_set_new(j, "max_depth", json_integer(res.max_depth));
        json_object_set_new(j, "bytes", json_integer((json_int_t)res.bytes));
        json_object_set_new(j, "seconds", json_real(secs));
        return doge_cli_print_json(j);
    }
    printf("wrote %lld employees in %lld departments to %s (%.1f MiB) in %.2f s\n",
           (long long)res.employees, (long long)res.departments, out,
           (double)res.bytes / (1024.0 * 1024.0), secs);
    printf("largest department %lld, %lld managers, %lld aliases, deepest chain %lld\n",
           (long long)res.largest_department, (long long)res.managers, (long long)res.aliases,
           (long long)res.max_depth);
    return DOGE_EXIT_OK;
}

/* ---- replies --------------------------------------------------------------- */

static int run_replies(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *out = NULL, *seed = "1", *truth = NULL, *format = NULL;
    const synth_opt opts[] = {
        {"week", 'w', &week}, {"output", 'o', &out}, {"seed", 's', &seed},
        {"truth", 't', &truth}, {"format", 'f', &format},
    };
    int rc = read_options("replies", argc, argv, opts, sizeof opts / sizeof opts[0]);
    if (rc)
        return rc;
    if (!week || !out)
        return doge_cli_usage_error(&doge_cmd_synth, "replies: needs --week W and -o OUT");
    uint64_t s;
    if ((rc = parse_u64("replies", "--seed", seed, &s)))
        return rc;
    int maildir;
    if (!format)
        maildir = strlen(out) < 5 || strcmp(out + strlen(out) - 5, ".mbox") != 0;
    else if (strcmp(format, "mbox") == 0 || strcmp(format, "maildir") == 0)
        maildir = strcmp(format, "maildir") == 0;
    else
        return doge_cli_usage_error(&doge_cmd_synth, "replies: --format is mbox or maildir");
    char truth_default[4096];
    if (!truth) {
        snprintf(truth_default, sizeof truth_default, "%s.truth.csv", out);
        truth = truth_default;
    }
    doge_workspace *ws;
    if ((rc = doge_cli_open_workspace(cli, &ws)))
        return rc;
    doge_pulse_synth_stats st;
    double t0 = now_seconds();
    rc = doge_pulse_synth_replies(ws, week, s, out, maildir, truth, &st);
    doge_workspace_free(ws);
    if (rc != DOGE_OK)
        return doge_cli_fail();
    double secs = now_seconds() - t0;
    if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "output", json_string(out));
        json_object_set_new(j, "format", json_string(maildir ? "maildir" : "mbox"));
        json_object_set_new(j, "truth", json_string(truth));
        json_object_set_new(j, "employees", json_integer(st.employees));
        json_object_set_new(j, "messages", json_integer(st.messages));
        json_object_set_new(j, "on_time", json_integer(st.by_outcome[0]));
        json_object_set_new(j, "late", json_integer(st.by_outcome[1]));
        json_object_set_new(j, "auto_reply_only", json_integer(st.by_outcome[2]));
        json_object_set_new(j, "bounced", json_integer(st.by_outcome[3]));
        json_object_set_new(j, "not_replied", json_integer(st.by_outcome[4]));
        json_object_set_new(j, "seconds", json_real(secs));
        return doge_cli_print_json(j);
    }
    printf("wrote %lld messages for %lld employees to %s (%s) in %.2f s; ground truth in %s\n",
           (long long)st.messages, (long long)st.employees, out, maildir ? "Maildir" : "mbox",
           secs, truth);
    printf("on time %lld, late %lld, auto-reply only %lld, bounced %lld, not replied %lld\n",
           (long long)st.by_outcome[0], (long long)st.by_outcome[1], (long long)st.by_outcome[2],
           (long long)st.by_outcome[3], (long long)st.by_outcome[4]);
    return DOGE_EXIT_OK;
}

/* ---- awards ---------------------------------------------------------------- */

static int run_awards(doge_cli *cli, int argc, char **argv)
{
    const char *rows = NULL, *kind = "contracts", *seed = "1", *out = NULL, *truth = NULL,
               *receipts = NULL, *exclusions = NULL, *fy = NULL;
    const synth_opt opts[] = {
        {"rows", 'n', &rows},         {"kind", 'k', &kind},       {"seed", 's', &seed},
        {"output", 'o', &out},        {"truth", 't', &truth},     {"receipts", 0, &receipts},
        {"exclusions", 0, &exclusions}, {"fiscal-year", 0, &fy},
    };
    int rc = read_options("awards", argc, argv, opts, sizeof opts / sizeof opts[0]);
    if (rc)
        return rc;
    if (!rows)
        return doge_cli_usage_error(&doge_cmd_synth, "awards: missing --rows N");
    if (!out)
        return doge_cli_usage_error(&doge_cmd_synth, "awards: missing -o FILE");
    doge_spend_synth_opts o;
    memset(&o, 0, sizeof o);
    uint64_t n, s, y = 0;
    if ((rc = parse_u64("awards", "--rows", rows, &n)) ||
        (rc = parse_u64("awards", "--seed", seed, &s)) ||
        (fy && (rc = parse_u64("awards", "--fiscal-year", fy, &y))))
        return rc;
    if (strcmp(kind, "contracts") == 0)
        o.kind = DOGE_SPEND_CONTRACTS;
    else if (strcmp(kind, "assistance") == 0)
        o.kind = DOGE_SPEND_ASSISTANCE;
    else
        return doge_cli_usage_error(&doge_cmd_synth,
                                    "awards: --kind is contracts or assistance, not '%s'", kind);
    o.rows = n;
    o.seed = s;
    o.fiscal_year = y > 3000 ? 3000 : (int)y;
    o.truth = truth;
    o.receipts = receipts;
    o.exclusions = exclusions;
    o.progress = cli->quiet ? DOGE_PROGRESS_QUIET : 0;
    doge_spend_synth_result res;
    double t0 = now_seconds();
    if (doge_spend_synth_awards(&o, out, &res) != DOGE_OK)
        return doge_cli_fail();
    double secs = now_seconds() - t0;
    uint64_t planted = 0, clean = 0;
    for (int r = 1; r <= DOGE_SPEND_RULES; r++) {
        planted += res.planted[r];
        clean += res.clean[r];
    }
    if (cli->json) {
        json_t *j = json_object(), *p = json_object();
        json_object_set_new(j, "file", json_string(out));
        json_object_set_new(j, "kind", json_string(kind));
        json_object_set_new(j, "seed", json_integer((json_int_t)s));
        json_object_set_new(j, "rows", json_integer((json_int_t)res.rows));
        json_object_set_new(j, "awards", json_integer((json_int_t)res.awards));
        json_object_set_new(j, "bytes", json_integer((json_int_t)res.bytes));
        for (int r = 1; r <= DOGE_SPEND_RULES; r++)
            json_object_set_new(p, doge_spend_rule_name(r), json_integer((json_int_t)res.planted[r]));
        json_object_set_new(j, "planted", p);
        json_object_set_new(j, "clean_controls", json_integer((json_int_t)clean));
        json_object_set_new(j, "claims", json_integer((json_int_t)res.claims));
        json_object_set_new(j, "exclusions", json_integer((json_int_t)res.exclusions));
        json_object_set_new(j, "seconds", json_real(secs));
        return doge_cli_print_json(j);
    }
    printf("wrote %llu rows (%llu awards, %.1f MiB) of %s to %s in %.2f s\n",
           (unsigned long long)res.rows, (unsigned long long)res.awards,
           (double)res.bytes / (1024.0 * 1024.0), kind, out, secs);
    printf("planted %llu patterns beside %llu clean controls", (unsigned long long)planted,
           (unsigned long long)clean);
    if (truth)
        printf("; ground truth in %s", truth);
    printf("\n");
    if (receipts)
        printf("%llu claims in %s (truth in %s.truth.csv)\n", (unsigned long long)res.claims,
               receipts, receipts);
    if (exclusions)
        printf("%llu exclusion records in %s\n", (unsigned long long)res.exclusions, exclusions);
    return DOGE_EXIT_OK;
}

/* ---- dispatch -------------------------------------------------------------- */

static const synth_sub subs[] = {
    {"workforce", "a roster CSV of N employees in D departments", run_workforce},
    {"replies", "the mail a workforce sends back for a week's campaign (mbox or Maildir, with "
                "a ground-truth CSV)",
     run_replies},
    {"awards", "a USAspending.gov transaction file with planted waste patterns (and optional "
               "ground truth, receipts and exclusions)",
     run_awards},
};

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "doge synth: needs a kind of data:");
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            fprintf(stderr, "%s %s", i ? "," : "", subs[i].name);
        fprintf(stderr, "\nTry 'doge synth --help'.\n");
        return DOGE_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, argv[1]) == 0)
            return subs[i].run(cli, argc - 1, argv + 1);
    return doge_cli_usage_error(&doge_cmd_synth, "unknown kind of data '%s'", argv[1]);
}

const doge_cmd doge_cmd_synth = {
    "synth", "generate deterministic synthetic data (workforce, replies, awards)",
    "Usage: doge synth workforce --employees N [--departments D] [--seed S] -o FILE\n"
    "                            [--domain-suffix SUFFIX]\n"
    "       doge synth replies --week W -o OUT [--format mbox|maildir] [--seed S]\n"
    "                          [--truth FILE]\n"
    "       doge synth awards --rows N [--kind contracts|assistance] [--seed S] -o FILE\n"
    "                         [--truth FILE] [--receipts FILE] [--exclusions FILE]\n"
    "                         [--fiscal-year Y]\n\n"
    "workforce  writes a roster CSV that 'doge roster import' accepts: N employees\n"
    "           (up to 10,000,000) in D departments (default 20, up to 400) with\n"
    "           realistic, diverse names, first.last[N]@agency.gov addresses, some\n"
    "           aliases, a long tail of department sizes (a few departments hold\n"
    "           most people) and a manager hierarchy (span of control 5 to 15).\n"
    "           The same seed (default 1) gives the same bytes. -o - writes to\n"
    "           standard output. --domain-suffix replaces 'gov' (use a reserved\n"
    "           suffix such as gov.example when mail could leave the machine).\n"
    "           Short forms: -n, -d, -s, -o.\n\n"
    "replies    writes the mail the workforce sends back for week W's campaign (open\n"
    "           in this workspace) to OUT: an mbox file (OUT ending in .mbox, or\n"
    "           --format mbox) or a Maildir folder, and the ground truth per employee\n"
    "           to OUT.truth.csv (or --truth FILE): on time, late, auto-reply only,\n"
    "           bounced or not replied, the mail's style, manager cc and bullet count.\n"
    "           Replies quote the request Gmail- and Outlook-style, come HTML-only,\n"
    "           base64, in ISO-8859-1 or Windows-1252, format=flowed, as one-liners or\n"
    "           twelve numbered bullets, with links, a text attachment, from a\n"
    "           personal address on the roster, twice, or as a department's pasted\n"
    "           template. Same workspace and seed, same bytes.\n\n"
    "awards     writes N rows of a USAspending.gov transaction file (contracts: the\n"
    "           download's 297 columns; assistance: 112) for fiscal year Y (default\n"
    "           2025): long-tailed agencies and recipients, log-normal amounts that\n"
    "           follow Benford's law, modifications, de-obligations and close-outs,\n"
    "           with planted waste for every 'doge spend audit' rule beside clean\n"
    "           control awards; --truth writes rule,key,class (planted or clean).\n"
    "           --exclusions writes a SAM.gov exclusions extract with the planted\n"
    "           excluded parties; --receipts a doge.gov-style receipts file (JSON,\n"
    "           or CSV for a .csv name) of claims on awards in the file, its\n"
    "           expected verification in RECEIPTS.truth.csv. Same options, same bytes.\n",
    run,
};
