/*
 * cmd_pulse.c — `doge pulse`: the weekly check-in. open (a week's campaign),
 * send (deliver requests to the outbox Maildir or over SMTP), ingest (read
 * replies from Maildir, mbox or IMAP), status (compliance per department or
 * manager subtree, non-responders; text, --json or --csv).
 */
#include "cli.h"
#include "doge.h"
#include "doge/pulse.h"
#include "doge/review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
    "Usage: doge pulse SUBCOMMAND [ARGS]\n\n"
    "The weekly check-in: \"reply with about five bullets of what you accomplished\n"
    "last week, cc your manager\".\n\n"
    "  open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 [--domain DOMAIN]\n"
    "        open the week's campaign: one request per active roster employee, each\n"
    "        with a personal reply address pulse+TOKEN@DOMAIN (default domain from\n"
    "        doge.conf [pulse] domain, else pulse.doge.example)\n"
    "  send --week W [--smtp URL [--user U --password P] [--starttls]\n"
    "        [--connections N] [--rate PER_SECOND] [--mail-from ADDR]]\n"
    "        deliver the requests not yet sent: into outbox/ (a Maildir) or over SMTP;\n"
    "        resumable, never sends an accepted message twice\n"
    "  send --receipts --smtp URL [same SMTP options]\n"
    "        send the receipts waiting in outbox/new to the respondents, at most\n"
    "        once (sent ones move to outbox/cur)\n"
    "  ingest SOURCE... [--user U --password P] [--no-receipts] [--no-review]\n"
    "        [--threads N]\n"
    "        read replies from Maildir folders, mbox files or imap:// URLs: match them\n"
    "        to the employee and week, extract and check the bullets, record them,\n"
    "        append each reply to the ledger and write a receipt with its tlog-proof\n"
    "        to outbox/; reading the same mail again changes nothing. Then reviews\n"
    "        every week that got replies (doge review run), unless --no-review\n"
    "  status --week W [--department D] [--manager ID] [--non-responders] [--csv]\n"
    "        expected, replied (on time, late), auto-reply only, bounced and not\n"
    "        replied, per department (a manager filter covers the whole subtree)\n";

