/*
 * test_review_reply.c — doge_review_reply, the review of one new reply (the
 * web form's), in a real workspace with a synthetic week: a form reply
 * reviewed alone gets the row the week's review would give it (the same
 * bullets, categories, specificity, vague, priority and note, the note
 * saying the copy-paste check is pending), a second form reply replaces
 * the first's row, a week run afterwards gives the same figures with no
 * pending check, and the errors: an unknown id, an auto-reply, a reply
 * that a newer one replaced. Also the queue item's JSON shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doge.h"
#include "doge/id.h"
#include "doge/keystore.h"
#include "doge/ledger.h"
#include "doge/pulse.h"
#include "doge/review.h"
#include "doge/roster.h"
#include "doge/store.h"
#include "doge/synth.h"
#include "util_assert.h"

typedef struct fixture {
    char dir[256];
    doge_workspace *ws;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/doge-test-review-reply.%d", (int)getpid());
    char cmd[512], roster[300], mbox[300], truth[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    snprintf(roster, sizeof roster, "%s.csv", f->dir);
    snprintf(mbox, sizeof mbox, "%s.mbox", f->dir);
    snprintf(truth, sizeof truth, "%s.truth.csv", f->dir);
    doge_pulse_synth_stats ss;    doge_synth_workforce_opts wo = {.employees = 120, .departments = 2, .seed = 7,
                                    .no_progress = 1};
    doge_roster_import_opts io = {.no_progress = 1};
    doge_roster_import_result ir;
    memset(&ir, 0, sizeof ir);
    doge_signer *sg = NULL;
    doge_pulse_open_result orr;
    doge_pulse_ingest_opts ing = {.quiet = 1, .threads = -1};
    doge_pulse_ingest_stats is;
    const char *src[] = {mbox};
    if (doge_workspace_init(f->dir) || doge_workspace_open(&f->ws, f->dir) ||
        doge_synth_workforce_file(&wo, roster, NULL) ||
        doge_roster_import(doge_workspace_store(f->ws), roster, &io, &ir) ||
        doge_signer_generate(&sg, "test.example/log", DOGE_KEY_ED25519) ||
        doge_keystore_save(f->ws, sg) ||
        doge_ledger_init_workspace(f->ws, "test.example/log", NULL) ||
        doge_pulse_open(f->ws, "2025-W08", 1900000000, "test.example", &orr) ||
        doge_pulse_synth_replies(f->ws, "2025-W08", 3, mbox, 0, truth, &ss) ||
        doge_pulse_ingest(f->ws, src, 1, &ing, &is)) {
        fprintf(stderr, "setup: %s\n", doge_error_last());
        return -1;
    }
    doge_signer_free(sg);
    doge_roster_import_result_dispose(&ir);
    unlink(roster);
    unlink(mbox);
    unlink(truth);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    doge_workspace_free(f->ws);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static int64_t q64(doge_workspace *ws, const char *sql, const char *param)
{
    int64_t v = -1;
    assert_ok(doge_store_query_int64(doge_workspace_store(ws), sql, param, &v));
    return v;
}

/* The token of an employee who has not replied yet. */
static void fresh_token(doge_workspace *ws, char out[64])
{
    doge_stmt *s;
    assert_ok(doge_store_prepare(doge_workspace_store(ws), &s,
                                 "SELECT r.token FROM pulse_request r WHERE NOT EXISTS"
                                 " (SELECT 1 FROM pulse_reply p WHERE p.week = r.week"
                                 " AND p.employee_id = r.employee_id) ORDER BY r.token LIMIT 1"));
    assert_int_equal(doge_stmt_step(s), 1);
    snprintf(out, 64, "%s", doge_stmt_text(s, 0));
    doge_stmt_free(s);
}

/* One review_reply row, as text, without reviewed_at. */
static void row_of(doge_workspace *ws, int64_t id, char *out, size_t cap, char *note,
                   size_t note_cap)
{
    doge_stmt *s;
    assert_ok(doge_store_prepare(doge_workspace_store(ws), &s,
                                 "SELECT week, employee_id, department, bullet_count, vague,"
                                 " specificity, top_category, bullets, cluster_id IS NULL,"
                                 " flags, priority, model, note FROM review_reply"
                                 " WHERE reply_id = ?"));
    doge_stmt_bind_int64(s, 1, id);
    assert_int_equal(doge_stmt_step(s), 1);
    snprintf(out, cap, "%s|%s|%s|%lld|%lld|%lld|%s|%s|%lld|%s|%lld|%s", doge_stmt_text(s, 0),
             doge_stmt_text(s, 1), doge_stmt_text(s, 2), (long long)doge_stmt_int64(s, 3),
             (long long)doge_stmt_int64(s, 4), (long long)doge_stmt_int64(s, 5),
             doge_stmt_text(s, 6), doge_stmt_text(s, 7), (long long)doge_stmt_int64(s, 8),
             doge_stmt_text(s, 9), (long long)doge_stmt_int64(s, 10), doge_stmt_text(s, 11));
    snprintf(note, note_cap, "%s", doge_stmt_text(s, 12));
    doge_stmt_free(s);
}

