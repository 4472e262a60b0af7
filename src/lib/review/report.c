/*
 * report.c — the week's report as JSON, the one source for
 * `doge pulse report --json` and the HTML report: response by department
 * (the same counts as `doge pulse status`), the category mix and the
 * specificity distribution over every reviewed bullet, the largest
 * copy-paste clusters, the week-over-week trend across every campaign up to
 * this week, and the state of the human queue.
 */
#include "internal.h"
#include "pipeline.h"
#include "doge/date.h"
#include "doge/pulse.h"
#include "doge/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SPEC_BINS 10

static json_t *counts_json(const doge_pulse_counts *c)
{
    return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f}", "department", c->group,
                     "expected", (json_int_t)c->expected, "replied", (json_int_t)c->replied,
                     "on_time", (json_int_t)c->on_time, "late", (json_int_t)c->late,
                     "auto_reply_only", (json_int_t)c->auto_reply_only, "bounced",
                     (json_int_t)c->bounced, "not_replied", (json_int_t)c->not_replied, "rate",
                     c->expected ? (double)c->replied / (double)c->expected : 0.0);
}

static int response(doge_workspace *ws, const char *week, json_t *j)
{
    doge_pulse_counts *rows;
    size_t n;
    int rc = doge_pulse_status(ws, week, NULL, &rows, &n);
    if (rc)
        return rc;
    json_t *deps = json_array();
    for (size_t i = 0; i + 1 < n; i++)
        json_array_append_new(deps, counts_json(&rows[i]));
    json_object_set_new(j, "departments", deps);
    json_object_set_new(j, "total", counts_json(&rows[n - 1]));
    free(rows);
    return DOGE_OK;
}

/* Category mix and specificity histogram from review_reply.bullets
 * ("[[category,confidence,specificity,features],...]"). */
static int bullets(doge_store *st, const char *week, json_t *j)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT bullets, vague FROM review_reply WHERE week = ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    int64_t cat[DOGE_REVIEW_NCATEGORIES] = {0}, hist[SPEC_BINS] = {0}, total = 0, replies = 0,
            vague = 0;
    double spec_sum = 0;
    while ((rc = doge_stmt_step(s)) == 1) {
        replies++;
        vague += doge_stmt_int64(s, 1);
        const char *p = doge_stmt_text(s, 0);
        while ((p = strchr(p, '[')) != NULL) {
            p++;
            if (*p == '[')
                continue;
            char *e;
            long c = strtol(p, &e, 10);
            if (*e != ',')
                break;
            strtol(e + 1, &e, 10);
            if (*e != ',')
                break;
            long sp = strtol(e + 1, &e, 10);
            if (c < 0 || c >= DOGE_REVIEW_NCATEGORIES || sp < 0 || sp > 1000)
                break;
            cat[c]++;
            int bin = (int)(sp * SPEC_BINS / 1000);
            hist[bin >= SPEC_BINS ? SPEC_BINS - 1 : bin]++;
            spec_sum += (double)sp / 1000.0;
            total++;
            p = e;
        }
    }
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    json_t *mix = json_array();
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        json_array_append_new(mix, json_pack("{s:s, s:I, s:f}", "category",
                                             doge_review_category_name(c), "bullets",
                                             (json_int_t)cat[c],
                                             "share", total ? (double)cat[c] / (double)total : 0.0));
    json_t *h = json_array();
    for (int b = 0; b < SPEC_BINS; b++)
        json_array_append_new(h, json_pack("{s:f, s:f, s:I}", "from", (double)b / SPEC_BINS, "to",
                                           (double)(b + 1) / SPEC_BINS, "bullets",
                                           (json_int_t)hist[b]));
    json_object_set_new(j, "categories", mix);
    json_object_set_new(j, "specificity",
                        json_pack("{s:f, s:o}", "mean", total ? spec_sum / (double)total : 0.0,
                                  "histogram", h));
    json_object_set_new(j, "review", json_pack("{s:I, s:I, s:I}", "replies", (json_int_t)replies,
                                               "bullets", (json_int_t)total, "vague",
                                               (json_int_t)vague));
    return DOGE_OK;
}

