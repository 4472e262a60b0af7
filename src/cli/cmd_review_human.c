/*
 * cmd_review_human.c — the human side of `doge review`: run (review a week
 * again), queue (what needs a reviewer, with the five-second note), show
 * (one reply's whole evidence), decide (ok / follow-up / escalate with a
 * reason, into the ledger) and appeal (the respondent's, into the ledger);
 * and `doge pulse report` (the week's HTML report with SVG charts, or its
 * JSON). The model commands (train, eval, explain) live in cmd_review.c.
 */
#include "cli.h"
#include "doge.h"
#include "doge/review.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *opt(int argc, char **argv, int *i, const char *name)
{
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

static int parse_threads(const doge_cmd *cmd, const char *v, unsigned *out)
{
    char *end;
    long t = strtol(v, &end, 10);
    if (*end || end == v || t < 0 || t > 64)
        return doge_cli_usage_error(cmd, "--threads wants 0 to 64, not '%s'", v);
    *out = (unsigned)t;
    return DOGE_EXIT_OK;
}

void doge_cli_review_print_stats(const char *week, const doge_review_run_stats *st)
{
    printf("review of %s: %lld replies, %lld bullets (mean specificity %.2f); %lld vague; "
           "%lld copy-paste clusters holding %lld replies; %lld replies for a human\n",
           week, (long long)st->replies, (long long)st->bullets, st->specificity,
           (long long)st->vague, (long long)st->clusters, (long long)st->clustered,
           (long long)st->queued);
}

json_t *doge_cli_review_stats_json(const char *week, const doge_review_run_stats *st)
{
    json_t *cats = json_object();
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        json_object_set_new(cats, doge_review_category_name(c), json_integer(st->by_category[c]));
    return json_pack("{s:s, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:b, s:o}", "week", week,
                     "replies", (json_int_t)st->replies, "bullets", (json_int_t)st->bullets,
                     "specificity", st->specificity, "vague", (json_int_t)st->vague, "clusters",
                     (json_int_t)st->clusters, "clustered", (json_int_t)st->clustered, "queued",
                     (json_int_t)st->queued, "model_trained", st->model_trained, "categories",
                     cats);
}

int doge_cli_review_run(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *v;
    doge_review_run_opts o = {0};
    o.quiet = cli->quiet || cli->json;
    for (int i = 1; i < argc; i++) {
        if ((v = opt(argc, argv, &i, "--week")))
            week = v;
        else if ((v = opt(argc, argv, &i, "--threads"))) {
            int rc = parse_threads(&doge_cmd_review, v, &o.threads);
            if (rc)
                return rc;
        } else if ((v = opt(argc, argv, &i, "--threshold"))) {
            char *end;
            o.threshold = strtod(v, &end);
            if (*end || end == v || o.threshold <= 0 || o.threshold > 1)
                return doge_cli_usage_error(&doge_cmd_review,
                                            "run: --threshold wants a Jaccard in (0,1], not '%s'",
                                            v);
        } else
            return doge_cli_usage_error(&doge_cmd_review, "run: unexpected '%s'", argv[i]);
    }
    if (!week)
        return doge_cli_usage_error(&doge_cmd_review, "run needs --week W");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_review_run_stats st;
    rc = doge_review_week(ws, week, &o, &st);
    doge_workspace_free(ws);
    if (rc)
        return doge_cli_fail();
    if (st.model_trained && !cli->quiet)
        fprintf(stderr, "doge: no review model in this workspace yet: trained review/model.bin "
                        "from the built-in labelled set (see 'doge review train')\n");
    if (cli->json)
        return doge_cli_print_json(doge_cli_review_stats_json(week, &st));
    if (!cli->quiet)
        doge_cli_review_print_stats(week, &st);
    return DOGE_EXIT_OK;
}

typedef struct queue_ctx {
    json_t *arr;
    size_t n;
} queue_ctx;

static int print_item(void *ctx, const doge_review_item *it)
{
    queue_ctx *q = ctx;
    q->n++;
    if (q->arr) {
        json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:f, s:b, s:s, s:s}", "reply",
                              (json_int_t)it->reply_id, "week", it->week, "employee_id",
                              it->employee_id, "department", it->department, "state", it->state,
                              "priority", it->priority, "bullets", it->bullet_count,
                              "specificity", it->specificity, "vague", it->vague, "flags",
                              it->flags, "note", it->note);
        if (j && it->cluster_size)
            json_object_set_new(j, "cluster_size", json_integer(it->cluster_size));
        if (j && it->duplicate_of)
            json_object_set_new(j, "duplicate_of", json_integer(it->duplicate_of));
        json_array_append_new(q->arr, j);
        return 0;
    }
    printf("#%-8lld %-10s %-3d %-12s %-28.28s %s\n", (long long)it->reply_id, it->state,
           it->priority, it->employee_id, it->department, it->note);
    return 0;
}

