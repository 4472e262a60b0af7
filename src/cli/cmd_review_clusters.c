/*
 * cmd_review_clusters.c — `doge review clusters`: copy-paste clusters
 * across a week of replies, computed afresh (any --threshold).
 * Each employee's current reply of the week (kind reply, not superseded) is
 * one document, its bullets joined by newlines, labelled with the
 * employee's department; doge/review_cluster.h finds the groups of
 * near-identical replies, printed largest first as text, --json (clusters
 * with their members) or --csv (one row per member).
 */
#include "cli.h"
#include "doge.h"
#include "doge/workspace.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* The replies read, in reply-id order. */
typedef struct {
    size_t n, cap;
    int64_t *reply;
    char **employee;
    char **department;
} replies;

static void replies_free(replies *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->employee[i]);
        free(r->department[i]);
    }
    free(r->reply);
    free(r->employee);
    free(r->department);
}

static int replies_push(replies *r, int64_t id, const char *emp, const char *dept)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        int64_t *a = realloc(r->reply, cap * sizeof *a);
        if (a)
            r->reply = a;
        char **b = realloc(r->employee, cap * sizeof *b);
        if (b)
            r->employee = b;
        char **c = realloc(r->department, cap * sizeof *c);
        if (c)
            r->department = c;
        if (!a || !b || !c)
            return -1;
        r->cap = cap;
    }
    r->reply[r->n] = id;
    r->employee[r->n] = strdup(emp);
    r->department[r->n] = strdup(dept);
    if (!r->employee[r->n] || !r->department[r->n]) {
        free(r->employee[r->n]);
        free(r->department[r->n]);
        return -1;
    }
    r->n++;
    return 0;
}