static int64_t form_reply(doge_workspace *ws, const char *token, const char *text)
{
    doge_pulse_form_result res;
    assert_ok(doge_pulse_ingest_form(ws, token, text, strlen(text), 1, &res));
    assert_string_equal(res.kind, "reply");
    int64_t id = res.reply_id;
    assert_true(id > 0);
    doge_pulse_form_result_dispose(&res);
    return id;
}

static void test_one_reply_as_the_week(void **state)
{
    fixture *f = *state;
    doge_workspace *ws = f->ws;
    /* The mail ingest left the week unreviewed (that is the CLI's step). */
    doge_review_run_stats st;
    assert_ok(doge_review_week(ws, "2025-W08", NULL, &st));
    int64_t before = st.replies;
    char tok[64];
    fresh_token(ws, tok);
    int64_t id = form_reply(ws, tok,
                            "- Closed the audit of 14 grant files\n- Worked on various things\n"
                            "- Answered 31 public inquiries on the benefits line");
    assert_int_equal(q64(ws, "SELECT COUNT(*) FROM review_reply WHERE week = ?", "2025-W08"),
                     before);
    assert_ok(doge_review_reply(ws, id));
    assert_int_equal(q64(ws, "SELECT COUNT(*) FROM review_reply WHERE week = ?", "2025-W08"),
                     before + 1);
    char one[4096], note1[600], week[4096], note2[600];
    row_of(ws, id, one, sizeof one, note1, sizeof note1);
    assert_non_null(strstr(note1, "3 bullets: "));
    assert_non_null(strstr(note1, "; copy-paste check at the week's next review"));

    /* The week's review gives the same row, without the pending check. */
    assert_ok(doge_review_week(ws, "2025-W08", NULL, &st));
    assert_int_equal(st.replies, before + 1);
    row_of(ws, id, week, sizeof week, note2, sizeof note2);
    assert_string_equal(one, week);
    size_t n2 = strlen(note2);
    assert_int_equal(strncmp(note1, note2, n2), 0);
    assert_null(strstr(note2, "copy-paste check"));

    /* A second reply replaces the first one's row. */
    int64_t id2 = form_reply(ws, tok, "- Stuff");
    assert_ok(doge_review_reply(ws, id2));
    assert_int_equal(q64(ws, "SELECT COUNT(*) FROM review_reply WHERE week = ?", "2025-W08"),
                     before + 1);
    char q[128];
    snprintf(q, sizeof q, "%lld", (long long)id);
    assert_int_equal(q64(ws, "SELECT COUNT(*) FROM review_reply WHERE reply_id = ?", q), 0);
    row_of(ws, id2, one, sizeof one, note1, sizeof note1);
    assert_non_null(strstr(note1, "1 bullet: "));
    assert_non_null(strstr(note1, "; vague"));
    snprintf(q, sizeof q, "%lld", (long long)id2);
    assert_true(q64(ws, "SELECT priority FROM review_reply WHERE reply_id = ?", q) >= 30);

    /* Errors. */
    assert_error(doge_review_reply(ws, 999999999), DOGE_ENOTFOUND, "no reply 999999999");
    assert_error(doge_review_reply(ws, id), DOGE_EINVAL, "replaced by a newer reply");
    int64_t auto_id = q64(ws, "SELECT COALESCE(MIN(id), -1) FROM pulse_reply WHERE kind != ?",
                          "reply");
    if (auto_id > 0)
        assert_error(doge_review_reply(ws, auto_id), DOGE_EINVAL, "not a reply to review");
}

static int collect(void *ctx, const doge_review_item *it)
{
    json_t *arr = ctx;
    json_array_append_new(arr, doge_review_item_json(it));
    return 0;
}

static void test_item_json(void **state)
{
    fixture *f = *state;
    json_t *arr = json_array();
    assert_ok(doge_review_queue(f->ws, "2025-W08", NULL, 3, collect, arr));
    assert_true(json_array_size(arr) >= 1);
    json_t *it = json_array_get(arr, 0);
    static const char *const keys[] = {"reply", "week", "employee_id", "department", "state",
                                       "priority", "bullets", "specificity", "vague", "flags",
                                       "note"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        assert_non_null(json_object_get(it, keys[k]));
    assert_string_equal(json_string_value(json_object_get(it, "week")), "2025-W08");
    doge_review_item one = {.reply_id = 5, .week = "w", .employee_id = "e", .department = "d",
                            .flags = "", .note = "n", .state = "open", .cluster_size = 3,
                            .duplicate_of = 2};
    json_t *j = doge_review_item_json(&one);
    assert_int_equal(json_integer_value(json_object_get(j, "cluster_size")), 3);
    assert_int_equal(json_integer_value(json_object_get(j, "duplicate_of")), 2);
    json_decref(j);
    json_decref(arr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_reply_as_the_week),
        cmocka_unit_test(test_item_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
