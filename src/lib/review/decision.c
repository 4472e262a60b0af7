/*
 * decision.c — the human side of the review: a reviewer's decision on a
 * reply (ok, follow-up, escalate, with a reason and the reviewer's id) and
 * the respondent's appeal. Each is appended to the ledger first, as a
 * canonical JSON record (compact, keys sorted) that names the reply and the
 * reply's own ledger entry, then recorded in review_decision with its
 * ledger index. If the process dies between the two, the ledger holds a
 * decision the store lacks; the ledger is the record of truth and
 * `doge ledger get` shows it. Nothing here acts on an employee.
 */
#include "internal.h"
#include "pipeline.h"
#include "doge/date.h"
#include "doge/ledger.h"
#include "doge/store.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct reply_ref {
    char week[32];
    char employee[128];
    int64_t ledger_index; /* -1: none */
} reply_ref;

static int find_reply(doge_store *st, int64_t id, reply_ref *out)
{
    doge_stmt *s;
    int rc = doge_store_prepare(st, &s,
                                "SELECT week, COALESCE(employee_id, ''), ledger_index, kind"
                                " FROM pulse_reply WHERE id = ?");
    if (rc)
        return rc;
    doge_stmt_bind_int64(s, 1, id);
    rc = doge_stmt_step(s);
    if (rc == 1) {
        if (strcmp(doge_stmt_text(s, 3), "reply") != 0) {
            rc = doge__error_set(DOGE_EINVAL, "reply %lld is a %s, not a reply to review",
                                 (long long)id, doge_stmt_text(s, 3));
        } else {
            snprintf(out->week, sizeof out->week, "%s", doge_stmt_text(s, 0));
            snprintf(out->employee, sizeof out->employee, "%s", doge_stmt_text(s, 1));
            out->ledger_index = doge_stmt_is_null(s, 2) ? -1 : doge_stmt_int64(s, 2);
            rc = DOGE_OK;
        }
    } else if (rc == 0) {
        rc = doge__error_set(DOGE_ENOTFOUND,
                             "no reply %lld (reply ids are listed by 'doge review queue')",
                             (long long)id);
    }
    doge_stmt_free(s);
    return rc;
}

static int blank(const char *s)
{
    if (!s)
        return 1;
    while (*s && isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

static int record(doge_workspace *ws, int64_t reply_id, const reply_ref *ref, const char *kind,
                  const char *outcome, const char *reason, const char *by, int64_t *ledger_index)
{
    doge_store *st = doge_workspace_store(ws);
    int64_t now = (int64_t)time(NULL);
    char at[40];
    doge_date_timestamp_format(now, at, sizeof at);
    json_t *j = json_object();
    json_object_set_new(j, "kind", json_string(kind));
    json_object_set_new(j, "reply", json_integer(reply_id));
    if (ref->ledger_index >= 0)
        json_object_set_new(j, "reply_ledger_index", json_integer(ref->ledger_index));
    json_object_set_new(j, "week", json_string(ref->week));
    if (*ref->employee)
        json_object_set_new(j, "employee_id", json_string(ref->employee));
    if (outcome)
        json_object_set_new(j, "outcome", json_string(outcome));
    json_t *rs = json_string(reason), *bs = json_string(by);
    if (!rs || !bs) {
        json_decref(rs);
        json_decref(bs);
        json_decref(j);
        return doge__error_set(DOGE_EINVAL, "the reason and the id must be UTF-8 text");
    }
    json_object_set_new(j, "reason", rs);
    json_object_set_new(j, "by", bs);
    json_object_set_new(j, "at", json_string(at));
    char *text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    if (!text)
        return doge__error_oom();
    if (strlen(text) > DOGE_LEDGER_ENTRY_MAX) {
        free(text);
        return doge__error_set(DOGE_ELIMIT, "the reason is too long for one ledger entry");
    }

    doge_ledger *l;
    int rc = doge_ledger_open_workspace(&l, ws, 1);
    int64_t index = -1;
    if (rc == DOGE_OK) {
        if ((rc = doge_ledger_append(l, text, strlen(text), &index)) == DOGE_OK)
            rc = doge_ledger_commit(l);
        doge_ledger_free(l);
    }
    free(text);
    if (rc)
        return rc;

    int64_t id = 0;
    if ((rc = doge_store_query_int64(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM review_decision",
                                     NULL, &id)))
        return rc;
    doge_stmt *s;
    if ((rc = doge_store_prepare(st, &s,
                                 "INSERT INTO review_decision (id, reply_id, week, employee_id,"
                                 " kind, outcome, reason, by_id, at, ledger_index)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
        return rc;
    doge_stmt_bind_int64(s, 1, id);
    doge_stmt_bind_int64(s, 2, reply_id);
    doge_stmt_bind_text(s, 3, ref->week, -1);
    doge_stmt_bind_text(s, 4, *ref->employee ? ref->employee : NULL, -1);
    doge_stmt_bind_text(s, 5, strcmp(kind, "review.decision") == 0 ? "decision" : "appeal", -1);
    doge_stmt_bind_text(s, 6, outcome, -1);
    doge_stmt_bind_text(s, 7, reason, -1);
    doge_stmt_bind_text(s, 8, by, -1);
    doge_stmt_bind_int64(s, 9, now);
    doge_stmt_bind_int64(s, 10, index);
    rc = doge_stmt_step(s);
    doge_stmt_free(s);
    if (rc < 0)
        return rc;
    if (ledger_index)
        *ledger_index = index;
    return DOGE_OK;
}

int doge_review_decide(doge_workspace *ws, int64_t reply_id, const char *outcome,
                       const char *reason, const char *by, int64_t *ledger_index)
{
    if (!outcome || (strcmp(outcome, "ok") != 0 && strcmp(outcome, "follow-up") != 0 &&
                     strcmp(outcome, "escalate") != 0))
        return doge__error_set(DOGE_EINVAL,
                               "unknown outcome '%s' (use ok, follow-up or escalate)",
                               outcome ? outcome : "");
    if (blank(reason))
        return doge__error_set(DOGE_EINVAL, "a decision needs a reason (--reason TEXT)");
    if (blank(by))
        return doge__error_set(DOGE_EINVAL, "a decision needs the reviewer's id (--by ID)");
    reply_ref ref;
    int rc = find_reply(doge_workspace_store(ws), reply_id, &ref);
    if (rc)
        return rc;
    return record(ws, reply_id, &ref, "review.decision", outcome, reason, by, ledger_index);
}

int doge_review_appeal(doge_workspace *ws, int64_t reply_id, const char *reason, const char *by,
                       int64_t *ledger_index)
{
    if (blank(reason))
        return doge__error_set(DOGE_EINVAL, "an appeal needs a reason (--reason TEXT)");
    reply_ref ref;
    int rc = find_reply(doge_workspace_store(ws), reply_id, &ref);
    if (rc)
        return rc;
    if (!*ref.employee)
        return doge__error_set(DOGE_EINVAL, "reply %lld has no matched employee to appeal for",
                               (long long)reply_id);
    if (by && strcmp(by, ref.employee) != 0)
        return doge__error_set(DOGE_EINVAL,
                               "only the respondent (%s) can appeal the review of reply %lld",
                               ref.employee, (long long)reply_id);
    return record(ws, reply_id, &ref, "review.appeal", NULL, reason, ref.employee, ledger_index);
}
