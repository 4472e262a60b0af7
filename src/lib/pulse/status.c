/*
 * status.c — compliance for a week: per department (or within a manager's
 * subtree, found with a recursive query over the roster's manager chain)
 * how many were expected, replied on time or late, sent only automatic
 * answers, bounced, or did not reply; and the list of non-responders. All in
 * portable SQL (WITH RECURSIVE works on SQLite and PostgreSQL).
 */
#include "doge/pulse.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Per employee of the week: replied (any accepted reply), on time (the
 * latest accepted reply was), any automatic answer. */
#define PER_EMPLOYEE                                                                               \
    "latest AS (SELECT employee_id,"                                                               \
    " MAX(CASE WHEN kind = 'reply' THEN 1 ELSE 0 END) AS replied,"                                 \
    " MAX(CASE WHEN kind = 'reply' AND superseded = 0 AND on_time = 1 THEN 1 ELSE 0 END)"          \
    " AS on_time,"                                                                                 \
    " MAX(CASE WHEN kind = 'auto-reply' THEN 1 ELSE 0 END) AS auto"                                \
    " FROM pulse_reply WHERE week = ?1 AND employee_id IS NOT NULL GROUP BY employee_id)"

#define SUBTREE                                                                                    \
    "sub(id) AS (SELECT employee_id FROM roster WHERE manager_id = ?3"                             \
    " UNION SELECT r.employee_id FROM roster r JOIN sub ON r.manager_id = sub.id)"

#define FILTERS                                                                                    \
    " WHERE q.week = ?1 AND (?2 IS NULL OR q.department = ?2)"                                     \
    " AND (?3 IS NULL OR q.employee_id IN (SELECT id FROM sub))"

static int bind_filter(doge_stmt *s, const char *week, const doge_pulse_filter *f)
{
    doge_stmt_bind_text(s, 1, week, -1);
    doge_stmt_bind_text(s, 2, f ? f->department : NULL, -1);
    return doge_stmt_bind_text(s, 3, f ? f->manager_id : NULL, -1);
}

static int check_week(doge_workspace *ws, const char *week)
{
    int64_t n = 0;
    int rc = doge_store_query_int64(doge_workspace_store(ws),
                                    "SELECT COUNT(*) FROM pulse_campaign WHERE week = ?", week, &n);
    if (rc == DOGE_OK && !n)
        rc = doge__error_set(DOGE_ENOTFOUND, "no campaign for %s", week);
    return rc;
}

int doge_pulse_status(doge_workspace *ws, const char *week, const doge_pulse_filter *f,
                      doge_pulse_counts **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    int rc = check_week(ws, week);
    if (rc)
        return rc;
    if (f && f->manager_id) {
        int64_t exists = 0;
        if ((rc = doge_store_query_int64(doge_workspace_store(ws),
                                         "SELECT COUNT(*) FROM roster WHERE employee_id = ?",
                                         f->manager_id, &exists)))
            return rc;
        if (!exists)
            return doge__error_set(DOGE_ENOTFOUND, "no employee '%s' in the roster", f->manager_id);
    }
    doge_stmt *s;
    rc = doge_store_prepare(
        doge_workspace_store(ws), &s,
        "WITH RECURSIVE " PER_EMPLOYEE ", " SUBTREE
        " SELECT q.department, COUNT(*),"
        " SUM(COALESCE(l.replied, 0)),"
        " SUM(CASE WHEN l.replied = 1 AND l.on_time = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN l.replied = 1 AND l.on_time = 0 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN COALESCE(l.replied, 0) = 0 AND l.auto = 1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN COALESCE(l.replied, 0) = 0 AND COALESCE(l.auto, 0) = 0"
        "  AND q.state IN ('bounced', 'refused') THEN 1 ELSE 0 END)"
        " FROM pulse_request q LEFT JOIN latest l ON l.employee_id = q.employee_id" FILTERS
        " GROUP BY q.department ORDER BY q.department");
    if (rc)
        return rc;
    bind_filter(s, week, f);
    size_t cap = 16;
    doge_pulse_counts *r = calloc(cap, sizeof *r), total;
    memset(&total, 0, sizeof total);
    snprintf(total.group, sizeof total.group, "total");
    if (!r) {
        doge_stmt_free(s);
        return doge__error_oom();
    }
    while ((rc = doge_stmt_step(s)) == 1) {
        if (*n + 1 >= cap) {
            cap *= 2;
            doge_pulse_counts *nr = realloc(r, cap * sizeof *nr);
            if (!nr) {
                rc = doge__error_oom();
                break;
            }
            r = nr;
        }
        doge_pulse_counts *c = &r[(*n)++];
        memset(c, 0, sizeof *c);
        snprintf(c->group, sizeof c->group, "%s", doge_stmt_text(s, 0));
        c->expected = doge_stmt_int64(s, 1);
        c->replied = doge_stmt_int64(s, 2);
        c->on_time = doge_stmt_int64(s, 3);
        c->late = doge_stmt_int64(s, 4);
        c->auto_reply_only = doge_stmt_int64(s, 5);
        c->bounced = doge_stmt_int64(s, 6);
        c->not_replied = c->expected - c->replied - c->auto_reply_only - c->bounced;
        total.expected += c->expected;
        total.replied += c->replied;
        total.on_time += c->on_time;
        total.late += c->late;
        total.auto_reply_only += c->auto_reply_only;
        total.bounced += c->bounced;
        total.not_replied += c->not_replied;
    }
    doge_stmt_free(s);
    if (rc < 0) {
        free(r);
        *n = 0;
        return rc;
    }
    r[(*n)++] = total;
    *rows = r;
    return DOGE_OK;
}

int doge_pulse_nonresponders(doge_workspace *ws, const char *week, const doge_pulse_filter *f,
                             doge_pulse_person_fn fn, void *ctx)
{
    int rc = check_week(ws, week);
    if (rc)
        return rc;
    doge_stmt *s;
    rc = doge_store_prepare(doge_workspace_store(ws), &s,
                            "WITH RECURSIVE " PER_EMPLOYEE ", " SUBTREE
                            " SELECT q.employee_id, e.name, q.email, q.department,"
                            " CASE WHEN l.auto = 1 THEN 'auto-reply only'"
                            "  WHEN q.state IN ('bounced', 'refused') THEN 'bounced' ELSE 'not replied' END"
                            " FROM pulse_request q JOIN roster e ON e.employee_id = q.employee_id"
                            " LEFT JOIN latest l ON l.employee_id = q.employee_id" FILTERS
                            " AND COALESCE(l.replied, 0) = 0 ORDER BY q.employee_id");
    if (rc)
        return rc;
    bind_filter(s, week, f);
    while ((rc = doge_stmt_step(s)) == 1) {
        int r = fn(ctx, doge_stmt_text(s, 0), doge_stmt_text(s, 1), doge_stmt_text(s, 2),
                   doge_stmt_text(s, 3), doge_stmt_text(s, 4));
        if (r) {
            rc = r;
            break;
        }
    }
    doge_stmt_free(s);
    return rc < 0 ? rc : DOGE_OK;
}