static int clusters(doge_store *st, const char *week, size_t top, json_t *j)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT cluster_id, size, exact, departments, min_jaccard,"
                                " representative, text FROM review_cluster WHERE week = ?"
                                " ORDER BY size DESC, cluster_id LIMIT ?");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    doge_stmt_bind_int64(s, 2, (int64_t)top);
    json_t *arr = json_array();
    while ((rc = doge_stmt_step(s)) == 1) {
        json_t *deps = json_loads(doge_stmt_text(s, 3), 0, NULL);
        json_array_append_new(
            arr, json_pack("{s:I, s:I, s:I, s:o, s:f, s:I, s:s}", "id",
                           (json_int_t)doge_stmt_int64(s, 0), "size",
                           (json_int_t)doge_stmt_int64(s, 1), "exact",
                           (json_int_t)doge_stmt_int64(s, 2), "departments",
                           deps ? deps : json_array(), "min_jaccard",
                           (double)doge_stmt_int64(s, 4) / 1000.0, "representative",
                           (json_int_t)doge_stmt_int64(s, 5), "text", doge_stmt_text(s, 6)));
    }
    doge_stmt_free(s);
    json_object_set_new(j, "clusters", arr);
    if (rc < 0)
        return rc;
    int64_t nclusters = 0, clustered = 0;
    if ((rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM review_cluster WHERE week = ?",
                                     week, &nclusters)) ||
        (rc = doge_store_query_int64(st,
                                     "SELECT COALESCE(SUM(size), 0) FROM review_cluster"
                                     " WHERE week = ?",
                                     week, &clustered)))
        return rc;
    json_object_set_new(j, "cluster_totals",
                        json_pack("{s:I, s:I}", "clusters", (json_int_t)nclusters, "replies",
                                  (json_int_t)clustered));
    return DOGE_OK;
}

static int trend(doge_workspace *ws, const char *week, json_t *j)
{
    doge_store *st = doge_workspace_store(ws);
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT c.week, (SELECT CAST(AVG(specificity) AS BIGINT) FROM review_reply v"
                                " WHERE v.week = c.week) FROM pulse_campaign c"
                                " WHERE c.week <= ? ORDER BY c.week");
    if (rc)
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    json_t *arr = json_array();
    while (rc == DOGE_OK && (rc = doge_stmt_step(s)) == 1) {
        char w[32];
        snprintf(w, sizeof w, "%s", doge_stmt_text(s, 0));
        int has_spec = !doge_stmt_is_null(s, 1);
        double spec = (double)doge_stmt_int64(s, 1) / 1000.0;
        doge_pulse_counts *rows;
        size_t n;
        if ((rc = doge_pulse_status(ws, w, NULL, &rows, &n)))
            break;
        const doge_pulse_counts *t = &rows[n - 1];
        json_t *e = json_pack("{s:s, s:I, s:I, s:I, s:f}", "week", w, "expected",
                              (json_int_t)t->expected, "replied", (json_int_t)t->replied,
                              "on_time", (json_int_t)t->on_time, "rate",
                              t->expected ? (double)t->replied / (double)t->expected : 0.0);
        if (has_spec)
            json_object_set_new(e, "specificity", json_real(spec));
        json_array_append_new(arr, e);
        free(rows);
        rc = DOGE_OK;
    }
    doge_stmt_free(s);
    json_object_set_new(j, "trend", arr);
    return rc < 0 ? rc : DOGE_OK;
}

static int queue_counts(doge_store *st, const char *week, json_t *j)
{
    static const char *const names[] = {"needs_review", "appeals", "ok", "follow-up", "escalate"};
    static const char *const sql[] = {
        "SELECT COUNT(*) FROM review_reply v WHERE v.week = ? AND v.priority > 0",
        "SELECT COUNT(*) FROM review_decision WHERE week = ? AND kind = 'appeal'",
        "SELECT COUNT(*) FROM review_decision WHERE week = ? AND outcome = 'ok'",
        "SELECT COUNT(*) FROM review_decision WHERE week = ? AND outcome = 'follow-up'",
        "SELECT COUNT(*) FROM review_decision WHERE week = ? AND outcome = 'escalate'"};
    json_t *q = json_object();
    for (size_t i = 0; i < 5; i++) {
        int64_t v = 0;
        int rc = doge_store_query_int64(st, sql[i], week, &v);
        if (rc) {
            json_decref(q);
            return rc;
        }
        json_object_set_new(q, names[i], json_integer(v));
    }
    json_object_set_new(j, "queue", q);
    return DOGE_OK;
}

int doge_review_report(doge_workspace *ws, const char *week, size_t top_clusters, json_t **out)
{
    doge_store *st = doge_workspace_store(ws);
    char at[40];
    doge_date_timestamp_format((int64_t)time(NULL), at, sizeof at);
    json_t *j = json_pack("{s:s, s:s}", "week", week, "generated_at", at);
    if (!j)
        return doge__error_oom();
    json_t *resp = json_object();
    json_object_set_new(j, "response", resp);
    int rc;
    if ((rc = response(ws, week, resp)) || (rc = bullets(st, week, j)) ||
        (rc = clusters(st, week, top_clusters ? top_clusters : 10, j)) ||
        (rc = trend(ws, week, j)) || (rc = queue_counts(st, week, j))) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return DOGE_OK;
}