static const char *arg_value(int argc, char **argv, int *i, const char *name)
{
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int cmd_open(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *deadline = NULL, *domain = NULL, *v;
    for (int i = 2; i < argc; i++) {
        if ((v = arg_value(argc, argv, &i, "--week")))
            week = v;
        else if ((v = arg_value(argc, argv, &i, "--deadline")))
            deadline = v;
        else if ((v = arg_value(argc, argv, &i, "--domain")))
            domain = v;
        else
            return doge_cli_usage_error(&doge_cmd_pulse, "open: unexpected '%s'", argv[i]);
    }
    if (!week || !deadline)
        return doge_cli_usage_error(&doge_cmd_pulse, "open needs --week W and --deadline TIME");
    int64_t dl;
    if (doge_date_timestamp_parse(deadline, strlen(deadline), &dl) != DOGE_OK)
        return doge_cli_fail();
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    if (!domain)
        domain = doge_workspace_config(ws, "pulse", "domain", "pulse.doge.example");
    doge_pulse_open_result res;
    if (doge_pulse_open(ws, week, dl, domain, &res) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "week", json_string(week));
        json_object_set_new(o, "requests", json_integer(res.requests));
        json_object_set_new(o, "inactive_skipped", json_integer(res.skipped));
        doge_cli_print_json(o);
    } else if (!cli->quiet) {
        printf("opened %s: %lld requests (%lld inactive employees skipped); send them with "
               "'doge pulse send --week %s'\n",
               week, (long long)res.requests, (long long)res.skipped, week);
    }
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

static int cmd_send(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *v;
    int receipts = 0;
    doge_pulse_smtp smtp = {0};
    smtp.connections = 1;
    for (int i = 2; i < argc; i++) {
        if ((v = arg_value(argc, argv, &i, "--week")))
            week = v;
        else if (strcmp(argv[i], "--receipts") == 0)
            receipts = 1;
        else if ((v = arg_value(argc, argv, &i, "--smtp")))
            smtp.url = v;
        else if ((v = arg_value(argc, argv, &i, "--user")))
            smtp.user = v;
        else if ((v = arg_value(argc, argv, &i, "--password")))
            smtp.password = v;
        else if ((v = arg_value(argc, argv, &i, "--mail-from")))
            smtp.mail_from = v;
        else if ((v = arg_value(argc, argv, &i, "--connections"))) {
            int64_t n;
            if (doge_cli_parse_index(&doge_cmd_pulse, "--connections", v, &n) || n < 1 || n > 64)
                return doge_cli_usage_error(&doge_cmd_pulse, "--connections is 1 to 64");
            smtp.connections = (int)n;
        } else if ((v = arg_value(argc, argv, &i, "--rate"))) {
            char *end;
            smtp.rate = strtod(v, &end);
            if (*end || smtp.rate < 0)
                return doge_cli_usage_error(&doge_cmd_pulse, "--rate '%s' is not a rate", v);
        } else if (strcmp(argv[i], "--starttls") == 0)
            smtp.starttls = 1;
        else
            return doge_cli_usage_error(&doge_cmd_pulse, "send: unexpected '%s'", argv[i]);
    }
    if (receipts && week)
        return doge_cli_usage_error(&doge_cmd_pulse,
                                    "send: --receipts sends every waiting receipt (no --week)");
    if (receipts && !smtp.url)
        return doge_cli_usage_error(&doge_cmd_pulse,
                                    "send --receipts needs --smtp URL (receipts are already in "
                                    "outbox/)");
    if (!week && !receipts)
        return doge_cli_usage_error(&doge_cmd_pulse, "send needs --week W (or --receipts)");
    if (!smtp.url && (smtp.user || smtp.starttls || smtp.rate > 0 || smtp.connections > 1))
        return doge_cli_usage_error(&doge_cmd_pulse, "SMTP options need --smtp URL");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_pulse_delivery res;
    if (!week)
        week = "receipts";
    if ((receipts ? doge_pulse_send_receipts(ws, &smtp, cli->quiet || cli->json, &res)
                  : doge_pulse_deliver(ws, week, &smtp, cli->quiet || cli->json, &res)) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_object();
        json_object_set_new(o, "week", json_string(week));
        json_object_set_new(o, "via", json_string(smtp.url ? "smtp" : "outbox"));
        json_object_set_new(o, "delivered", json_integer(res.delivered));
        json_object_set_new(o, "already_sent", json_integer(res.already));
        json_object_set_new(o, "recovered", json_integer(res.recovered));
        json_object_set_new(o, "refused", json_integer(res.refused));
        json_object_set_new(o, "unknown", json_integer(res.unknown));
        doge_cli_print_json(o);
    } else if (!cli->quiet) {
        printf("%s: %lld delivered %s, %lld already sent, %lld recovered after a crash, "
               "%lld refused, %lld in doubt (not re-sent)\n",
               week, (long long)res.delivered, smtp.url ? "over SMTP" : "to outbox/",
               (long long)res.already, (long long)res.recovered, (long long)res.refused,
               (long long)res.unknown);
    }
    doge_workspace_free(ws);
    return DOGE_EXIT_OK;
}

/* Reviews every week that received a reply in this ingest (doge review run),
 * printing each summary (or adding it to out for --json). */
static int review_weeks(doge_cli *cli, doge_workspace *ws, int64_t since, int threads,
                        json_t *out)
{
    doge_stmt *s;
    int rc = doge_store_prepare(doge_workspace_store(ws), &s,
                                "SELECT DISTINCT week FROM pulse_reply WHERE ingested_at >= ?"
                                " AND week IS NOT NULL AND kind = 'reply' ORDER BY week");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, since);
    char weeks[64][32];
    size_t n = 0;
    while ((rc = doge_stmt_step(s)) == 1 && n < 64)
        snprintf(weeks[n++], sizeof weeks[0], "%s", doge_stmt_text(s, 0));
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        doge_review_run_opts ro = {.threads = threads > 0 ? (unsigned)threads : threads < 0 ? 1u : 0u,
                                   .quiet = cli->quiet || cli->json};
        doge_review_run_stats rs;
        if ((rc = doge_review_week(ws, weeks[i], &ro, &rs)))
            return rc;
        if (rs.model_trained && !cli->quiet)
            fprintf(stderr, "doge: no review model in this workspace yet: trained "
                            "review/model.bin from the built-in labelled set "
                            "(see 'doge review train')\n");
        if (cli->json)
            json_array_append_new(out, doge_cli_review_stats_json(weeks[i], &rs));
        else if (!cli->quiet)
            doge_cli_review_print_stats(weeks[i], &rs);
    }
    return DOGE_OK;
}

