/*
 * queue.c — what a human reviewer sees: the queue of a week's replies that
 * need a look (priority > 0, or appealed) and have no decision newer than
 * their latest appeal, highest priority first (appeals before everything);
 * and one reply's whole evidence — every bullet re-explained by the model
 * (the classifier is deterministic, so the evidence is the one that made
 * the stored result), its cluster, its flags and its decisions.
 */
#include "internal.h"
#include "pipeline.h"
#include "doge/store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define QUEUE_SQL                                                                                  \
    "SELECT * FROM (SELECT v.reply_id, v.week, COALESCE(v.employee_id, ''), v.department,"        \
    " v.bullet_count, v.specificity, v.vague, COALESCE(v.duplicate_of, 0), COALESCE(c.size, 0),"  \
    " v.flags, v.note, v.priority,"                                                                \
    " (SELECT MAX(d.id) FROM review_decision d WHERE d.reply_id = v.reply_id"                      \
    "  AND d.kind = 'decision') AS dec,"                                                           \
    " (SELECT MAX(d.id) FROM review_decision d WHERE d.reply_id = v.reply_id"                      \
    "  AND d.kind = 'appeal') AS app"                                                              \
    " FROM review_reply v LEFT JOIN review_cluster c"                                              \
    " ON c.week = v.week AND c.cluster_id = v.cluster_id"                                          \
    " WHERE v.week = ?1 AND (?2 IS NULL OR v.department = ?2)) q"                                  \
    " WHERE (q.app IS NOT NULL AND (q.dec IS NULL OR q.dec < q.app))"                              \
    " OR (q.app IS NULL AND q.dec IS NULL AND q.priority > 0)"                                     \
    " ORDER BY CASE WHEN q.app IS NULL THEN 0 ELSE 1 END DESC, q.priority DESC, q.reply_id"

int doge_review_queue(doge_workspace *ws, const char *week, const char *department, size_t limit,
                      doge_review_item_fn fn, void *ctx)
{
    doge_store *st = doge_workspace_store(ws);
    int64_t reviewed = 0;
    int rc = doge_store_query_int64(st, "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?", week,
                                    &reviewed);
    if (rc)
        return rc;
    if (!reviewed)
        return doge__error_set(DOGE_ENOTFOUND, "no campaign for %s", week);
    doge_stmt *s;
    if ((rc = doge_store_prepare(st, &s, QUEUE_SQL)))
        return rc;
    doge_stmt_bind_text(s, 1, week, -1);
    doge_stmt_bind_text(s, 2, department, -1);
    size_t count = 0;
    while ((rc = doge_stmt_step(s)) == 1) {
        if (limit && count >= limit)
            break;
        doge_review_item it = {
            .reply_id = doge_stmt_int64(s, 0),
            .week = doge_stmt_text(s, 1),
            .employee_id = doge_stmt_text(s, 2),
            .department = doge_stmt_text(s, 3),
            .bullet_count = (int)doge_stmt_int64(s, 4),
            .specificity = (double)doge_stmt_int64(s, 5) / 1000.0,
            .vague = (int)doge_stmt_int64(s, 6),
            .duplicate_of = doge_stmt_int64(s, 7),
            .cluster_size = doge_stmt_int64(s, 8),
            .flags = doge_stmt_text(s, 9),
            .note = doge_stmt_text(s, 10),
            .priority = (int)doge_stmt_int64(s, 11),
            .state = doge_stmt_is_null(s, 13) ? "open" : "appealed",
        };
        count++;
        if ((rc = fn(ctx, &it)) != 0)
            break;
    }
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}

static json_t *decisions(doge_store *st, int64_t reply_id, int *rc)
{
    json_t *arr = json_array();
    doge_stmt *s;
    if ((*rc = doge_store_prepare(st, &s,
                                  "SELECT kind, outcome, reason, by_id, at, ledger_index"
                                  " FROM review_decision WHERE reply_id = ? ORDER BY id")))
        return arr;
    doge_stmt_bind_int64(s, 1, reply_id);
    while ((*rc = doge_stmt_step(s)) == 1) {
        json_t *d = json_pack("{s:s, s:s, s:s, s:I, s:I}", "kind", doge_stmt_text(s, 0),
                              "reason", doge_stmt_text(s, 2), "by", doge_stmt_text(s, 3), "at",
                              (json_int_t)doge_stmt_int64(s, 4), "ledger_index",
                              (json_int_t)doge_stmt_int64(s, 5));
        if (d && !doge_stmt_is_null(s, 1))
            json_object_set_new(d, "outcome", json_string(doge_stmt_text(s, 1)));
        if (d)
            json_array_append_new(arr, d);
    }
    doge_stmt_free(s);
    if (*rc > 0)
        *rc = DOGE_OK;
    return arr;
}

