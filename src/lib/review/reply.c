/*
 * reply.c — doge_review_reply: the review of one new reply as it arrives
 * (doge serve's form), without reviewing the whole week again. The reply's
 * bullets are classified and scored exactly as the week's review does
 * (item.c, score.c) and its review_reply row is written, replacing the rows
 * of the employee's earlier replies of that week, which it superseded (the
 * week's review covers current replies only; decisions and appeals on the
 * old replies stay). Copy-paste clusters need the whole week: the row has
 * no cluster and its note says the check waits for the week's next review
 * (doge review run, or the next mail ingest).
 */
#include "internal.h"
#include "pipeline.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct one_reply {
    char *week, *employee, *dept, *flags, *bullets_json;
} one_reply;

static void one_dispose(one_reply *o)
{
    free(o->week);
    free(o->employee);
    free(o->dept);
    free(o->flags);
    free(o->bullets_json);
}

static int load_one(doge_store *st, int64_t id, one_reply *o)
{
    doge_stmt *s;
    int rc = doge_store_prepare(
        st, &s,
        "SELECT COALESCE(r.week, ''), COALESCE(r.employee_id, ''),"
        " COALESCE(q.department, ''), r.flags, r.bullets, r.kind, r.superseded"
        " FROM pulse_reply r LEFT JOIN pulse_request q"
        " ON q.week = r.week AND q.employee_id = r.employee_id WHERE r.id = ?");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, id);
    rc = doge_stmt_step(s);
    if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND, "no reply %lld", (long long)id);
    } else if (rc == 1 && strcmp(doge_stmt_text(s, 5), "reply") != 0) {
        rc = doge__error_set(DOGE_EINVAL, "reply %lld is a %s, not a reply to review",
                             (long long)id, doge_stmt_text(s, 5));
    } else if (rc == 1 && doge_stmt_int64(s, 6) != 0) {
        rc = doge__error_set(DOGE_EINVAL,
                             "reply %lld was replaced by a newer reply of the same employee",
                             (long long)id);
    } else if (rc == 1 && !*doge_stmt_text(s, 0)) {
        rc = doge__error_set(DOGE_EINVAL, "reply %lld belongs to no week", (long long)id);
    } else if (rc == 1) {
        o->week = strdup(doge_stmt_text(s, 0));
        o->employee = strdup(doge_stmt_text(s, 1));
        o->dept = strdup(doge_stmt_text(s, 2));
        o->flags = strdup(doge_stmt_text(s, 3));
        o->bullets_json = strdup(doge_stmt_text(s, 4));
        rc = o->week && o->employee && o->dept && o->flags && o->bullets_json
                 ? DOGE_OK
                 : doge__error_oom();
    }
    doge_stmt_free(s);
    return rc;
}

/* Removes the rows of the employee's other replies of the week (replaced
 * by this one; found through pulse_reply's (week, employee_id) index, so
 * the cost does not grow with the week), then writes this one's. */
static int store_row(doge_store *st, const one_reply *o, const doge__review_item *it,
                     const char *model)
{
    int rc = doge_store_begin(st);
    if (rc)
        return rc;
    doge_stmt *s = NULL;
    if (*o->employee && (rc = doge_store_prepare(st, &s,
                                                 "DELETE FROM review_reply WHERE reply_id IN"
                                                 " (SELECT id FROM pulse_reply WHERE week = ?"
                                                 " AND employee_id = ? AND id != ?)")) ==
                            DOGE_OK) {
        doge_stmt_bind_text(s, 1, o->week, -1);
        doge_stmt_bind_text(s, 2, o->employee, -1);
        doge_stmt_bind_int64(s, 3, it->id);
        rc = doge_stmt_step(s);
        rc = rc < 0 ? rc : DOGE_OK;
        doge_stmt_free(s);
        s = NULL;
    }
    if (rc == DOGE_OK && (rc = doge__review_row_prepare(st, &s)) == DOGE_OK)
        rc = doge__review_row_write(s, o->week, it, model, (int64_t)time(NULL), 1, NULL, NULL);
    doge_stmt_free(s);
    if (rc == DOGE_OK)
        return doge_store_commit(st);
    doge_store_rollback(st);
    return rc;
}

int doge_review_reply(doge_workspace *ws, int64_t reply_id)
{
    doge_store *st = doge_workspace_store(ws);
    one_reply o = {0};
    doge_buf text;
    doge_buf_init(&text, (size_t)1 << 24);
    doge_review_model *m = NULL;
    doge__review_item it;
    memset(&it, 0, sizeof it);
    char model[17];
    int rc = load_one(st, reply_id, &o);
    if (rc == DOGE_OK)
        rc = doge__review_bullets_join(o.bullets_json, reply_id, &text);
    if (rc == DOGE_OK && (rc = doge_review_workspace_model(ws, &m, NULL)) == DOGE_OK)
        rc = doge__review_model_id(ws, model);
    if (rc == DOGE_OK) {
        it.id = reply_id;
        it.employee = o.employee;
        it.dept = o.dept;
        it.flags = o.flags;
        it.r.id = reply_id;
        it.r.flags = o.flags;
        it.text = text.len ? (const char *)text.data : "";
        it.len = text.len;
        rc = doge__review_item_classify(m, &it);
    }
    if (rc == DOGE_OK)
        rc = store_row(st, &o, &it, model);
    free(it.bullets);
    doge_review_model_free(m);
    doge_buf_dispose(&text);
    one_dispose(&o);
    if (rc)
        doge__error_prefix("review of reply %lld", (long long)reply_id);
    return rc;
}