static int cmd_ingest(doge_cli *cli, int argc, char **argv)
{
    const char *v;
    doge_pulse_ingest_opts o = {0};
    int review = 1;
    o.receipts = 1;
    o.quiet = cli->quiet || cli->json;
    const char **sources = calloc((size_t)argc, sizeof *sources);
    size_t n = 0;
    if (!sources)
        return doge_cli_failf("out of memory");
    for (int i = 2; i < argc; i++) {
        if ((v = arg_value(argc, argv, &i, "--user")))
            o.user = v;
        else if ((v = arg_value(argc, argv, &i, "--password")))
            o.password = v;
        else if (strcmp(argv[i], "--no-receipts") == 0)
            o.receipts = 0;
        else if (strcmp(argv[i], "--no-review") == 0)
            review = 0;
        else if ((v = arg_value(argc, argv, &i, "--threads"))) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || end == v || t < 0 || t > 64) {
                free(sources);
                return doge_cli_usage_error(&doge_cmd_pulse,
                                            "ingest: --threads wants 0 to 64, not '%s'", v);
            }
            o.threads = t ? (int)t : -1;
        }
        else if (argv[i][0] == '-' && argv[i][1]) {
            free(sources);
            return doge_cli_usage_error(&doge_cmd_pulse, "ingest: unexpected '%s'", argv[i]);
        } else
            sources[n++] = argv[i];
    }
    if (!n) {
        free(sources);
        return doge_cli_usage_error(&doge_cmd_pulse,
                                    "ingest needs SOURCE... (a Maildir, an mbox file or imap://)");
    }
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc) {
        free(sources);
        return rc;
    }
    doge_pulse_ingest_stats st;
    int64_t started = (int64_t)time(NULL);
    rc = doge_pulse_ingest(ws, sources, n, &o, &st);
    free(sources);
    json_t *reviews = json_array();
    if (rc == DOGE_OK && review)
        rc = review_weeks(cli, ws, started, o.threads, reviews);
    doge_workspace_free(ws);
    if (rc != DOGE_OK) {
        json_decref(reviews);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *j = json_object();
        json_object_set_new(j, "messages", json_integer(st.messages));
        json_object_set_new(j, "duplicates", json_integer(st.duplicates));
        json_object_set_new(j, "replies", json_integer(st.replies));
        json_object_set_new(j, "late", json_integer(st.late));
        json_object_set_new(j, "superseded", json_integer(st.superseded));
        json_object_set_new(j, "auto_replies", json_integer(st.auto_replies));
        json_object_set_new(j, "bounces", json_integer(st.bounces));
        json_object_set_new(j, "unmatched", json_integer(st.unmatched));
        json_object_set_new(j, "flagged", json_integer(st.flagged));
        json_object_set_new(j, "receipts", json_integer(st.receipts));
        json_object_set_new(j, "ledger_size", json_integer(st.ledger_size));
        json_object_set_new(j, "reviews", reviews);
        return doge_cli_print_json(j);
    }
    if (!cli->quiet) {
        printf("%lld messages: %lld replies (%lld late, %lld superseded), %lld auto-replies, "
               "%lld bounces, %lld unmatched, %lld already seen\n",
               (long long)st.messages, (long long)st.replies, (long long)st.late,
               (long long)st.superseded, (long long)st.auto_replies, (long long)st.bounces,
               (long long)st.unmatched, (long long)st.duplicates);
        printf("%lld replies flagged for policy; %lld receipts in outbox/; ledger size %lld\n",
               (long long)st.flagged, (long long)st.receipts, (long long)st.ledger_size);
    }
    json_decref(reviews);
    return DOGE_EXIT_OK;
}

typedef struct {
    int json, csv;
    json_t *arr;
} list_ctx;

static int print_person(void *ctx, const char *id, const char *name, const char *email,
                        const char *dept, const char *why)
{
    list_ctx *lc = ctx;
    if (lc->json) {
        json_t *o = json_object();
        json_object_set_new(o, "employee_id", json_string(id));
        json_object_set_new(o, "name", json_string(name));
        json_object_set_new(o, "email", json_string(email));
        json_object_set_new(o, "department", json_string(dept));
        json_object_set_new(o, "status", json_string(why));
        json_array_append_new(lc->arr, o);
    } else if (lc->csv) {
        doge_csv w;
        doge_csv_init_file(&w, stdout, DOGE_CSV_LF);
        const char *f[] = {id, name, email, dept, why};
        doge_csv_row(&w, f, 5);
    } else {
        printf("  %-12s %-28s %-36s %-s (%s)\n", id, name, email, dept, why);
    }
    return 0;
}