int doge_cli_review_queue(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *dept = NULL, *v;
    long limit = 50;
    for (int i = 1; i < argc; i++) {
        if ((v = opt(argc, argv, &i, "--week")))
            week = v;
        else if ((v = opt(argc, argv, &i, "--department")))
            dept = v;
        else if ((v = opt(argc, argv, &i, "--limit"))) {
            char *end;
            limit = strtol(v, &end, 10);
            if (*end || end == v || limit < 0)
                return doge_cli_usage_error(&doge_cmd_review,
                                            "queue: --limit wants a count (0 = all), not '%s'", v);
        } else
            return doge_cli_usage_error(&doge_cmd_review, "queue: unexpected '%s'", argv[i]);
    }
    if (!week)
        return doge_cli_usage_error(&doge_cmd_review, "queue needs --week W");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    queue_ctx q = {cli->json ? json_array() : NULL, 0};
    if (!cli->json && !cli->quiet)
        printf("%-9s %-10s %-3s %-12s %-28s %s\n", "REPLY", "STATE", "PRI", "EMPLOYEE",
               "DEPARTMENT", "NOTE");
    rc = doge_review_queue(ws, week, dept, (size_t)limit, print_item, &q);
    doge_workspace_free(ws);
    if (rc) {
        json_decref(q.arr);
        return doge_cli_fail();
    }
    if (cli->json) {
        json_t *o = json_pack("{s:s, s:o}", "week", week, "queue", q.arr);
        if (dept)
            json_object_set_new(o, "department", json_string(dept));
        return doge_cli_print_json(o);
    }
    if (!q.n && !cli->quiet)
        printf("(nothing waits for a reviewer in %s%s%s)\n", week, dept ? " / " : "",
               dept ? dept : "");
    return DOGE_EXIT_OK;
}

static int reply_arg(const char *what, const char *s, int64_t *id)
{
    if (*s == '#')
        s++;
    return doge_cli_parse_index(&doge_cmd_review, what, s, id);
}

int doge_cli_review_show(doge_cli *cli, int argc, char **argv)
{
    if (argc != 2)
        return doge_cli_usage_error(&doge_cmd_review, "show needs one REPLY id");
    int64_t id;
    int rc = reply_arg("show: REPLY", argv[1], &id);
    if (rc)
        return rc;
    doge_workspace *ws;
    if ((rc = doge_cli_open_workspace(cli, &ws)))
        return rc;
    json_t *j;
    rc = doge_review_reply_evidence(ws, id, &j);
    doge_workspace_free(ws);
    if (rc)
        return doge_cli_fail();
    if (cli->json)
        return doge_cli_print_json(j);
    printf("reply #%lld  %s  employee %s  %s\n", (long long)id,
           json_string_value(json_object_get(j, "week")),
           json_string_value(json_object_get(j, "employee_id")),
           json_string_value(json_object_get(j, "department")));
    printf("note: %s\n", json_string_value(json_object_get(j, "note")));
    json_t *cl = json_object_get(j, "cluster");
    if (cl)
        printf("copy-paste cluster %lld: %lld replies, min Jaccard %.2f, representative #%lld\n",
               (long long)json_integer_value(json_object_get(cl, "id")),
               (long long)json_integer_value(json_object_get(cl, "size")),
               json_real_value(json_object_get(cl, "min_jaccard")),
               (long long)json_integer_value(json_object_get(cl, "representative")));
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(j, "bullets"), i, b) {
        printf("\n%zu. %s\n   category %s (%.2f), specificity %.2f\n", i + 1,
               json_string_value(json_object_get(b, "text")),
               json_string_value(json_object_get(b, "category")),
               json_real_value(json_object_get(b, "confidence")),
               json_real_value(json_object_get(b, "specificity")));
        size_t k;
        json_t *f;
        printf("   words:");
        json_array_foreach(json_object_get(b, "features"), k, f) {
            if (k >= 5)
                break;
            printf(" %s (%+.2f)", json_string_value(json_object_get(f, "feature")),
                   json_number_value(json_object_get(f, "weight")));
        }
        printf("\n   specificity:");
        json_array_foreach(json_object_get(b, "specificity_evidence"), k, f)
            printf(" %s (%+.2f)", json_string_value(json_object_get(f, "feature")),
                   json_number_value(json_object_get(f, "weight")));
        printf("\n");
    }
    json_array_foreach(json_object_get(j, "decisions"), i, b) {
        const char *outcome = json_string_value(json_object_get(b, "outcome"));
        printf("%s%s%s by %s: %s (ledger entry %lld)\n",
               json_string_value(json_object_get(b, "kind")), outcome ? " " : "",
               outcome ? outcome : "", json_string_value(json_object_get(b, "by")),
               json_string_value(json_object_get(b, "reason")),
               (long long)json_integer_value(json_object_get(b, "ledger_index")));
    }
    json_decref(j);
    return DOGE_EXIT_OK;
}