/* The index of reply id (the ids are ascending). */
static size_t find_reply(const replies *r, int64_t id)
{
    size_t lo = 0, hi = r->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->reply[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Reads the week's current replies into d and r. */
static int load(doge_workspace *ws, const char *week, doge_review_dedup *d, replies *r)
{
    doge_store *st = doge_workspace_store(ws);
    int64_t campaigns = 0;
    int rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?",
                                    week, &campaigns);
    if (rc)
        return doge_cli_fail();
    if (!campaigns)
        return doge_cli_failf("no campaign for %s", week);
    doge_stmt *s;
    if (doge_store_prepare(st, &s,
                           "SELECT r.id, r.employee_id, COALESCE(q.department, ''), r.bullets"
                           " FROM pulse_reply r LEFT JOIN pulse_request q"
                           " ON q.week = r.week AND q.employee_id = r.employee_id"
                           " WHERE r.week = ? AND r.kind = 'reply' AND r.superseded = 0"
                           " AND r.employee_id IS NOT NULL ORDER BY r.id") != DOGE_OK)
        return doge_cli_fail();
    doge_stmt_bind_text(s, 1, week, -1);
    doge_buf text;
    doge_buf_init(&text, (size_t)16 << 20);
    int step;
    rc = DOGE_EXIT_OK;
    while (rc == DOGE_EXIT_OK && (step = doge_stmt_step(s)) == 1) {
        int64_t id = doge_stmt_int64(s, 0);
        const char *dept = doge_stmt_text(s, 2);
        json_error_t err;
        json_t *arr = json_loads(doge_stmt_text(s, 3), 0, &err);
        if (!json_is_array(arr)) {
            json_decref(arr);
            rc = doge_cli_failf("reply %lld: its bullets are not a JSON array", (long long)id);
            break;
        }
        doge_buf_reset(&text);
        size_t k;
        json_t *v;
        json_array_foreach(arr, k, v)
        {
            if (!json_is_string(v))
                continue;
            if ((k && doge_buf_append_char(&text, '\n') != DOGE_OK) ||
                doge_buf_append(&text, json_string_value(v), json_string_length(v)) != DOGE_OK) {
                rc = doge_cli_failf("reply %lld: bullets too long", (long long)id);
                break;
            }
        }
        json_decref(arr);
        if (rc != DOGE_EXIT_OK)
            break;
        if (replies_push(r, id, doge_stmt_text(s, 1), dept)) {
            rc = doge_cli_failf("out of memory");
            break;
        }
        if (doge_review_dedup_add(d, id, dept, text.data ? text.data : "", text.len) != DOGE_OK)
            rc = doge_cli_fail();
    }
    if (rc == DOGE_EXIT_OK && step < 0)
        rc = doge_cli_fail();
    doge_buf_dispose(&text);
    doge_stmt_free(s);
    return rc;
}

static json_t *cluster_json(const doge_review_cluster *c, const replies *r)
{
    json_t *o = json_object(), *depts = json_array(), *members = json_array();
    json_object_set_new(o, "size", json_integer((json_int_t)c->size));
    json_object_set_new(o, "exact", json_integer((json_int_t)c->exact));
    json_object_set_new(o, "min_jaccard", json_real(c->min_jaccard));
    for (size_t g = 0; g < c->ngroups; g++)
        json_array_append_new(depts, json_string(c->groups[g]));
    json_object_set_new(o, "departments", depts);
    size_t ri = find_reply(r, c->representative);
    json_t *rep = json_object();
    json_object_set_new(rep, "reply_id", json_integer(c->representative));
    json_object_set_new(rep, "employee_id", json_string(r->employee[ri]));
    json_object_set_new(rep, "text", json_string(c->text));
    json_object_set_new(o, "representative", rep);
    for (size_t m = 0; m < c->size; m++) {
        size_t i = find_reply(r, c->ids[m]);
        json_t *mo = json_object();
        json_object_set_new(mo, "reply_id", json_integer(c->ids[m]));
        json_object_set_new(mo, "employee_id", json_string(r->employee[i]));
        json_object_set_new(mo, "department", json_string(r->department[i]));
        json_array_append_new(members, mo);
    }
    json_object_set_new(o, "members", members);
    return o;
}

static void print_text(const doge_review_cluster *c, size_t k, const replies *r)
{
    size_t ri = find_reply(r, c->representative);
    printf("\n#%zu  %zu replies (%zu exact copies), lowest similarity %.2f\n", k + 1, c->size,
           c->exact, c->min_jaccard);
    printf("    departments: ");
    for (size_t g = 0; g < c->ngroups; g++)
        printf("%s%s", g ? "; " : "", c->groups[g][0] ? c->groups[g] : "(none)");
    printf("\n    representative: reply %lld from %s\n", (long long)c->representative,
           r->employee[ri]);
    for (const char *p = c->text; *p;) {
        size_t l = strcspn(p, "\n");
        printf("      | %.*s\n", (int)l, p);
        p += l;
        if (*p)
            p++;
    }
}

static int run(doge_cli *cli, int argc, char **argv)
{
    const char *week = NULL;
    double threshold = 0.8;
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t limit = 0;
    int csv = 0;
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end;
        if (strcmp(a, "--csv") == 0) {
            csv = 1;
            continue;
        }
        if (strcmp(a, "--week") && strcmp(a, "--threshold") && strcmp(a, "--threads") &&
            strcmp(a, "--limit"))
            return doge_cli_usage_error(&doge_cmd_review, "unexpected '%s'", a);
        if (!v)
            return doge_cli_usage_error(&doge_cmd_review, "%s needs a value", a);
        i++;
        if (strcmp(a, "--week") == 0) {
            week = v;
        } else if (strcmp(a, "--threshold") == 0) {
            threshold = strtod(v, &end);
            if (*end || end == v || !(threshold > 0 && threshold <= 1))
                return doge_cli_usage_error(&doge_cmd_review,
                                            "--threshold wants a number in (0, 1], not '%s'", v);
        } else if (strcmp(a, "--threads") == 0) {
            threads = strtol(v, &end, 10);
            if (*end || end == v || threads < 1 || threads > 64)
                return doge_cli_usage_error(&doge_cmd_review,
                                            "--threads wants 1 to 64, not '%s'", v);
        } else if (doge_cli_parse_index(&doge_cmd_review, "--limit", v, &limit)) {
            return DOGE_EXIT_USAGE;
        }
    }
    if (!week)
        return doge_cli_usage_error(&doge_cmd_review, "needs --week W");
    if (csv && cli->json)
        return doge_cli_usage_error(&doge_cmd_review, "--csv or --json, not both");
    doge_workspace *ws;
    int rc = doge_cli_open_workspace(cli, &ws);
    if (rc)
        return rc;
    doge_review_dedup_opts o = {0};
    o.threshold = threshold;
    o.threads = (unsigned)threads;
    doge_review_dedup *d = NULL;
    replies r = {0};
    if (doge_review_dedup_new(&d, &o) != DOGE_OK)
        rc = doge_cli_fail();
    if (rc == DOGE_EXIT_OK)
        rc = load(ws, week, d, &r);
    doge_workspace_free(ws);
    if (rc == DOGE_EXIT_OK && doge_review_dedup_run(d) != DOGE_OK)
        rc = doge_cli_fail();
    if (rc != DOGE_EXIT_OK) {
        doge_review_dedup_free(d);
        replies_free(&r);
        return rc;
    }
    doge_review_dedup_stats st;
    doge_review_dedup_get_stats(d, &st);
    size_t n = doge_review_dedup_count(d);
    if (limit > 0 && (uint64_t)limit < n)
        n = (size_t)limit;
    doge_review_cluster c;
    if (cli->json) {
        json_t *out = json_object(), *arr = json_array();
        json_object_set_new(out, "week", json_string(week));
        json_object_set_new(out, "threshold", json_real(threshold));
        json_object_set_new(out, "replies", json_integer((json_int_t)st.documents));
        json_object_set_new(out, "exact_groups", json_integer((json_int_t)st.exact_groups));
        json_object_set_new(out, "candidate_pairs", json_integer((json_int_t)st.candidate_pairs));
        json_object_set_new(out, "confirmed_pairs", json_integer((json_int_t)st.confirmed_pairs));
        json_object_set_new(out, "clusters_found", json_integer((json_int_t)st.clusters));
        json_object_set_new(out, "clustered_replies",
                            json_integer((json_int_t)st.clustered_documents));
        for (size_t k = 0; k < n; k++)
            if (doge_review_dedup_cluster(d, k, &c) == DOGE_OK)
                json_array_append_new(arr, cluster_json(&c, &r));
        json_object_set_new(out, "clusters", arr);
        doge_cli_print_json(out);
    } else if (csv) {
        doge_csv w;
        doge_csv_init_file(&w, stdout, DOGE_CSV_LF);
        const char *h[] = {"cluster", "employee_id", "reply_id", "department"};
        doge_csv_row(&w, h, 4);
        for (size_t k = 0; k < n; k++) {
            if (doge_review_dedup_cluster(d, k, &c) != DOGE_OK)
                continue;
            for (size_t m = 0; m < c.size; m++) {
                size_t i = find_reply(&r, c.ids[m]);
                doge_csv_field_u64(&w, k + 1);
                doge_csv_field_str(&w, r.employee[i]);
                doge_csv_field_i64(&w, c.ids[m]);
                doge_csv_field_str(&w, r.department[i]);
                doge_csv_end_row(&w);
            }
        }
    } else {
        printf("%s: %zu replies; %zu clusters of near-identical replies (similarity >= %.2f) "
               "hold %zu of them\n",
               week, st.documents, st.clusters, threshold, st.clustered_documents);
        for (size_t k = 0; k < n; k++)
            if (doge_review_dedup_cluster(d, k, &c) == DOGE_OK)
                print_text(&c, k, &r);
        if (n < st.clusters)
            printf("\n(%zu more; --limit 0 shows all)\n", st.clusters - n);
    }
    doge_review_dedup_free(d);
    replies_free(&r);
    if (fflush(stdout) != 0)
        return doge_cli_failf("writing the output failed");
    return DOGE_EXIT_OK;
}

int doge_cli_review_clusters(doge_cli *cli, int argc, char **argv)
{
    return run(cli, argc, argv);
}