static int cmd_status(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *v;
    doge_pulse_filter f = {0};
    int csv = 0, list = 0;
    for (int i = 2; i < argc; i++) {
        if ((v = arg_value(argc, argv, &i, "--week")))
            week = v;
        else if ((v = arg_value(argc, argv, &i, "--department")))
            f.department = v;
        else if ((v = arg_value(argc, argv, &i, "--manager")))
            f.manager_id = v;
        else if (strcmp(argv[i], "--csv") == 0)
            csv = 1;
        else if (strcmp(argv[i], "--non-responders") == 0)
            list = 1;
        else
            return doge_cli_usage_error(&doge_cmd_pulse, "status: unexpected '%s'", argv[i]);
    }
    if (!week)
        return doge_cli_usage_error(&doge_cmd_pulse, "status needs --week W");
    if (csv && cli->json)
        return doge_cli_usage_error(&doge_cmd_pulse, "status: --csv or --json, not both");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_pulse_counts *rows;
    size_t n;
    if (doge_pulse_status(ws, week, &f, &rows, &n) != DOGE_OK) {
        doge_workspace_free(ws);
        return doge_cli_fail();
    }
    list_ctx lc = {cli->json, csv, NULL};
    if (cli->json) {
        json_t *o = json_object(), *arr = json_array();
        json_object_set_new(o, "week", json_string(week));
        if (f.department)
            json_object_set_new(o, "department", json_string(f.department));
        if (f.manager_id)
            json_object_set_new(o, "manager", json_string(f.manager_id));
        for (size_t i = 0; i < n; i++) {
            json_t *r = json_object();
            json_object_set_new(r, i + 1 == n ? "total" : "department", json_string(rows[i].group));
            json_object_set_new(r, "expected", json_integer(rows[i].expected));
            json_object_set_new(r, "replied", json_integer(rows[i].replied));
            json_object_set_new(r, "on_time", json_integer(rows[i].on_time));
            json_object_set_new(r, "late", json_integer(rows[i].late));
            json_object_set_new(r, "auto_reply_only", json_integer(rows[i].auto_reply_only));
            json_object_set_new(r, "bounced", json_integer(rows[i].bounced));
            json_object_set_new(r, "not_replied", json_integer(rows[i].not_replied));
            if (i + 1 == n)
                json_object_set_new(o, "total", r);
            else
                json_array_append_new(arr, r);
        }
        json_object_set_new(o, "departments", arr);
        if (list) {
            lc.arr = json_array();
            rc = doge_pulse_nonresponders(ws, week, &f, print_person, &lc);
            json_object_set_new(o, "non_responders", lc.arr);
        }
        if (rc == DOGE_OK)
            doge_cli_print_json(o);
        else
            json_decref(o);
    } else if (csv) {
        doge_csv w;
        doge_csv_init_file(&w, stdout, DOGE_CSV_LF);
        if (!list) {
            const char *h[] = {"department", "expected", "replied", "on_time", "late",
                               "auto_reply_only", "bounced", "not_replied"};
            doge_csv_row(&w, h, 8);
            for (size_t i = 0; i < n; i++) {
                doge_csv_field_str(&w, rows[i].group);
                doge_csv_field_i64(&w, rows[i].expected);
                doge_csv_field_i64(&w, rows[i].replied);
                doge_csv_field_i64(&w, rows[i].on_time);
                doge_csv_field_i64(&w, rows[i].late);
                doge_csv_field_i64(&w, rows[i].auto_reply_only);
                doge_csv_field_i64(&w, rows[i].bounced);
                doge_csv_field_i64(&w, rows[i].not_replied);
                doge_csv_end_row(&w);
            }
        } else {
            const char *h[] = {"employee_id", "name", "email", "department", "status"};
            doge_csv_row(&w, h, 5);
            rc = doge_pulse_nonresponders(ws, week, &f, print_person, &lc);
        }
    } else {
        printf("%-40s %9s %9s %8s %7s %7s %8s %9s %7s\n", "department", "expected", "replied",
               "on time", "late", "auto", "bounced", "none", "rate");
        for (size_t i = 0; i < n; i++) {
            const doge_pulse_counts *c = &rows[i];
            printf("%-40.40s %9lld %9lld %8lld %7lld %7lld %8lld %9lld %6.1f%%\n", c->group,
                   (long long)c->expected, (long long)c->replied, (long long)c->on_time,
                   (long long)c->late, (long long)c->auto_reply_only, (long long)c->bounced,
                   (long long)c->not_replied,
                   c->expected ? 100.0 * (double)c->replied / (double)c->expected : 0.0);
        }
        if (list) {
            printf("\nnon-responders:\n");
            rc = doge_pulse_nonresponders(ws, week, &f, print_person, &lc);
        }
    }
    free(rows);
    doge_workspace_free(ws);
    return rc == DOGE_OK ? DOGE_EXIT_OK : doge_cli_fail();
}

static int run(doge_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return doge_cli_usage_error(&doge_cmd_pulse, "needs a subcommand");
    if (strcmp(argv[1], "open") == 0)
        return cmd_open(cli, argc, argv);
    if (strcmp(argv[1], "send") == 0)
        return cmd_send(cli, argc, argv);
    if (strcmp(argv[1], "status") == 0)
        return cmd_status(cli, argc, argv);
    if (strcmp(argv[1], "ingest") == 0)
        return cmd_ingest(cli, argc, argv);
    if (strcmp(argv[1], "report") == 0)
        return doge_cli_pulse_report(cli, argc, argv);
    return doge_cli_usage_error(&doge_cmd_pulse, "unknown subcommand '%s'", argv[1]);
}

const doge_cmd doge_cmd_pulse = {"pulse", "the weekly five-bullet check-in", help, run};