int doge_cli_review_decide(doge_cli *cli, int argc, char **argv, int appeal)
{
    const char *reply = NULL, *outcome = NULL, *reason = NULL, *by = NULL, *v;
    const char *sub = appeal ? "appeal" : "decide";
    for (int i = 1; i < argc; i++) {
        if (!appeal && (v = opt(argc, argv, &i, "--outcome")))
            outcome = v;
        else if ((v = opt(argc, argv, &i, "--reason")))
            reason = v;
        else if ((v = opt(argc, argv, &i, "--by")))
            by = v;
        else if (argv[i][0] != '-' && !reply)
            reply = argv[i];
        else
            return doge_cli_usage_error(&doge_cmd_review, "%s: unexpected '%s'", sub, argv[i]);
    }
    if (!reply || !reason || (!appeal && (!outcome || !by)))
        return doge_cli_usage_error(&doge_cmd_review,
                                    appeal ? "appeal needs REPLY --reason TEXT [--by EMPLOYEE_ID]"
                                           : "decide needs REPLY --outcome ok|follow-up|escalate "
                                             "--reason TEXT --by ID");
    int64_t id;
    int rc = reply_arg(appeal ? "appeal: REPLY" : "decide: REPLY", reply, &id);
    if (rc)
        return rc;
    doge_workspace *ws;
    if ((rc = doge_cli_open_workspace(cli, &ws)))
        return rc;
    int64_t index = -1;
    rc = appeal ? doge_review_appeal(ws, id, reason, by, &index)
                : doge_review_decide(ws, id, outcome, reason, by, &index);
    doge_workspace_free(ws);
    if (rc)
        return doge_cli_fail();
    if (cli->json)
        return doge_cli_print_json(json_pack("{s:I, s:s, s:I}", "reply", (json_int_t)id, "kind",
                                             appeal ? "appeal" : "decision", "ledger_index",
                                             (json_int_t)index));
    if (!cli->quiet)
        printf("%s on reply #%lld recorded: ledger entry %lld\n",
               appeal ? "appeal" : "decision", (long long)id, (long long)index);
    return DOGE_EXIT_OK;
}

int doge_cli_pulse_report(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL, *out = NULL, *v;
    long top = 10;
    for (int i = 2; i < argc; i++) {
        if ((v = opt(argc, argv, &i, "--week")))
            week = v;
        else if ((v = opt(argc, argv, &i, "-o")) || (v = opt(argc, argv, &i, "--output")))
            out = v;
        else if ((v = opt(argc, argv, &i, "--clusters"))) {
            char *end;
            top = strtol(v, &end, 10);
            if (*end || end == v || top < 1 || top > 1000)
                return doge_cli_usage_error(&doge_cmd_pulse,
                                            "report: --clusters wants 1 to 1000, not '%s'", v);
        } else
            return doge_cli_usage_error(&doge_cmd_pulse, "report: unexpected '%s'", argv[i]);
    }
    if (!week)
        return doge_cli_usage_error(&doge_cmd_pulse, "report needs --week W");
    if (!out && !cli->json)
        return doge_cli_usage_error(&doge_cmd_pulse, "report needs -o FILE.html (or --json)");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    json_t *j;
    rc = doge_review_report(ws, week, (size_t)top, &j);
    doge_workspace_free(ws);
    if (rc)
        return doge_cli_fail();
    if (out) {
        char *html;
        size_t len;
        if (doge_review_report_html(j, &html, &len)) {
            json_decref(j);
            return doge_cli_fail();
        }
        FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
        int ok = f && fwrite(html, 1, len, f) == len;
        if (f && f != stdout && fclose(f) != 0)
            ok = 0;
        free(html);
        if (!ok) {
            json_decref(j);
            return doge_cli_failf("%s: cannot write the report", out);
        }
        if (!cli->json && !cli->quiet && f != stdout)
            printf("report for %s written to %s\n", week, out);
    }
    if (cli->json)
        return doge_cli_print_json(j);
    json_decref(j);
    return DOGE_EXIT_OK;
}

static int run_decide(doge_cli *cli, int argc, char **argv)
{
    return doge_cli_review_decide(cli, argc, argv, 0);
}

static int run_appeal(doge_cli *cli, int argc, char **argv)
{
    return doge_cli_review_decide(cli, argc, argv, 1);
}

const doge_review_sub doge_review_human_subs[] = {
    {"run", "run --week W [--threads N] [--threshold J]", doge_cli_review_run},
    {"queue", "queue --week W [--department D] [--limit N]", doge_cli_review_queue},
    {"show", "show REPLY", doge_cli_review_show},
    {"decide", "decide REPLY --outcome ok|follow-up|escalate --reason TEXT --by ID", run_decide},
    {"appeal", "appeal REPLY --reason TEXT [--by EMPLOYEE_ID]", run_appeal},
    {"clusters", "clusters --week W [--threshold J] [--threads N] [--limit K] [--csv]",
     doge_cli_review_clusters},
    {NULL, NULL, NULL},
};