int doge_review_reply_evidence(doge_workspace *ws, int64_t reply_id, json_t **out)
{
    doge_store *st = doge_workspace_store(ws);
    doge_stmt *s;
    int rc = doge_store_prepare(
        st, &s,
        "SELECT v.week, COALESCE(v.employee_id, ''), v.department, v.bullet_count, v.vague,"
        " v.specificity, v.top_category, v.flags, v.priority, v.note, r.bullets,"
        " c.cluster_id, c.size, c.departments, c.representative, c.text, c.min_jaccard,"
        " r.ledger_index, r.on_time, r.manager_cc"
        " FROM review_reply v JOIN pulse_reply r ON r.id = v.reply_id"
        " LEFT JOIN review_cluster c ON c.week = v.week AND c.cluster_id = v.cluster_id"
        " WHERE v.reply_id = ?");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, reply_id);
    if ((rc = doge_stmt_step(s)) != 1) {
        doge_stmt_free(s);
        return rc < 0 ? rc
                      : doge__error_set(DOGE_ENOTFOUND,
                                        "reply %lld has not been reviewed (no such reply, or "
                                        "run 'doge review run --week W')",
                                        (long long)reply_id);
    }
    json_t *j = json_pack(
        "{s:I, s:s, s:s, s:s, s:i, s:b, s:f, s:s, s:s, s:i, s:s, s:b, s:b}", "reply",
        (json_int_t)reply_id, "week", doge_stmt_text(s, 0), "employee_id", doge_stmt_text(s, 1),
        "department", doge_stmt_text(s, 2), "bullet_count", (int)doge_stmt_int64(s, 3), "vague",
        (int)doge_stmt_int64(s, 4), "specificity", (double)doge_stmt_int64(s, 5) / 1000.0,
        "top_category", doge_stmt_text(s, 6), "flags", doge_stmt_text(s, 7), "priority",
        (int)doge_stmt_int64(s, 8), "note", doge_stmt_text(s, 9), "on_time",
        (int)doge_stmt_int64(s, 18), "manager_cc", (int)doge_stmt_int64(s, 19));
    if (!j) {
        doge_stmt_free(s);
        return doge__error_oom();
    }
    if (!doge_stmt_is_null(s, 17))
        json_object_set_new(j, "ledger_index", json_integer(doge_stmt_int64(s, 17)));
    if (!doge_stmt_is_null(s, 11)) {
        json_t *deps = json_loads(doge_stmt_text(s, 13), 0, NULL);
        json_object_set_new(
            j, "cluster",
            json_pack("{s:I, s:I, s:o, s:I, s:s, s:f}", "id", (json_int_t)doge_stmt_int64(s, 11),
                      "size", (json_int_t)doge_stmt_int64(s, 12), "departments",
                      deps ? deps : json_array(), "representative",
                      (json_int_t)doge_stmt_int64(s, 14), "text", doge_stmt_text(s, 15),
                      "min_jaccard", (double)doge_stmt_int64(s, 16) / 1000.0));
    }
    json_t *texts = json_loads(doge_stmt_text(s, 10), 0, NULL);
    doge_stmt_free(s);

    doge_review_model *m = NULL;
    json_t *bullets = json_array();
    rc = doge_review_workspace_model(ws, &m, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(texts, i, v) {
        if (rc)
            break;
        const char *t = json_string_value(v);
        json_t *e = NULL;
        if (t && (rc = doge_review_explain(m, t, strlen(t), &e)) == DOGE_OK)
            json_array_append_new(bullets, e);
    }
    json_decref(texts);
    doge_review_model_free(m);
    json_object_set_new(j, "bullets", bullets);
    if (rc == DOGE_OK)
        json_object_set_new(j, "decisions", decisions(st, reply_id, &rc));
    if (rc) {
        json_decref(j);
        return rc;
    }
    *out = j;
    return DOGE_OK;
}
